// bytearray objects: PyByteArrayObject proxies and native values (ob_bytes
// from PyObject_Malloc, NUL-terminated) and the PyByteArray_* API.
// Mirrors Objects/bytearrayobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>

#include "cpyext/internal.h"

// What PyByteArray_AS_STRING returns for an empty bytearray.
char _PyByteArray_empty_string[] = "";

namespace ferry {
namespace {

inline PyByteArrayObject *as_ba(PyObject *o) { return reinterpret_cast<PyByteArrayObject *>(o); }

// A bytearray of `type` holding a copy of s[0:n] (s may be null: zeroed).
PyObject *bytearray_alloc(PyTypeObject *type, const char *s, Py_ssize_t n) {
    size_t size = sizeof(PyByteArrayObject);
    if (type->tp_basicsize > 0 && static_cast<size_t>(type->tp_basicsize) > size)
        size = type->tp_basicsize;
    auto *o = reinterpret_cast<PyObject *>(alloc_var_object(type, size, n));
    if (!o)
        return nullptr;
    if (n > 0) {
        char *bytes = static_cast<char *>(PyObject_Malloc(static_cast<size_t>(n) + 1));
        if (!bytes) {
            Py_SET_SIZE(o, 0);
            Py_DECREF(o);
            return PyErr_NoMemory();
        }
        if (s)
            std::memcpy(bytes, s, n);
        bytes[n] = '\0';
        as_ba(o)->ob_bytes = as_ba(o)->ob_start = bytes;
        as_ba(o)->ob_alloc = n + 1;
    }
    return o;
}

// A view of a bytes-like object (see bytesobject.cpp).
struct ByteView {
    const char *data = nullptr;
    Py_ssize_t len = 0;
    Py_buffer buf{};
    bool from_buffer = false;
    ~ByteView() {
        if (from_buffer)
            PyBuffer_Release(&buf);
    }
    bool get(PyObject *o) {
        if (PyBytes_Check(o)) {
            data = PyBytes_AS_STRING(o);
            len = PyBytes_GET_SIZE(o);
            return true;
        }
        if (PyByteArray_Check(o)) {
            data = PyByteArray_AS_STRING(o);
            len = PyByteArray_GET_SIZE(o);
            return true;
        }
        if (PyObject_GetBuffer(o, &buf, PyBUF_SIMPLE) != 0)
            return false;
        from_buffer = true;
        data = static_cast<const char *>(buf.buf);
        len = buf.len;
        return true;
    }
};

} // namespace

PyObject *bytearray_materialize(host::Handle h, PyTypeObject *type) {
    host::Handle b = host::bytes_of(h);
    if (!b)
        return null_with_host_error();
    ptrdiff_t n = 0;
    const char *data = host::bytes_data(b, &n);
    if (!data) {
        host::close(b);
        return null_with_host_error();
    }
    PyObject *o = bytearray_alloc(type, data, n);
    host::close(b);
    return o;
}

host::Handle bytearray_to_host(PyObject *o) {
    host::Handle b = host::bytes_from(PyByteArray_AS_STRING(o), PyByteArray_GET_SIZE(o));
    if (!b)
        return {};
    host::Handle ba_type = type_handle(&PyByteArray_Type);
    if (!ba_type) {
        host::close(b);
        return {};
    }
    host::Handle args = host::tuple_from(&b, 1);
    host::close(b);
    if (!args)
        return {};
    host::Handle r = host::call(ba_type, args, {});
    host::close(args);
    return r;
}

void bytearray_release(PyObject *o) {
    PyByteArrayObject *ba = as_ba(o);
    PyObject_Free(ba->ob_bytes);
    ba->ob_bytes = ba->ob_start = nullptr;
    ba->ob_alloc = 0;
    Py_SET_SIZE(o, 0);
}

} // namespace ferry

using namespace ferry;

PyObject *PyByteArray_FromStringAndSize(const char *bytes, Py_ssize_t size) {
    if (size < 0) {
        PyErr_SetString(PyExc_SystemError,
                        "Negative size passed to PyByteArray_FromStringAndSize");
        return nullptr;
    }
    if (size == PY_SSIZE_T_MAX)
        return PyErr_NoMemory();
    return bytearray_alloc(&PyByteArray_Type, bytes, size);
}

