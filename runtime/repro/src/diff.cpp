// Entry points of the structured diff, format detection and the leaves: text
// gets a unified diff, anything else the first differing offset and hexdumps.
#include "cleanroom/repro/diff.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>

#include "cleanroom/base/error.h"
#include "cleanroom/base/path.h"
#include "cleanroom/formats/gzip_normalize.h"
#include "cleanroom/formats/zip.h"
#include "diff_engine.h"
#include "mapped_file.h"
#include "same_bytes.h"

namespace cleanroom::repro {

namespace detail {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_container(BlobFormat f) { return f != BlobFormat::Text && f != BlobFormat::Binary; }

// The name of what a .gz holds, as gunzip would call it.
std::string gunzipped_name(const std::string& name) {
  if (std::string_view(name).ends_with(".tgz")) return name.substr(0, name.size() - 4) + ".tar";
  if (std::string_view(name).ends_with(".gz")) return name.substr(0, name.size() - 3);
  return name + ".gunzipped";
}

// mtime, name and OS of the first member: what gzip headers usually differ in.
std::string gzip_header_summary(std::string_view gz) {
  auto byte = [&](std::size_t i) { return i < gz.size() ? static_cast<unsigned char>(gz[i]) : 0u; };
  std::uint32_t mtime = byte(4) | byte(5) << 8 | byte(6) << 16 | static_cast<std::uint32_t>(byte(7)) << 24;
  std::string out = fmt::format("mtime {}, os {}, flags 0x{:02x}", mtime, byte(9), byte(3));
  if (byte(3) & 0x08) {
    std::size_t at = 10;
    if (byte(3) & 0x04) at += 2 + (byte(10) | byte(11) << 8);
    std::size_t end = gz.find('\0', at);
    if (at < gz.size() && end != std::string_view::npos)
      out += fmt::format(", name '{}'", gz.substr(at, end - at));
  }
  return out;
}

}  // namespace

BlobFormat detect_format(std::string_view data) {
  if (starts_with(data, "!<arch>\n"))
    return data.substr(8, 16).substr(0, 13) == "debian-binary" ? BlobFormat::Deb : BlobFormat::Ar;
  if (formats::looks_like_zip(data)) return BlobFormat::Zip;
  if (formats::looks_like_gzip(data)) return BlobFormat::Gzip;
  if (starts_with(data, std::string_view("\xfd" "7zXZ\0", 6)) ||
      starts_with(data, std::string_view("\x28\xb5\x2f\xfd", 4)))
    return BlobFormat::CompressedTar;
  if (data.size() >= 512 && data.substr(257, 5) == "ustar") return BlobFormat::Tar;
  return looks_like_text(data) ? BlobFormat::Text : BlobFormat::Binary;
}

const char* to_string(BlobFormat format) {
  switch (format) {
    case BlobFormat::Deb: return "deb";
    case BlobFormat::Ar: return "ar";
    case BlobFormat::Zip: return "zip";
    case BlobFormat::Gzip: return "gzip";
    case BlobFormat::Tar: return "tar";
    case BlobFormat::CompressedTar: return "compressed tar";
    case BlobFormat::Text: return "text";
    case BlobFormat::Binary: return "binary";
  }
  return "?";
}

std::string member_path(const std::string& container, const std::string& member) {
  return container.empty() ? member : container + "::" + member;
}

void Differ::report(Difference difference) {
  ++result_.total;
  if (listing()) result_.differences.push_back(std::move(difference));
}

DiffResult Differ::take_result() { return std::move(result_); }

void Differ::blobs(const std::string& path, const std::string& name, std::string_view a,
                   std::string_view b, int depth, bool deb_control) {
  if (a == b) return;
  BlobFormat fa = detect_format(a), fb = detect_format(b);
  std::string note;
  if (fa == fb && is_container(fa) && depth < options_.max_depth) {
    // Each container compare parses both sides before it reports anything, so
    // an input it cannot parse leaves nothing half-reported behind.
    try {
      switch (fa) {
        case BlobFormat::Deb: return ars(path, a, b, depth, true);
        case BlobFormat::Ar: return ars(path, a, b, depth, false);
        case BlobFormat::Zip: return zips(path, a, b, depth);
        case BlobFormat::Gzip: return gzips(path, name, a, b, depth);
        case BlobFormat::Tar:
        case BlobFormat::CompressedTar: return tars(path, a, b, depth, deb_control);
        default: break;
      }
    } catch (const HostileInput&) {
      throw;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Input) throw;
      note = fmt::format("cannot be opened as {}: {}\n", to_string(fa), e.what());
    }
  } else if (fa != fb && (is_container(fa) || is_container(fb))) {
    report({path, DifferenceKind::Type, "format", to_string(fa), to_string(fb), ""});
  }
  leaf(path, a, b, note);
}

