# Warnings as errors for every target of ours, through one INTERFACE target.
add_library(tickler_warnings INTERFACE)
target_compile_options(tickler_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough -Werror)
# GCC 12 reports these from inlined standard-library code at -O2 (false positives); they stay
# visible as warnings but do not fail the build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(tickler_warnings INTERFACE
    -Wno-error=maybe-uninitialized -Wno-error=array-bounds -Wno-error=stringop-overflow
    -Wno-error=restrict
    # Asio awaitable frames use their own operator new/delete pair, which GCC 12 misreads.
    -Wno-mismatched-new-delete)
endif()
