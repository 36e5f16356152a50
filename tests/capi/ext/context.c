/* Context variables, from Python/context.c: PyContextVar_New, _Get, _Set.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* PyContextVar_New(name, def): name as UTF-8 bytes; def NULL when not given
 * (None is a default like any other). */
static PyObject *
contextvar_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *def = NULL;
    if (!PyArg_ParseTuple(args, "y|O", &name, &def)) {
        return NULL;
    }
    return PyContextVar_New(name, def);
}

/* PyContextVar_Get(var, def, &value) -> (status, value), the value the NULL
 * sentinel when none was found; def NULL when not given. A non-ContextVar
 * raises TypeError (the -1). */
static PyObject *
contextvar_get(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *var, *def = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &var, &def)) {
        return NULL;
    }
    PyObject *value = NULL;
    int r = PyContextVar_Get(var, def, &value);
    if (r < 0) {
        if (!PyErr_Occurred()) {
            return ferrytest_missing_error("-1");
        }
        return NULL;
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (value == NULL) {
        return Py_BuildValue("(iO)", r, ferrytest_null);
    }
    return Py_BuildValue("(iN)", r, value);
}

/* PyContextVar_Set(var, value) -> the Token. NULL value crashes CPython: not
 * passed. */
static PyObject *
contextvar_set(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *var, *value;
    if (!PyArg_ParseTuple(args, "OO", &var, &value)) {
        return NULL;
    }
    return PyContextVar_Set(var, value);
}

static PyMethodDef context_methods[] = {
    {"contextvar_new", contextvar_new, METH_VARARGS, NULL},
    {"contextvar_get", contextvar_get, METH_VARARGS, NULL},
    {"contextvar_set", contextvar_set, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_context(PyObject *m)
{
    return PyModule_AddFunctions(m, context_methods);
}