void Differ::leaf(const std::string& path, std::string_view a, std::string_view b,
                  const std::string& note) {
  Difference d{path, DifferenceKind::Content, "binary", fmt::format("{} bytes", a.size()),
               fmt::format("{} bytes", b.size()), note};
  if (listing()) {
    if (looks_like_text(a) && looks_like_text(b)) {
      d.field = "text";
      d.detail += unified_diff(a, b, options_.text);
    } else {
      ByteDifference bytes = first_byte_difference(a, b, options_.hexdump_context);
      d.detail += fmt::format("first difference at offset {} (0x{:x})\n--- a\n{}+++ b\n{}",
                              bytes.offset, bytes.offset, bytes.a_dump, bytes.b_dump);
    }
  }
  report(std::move(d));
}

void Differ::container_bytes(const std::string& path, std::size_t found_before,
                             std::string_view a, std::string_view b, const char* what) {
  if (result_.total != found_before || a == b) return;
  leaf(path, a, b,
       fmt::format("every member compares equal, but the {} bytes differ (headers, order or "
                   "compression)\n",
                   what));
}

void Differ::gzips(const std::string& path, const std::string& name, std::string_view a,
                   std::string_view b, int depth) {
  std::string da = formats::gzip_decompress(a, "'" + name + "' (A)", budget_);
  std::string db = formats::gzip_decompress(b, "'" + name + "' (B)", budget_);
  std::size_t before = result_.total;
  if (da != db) {
    BlobFormat fa = detect_format(da);
    // A .tar.gz reads as one container: its members are listed right under it.
    if (fa == BlobFormat::Tar && detect_format(db) == BlobFormat::Tar)
      tars(path, da, db, depth, false);
    else
      blobs(member_path(path, gunzipped_name(name)), gunzipped_name(name), da, db, depth + 1);
  }
  std::string ha = gzip_header_summary(a), hb = gzip_header_summary(b);
  if (ha != hb) report({path, DifferenceKind::Metadata, "gzip header", ha, hb, ""});
  container_bytes(path, before, a, b, "gzip");
}

}  // namespace detail

namespace {

struct stat stat_input(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_errno("cannot read '" + path + "'", errno, ErrorKind::Input);
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
    throw_input("'" + path + "' is neither a regular file nor a directory");
  return st;
}

}  // namespace

DiffResult diff_paths(const std::string& a, const std::string& b, const DiffOptions& options) {
  struct stat sa = stat_input(a), sb = stat_input(b);
  detail::Differ differ(options);
  if (S_ISDIR(sa.st_mode) && S_ISDIR(sb.st_mode)) {
    differ.trees(a, b);
  } else if (S_ISDIR(sa.st_mode) != S_ISDIR(sb.st_mode)) {
    auto kind = [](const struct stat& st) { return S_ISDIR(st.st_mode) ? "directory" : "file"; };
    differ.report({"", DifferenceKind::Type, "type", kind(sa), kind(sb), ""});
  } else if (sa.st_size == 0 || sa.st_size != sb.st_size ||
             !detail::same_bytes(a, b, static_cast<std::uint64_t>(sa.st_size))) {
    // Mapped, not read: the members of differing inputs are viewed in place,
    // never copied. (Size 0 may be a /proc file: MappedFile reads those.)
    detail::MappedFile ma(a), mb(b);
    differ.blobs("", file_name(a), ma.bytes(), mb.bytes(), 0);
  }
  return differ.take_result();
}

DiffResult diff_bytes(std::string_view a, std::string_view b, const std::string& name,
                      const DiffOptions& options) {
  detail::Differ differ(options);
  differ.blobs("", name, a, b, 0);
  return differ.take_result();
}

const char* to_string(DifferenceKind kind) {
  switch (kind) {
    case DifferenceKind::OnlyInA: return "only-in-a";
    case DifferenceKind::OnlyInB: return "only-in-b";
    case DifferenceKind::Type: return "type";
    case DifferenceKind::Metadata: return "metadata";
    case DifferenceKind::Field: return "field";
    case DifferenceKind::Content: return "content";
  }
  return "?";
}

}  // namespace cleanroom::repro
