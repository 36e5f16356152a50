// Functions from PyMethodDef: each becomes a managed builtin_function_or_method
// (python/ferry/_support.py) that calls back into call_method_def with every
// calling convention CPython 3.11 has. Mirrors Objects/methodobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpyext/forward.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "methodobject"

using namespace ferry;
using host::Builtin;
using host::Handle;
using host::Helper;

namespace {

// ---------------------------------------------------------------- who is calling

// The extension type whose tp_methods holds def, searched from self's type
// (from self itself for METH_CLASS) up its bases: a method descriptor's type.
PyTypeObject *owner_of(PyMethodDef *def, PyObject *self) {
    if (!self)
        return nullptr;
    PyTypeObject *t = (def->ml_flags & METH_CLASS) && PyType_Check(self)
                          ? reinterpret_cast<PyTypeObject *>(self)
                          : Py_TYPE(self);
    for (; t; t = t->tp_base)
        for (PyMethodDef *m = t->tp_methods; m && m->ml_name; m++)
            if (m == def)
                return t;
    return nullptr;
}

// PyCMethod_New(def, self, module, cls): the class travels with a private
// copy of def (the host calls back with a def address only); interned per
// (def, cls), both kept for the layer's lifetime.
struct ClassBoundDef {
    PyMethodDef def;
    PyMethodDef *original;
    PyTypeObject *cls;
};
std::map<std::pair<PyMethodDef *, PyTypeObject *>, ClassBoundDef *> g_class_bound;
std::unordered_map<PyMethodDef *, ClassBoundDef *> g_class_bound_by_copy;

PyMethodDef *class_bound_def(PyMethodDef *def, PyTypeObject *cls) {
    auto key = std::make_pair(def, cls);
    auto it = g_class_bound.find(key);
    if (it != g_class_bound.end())
        return &it->second->def;
    auto *c = new ClassBoundDef{*def, def, cls};
    Py_INCREF(cls);
    g_class_bound[key] = c;
    g_class_bound_by_copy[&c->def] = c;
    return &c->def;
}

// METH_METHOD's defining class: the class given to PyCMethod_New, else the
// type whose tp_methods defines the method (not type(self)).
PyTypeObject *defining_class(PyMethodDef *def, PyObject *self, PyTypeObject *fallback) {
    auto it = g_class_bound_by_copy.find(def);
    if (it != g_class_bound_by_copy.end())
        return it->second->cls;
    PyTypeObject *t = owner_of(def, self);
    return t ? t : fallback;
}

[[gnu::noinline, gnu::cold]] std::string qualname_of(PyTypeObject *t) {
    PyObject *q = PyObject_GetAttrString(reinterpret_cast<PyObject *>(t), "__qualname__");
    const char *s = q && PyUnicode_Check(q) ? PyUnicode_AsUTF8(q) : nullptr;
    std::string r = s ? s : t->tp_name;
    Py_XDECREF(q);
    PyErr_Clear();
    return r;
}

// What CPython's _PyObject_FunctionStr(func) prints: "module.qualname()" for
// module functions, "Type.name()" for methods (descriptors and functions
// bound to an object), "name()" without self. The module given to
// PyCFunction_NewEx is not known here: the module of self is used.
[[gnu::noinline, gnu::cold]] std::string function_str(PyMethodDef *def, PyObject *self) {
    if (!self)
        return std::string(def->ml_name) + "()";
    if (PyModule_Check(self)) {
        PyObject *err_t, *err_v, *err_tb;
        PyErr_Fetch(&err_t, &err_v, &err_tb);
        const char *mod = PyModule_GetName(self);
        std::string r = mod && strcmp(mod, "builtins") ? std::string(mod) + "." : std::string();
        PyErr_Restore(err_t, err_v, err_tb);
        return r + def->ml_name + "()";
    }
    PyTypeObject *t = owner_of(def, self);
    if (!t)
        t = PyType_Check(self) ? reinterpret_cast<PyTypeObject *>(self) : Py_TYPE(self);
    return qualname_of(t) + "." + def->ml_name + "()";
}

// repr() of the callable, as _Py_CheckFunctionResult reports it.
[[gnu::noinline, gnu::cold]] std::string function_repr(PyMethodDef *def, PyObject *self) {
    char buf[512];
    if (!self || PyModule_Check(self))
        snprintf(buf, sizeof buf, "<built-in function %.200s>", def->ml_name);
    else if (PyTypeObject *t = owner_of(def, self))
        snprintf(buf, sizeof buf, "<method '%.200s' of '%.200s' objects>", def->ml_name, t->tp_name);
    else
        snprintf(buf, sizeof buf, "<built-in method %.200s of %.200s object at %p>", def->ml_name,
                 Py_TYPE(self)->tp_name, static_cast<void *>(self));
    return buf;
}

// ---------------------------------------------------------------- calling conventions

[[gnu::noinline, gnu::cold]] PyObject *arity_error(PyMethodDef *def, PyObject *self,
                                                   const char *what, Py_ssize_t nargs) {
    PyErr_Format(PyExc_TypeError, "%s %s (%zd given)", function_str(def, self).c_str(), what, nargs);
    return nullptr;
}

// CPython's PyCFunction tp_call names only ml_name for METH_VARARGS; the
// vectorcall paths (and method descriptors) use the function str.
[[gnu::noinline, gnu::cold]] PyObject *no_keywords_error(PyMethodDef *def, PyObject *self, int flags) {
    std::string what = flags == METH_VARARGS && !owner_of(def, self)
                           ? std::string(def->ml_name) + "()"
                           : function_str(def, self);
    PyErr_Format(PyExc_TypeError, "%s takes no keyword arguments", what.c_str());
    return nullptr;
}

// A METH_FASTCALL|METH_KEYWORDS function (METH_METHOD ones with their
// defining class): nargs positional arguments, then kwnames' values.
PyObject *fastcall_keywords(PyMethodDef *def, PyObject *self, PyTypeObject *defining,
                            PyObject *const *stack, Py_ssize_t nargs, PyObject *kwnames) {
    if (def->ml_flags & METH_METHOD)
        return reinterpret_cast<PyCMethod>(reinterpret_cast<void (*)()>(def->ml_meth))(
            self, defining_class(def, self, defining), stack, nargs, kwnames);
    return reinterpret_cast<_PyCFunctionFastWithKeywords>(reinterpret_cast<void (*)()>(def->ml_meth))(
        self, stack, nargs, kwnames);
}

// The arguments as a vector (argv, nargs); a tuple of them is made only for
// the METH_VARARGS conventions.
PyObject *call_with_flags(PyMethodDef *def, PyObject *self, PyTypeObject *defining,
                          PyObject *const *argv, Py_ssize_t nargs, PyObject *kwargs) {
    int flags = def->ml_flags & ~(METH_CLASS | METH_STATIC | METH_COEXIST);
    bool has_kw = kwargs && PyDict_GET_SIZE(kwargs);
    auto as_tuple = [&]() {
        PyObject *t = PyTuple_New(nargs);
        for (Py_ssize_t i = 0; t && i < nargs; i++)
            PyTuple_SET_ITEM(t, i, Py_NewRef(argv[i]));
        return t;
    };
    if (has_kw && !(flags & METH_KEYWORDS))
        return no_keywords_error(def, self, flags);
    switch (flags) {
    case METH_NOARGS:
        if (nargs) {
            return arity_error(def, self, "takes no arguments", nargs);
        }
        return def->ml_meth(self, nullptr);
    case METH_O:
        if (nargs != 1) {
            return arity_error(def, self, "takes exactly one argument", nargs);
        }
        return def->ml_meth(self, argv[0]);
    case METH_VARARGS:
    case METH_VARARGS | METH_KEYWORDS: {
        PyObject *args = as_tuple();
        if (!args)
            return nullptr;
        PyObject *r = flags == METH_VARARGS
                          ? def->ml_meth(self, args)
                          : reinterpret_cast<PyCFunctionWithKeywords>(reinterpret_cast<void (*)()>(def->ml_meth))(
                                self, args, has_kw ? kwargs : nullptr);
        Py_DECREF(args);
        return r;
    }
    case METH_FASTCALL:
        return reinterpret_cast<_PyCFunctionFast>(reinterpret_cast<void (*)()>(def->ml_meth))(
            self, argv, nargs);
    case METH_FASTCALL | METH_KEYWORDS:
    case METH_METHOD | METH_FASTCALL | METH_KEYWORDS: {
        if (!has_kw)
            return fastcall_keywords(def, self, defining, argv, nargs, nullptr);
        std::vector<PyObject *> stack;
        PyObject *kwnames = kwargs_to_stack(argv, nargs, kwargs, stack);
        if (!kwnames)
            return nullptr;
        PyObject *r = fastcall_keywords(def, self, defining, stack.data(), nargs, kwnames);
        Py_DECREF(kwnames);
        return r;
    }
    default:
        PyErr_Format(PyExc_SystemError, "%s() method: bad call flags", def->ml_name);
        return nullptr;
    }
}

// METH_FASTCALL|METH_KEYWORDS with keywords: names and values straight from
// the host's dict (one host call for both), no dict on the C side.
PyObject *call_fastcall_keywords(PyMethodDef *def, PyObject *self, PyTypeObject *defining,
                                 PyObject *const *argv, Py_ssize_t nargs, Handle kw) {
    Handle flat = host::call_helper(Helper::kw_flat, {kw});
    if (!flat)
        return null_with_host_error();
    ptrdiff_t n = host::exact_length(flat) / 2;   // (kw_flat's tuple)
    std::vector<PyObject *> stack(argv, argv + nargs);
    PyObject *kwnames = PyTuple_New(n);
    bool ok = kwnames != nullptr;
    for (ptrdiff_t i = 0; ok && i < 2 * n; i++) {
        PyObject *item = from_host_steal(host::exact_item(flat, i));
        ok = item != nullptr;
        if (ok && i < n)
            PyTuple_SET_ITEM(kwnames, i, item);
        else if (ok)
            stack.push_back(item);
    }
    host::close(flat);
    PyObject *r = ok ? fastcall_keywords(def, self, defining, stack.data(), nargs, kwnames) : nullptr;
    for (size_t i = nargs; i < stack.size(); i++)
        Py_DECREF(stack[i]);
    Py_XDECREF(kwnames);
    return r;
}

// Objects/call.c's _Py_CheckFunctionResult for a function of a PyMethodDef
// (bad_call_result: the slow path).
[[gnu::noinline, gnu::cold]] PyObject *bad_result(PyMethodDef *def, PyObject *self, PyObject *r) {
    return bad_call_result(function_repr(def, self).c_str(), r);
}

inline PyObject *check_result(PyMethodDef *def, PyObject *self, PyObject *r) {
    return (r != nullptr) == !PyErr_Occurred() ? r : bad_result(def, self, r);
}

// A host builtin seen from C (PyPy's own functions and builtin methods, e.g.
// len or [].append, whose type is mapped to PyCFunction_Type) has no
// PyMethodDef: it gets a synthesized one whose function only raises.
PyObject *host_builtin_has_no_c_function(PyObject *, PyObject *, PyObject *) {
    PyErr_SetString(PyExc_SystemError,
                    "ferry: this builtin function belongs to the host interpreter (PyPy) and has "
                    "no C function to call directly; call the function object instead");
    return nullptr;
}

bool is_synthesized(const PyMethodDef *def) {
    return def && def->ml_meth ==
                      reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(host_builtin_has_no_c_function));
}

} // namespace

