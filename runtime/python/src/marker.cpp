#include "cleanroom/python/marker.h"

#include <cctype>
#include <vector>

#include "ascii_text.h"
#include "cleanroom/base/error.h"
#include "cleanroom/base/excerpt.h"
#include "cleanroom/python/pep440_version.h"
#include "cleanroom/python/requirement.h"
#include "cleanroom/python/specifier.h"

namespace cleanroom::python {

struct Marker::Node {
  enum class Kind { Or, And, Compare } kind = Kind::Compare;
  std::shared_ptr<const Node> left, right;
  // For Compare: a side is a variable when its name is set, else a literal.
  std::string lhs_var, lhs_text, op, rhs_var, rhs_text;
};

namespace {

using Node = Marker::Node;

const char* const kVariables[] = {"os_name",
                                  "sys_platform",
                                  "platform_machine",
                                  "platform_python_implementation",
                                  "platform_release",
                                  "platform_system",
                                  "platform_version",
                                  "python_version",
                                  "python_full_version",
                                  "implementation_name",
                                  "implementation_version",
                                  "extra"};

// Spellings from before PEP 508 that packaging still accepts.
std::string canonical_variable(const std::string& word) {
  if (word == "os.name") return "os_name";
  if (word == "sys.platform") return "sys_platform";
  if (word == "platform.version") return "platform_version";
  if (word == "platform.machine") return "platform_machine";
  if (word == "platform.python_implementation" || word == "python_implementation") {
    return "platform_python_implementation";
  }
  for (const char* v : kVariables) {
    if (word == v) return word;
  }
  return "";
}

struct Token {
  enum class Type { Word, String, Op, Open, Close, End } type = Type::End;
  std::string text;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) { tokenize(); }

  std::shared_ptr<const Node> parse() {
    auto node = parse_or();
    if (tokens_[pos_].type != Token::Type::End) fail("unexpected '" + tokens_[pos_].text + "'");
    return node;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw_input("marker " + quote_excerpt(text_) + ": " + what);
  }

