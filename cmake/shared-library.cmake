# The shared library libdeter.so, built from the same objects as the static
# library `deter`, and the alias deter::deter.
#
#   target          file                     used by
#   deter           libdeter.a               tests and benchmarks (they reach
#                                            internals), the Python module
#   deter_shared    libdeter.so.MAJOR.MINOR  C and C++ services, other languages
#
# deter::deter is deter_shared when BUILD_SHARED_LIBS is ON, else deter (so a
# project that adds deter with add_subdirectory links it statically by
# default). deter::static and deter::shared name each one explicitly.

option(DETER_BUILD_SHARED "Build the shared library libdeter.so" ON)

add_library(deter::static ALIAS deter)
set_target_properties(deter PROPERTIES OUTPUT_NAME deter EXPORT_NAME deter_static)
target_compile_definitions(deter PRIVATE DETER_VERSION_STRING="${PROJECT_VERSION}")
# On Windows the static library's users must not see dllimport.
target_compile_definitions(deter INTERFACE DETER_STATIC_DEFINE)
# The public headers are C++20 (defaulted comparisons, designated
# initializers in the README's calls): every user of either library needs it,
# and an installed deter::deter must say so itself.
target_compile_features(deter INTERFACE cxx_std_20)

if(DETER_BUILD_SHARED)
  # The objects of the static library: its own and those of the layers below.
  add_library(deter_shared SHARED $<TARGET_OBJECTS:deter> ${DETER_LAYER_OBJECTS})
  add_library(deter::shared ALIAS deter_shared)
  target_include_directories(deter_shared
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:include>)
  # Whatever the static library links (Hyperscan, ICU, ...) stays private.
  target_compile_features(deter_shared INTERFACE cxx_std_20)
  target_link_libraries(deter_shared
    PUBLIC Threads::Threads
    PRIVATE $<TARGET_PROPERTY:deter,LINK_LIBRARIES>)
  # 0.x releases may break the ABI between minor versions, so the SONAME
  # carries both: libdeter.so.0.1.
  set_target_properties(deter_shared PROPERTIES
    OUTPUT_NAME deter
    EXPORT_NAME deter_shared
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
    LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/deter.map)
  target_link_options(deter_shared PRIVATE
    "LINKER:--version-script=${PROJECT_SOURCE_DIR}/cmake/deter.map"
    "LINKER:--exclude-libs,ALL" "LINKER:--no-undefined")
endif()

if(DETER_BUILD_SHARED AND BUILD_SHARED_LIBS)
  add_library(deter::deter ALIAS deter_shared)
else()
  add_library(deter::deter ALIAS deter)
endif()

# deter.h states the version too; keep the two in step.
file(STRINGS ${PROJECT_SOURCE_DIR}/include/deter/deter.h _deter_h_version
     REGEX "^#define DETER_VERSION_(MAJOR|MINOR|PATCH) ")
string(REGEX REPLACE "[^;]*_MAJOR ([0-9]+);[^;]*_MINOR ([0-9]+);[^;]*_PATCH ([0-9]+)" "\\1.\\2.\\3"
       _deter_h_version "${_deter_h_version}")
if(NOT _deter_h_version VERSION_EQUAL PROJECT_VERSION)
  message(FATAL_ERROR "include/deter/deter.h says version ${_deter_h_version}, "
                      "CMakeLists.txt says ${PROJECT_VERSION}")
endif()
