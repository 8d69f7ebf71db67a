// The DEBIAN/md5sums file dh_md5sums would write: one "<md5>  <path>" line per
// regular file of the data tree, conffiles excluded, sorted bytewise by path.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "cleanroom/formats/tar.h"

namespace cleanroom::formats {

std::string md5_file_hex(const std::string& path);
std::string make_md5sums(const std::vector<TarEntry>& data_entries,
                         const std::set<std::string>& conffiles);

}  // namespace cleanroom::formats