namespace ferry {

// Objects/call.c's _Py_CheckFunctionResult, the slow path (kept off the
// stack frames of the call, which nest when C calls back into Python): what
// names the callable.
[[gnu::noinline, gnu::cold]] PyObject *bad_call_result(const char *what, PyObject *r) {
    if (!r) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_SystemError, "%s returned NULL without setting an exception", what);
        return nullptr;
    }
    if (!PyErr_Occurred())
        return r;
    Py_DECREF(r);
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    if (tb && v)
        PyException_SetTraceback(v, tb);
    PyErr_Format(PyExc_SystemError, "%s returned a result with an exception set",
                 what);
    PyObject *t2, *v2, *tb2;
    PyErr_Fetch(&t2, &v2, &tb2);
    PyErr_NormalizeException(&t2, &v2, &tb2);
    if (v2 && v) {
        PyException_SetCause(v2, Py_NewRef(v));
        PyException_SetContext(v2, Py_NewRef(v));
    }
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
    PyErr_Restore(t2, v2, tb2);
    return nullptr;
}

PyObject *kwargs_to_stack(PyObject *const *argv, Py_ssize_t nargs, PyObject *kwargs,
                          std::vector<PyObject *> &stack) {
    stack.assign(argv, argv + nargs);
    PyObject *kwnames = PyTuple_New(PyDict_GET_SIZE(kwargs));
    Py_ssize_t pos = 0, i = 0;
    PyObject *k, *v;
    while (kwnames && PyDict_Next(kwargs, &pos, &k, &v)) {
        PyTuple_SET_ITEM(kwnames, i++, Py_NewRef(k));
        stack.push_back(v);   // (borrowed from the dict, which the caller holds)
    }
    return kwnames;
}

