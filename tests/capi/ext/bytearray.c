/* bytearray objects: PyByteArray_* from Objects/bytearrayobject.c.
 *
 * Mirrors CPython's Modules/_testcapi/bytearray.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "ferrytest.h"

/* data None means NULL: `size` bytes, filled here with 'x'. */
static PyObject *
bytearray_fromstringandsize(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    Py_ssize_t buflen, size;
    if (!PyArg_ParseTuple(args, "z#n", &s, &buflen, &size)) {
        return NULL;
    }
    if (s != NULL && size > buflen) {
        PyErr_SetString(PyExc_ValueError, "size larger than the buffer");
        return NULL;
    }
    PyObject *b = PyByteArray_FromStringAndSize(s, size);
    if (b != NULL && s == NULL && size > 0) {
        memset(PyByteArray_AS_STRING(b), 'x', (size_t)size);
    }
    return b;
}

static PyObject *
bytearray_fromobject(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyByteArray_FromObject(o);
}

/* AsString, Size and Resize do not check the type in a release build of
 * CPython (only an assert): non-bytearrays are refused by the wrappers. */
static int
require_bytearray(PyObject *o)
{
    if (!PyByteArray_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "test needs a bytearray");
        return -1;
    }
    return 0;
}

/* NULL-terminated: copied out up to the first NUL. */
static PyObject *
bytearray_asstring(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (require_bytearray(o) < 0) {
        return NULL;
    }
    const char *s = PyByteArray_AsString(o);
    if (s == NULL) {
        return NULL;
    }
    return PyBytes_FromString(s);
}

static PyObject *
bytearray_size(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (require_bytearray(o) < 0) {
        return NULL;
    }
    RETURN_SIZE(PyByteArray_Size(o));
}

static PyObject *
bytearray_macros(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyByteArray_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "test needs a bytearray");
        return NULL;
    }
    return Py_BuildValue("(ny#)", PyByteArray_GET_SIZE(o),
                         PyByteArray_AS_STRING(o), PyByteArray_GET_SIZE(o));
}

static PyObject *
bytearray_concat(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    return PyByteArray_Concat(a, b);
}

/* Resizes in place; growing leaves the new bytes unspecified, so the test
 * only reads the old prefix. A negative size is not passed (CPython only
 * asserts against it). */
static PyObject *
bytearray_resize(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "On", &o, &size)) {
        return NULL;
    }
    if (require_bytearray(o) < 0) {
        return NULL;
    }
    RETURN_INT(PyByteArray_Resize(o, size));
}

/* Writes through the AS_STRING pointer, then returns the object. */
static PyObject *
bytearray_write(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t i;
    int ch;
    if (!PyArg_ParseTuple(args, "O!nb", &PyByteArray_Type, &o, &i, &ch)) {
        return NULL;
    }
    if (i < 0 || i >= PyByteArray_GET_SIZE(o)) {
        PyErr_SetString(PyExc_IndexError, "test index out of range");
        return NULL;
    }
    PyByteArray_AS_STRING(o)[i] = (char)ch;
    return Py_NewRef(o);
}

static PyMethodDef bytearray_methods[] = {
    {"bytearray_fromstringandsize", bytearray_fromstringandsize, METH_VARARGS, NULL},
    {"bytearray_fromobject", bytearray_fromobject, METH_O, NULL},
    {"bytearray_asstring", bytearray_asstring, METH_O, NULL},
    {"bytearray_size", bytearray_size, METH_O, NULL},
    {"bytearray_macros", bytearray_macros, METH_O, NULL},
    {"bytearray_concat", bytearray_concat, METH_VARARGS, NULL},
    {"bytearray_resize", bytearray_resize, METH_VARARGS, NULL},
    {"bytearray_write", bytearray_write, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_bytearray(PyObject *m)
{
    return PyModule_AddFunctions(m, bytearray_methods);
}
