// A .deb's control file compared field by field: "Version: 1.0 -> 1.1" says
// more than a line diff, and field order or folding alone shows as text.
#include <algorithm>

#include "cleanroom/base/error.h"
#include "cleanroom/formats/deb822.h"
#include "diff_engine.h"

namespace cleanroom::repro::detail {

namespace {

constexpr const char* kAbsent = "(absent)";

std::string value_or_absent(const formats::Deb822Paragraph& p, const std::string& name) {
  const formats::Deb822Field* field = p.find(name);
  return field ? field->value : kAbsent;
}

}  // namespace

void Differ::control_fields(const std::string& path, std::string_view a, std::string_view b) {
  formats::Deb822File fa, fb;
  try {
    fa = formats::parse_deb822(a, path + " (A)");
    fb = formats::parse_deb822(b, path + " (B)");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Input) throw;
    return leaf(path, a, b, std::string("not a deb822 control file: ") + e.what() + "\n");
  }
  std::size_t before = result_.total;
  std::size_t paragraphs = std::max(fa.paragraphs.size(), fb.paragraphs.size());
  for (std::size_t i = 0; i < paragraphs; ++i) {
    formats::Deb822Paragraph empty;
    const auto& pa = i < fa.paragraphs.size() ? fa.paragraphs[i] : empty;
    const auto& pb = i < fb.paragraphs.size() ? fb.paragraphs[i] : empty;
    auto label = [&](const std::string& name) {
      return paragraphs > 1 ? name + " (paragraph " + std::to_string(i + 1) + ")" : name;
    };
    for (const formats::Deb822Field& field : pa.fields()) {
      std::string other = value_or_absent(pb, field.name);
      if (field.value != other)
        report({path, DifferenceKind::Field, label(field.name), field.value, other, ""});
    }
    for (const formats::Deb822Field& field : pb.fields())
      if (!pa.has(field.name))
        report({path, DifferenceKind::Field, label(field.name), kAbsent, field.value, ""});
  }
  // Same fields and values, different bytes: order, spacing or folding.
  if (result_.total == before && a != b) leaf(path, a, b);
}

}  // namespace cleanroom::repro::detail
