#include "cleanroom/pipeline/run_in_snapshot.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/log.h"
#include "cleanroom/base/user_namespace.h"
#include "cleanroom/sandbox/sandbox.h"
#include "cleanroom/store/store.h"
#include "cleanroom/pipeline/runnable_snapshot.h"

namespace cleanroom::build {

namespace {

std::uint64_t parse_limit(const std::string& text, const std::string& option) {
  if (text == "unlimited" || text == "infinity") return sandbox::kRlimitInfinity;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty())
    throw_input(fmt::format("--rlimit '{}': '{}' is not a number", option, text));
  return v;
}

void apply_rlimit(std::vector<sandbox::Rlimit>& limits, const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos) throw_input(fmt::format("--rlimit '{}': expected NAME=SOFT[:HARD]", text));
  sandbox::Rlimit r;
  r.name = text.substr(0, eq);
  if (sandbox::rlimit_resource(r.name) < 0)
    throw_input(fmt::format("--rlimit '{}': unknown limit '{}' (nofile, nproc, fsize, core, as, cpu, stack)",
                            text, r.name));
  std::string values = text.substr(eq + 1);
  auto colon = values.find(':');
  r.soft = parse_limit(values.substr(0, colon), text);
  r.hard = colon == std::string::npos ? r.soft : parse_limit(values.substr(colon + 1), text);
  std::erase_if(limits, [&](const sandbox::Rlimit& l) { return l.name == r.name; });
  limits.push_back(r);
}

std::optional<std::uint32_t> lookup_id(const std::string& name, bool group) {
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) return std::stoul(name);
  if (group) {
    const struct group* g = ::getgrnam(name.c_str());
    return g ? std::optional<std::uint32_t>(g->gr_gid) : std::nullopt;
  }
  const struct passwd* p = ::getpwnam(name.c_str());
  return p ? std::optional<std::uint32_t>(p->pw_uid) : std::nullopt;
}

// USER[:GROUP], names or numbers; GROUP defaults to USER's primary group.
sandbox::FileOwner parse_bind_owner(const std::string& text) {
  auto colon = text.find(':');
  std::string user = text.substr(0, colon);
  auto uid = lookup_id(user, false);
  if (!uid) throw_input(fmt::format("--bind-owner '{}': no user '{}' on this host", text, user));
  sandbox::FileOwner owner{*uid, 0};
  if (colon != std::string::npos) {
    auto gid = lookup_id(text.substr(colon + 1), true);
    if (!gid) throw_input(fmt::format("--bind-owner '{}': no group '{}' on this host", text, text.substr(colon + 1)));
    owner.gid = *gid;
  } else {
    const struct passwd* p = ::getpwuid(owner.uid);
    if (!p) throw_input(fmt::format("--bind-owner '{}': uid {} has no primary group; name one: {}:GROUP", text, owner.uid, text));
    owner.gid = p->pw_gid;
  }
  // Giving files to someone else is an id-mapped mount, which needs root; a
  // user's sandbox writes as that user anyway.
  HostUser me = host_user();
  if (!me.root() && (owner.uid != me.uid || owner.gid != me.gid))
    throw_input(fmt::format("--bind-owner '{}': only root can have files written as another user", text));
  return owner;
}

}  // namespace

int run_in_snapshot(const RunOptions& options) {
  sandbox::SandboxOptions sb;
  std::optional<sandbox::FileOwner> owner;
  if (!options.bind_owner.empty()) owner = parse_bind_owner(options.bind_owner);
  for (const auto& text : options.binds) {
    sandbox::BindRequest bind = sandbox::parse_bind(text);
    if (!bind.read_only) bind.owner = owner;
    sb.mounts.binds.push_back(bind);
  }
  sb.mounts.workdir = options.workdir;
  sb.argv = options.argv;
  sb.extra_env = options.env;
  sb.hostname = options.hostname;
  sb.domainname = options.domainname;
  sb.timeout_seconds = options.timeout_seconds;
  sb.network = options.network;
  for (const auto& r : options.rlimits) apply_rlimit(sb.rlimits, r);
  sb.disk_limit_bytes = options.disk_limit_bytes.value_or(sb.disk_limit_bytes);
  sb.memory_limit_bytes = options.memory_limit_bytes.value_or(sb.memory_limit_bytes);
  sb.pids_limit = options.pids_limit.value_or(sb.pids_limit);
  if (!options.drop_all_caps) sb.keep_caps = sandbox::root_capabilities();
  // Validate everything the user gave before touching the store or the kernel.
  std::string helper = sandbox::find_helper();

  store::Store store(store::default_store_path(options.store_path));
  store::SnapshotInfo snapshot = use_runnable_snapshot(store, options.snapshot);
  store::IdMap ids = store.id_map();
  sb.mounts.lower_dirs = {snapshot.root_dir};
  sb.arch = snapshot.arch;
  sb.ids = {ids.host_uid_base, ids.host_gid_base, ids.count};

  bool interactive = ::isatty(STDIN_FILENO) == 1;
  const char* term = std::getenv("TERM");
  sandbox::Spec spec = with_context(fmt::format("snapshot '{}'", options.snapshot), [&] {
    return sandbox::make_spec(sb, interactive, term ? term : "");
  });
  log::debug(fmt::format("sandbox mounts:\n{}", sandbox::describe_mounts(spec.mounts)));
  sandbox::RunResult result = sandbox::run_spec(spec, helper);
  if (result.timed_out)
    log::error(fmt::format("timed out after {} s: killed every process in the sandbox",
                           options.timeout_seconds));
  return result.exit_code;
}

}  // namespace cleanroom::build
