#include "cleanroom/python/bundle_docs.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cleanroom/python/license_info.h"

using namespace cleanroom::python;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

BundledDistribution dist(const std::string& name, const std::string& license) {
  BundledDistribution d;
  d.name = name;
  d.version = "1.0";
  d.wheel = name + "-1.0-py3-none-any.whl";
  d.sha256 = std::string(64, 'a');
  d.license.expression = license;
  d.license.source = license.empty() ? "" : "License-Expression";
  d.paths = {"opt/venvs/svc/lib/python3.11/site-packages/" + name + "/*"};
  return d;
}

BundleFacts venv() {
  BundleFacts f;
  f.package = "svc";
  f.version = "2.0-1";
  f.architecture = "amd64";
  f.maintainer = "Ops <ops@example.org>";
  f.distribution = "bookworm";
  f.install_path = "/opt/venvs/svc";
  f.source_date_epoch = 1704067200;
  f.bundled = {dist("alpha", "MIT"), dist("beta", "")};
  f.depends = {"python3 (>= 3.11)", "python3 (<< 3.12)", "libc6 (>= 2.34)"};
  f.tool_version = "0.1.0";
  return f;
}

}  // namespace

TEST_CASE("license: License-Expression wins over License and classifiers") {
  LicenseInfo l = license_from_metadata(
      "Metadata-Version: 2.4\nName: x\nLicense-Expression: Apache-2.0 OR MIT\nLicense: BSD\n"
      "Classifier: License :: OSI Approved :: MIT License\nLicense-File: LICENSE\n"
      "Author: Jane Doe\n\nbody License: GPL\n");
  CHECK(l.expression == "Apache-2.0 OR MIT");
  CHECK(l.source == "License-Expression");
  CHECK(l.files == std::vector<std::string>{"LICENSE"});
  CHECK(l.copyright == "Jane Doe");
}

TEST_CASE("license: a short License header is a name, a folded one a text") {
  CHECK(license_from_metadata("Name: x\nLicense: MIT License\n").expression == "MIT");
  CHECK(license_from_metadata("Name: x\nLicense: Apache 2.0\n").expression == "Apache-2.0");
  LicenseInfo text = license_from_metadata(
      "Name: x\nLicense: Copyright (c) 2020 Someone\n        Permission is hereby granted\n");
  CHECK_FALSE(text.known());
  // A vague name is not guessed: "BSD" is several licenses.
  CHECK_FALSE(license_from_metadata("Name: x\nLicense: BSD\n").known());
  CHECK_FALSE(license_from_metadata("Name: x\nLicense: UNKNOWN\n").known());
}

TEST_CASE("license: classifiers give SPDX ids, each once") {
  LicenseInfo l = license_from_metadata(
      "Name: x\nClassifier: License :: OSI Approved :: Apache Software License\n"
      "Classifier: License :: OSI Approved :: BSD License\n"
      "Classifier: License :: OSI Approved :: Apache Software License\n"
      "Classifier: Programming Language :: Python\n");
  CHECK(l.expression == "Apache-2.0");
  CHECK(l.source == "classifier");
  CHECK(spdx_from_classifier("License :: OSI Approved :: MIT License") == "MIT");
  CHECK(spdx_from_classifier("License :: OSI Approved") == "");
  CHECK_FALSE(license_from_metadata("Name: x\n").known());
}

TEST_CASE("bundle docs: the copyright file is DEP-5 with a stanza per distribution") {
  std::string c = dep5_copyright(venv());
  CHECK(c.starts_with("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"));
  CHECK(contains(c, "\nFiles: *\nCopyright: Python Software Foundation\nLicense: PSF-2.0\n"));
  CHECK(contains(c, "\nFiles:\n opt/venvs/svc/lib/python3.11/site-packages/alpha/*\n"
                    "Copyright: unknown\nLicense: MIT\n"));
  CHECK(contains(c, "site-packages/beta/*\nCopyright: unknown\nLicense: unknown\n"));
  // Every license named has its standalone paragraph; common ones point at
  // /usr/share/common-licenses.
  CHECK(contains(c, "\nLicense: MIT\n "));
  CHECK(contains(c, "\nLicense: unknown\n The distributions' metadata names no license."));
  BundleFacts f = venv();
  f.bundled[0].license.expression = "GPL-2.0-or-later";
  CHECK(contains(dep5_copyright(f), "/usr/share/common-licenses/GPL-2.0."));
  CHECK(unknown_licenses(venv()) == std::vector<std::string>{"beta 1.0"});
}

TEST_CASE("bundle docs: changelog, description and overrides") {
  std::string log = generated_changelog(venv());
  CHECK(log.starts_with("svc (2.0-1) bookworm; urgency=medium\n\n  * Built by cleanroom"));
  CHECK(contains(log, "\n -- Ops <ops@example.org>  Mon, 01 Jan 2024 00:00:00 +0000\n"));
  for (std::size_t at = 0, end; at < log.size(); at = end + 1) {
    end = log.find('\n', at);
    CHECK(end - at <= 80);
  }
  CHECK(changelog_file_name("2.0-1") == "changelog.Debian.gz");
  CHECK(changelog_file_name("2.0") == "changelog.gz");
  std::string d = extended_description(venv(), "");
  CHECK(contains(d, "\n  alpha 1.0\n  beta 1.0"));
  CHECK(extended_description(venv(), "Mine.") == "Mine.");
  std::string o = lintian_overrides(venv());
  CHECK(contains(o, "\nsvc: dir-or-file-in-opt\n"));
  CHECK(contains(o, "\nsvc: package-installs-python-pycache-dir\n"));
  BundleFacts wh = venv();
  wh.kind = BundleKind::Wheelhouse;
  CHECK_FALSE(contains(lintian_overrides(wh), "pycache"));
}

TEST_CASE("bundle docs: the SBOM is CycloneDX, deterministic, and follows its content") {
  std::string a = cyclonedx_sbom(venv());
  CHECK(a == cyclonedx_sbom(venv()));
  auto j = nlohmann::json::parse(a);
  CHECK(j["bomFormat"] == "CycloneDX");
  CHECK(j["specVersion"] == "1.5");
  CHECK(j["metadata"]["timestamp"] == "2024-01-01T00:00:00Z");
  CHECK(j["metadata"]["component"]["purl"] == "pkg:deb/debian/svc@2.0-1?arch=amd64");
  REQUIRE(j["components"].size() == 4);  // alpha, beta, python3 once, libc6
  CHECK(j["components"][0]["purl"] == "pkg:pypi/alpha@1.0");
  CHECK(j["components"][0]["licenses"][0]["expression"] == "MIT");
  CHECK(j["components"][1]["licenses"][0]["license"]["name"] == "unknown");
  CHECK(j["components"][2]["purl"] == "pkg:deb/debian/python3");
  CHECK(j["components"][3]["name"] == "libc6");
  std::string serial = j["serialNumber"];
  CHECK(serial.starts_with("urn:uuid:"));
  CHECK(serial.size() == 9 + 36);
  BundleFacts other = venv();
  other.bundled[0].sha256 = std::string(64, 'b');
  CHECK(nlohmann::json::parse(cyclonedx_sbom(other))["serialNumber"] != serial);
}

TEST_CASE("license: control characters in hostile metadata never reach the copyright file") {
  LicenseInfo l = license_from_metadata("Name: x\nAuthor: Eve\rFiles: *\x01\nLicense: MIT\n");
  CHECK(l.copyright.find_first_of("\r\x01") == std::string::npos);
  CHECK(l.expression == "MIT");
}
