#include <memory>

#include "cleanroom/pipeline/run_in_snapshot.h"
#include "command.h"

namespace cleanroom::cli {

static void configure_run_command(CLI::App& command, CommandContext& ctx) {
  auto opts = std::make_shared<build::RunOptions>();
  CLI::App* cmd = &command;
  cmd->add_option("-d,--dist,--snapshot", opts->snapshot, "Snapshot name or id")->capture_default_str();
  // One value per occurrence: a repeatable option must not swallow the command.
  cmd->add_option("--bind", opts->binds, "Bind a host path: SRC:DST[:ro] (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--bind-owner", opts->bind_owner,
                  "USER[:GROUP] who owns what the sandbox's root writes through a writable "
                  "--bind (default: the owner of each bind's source; never setuid, setgid or "
                  "file capabilities)");
  cmd->add_flag("--network", opts->network,
                "Share the host's network (default: none, only loopback)");
  cmd->add_option("--workdir", opts->workdir, "Working directory inside the sandbox");
  cmd->add_option("--env", opts->env, "Set a variable: NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--timeout", opts->timeout_seconds,
                  "Kill everything after SECONDS and exit 124");
  cmd->add_option("--hostname", opts->hostname, "Host name inside")->capture_default_str();
  cmd->add_option("--domainname", opts->domainname, "NIS domain name inside (default: none)");
  cmd->add_option("--rlimit", opts->rlimits,
                  "Resource limit NAME=SOFT[:HARD]: nofile, nproc, fsize, core, as, cpu, stack")
      ->allow_extra_args(false);
  cmd->add_option("--disk-limit", opts->disk_limit_bytes,
                  "Size of the one tmpfs behind the sandbox's writable root, /tmp and /dev/shm "
                  "(e.g. 8G; 0: no limit; default: half the machine's memory)")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_option("--memory-limit", opts->memory_limit_bytes,
                  "Memory of all the sandbox's processes together (e.g. 2G; 0: no limit; default: "
                  "three quarters of the machine's memory; needs a cgroup, see `cleanroom doctor`)")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_option("--pids-limit", opts->pids_limit,
                  "Processes and threads of the sandbox together (0: no limit; default: 4096; "
                  "needs a cgroup, see `cleanroom doctor`)");
  cmd->add_flag("--drop-caps", opts->drop_all_caps,
                "Run without any capability (default: those of root in a chroot, confined "
                "to the sandbox)");
  cmd->add_option("command", opts->argv, "Command and arguments, after --");
  cmd->callback([&ctx, opts] {
    opts->store_path = ctx.global.store;
    ctx.action = [opts] { return build::run_in_snapshot(*opts); };
  });
}

const Command kRunCommand{
    "run",
    "Run a command in a fresh, disposable copy of a snapshot (no CMD: a login shell)",
    configure_run_command};

}  // namespace cleanroom::cli
