// deb822 parser. Line handling follows dpkg's Dpkg::Control: lines of only
// spaces and tabs separate paragraphs, "#" comments are skipped (debian/control
// only), and a clearsigned message is unwrapped before parsing. Every error names
// the file and line and says how to fix the input.
#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/formats/deb822.h"
#include "deb822_text.h"

namespace cleanroom::formats {

namespace {

struct Line {
  std::string_view text;  // without the newline
  std::string_view raw;   // with the newline, if there was one
  std::size_t number = 0;
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t pos = 0, number = 1;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    std::size_t text_end = end == std::string_view::npos ? text.size() : end;
    lines.push_back({text.substr(pos, text_end - pos), text.substr(pos, next - pos), number++});
    pos = next;
  }
  return lines;
}

constexpr std::string_view kBeginSigned = "-----BEGIN PGP SIGNED MESSAGE-----";
constexpr std::string_view kBeginSignature = "-----BEGIN PGP SIGNATURE-----";
constexpr std::string_view kEndSignature = "-----END PGP SIGNATURE-----";

// Replaces lines by the signed content of a clearsigned message (RFC 4880 §7):
// armor headers up to a blank line, dash-escaped text, then the signature block.
// Returns false when the text is not signed.
bool unwrap_clearsign(std::vector<Line>& lines, const std::string& name,
                      const Deb822Options& options) {
  std::size_t i = 0;
  while (i < lines.size() && deb822_text::is_blank(lines[i].text)) ++i;
  if (i == lines.size() || deb822_text::rtrim(lines[i].text) != kBeginSigned) return false;
  if (!options.allow_signed)
    throw_input_at(name, lines[i].number,
                   "OpenPGP signed message where plain control data is expected; "
                   "remove the signature");
  std::size_t begin = i;
  for (++i; i < lines.size() && !deb822_text::is_blank(lines[i].text); ++i) {
    if (lines[i].text.find(':') == std::string_view::npos)
      throw_input_at(name, lines[i].number,
                     "malformed OpenPGP armor header (expected 'Hash: SHA256'); "
                     "the signed file is damaged");
  }
  if (i == lines.size())
    throw_input_at(name, lines[begin].number,
                   "OpenPGP signed message ends inside its armor headers; the file is truncated");
  std::vector<Line> content;
  for (++i; i < lines.size() && deb822_text::rtrim(lines[i].text) != kBeginSignature; ++i) {
    Line line = lines[i];
    if (line.text.starts_with("- ")) {
      line.text.remove_prefix(2);
      line.raw.remove_prefix(2);
    } else if (line.text.starts_with("-")) {
      throw_input_at(name, line.number,
                     "line starting with '-' is not dash-escaped in an OpenPGP signed message; "
                     "the signed file is damaged");
    }
    content.push_back(line);
  }
  if (i == lines.size())
    throw_input_at(name, lines[begin].number,
                   "OpenPGP signed message has no signature block; the file is truncated");
  std::size_t signature = i;
  for (++i; i < lines.size() && deb822_text::rtrim(lines[i].text) != kEndSignature; ++i) {
  }
  if (i == lines.size())
    throw_input_at(name, lines[signature].number,
                   "OpenPGP signature block is not terminated by '-----END PGP SIGNATURE-----'; "
                   "the file is truncated");
  for (++i; i < lines.size(); ++i)
    if (!deb822_text::is_blank(lines[i].text))
      throw_input_at(name, lines[i].number,
                     "text after the OpenPGP signature; remove it or sign the whole file");
  lines = std::move(content);
  return true;
}

class Parser {
 public:
  Parser(const std::string& name, const Deb822Options& options) : name_(name), options_(options) {}

  Deb822File run(std::vector<Line> lines) {
    for (const Line& line : lines) take(line);
    end_paragraph();
    file_.trailing = std::move(pending_);
    return std::move(file_);
  }

