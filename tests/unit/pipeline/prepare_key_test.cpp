#include <catch2/catch.hpp>

#include "cleanroom/pipeline/prepare_layer.h"

using namespace cleanroom::build;

TEST_CASE("a layer's key covers the exact versions asked for, and only when asked") {
  cleanroom::store::SnapshotInfo snapshot;
  snapshot.id = std::string(64, 'a');
  PrepareRequest plain;
  plain.dependencies = "build-essential, debhelper-compat (= 13)";
  // The key every layer made before exact versions existed: unchanged, so no
  // cached layer is rebuilt for nothing.
  CHECK(prepare_key(snapshot, plain) ==
        "3969c8039cd6d4de4503d797a98e83af71650cdfa6a7750448a0dca99029370a");
  PrepareRequest pinned = plain;
  pinned.exact_versions = {{"make", "4.3-4.1"}};
  PrepareRequest other = plain;
  other.exact_versions = {{"make", "4.2.1-1.2"}};
  CHECK(prepare_key(snapshot, pinned) != prepare_key(snapshot, plain));
  CHECK(prepare_key(snapshot, pinned) != prepare_key(snapshot, other));
}
