#include <fcntl.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/ar.h"
#include "cleanroom/formats/deb.h"
#include "tar_fixtures.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

const std::string kControlTar =
    test::raw_tar({{.name = "./control", .data = "Package: x\nVersion: 1\n"}}, true);

std::string ar_of(const std::vector<std::pair<std::string, std::string>>& members) {
  TempDir tmp;
  std::string path = tmp.path() + "/x.deb";
  {
    UniqueFd fd = open_fd(path, O_RDWR | O_CREAT | O_TRUNC);
    ArWriter w(fd.get(), path);
    for (const auto& [name, data] : members) w.add(name, data);
  }
  return read_file(path);
}

std::string input_error(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    return e.what();
  }
  FAIL("no error");
  return "";
}

}  // namespace

TEST_CASE("deb reader refuses a wrong debian-binary") {
  std::string bytes = ar_of(
      {{"debian-binary", "3.0\n"}, {"control.tar.gz", kControlTar}, {"data.tar.gz", kControlTar}});
  CHECK_THAT(input_error([&] { DebReader(bytes, "v3.deb"); }),
             Catch::Contains("v3.deb") && Catch::Contains("debian-binary says '3.0'"));
  bytes = ar_of({{"control.tar.gz", kControlTar}});
  CHECK_THAT(input_error([&] { DebReader(bytes, "x.deb"); }),
             Catch::Contains("expected 'debian-binary'"));
}

TEST_CASE("deb reader names missing or misplaced members") {
  auto only_control = ar_of({{"debian-binary", "2.0\n"}, {"control.tar.gz", kControlTar}});
  CHECK_THAT(input_error([&] { DebReader(only_control, "m.deb"); }),
             Catch::Contains("missing member data.tar"));
  auto only_binary = ar_of({{"debian-binary", "2.0\n"}});
  CHECK_THAT(input_error([&] { DebReader(only_binary, "m.deb"); }),
             Catch::Contains("missing member control.tar"));
  auto swapped = ar_of(
      {{"debian-binary", "2.0\n"}, {"data.tar.gz", kControlTar}, {"control.tar.gz", kControlTar}});
  CHECK_THAT(input_error([&] { DebReader(swapped, "s.deb"); }),
             Catch::Contains("unexpected member 'data.tar.gz'"));
  auto with_extra = ar_of({{"debian-binary", "2.0\n"},
                           {"_gpgorigin", "sig"},
                           {"control.tar.gz", kControlTar},
                           {"data.tar.gz", kControlTar}});
  CHECK(DebReader(with_extra, "e.deb").control_text() == "Package: x\nVersion: 1\n");
}

TEST_CASE("truncated .deb is refused with file and member named") {
  std::string data = test::raw_tar({{.name = "./big", .data = std::string(40000, 'b')}});
  std::string bytes =
      ar_of({{"debian-binary", "2.0\n"}, {"control.tar.gz", kControlTar}, {"data.tar", data}});
  CHECK_THAT(input_error([&] {
               DebReader(std::string_view(bytes).substr(0, bytes.size() - 5000), "cut.deb");
             }),
             Catch::Contains("cut.deb") && Catch::Contains("truncated"));
  // A data member cut short inside the ar framing (its header patched to match).
  auto members = list_ar_memory(bytes, "b.deb");
  std::string cut = bytes.substr(0, members[2].offset + 20000);
  cut.replace(members[2].offset - 60 + 48, 10, "20000     ");
  DebReader reader(cut, "short.deb");
  CHECK_THAT(input_error([&] {
               reader.read_data([](const TarEntry&, const auto& content) { content(); });
             }),
             Catch::Contains("short.deb(data.tar)") && Catch::Contains("entry 'big'"));
  CHECK_THAT(input_error([&] { DebReader("<html>not a package</html>", "page.deb"); }),
             Catch::Contains("bad magic"));
}

TEST_CASE("hostile data.tar inside a .deb is refused on extraction") {
  TempDir tmp;
  std::string outside = tmp.path() + "/outside";
  make_dirs(outside);
  std::string data = test::raw_tar({{.name = "./ok", .data = "fine"},
                                    {.name = "./link", .type = AE_IFLNK, .symlink = outside},
                                    {.name = "./link/evil", .data = "pwned"}});
  std::string bytes =
      ar_of({{"debian-binary", "2.0\n"}, {"control.tar.gz", kControlTar}, {"data.tar", data}});
  std::string dest = tmp.path() + "/dest";
  make_dirs(dest);
  DebReader reader(bytes, "hostile.deb");
  CHECK_THAT(input_error([&] { reader.extract_data(dest, {}); }),
             Catch::Contains("hostile.deb(data.tar)") && Catch::Contains("'link/evil'") &&
                 Catch::Contains("symlink"));
  CHECK(test::list_tree(outside).empty());
}
