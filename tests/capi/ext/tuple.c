/* tuple objects: PyTuple_* from Objects/tupleobject.c, including the
 * GET_ITEM / SET_ITEM / GET_SIZE macros that read the struct in place.
 *
 * Mirrors CPython's Modules/_testcapi/tuple.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* PyTuple_New(n) then PyTuple_SET_ITEM for each item of a list. */
static PyObject *
tuple_new_fill(PyObject *Py_UNUSED(m), PyObject *items)
{
    if (!PyList_Check(items)) {
        PyErr_SetString(PyExc_TypeError, "test needs a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(items);
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTuple_SET_ITEM(t, i, Py_NewRef(PyList_GET_ITEM(items, i)));
    }
    return t;
}

/* Same with PyTuple_SetItem, which steals even on failure. */
static PyObject *
tuple_new_setitem(PyObject *Py_UNUSED(m), PyObject *items)
{
    if (!PyList_Check(items)) {
        PyErr_SetString(PyExc_TypeError, "test needs a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(items);
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyTuple_SetItem(t, i, Py_NewRef(PyList_GET_ITEM(items, i))) < 0) {
            Py_DECREF(t);
            return NULL;
        }
    }
    return t;
}

/* PyTuple_New alone: negative sizes fail with SystemError. */
static PyObject *
tuple_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "n", &n)) {
        return NULL;
    }
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        return NULL;
    }
    /* Never hand out NULL items: fill with None. */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTuple_SET_ITEM(t, i, Py_NewRef(Py_None));
    }
    return t;
}

/* Index out of range on a fresh tuple: IndexError, the item is released. */
static PyObject *
tuple_setitem_index(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t size, index;
    if (!PyArg_ParseTuple(args, "nn", &size, &index)) {
        return NULL;
    }
    PyObject *t = PyTuple_New(size);
    if (t == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        PyTuple_SET_ITEM(t, i, PyLong_FromSsize_t(i));
    }
    if (PyTuple_SetItem(t, index, PyUnicode_FromString("new")) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    return t;
}

/* SetItem on a tuple that is not fresh is a SystemError in CPython. */
static PyObject *
tuple_setitem_shared(PyObject *Py_UNUSED(m), PyObject *t)
{
    RETURN_INT(PyTuple_SetItem(t, 0, Py_NewRef(Py_None)));
}

static PyObject *
tuple_pack(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a = NULL, *b = NULL, *c = NULL;
    if (!PyArg_ParseTuple(args, "|OOO", &a, &b, &c)) {
        return NULL;
    }
    switch (PyTuple_GET_SIZE(args)) {
    case 0: return PyTuple_Pack(0);
    case 1: return PyTuple_Pack(1, a);
    case 2: return PyTuple_Pack(2, a, b);
    default: return PyTuple_Pack(3, a, b, c);
    }
}

static PyObject *
tuple_size(PyObject *Py_UNUSED(m), PyObject *o)
{
    RETURN_SIZE(PyTuple_Size(o));
}

/* Borrowed reference: returned with a new reference. */
static PyObject *
tuple_getitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *t;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "On", &t, &i)) {
        return NULL;
    }
    PyObject *item = PyTuple_GetItem(t, i);
    if (item == NULL) {
        return PyErr_Occurred() ? NULL : ferrytest_missing_error("NULL");
    }
    return Py_NewRef(item);
}

/* The macros read any tuple (or subclass) in place; the test only passes
 * tuples and in-range indices. */
static PyObject *
tuple_macros(PyObject *Py_UNUSED(m), PyObject *t)
{
    if (!PyTuple_Check(t)) {
        PyErr_SetString(PyExc_TypeError, "test needs a tuple");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(t);
    PyObject *items = PyList_New(n);
    if (items == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyList_SET_ITEM(items, i, Py_NewRef(PyTuple_GET_ITEM(t, i)));
    }
    return Py_BuildValue("(nN)", n, items);
}

static PyObject *
tuple_getslice(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *t;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "Onn", &t, &lo, &hi)) {
        return NULL;
    }
    return PyTuple_GetSlice(t, lo, hi);
}

/* _PyTuple_Resize on a fresh tuple (Cython uses it): new slots are NULL and
 * are filled with None before the tuple is returned. */
static PyObject *
tuple_resize(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *src;
    Py_ssize_t newsize;
    if (!PyArg_ParseTuple(args, "O!n", &PyTuple_Type, &src, &newsize)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(src);
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTuple_SET_ITEM(t, i, Py_NewRef(PyTuple_GET_ITEM(src, i)));
    }
    if (_PyTuple_Resize(&t, newsize) < 0) {
        return NULL;
    }
    for (Py_ssize_t i = n; i < newsize; i++) {
        PyTuple_SET_ITEM(t, i, Py_NewRef(Py_None));
    }
    return t;
}

/* tuple_self(): a 1-tuple made in C that holds itself. */
static PyObject *
tuple_self(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *t = PyTuple_New(1);
    if (t != NULL) {
        PyTuple_SET_ITEM(t, 0, Py_NewRef(t));
    }
    return t;
}

static PyMethodDef tuple_methods[] = {
    {"tuple_new_fill", tuple_new_fill, METH_O, NULL},
    {"tuple_new_setitem", tuple_new_setitem, METH_O, NULL},
    {"tuple_new", tuple_new, METH_VARARGS, NULL},
    {"tuple_self", tuple_self, METH_NOARGS, NULL},
    {"tuple_setitem_index", tuple_setitem_index, METH_VARARGS, NULL},
    {"tuple_setitem_shared", tuple_setitem_shared, METH_O, NULL},
    {"tuple_pack", tuple_pack, METH_VARARGS, NULL},
    {"tuple_size", tuple_size, METH_O, NULL},
    {"tuple_getitem", tuple_getitem, METH_VARARGS, NULL},
    {"tuple_macros", tuple_macros, METH_O, NULL},
    {"tuple_getslice", tuple_getslice, METH_VARARGS, NULL},
    {"tuple_resize", tuple_resize, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_tuple(PyObject *m)
{
    return PyModule_AddFunctions(m, tuple_methods);
}
