// Where the store lives when --store is not given. Pure so tests need no env.
#pragma once

#include <cstdint>
#include <string>

namespace cleanroom::store {

struct StorePathInputs {
  std::string explicit_path;  // --store
  std::string env_store;      // $CLEANROOM_STORE
  std::uint32_t uid = 0;
  std::string xdg_data_home;  // $XDG_DATA_HOME
  std::string home;           // $HOME
};

// explicit, else $CLEANROOM_STORE, else /var/lib/cleanroom as root, else
// $XDG_DATA_HOME/cleanroom, else $HOME/.local/share/cleanroom. Throws
// Error(Input) when none applies (a user without HOME).
std::string select_store_path(const StorePathInputs& in);

}  // namespace cleanroom::store
