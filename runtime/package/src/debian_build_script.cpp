#include "debian_build_script.h"

#include <fmt/format.h>

#include "cleanroom/pipeline/sandbox_step.h"

namespace cleanroom::build {

namespace {

// A copied tree may have its quilt patches unapplied; dpkg-buildpackage would
// apply them before anything else, so the script does (formats 2.0 and 3.0
// (quilt) are the only ones whose --before-build does anything).
std::string apply_patches_of_tree(const std::string& run_as) {
  return "if grep -qsE '^(3\\.0 \\(quilt\\)|2\\.0)$' debian/source/format; then " + run_as +
         "dpkg-source --before-build .; fi\n";
}

std::string add_build_user(const BuildScriptInput& in) {
  return fmt::format("getent group {1} >/dev/null || groupadd -g {1} {0}\n"
                     "getent passwd {1} >/dev/null || useradd -u {1} -g {1} -M -d "
                     "{2} -s /bin/sh {0}\n"
                     "chown -R {1}:{1} {3}\n",
                     kBuildUser, in.build_id, kBuildHome, shell_quote(in.build_path_parent));
}

}  // namespace

// clean, then build on its own only when binary needs root (as
// dpkg-buildpackage does), then binary. Run through `dpkg-buildpackage -T`, the
// environment is dpkg-buildpackage's, but the steps whose output cleanroom
// replaces or does not need are left out: dpkg-genbuildinfo and dpkg-genchanges
// (cleanroom writes both from the normalized files) and `dpkg-source
// --before-build`/`--after-build` (a no-op after `dpkg-source -x`). That is
// about a quarter of a small package's build.
std::string rules_targets(BuildSelection s, const std::string& rules_requires_root) {
  std::string suffix = s == BuildSelection::ArchAll   ? "-indep"
                       : s == BuildSelection::ArchAny ? "-arch"
                                                      : "";
  std::string targets = "clean";
  if (rules_requires_root != "no") targets += ",build" + suffix;
  return targets + ",binary" + suffix;
}

std::string build_script(const BuildScriptInput& in) {
  std::string run_as;
  std::string s;
  if (in.has_build_user) {
    s += add_build_user(in);
    run_as = fmt::format("setpriv --reuid={0} --regid={0} --clear-groups -- ", in.build_id);
  }
  s += in.preamble;
  s += "cd " + shell_quote(in.build_path) + "\n";
  s += fmt::format("umask {:03o}\n", in.umask);
  if (in.tree_source) s += apply_patches_of_tree(run_as);
  std::string root_cmd = in.rules_requires_root == "no" ? "" : " -rfakeroot";
  std::string args = fmt::format("-us -uc -ui -T {} -j{}{}",
                                 rules_targets(in.selection, in.rules_requires_root), in.jobs,
                                 root_cmd);
  s += fmt::format("echo '+ dpkg-buildpackage {}'\n", args);
  s += fmt::format("{}{}dpkg-buildpackage {}\n", run_as, in.prefix.empty() ? "" : in.prefix + " ",
                   args);
  return s;
}

}  // namespace cleanroom::build
