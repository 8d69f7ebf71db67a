#include "cleanroom/formats/wheel.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <tuple>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/sha256.h"

namespace cleanroom::formats {

namespace {

std::string top_dir(const std::string& name) {
  auto slash = name.find('/');
  return slash == std::string::npos ? std::string() : name.substr(0, slash);
}

bool in_dist_info(const std::string& name) { return std::string_view(top_dir(name)).ends_with(".dist-info"); }

std::string hex_to_bytes(const std::string& hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1]));
  return out;
}

std::string base64url_nopad(std::string_view bytes) {
  static const char table[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += table[(v >> shift) & 63];
  }
  std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    if (rest == 2) out += table[(v >> 6) & 63];
  }
  return out;
}

// Python's csv module (which writes RECORD) quotes a field holding a separator,
// a quote or a line break, doubling the quotes inside.
std::string csv_field(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string wheel_record_path(const std::vector<ZipEntry>& entries, const std::string& name) {
  std::vector<std::string> found;
  for (const ZipEntry& entry : entries) {
    std::string dir = top_dir(entry.name);
    if (std::string_view(dir).ends_with(".dist-info") && entry.name == dir + "/RECORD") found.push_back(entry.name);
  }
  if (found.empty()) throw_input(name + ": not a wheel: no top-level *.dist-info/RECORD");
  if (found.size() > 1)
    throw_input(name + ": ambiguous wheel: both '" + found[0] + "' and '" + found[1] + "'");
  return found.front();
}

void order_wheel_entries(std::vector<ZipEntry>& entries, const std::string& record_path) {
  auto key = [&](const ZipEntry& e) {
    return std::make_tuple(in_dist_info(e.name), e.name == record_path, std::cref(e.name));
  };
  std::sort(entries.begin(), entries.end(),
            [&](const ZipEntry& a, const ZipEntry& b) { return key(a) < key(b); });
}

std::string wheel_record_hash(std::string_view data) {
  return "sha256=" + base64url_nopad(hex_to_bytes(sha256_hex(data)));
}

std::string make_wheel_record(const std::vector<ZipEntry>& entries, const std::string& record_path) {
  std::string out;
  for (const ZipEntry& entry : entries) {
    if (entry.is_directory() || entry.name == record_path) continue;
    out += csv_field(entry.name);
    if (entry.name == record_path + ".jws" || entry.name == record_path + ".p7s")
      out += ",,\n";
    else
      out += "," + wheel_record_hash(entry.data) + "," + std::to_string(entry.data.size()) + "\n";
  }
  return out + csv_field(record_path) + ",,\n";
}

std::string normalize_wheel(std::string_view bytes, const std::string& name,
                            std::int64_t source_date_epoch) {
  ZipArchive archive = read_zip(bytes, name);
  std::string record_path = wheel_record_path(archive.entries, name);
  order_wheel_entries(archive.entries, record_path);
  // Ordering put RECORD last; its content is only known once the rest is.
  archive.entries.back().data = make_wheel_record(archive.entries, record_path);
  ZipWriteOptions options;
  options.timestamp = source_date_epoch;
  return with_context(name, [&] { return write_zip(archive.entries, options); });
}

bool normalize_wheel_file(const std::string& path, std::int64_t source_date_epoch) {
  std::string before = read_file(path);
  std::string after = normalize_wheel(before, "'" + path + "'", source_date_epoch);
  if (after == before) return false;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_errno("stat '" + path + "'");
  AtomicFile out(path, st.st_mode & 07777);
  out.write(after);
  // The umask applies at creation; the wheel keeps exactly the bits it had.
  if (::fchmod(out.fd(), st.st_mode & 07777) != 0) throw_errno("chmod '" + out.temp_path() + "'");
  out.commit();
  return true;
}

}  // namespace cleanroom::formats
