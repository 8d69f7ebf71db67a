#include <catch2/catch.hpp>

#include "cleanroom/base/printable.h"

using namespace cleanroom;

TEST_CASE("printable passes text and valid UTF-8 and escapes what a terminal acts on") {
  CHECK(printable("plain/name.txt") == "plain/name.txt");
  CHECK(printable("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(printable("clear\x1b[2J") == "clear\\x1b[2J");
  CHECK(printable("a\nb\tc\rd") == "a\\nb\\tc\\rd");
  CHECK(printable("a\nb\tc\rd", LineBreaks::Keep) == "a\nb\tc\\rd");
  CHECK(printable(std::string("nul\0bel\x07" "del\x7f", 12)) == "nul\\x00bel\\x07del\\x7f");
  CHECK(printable("csi\xc2\x9b" "31m") == "csi\\u009b31m");       // C1 control, UTF-8
  CHECK(printable("bidi\xe2\x80\xaeok") == "bidi\\u202eok");      // right-to-left override
  CHECK(printable("bad\xff\xfe") == "bad\\xff\\xfe");             // not UTF-8 at all
  CHECK(printable("raw\x9b") == "raw\\x9b");                      // a lone C1 byte
  CHECK(printable("over\xc0\xaf") == "over\\xc0\\xaf");          // overlong '/'
  CHECK(printable("surr\xed\xa0\x80") == "surr\\xed\\xa0\\x80");  // a surrogate
  CHECK(printable("cut\xe2\x82") == "cut\\xe2\\x82");             // truncated sequence
}
