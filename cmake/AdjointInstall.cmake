# `cmake --install <build> --prefix P` installs what a project outside this
# tree needs (README "Using adjoint from your project"):
#   P/include/adjoint/*.h                        the headers
#   P/lib/libadjoint_runtime.a                   the runtime (adjoint::adjoint)
#   P/lib/adjoint/clang-<N>/libAdjointPlugin.so  the plugin for Clang <N>
#   P/bin/adjoint-gen                            the front end for other compilers
#   P/lib/cmake/adjoint/                         find_package(adjoint), adjoint_enable()
#   P/lib/pkgconfig/adjoint.pc                   flags for other build systems
# Builds against several Clang versions install into the same prefix: each
# adds its plugin next to the others.
include(CMakePackageConfigHelpers)

set(ADJOINT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/adjoint)
set(ADJOINT_INSTALL_PLUGINDIR ${CMAKE_INSTALL_LIBDIR}/adjoint)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/adjoint
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS adjoint_runtime EXPORT adjointTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT adjointTargets NAMESPACE adjoint::
        DESTINATION ${ADJOINT_INSTALL_CMAKEDIR})

if(ADJOINT_BUILD_TOOLS)
  # Both load LLVM's shared libraries from the LLVM installation.
  set_target_properties(AdjointPlugin adjoint-gen PROPERTIES
    INSTALL_RPATH_USE_LINK_PATH ON)
  install(TARGETS AdjointPlugin
          LIBRARY DESTINATION ${ADJOINT_INSTALL_PLUGINDIR}/clang-${ADJOINT_LLVM_VERSION})
  install(TARGETS adjoint-gen RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/adjointConfig.cmake.in
  ${PROJECT_BINARY_DIR}/adjointConfig.cmake
  INSTALL_DESTINATION ${ADJOINT_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR ADJOINT_INSTALL_PLUGINDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/adjointConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/adjointConfig.cmake
              ${PROJECT_BINARY_DIR}/adjointConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/AdjointEnable.cmake
        DESTINATION ${ADJOINT_INSTALL_CMAKEDIR})

# Relocatable: the prefix is found from the .pc file's own directory.
file(RELATIVE_PATH ADJOINT_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/adjoint.pc.in
  ${PROJECT_BINARY_DIR}/adjoint.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/adjoint.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
