#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/sandbox/spec.h"

using namespace cleanroom;
using namespace cleanroom::sandbox;

namespace {
Spec sample() {
  Spec s;
  s.uid_map = {{0, 100000, 65536}};
  s.gid_map = {{0, 200000, 65536}};
  s.id_map_method = IdMapMethod::Helpers;
  MountEntry root;
  root.kind = MountKind::Overlay;
  root.target = "/";
  root.source = "/store/a b:/store/c";
  root.upper = "/keep/up";
  root.work = "/keep/work";
  s.mounts.push_back(root);
  MountEntry bind;
  bind.kind = MountKind::Bind;
  bind.source = "/host/with\nnewline and\\backslash";
  bind.target = "/build/x";
  bind.read_only = true;
  bind.owner = "1000:1000";
  s.mounts.push_back(bind);
  MountEntry shm;
  shm.kind = MountKind::Scratch;
  shm.target = "/dev/shm";
  shm.data = "1777";
  s.mounts.push_back(shm);
  MountEntry tmp;
  tmp.kind = MountKind::Tmpfs;
  tmp.target = "/tmp";
  tmp.data = "mode=1777";
  tmp.no_exec = true;
  s.mounts.push_back(tmp);
  s.hostname = "host";
  s.domainname = "example.invalid";
  s.workdir = "/build";
  s.env = {"PATH=/bin", "EMPTY=", "SPACE=a b"};
  s.argv = {"sh", "-c", "echo  hi\t", ""};
  s.rlimits = {{"nofile", 1024, 4096}, {"fsize", kRlimitInfinity, kRlimitInfinity}};
  s.timeout_seconds = 7;
  s.disk_limit_bytes = std::uint64_t{3} << 30;
  s.memory_limit_bytes = 1 << 20;
  s.pids_limit = 64;
  s.network = true;
  s.interactive = true;
  s.keep_caps = {0, 7};
  s.linux32 = true;
  s.seccomp_bpf = std::string("\x00\x01\xff\x20", 4);
  return s;
}
}  // namespace

TEST_CASE("spec survives an encode/decode round trip, odd bytes included") {
  Spec s = sample();
  std::string text = encode_spec(s);
  CHECK(text.rfind("cleanroom-sandbox-spec 1\n", 0) == 0);
  Spec back = decode_spec(text);
  CHECK(back == s);
  CHECK(back.argv.back().empty());
  CHECK(back.mounts[1].source == "/host/with\nnewline and\\backslash");
}

TEST_CASE("every encoded line is key plus escaped fields, one per line") {
  std::string text = encode_spec(sample());
  CHECK(text.find("arg sh\narg -c\narg echo\\x20\\x20hi\\x09\narg \\-\n") != std::string::npos);
  CHECK(text.find("rlimit fsize infinity infinity\n") != std::string::npos);
}

TEST_CASE("field escaping") {
  CHECK(escape_field("") == "\\-");
  CHECK(escape_field("a b") == "a\\x20b");
  CHECK(unescape_field(escape_field("x\\y\n\x7f")) == "x\\y\n\x7f");
  CHECK_THROWS_AS(unescape_field("bad\\q"), Error);
  CHECK_THROWS_AS(unescape_field("cut\\x2"), Error);
}

TEST_CASE("decoding rejects newer versions, truncation and unknown keys") {
  std::string good = encode_spec(sample());
  auto bump = good;
  bump.replace(0, good.find('\n'), "cleanroom-sandbox-spec 2");
  CHECK_THROWS_WITH(decode_spec(bump), Catch::Contains("version 2 is not supported"));
  CHECK_THROWS_WITH(decode_spec(good.substr(0, good.size() - 4)), Catch::Contains("truncated"));
  CHECK_THROWS_WITH(decode_spec(good.substr(0, good.rfind("end\n"))), Catch::Contains("no 'end'"));
  auto unknown = good;
  unknown.insert(good.find('\n') + 1, "frobnicate 1\n");
  CHECK_THROWS_WITH(decode_spec(unknown), Catch::Contains("line 2: unknown key 'frobnicate'"));
  CHECK_THROWS_WITH(decode_spec("something else\n"), Catch::Contains("not a cleanroom sandbox spec"));
  auto bad_num = good;
  bad_num.replace(bad_num.find("timeout 7"), 9, "timeout x");
  CHECK_THROWS_WITH(decode_spec(bad_num), Catch::Contains("'x' is not a number"));
  try {
    decode_spec(bump);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
  }
}
