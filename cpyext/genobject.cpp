// Generators (Objects/genobject.c). Generators, coroutines and async
// generators are the host's: they cross as proxies whose type is PyGen_Type,
// PyCoro_Type or PyAsyncGen_Type (static_types.def), so PyGen_Check and co.
// answer as on CPython. Their C struct (PyGenObject) is not filled: its
// fields are CPython's interpreter state and stay zero.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "genobject"

// StopIteration carrying `value` (NULL: None). A tuple or an exception is
// wrapped in a StopIteration instance first, since PyErr_SetObject would
// take a tuple as the arguments and an exception as the exception itself.
int _PyGen_SetStopIterationValue(PyObject *value) {
    FERRY_API;
    if (!value || (!PyTuple_Check(value) && !PyExceptionInstance_Check(value))) {
        PyErr_SetObject(PyExc_StopIteration, value);
        return 0;
    }
    PyObject *e = PyObject_CallFunctionObjArgs(PyExc_StopIteration, value, nullptr);
    if (!e)
        return -1;
    PyErr_SetObject(PyExc_StopIteration, e);
    Py_DECREF(e);
    return 0;
}
