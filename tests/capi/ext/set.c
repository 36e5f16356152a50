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

/* _PySet_NextEntry over the whole set, as Cython's set iteration does:
 * [(key, hash), ...] in the walk's order, each key borrowed. */
static PyObject *
set_nextentry_all(PyObject *Py_UNUSED(m), PyObject *s)
{
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key;
    Py_hash_t hash;
    int r;
    while ((r = _PySet_NextEntry(s, &pos, &key, &hash)) == 1) {
        PyObject *pair = Py_BuildValue("(On)", key, (Py_ssize_t)hash);
        if (pair == NULL || PyList_Append(result, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(pair);
    }
    if (r < 0) {
        Py_DECREF(result);
        if (!PyErr_Occurred()) {
            return ferrytest_missing_error("-1");
        }
        return NULL;
    }
    return result;
}

/* Nested walks over one set: the outer key, borrowed, stays valid while the
 * inner walk starts over. [(k1, k2), ...]. */
static PyObject *
set_nextentry_nested(PyObject *Py_UNUSED(m), PyObject *s)
{
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *k1;
    Py_hash_t h1;
    while (_PySet_NextEntry(s, &pos, &k1, &h1) == 1) {
        Py_ssize_t pos2 = 0;
        PyObject *k2;
        Py_hash_t h2;
        while (_PySet_NextEntry(s, &pos2, &k2, &h2) == 1) {
            PyObject *row = Py_BuildValue("(OO)", k1, k2);
            if (row == NULL || PyList_Append(result, row) < 0) {
                Py_XDECREF(row);
                Py_DECREF(result);
                return NULL;
            }
            Py_DECREF(row);
        }
    }
    return result;
}

/* A walk that ends after `n` keys, then a fresh one from 0: [keys of the
 * first walk], [keys of the second]. */
static PyObject *
set_nextentry_restart(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On", &s, &n)) {
        return NULL;
    }
    PyObject *first = PyList_New(0), *second = PyList_New(0);
    if (first == NULL || second == NULL) {
        goto error;
    }
    Py_ssize_t pos = 0;
    PyObject *key;
    Py_hash_t hash;
    for (Py_ssize_t i = 0; i < n && _PySet_NextEntry(s, &pos, &key, &hash) == 1; i++) {
        if (PyList_Append(first, key) < 0) {
            goto error;
        }
    }
    pos = 0;
    while (_PySet_NextEntry(s, &pos, &key, &hash) == 1) {
        if (PyList_Append(second, key) < 0) {
            goto error;
        }
    }
    return Py_BuildValue("(NN)", first, second);
error:
    Py_XDECREF(first);
    Py_XDECREF(second);
    return NULL;
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
    {"set_nextentry_all", set_nextentry_all, METH_O, NULL},
    {"set_nextentry_nested", set_nextentry_nested, METH_O, NULL},
    {"set_nextentry_restart", set_nextentry_restart, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_set(PyObject *m)
{
    return PyModule_AddFunctions(m, set_methods);
}
