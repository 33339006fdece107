# PatchbaySubdirectories: patchbay_add_subdirectories() adds every subfolder that has a CMakeLists.txt, in name order.
#
# plugins/, tools/, tests/ and tests/host/ grow by adding a folder; nobody edits a shared list.
function(patchbay_add_subdirectories)
  file(GLOB _areas LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT _areas)
  foreach(_area ${_areas})
    if(IS_DIRECTORY ${_area} AND EXISTS ${_area}/CMakeLists.txt)
      add_subdirectory(${_area})
    endif()
  endforeach()
endfunction()
