// The two sides of a tar are read on two threads and matched as they arrive:
// the report must be exactly the one reading them in turn gives, whatever the
// order, repetition or absence of members, and whichever side is broken.
#include <catch2/catch.hpp>
#include <random>

#include "tar_fixtures.h"
#include "cleanroom/formats/compression.h"
#include "cleanroom/repro/diff.h"

using namespace cleanroom;
using namespace cleanroom::repro;
using cleanroom::test::RawEntry;

namespace {

std::string compressed_tar(const std::vector<RawEntry>& entries) {
  return formats::compress(cleanroom::test::raw_tar(entries), formats::Compression::Zstd, 1);
}

std::string render(const DiffResult& r) {
  std::string out = std::to_string(r.total) + " differences\n";
  for (const auto& d : r.differences)
    out += d.path + " " + to_string(d.kind) + " " + d.field + ": " + d.a + " | " + d.b + "\n" +
           d.detail;
  return out;
}

// Both ways of reading, and their (equal) report.
std::string both_ways(const std::string& a, const std::string& b, DiffOptions options = {}) {
  options.concurrent = false;
  std::string serial = render(diff_bytes(a, b, "data.tar.zst", options));
  options.concurrent = true;
  std::string concurrent = render(diff_bytes(a, b, "data.tar.zst", options));
  REQUIRE(concurrent == serial);
  return serial;
}

// Many members, some large: the threads hand them over in several batches.
std::vector<RawEntry> payload() {
  std::mt19937 rng(8);
  std::vector<RawEntry> out;
  for (int i = 0; i < 300; ++i) {
    RawEntry e;
    e.name = "usr/lib/demo/f" + std::to_string(i);
    std::size_t size = i % 50 == 0 ? (1u << 20) + 3 : 100 + rng() % 4000;
    for (std::size_t n = 0; n < size; ++n) e.data += static_cast<char>('a' + rng() % 26);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

TEST_CASE("concurrent tar reading reports what serial reading reports") {
  std::vector<RawEntry> base = payload();
  std::string a = compressed_tar(base);
  CHECK(both_ways(a, a) == "0 differences\n");

  std::vector<RawEntry> changed = base;
  changed[7].data[5] ^= 1;        // small content
  changed[150].data[70000] ^= 1;  // large content
  changed[200].mode = 0755;
  changed.erase(changed.begin() + 250);
  changed.push_back({"usr/lib/demo/new", AE_IFREG, "new\n", "", "", 0644});
  std::string report = both_ways(a, compressed_tar(changed));
  CHECK_THAT(report, Catch::StartsWith("5 differences\n"));
  CHECK_THAT(report, Catch::Contains("usr/lib/demo/f150 content text"));
  CHECK_THAT(report, Catch::Contains("usr/lib/demo/f200 metadata mode: 0644 | 0755"));
  CHECK_THAT(report, Catch::Contains("usr/lib/demo/f250 only-in-a"));
  CHECK_THAT(report, Catch::Contains("usr/lib/demo/new only-in-b"));

  DiffOptions capped;
  capped.max_report = 2;
  CHECK_THAT(both_ways(a, compressed_tar(changed), capped), Catch::StartsWith("5 differences\n"));
}

TEST_CASE("concurrent tar reading: reversed order, repeated names, one side empty") {
  std::vector<RawEntry> base = payload();
  std::vector<RawEntry> reversed(base.rbegin(), base.rend());
  std::string a = compressed_tar(base);
  std::string report = both_ways(a, compressed_tar(reversed));
  CHECK(report == "1 differences\n metadata member order: #1 is 'usr/lib/demo/f0' | "
                  "#1 is 'usr/lib/demo/f299'\n");

  // The second "x" is "x (2)" on each side, matched with its namesake.
  std::vector<RawEntry> twice = {{"x", AE_IFREG, "one", "", "", 0644},
                                 {"x", AE_IFREG, "two", "", "", 0644}};
  std::vector<RawEntry> twice_changed = twice;
  twice_changed[1].data = "TWO";
  CHECK_THAT(both_ways(compressed_tar(twice), compressed_tar(twice_changed)),
             Catch::StartsWith("1 differences\nx (2) content text"));

  std::string empty = compressed_tar({});
  CHECK_THAT(both_ways(a, empty), Catch::StartsWith("300 differences\n"));
  CHECK_THAT(both_ways(empty, a), Catch::StartsWith("300 differences\n"));
}

TEST_CASE("concurrent tar reading: a broken side is named as in serial reading") {
  std::string good = compressed_tar(payload());
  std::string bad_a = good, bad_b = good;
  bad_a.resize(good.size() / 2);
  bad_b[good.size() / 3] ^= 0x55;
  for (const auto& [a, b] : {std::pair{bad_a, good}, {good, bad_b}, {bad_a, bad_b}}) {
    std::string report = both_ways(a, b);
    CHECK_THAT(report, Catch::Contains("cannot be opened as compressed tar"));
  }
  CHECK_THAT(both_ways(bad_a, bad_b), Catch::Contains("(A)"));
  CHECK_THAT(both_ways(good, bad_b), Catch::Contains("(B)"));
}
