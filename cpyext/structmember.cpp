// PyMemberDef access: PyMember_GetOne/SetOne. Mirrors Python/structmember.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "structmember.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "structmember"

template <typename T> static T &field(const char *base, const PyMemberDef *m) {
    return *reinterpret_cast<T *>(const_cast<char *>(base) + m->offset);
}

PyObject *PyMember_GetOne(const char *obj, PyMemberDef *m) {
    FERRY_API;
    switch (m->type) {
    case T_BOOL: return PyBool_FromLong(field<char>(obj, m));
    case T_BYTE: return PyLong_FromLong(field<signed char>(obj, m));
    case T_UBYTE: return PyLong_FromLong(field<unsigned char>(obj, m));
    case T_SHORT: return PyLong_FromLong(field<short>(obj, m));
    case T_USHORT: return PyLong_FromLong(field<unsigned short>(obj, m));
    case T_INT: return PyLong_FromLong(field<int>(obj, m));
    case T_UINT: return PyLong_FromUnsignedLong(field<unsigned int>(obj, m));
    case T_LONG: return PyLong_FromLong(field<long>(obj, m));
    case T_ULONG: return PyLong_FromUnsignedLong(field<unsigned long>(obj, m));
    case T_PYSSIZET: return PyLong_FromSsize_t(field<Py_ssize_t>(obj, m));
    case T_LONGLONG: return PyLong_FromLongLong(field<long long>(obj, m));
    case T_ULONGLONG: return PyLong_FromUnsignedLongLong(field<unsigned long long>(obj, m));
    case T_FLOAT: return PyFloat_FromDouble(field<float>(obj, m));
    case T_DOUBLE: return PyFloat_FromDouble(field<double>(obj, m));
    case T_STRING: {
        const char *s = field<const char *>(obj, m);
        return s ? PyUnicode_FromString(s) : Py_NewRef(Py_None);
    }
    case T_STRING_INPLACE: return PyUnicode_FromString(&field<char>(obj, m));
    case T_CHAR: return PyUnicode_FromStringAndSize(&field<char>(obj, m), 1);
    case T_OBJECT: {
        PyObject *v = field<PyObject *>(obj, m);
        return Py_NewRef(v ? v : Py_None);
    }
    case T_OBJECT_EX: {
        PyObject *v = field<PyObject *>(obj, m);
        if (!v) {
            PyErr_Format(PyExc_AttributeError, "'%.200s' object has no attribute '%s'",
                         Py_TYPE(reinterpret_cast<PyObject *>(const_cast<char *>(obj)))->tp_name, m->name);
            return nullptr;
        }
        return Py_NewRef(v);
    }
    case T_NONE: return Py_NewRef(Py_None);
    }
    PyErr_SetString(PyExc_SystemError, "bad memberdescr type");
    return nullptr;
}

namespace {

// The small integer fields: stored truncated, with CPython's warning.
template <typename T> int set_small(char *obj, PyMemberDef *m, PyObject *v, long lo, long hi,
                                    const char *warning) {
    long x = PyLong_AsLong(v);
    if (x == -1 && PyErr_Occurred())
        return -1;
    field<T>(obj, m) = static_cast<T>(x);
    if ((x > hi || x < lo) && PyErr_WarnEx(PyExc_RuntimeWarning, warning, 1) < 0)
        return -1;
    return 0;
}

// The unsigned fields accept negative ints, with a warning (CPython's compatibility rule).
template <typename T> int set_unsigned(char *obj, PyMemberDef *m, PyObject *v) {
    unsigned long x = PyLong_AsUnsignedLong(v);
    if (x == static_cast<unsigned long>(-1) && PyErr_Occurred()) {
        PyErr_Clear();
        x = static_cast<unsigned long>(PyLong_AsLong(v));
        if (x == static_cast<unsigned long>(-1) && PyErr_Occurred())
            return -1;
        field<T>(obj, m) = static_cast<T>(x);
        return PyErr_WarnEx(PyExc_RuntimeWarning, "Writing negative value into unsigned field", 1);
    }
    field<T>(obj, m) = static_cast<T>(x);
    if (sizeof(T) < sizeof(unsigned long) && x > UINT_MAX &&
        PyErr_WarnEx(PyExc_RuntimeWarning, "Truncation of value to unsigned int", 1) < 0)
        return -1;
    return 0;
}

} // namespace

