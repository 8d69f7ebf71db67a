#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/store/store_path.h"

using namespace cleanroom;
using namespace cleanroom::store;

TEST_CASE("store path: --store wins over everything") {
  CHECK(select_store_path({"/x", "/env", 0, "/xdg", "/home/u"}) == "/x");
}

TEST_CASE("store path: CLEANROOM_STORE before the per-user defaults") {
  CHECK(select_store_path({"", "/env", 1000, "/xdg", "/home/u"}) == "/env");
  CHECK(select_store_path({"", "/env", 0, "", ""}) == "/env");
}

TEST_CASE("store path: root uses /var/lib/cleanroom") {
  CHECK(select_store_path({"", "", 0, "/xdg", "/root"}) == "/var/lib/cleanroom");
}

TEST_CASE("store path: a user uses XDG_DATA_HOME, else ~/.local/share") {
  CHECK(select_store_path({"", "", 1000, "/xdg", "/home/u"}) == "/xdg/cleanroom");
  CHECK(select_store_path({"", "", 1000, "", "/home/u"}) == "/home/u/.local/share/cleanroom");
  // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
  CHECK(select_store_path({"", "", 1000, "rel", "/home/u"}) == "/home/u/.local/share/cleanroom");
}

TEST_CASE("store path: a user without HOME gets an input error naming --store") {
  try {
    select_store_path({"", "", 1000, "", ""});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    CHECK(std::string(e.what()).find("--store") != std::string::npos);
  }
}
