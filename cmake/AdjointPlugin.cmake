# adjoint_add_plugin_executable(<name> SOURCES <src>... [LIBS <lib>...]
#                               [DEPENDS <target>...])
#
# Builds an executable whose sources are compiled by ADJOINT_CLANGXX with the
# adjoint plugin loaded (the generated gradients exist only then), linked with
# the runtime. LIBS come after the runtime on the link line; DEPENDS names
# targets (such as libraries in LIBS) to build first. The executable lands in
# the build's bin/ directory and the target <name> builds it.
function(adjoint_add_plugin_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;DEPENDS" ${ARGN})
  set(output ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/${name})
  set(sources)
  foreach(src ${ARG_SOURCES})
    list(APPEND sources ${CMAKE_CURRENT_SOURCE_DIR}/${src})
  endforeach()
  add_custom_command(OUTPUT ${output}
    COMMAND ${ADJOINT_CLANGXX} -std=c++17 -O2 -DNDEBUG
      -fplugin=$<TARGET_FILE:AdjointPlugin>
      -I${PROJECT_SOURCE_DIR}/include -I${CMAKE_CURRENT_SOURCE_DIR}
      -MD -MF ${CMAKE_CURRENT_BINARY_DIR}/${name}.d
      ${sources} -o ${output}
      $<TARGET_FILE:adjoint_runtime> ${ARG_LIBS} -lhwy -lpthread
    DEPENDS ${sources} AdjointPlugin adjoint_runtime ${ARG_DEPENDS}
    DEPFILE ${CMAKE_CURRENT_BINARY_DIR}/${name}.d
    COMMENT "Building ${name} with the adjoint plugin"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${output})
endfunction()
