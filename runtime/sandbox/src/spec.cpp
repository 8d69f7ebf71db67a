// Text encoding of the sandbox spec. Every field is escaped so that a path with
// spaces, newlines or nothing at all survives the trip: '\\' and bytes up to
// ' ' (and DEL) become \xHH, and the empty field is "\-".
#include "cleanroom/sandbox/spec.h"

#include <sys/resource.h>

#include <charconv>
#include <fmt/format.h>

#include "cleanroom/base/error.h"

namespace cleanroom::sandbox {

namespace {

const char* method_name(IdMapMethod m) {
  switch (m) {
    case IdMapMethod::Direct: return "direct";
    case IdMapMethod::DenySetgroups: return "deny-setgroups";
    case IdMapMethod::Helpers: return "helpers";
  }
  return "?";
}

const char* kind_name(MountKind k) {
  switch (k) {
    case MountKind::Overlay: return "overlay";
    case MountKind::Proc: return "proc";
    case MountKind::Tmpfs: return "tmpfs";
    case MountKind::Scratch: return "scratch";
    case MountKind::Devpts: return "devpts";
    case MountKind::Bind: return "bind";
    case MountKind::Symlink: return "symlink";
    case MountKind::Dir: return "dir";
  }
  return "?";
}

std::string number_field(std::uint64_t n) {
  return n == kRlimitInfinity ? "infinity" : std::to_string(n);
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class LineReader {
 public:
  LineReader(int line_no, std::vector<std::string> fields)
      : line_(line_no), fields_(std::move(fields)) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw_input(fmt::format("sandbox spec line {}: {}", line_, why));
  }
  void expect(std::size_t n) const {
    if (fields_.size() != n + 1)
      fail(fmt::format("'{}' takes {} field(s), got {}", fields_[0], n, fields_.size() - 1));
  }
  const std::string& str(std::size_t i) const { return fields_.at(i); }
  std::uint64_t num(std::size_t i) const {
    const std::string& s = fields_.at(i);
    if (s == "infinity") return kRlimitInfinity;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty())
      fail(fmt::format("'{}' is not a number", s));
    return v;
  }
  std::uint32_t u32(std::size_t i) const {
    auto v = num(i);
    if (v > 0xffffffffu) fail(fmt::format("'{}' is out of range", fields_.at(i)));
    return static_cast<std::uint32_t>(v);
  }
  bool flag(std::size_t i) const {
    auto v = num(i);
    if (v > 1) fail(fmt::format("'{}' is not 0 or 1", fields_.at(i)));
    return v == 1;
  }

 private:
  int line_;
  std::vector<std::string> fields_;
};

// The key stays as written so that an unknown one is reported verbatim.
std::vector<std::string> split_fields(std::string_view raw) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (start <= raw.size()) {
    auto sp = raw.find(' ', start);
    if (sp == std::string_view::npos) sp = raw.size();
    fields.push_back(fields.empty() ? std::string(raw.substr(start, sp - start))
                                    : unescape_field(raw.substr(start, sp - start)));
    start = sp + 1;
  }
  return fields;
}

void decode_header(const LineReader& r, const std::string& key) {
  if (key != "cleanroom-sandbox-spec") r.fail("not a cleanroom sandbox spec");
  r.expect(1);
  if (r.num(1) != kSpecVersion)
    r.fail(fmt::format("spec version {} is not supported (this helper reads version {})",
                       r.str(1), kSpecVersion));
}

void decode_id_map_method(const LineReader& r, Spec& spec) {
  r.expect(1);
  if (r.str(1) == "direct") spec.id_map_method = IdMapMethod::Direct;
  else if (r.str(1) == "deny-setgroups") spec.id_map_method = IdMapMethod::DenySetgroups;
  else if (r.str(1) == "helpers") spec.id_map_method = IdMapMethod::Helpers;
  else r.fail(fmt::format("unknown id map method '{}'", r.str(1)));
}

