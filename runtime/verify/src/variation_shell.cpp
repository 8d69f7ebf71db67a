#include "variation_shell.h"

#include <fmt/format.h>
#include <vector>

#include "cleanroom/base/join.h"
#include "shim_sources.h"

namespace cleanroom::build {

namespace {

constexpr const char* kDir = "/tmp/cleanroom-variation";

}  // namespace

// Both shims go into one library, compiled once without optimisation: the
// compiler's start-up is most of the cost, and it is on the varied build's
// critical path.
Wrapper make_wrapper(const WrapperRequest& r) {
  Wrapper w;
  std::vector<std::string> preload;
  std::string sources;
  if (r.reverse_readdir) sources += readdir_shim_source();
  if (r.fake_time) sources += clock_shift_shim_source();
  const std::string so = std::string(kDir) + "/shims.so", c = std::string(kDir) + "/shims.c";
  const std::string compile = "gcc -O0 -shared -fPIC -o " + so + " " + c + " -ldl";
  if (!sources.empty()) {
    w.preamble += std::string("mkdir -p ") + kDir + "\n";
    w.preamble += "cat > " + c + " <<'CLEANROOM_SHIM_EOF'\n" + sources + "CLEANROOM_SHIM_EOF\n";
  }
  if (r.reverse_readdir) {
    w.preamble += compile + "\nchmod -R a+rX " + kDir + "\n";
    preload.push_back(so);
  }
  if (r.fake_time) {
    // The multiarch directory is the build root's, not the host's.
    w.preamble += "cleanroom_faketime=$(echo /usr/lib/*/faketime/libfaketime.so.1)\n";
    w.preamble += "[ -f \"$cleanroom_faketime\" ] || { echo 'libfaketime is missing' >&2; exit 1; }\n";
    // File times follow the clock where the build root has a compiler; a
    // venv's has none, and keeps libfaketime's real file times.
    if (!r.reverse_readdir) {
      w.preamble += "cleanroom_clock_shift=\nif command -v gcc >/dev/null && " + compile +
                    "; then cleanroom_clock_shift=" + so + "; chmod -R a+rX " + kDir + "; fi\n";
      preload.push_back("$cleanroom_clock_shift");
    }
    w.preamble += fmt::format("export CLEANROOM_CLOCK_SHIFT={} CLEANROOM_CLOCK_START=$(date +%s)\n",
                              kClockShiftSeconds);
    preload.push_back("$cleanroom_faketime");
  }
  std::string prefix;
  if (!preload.empty()) {
    prefix += "env LD_PRELOAD=\"" + join(preload, " ") + "\"";
    // Monotonic clocks stay real: make and timeouts misbehave otherwise.
    // libfaketime leaves file times alone (NO_FAKE_STAT); the clock shim moves
    // those stamped from the build's start on.
    if (r.fake_time)
      prefix += fmt::format(" FAKETIME=+{}d FAKETIME_DONT_FAKE_MONOTONIC=1 NO_FAKE_STAT=1",
                            kClockShiftSeconds / 86400);
  }
  if (r.uname26 || r.no_aslr) {
    prefix += std::string(prefix.empty() ? "" : " ") + "setarch \"$(uname -m)\"";
    if (r.uname26) prefix += " --uname-2.6";
    if (r.no_aslr) prefix += " -R";
  }
  if (r.one_cpu) prefix += std::string(prefix.empty() ? "" : " ") + "taskset -c 0";
  w.prefix = prefix;
  return w;
}

}  // namespace cleanroom::build
