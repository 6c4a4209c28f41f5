# cmake -DIN=<file> -DOUT=<file.cc> -DNAME=<identifier> -P embed.cmake
# Writes OUT defining `const std::string_view deter::cli::NAME` with IN's
# bytes, so the binary serves the file without reading it at run time.
file(READ ${IN} content)
string(FIND "${content}" ")deter_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} holds the raw string delimiter )deter_embed\"")
endif()
file(WRITE ${OUT}.tmp "// Generated from ${IN} by cmake/embed.cmake; do not edit.\n"
  "#include <string_view>\nnamespace deter::cli {\nextern const std::string_view ${NAME};\n"
  "const std::string_view ${NAME} = R\"deter_embed(${content})deter_embed\";\n}\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
