// Typed access to one TOML table of a recipe that records every problem with
// its line instead of stopping at the first, and remembers which keys were
// read so that whatever is left over is reported as unknown (with the nearest
// known key as a hint, since most unknown keys are typos).
#pragma once

#include "cleanroom/base/toml_guard.h"  // before toml++: it sets its assert macro
#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cleanroom/python/diagnostics.h"

namespace cleanroom::python {

class TomlFields {
 public:
  // `where` names the table in messages ("" for the top level, "[test]").
  TomlFields(const toml::table& table, std::string file, std::string where, Diagnostics& diag);

  long line() const;                           // the table's own line (1 for the top level)
  long line_of(const std::string& key) const;  // the key's value, else the table's line
  bool has(const std::string& key) const;

  // A missing required key is reported with `example` as the fix.
  std::optional<std::string> string(const std::string& key, bool required,
                                    const std::string& example = "");
  std::optional<std::int64_t> integer(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  // Array of strings; each element with its own line.
  std::optional<std::vector<std::pair<std::string, long>>> strings(const std::string& key);
  const toml::array* array(const std::string& key);
  const toml::table* table(const std::string& key);
  const toml::node* node(const std::string& key);  // any type; marks it read

  // A problem at a line of this file.
  void error(long line, const std::string& message);
  // Every key not read so far is unknown; `other_kind` lists keys that belong
  // to the other recipe kind, for a better hint.
  void reject_unknown(const std::set<std::string>& other_kind = {},
                      const std::string& other_kind_name = "");

  const std::string& file() const { return file_; }
  // The key as messages name it: "postinst" in [maintainer_scripts] is
  // "maintainer_scripts.postinst".
  std::string name_of(const std::string& key) const { return where_ + key; }

 private:
  void wrong_type(const std::string& key, const toml::node& n, const char* want);

  const toml::table& table_;
  std::string file_;
  std::string where_;
  Diagnostics& diag_;
  std::set<std::string> read_;
};

const char* toml_type_name(const toml::node& n);
long toml_line(const toml::node& n);

}  // namespace cleanroom::python
