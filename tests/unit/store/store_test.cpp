#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/store/id_map.h"
#include "cleanroom/store/meta.h"
#include "cleanroom/store/store.h"
#include "cleanroom/store/work_dir.h"
#include "fake_snapshot.h"

using namespace cleanroom;
using namespace cleanroom::store;
using cleanroom::test::fake_snapshot;

namespace {

const std::string kId1 = "1a2b3c4d5e6f" + std::string(52, '1');
const std::string kId2 = "1a2b3c4d9999" + std::string(52, '2');

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("opening a store creates its layout and records the id map once") {
  TempDir dir("store-");
  std::string path = dir.path() + "/s";
  Store store(path + "/");
  CHECK(store.path() == path);
  for (const char* sub : {"/snapshots", "/names", "/tmp", "/store.json"})
    CHECK(path_exists(path + sub));
  IdMap expected = select_id_map(current_host_identity());
  CHECK(store.id_map().host_uid_base == expected.host_uid_base);
  CHECK(store.id_map().count == expected.count);
  CHECK(read_file(path + "/store.json").find("\"format_version\": 1") != std::string::npos);
  // The recorded map is what a later open uses, whatever the host says then.
  write_file_atomic(path + "/store.json",
                    R"({"format_version":1,"id_map":{"host_uid_base":5,"host_gid_base":6,"count":1}})");
  CHECK(Store(path).id_map().host_gid_base == 6);
}

TEST_CASE("a user's subordinate store is refused to anyone else, with what to do") {
  TempDir dir("store-");
  write_file_atomic(dir.path() + "/store.json",
                    R"({"format_version":1,"id_map":{"host_uid_base":4000,"host_gid_base":4000,)"
                    R"("count":65536,"sub_uid_base":100000,"sub_gid_base":100000}})");
  CHECK_THROWS_WITH(Store(dir.path()), Catch::Contains("belongs to user 4000:4000") &&
                                           Catch::Contains("--store DIR"));
}

TEST_CASE("a store.json with half a subordinate map is refused") {
  TempDir dir("store-");
  write_file_atomic(dir.path() + "/store.json",
                    R"({"format_version":1,"id_map":{"host_uid_base":4000,"host_gid_base":4000,)"
                    R"("count":65536,"sub_uid_base":100000}})");
  CHECK_THROWS_WITH(Store(dir.path()), Catch::Contains("go together"));
}

TEST_CASE("a store.json from a newer cleanroom is refused") {
  TempDir dir("store-");
  write_file_atomic(dir.path() + "/store.json", R"({"format_version":99,"id_map":{}})");
  CHECK_THROWS_WITH(Store(dir.path()), Catch::Contains("newer"));
}

TEST_CASE("resolve: by name, id and prefix; unknown names list what exists") {
  TempDir dir("store-");
  Store store(dir.path());
  fake_snapshot(store, kId1, "bookworm");
  fake_snapshot(store, kId2, "trixie");
  store.write_alias("bookworm", kId1);
  store.write_alias("trixie", kId2);
  store.write_alias("stable", kId1);

  SnapshotInfo info = store.resolve("bookworm");
  CHECK(info.id == kId1);
  CHECK(info.suite == "bookworm");
  CHECK(info.names == std::vector<std::string>{"bookworm", "stable"});
  CHECK(info.root_dir == store.snapshot_dir(kId1) + "/root");
  CHECK(info.size == 42);
  CHECK(store.resolve(kId2).suite == "trixie");
  CHECK(store.resolve("1a2b3c4d9").id == kId2);
  CHECK_THROWS_WITH(store.resolve("1a2b3c4d"), Catch::Contains("matches 2 snapshots"));

  std::string e = error_of([&] { store.resolve("sid"); });
  CHECK(e.find("no snapshot 'sid' in store '" + dir.path() + "'") != std::string::npos);
  CHECK(e.find("bookworm (1a2b3c4d5e6f)") != std::string::npos);
  CHECK(e.find("trixie (1a2b3c4d9999)") != std::string::npos);
  CHECK(e.find("cleanroom snapshot create SUITE") != std::string::npos);
  CHECK(e.find("did you mean") == std::string::npos);
  CHECK_THROWS_WITH(store.resolve("bookwrom"), Catch::Contains("no snapshot 'bookwrom'") &&
                                                   Catch::Contains("did you mean 'bookworm'?") &&
                                                   Catch::Contains("trixie (1a2b3c4d9999)"));
}

TEST_CASE("resolve in an empty store says there is none") {
  TempDir dir("store-");
  Store store(dir.path());
  CHECK_THROWS_WITH(store.resolve("bookworm"), Catch::Contains("available: none"));
}

TEST_CASE("list gives each snapshot once with all its names") {
  TempDir dir("store-");
  Store store(dir.path());
  fake_snapshot(store, kId1, "bookworm");
  fake_snapshot(store, kId2, "trixie");
  store.write_alias("z-last", kId1);
  store.write_alias("a-first", kId2);
  auto all = store.list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == kId2);
  CHECK(all[1].names == std::vector<std::string>{"z-last"});
}

