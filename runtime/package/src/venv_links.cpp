#include "venv_links.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cleanroom/base/error.h"
#include "cleanroom/base/unique_fd.h"
#include "cleanroom/formats/safe_path.h"

namespace cleanroom::build {

void stage_links(const std::string& root, const std::vector<python::Link>& links) {
  UniqueFd root_fd = open_fd(root, O_RDONLY | O_DIRECTORY);
  for (const auto& l : links) {
    with_context(fmt::format("link '{}'", l.link), [&] {
      std::string_view path = l.link;
      while (path.starts_with('/')) path.remove_prefix(1);
      auto rel = formats::normalize_member_path(path);
      if (!rel || *rel == ".") throw_input("is not a path of a file; name one like /usr/bin/greet");
      auto [parent, name] = formats::split_parent(*rel);
      UniqueFd dir = formats::make_dirs_beneath(root_fd.get(), parent, 0755);
      if (::symlinkat(l.target.c_str(), dir.get(), name.c_str()) != 0)
        throw_errno(fmt::format("symlink '{}/{}'", root, *rel));
    });
  }
}

}  // namespace cleanroom::build
