// gzip files made reproducible. A gzip member's header carries the source's
// mtime, its file name, an OS byte and optional comment and extra fields; the
// deflate stream after it depends only on the content and the compressor's
// settings. So normalizing rewrites the headers and keeps each deflate stream
// byte for byte: nothing is recompressed, and the result decompresses to
// exactly the same data (every member's CRC and size are checked on the way).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cleanroom {
class ByteBudget;
}

namespace cleanroom::formats {

bool looks_like_gzip(std::string_view bytes);

// Every member's header becomes "1f 8b 08, no flags, mtime 0, XFL kept, OS 3
// (Unix)" as `gzip -n` writes it; trailing zero padding is kept. Throws Error
// (Input) naming the file for corrupt, truncated or non-deflate input, and
// Error (Environment) past kInMemoryInflateLimit (byte_budget.h) inflated.
std::string normalize_gzip(std::string_view bytes, const std::string& name_for_errors);

// The concatenated content of all members, spent from budget as it is inflated
// (kInMemoryInflateLimit when none is given).
std::string gzip_decompress(std::string_view bytes, const std::string& name_for_errors,
                            ByteBudget& budget);
std::string gzip_decompress(std::string_view bytes, const std::string& name_for_errors);

}  // namespace cleanroom::formats
