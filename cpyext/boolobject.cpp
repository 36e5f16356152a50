// bool objects: PyBool_FromLong over the static True and False.
// Mirrors Objects/boolobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"

PyObject *PyBool_FromLong(long ok) {
    if (ok)
        Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}
