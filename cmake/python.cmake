# The Python package `deter` (bindings/python): a pybind11 extension `_deter`
# plus a small pure-Python layer, assembled in <build>/python so that
# PYTHONPATH=<build>/python makes `import deter` work.
#
# Built for the system interpreter (/usr/bin/python3, Debian's pybind11);
# set Python_EXECUTABLE to build for another one.
set(_deter_python_found OFF)
if(PROJECT_IS_TOP_LEVEL OR DETER_BUILD_PYTHON)
  if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python_EXECUTABLE /usr/bin/python3)
  endif()
  find_package(Python 3.8 QUIET COMPONENTS Interpreter Development.Module)
  if(Python_FOUND)
    find_package(pybind11 2.6 CONFIG QUIET)
    if(pybind11_FOUND)
      set(_deter_python_found ON)
    endif()
  endif()
endif()
option(DETER_BUILD_PYTHON "Build the Python package (needs pybind11-dev, python3-dev)"
       ${_deter_python_found})

if(DETER_BUILD_PYTHON)
  if(NOT _deter_python_found)
    message(FATAL_ERROR "DETER_BUILD_PYTHON needs pybind11 and the Python headers "
                        "(Debian: pybind11-dev python3-dev)")
  endif()
  set(DETER_PYTHON_PACKAGE_DIR ${PROJECT_BINARY_DIR}/python/deter)
  # pybind11 would add -flto to the module unless the project decided; the
  # heavy lifting is in libdeter.a, so link-time optimization buys nothing.
  if(NOT DEFINED CMAKE_INTERPROCEDURAL_OPTIMIZATION)
    set(CMAKE_INTERPROCEDURAL_OPTIMIZATION OFF)
  endif()
  pybind11_add_module(deter_python MODULE ${PROJECT_SOURCE_DIR}/bindings/python/_deter.cc)
  target_link_libraries(deter_python PRIVATE deter::static)
  target_compile_definitions(deter_python PRIVATE DETER_PY_VERSION="${PROJECT_VERSION}")
  # deter.logs reuses the command-line tool's counting and writers, so that
  # its answers are the tool's (bindings/python/_logs.cc).
  if(TARGET deter_cli)
    target_sources(deter_python PRIVATE
      ${PROJECT_SOURCE_DIR}/bindings/python/_logs.cc
      ${PROJECT_SOURCE_DIR}/src/cli/common.cc
      ${PROJECT_SOURCE_DIR}/src/cli/line_reader.cc
      ${PROJECT_SOURCE_DIR}/src/cli/log_stats.cc
      ${PROJECT_SOURCE_DIR}/src/cli/progress.cc
      ${PROJECT_SOURCE_DIR}/src/cli/querylog.cc
      ${PROJECT_SOURCE_DIR}/src/cli/report.cc
      ${PROJECT_SOURCE_DIR}/src/cli/script.cc
      ${PROJECT_SOURCE_DIR}/src/cli/stats_report.cc)
    target_include_directories(deter_python PRIVATE ${DETER_LAYER_DIR}/cli)
    target_compile_definitions(deter_python PRIVATE DETER_PY_LOGS)
    target_link_libraries(deter_python PRIVATE CLI11::CLI11 ZLIB::ZLIB)
  endif()
  set_target_properties(deter_python PROPERTIES
    OUTPUT_NAME _deter
    LIBRARY_OUTPUT_DIRECTORY ${DETER_PYTHON_PACKAGE_DIR})
  foreach(f __init__.py __init__.pyi py.typed logs.py)
    configure_file(${PROJECT_SOURCE_DIR}/bindings/python/deter/${f} ${DETER_PYTHON_PACKAGE_DIR}/${f}
                   COPYONLY)
  endforeach()

  if(DETER_INSTALL)
    # Where the interpreter built for reads packages under an install prefix:
    # Debian's /usr/bin/python3 reads /usr/local/lib/python3.X/dist-packages
    # (not lib/python3/dist-packages, which is for /usr only), others
    # lib/python3.X/site-packages.
    execute_process(
      COMMAND ${Python_EXECUTABLE} -c "import sys; v = 'python%d.%d' % sys.version_info[:2]; \
print('lib/%s/%s' % (v, 'dist-packages' if any(p.endswith('/dist-packages') for p in sys.path) else 'site-packages'))"
      OUTPUT_VARIABLE _deter_python_site OUTPUT_STRIP_TRAILING_WHITESPACE)
    # A tree configured before kept the old default, where Debian's
    # interpreter never looked under /usr/local: move it on.
    if(DETER_PYTHON_INSTALL_DIR STREQUAL "${CMAKE_INSTALL_LIBDIR}/python3/dist-packages")
      unset(DETER_PYTHON_INSTALL_DIR CACHE)
    endif()
    set(DETER_PYTHON_INSTALL_DIR "${_deter_python_site}" CACHE STRING
        "Where the Python package is installed, relative to the prefix")
    install(TARGETS deter_python LIBRARY DESTINATION ${DETER_PYTHON_INSTALL_DIR}/deter)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/bindings/python/deter/
            DESTINATION ${DETER_PYTHON_INSTALL_DIR}/deter)
  endif()
endif()
