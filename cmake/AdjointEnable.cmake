# adjoint_enable(<target>)
#
# Generates the gradients of the ADJOINT_GRAD functions of <target>'s C++
# sources and of the headers they include:
# - with Clang, by loading the adjoint plugin built for that Clang's major
#   version into every C++ compile of the target (a configure-time error if
#   none is installed for it);
# - with any other compiler (GCC...), by running adjoint-gen on each C++
#   source as a build step that reruns when the source or a header it
#   includes changes, and compiling its output instead of the source.
#
# For each source, adjoint-gen writes <build dir>/adjoint-gen/<target>/<source>
# and, next to it in <source>.headers/, a copy of every header of that
# translation unit from outside the system include directories (rewritten
# when it has annotated functions, or when the translation unit needs
# gradients of its functions), each #include between them naming the copy by
# absolute path. Each translation unit thus compiles with its own rewritten
# headers, whatever the include path, and diagnostics name the original
# files. Sources are read when the directory that calls adjoint_enable is
# done, so they may be added after the call.
#
# The cache variable ADJOINT_FRONT_END (auto, plugin, adjoint-gen) picks the
# way: auto is the plugin with Clang, adjoint-gen otherwise. adjoint-gen also
# works with Clang (e.g. for a Clang version without an installed plugin).
#
# Needs ADJOINT_PLUGIN_DIR, ADJOINT_GEN_EXECUTABLE and ADJOINT_INCLUDE_DIR,
# which find_package(adjoint) sets.
include_guard(GLOBAL)

set(ADJOINT_FRONT_END "auto" CACHE STRING
  "How adjoint_enable generates gradients: auto (the plugin with Clang, adjoint-gen otherwise), plugin or adjoint-gen")
set_property(CACHE ADJOINT_FRONT_END PROPERTY STRINGS auto plugin adjoint-gen)

function(adjoint_enable target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "adjoint_enable: '${target}' is not a target")
  endif()
  # A second call would differentiate the generated sources again.
  get_target_property(enabled ${target} ADJOINT_ENABLED)
  if(enabled)
    return()
  endif()
  set_target_properties(${target} PROPERTIES ADJOINT_ENABLED ON)
  set(front_end ${ADJOINT_FRONT_END})
  if(front_end STREQUAL "auto")
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      set(front_end plugin)
    else()
      set(front_end adjoint-gen)
    endif()
  endif()

  if(front_end STREQUAL "plugin")
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      message(FATAL_ERROR "adjoint_enable(${target}): the adjoint plugin needs "
        "Clang, but the C++ compiler is ${CMAKE_CXX_COMPILER_ID} "
        "(${CMAKE_CXX_COMPILER}); set ADJOINT_FRONT_END to auto or adjoint-gen")
    endif()
    string(REGEX MATCH "^[0-9]+" major "${CMAKE_CXX_COMPILER_VERSION}")
    set(plugin "${ADJOINT_PLUGIN_DIR}/clang-${major}/libAdjointPlugin.so")
    if(NOT EXISTS "${plugin}")
      file(GLOB installed RELATIVE "${ADJOINT_PLUGIN_DIR}"
           "${ADJOINT_PLUGIN_DIR}/clang-*/libAdjointPlugin.so")
      list(TRANSFORM installed REPLACE "^clang-([0-9]+)/.*" "\\1")
      list(JOIN installed ", " installed)
      if(installed STREQUAL "")
        set(installed "none")
      endif()
      message(FATAL_ERROR "adjoint_enable(${target}): the C++ compiler "
        "${CMAKE_CXX_COMPILER} is Clang ${major}, but no adjoint plugin for "
        "Clang ${major} is installed in ${ADJOINT_PLUGIN_DIR} (installed for "
        "Clang: ${installed}). Build and install adjoint with "
        "-DADJOINT_LLVM_VERSION=${major}, use clang++-<N> for an installed N, "
        "or set -DADJOINT_FRONT_END=adjoint-gen.")
    endif()
    target_compile_options(${target} PRIVATE
      "$<$<COMPILE_LANGUAGE:CXX>:-fplugin=${plugin}>")
    cmake_language(EVAL CODE "cmake_language(DEFER CALL
      _adjoint_depend_on_plugin [[${target}]] [[${plugin}]])")
  elseif(front_end STREQUAL "adjoint-gen")
    if(NOT EXISTS "${ADJOINT_GEN_EXECUTABLE}")
      message(FATAL_ERROR "adjoint_enable(${target}): adjoint-gen is not "
        "installed (${ADJOINT_GEN_EXECUTABLE}); build and install adjoint with "
        "ADJOINT_BUILD_TOOLS=ON")
    endif()
    cmake_language(EVAL CODE "cmake_language(DEFER CALL
      _adjoint_generate_sources [[${target}]] [[${ADJOINT_GEN_EXECUTABLE}]]
      [[${ADJOINT_INCLUDE_DIR}]])")
  else()
    message(FATAL_ERROR "adjoint_enable: ADJOINT_FRONT_END is "
      "'${ADJOINT_FRONT_END}'; expected auto, plugin or adjoint-gen")
  endif()
