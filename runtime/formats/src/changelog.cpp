// debian/changelog entries: a header line "source (version) dists; key=value",
// indented change lines, and a trailer " -- Name <email>  date". The formats are
// Dpkg::Changelog::Debian's; where dpkg only warns about a malformed top entry
// this parser refuses it, because a build must not guess its own version.
#include "cleanroom/formats/changelog.h"

#include <fmt/format.h>

#include <optional>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/formats/deb822.h"
#include "deb822_text.h"

namespace cleanroom::formats {

namespace {

bool name_char(char c, bool first) {
  c = deb822_text::ascii_lower(c);
  bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  return first ? alnum || c == '_' : alnum || c == '-' || c == '+' || c == '.';
}

const char* const kHeaderForm = "'source (version) distribution; urgency=medium'";

class EntryParser {
 public:
  EntryParser(const std::string& name, std::size_t line) : name_(name), line_(line) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw_input_at(name_, line_, message);
  }

  void header(std::string_view text, ChangelogEntry& entry) {
    entry.header = std::string(text);
    entry.line = line_;
    std::size_t pos = 0;
    while (pos < text.size() && name_char(text[pos], pos == 0)) ++pos;
    if (pos == 0) fail(fmt::format("expected a changelog heading {}", kHeaderForm));
    entry.source = std::string(text.substr(0, pos));
    if (text.substr(pos, 2) != " (")
      fail(fmt::format("expected ' (' after the source name '{}' in the heading {}", entry.source,
                       kHeaderForm));
    std::size_t close = text.find(')', pos + 2);
    if (close == std::string_view::npos) fail("version in the heading lacks its closing ')'");
    std::string_view version = text.substr(pos + 2, close - pos - 2);
    if (version.empty() || version.find_first_of("( \t") != std::string_view::npos)
      fail(fmt::format("'{}' is not a version; write the heading as {}", version, kHeaderForm));
    try {
      entry.version = parse_version(version);
    } catch (const Error& e) {
      fail(e.what());
    }
    std::size_t semicolon = text.find(';', close);
    if (semicolon == std::string_view::npos)
      fail(fmt::format("expected ';' after the distribution in the heading {}", kHeaderForm));
    distributions(text.substr(close + 1, semicolon - close - 1), entry);
    options(text.substr(semicolon + 1), entry);
  }

  void trailer(std::string_view text, ChangelogEntry& entry) {
    std::string_view rest = text.substr(4);  // after " -- "
    std::size_t open = rest.find(" <");
    std::size_t close = rest.find('>', open == std::string_view::npos ? 0 : open);
    if (open == std::string_view::npos || close == std::string_view::npos)
      fail(
          "trailer line lacks the maintainer; write ' -- Name <email>  Mon, 01 Jan 2024 "
          "12:00:00 +0000'");
    entry.maintainer = std::string(deb822_text::trim(rest.substr(0, close + 1)));
    std::string_view date = rest.substr(close + 1);
    if (!date.starts_with(" "))
      fail("trailer line needs two spaces between the maintainer's '>' and the date");
    date = deb822_text::trim(date);
    // A trailing "(comment)" is allowed after the time zone.
    if (date.ends_with(")"))
      if (std::size_t paren = date.rfind(" ("); paren != std::string_view::npos)
        date = deb822_text::trim(date.substr(0, paren));
    entry.date = std::string(date);
    try {
      entry.timestamp = parse_rfc2822_date(date);
    } catch (const Error& e) {
      fail(e.what());
    }
  }

  void at(std::size_t line) { line_ = line; }

