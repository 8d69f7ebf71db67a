#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/sandbox/mount_plan.h"

using namespace cleanroom;
using namespace cleanroom::sandbox;

namespace {
const MountEntry* find(const std::vector<MountEntry>& plan, const std::string& target) {
  auto it = std::find_if(plan.begin(), plan.end(), [&](const MountEntry& m) { return m.target == target; });
  return it == plan.end() ? nullptr : &*it;
}
std::size_t index_of(const std::vector<MountEntry>& plan, const std::string& target) {
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (plan[i].target == target) return i;
  return plan.size();
}
}  // namespace

TEST_CASE("the plan starts with the overlay root and has proc, a minimal /dev and /tmp") {
  TempDir lower;
  MountRequest req;
  req.lower_dirs = {lower.path()};
  auto plan = plan_mounts(req);
  REQUIRE(!plan.empty());
  CHECK(plan[0].kind == MountKind::Overlay);
  CHECK(plan[0].target == "/");
  CHECK(plan[0].source == lower.path());
  CHECK(plan[0].upper.empty());
  REQUIRE(find(plan, "/proc"));
  CHECK(find(plan, "/proc")->kind == MountKind::Proc);
  CHECK(find(plan, "/dev")->kind == MountKind::Tmpfs);
  for (const char* node : {"null", "zero", "full", "random", "urandom", "tty"}) {
    auto* m = find(plan, std::string("/dev/") + node);
    REQUIRE(m);
    CHECK(m->kind == MountKind::Bind);
    CHECK(m->source == std::string("/dev/") + node);
    CHECK(index_of(plan, "/dev") < index_of(plan, m->target));
  }
  CHECK(find(plan, "/dev/pts")->data.find("newinstance") != std::string::npos);
  CHECK(find(plan, "/dev/ptmx")->kind == MountKind::Symlink);
  CHECK(find(plan, "/dev/ptmx")->source == "pts/ptmx");
  // Both share the scratch tmpfs and its one size budget with the upper.
  CHECK(find(plan, "/dev/shm")->kind == MountKind::Scratch);
  CHECK(find(plan, "/dev/shm")->no_exec);
  CHECK(find(plan, "/tmp")->kind == MountKind::Scratch);
  CHECK(find(plan, "/tmp")->data == "1777");
  CHECK_FALSE(find(plan, "/etc/resolv.conf"));
  // Nothing from the host but the device nodes and /proc masks without binds
  // asked for.
  CHECK(std::count_if(plan.begin(), plan.end(), [](const MountEntry& m) {
          return m.kind == MountKind::Bind && m.target.rfind("/proc/", 0) != 0;
        }) == 6);
}

TEST_CASE("what /proc tells about the host is masked with a read-only /dev/null") {
  TempDir lower;
  MountRequest req;
  req.lower_dirs = {lower.path()};
  auto plan = plan_mounts(req);
  for (const char* hidden : {"/proc/cmdline", "/proc/partitions", "/proc/sys/kernel/random/boot_id"}) {
    auto* m = find(plan, hidden);
    REQUIRE(m);
    CHECK(m->kind == MountKind::Bind);
    CHECK(m->source == "/dev/null");
    CHECK(m->read_only);
    CHECK(index_of(plan, "/proc") < index_of(plan, hidden));
  }
}

