// Bound methods (Objects/classobject.c). C sees a host bound method with
// PyMethodObject's layout, im_func and im_self filled: Cython unpacks
// methods with PyMethod_GET_FUNCTION/GET_SELF before calling them. A method
// made by PyMethod_New is a native builtin layout until it crosses.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "classobject"

using namespace ferry;
using host::Handle;

namespace {

PyObject *method_alloc(PyTypeObject *type, PyObject *func, PyObject *self) {
    auto *m = reinterpret_cast<PyMethodObject *>(alloc_object(type, sizeof(PyMethodObject)));
    if (!m)
        return nullptr;
    m->im_func = func;
    m->im_self = self;
    return reinterpret_cast<PyObject *>(m);
}

} // namespace

namespace ferry {

PyObject *method_materialize(Handle h, PyTypeObject *type) {
    PyObject *func = from_host_steal(host::getattr_s(h, "__func__"));
    PyObject *self = func ? from_host_steal(host::getattr_s(h, "__self__")) : nullptr;
    PyObject *o = self ? method_alloc(type, func, self) : nullptr;
    if (!o) {
        Py_XDECREF(func);
        Py_XDECREF(self);
    }
    return o;
}

Handle method_to_host(PyObject *o) {
    auto *m = reinterpret_cast<PyMethodObject *>(o);
    if (m->im_self == Py_None) {   // (types.MethodType refuses None on PyPy)
        Handle f = handle_of(m->im_func);
        return f ? host::call_helper(host::Helper::method_of_none, {f}) : Handle{};
    }
    Handle parts[2] = {handle_of(m->im_func), {}};
    parts[1] = parts[0] ? handle_of(m->im_self) : Handle{};
    Handle cls = parts[1] ? type_handle(&PyMethod_Type) : Handle{};
    Handle args = cls ? host::tuple_from(parts, 2) : Handle{};
    if (!args)
        return {};
    Handle r = host::call(cls, args, {});
    host::close(args);
    return r;
}

void method_release(PyObject *o) {
    auto *m = reinterpret_cast<PyMethodObject *>(o);
    Py_CLEAR(m->im_func);
    Py_CLEAR(m->im_self);
}

} // namespace ferry

PyObject *PyMethod_New(PyObject *func, PyObject *self) {
    FERRY_API;
    if (!self) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    return method_alloc(&PyMethod_Type, Py_NewRef(func), Py_NewRef(self));
}

PyObject *PyMethod_Function(PyObject *m) {
    FERRY_API;
    if (!PyMethod_Check(m)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    return PyMethod_GET_FUNCTION(m);
}

PyObject *PyMethod_Self(PyObject *m) {
    FERRY_API;
    if (!PyMethod_Check(m)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    return PyMethod_GET_SELF(m);
}
