#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/base/user_namespace.h"
#include "host_skip.h"

using namespace cleanroom;

TEST_CASE("the subordinate map gives the user 0 and the range the ids after it") {
  CHECK(subordinate_map_text(1000, 100000, 65536) == "0 1000 1 1 100000 65535");
}

TEST_CASE("id 0 is host root only where the map says 0 stands for 0") {
  TempDir dir("userns-");
  auto zero_is_root = [&](const std::string& map) {
    write_file_atomic(dir.path() + "/map", map);
    return zero_is_host_root((dir.path() + "/map").c_str());
  };
  CHECK(zero_is_root("         0          0 4294967295\n"));
  CHECK_FALSE(zero_is_root("         0       1000          1\n         1     100000      65535\n"));
  CHECK_FALSE(zero_is_root("      1000       1000          1\n"));
  CHECK_FALSE(zero_is_root(""));
}

TEST_CASE("a CLEANROOM_HOST_IDS set by hand does not make root a user") {
  if (::getuid() != 0) {
    test::host_skip("needs root: checks that root stays root");
    return;
  }
  ::setenv("CLEANROOM_HOST_IDS", "1000:1000", 1);
  HostUser me = host_user();
  bool entered = in_user_namespace();
  ::unsetenv("CLEANROOM_HOST_IDS");
  CHECK(me.root());
  CHECK_FALSE(entered);
}
