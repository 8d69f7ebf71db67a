#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/path.h"
#include "cleanroom/formats/tar.h"
#include "cleanroom/store/meta.h"
#include "cleanroom/store/verify.h"
#include "tree_scan.h"

namespace cleanroom::store {

namespace {

void copy_into(const std::string& from, AtomicFile& to) {
  UniqueFd in = open_fd(from, O_RDONLY);
  std::string buf(1 << 20, '\0');
  while (true) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read '" + from + "'");
    if (n == 0) break;
    to.write(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  }
}

}  // namespace

void export_snapshot(const Store& store, const std::string& name_or_id, const std::string& file) {
  auto compression = formats::compression_from_name(file);
  if (!compression)
    throw_input(fmt::format("export to '{}': unknown kind; name it .tar.zst, .tar.xz, .tar.gz "
                            "or .tar", file));
  SnapshotInfo info = store.resolve(name_or_id);
  std::string dir = store.snapshot_dir(info.id);
  struct stat st {};
  std::string target_dir = parent_dir(file);
  if (::stat(target_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw_input(fmt::format("export to '{}': directory '{}' does not exist; create it first",
                            file, target_dir));
  AtomicFile out(file, 0644);
  if (*compression == formats::Compression::Zstd) {
    // The stored archive itself: its hash is the id, so the export proves itself.
    copy_into(dir + "/snapshot.tar.zst", out);
  } else {
    SnapshotMeta meta = decode_meta(read_file(dir + "/meta.json"), dir + "/meta.json");
    formats::TarWriteOptions options;
    options.compression = *compression;
    options.clamp_mtime = meta.source_date_epoch;
    formats::write_tar(scan_snapshot_tree(info.root_dir, store.id_map(), true), out.fd(),
                       options);
  }
  out.commit();
}

}  // namespace cleanroom::store