char *utf8_attr(Handle h, const char *name) {
    Handle v = host::getattr_s(h, name);
    ptrdiff_t n = 0;
    const char *s = v && !host::is(v, host::borrowed(Builtin::None)) ? host::unicode_as_utf8(v, &n) : nullptr;
    char *copy = s ? strndup(s, n) : nullptr;
    host::close(v);
    if (!s)
        host::err_clear();
    return copy;
}

PyObject *call_method_def_c(PyMethodDef *def, PyObject *self, PyTypeObject *defining, PyObject *const *argv,
                            Py_ssize_t nargs) {
    return call_with_flags(def, self, defining, argv, nargs, nullptr);
}

// The positional arguments come as the host's handles (no tuple is made on
// the host side nor, unless the convention asks for one, on the C side).
Handle call_method_def(PyMethodDef *def, PyObject *self, PyTypeObject *defining,
                       const Handle *argv, ptrdiff_t nargs, Handle kw, PyObject *kwnames) {
    PyObject *small[8];
    std::vector<PyObject *> large;
    PyObject **args = nargs <= 8 ? small : (large.resize(nargs), large.data());
    uint64_t borrowing = 0;   // which arguments' proxies borrow their handle (the first 64)
    auto release = [&](ptrdiff_t n) {
        for (ptrdiff_t j = 0; j < n; j++) {
            if (j < 64 && (borrowing >> j & 1))
                keep_argument(args[j]);
            Py_DECREF(args[j]);
        }
    };
    for (ptrdiff_t i = 0; i < nargs; i++) {
        bool borrowed = false;
        args[i] = i < 64 ? from_host_argument(argv[i], &borrowed) : from_host(argv[i]);
        if (!args[i]) {
            release(i);
            move_c_error_to_host();
            return {};
        }
        borrowing |= uint64_t(borrowed) << i;
    }
    PyObject *r = nullptr;
    int flags = def->ml_flags & ~(METH_CLASS | METH_STATIC | METH_COEXIST);
    if (kwnames) {   // (METH_FASTCALL|METH_KEYWORDS: entry.cpp)
        r = check_result(def, self,
                         fastcall_keywords(def, self, defining, args, nargs - PyTuple_GET_SIZE(kwnames), kwnames));
    } else if (kw && (flags & METH_FASTCALL) && (flags & METH_KEYWORDS)) {
        r = check_result(def, self, call_fastcall_keywords(def, self, defining, args, nargs, kw));
    } else {
        PyObject *k = kwargs_from_host(kw);
        if (!(kw && !k && PyErr_Occurred()))
            r = check_result(def, self, call_with_flags(def, self, defining, args, nargs, k));
        Py_XDECREF(k);
    }
    Handle h = to_host_result(r);
    release(nargs);
    return h;
}

