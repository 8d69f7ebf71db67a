#include <catch2/catch.hpp>
#include <ctime>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/store/layers.h"
#include "cleanroom/store/store.h"
#include "cleanroom/store/work_dir.h"

using namespace cleanroom;
using namespace cleanroom::store;

namespace {
std::string make_upper(const WorkDir& work, const std::string& content) {
  std::string upper = work.path() + "/upper";
  make_dirs(upper + "/usr/bin");
  write_file_atomic(upper + "/usr/bin/tool", content);
  return upper;
}

// A fresh store with its layer cache, and a work dir to stage uppers in.
struct FreshCache {
  TempDir dir;
  Store store{dir.path() + "/store"};
  LayerCache cache{store};
  WorkDir work{store};
};
}  // namespace

TEST_CASE("a published layer is found by its key with its packages") {
  TempDir dir;
  Store store(dir.path() + "/store");
  LayerCache cache(store);
  std::string key = sha256_hex("inputs");
  CHECK_FALSE(cache.find(key).has_value());

  WorkDir work(store);
  LayerInfo info{key, sha256_hex("snapshot"), "debhelper-compat (= 13)",
                 {"debhelper (= 13.11.4)"}, 0, ""};
  LayerInfo stored = cache.publish(info, make_upper(work, "first"));
  auto found = cache.find(key);
  REQUIRE(found.has_value());
  CHECK(found->packages == std::vector<std::string>{"debhelper (= 13.11.4)"});
  CHECK(found->upper_dir == stored.upper_dir);
  CHECK(read_file(found->upper_dir + "/usr/bin/tool") == "first");
}

TEST_CASE("publishing a key twice keeps the first layer") {
  TempDir dir;
  Store store(dir.path() + "/store");
  LayerCache cache(store);
  std::string key = sha256_hex("same inputs");
  LayerInfo info{key, sha256_hex("snapshot"), "x", {}, 0, ""};
  {
    WorkDir work(store);
    cache.publish(info, make_upper(work, "first"));
  }
  WorkDir work(store);
  LayerInfo second = cache.publish(info, make_upper(work, "second"));
  CHECK(read_file(second.upper_dir + "/usr/bin/tool") == "first");
}

TEST_CASE("layer descriptions reject newer formats and garbage") {
  CHECK_THROWS_AS(decode_layer("{\"format_version\": 99}", "layer.json"), Error);
  CHECK_THROWS_AS(decode_layer("not json", "layer.json"), Error);
  LayerInfo info{sha256_hex("k"), sha256_hex("s"), "req", {"a (= 1)"}, 42, ""};
  LayerInfo back = decode_layer(encode_layer(info), "layer.json");
  CHECK(back.key == info.key);
  CHECK(back.packages == info.packages);
  CHECK(back.created == 42);
}

TEST_CASE("prune removes layers of removed snapshots, and keeps those in use") {
  FreshCache f;
  LayerCache& cache = f.cache;
  WorkDir& work = f.work;
  LayerInfo orphan{sha256_hex("k2"), sha256_hex("gone snapshot"), "x", {}, 0, ""};
  cache.publish(orphan, make_upper(work, "x")).in_use.reset();
  PruneResult dry = cache.prune({}, 0, true);
  CHECK(dry.removed == std::vector<std::string>{orphan.key});
  CHECK(cache.find(orphan.key).has_value());

  auto held = cache.use(orphan.key);
  REQUIRE(held.has_value());
  PruneResult busy = cache.prune({}, 0, false);
  CHECK(busy.removed.empty());
  CHECK(busy.in_use == std::vector<std::string>{orphan.key});
  held.reset();

  PruneResult done = cache.prune({}, 0, false);
  CHECK(done.removed == std::vector<std::string>{orphan.key});
  CHECK(done.freed_bytes > 0);
  CHECK_FALSE(cache.find(orphan.key).has_value());
}

TEST_CASE("use marks a layer used now; disk usage counts its upper") {
  FreshCache f;
  LayerCache& cache = f.cache;
  WorkDir& work = f.work;
  LayerInfo info{sha256_hex("k3"), sha256_hex("s"), "x", {}, 1000, ""};
  cache.publish(info, make_upper(work, std::string(10000, 'a'))).in_use.reset();
  auto used = cache.use(info.key);
  REQUIRE(used.has_value());
  CHECK(used->last_used >= static_cast<std::int64_t>(::time(nullptr)) - 5);
  CHECK(cache.disk_usage(*used) >= 10000);
}

TEST_CASE("prune chooses orphans and stale layers, then the least recently used past the size") {
  std::vector<LayerUse> layers = {
      {"orphan", false, 900, 10}, {"old", true, 100, 10}, {"mid", true, 500, 30},
      {"new", true, 800, 40}};
  CHECK(choose_layers_to_prune(layers, {}, 1000) == std::vector<std::string>{"orphan"});
  CHECK(choose_layers_to_prune(layers, {600, 0}, 1000) ==
        std::vector<std::string>{"old", "orphan"});
  // 80 bytes kept without the orphan: down to 50 takes old (10) and mid (30).
  CHECK(choose_layers_to_prune(layers, {0, 50}, 1000) ==
        std::vector<std::string>{"orphan", "old", "mid"});
  CHECK(choose_layers_to_prune(layers, {0, 80}, 1000) == std::vector<std::string>{"orphan"});
}
