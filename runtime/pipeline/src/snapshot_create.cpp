// Bootstrapping a snapshot. mmdebstrap writes a tar (the one output that is
// right both as root and as a user in --mode=unshare, where a directory would
// belong to subordinate ids the user cannot read); the tar then takes the same
// path as `snapshot import`. debootstrap, the fallback, needs root and writes a
// directory that is published directly.
#include "cleanroom/pipeline/snapshot_create.h"

#include <ftw.h>
#include <glob.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstring>
#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/user_namespace.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/process.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/sandbox/seccomp_policy.h"
#include "cleanroom/store/id_map.h"
#include "cleanroom/store/import.h"
#include "cleanroom/store/names.h"
#include "cleanroom/store/work_dir.h"
#include "cleanroom/pipeline/runnable_snapshot.h"

extern char** environ;

namespace cleanroom::build {

namespace {

// What a bootstrap leaves that differs between two runs or hosts. apt's lists
// go too: they are large, dated, and the prepare step runs `apt-get update`
// anyway before it installs build dependencies.
const char* const kVolatile[] = {
    "var/lib/apt/lists/*_*",          "var/cache/apt/*.bin",
    "var/cache/apt/archives/*.deb",   "var/cache/apt/archives/partial/*",
    "var/log/dpkg.log",               "var/log/alternatives.log",
    "var/log/bootstrap.log",          "var/log/apt/*.log",
    "var/log/apt/eipp.log.xz",        "var/cache/ldconfig/aux-cache",
    "var/lib/dbus/machine-id",        "tmp/*",
    "tmp/.[!.]*",
};

// The sandbox provides a minimal /dev; nodes in the snapshot could not be
// recreated by a user anyway, so a snapshot never holds them.
int remove_node(const char* path, const struct stat* st, int, struct FTW*) {
  if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) || S_ISFIFO(st->st_mode) ||
      S_ISSOCK(st->st_mode))
    ::unlink(path);
  return 0;
}

std::string host_arch() {
  if (!find_program("dpkg").empty()) {
    ProcessSpec spec;
    spec.argv = {"dpkg", "--print-architecture"};
    ProcessResult r = run_process(spec, true);
    std::string arch = r.output.substr(0, r.output.find('\n'));
    if (r.status == 0 && !arch.empty()) return arch;
  }
  utsname u{};
  ::uname(&u);
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m == "i686" || m == "i386") return "i386";
  if (m == "ppc64le") return "ppc64el";
  if (m == "s390x" || m == "riscv64") return m;
  throw_environment(fmt::format("cannot tell the Debian architecture of machine '{}'; pass "
                                "--arch", m));
}

bool valid_package_name(const std::string& p) {
  // Debian policy 5.6.1: [a-z0-9][a-z0-9+.-]+, plus an optional :arch or =version.
  if (p.empty() || !(std::islower(static_cast<unsigned char>(p[0])) ||
                     std::isdigit(static_cast<unsigned char>(p[0]))))
    return false;
  return std::all_of(p.begin(), p.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || std::strchr("+.-:=~", c);
  });
}

// tmpdir empty: keep the caller's TMPDIR.
std::vector<std::string> bootstrap_env(const std::string& tmpdir, std::int64_t epoch) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (kv.rfind("SOURCE_DATE_EPOCH=", 0) == 0) continue;
    if (!tmpdir.empty() && kv.rfind("TMPDIR=", 0) == 0) continue;
    env.push_back(kv);
  }
  env.push_back(fmt::format("SOURCE_DATE_EPOCH={}", epoch));
  if (!tmpdir.empty()) env.push_back("TMPDIR=" + tmpdir);
  return env;
}

void require_subuid_range() {
  store::HostIdentity host = store::current_host_identity();
  auto ranges = store::parse_subid(host.subuid_text, "/etc/subuid");
  bool has = std::any_of(ranges.begin(), ranges.end(), [&](const store::SubIdRange& r) {
    return r.owner == host.user_name || r.owner == std::to_string(host.uid);
  });
  if (!has)
    throw_environment(fmt::format(
        "creating a snapshot as user '{}' needs a subordinate id range for mmdebstrap "
        "--mode=unshare; ask root to run: usermod --add-subuids 100000-165535 "
        "--add-subgids 100000-165535 {} (or create the snapshot as root)",
        host.user_name, host.user_name.empty() ? std::to_string(host.uid) : host.user_name));
}

