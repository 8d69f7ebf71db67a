#include "cleanroom/python/requirements_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <set>
#include <span>

#include "ascii_text.h"
#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"
#include "cleanroom/base/join.h"
#include "cleanroom/base/sandbox_file.h"
#include "cleanroom/python/diagnostics.h"
#include "cleanroom/python/recipe_files.h"

namespace cleanroom::python {
namespace {

struct LogicalLine {
  long number;  // first physical line
  std::string text;
};

bool is_comment_start(std::string_view line, std::size_t i) {
  return line[i] == '#' && (i == 0 || ascii::is_space(line[i - 1]));
}

std::string strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (is_comment_start(line, i)) return std::string(line.substr(0, i));
  }
  return std::string(line);
}

bool has_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (is_comment_start(line, i)) return true;
  }
  return false;
}

// pip's join_lines + ignore_comments: a trailing backslash continues the line
// unless the line holds a comment; the joined line reports its first line number.
std::vector<LogicalLine> logical_lines(std::string_view text) {
  std::vector<LogicalLine> out;
  std::string pending;
  long pending_start = 0;
  ascii::for_each_line(text, [&](long number, std::string_view line) {
    if (!line.empty() && line.back() == '\\' && !has_comment(line)) {
      if (pending.empty()) pending_start = number;
      pending += line.substr(0, line.size() - 1);
      return true;
    }
    long start = pending.empty() ? number : pending_start;
    pending += line;
    std::string cleaned(ascii::trim(strip_comment(pending)));
    if (!cleaned.empty()) out.push_back({start, cleaned});
    pending.clear();
    return true;
  });
  if (!pending.empty()) {
    std::string cleaned(ascii::trim(strip_comment(pending)));
    if (!cleaned.empty()) out.push_back({pending_start, cleaned});
  }
  return out;
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && ascii::is_space(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && !ascii::is_space(s[i])) ++i;
    if (i > start) words.emplace_back(s.substr(start, i - start));
  }
  return words;
}

const char* const kNetworkOptions[] = {"-e",           "--editable",        "-i",
                                       "--index-url",  "--extra-index-url", "-f",
                                       "--find-links", "--trusted-host"};

const std::string kOfflineFix =
    "cleanroom installs only from the wheelhouse; put the distribution in the sources directory "
    "and require it by name";

class Reader {
 public:
  Reader(RequirementsFile& out, Diagnostics& diag, std::string base = "")
      : out_(out), diag_(diag), base_(std::move(base)) {}

