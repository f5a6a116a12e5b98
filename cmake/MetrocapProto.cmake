# metrocap_proto_library(<target> PROTOS <files...> [DEPS <targets...>] [GRPC])
#
# Turns .proto files (paths relative to ${PROTO_ROOT}) into one static library holding the
# C++ messages and, with GRPC, the gRPC stubs and mocks. Generated code lands in
# ${CMAKE_BINARY_DIR}/gen so includes read like the proto import paths.
set(METROCAP_PROTO_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${METROCAP_PROTO_GEN_DIR})
set(METROCAP_PROTO_PATHS
    ${CMAKE_SOURCE_DIR}/protos
    /usr/share/gocode/src/github.com/gogo/googleapis
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