void run_bootstrap(const BootstrapInvocation& inv, const std::vector<std::string>& env) {
  log::info(fmt::format("running {}", join(inv.argv, " ")));
  ProcessSpec spec;
  spec.argv = inv.argv;
  spec.env = env;
  // mmdebstrap's progress goes to stderr; its stdout would be the tar for "-".
  spec.stdout_fd = 2;
  // If cleanroom is killed, the bootstrap stops too and cleans up after itself.
  spec.parent_death_signal = SIGTERM;
  int rc = run_process(spec).status;
  if (rc != 0)
    throw_failure(fmt::format("{} failed with exit status {}; its messages above say why "
                              "(a mirror that cannot be reached, an unknown package?)",
                              inv.tool, rc));
}

}  // namespace

std::vector<std::string> split_package_list(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::string cur;
    for (std::size_t i = 0; i <= item.size(); ++i) {
      char c = i < item.size() ? item[i] : ',';
      if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
        if (!cur.empty() && std::find(out.begin(), out.end(), cur) == out.end()) {
          if (!valid_package_name(cur))
            throw_input(fmt::format("'{}' is not a Debian package name", cur));
          out.push_back(cur);
        }
        cur.clear();
      } else {
        cur += c;
      }
    }
  }
  return out;
}

BootstrapInvocation mmdebstrap_invocation(const store::ChrootDefinition& def,
                                          const SnapshotCreateOptions& options,
                                          const std::vector<std::string>& packages,
                                          const std::string& output, bool unshare) {
  BootstrapInvocation inv{"mmdebstrap", {"mmdebstrap"}};
  auto& a = inv.argv;
  a.push_back("--variant=" + (options.variant.empty() ? def.variant : options.variant));
  a.push_back("--arch=" + options.arch);
  a.push_back("--components=" + join(def.components, ","));
  if (!packages.empty()) a.push_back("--include=" + join(packages, ","));
  for (const auto& k : def.keyrings) a.push_back("--keyring=" + k);
  if (!def.check_valid_until) a.push_back("--aptopt=Acquire::Check-Valid-Until \"false\"");
  a.push_back(unshare ? "--mode=unshare" : "--mode=root");
  a.push_back("--format=tar");
  a.push_back(def.suite);
  a.push_back(output);
  a.push_back(options.mirror.empty() ? def.mirror : options.mirror);
  return inv;
}

BootstrapInvocation debootstrap_invocation(const store::ChrootDefinition& def,
                                           const SnapshotCreateOptions& options,
                                           const std::vector<std::string>& packages,
                                           const std::string& output) {
  BootstrapInvocation inv{"debootstrap", {"debootstrap"}};
  auto& a = inv.argv;
  std::string variant = options.variant.empty() ? def.variant : options.variant;
  // debootstrap has no "apt" or "essential" variants; minbase is its smallest.
  if (variant != "buildd" && variant != "minbase" && variant != "fakechroot")
    variant = "minbase";
  a.push_back("--variant=" + variant);
  a.push_back("--arch=" + options.arch);
  a.push_back("--components=" + join(def.components, ","));
  if (!packages.empty()) a.push_back("--include=" + join(packages, ","));
  // debootstrap takes one keyring: the first is the suite's own.
  if (!def.keyrings.empty()) a.push_back("--keyring=" + def.keyrings.front());
  a.push_back(def.suite);
  a.push_back(output);
  a.push_back(options.mirror.empty() ? def.mirror : options.mirror);
  return inv;
}

void clean_bootstrap_tree(const std::string& tree) {
  for (const char* pattern : kVolatile) {
    glob_t g{};
    std::string full = tree + "/" + pattern;
    if (::glob(full.c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) remove_tree(g.gl_pathv[i]);
    }
    ::globfree(&g);
  }
  // systemd and dbus expect machine-id to exist; empty means "generate at boot".
  if (path_exists(tree + "/etc/machine-id")) write_file_atomic(tree + "/etc/machine-id", "");
  // Both are copied from the host by the bootstrappers.
  if (path_exists(tree + "/etc")) {
    write_file_atomic(tree + "/etc/hostname", "cleanroom\n");
    write_file_atomic(tree + "/etc/resolv.conf", "");
  }
  if (path_exists(tree + "/dev"))
    ::nftw((tree + "/dev").c_str(), remove_node, 16, FTW_PHYS | FTW_MOUNT);
}