TEST_CASE("binds come last, resolved on the host, read-only when asked") {
  TempDir lower, src;
  make_dirs(src.path() + "/real");
  REQUIRE(::symlink((src.path() + "/real").c_str(), (src.path() + "/link").c_str()) == 0);
  MountRequest req;
  req.lower_dirs = {lower.path()};
  req.binds = {parse_bind(src.path() + "/link:/srv/data:ro"), parse_bind(src.path() + ":/build")};
  req.workdir = "/build/pkg";
  req.network = true;
  auto plan = plan_mounts(req);
  auto* data = find(plan, "/srv/data");
  REQUIRE(data);
  CHECK(data->source == src.path() + "/real");
  CHECK(data->read_only);
  CHECK_FALSE(find(plan, "/build")->read_only);
  CHECK(index_of(plan, "/tmp") < index_of(plan, "/srv/data"));
  CHECK(find(plan, "/build/pkg")->kind == MountKind::Dir);
  CHECK(index_of(plan, "/build") < index_of(plan, "/build/pkg"));
  auto* resolv = find(plan, "/etc/resolv.conf");
  REQUIRE(resolv);
  CHECK(resolv->read_only);
  CHECK(find(plan, "/build")->owner.empty());  // the source's owner
}

TEST_CASE("a bind owner travels to the helper as UID:GID") {
  TempDir lower, src;
  MountRequest req;
  req.lower_dirs = {lower.path()};
  BindRequest bind = parse_bind(src.path() + ":/out");
  bind.owner = FileOwner{1234, 5678};
  req.binds = {bind};
  CHECK(find(plan_mounts(req), "/out")->owner == "1234:5678");
}

TEST_CASE("a kept upper needs both upper and work directories") {
  TempDir lower, up, work;
  MountRequest req;
  req.lower_dirs = {lower.path()};
  req.upper_dir = up.path();
  CHECK_THROWS_WITH(plan_mounts(req), Catch::Contains("work directory"));
  req.work_dir = work.path();
  auto plan = plan_mounts(req);
  CHECK(plan[0].upper == up.path());
  CHECK(plan[0].work == work.path());
}

TEST_CASE("bad mount requests are input errors") {
  TempDir lower;
  MountRequest req;
  CHECK_THROWS_WITH(plan_mounts(req), Catch::Contains("no lower directory"));
  req.lower_dirs = {lower.path() + "/missing"};
  CHECK_THROWS_WITH(plan_mounts(req), Catch::Contains("lower directory"));
  make_dirs(lower.path() + "/a,upperdir=x");
  req.lower_dirs = {lower.path() + "/a,upperdir=x"};
  CHECK_THROWS_WITH(plan_mounts(req), Catch::Contains("overlayfs cannot take"));
  req.lower_dirs = {lower.path()};
  req.binds = {{"/", "relative", false}};
  CHECK_THROWS_WITH(plan_mounts(req), Catch::Contains("not an absolute path"));
  req.binds = {{"/", "/a/../etc", false}};
  CHECK_THROWS_WITH(plan_mounts(req), Catch::Contains("'..'"));
  req.binds = {{lower.path() + "/nope", "/x", false}};
  try {
    plan_mounts(req);
    FAIL("missing bind source accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK(std::string(e.what()).find("ENOENT") != std::string::npos);
  }
}

TEST_CASE("bind option syntax is SRC:DST with an optional :ro or :rw") {
  auto b = parse_bind("/a:/b");
  CHECK(b.source == "/a");
  CHECK(b.target == "/b");
  CHECK_FALSE(b.read_only);
  CHECK(parse_bind("/a:/b:ro").read_only);
  CHECK_FALSE(parse_bind("/a:/b:rw").read_only);
  CHECK_THROWS_AS(parse_bind("/a"), Error);
  CHECK_THROWS_AS(parse_bind(":/b"), Error);
  CHECK_THROWS_AS(parse_bind("/a:"), Error);
  CHECK_THROWS_AS(parse_bind("/a:/b:/c"), Error);
}

TEST_CASE("describe_mounts prints one line per entry") {
  TempDir lower;
  MountRequest req;
  req.lower_dirs = {lower.path()};
  auto plan = plan_mounts(req);
  auto text = describe_mounts(plan);
  CHECK(std::count(text.begin(), text.end(), '\n') == static_cast<long>(plan.size()));
  CHECK(text.rfind("overlay / lower=" + lower.path() + " upper=tmpfs\n", 0) == 0);
}