int PyMember_SetOne(char *obj, PyMemberDef *m, PyObject *v) {
    FERRY_API;
    if (m->flags & READONLY) {
        PyErr_SetString(PyExc_AttributeError, "readonly attribute");
        return -1;
    }
    if (!v && m->type != T_OBJECT_EX && m->type != T_OBJECT) {
        PyErr_SetString(PyExc_TypeError, "can't delete numeric/char attribute");
        return -1;
    }
    switch (m->type) {
    case T_BOOL:
        if (!PyBool_Check(v)) {
            PyErr_SetString(PyExc_TypeError, "attribute value type must be bool");
            return -1;
        }
        field<char>(obj, m) = v == Py_True;
        return 0;
    case T_BYTE: return set_small<signed char>(obj, m, v, CHAR_MIN, CHAR_MAX, "Truncation of value to char");
    case T_UBYTE: return set_small<unsigned char>(obj, m, v, 0, UCHAR_MAX, "Truncation of value to unsigned char");
    case T_SHORT: return set_small<short>(obj, m, v, SHRT_MIN, SHRT_MAX, "Truncation of value to short");
    case T_USHORT: return set_small<unsigned short>(obj, m, v, 0, USHRT_MAX, "Truncation of value to unsigned short");
    case T_INT: return set_small<int>(obj, m, v, INT_MIN, INT_MAX, "Truncation of value to int");
    case T_UINT: return set_unsigned<unsigned int>(obj, m, v);
    case T_ULONG: return set_unsigned<unsigned long>(obj, m, v);
    case T_LONG: {
        long x = PyLong_AsLong(v);
        if (x == -1 && PyErr_Occurred())
            return -1;
        field<long>(obj, m) = x;
        return 0;
    }
    case T_PYSSIZET: {
        Py_ssize_t x = PyLong_AsSsize_t(v);
        if (x == -1 && PyErr_Occurred())
            return -1;
        field<Py_ssize_t>(obj, m) = x;
        return 0;
    }
    case T_LONGLONG: {
        long long x = PyLong_AsLongLong(v);
        if (x == -1 && PyErr_Occurred())
            return -1;
        field<long long>(obj, m) = x;
        return 0;
    }
    case T_ULONGLONG: {
        // As CPython: an int goes through AsUnsignedLongLong, anything else AsLong.
        unsigned long long x = PyLong_Check(v) ? PyLong_AsUnsignedLongLong(v)
                                               : static_cast<unsigned long long>(PyLong_AsLong(v));
        if (x == static_cast<unsigned long long>(-1) && PyErr_Occurred())
            return -1;
        field<unsigned long long>(obj, m) = x;
        return 0;
    }
    case T_FLOAT:
    case T_DOUBLE: {
        double d = PyFloat_AsDouble(v);
        if (d == -1 && PyErr_Occurred())
            return -1;
        if (m->type == T_FLOAT)
            field<float>(obj, m) = static_cast<float>(d);
        else
            field<double>(obj, m) = d;
        return 0;
    }
    case T_OBJECT:
    case T_OBJECT_EX: {
        PyObject *&slot = field<PyObject *>(obj, m);
        if (!v && m->type == T_OBJECT_EX && !slot) {
            PyErr_SetString(PyExc_AttributeError, m->name);
            return -1;
        }
        PyObject *old = slot;
        slot = Py_XNewRef(v);
        Py_XDECREF(old);
        return 0;
    }
    case T_CHAR: {
        Py_ssize_t n = 0;
        const char *s = PyUnicode_Check(v) ? PyUnicode_AsUTF8AndSize(v, &n) : nullptr;
        if (!s || n != 1) {
            PyErr_BadArgument();
            return -1;
        }
        field<char>(obj, m) = s[0];
        return 0;
    }
    case T_STRING:
    case T_STRING_INPLACE:
        PyErr_SetString(PyExc_TypeError, "readonly attribute");
        return -1;
    }
    PyErr_Format(PyExc_SystemError, "bad memberdescr type for %s", m->name);
    return -1;
}
