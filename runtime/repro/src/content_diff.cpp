#include "cleanroom/repro/content_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cleanroom::repro {

namespace {

struct Lines {
  std::vector<std::string_view> text;
  bool missing_final_newline = false;
};

Lines split_lines(std::string_view s) {
  Lines lines;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.text.push_back(s.substr(start));
      lines.missing_final_newline = true;
      break;
    }
    lines.text.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

enum class Op : char { Equal = ' ', Delete = '-', Insert = '+' };

struct Edit {
  Op op;
  std::size_t a, b;  // line indexes the edit refers to (a for Equal/Delete, b for Insert)
};

// Myers' greedy shortest edit script over line ids. Returns false when the
// edit distance exceeds max_d.
bool myers(const std::vector<int>& a, const std::vector<int>& b, std::size_t max_d,
           std::vector<Edit>& out) {
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  const long limit = std::min<long>(n + m, static_cast<long>(max_d));
  const long offset = limit + 1;
  std::vector<long> v(static_cast<std::size_t>(2 * limit + 3), 0);
  std::vector<std::vector<long>> trace;
  for (long d = 0; d <= limit; ++d) {
    // Only diagonals -d-1..d+1 can be read when backtracking through round d.
    trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                             : v[offset + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        // Walk the trace back from (n, m), collecting edits in reverse.
        std::vector<Edit> reversed;
        long cx = n, cy = m;
        for (long dd = d; dd > 0; --dd) {
          const std::vector<long>& pv = trace[static_cast<std::size_t>(dd)];
          long ck = cx - cy;
          bool down = ck == -dd || (ck != dd && pv[ck + dd] < pv[ck + dd + 2]);
          long pk = down ? ck + 1 : ck - 1;
          long px = pv[pk + dd + 1], py = px - pk;
          while (cx > px + (down ? 0 : 1) && cy > py + (down ? 1 : 0)) {
            --cx, --cy;
            reversed.push_back({Op::Equal, static_cast<std::size_t>(cx), static_cast<std::size_t>(cy)});
          }
          if (down) reversed.push_back({Op::Insert, static_cast<std::size_t>(px), static_cast<std::size_t>(py)});
          else reversed.push_back({Op::Delete, static_cast<std::size_t>(px), static_cast<std::size_t>(py)});
          cx = px, cy = py;
        }
        while (cx > 0 && cy > 0) {
          --cx, --cy;
          reversed.push_back({Op::Equal, static_cast<std::size_t>(cx), static_cast<std::size_t>(cy)});
        }
        out.assign(reversed.rbegin(), reversed.rend());
        return true;
      }
    }
  }
  return false;
}

std::string hunk_range(std::size_t start, std::size_t count) {
  // As GNU diff: the line before the hunk when it is empty, "l" alone for one line.
  if (count == 0) return fmt::format("{},0", start);
  if (count == 1) return fmt::format("{}", start + 1);
  return fmt::format("{},{}", start + 1, count);
}

// Lines compare as small integers; the final line's newline is part of its identity.
std::pair<std::vector<int>, std::vector<int>> line_ids(const Lines& a, const Lines& b) {
  std::unordered_map<std::string, int> ids;
  auto id_of = [&](const Lines& lines, std::size_t i) {
    std::string key(lines.text[i]);
    if (i + 1 == lines.text.size() && lines.missing_final_newline) key += '\0';
    return ids.emplace(std::move(key), static_cast<int>(ids.size())).first->second;
  };
  std::vector<int> ia, ib;
  for (std::size_t i = 0; i < a.text.size(); ++i) ia.push_back(id_of(a, i));
  for (std::size_t i = 0; i < b.text.size(); ++i) ib.push_back(id_of(b, i));
  return {std::move(ia), std::move(ib)};
}

struct CommonEnds {
  std::size_t prefix = 0, suffix = 0;
};

// Common prefix and suffix never need the algorithm.
CommonEnds common_ends(const std::vector<int>& ia, const std::vector<int>& ib) {
  CommonEnds c;
  while (c.prefix < ia.size() && c.prefix < ib.size() && ia[c.prefix] == ib[c.prefix]) ++c.prefix;
  while (c.suffix < ia.size() - c.prefix && c.suffix < ib.size() - c.prefix &&
         ia[ia.size() - 1 - c.suffix] == ib[ib.size() - 1 - c.suffix])
    ++c.suffix;
  return c;
}

// Every line of both texts in order: Myers' edits of the middle between the
// common ends as Equal. False when the middle is over max_d edits apart.
bool edit_script(const std::vector<int>& ia, const std::vector<int>& ib, CommonEnds ends,
                 std::size_t max_d, std::vector<Edit>& edits) {
  const std::size_t prefix = ends.prefix, suffix = ends.suffix;
  std::vector<int> ma(ia.begin() + static_cast<long>(prefix), ia.end() - static_cast<long>(suffix));
  std::vector<int> mb(ib.begin() + static_cast<long>(prefix), ib.end() - static_cast<long>(suffix));
  std::vector<Edit> middle;
  if (!myers(ma, mb, max_d, middle)) return false;
  for (std::size_t i = 0; i < prefix; ++i) edits.push_back({Op::Equal, i, i});
  for (Edit e : middle) edits.push_back({e.op, e.a + prefix, e.b + prefix});
  for (std::size_t i = 0; i < suffix; ++i)
    edits.push_back({Op::Equal, ia.size() - suffix + i, ib.size() - suffix + i});
  return true;
}

