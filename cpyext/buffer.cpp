// The buffer protocol for bytes and bytearray (C-side data of their proxies).
// Mirrors the buffer part of Objects/abstract.c. Buffers of other objects
// (memoryview, array, extension types) are not supported yet: BufferError.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

int PyObject_CheckBuffer(PyObject *o) {
    return PyBytes_Check(o) || PyByteArray_Check(o) ||
           (Py_TYPE(o)->tp_as_buffer && Py_TYPE(o)->tp_as_buffer->bf_getbuffer);
}

int PyBuffer_FillInfo(Py_buffer *view, PyObject *obj, void *buf, Py_ssize_t len, int readonly,
                      int flags) {
    if (!view) {
        PyErr_SetString(PyExc_BufferError, "PyBuffer_FillInfo: view==NULL argument is obsolete");
        return -1;
    }
    if ((flags & PyBUF_WRITABLE) == PyBUF_WRITABLE && readonly) {
        PyErr_SetString(PyExc_BufferError, "Object is not writable.");
        return -1;
    }
    view->obj = Py_XNewRef(obj);
    view->buf = buf;
    view->len = len;
    view->readonly = readonly;
    view->itemsize = 1;
    view->format = (flags & PyBUF_FORMAT) == PyBUF_FORMAT ? const_cast<char *>("B") : nullptr;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) == PyBUF_ND ? &view->len : nullptr;
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? &view->itemsize : nullptr;
    view->suboffsets = nullptr;
    view->internal = nullptr;
    return 0;
}

int PyObject_GetBuffer(PyObject *o, Py_buffer *view, int flags) {
    if (PyBytes_Check(o))
        return PyBuffer_FillInfo(view, o, PyBytes_AS_STRING(o), PyBytes_GET_SIZE(o), 1, flags);
    if (PyByteArray_Check(o))
        return PyBuffer_FillInfo(view, o, PyByteArray_AS_STRING(o), PyByteArray_GET_SIZE(o), 0, flags);
    PyBufferProcs *pb = Py_TYPE(o)->tp_as_buffer;
    if (pb && pb->bf_getbuffer)
        return pb->bf_getbuffer(o, view, flags);
    PyErr_Format(PyExc_TypeError, "a bytes-like object is required, not '%.100s'", Py_TYPE(o)->tp_name);
    return -1;
}

void PyBuffer_Release(Py_buffer *view) {
    PyObject *o = view->obj;
    if (!o)
        return;
    PyBufferProcs *pb = Py_TYPE(o)->tp_as_buffer;
    if (pb && pb->bf_releasebuffer)
        pb->bf_releasebuffer(o, view);
    view->obj = nullptr;
    Py_DECREF(o);
}

int PyBuffer_IsContiguous(const Py_buffer *view, char order) {
    if (view->suboffsets)
        return 0;
    if (!view->strides)
        return 1;
    Py_ssize_t expected = view->itemsize;
    if (order != 'F') {
        for (int i = view->ndim - 1; i >= 0; i--) {
            if (view->shape[i] > 1 && view->strides[i] != expected)
                return order == 'A' ? PyBuffer_IsContiguous(view, 'F') : 0;
            expected *= view->shape[i];
        }
        return 1;
    }
    for (int i = 0; i < view->ndim; i++) {
        if (view->shape[i] > 1 && view->strides[i] != expected)
            return 0;
        expected *= view->shape[i];
    }
    return 1;
}

// A memoryview over C memory. The host cannot see C memory, so a read-only
// view gets a copy; a writable view is not supported yet and says so.
PyObject *PyMemoryView_FromMemory(char *mem, Py_ssize_t size, int flags) {
    if (flags != PyBUF_READ) {
        PyErr_SetString(PyExc_SystemError,
                        "ferry: PyMemoryView_FromMemory with PyBUF_WRITE is not supported yet");
        return nullptr;
    }
    PyObject *b = PyBytes_FromStringAndSize(mem, size);
    if (!b)
        return nullptr;
    PyObject *builtins = PyImport_ImportModule("builtins");
    PyObject *r = builtins ? PyObject_CallMethod(builtins, "memoryview", "O", b) : nullptr;
    Py_XDECREF(builtins);
    Py_DECREF(b);
    return r;
}
