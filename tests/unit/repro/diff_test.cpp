#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/deb.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/formats/wheel.h"
#include "cleanroom/formats/zip.h"
#include "cleanroom/repro/diff.h"
#include "tar_fixtures.h"

using namespace cleanroom;
using namespace cleanroom::repro;

namespace {

void put(const std::string& path, const std::string& data, unsigned mode = 0644) {
  make_dirs(parent_dir(path));
  write_file_atomic(path, data, mode);
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string control(const std::string& version) {
  return "Package: demo\nVersion: " + version +
         "\nArchitecture: all\nMaintainer: Tests <t@example.org>\nDescription: demo\n";
}

std::string wheel(const std::string& module) {
  std::vector<formats::ZipEntry> entries(3);
  entries[0].name = "demo/mod.py";
  entries[0].data = module;
  entries[1].name = "demo-1.0.dist-info/METADATA";
  entries[1].data = "Name: demo\n";
  entries[2].name = "demo-1.0.dist-info/RECORD";
  entries[2].data = formats::make_wheel_record(entries, entries[2].name);
  return formats::write_zip(entries, {});
}

// A package tree; variant 1 changes one file, one mode, one control field and the wheel.
std::string build_package(const std::string& dir, int variant) {
  std::string root = dir + "/root" + std::to_string(variant);
  put(root + "/DEBIAN/control", control(variant ? "1.1" : "1.0"));
  put(root + "/usr/share/demo/notes.txt", variant ? "one\ntwo\nTHREE\nfour\n" : "one\ntwo\nthree\nfour\n");
  put(root + "/usr/bin/tool", "#!/bin/sh\n", variant ? 0644 : 0755);
  put(root + "/usr/share/demo/same.bin", std::string(1000, '\x01'));
  put(root + "/opt/demo.whl", wheel(variant ? "X = 2\n" : "X = 1\n"));
  formats::DebBuildOptions options;
  options.source_date_epoch = 1700000000;
  std::string out = dir + "/demo" + std::to_string(variant) + ".deb";
  formats::build_deb(root, "", out, options);
  return out;
}

const Difference* find(const DiffResult& r, const std::string& path, DifferenceKind kind,
                       const std::string& field = "") {
  for (const auto& d : r.differences)
    if (d.path == path && d.kind == kind && (field.empty() || d.field == field)) return &d;
  return nullptr;
}

std::string listing(const DiffResult& r) {
  std::string out;
  for (const auto& d : r.differences)
    out += d.path + " " + to_string(d.kind) + " " + d.field + ": " + d.a + " | " + d.b + "\n";
  return out;
}

}  // namespace

TEST_CASE("two .debs: content, mode, control field and a nested wheel are each named") {
  TempDir dir;
  std::string a = build_package(dir.path(), 0), b = build_package(dir.path(), 1);
  DiffResult r = diff_paths(a, b, {});
  INFO(listing(r));
  CHECK_FALSE(r.identical());

  const Difference* text = find(r, "data.tar.xz::usr/share/demo/notes.txt", DifferenceKind::Content);
  REQUIRE(text != nullptr);
  CHECK(text->field == "text");
  CHECK_THAT(text->detail, Catch::Contains("-three\n+THREE\n"));

  const Difference* mode = find(r, "data.tar.xz::usr/bin/tool", DifferenceKind::Metadata, "mode");
  REQUIRE(mode != nullptr);
  CHECK(mode->a == "0755");
  CHECK(mode->b == "0644");

  const Difference* version = find(r, "control.tar.xz::control", DifferenceKind::Field, "Version");
  REQUIRE(version != nullptr);
  CHECK(version->a == "1.0");
  CHECK(version->b == "1.1");

  const Difference* nested = find(r, "data.tar.xz::opt/demo.whl::demo/mod.py", DifferenceKind::Content);
  REQUIRE(nested != nullptr);
  CHECK_THAT(nested->detail, Catch::Contains("-X = 1\n+X = 2\n"));
  CHECK(find(r, "data.tar.xz::usr/share/demo/same.bin", DifferenceKind::Content) == nullptr);

  CHECK(diff_paths(a, a, {}).identical());
  // Rebuilding the same tree gives the same bytes, so no difference at all.
  std::string again = dir.path() + "/again.deb";
  formats::DebBuildOptions options;
  options.source_date_epoch = 1700000000;
  formats::build_deb(dir.path() + "/root0", "", again, options);
  CHECK(diff_paths(a, again, {}).identical());
}

TEST_CASE("max_report caps the list but every difference is counted") {
  TempDir dir;
  std::string a = build_package(dir.path(), 0), b = build_package(dir.path(), 1);
  DiffOptions options;
  options.max_report = 2;
  DiffResult r = diff_paths(a, b, options);
  CHECK(r.differences.size() == 2);
  CHECK(r.total > 2);
  CHECK(r.truncated());
}

TEST_CASE("directories: only-in, type, mode, link target and content") {
  TempDir a, b;
  put(a.path() + "/same", "x");
  put(b.path() + "/same", "x");
  put(a.path() + "/gone", "x");
  put(b.path() + "/new", "x");
  put(a.path() + "/script", "run\n", 0755);
  put(b.path() + "/script", "run\n", 0700);
  put(a.path() + "/blob", std::string("\0\1\2\3", 4) + std::string(60, 'z'));
  put(b.path() + "/blob", std::string("\0\1\2\3", 4) + std::string(40, 'z') + "y" + std::string(19, 'z'));
  make_dirs(a.path() + "/thing");
  put(b.path() + "/thing", "now a file");
  REQUIRE(::symlink("target-a", (a.path() + "/link").c_str()) == 0);
  REQUIRE(::symlink("target-b", (b.path() + "/link").c_str()) == 0);
  DiffResult r = diff_paths(a.path(), b.path(), {});
  INFO(listing(r));
  CHECK(r.total == 6);
  CHECK(find(r, "gone", DifferenceKind::OnlyInA) != nullptr);
  CHECK(find(r, "new", DifferenceKind::OnlyInB) != nullptr);
  CHECK(find(r, "script", DifferenceKind::Metadata, "mode")->b == "0700");
  CHECK(find(r, "thing", DifferenceKind::Type)->a == "directory");
  CHECK(find(r, "link", DifferenceKind::Metadata, "link target")->b == "target-b");
  const Difference* blob = find(r, "blob", DifferenceKind::Content, "binary");
  REQUIRE(blob != nullptr);
  CHECK_THAT(blob->detail, Catch::StartsWith("first difference at offset 44 (0x2c)\n"));
  CHECK_THAT(blob->detail, Catch::Contains("00000020: 7a7a 7a7a 7a7a 7a7a 7a7a 7a7a 797a 7a7a  zzzzzzzzzzzzyzzz"));
}

TEST_CASE("equal members in another order, and gzip header differences, are reported") {
  std::vector<formats::ZipEntry> entries(2);
  entries[0].name = "a";
  entries[1].name = "b";
  std::string forward = formats::write_zip(entries, {});
  std::swap(entries[0], entries[1]);
  DiffResult r = diff_bytes(forward, formats::write_zip(entries, {}), "x.zip", {});
  INFO(listing(r));
  REQUIRE(r.total == 1);
  CHECK(r.differences[0].field == "member order");
  CHECK(r.differences[0].a == "#1 is 'a'");

  std::string body = std::string("\x1f\x8b\x08\x08\x01\0\0\0\0\x03", 10) + std::string("n\0", 2);
  std::string deflated("\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00", 10);  // empty content
  std::string other = std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
  DiffResult g = diff_bytes(body + deflated, other + deflated, "f.gz", {});
  INFO(listing(g));
  REQUIRE(g.total >= 1);
  CHECK(g.differences[0].field == "gzip header");
  CHECK_THAT(g.differences[0].a, Catch::Contains("name 'n'"));
}

TEST_CASE("different formats and unparsable containers fall back to bytes") {
  std::vector<formats::ZipEntry> entries(1);
  entries[0].name = "a";
  std::string zip = formats::write_zip(entries, {});
  DiffResult r = diff_bytes(zip, "plain text\n", "x", {});
  CHECK(find(r, "", DifferenceKind::Type, "format")->a == "zip");
  CHECK(find(r, "", DifferenceKind::Content) != nullptr);

  DiffResult broken = diff_bytes("PK\3\4 broken one", "PK\3\4 broken two", "x.zip", {});
  REQUIRE(broken.total == 1);
  CHECK_THAT(broken.differences[0].detail, Catch::StartsWith("cannot be opened as zip: "));
}

TEST_CASE("a missing input is an input error") {
  TempDir dir;
  put(dir.path() + "/a", "x");
  try {
    diff_paths(dir.path() + "/a", dir.path() + "/missing", {});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK_THAT(e.what(), Catch::Contains("missing'"));
  }
}

TEST_CASE("corrupted containers are still compared: never an error, never identical") {
  TempDir dir;
  const std::string deb = read_file(build_package(dir.path(), 0));
  const std::string whl = wheel("X = 1\n");
  std::mt19937 rng(3);
  for (const std::string* good : {&deb, &whl}) {
    for (int round = 0; round < 150; ++round) {
      std::string bad = *good;
      bad[rng() % bad.size()] = static_cast<char>(rng());
      if (rng() % 3 == 0) bad.resize(rng() % bad.size());
      DiffResult r = diff_bytes(*good, bad, "x", {});
      CHECK(r.identical() == (bad == *good));
    }
  }
}

TEST_CASE("input files are compared whole: empty, equal, and /proc files that claim size 0") {
  TempDir dir;
  put(dir.path() + "/empty1", "");
  put(dir.path() + "/empty2", "");
  put(dir.path() + "/x", "x\n");
  CHECK(diff_paths(dir.path() + "/empty1", dir.path() + "/empty2", {}).identical());
  DiffResult r = diff_paths(dir.path() + "/empty1", dir.path() + "/x", {});
  REQUIRE(r.total == 1);
  CHECK(r.differences[0].a == "0 bytes");

  std::string version = read_file("/proc/version");
  REQUIRE_FALSE(version.empty());
  put(dir.path() + "/version", version);
  CHECK(diff_paths("/proc/version", dir.path() + "/version", {}).identical());
  CHECK_FALSE(diff_paths("/proc/version", dir.path() + "/x", {}).identical());
}

TEST_CASE("large input files of equal size: a difference in either half is found") {
  TempDir dir;
  std::string big(9u << 20, '\0');
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>(i / 4096);
  put(dir.path() + "/a", big);
  put(dir.path() + "/same", big);
  CHECK(diff_paths(dir.path() + "/a", dir.path() + "/same", {}).identical());
  for (std::size_t at : {std::size_t{0}, big.size() / 2 - 1, big.size() / 2 + 1, big.size() - 1}) {
    std::string other = big;
    other[at] ^= 1;
    put(dir.path() + "/other", other);
    DiffResult r = diff_paths(dir.path() + "/a", dir.path() + "/other", {});
    REQUIRE(r.total == 1);
    CHECK_THAT(r.differences[0].detail, Catch::StartsWith(fmt::format("first difference at offset {} ", at)));
  }
}

TEST_CASE("tar metadata only one side has (an xattr) is reported from either side") {
  TempDir dir;
  auto tar_with = [&](const std::string& name, bool xattr) {
    formats::TarEntry e;
    e.path = "f";
    e.data = "same";
    e.size = 4;
    if (xattr) e.xattrs = {{"user.tag", "x"}};
    std::string path = dir.path() + "/" + name;
    UniqueFd fd = open_fd(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    formats::write_tar({e}, fd.get(), {});
    return path;
  };
  std::string plain = tar_with("plain.tar", false), tagged = tar_with("tagged.tar", true);
  for (bool tagged_first : {true, false}) {
    DiffResult r = tagged_first ? diff_paths(tagged, plain, {}) : diff_paths(plain, tagged, {});
    INFO(listing(r));
    const Difference* d = find(r, "f", DifferenceKind::Metadata, "xattrs");
    REQUIRE(d);
    CHECK((tagged_first ? d->b : d->a) == "(none)");
    CHECK_THAT(tagged_first ? d->a : d->b, Catch::Contains("user.tag=x"));
  }
}

TEST_CASE("a member larger than max_member_memory is compared by SHA-256, not held") {
  std::string big_a(300000, 'z'), big_b = big_a;
  big_b[250000] = 'y';
  auto tar = [](const std::string& big, const std::string& note) {
    return test::raw_tar({{.name = "big", .data = big}, {.name = "note", .data = note}});
  };
  DiffOptions options;
  options.max_member_memory = 100000;
  DiffResult same_big = diff_bytes(tar(big_a, "1\n"), tar(big_a, "2\n"), "t.tar", options);
  INFO(listing(same_big));
  CHECK(!find(same_big, "big", DifferenceKind::Content));
  CHECK(find(same_big, "note", DifferenceKind::Content, "text"));
  DiffResult r = diff_bytes(tar(big_a, "1\n"), tar(big_b, "1\n"), "t.tar", options);
  INFO(listing(r));
  const Difference* d = find(r, "big", DifferenceKind::Content, "binary");
  REQUIRE(d);
  CHECK_THAT(d->detail, Catch::Contains("compared by SHA-256") &&
                            Catch::Contains(sha256_hex(big_a)) && Catch::Contains(sha256_hex(big_b)));
}

TEST_CASE("a comparison stops at its decompression budget with an environment error") {
  std::string a = test::raw_tar({{.name = "f", .data = std::string(50000, 'a')}});
  std::string b = test::raw_tar({{.name = "f", .data = std::string(50000, 'b')}});
  DiffOptions options;
  options.max_decompressed = 60000;
  for (bool concurrent : {true, false}) {
    options.concurrent = concurrent;
    try {
      diff_bytes(a, b, "t.tar", options);
      FAIL("the budget was not enforced");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Environment);
      CHECK_THAT(e.what(), Catch::Contains("--max-decompressed"));
    }
  }
}

TEST_CASE("a zip with a duplicate entry is refused, not compared as bytes") {
  std::string dup = formats::write_zip({{.name = "a", .data = "1"}, {.name = "a", .data = "2"}}, {});
  std::string plain = formats::write_zip({{.name = "a", .data = "1"}}, {});
  CHECK_THROWS_AS(diff_bytes(dup, plain, "d.zip", {}), HostileInput);
}
