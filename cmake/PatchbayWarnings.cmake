# PatchbayWarnings: the warning set every Patchbay target compiles with (g++ 12 and clang 14).
add_compile_options(-Wall -Wextra)
option(PATCHBAY_WERROR "Treat warnings as errors" OFF)
if(PATCHBAY_WERROR)
  add_compile_options(-Werror)
endif()
