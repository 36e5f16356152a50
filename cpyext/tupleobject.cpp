// tuple: PyTupleObject with inline ob_item, items owned. Mirrors Objects/tupleobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstdarg>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "tupleobject"

using namespace ferry;

namespace ferry {

PyObject *tuple_alloc(PyTypeObject *type, Py_ssize_t n) {
    if (n > (PY_SSIZE_T_MAX - (Py_ssize_t)sizeof(PyTupleObject)) / (Py_ssize_t)sizeof(PyObject *))
        return PyErr_NoMemory();
    return reinterpret_cast<PyObject *>(alloc_var_object(
        type, offsetof(PyTupleObject, ob_item) + (n ? n : 1) * sizeof(PyObject *), n));
}

} // namespace ferry

PyObject *PyTuple_New(Py_ssize_t n) {
    FERRY_API;
    if (n < 0) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    return tuple_alloc(&PyTuple_Type, n);
}

Py_ssize_t PyTuple_Size(PyObject *t) {
    FERRY_API;
    if (!PyTuple_Check(t)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return PyTuple_GET_SIZE(t);
}

PyObject *PyTuple_GetItem(PyObject *t, Py_ssize_t i) {
    FERRY_API;
    if (!PyTuple_Check(t)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    if (i < 0 || i >= PyTuple_GET_SIZE(t)) {
        PyErr_SetString(PyExc_IndexError, "tuple index out of range");
        return nullptr;
    }
    return PyTuple_GET_ITEM(t, i);
}

int PyTuple_SetItem(PyObject *t, Py_ssize_t i, PyObject *v) {
    FERRY_API;
    // A tuple with a managed counterpart is shared with the host, whatever its count.
    if (!PyTuple_Check(t) || Py_REFCNT(t) != 1 || header_of(t)->managed) {
        Py_XDECREF(v);
        PyErr_BadInternalCall();
        return -1;
    }
    if (i < 0 || i >= PyTuple_GET_SIZE(t)) {
        Py_XDECREF(v);
        PyErr_SetString(PyExc_IndexError, "tuple assignment index out of range");
        return -1;
    }
    PyObject *old = PyTuple_GET_ITEM(t, i);
    PyTuple_SET_ITEM(t, i, v);
    Py_XDECREF(old);
    return 0;
}

PyObject *PyTuple_GetSlice(PyObject *t, Py_ssize_t lo, Py_ssize_t hi) {
    FERRY_API;
    if (!PyTuple_Check(t)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(t);
    lo = lo < 0 ? 0 : lo > n ? n : lo;
    hi = hi < lo ? lo : hi > n ? n : hi;
    if (lo == 0 && hi == n && PyTuple_CheckExact(t))
        return Py_NewRef(t);
    PyObject *r = PyTuple_New(hi - lo);
    for (Py_ssize_t i = lo; r && i < hi; i++)
        PyTuple_SET_ITEM(r, i - lo, Py_NewRef(PyTuple_GET_ITEM(t, i)));
    return r;
}

PyObject *PyTuple_Pack(Py_ssize_t n, ...) {
    FERRY_API;
    PyObject *t = PyTuple_New(n);
    if (!t)
        return nullptr;
    va_list va;
    va_start(va, n);
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, Py_NewRef(va_arg(va, PyObject *)));
    va_end(va);
    return t;
}

int _PyTuple_Resize(PyObject **pt, Py_ssize_t n) {
    FERRY_API;
    PyObject *t = *pt;
    if (!t || !PyTuple_Check(t) || Py_REFCNT(t) != 1 || header_of(t)->managed || n < 0) {
        *pt = nullptr;
        Py_XDECREF(t);
        PyErr_BadInternalCall();
        return -1;
    }
    PyObject *r = PyTuple_New(n);
    if (!r) {
        *pt = nullptr;
        Py_DECREF(t);
        return -1;
    }
    Py_ssize_t old = PyTuple_GET_SIZE(t);
    for (Py_ssize_t i = 0; i < old; i++) {
        if (i < n)
            PyTuple_SET_ITEM(r, i, PyTuple_GET_ITEM(t, i));
        else
            Py_XDECREF(PyTuple_GET_ITEM(t, i));
        PyTuple_SET_ITEM(t, i, nullptr);
    }
    Py_DECREF(t);
    *pt = r;
    return 0;
}
