// Extracting an untrusted tar. Every entry is checked as text (safe_path.h)
// and every directory it touches is reached through openat2 with no symlinks
// allowed, so neither "../x", "/etc/x", nor a symlink planted by an earlier
// entry ("a -> /etc" then "a/passwd") can make us write outside dest. An
// existing non-directory at the final name is unlinked, never written through.
// Directory modes, owners and mtimes are applied last, deepest first, so a
// read-only directory does not block its own children and creating a child
// does not disturb a parent's mtime.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/safe_path.h"
#include "cleanroom/formats/tar.h"
#include "extract_stream.h"

namespace cleanroom::formats {

namespace {

struct DeferredDir {
  std::string path;
  TarEntry meta;
};

class Extractor {
 public:
  Extractor(TarStream& stream, const std::string& dest, const ExtractOptions& options)
      : stream_(stream), options_(options), root_(open_fd(dest, O_RDONLY | O_DIRECTORY)) {}

  void run() {
    TarEntry entry;
    while (stream_.next(entry)) {
      std::string context = fmt::format("tar '{}': entry '{}'", stream_.name(), entry.path);
      try {
        one(entry);
      } catch (const Error& e) {
        // Errors from the stream already name archive and entry; ours do not.
        if (std::string_view(e.what()).starts_with(context)) throw;
        throw e.with_context(context);
      }
    }
    finish_directories();
  }

 private:
  void one(const TarEntry& entry) {
    auto rel = normalize_member_path(entry.path);
    if (!rel) throw_input("absolute path or '..' component; refusing to extract");
    if (*rel == ".") {
      if (entry.type != EntryType::Directory) throw_input("the root entry is not a directory");
      deferred_.push_back({".", entry});
      return;
    }
    auto [parent, base] = split_parent(*rel);
    int dir = parent_dir(parent);
    clear_place(dir, base, entry.type == EntryType::Directory);
    switch (entry.type) {
      case EntryType::Directory:
        if (::mkdirat(dir, base.c_str(), 0700) != 0 && errno != EEXIST) throw_errno("mkdir");
        deferred_.push_back({*rel, entry});
        break;
      case EntryType::File:
        write_file(dir, base, entry);
        break;
      case EntryType::Symlink:
        if (::symlinkat(entry.link_target.c_str(), dir, base.c_str()) != 0)
          throw_errno("symlink");
        set_link_meta(dir, base, entry);
        break;
      case EntryType::Hardlink:
        link(dir, base, entry);
        break;
      case EntryType::CharDevice:
      case EntryType::BlockDevice:
        if (options_.skip_devices) return;
        if (::mknodat(dir, base.c_str(),
                      (entry.type == EntryType::CharDevice ? S_IFCHR : S_IFBLK) | 0600,
                      makedev(entry.dev_major, entry.dev_minor)) != 0)
          throw_errno("mknod");
        set_node_meta(dir, base, entry);
        break;
      case EntryType::Fifo:
        if (::mkfifoat(dir, base.c_str(), 0600) != 0) throw_errno("mkfifo");
        set_node_meta(dir, base, entry);
        break;
    }
  }

  // Archives list a directory's entries together, so the parent opened for
  // the previous entry is usually the one needed now. A cached fd stays valid:
  // a directory is never replaced once extracted.
  int parent_dir(const std::string& parent) {
    if (!cached_dir_ || cached_parent_ != parent) {
      cached_dir_ = make_dirs_beneath(root_.get(), parent, 0755);
      cached_parent_ = parent;
    }
    return cached_dir_.get();
  }

  // Makes room for the new entry: a later entry replaces an earlier one, as tar
  // does, except that a directory is never replaced by a non-directory (its
  // children would go with it).
  void clear_place(int dir, const std::string& base, bool want_dir) {
    struct stat st;
    if (::fstatat(dir, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) return;
      throw_errno("lstat");
    }
    if (S_ISDIR(st.st_mode)) {
      if (want_dir) return;
      throw_input("would replace a directory with a non-directory");
    }
    if (::unlinkat(dir, base.c_str(), 0) != 0) throw_errno("unlink the earlier entry");
  }

