# ASan + UBSan for the asan-ubsan preset, as an INTERFACE target linked by everything of ours.
add_library(tickler_sanitizers INTERFACE)
if(TICKLER_SANITIZE)
  target_compile_options(tickler_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(tickler_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
