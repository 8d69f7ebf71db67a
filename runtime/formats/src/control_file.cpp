// debian/control as a whole: which paragraph is what, and every relationship
// field parsed up front with the line it came from.
#include "cleanroom/formats/control_file.h"

#include <fmt/format.h>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/error.h"

namespace cleanroom::formats {

namespace {

constexpr const char* kBinaryRelations[] = {
    "Depends",   "Pre-Depends", "Recommends", "Suggests",    "Enhances",          "Breaks",
    "Conflicts", "Provides",    "Replaces",   "Built-Using", "Static-Built-Using"};

std::size_t line_of(const Deb822Paragraph& p, std::string_view field) {
  const Deb822Field* f = p.find(field);
  if (f) return f->line;
  return p.fields().empty() ? 1 : p.fields().front().line;
}

Dependencies relation(const Deb822Paragraph& p, std::string_view field, const std::string& name) {
  const Deb822Field* f = p.find(field);
  if (!f) return {};
  return parse_dependencies(f->value, f->name, name, f->line);
}

void check_name(const Deb822Paragraph& p, std::string_view field, const std::string& value,
                const std::string& name) {
  if (!valid_package_name(value))
    throw_input_at(name, line_of(p, field),
                   fmt::format("'{}' is not a valid package name (lower-case letters, digits, "
                               "'+', '-', '.'; at least two characters)",
                               value));
}

SourceControl read_source(const Deb822Paragraph& p, const std::string& name) {
  SourceControl control;
  if (!p.has("Source"))
    throw_input_at(name, line_of(p, "Source"),
                   p.has("Package")
                       ? "the first paragraph is a binary package; debian/control starts with "
                         "the source paragraph ('Source: name')"
                       : "the first paragraph has no 'Source' field; add 'Source: name'");
  control.source = p.required("Source");
  check_name(p, "Source", control.source, name);
  control.maintainer = p.get("Maintainer").value_or("");
  control.paragraph = p;
  control.build_depends = relation(p, "Build-Depends", name);
  control.build_depends_arch = relation(p, "Build-Depends-Arch", name);
  control.build_depends_indep = relation(p, "Build-Depends-Indep", name);
  control.build_conflicts = relation(p, "Build-Conflicts", name);
  control.build_conflicts_arch = relation(p, "Build-Conflicts-Arch", name);
  control.build_conflicts_indep = relation(p, "Build-Conflicts-Indep", name);
  return control;
}

BinaryPackage read_binary(const Deb822Paragraph& p, const std::string& name) {
  BinaryPackage package;
  if (!p.has("Package"))
    throw_input_at(name, line_of(p, "Package"),
                   "paragraph has no 'Package' field; every paragraph after the source "
                   "paragraph describes a binary package");
  package.name = p.required("Package");
  check_name(p, "Package", package.name, name);
  if (!p.has("Architecture"))
    throw_input_at(name, line_of(p, "Package"),
                   fmt::format("package '{}' has no 'Architecture' field; add 'Architecture: "
                               "any' or 'Architecture: all'",
                               package.name));
  package.architectures = deb822_words(p.required("Architecture"));
  if (package.architectures.empty())
    throw_input_at(name, line_of(p, "Architecture"),
                   fmt::format("package '{}' has an empty 'Architecture' field", package.name));
  std::string description = p.get("Description").value_or("");
  package.synopsis = description.substr(0, description.find('\n'));
  for (const char* field : kBinaryRelations) relation(p, field, name);
  package.paragraph = p;
  return package;
}

}  // namespace

bool valid_package_name(std::string_view name) {
  if (name.size() < 2) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '+' && c != '-' && c != '.'))) return false;
  }
  return true;
}

bool BinaryPackage::built_for(std::string_view host_arch) const {
  for (const std::string& arch : architectures)
    if (arch != "all" && arch_matches(host_arch, arch)) return true;
  return false;
}

SourceControl parse_control_file(std::string_view text, const std::string& name) {
  Deb822File file = parse_deb822(text, name, {.allow_comments = true, .allow_signed = false});
  if (file.paragraphs.empty())
    throw_input_at(name, 1,
                   "no paragraphs; debian/control needs a source paragraph and at "
                   "least one binary package paragraph");
  SourceControl control = read_source(file.paragraphs[0], name);
  if (file.paragraphs.size() == 1)
    throw_input_at(name, line_of(file.paragraphs[0], "Source"),
                   "no binary package paragraph; add one starting with 'Package: name'");
  for (std::size_t i = 1; i < file.paragraphs.size(); ++i) {
    BinaryPackage package = read_binary(file.paragraphs[i], name);
    for (const BinaryPackage& earlier : control.packages)
      if (earlier.name == package.name)
        throw_input_at(name, line_of(package.paragraph, "Package"),
                       fmt::format("package '{}' is defined twice (first at line {}); rename "
                                   "or remove one",
                                   package.name, line_of(earlier.paragraph, "Package")));
    control.packages.push_back(std::move(package));
  }
  return control;
}

SourceControl read_control_file(const std::string& path) {
  return parse_control_file(read_file(path), path);
}

}  // namespace cleanroom::formats
