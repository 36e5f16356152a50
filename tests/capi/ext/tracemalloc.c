/* The C API of tracemalloc, from Modules/_tracemalloc.c:
 * PyTraceMalloc_Track and PyTraceMalloc_Untrack (-2: not tracing).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

static PyObject *
tracemalloc_track(PyObject *Py_UNUSED(m), PyObject *args)
{
    unsigned int domain;
    unsigned long long ptr;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "IKn", &domain, &ptr, &size)) {
        return NULL;
    }
    RETURN_INT(PyTraceMalloc_Track(domain, (uintptr_t)ptr, (size_t)size));
}

static PyObject *
tracemalloc_untrack(PyObject *Py_UNUSED(m), PyObject *args)
{
    unsigned int domain;
    unsigned long long ptr;
    if (!PyArg_ParseTuple(args, "IK", &domain, &ptr)) {
        return NULL;
    }
    RETURN_INT(PyTraceMalloc_Untrack(domain, (uintptr_t)ptr));
}

static PyMethodDef tracemalloc_methods[] = {
    {"tracemalloc_track", tracemalloc_track, METH_VARARGS, NULL},
    {"tracemalloc_untrack", tracemalloc_untrack, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_tracemalloc(PyObject *m)
{
    return PyModule_AddFunctions(m, tracemalloc_methods);
}
