// deb822 writer: parsed bytes where a field is unchanged, canonical
// "Name: value" lines where it was set in code.
#include "cleanroom/formats/deb822.h"

namespace cleanroom::formats {

namespace {

void ensure_newline(std::string& out) {
  if (!out.empty() && out.back() != '\n') out += '\n';
}

void write_field(const Deb822Field& field, std::string& out) {
  ensure_newline(out);
  out += field.comments;
  if (!field.raw.empty()) {
    out += field.raw;
    return;
  }
  out += field.name;
  out += ':';
  if (!field.value.empty() && field.value[0] != '\n') out += ' ';
  out += field.value;
  out += '\n';
}

void append_line_text(std::string_view text, std::string& out) {
  if (text.empty()) return;
  ensure_newline(out);
  out += text;
}

// A file without a final newline keeps lacking it: newlines are only added
// in front of something that follows.
void write_paragraph(const Deb822Paragraph& paragraph, bool first, std::string& out) {
  if (!paragraph.before().empty())
    append_line_text(paragraph.before(), out);
  else if (!first)
    append_line_text("\n", out);
  for (const Deb822Field& field : paragraph.fields()) write_field(field, out);
  append_line_text(paragraph.after(), out);
}

}  // namespace

std::string write_deb822(const Deb822File& file) {
  std::string out;
  for (std::size_t i = 0; i < file.paragraphs.size(); ++i)
    write_paragraph(file.paragraphs[i], i == 0, out);
  append_line_text(file.trailing, out);
  return out;
}

std::string write_deb822(const Deb822Paragraph& paragraph) {
  std::string out;
  for (const Deb822Field& field : paragraph.fields()) write_field(field, out);
  ensure_newline(out);
  return out;
}

}  // namespace cleanroom::formats
