# SdkPackageTest.cmake: `cmake -P` script — install the SDK component, build hello-agent against it, run its test, load it for real.
#
# Inputs (-D): BUILD_DIR (configured Patchbay build), EXAMPLE_DIR, WORK_DIR (scratch, wiped),
# CHECK (patchbay_plugin_check), CXX_COMPILER, GENERATOR.
foreach(var BUILD_DIR EXAMPLE_DIR WORK_DIR CHECK CXX_COMPILER GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "SdkPackageTest: -D${var}=... is required")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "SdkPackageTest: ${step} failed (${rc})\n--- command: ${ARGN}\n--- stdout:\n${out}\n--- stderr:\n${err}")
  endif()
  message(STATUS "${step}: ok")
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/hello-agent-build)

# (a) Only the SDK: headers, the testing kit, the CMake package and patchbay_add_plugin().
run("install SDK" ${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${prefix})
if(EXISTS ${prefix}/bin)
  message(FATAL_ERROR "SdkPackageTest: the sdk component installed more than the SDK (${prefix}/bin exists)")
endif()
foreach(f include/patchbay/sdk/Sdk.h include/patchbay/sdk/BuildSignature.h include/patchbay/sdk/testing/FakeHostServices.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "SdkPackageTest: ${f} missing from the installed SDK")
  endif()
endforeach()

# (b) Out of tree, exactly as the plugin guide says.
run("configure hello-agent" ${CMAKE_COMMAND} -S ${EXAMPLE_DIR} -B ${build} -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=RelWithDebInfo)
run("build hello-agent" ${CMAKE_COMMAND} --build ${build})
run("hello-agent unit test" ${CMAKE_CTEST_COMMAND} --test-dir ${build} --output-on-failure)

set(plugin ${build}/libpatchbay-hello-agent.so)
if(NOT EXISTS ${plugin})
  message(FATAL_ERROR "SdkPackageTest: ${plugin} was not produced")
endif()

# (c) The real loader accepts it and a session echoes through the fake host.
run("load with PluginLoader" ${CHECK} ${plugin} hello-agent)
message(STATUS "${last_output}")
