#include "venv_script.h"

#include <fmt/format.h>

#include "cleanroom/base/join.h"
#include "cleanroom/python/pip_invocation.h"
#include "cleanroom/pipeline/sandbox_step.h"

namespace cleanroom::build {

std::string remove_compilers_script() {
  // Both the drivers (gcc, cc, x86_64-linux-gnu-gcc-12, ...) and the
  // compilers they run (cc1, cc1plus), so no spelling of a compiler works.
  return "rm -f /usr/bin/cc /usr/bin/c++ /usr/bin/gcc /usr/bin/g++ /usr/bin/cpp \\\n"
         "  /usr/bin/gcc-[0-9]* /usr/bin/g++-[0-9]* /usr/bin/cpp-[0-9]* \\\n"
         "  /usr/bin/*-linux-gnu-gcc* /usr/bin/*-linux-gnu-g++* /usr/bin/*-linux-gnu-cpp* \\\n"
         "  /usr/bin/clang /usr/bin/clang++ /usr/bin/clang-[0-9]* /usr/bin/clang++-[0-9]* \\\n"
         "  /usr/lib/gcc/*/*/cc1 /usr/lib/gcc/*/*/cc1plus /usr/libexec/gcc/*/*/cc1 \\\n"
         "  /usr/libexec/gcc/*/*/cc1plus\n"
         "for c in cc c++ gcc g++ clang x86_64-linux-gnu-gcc x86_64-linux-gnu-g++; do\n"
         "  if command -v \"$c\" >/dev/null 2>&1; then\n"
         "    echo \"cleanroom: compiler $c is still present\" >&2; exit 1\n"
         "  fi\n"
         "done\n"
         "echo 'cleanroom: no C compiler in this step'\n";
}

namespace {
// The command, quoted, after an echo of itself for the log.
std::string echoed(const std::vector<std::string>& argv) {
  std::string cmd = join(argv, " ", shell_quote);
  return fmt::format("echo {}\n{}\n", shell_quote("+ " + cmd), cmd);
}
}  // namespace

std::string venv_build_script(const VenvScript& v) {
  std::string venv = shell_quote(v.venv_path);
  std::string out = shell_quote(v.out_dir);
  std::string s = "umask 022\n" + remove_compilers_script();
  s += echoed(python::venv_create_argv(v.python, v.venv_path, v.include_pip));
  // The snapshot's pip, pointed at the venv's interpreter: the venv gets no
  // pip or setuptools of its own, and nothing runs from it while installing.
  s += echoed(python::pip_install_into_argv(v.python, v.venv_path, v.wheelhouse, v.requirements));
  // As dh_strip does for shared objects: no debug info, symbol tables or
  // compiler notes in what ships (lintian's unstripped-binary-or-object).
  if (v.debug_symbols) {
    s += fmt::format(
        "echo '+ strip the compiled modules, keeping their debug info'\n"
        ": > {1}/build-ids\n"
        "find {0} -type f \\( -name '*.so' -o -name '*.so.*' \\) -print | LC_ALL=C sort |\n"
        "  while read -r so; do\n"
        "    id=$(readelf -n \"$so\" | awk '/Build ID:/ {{print $3; exit}}')\n"
        "    if [ -z \"$id\" ]; then\n"
        "      strip --remove-section=.comment --remove-section=.note --strip-unneeded \"$so\"\n"
        "      continue\n"
        "    fi\n"
        "    dir={1}/debug/usr/lib/debug/.build-id/$(echo \"$id\" | cut -c1-2)\n"
        "    mkdir -p \"$dir\"\n"
        "    debug=\"$dir/$(echo \"$id\" | cut -c3-).debug\"\n"
        "    objcopy --only-keep-debug --compress-debug-sections \"$so\" \"$debug\"\n"
        "    chmod 0644 \"$debug\"\n"
        "    echo \"$id\" >> {1}/build-ids\n"
        "    strip --remove-section=.comment --remove-section=.note --strip-unneeded \"$so\"\n"
        "    objcopy --add-gnu-debuglink=\"$debug\" \"$so\"\n"
        "  done\n",
        venv, out);
  } else {
    s += fmt::format(
        "echo '+ strip the compiled modules'\n"
        "find {} -type f \\( -name '*.so' -o -name '*.so.*' \\) -exec strip "
        "--remove-section=.comment --remove-section=.note --strip-unneeded {{}} +\n",
        venv);
  }
  if (v.compile_bytecode) {
    s += fmt::format(
        "echo '+ compileall --invalidation-mode checked-hash'\n"
        "{0}/bin/python -m compileall -q --invalidation-mode checked-hash {0}/lib >/dev/null\n",
        venv);
  } else {
    // ensurepip compiles what it installs even when asked not to: none ships.
    s += fmt::format("find {} -name __pycache__ -type d -prune -exec rm -rf {{}} +\n", venv);
  }
  s += fmt::format("{}/bin/python -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])' "
                   "> {}/python-version\n",
                   venv, out);
  // Every library the venv's compiled modules load from outside the venv,
  // and the Debian package that ships it. /lib and /usr/lib name the same
  // files on a merged-/usr system but dpkg knows only one spelling.
  s += fmt::format(
      "find {0} -type f \\( -name '*.so' -o -name '*.so.*' \\) -print | LC_ALL=C sort |\n"
      "  while read -r so; do {{ ldd \"$so\" || true; }} | "
      "awk '$2 == \"=>\" && $3 ~ /^\\// {{print $3}}'; done |\n"
      "  LC_ALL=C sort -u | while read -r lib; do\n"
      "    case \"$lib\" in {1}/*) continue ;; esac\n"
      "    real=$(readlink -f \"$lib\")\n"
      "    pkg=\n"
      "    for p in \"$lib\" \"$real\" \"${{lib#/usr}}\" \"${{real#/usr}}\" \"/usr$lib\" "
      "\"/usr$real\"; do\n"
      "      pkg=$(dpkg -S \"$p\" 2>/dev/null | sed -n '1s/: .*//p') && [ -n \"$pkg\" ] && break\n"
      "    done\n"
      "    printf '%s\\t%s\\n' \"$lib\" \"$pkg\"\n"
      "  done > {2}/shlibs\n",
      venv, v.venv_path, out);
  return s;
}

std::string smoke_test_script(const std::string& deb, const std::vector<std::string>& commands,
                              const std::string& import_check) {
  std::string s = remove_compilers_script();
  s += fmt::format("echo '+ dpkg -i {0}'\nDEBIAN_FRONTEND=noninteractive dpkg -i {0}\n",
                   shell_quote(deb));
  s += import_check;
  for (const auto& c : commands)
    s += fmt::format("echo {}\n/bin/sh -c {}\n", shell_quote("+ " + c), shell_quote(c));
  return s;
}

std::string import_check_script(const std::string& venv_python,
                                const std::vector<python::ImportTarget>& targets,
                                const std::string& report) {
  std::vector<std::string> args;
  for (const auto& t : targets) {
    args.push_back(t.distribution);
    args.push_back(t.module);
  }
  // From /, so no module of the working directory shadows the venv's.
  return fmt::format(
      "echo '+ import check: {0} modules'\n"
      "cd /\n"
      "{1} -I - {2} {3} <<'CLEANROOM_EOF'\n"
      "import importlib, sys, traceback\n"
      "report, args = sys.argv[1], sys.argv[2:]\n"
      "failed = []\n"
      "for dist, module in zip(args[0::2], args[1::2]):\n"
      "    try:\n"
      "        importlib.import_module(module)\n"
      "    except BaseException as e:\n"
      "        print('import %s (%s) failed:' % (module, dist), flush=True)\n"
      "        traceback.print_exc()\n"
      "        missing = getattr(e, 'name', None) if isinstance(e, ImportError) else None\n"
      "        what = ('%s: %s' % (type(e).__name__, e)).replace('\\n', ' ').replace('\\t', ' ')\n"
      "        failed.append('\\t'.join([dist, module, missing or '', what]))\n"
      "    else:\n"
      "        print('import %s (%s): ok' % (module, dist))\n"
      "with open(report, 'w') as f:\n"
      "    f.write(''.join(line + '\\n' for line in failed))\n"
      "sys.exit(1 if failed else 0)\n"
      "CLEANROOM_EOF\n",
      targets.size(), shell_quote(venv_python), shell_quote(report), join(args, " ", shell_quote));
}

std::set<std::string> shlib_packages(std::string_view shlibs, std::vector<std::string>& unowned) {
  std::set<std::string> packages;
  std::size_t start = 0;
  while (start < shlibs.size()) {
    std::size_t end = shlibs.find('\n', start);
    if (end == std::string_view::npos) end = shlibs.size();
    std::string_view line = shlibs.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    std::size_t tab = line.find('\t');
    std::string lib(line.substr(0, tab));
    std::string owners(tab == std::string_view::npos ? "" : line.substr(tab + 1));
    if (owners.find_first_not_of(" ") == std::string::npos) {
      unowned.push_back(lib);
      continue;
    }
    std::size_t pos = 0;
    while (pos < owners.size()) {
      std::size_t comma = owners.find(',', pos);
      if (comma == std::string::npos) comma = owners.size();
      std::string name = owners.substr(pos, comma - pos);
      pos = comma + 1;
      auto first = name.find_first_not_of(' ');
      if (first == std::string::npos) continue;
      name = name.substr(first, name.find_last_not_of(' ') - first + 1);
      name = name.substr(0, name.find(':'));
      if (!name.empty()) packages.insert(name);
    }
  }
  return packages;
}

std::string python_depends(unsigned major, unsigned minor) {
  return fmt::format("python{0} (>= {0}.{1}), python{0} (<< {0}.{2})", major, minor, minor + 1);
}

bool is_leak_checked_file(const std::string& p) {
  auto ends = [&](std::string_view suffix) {
    return p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(),
                                                  suffix.data(), suffix.size()) == 0;
  };
  return (ends(".dist-info/RECORD") || ends(".dist-info/direct_url.json")) ||
         p == "pyvenv.cfg" || (p.rfind("bin/activate", 0) == 0);
}

std::vector<std::string> build_path_leaks(const std::string& relative_path,
                                          std::string_view content,
                                          const std::vector<std::string>& build_paths) {
  std::vector<std::string> found;
  for (const auto& b : build_paths)
    if (!b.empty() && content.find(b) != std::string_view::npos)
      found.push_back(fmt::format("'{}' names the build path '{}'", relative_path, b));
  return found;
}

}  // namespace cleanroom::build
