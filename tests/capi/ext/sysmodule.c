/* The sys module from C: PySys_GetObject from Python/sysmodule.c. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* Borrowed; a missing attribute is NULL without an exception. */
static PyObject *
sys_getobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(PySys_GetObject(name));
}

static PyMethodDef sysmodule_methods[] = {
    {"sys_getobject", sys_getobject, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_sysmodule(PyObject *m)
{
    return PyModule_AddFunctions(m, sysmodule_methods);
}