 private:
  void take(const Line& line) {
    // A carriage return would end up inside values and file names.
    if (line.text.ends_with('\r'))
      fail(line,
           "line ends with a carriage return (DOS line endings); convert the file to "
           "Unix line endings, e.g. with dos2unix");
    if (line.text.starts_with("#")) {
      if (!options_.allow_comments)
        fail(line, "comment line in a file that does not allow comments; remove it");
      pending_ += line.raw;
    } else if (deb822_text::is_blank(line.text)) {
      end_paragraph();
      pending_ += line.raw;
    } else if (line.text[0] == ' ' || line.text[0] == '\t') {
      continuation(line);
    } else {
      field(line);
    }
  }

  void continuation(const Line& line) {
    if (!open_)
      fail(line,
           "continuation line before any field; indent it under a field or remove "
           "the leading space");
    Deb822Field& field = fields_.back();
    field.value += '\n';
    field.value += deb822_text::rtrim(line.text);
    field.raw += pending_;
    field.raw += line.raw;
    pending_.clear();
  }

  void field(const Line& line) {
    std::size_t colon = line.text.find(':');
    if (colon == std::string_view::npos)
      fail(line, fmt::format("'{}' is not a field; write 'Name: value', indent a continuation "
                             "line, or separate paragraphs with an empty line",
                             shorten(line.text)));
    std::string_view field_name = line.text.substr(0, colon);
    if (field_name.empty()) fail(line, "field without a name before ':'; add the field name");
    if (field_name[0] == '-')
      fail(line, fmt::format("field name '{}' starts with '-'; remove the '-'", field_name));
    for (unsigned char c : field_name)
      if (c <= ' ' || c == 0x7f)
        fail(line, fmt::format("field name '{}' contains whitespace or a control character; "
                               "write 'Name: value' with no space before the ':'",
                               shorten(field_name)));
    if (!open_) {
      open_ = true;
      start_line_ = line.number;
      before_ = std::move(pending_);
      pending_.clear();
    }
    for (const Deb822Field& first : fields_)
      if (field_name_equal(first.name, field_name))
        fail(line, fmt::format("duplicate field '{}' (first at line {}); remove one of them",
                               field_name, first.line));
    Deb822Field field;
    field.name = std::string(field_name);
    field.value = std::string(deb822_text::trim(line.text.substr(colon + 1)));
    field.line = line.number;
    field.comments = std::move(pending_);
    pending_.clear();
    field.raw = std::string(line.raw);
    fields_.push_back(std::move(field));
  }

  void end_paragraph() {
    if (!open_) return;
    Deb822Paragraph paragraph(fmt::format("{}:{}", name_, start_line_));
    paragraph.before() = std::move(before_);
    paragraph.after() = std::move(pending_);
    for (Deb822Field& field : fields_) paragraph.append_parsed(std::move(field));
    file_.paragraphs.push_back(std::move(paragraph));
    before_.clear();
    pending_.clear();
    fields_.clear();
    open_ = false;
  }

  static std::string shorten(std::string_view text) {
    return text.size() > 40 ? std::string(text.substr(0, 40)) + "..." : std::string(text);
  }

  [[noreturn]] void fail(const Line& line, const std::string& message) {
    throw_input_at(name_, line.number, message);
  }

  const std::string& name_;
  const Deb822Options& options_;
  Deb822File file_;
  std::vector<Deb822Field> fields_;  // of the paragraph being read
  std::string before_;
  std::size_t start_line_ = 0;
  std::string pending_;  // blank and comment lines not yet attached
  bool open_ = false;
};

}  // namespace

Deb822File parse_deb822(std::string_view text, const std::string& name,
                        const Deb822Options& options) {
  std::vector<Line> lines = split_lines(text);
  bool was_signed = unwrap_clearsign(lines, name, options);
  Deb822File file = Parser(name, options).run(std::move(lines));
  file.was_signed = was_signed;
  return file;
}

Deb822File read_deb822_file(const std::string& path, const Deb822Options& options) {
  return parse_deb822(read_file(path), path, options);
}

}  // namespace cleanroom::formats
