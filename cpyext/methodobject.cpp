// Functions from PyMethodDef: each becomes a managed builtin_function_or_method
// (python/ferry/_support.py) that calls back into call_method_def with every
// calling convention CPython 3.11 has. Mirrors Objects/methodobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <vector>

#include "cpyext/forward.h"

using namespace ferry;
using host::Builtin;
using host::Handle;
using host::Helper;

namespace {

PyObject *call_with_flags(PyMethodDef *def, PyObject *self, PyTypeObject *defining,
                          PyObject *args, PyObject *kwargs) {
    int flags = def->ml_flags & ~(METH_CLASS | METH_STATIC | METH_COEXIST);
    const char *name = def->ml_name;
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    bool has_kw = kwargs && PyDict_GET_SIZE(kwargs);
    if (has_kw && !(flags & METH_KEYWORDS)) {
        PyErr_Format(PyExc_TypeError, "%.200s() takes no keyword arguments", name);
        return nullptr;
    }
    switch (flags) {
    case METH_NOARGS:
        if (nargs) {
            PyErr_Format(PyExc_TypeError, "%.200s() takes no arguments (%zd given)", name, nargs);
            return nullptr;
        }
        return def->ml_meth(self, nullptr);
    case METH_O:
        if (nargs != 1) {
            PyErr_Format(PyExc_TypeError, "%.200s() takes exactly one argument (%zd given)", name,
                         nargs);
            return nullptr;
        }
        return def->ml_meth(self, PyTuple_GET_ITEM(args, 0));
    case METH_VARARGS:
        return def->ml_meth(self, args);
    case METH_VARARGS | METH_KEYWORDS:
        return reinterpret_cast<PyCFunctionWithKeywords>(reinterpret_cast<void (*)()>(def->ml_meth))(
            self, args, has_kw ? kwargs : nullptr);
    case METH_FASTCALL:
        return reinterpret_cast<_PyCFunctionFast>(reinterpret_cast<void (*)()>(def->ml_meth))(
            self, &PyTuple_GET_ITEM(args, 0), nargs);
    case METH_FASTCALL | METH_KEYWORDS:
    case METH_METHOD | METH_FASTCALL | METH_KEYWORDS: {
        std::vector<PyObject *> stack(&PyTuple_GET_ITEM(args, 0), &PyTuple_GET_ITEM(args, 0) + nargs);
        PyObject *kwnames = nullptr;
        if (has_kw) {
            kwnames = PyTuple_New(PyDict_GET_SIZE(kwargs));
            Py_ssize_t pos = 0, i = 0;
            PyObject *k, *v;
            while (kwnames && PyDict_Next(kwargs, &pos, &k, &v)) {
                PyTuple_SET_ITEM(kwnames, i++, Py_NewRef(k));
                stack.push_back(v);
            }
            if (!kwnames)
                return nullptr;
        }
        PyObject *r;
        if (flags & METH_METHOD)
            r = reinterpret_cast<PyCMethod>(reinterpret_cast<void (*)()>(def->ml_meth))(
                self, defining, stack.data(), nargs, kwnames);
        else
            r = reinterpret_cast<_PyCFunctionFastWithKeywords>(reinterpret_cast<void (*)()>(def->ml_meth))(
                self, stack.data(), nargs, kwnames);
        Py_XDECREF(kwnames);
        return r;
    }
    default:
        PyErr_Format(PyExc_SystemError, "%s() method: bad call flags", name);
        return nullptr;
    }
}

struct CFunctionExtra {
    PyObject *self;
    PyObject *module;
};

} // namespace

