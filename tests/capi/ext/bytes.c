/* bytes objects: PyBytes_* from Objects/bytesobject.c, and the buffer
 * protocol (PyObject_GetBuffer / PyBuffer_Release) on bytes.
 *
 * Mirrors CPython's Modules/_testcapi/bytes.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "ferrytest.h"

/* data None means NULL: an uninitialised buffer of `size` bytes, which the
 * wrapper then fills with 'x' through PyBytes_AS_STRING (the usual pattern). */
static PyObject *
bytes_fromstringandsize(PyObject *Py_UNUSED(m), PyObject *args)
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
    PyObject *b = PyBytes_FromStringAndSize(s, size);
    if (b != NULL && s == NULL) {
        char *p = PyBytes_AS_STRING(b);
        memset(p, 'x', (size_t)size);
        if (p[size] != '\0') {
            Py_DECREF(b);
            return ferrytest_missing_error("a bytes buffer without its NUL");
        }
    }
    return b;
}

/* NULL crashes CPython: not passed. */
static PyObject *
bytes_fromstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    if (!PyArg_ParseTuple(args, "y", &s)) {
        return NULL;
    }
    return PyBytes_FromString(s);
}

static PyObject *
bytes_fromobject(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBytes_FromObject(o);
}

/* Copies out what the pointer shows, up to the first NUL. */
static PyObject *
bytes_asstring(PyObject *Py_UNUSED(m), PyObject *o)
{
    const char *s = PyBytes_AsString(o);
    if (s == NULL) {
        return NULL;
    }
    return PyBytes_FromString(s);
}

/* with_size False passes NULL for the size: then embedded NULs are an error. */
static PyObject *
bytes_asstringandsize(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    int with_size = 1;
    if (!PyArg_ParseTuple(args, "O|p", &o, &with_size)) {
        return NULL;
    }
    char *s = NULL;
    Py_ssize_t size = -7;
    if (PyBytes_AsStringAndSize(o, &s, with_size ? &size : NULL) < 0) {
        return NULL;
    }
    if (!with_size) {
        return Py_BuildValue("(yO)", s, Py_None);
    }
    return Py_BuildValue("(y#n)", s, size, size);
}

static PyObject *
bytes_size(PyObject *Py_UNUSED(m), PyObject *o)
{
    RETURN_SIZE(PyBytes_Size(o));
}

/* The macros: exact bytes or subclasses only. */
static PyObject *
bytes_macros(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyBytes_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "test needs bytes");
        return NULL;
    }
    return Py_BuildValue("(ny#)", PyBytes_GET_SIZE(o), PyBytes_AS_STRING(o),
                         PyBytes_GET_SIZE(o));
}

/* PyBytes_Concat(&left, right): left replaced by the result or NULL. */
static PyObject *
bytes_concat(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    Py_INCREF(a);
    PyBytes_Concat(&a, b);
    return a;
}

static PyObject *
bytes_concatanddel(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    Py_INCREF(a);
    Py_INCREF(b);
    PyBytes_ConcatAndDel(&a, b);
    return a;
}

/* _PyBytes_Resize on a fresh object (the only kind it accepts). */
static PyObject *
bytes_resize(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    Py_ssize_t len, newsize;
    if (!PyArg_ParseTuple(args, "y#n", &s, &len, &newsize)) {
        return NULL;
    }
    PyObject *b = PyBytes_FromStringAndSize(s, len);
    if (b == NULL) {
        return NULL;
    }
    if (_PyBytes_Resize(&b, newsize) < 0) {
        return NULL;   /* b was freed and set to NULL */
    }
    if (newsize > len) {
        memset(PyBytes_AS_STRING(b) + len, '.', (size_t)(newsize - len));
    }
    return b;
}

static PyObject *
bytes_fromformat(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    if (!PyArg_ParseTuple(args, "s", &which)) {
        return NULL;
    }
    if (strcmp(which, "ints") == 0) {
        return PyBytes_FromFormat("%d|%ld|%zd|%u|%lu|%zu|%i|%x", -1, LONG_MIN,
                                  PY_SSIZE_T_MAX, 7u, ULONG_MAX, (size_t)0, 3, 255);
    }
    if (strcmp(which, "str") == 0) {
        return PyBytes_FromFormat("[%s][%.2s][%c]", "abc", "xyz", 'q');
    }
    if (strcmp(which, "percent") == 0) {
        return PyBytes_FromFormat("100%%");
    }
    PyErr_Format(PyExc_ValueError, "unknown case %s", which);
    return NULL;
}

static PyObject *
bytes_repr(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    int smartquotes;
    if (!PyArg_ParseTuple(args, "Sp", &o, &smartquotes)) {
        return NULL;
    }
    return PyBytes_Repr(o, smartquotes);
}

/* --- buffer protocol ----------------------------------------------------- */

/* PyObject_GetBuffer(o, &view, flags): returns (contents, len, readonly,
 * itemsize, format, ndim, shape, strides, obj is o), then releases. */
