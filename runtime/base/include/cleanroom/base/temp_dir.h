// A directory removed with everything in it when its owner goes away. Removal
// never crosses into a mounted filesystem and never follows symlinks, so a
// temp dir that a sandbox bind-mounted or filled with hostile links is safe to drop.
#pragma once

#include <string>

namespace cleanroom {

class TempDir {
 public:
  // Creates "<parent>/<prefix>XXXXXX"; parent defaults to $TMPDIR or /tmp.
  explicit TempDir(const std::string& prefix = "cleanroom-", const std::string& parent = "");
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }
  // Keeps the directory (e.g. --keep-build-dir); returns its path.
  std::string release();

 private:
  std::string path_;
};

// rm -rf without following symlinks or crossing mount points; throws on error.
void remove_tree(const std::string& path);

}  // namespace cleanroom
