#include "cleanroom/python/requirement.h"

#include <cctype>

#include "ascii_text.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"

namespace cleanroom::python {
namespace {

using ascii::trim;

// A requirement as a message quotes it: the line may come from any file a
// recipe names, so it is shown short and escaped, never as it is.
std::string quoted(std::string_view raw) { return quote_excerpt(trim(raw)); }

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

bool looks_like_location(std::string_view text) {
  return text.find("://") != std::string_view::npos || text.starts_with(".") ||
         text.starts_with("/") || text.starts_with("~") || text.ends_with(".whl") ||
         text.ends_with(".tar.gz") || text.ends_with(".zip");
}

}  // namespace

std::string normalize_name(std::string_view name) {
  std::string out;
  bool pending_dash = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      pending_dash = true;
      continue;
    }
    if (pending_dash && !out.empty()) out += '-';
    pending_dash = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || !std::isalnum(static_cast<unsigned char>(name.front())) ||
      !std::isalnum(static_cast<unsigned char>(name.back()))) {
    return false;
  }
  for (char c : name) {
    if (!name_char(c)) return false;
  }
  return true;
}

Requirement Requirement::parse(std::string_view raw) {
  std::string_view text = trim(raw);
  if (text.empty()) throw_input("empty requirement; write a distribution name like 'requests>=2'");
  if (looks_like_location(text)) {
    throw_input(quoted(text) +
                " is a URL or path, which is not allowed offline; put the distribution in the "
                "sources directory and require it by name");
  }
  Requirement r;
  std::string_view marker_text;
  if (std::size_t semi = text.find(';'); semi != std::string_view::npos) {
    marker_text = trim(text.substr(semi + 1));
    text = trim(text.substr(0, semi));
    if (marker_text.empty())
      throw_input(quoted(raw) + ": nothing after ';'; add a marker or drop the ';'");
  }
  std::size_t i = 0;
  while (i < text.size() && name_char(text[i])) ++i;
  r.name = std::string(text.substr(0, i));
  if (!is_valid_name(r.name)) {
    throw_input(quoted(raw) +
                " does not start with a valid distribution name (letters, digits, '.', '-', '_')");
  }
  r.key = normalize_name(r.name);
  std::string_view rest = trim(text.substr(i));
  if (rest.starts_with("[")) {
    std::size_t close = rest.find(']');
    if (close == std::string_view::npos)
      throw_input(quoted(raw) + ": missing ']' after the extras");
    std::string_view extras = rest.substr(1, close - 1);
    while (!trim(extras).empty()) {
      std::size_t comma = extras.find(',');
      std::string_view extra = trim(extras.substr(0, comma));
      if (!is_valid_name(extra)) {
        throw_input(quoted(raw) + ": '" + excerpt(extra) + "' is not a valid extra name");
      }
      r.extras.insert(normalize_name(extra));
      if (comma == std::string_view::npos) break;
      extras.remove_prefix(comma + 1);
    }
    rest = trim(rest.substr(close + 1));
  }
  if (rest.starts_with("@")) {
    throw_input(quoted(raw) +
                " names a URL, which is not allowed offline; put the distribution in the sources "
                "directory and require it by name");
  }
  if (rest.starts_with("(")) {
    if (!rest.ends_with(")"))
      throw_input(quoted(raw) + ": missing ')' after the version specifiers");
    rest = trim(rest.substr(1, rest.size() - 2));
  }
  r.specifiers = with_context(quoted(raw), [&] { return SpecifierSet::parse(rest); });
  if (!marker_text.empty()) r.marker = Marker::parse(marker_text);
  return r;
}

bool Requirement::applies(const MarkerEnvironment& env) const {
  return !marker || marker->evaluate(env);
}

std::string Requirement::str() const {
  std::string out = key;
  if (!extras.empty()) {
    out += '[';
    bool first = true;
    for (const auto& e : extras) {
      out += (first ? "" : ",") + e;
      first = false;
    }
    out += ']';
  }
  out += specifiers.str();
  if (marker) out += "; " + marker->str();
  return out;
}

}  // namespace cleanroom::python
