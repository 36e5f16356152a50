/* slice objects: PySlice_* from Objects/sliceobject.c.
 *
 * Mirrors CPython's Modules/_testcapi/slice.c (3.13's, as 3.11 has none).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* Each of start, stop, step: None means NULL, which becomes None. */
static PyObject *
slice_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *start, *stop, *step;
    if (!PyArg_ParseTuple(args, "OOO", &start, &stop, &step)) {
        return NULL;
    }
    NULLABLE(start);
    NULLABLE(stop);
    NULLABLE(step);
    return PySlice_New(start, stop, step);
}

/* (start, stop, step, slicelength) */
static PyObject *
slice_getindicesex(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *slice;
    Py_ssize_t length;
    if (!PyArg_ParseTuple(args, "O!n", &PySlice_Type, &slice, &length)) {
        return NULL;
    }
    Py_ssize_t start, stop, step, slicelength;
    if (PySlice_GetIndicesEx(slice, length, &start, &stop, &step,
                             &slicelength) < 0) {
        return NULL;
    }
    return Py_BuildValue("(nnnn)", start, stop, step, slicelength);
}

static PyObject *
slice_getindices(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *slice;
    Py_ssize_t length;
    if (!PyArg_ParseTuple(args, "O!n", &PySlice_Type, &slice, &length)) {
        return NULL;
    }
    Py_ssize_t start, stop, step;
    if (PySlice_GetIndices(slice, length, &start, &stop, &step) < 0) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_RETURN_NONE;   /* -1 without an exception: index out of range */
    }
    return Py_BuildValue("(nnn)", start, stop, step);
}

static PyObject *
slice_unpack(PyObject *Py_UNUSED(m), PyObject *slice)
{
    if (!PySlice_Check(slice)) {
        PyErr_SetString(PyExc_TypeError, "test needs a slice");
        return NULL;
    }
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(slice, &start, &stop, &step) < 0) {
        return NULL;
    }
    return Py_BuildValue("(nnn)", start, stop, step);
}

/* (new start, new stop, slicelength) */
static PyObject *
slice_adjustindices(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t length, start, stop, step;
    if (!PyArg_ParseTuple(args, "nnnn", &length, &start, &stop, &step)) {
        return NULL;
    }
    if (step == 0) {
        PyErr_SetString(PyExc_ValueError, "step 0 is undefined here");
        return NULL;
    }
    Py_ssize_t n = PySlice_AdjustIndices(length, &start, &stop, step);
    return Py_BuildValue("(nnn)", start, stop, n);
}

static PyObject *
slice_attributes(PyObject *Py_UNUSED(m), PyObject *slice)
{
    if (!PySlice_Check(slice)) {
        PyErr_SetString(PyExc_TypeError, "test needs a slice");
        return NULL;
    }
    PyObject *start = PyObject_GetAttrString(slice, "start");
    PyObject *stop = PyObject_GetAttrString(slice, "stop");
    PyObject *step = PyObject_GetAttrString(slice, "step");
    if (start == NULL || stop == NULL || step == NULL) {
        Py_XDECREF(start);
        Py_XDECREF(stop);
        Py_XDECREF(step);
        return NULL;
    }
    return Py_BuildValue("(NNN)", start, stop, step);
}

static PyObject *
slice_types(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(OO)", (PyObject *)&PySlice_Type, Py_Ellipsis);
}

/* The exported function (the 3.11 header replaces the name by a macro). */
static PyObject *
slice_getindicesex_function(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *slice;
    Py_ssize_t length;
    if (!PyArg_ParseTuple(args, "O!n", &PySlice_Type, &slice, &length)) {
        return NULL;
    }
    Py_ssize_t start, stop, step, slicelength;
_Pragma("GCC diagnostic push")
_Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
    int rc = (PySlice_GetIndicesEx)(slice, length, &start, &stop, &step,
                                    &slicelength);
_Pragma("GCC diagnostic pop")
    if (rc < 0) {
        if (!PyErr_Occurred()) {
            return ferrytest_missing_error("-1");
        }
        return NULL;
    }
    return Py_BuildValue("(nnnn)", start, stop, step, slicelength);
}

static PyObject *
slice_fromindices(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t start, stop;
    if (!PyArg_ParseTuple(args, "nn", &start, &stop)) {
        return NULL;
    }
    return _PySlice_FromIndices(start, stop);
}

/* _PyEval_SliceIndex(v, &i), or _PyEval_SliceIndexNotNone when not_none is
 * true, with i preset to 12345 (None leaves it):
 * (returned value, i). */
static PyObject *
slice_evalindex(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *v;
    int not_none = 0;
    if (!PyArg_ParseTuple(args, "O|p", &v, &not_none)) {
        return NULL;
    }
    Py_ssize_t i = 12345;
    int r = not_none ? _PyEval_SliceIndexNotNone(v, &i) : _PyEval_SliceIndex(v, &i);
    if (r == 0) {
        if (!PyErr_Occurred()) {
            return ferrytest_missing_error("0");
        }
        return NULL;
    }
    return Py_BuildValue("(in)", r, i);
}

static PyMethodDef slice_methods[] = {
    {"slice_new", slice_new, METH_VARARGS, NULL},
    {"slice_getindicesex", slice_getindicesex, METH_VARARGS, NULL},
    {"slice_getindices", slice_getindices, METH_VARARGS, NULL},
    {"slice_unpack", slice_unpack, METH_O, NULL},
    {"slice_adjustindices", slice_adjustindices, METH_VARARGS, NULL},
    {"slice_attributes", slice_attributes, METH_O, NULL},
    {"slice_types", slice_types, METH_NOARGS, NULL},
    {"slice_getindicesex_function", slice_getindicesex_function, METH_VARARGS, NULL},
    {"slice_fromindices", slice_fromindices, METH_VARARGS, NULL},
    {"slice_evalindex", slice_evalindex, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_slice(PyObject *m)
{
    return PyModule_AddFunctions(m, slice_methods);
}
