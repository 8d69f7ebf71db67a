#include "wheelhouse_script.h"

#include <algorithm>
#include <fmt/format.h>

#include "cleanroom/base/join.h"
#include "cleanroom/python/pip_invocation.h"
#include "cleanroom/pipeline/sandbox_step.h"

namespace cleanroom::build {

std::string sdist_build_path(const std::string& key, const std::string& version) {
  return fmt::format("/build/{}-{}", key, version);
}

std::string sdist_build_script(const SdistBuild& b) {
  std::string s;
  s += "umask 022\n";
  s += fmt::format("rm -rf {0}\nmkdir -p {0}\n", shell_quote(b.build_path));
  // An sdist holds one top directory, whatever its spelling: strip it so the
  // build path is the same for every sdist layout.
  if (b.sdist.size() > 4 && b.sdist.compare(b.sdist.size() - 4, 4, ".zip") == 0) {
    s += fmt::format(
        "{} - {} {} <<'CLEANROOM_EOF'\n"
        "import sys, zipfile\n"
        "z = zipfile.ZipFile(sys.argv[1])\n"
        "for info in z.infolist():\n"
        "    parts = info.filename.split('/', 1)\n"
        "    if len(parts) < 2 or not parts[1]:\n"
        "        continue\n"
        "    info.filename = parts[1]\n"
        "    z.extract(info, sys.argv[2])\n"
        "CLEANROOM_EOF\n",
        shell_quote(b.python), shell_quote(b.sdist), shell_quote(b.build_path));
  } else {
    s += fmt::format("tar -xf {} -C {} --strip-components=1 --no-same-owner\n",
                     shell_quote(b.sdist), shell_quote(b.build_path));
  }
  s += "cd " + shell_quote(b.build_path) + "\n";
  auto argv = python::pip_wheel_argv(b.python, ".", b.out_dir, b.out_dir, false);
  std::string cmd = join(argv, " ", shell_quote);
  s += fmt::format("echo {}\n", shell_quote("+ " + cmd));
  s += fmt::format("{} 2>&1 | tee -a {}\n", cmd, shell_quote(b.log));
  return s;
}

std::vector<std::string> sdist_build_environment(const SdistBuild& b) {
  auto env = python::wheel_build_environment(b.out_dir, b.source_date_epoch, b.build_path);
  // Read only by pbr and setuptools-scm, so harmless for every other sdist.
  env.push_back("PBR_VERSION=" + b.version);
  env.push_back("SETUPTOOLS_SCM_PRETEND_VERSION=" + b.version);
  env.push_back("HOME=/nonexistent/cleanroom-home");
  std::sort(env.begin(), env.end());
  return env;
}

}  // namespace cleanroom::build
