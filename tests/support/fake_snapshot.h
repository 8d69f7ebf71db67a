// A snapshot directory as publish leaves it, without the archive and with an
// empty root: enough for resolve, list, rm and gc, and for whatever asks the
// store which snapshot a name is.
#pragma once

#include <cstdint>
#include <string>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"
#include "cleanroom/store/meta.h"
#include "cleanroom/store/store.h"

namespace cleanroom::test {

inline void fake_snapshot(const store::Store& store, const std::string& id,
                          const std::string& suite, const std::string& arch = "amd64",
                          std::int64_t created = 1700000000) {
  make_dirs(store.snapshot_dir(id) + "/root");
  store::SnapshotMeta m;
  m.id = id;
  m.suite = suite;
  m.arch = arch;
  m.size = 42;
  m.created = created;
  m.deb_compression = "zstd";
  write_file_atomic(store.snapshot_dir(id) + "/meta.json", store::encode_meta(m));
}

}  // namespace cleanroom::test
