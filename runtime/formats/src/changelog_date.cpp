// RFC 2822 dates without the C library: timegm and strptime depend on the
// locale and the TZ variable, and a changelog date must give the same
// SOURCE_DATE_EPOCH on every machine.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/changelog.h"

namespace cleanroom::formats {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDays = {
    "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

class DateReader {
 public:
  explicit DateReader(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(std::string_view what) const {
    throw_input(fmt::format("date '{}' is not RFC 2822 ('Mon, 01 Jan 2024 12:00:00 +0000'): {}",
                            text_, what));
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void expect(char c, std::string_view what) {
    if (peek() != c) fail(what);
    ++pos_;
  }
  std::string_view word() {
    std::size_t start = pos_;
    while (!at_end() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= 'A' && peek() <= 'Z')))
      ++pos_;
    return text_.substr(start, pos_ - start);
  }
  unsigned number(std::size_t min_digits, std::size_t max_digits, std::string_view what) {
    std::size_t start = pos_;
    unsigned value = 0;
    while (!at_end() && peek() >= '0' && peek() <= '9' && pos_ - start < max_digits)
      value = value * 10 + static_cast<unsigned>(text_[pos_++] - '0');
    if (pos_ - start < min_digits) fail(what);
    return value;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::int64_t parse_rfc2822_date(std::string_view date) {
  DateReader r(date);
  r.skip_space();
  std::string_view weekday;
  if (r.peek() < '0' || r.peek() > '9') {
    weekday = r.word();
    if (std::find(kDays.begin(), kDays.end(), weekday) == kDays.end())
      r.fail(fmt::format("'{}' is not a day name (Mon, Tue, ...)", weekday));
    r.expect(',', "expected ',' after the day name");
    r.skip_space();
  }
  unsigned day = r.number(1, 2, "expected the day of the month");
  r.skip_space();
  std::string_view month_name = r.word();
  auto month_it = std::find(kMonths.begin(), kMonths.end(), month_name);
  if (month_it == kMonths.end())
    r.fail(fmt::format("'{}' is not a month name (Jan, Feb, ...)", month_name));
  unsigned month = static_cast<unsigned>(month_it - kMonths.begin()) + 1;
  r.skip_space();
  unsigned year = r.number(4, 4, "expected a four-digit year");
  r.skip_space();
  unsigned hour = r.number(1, 2, "expected the hour");
  r.expect(':', "expected ':' after the hour");
  unsigned minute = r.number(2, 2, "expected two-digit minutes");
  r.expect(':', "expected ':' after the minutes");
  unsigned second = r.number(2, 2, "expected two-digit seconds");
  r.skip_space();
  char sign = r.peek();
  if (sign != '+' && sign != '-') r.fail("expected a time zone offset like +0000");
  r.expect(sign, "");
  unsigned zone = r.number(4, 4, "expected a four-digit time zone offset like +0000");
  r.skip_space();
  if (!r.at_end()) r.fail("unexpected text after the time zone");

  if (day < 1 || day > days_in_month(year, month)) r.fail("no such day in that month");
  if (hour > 23 || minute > 59 || second > 60) r.fail("time of day out of range");
  if (zone % 100 > 59) r.fail("time zone minutes out of range");
  std::int64_t offset = static_cast<std::int64_t>(zone / 100 * 3600 + zone % 100 * 60);
  if (sign == '-') offset = -offset;
  std::int64_t days = days_from_civil(year, month, day);
  // A wrong day name is common in old changelogs; dpkg only warns, so it is not an error here
  // either.
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

std::string format_rfc2822_date(std::int64_t timestamp) {
  std::int64_t days = timestamp >= 0 ? timestamp / 86400 : (timestamp - 86399) / 86400;
  std::int64_t secs = timestamp - days * 86400;
  // civil_from_days, the inverse of days_from_civil.
  std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  std::int64_t weekday = ((days % 7) + 7) % 7;
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[weekday], d,
                     kMonths[m - 1], y, secs / 3600, secs / 60 % 60, secs % 60);
}

}  // namespace cleanroom::formats
