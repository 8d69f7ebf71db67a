// The spec turned into plain C data before clone(2): after it, the sandbox child
// may not allocate, so every string, array and mask it reads lives here, built
// by the helper while it is still an ordinary process.
#pragma once

#include <linux/filter.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "cleanroom/base/unique_fd.h"
#include "cleanroom/sandbox/spec.h"

namespace cleanroom::sandbox::helper {

// Where the helper stages the new root: a tmpfs mounted over /tmp inside the
// private mount namespace (the host's /tmp is untouched and stays reachable
// as /oldroot/tmp), holding the overlay's throw-away upper and work dirs.
inline constexpr const char* kStaging = "/tmp";
inline constexpr const char* kOldRoot = "/oldroot";
inline constexpr const char* kNewRoot = "/newroot";
inline constexpr const char* kLayerLinks = "/layers";  // in the staging tmpfs

struct LayerLink {
  const char* name;    // "/layers/N"
  const char* target;  // "/oldroot/PATH"
};

struct PreparedMount {
  MountKind kind;
  const char* target;  // relative to the new root, no leading '/'; "" for the root
  const char* source;  // "/oldroot/..." for binds, link text for symlinks
  const char* data;    // fs options; the full option string for the overlay
  bool read_only;
  bool no_exec;
  bool no_dev;         // binds outside /dev get nodev
  bool source_is_dir;  // binds: a directory (else a file or device node)
  // Binds: a detached copy of the source made by the helper (-1: the child
  // makes it). See open_bind_tree.
  int tree_fd;
  // Binds: the source's owner is outside the sandbox's id map, so the tree is
  // id-mapped: that owner stands for the sandbox's root (see idmap_bind_trees).
  bool idmap;
  uid_t owner_uid;
  gid_t owner_gid;
  mode_t scratch_mode;  // Scratch: the directory's mode
};

// The flags of a bind mount, set on the detached tree before it is attached.
inline struct mount_attr bind_attributes(const PreparedMount& m) {
  struct mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_NOSUID | (m.no_dev ? MOUNT_ATTR_NODEV : 0) |
                  (m.read_only ? MOUNT_ATTR_RDONLY : 0) | (m.no_exec ? MOUNT_ATTR_NOEXEC : 0);
  return attr;
}

struct PreparedRlimit {
  int resource;
  struct rlimit limit;
};

struct Prepared {
  std::vector<PreparedMount> mounts;
  bool tmpfs_upper = true;
  const char* staging_options = "mode=0755";  // with the disk limit as its size
  const char* hostname = nullptr;
  const char* domainname = nullptr;  // null: leave it
  const char* workdir = nullptr;
  std::vector<char*> argv;  // null-terminated
  std::vector<char*> envp;  // null-terminated
  const char* path = nullptr;  // the command's PATH, for the search
  std::vector<PreparedRlimit> rlimits;
  bool network = false;
  bool interactive = false;
  bool linux32 = false;
  IdMapMethod id_map_method = IdMapMethod::Direct;
  std::uint64_t keep_caps = 0;
  int last_cap = 40;
  std::vector<sock_filter> filter;
  sock_fprog program{};

  std::vector<LayerLink> layer_links;  // the overlay's layers, made before it is mounted
  std::vector<UniqueFd> trees;      // owns the tree_fd of every bind
  std::deque<std::string> storage;  // owns every string above; a deque never moves them
  const char* keep(std::string s) { return storage.emplace_back(std::move(s)).c_str(); }
};

// Throws Error(Input) for specs the helper cannot honour.
void prepare(const Spec& spec, Prepared& out);

}  // namespace cleanroom::sandbox::helper
