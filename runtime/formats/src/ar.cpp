// ar: "!<arch>\n", then per member a 60-byte text header (name 16, mtime 12,
// uid 6, gid 6, octal mode 8, size 10, "`\n") and the data padded to an even
// length. GNU long names live in a "//" member and are referenced as "/<offset>";
// BSD long names ("#1/<len>") prefix the data. Every number is checked before it
// is used as an offset, because a fuzzed header is the first thing read.
#include "cleanroom/formats/ar.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <functional>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::formats {

namespace {

constexpr std::string_view kMagic = "!<arch>\n";
constexpr std::size_t kHeader = 60;

// Up to n bytes at offset (fewer only at the end).
using Fetch = std::function<std::string(std::uint64_t offset, std::size_t n)>;

struct Parsed {
  ArMember member;
  std::uint64_t header_offset;
  bool is_name_table;
};

std::string trim_right(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

class Parser {
 public:
  Parser(Fetch fetch, std::uint64_t total, const std::string& name)
      : fetch_(std::move(fetch)), total_(total), name_(name) {}

  std::vector<Parsed> run() {
    if (fetch_(0, kMagic.size()) != kMagic)
      fail("not an ar archive (bad magic; is it a .deb or .a at all?)");
    std::vector<Parsed> out;
    std::uint64_t at = kMagic.size();
    while (at < total_) {
      // A lone padding byte may end the archive.
      if (total_ - at == 1 && fetch_(at, 1) == "\n") break;
      member_ = fmt::format("at offset {}", at);
      if (total_ - at < kHeader) fail("truncated member header");
      std::string h = fetch_(at, kHeader);
      if (h.size() != kHeader) fail("truncated member header");
      if (h.compare(58, 2, "`\n") != 0) fail("malformed member header (no \"`\\n\" terminator)");
      Parsed p{};
      p.header_offset = at;
      std::string raw = trim_right(std::string_view(h).substr(0, 16));
      p.member.mtime = static_cast<std::int64_t>(number(h, 16, 12, 10, "mtime"));
      p.member.uid = static_cast<std::uint32_t>(number(h, 28, 6, 10, "uid"));
      p.member.gid = static_cast<std::uint32_t>(number(h, 34, 6, 10, "gid"));
      p.member.mode = static_cast<std::uint32_t>(number(h, 40, 8, 8, "mode"));
      std::uint64_t size = number(h, 48, 10, 10, "size");
      std::uint64_t data = at + kHeader;
      if (size > total_ - data)
        fail(fmt::format("claims {} bytes but only {} remain (truncated archive?)", size,
                         total_ - data));
      p.member.offset = data;
      p.member.size = size;
      p.member.name = resolve_name(raw, p);
      member_ = "'" + p.member.name + "'";
      if (p.member.name.empty()) fail("member with an empty name");
      out.push_back(std::move(p));
      at = data + size + (size & 1);
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw_input(fmt::format("ar '{}': member {}: {}", name_, member_, message));
  }

  std::uint64_t number(const std::string& h, std::size_t pos, std::size_t len, int base,
                       const char* field) const {
    std::string_view s = std::string_view(h).substr(pos, len);
    std::uint64_t value = 0;
    std::size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] < '0' + base; ++i)
      value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(s[i] - '0');
    for (; i < s.size(); ++i)
      if (s[i] != ' ') fail(fmt::format("malformed {} field '{}'", field, trim_right(s)));
    return value;
  }

  std::string resolve_name(const std::string& raw, Parsed& p) {
    if (raw == "//") {
      p.is_name_table = true;
      if (p.member.size > (16u << 20)) fail("long name table larger than 16 MiB");
      names_ = fetch_(p.member.offset, static_cast<std::size_t>(p.member.size));
      return raw;
    }
    if (raw == "/" || raw == "/SYM64/") return raw;  // symbol tables
    if (raw.size() > 1 && raw[0] == '/') {
      std::uint64_t off = 0;
      for (std::size_t i = 1; i < raw.size(); ++i) {
        if (raw[i] < '0' || raw[i] > '9' || off > names_.size())
          fail("malformed long name reference");
        off = off * 10 + static_cast<std::uint64_t>(raw[i] - '0');
      }
      if (off >= names_.size()) fail("long name reference past the name table");
      std::size_t end = names_.find("/\n", static_cast<std::size_t>(off));
      if (end == std::string::npos) fail("unterminated long name");
      return names_.substr(static_cast<std::size_t>(off), end - static_cast<std::size_t>(off));
    }
    if (raw.rfind("#1/", 0) == 0) {
      std::uint64_t len = 0;
      for (std::size_t i = 3; i < raw.size(); ++i) {
        if (raw[i] < '0' || raw[i] > '9' || len > 4096) fail("malformed BSD long name");
        len = len * 10 + static_cast<std::uint64_t>(raw[i] - '0');
      }
      if (len > p.member.size) fail("BSD long name longer than the member");
      std::string name = fetch_(p.member.offset, static_cast<std::size_t>(len));
      p.member.offset += len;
      p.member.size -= len;
      return std::string(name.c_str());  // NUL padded
    }
    if (!raw.empty() && raw.back() == '/') return raw.substr(0, raw.size() - 1);
    return raw;
  }

  Fetch fetch_;
  std::uint64_t total_;
  const std::string& name_;
  std::string member_;
  std::string names_;
};

std::string pread_exact(int fd, std::uint64_t offset, std::size_t n, const std::string& what) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw_errno("read '" + what + "'");
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  out.resize(got);
  return out;
}

