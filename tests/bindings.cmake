# Tests of the C API, the exported symbols, the installed package and the
# Python package. Included from tests/CMakeLists.txt.

# The C API from C: the header must compile as strict C11, and every entry
# point is called with good and bad arguments. It links the shared library
# when there is one, so the test also proves what libdeter.so exports.
add_executable(c_api_test c_api_test.c)
set_target_properties(c_api_test PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(c_api_test PRIVATE -Wall -Wextra -pedantic -Werror)
if(TARGET deter_shared)
  target_link_libraries(c_api_test PRIVATE deter_shared)
else()
  target_link_libraries(c_api_test PRIVATE deter)
endif()
add_test(NAME c_api
         COMMAND c_api_test ${PROJECT_SOURCE_DIR}/lists/demo ${PROJECT_SOURCE_DIR}/tests/lists/broken
                 ${CMAKE_CURRENT_BINARY_DIR}/c_api_scratch)

# No allocation on the no-match path, through every checking entry point.
add_executable(c_api_alloc_test c_api_alloc_test.cc)
if(TARGET deter_shared)
  target_link_libraries(c_api_alloc_test PRIVATE deter_shared)
else()
  target_link_libraries(c_api_alloc_test PRIVATE deter)
endif()
if(NOT DETER_SANITIZE)  # sanitizers bring their own operator new
  add_test(NAME c_api.no_allocation COMMAND c_api_alloc_test ${PROJECT_SOURCE_DIR}/lists/demo)
endif()

if(TARGET deter_shared)
  # libdeter.so exports the C API and the DETER_EXPORT-marked C++ API, and
  # nothing else (no standard library or Hyperscan symbols).
  add_test(NAME shared.exported_symbols
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/exported_symbols.sh $<TARGET_FILE:deter_shared>
                   ${PROJECT_SOURCE_DIR}/include/deter/deter.h)
endif()

# The installed package: install into a scratch prefix, then build small
# consumer projects against it with find_package(deter) and with pkg-config,
# linking the shared and the static library.
if(DETER_INSTALL AND TARGET deter_shared)
  set(_consumer_work ${CMAKE_CURRENT_BINARY_DIR}/consumer)
  add_test(NAME install.prefix
           COMMAND ${CMAKE_COMMAND} -E env sh -c
                   "rm -rf '${_consumer_work}' && '${CMAKE_COMMAND}' --install '${PROJECT_BINARY_DIR}' --prefix '${_consumer_work}/prefix' >/dev/null")
  set_tests_properties(install.prefix PROPERTIES FIXTURES_SETUP deter_installed)
  foreach(mode cmake-shared cmake-static pkgconfig-shared pkgconfig-static)
    add_test(NAME consumer.${mode}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/consumer/run.sh ${mode} ${_consumer_work}
                     ${PROJECT_SOURCE_DIR} ${CMAKE_GENERATOR})
    set_tests_properties(consumer.${mode} PROPERTIES FIXTURES_REQUIRED deter_installed
                         PASS_REGULAR_EXPRESSION "consumer: prompt en.list:13")
  endforeach()
  # The man page and bash completion are installed where man and
  # bash-completion look.
  if(TARGET deter_cli_docs)
    add_test(NAME install.cli_docs
             COMMAND sh -c "test -s '${_consumer_work}/prefix/${CMAKE_INSTALL_MANDIR}/man1/deter.1' && test -s '${_consumer_work}/prefix/${CMAKE_INSTALL_DATADIR}/bash-completion/completions/deter'")
    set_tests_properties(install.cli_docs PROPERTIES FIXTURES_REQUIRED deter_installed)
  endif()
  if(TARGET deter_python)
    add_test(NAME consumer.python
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/consumer/run.sh python ${_consumer_work}
                     ${PROJECT_SOURCE_DIR} ${CMAKE_GENERATOR} ${Python_EXECUTABLE})
    set_tests_properties(consumer.python PROPERTIES FIXTURES_REQUIRED deter_installed
                         PASS_REGULAR_EXPRESSION "consumer: prompt en.list:13")
  endif()
endif()

# The service examples answer requests (one line each) from the demo lists.
if(TARGET example_service_c)
  foreach(example example_service_c example_service_cpp)
    add_test(NAME examples.${example}
             COMMAND sh -c "printf 'plain words\\nwhere is the forbidden orchard\\nhidden lantern guild\\n' | $<TARGET_FILE:${example}> ${PROJECT_SOURCE_DIR}/lists/demo")
    set_tests_properties(examples.${example} PROPERTIES PASS_REGULAR_EXPRESSION
                         "^allow\t\t\nprompt\tdemo\ten.list:13\nblock\tdemo\ten.list:61\n$")
    add_test(NAME examples.${example}_reload
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/example_reload.sh signal
                     ${CMAKE_CURRENT_BINARY_DIR}/${example}_reload $<TARGET_FILE:${example}>)
  endforeach()
endif()

# The Python package, under the interpreter it was built for.
if(TARGET deter_python)
  set(_python_env PYTHONPATH=${PROJECT_BINARY_DIR}/python DETER_SOURCE_DIR=${PROJECT_SOURCE_DIR}
                  PYTHONDONTWRITEBYTECODE=1)
  # pip install . (pyproject.toml, setup.py) offline with Debian's tools,
  # into a scratch directory, reusing this tree's module; then import it.
  add_test(NAME python.pip_install
           COMMAND ${CMAKE_COMMAND} -E env DETER_CMAKE_BUILD_DIR=${PROJECT_BINARY_DIR}
                   PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
                   sh -c "rm -rf '${CMAKE_CURRENT_BINARY_DIR}/pip-site' && '${Python_EXECUTABLE}' -m pip install --quiet --no-build-isolation --no-deps --target '${CMAKE_CURRENT_BINARY_DIR}/pip-site' '${PROJECT_SOURCE_DIR}' && cd / && PYTHONPATH='${CMAKE_CURRENT_BINARY_DIR}/pip-site' '${Python_EXECUTABLE}' -c 'import deter, sys; d = deter.Filter(sys.argv[1]).check(\"a forbidden orchard walk\"); print(\"pip:\", d.action, d.matches[0].entry_id, deter.__file__)' '${PROJECT_SOURCE_DIR}/lists/demo'")
  set_tests_properties(python.pip_install PROPERTIES
                       PASS_REGULAR_EXPRESSION "pip: prompt en.list:13 [^\n]*/pip-site/deter/__init__.py")
  add_test(NAME python.unittest
           COMMAND ${CMAKE_COMMAND} -E env ${_python_env}
                   ${Python_EXECUTABLE} -m unittest discover -s ${PROJECT_SOURCE_DIR}/bindings/python/tests)
  # deter.logs on a LocalCluster of two worker processes (Debian's
  # python3-dask and python3-distributed). Labelled "cluster": a sanitized
  # build has no Python package, and the asan test preset skips the label.
  if(TARGET deter_cli)
    add_test(NAME python.logs_cluster
             COMMAND ${CMAKE_COMMAND} -E env ${_python_env} DETER_CLI=$<TARGET_FILE:deter_cli>
                     ${Python_EXECUTABLE} -m unittest discover -p "cluster_*.py"
                     -s ${PROJECT_SOURCE_DIR}/bindings/python/tests)
    set_tests_properties(python.logs_cluster PROPERTIES LABELS cluster TIMEOUT 180)
  endif()
  add_test(NAME examples.service_py
           COMMAND ${CMAKE_COMMAND} -E env ${_python_env} sh -c
                   "printf 'plain words\\nwhere is the forbidden orchard\\nhidden lantern guild\\n' | '${Python_EXECUTABLE}' ${PROJECT_SOURCE_DIR}/examples/service.py ${PROJECT_SOURCE_DIR}/lists/demo")
  set_tests_properties(examples.service_py PROPERTIES PASS_REGULAR_EXPRESSION
                       "^allow\t\t\nprompt\tdemo\ten.list:13\nblock\tdemo\ten.list:61\n$")
  add_test(NAME examples.service_py_reload
           COMMAND ${CMAKE_COMMAND} -E env ${_python_env}
                   sh ${CMAKE_CURRENT_SOURCE_DIR}/example_reload.sh poll
                   ${CMAKE_CURRENT_BINARY_DIR}/service_py_reload
                   ${Python_EXECUTABLE} ${PROJECT_SOURCE_DIR}/examples/service.py)
endif()
