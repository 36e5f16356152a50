// bool objects: PyBool_FromLong over the static True and False.
// Mirrors Objects/boolobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "boolobject"

PyObject *PyBool_FromLong(long ok) {
    FERRY_API;
    if (ok)
        Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}
