// Wheels (PEP 427) written deterministically. A wheel is a zip whose
// "<name>-<version>.dist-info/RECORD" lists every other file with its hash and
// size; rewriting the zip must regenerate RECORD or installers reject the wheel.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cleanroom/formats/zip.h"

namespace cleanroom::formats {

// The one top-level "*.dist-info/RECORD"; throws Error (Input) when there is
// none or several.
std::string wheel_record_path(const std::vector<ZipEntry>& entries,
                              const std::string& name_for_errors);

// Orders entries as the wheel tools do: sorted by name, the top-level
// .dist-info directory's files after everything else, RECORD last.
void order_wheel_entries(std::vector<ZipEntry>& entries, const std::string& record_path);

// RECORD's text for entries in their order: "path,sha256=<urlsafe base64, no
// padding>,size" per file (CSV-quoted where needed), directories left out,
// RECORD itself and its signatures (RECORD.jws, RECORD.p7s) with empty hash and size.
std::string make_wheel_record(const std::vector<ZipEntry>& entries, const std::string& record_path);

// "sha256=..." as RECORD spells a hash.
std::string wheel_record_hash(std::string_view data);

// Reads a wheel, orders it, regenerates RECORD and writes it with write_zip at
// source_date_epoch. Idempotent: normalizing the result gives the same bytes.
std::string normalize_wheel(std::string_view bytes, const std::string& name_for_errors,
                            std::int64_t source_date_epoch);

// normalize_wheel on a file, replaced atomically (cleanroom::AtomicFile) with
// its permission bits kept; false when it was already normalized and untouched.
bool normalize_wheel_file(const std::string& path, std::int64_t source_date_epoch);

}  // namespace cleanroom::formats
