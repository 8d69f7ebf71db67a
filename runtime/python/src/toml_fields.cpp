#include "toml_fields.h"

#include <algorithm>

#include "cleanroom/base/closest_name.h"
#include "cleanroom/base/join.h"

namespace cleanroom::python {

const char* toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

long toml_line(const toml::node& n) { return static_cast<long>(n.source().begin.line); }

TomlFields::TomlFields(const toml::table& table, std::string file, std::string where,
                       Diagnostics& diag)
    : table_(table), file_(std::move(file)), where_(std::move(where)), diag_(diag) {}

long TomlFields::line() const {
  long l = toml_line(table_);
  return l > 0 ? l : 1;
}

long TomlFields::line_of(const std::string& key) const {
  const toml::node* n = table_.get(key);
  return n && toml_line(*n) > 0 ? toml_line(*n) : line();
}

bool TomlFields::has(const std::string& key) const { return table_.contains(key); }

void TomlFields::error(long at, const std::string& message) {
  diag_.add(location(file_, at), message);
}

void TomlFields::wrong_type(const std::string& key, const toml::node& n, const char* want) {
  error(toml_line(n), where_ + key + " must be " + want + ", not " + toml_type_name(n));
}

const toml::node* TomlFields::node(const std::string& key) {
  read_.insert(key);
  return table_.get(key);
}

std::optional<std::string> TomlFields::string(const std::string& key, bool required,
                                              const std::string& example) {
  const toml::node* n = node(key);
  if (!n) {
    if (required) {
      error(line(), "missing required key " + where_ + key + "; add " +
                        (example.empty() ? key + " = \"...\"" : example));
    }
    return std::nullopt;
  }
  if (const auto* s = n->as_string()) return s->get();
  wrong_type(key, *n, "a string");
  return std::nullopt;
}

std::optional<std::int64_t> TomlFields::integer(const std::string& key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (const auto* i = n->as_integer()) return i->get();
  wrong_type(key, *n, "an integer");
  return std::nullopt;
}

std::optional<bool> TomlFields::boolean(const std::string& key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (const auto* b = n->as_boolean()) return b->get();
  wrong_type(key, *n, "true or false");
  return std::nullopt;
}

std::optional<std::vector<std::pair<std::string, long>>> TomlFields::strings(
    const std::string& key) {
  const toml::array* arr = array(key);
  if (!arr) return std::nullopt;
  std::vector<std::pair<std::string, long>> out;
  bool ok = true;
  for (const toml::node& el : *arr) {
    if (const auto* s = el.as_string()) {
      out.emplace_back(s->get(), toml_line(el));
    } else {
      error(toml_line(el), where_ + key + " must hold only strings, not " + toml_type_name(el));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

const toml::array* TomlFields::array(const std::string& key) {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (const auto* a = n->as_array()) return a;
  wrong_type(key, *n, "an array");
  return nullptr;
}

const toml::table* TomlFields::table(const std::string& key) {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (const auto* t = n->as_table()) return t;
  wrong_type(key, *n, "a table");
  return nullptr;
}

void TomlFields::reject_unknown(const std::set<std::string>& other_kind,
                                const std::string& other_kind_name) {
  for (auto&& [k, v] : table_) {
    std::string key(k.str());
    if (read_.count(key)) continue;
    long at = toml_line(v) > 0 ? toml_line(v) : line();
    if (other_kind.count(key)) {
      error(at, "key " + where_ + key + " belongs to " + other_kind_name +
                    " recipes, not this kind; remove it or change kind");
      continue;
    }
    std::string best = closest_name(key, std::vector<std::string>(read_.begin(), read_.end()));
    if (!best.empty()) {
      error(at, "unknown key " + where_ + key + "; did you mean '" + best + "'?");
    } else {
      error(at, "unknown key " + where_ + key + "; remove it (known keys: " + join(read_, ", ") +
                    ")");
    }
  }
}

}  // namespace cleanroom::python