  void tokenize() {
    std::size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.push_back({c == '(' ? Token::Type::Open : Token::Type::Close, std::string(1, c)});
        ++i;
      } else if (c == '"' || c == '\'') {
        std::size_t end = text_.find(c, i + 1);
        if (end == std::string_view::npos) fail("unterminated string; close the quote");
        tokens_.push_back({Token::Type::String, std::string(text_.substr(i + 1, end - i - 1))});
        i = end + 1;
      } else if (std::string_view("<>=!~").find(c) != std::string_view::npos) {
        std::size_t start = i;
        while (i < text_.size() &&
               std::string_view("<>=!~").find(text_[i]) != std::string_view::npos)
          ++i;
        tokens_.push_back({Token::Type::Op, std::string(text_.substr(start, i - start))});
      } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') {
        std::size_t start = i;
        while (i < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[i])) ||
                                    text_[i] == '_' || text_[i] == '.')) {
          ++i;
        }
        tokens_.push_back({Token::Type::Word, std::string(text_.substr(start, i - start))});
      } else {
        fail(std::string("unexpected character '") + c + "'");
      }
    }
    tokens_.push_back({Token::Type::End, "end of marker"});
  }

  bool accept_word(const char* word) {
    if (tokens_[pos_].type == Token::Type::Word && tokens_[pos_].text == word) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::shared_ptr<const Node> parse_or() {
    auto left = parse_and();
    while (accept_word("or")) {
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::Or;
      n->left = left;
      n->right = parse_and();
      left = n;
    }
    return left;
  }

  std::shared_ptr<const Node> parse_and() {
    auto left = parse_atom();
    while (accept_word("and")) {
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::And;
      n->left = left;
      n->right = parse_atom();
      left = n;
    }
    return left;
  }

  std::shared_ptr<const Node> parse_atom() {
    if (tokens_[pos_].type == Token::Type::Open) {
      ++pos_;
      auto inner = parse_or();
      if (tokens_[pos_].type != Token::Type::Close) fail("missing ')'");
      ++pos_;
      return inner;
    }
    auto n = std::make_shared<Node>();
    operand(n->lhs_var, n->lhs_text);
    n->op = comparison();
    operand(n->rhs_var, n->rhs_text);
    if (n->lhs_var.empty() && n->rhs_var.empty()) {
      fail("'" + n->lhs_text + "' " + n->op + " '" + n->rhs_text +
           "' compares two strings; one side must be a variable");
    }
    return n;
  }

  void operand(std::string& var, std::string& literal) {
    const Token& t = tokens_[pos_];
    if (t.type == Token::Type::String) {
      literal = t.text;
    } else if (t.type == Token::Type::Word) {
      var = canonical_variable(t.text);
      if (var.empty()) {
        fail("unknown variable '" + t.text +
             "'; use python_version, python_full_version, "
             "sys_platform, platform_machine, platform_system, os_name, implementation_name, "
             "extra or another PEP 508 name, and quote literal values");
      }
    } else {
      fail("expected a variable or a quoted string, found '" + t.text + "'");
    }
    ++pos_;
  }

  std::string comparison() {
    const Token& t = tokens_[pos_];
    if (t.type == Token::Type::Op) {
      for (const char* op : {"===", "==", "!=", "<=", ">=", "~=", "<", ">"}) {
        if (t.text == op) {
          ++pos_;
          return op;
        }
      }
      fail("unknown operator '" + t.text + "'");
    }
    if (accept_word("in")) return "in";
    if (accept_word("not")) {
      if (!accept_word("in")) fail("'not' must be followed by 'in'");
      return "not in";
    }
    fail("expected a comparison operator, found '" + t.text + "'");
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

using ascii::lower;

bool compare_values(const std::string& lhs, const std::string& op, const std::string& rhs) {
  if (op == "in") return rhs.find(lhs) != std::string::npos;
  if (op == "not in") return rhs.find(lhs) == std::string::npos;
  if (op == "===") return lower(lhs) == lower(rhs);
  // PEP 508: version semantics when both sides are versions, else strings.
  auto version = Version::parse(lhs);
  if (version) {
    try {
      return Specifier::parse(op + rhs).contains(*version);
    } catch (const Error&) {
      // rhs is no version: fall through to string comparison.
    }
  }
  if (op == "==") return lhs == rhs;
  if (op == "!=") return lhs != rhs;
  if (op == "<") return lhs < rhs;
  if (op == "<=") return lhs <= rhs;
  if (op == ">") return lhs > rhs;
  if (op == ">=") return lhs >= rhs;
  throw_input("marker comparison " + quote_excerpt(lhs) + " " + op + " " + quote_excerpt(rhs) +
              " is undefined: " + op + " needs versions on both sides");
}

std::string value_of(const std::string& var, const std::string& literal,
                     const MarkerEnvironment& env) {
  if (var.empty()) return literal;
  auto it = env.values.find(var);
  return it == env.values.end() ? std::string() : it->second;
}

bool eval(const Node& n, const MarkerEnvironment& env) {
  switch (n.kind) {
    case Node::Kind::Or:
      return eval(*n.left, env) || eval(*n.right, env);
    case Node::Kind::And:
      return eval(*n.left, env) && eval(*n.right, env);
    case Node::Kind::Compare:
      break;
  }
  std::string lhs = value_of(n.lhs_var, n.lhs_text, env);
  std::string rhs = value_of(n.rhs_var, n.rhs_text, env);
  if (n.lhs_var == "extra" || n.rhs_var == "extra") {
    // Extras compare by normalized name (PEP 685): "Foo_Bar" == "foo-bar".
    lhs = normalize_name(lhs);
    rhs = normalize_name(rhs);
  }
  return compare_values(lhs, n.op, rhs);
}

std::string side(const std::string& var, const std::string& literal) {
  return var.empty() ? "\"" + literal + "\"" : var;
}

std::string render(const Node& n, bool inside_and) {
  switch (n.kind) {
    case Node::Kind::Or: {
      std::string s = render(*n.left, false) + " or " + render(*n.right, false);
      return inside_and ? "(" + s + ")" : s;
    }
    case Node::Kind::And:
      return render(*n.left, true) + " and " + render(*n.right, true);
    case Node::Kind::Compare:
      break;
  }
  return side(n.lhs_var, n.lhs_text) + " " + n.op + " " + side(n.rhs_var, n.rhs_text);
}

}  // namespace

MarkerEnvironment MarkerEnvironment::linux_cpython(const std::string& full_version,
                                                   const std::string& machine) {
  auto parsed = Version::parse_or_throw(full_version);
  std::string short_version = std::to_string(parsed.release.at(0)) + "." +
                              std::to_string(parsed.release.size() > 1 ? parsed.release[1] : 0);
  MarkerEnvironment env;
  env.values = {{"os_name", "posix"},
                {"sys_platform", "linux"},
                {"platform_machine", machine},
                {"platform_python_implementation", "CPython"},
                {"platform_release", ""},
                {"platform_system", "Linux"},
                {"platform_version", ""},
                {"python_version", short_version},
                {"python_full_version", full_version},
                {"implementation_name", "cpython"},
                {"implementation_version", full_version},
                {"extra", ""}};
  return env;
}

MarkerEnvironment MarkerEnvironment::with_extra(const std::string& extra) const {
  MarkerEnvironment env = *this;
  env.values["extra"] = normalize_name(extra);
  return env;
}

Marker Marker::parse(std::string_view text) {
  Marker m;
  m.root_ = Parser(text).parse();
  return m;
}

bool Marker::evaluate(const MarkerEnvironment& env) const { return eval(*root_, env); }

std::string Marker::str() const { return render(*root_, false); }

}  // namespace cleanroom::python
