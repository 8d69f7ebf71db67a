#include "help_format.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string>

namespace cleanroom::cli {

namespace {

// --extra-package -> EXTRA_PACKAGE; the last long name, the most telling one
// (-d,--dist,--snapshot -> SNAPSHOT); a short-only option takes VALUE.
std::string metavariable(const CLI::Option* opt) {
  const auto& names = opt->get_lnames();
  std::string name = names.empty() ? "value" : names.back();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return c == '-' ? '_' : static_cast<char>(std::toupper(c));
  });
  return name;
}

// The first line of a description, ended where its phrase ends: before a
// parenthesis the line leaves open, or at its last comma or colon.
std::string summary(const std::string& description) {
  std::string line = description.substr(0, description.find('\n'));
  if (line.size() == description.size() || line.ends_with('.')) return line;
  std::size_t open = std::string::npos;
  int depth = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '(' && depth++ == 0) open = i;
    if (line[i] == ')' && depth > 0) --depth;
  }
  std::size_t cut = depth > 0 ? open : line.find_last_of(",:");
  if (cut != std::string::npos) line.erase(cut);
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override {
    if (opt->get_type_size() == 0 || opt->get_type_name().empty()) return "";  // a flag
    std::string out;
    if (!opt->nonpositional()) {
      // A positional's name is already its metavariable.
    } else {
      out = " " + metavariable(opt);
    }
    if (!opt->get_default_str().empty()) out += "=" + opt->get_default_str();
    if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
    if (opt->get_required() && opt->nonpositional()) out += " (required)";
    return out;
  }

  std::string make_subcommand(const CLI::App* sub) const override {
    std::stringstream out;
    CLI::detail::format_help(out, sub->get_display_name(true), summary(sub->get_description()),
                             get_column_width());
    return out.str();
  }
};

}  // namespace

std::shared_ptr<CLI::Formatter> make_help_formatter() {
  auto f = std::make_shared<HelpFormatter>();
  f->column_width(32);
  return f;
}

}  // namespace cleanroom::cli
