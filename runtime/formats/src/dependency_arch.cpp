// Architecture wildcards as dpkg matches them (Dpkg::Arch::debarch_is): both
// sides become (abi, libc, os, cpu) tuples, and a wildcard element "any"
// matches anything. The tuple table is dpkg's tupletable, folded into rules:
// "<cpu>" is gnu-linux, "<os>-<cpu>" names another kernel, and a few names
// (armhf, armel, x32, ...) pick an ABI on a shared cpu.
#include <algorithm>
#include <array>

#include "cleanroom/formats/dependency.h"

namespace cleanroom::formats {

namespace {

struct Tuple {
  std::string abi, libc, os, cpu;
};

struct CpuAbi {
  std::string_view arch_cpu, abi, cpu;
};

constexpr std::array<CpuAbi, 8> kCpuAbis = {{
    {"armhf", "eabihf", "arm"},
    {"armel", "eabi", "arm"},
    {"x32", "x32", "amd64"},
    {"mips64el", "abi64", "mips64el"},
    {"mips64", "abi64", "mips64"},
    {"mips64r6el", "abi64", "mips64r6el"},
    {"mipsn32el", "abin32", "mips64el"},
    {"powerpcspe", "spe", "powerpc"},
}};

struct OsPrefix {
  std::string_view prefix, libc, os;
};

constexpr std::array<OsPrefix, 10> kOsPrefixes = {{
    {"musl-linux-", "musl", "linux"},
    {"uclibc-linux-", "uclibc", "linux"},
    {"kfreebsd-", "gnu", "kfreebsd"},
    {"knetbsd-", "gnu", "knetbsd"},
    {"kopensolaris-", "gnu", "kopensolaris"},
    {"hurd-", "gnu", "hurd"},
    {"freebsd-", "bsd", "freebsd"},
    {"netbsd-", "bsd", "netbsd"},
    {"openbsd-", "bsd", "openbsd"},
    {"darwin-", "bsd", "darwin"},
}};

Tuple arch_tuple(std::string_view arch) {
  Tuple t{"base", "gnu", "linux", std::string(arch)};
  for (const OsPrefix& p : kOsPrefixes) {
    if (arch.starts_with(p.prefix)) {
      t.libc = p.libc;
      t.os = p.os;
      t.cpu = std::string(arch.substr(p.prefix.size()));
      break;
    }
  }
  for (const CpuAbi& c : kCpuAbis) {
    if (t.cpu == c.arch_cpu) {
      t.abi = c.abi;
      t.cpu = c.cpu;
      break;
    }
  }
  return t;
}

std::vector<std::string_view> split_dash(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t dash = s.find('-', start);
    parts.push_back(s.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) return parts;
    start = dash + 1;
  }
}

bool element_matches(std::string_view real, std::string_view wildcard) {
  return wildcard == "any" || wildcard == real;
}

}  // namespace

bool arch_matches(std::string_view arch, std::string_view pattern) {
  if (pattern == arch || pattern == "any") return true;
  // "all" is an architecture of its own, never part of a wildcard.
  if (arch == "all" || arch.empty()) return false;
  std::vector<std::string_view> parts = split_dash(pattern);
  if (parts.size() < 2 || parts.size() > 4) return false;
  // A wildcard contains "any"; "kfreebsd-amd64" is a name, and names differ.
  if (std::find(parts.begin(), parts.end(), "any") == parts.end()) return false;
  Tuple real = arch_tuple(arch);
  std::string_view cpu = parts.back();
  std::string_view os = parts[parts.size() - 2];
  std::string_view libc = parts.size() >= 3 ? parts[parts.size() - 3] : "any";
  std::string_view abi = parts.size() == 4 ? parts[0] : "any";
  return element_matches(real.abi, abi) && element_matches(real.libc, libc) &&
         element_matches(real.os, os) && element_matches(real.cpu, cpu);
}

}  // namespace cleanroom::formats
