#include "cleanroom/python/requirements_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <span>

#include "ascii_text.h"
#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/join.h"
#include "cleanroom/python/diagnostics.h"

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
  Reader(RequirementsFile& out, Diagnostics& diag) : out_(out), diag_(diag) {}

  void read_file_at(const std::string& path, bool constraints, const std::string& included_from) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      std::string what = "requirements file '" + path + "' does not exist or is not a file";
      if (included_from.empty()) throw_input(what + "; check the path");
      diag_.add(included_from, what + "; fix the path (it is relative to the including file)");
      return;
    }
    std::string canonical = std::filesystem::weakly_canonical(path).string();
    if (active_.count(canonical)) {
      diag_.add(included_from,
                "'" + path + "' includes itself (through -r or -c); remove the loop");
      return;
    }
    active_.insert(canonical);
    parse(read_file(path), path, constraints);
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
          diag_.add(where, option + " is not allowed offline; " + kOfflineFix);
          return;
        }
      }
      if (option == "--no-index") return;  // already true of every cleanroom install
      diag_.add(where, "option " + option +
                           " is not supported in requirements files here; remove it "
                           "(only -r, -c and --hash are)");
      return;
    }
    if (missing) {
      diag_.add(where, words[0] + " needs a file name; write e.g. " + words[0] + " other.txt");
      return;
    }
    std::size_t expected_words = (words[0] == "-r" || words[0] == "-c" ||
                                  words[0] == "--requirement" || words[0] == "--constraint")
                                     ? 2
                                     : 1;
    if (words.size() > expected_words) {
      diag_.add(where, "unexpected '" + words[expected_words] + "' after " + words[0] + " " +
                           value + "; put one include per line");
      return;
    }
    if (value.find("://") != std::string::npos) {
      diag_.add(where, "including '" + value +
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
        diag_.add(where, "option " + option +
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
      diag_.add(where, "hash '" + value +
                           "' is not checked: only sha256 is; write --hash=sha256:<64 hex digits>");
      return false;
    }
    if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
      diag_.add(where, "hash '" + value + "' is not 64 lowercase hex digits after sha256:");
      return false;
    }
    return true;
  }

  RequirementsFile& out_;
  Diagnostics& diag_;
  std::set<std::string> active_;
};

RequirementsFile read_top(const std::string& path, bool constraints) {
  RequirementsFile out;
  Diagnostics diag;
  Reader(out, diag).read_file_at(path, constraints, "");
  diag.throw_if_any();
  return out;
}

}  // namespace

RequirementsFile read_requirements_file(const std::string& path) { return read_top(path, false); }

RequirementsFile read_constraints_file(const std::string& path) { return read_top(path, true); }

RequirementsFile parse_requirements_text(std::string_view text, const std::string& path) {
  RequirementsFile out;
  Diagnostics diag;
  Reader(out, diag).parse(text, path, false);
  diag.throw_if_any();
  return out;
}

}  // namespace cleanroom::python
