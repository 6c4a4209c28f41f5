# The layers of the library, enforced by include paths (HACKING.md "Layers").
#
# A layer is compiled against one directory of the build tree that holds
# symbolic links to exactly what it may include, laid out as the sources
# include it ("text/utf8.h", "deter/types.h"). Nothing else of src/ or
# include/ is on its path, so `#include "rules/list.h"` in src/text/ fails to
# compile instead of quietly adding a dependency.

set(DETER_LAYER_DIR ${PROJECT_BINARY_DIR}/layers)
set(DETER_LAYER_OBJECTS "")

# deter_layer_view(<name> <path>...): makes ${DETER_LAYER_DIR}/<name>/ with a
# link per path, a folder or a file of src/ or include/, named as included.
function(deter_layer_view name)
  set(root ${DETER_LAYER_DIR}/${name})
  foreach(path IN LISTS ARGN)
    if(NOT path MATCHES "^(src|include)/(.+)$")
      message(FATAL_ERROR "deter_layer_view: ${path} is not under src/ or include/")
    endif()
    set(link ${root}/${CMAKE_MATCH_2})
    get_filename_component(parent ${link} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${path} ${link} SYMBOLIC)
  endforeach()
endfunction()

# deter_layer(<name> SOURCES <file>... SEES <path>... [LINKS <target>...]):
# an object library deter_<name> of SOURCES that sees SEES (and
# deter/export.h) and nothing else of the project. Its objects go into
# DETER_LAYER_OBJECTS, which the static and the shared library are built from.
macro(deter_layer name)
  cmake_parse_arguments(_layer "" "" "SOURCES;SEES;LINKS" ${ARGN})
  deter_layer_view(${name} include/deter/export.h ${_layer_SEES})
  add_library(deter_${name} OBJECT ${_layer_SOURCES})
  target_include_directories(deter_${name} PRIVATE ${DETER_LAYER_DIR}/${name})
  target_compile_definitions(deter_${name} PRIVATE DETER_BUILDING)
  if(_layer_LINKS)
    # For their include paths and definitions; the libraries link them.
    target_link_libraries(deter_${name} PRIVATE ${_layer_LINKS})
  endif()
  list(APPEND DETER_LAYER_OBJECTS $<TARGET_OBJECTS:deter_${name}>)
endmacro()