  void write_file(int dir, const std::string& base, const TarEntry& entry) {
    UniqueFd fd = open_fd_at(dir, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    char buf[1 << 16];
    while (std::size_t n = stream_.read(buf, sizeof buf)) {
      total_ += n;
      if (total_ > options_.max_total_bytes)
        throw_environment(fmt::format("archive expands beyond {} bytes; refusing ({})",
                                      options_.max_total_bytes, options_.how_to_raise));
      write_all(fd.get(), buf, n, "'" + entry.path + "'");
    }
    if (options_.owner_offset && ::fchown(fd.get(), entry.uid + *options_.owner_offset,
                                          entry.gid + *options_.owner_offset) != 0)
      throw_errno("chown");
    if (::fchmod(fd.get(), entry.mode & 07777) != 0) throw_errno("chmod");
    set_xattrs(fd.get(), entry);
    set_times(fd.get(), nullptr, 0, entry.mtime);
    fd.close(entry.path.c_str());
  }

  void link(int dir, const std::string& base, const TarEntry& entry) {
    auto target = normalize_member_path(entry.link_target);
    if (!target || *target == ".")
      throw_input(
          fmt::format("hardlink to '{}' points outside the destination", entry.link_target));
    auto [tparent, tbase] = split_parent(*target);
    UniqueFd tdir = open_beneath(root_.get(), tparent, O_PATH | O_DIRECTORY);
    struct stat st;
    if (::fstatat(tdir.get(), tbase.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      throw_input(
          fmt::format("hardlink to '{}', which was not extracted before it", entry.link_target));
    // A link to a symlink would carry that symlink's target to a new name; a
    // link to a directory is impossible. Neither appears in honest archives.
    if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
      throw_input(
          fmt::format("hardlink to '{}', which is a symlink or directory", entry.link_target));
    if (::linkat(tdir.get(), tbase.c_str(), dir, base.c_str(), 0) != 0) throw_errno("link");
  }

  void set_times(int fd, const char* name, int flags, std::int64_t mtime) {
    timespec times[2];
    times[0].tv_sec = times[1].tv_sec = mtime;
    times[0].tv_nsec = times[1].tv_nsec = 0;
    int rc = name ? ::utimensat(fd, name, times, flags) : ::futimens(fd, times);
    if (rc != 0) throw_errno("set mtime");
  }

  void set_link_meta(int dir, const std::string& base, const TarEntry& entry) {
    if (options_.owner_offset &&
        ::fchownat(dir, base.c_str(), entry.uid + *options_.owner_offset,
                   entry.gid + *options_.owner_offset, AT_SYMLINK_NOFOLLOW) != 0)
      throw_errno("chown symlink");
    set_times(dir, base.c_str(), AT_SYMLINK_NOFOLLOW, entry.mtime);
  }

  void set_node_meta(int dir, const std::string& base, const TarEntry& entry) {
    if (options_.owner_offset &&
        ::fchownat(dir, base.c_str(), entry.uid + *options_.owner_offset,
                   entry.gid + *options_.owner_offset, AT_SYMLINK_NOFOLLOW) != 0)
      throw_errno("chown");
    // fchmodat cannot refuse to follow on Linux, but the name was just created
    // by us as a node, not a symlink.
    if (::fchmodat(dir, base.c_str(), entry.mode & 07777, 0) != 0) throw_errno("chmod");
    set_times(dir, base.c_str(), AT_SYMLINK_NOFOLLOW, entry.mtime);
  }

  void set_xattrs(int fd, const TarEntry& entry) {
    if (!options_.keep_xattrs) return;
    for (const auto& [key, value] : entry.xattrs) {
      if (::fsetxattr(fd, key.c_str(), value.data(), value.size(), 0) != 0)
        throw_errno("set xattr " + key);
    }
  }

  void finish_directories() {
    // Deepest first: a parent's mode may take away the access its children need.
    std::stable_sort(deferred_.begin(), deferred_.end(), [](const auto& a, const auto& b) {
      auto depth = [](const std::string& p) {
        return p == "." ? 0 : 1 + std::count(p.begin(), p.end(), '/');
      };
      return depth(a.path) > depth(b.path);
    });
    for (const DeferredDir& d : deferred_) {
      with_context(fmt::format("tar '{}': entry '{}'", stream_.name(), d.meta.path), [&] {
        UniqueFd fd = open_beneath(root_.get(), d.path, O_RDONLY | O_DIRECTORY);
        if (options_.owner_offset && ::fchown(fd.get(), d.meta.uid + *options_.owner_offset,
                                              d.meta.gid + *options_.owner_offset) != 0)
          throw_errno("chown");
        if (::fchmod(fd.get(), d.meta.mode & 07777) != 0) throw_errno("chmod");
        set_xattrs(fd.get(), d.meta);
        set_times(fd.get(), nullptr, 0, d.meta.mtime);
      });
    }
  }

  TarStream& stream_;
  const ExtractOptions& options_;
  UniqueFd root_;
  std::vector<DeferredDir> deferred_;
  std::uint64_t total_ = 0;
  std::string cached_parent_;
  UniqueFd cached_dir_;
};

}  // namespace

void extract_stream(TarStream& stream, const std::string& dest, const ExtractOptions& options) {
  Extractor(stream, dest, options).run();
}

void extract_tar(const std::string& archive_path, const std::string& dest,
                 const ExtractOptions& options) {
  TarStream stream = TarStream::open_path(archive_path);
  extract_stream(stream, dest, options);
}

}  // namespace cleanroom::formats