 private:
  void distributions(std::string_view text, ChangelogEntry& entry) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t begin = text.find_first_not_of(" \t", pos);
      if (begin == std::string_view::npos) break;
      std::size_t end = text.find_first_of(" \t", begin);
      std::string_view dist = text.substr(begin, end == std::string_view::npos ? end : end - begin);
      for (char c : dist)
        if (!name_char(c, false))
          fail(fmt::format("'{}' is not a distribution name (letters, digits, '-', '+', '.')",
                           dist));
      entry.distributions.emplace_back(dist);
      pos = end == std::string_view::npos ? text.size() : end;
    }
    if (entry.distributions.empty() || !text.starts_with(" "))
      fail(fmt::format("the heading names no distribution; write it as {}", kHeaderForm));
  }

  void options(std::string_view text, ChangelogEntry& entry) {
    text = deb822_text::trim(text);
    while (!text.empty()) {
      std::size_t comma = text.find(',');
      std::string_view option = deb822_text::trim(text.substr(0, comma));
      text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
      std::size_t eq = option.find('=');
      if (eq == std::string_view::npos || deb822_text::trim(option.substr(0, eq)).empty() ||
          deb822_text::trim(option.substr(eq + 1)).empty())
        fail(fmt::format("'{}' in the heading is not 'key=value' (e.g. urgency=medium)", option));
      std::string key(deb822_text::trim(option.substr(0, eq)));
      std::string value(deb822_text::trim(option.substr(eq + 1)));
      for (char& c : key) c = deb822_text::ascii_lower(c);
      if (key == "urgency") {
        // "urgency=high (security fix)": the comment is not part of the urgency.
        value = std::string(value.substr(0, value.find_first_of(" \t")));
        for (char& c : value) c = deb822_text::ascii_lower(c);
        entry.urgency = value;
      } else {
        entry.options.emplace_back(key, value);
      }
    }
  }

  const std::string& name_;
  std::size_t line_;
};

std::vector<ChangelogEntry> parse(std::string_view text, const std::string& name, bool top_only) {
  std::vector<ChangelogEntry> entries;
  std::optional<ChangelogEntry> current;
  std::size_t current_line = 0;
  std::size_t pos = 0, number = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    EntryParser parser(name, number);
    if (!current) {
      if (deb822_text::is_blank(line)) continue;
      // Editor settings and old-format history may follow the last entry.
      if (!entries.empty() && (line.starts_with("Local variables:") ||
                               line.starts_with("Old Changelog:") || line.starts_with("# ")))
        break;
      current.emplace();
      current_line = number;
      parser.header(line, *current);
    } else if (line.starts_with(" -- ")) {
      parser.trailer(line, *current);
      while (!current->changes.empty() && deb822_text::is_blank(current->changes.back()))
        current->changes.pop_back();
      entries.push_back(std::move(*current));
      current.reset();
      if (top_only) break;
    } else if (deb822_text::is_blank(line)) {
      if (!current->changes.empty()) current->changes.emplace_back();
    } else if (line[0] == ' ' || line[0] == '\t') {
      current->changes.emplace_back(line.find_last_not_of(" \t") == std::string_view::npos
                                        ? std::string_view()
                                        : line.substr(0, line.find_last_not_of(" \t") + 1));
    } else {
      parser.fail(fmt::format(
          "expected an indented change line or the trailer ' -- Name <email>  date' of the "
          "entry at line {}; indent the line by two spaces",
          current_line));
    }
  }
  if (current)
    throw_input_at(name, current_line,
                   "entry has no trailer line ' -- Name <email>  Mon, 01 Jan 2024 12:00:00 "
                   "+0000'; add it");
  if (entries.empty())
    throw_input_at(name, number == 0 ? 1 : number,
                   fmt::format("changelog has no entry; start it with a heading {}", kHeaderForm));
  return entries;
}

}  // namespace

ChangelogEntry parse_changelog_top(std::string_view text, const std::string& name) {
  return std::move(parse(text, name, true).front());
}

ChangelogEntry read_changelog_top(const std::string& path) {
  return parse_changelog_top(read_file(path), path);
}

std::vector<ChangelogEntry> parse_changelog(std::string_view text, const std::string& name) {
  return parse(text, name, false);
}

}  // namespace cleanroom::formats
