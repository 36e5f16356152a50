// complex objects: PyComplexObject proxies and native values, their crossing
// and the PyComplex_* API. Mirrors Objects/complexobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "complexobject"

namespace ferry {
namespace {

PyObject *complex_alloc(PyTypeObject *type, Py_complex v) {
    size_t size = sizeof(PyComplexObject);
    if (type->tp_basicsize > 0 && static_cast<size_t>(type->tp_basicsize) > size)
        size = type->tp_basicsize;
    PyObject *o = alloc_object(type, size);
    if (!o)
        return nullptr;
    reinterpret_cast<PyComplexObject *>(o)->cval = v;
    return o;
}

// Reads a float handle (owned) and closes it; false with the host error pending.
bool take_double(host::Handle h, double *out) {
    if (!h)
        return false;
    *out = host::float_as(h);
    host::close(h);
    return !(*out == -1.0 && host::err_occurred());
}

} // namespace

PyObject *complex_materialize(host::Handle h, PyTypeObject *type) {
    host::Handle parts = host::call_helper(host::Helper::complex_parts, {h});
    if (!parts)
        return null_with_host_error();
    Py_complex v{0.0, 0.0};
    bool ok = take_double(host::getitem_i(parts, 0), &v.real) &&
              take_double(host::getitem_i(parts, 1), &v.imag);
    host::close(parts);
    if (!ok)
        return null_with_host_error();
    return complex_alloc(type, v);
}

host::Handle complex_to_host(PyObject *o) {
    Py_complex v = reinterpret_cast<PyComplexObject *>(o)->cval;
    host::Handle re = host::float_from(v.real);
    host::Handle im = re ? host::float_from(v.imag) : host::Handle{};
    host::Handle r = im ? host::call_helper(host::Helper::complex_new, {re, im}) : host::Handle{};
    host::close(re);
    host::close(im);
    return r;
}

} // namespace ferry

using namespace ferry;

namespace {

// type(op).__complex__(op), or nullptr without an error when there is none.
PyObject *try_complex_special_method(PyObject *op) {
    host::Handle h = handle_of(op);
    if (!h)
        return nullptr;
    host::Handle t = host::type(h);
    int has = t ? host::hasattr_s(t, "__complex__") : -1;
    host::close(t);
    if (has < 0)
        return null_with_host_error();
    if (!has)
        return nullptr;
    host::Handle name = host::unicode_from_utf8("__complex__", 11);
    if (!name)
        return null_with_host_error();
    host::Handle r = host::call_helper(host::Helper::call_method, {h, name});
    host::close(name);
    PyObject *res = result(r);
    if (!res)
        return nullptr;
    if (!PyComplex_Check(res)) {
        PyErr_Format(PyExc_TypeError, "__complex__ returned non-complex (type %.200s)",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return nullptr;
    }
    if (!PyComplex_CheckExact(res) &&
        PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                         "__complex__ returned non-complex (type %.200s).  The ability to "
                         "return an instance of a strict subclass of complex is deprecated, "
                         "and may be removed in a future version of Python.",
                         Py_TYPE(res)->tp_name)) {
        Py_DECREF(res);
        return nullptr;
    }
    return res;
}

} // namespace

PyObject *PyComplex_FromCComplex(Py_complex c) { FERRY_API; return complex_alloc(&PyComplex_Type, c); }

PyObject *PyComplex_FromDoubles(double real, double imag) {
    FERRY_API;
    return complex_alloc(&PyComplex_Type, Py_complex{real, imag});
}

double PyComplex_RealAsDouble(PyObject *op) {
    FERRY_API;
    if (PyComplex_Check(op))
        return reinterpret_cast<PyComplexObject *>(op)->cval.real;
    return PyFloat_AsDouble(op);
}

double PyComplex_ImagAsDouble(PyObject *op) {
    FERRY_API;
    if (PyComplex_Check(op))
        return reinterpret_cast<PyComplexObject *>(op)->cval.imag;
    return 0.0;
}

Py_complex PyComplex_AsCComplex(PyObject *op) {
    FERRY_API;
    Py_complex cv{-1.0, 0.0};
    if (PyComplex_Check(op))
        return reinterpret_cast<PyComplexObject *>(op)->cval;
    PyObject *newop = try_complex_special_method(op);
    if (newop) {
        cv = reinterpret_cast<PyComplexObject *>(newop)->cval;
        Py_DECREF(newop);
        return cv;
    }
    if (PyErr_Occurred())
        return cv;
    cv.real = PyFloat_AsDouble(op);
    return cv;
}
