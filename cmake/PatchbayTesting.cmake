# PatchbayTesting: patchbay_add_test_suite() builds one CppUnit executable and registers each suite with ctest.
#
#   patchbay_add_test_suite(<exe> SOURCES a.cpp b.cpp LIBS lib1 lib2 SUITES SuiteA SuiteB
#                           [TIMEOUT 120] [DEFINES X=1] [LABELS unit])
# Each SUITES entry becomes one ctest test running `<exe> <Suite>` (the shared runner takes a suite name).
function(patchbay_add_test_suite exe)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;SUITES;DEFINES;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${exe} ${T_SOURCES} ${PROJECT_SOURCE_DIR}/tests/support/TestMain.cpp)
  target_link_libraries(${exe} PRIVATE ${T_LIBS} PkgConfig::CPPUNIT Threads::Threads)
  target_include_directories(${exe} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  target_compile_definitions(${exe} PRIVATE
    PATCHBAY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PATCHBAY_BINARY_DIR="${PROJECT_BINARY_DIR}"
    PATCHBAY_PLUGIN_DIR="${PATCHBAY_PLUGIN_OUTPUT_DIR}"
    ${T_DEFINES})
  foreach(suite ${T_SUITES})
    add_test(NAME ${suite} COMMAND ${exe} ${suite})
    set_tests_properties(${suite} PROPERTIES TIMEOUT ${T_TIMEOUT})
    if(T_LABELS)
      set_tests_properties(${suite} PROPERTIES LABELS "${T_LABELS}")
    endif()
  endforeach()
endfunction()