// self_is_address: self is a module (or other long-lived object) that the
// function reaches by address; otherwise the managed self is captured.
Handle make_host_function(PyMethodDef *def, PyObject *self, PyObject *module, bool self_is_address) {
    if (module && PyUnicode_Check(module)) {   // for the statistics' attribution
        Py_ssize_t n = 0;
        if (const char *name = PyUnicode_AsUTF8AndSize(module, &n))
            stats::note_function_module(def, strdup(name));
        else
            PyErr_Clear();
    }
    if (!self)
        self_is_address = true;   // NULL self: address 0, passed to C as NULL (__self__ is None)
    Handle hbound = self ? host::dup(handle_of(self)) : host::dup(host::borrowed(Builtin::None));
    Handle hself = self_is_address ? host::long_from_unsigned(reinterpret_cast<uintptr_t>(self))
                                   : host::dup(hbound);
    Handle hmod = module ? host::dup(handle_of(module)) : host::dup(host::borrowed(Builtin::None));
    Handle hdef = host::long_from_unsigned(reinterpret_cast<uintptr_t>(def));
    Handle hname = host::unicode_from_utf8(def->ml_name, strlen(def->ml_name));
    Handle hdoc = def->ml_doc ? host::unicode_from_utf8(def->ml_doc, strlen(def->ml_doc))
                              : host::dup(host::borrowed(Builtin::None));
    Handle haddr = host::bool_from(self_is_address);
    Handle hflags = host::long_from(def->ml_flags);
    // A module's functions are called directly (the module outlives them).
    int arity = -1;
    Handle hdirect = self && self_is_address && PyModule_Check(self) ? direct_entry(def, self, nullptr, &arity)
                                                                     : host::dup(host::borrowed(Builtin::None));
    Handle harity = host::long_from(arity);
    Handle r = {};
    if (hbound && hself && hmod && hdef && hname && hdoc && hflags && hdirect && harity)
        r = host::call_helper(Helper::make_function,
                              {hdef, hself, haddr, hname, hdoc, hmod, hbound, hflags, hdirect, harity});
    for (Handle h : {hbound, hself, hmod, hdef, hname, hdoc, haddr, hflags, hdirect, harity})
        host::close(h);
    if (!r && !PyErr_Occurred())
        move_host_error_to_c();
    return r;
}

