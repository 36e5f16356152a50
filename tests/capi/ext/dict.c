/* dict objects: PyDict_* from Objects/dictobject.c.
 *
 * Mirrors CPython's Modules/_testcapi/dict.c. Lookups that return a borrowed
 * NULL without an exception answer the sentinel _ferrytest.NULL.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

static PyObject *
dict_new(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyDict_New();
}

/* A dict built in C from alternating keys and values of a tuple. */
static PyObject *
dict_build(PyObject *Py_UNUSED(m), PyObject *items)
{
    if (!PyTuple_Check(items) || PyTuple_GET_SIZE(items) % 2) {
        PyErr_SetString(PyExc_TypeError, "test needs a tuple of even length");
        return NULL;
    }
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(items); i += 2) {
        if (PyDict_SetItem(d, PyTuple_GET_ITEM(items, i),
                           PyTuple_GET_ITEM(items, i + 1)) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

/* PyDict_GetItem swallows errors (unhashable key, failing __eq__) and
 * accepts non-dicts (returning NULL). */
static PyObject *
dict_getitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    PyObject *v = PyDict_GetItem(d, key);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyDict_GetItem");
    }
    return ferrytest_borrowed_or_null(v);
}

static PyObject *
dict_getitemwitherror(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(PyDict_GetItemWithError(d, key));
}

static PyObject *
dict_getitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d;
    const char *key;
    if (!PyArg_ParseTuple(args, "Oy", &d, &key)) {
        return NULL;
    }
    PyObject *v = PyDict_GetItemString(d, key);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyDict_GetItemString");
    }
    return ferrytest_borrowed_or_null(v);
}

/* Non-dict: SystemError. NULL key/value crash CPython: not passed. */
static PyObject *
dict_setitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key, *value;
    if (!PyArg_ParseTuple(args, "OOO", &d, &key, &value)) {
        return NULL;
    }
    RETURN_INT(PyDict_SetItem(d, key, value));
}

static PyObject *
dict_setitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *value;
    const char *key;
    if (!PyArg_ParseTuple(args, "OyO", &d, &key, &value)) {
        return NULL;
    }
    RETURN_INT(PyDict_SetItemString(d, key, value));
}

static PyObject *
dict_delitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    RETURN_INT(PyDict_DelItem(d, key));
}

static PyObject *
dict_delitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d;
    const char *key;
    if (!PyArg_ParseTuple(args, "Oy", &d, &key)) {
        return NULL;
    }
    RETURN_INT(PyDict_DelItemString(d, key));
}

/* Non-dict crashes CPython (no type check): only dicts are passed. */
static PyObject *
dict_contains(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "O!O", &PyDict_Type, &d, &key)) {
        return NULL;
    }
    RETURN_INT(PyDict_Contains(d, key));
}

/* Non-dict: SystemError. */
static PyObject *
dict_size(PyObject *Py_UNUSED(m), PyObject *d)
{
    RETURN_SIZE(PyDict_Size(d));
}

static PyObject *
dict_get_size_macro(PyObject *Py_UNUSED(m), PyObject *d)
{
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "test needs a dict");
        return NULL;
    }
    return PyLong_FromSsize_t(PyDict_GET_SIZE(d));
}

static PyObject *
dict_keys(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDict_Keys(d);
}

static PyObject *
dict_values(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDict_Values(d);
}

static PyObject *
dict_items(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDict_Items(d);
}

/* The PyDict_Next loop: a list of (pos-independent) (key, value) pairs. */
static PyObject *
dict_next_all(PyObject *Py_UNUSED(m), PyObject *d)
{
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "test needs a dict");
        return NULL;
    }
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(d, &pos, &key, &value)) {
        PyObject *pair = PyTuple_Pack(2, key, value);
        if (pair == NULL || PyList_Append(result, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(pair);
    }
    return result;
}

/* PyDict_Next on a non-dict returns 0. */
static PyObject *
dict_next_nondict(PyObject *Py_UNUSED(m), PyObject *o)
{
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    return PyLong_FromLong(PyDict_Next(o, &pos, &key, &value));
}

/* Non-dicts are silently ignored. */
static PyObject *
dict_clear(PyObject *Py_UNUSED(m), PyObject *d)
{
    PyDict_Clear(d);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
dict_copy(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDict_Copy(d);
}

static PyObject *
dict_update(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    RETURN_INT(PyDict_Update(a, b));
}

static PyObject *
dict_merge(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    int override;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &override)) {
        return NULL;
    }
    RETURN_INT(PyDict_Merge(a, b, override));
}

static PyObject *
dict_mergefromseq2(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    int override;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &override)) {
        return NULL;
    }
    RETURN_INT(PyDict_MergeFromSeq2(a, b, override));
}

static PyObject *
dict_setdefault(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key, *dflt;
    if (!PyArg_ParseTuple(args, "OOO", &d, &key, &dflt)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(PyDict_SetDefault(d, key, dflt));
}

static PyObject *
dictproxy_new(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDictProxy_New(d);
}

static PyObject *
dict_type_exact(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(Py_TYPE(o) == &PyDict_Type);
}

/* Borrowed, NULL without an exception when missing (the NULL sentinel). */
static PyObject *
dict_getitemwitherror_private(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(_PyDict_GetItemWithError(d, key));
}

/* The hash computed by the caller, as Cython does. */
static PyObject *
dict_getitem_knownhash(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    Py_hash_t hash = PyObject_Hash(key);
    if (hash == -1) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(_PyDict_GetItem_KnownHash(d, key, hash));
}

static PyMethodDef dict_methods[] = {
    {"dict_new", dict_new, METH_NOARGS, NULL},
    {"dict_build", dict_build, METH_O, NULL},
    {"dict_getitem", dict_getitem, METH_VARARGS, NULL},
    {"dict_getitemwitherror", dict_getitemwitherror, METH_VARARGS, NULL},
    {"dict_getitemstring", dict_getitemstring, METH_VARARGS, NULL},
    {"dict_setitem", dict_setitem, METH_VARARGS, NULL},
    {"dict_setitemstring", dict_setitemstring, METH_VARARGS, NULL},
    {"dict_delitem", dict_delitem, METH_VARARGS, NULL},
    {"dict_delitemstring", dict_delitemstring, METH_VARARGS, NULL},
    {"dict_contains", dict_contains, METH_VARARGS, NULL},
    {"dict_size", dict_size, METH_O, NULL},
    {"dict_get_size_macro", dict_get_size_macro, METH_O, NULL},
    {"dict_keys", dict_keys, METH_O, NULL},
    {"dict_values", dict_values, METH_O, NULL},
    {"dict_items", dict_items, METH_O, NULL},
    {"dict_next_all", dict_next_all, METH_O, NULL},
    {"dict_next_nondict", dict_next_nondict, METH_O, NULL},
    {"dict_clear", dict_clear, METH_O, NULL},
    {"dict_copy", dict_copy, METH_O, NULL},
    {"dict_update", dict_update, METH_VARARGS, NULL},
    {"dict_merge", dict_merge, METH_VARARGS, NULL},
    {"dict_mergefromseq2", dict_mergefromseq2, METH_VARARGS, NULL},
    {"dict_setdefault", dict_setdefault, METH_VARARGS, NULL},
    {"dictproxy_new", dictproxy_new, METH_O, NULL},
    {"dict_type_exact", dict_type_exact, METH_O, NULL},
    {"dict_getitemwitherror_private", dict_getitemwitherror_private, METH_VARARGS, NULL},
    {"dict_getitem_knownhash", dict_getitem_knownhash, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_dict(PyObject *m)
{
    return PyModule_AddFunctions(m, dict_methods);
}
