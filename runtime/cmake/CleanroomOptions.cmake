# Warning and sanitizer flags as one function, applied to every target we own.
function(cleanroom_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wno-missing-field-initializers)
  if(CLEANROOM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CLEANROOM_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# A runtime concern: sources globbed from src/, public headers in include/.
function(cleanroom_library name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB _sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
  if(NOT _sources)
    # A concern whose code has not landed yet is header-only until it does.
    add_library(cleanroom_${name} INTERFACE)
    target_include_directories(cleanroom_${name} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(cleanroom_${name} INTERFACE ${ARG_DEPS})
    add_library(cleanroom::${name} ALIAS cleanroom_${name})
    return()
  endif()
  add_library(cleanroom_${name} STATIC ${_sources})
  target_include_directories(cleanroom_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(cleanroom_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  add_library(cleanroom::${name} ALIAS cleanroom_${name})
  cleanroom_target_options(cleanroom_${name})
endfunction()
