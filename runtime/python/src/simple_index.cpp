#include "cleanroom/python/simple_index.h"

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/file_system.h"

namespace cleanroom::python {
namespace {

std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" "
         "content=\"1.0\">\n"
         "<title>" +
         escape_html(title) + "</title>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
}

}  // namespace

std::map<std::string, std::string> simple_index_pages(const WheelhouseLock& lock) {
  std::map<std::string, std::string> files_by_project;  // name -> anchors
  for (const auto& e : lock.entries) {
    files_by_project[e.name] += "<a href=\"../../" + escape_html(e.filename) +
                                "#sha256=" + e.sha256 + "\">" + escape_html(e.filename) +
                                "</a><br>\n";
  }
  std::map<std::string, std::string> pages;
  std::string projects;
  for (const auto& [name, anchors] : files_by_project) {
    projects += "<a href=\"" + escape_html(name) + "/\">" + escape_html(name) + "</a><br>\n";
    pages["simple/" + name + "/index.html"] =
        page("Links for " + name, "<h1>Links for " + escape_html(name) + "</h1>\n" + anchors);
  }
  pages["simple/index.html"] = page("Simple index", projects);
  return pages;
}

void write_simple_index(const std::string& root, const WheelhouseLock& lock) {
  for (const auto& [relative, text] : simple_index_pages(lock)) {
    std::string path = root + "/" + relative;
    make_dirs(parent_dir(path));
    write_file_atomic(path, text);
  }
}

}  // namespace cleanroom::python
