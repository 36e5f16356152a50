// PyMemberDef access: PyMember_GetOne/SetOne. Mirrors Python/structmember.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "structmember.h"

template <typename T> static T &field(const char *base, const PyMemberDef *m) {
    return *reinterpret_cast<T *>(const_cast<char *>(base) + m->offset);
}

PyObject *PyMember_GetOne(const char *obj, PyMemberDef *m) {
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

template <typename T> int set_integer(char *obj, PyMemberDef *m, PyObject *v, long long lo,
                                      unsigned long long hi) {
    long long x = PyLong_AsLongLong(v);
    if (x == -1 && PyErr_Occurred())
        return -1;
    if (x < lo || (x > 0 && (unsigned long long)x > hi))
        if (PyErr_WarnEx(PyExc_RuntimeWarning, "Truncation of value", 1) < 0)
            return -1;
    field<T>(obj, m) = static_cast<T>(x);
    return 0;
}

} // namespace

int PyMember_SetOne(char *obj, PyMemberDef *m, PyObject *v) {
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
    case T_BYTE: return set_integer<signed char>(obj, m, v, -128, 127);
    case T_UBYTE: return set_integer<unsigned char>(obj, m, v, 0, 255);
    case T_SHORT: return set_integer<short>(obj, m, v, -32768, 32767);
    case T_USHORT: return set_integer<unsigned short>(obj, m, v, 0, 65535);
    case T_INT: return set_integer<int>(obj, m, v, INT_MIN, INT_MAX);
    case T_UINT: return set_integer<unsigned int>(obj, m, v, 0, UINT_MAX);
    case T_LONG: return set_integer<long>(obj, m, v, LONG_MIN, LONG_MAX);
    case T_PYSSIZET: return set_integer<Py_ssize_t>(obj, m, v, PY_SSIZE_T_MIN, PY_SSIZE_T_MAX);
    case T_LONGLONG: return set_integer<long long>(obj, m, v, LLONG_MIN, LLONG_MAX);
    case T_ULONG:
    case T_ULONGLONG: {
        unsigned long long x = PyLong_AsUnsignedLongLong(v);
        if (x == (unsigned long long)-1 && PyErr_Occurred())
            return -1;
        if (m->type == T_ULONG)
            field<unsigned long>(obj, m) = x;
        else
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
