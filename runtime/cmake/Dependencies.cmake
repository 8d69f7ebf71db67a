# All third-party libraries come from Debian packages (scripts/install-deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 QUIET)
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
pkg_check_modules(LIBCAP REQUIRED IMPORTED_TARGET libcap)
pkg_check_modules(LIBMOUNT REQUIRED IMPORTED_TARGET mount)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(LZMA REQUIRED IMPORTED_TARGET liblzma)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
find_package(ZLIB REQUIRED)
find_package(nlohmann_json REQUIRED)
if(NOT TARGET CLI11::CLI11)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()

# toml++ and spdlog are used by two files each: compiled in from their headers,
# so no executable loads their shared libraries at start-up.
add_library(cleanroom_dep_toml INTERFACE)
target_include_directories(cleanroom_dep_toml INTERFACE ${TOMLPP_INCLUDE_DIRS})
target_compile_definitions(cleanroom_dep_toml INTERFACE TOML_HEADER_ONLY=1)
add_library(cleanroom::toml ALIAS cleanroom_dep_toml)

# Executables that set the target property CLEANROOM_STATIC_DEPS link these C
# libraries from their static archives (Debian ships them in the -dev
# packages). `cleanroom` does: each run resolved about 8,000 symbols across
# twenty shared objects before main(), as long as the whole sandbox set-up.
# Everything else (tests, fuzzers) links the shared ones, which link faster.
option(CLEANROOM_STATIC_DEPS "Link the cleanroom executable's C libraries statically" ON)
function(cleanroom_dependency name shared_target)
  set(_static "")
  foreach(_lib IN LISTS ARGN)
    find_library(CLEANROOM_STATIC_${_lib} NAMES lib${_lib}.a)
    if(NOT CLEANROOM_STATIC_${_lib})
      message(FATAL_ERROR "lib${_lib}.a not found: run scripts/install-deps, or configure with -DCLEANROOM_STATIC_DEPS=OFF")
    endif()
    list(APPEND _static ${CLEANROOM_STATIC_${_lib}})
  endforeach()
  set(_is_static "$<BOOL:$<TARGET_PROPERTY:CLEANROOM_STATIC_DEPS>>")
  add_library(cleanroom_dep_${name} INTERFACE)
  target_include_directories(cleanroom_dep_${name} INTERFACE
    $<TARGET_PROPERTY:${shared_target},INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(cleanroom_dep_${name} INTERFACE
    "$<$<NOT:${_is_static}>:${shared_target}>")
  foreach(_file IN LISTS _static)
    target_link_libraries(cleanroom_dep_${name} INTERFACE "$<${_is_static}:${_file}>")
  endforeach()
  add_library(cleanroom::${name} ALIAS cleanroom_dep_${name})
endfunction()

# fmt: Debian ships no static archive, so its compiled part is built here
# from its own headers for the executables that link statically.
add_library(cleanroom_fmt_static STATIC ${CMAKE_CURRENT_LIST_DIR}/fmt_static.cpp)
target_link_libraries(cleanroom_fmt_static PRIVATE fmt::fmt-header-only)
target_compile_definitions(cleanroom_fmt_static PRIVATE FMT_SHARED)
target_compile_options(cleanroom_fmt_static PRIVATE -UFMT_HEADER_ONLY -w)
set_target_properties(cleanroom_fmt_static PROPERTIES POSITION_INDEPENDENT_CODE ON)
add_library(cleanroom_dep_fmt INTERFACE)
target_include_directories(cleanroom_dep_fmt INTERFACE
  $<TARGET_PROPERTY:fmt::fmt,INTERFACE_INCLUDE_DIRECTORIES>)
target_compile_definitions(cleanroom_dep_fmt INTERFACE FMT_SHARED)
set(_fmt_static "$<BOOL:$<TARGET_PROPERTY:CLEANROOM_STATIC_DEPS>>")
target_link_libraries(cleanroom_dep_fmt INTERFACE "$<$<NOT:${_fmt_static}>:fmt::fmt>"
  "$<${_fmt_static}:cleanroom_fmt_static>")
add_library(cleanroom::fmt ALIAS cleanroom_dep_fmt)

if(CLEANROOM_STATIC_DEPS)
  # Without libarchive's table of write formats, which archive_tar_only.cpp
  # keeps out (and with it libxml2 and ICU); the executable links that file.
  cleanroom_dependency(archive PkgConfig::LIBARCHIVE archive nettle lzma zstd z)
  add_library(cleanroom_archive_tar_only OBJECT ${CMAKE_CURRENT_LIST_DIR}/archive_tar_only.cpp)
  target_include_directories(cleanroom_archive_tar_only PRIVATE ${LIBARCHIVE_INCLUDE_DIRS})
  set_target_properties(cleanroom_archive_tar_only PROPERTIES POSITION_INDEPENDENT_CODE ON)
  cleanroom_dependency(nettle PkgConfig::NETTLE nettle)
  cleanroom_dependency(zstd PkgConfig::ZSTD zstd)
  cleanroom_dependency(lzma PkgConfig::LZMA lzma)
  cleanroom_dependency(zlib ZLIB::ZLIB z)
  cleanroom_dependency(seccomp PkgConfig::SECCOMP seccomp)
else()
  cleanroom_dependency(archive PkgConfig::LIBARCHIVE)
  cleanroom_dependency(nettle PkgConfig::NETTLE)
  cleanroom_dependency(zstd PkgConfig::ZSTD)
  cleanroom_dependency(lzma PkgConfig::LZMA)
  cleanroom_dependency(zlib ZLIB::ZLIB)
  cleanroom_dependency(seccomp PkgConfig::SECCOMP)
endif()
