// Path helpers on strings, the few every layer needs.
#pragma once

#include <string>

namespace cleanroom {

// "/a/b" -> "/a", "b" -> ".", "/b" -> "/".
std::string parent_dir(const std::string& path);

// What follows the last '/': "/a/b.deb" -> "b.deb", "b" -> "b", "/a/" -> "".
std::string file_name(const std::string& path);

// A name that stays in the directory it is joined to: not empty, no '/', not
// "." or "..", no NUL.
bool is_plain_file_name(const std::string& name);

// realpath(3): absolute, links resolved. A missing path is an Input error
// naming it.
std::string real_path(const std::string& path);

}  // namespace cleanroom
