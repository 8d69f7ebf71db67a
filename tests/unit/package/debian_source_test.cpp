#include <catch2/catch.hpp>

#include "debian_source.h"

TEST_CASE("a changelog distribution builds in its suite's snapshot, as sbuild reads it") {
  using cleanroom::build::snapshot_for_distribution;
  CHECK(snapshot_for_distribution("bookworm") == "bookworm");
  CHECK(snapshot_for_distribution("trixie") == "trixie");
  CHECK(snapshot_for_distribution("unstable") == "sid");
  CHECK(snapshot_for_distribution("experimental") == "sid");
  CHECK(snapshot_for_distribution("bookworm-security") == "bookworm");
  CHECK(snapshot_for_distribution("bookworm-backports") == "bookworm");
  CHECK(snapshot_for_distribution("bullseye-backports-sloppy") == "bullseye");
  CHECK(snapshot_for_distribution("trixie-proposed-updates") == "trixie");
  CHECK(snapshot_for_distribution("UNRELEASED") == "");
}
