#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/sandbox/sandbox.h"
#include "cleanroom/sandbox/seccomp_policy.h"

using namespace cleanroom;
using namespace cleanroom::sandbox;

namespace {
bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
SandboxOptions options_for(const std::string& lower) {
  SandboxOptions o;
  o.mounts.lower_dirs = {lower};
  if (::geteuid() == 0)
    o.ids = {100000, 100000, 65536};
  else
    o.ids = {static_cast<std::uint32_t>(::geteuid()), static_cast<std::uint32_t>(::getegid()), 1};
  return o;
}
}  // namespace

TEST_CASE("the environment is an allow-list plus --env, later values winning") {
  ::setenv("PIP_INDEX_URL", "http://leak", 1);
  ::setenv("PYTHONPATH", "/leak", 1);
  auto env = sandbox_environment({"TZ=Europe/Paris", "EXTRA=1", "EXTRA=2"}, 1700000000, "");
  CHECK(has(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
  CHECK(has(env, "HOME=/root"));
  CHECK(has(env, "LC_ALL=C.UTF-8"));
  CHECK(has(env, "LANG=C.UTF-8"));
  CHECK(has(env, "SOURCE_DATE_EPOCH=1700000000"));
  CHECK(has(env, "TZ=Europe/Paris"));
  CHECK_FALSE(has(env, "TZ=UTC"));
  CHECK(has(env, "EXTRA=2"));
  CHECK_FALSE(has(env, "EXTRA=1"));
  for (const auto& e : env) {
    CHECK(e.rfind("PIP_", 0) != 0);
    CHECK(e.rfind("PYTHON", 0) != 0);
    CHECK(e.rfind("TERM=", 0) != 0);
  }
  CHECK(has(sandbox_environment({}, std::nullopt, "xterm"), "TERM=xterm"));
  CHECK_THROWS_AS(sandbox_environment({"NOVALUE"}, std::nullopt, ""), Error);
  CHECK_THROWS_AS(sandbox_environment({"=x"}, std::nullopt, ""), Error);
}

TEST_CASE("make_spec assembles a complete spec that survives encoding") {
  TempDir lower;
  auto o = options_for(lower.path());
  o.argv = {"make", "-j1"};
  o.network = false;
  o.timeout_seconds = 30;
  o.keep_caps = root_capabilities();
  Spec spec = make_spec(o, false, "xterm");
  CHECK(spec.argv == std::vector<std::string>{"make", "-j1"});
  CHECK(spec.mounts.at(0).kind == MountKind::Overlay);
  CHECK_FALSE(spec.network);
  CHECK_FALSE(spec.interactive);
  CHECK(spec.timeout_seconds == 30);
  CHECK_FALSE(spec.seccomp_bpf.empty());
  for (const auto& e : spec.env) CHECK(e.rfind("TERM=", 0) != 0);  // no terminal, no TERM
  REQUIRE(spec.uid_map.size() == 1);
  CHECK(spec.uid_map[0].inside == 0);
  CHECK(spec.uid_map[0].outside != 0);
  CHECK(std::find_if(spec.rlimits.begin(), spec.rlimits.end(),
                     [](const Rlimit& r) { return r.name == "core" && r.hard == 0; }) != spec.rlimits.end());
  CHECK(decode_spec(encode_spec(spec)) == spec);
  CHECK_FALSE(spec.linux32);
}

TEST_CASE("an i386 root on amd64 runs as linux32; an arch no sandbox here runs is an input error") {
  if (native_debian_arch() != "amd64") return;  // the one pair cleanroom runs
  TempDir lower;
  auto o = options_for(lower.path());
  o.argv = {"true"};
  o.arch = "i386";
  Spec spec = make_spec(o, false, "");
  CHECK(spec.linux32);
  CHECK(spec.seccomp_bpf != make_spec(options_for(lower.path()), false, "").seccomp_bpf);
  o.arch = "armhf";
  CHECK_THROWS_WITH(make_spec(o, false, ""), Catch::Contains("cannot run armhf programs"));
}

TEST_CASE("no command means an interactive login shell, and bad options are input errors") {
  TempDir lower;
  auto o = options_for(lower.path());
  Spec spec = make_spec(o, true, "xterm");
  CHECK(spec.argv == std::vector<std::string>{"/bin/bash", "-l"});
  CHECK(spec.interactive);
  CHECK(std::find(spec.env.begin(), spec.env.end(), "TERM=xterm") != spec.env.end());
  o.hostname = "";
  CHECK_THROWS_AS(make_spec(o, false, ""), Error);
  o.hostname = "ok";
  o.rlimits.push_back({"bogus", 1, 1});
  CHECK_THROWS_WITH(make_spec(o, false, ""), Catch::Contains("bogus"));
}

TEST_CASE("root's chroot capabilities never include admin, mknod, raw sockets or modules") {
  auto caps = root_capabilities();
  for (int dangerous : {21 /* SYS_ADMIN */, 27 /* MKNOD */, 13 /* NET_RAW */, 16 /* SYS_MODULE */,
                        12 /* NET_ADMIN */, 19 /* SYS_PTRACE */, 25 /* SYS_TIME */})
    CHECK(std::find(caps.begin(), caps.end(), dangerous) == caps.end());
}
