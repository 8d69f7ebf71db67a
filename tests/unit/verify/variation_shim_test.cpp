// The fileordering variation's readdir shim, compiled from the preamble the
// variation emits and run on this machine: ls -U must list a directory in
// exactly the reverse of its order without the shim.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/verify/variation.h"
#include "preamble_heredoc.h"
#include "host_skip.h"

using namespace cleanroom;
using namespace cleanroom::build;

namespace {

std::string shim_source() { return preamble_heredoc(VariationSet::only(Variation::FileOrdering)); }

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> list_unsorted(const std::string& dir, const std::string& preload) {
  ProcessSpec spec;
  spec.argv = {"ls", "-U", dir};
  if (!preload.empty()) spec.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "LD_PRELOAD=" + preload};
  ProcessResult r = run_process(spec, true);
  REQUIRE(r.status == 0);
  return lines(r.output);
}

}  // namespace

TEST_CASE("the readdir shim reverses the order programs see") {
  if (find_program("gcc").empty()) {
    cleanroom::test::host_skip("gcc is not installed: the shim cannot be compiled here");
    return;
  }
  TempDir tmp("cleanroom-shim-test-");
  write_file_atomic(tmp.path() + "/readdir.c", shim_source());
  std::string so = tmp.path() + "/readdir-reverse.so";
  ProcessSpec cc;
  cc.argv = {"gcc", "-O0", "-shared", "-fPIC", "-o", so, tmp.path() + "/readdir.c", "-ldl"};
  REQUIRE(run_process(cc).status == 0);

  std::string dir = tmp.path() + "/d";
  make_dirs(dir);
  for (const char* name : {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"})
    write_file_atomic(dir + "/" + name, name);

  auto plain = list_unsorted(dir, "");
  auto shimmed = list_unsorted(dir, so);
  REQUIRE(plain.size() == 7);
  std::reverse(plain.begin(), plain.end());
  CHECK(shimmed == plain);
  // A second listing of the same directory (a new DIR*) is reversed the same way.
  CHECK(list_unsorted(dir, so) == shimmed);
}