// The C struct of a function crossing into C: m_ml and m_self as CPython has
// them (PyCFunction_GET_FUNCTION/GET_SELF read them directly), mm_class for
// METH_METHOD. Sized as a PyCMethodObject whatever the type.
PyObject *cfunction_materialize(Handle h, PyTypeObject *type) {
    size_t size = sizeof(PyCMethodObject);
    if (static_cast<size_t>(type->tp_basicsize) > size)
        size = type->tp_basicsize;
    PyObject *o = alloc_object(type, size);
    if (!o)
        return nullptr;
    auto *f = reinterpret_cast<PyCFunctionObject *>(o);
    Handle def = host::getattr_s(h, "_def");
    if (def) {
        bool overflow = false;
        f->m_ml = reinterpret_cast<PyMethodDef *>(host::long_as_unsigned(def, &overflow));
        host::close(def);
        Handle by_address = host::getattr_s(h, "_by_address");
        Handle self = host::getattr_s(h, "_self");
        int addr = by_address && self ? host::is_true(by_address) : -1;
        host::close(by_address);
        if (addr > 0) {
            f->m_self = reinterpret_cast<PyObject *>(host::long_as_unsigned(self, &overflow));
            Py_XINCREF(f->m_self);
        } else if (addr == 0 && !host::is(self, host::borrowed(Builtin::None))) {
            f->m_self = from_host(self);
            if (!f->m_self)
                PyErr_Clear();
        }
        host::close(self);
        if (addr < 0)
            host::err_clear();
        auto it = g_class_bound_by_copy.find(f->m_ml);
        if (it != g_class_bound_by_copy.end())
            reinterpret_cast<PyCMethodObject *>(o)->mm_class =
                reinterpret_cast<PyTypeObject *>(Py_NewRef(it->second->cls));
        return o;
    }
    host::err_clear();
    // A host builtin: a synthesized PyMethodDef, freed with the proxy.
    auto *sdef = new PyMethodDef{};
    char *name = utf8_attr(h, "__name__");
    sdef->ml_name = name ? name : strdup("?");
    sdef->ml_meth = reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(host_builtin_has_no_c_function));
    sdef->ml_flags = METH_VARARGS | METH_KEYWORDS;
    sdef->ml_doc = utf8_attr(h, "__doc__");
    f->m_ml = sdef;
    Handle self = host::getattr_s(h, "__self__");
    if (self && !host::is(self, host::borrowed(Builtin::None))) {
        f->m_self = from_host(self);
        if (!f->m_self)
            PyErr_Clear();
    }
    if (!self)
        host::err_clear();
    host::close(self);
    return o;
}