std::vector<Parsed> parse_fd(int fd, const std::string& name) {
  struct stat st;
  if (::fstat(fd, &st) != 0) throw_errno("stat '" + name + "'");
  return Parser([&](std::uint64_t off, std::size_t n) { return pread_exact(fd, off, n, name); },
                static_cast<std::uint64_t>(st.st_size), name)
      .run();
}

std::vector<Parsed> parse_memory(std::string_view data, const std::string& name) {
  return Parser(
             [&](std::uint64_t off, std::size_t n) {
               if (off >= data.size()) return std::string();
               return std::string(data.substr(static_cast<std::size_t>(off), n));
             },
             data.size(), name)
      .run();
}

std::vector<ArMember> members_of(std::vector<Parsed> parsed) {
  std::vector<ArMember> out;
  for (Parsed& p : parsed) out.push_back(std::move(p.member));
  return out;
}

// A header field left-justified and space padded, as ar(5) wants.
std::string field(const std::string& value, std::size_t width) {
  std::string s = value.substr(0, width);
  s.resize(width, ' ');
  return s;
}

}  // namespace

std::vector<ArMember> list_ar_fd(int fd, const std::string& name_for_errors) {
  return members_of(parse_fd(fd, name_for_errors));
}

std::vector<ArMember> list_ar_memory(std::string_view data, const std::string& name_for_errors) {
  return members_of(parse_memory(data, name_for_errors));
}

std::string read_ar_member(int fd, const ArMember& member, const std::string& name_for_errors) {
  std::string data =
      pread_exact(fd, member.offset, static_cast<std::size_t>(member.size), name_for_errors);
  if (data.size() != member.size)
    throw_input(fmt::format("ar '{}': member '{}': truncated", name_for_errors, member.name));
  return data;
}

ArWriter::ArWriter(int fd, std::string name_for_errors, std::int64_t mtime)
    : fd_(fd), what_(std::move(name_for_errors)), mtime_(mtime) {
  write_all(fd_, kMagic, "'" + what_ + "'");
}

void ArWriter::header(const std::string& name, std::uint64_t size) {
  if (name.empty() || name.size() > 15 || name.find_first_of("/ ") != std::string::npos)
    throw_input(fmt::format("ar '{}': member name '{}' must be 1-15 bytes without '/' or space",
                            what_, name));
  std::string h = field(name, 16) + field(std::to_string(mtime_), 12) + field("0", 6) +
                  field("0", 6) + field("100644", 8) + field(std::to_string(size), 10) + "`\n";
  write_all(fd_, h, "'" + what_ + "'");
}

void ArWriter::add(const std::string& name, std::string_view data) {
  header(name, data.size());
  write_all(fd_, data, "'" + what_ + "'");
  if (data.size() & 1) write_all(fd_, "\n", "'" + what_ + "'");
}

void ArWriter::begin(const std::string& name) {
  open_at_ = ::lseek(fd_, 0, SEEK_CUR);
  if (open_at_ < 0) throw_errno("seek '" + what_ + "'");
  header(name, 0);
}

void ArWriter::end() {
  off_t now = ::lseek(fd_, 0, SEEK_CUR);
  if (now < 0 || open_at_ < 0) throw_errno("seek '" + what_ + "'");
  auto size = static_cast<std::uint64_t>(now - open_at_) - kHeader;
  std::string sz = field(std::to_string(size), 10);
  if (::pwrite(fd_, sz.data(), sz.size(), open_at_ + 48) != static_cast<ssize_t>(sz.size()))
    throw_errno("patch member size in '" + what_ + "'");
  if (size & 1) write_all(fd_, "\n", "'" + what_ + "'");
  open_at_ = -1;
}

std::string normalize_ar_memory(std::string_view data, const std::string& name_for_errors) {
  std::string out(data);
  for (const Parsed& p : parse_memory(data, name_for_errors)) {
    if (p.is_name_table) continue;  // its fields are blank by convention
    bool symbols = p.member.name == "/" || p.member.name == "/SYM64/";
    std::string fields =
        field("0", 12) + field("0", 6) + field("0", 6) + field(symbols ? "0" : "644", 8);
    out.replace(static_cast<std::size_t>(p.header_offset) + 16, fields.size(), fields);
  }
  return out;
}

void normalize_ar_file(const std::string& path) {
  std::string data = read_file(path);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw_errno("stat '" + path + "'");
  write_file_atomic(path, normalize_ar_memory(data, path), st.st_mode & 07777);
}

}  // namespace cleanroom::formats