store::Published create_snapshot(store::Store& store, const SnapshotCreateOptions& in) {
  SnapshotCreateOptions options = in;
  std::string dir = options.chroots_dir.empty() ? store::chroot_definitions_dir()
                                                : options.chroots_dir;
  store::ChrootDefinition def = store::load_chroot_definition(dir, options.suite);
  if (options.name.empty()) options.name = options.suite;
  store::validate_name(options.name);
  std::vector<std::string> packages = def.packages;
  for (const auto& p : split_package_list(options.include))
    if (std::find(packages.begin(), packages.end(), p) == packages.end()) packages.push_back(p);
  std::string native = sandbox::native_debian_arch();
  if (options.arch.empty()) options.arch = native.empty() ? host_arch() : native;
  if (!sandbox_runs(options.arch))
    throw_input(fmt::format("--arch {}: a sandbox here runs only {} programs (its seccomp filter "
                            "admits those system call ABIs alone), so a snapshot for {} could not "
                            "be used; leave out --arch or give one of those",
                            options.arch, runnable_arches_text(), options.arch));
  std::int64_t epoch = store::source_date_epoch_from_env();

  std::string tool = options.bootstrapper;
  if (tool.empty()) tool = !find_program("mmdebstrap").empty() ? "mmdebstrap" : "debootstrap";
  if (tool != "mmdebstrap" && tool != "debootstrap")
    throw_input(fmt::format("unknown bootstrapper '{}'; use mmdebstrap or debootstrap", tool));
  if (find_program(tool).empty())
    throw_environment(fmt::format("{} is not installed; install it: apt-get install mmdebstrap",
                                  tool));
  // Asked first, so that the failure is not mmdebstrap's, midway.
  if (options.arch != native) {
    KernelArchCheck kernel = check_kernel_runs(options.arch);
    if (!kernel.arch_test_installed)
      throw_environment(fmt::format("a snapshot for {} needs arch-test, which tells whether this "
                                    "kernel runs its programs; install it: apt-get install "
                                    "arch-test",
                                    options.arch));
    if (!kernel.runs)
      throw_environment(fmt::format("this kernel cannot run {} programs (arch-test: {}); a 64-bit "
                                    "kernel needs its 32-bit entry (CONFIG_IA32_EMULATION, not "
                                    "turned off with ia32_emulation=0)",
                                    options.arch, kernel.detail));
  }
  bool as_root = host_user().root();
  // In a user's subordinate namespace the process is root over every id the
  // snapshot needs; mmdebstrap's unshare mode then unshares all but the user
  // namespace and keeps the archive's owners.
  bool full_ids = as_root || in_user_namespace();
  if (tool == "debootstrap" && !as_root)
    throw_environment("debootstrap needs root; install mmdebstrap to create snapshots as a "
                      "user: apt-get install mmdebstrap uidmap");
  if (!full_ids) require_subuid_range();

  store::SnapshotMeta meta;
  meta.suite = def.suite;
  meta.arch = options.arch;
  meta.mirror = options.mirror.empty() ? def.mirror : options.mirror;
  meta.variant = options.variant.empty() ? def.variant : options.variant;
  meta.origin = tool;
  meta.deb_compression = def.deb_compression;
  meta.source_date_epoch = epoch;

  store::WorkDir work(store);
  // As root, mmdebstrap's temporary chroot goes into the work dir: same
  // filesystem as the store, and removed with it if we are killed. In unshare
  // mode it is owned by subordinate ids, which must be able to reach it: the
  // work dir (0700, maybe below a 0700 home) is closed to them, so TMPDIR stays.
  auto env = bootstrap_env(full_ids ? work.path() : "", epoch);
  if (tool == "mmdebstrap") {
    std::string output = work.path() + "/bootstrap.tar";
    run_bootstrap(mmdebstrap_invocation(def, options, packages, output, !as_root), env);
    store::ImportRequest request{output, options.name, meta, clean_bootstrap_tree, options.force};
    return store::import_archive(store, request);
  }
  std::string tree = work.path() + "/bootstrap";
  run_bootstrap(debootstrap_invocation(def, options, packages, tree), env);
  clean_bootstrap_tree(tree);
  return store::publish_tree(store, work, {tree, options.name, meta, options.force});
}

}  // namespace cleanroom::build
