/* set and frozenset objects: PySet_* / PyFrozenSet_* from
 * Objects/setobject.c.
 *
 * Mirrors CPython's Modules/_testcapi/set.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* iterable None means NULL: an empty set. */
static PyObject *
set_new(PyObject *Py_UNUSED(m), PyObject *iterable)
{
    NULLABLE(iterable);
    return PySet_New(iterable);
}

static PyObject *
frozenset_new(PyObject *Py_UNUSED(m), PyObject *iterable)
{
    NULLABLE(iterable);
    return PyFrozenSet_New(iterable);
}

/* Non-set: SystemError. */
static PyObject *
set_size(PyObject *Py_UNUSED(m), PyObject *s)
{
    RETURN_SIZE(PySet_Size(s));
}

static PyObject *
set_get_size_macro(PyObject *Py_UNUSED(m), PyObject *s)
{
    if (!PyAnySet_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "test needs a set or frozenset");
        return NULL;
    }
    return PyLong_FromSsize_t(PySet_GET_SIZE(s));
}

static PyObject *
set_contains(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *key;
    if (!PyArg_ParseTuple(args, "OO", &s, &key)) {
        return NULL;
    }
    RETURN_INT(PySet_Contains(s, key));
}

/* Also works on a frozenset that was just created (refcount 1) in CPython;
 * the test only adds to sets. */
static PyObject *
set_add(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *key;
    if (!PyArg_ParseTuple(args, "OO", &s, &key)) {
        return NULL;
    }
    RETURN_INT(PySet_Add(s, key));
}

static PyObject *
set_discard(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *key;
    if (!PyArg_ParseTuple(args, "OO", &s, &key)) {
        return NULL;
    }
    RETURN_INT(PySet_Discard(s, key));
}

static PyObject *
set_pop(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PySet_Pop(s);
}

static PyObject *
set_clear(PyObject *Py_UNUSED(m), PyObject *s)
{
    RETURN_INT(PySet_Clear(s));
}

static PyMethodDef set_methods[] = {
    {"set_new", set_new, METH_O, NULL},
    {"frozenset_new", frozenset_new, METH_O, NULL},
    {"set_size", set_size, METH_O, NULL},
    {"set_get_size_macro", set_get_size_macro, METH_O, NULL},
    {"set_contains", set_contains, METH_VARARGS, NULL},
    {"set_add", set_add, METH_VARARGS, NULL},
    {"set_discard", set_discard, METH_VARARGS, NULL},
    {"set_pop", set_pop, METH_O, NULL},
    {"set_clear", set_clear, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_set(PyObject *m)
{
    return PyModule_AddFunctions(m, set_methods);
}
