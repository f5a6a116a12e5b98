# Stands in for a gateway fuzz run when the build found no clang++: CI must fuzz, so there
# it fails; elsewhere it reports a skip. Run as `cmake -P no_clang.cmake`.
set(reason "no clang++ for the libFuzzer targets; scripts/install-deps.sh installs clang-14 "
           "and libclang-rt-14-dev, then reconfigure")
if(DEFINED ENV{CI} AND NOT "$ENV{CI}" MATCHES "^(|0|false)$")
  message(FATAL_ERROR "CI runs the gateway fuzzers: ${reason}")
endif()
message("gateway fuzzing skipped: ${reason}")