void decode_mount(const LineReader& r, Spec& spec) {
  r.expect(9);
  MountEntry m;
  const std::string& k = r.str(1);
  if (k == "overlay") m.kind = MountKind::Overlay;
  else if (k == "proc") m.kind = MountKind::Proc;
  else if (k == "tmpfs") m.kind = MountKind::Tmpfs;
  else if (k == "scratch") m.kind = MountKind::Scratch;
  else if (k == "devpts") m.kind = MountKind::Devpts;
  else if (k == "bind") m.kind = MountKind::Bind;
  else if (k == "symlink") m.kind = MountKind::Symlink;
  else if (k == "dir") m.kind = MountKind::Dir;
  else r.fail(fmt::format("unknown mount kind '{}'", k));
  m.target = r.str(2);
  m.source = r.str(3);
  m.data = r.str(4);
  m.read_only = r.flag(5);
  m.no_exec = r.flag(6);
  m.upper = r.str(7);
  m.work = r.str(8);
  m.owner = r.str(9);
  if (m.target.empty() || m.target[0] != '/') r.fail(fmt::format("mount target '{}' is not absolute", m.target));
  spec.mounts.push_back(std::move(m));
}

void decode_seccomp(const LineReader& r, Spec& spec) {
  r.expect(1);
  const std::string& hex = r.str(1);
  if (hex.size() % 2 != 0) r.fail("seccomp program has an odd number of hex digits");
  spec.seccomp_bpf.clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) r.fail("seccomp program is not hex");
    spec.seccomp_bpf.push_back(static_cast<char>(hi * 16 + lo));
  }
}

