// The names publish writes into conf/distributions and hands reprepro. Each
// is one line of that file and one argument: a newline would add a field of
// the caller's choosing (DebIndices and Log name programs reprepro runs), a
// leading '-' would be read as an option, a '/' or ".." places dists/ files
// elsewhere. So each is held to a set of characters like Debian's own names.
#include <fmt/format.h>

#include <cctype>

#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"
#include "cleanroom/release/publish.h"

namespace cleanroom::build {

namespace {

constexpr std::size_t kNameMax = 100;

bool is_name(const std::string& s, bool lowercase_only, const char* extra) {
  if (s.empty() || s.size() > kNameMax) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool alnum = std::isdigit(c) || std::islower(c) || (!lowercase_only && std::isupper(c));
    if (!alnum &&
        (i == 0 || std::string_view(extra).find(static_cast<char>(c)) == std::string_view::npos))
      return false;
  }
  return true;
}

void require_name(const std::string& option, const std::string& value, const std::string& fix) {
  if (!is_name(value, false, ".+~_-"))
    throw_input(
        fmt::format("publish: {} \"{}\" is not a valid name; {}", option, excerpt(value), fix));
}

}  // namespace

std::string checked_architectures(const std::string& list) {
  std::string out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find_first_of(" ,", start);
    if (end == std::string::npos) end = list.size();
    std::string arch = list.substr(start, end - start);
    if (!arch.empty()) {
      if (!is_name(arch, true, "-"))
        throw_input(
            fmt::format("publish: --architectures \"{}\" holds \"{}\", which is not a Debian "
                        "architecture; "
                        "list names like amd64 arm64, separated by spaces or commas",
                        excerpt(list), excerpt(arch)));
      out += (out.empty() ? "" : " ") + arch;
    }
    start = end + 1;
  }
  if (out.empty())
    throw_input(
        fmt::format("publish: --architectures \"{}\" names no architecture; list names "
                    "like amd64 arm64, or leave it out for the host's",
                    excerpt(list)));
  return out;
}

void check_publish_options(const PublishOptions& o) {
  const std::string chars =
      "use letters, digits and . + ~ _ - (starting with a letter or digit, at most 100)";
  require_name("--codename", o.codename, chars + ", e.g. bookworm-2024.1");
  if (!o.suite.empty()) require_name("--suite", o.suite, chars + ", e.g. staging");
  require_name("--component", o.component, chars + ", e.g. main");
  require_name("--origin", o.origin, chars + ", e.g. cleanroom");
  if (!o.architectures.empty()) checked_architectures(o.architectures);
}

}  // namespace cleanroom::build
