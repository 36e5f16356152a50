// Descriptors (Objects/descrobject.c).
//
// Methods, members and getsets of extension types are host objects
// (python/ferry/_support.py make_native_type: functions and properties), not
// CPython's descriptor structs, so no object C meets is a PyMethodDescrObject:
// PyMethodDescr_Check answers false where CPython answers true for
// `ExtType.meth`. That only turns off shortcuts that read the struct (Cython's
// cached unbound C methods call through the object instead).
//
// The host's own getset and member descriptors (`type.__dict__['__dict__']`,
// a `__slots__` member: PyPy 7.3.11 has distinct `getset_descriptor` and
// `member_descriptor` types, as CPython) are PyGetSetDescr_Type and
// PyMemberDescr_Type, and cross with CPython's structs (Layout::descr):
// d_type (`__objclass__`), d_name, and a PyGetSetDef / PyMemberDef of the
// proxy's own with the descriptor's name and doc (numpy's add_docstring reads
// and writes `d_getset->doc`; a write stays in the proxy). The PyGetSetDef's
// get and set call the descriptor's `__get__` / `__set__` / `__delete__`. A
// host member has no C offset and type to give: its PyMemberDef has type -1,
// which PyMember_GetOne / SetOne refuse with CPython's SystemError ("bad
// memberdescr type") instead of reading a wrong field.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstdlib>
#include <cstring>
#include <utility>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "descrobject"

using namespace ferry;
using host::Builtin;
using host::Handle;

namespace {

// A getset's get and set: the closure is the descriptor's proxy, which owns
// the PyGetSetDef (the two die together).
PyObject *host_getset_get(PyObject *self, void *closure) {
    auto *descr = static_cast<PyObject *>(closure);
    return PyObject_CallMethod(descr, "__get__", "OO", self, reinterpret_cast<PyObject *>(Py_TYPE(self)));
}

int host_getset_set(PyObject *self, PyObject *value, void *closure) {
    auto *descr = static_cast<PyObject *>(closure);
    PyObject *r = value ? PyObject_CallMethod(descr, "__set__", "OO", self, value)
                        : PyObject_CallMethod(descr, "__delete__", "O", self);
    if (!r)
        return -1;
    Py_DECREF(r);
    return 0;
}

} // namespace

namespace ferry {

namespace {

// The defs a descriptor's proxy owns, with the doc it was made with (C may
// replace the def's doc: numpy stores its docstring's UTF-8 there).
struct GetSetHolder {
    PyGetSetDef def;
    char *doc;
};
struct MemberHolder {
    PyMemberDef def;
    char *doc;
};

} // namespace

PyObject *descr_materialize(Handle h, PyTypeObject *type) {
    PyObject *o = alloc_object(type, type->tp_basicsize);
    if (!o)
        return nullptr;
    auto *d = reinterpret_cast<PyDescrObject *>(o);
    for (auto [field, attr] : {std::pair{reinterpret_cast<PyObject **>(&d->d_type), "__objclass__"},
                               std::pair{&d->d_name, "__name__"}}) {
        Handle v = host::getattr_s(h, attr);
        *field = v ? from_host(v) : nullptr;
        host::close(v);
        if (!*field) {   // (not expected: both are always there)
            PyErr_Clear();
            host::err_clear();
        }
    }
    if (d->d_type && !PyType_Check(reinterpret_cast<PyObject *>(d->d_type)))
        Py_CLEAR(d->d_type);
    char *name = utf8_attr(h, "__name__");
    char *doc = utf8_attr(h, "__doc__");
    if (type == &PyGetSetDescr_Type)
        reinterpret_cast<PyGetSetDescrObject *>(o)->d_getset =
            &(new GetSetHolder{{name, host_getset_get, host_getset_set, doc, o}, doc})->def;
    else
        reinterpret_cast<PyMemberDescrObject *>(o)->d_member =
            &(new MemberHolder{{name, -1, 0, READONLY, doc}, doc})->def;
    return o;
}

void descr_release(PyObject *o) {
    auto *d = reinterpret_cast<PyDescrObject *>(o);
    Py_CLEAR(d->d_type);
    Py_CLEAR(d->d_name);
    Py_CLEAR(d->d_qualname);
    if (Py_TYPE(o) == &PyGetSetDescr_Type) {
        auto *g = reinterpret_cast<PyGetSetDescrObject *>(o);
        if (auto *holder = reinterpret_cast<GetSetHolder *>(g->d_getset)) {
            std::free(const_cast<char *>(holder->def.name));
            std::free(holder->doc);
            delete holder;
            g->d_getset = nullptr;
        }
    } else {
        auto *m = reinterpret_cast<PyMemberDescrObject *>(o);
        if (auto *holder = reinterpret_cast<MemberHolder *>(m->d_member)) {
            std::free(const_cast<char *>(holder->def.name));
            std::free(holder->doc);
            delete holder;
            m->d_member = nullptr;
        }
    }
}

} // namespace ferry

int PyDescr_IsData(PyObject *ob) {
    FERRY_API;
    return Py_TYPE(ob)->tp_descr_set != nullptr;
}

// A class method of a C type from its PyMethodDef (Cython's classmethods of
// cdef classes): CPython's classmethod_descriptor. On the host it is
// _support.classmethod_descriptor, holding the function C would get bound to
// `type` (PyCMethod_New, with `type` as the defining class for METH_METHOD);
// its __get__ and __call__ check the class as CPython's do and bind the def
// to the class they are given. C sees a plain object: nothing reads a
// PyMethodDescrObject from it (PyClassMethodDescr_Type is not the layer's).
PyObject *PyDescr_NewClassMethod(PyTypeObject *type, PyMethodDef *method) {
    FERRY_API;
    auto *cls = reinterpret_cast<PyObject *>(type);
    PyObject *f = PyCMethod_New(method, cls, nullptr, (method->ml_flags & METH_METHOD) ? type : nullptr);
    if (!f)
        return nullptr;
    PyObject *name = PyUnicode_FromString(type->tp_name);
    PyObject *descr = name ? call_module("ferry._support", "classmethod_descriptor_new", {f, cls, name})
                           : nullptr;
    Py_XDECREF(name);
    Py_DECREF(f);
    return descr;
}
