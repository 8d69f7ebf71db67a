// Reads the members of two tars into a MemberMatcher, each tar on a thread of
// its own: decompressing is most of a tar comparison's time, and the two sides
// are independent. Members are handed over in batches of bounded size, and the
// matcher is only ever touched by the calling thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cleanroom/formats/tar.h"
#include "diff_members.h"

namespace cleanroom::repro::detail {

// Turns one tar entry (and, for regular files, its content) into a Member.
// Called on the reading threads: whatever it captures must be thread-safe.
using TarMemberMaker =
    std::function<Member(const formats::TarEntry& entry, const formats::TarChunkReader& read)>;

// Adds A's members to side 0 and B's to side 1. Throws A's parse error if A has
// one, else B's: the same as reading A, then B, on one thread (concurrent=false,
// or when no thread can be started).
void read_tar_pair(std::string_view a, const std::string& name_a, std::string_view b,
                   const std::string& name_b, TarMemberMaker make, bool concurrent,
                   MemberMatcher& matcher);

}  // namespace cleanroom::repro::detail
