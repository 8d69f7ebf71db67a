#include <catch2/catch.hpp>

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

TEST_CASE("layers of removed snapshots are collected") {
  TempDir dir;
  Store store(dir.path() + "/store");
  LayerCache cache(store);
  WorkDir work(store);
  LayerInfo info{sha256_hex("k2"), sha256_hex("gone snapshot"), "x", {}, 0, ""};
  cache.publish(info, make_upper(work, "x"));
  auto removed = cache.collect_garbage();
  CHECK(removed == std::vector<std::string>{info.key});
  CHECK_FALSE(cache.find(info.key).has_value());
}
