// float objects: native PyFloatObject values, conversions and the IEEE
// pack/unpack helpers. Mirrors Objects/floatobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "floatobject"

using namespace ferry;

namespace {

// Copies n bytes, reversed when the requested byte order is not the machine's.
void copy_ordered(unsigned char *dst, const unsigned char *src, int n, int le) {
    constexpr bool machine_le = PY_LITTLE_ENDIAN;
    if (static_cast<bool>(le) == machine_le) {
        std::memcpy(dst, src, n);
    } else {
        for (int i = 0; i < n; i++)
            dst[i] = src[n - 1 - i];
    }
}

PyObject *sys_attr(const char *name) {
    host::Handle sys = host::import_module("sys");
    if (!sys)
        return null_with_host_error();
    host::Handle v = host::getattr_s(sys, name);
    host::close(sys);
    return result(v);
}

} // namespace

PyObject *PyFloat_FromDouble(double v) {
    FERRY_API;
    PyObject *o = alloc_object(&PyFloat_Type, sizeof(PyFloatObject));
    if (o)
        reinterpret_cast<PyFloatObject *>(o)->ob_fval = v;
    return o;
}

double PyFloat_AsDouble(PyObject *op) {
    FERRY_API;
    if (!op) {
        PyErr_BadArgument();
        return -1.0;
    }
    if (PyFloat_Check(op))
        return PyFloat_AS_DOUBLE(op);
    if (PyLong_CheckExact(op) || PyBool_Check(op))
        return PyLong_AsDouble(op);   // int.__float__, without the round trip
    PyNumberMethods *nb = Py_TYPE(op)->tp_as_number;
    if (!nb || !nb->nb_float) {
        if (nb && nb->nb_index) {
            PyObject *i = PyNumber_Index(op);
            if (!i)
                return -1.0;
            double v = PyLong_AsDouble(i);
            Py_DECREF(i);
            return v;
        }
        PyErr_Format(PyExc_TypeError, "must be real number, not %.50s", Py_TYPE(op)->tp_name);
        return -1.0;
    }
    // A managed type's __float__ is called here, not through the host's
    // float(), so the result is checked with CPython's message.
    TypeInfo *ti = type_info(Py_TYPE(op));
    PyObject *res = ti && !ti->is_native ? call_dunder(op, "__float__") : nb->nb_float(op);
    if (!res)
        return -1.0;
    if (!PyFloat_CheckExact(res)) {
        if (!PyFloat_Check(res)) {
            PyErr_Format(PyExc_TypeError, "%.50s.__float__ returned non-float (type %.50s)",
                         Py_TYPE(op)->tp_name, Py_TYPE(res)->tp_name);
            Py_DECREF(res);
            return -1.0;
        }
        if (PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                             "%.50s.__float__ returned non-float (type %.50s).  The ability "
                             "to return an instance of a strict subclass of float is "
                             "deprecated, and may be removed in a future version of Python.",
                             Py_TYPE(op)->tp_name, Py_TYPE(res)->tp_name)) {
            Py_DECREF(res);
            return -1.0;
        }
    }
    double v = PyFloat_AS_DOUBLE(res);
    Py_DECREF(res);
    return v;
}

PyObject *PyFloat_FromString(PyObject *v) {
    FERRY_API;
    if (!PyUnicode_Check(v) && !PyBytes_Check(v) && !PyByteArray_Check(v) &&
        !PyObject_CheckBuffer(v)) {
        PyErr_Format(PyExc_TypeError,
                     "float() argument must be a string or a real number, not '%.200s'",
                     Py_TYPE(v)->tp_name);
        return nullptr;
    }
    // An ASCII str or bytes without underscores is parsed here as
    // floatobject.c's float_from_string_inner does (simplejson parses every
    // float of a document so: 1.3 us a call when the host's float() did it);
    // other digits and spaces of Unicode, and underscores, are the host's.
    const char *text = nullptr;
    Py_ssize_t n = 0;
    if (PyUnicode_CheckExact(v) && PyUnicode_IS_ASCII(v)) {
        text = static_cast<const char *>(PyUnicode_DATA(v));
        n = PyUnicode_GET_LENGTH(v);
    } else if (PyBytes_CheckExact(v)) {
        text = PyBytes_AS_STRING(v);
        n = PyBytes_GET_SIZE(v);
    }
    if (text && !std::memchr(text, '_', n)) {
        const char *last = text + n;
        while (text < last && Py_ISSPACE(*text))
            text++;
        while (text < last - 1 && Py_ISSPACE(last[-1]))
            last--;
        char *end = nullptr;
        double x = text == last ? -1.0 : PyOS_string_to_double(text, &end, nullptr);   // (up to the NUL)
        if (end != last) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "could not convert string to float: %R", v);
            return nullptr;
        }
        if (x == -1.0 && PyErr_Occurred())
            return nullptr;
        return PyFloat_FromDouble(x);
    }
    host::Handle h = handle_of(v);
    if (!h)
        return nullptr;
    host::Handle float_type = type_handle(&PyFloat_Type);
    if (!float_type)
        return nullptr;
    host::Handle r = host::call_with(float_type, {h});
    return result(r);
}

