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

std::string sdist_unpack_script(const SdistBuild& b) {
  std::string unpack = b.build_path + ".unpack";
  std::string s;
  s += fmt::format("rm -rf {0} {1}\nmkdir -p {1}\n", shell_quote(b.build_path),
                   shell_quote(unpack));
  if (b.sdist.size() > 4 && b.sdist.compare(b.sdist.size() - 4, 4, ".zip") == 0) {
    // extractall drops absolute paths and '..' from the untrusted names.
    s += fmt::format(
        "{} - {} {} <<'CLEANROOM_EOF'\n"
        "import sys, zipfile\n"
        "zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])\n"
        "CLEANROOM_EOF\n",
        shell_quote(b.python), shell_quote(b.sdist), shell_quote(unpack));
  } else {
    s += fmt::format("tar -xf {} -C {} --no-same-owner\n", shell_quote(b.sdist),
                     shell_quote(unpack));
  }
  // An sdist usually holds one top directory, whatever its spelling: that
  // directory becomes the build path, so the path is the same for every
  // layout. Repacked and generated tarballs hold their files at the root:
  // then the root is the tree, nothing is stripped.
  s += fmt::format(
      "{} - {} {} <<'CLEANROOM_EOF'\n"
      "import os, sys\n"
      "src, dst = sys.argv[1], sys.argv[2]\n"
      "names = os.listdir(src)\n"
      "top = os.path.join(src, names[0]) if len(names) == 1 else None\n"
      "if top and os.path.isdir(top) and not os.path.islink(top):\n"
      "    os.rename(top, dst)\n"
      "    os.rmdir(src)\n"
      "else:\n"
      "    os.rename(src, dst)\n"
      "CLEANROOM_EOF\n",
      shell_quote(b.python), shell_quote(unpack), shell_quote(b.build_path));
  return s;
}

std::string sdist_build_script(const SdistBuild& b) {
  std::string s;
  s += "umask 022\n";
  s += sdist_unpack_script(b);
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
  for (const auto& [name, value] : b.env) {
    std::string prefix = name + "=";
    auto it = std::find_if(env.begin(), env.end(),
                           [&](const std::string& e) { return e.starts_with(prefix); });
    if (it == env.end())
      env.push_back(prefix + value);
    else if (name == "CFLAGS" || name == "CXXFLAGS")
      *it += " " + value;  // after the path map, which must stay
    else
      *it = prefix + value;
  }
  std::sort(env.begin(), env.end());
  return env;
}

}  // namespace cleanroom::build
