#include "cleanroom/python/wheel_contents.h"

#include <algorithm>

#include "cleanroom/base/join.h"
#include "cleanroom/base/path.h"

namespace cleanroom::python {

bool is_compiled_member(const std::string& member) {
  std::string base = file_name(member);
  // foo.cpython-311-x86_64-linux-gnu.so, _speedups.abi3.so, vendored libz.so.1.2.13
  return base.ends_with(".so") || base.ends_with(".pyd") || base.find(".so.") != std::string::npos;
}

std::optional<std::string> pure_fallback_problem(const WheelName& wheel,
                                                 const std::vector<std::string>& members,
                                                 const std::vector<std::string>& allowed) {
  if (wheel.platform_independent()) return std::nullopt;
  if (std::any_of(members.begin(), members.end(), is_compiled_member)) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), wheel.key) != allowed.end()) return std::nullopt;
  std::string plats = join(wheel.platform_tags, ".");
  return "'" + wheel.filename + "' is tagged for " + plats +
         " but holds no compiled module: its C extension most likely failed to build and it fell "
         "back to pure Python; add the missing -dev packages to build_packages, or list '" +
         wheel.key + "' in allow_pure_fallback if that is intended";
}

}  // namespace cleanroom::python
