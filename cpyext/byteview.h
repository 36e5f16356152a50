// A view of a bytes-like object: bytes and bytearray directly, anything else
// through the buffer protocol (released with the view). Used by the bytes and
// bytearray families.
#pragma once
#include <Python.h>

namespace ferry {

struct ByteView {
    const char *data = nullptr;
    Py_ssize_t len = 0;
    Py_buffer buf{};
    bool from_buffer = false;

    ByteView() = default;
    ByteView(const ByteView &) = delete;
    ByteView &operator=(const ByteView &) = delete;
    ~ByteView() {
        if (from_buffer)
            PyBuffer_Release(&buf);
    }

    // False with the error set when o is not bytes-like.
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

} // namespace ferry
