#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <clocale>
#include <random>
#include <thread>

#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/tar.h"
#include "tar_fixtures.h"
#include "host_skip.h"

using namespace cleanroom;
using namespace cleanroom::formats;

namespace {

const std::string kLongName = std::string(120, 'l') + "/" + std::string(150, 'm') + "/file";

// A tree with one of everything an unprivileged user can make.
void make_tree(const std::string& root) {
  test::put_file(root + "/usr/bin/tool", "#!/bin/sh\necho hi\n", 0755);
  test::put_file(root + "/usr/share/doc/pkg/README", "read me\n", 0644);
  test::put_file(root + "/usr/share/" + kLongName, "deep\n", 0640);
  test::put_file(root + "/etc/pkg.conf", "x=1\n", 0600);
  REQUIRE(::symlink("../share/doc/pkg/README", (root + "/usr/bin/readme").c_str()) == 0);
  REQUIRE(::link((root + "/usr/bin/tool").c_str(), (root + "/usr/bin/tool-alias").c_str()) == 0);
  REQUIRE(::mkfifo((root + "/usr/fifo").c_str(), 0600) == 0);
  make_dirs(root + "/var/empty");
}

std::string tar_bytes(std::vector<TarEntry> entries, const TarWriteOptions& options) {
  TempDir tmp;
  std::string path = tmp.path() + "/out.tar";
  {
    UniqueFd fd = open_fd(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write_tar(std::move(entries), fd.get(), options);
  }
  return read_file(path);
}

struct Seen {
  TarEntry entry;
  std::string content;
};

std::vector<Seen> read_back(const std::string& bytes) {
  std::vector<Seen> out;
  read_tar_memory(bytes, "memory", [&](const TarEntry& e, const auto& content) {
    out.push_back({e, content()});
  });
  return out;
}

const Seen* find(const std::vector<Seen>& seen, const std::string& path) {
  for (const Seen& s : seen)
    if (s.entry.path == path) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("tar round trip keeps types, content, links and long names") {
  TempDir dir;
  make_tree(dir.path());
  TarWriteOptions options;
  options.clamp_mtime = 1700000000;
  options.root_owner = true;
  for (Compression c : {Compression::None, Compression::Gzip, Compression::Xz, Compression::Zstd}) {
    options.compression = c;
    for (TarFormat f : {TarFormat::Pax, TarFormat::Gnu}) {
      options.format = f;
      auto seen = read_back(tar_bytes(scan_tree(dir.path()), options));
      INFO("compression " << static_cast<int>(c) << " format " << static_cast<int>(f));
      REQUIRE(find(seen, "usr/bin/tool"));
      CHECK(find(seen, "usr/bin/tool")->content == "#!/bin/sh\necho hi\n");
      CHECK(find(seen, "usr/bin/tool")->entry.mode == 0755);
      CHECK(find(seen, "usr/bin/tool")->entry.uname == "root");
      CHECK(find(seen, "etc/pkg.conf")->entry.mode == 0600);
      CHECK(find(seen, "usr/bin/readme")->entry.type == EntryType::Symlink);
      CHECK(find(seen, "usr/bin/readme")->entry.link_target == "../share/doc/pkg/README");
      // "tool" sorts before "tool-alias": the first path holds the content.
      CHECK(find(seen, "usr/bin/tool-alias")->entry.type == EntryType::Hardlink);
      CHECK(find(seen, "usr/bin/tool-alias")->entry.link_target == "usr/bin/tool");
      CHECK(find(seen, "usr/fifo")->entry.type == EntryType::Fifo);
      CHECK(find(seen, "var/empty")->entry.type == EntryType::Directory);
      REQUIRE(find(seen, "usr/share/" + kLongName));
      CHECK(find(seen, "usr/share/" + kLongName)->content == "deep\n");
      for (const Seen& s : seen) CHECK(s.entry.mtime <= 1700000000);
    }
  }
}

TEST_CASE("root_owner keeps the owners a build set with (fake)root, as dpkg-deb would") {
  TempDir dir;
  make_tree(dir.path());
  TarWriteOptions options;
  options.root_owner = true;
  options.owners["var/empty"] = {0, 50, "root", "staff"};
  auto seen = read_back(tar_bytes(scan_tree(dir.path()), options));
  REQUIRE(find(seen, "var/empty"));
  CHECK(find(seen, "var/empty")->entry.gid == 50);
  CHECK(find(seen, "var/empty")->entry.gname == "staff");
  CHECK(find(seen, "usr/bin/tool")->entry.gid == 0);
  CHECK(find(seen, "usr/bin/tool")->entry.gname == "root");
}

TEST_CASE("tar entries come out parents first, each directory's subtree together") {
  std::vector<TarEntry> entries;
  for (std::string p : {"a-b", "a/b", "a", "a/b/c", ".", "a.txt"}) {
    TarEntry e;
    e.path = p;
    e.type = (p == "a-b" || p == "a.txt" || p == "a/b/c") ? EntryType::File : EntryType::Directory;
    entries.push_back(e);
  }
  TarWriteOptions options;
  options.dot_prefix = true;
  std::vector<std::string> order;
  read_tar_memory(tar_bytes(entries, options), "m",
                  [&](const TarEntry& e, const auto&) { order.push_back(e.path); });
  CHECK(order == std::vector<std::string>{".", "a", "a/b", "a/b/c", "a-b", "a.txt"});
}

TEST_CASE(
    "tar bytes do not depend on input order, mtimes past the clamp, owners, umask or threads") {
  TempDir dir;
  make_tree(dir.path());
  std::vector<TarEntry> base = scan_tree(dir.path());
  std::mt19937 rng(12345);
  for (Compression c : {Compression::None, Compression::Gzip, Compression::Xz, Compression::Zstd}) {
    TarWriteOptions options;
    options.compression = c;
    options.clamp_mtime = 1600000000;
    options.root_owner = true;
    options.normalize_permissions = true;
    const std::string expected = tar_bytes(base, options);
    for (int round = 0; round < 4; ++round) {
      std::vector<TarEntry> varied = base;
      std::shuffle(varied.begin(), varied.end(), rng);
      for (TarEntry& e : varied) {
        e.mtime = 1600000000 + static_cast<std::int64_t>(rng() % 100000000);
        e.uid = rng() % 70000;
        e.gid = rng() % 70000;
        e.uname = "user" + std::to_string(rng() % 10);
        // What a umask of 077 or 002 would have made of the same files.
        e.mode = (round % 2) ? (e.mode & 0700) : (e.mode | 0020);
      }
      CHECK(tar_bytes(varied, options) == expected);
    }
    // The same tree rebuilt under another umask, hardlink discovered in the other order.
    TempDir other;
    mode_t old = ::umask(077);
    make_tree(other.path());
    ::umask(old);
    auto rebuilt = scan_tree(other.path());
    for (TarEntry& e : rebuilt)
      if (!e.source_path.empty()) e.source_path = dir.path() + "/" + e.path;
    CHECK(tar_bytes(rebuilt, options) == expected);
    // Two writers at once must not influence each other or depend on cores.
    std::string a, b;
    std::thread t1([&] { a = tar_bytes(base, options); });
    std::thread t2([&] { b = tar_bytes(base, options); });
    t1.join();
    t2.join();
    CHECK(a == expected);
    CHECK(b == expected);
  }
}

TEST_CASE("tar bytes for non-ASCII and long names do not depend on the locale") {
  std::vector<TarEntry> entries(2);
  entries[0].path = "caf\xc3\xa9/" + std::string(200, 'x') + "-\xe2\x82\xac";
  entries[0].data = "euro";
  entries[1].path = "bad-utf8-\xff";
  entries[1].type = EntryType::Symlink;
  entries[1].link_target = "t\xc3\xa9";
  for (TarFormat f : {TarFormat::Pax, TarFormat::Gnu}) {
    TarWriteOptions options;
    options.format = f;
    std::string c = tar_bytes(entries, options);
    const char* utf8 = std::setlocale(LC_ALL, "C.UTF-8");
    std::string u = tar_bytes(entries, options);
    std::setlocale(LC_ALL, "C");
    if (!utf8) cleanroom::test::host_skip("the C.UTF-8 locale is missing: only the C locale was tried");
    CHECK(c == u);
    auto seen = read_back(c);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].entry.path == entries[1].path);  // "b" < "c"
    CHECK(seen[1].entry.path == entries[0].path);
    CHECK(seen[1].content == "euro");
  }
}

TEST_CASE("gzip tar carries no timestamp or name in its header") {
  TarEntry e;
  e.path = "f";
  e.data = "x";
  TarWriteOptions options;
  options.compression = Compression::Gzip;
  std::string bytes = tar_bytes({e}, options);
  REQUIRE(bytes.size() > 10);
  CHECK(static_cast<unsigned char>(bytes[0]) == 0x1f);
  CHECK(bytes[3] == 0);                               // no FNAME, no FEXTRA, no comment
  CHECK(bytes.substr(4, 4) == std::string(4, '\0'));  // MTIME 0
}

TEST_CASE("a hardlink group gives the same bytes whichever name was found first") {
  auto group = [](const std::string& first, const std::string& second) {
    TarEntry file;
    file.path = first;
    file.data = "shared";
    file.mode = 0755;
    TarEntry link;
    link.path = second;
    link.type = EntryType::Hardlink;
    link.link_target = first;
    link.mode = 0755;
    TarEntry third = link;
    third.path = "m/third";
    third.link_target = second;  // a chain: third -> second -> first
    return std::vector<TarEntry>{third, link, file};
  };
  std::string a = tar_bytes(group("z/late", "a/early"), {});
  CHECK(a == tar_bytes(group("a/early", "z/late"), {}));
  auto seen = read_back(a);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].entry.path == "a/early");
  CHECK(seen[0].content == "shared");
  CHECK(seen[1].entry.link_target == "a/early");
  CHECK(seen[2].entry.link_target == "a/early");
}

