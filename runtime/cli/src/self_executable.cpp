#include <unistd.h>

#include "command.h"

namespace cleanroom::cli {

std::string self_executable() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "cleanroom";
}

}  // namespace cleanroom::cli
