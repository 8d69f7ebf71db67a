#include "time_text.h"

#include <cctype>
#include <ctime>
#include <fmt/format.h>
#include <map>

#include "cleanroom/base/error.h"

namespace cleanroom::cli {

std::string utc_time(std::int64_t unix_time) {
  std::time_t tt = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::int64_t parse_duration(const std::string& text, const std::string& option) {
  static const std::map<char, std::int64_t> units = {
      {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::string rest = text.substr(digits);
  bool zero = digits > 0 && text.substr(0, digits).find_first_not_of('0') == std::string::npos;
  if (digits == 0 || digits > 9 || rest.size() > 1 || (rest.empty() && !zero) ||
      (!rest.empty() && !units.count(rest[0])))
    throw_input(fmt::format("{} {}: give a number and a unit, s, m, h or d (e.g. 24h)", option,
                            text));
  return std::stoll(text.substr(0, digits)) * (rest.empty() ? 0 : units.at(rest[0]));
}

}  // namespace cleanroom::cli
