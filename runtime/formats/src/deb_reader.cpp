// Reading a .deb as dpkg-deb does: debian-binary first with major version 2,
// then control.tar.*, then data.tar.*; members whose names start with '_' are
// allowed in between and ignored (deb(5)). The tars are streamed from their
// place in the ar file.
#include <fcntl.h>
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/deb.h"
#include "extract_stream.h"
#include "tar_stream.h"

namespace cleanroom::formats {

struct DebReader::Source {
  std::string name;
  UniqueFd fd;             // when reading a file
  std::string_view bytes;  // when reading memory

  std::string member_name(const ArMember& m) const { return name + "(" + m.name + ")"; }

  std::string read(const ArMember& m) const {
    if (fd) return read_ar_member(fd.get(), m, name);
    return std::string(
        bytes.substr(static_cast<std::size_t>(m.offset), static_cast<std::size_t>(m.size)));
  }

  TarStream open(const ArMember& m) const {
    if (fd) return TarStream::open_range(fd.get(), m.offset, m.size, member_name(m));
    return TarStream::open_memory(
        bytes.substr(static_cast<std::size_t>(m.offset), static_cast<std::size_t>(m.size)),
        member_name(m));
  }

  void visit(const ArMember& m, const TarVisitor& v) const { visit_tar_stream(open(m), v); }
};

namespace {

bool is_tar_member(const std::string& name, const std::string& stem) {
  if (name.rfind(stem, 0) != 0) return false;
  std::string rest = name.substr(stem.size());
  return rest.empty() || rest == ".gz" || rest == ".xz" || rest == ".zst";
}

}  // namespace

DebReader::DebReader(const std::string& path) : source_(std::make_unique<Source>()) {
  source_->name = path;
  source_->fd = open_fd(path, O_RDONLY);
  members_ = list_ar_fd(source_->fd.get(), path);
  validate();
}

DebReader::DebReader(UniqueFd fd, const std::string& name_for_errors)
    : source_(std::make_unique<Source>()) {
  source_->name = name_for_errors;
  source_->fd = std::move(fd);
  members_ = list_ar_fd(source_->fd.get(), name_for_errors);
  validate();
}

DebReader::DebReader(std::string_view data, const std::string& name_for_errors)
    : source_(std::make_unique<Source>()) {
  source_->name = name_for_errors;
  source_->bytes = data;
  members_ = list_ar_memory(data, name_for_errors);
  validate();
}

DebReader::~DebReader() = default;
DebReader::DebReader(DebReader&&) noexcept = default;

void DebReader::validate() {
  const std::string& name = source_->name;
  auto fail = [&](const std::string& message) {
    throw_input(fmt::format("deb '{}': {}", name, message));
  };
  if (members_.empty() || members_[0].name != "debian-binary")
    fail(fmt::format("first member is '{}', expected 'debian-binary' (not a binary package?)",
                     members_.empty() ? "" : members_[0].name));
  if (members_[0].size > 64) fail("debian-binary is larger than 64 bytes");
  std::string version = source_->read(members_[0]);
  bool ok = version.size() >= 4 && version.compare(0, 2, "2.") == 0 && version.back() == '\n';
  for (std::size_t i = 2; ok && i + 1 < version.size(); ++i)
    ok = version[i] >= '0' && version[i] <= '9';
  if (!ok) {
    std::string shown = version.substr(0, version.find('\n'));
    fail(fmt::format("debian-binary says '{}', expected '2.0' (format version 2)", shown));
  }
  bool control = false, data = false;
  for (std::size_t i = 1; i < members_.size() && !data; ++i) {
    const std::string& m = members_[i].name;
    if (!control && is_tar_member(m, "control.tar")) {
      control = true;
      control_ = i;
    } else if (control && is_tar_member(m, "data.tar")) {
      data = true;
      data_ = i;
    } else if (m.empty() || m[0] != '_') {
      fail(fmt::format("unexpected member '{}' (expected {})", m,
                       control ? "data.tar.{gz,xz,zst}" : "control.tar.{gz,xz,zst}"));
    }
  }
  if (!control) fail("missing member control.tar.{gz,xz,zst}");
  if (!data) fail("missing member data.tar.{gz,xz,zst}");
}

const std::vector<ArMember>& DebReader::members() const { return members_; }
const ArMember& DebReader::control_member() const { return members_[control_]; }
const ArMember& DebReader::data_member() const { return members_[data_]; }

void DebReader::read_control(const TarVisitor& visit) const {
  source_->visit(control_member(), visit);
}

void DebReader::read_data(const TarVisitor& visit) const { source_->visit(data_member(), visit); }

void DebReader::extract_data(const std::string& dest, const ExtractOptions& options) const {
  TarStream stream = source_->open(data_member());
  extract_stream(stream, dest, options);
}

std::optional<std::string> DebReader::control_file(const std::string& name) const {
  // Control files are small; a compressed member that claims gigabytes for one
  // is a bomb, refused before it is held in memory.
  constexpr std::uint64_t kLimit = 64u << 20;
  TarStream stream = source_->open(control_member());
  TarEntry entry;
  while (stream.next(entry)) {
    if (entry.type == EntryType::File && entry.path == name) {
      if (entry.size > kLimit) stream.fail(fmt::format("larger than {} bytes", kLimit));
      return stream.read_content(kLimit);
    }
  }
  return std::nullopt;
}

std::string DebReader::control_text() const {
  auto text = control_file("control");
  if (!text)
    throw_input(fmt::format("deb '{}': member '{}' has no 'control' file", source_->name,
                            control_member().name));
  return *text;
}

Deb822Paragraph DebReader::control_fields() const {
  auto fields = parse_deb822(control_text(), source_->name + ":control");
  if (fields.paragraphs.empty()) throw_input(fmt::format("'{}': empty control file", source_->name));
  return fields.paragraphs.front();
}

}  // namespace cleanroom::formats
