// Parser for relationship fields. The grammar is Dpkg::Deps's; the obsolete
// '<' and '>' relations, which dpkg still reads as '<=' and '>=', are refused
// because their meaning surprises everyone who reads them.
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/dependency.h"

namespace cleanroom::formats {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

class DependencyParser {
 public:
  DependencyParser(std::string_view value, std::string_view field, std::string_view file,
                   std::size_t line)
      : text_(value), field_(field), file_(file), line_(line) {}

  Dependencies run() {
    Dependencies deps;
    while (pos_ <= text_.size()) {
      std::size_t end = find_top_level(',');
      std::string_view group = text_.substr(pos_, end - pos_);
      if (!blank(group)) deps.groups.push_back(parse_group(pos_, end));
      pos_ = end + 1;
    }
    return deps;
  }

 private:
  // Commas and bars never occur inside (), [] or <>, so a plain search is enough.
  std::size_t find_top_level(char c) const {
    std::size_t at = text_.find(c, pos_);
    return at == std::string_view::npos ? text_.size() : at;
  }

  static bool blank(std::string_view s) {
    for (char c : s)
      if (!is_space(c)) return false;
    return true;
  }

  DependencyGroup parse_group(std::size_t begin, std::size_t end) {
    DependencyGroup group;
    std::size_t start = begin;
    for (;;) {
      std::size_t bar = text_.find('|', start);
      if (bar == std::string_view::npos || bar > end) bar = end;
      if (blank(text_.substr(start, bar - start)))
        fail(start, "empty alternative around '|'; remove the extra '|'");
      group.push_back(parse_alternative(start, bar));
      if (bar == end) break;
      start = bar + 1;
    }
    return group;
  }

  DependencyAlternative parse_alternative(std::size_t begin, std::size_t end) {
    cur_ = begin;
    end_ = end;
    start_ = begin;
    skip_space();
    start_ = cur_;
    DependencyAlternative alt;
    if (text_.substr(cur_).starts_with("${")) {
      std::size_t close = text_.find('}', cur_);
      if (close != std::string_view::npos && close < end_) {
        alt.name = std::string(text_.substr(cur_, close + 1 - cur_));
        alt.substvar = true;
        cur_ = close + 1;
        skip_space();
        if (cur_ != end_)
          fail(cur_, fmt::format("unexpected '{}' after the substitution variable {}; separate "
                                 "entries with ','",
                                 rest(), alt.name));
        return alt;
      }
    }
    alt.name = package_name();
    if (peek() == ':') {
      ++cur_;
      alt.arch_qualifier = word("architecture qualifier after ':'");
    }
    skip_space();
    if (peek() == '(') version(alt);
    skip_space();
    if (peek() == '[') arch_list(alt);
    skip_space();
    while (peek() == '<') profile_formula(alt);
    if (cur_ != end_)
      fail(cur_, fmt::format("unexpected '{}' in '{}'; expected 'name (op version) [archs] "
                             "<profiles>' with entries separated by ','",
                             rest(), entry()));
    return alt;
  }

  std::string package_name() {
    std::size_t begin = cur_;
    while (cur_ < end_) {
      char c = text_[cur_];
      if (is_alnum(c) || c == '+' || c == '-' || c == '.') {
        ++cur_;
      } else if (text_.substr(cur_, end_ - cur_).starts_with("${")) {
        // Names also carry substvars in the wild ("lib${abi}-dev"): keep them whole.
        std::size_t close = text_.find('}', cur_);
        if (close == std::string_view::npos || close >= end_)
          fail(cur_, fmt::format("substitution variable in '{}' lacks its '}}'", entry()));
        cur_ = close + 1;
      } else {
        break;
      }
    }
    std::string_view name = text_.substr(begin, cur_ - begin);
    if (name.empty() || !(is_alnum(name[0]) || name[0] == '$'))
      fail(begin, fmt::format("'{}' does not start with a package name", entry()));
    return std::string(name);
  }

  std::string word(std::string_view what) {
    std::size_t begin = cur_;
    while (cur_ < end_ && (is_alnum(text_[cur_]) || text_[cur_] == '-' || text_[cur_] == '.' ||
                           text_[cur_] == '+' || text_[cur_] == '_'))
      ++cur_;
    if (cur_ == begin) fail(begin, fmt::format("missing {} in '{}'", what, entry()));
    return std::string(text_.substr(begin, cur_ - begin));
  }