namespace ferry {

PyObject *call_method_def(PyMethodDef *def, PyObject *self, PyTypeObject *defining, Handle args,
                          Handle kw) {
    PyObject *a = args_from_host(args);
    if (!a)
        return nullptr;
    PyObject *k = kwargs_from_host(kw);
    if (kw && !k && PyErr_Occurred()) {
        Py_DECREF(a);
        return nullptr;
    }
    PyObject *r = call_with_flags(def, self, defining, a, k);
    Py_DECREF(a);
    Py_XDECREF(k);
    if (!r && !PyErr_Occurred())
        PyErr_Format(PyExc_SystemError, "%s() returned NULL without setting an exception",
                     def->ml_name);
    return r;
}

// self_is_address: self is a module (or other long-lived object) that the
// function reaches by address; otherwise the managed self is captured.
Handle make_host_function(PyMethodDef *def, PyObject *self, PyObject *module, bool self_is_address) {
    if (!self)
        self_is_address = true;   // NULL self: address 0, passed to C as NULL (__self__ is None)
    Handle hself = self_is_address
                       ? host::long_from_unsigned(reinterpret_cast<uintptr_t>(self))
                       : host::dup(self ? handle_of(self) : host::borrowed(Builtin::None));
    Handle hmod = module ? host::dup(handle_of(module)) : host::dup(host::borrowed(Builtin::None));
    Handle hdef = host::long_from_unsigned(reinterpret_cast<uintptr_t>(def));
    Handle hname = host::unicode_from_utf8(def->ml_name, strlen(def->ml_name));
    Handle hdoc = def->ml_doc ? host::unicode_from_utf8(def->ml_doc, strlen(def->ml_doc))
                              : host::dup(host::borrowed(Builtin::None));
    Handle haddr = host::bool_from(self_is_address);
    Handle r = {};
    if (hself && hmod && hdef && hname && hdoc)
        r = host::call_helper(Helper::make_function, {hdef, hself, haddr, hname, hdoc, hmod});
    for (Handle h : {hself, hmod, hdef, hname, hdoc, haddr})
        host::close(h);
    if (!r && !PyErr_Occurred())
        move_host_error_to_c();
    return r;
}

PyObject *cfunction_materialize(Handle h, PyTypeObject *type) {
    PyObject *o = alloc_object(type, sizeof(PyCFunctionObject));
    if (!o)
        return nullptr;
    auto *f = reinterpret_cast<PyCFunctionObject *>(o);
    Handle def = host::getattr_s(h, "_def");
    bool overflow = false;
    f->m_ml = def ? reinterpret_cast<PyMethodDef *>(host::long_as_unsigned(def, &overflow)) : nullptr;
    host::close(def);
    if (!def)
        host::err_clear();
    return o;
}

// m_self holds the reference PyCFunction_GetSelf handed out borrowed.
void cfunction_release(PyObject *o) { Py_CLEAR(reinterpret_cast<PyCFunctionObject *>(o)->m_self); }

} // namespace ferry

PyObject *PyCMethod_New(PyMethodDef *def, PyObject *self, PyObject *module, PyTypeObject *cls) {
    if ((def->ml_flags & METH_METHOD) && !cls) {
        PyErr_SetString(PyExc_SystemError, "attempting to create PyCMethod with a METH_METHOD flag but no class");
        return nullptr;
    }
    PyObject *modname = nullptr;
    if (module) {
        modname = PyModule_Check(module) ? PyModule_GetNameObject(module) : Py_NewRef(module);
        if (!modname)
            return nullptr;
    }
    Handle f = make_host_function(def, self, modname, false);
    Py_XDECREF(modname);
    return f ? result(f) : nullptr;
}

PyObject *(PyCFunction_NewEx)(PyMethodDef *def, PyObject *self, PyObject *module) {
    return PyCMethod_New(def, self, module, nullptr);
}

PyObject *(PyCFunction_New)(PyMethodDef *def, PyObject *self) { return (PyCFunction_NewEx)(def, self, nullptr); }

PyCFunction PyCFunction_GetFunction(PyObject *o) {
    if (!PyCFunction_Check(o) || !reinterpret_cast<PyCFunctionObject *>(o)->m_ml) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    return reinterpret_cast<PyCFunctionObject *>(o)->m_ml->ml_meth;
}

int PyCFunction_GetFlags(PyObject *o) {
    if (!PyCFunction_Check(o) || !reinterpret_cast<PyCFunctionObject *>(o)->m_ml) {
        PyErr_BadInternalCall();
        return -1;
    }
    return reinterpret_cast<PyCFunctionObject *>(o)->m_ml->ml_flags;
}

PyObject *PyCFunction_GetSelf(PyObject *o) {
    if (!o || !PyCFunction_Check(o)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    auto *f = reinterpret_cast<PyCFunctionObject *>(o);
    if (f->m_ml && (f->m_ml->ml_flags & METH_STATIC))
        return nullptr;
    if (f->m_self)
        return f->m_self;
    Handle h = handle_of(o);
    if (!h)
        return nullptr;
    Handle by_address = host::getattr_s(h, "_by_address");
    Handle self = by_address ? host::getattr_s(h, "_self") : Handle{};
    if (!self) {
        host::close(by_address);
        return null_with_host_error();
    }
    int addr = host::is_true(by_address);
    host::close(by_address);
    PyObject *r = nullptr;
    if (addr < 0) {
        host::close(self);
        return null_with_host_error();
    }
    if (addr) {
        bool overflow = false;
        r = reinterpret_cast<PyObject *>(host::long_as_unsigned(self, &overflow));
        host::close(self);
        Py_XINCREF(r);
    } else {
        r = from_host_steal(self);
        if (!r)
            return nullptr;
    }
    f->m_self = r;   // kept while the function's proxy lives
    return r;
}
