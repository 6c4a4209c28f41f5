// deter.logs's functions in _deter (bindings/python/_logs.cc).
#ifndef DETER_BINDINGS_PYTHON_LOGS_H_
#define DETER_BINDINGS_PYTHON_LOGS_H_

#include <pybind11/pybind11.h>

void add_logs_functions(pybind11::module_& m);

#endif  // DETER_BINDINGS_PYTHON_LOGS_H_
