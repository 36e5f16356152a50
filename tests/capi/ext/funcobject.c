/* PyClassMethod_New, from Objects/funcobject.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* PyClassMethod_New(callable); NULL would crash CPython: never passed. */
static PyObject *
func_classmethod_new(PyObject *Py_UNUSED(m), PyObject *callable)
{
    return PyClassMethod_New(callable);
}

static PyMethodDef funcobject_methods[] = {
    {"func_classmethod_new", func_classmethod_new, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_funcobject(PyObject *m)
{
    return PyModule_AddFunctions(m, funcobject_methods);
}