// Output lines past max_lines are only counted, for the closing "... more" note.
struct DiffOutput {
  explicit DiffOutput(std::size_t max) : max_lines(max) {}

  std::size_t max_lines;
  std::string text;
  std::size_t lines = 0, omitted = 0;

  void emit(const std::string& line) {
    if (lines >= max_lines) {
      ++omitted;
      return;
    }
    text += line;
    ++lines;
  }
};

// One past the hunk that has a change at `first`: it runs on to context lines
// after the last change that is no more than 2*context equal lines away.
std::size_t hunk_stop(const std::vector<Edit>& edits, std::size_t first, std::size_t context) {
  std::size_t end = first;
  for (std::size_t j = first; j < edits.size(); ++j) {
    if (edits[j].op != Op::Equal) end = j;
    else if (j - end > 2 * context) break;
  }
  return std::min(edits.size(), end + context + 1);
}

void write_hunk(const std::vector<Edit>& edits, std::size_t start, std::size_t stop,
                const Lines& a, const Lines& b, DiffOutput& out) {
  std::size_t a_start = 0, b_start = 0, a_count = 0, b_count = 0;
  bool have_a = false, have_b = false;
  for (std::size_t j = start; j < stop; ++j) {
    const Edit& e = edits[j];
    if (e.op != Op::Insert) {
      if (!have_a) a_start = e.a, have_a = true;
      ++a_count;
    }
    if (e.op != Op::Delete) {
      if (!have_b) b_start = e.b, have_b = true;
      ++b_count;
    }
  }
  // An empty side starts after the line before the hunk.
  if (!have_a) a_start = edits[start].a;
  if (!have_b) b_start = edits[start].b;
  out.emit(fmt::format("@@ -{} +{} @@\n", hunk_range(a_start, a_count), hunk_range(b_start, b_count)));
  for (std::size_t j = start; j < stop; ++j) {
    const Edit& e = edits[j];
    const Lines& side = e.op == Op::Insert ? b : a;
    std::size_t index = e.op == Op::Insert ? e.b : e.a;
    out.emit(std::string(1, static_cast<char>(e.op)) + std::string(side.text[index]) + "\n");
    if (index + 1 == side.text.size() && side.missing_final_newline)
      out.emit("\\ No newline at end of file\n");
  }
}

}  // namespace

bool looks_like_text(std::string_view data) {
  if (std::memchr(data.data(), 0, data.size())) return false;
  std::size_t i = 0;
  while (i < data.size()) {
    auto c = static_cast<unsigned char>(data[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > data.size()) return false;
    for (std::size_t j = 1; j < len; ++j)
      if ((static_cast<unsigned char>(data[i + j]) >> 6) != 2) return false;
    i += len;
  }
  return true;
}

std::string unified_diff(std::string_view a_text, std::string_view b_text,
                         const TextDiffOptions& options) {
  if (a_text == b_text) return "";
  Lines a = split_lines(a_text), b = split_lines(b_text);
  auto [ia, ib] = line_ids(a, b);
  CommonEnds ends = common_ends(ia, ib);
  std::vector<Edit> edits;
  if (!edit_script(ia, ib, ends, options.max_edit_distance, edits))
    return fmt::format("(texts differ in more than {} lines: {} lines against {}, first "
                       "difference at line {})\n",
                       options.max_edit_distance, a.text.size(), b.text.size(), ends.prefix + 1);
  DiffOutput out(options.max_lines);
  std::size_t i = 0;
  while (i < edits.size()) {
    if (edits[i].op == Op::Equal) {
      ++i;
      continue;
    }
    std::size_t start = i >= options.context ? i - options.context : 0;
    std::size_t stop = hunk_stop(edits, i, options.context);
    write_hunk(edits, start, stop, a, b, out);
    i = stop;
  }
  if (out.omitted > 0) out.text += fmt::format("... {} more lines of diff\n", out.omitted);
  return out.text;
}

std::string hexdump(std::string_view data, std::uint64_t start, std::size_t length) {
  std::string out;
  std::uint64_t end = std::min<std::uint64_t>(data.size(), start + length);
  for (std::uint64_t line = start; line < end; line += 16) {
    out += fmt::format("{:08x}:", line);
    std::string ascii;
    for (std::uint64_t i = line; i < line + 16; ++i) {
      if (i % 2 == 0) out += ' ';
      if (i < end) {
        auto c = static_cast<unsigned char>(data[i]);
        out += fmt::format("{:02x}", c);
        ascii += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
      } else {
        out += "  ";
      }
    }
    out += "  " + ascii + "\n";
  }
  return out;
}

ByteDifference first_byte_difference(std::string_view a, std::string_view b, std::size_t context) {
  std::size_t common = std::min(a.size(), b.size());
  auto mismatch = std::mismatch(a.begin(), a.begin() + static_cast<long>(common), b.begin());
  ByteDifference diff;
  diff.offset = static_cast<std::uint64_t>(mismatch.first - a.begin());
  // Whole 16-byte lines around the offset read best.
  std::uint64_t from = diff.offset >= context ? (diff.offset - context) / 16 * 16 : 0;
  std::size_t length = static_cast<std::size_t>(diff.offset - from + context + 1);
  length = (length + 15) / 16 * 16;
  diff.a_dump = hexdump(a, from, length);
  diff.b_dump = hexdump(b, from, length);
  return diff;
}

}  // namespace cleanroom::repro
