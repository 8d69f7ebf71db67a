// The variations and their spec syntax. The values follow reprotest's where
// they need nothing the build root lacks: locales other than C and C.UTF-8 are
// not installed in a buildd snapshot, so the locale variation is C against
// C.UTF-8; a POSIX TZ string needs no tzdata.
#include "cleanroom/verify/variation.h"

#include <fmt/format.h>

#include <algorithm>

#include "cleanroom/base/error.h"
#include "variation_shell.h"

namespace cleanroom::build {

namespace {

struct VariationName {
  Variation v;
  const char* name;
  const char* description;
};

constexpr VariationName kNames[] = {
    {Variation::Environment, "environment", "CLEANROOM_VARIED=1 in the environment"},
    {Variation::BuildPath, "build_path", "built under /build-varied instead of /build"},
    {Variation::UserGroup, "user_group", "build user uid/gid 2000/2000 instead of 1000/1000"},
    {Variation::Home, "home", "HOME=/nonexistent/cleanroom-varied-home"},
    {Variation::Kernel, "kernel", "uname -r reports 2.6 (setarch --uname-2.6)"},
    {Variation::Aslr, "aslr", "address space randomization off (setarch -R)"},
    {Variation::NumCpus, "num_cpus", "one CPU (taskset -c 0, parallel=1) instead of all"},
    {Variation::Time, "time", "clock 1826 days ahead, file times with it (libfaketime, a stat shim)"},
    {Variation::Timezone, "timezone", "TZ=GMT-14 instead of UTC"},
    {Variation::Locales, "locales", "LC_ALL=C LANG=C LANGUAGE=fr_CH:fr instead of C.UTF-8"},
    {Variation::Umask, "umask", "umask 002 instead of 022"},
    {Variation::DomainHost, "domain_host",
     "host name cleanroom-varied, domain name varied.invalid"},
    {Variation::FileOrdering, "fileordering",
     "readdir(3) returns entries in reverse order (an LD_PRELOAD shim; disorderfs needs FUSE, "
     "which the sandbox does not allow)"},
};

const VariationName& entry(Variation v) {
  for (const auto& n : kNames)
    if (n.v == v) return n;
  throw_failure("unknown variation");
}

std::string known_names() {
  std::string out;
  for (const auto& n : kNames) out += std::string(out.empty() ? "" : ", ") + n.name;
  return out + ", all, none";
}

void apply_item(VariationSet& set, const std::string& item, const std::string& spec) {
  if (item.empty()) return;
  bool on = true;
  std::string name = item;
  if (name[0] == '+' || name[0] == '-') {
    on = name[0] == '+';
    name = name.substr(1);
  }
  if (name == "all" || name == "none") {
    if (name == "none") on = !on;
    for (Variation v : all_variations()) set.set(v, on);
    return;
  }
  for (const auto& n : kNames) {
    if (name == n.name) {
      set.set(n.v, on);
      return;
    }
  }
  throw_input(fmt::format("--vary '{}': unknown variation '{}'; known: {}", spec, name,
                          known_names()));
}

}  // namespace

const std::vector<Variation>& all_variations() {
  static const std::vector<Variation> all = [] {
    std::vector<Variation> out;
    for (const auto& n : kNames) out.push_back(n.v);
    return out;
  }();
  return all;
}

const char* to_string(Variation v) { return entry(v).name; }
std::string describe(Variation v) { return entry(v).description; }

VariationSet VariationSet::all() {
  VariationSet s;
  for (Variation v : all_variations()) s.set(v, true);
  return s;
}

VariationSet VariationSet::none() { return {}; }

VariationSet VariationSet::only(Variation v) {
  VariationSet s;
  s.set(v, true);
  return s;
}

void VariationSet::set(Variation v, bool on) {
  std::uint32_t bit = 1u << static_cast<unsigned>(v);
  bits_ = on ? (bits_ | bit) : (bits_ & ~bit);
}

std::vector<Variation> VariationSet::list() const {
  std::vector<Variation> out;
  for (Variation v : all_variations())
    if (has(v)) out.push_back(v);
  return out;
}

std::string VariationSet::to_string() const {
  std::string out;
  for (Variation v : list()) out += std::string(out.empty() ? "" : ",") + build::to_string(v);
  return out;
}

VariationSet parse_variation_specs(const std::vector<std::string>& specs) {
  VariationSet set = VariationSet::all();
  for (const auto& spec : specs) {
    std::size_t start = 0;
    while (start <= spec.size()) {
      std::size_t comma = spec.find(',', start);
      if (comma == std::string::npos) comma = spec.size();
      std::string item = spec.substr(start, comma - start);
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      apply_item(set, item, spec);
      start = comma + 1;
    }
  }
  return set;
}

std::string variation_unavailable(Variation v, const VariationHost& host) {
  if (v == Variation::NumCpus && host.cpus < 2)
    return "this machine has one CPU: there is no other count to run on";
  if (v == Variation::UserGroup && host.id_count <= 2000)
    return "the store's id map has no id 2000 (rootless without a subordinate id range)";
  return "";
}

std::vector<std::string> variation_build_packages(const VariationSet& set) {
  if (set.has(Variation::Time)) return {"faketime"};
  return {};
}

StepVariation apply_variations(const VariationSet& set, const VariationHost& host) {
  auto on = [&](Variation v) { return set.has(v) && variation_unavailable(v, host).empty(); };
  StepVariation sv;
  if (on(Variation::Environment)) sv.env.push_back("CLEANROOM_VARIED=1");
  if (on(Variation::BuildPath)) sv.build_path_parent = "/build-varied";
  if (on(Variation::UserGroup)) sv.build_id = 2000;
  if (on(Variation::Home)) sv.env.push_back("HOME=/nonexistent/cleanroom-varied-home");
  if (on(Variation::Timezone)) sv.env.push_back("TZ=GMT-14");
  if (on(Variation::Locales)) {
    sv.env.push_back("LC_ALL=C");
    sv.env.push_back("LANG=C");
    sv.env.push_back("LANGUAGE=fr_CH:fr");
  }
  if (on(Variation::Umask)) sv.umask = 002;
  if (on(Variation::DomainHost)) {
    sv.hostname = "cleanroom-varied";
    sv.domainname = "varied.invalid";
  }
  if (on(Variation::NumCpus)) sv.jobs = 1;

  WrapperRequest w;
  w.fake_time = on(Variation::Time);
  w.reverse_readdir = on(Variation::FileOrdering);
  w.uname26 = on(Variation::Kernel);
  w.no_aslr = on(Variation::Aslr);
  w.one_cpu = on(Variation::NumCpus);
  Wrapper wrapper = make_wrapper(w);
  sv.preamble = wrapper.preamble;
  sv.prefix = wrapper.prefix;
  return sv;
}

std::string recipe_variation_unavailable(Variation v) {
  switch (v) {
    case Variation::BuildPath:
      return "a recipe builds at fixed paths (an sdist at /build/NAME-VERSION, a venv at its "
             "install path)";
    case Variation::UserGroup: return "a recipe's steps run as the sandbox's root";
    case Variation::FileOrdering:
      return "the readdir shim is compiled in a Debian build's root; recipe steps run without it";
    default: return "";
  }
}

}  // namespace cleanroom::build
