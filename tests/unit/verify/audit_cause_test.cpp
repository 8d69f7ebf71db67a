#include "cleanroom/verify/audit_cause.h"

#include <catch2/catch.hpp>

using namespace cleanroom;
using namespace cleanroom::build;

namespace {

repro::Difference text_diff(const std::string& path, const std::string& removed,
                            const std::string& added) {
  repro::Difference d;
  d.path = path;
  d.kind = repro::DifferenceKind::Content;
  d.field = "text";
  d.detail = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n same\n-" + removed + "\n+" + added + "\n";
  return d;
}

AuditVerdict classify(const repro::DiffResult& diff, bool drift = false) {
  AuditClassInput in;
  in.shipped_version = "1.0-1";
  in.source_version = "1.0-1";
  in.diff = &diff;
  in.dependencies_drifted = drift;
  return classify_audit(in);
}

repro::DiffResult result_of(std::vector<repro::Difference> differences) {
  repro::DiffResult r;
  r.total = differences.size();
  r.differences = std::move(differences);
  return r;
}

}  // namespace

TEST_CASE("audit cause: a binNMU version the source lacks") {
  CHECK(binnmu_number("1.0-1+b2") == 2);
  CHECK(binnmu_number("2:1.0+b10") == 10);
  CHECK(binnmu_number("1.0-1") == 0);
  CHECK(binnmu_number("1.0+bookworm1") == 0);
  AuditClassInput in;
  in.shipped_version = "1.0-1+b1";
  in.source_version = "1.0-1";
  AuditVerdict v = classify_audit(in);
  CHECK(v.cause == AuditCause::BinNmu);
  CHECK(v.why.find("1.0-1+b1") != std::string::npos);
  in.source_version = "1.0-1+b1";  // a source that has the entry: no binNMU left
  CHECK(classify_audit(in).cause == AuditCause::Differs);
}

TEST_CASE("audit cause: compression only when every member is equal") {
  repro::Difference d;
  d.path = "data.tar.xz";
  d.detail = "every member compares equal, but the tar bytes differ (headers, order or compression)\n";
  CHECK(classify(result_of({d})).cause == AuditCause::CompressionOnly);
  repro::Difference member = text_diff("data.tar.xz::usr/share/x", "a", "b");
  CHECK(classify(result_of({d, member})).cause == AuditCause::Differs);
}

TEST_CASE("audit cause: a build date, and md5sums that only follow") {
  auto date = text_diff("data.tar.xz::usr/share/doc/p/BUILD", "built Mon, 01 Jan 2024 10:00:00 +0000",
                        "built Tue, 02 Jan 2024 11:22:33 +0000");
  auto iso = text_diff("data.tar.xz::usr/lib/p/version.py", "DATE = '2024-01-01T10:00:00Z'",
                       "DATE = '2025-03-04T05:06:07Z'");
  auto sums = text_diff("control.tar.xz::md5sums", "aaaa  usr/share/doc/p/BUILD",
                        "bbbb  usr/share/doc/p/BUILD");
  CHECK(classify(result_of({date, iso, sums})).cause == AuditCause::BuildDate);
  auto other = text_diff("data.tar.xz::usr/share/p", "size 2048", "size 4096");
  CHECK(classify(result_of({date, other})).cause == AuditCause::Differs);
}

TEST_CASE("audit cause: a build path, toolchain drift, and nothing guessed") {
  auto path = text_diff("data.tar.xz::usr/lib/p/config.h", "#define SRC \"/build/p-Xa1b2/src\"",
                        "#define SRC \"/build/p-1.0/src\"");
  CHECK(classify(result_of({path})).cause == AuditCause::BuildPath);
  repro::Difference binary;
  binary.path = "data.tar.xz::usr/bin/p";
  binary.field = "binary";
  binary.detail = "first difference at offset 900";
  CHECK(classify(result_of({binary})).cause == AuditCause::Differs);
  CHECK(classify(result_of({binary}), true).cause == AuditCause::ToolchainDrift);
  AuditClassInput done;
  done.reproduced = true;
  CHECK(audit_cause_name(classify_audit(done).cause) == "reproduced");
}