static PyObject *
object_getbuffer(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    int flags;
    if (!PyArg_ParseTuple(args, "Oi", &o, &flags)) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(o, &view, flags) < 0) {
        return NULL;
    }
    PyObject *shape = Py_None, *strides = Py_None;
    PyObject *r = NULL;
    if (view.shape != NULL) {
        shape = Py_BuildValue("(n)", view.shape[0]);
    }
    else {
        Py_INCREF(shape);
    }
    if (view.strides != NULL) {
        strides = Py_BuildValue("(n)", view.strides[0]);
    }
    else {
        Py_INCREF(strides);
    }
    if (shape != NULL && strides != NULL) {
        r = Py_BuildValue("(y#ninziOOi)", (const char *)view.buf, view.len,
                          view.len, view.readonly, view.itemsize,
                          view.format, view.ndim, shape, strides, view.obj == o);
    }
    Py_XDECREF(shape);
    Py_XDECREF(strides);
    PyBuffer_Release(&view);
    if (view.obj != NULL) {
        Py_XDECREF(r);
        return ferrytest_missing_error("a view whose obj survived PyBuffer_Release");
    }
    return r;
}

/* Writes `data` through a writable buffer, at the start. */
static PyObject *
object_getbuffer_write(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *data;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "Oy#", &o, &data, &n)) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(o, &view, PyBUF_WRITABLE) < 0) {
        return NULL;
    }
    if (n > view.len) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "data longer than the buffer");
        return NULL;
    }
    memcpy(view.buf, data, (size_t)n);
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyObject *
object_checkbuffer(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyLong_FromLong(PyObject_CheckBuffer(o));
}

static PyObject *
buffer_flags(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("{sisisisisisisi}",
                         "PyBUF_SIMPLE", PyBUF_SIMPLE,
                         "PyBUF_WRITABLE", PyBUF_WRITABLE,
                         "PyBUF_FORMAT", PyBUF_FORMAT,
                         "PyBUF_ND", PyBUF_ND,
                         "PyBUF_STRIDES", PyBUF_STRIDES,
                         "PyBUF_FULL_RO", PyBUF_FULL_RO,
                         "PyBUF_CONTIG", PyBUF_CONTIG);
}

/* PyBuffer_FillInfo on a C buffer, then a memoryview over it. */
static PyObject *
buffer_fillinfo(PyObject *Py_UNUSED(m), PyObject *args)
{
    int readonly, flags;
    if (!PyArg_ParseTuple(args, "pi", &readonly, &flags)) {
        return NULL;
    }
    static char data[] = "ferry";
    Py_buffer view;
    if (PyBuffer_FillInfo(&view, NULL, data, 5, readonly, flags) < 0) {
        return NULL;
    }
    PyObject *r = Py_BuildValue("(nii)", view.len, view.readonly, view.ndim);
    PyBuffer_Release(&view);
    return r;
}

static PyObject *
bytes_fromformatv_helper(const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    PyObject *res = PyBytes_FromFormatV(format, vargs);
    va_end(vargs);
    return res;
}

/* A fixed set of formats, selected by name. */
static PyObject *
bytes_fromformatv(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    if (!PyArg_ParseTuple(args, "s", &which)) {
        return NULL;
    }
    if (strcmp(which, "mixed") == 0) {
        return bytes_fromformatv_helper("%s|%d|%ld|%zd|%u|%x|%c|%%|%i",
                                        "caf\xc3\xa9", -42, -1234567890L,
                                        (Py_ssize_t)7, 4000000000U, 255, 'Z', 3);
    }
    if (strcmp(which, "precision") == 0) {
        return bytes_fromformatv_helper("[%.3s][%5d]", "abcdef", 42);
    }
    if (strcmp(which, "empty") == 0) {
        return bytes_fromformatv_helper("");
    }
    if (strcmp(which, "bad_char") == 0) {
        return bytes_fromformatv_helper("%c", 256);
    }
    PyErr_SetString(PyExc_ValueError, "unknown format selector");
    return NULL;
}

/* _PyBytes_Join(sep, iterable); sep must be bytes (anything else crashes
 * CPython). */
static PyObject *
bytes_join_private(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *sep, *iterable;
    if (!PyArg_ParseTuple(args, "SO", &sep, &iterable)) {
        return NULL;
    }
    return _PyBytes_Join(sep, iterable);
}

static PyMethodDef bytes_methods[] = {
    {"bytes_fromstringandsize", bytes_fromstringandsize, METH_VARARGS, NULL},
    {"bytes_fromstring", bytes_fromstring, METH_VARARGS, NULL},
    {"bytes_fromobject", bytes_fromobject, METH_O, NULL},
    {"bytes_asstring", bytes_asstring, METH_O, NULL},
    {"bytes_asstringandsize", bytes_asstringandsize, METH_VARARGS, NULL},
    {"bytes_size", bytes_size, METH_O, NULL},
    {"bytes_macros", bytes_macros, METH_O, NULL},
    {"bytes_concat", bytes_concat, METH_VARARGS, NULL},
    {"bytes_concatanddel", bytes_concatanddel, METH_VARARGS, NULL},
    {"bytes_resize", bytes_resize, METH_VARARGS, NULL},
    {"bytes_fromformat", bytes_fromformat, METH_VARARGS, NULL},
    {"bytes_repr", bytes_repr, METH_VARARGS, NULL},
    {"object_getbuffer", object_getbuffer, METH_VARARGS, NULL},
    {"object_getbuffer_write", object_getbuffer_write, METH_VARARGS, NULL},
    {"object_checkbuffer", object_checkbuffer, METH_O, NULL},
    {"buffer_flags", buffer_flags, METH_NOARGS, NULL},
    {"buffer_fillinfo", buffer_fillinfo, METH_VARARGS, NULL},
    {"bytes_fromformatv", bytes_fromformatv, METH_VARARGS, NULL},
    {"bytes_join_private", bytes_join_private, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_bytes(PyObject *m)
{
    return PyModule_AddFunctions(m, bytes_methods);
}
