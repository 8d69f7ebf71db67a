#include "deb_md5sums.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"

namespace cleanroom::formats {

namespace {
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
}  // namespace

std::string md5_file_hex(const std::string& path) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1)
    throw_failure("md5: cannot initialize a digest for '" + path + "'");
  UniqueFd fd = open_fd(path, O_RDONLY | O_NOFOLLOW);
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read '" + path + "'");
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf, static_cast<std::size_t>(n));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

std::string make_md5sums(const std::vector<TarEntry>& data_entries,
                         const std::set<std::string>& conffiles) {
  // Hardlinks count as files (find -type f sees every name), hashed through
  // the entry that holds their content.
  std::map<std::string, std::string> sources;
  for (const TarEntry& e : data_entries)
    if (e.type == EntryType::File) sources.emplace(e.path, e.source_path);
  std::vector<std::pair<std::string, std::string>> lines;  // path, source
  for (const TarEntry& e : data_entries) {
    if (e.type == EntryType::File) lines.emplace_back(e.path, e.source_path);
    auto it = sources.find(e.link_target);
    if (e.type == EntryType::Hardlink && it != sources.end())
      lines.emplace_back(e.path, it->second);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& [path, source] : lines) {
    if (conffiles.count("/" + path)) continue;
    out += md5_file_hex(source) + "  " + path + "\n";
  }
  return out;
}

}  // namespace cleanroom::formats
