# PatchbayPlugin: patchbay_add_plugin(<id> SOURCES ... [LIBS ...] [OUTPUT_DIRECTORY dir]) builds a loadable plugin.
#
# Produces target `patchbay-<id>` as a MODULE library named libpatchbay-<id>.so that links only the SDK
# (plus LIBS), hides every symbol but the three entry points (version script), and refuses undefined
# symbols at link time (a plugin must never call host symbols by name). Works in the Patchbay tree
# and out of tree after find_package(PatchbaySDK).
set(_PATCHBAY_PLUGIN_MODULE_DIR ${CMAKE_CURRENT_LIST_DIR})

function(patchbay_add_plugin id)
  cmake_parse_arguments(P "" "OUTPUT_DIRECTORY" "SOURCES;LIBS" ${ARGN})
  if(NOT id MATCHES "^[a-z0-9-]+$")
    message(FATAL_ERROR "patchbay_add_plugin: id '${id}' must match [a-z0-9-]+")
  endif()
  set(target patchbay-${id})
  add_library(${target} MODULE ${P_SOURCES})
  if(EXISTS ${_PATCHBAY_PLUGIN_MODULE_DIR}/patchbay_plugin.map)
    set(map ${_PATCHBAY_PLUGIN_MODULE_DIR}/patchbay_plugin.map)
  else()
    set(map ${_PATCHBAY_PLUGIN_MODULE_DIR}/../sdk/patchbay_plugin.map)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    OUTPUT_NAME "patchbay-${id}"
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    LINK_DEPENDS ${map})
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIRECTORY})
  elseif(DEFINED PATCHBAY_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${PATCHBAY_PLUGIN_OUTPUT_DIR})
  endif()
  target_link_libraries(${target} PRIVATE patchbay::sdk ${P_LIBS})
  target_link_options(${target} PRIVATE -Wl,-z,now -Wl,--version-script=${map})
  # Sanitizer runtimes are linked into the executable only (clang), so a sanitized module has undefined
  # __asan_* symbols by design; everywhere else an undefined symbol means a plugin reaching for host code.
  if(NOT PATCHBAY_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
