#include "cleanroom/python/wheel_tags.h"

#include <map>

#include "cleanroom/base/error.h"
#include "cleanroom/python/pep440_version.h"

namespace cleanroom::python {

std::string machine_for_debian_arch(const std::string& debian_arch) {
  static const std::map<std::string, std::string> kMachines = {
      {"amd64", "x86_64"},   {"arm64", "aarch64"},   {"armhf", "armv7l"},
      {"armel", "armv5tel"}, {"i386", "i686"},       {"ppc64el", "ppc64le"},
      {"s390x", "s390x"},    {"riscv64", "riscv64"}, {"mips64el", "mips64"}};
  auto it = kMachines.find(debian_arch);
  return it == kMachines.end() ? std::string() : it->second;
}

WheelTarget WheelTarget::for_snapshot(const std::string& python_full_version,
                                      const std::string& debian_arch,
                                      const std::string& glibc_version) {
  WheelTarget t;
  auto python = Version::parse(python_full_version);
  if (!python || python->release.size() < 2) {
    throw_input("Python version '" + python_full_version + "' of the snapshot is not like 3.11.2");
  }
  t.python_major = static_cast<unsigned>(python->release[0]);
  t.python_minor = static_cast<unsigned>(python->release[1]);
  t.machine = machine_for_debian_arch(debian_arch);
  if (t.machine.empty())
    throw_input("architecture '" + debian_arch + "' has no known wheel platform tag");
  // "2.36-9+deb12u4" -> 2.36: the Debian revision is not part of glibc's version.
  auto glibc = Version::parse(glibc_version.substr(0, glibc_version.find('-')));
  if (!glibc || glibc->release.size() < 2) {
    throw_input("glibc version '" + glibc_version + "' of the snapshot is not like 2.36");
  }
  t.glibc_major = static_cast<unsigned>(glibc->release[0]);
  t.glibc_minor = static_cast<unsigned>(glibc->release[1]);
  return t;
}

std::vector<std::string> WheelTarget::platforms() const {
  std::vector<std::string> out;
  if (glibc_major == 2) {
    // x86 got manylinux1 (glibc 2.5); everything else starts at manylinux2014 (2.17).
    unsigned oldest = (machine == "x86_64" || machine == "i686") ? 5 : 17;
    for (unsigned minor = glibc_minor + 1; minor-- > oldest;) {
      out.push_back("manylinux_2_" + std::to_string(minor) + "_" + machine);
      // The PEP 513/571/599 names are aliases of these glibc versions.
      if (minor == 17) out.push_back("manylinux2014_" + machine);
      if (minor == 12) out.push_back("manylinux2010_" + machine);
      if (minor == 5) out.push_back("manylinux1_" + machine);
    }
  }
  out.push_back("linux_" + machine);
  return out;
}

std::vector<Tag> WheelTarget::supported_tags() const {
  std::vector<Tag> tags;
  const std::string major = std::to_string(python_major);
  const std::string cp = "cp" + major + std::to_string(python_minor);
  const auto plats = platforms();
  // packaging.tags.cpython_tags
  for (const auto& p : plats) tags.push_back({cp, cp, p});
  for (const auto& p : plats) tags.push_back({cp, "abi3", p});
  for (const auto& p : plats) tags.push_back({cp, "none", p});
  for (unsigned minor = python_minor; minor-- > 2;) {
    for (const auto& p : plats) tags.push_back({"cp" + major + std::to_string(minor), "abi3", p});
  }
  // packaging.tags.compatible_tags: py311, py3, py310, ..., py30
  std::vector<std::string> py{"py" + major + std::to_string(python_minor), "py" + major};
  for (unsigned minor = python_minor; minor-- > 0;)
    py.push_back("py" + major + std::to_string(minor));
  for (const auto& v : py) {
    for (const auto& p : plats) tags.push_back({v, "none", p});
  }
  tags.push_back({cp, "none", "any"});
  for (const auto& v : py) tags.push_back({v, "none", "any"});
  return tags;
}

std::optional<std::size_t> wheel_rank(const WheelName& wheel, const std::vector<Tag>& supported) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < supported.size(); ++i) {
    const Tag& t = supported[i];
    auto has = [](const std::vector<std::string>& set, const std::string& v) {
      for (const auto& s : set) {
        if (s == v) return true;
      }
      return false;
    };
    if (has(wheel.python_tags, t.interpreter) && has(wheel.abi_tags, t.abi) &&
        has(wheel.platform_tags, t.platform)) {
      best = i;
      break;  // supported is ordered: the first hit is the best
    }
  }
  return best;
}

}  // namespace cleanroom::python