  void version(DependencyAlternative& alt) {
    std::size_t open = cur_++;
    skip_space();
    static const std::pair<std::string_view, VersionRelation> relations[] = {
        {"<<", VersionRelation::Earlier},
        {"<=", VersionRelation::EarlierEqual},
        {">=", VersionRelation::LaterEqual},
        {">>", VersionRelation::Later},
        {"=", VersionRelation::Equal}};
    for (const auto& [symbol, relation] : relations) {
      if (text_.substr(cur_).starts_with(symbol)) {
        alt.relation = relation;
        cur_ += symbol.size();
        break;
      }
    }
    if (!alt.relation) {
      if (peek() == '<' || peek() == '>')
        fail(cur_, fmt::format("obsolete relation '{}' in '{}'; write '{}{}' or '{}='", peek(),
                               entry(), peek(), peek(), peek()));
      fail(cur_, fmt::format("expected a relation (<< <= = >= >>) after '(' in '{}'", entry()));
    }
    skip_space();
    std::size_t begin = cur_;
    while (cur_ < end_ && text_[cur_] != ')' && !is_space(text_[cur_])) ++cur_;
    alt.version = std::string(text_.substr(begin, cur_ - begin));
    skip_space();
    if (peek() != ')')
      fail(open, fmt::format("version restriction in '{}' lacks its ')'", entry()));
    ++cur_;
    if (alt.version.empty()) fail(begin, fmt::format("missing version in '{}'", entry()));
    if (alt.version.find("${") == std::string::npos) {
      try {
        parse_version(alt.version);
      } catch (const Error& e) {
        fail(begin, e.what());
      }
    }
  }

  // "[a !b]" and "<a !b>": possibly negated names up to the closing bracket.
  template <typename Term>
  std::vector<Term> negatable_list(char close, std::string_view what, std::string_view item) {
    std::size_t open = cur_++;
    std::vector<Term> terms;
    for (;;) {
      skip_space();
      if (peek() == close) break;
      if (cur_ >= end_) fail(open, fmt::format("{} in '{}' lacks its '{}'", what, entry(), close));
      Term term;
      if (peek() == '!') {
        term.negated = true;
        ++cur_;
      }
      term.name = word(item);
      terms.push_back(std::move(term));
    }
    ++cur_;
    if (terms.empty()) fail(open, fmt::format("empty {} in '{}'", what, entry()));
    return terms;
  }

  void arch_list(DependencyAlternative& alt) {
    std::size_t open = cur_;
    alt.architectures = negatable_list<ArchSpec>(']', "architecture list", "architecture name");
    for (const ArchSpec& arch : alt.architectures)
      if (arch.negated != alt.architectures.front().negated)
        fail(open, fmt::format("architecture list in '{}' mixes negated and plain "
                               "architectures; use only one kind",
                               entry()));
  }

  void profile_formula(DependencyAlternative& alt) {
    alt.profiles.push_back(
        negatable_list<ProfileTerm>('>', "restriction formula", "build profile name"));
    skip_space();
  }

  void skip_space() {
    while (cur_ < end_ && is_space(text_[cur_])) ++cur_;
  }
  char peek() const { return cur_ < end_ ? text_[cur_] : '\0'; }
  std::string rest() const { return shorten(text_.substr(cur_, end_ - cur_)); }
  std::string entry() const { return shorten(text_.substr(start_, end_ - start_)); }

  static std::string shorten(std::string_view s) {
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    std::string out;
    for (char c : s.substr(0, 60)) out += (c == '\n' ? ' ' : c);
    return s.size() > 60 ? out + "..." : out;
  }

  [[noreturn]] void fail(std::size_t at, const std::string& message) const {
    if (file_.empty()) throw_input(fmt::format("{}: {}", field_, message));
    std::size_t line = line_;
    for (std::size_t i = 0; i < at && i < text_.size(); ++i)
      if (text_[i] == '\n') ++line;
    throw_input(fmt::format("{}:{}: {}: {}", file_, line, field_, message));
  }

  std::string_view text_;
  std::string_view field_;
  std::string_view file_;
  std::size_t line_;
  std::size_t pos_ = 0;                        // start of the current group
  std::size_t cur_ = 0, end_ = 0, start_ = 0;  // within the current alternative
};

}  // namespace

Dependencies parse_dependencies(std::string_view value, std::string_view field_name,
                                std::string_view file, std::size_t line) {
  return DependencyParser(value, field_name, file, line).run();
}

}  // namespace cleanroom::formats
