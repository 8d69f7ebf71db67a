#include "cleanroom/store/store_path.h"

#include <unistd.h>

#include <cstdlib>

#include "cleanroom/base/error.h"
#include "cleanroom/base/user_namespace.h"
#include "cleanroom/store/store.h"

namespace cleanroom::store {

std::string select_store_path(const StorePathInputs& in) {
  if (!in.explicit_path.empty()) return in.explicit_path;
  if (!in.env_store.empty()) return in.env_store;
  if (in.uid == 0) return "/var/lib/cleanroom";
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (!in.xdg_data_home.empty() && in.xdg_data_home[0] == '/')
    return in.xdg_data_home + "/cleanroom";
  if (!in.home.empty()) return in.home + "/.local/share/cleanroom";
  throw_input("no store location: HOME is not set; pass --store DIR or set CLEANROOM_STORE");
}

std::string default_store_path(const std::string& explicit_path) {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  return select_store_path({explicit_path, env("CLEANROOM_STORE"),
                            host_user().uid, env("XDG_DATA_HOME"),
                            env("HOME")});
}

}  // namespace cleanroom::store
