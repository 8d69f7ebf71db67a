#include "cleanroom/python/bundle_docs.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cleanroom/base/join.h"
#include "cleanroom/base/sha256.h"
#include "cleanroom/formats/changelog.h"

namespace cleanroom::python {

namespace {

// Licenses whose full text every Debian system has.
const std::set<std::string> kCommonLicenses = {
    "Apache-2.0",        "Artistic-2.0",     "BSD-3-Clause",      "CC0-1.0",
    "GFDL-1.3-only",     "GPL-2.0-only",     "GPL-2.0-or-later",  "GPL-3.0-only",
    "GPL-3.0-or-later",  "LGPL-2.1-only",    "LGPL-2.1-or-later", "LGPL-3.0-only",
    "LGPL-3.0-or-later", "MPL-1.1",          "MPL-2.0"};

// The file in /usr/share/common-licenses for an SPDX id there.
std::string common_license_file(const std::string& id) {
  std::string base = id;
  for (const char* suffix : {"-only", "-or-later"})
    if (base.ends_with(suffix)) base.resize(base.size() - std::string(suffix).size());
  return "/usr/share/common-licenses/" + base;
}

std::string license_name(const BundledDistribution& d) {
  return d.license.known() ? d.license.expression : "unknown";
}

// A deb822 continuation: each line indented, an empty line as " .".
std::string continued(const std::string& text) {
  std::string out;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    out += "\n " + (line.empty() ? std::string(".") : line);
    at = end + 1;
  }
  return out;
}

// Words joined into lines of at most `width` columns, each after `indent`
// (a word longer than the width stands alone on its line).
std::string wrapped(const std::string& text, std::size_t width, const std::string& indent) {
  std::string out, line;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.find(' ', at), text.size());
    std::string word = text.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string iso_utc(std::int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// RFC 4122 layout (version 5 bits) over a sha256 of the document.
std::string content_uuid(const std::string& text) {
  std::string h = sha256_hex(text).substr(0, 32);
  h[12] = '5';
  static const char* kVariant = "89ab";
  h[16] = kVariant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

std::string debian_name(const std::string& relation) {
  std::size_t end = relation.find_first_of(" (:[<|");
  return relation.substr(0, end);
}

}  // namespace

std::string dep5_copyright(const BundleFacts& facts) {
  std::string out =
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
      "Upstream-Name: " + facts.package + "\n"
      "Comment: Written by cleanroom from the core metadata of each bundled Python\n"
      " distribution (License-Expression, License, or the License classifiers).\n"
      " \"unknown\" means the metadata names no license: read the distribution's own\n"
      " files before redistributing it.\n";
  if (facts.kind == BundleKind::Venv) {
    out += "\nFiles: *\nCopyright: Python Software Foundation\nLicense: PSF-2.0\n"
           "Comment: The virtualenv's own files (pyvenv.cfg, activation scripts, links)\n"
           " come from Python's venv module.\n";
  }
  std::map<std::string, std::vector<std::string>> texts;  // license -> where its text is
  for (const auto& d : facts.bundled) {
    out += "\nFiles:";
    for (const auto& p : d.paths) out += "\n " + p;
    out += "\nCopyright: " + (d.license.copyright.empty() ? "unknown" : d.license.copyright);
    out += "\nLicense: " + license_name(d);
    out += "\nComment: " + d.name + " " + d.version + " (" + d.wheel + ")";
    if (d.license.known()) out += "; license from its " + d.license.source;
    out += "\n";
    auto& where = texts[license_name(d)];
    where.insert(where.end(), d.license_files.begin(), d.license_files.end());
  }
  if (facts.kind == BundleKind::Venv) texts["PSF-2.0"];
  for (const auto& [license, files] : texts) {
    std::string body;
    if (license == "unknown")
      body = "The distributions' metadata names no license.";
    else if (kCommonLicenses.contains(license))
      body = "On Debian systems, the full text is in " + common_license_file(license) + ".";
    else if (files.empty())
      body = "The distributions' metadata names this license; they ship no license file.";
    else
      body = "The full text is shipped in:\n" + join(files, "\n");
    out += "\nLicense: " + license + continued(body) + "\n";
  }
  return out;
}

std::string changelog_file_name(const std::string& version) {
  return version.find('-') == std::string::npos ? "changelog.gz" : "changelog.Debian.gz";
}

std::string generated_changelog(const BundleFacts& facts) {
  std::string what = facts.kind == BundleKind::Venv ? "a virtualenv at " + facts.install_path
                                                    : "a wheelhouse at " + facts.install_path;
  std::string entry = "Built by cleanroom from its recipe: " + what + " of " +
                      std::to_string(facts.bundled.size()) + " Python distributions.";
  std::string body = wrapped(entry, 78, "    ");
  body.replace(0, 4, "  * ");
  return facts.package + " (" + facts.version + ") " + facts.distribution +
         "; urgency=medium\n\n" + body + "\n -- " + facts.maintainer + "  " +
         formats::format_rfc2822_date(facts.source_date_epoch) + "\n";
}

std::string lintian_overrides(const BundleFacts& facts) {
  const std::string& p = facts.package;
  std::string out =
      "# Everything the package bundles lives in one directory under /opt, like a\n"
      "# dh-virtualenv package: that is the layout, not a mistake.\n" +
      p + ": dir-or-file-in-opt\n"
      "# The changelog is written from the recipe for each build: there is no bug to close.\n" +
      p + ": initial-upload-closes-no-bugs\n";
  if (facts.kind == BundleKind::Venv) {
    out += "# The venv ships its bytecode compiled at build time (checked-hash .pyc, PEP 552),\n"
           "# so nothing under it is written at run time and its bytes are reproducible.\n" +
           p + ": package-installs-python-pycache-dir\n" +
           "# Console scripts run the venv's own interpreter, which is the point of a venv.\n" +
           p + ": unusual-interpreter\n" +
           "# The venv's interpreter is a link to the system's python3, which Depends names.\n" +
           p + ": python3-script-but-no-python3-dep\n";
  }
  return out;
}

std::string extended_description(const BundleFacts& facts, const std::string& from_recipe) {
  if (!from_recipe.empty()) return from_recipe;
  std::string intro = facts.kind == BundleKind::Venv
                          ? "A Python virtualenv in " + facts.install_path +
                                ", installed offline from a wheelhouse. It bundles:"
                          : "The wheels of a Python release in " + facts.install_path +
                                ", built from source. It holds:";
  std::string out = wrapped(intro, 78, "");
  out.pop_back();
  for (const auto& d : facts.bundled) out += "\n  " + d.name + " " + d.version;
  return out;
}

std::string cyclonedx_sbom(const BundleFacts& facts) {
  using nlohmann::ordered_json;
  std::string self = "pkg:deb/debian/" + facts.package + "@" + facts.version +
                     "?arch=" + facts.architecture;
  ordered_json components = ordered_json::array();
  ordered_json depends_on = ordered_json::array();
  for (const auto& d : facts.bundled) {
    std::string purl = "pkg:pypi/" + d.name + "@" + d.version;
    ordered_json c = {{"type", "library"}, {"bom-ref", purl}, {"name", d.name},
                      {"version", d.version}, {"purl", purl}};
    c["hashes"] = ordered_json::array({{{"alg", "SHA-256"}, {"content", d.sha256}}});
    if (d.license.known())
      c["licenses"] = ordered_json::array({{{"expression", d.license.expression}}});
    else
      c["licenses"] = ordered_json::array({{{"license", {{"name", "unknown"}}}}});
    c["properties"] = ordered_json::array({{{"name", "cleanroom:wheel"}, {"value", d.wheel}}});
    components.push_back(c);
    depends_on.push_back(purl);
  }
  std::set<std::string> seen;
  for (const auto& relation : facts.depends) {
    std::string name = debian_name(relation);
    if (name.empty() || !seen.insert(name).second) continue;
    std::string purl = "pkg:deb/debian/" + name;
    ordered_json c = {{"type", "library"}, {"bom-ref", purl}, {"name", name}, {"purl", purl}};
    c["properties"] = ordered_json::array({{{"name", "debian:depends"}, {"value", relation}}});
    components.push_back(c);
    depends_on.push_back(purl);
  }
  ordered_json doc = {{"bomFormat", "CycloneDX"}, {"specVersion", "1.5"}};
  ordered_json metadata = {{"timestamp", iso_utc(facts.source_date_epoch)}};
  metadata["tools"] = {{"components", ordered_json::array({{{"type", "application"},
                                                            {"name", "cleanroom"},
                                                            {"version", facts.tool_version}}})}};
  metadata["component"] = {{"type", "application"}, {"bom-ref", self}, {"name", facts.package},
                           {"version", facts.version}, {"purl", self}};
  ordered_json body = {{"metadata", metadata}, {"components", components}};
  body["dependencies"] = ordered_json::array({{{"ref", self}, {"dependsOn", depends_on}}});
  std::string text = body.dump();
  doc["serialNumber"] = "urn:uuid:" + content_uuid(text);
  doc["version"] = 1;
  for (auto& [k, v] : body.items()) doc[k] = v;
  return doc.dump(2) + "\n";
}

std::vector<std::string> unknown_licenses(const BundleFacts& facts) {
  std::vector<std::string> out;
  for (const auto& d : facts.bundled)
    if (!d.license.known()) out.push_back(d.name + " " + d.version);
  return out;
}

}  // namespace cleanroom::python