PyObject *PyByteArray_FromObject(PyObject *input) {
    host::Handle h = handle_of(input);
    if (!h)
        return nullptr;
    host::Handle ba_type = type_handle(&PyByteArray_Type);
    if (!ba_type)
        return nullptr;
    host::Handle args = host::tuple_from(&h, 1);
    if (!args)
        return null_with_host_error();
    host::Handle r = host::call(ba_type, args, {});
    host::close(args);
    return result(r);
}

Py_ssize_t PyByteArray_Size(PyObject *self) { return PyByteArray_GET_SIZE(self); }

char *PyByteArray_AsString(PyObject *self) { return PyByteArray_AS_STRING(self); }

int PyByteArray_Resize(PyObject *self, Py_ssize_t requested_size) {
    PyByteArrayObject *obj = as_ba(self);
    if (requested_size < 0) {
        PyErr_Format(PyExc_ValueError, "Can only resize to positive sizes, got %zd",
                     requested_size);
        return -1;
    }
    if (requested_size == Py_SIZE(self))
        return 0;
    if (obj->ob_exports > 0) {
        PyErr_SetString(PyExc_BufferError,
                        "Existing exports of data: object cannot be re-sized");
        return -1;
    }
    Py_ssize_t alloc = obj->ob_alloc;
    Py_ssize_t offset = obj->ob_start - obj->ob_bytes;
    size_t size = static_cast<size_t>(requested_size);
    if (obj->ob_bytes && size + offset + 1 <= static_cast<size_t>(alloc)) {
        if (size < static_cast<size_t>(alloc) / 2) {
            alloc = requested_size + 1;   // a major downsize: shrink to fit
        } else {
            Py_SET_SIZE(self, requested_size);   // a minor downsize: keep the block
            obj->ob_start[requested_size] = '\0';
            return 0;
        }
    } else if (size <= static_cast<size_t>(alloc) + static_cast<size_t>(alloc) / 8) {
        alloc = requested_size + (requested_size >> 3) + (requested_size < 9 ? 3 : 6);
    } else {
        alloc = requested_size + 1;
    }
    if (alloc < 0 || alloc == PY_SSIZE_T_MAX) {
        PyErr_NoMemory();
        return -1;
    }
    char *sval;
    if (offset > 0) {
        sval = static_cast<char *>(PyObject_Malloc(static_cast<size_t>(alloc)));
        if (!sval) {
            PyErr_NoMemory();
            return -1;
        }
        Py_ssize_t keep = requested_size < Py_SIZE(self) ? requested_size : Py_SIZE(self);
        std::memcpy(sval, obj->ob_start, keep);
        PyObject_Free(obj->ob_bytes);
    } else {
        sval = static_cast<char *>(PyObject_Realloc(obj->ob_bytes, static_cast<size_t>(alloc)));
        if (!sval) {
            PyErr_NoMemory();
            return -1;
        }
    }
    obj->ob_bytes = obj->ob_start = sval;
    Py_SET_SIZE(self, requested_size);
    obj->ob_alloc = alloc;
    obj->ob_bytes[requested_size] = '\0';
    return 0;
}

PyObject *PyByteArray_Concat(PyObject *a, PyObject *b) {
    ByteView va, vb;
    if (!va.get(a) || !vb.get(b)) {
        PyErr_Format(PyExc_TypeError, "can't concat %.100s to %.100s", Py_TYPE(b)->tp_name,
                     Py_TYPE(a)->tp_name);
        return nullptr;
    }
    if (va.len > PY_SSIZE_T_MAX - vb.len)
        return PyErr_NoMemory();
    PyObject *r = PyByteArray_FromStringAndSize(nullptr, va.len + vb.len);
    if (!r)
        return nullptr;
    if (va.len)
        std::memcpy(PyByteArray_AS_STRING(r), va.data, va.len);
    if (vb.len)
        std::memcpy(PyByteArray_AS_STRING(r) + va.len, vb.data, vb.len);
    return r;
}
