/* Bound methods, from Objects/classobject.c: PyMethod_New, PyMethod_Function,
 * PyMethod_Self and the macros PyMethod_Check, PyMethod_GET_FUNCTION,
 * PyMethod_GET_SELF, used the way Cython unpacks `obj.meth` before calling
 * (the function with self as first argument).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* PyMethod_New(func, self). NULL self is refused (SystemError): see
 * method_new_null. NULL func would crash CPython. */
static PyObject *
method_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *func, *self;
    if (!PyArg_ParseTuple(args, "OO", &func, &self)) {
        return NULL;
    }
    return PyMethod_New(func, self);
}

static PyObject *
method_new_null(PyObject *Py_UNUSED(m), PyObject *func)
{
    return PyMethod_New(func, NULL);
}

/* PyMethod_Function / PyMethod_Self: borrowed; SystemError for a non-method. */
static PyObject *
method_function(PyObject *Py_UNUSED(m), PyObject *o)
{
    return ferrytest_borrowed_or_null(PyMethod_Function(o));
}

static PyObject *
method_self(PyObject *Py_UNUSED(m), PyObject *o)
{
    return ferrytest_borrowed_or_null(PyMethod_Self(o));
}

/* (PyMethod_Check(o),) and, for a method, PyMethod_GET_FUNCTION and
 * PyMethod_GET_SELF, and whether they are the same objects as
 * PyMethod_Function / PyMethod_Self return. */
static PyObject *
method_macros(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyMethod_Check(o)) {
        return Py_BuildValue("(i)", 0);
    }
    PyObject *func = PyMethod_GET_FUNCTION(o), *self = PyMethod_GET_SELF(o);
    return Py_BuildValue("(iOOii)", 1, func, self, func == PyMethod_Function(o),
                         self == PyMethod_Self(o));
}

/* Cython's call of an attribute (__Pyx_PyObject_Call after unpacking): a
 * bound method is called as function(self, *args); anything else as
 * callable(*args). Returns (unpacked, result). */
static PyObject *
method_unpack_call(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *callargs;
    if (!PyArg_ParseTuple(args, "OO!", &callable, &PyTuple_Type, &callargs)) {
        return NULL;
    }
    int unpacked = 0;
    PyObject *result;
    if (PyMethod_Check(callable) && PyMethod_GET_SELF(callable) != NULL) {
        PyObject *function = PyMethod_GET_FUNCTION(callable);
        PyObject *self = PyMethod_GET_SELF(callable);
        Py_ssize_t n = PyTuple_GET_SIZE(callargs);
        PyObject *full = PyTuple_New(n + 1);
        if (full == NULL) {
            return NULL;
        }
        PyTuple_SET_ITEM(full, 0, Py_NewRef(self));
        for (Py_ssize_t i = 0; i < n; i++) {
            PyTuple_SET_ITEM(full, i + 1, Py_NewRef(PyTuple_GET_ITEM(callargs, i)));
        }
        unpacked = 1;
        result = PyObject_Call(function, full, NULL);
        Py_DECREF(full);
    }
    else {
        result = PyObject_Call(callable, callargs, NULL);
    }
    if (result == NULL) {
        return NULL;
    }
    return Py_BuildValue("(iN)", unpacked, result);
}

/* PyMethod_New(func, self) called from C with args (a tuple) and kwargs
 * (a dict or None). */
static PyObject *
method_new_call(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *func, *self, *callargs, *kwargs;
    if (!PyArg_ParseTuple(args, "OOO!O", &func, &self, &PyTuple_Type, &callargs, &kwargs)) {
        return NULL;
    }
    NULLABLE(kwargs);
    PyObject *meth = PyMethod_New(func, self);
    if (meth == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_Call(meth, callargs, kwargs);
    Py_DECREF(meth);
    return r;
}

static PyMethodDef classobject_methods[] = {
    {"method_new", method_new, METH_VARARGS, NULL},
    {"method_new_null", method_new_null, METH_O, NULL},
    {"method_function", method_function, METH_O, NULL},
    {"method_self", method_self, METH_O, NULL},
    {"method_macros", method_macros, METH_O, NULL},
    {"method_unpack_call", method_unpack_call, METH_VARARGS, NULL},
    {"method_new_call", method_new_call, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_classobject(PyObject *m)
{
    return PyModule_AddFunctions(m, classobject_methods);
}
