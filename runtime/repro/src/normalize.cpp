// The tree normalizer runs in three passes: list the tree (lstat only), rewrite
// or remove files by type, then set mtimes. Timestamps go last because every
// rename or unlink of the second pass bumps its directory's mtime, and because
// the pyc staleness test needs the sources' original mtimes.
#include "cleanroom/repro/normalize.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <set>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/stop_request.h"
#include "cleanroom/base/path.h"
#include "cleanroom/formats/ar.h"
#include "cleanroom/formats/gzip_normalize.h"
#include "cleanroom/formats/pyc.h"
#include "cleanroom/formats/wheel.h"
#include "cleanroom/formats/zip.h"
#include "tree_walk.h"

namespace cleanroom::repro {

namespace {

using detail::join_path;
using detail::TreeEntry;

enum class FileKind { Other, Wheel, Zip, Gzip, Pyc, Ar };

FileKind classify(const std::string& rel) {
  if (std::string_view(rel).ends_with(".whl")) return FileKind::Wheel;
  if (std::string_view(rel).ends_with(".zip")) return FileKind::Zip;
  if (std::string_view(rel).ends_with(".gz") || std::string_view(rel).ends_with(".tgz")) return FileKind::Gzip;
  if (std::string_view(rel).ends_with(".pyc")) return FileKind::Pyc;
  if (std::string_view(rel).ends_with(".a")) return FileKind::Ar;
  return FileKind::Other;
}

std::string parent_rel(const std::string& rel) {
  auto slash = rel.rfind('/');
  return slash == std::string::npos ? std::string() : rel.substr(0, slash);
}

// "pkg/__pycache__/mod.cpython-311.opt-1.pyc" -> "pkg/mod.py"; "pkg/mod.pyc" -> "pkg/mod.py".
std::string pyc_source_rel(const std::string& rel) {
  std::string dir = parent_rel(rel);
  std::string name = file_name(rel);
  if (file_name(dir) == "__pycache__") {
    std::string up = parent_rel(dir);
    std::string stem = name.substr(0, name.find('.'));
    return up.empty() ? stem + ".py" : up + "/" + stem + ".py";
  }
  return rel.substr(0, rel.size() - 1);
}

struct Outcome {
  NormalizeAction action = NormalizeAction::Rewritten;
  std::string detail;
  std::string bytes;
  bool changed = false;
};

class TreeNormalizer {
 public:
  TreeNormalizer(std::string root, const NormalizeOptions& options)
      : root_(std::move(root)), options_(options) {}

  NormalizeReport run() {
    entries_ = detail::walk_tree(root_);
    if (::lstat(root_.c_str(), &root_entry_.st) != 0) throw_errno("lstat '" + root_ + "'");
    for (const TreeEntry& e : entries_) by_path_[e.rel] = &e;
    for (const TreeEntry& e : entries_)
      if (S_ISREG(e.st.st_mode) && e.st.st_nlink > 1)
        links_[{e.st.st_dev, e.st.st_ino}].push_back(e.rel);
    for (const TreeEntry& e : entries_) {
      throw_if_stop_requested();  // the tree is a build's: it may be made to take long
      if (S_ISREG(e.st.st_mode)) normalize_file(e);
    }
    set_times();
    return std::move(report_);
  }

 private:
  void normalize_file(const TreeEntry& entry) {
    ++report_.files;
    FileKind kind = classify(entry.rel);
    if (kind == FileKind::Other) return;
    std::vector<std::string> paths = {entry.rel};
    if (auto group = links_.find({entry.st.st_dev, entry.st.st_ino}); group != links_.end()) {
      if (!done_inodes_.insert(group->first).second) return;  // normalized under another name
      for (const std::string& rel : group->second)
        if (rel != entry.rel) paths.push_back(rel);
    }
    std::string path = join_path(root_, entry.rel);
    std::string data = read_file(path);
    Outcome outcome;
    try {
      outcome = transform(kind, entry.rel, data);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Input) throw;
      report_.changes.push_back({entry.rel, NormalizeAction::Skipped, e.what()});
      return;
    }
    if (outcome.action == NormalizeAction::Removed) {
      for (const std::string& rel : paths) {
        if (::unlink(join_path(root_, rel).c_str()) != 0)
          throw_errno("remove '" + join_path(root_, rel) + "'");
        removed_.insert(rel);
        touched_dirs_.insert(parent_rel(rel));
      }
    } else if (outcome.changed) {
      replace(paths, entry.st, outcome.bytes);
    } else {
      return;
    }
    report_.changes.push_back({entry.rel, outcome.action, outcome.detail});
  }