TEST_CASE("tar writer refuses bad entry lists") {
  TarEntry a;
  a.path = "../x";
  CHECK_THROWS_AS(tar_bytes({a}, {}), Error);
  a.path = "/abs";
  CHECK_THROWS_AS(tar_bytes({a}, {}), Error);
  a.path = "dup";
  CHECK_THROWS_WITH(tar_bytes({a, a}, {}), Catch::Contains("appears twice"));
  TarEntry h;
  h.path = "h";
  h.type = EntryType::Hardlink;
  h.link_target = "missing";
  CHECK_THROWS_WITH(tar_bytes({h}, {}), Catch::Contains("not in the archive"));
}

TEST_CASE("scan_tree never follows symlinks and subtracts the id offset") {
  TempDir dir;
  TempDir outside;
  test::put_file(outside.path() + "/secret", "s");
  make_dirs(dir.path() + "/d");
  REQUIRE(::symlink(outside.path().c_str(), (dir.path() + "/d/out").c_str()) == 0);
  auto entries = scan_tree(dir.path());
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].type == EntryType::Symlink);
  CHECK(entries[1].link_target == outside.path());
  if (::getuid() == 0) {
    REQUIRE(::chown((dir.path() + "/d").c_str(), 100000 + 5, 100000 + 7) == 0);
    REQUIRE(::lchown((dir.path() + "/d/out").c_str(), 100000 + 5, 100000 + 7) == 0);
    auto shifted = scan_tree(dir.path(), 100000);
    CHECK(shifted[0].uid == 5);
    CHECK(shifted[0].gid == 7);
  }
  CHECK_THROWS_WITH(scan_tree(dir.path(), 4000000000u), Catch::Contains("id offset"));
}

