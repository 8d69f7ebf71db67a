// The recursive comparer behind diff.h. One Differ walks one pair of inputs;
// each container format has its own compare function (diff_archives.cpp,
// diff_tree.cpp, diff_control.cpp), all reporting through report().
#pragma once

#include <string>
#include <string_view>

#include "cleanroom/base/byte_budget.h"
#include "cleanroom/repro/diff.h"

namespace cleanroom::repro::detail {

enum class BlobFormat { Deb, Ar, Zip, Gzip, Tar, CompressedTar, Text, Binary };

BlobFormat detect_format(std::string_view data);
const char* to_string(BlobFormat format);

// "a::b" for a member of a container; the member alone at the top.
std::string member_path(const std::string& container, const std::string& member);

class Differ {
 public:
  explicit Differ(const DiffOptions& options)
      : options_(options), budget_(options.max_decompressed, "--max-decompressed raises it") {}

  // Compares two contents at path; name is the content's file name.
  // deb_control: a .deb's control member, whose "control" file is compared by field.
  void blobs(const std::string& path, const std::string& name, std::string_view a,
             std::string_view b, int depth, bool deb_control = false);
  void trees(const std::string& a_root, const std::string& b_root);

  // A .deb's control file, field by field (deb822), else as text.
  void control_fields(const std::string& path, std::string_view a, std::string_view b);
  void report(Difference difference);
  // Whether another difference would still be listed: details are worth computing.
  bool listing() const { return options_.max_report == 0 || result_.differences.size() < options_.max_report; }
  std::size_t found() const { return result_.total; }
  // After a container compared equal member by member: are its bytes equal too?
  void container_bytes(const std::string& path, std::size_t found_before, std::string_view a,
                       std::string_view b, const char* what);
  DiffResult take_result();
  const DiffOptions& options() const { return options_; }
  // What is left of the comparison's decompression budget (shared by threads).
  ByteBudget& budget() { return budget_; }

 private:
  void tars(const std::string& path, std::string_view a, std::string_view b, int depth,
            bool deb_control);
  void zips(const std::string& path, std::string_view a, std::string_view b, int depth);
  void ars(const std::string& path, std::string_view a, std::string_view b, int depth, bool deb);
  void gzips(const std::string& path, const std::string& name, std::string_view a,
             std::string_view b, int depth);
  // note: a line put before the diff (why the content was not opened).
  void leaf(const std::string& path, std::string_view a, std::string_view b,
            const std::string& note = "");

  DiffOptions options_;
  ByteBudget budget_;
  DiffResult result_;
};

}  // namespace cleanroom::repro::detail
