# Registering tests that run on the store backends (tests/support/store_backends.h).
#
# include(${CMAKE_SOURCE_DIR}/tests/support/StoreBackends.cmake), then, instead of
# gtest_discover_tests(<target> ...):
#
#   metrocap_discover_store_backend_tests(<target> [LABELS l...] [TEST_PREFIX p]
#                                         [DISCOVERY_TIMEOUT s])
#       Tests whose gtest name contains "/PostgreSQL" (the variants on PostgreSQL) get the
#       extra label "postgres" and share the ctest run's server (fixture metrocap_postgres);
#       the others keep LABELS. So `ctest -L postgres` runs exactly the PostgreSQL variants
#       and `ctest -LE postgres` everything else. Test names are gtest's, without the
#       "# GetParam() = ..." tail (NO_PRETTY_VALUES): "Backends/StoreTest.X/PostgreSQL".
#   metrocap_discover_postgres_tests(<target> ...)
#       The same for an executable whose every test needs PostgreSQL.
#
# The fixture itself (the program that starts and stops the server) is defined in
# tests/support/CMakeLists.txt.
# Included by each directory that uses it (no include_guard: the variables below are
# directory-scoped; defining the functions again is harmless).

set(METROCAP_TEST_POSTGRES_FIXTURE metrocap_postgres)
set(METROCAP_TEST_POSTGRES_DIR ${CMAKE_BINARY_DIR}/tests/postgres)

function(_metrocap_discover target filter labels postgres)
  cmake_parse_arguments(arg "" "TEST_PREFIX;DISCOVERY_TIMEOUT" "" ${ARGN})
  get_property(count TARGET ${target} PROPERTY METROCAP_DISCOVER_COUNT)
  math(EXPR count "${count} + 1")
  set_property(TARGET ${target} PROPERTY METROCAP_DISCOVER_COUNT ${count})
  set(test_list ${target}_tests_${count})
  set(options TEST_LIST ${test_list} NO_PRETTY_VALUES)
  if(arg_TEST_PREFIX)
    list(APPEND options TEST_PREFIX ${arg_TEST_PREFIX})
  endif()
  if(NOT arg_DISCOVERY_TIMEOUT)
    set(arg_DISCOVERY_TIMEOUT 30)
  endif()
  if(filter)
    list(APPEND options TEST_FILTER "${filter}")
  endif()
  gtest_discover_tests(${target} ${options} DISCOVERY_TIMEOUT ${arg_DISCOVERY_TIMEOUT})
  # The properties go on in a file ctest reads after the discovered tests: a list value
  # (several labels) does not survive gtest_discover_tests(PROPERTIES ...).
  set(properties "LABELS \"${labels}\"")
  if(postgres)
    string(APPEND properties " FIXTURES_REQUIRED ${METROCAP_TEST_POSTGRES_FIXTURE}"
           " ENVIRONMENT \"METROCAP_TEST_POSTGRES_DIR=${METROCAP_TEST_POSTGRES_DIR}\"")
  endif()
  set(file ${CMAKE_CURRENT_BINARY_DIR}/${target}_properties_${count}.cmake)
  file(WRITE ${file}
       "if(DEFINED ${test_list} AND NOT \"\${${test_list}}\" STREQUAL \"\")\n"
       "  set_tests_properties(\${${test_list}} PROPERTIES ${properties})\n"
       "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${file})
endfunction()

function(metrocap_discover_store_backend_tests target)
  cmake_parse_arguments(arg "" "" "LABELS" ${ARGN})
  _metrocap_discover(${target} "-*/PostgreSQL*" "${arg_LABELS}" FALSE
                     ${arg_UNPARSED_ARGUMENTS})
  _metrocap_discover(${target} "*/PostgreSQL*" "${arg_LABELS};postgres" TRUE
                     ${arg_UNPARSED_ARGUMENTS})
endfunction()

function(metrocap_discover_postgres_tests target)
  cmake_parse_arguments(arg "" "" "LABELS" ${ARGN})
  _metrocap_discover(${target} "" "${arg_LABELS};postgres" TRUE ${arg_UNPARSED_ARGUMENTS})
endfunction()
