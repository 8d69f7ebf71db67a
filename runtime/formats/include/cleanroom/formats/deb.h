// The .deb binary package (deb(5)): an ar archive of "debian-binary" ("2.0\n"),
// control.tar.{gz,xz,zst} and data.tar.{gz,xz,zst}, in that order.
//
// build_deb writes the same bytes for the same tree every time: GNU tar members
// as dpkg-deb makes them ("./" names, parents first), mtimes clamped to
// SOURCE_DATE_EPOCH, root:root owners, normalized permissions, and dpkg-deb's
// compressor settings, so that a tree dpkg-deb --root-owner-group would pack
// gives dpkg-deb's bytes; the output appears atomically under its final name.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/ar.h"
#include "cleanroom/formats/compression.h"
#include "cleanroom/formats/deb822.h"
#include "cleanroom/formats/tar.h"

namespace cleanroom::formats {

struct DebBuildOptions {
  // xz reads everywhere (stretch, buster); zstd needs dpkg >= 1.21.18 (bookworm+).
  Compression compression = Compression::Xz;
  int level = -1;  // -1: dpkg-deb's default (gzip 9, xz 6, zstd 3)
  // SOURCE_DATE_EPOCH: clamps every mtime and is the ar members' mtime.
  std::int64_t source_date_epoch = 0;
  bool normalize_permissions = true;
  // Data entries that keep an owner other than root (TarWriteOptions::owners).
  std::map<std::string, TarOwner> owners;
};

// Builds out_path from the data tree root and the control directory (DEBIAN
// style: control, conffiles, maintainer scripts, ...). control_dir "" means
// root/DEBIAN, which is then left out of the data. md5sums is generated when the
// control directory has none (regular files, conffiles excluded, as
// dh_md5sums does). Maintainer scripts get 0755, other control files 0644.
void build_deb(const std::string& root, const std::string& control_dir, const std::string& out_path,
               const DebBuildOptions& options);

// Reads a .deb: checks debian-binary and the member order on open, then lists
// and streams the control and data members. Every problem is an Error(Input)
// naming the .deb and the member.
class DebReader {
 public:
  explicit DebReader(const std::string& path);
  // Over a file already opened and checked (see base/sandbox_file.h), read
  // piecewise like a path: a huge or sparse file costs no memory.
  DebReader(UniqueFd fd, const std::string& name_for_errors);
  // Over bytes in memory (fuzzing, tests); data must outlive the reader.
  DebReader(std::string_view data, const std::string& name_for_errors);
  ~DebReader();
  DebReader(DebReader&&) noexcept;
  DebReader& operator=(DebReader&&) = delete;

  const std::vector<ArMember>& members() const;
  const ArMember& control_member() const;
  const ArMember& data_member() const;
  // The "control" file as raw text (parsing it is deb822's business).
  std::string control_text() const;
  // Its one paragraph, parsed; Error(Input) naming the package when empty.
  Deb822Paragraph control_fields() const;
  // Any file of the control member ("md5sums", "postinst"); nullopt if absent.
  std::optional<std::string> control_file(const std::string& name) const;
  void read_control(const TarVisitor& visit) const;
  void read_data(const TarVisitor& visit) const;
  // Extracts data.tar into dest with extract_tar's safety rules.
  void extract_data(const std::string& dest, const ExtractOptions& options) const;

  struct Source;

 private:
  void validate();
  std::unique_ptr<Source> source_;
  std::vector<ArMember> members_;
  std::size_t control_ = 0, data_ = 0;
};

}  // namespace cleanroom::formats
