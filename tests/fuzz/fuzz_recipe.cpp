// libFuzzer entry for recipe parsing: any text is a recipe or one Input error.
#include "cleanroom/base/error.h"
#include "cleanroom/python/recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    cleanroom::python::parse_recipe(input, "/fuzz/recipe.toml");
  } catch (const cleanroom::Error&) {
  }
  return 0;
}
