// The Unix ar format: the container of a .deb and of static libraries (.a).
// The writer is deterministic: uid/gid 0, mode 100644, and one fixed mtime
// (0, or SOURCE_DATE_EPOCH as dpkg-deb writes it). The reader validates every
// header and reports members with their offsets, so large members (data.tar)
// are streamed straight from the file instead of being copied into memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroom::formats {

struct ArMember {
  std::string name;  // without the GNU "/" terminator or padding; long names resolved
  std::int64_t mtime = 0;
  std::uint32_t uid = 0, gid = 0;
  std::uint32_t mode = 0100644;
  std::uint64_t offset = 0;  // of the member's data in the archive
  std::uint64_t size = 0;
};

// Parses every header; throws Error(Input) naming archive and member for bad magic,
// malformed headers, sizes past the end or a truncated archive.
std::vector<ArMember> list_ar_fd(int fd, const std::string& name_for_errors);
std::vector<ArMember> list_ar_memory(std::string_view data, const std::string& name_for_errors);
// The member's bytes (for small members: debian-binary, control files).
std::string read_ar_member(int fd, const ArMember& member, const std::string& name_for_errors);

// Writes an ar archive member by member to a seekable fd the caller owns.
class ArWriter {
 public:
  ArWriter(int fd, std::string name_for_errors, std::int64_t mtime = 0);
  // Names: at most 15 bytes, no '/' or space (all a .deb needs).
  void add(const std::string& name, std::string_view data);
  // Streams a member of unknown size: begin, write its bytes to fd() directly,
  // then end, which patches the size into the header and pads.
  void begin(const std::string& name);
  void end();
  int fd() const { return fd_; }

 private:
  void header(const std::string& name, std::uint64_t size);
  int fd_;
  std::string what_;
  std::int64_t mtime_;
  std::int64_t open_at_ = -1;  // header offset of the member begun, if any
};

// Rewrites an ar archive (a static library) as binutils' deterministic mode
// does: mtime 0, uid/gid 0, mode 644 for every member; names, order, symbol
// table and data untouched.
std::string normalize_ar_memory(std::string_view data, const std::string& name_for_errors);
// The same on a file, replaced atomically.
void normalize_ar_file(const std::string& path);

}  // namespace cleanroom::formats
