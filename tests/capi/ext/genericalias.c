/* Py_GenericAlias (Objects/genericaliasobject.c). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

static PyObject *
genericalias_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *origin, *alias_args;
    if (!PyArg_ParseTuple(args, "OO", &origin, &alias_args)) {
        return NULL;
    }
    return Py_GenericAlias(origin, alias_args);
}

static PyMethodDef genericalias_methods[] = {
    {"genericalias_new", genericalias_new, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_genericalias(PyObject *m)
{
    return PyModule_AddFunctions(m, genericalias_methods);
}
