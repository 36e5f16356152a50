/* PyOS_FSPath, from Modules/posixmodule.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* PyOS_FSPath(path); NULL would crash CPython: never passed. */
static PyObject *
os_fspath(PyObject *Py_UNUSED(m), PyObject *path)
{
    return PyOS_FSPath(path);
}

static PyMethodDef posixmodule_methods[] = {
    {"os_fspath", os_fspath, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_posixmodule(PyObject *m)
{
    return PyModule_AddFunctions(m, posixmodule_methods);
}
