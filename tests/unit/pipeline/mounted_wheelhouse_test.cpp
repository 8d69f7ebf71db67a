#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/deb.h"
#include "cleanroom/pipeline/mounted_wheelhouse.h"

using namespace cleanroom;

namespace {

// A wheelhouse .deb with `wheels` wheels under dir and one stray wheel elsewhere.
std::string make_wheelhouse_deb(const std::string& parent, const std::string& dir, int wheels) {
  std::string root = parent + "/root-" + std::to_string(wheels);
  make_dirs(root + "/DEBIAN");
  write_file_atomic(root + "/DEBIAN/control",
                    "Package: wh\nVersion: 1\nArchitecture: all\nMaintainer: t <t@e>\n"
                    "Description: t\n");
  make_dirs(root + dir);
  for (int i = 0; i < wheels; ++i)
    write_file_atomic(root + dir + "/p" + std::to_string(i) + "-1.0-py3-none-any.whl", "zip");
  make_dirs(root + "/usr/share/doc/wh");
  write_file_atomic(root + "/usr/share/doc/wh/stray-1.0-py3-none-any.whl", "zip");
  std::string deb = parent + "/wh-" + std::to_string(wheels) + ".deb";
  formats::build_deb(root, "", deb, {});
  return deb;
}

}  // namespace

TEST_CASE("a wheelhouse .deb resolves to the directory holding most of its wheels") {
  TempDir tmp;
  std::string deb = make_wheelhouse_deb(tmp.path(), "/srv/wheelhouse/r1", 3);
  TempDir work;
  std::string dir = build::resolve_wheelhouse(deb, work.path());
  CHECK(dir == work.path() + "/wheelhouse/srv/wheelhouse/r1");
  CHECK(build::resolve_wheelhouse(tmp.path(), work.path()) == tmp.path());
  CHECK_THROWS_AS(build::resolve_wheelhouse(tmp.path() + "/missing.deb", work.path()), Error);
}

TEST_CASE("wheelhouses resolve on several threads at once, each to its own directory") {
  // verify and its bisect build on threads, each resolving --wheelhouse.
  TempDir tmp;
  std::string deb_a = make_wheelhouse_deb(tmp.path(), "/srv/a", 2);
  std::string deb_b = make_wheelhouse_deb(tmp.path(), "/opt/b/wheels", 5);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        TempDir work;
        bool a = (t + i) % 2 == 0;
        std::string got = build::resolve_wheelhouse(a ? deb_a : deb_b, work.path());
        std::string want = work.path() + "/wheelhouse" + (a ? "/srv/a" : "/opt/b/wheels");
        if (got != want) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
}
