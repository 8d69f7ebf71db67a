// deb822 control data (deb822(5)): debian/control, .dsc, .changes, .buildinfo,
// Packages and Sources. A file is a list of paragraphs; a paragraph is an ordered
// list of fields whose names match case-insensitively.
//
// Values are kept the way dpkg keeps them: the first line without surrounding
// whitespace, then each continuation line verbatim (its leading space included,
// trailing whitespace dropped), joined with '\n'. So a Description is
// "synopsis\n long text\n .\n more" and a Files field starts with '\n'.
//
// Parsed fields also remember their exact source bytes, so writing an unchanged
// file gives it back byte for byte; a field changed through set() is printed in
// canonical form ("Name: value").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroom::formats {

struct Deb822Field {
  std::string name;      // as written
  std::string value;     // see the top of this file
  std::size_t line = 0;  // 1-based line of the name in the source, 0 if built in code
  std::string comments;  // "# ..." lines right before this field, verbatim
  std::string raw;       // exact source bytes of the field; empty once changed
};

class Deb822Paragraph {
 public:
  Deb822Paragraph() = default;
  // origin is "file:line", used in error messages about this paragraph.
  explicit Deb822Paragraph(std::string origin) : origin_(std::move(origin)) {}

  const std::vector<Deb822Field>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }
  const std::string& origin() const { return origin_; }

  // Case-insensitive lookups.
  const Deb822Field* find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  std::optional<std::string> get(std::string_view name) const;
  // The value, or an Error (Input) "origin: missing field 'Name'; add it".
  const std::string& required(std::string_view name) const;

  // Replaces the value in place (keeping the field's position and spelling) or
  // appends a new field. Throws Error (Input) for a name or value that cannot be
  // written back: see validate_field.
  void set(std::string_view name, std::string value);
  bool remove(std::string_view name);

  // Parser hooks: raw text around the fields, for byte-identical writing.
  void append_parsed(Deb822Field field);
  std::string& before() { return before_; }
  std::string& after() { return after_; }
  const std::string& before() const { return before_; }
  const std::string& after() const { return after_; }

 private:
  std::vector<Deb822Field> fields_;
  std::string origin_;
  std::string before_;  // blank and comment lines before the first field
  std::string after_;   // comment lines after the last field
};

struct Deb822File {
  std::vector<Deb822Paragraph> paragraphs;
  std::string trailing;     // blank and comment lines after the last paragraph
  bool was_signed = false;  // the input was an OpenPGP clearsigned message
};

struct Deb822Options {
  // debian/control allows "#" comment lines; .dsc, .changes and Packages do not.
  bool allow_comments = true;
  // Accept (and strip) an OpenPGP clearsign armor around the paragraphs.
  bool allow_signed = true;
};

// name is used in messages ("debian/control:12: ..."). Errors are kind Input.
Deb822File parse_deb822(std::string_view text, const std::string& name,
                        const Deb822Options& options = {});
Deb822File read_deb822_file(const std::string& path, const Deb822Options& options = {});

// Paragraphs separated by one blank line unless the parsed spacing is known.
std::string write_deb822(const Deb822File& file);
std::string write_deb822(const Deb822Paragraph& paragraph);

// Throws Error (Input) if name is not a field name (empty, starts with '#' or '-',
// contains ':' or whitespace or control characters) or value is not writable
// (a continuation line not starting with a space or tab, or blank).
void validate_field(std::string_view name, std::string_view value);

// Builds a multi-line value: first, then each line as a continuation line with
// one leading space; empty lines become " .".
std::string deb822_multiline(std::string_view first, const std::vector<std::string>& lines);
// The continuation lines of a value without their leading space, " ." as "".
std::vector<std::string> deb822_lines(std::string_view value);

// The words of a whitespace-separated value (Architecture, Binary, Build-Tainted-By).
std::vector<std::string> deb822_words(std::string_view value);

bool field_name_equal(std::string_view a, std::string_view b);

// Throws Error (Input) "file:line: message"; every text-format parser reports this way.
[[noreturn]] void throw_input_at(std::string_view file, std::size_t line,
                                 const std::string& message);

}  // namespace cleanroom::formats
