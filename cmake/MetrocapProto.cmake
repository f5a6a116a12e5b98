# metrocap_proto_library(<target> PROTOS <files...> [DEPS <targets...>] [GRPC])
#
# Turns .proto files (paths relative to ${PROTO_ROOT}) into one static library holding the
# C++ messages and, with GRPC, the gRPC stubs and mocks. Generated code lands in
# ${CMAKE_BINARY_DIR}/gen so includes read like the proto import paths.
set(METROCAP_PROTO_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${METROCAP_PROTO_GEN_DIR})

# Google's AIP annotation protos (google/api/field_behavior.proto, resource.proto), which
# Debian's googleapis package lacks: the npm package google-proto-files, pinned by
# protos/package-lock.json and installed into the build tree at configure time (again only
# when the lockfile changes), so protoc finds them before any target builds.
find_program(METROCAP_NPM npm)
if(NOT METROCAP_NPM)
  message(FATAL_ERROR "npm is needed for Google's API annotation protos: run scripts/install-deps.sh")
endif()
# protos/ beside this file, not ${CMAKE_SOURCE_DIR}/protos: nested projects (the fuzzers,
# the sanitized build) include this file with their own source directory.
get_filename_component(metrocap_protos_dir ${CMAKE_CURRENT_LIST_DIR}/../protos ABSOLUTE)
set(METROCAP_GOOGLE_PROTOS_NODE_DIR ${CMAKE_BINARY_DIR}/protos/node)
set(METROCAP_GOOGLE_PROTOS_DIR ${METROCAP_GOOGLE_PROTOS_NODE_DIR}/node_modules/google-proto-files)
set(metrocap_lockfile ${metrocap_protos_dir}/package-lock.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${metrocap_protos_dir}/package.json ${metrocap_lockfile})
file(SHA256 ${metrocap_lockfile} metrocap_lock_sum)
set(metrocap_stamp ${METROCAP_GOOGLE_PROTOS_NODE_DIR}/installed.sha256)
if(EXISTS ${metrocap_stamp})
  file(READ ${metrocap_stamp} metrocap_installed_sum)
endif()
if(NOT metrocap_installed_sum STREQUAL metrocap_lock_sum)
  file(MAKE_DIRECTORY ${METROCAP_GOOGLE_PROTOS_NODE_DIR})
  file(COPY ${metrocap_protos_dir}/package.json ${metrocap_lockfile}
       DESTINATION ${METROCAP_GOOGLE_PROTOS_NODE_DIR})
  message(STATUS "npm ci: google-proto-files (protos/package-lock.json)")
  execute_process(COMMAND ${METROCAP_NPM} ci --ignore-scripts --no-audit --no-fund --loglevel=error
                  WORKING_DIRECTORY ${METROCAP_GOOGLE_PROTOS_NODE_DIR}
                  RESULT_VARIABLE metrocap_npm_result)
  if(NOT metrocap_npm_result EQUAL 0 OR NOT EXISTS ${METROCAP_GOOGLE_PROTOS_DIR}/google/api/field_behavior.proto)
    message(FATAL_ERROR "npm ci of protos/package.json failed in ${METROCAP_GOOGLE_PROTOS_NODE_DIR}")
  endif()
  file(WRITE ${metrocap_stamp} ${metrocap_lock_sum})
endif()

# Debian's googleapis comes before the npm package's, so the protos both hold (http.proto,
# annotations.proto, google/rpc, google/type) keep resolving to Debian's.
set(METROCAP_PROTO_PATHS
    ${CMAKE_SOURCE_DIR}/protos
    /usr/share/gocode/src/github.com/gogo/googleapis
    ${METROCAP_GOOGLE_PROTOS_DIR}
    /usr/share/grpc-proto
    /usr/include)

function(metrocap_proto_library target)
  cmake_parse_arguments(ARG "GRPC" "ROOT" "PROTOS;DEPS" ${ARGN})
  set(include_flags)
  foreach(p ${METROCAP_PROTO_PATHS})
    list(APPEND include_flags -I${p})
  endforeach()
  set(sources)
  foreach(proto ${ARG_PROTOS})
    get_filename_component(dir ${proto} DIRECTORY)
    get_filename_component(stem ${proto} NAME_WE)
    set(out ${METROCAP_PROTO_GEN_DIR}/${dir}/${stem})
    set(outputs ${out}.pb.cc ${out}.pb.h)
    set(plugin_args)
    if(ARG_GRPC)
      list(APPEND outputs ${out}.grpc.pb.cc ${out}.grpc.pb.h ${out}_mock.grpc.pb.h)
      set(plugin_args --grpc_out=generate_mock_code=true:${METROCAP_PROTO_GEN_DIR}
                      --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
    endif()
    set(abs ${ARG_ROOT}/${proto})
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${Protobuf_PROTOC_EXECUTABLE} ${include_flags}
              --cpp_out=${METROCAP_PROTO_GEN_DIR} ${plugin_args} ${abs}
      DEPENDS ${abs}
      COMMENT "protoc ${proto}")
    list(APPEND sources ${out}.pb.cc)
    if(ARG_GRPC)
      list(APPEND sources ${out}.grpc.pb.cc)
    endif()
  endforeach()
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${METROCAP_PROTO_GEN_DIR})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${target} PUBLIC gRPC::grpc++)
  endif()
endfunction()
