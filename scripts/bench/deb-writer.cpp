// Bench driver for scripts/bench/deb-writer: builds one .deb with build_deb.
// Usage: deb-writer-bench TREE OUT.deb xz|gzip|zstd [LEVEL]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/deb.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s TREE OUT.deb xz|gzip|zstd [LEVEL]\n", argv[0]);
    return 2;
  }
  auto compression = cleanroom::formats::compression_from_word(argv[3]);
  if (!compression) {
    std::fprintf(stderr, "unknown compression '%s'\n", argv[3]);
    return 2;
  }
  cleanroom::formats::DebBuildOptions options;
  options.compression = *compression;
  if (argc > 4) options.level = std::atoi(argv[4]);
  options.source_date_epoch = 1700000000;
  try {
    cleanroom::formats::build_deb(argv[1], "", argv[2], options);
  } catch (const cleanroom::Error& e) {
    std::fprintf(stderr, "deb-writer-bench: %s\n", e.what());
    return e.exit_code();
  }
  return 0;
}