endfunction()

# The C++ sources of <target>, as absolute paths (generator expressions and
# other languages' sources are left out).
function(_adjoint_cxx_sources target out)
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(result)
  foreach(src IN LISTS sources)
    if(src MATCHES "\\$<" OR NOT src MATCHES "\\.(cpp|cc|cxx|c\\+\\+|C|CPP|cp)$")
      continue()
    endif()
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${source_dir}")
    list(APPEND result "${abs}")
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# Plugin route: a new plugin recompiles the target.
function(_adjoint_depend_on_plugin target plugin)
  _adjoint_cxx_sources(${target} sources)
  set_property(SOURCE ${sources} TARGET_DIRECTORY ${target} APPEND
               PROPERTY OBJECT_DEPENDS "${plugin}")
endfunction()

# adjoint-gen route: run when the directory that called adjoint_enable is
# done, so that the target's sources are complete.
function(_adjoint_generate_sources target adjoint_gen adjoint_include)
  get_target_property(source_dir ${target} SOURCE_DIR)
  get_target_property(binary_dir ${target} BINARY_DIR)
  set(gen_dir "${binary_dir}/adjoint-gen/${target}")

  # The flags of the analysis parse: the target's include directories and
  # definitions (with those of the libraries it links), its language
  # standard. Adjoint's own headers are system headers: not mirrored.
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(definitions "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(standard "$<TARGET_PROPERTY:${target},CXX_STANDARD>")
  set(flags
    "-std=c++$<IF:$<BOOL:${standard}>,${standard},17>"
    -isystem "${adjoint_include}"
    "$<$<BOOL:${includes}>:-I$<JOIN:${includes},$<SEMICOLON>-I>>"
    "$<$<BOOL:${definitions}>:-D$<JOIN:${definitions},$<SEMICOLON>-D>>")

  get_target_property(sources ${target} SOURCES)
  _adjoint_cxx_sources(${target} cxx_sources)
  set(new_sources)
  foreach(src IN LISTS sources)
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${source_dir}")
    if(src MATCHES "\\$<" OR NOT abs IN_LIST cxx_sources)
      list(APPEND new_sources "${src}")
      continue()
    endif()
    file(RELATIVE_PATH rel "${source_dir}" "${abs}")
    if(rel MATCHES "^\\.\\./")
      string(REGEX REPLACE "^/" "" rel "${abs}")
    endif()
    set(out "${gen_dir}/${rel}")
    get_filename_component(abs_dir "${abs}" DIRECTORY)
    file(RELATIVE_PATH shown "${CMAKE_SOURCE_DIR}" "${abs}")
    add_custom_command(OUTPUT "${out}"
      COMMAND "${adjoint_gen}" "${abs}" -o "${out}"
              "--mirror-dir=${out}.headers" "--depfile=${out}.d" -- ${flags}
      DEPENDS "${abs}" "${adjoint_gen}"
      DEPFILE "${out}.d"
      COMMENT "Generating the gradients of ${shown} (adjoint-gen)"
      COMMAND_EXPAND_LISTS VERBATIM)
    # The generated file includes the project's headers by their mirrored
    # copies' absolute paths; an #include the parse did not see (under an
    # #if that differs between Clang and this compiler) still finds the
    # source's neighbours.
    set_source_files_properties("${out}" PROPERTIES
      COMPILE_OPTIONS "-iquote;${abs_dir}")
    list(APPEND new_sources "${out}")
  endforeach()
  set_property(TARGET ${target} PROPERTY SOURCES "${new_sources}")
endfunction()