TEST_CASE("rm: a name goes; the snapshot goes with its last name") {
  TempDir dir("store-");
  Store store(dir.path());
  fake_snapshot(store, kId1, "bookworm");
  store.write_alias("bookworm", kId1);
  store.write_alias("stable", kId1);

  RemoveResult r = store.remove("stable", false);
  CHECK(r.removed_names == std::vector<std::string>{"stable"});
  CHECK(r.removed_id.empty());
  CHECK(path_exists(store.snapshot_dir(kId1)));

  r = store.remove("bookworm", false);
  CHECK(r.removed_id == kId1);
  CHECK_FALSE(path_exists(store.snapshot_dir(kId1)));
  CHECK(store.list().empty());
}

TEST_CASE("rm by id refuses while names remain, unless forced") {
  TempDir dir("store-");
  Store store(dir.path());
  fake_snapshot(store, kId1, "bookworm");
  store.write_alias("bookworm", kId1);
  store.write_alias("stable", kId1);
  CHECK_THROWS_WITH(store.remove(kId1.substr(0, 12), false),
                    Catch::Contains("still has names (bookworm, stable)"));
  CHECK(store.list().size() == 1);
  RemoveResult r = store.remove(kId1.substr(0, 12), true);
  CHECK(r.removed_id == kId1);
  CHECK(r.removed_names.size() == 2);
  CHECK_FALSE(store.read_alias("stable"));
}

namespace {
std::vector<std::string> ids_of(const std::vector<SnapshotInfo>& snapshots) {
  std::vector<std::string> ids;
  for (const auto& s : snapshots) ids.push_back(s.id);
  return ids;
}
}  // namespace

TEST_CASE("gc finds unnamed snapshots, due once past the grace period or all with --yes") {
  TempDir dir("store-");
  Store store(dir.path());
  const std::string kId3 = "1a2b3c4d7777" + std::string(52, '3');
  const std::int64_t now = 1700100000, day = 24 * 3600;
  fake_snapshot(store, kId1, "bookworm", "amd64", now - 2 * day);
  fake_snapshot(store, kId2, "trixie", "amd64", now - 2 * day);
  fake_snapshot(store, kId3, "trixie", "amd64", now - 60);
  store.write_alias("bookworm", kId1);

  Garbage g = store.find_garbage(day, false, now);
  CHECK(ids_of(g.due) == std::vector<std::string>{kId2});
  CHECK(ids_of(g.young) == std::vector<std::string>{kId3});
  g = store.find_garbage(day, true, now);
  CHECK(ids_of(g.due) == std::vector<std::string>{kId3, kId2});  // by id
  CHECK(g.young.empty());
  CHECK(store.find_garbage(0, false, now).young.empty());
}

TEST_CASE("gc removes only what is still unnamed when it runs") {
  TempDir dir("store-");
  Store store(dir.path());
  fake_snapshot(store, kId1, "bookworm");
  fake_snapshot(store, kId2, "trixie");
  store.write_alias("bookworm", kId1);
  // Named between finding and removing: it stays.
  CHECK(store.collect_garbage({kId1, kId2}) == std::vector<std::string>{kId2});
  CHECK(store.list().size() == 1);
  CHECK(store.collect_garbage({kId2}).empty());
}

TEST_CASE("stale work dirs of dead processes go at the next open; live ones stay") {
  TempDir dir("store-");
  std::string live_path;
  {
    Store store(dir.path());
    WorkDir live(store);
    live_path = live.path();
    make_dirs(dir.path() + "/tmp/99999-dead/sub");  // no lock holder: a killed process
    write_file_atomic(dir.path() + "/names/.bookworm.tmp-abc", "half");
    Store reopened(dir.path());
    CHECK(path_exists(live_path));
    CHECK_FALSE(path_exists(dir.path() + "/tmp/99999-dead"));
    CHECK_FALSE(path_exists(dir.path() + "/names/.bookworm.tmp-abc"));
  }
  CHECK_FALSE(path_exists(live_path));  // a dropped WorkDir removes itself
}

TEST_CASE("alias names are validated before anything is written") {
  TempDir dir("store-");
  Store store(dir.path());
  CHECK_THROWS_AS(store.write_alias("../escape", kId1), Error);
  CHECK_FALSE(path_exists(dir.path() + "/escape"));
}
