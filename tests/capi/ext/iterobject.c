/* Iterators, from Objects/iterobject.c: PySeqIter_New. Any object is
 * accepted (CPython checks nothing when making the iterator); NULL would
 * crash CPython.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

static PyObject *
seqiter_new(PyObject *Py_UNUSED(m), PyObject *seq)
{
    return PySeqIter_New(seq);
}

/* Iterates PySeqIter_New(seq) from C with PyIter_Next, into a list. */
static PyObject *
seqiter_collect(PyObject *Py_UNUSED(m), PyObject *seq)
{
    PyObject *it = PySeqIter_New(seq);
    if (it == NULL) {
        return NULL;
    }
    PyObject *list = PyList_New(0);
    PyObject *item;
    while (list != NULL && (item = PyIter_Next(it)) != NULL) {
        if (PyList_Append(list, item) < 0) {
            Py_CLEAR(list);
        }
        Py_DECREF(item);
    }
    Py_DECREF(it);
    if (list != NULL && PyErr_Occurred()) {
        Py_CLEAR(list);
    }
    return list;
}

static PyMethodDef iterobject_methods[] = {
    {"seqiter_new", seqiter_new, METH_O, NULL},
    {"seqiter_collect", seqiter_collect, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_iterobject(PyObject *m)
{
    return PyModule_AddFunctions(m, iterobject_methods);
}
