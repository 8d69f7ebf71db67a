#include "cleanroom/store/meta.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cleanroom/base/error.h"

namespace cleanroom::store {

std::string encode_meta(const SnapshotMeta& m) {
  nlohmann::ordered_json j;
  j["format_version"] = kMetaVersion;
  j["id"] = m.id;
  j["suite"] = m.suite;
  j["arch"] = m.arch;
  j["mirror"] = m.mirror;
  j["variant"] = m.variant;
  j["origin"] = m.origin;
  j["deb_compression"] = m.deb_compression;
  j["created"] = m.created;
  j["source_date_epoch"] = m.source_date_epoch;
  j["size"] = m.size;
  j["entries"] = m.entries;
  return j.dump(2) + "\n";
}

SnapshotMeta decode_meta(const std::string& text, const std::string& name_for_errors) {
  try {
    auto j = nlohmann::json::parse(text);
    int version = j.at("format_version").get<int>();
    if (version > kMetaVersion)
      throw_input(fmt::format("{}: format_version {} is newer than this cleanroom reads ({}); "
                              "upgrade cleanroom",
                              name_for_errors, version, kMetaVersion));
    SnapshotMeta m;
    m.id = j.at("id").get<std::string>();
    m.suite = j.value("suite", "");
    m.arch = j.value("arch", "");
    m.mirror = j.value("mirror", "");
    m.variant = j.value("variant", "");
    m.origin = j.value("origin", "");
    m.deb_compression = j.value("deb_compression", "");
    m.created = j.value("created", std::int64_t{0});
    m.source_date_epoch = j.value("source_date_epoch", std::int64_t{0});
    m.size = j.value("size", std::uint64_t{0});
    m.entries = j.value("entries", std::uint64_t{0});
    return m;
  } catch (const nlohmann::json::exception& e) {
    throw_input(fmt::format("{}: not valid snapshot metadata: {}", name_for_errors, e.what()));
  }
}

}  // namespace cleanroom::store