// One line between the header and "end" into `spec`. Returns false for a key
// the format does not have, so the caller reports it with the line number.
bool decode_field(const std::string& key, const LineReader& r, Spec& spec) {
  if (key == "uid-map" || key == "gid-map") {
    r.expect(3);
    (key == "uid-map" ? spec.uid_map : spec.gid_map).push_back({r.u32(1), r.u32(2), r.u32(3)});
  } else if (key == "id-map-method") {
    decode_id_map_method(r, spec);
  } else if (key == "mount") {
    decode_mount(r, spec);
  } else if (key == "hostname") {
    r.expect(1);
    spec.hostname = r.str(1);
  } else if (key == "domainname") {
    r.expect(1);
    spec.domainname = r.str(1);
  } else if (key == "workdir") {
    r.expect(1);
    spec.workdir = r.str(1);
  } else if (key == "env") {
    r.expect(1);
    if (r.str(1).find('=') == std::string::npos) r.fail(fmt::format("env '{}' has no '='", r.str(1)));
    spec.env.push_back(r.str(1));
  } else if (key == "arg") {
    r.expect(1);
    spec.argv.push_back(r.str(1));
  } else if (key == "rlimit") {
    r.expect(3);
    if (rlimit_resource(r.str(1)) < 0) r.fail(fmt::format("unknown rlimit '{}'", r.str(1)));
    spec.rlimits.push_back({r.str(1), r.num(2), r.num(3)});
  } else if (key == "timeout") {
    r.expect(1);
    spec.timeout_seconds = r.num(1);
  } else if (key == "disk-limit") {
    r.expect(1);
    spec.disk_limit_bytes = r.num(1);
  } else if (key == "memory-limit") {
    r.expect(1);
    spec.memory_limit_bytes = r.num(1);
  } else if (key == "pids-limit") {
    r.expect(1);
    spec.pids_limit = r.num(1);
  } else if (key == "network") {
    r.expect(1);
    spec.network = r.flag(1);
  } else if (key == "interactive") {
    r.expect(1);
    spec.interactive = r.flag(1);
  } else if (key == "linux32") {
    r.expect(1);
    spec.linux32 = r.flag(1);
  } else if (key == "keep-cap") {
    r.expect(1);
    auto c = r.num(1);
    if (c > 63) r.fail(fmt::format("capability {} is out of range", c));
    spec.keep_caps.push_back(static_cast<int>(c));
  } else if (key == "seccomp") {
    decode_seccomp(r, spec);
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string escape_field(std::string_view field) {
  if (field.empty()) return "\\-";
  std::string out;
  out.reserve(field.size());
  for (unsigned char c : field) {
    if (c <= ' ' || c == '\\' || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string unescape_field(std::string_view field) {
  if (field == "\\-") return "";
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\') {
      out.push_back(field[i]);
      continue;
    }
    if (i + 3 >= field.size())
      throw_input(fmt::format("sandbox spec: truncated escape in '{}'", field));
    if (field[i + 1] != 'x' || hex_digit(field[i + 2]) < 0 || hex_digit(field[i + 3]) < 0)
      throw_input(fmt::format("sandbox spec: bad escape in '{}'", field));
    out.push_back(static_cast<char>(hex_digit(field[i + 2]) * 16 + hex_digit(field[i + 3])));
    i += 3;
  }
  return out;
}

std::string encode_spec(const Spec& spec) {
  std::string out = fmt::format("cleanroom-sandbox-spec {}\n", kSpecVersion);
  auto line = [&out](std::string_view key, std::initializer_list<std::string> fields) {
    out += key;
    for (const auto& f : fields) {
      out.push_back(' ');
      out += escape_field(f);
    }
    out.push_back('\n');
  };
  for (const auto& m : spec.uid_map)
    line("uid-map", {std::to_string(m.inside), std::to_string(m.outside), std::to_string(m.count)});
  for (const auto& m : spec.gid_map)
    line("gid-map", {std::to_string(m.inside), std::to_string(m.outside), std::to_string(m.count)});
  line("id-map-method", {method_name(spec.id_map_method)});
  for (const auto& m : spec.mounts)
    line("mount", {kind_name(m.kind), m.target, m.source, m.data, m.read_only ? "1" : "0",
                   m.no_exec ? "1" : "0", m.upper, m.work, m.owner});
  line("hostname", {spec.hostname});
  if (!spec.domainname.empty()) line("domainname", {spec.domainname});
  line("workdir", {spec.workdir});
  for (const auto& e : spec.env) line("env", {e});
  for (const auto& a : spec.argv) line("arg", {a});
  for (const auto& r : spec.rlimits) line("rlimit", {r.name, number_field(r.soft), number_field(r.hard)});
  line("timeout", {std::to_string(spec.timeout_seconds)});
  line("disk-limit", {std::to_string(spec.disk_limit_bytes)});
  line("memory-limit", {std::to_string(spec.memory_limit_bytes)});
  line("pids-limit", {std::to_string(spec.pids_limit)});
  line("network", {spec.network ? "1" : "0"});
  line("interactive", {spec.interactive ? "1" : "0"});
  for (int c : spec.keep_caps) line("keep-cap", {std::to_string(c)});
  if (spec.linux32) line("linux32", {"1"});
  line("seccomp", {hex_encode(spec.seccomp_bpf)});
  out += "end\n";
  return out;
}

Spec decode_spec(std::string_view text) {
  Spec spec;
  bool saw_header = false, saw_end = false;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos)
      throw_input(fmt::format("sandbox spec line {}: missing newline (truncated?)", line_no + 1));
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    std::vector<std::string> fields = split_fields(raw);
    LineReader r(line_no, fields);
    const std::string& key = fields[0];
    if (saw_end) r.fail("text after 'end'");
    if (!saw_header) {
      decode_header(r, key);
      saw_header = true;
    } else if (key == "end") {
      r.expect(0);
      saw_end = true;
    } else if (!decode_field(key, r, spec)) {
      r.fail(fmt::format("unknown key '{}'", key));
    }
  }
  if (!saw_header) throw_input("sandbox spec is empty");
  if (!saw_end) throw_input("sandbox spec has no 'end' line (truncated?)");
  if (spec.argv.empty()) throw_input("sandbox spec has no command");
  return spec;
}

int rlimit_resource(const std::string& name) {
  if (name == "nofile") return RLIMIT_NOFILE;
  if (name == "nproc") return RLIMIT_NPROC;
  if (name == "fsize") return RLIMIT_FSIZE;
  if (name == "core") return RLIMIT_CORE;
  if (name == "as") return RLIMIT_AS;
  if (name == "cpu") return RLIMIT_CPU;
  if (name == "stack") return RLIMIT_STACK;
  return -1;
}

}  // namespace cleanroom::sandbox