  void read_file_at(const std::string& path, bool constraints, const std::string& included_from) {
    std::string text;
    if (!base_.empty()) {
      std::optional<std::string> rel = beneath_base(path);
      if (!rel) {
        std::string what = "'" + excerpt(path, kPathExcerptMax) + "' is outside the recipe's directory";
        if (included_from.empty()) throw_input(what + "; name a file beneath it");
        diag_.add(included_from, what + "; copy the file next to the recipe and include it there");
        return;
      }
      struct stat st {};
      if (::lstat(path.c_str(), &st) != 0) {
        missing(path, included_from);
        return;
      }
      try {
        text = read_untrusted_file(base_, *rel, kRequirementsFileMax, kRecipeFile);
      } catch (const Error& e) {
        if (included_from.empty()) throw;
        diag_.add(included_from, e.what());
        return;
      }
    } else {
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        missing(path, included_from);
        return;
      }
    }
    std::string canonical = std::filesystem::weakly_canonical(path).string();
    if (active_.count(canonical)) {
      diag_.add(included_from,
                "'" + path + "' includes itself (through -r or -c); remove the loop");
      return;
    }
    active_.insert(canonical);
    parse(base_.empty() ? read_file(path) : text, path, constraints);
    active_.erase(canonical);
  }

  void parse(std::string_view text, const std::string& path, bool constraints) {
    out_.files.push_back(path);
    for (const auto& line : logical_lines(text)) {
      std::string where = location(path, line.number);
      if (line.text.find("${") != std::string::npos) {
        diag_.add(
            where,
            "environment variables (${...}) are not expanded in a hermetic build; write the value");
        continue;
      }
      if (line.text[0] == '-') {
        option_line(line.text, path, where, constraints);
      } else {
        requirement_line(line.text, where, constraints);
      }
    }
  }

 private:
  // "-r file", "-rfile", "--requirement=file", "--requirement file".
  static bool match_option(const std::vector<std::string>& words, const char* short_name,
                           const char* long_name, std::string& value, bool& missing) {
    const std::string& w = words[0];
    std::string sn = short_name, ln = long_name;
    bool is = false;
    if (w == sn || w == ln) {
      is = true;
      if (words.size() > 1) value = words[1];
    } else if (w.starts_with(ln + "=")) {
      is = true;
      value = w.substr(ln.size() + 1);
    } else if (w.size() > 2 && w.starts_with(sn) && w[1] != '-') {
      is = true;
      value = w.substr(sn.size());
    }
    missing = is && value.empty();
    return is;
  }

  void option_line(const std::string& text, const std::string& path, const std::string& where,
                   bool constraints) {
    auto words = split_words(text);
    std::string value;
    bool missing = false;
    bool include_constraints = false;
    if (match_option(words, "-r", "--requirement", value, missing)) {
      include_constraints = constraints;
    } else if (match_option(words, "-c", "--constraint", value, missing)) {
      include_constraints = true;
    } else {
      std::string option = words[0].substr(0, words[0].find('='));
      for (const char* net : kNetworkOptions) {
        if (option == net) {
          diag_.add(where, excerpt(option) + " is not allowed offline; " + kOfflineFix);
          return;
        }
      }
      if (option == "--no-index") return;  // already true of every cleanroom install
      diag_.add(where, "option " + excerpt(option) +
                           " is not supported in requirements files here; remove it "
                           "(only -r, -c and --hash are)");
      return;
    }
    if (missing) {
      diag_.add(where, excerpt(words[0]) + " needs a file name; write e.g. " + excerpt(words[0]) +
                           " other.txt");
      return;
    }
    std::size_t expected_words = (words[0] == "-r" || words[0] == "-c" ||
                                  words[0] == "--requirement" || words[0] == "--constraint")
                                     ? 2
                                     : 1;
    if (words.size() > expected_words) {
      diag_.add(where, "unexpected '" + excerpt(words[expected_words]) + "' after " +
                           excerpt(words[0]) + " " + excerpt(value) + "; put one include per line");
      return;
    }
    if (value.find("://") != std::string::npos) {
      diag_.add(where, "including '" + excerpt(value) +
                           "' from a URL is not allowed offline; copy the file next to this one");
      return;
    }
    std::filesystem::path p(value);
    if (p.is_relative()) p = std::filesystem::path(path).parent_path() / p;
    read_file_at(p.lexically_normal().string(), include_constraints, where);
  }

  void requirement_line(const std::string& text, const std::string& where, bool constraints) {
    // pip's break_args_options: the requirement ends at the first word that is an option.
    auto words = split_words(text);
    std::size_t i = 0;
    while (i < words.size() && words[i][0] != '-') ++i;
    std::string req_text = join(std::span(words.data(), i), " ");
    std::vector<std::string> hashes;
    bool ok = true;
    for (; i < words.size(); ++i) {
      std::string value;
      if (words[i].starts_with("--hash=")) {
        value = words[i].substr(7);
      } else if (words[i] == "--hash" && i + 1 < words.size()) {
        value = words[++i];
      } else {
        std::string option = words[i].substr(0, words[i].find('='));
        diag_.add(where, "option " + excerpt(option) +
                             " is not supported after a requirement; remove it (only --hash is)");
        ok = false;
        continue;
      }
      if (!check_hash(value, where)) ok = false;
      hashes.push_back(value);
    }
    try {
      Requirement r = Requirement::parse(req_text);
      r.hashes = std::move(hashes);
      r.origin = where;
      if (constraints && !r.extras.empty()) {
        diag_.add(where, "constraints cannot name extras; write '" + r.key + r.specifiers.str() +
                             "' instead");
        return;
      }
      if (!ok) return;
      (constraints ? out_.constraints : out_.requirements).push_back(std::move(r));
    } catch (const Error& e) {
      diag_.add(where, e.what());
    }
  }

  bool check_hash(const std::string& value, const std::string& where) {
    std::size_t colon = value.find(':');
    std::string algorithm = value.substr(0, colon);
    std::string digest = colon == std::string::npos ? "" : value.substr(colon + 1);
    if (algorithm != "sha256") {
      diag_.add(where, "hash '" + excerpt(value) +
                           "' is not checked: only sha256 is; write --hash=sha256:<64 hex digits>");
      return false;
    }
    if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
      diag_.add(where,
                "hash '" + excerpt(value) + "' is not 64 lowercase hex digits after sha256:");
      return false;
    }
    return true;
  }

  void missing(const std::string& path, const std::string& included_from) {
    std::string what = "requirements file '" + path + "' does not exist or is not a file";
    if (included_from.empty()) throw_input(what + "; check the path");
    diag_.add(included_from, what + "; fix the path (it is relative to the including file)");
  }

  // path (base_/...) as a path relative to base_ that stays beneath it.
  std::optional<std::string> beneath_base(const std::string& path) const {
    std::string prefix = base_ + "/";
    if (!path.starts_with(prefix)) return std::nullopt;
    std::string rel = path.substr(prefix.size());
    if (!is_plain_relative_path(rel)) return std::nullopt;
    return rel;
  }

  RequirementsFile& out_;
  Diagnostics& diag_;
  std::string base_;  // "" or the recipe's directory, which every file must be beneath
  std::set<std::string> active_;
};

RequirementsFile read_top(const std::string& path, bool constraints, const std::string& base) {
  RequirementsFile out;
  Diagnostics diag;
  Reader(out, diag, base).read_file_at(path, constraints, "");
  diag.throw_if_any();
  return out;
}

}  // namespace

RequirementsFile read_requirements_file(const std::string& path, const std::string& beneath) {
  return read_top(path, false, beneath);
}

RequirementsFile read_constraints_file(const std::string& path, const std::string& beneath) {
  return read_top(path, true, beneath);
}

RequirementsFile parse_requirements_text(std::string_view text, const std::string& path) {
  RequirementsFile out;
  Diagnostics diag;
  Reader(out, diag).parse(text, path, false);
  diag.throw_if_any();
  return out;
}

}  // namespace cleanroom::python