double PyFloat_GetMax(void) { FERRY_API; return DBL_MAX; }
double PyFloat_GetMin(void) { FERRY_API; return DBL_MIN; }
PyObject *PyFloat_GetInfo(void) { FERRY_API; return sys_attr("float_info"); }

// ---- IEEE 754 binary16 / binary32 / binary64 packing

int PyFloat_Pack2(double x, char *p, int le) {
    FERRY_API;
    unsigned sign = std::signbit(x) ? 1 : 0;
    unsigned exp_bits = 0, mant_bits = 0;
    if (std::isnan(x)) {
        exp_bits = 0x1f;
        mant_bits = 512;   // a quiet NaN; the payload is not kept
    } else if (std::isinf(x)) {
        exp_bits = 0x1f;
    } else if (x != 0.0) {
        int e = 0;
        double f = std::frexp(std::fabs(x), &e);   // |x| = f * 2**e, f in [0.5, 1)
        f *= 2.0;                                  // f in [1, 2), |x| = f * 2**(e-1)
        e -= 1;
        if (e >= 16)
            goto overflow;
        double scaled;
        if (e < -25) {
            scaled = 0.0;   // below half the smallest subnormal: rounds to zero
            e = 0;
        } else if (e < -14) {
            scaled = std::ldexp(f, e + 14) * 1024.0;   // subnormal: units of 2**-24
            e = 0;
        } else {
            scaled = (f - 1.0) * 1024.0;   // normal: drop the implicit bit
            e += 15;
        }
        auto m = static_cast<unsigned>(scaled);
        double rest = scaled - m;
        if (rest > 0.5 || (rest == 0.5 && (m & 1))) {
            if (++m == 1024) {
                m = 0;
                if (++e == 31)
                    goto overflow;
            }
        }
        exp_bits = static_cast<unsigned>(e);
        mant_bits = m;
    }
    {
        unsigned bits = (sign << 15) | (exp_bits << 10) | mant_bits;
        unsigned char be[2] = {static_cast<unsigned char>(bits >> 8),
                               static_cast<unsigned char>(bits & 0xff)};
        auto *out = reinterpret_cast<unsigned char *>(p);
        out[le ? 1 : 0] = be[0];
        out[le ? 0 : 1] = be[1];
        return 0;
    }
overflow:
    PyErr_SetString(PyExc_OverflowError, "float too large to pack with e format");
    return -1;
}

int PyFloat_Pack4(double x, char *p, int le) {
    FERRY_API;
    float y = static_cast<float>(x);
    if (std::isinf(y) && !std::isinf(x)) {
        PyErr_SetString(PyExc_OverflowError, "float too large to pack with f format");
        return -1;
    }
    unsigned char raw[4];
    std::memcpy(raw, &y, 4);
    copy_ordered(reinterpret_cast<unsigned char *>(p), raw, 4, le);
    return 0;
}

int PyFloat_Pack8(double x, char *p, int le) {
    FERRY_API;
    unsigned char raw[8];
    std::memcpy(raw, &x, 8);
    copy_ordered(reinterpret_cast<unsigned char *>(p), raw, 8, le);
    return 0;
}

double PyFloat_Unpack2(const char *p, int le) {
    FERRY_API;
    auto *in = reinterpret_cast<const unsigned char *>(p);
    unsigned hi = in[le ? 1 : 0], lo = in[le ? 0 : 1];
    unsigned bits = (hi << 8) | lo;
    bool sign = bits & 0x8000;
    int e = static_cast<int>((bits >> 10) & 0x1f);
    unsigned m = bits & 0x3ff;
    if (e == 0x1f) {
        if (m == 0)
            return sign ? -HUGE_VAL : HUGE_VAL;
        return sign ? -std::nan("") : std::nan("");
    }
    double x = m / 1024.0;
    if (e == 0)
        e = -14;
    else {
        x += 1.0;
        e -= 15;
    }
    x = std::ldexp(x, e);
    return sign ? -x : x;
}

double PyFloat_Unpack4(const char *p, int le) {
    FERRY_API;
    unsigned char raw[4];
    copy_ordered(raw, reinterpret_cast<const unsigned char *>(p), 4, le);
    float y;
    std::memcpy(&y, raw, 4);
    return y;
}

double PyFloat_Unpack8(const char *p, int le) {
    FERRY_API;
    unsigned char raw[8];
    copy_ordered(raw, reinterpret_cast<const unsigned char *>(p), 8, le);
    double x;
    std::memcpy(&x, raw, 8);
    return x;
}
