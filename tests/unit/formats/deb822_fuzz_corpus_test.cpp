// The text-format fuzz targets' seed corpora, run as ordinary tests so every
// build exercises them: each file must parse or be rejected with an Error, and
// keep the target's round-trip properties.
#include <catch2/catch.hpp>
#include <string>

#include "text_format_checks.h"

TEST_CASE("text-format fuzz seed corpora parse or are rejected cleanly") {
  for (const char* target :
       {"deb822", "changelog", "version", "dependency", "buildinfo", "changes"}) {
    auto files = cleanroom::fuzz::corpus(std::string(CLEANROOM_TEST_DATA) +
                                         "/../fuzz/corpus/fuzz_" + target);
    CHECK(files.size() >= 4);
    for (const auto& [name, data] : files) {
      INFO(target << "/" << name);
      CHECK(cleanroom::fuzz::check_target(target, data));
    }
  }
}
