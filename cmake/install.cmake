# `cmake --install`: headers, libdeter.a, libdeter.so, the deter tool, a CMake
# package (find_package(deter) -> deter::deter) and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DETER_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/deter CACHE STRING
    "Where deterConfig.cmake is installed, relative to the prefix")

set(_deter_install_targets deter)
if(TARGET deter_shared)
  list(APPEND _deter_install_targets deter_shared)
endif()
if(TARGET deter_cli)
  list(APPEND _deter_install_targets deter_cli)
  set_target_properties(deter_cli PROPERTIES EXPORT_NAME cli
                        INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
endif()

if(TARGET deter_cli)
  # deter lint's and deter probe's default benign corpus, found beside the
  # tool (src/cli/benign_corpus.cc), with its sources and licences.
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/tests/data/queries ${PROJECT_SOURCE_DIR}/tests/data/phrases
          DESTINATION ${CMAKE_INSTALL_DATADIR}/deter/benign)
  install(FILES ${PROJECT_SOURCE_DIR}/tests/data/README.md
          DESTINATION ${CMAKE_INSTALL_DATADIR}/deter/benign)
endif()

install(TARGETS ${_deter_install_targets} EXPORT deterTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET deter_cli_docs)
  install(FILES ${DETER_CLI_DOCS_DIR}/deter.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  # Where bash-completion looks for a command's completion on demand.
  install(FILES ${DETER_CLI_DOCS_DIR}/deter.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME deter)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/deter
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(EXPORT deterTargets NAMESPACE deter:: DESTINATION ${DETER_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/deterConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/deterConfig.cmake
                              INSTALL_DESTINATION ${DETER_INSTALL_CMAKEDIR})
# 0.x: minor versions may break compatibility.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/deterConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/deterConfig.cmake ${PROJECT_BINARY_DIR}/deterConfigVersion.cmake
        DESTINATION ${DETER_INSTALL_CMAKEDIR})

# deter.pc finds its prefix from its own place, so the installed tree can be
# moved (and `cmake --install --prefix` needs no reconfigure).
#
# Shared linking needs this file alone: no Requires.private, whose modules
# pkg-config wants present (and whose Cflags, -I.../hs -DTOML_*, it passes
# on) even without --static. Static linking gets the private dependencies'
# libraries, as found now, in Libs.private.
pkg_check_modules(DETER_PC_PRIVATE QUIET libhs libxxhash libsodium icu-uc icu-i18n tomlplusplus)
if(DETER_PC_PRIVATE_FOUND)
  list(JOIN DETER_PC_PRIVATE_STATIC_LDFLAGS " " DETER_PC_LIBS_PRIVATE)
else()
  set(DETER_PC_LIBS_PRIVATE "-lhs -lxxhash -lsodium -licui18n -licuuc -licudata -ltomlplusplus")
endif()
string(APPEND DETER_PC_LIBS_PRIVATE " -lstdc++ -lm -pthread")
file(RELATIVE_PATH DETER_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" DETER_PC_TO_PREFIX "${DETER_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/deter.pc.in ${PROJECT_BINARY_DIR}/deter.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/deter.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
