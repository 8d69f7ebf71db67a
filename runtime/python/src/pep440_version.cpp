#include "cleanroom/python/pep440_version.h"

#include <algorithm>
#include <cctype>

#include "ascii_text.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"

namespace cleanroom::python {
namespace {

// A cursor over the lowercased text; every optional part is tried from a saved
// position and rolled back when it does not match completely.
struct Cursor {
  std::string s;
  std::size_t pos = 0;

  bool done() const { return pos >= s.size(); }
  char peek() const { return done() ? '\0' : s[pos]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  bool eat_word(std::string_view word) {
    if (s.compare(pos, word.size(), word) != 0) return false;
    pos += word.size();
    return true;
  }
  bool eat_separator() {
    char c = peek();
    if (c == '.' || c == '-' || c == '_') {
      ++pos;
      return true;
    }
    return false;
  }
  // Digits into a number; false when there are none or they overflow.
  bool number(std::uint64_t& out) {
    std::size_t start = pos;
    std::uint64_t value = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      unsigned digit = static_cast<unsigned>(s[pos] - '0');
      if (value > (UINT64_MAX - digit) / 10) return false;
      value = value * 10 + digit;
      ++pos;
    }
    out = value;
    return pos > start;
  }
};

std::string trim_lower(std::string_view text) {
  std::size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  std::string out(text.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The "[-_.]?N?" after a pre, post or dev word; a missing number means 0.
std::uint64_t trailing_number(Cursor& c) {
  std::size_t before = c.pos;
  std::uint64_t n = 0;
  c.eat_separator();
  if (!c.number(n)) {
    c.pos = before;
    n = 0;
  }
  return n;
}

bool parse_pre(Cursor& c, Version& v) {
  std::size_t save = c.pos;
  c.eat_separator();
  // Longest spellings first: "alpha" before "a", "preview" before "pre".
  static const std::pair<std::string_view, char> kinds[] = {
      {"alpha", 'a'},   {"a", 'a'},   {"beta", 'b'}, {"b", 'b'},
      {"preview", 'r'}, {"pre", 'r'}, {"rc", 'r'},   {"c", 'r'}};
  for (const auto& [word, kind] : kinds) {
    if (!c.eat_word(word)) continue;
    v.pre = Version::Pre{kind, trailing_number(c)};
    return true;
  }
  c.pos = save;
  return false;
}

void parse_post(Cursor& c, Version& v) {
  std::size_t save = c.pos;
  std::uint64_t n = 0;
  if (c.eat('-') && c.number(n)) {  // implicit post release: "1.0-1"
    v.post = n;
    return;
  }
  c.pos = save;
  c.eat_separator();
  if (c.eat_word("post") || c.eat_word("rev") || c.eat_word("r")) {
    v.post = trailing_number(c);
    return;
  }
  c.pos = save;
}

void parse_dev(Cursor& c, Version& v) {
  std::size_t save = c.pos;
  c.eat_separator();
  if (c.eat_word("dev")) {
    v.dev = trailing_number(c);
    return;
  }
  c.pos = save;
}

using ascii::all_digits;

bool parse_local(Cursor& c, Version& v) {
  if (!c.eat('+')) return true;
  std::string segment;
  auto flush = [&]() {
    if (segment.empty()) return false;
    if (all_digits(segment)) {
      segment.erase(0, std::min(segment.find_first_not_of('0'), segment.size() - 1));
    }
    v.local.push_back(segment);
    segment.clear();
    return true;
  };
  while (!c.done()) {
    char ch = c.peek();
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      segment += ch;
    } else if (ch == '.' || ch == '-' || ch == '_') {
      if (!flush()) return false;
    } else {
      return false;
    }
    ++c.pos;
  }
  return flush();
}

int compare_local_segment(const std::string& a, const std::string& b) {
  bool an = all_digits(a), bn = all_digits(b);
  // Numeric segments sort above alphanumeric ones (PEP 440).
  if (an && bn) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  if (an != bn) return an ? 1 : -1;
  int r = a.compare(b);
  return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

// Rank of the pre-release slot: a dev release with nothing else sorts before
// every pre-release of its release, and a final release after all of them.
std::pair<int, std::uint64_t> pre_key(const Version& v) {
  if (!v.pre && !v.post && v.dev) return {-1, 0};
  if (!v.pre) return {3, 0};
  int kind = v.pre->kind == 'a' ? 0 : (v.pre->kind == 'b' ? 1 : 2);
  return {kind, v.pre->number};
}

template <typename T>
std::strong_ordering cmp(const T& a, const T& b) {
  return a <=> b;
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  Cursor c{trim_lower(text), 0};
  Version v;
  c.eat('v');
  std::size_t save = c.pos;
  std::uint64_t n = 0;
  if (c.number(n) && c.eat('!')) {
    v.epoch = n;
  } else {
    c.pos = save;
  }
  if (!c.number(n)) return std::nullopt;
  v.release.push_back(n);
  while (c.peek() == '.' && c.pos + 1 < c.s.size() &&
         std::isdigit(static_cast<unsigned char>(c.s[c.pos + 1]))) {
    ++c.pos;
    if (!c.number(n)) return std::nullopt;
    v.release.push_back(n);
  }
  parse_pre(c, v);
  parse_post(c, v);
  parse_dev(c, v);
  if (!parse_local(c, v) || !c.done()) return std::nullopt;
  return v;
}

Version Version::parse_or_throw(std::string_view text) {
  auto v = parse(text);
  if (!v) {
    throw_input(quote_excerpt(text) +
                " is not a valid version (PEP 440); write it like 1.2.3, 2!1.0, 1.0rc1, "
                "1.0.post1, 1.0.dev2 or 1.0+local");
  }
  return *v;
}

std::string Version::str() const {
  std::string out;
  if (epoch != 0) out += std::to_string(epoch) + "!";
  for (std::size_t i = 0; i < release.size(); ++i) {
    if (i) out += '.';
    out += std::to_string(release[i]);
  }
  if (pre)
    out += (pre->kind == 'r' ? std::string("rc") : std::string(1, pre->kind)) +
           std::to_string(pre->number);
  if (post) out += ".post" + std::to_string(*post);
  if (dev) out += ".dev" + std::to_string(*dev);
  for (std::size_t i = 0; i < local.size(); ++i) out += (i ? "." : "+") + local[i];
  return out;
}

Version Version::public_version() const {
  Version v = *this;
  v.local.clear();
  return v;
}

Version Version::base_version() const {
  Version v;
  v.epoch = epoch;
  v.release = release;
  return v;
}

std::strong_ordering compare(const Version& a, const Version& b) {
  if (auto r = cmp(a.epoch, b.epoch); r != 0) return r;
  std::size_t n = std::max(a.release.size(), b.release.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t x = i < a.release.size() ? a.release[i] : 0;
    std::uint64_t y = i < b.release.size() ? b.release[i] : 0;
    if (auto r = cmp(x, y); r != 0) return r;
  }
  if (auto r = cmp(pre_key(a), pre_key(b)); r != 0) return r;
  // No post release sorts below post0; no dev release sorts above dev0.
  auto post_key = [](const Version& v) {
    return v.post ? std::pair<int, std::uint64_t>{1, *v.post} : std::pair<int, std::uint64_t>{0, 0};
  };
  auto dev_key = [](const Version& v) {
    return v.dev ? std::pair<int, std::uint64_t>{0, *v.dev} : std::pair<int, std::uint64_t>{1, 0};
  };
  if (auto r = cmp(post_key(a), post_key(b)); r != 0) return r;
  if (auto r = cmp(dev_key(a), dev_key(b)); r != 0) return r;
  std::size_t m = std::min(a.local.size(), b.local.size());
  for (std::size_t i = 0; i < m; ++i) {
    int r = compare_local_segment(a.local[i], b.local[i]);
    if (r != 0) return r < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  return cmp(a.local.size(), b.local.size());
}

}  // namespace cleanroom::python