void cfunction_release(PyObject *o) {
    auto *f = reinterpret_cast<PyCFunctionObject *>(o);
    Py_CLEAR(f->m_self);
    Py_CLEAR(f->m_module);
    if (f->m_ml && (f->m_ml->ml_flags & METH_METHOD))
        Py_CLEAR(reinterpret_cast<PyCMethodObject *>(o)->mm_class);
    if (is_synthesized(f->m_ml)) {
        free(const_cast<char *>(f->m_ml->ml_name));
        free(const_cast<char *>(f->m_ml->ml_doc));
        delete f->m_ml;
    }
    f->m_ml = nullptr;
}

} // namespace ferry

PyObject *PyCMethod_New(PyMethodDef *def, PyObject *self, PyObject *module, PyTypeObject *cls) {
    FERRY_API;
    if (def->ml_flags & METH_METHOD) {
        if (!cls) {
            PyErr_SetString(PyExc_SystemError,
                            "attempting to create PyCMethod with a METH_METHOD flag but no class");
            return nullptr;
        }
    } else if (cls) {
        PyErr_SetString(PyExc_SystemError,
                        "attempting to create PyCFunction with class but no METH_METHOD flag");
        return nullptr;
    }
    PyObject *modname = nullptr;
    if (module) {
        modname = PyModule_Check(module) ? PyModule_GetNameObject(module) : Py_NewRef(module);
        if (!modname)
            return nullptr;
    }
    PyMethodDef *d = cls ? class_bound_def(def, cls) : def;
    Handle f = make_host_function(d, self, modname, false);
    Py_XDECREF(modname);
    return f ? result(f) : nullptr;
}

PyObject *(PyCFunction_NewEx)(PyMethodDef *def, PyObject *self, PyObject *module) {
    FERRY_API;
    return PyCMethod_New(def, self, module, nullptr);
}

PyObject *(PyCFunction_New)(PyMethodDef *def, PyObject *self) { FERRY_API; return (PyCFunction_NewEx)(def, self, nullptr); }

// A host builtin has no C function: its synthesized def's function raises
// SystemError when called (see host_builtin_has_no_c_function).
PyCFunction PyCFunction_GetFunction(PyObject *o) {
    FERRY_API;
    if (!o || !PyCFunction_Check(o) || !reinterpret_cast<PyCFunctionObject *>(o)->m_ml) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    return reinterpret_cast<PyCFunctionObject *>(o)->m_ml->ml_meth;
}

int PyCFunction_GetFlags(PyObject *o) {
    FERRY_API;
    if (!o || !PyCFunction_Check(o) || !reinterpret_cast<PyCFunctionObject *>(o)->m_ml) {
        PyErr_BadInternalCall();
        return -1;
    }
    return reinterpret_cast<PyCFunctionObject *>(o)->m_ml->ml_flags;
}

PyObject *PyCFunction_GetSelf(PyObject *o) {
    FERRY_API;
    if (!o || !PyCFunction_Check(o)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    auto *f = reinterpret_cast<PyCFunctionObject *>(o);
    if (f->m_ml && (f->m_ml->ml_flags & METH_STATIC))
        return nullptr;
    return f->m_self;   // filled when the function crossed into C
}
