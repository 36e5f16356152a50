/* Iterators, from Objects/iterobject.c: PySeqIter_New. Any object is
 * accepted (CPython checks nothing when making the iterator); NULL would
 * crash CPython. And the iterators of lists and tuples (PyListIter_Type,
 * PyTupleIter_Type) as PyObject_GetIter gives them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

static PyObject *
seqiter_new(PyObject *Py_UNUSED(m), PyObject *seq)
{
    return PySeqIter_New(seq);
}

/* The items PyIter_Next gives, into a list (it: consumed; NULL passes). */
static PyObject *
collect(PyObject *it)
{
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

/* Iterates PySeqIter_New(seq) from C with PyIter_Next, into a list. */
static PyObject *
seqiter_collect(PyObject *Py_UNUSED(m), PyObject *seq)
{
    return collect(PySeqIter_New(seq));
}

/* A list made here with the items of the list given (or the tuple, or any
 * other object, given), its iterator: (Py_IS_TYPE list_iterator,
 * Py_IS_TYPE tuple_iterator, PyObject_GetIter(it) is it, the first `take`
 * items read with PyIter_Next, the iterator). `grow`: each item read appends
 * its negation to the list while there are fewer than 6 items (CPython's
 * iterator sees them). */
static PyObject *
seqiter_walk(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *seq;
    int take, grow;
    if (!PyArg_ParseTuple(args, "Oii", &seq, &take, &grow)) {
        return NULL;
    }
    PyObject *s;
    if (PyList_CheckExact(seq)) {
        s = PyList_New(PyList_GET_SIZE(seq));
        for (Py_ssize_t i = 0; s != NULL && i < PyList_GET_SIZE(seq); i++) {
            PyList_SET_ITEM(s, i, Py_NewRef(PyList_GET_ITEM(seq, i)));
        }
    }
    else {
        s = Py_NewRef(seq);
    }
    PyObject *it = s ? PyObject_GetIter(s) : NULL;
    if (it == NULL) {
        Py_XDECREF(s);
        return NULL;
    }
    PyObject *again = PyObject_GetIter(it);
    int self_iter = again == it;
    Py_XDECREF(again);
    PyObject *items = PyList_New(0);
    for (int i = 0; items != NULL && i < take; i++) {
        PyObject *item = PyIter_Next(it);
        if (item == NULL) {
            break;
        }
        if (PyList_Append(items, item) < 0) {
            Py_CLEAR(items);
        }
        if (items != NULL && grow && PyList_Check(s) && PyList_GET_SIZE(s) < 6) {
            PyObject *neg = PyNumber_Negative(item);
            if (neg == NULL || PyList_Append(s, neg) < 0) {
                Py_CLEAR(items);
            }
            Py_XDECREF(neg);
        }
        Py_DECREF(item);
    }
    PyObject *r = items != NULL && !PyErr_Occurred()
        ? Py_BuildValue("(iiiNO)", Py_IS_TYPE(it, &PyListIter_Type), Py_IS_TYPE(it, &PyTupleIter_Type),
                        self_iter, items, it)
        : NULL;
    if (r == NULL) {
        Py_XDECREF(items);
    }
    Py_DECREF(it);
    Py_DECREF(s);
    return r;
}

/* PyObject_GetIter(o) walked with PyIter_Next, into a list. */
static PyObject *
iter_collect(PyObject *Py_UNUSED(m), PyObject *o)
{
    return collect(PyObject_GetIter(o));
}

/* PyObject_GetIter(seq) walked with PyIter_Next for at most `take` items,
 * calling f(item) after each (Python code that may change seq): (the items,
 * the iterator). */
static PyObject *
iter_call_each(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *seq, *f;
    int take;
    if (!PyArg_ParseTuple(args, "OOi", &seq, &f, &take)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    PyObject *items = PyList_New(0);
    for (int i = 0; items != NULL && i < take; i++) {
        PyObject *item = PyIter_Next(it);
        if (item == NULL) {
            break;
        }
        PyObject *r = PyList_Append(items, item) < 0 ? NULL : PyObject_CallOneArg(f, item);
        if (r == NULL) {
            Py_CLEAR(items);
        }
        Py_XDECREF(r);
        Py_DECREF(item);
    }
    PyObject *r = items != NULL && !PyErr_Occurred() ? Py_BuildValue("(NO)", items, it) : NULL;
    if (r == NULL) {
        Py_XDECREF(items);
    }
    Py_DECREF(it);
    return r;
}

/* Py_IS_TYPE(o, &PyListIter_Type): an iterator made by Python code. */
static PyObject *
seqiter_is_list_iterator(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(Py_IS_TYPE(o, &PyListIter_Type));
}

static PyMethodDef iterobject_methods[] = {
    {"seqiter_walk", seqiter_walk, METH_VARARGS, NULL},
    {"iter_collect", iter_collect, METH_O, NULL},
    {"iter_call_each", iter_call_each, METH_VARARGS, NULL},
    {"seqiter_is_list_iterator", seqiter_is_list_iterator, METH_O, NULL},
    {"seqiter_new", seqiter_new, METH_O, NULL},
    {"seqiter_collect", seqiter_collect, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_iterobject(PyObject *m)
{
    return PyModule_AddFunctions(m, iterobject_methods);
}
