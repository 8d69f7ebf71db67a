#include "cleanroom/package/wheel_cache.h"

#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "cleanroom/base/file_system.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/store/store.h"

using namespace cleanroom;
using namespace cleanroom::build;

namespace {
WheelBuildInputs inputs() {
  return {"sdist-sha", "snapshot-id", "layer-key", "amd64", "3.11.2",
          "pip wheel ...", {"SOURCE_DATE_EPOCH=1704067200", "CFLAGS=-O2"}};
}
}  // namespace

TEST_CASE("wheel cache: the key follows every input that decides a wheel's bytes") {
  std::string base = wheel_cache_key(inputs());
  CHECK(wheel_cache_key(inputs()) == base);
  auto changed = [&](auto edit) {
    WheelBuildInputs in = inputs();
    edit(in);
    return wheel_cache_key(in);
  };
  CHECK(changed([](auto& in) { in.sdist_sha256 = "other"; }) != base);
  CHECK(changed([](auto& in) { in.snapshot_id = "other"; }) != base);
  CHECK(changed([](auto& in) { in.layer_key = "other"; }) != base);
  CHECK(changed([](auto& in) { in.arch = "i386"; }) != base);
  CHECK(changed([](auto& in) { in.python_version = "3.11.9"; }) != base);
  CHECK(changed([](auto& in) { in.script = "pip wheel --other"; }) != base);
  CHECK(changed([](auto& in) { in.env.back() = "CFLAGS=-O3"; }) != base);
  // Parts are length-prefixed: moving text between two parts changes the key.
  CHECK(changed([](auto& in) { in.env = {"SOURCE_DATE_EPOCH=1704067200CFLAGS=-O2"}; }) != base);
}

TEST_CASE("wheel cache: an entry is found whole, marked used, and pruned by age") {
  TempDir dir("wheel-cache-");
  store::Store store(dir.path() + "/store");
  CHECK_FALSE(find_cached_wheel(store, "k1"));
  store_cached_wheel(store, "k1", {"a-1.0-py3-none-any.whl", "wheel bytes"});
  store_cached_wheel(store, "k1", {"a-1.0-py3-none-any.whl", "wheel bytes"});  // a second writer
  auto hit = find_cached_wheel(store, "k1");
  REQUIRE(hit);
  CHECK(hit->name == "a-1.0-py3-none-any.whl");
  CHECK(hit->bytes == "wheel bytes");

  struct stat st {};
  REQUIRE(::stat((store.path() + "/wheels/k1").c_str(), &st) == 0);
  std::int64_t used = st.st_mtime;
  CHECK(prune_cached_wheels(store, 3600, used + 60, false).removed.empty());
  WheelPruneResult dry = prune_cached_wheels(store, 3600, used + 7200, true);
  CHECK(dry.removed == std::vector<std::string>{"k1"});
  CHECK(dry.freed_bytes == 11);
  CHECK(find_cached_wheel(store, "k1"));
  CHECK(prune_cached_wheels(store, 3600, used + 7200, false).removed.size() == 1);
  CHECK_FALSE(find_cached_wheel(store, "k1"));
}
