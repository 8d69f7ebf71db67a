// The shell side of the variations that wrap dpkg-buildpackage: libfaketime
// for the clock, a readdir-reversing LD_PRELOAD shim for file order (FUSE,
// which disorderfs needs, is refused by the sandbox's seccomp policy), setarch
// for the kernel version string and ASLR, taskset for the CPU count.
#pragma once

#include <string>

namespace cleanroom::build {

struct WrapperRequest {
  bool fake_time = false;
  bool reverse_readdir = false;
  bool uname26 = false;
  bool no_aslr = false;
  bool one_cpu = false;
};

struct Wrapper {
  std::string preamble;  // run as the sandbox's root before the build (compiles the shim)
  std::string prefix;    // words before dpkg-buildpackage, "" for none
};

Wrapper make_wrapper(const WrapperRequest& request);

}  // namespace cleanroom::build
