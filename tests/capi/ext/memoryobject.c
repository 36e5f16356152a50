/* memoryview objects: PyMemoryView_* from Objects/memoryobject.c
 * (FromMemory, FromObject, GetContiguous), and
 * PyBuffer_IsContiguous from Objects/abstract.c.
 *
 * Mirrors CPython's Modules/_testcapi/buffer.c helpers.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "ferrytest.h"

/* C memory that outlives every view made of it. */
static char memory[16] = "ferry memory";

static PyObject *
memoryview_frommemory(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t size;
    int write;
    if (!PyArg_ParseTuple(args, "np", &size, &write)) {
        return NULL;
    }
    if (size < 0 || size > (Py_ssize_t)sizeof(memory)) {
        PyErr_SetString(PyExc_ValueError, "test memory holds 0..16 bytes");
        return NULL;
    }
    return PyMemoryView_FromMemory(memory, size, write ? PyBUF_WRITE : PyBUF_READ);
}

/* What the C side sees in the memory now; reset it with `reset`. */
static PyObject *
memoryview_memory(PyObject *Py_UNUSED(m), PyObject *args)
{
    int reset = 0;
    if (!PyArg_ParseTuple(args, "|p", &reset)) {
        return NULL;
    }
    if (reset) {
        memset(memory, 0, sizeof(memory));
        memcpy(memory, "ferry memory", 12);
    }
    return PyBytes_FromStringAndSize(memory, sizeof(memory));
}

static PyObject *
memoryview_fromobject(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyMemoryView_FromObject(o);
}

/* PyBuffer_IsContiguous for 'C', 'F' and 'A' on a strided buffer of `o`. */
static PyObject *
buffer_iscontiguous(PyObject *Py_UNUSED(m), PyObject *o)
{
    Py_buffer view;
    if (PyObject_GetBuffer(o, &view, PyBUF_FULL_RO) < 0) {
        return NULL;
    }
    PyObject *res = Py_BuildValue("(iii)", PyBuffer_IsContiguous(&view, 'C'),
                                  PyBuffer_IsContiguous(&view, 'F'),
                                  PyBuffer_IsContiguous(&view, 'A'));
    PyBuffer_Release(&view);
    return res;
}

/* PyMemoryView_GetContiguous(o, PyBUF_WRITE if write else PyBUF_READ,
 * order). order must be one of 'C', 'F', 'A' and the buffer type READ or
 * WRITE: CPython only asserts them. */
static PyObject *
memoryview_getcontiguous(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    int write, order;
    if (!PyArg_ParseTuple(args, "OpC", &o, &write, &order)) {
        return NULL;
    }
    if (order != 'C' && order != 'F' && order != 'A') {
        PyErr_SetString(PyExc_ValueError, "test takes order 'C', 'F' or 'A'");
        return NULL;
    }
    return PyMemoryView_GetContiguous(o, write ? PyBUF_WRITE : PyBUF_READ, (char)order);
}

/* Pixels: a type of C exporting its own 2x3 bytes (matplotlib's renderers). */
typedef struct {
    PyObject_HEAD
    unsigned char data[6];
    Py_ssize_t shape[2];
    Py_ssize_t strides[2];
    int exports;
} PixelsObject;

static PyObject *
pixels_new(PyTypeObject *type, PyObject *Py_UNUSED(args), PyObject *Py_UNUSED(kwds))
{
    PixelsObject *self = (PixelsObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        for (int i = 0; i < 6; i++) {
            self->data[i] = (unsigned char)(10 * i);
        }
        self->shape[0] = 2;
        self->shape[1] = 3;
        self->strides[0] = 3;
        self->strides[1] = 1;
    }
    return (PyObject *)self;
}

static int
pixels_getbuffer(PyObject *op, Py_buffer *view, int flags)
{
    PixelsObject *self = (PixelsObject *)op;
    view->obj = Py_NewRef(op);
    view->buf = self->data;
    view->len = 6;
    view->readonly = 0;
    view->itemsize = 1;
    view->format = (flags & PyBUF_FORMAT) ? "B" : NULL;
    view->ndim = 2;
    view->shape = (flags & PyBUF_ND) ? self->shape : NULL;
    view->strides = (flags & PyBUF_STRIDES) ? self->strides : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    self->exports++;
    return 0;
}

static void
pixels_releasebuffer(PyObject *op, Py_buffer *Py_UNUSED(view))
{
    ((PixelsObject *)op)->exports--;
}

static PyObject *
pixels_exports(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(((PixelsObject *)op)->exports);
}

static PyMethodDef pixels_methods[] = {
    {"exports", pixels_exports, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyBufferProcs pixels_as_buffer = {pixels_getbuffer, pixels_releasebuffer};

static PyTypeObject Pixels_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Pixels",
    .tp_basicsize = sizeof(PixelsObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = pixels_new,
    .tp_as_buffer = &pixels_as_buffer,
    .tp_methods = pixels_methods,
};

/* memoryview_view(o): PyMemoryView_FromObject(o) read with
 * PyMemoryView_GET_BUFFER, as numpy reads one: (len, ndim, shape, itemsize,
 * readonly, format, contents, the view's object is o, no suboffsets, the
 * memory o exports itself). */
static PyObject *
memoryview_view(PyObject *Py_UNUSED(m), PyObject *o)
{
    PyObject *mv = PyMemoryView_FromObject(o);
    if (mv == NULL) {
        return NULL;
    }
    Py_buffer *view = PyMemoryView_GET_BUFFER(mv);
    int own = Py_IS_TYPE(o, &Pixels_Type) && view->buf == ((PixelsObject *)o)->data;
    PyObject *shape = PyTuple_New(view->ndim);
    for (int i = 0; shape != NULL && i < view->ndim; i++) {
        PyTuple_SET_ITEM(shape, i, PyLong_FromSsize_t(view->shape[i]));
    }
    PyObject *r = shape == NULL ? NULL
        : Py_BuildValue("(niNnisy#OOO)", view->len, view->ndim, shape, view->itemsize,
                        view->readonly, view->format ? view->format : "",
                        (const char *)view->buf, view->len,
                        view->obj == o ? Py_True : Py_False,
                        view->suboffsets == NULL ? Py_True : Py_False,
                        own ? Py_True : Py_False);
    Py_DECREF(mv);
    return r;
}

static PyMethodDef memoryobject_methods[] = {
    {"memoryview_view", memoryview_view, METH_O, NULL},
    {"memoryview_getcontiguous", memoryview_getcontiguous, METH_VARARGS, NULL},
    {"memoryview_frommemory", memoryview_frommemory, METH_VARARGS, NULL},
    {"memoryview_memory", memoryview_memory, METH_VARARGS, NULL},
    {"memoryview_fromobject", memoryview_fromobject, METH_O, NULL},
    {"buffer_iscontiguous", buffer_iscontiguous, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_memoryobject(PyObject *m)
{
    if (PyType_Ready(&Pixels_Type) < 0
        || PyModule_AddObjectRef(m, "Pixels", (PyObject *)&Pixels_Type) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, memoryobject_methods);
}