TEST_CASE("truncated or corrupt tar gives an input error naming archive and entry") {
  TarEntry e;
  e.path = "big.bin";
  e.data = std::string(100000, 'z');
  for (Compression c : {Compression::None, Compression::Xz}) {
    TarWriteOptions options;
    options.compression = c;
    std::string bytes = tar_bytes({e}, options);
    std::string cut = bytes.substr(0, bytes.size() / 2);
    try {
      read_tar_memory(cut, "cut.tar", [](const TarEntry&, const auto& content) { content(); });
      FAIL("no error");
    } catch (const Error& err) {
      CHECK(err.kind() == ErrorKind::Input);
      CHECK_THAT(err.what(), Catch::Contains("cut.tar"));
      if (c == Compression::None) CHECK_THAT(err.what(), Catch::Contains("big.bin"));
    }
  }
  CHECK_THROWS_AS(
      read_tar_memory("not a tar at all, clearly", "junk", [](const auto&, const auto&) {}), Error);
}

TEST_CASE("compression_from_name") {
  CHECK(compression_from_name("a.tar.zst") == Compression::Zstd);
  CHECK(compression_from_name("a.tgz") == Compression::Gzip);
  CHECK(compression_from_name("a.tar.xz") == Compression::Xz);
  CHECK(compression_from_name("a.tar") == Compression::None);
  CHECK_FALSE(compression_from_name("a.zip"));
}
