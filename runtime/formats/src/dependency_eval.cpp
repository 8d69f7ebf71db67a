// Canonical printing of relationship fields, and their reduction for one host
// architecture and set of build profiles (deb-src-control(5), BuildProfileSpec).
#include <algorithm>

#include "cleanroom/base/join.h"
#include "cleanroom/formats/dependency.h"

namespace cleanroom::formats {

namespace {

bool arch_allowed(const DependencyAlternative& alt, std::string_view host_arch) {
  if (alt.architectures.empty()) return true;
  bool any_match = std::any_of(alt.architectures.begin(), alt.architectures.end(),
                               [&](const ArchSpec& a) { return arch_matches(host_arch, a.name); });
  // Lists are all negated ([!i386]: everywhere but) or all plain ([amd64]: only).
  return alt.architectures.front().negated ? !any_match : any_match;
}

bool profiles_allowed(const DependencyAlternative& alt, const std::vector<std::string>& active) {
  if (alt.profiles.empty()) return true;
  auto holds = [&](const ProfileTerm& term) {
    bool on = std::find(active.begin(), active.end(), term.name) != active.end();
    return term.negated ? !on : on;
  };
  return std::any_of(alt.profiles.begin(), alt.profiles.end(), [&](const ProfileFormula& f) {
    return std::all_of(f.begin(), f.end(), holds);
  });
}

}  // namespace

std::string DependencyAlternative::to_string() const {
  std::string out = name;
  if (substvar) return out;
  if (!arch_qualifier.empty()) out += ":" + arch_qualifier;
  if (relation) out += " (" + std::string(relation_symbol(*relation)) + " " + version + ")";
  if (!architectures.empty()) {
    out += " [";
    for (std::size_t i = 0; i < architectures.size(); ++i) {
      if (i) out += ' ';
      out += (architectures[i].negated ? "!" : "") + architectures[i].name;
    }
    out += ']';
  }
  for (const ProfileFormula& formula : profiles) {
    out += " <";
    for (std::size_t i = 0; i < formula.size(); ++i) {
      if (i) out += ' ';
      out += (formula[i].negated ? "!" : "") + formula[i].name;
    }
    out += '>';
  }
  return out;
}

std::string Dependencies::to_string() const {
  return join(groups, ", ", [](const DependencyGroup& group) {
    return join(group, " | ", [](const DependencyAlternative& alt) { return alt.to_string(); });
  });
}

Dependencies evaluate_build_dependencies(const Dependencies& deps, std::string_view host_arch,
                                         const std::vector<std::string>& profiles) {
  Dependencies out;
  for (const DependencyGroup& group : deps.groups) {
    DependencyGroup kept;
    for (const DependencyAlternative& alt : group) {
      if (!arch_allowed(alt, host_arch) || !profiles_allowed(alt, profiles)) continue;
      DependencyAlternative reduced = alt;
      reduced.architectures.clear();
      reduced.profiles.clear();
      kept.push_back(std::move(reduced));
    }
    if (!kept.empty()) out.groups.push_back(std::move(kept));
  }
  return out;
}

}  // namespace cleanroom::formats
