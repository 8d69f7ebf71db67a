// Host-side work on what a build made (reading its archives, normalizing its
// trees) stops at the command's deadline instead of running on past --timeout.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/repro/normalize.h"

using namespace cleanroom;

namespace {

// The deadline is process-wide: each case sets it in a child of its own, and
// passes when `work` throws the timeout.
bool times_out_in_child(const std::function<void()>& work) {
  pid_t pid = ::fork();
  if (pid == 0) {
    set_deadline_seconds(1);
    ::usleep(1'100'000);
    try {
      work();
    } catch (const Error& e) {
      ::_exit(std::string(e.what()).find("timed out") != std::string::npos ? 0 : 2);
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_CASE("reading an archive stops at the deadline") {
  TempDir tmp;
  make_dirs(tmp.path() + "/tree/a");
  write_file_atomic(tmp.path() + "/tree/a/file", "x");
  std::string tar = tmp.path() + "/t.tar";
  REQUIRE(std::system(("tar -C " + tmp.path() + "/tree -cf " + tar + " .").c_str()) == 0);
  int entries = 0;
  formats::read_tar(tar, [&](const formats::TarEntry&, const auto&) { ++entries; });
  CHECK(entries >= 2);  // without a deadline it reads
  CHECK(times_out_in_child([&] { formats::read_tar(tar, [](const formats::TarEntry&, const auto&) {}); }));
}

TEST_CASE("normalizing a tree stops at the deadline") {
  TempDir tmp;
  write_file_atomic(tmp.path() + "/file", "x");
  CHECK(times_out_in_child([&] { repro::normalize_tree(tmp.path(), {0, true}); }));
}
