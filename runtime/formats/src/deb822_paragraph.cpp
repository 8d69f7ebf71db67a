// Field access on a deb822 paragraph and the value conventions shared by the
// parser and the writer.
#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/deb822.h"
#include "deb822_text.h"

namespace cleanroom::formats {

namespace {}  // namespace

bool field_name_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (deb822_text::ascii_lower(a[i]) != deb822_text::ascii_lower(b[i])) return false;
  return true;
}

void throw_input_at(std::string_view file, std::size_t line, const std::string& message) {
  throw_input(fmt::format("{}:{}: {}", file, line, message));
}

void validate_field(std::string_view name, std::string_view value) {
  if (name.empty()) throw_input("empty field name; give the field a name");
  if (name[0] == '#' || name[0] == '-')
    throw_input(
        fmt::format("field name '{}' starts with '{}'; field names start with a letter or digit",
                    name, name[0]));
  for (unsigned char c : name)
    if (c <= ' ' || c == ':' || c == 0x7f)
      throw_input(
          fmt::format("field name '{}' contains whitespace, ':' or a control character", name));
  std::size_t start = value.find('\n');
  while (start != std::string_view::npos) {
    std::size_t end = value.find('\n', start + 1);
    std::string_view line = value.substr(
        start + 1, end == std::string_view::npos ? std::string_view::npos : end - start - 1);
    if (line.empty() || (line[0] != ' ' && line[0] != '\t') || deb822_text::is_blank(line))
      throw_input(
          fmt::format("field '{}': continuation line '{}' must start with a space and "
                      "not be blank; write an empty line as ' .'",
                      name, line));
    start = end;
  }
}

std::string deb822_multiline(std::string_view first, const std::vector<std::string>& lines) {
  std::string out(first);
  for (const std::string& line : lines) {
    out += "\n ";
    out += line.empty() ? "." : line;
  }
  return out;
}

std::vector<std::string> deb822_lines(std::string_view value) {
  std::vector<std::string> lines;
  std::size_t start = value.find('\n');
  while (start != std::string_view::npos) {
    std::size_t end = value.find('\n', start + 1);
    std::string_view line = value.substr(
        start + 1, end == std::string_view::npos ? std::string_view::npos : end - start - 1);
    if (!line.empty()) line.remove_prefix(1);
    lines.emplace_back(line == "." ? std::string_view() : line);
    start = end;
  }
  return lines;
}

std::vector<std::string> deb822_words(std::string_view value) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = value.find_first_not_of(" \t\n", pos)) != std::string_view::npos) {
    std::size_t end = value.find_first_of(" \t\n", pos);
    out.emplace_back(value.substr(pos, end == std::string_view::npos ? end : end - pos));
    pos = end;
  }
  return out;
}

const Deb822Field* Deb822Paragraph::find(std::string_view name) const {
  for (const Deb822Field& field : fields_)
    if (field_name_equal(field.name, name)) return &field;
  return nullptr;
}

std::optional<std::string> Deb822Paragraph::get(std::string_view name) const {
  const Deb822Field* field = find(name);
  if (!field) return std::nullopt;
  return field->value;
}

const std::string& Deb822Paragraph::required(std::string_view name) const {
  const Deb822Field* field = find(name);
  if (!field)
    throw_input(fmt::format("{}: missing field '{}'; add it to the paragraph",
                            origin_.empty() ? "paragraph" : origin_, name));
  return field->value;
}

void Deb822Paragraph::set(std::string_view name, std::string value) {
  validate_field(name, value);
  for (Deb822Field& field : fields_) {
    if (field_name_equal(field.name, name)) {
      field.value = std::move(value);
      field.raw.clear();
      return;
    }
  }
  Deb822Field field;
  field.name = std::string(name);
  field.value = std::move(value);
  fields_.push_back(std::move(field));
}

bool Deb822Paragraph::remove(std::string_view name) {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (field_name_equal(it->name, name)) {
      fields_.erase(it);
      return true;
    }
  }
  return false;
}

void Deb822Paragraph::append_parsed(Deb822Field field) { fields_.push_back(std::move(field)); }

}  // namespace cleanroom::formats
