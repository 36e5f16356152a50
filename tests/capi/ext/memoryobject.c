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

static PyMethodDef memoryobject_methods[] = {
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
    return PyModule_AddFunctions(m, memoryobject_methods);
}