  Outcome transform(FileKind kind, const std::string& rel, const std::string& data) {
    std::string name = "'" + rel + "'";
    Outcome out;
    switch (kind) {
      case FileKind::Wheel:
        out.bytes = formats::normalize_wheel(data, name, options_.source_date_epoch);
        out.detail = "wheel: sorted, RECORD regenerated, fixed timestamps";
        break;
      case FileKind::Zip:
        out.bytes = formats::normalize_zip(data, name, options_.source_date_epoch);
        out.detail = "zip: sorted, fixed timestamps and attributes";
        break;
      case FileKind::Gzip:
        out.bytes = formats::normalize_gzip(data, name);
        out.detail = "gzip: header without name and mtime";
        break;
      case FileKind::Ar:
        if (data.compare(0, 8, "!<arch>\n") != 0) return out;
        out.bytes = formats::normalize_ar_memory(data, name);
        out.detail = "ar: deterministic member headers";
        break;
      case FileKind::Pyc:
        return transform_pyc(rel, data, name);
      case FileKind::Other:
        return out;
    }
    out.changed = out.bytes != data;
    return out;
  }

  Outcome transform_pyc(const std::string& rel, const std::string& data, const std::string& name) {
    std::optional<formats::PycSource> source;
    std::string source_data;
    auto found = by_path_.find(pyc_source_rel(rel));
    // A source reached through a symlink is not read: links are never followed.
    if (found != by_path_.end() && S_ISREG(found->second->st.st_mode)) {
      source_data = read_file(join_path(root_, found->first));
      source = formats::PycSource{source_data, found->second->st.st_mtim.tv_sec};
    }
    formats::PycNormalized normalized = formats::normalize_pyc(data, source, name);
    Outcome out;
    if (!normalized.current) {
      out.action = NormalizeAction::Removed;
      out.detail = "pyc: stale (its source '" + found->first + "' changed since)";
      return out;
    }
    out.detail = source ? "pyc: checked-hash" : "pyc: unchecked-hash (no source beside it)";
    out.bytes = std::move(normalized.bytes);
    out.changed = out.bytes != data;
    return out;
  }

  // The first path gets a new file in place (atomically, with the old mode,
  // owner and times); the other names of a hard-linked file are linked to it.
  void replace(const std::vector<std::string>& paths, const struct stat& st, const std::string& bytes) {
    std::string first = join_path(root_, paths.front());
    AtomicFile out(first, st.st_mode & 07777);
    out.write(bytes);
    // chown before chmod: changing the owner clears setuid and setgid bits.
    if ((st.st_uid != ::geteuid() || st.st_gid != ::getegid()) &&
        ::fchown(out.fd(), st.st_uid, st.st_gid) != 0)
      throw_errno("chown '" + out.temp_path() + "'");
    if (::fchmod(out.fd(), st.st_mode & 07777) != 0) throw_errno("chmod '" + out.temp_path() + "'");
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::futimens(out.fd(), times) != 0) throw_errno("set times of '" + out.temp_path() + "'");
    out.commit();
    touched_dirs_.insert(parent_rel(paths.front()));
    for (std::size_t i = 1; i < paths.size(); ++i) {
      std::string other = join_path(root_, paths[i]);
      std::string temp = parent_dir(other) + "/.cleanroom-link-" + file_name(paths[i]);
      if (::link(first.c_str(), temp.c_str()) != 0) throw_errno("link '" + temp + "'");
      if (::rename(temp.c_str(), other.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        throw_errno("rename '" + temp + "' to '" + other + "'", err);
      }
      touched_dirs_.insert(parent_rel(paths[i]));
    }
  }

  void set_times() {
    for (const TreeEntry& e : entries_)
      if (!removed_.count(e.rel)) set_time(e);
    set_time(root_entry_);
  }

  // Clamps an mtime newer than SOURCE_DATE_EPOCH; puts back the original one of
  // a directory whose entries the rewrites renamed or removed.
  void set_time(const TreeEntry& e) {
    struct timespec want = e.st.st_mtim;
    bool clamp = options_.clamp_mtimes && want.tv_sec >= options_.source_date_epoch &&
                 (want.tv_sec > options_.source_date_epoch || want.tv_nsec != 0);
    if (clamp) {
      want = {options_.source_date_epoch, 0};
      ++report_.mtimes_clamped;
    } else if (!(S_ISDIR(e.st.st_mode) && touched_dirs_.count(e.rel))) {
      return;
    }
    struct timespec times[2] = {{0, UTIME_OMIT}, want};
    std::string path = join_path(root_, e.rel);
    if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
      throw_errno("set mtime of '" + path + "'");
  }

  std::string root_;
  NormalizeOptions options_;
  std::vector<TreeEntry> entries_;
  std::map<std::string, const TreeEntry*> by_path_;
  std::map<std::pair<dev_t, ino_t>, std::vector<std::string>> links_;
  std::set<std::string> removed_, touched_dirs_;
  std::set<std::pair<dev_t, ino_t>> done_inodes_;
  TreeEntry root_entry_;  // rel "": the root itself
  NormalizeReport report_;
};

}  // namespace

NormalizeReport normalize_tree(const std::string& dir, const NormalizeOptions& options) {
  return with_context("normalize '" + dir + "'",
                      [&] { return TreeNormalizer(dir, options).run(); });
}

const char* to_string(NormalizeAction action) {
  switch (action) {
    case NormalizeAction::Rewritten: return "rewritten";
    case NormalizeAction::Removed: return "removed";
    case NormalizeAction::Skipped: return "skipped";
  }
  return "?";
}

}  // namespace cleanroom::repro
