// The object protocol: every operation on a managed object (and on a native
// one, through its wrapper, whose class dispatches back to the C slots) is a
// host call. Mirrors Objects/object.c and Objects/call.c.
// No PY_SSIZE_T_CLEAN here: this file defines both the plain and _SizeT calls.
#include <Python.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpyext/forward.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "object"

using namespace ferry;
using host::Builtin;
using host::Handle;
using host::Helper;

namespace ferry {

Handle static_singleton_handle(PyObject *o) {
    if (o == Py_None)
        return host::borrowed(Builtin::None);
    if (o == Py_True)
        return host::borrowed(Builtin::True);
    if (o == Py_False)
        return host::borrowed(Builtin::False);
    if (o == Py_NotImplemented)
        return host::borrowed(Builtin::NotImplemented);
    return host::borrowed(Builtin::Ellipsis);
}

Handle name_handle(const char *name) {
    Handle h = host::unicode_from_utf8(name, std::strlen(name));
    if (!h)
        move_host_error_to_c();
    return h;
}

PyObject *args_tuple_from_host(const Handle *argv, ptrdiff_t n) {
    PyObject *t = PyTuple_New(n);
    for (ptrdiff_t i = 0; t && i < n; i++) {
        PyObject *item = from_host(argv[i]);
        if (!item) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, i, item);
    }
    return t;
}

PyObject *kwargs_from_host(Handle kw) {
    if (!kw || host::is(kw, host::borrowed(Builtin::None)))
        return nullptr;
    ptrdiff_t n = host::length(kw);
    if (n == 0)
        return nullptr;
    return from_host(kw);
}

} // namespace ferry

namespace {

// What every call into the host from C does after it: Python code ran.
void after_host_call() {
    dict_host_may_have_written();   // dict version tags
    lists_refresh();                // lists the call may have changed
    if (debug::stress) [[unlikely]]
        debug::stress_point();
}

// callable(*args, **kwdict) on the host: the positional arguments go into a
// host tuple straight from their handles (no C tuple made and synced).
PyObject *call_handle(Handle callable, PyObject *const *args, Py_ssize_t n, PyObject *kwdict) {
    Handle small[8];
    std::vector<Handle> large;
    Handle *hs = n <= 8 ? small : (large.resize(n), large.data());
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!(hs[i] = handle_of(args[i])))
            return nullptr;
        if (PyList_CheckExact(args[i]))   // (list.pop(L): Cython's call of an unbound method)
            list_may_change(args[i]);
    }
    Handle kw = {};
    if (kwdict && PyDict_GET_SIZE(kwdict) && !(kw = handle_of(kwdict)))
        return nullptr;
    Handle t = host::tuple_from(hs, n);
    if (!t)
        return null_with_host_error();
    PyObject *r = result(host::call(callable, t, kw));
    host::close(t);
    after_host_call();
    return r;
}

// The keywords of a vectorcall (names in kwnames, values after the n
// arguments) as a new dict; null with the error set.
PyObject *kwnames_dict(PyObject *kwnames, PyObject *const *args, Py_ssize_t n) {
    PyObject *kw = PyDict_New();
    for (Py_ssize_t i = 0; kw && i < PyTuple_GET_SIZE(kwnames); i++)
        if (PyDict_SetItem(kw, PyTuple_GET_ITEM(kwnames, i), args[n + i]) < 0)
            Py_CLEAR(kw);
    return kw;
}

// The function at the type's tp_vectorcall_offset in callable, or null.
vectorcallfunc vectorcall_function(PyObject *callable) {
    vectorcallfunc func = nullptr;
    if (Py_ssize_t offset = Py_TYPE(callable)->tp_vectorcall_offset; offset > 0)
        std::memcpy(&func, reinterpret_cast<char *>(callable) + offset, sizeof(func));
    return func;
}

// func called with argv and a dict's keywords as names and values after
// them (call.c's _PyVectorcall_Call).
PyObject *vectorcall_with_dict(vectorcallfunc func, PyObject *callable, PyObject *const *argv,
                               Py_ssize_t nargs, PyObject *dict) {
    if (!dict || !PyDict_GET_SIZE(dict))
        return func(callable, argv, nargs, nullptr);
    std::vector<PyObject *> stack;
    PyObject *kwnames = kwargs_to_stack(argv, nargs, dict, stack);
    if (!kwnames)
        return nullptr;
    PyObject *r = func(callable, stack.data(), nargs, kwnames);
    Py_DECREF(kwnames);
    return r;
}

// A callable whose type is an immutable type of C (numpy's ufuncs, static):
// its call is the type's own C function, as CPython's PyObject_Call makes it,
// with no host in between, whose call of its class's __call__ came back to
// that function (numpy's `a + b` calls its ufunc so: 3.5 -> 2.2 us). A Python
// subclass may override __call__, and a mutable type's may be assigned: those
// go to the host. Without tp_call: CPython's TypeError (the host's names the
// type by __name__), and false.
bool c_callable(PyObject *callable) {
    PyTypeObject *t = Py_TYPE(callable);
    if ((t->tp_flags & Py_TPFLAGS_HEAPTYPE) && !(t->tp_flags & Py_TPFLAGS_IMMUTABLETYPE))
        return false;
    TypeInfo *ti = type_info(t);
    return ti && ti->is_native;
}

[[gnu::noinline, gnu::cold]] PyObject *not_callable_c(PyObject *callable) {
    PyErr_Format(PyExc_TypeError, "'%.200s' object is not callable", Py_TYPE(callable)->tp_name);
    return nullptr;
}

[[gnu::noinline, gnu::cold]] PyObject *bad_c_call_result(PyObject *callable, PyObject *r) {
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyObject *rep = PyObject_Repr(callable);
    const char *text = rep ? PyUnicode_AsUTF8(rep) : nullptr;
    std::string what = text ? text : Py_TYPE(callable)->tp_name;
    Py_XDECREF(rep);
    PyErr_Clear();
    PyErr_Restore(t, v, tb);
    return bad_call_result(what.c_str(), r);
}

// call.c's PyObject_Vectorcall / _PyObject_MakeTpCall for c_callable(callable):
// its vectorcall function when it has one, else tp_call with a tuple and a
// dict; keywords as names after the arguments (kwnames) or as a dict.
PyObject *c_call(PyObject *callable, PyObject *const *args, Py_ssize_t n, PyObject *kwnames,
                 PyObject *kwdict) {
    PyTypeObject *t = Py_TYPE(callable);
    if (!t->tp_call)
        return not_callable_c(callable);
    vectorcallfunc func = (t->tp_flags & Py_TPFLAGS_HAVE_VECTORCALL) ? vectorcall_function(callable) : nullptr;
    PyObject *r = nullptr;
    if (func && kwnames) {
        r = func(callable, args, n, kwnames);
    } else if (func) {
        r = vectorcall_with_dict(func, callable, args, n, kwdict);
    } else {
        PyObject *tuple = PyTuple_New(n);
        if (!tuple)
            return nullptr;
        for (Py_ssize_t i = 0; i < n; i++)
            PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
        bool named = kwnames && PyTuple_GET_SIZE(kwnames);
        PyObject *kw = named ? kwnames_dict(kwnames, args, n) : Py_XNewRef(kwdict);
        if (named && !kw) {
            Py_DECREF(tuple);
            return nullptr;
        }
        if (Py_EnterRecursiveCall(" while calling a Python object") == 0) {
            r = t->tp_call(callable, tuple, kw);
            Py_LeaveRecursiveCall();
        }
        Py_DECREF(tuple);
        Py_XDECREF(kw);
    }
    return (r != nullptr) == !PyErr_Occurred() ? r : bad_c_call_result(callable, r);
}

PyObject *vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                     PyObject *kwnames, PyObject *kwdict) {
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    if (c_callable(callable))
        return c_call(callable, args, n, kwnames, kwdict);
    // int(s) and float(s) of a str, as simplejson's parse_int and parse_float
    // call them for every number: CPython's conversions are the layer's own.
    if (n == 1 && !kwdict && (!kwnames || !PyTuple_GET_SIZE(kwnames)) && PyUnicode_CheckExact(args[0])) {
        if (callable == reinterpret_cast<PyObject *>(&PyLong_Type))
            return PyLong_FromUnicodeObject(args[0], 10);
        if (callable == reinterpret_cast<PyObject *>(&PyFloat_Type))
            return PyFloat_FromString(args[0]);
    }
    if (!kwnames || !PyTuple_GET_SIZE(kwnames)) {
        Handle c = handle_of(callable);
        return c ? call_handle(c, args, n, kwdict) : nullptr;
    }
    PyObject *kw = kwnames_dict(kwnames, args, n);
    if (!kw)
        return nullptr;
    Handle c = handle_of(callable);
    PyObject *r = c ? call_handle(c, args, n, kw) : nullptr;
    Py_DECREF(kw);
    return r;
}

int g_recursion_depth = 0;
constexpr int kRecursionLimit = 1000;

} // namespace

namespace {

// Attribute lookups that failed with an AttributeError before, by (type,
// name): the next ones go through getattr_or_miss, which catches the error
// in Python code, since fetching an error pending on the host costs about a
// microsecond under HPy 0.0.4 (no HPyErr_Fetch: host::err_fetch). Extensions
// probe for optional attributes and clear the error (markupsafe asks every
// str for __html__). A slot reused by another pair only costs a lookup.
struct Miss {
    const void *type, *name;
};
Miss g_misses[64];

Miss &miss_slot(const void *type, const void *name) {
    uint64_t k = (reinterpret_cast<uintptr_t>(type) ^ reinterpret_cast<uintptr_t>(name) >> 3) *
                 0x9e3779b97f4a7c15u;
    return g_misses[k >> 58];
}

// The builtins whose attributes are their type's alone (no instance dict,
// no __getattr__): a missing one is CPython's generic AttributeError.
bool plain_builtin(PyTypeObject *t) {
    return t == &PyUnicode_Type || t == &PyLong_Type || t == &PyFloat_Type || t == &PyBool_Type ||
           t == &PyList_Type || t == &PyTuple_Type || t == &PyDict_Type || t == &PyBytes_Type ||
           t == &PySet_Type || t == &PyFrozenSet_Type || t == &PyComplex_Type ||
           t == &PyByteArray_Type || t == &_PyNone_Type;
}

// Names a plain builtin lacks, once the host said so: they stay lacking
// (neither such a class nor its instances can gain attributes), so C answers
// (simplejson asks every list and dict for `_asdict`: 1.1 us a time).
struct BuiltinMiss {
    PyTypeObject *type = nullptr;
    std::string name;
    PyObject *message = nullptr;   // the error's, made once (owned)
};
BuiltinMiss g_builtin_misses[32];

BuiltinMiss &builtin_miss_slot(PyTypeObject *t, const char *name) {
    uint64_t k = reinterpret_cast<uintptr_t>(t);
    for (const char *p = name; *p; p++)
        k = (k ^ static_cast<unsigned char>(*p)) * 0x100000001b3ull;
    return g_builtin_misses[(k * 0x9e3779b97f4a7c15u) >> 59];
}

// The name's text for the record above (null if it has none).
const char *miss_text(PyObject *name_o, const char *name_s) {
    if (!name_o)
        return name_s;
    const char *text = PyUnicode_AsUTF8(name_o);
    if (!text)
        PyErr_Clear();
    return text;
}

// An exception instance (owned handle) as the C error indicator.
void restore_exception(Handle e) {
    PyObject *v = from_host_steal(e);
    if (!v)
        return;
    PyObject *tb = PyException_GetTraceback(v);
    PyErr_Restore(Py_NewRef(reinterpret_cast<PyObject *>(Py_TYPE(v))), v, tb);
}

// o.name, h being o's handle and the name a str object, else an ASCII C
// string (either's address keys the record of misses): owned, or null with
// the C error set.
// Names C passes as C strings (PyObject_GetAttrString(o, "x")): the host's
// str of each, kept by the string's address and checked against its text (a
// caller may reuse a buffer), so that a lookup does not decode it each time.
struct CachedName {
    const char *at = nullptr;
    std::string text;
    Handle h;
};
CachedName g_names[64];

Handle cached_name(const char *s) {   // borrowed (the layer's); null with the C error set
    CachedName &c = g_names[(reinterpret_cast<uintptr_t>(s) >> 3) & 63];
    if (c.at == s && c.h && c.text == s)
        return c.h;
    Handle h = host::unicode_from_utf8(s, std::strlen(s));
    if (!h) {
        move_host_error_to_c();
        return {};
    }
    host::close(c.h);
    c.at = s;
    c.text = s;
    c.h = h;
    return h;
}

// The host's "'Point' object has no attribute 'x'" for an instance of an
// extension's type, as CPython's PyObject_GenericGetAttr says it: with the
// type's tp_name ('_ferrytest.Point'), where the host's class has the short
// name. Other AttributeErrors (a getter's own) stay as they are.
[[gnu::cold]] void native_attribute_error(PyObject *o, PyObject *name_o, const char *name_s) {
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyObject *s = v ? PyObject_Str(v) : nullptr;
    const char *text = s ? PyUnicode_AsUTF8(s) : nullptr;
    const char *name = name_o ? PyUnicode_AsUTF8(name_o) : name_s;
    const char *tp_name = Py_TYPE(o)->tp_name;
    const char *dot = std::strrchr(tp_name, '.');
    std::string host_says = std::string("'") + (dot ? dot + 1 : tp_name) + "' object has no attribute '" +
                            (name ? name : "") + "'";
    bool plain = text && name && dot && host_says == text;
    Py_XDECREF(s);
    PyErr_Clear();
    if (!plain) {
        PyErr_Restore(t, v, tb);
        return;
    }
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
    PyErr_Format(PyExc_AttributeError, "'%.50s' object has no attribute '%.400s'", tp_name, name);
}

void native_miss(PyObject *o, PyObject *name_o, const char *name_s) {
    TypeInfo *ti = type_info(Py_TYPE(o));
    if (ti && ti->is_native && PyErr_ExceptionMatches(PyExc_AttributeError)) [[unlikely]]
        native_attribute_error(o, name_o, name_s);
}

Handle host_getattr(PyObject *o, Handle h, PyObject *name_o, const char *name_s) {
    if (PyList_CheckExact(o)) [[unlikely]]
        list_may_change(o);   // (a method C may call)
    const void *key = name_o ? static_cast<const void *>(name_o) : name_s;
    Miss &slot = miss_slot(Py_TYPE(o), key);
    bool missed = slot.type == Py_TYPE(o) && slot.name == key;   // (by this type, this name's address)
    const char *text = missed && plain_builtin(Py_TYPE(o)) ? miss_text(name_o, name_s) : nullptr;
    if (text && std::strlen(text) > 400)
        text = nullptr;   // (CPython's message cuts a C string's name there, not a str's)
    if (text) {
        BuiltinMiss &known = builtin_miss_slot(Py_TYPE(o), text);
        if (known.type == Py_TYPE(o) && known.name == text) {
            if (!known.message)
                known.message = PyUnicode_FromFormat("'%.50s' object has no attribute '%s'", Py_TYPE(o)->tp_name,
                                                     text);
            if (known.message)
                PyErr_SetObject(PyExc_AttributeError, known.message);
            return {};
        }
    }
    Handle name = name_o ? handle_of(name_o) : cached_name(name_s);
    if (!name)
        return {};
    if (missed && plain_builtin(Py_TYPE(o))) {
        // No exception on the host: getattr with a default, and the error
        // made in C with CPython's message (PyObject_GenericGetAttr's).
        Handle r = host::call_with(host::borrowed(Builtin::getattr),
                                   {h, name, host::borrowed(Builtin::iter_done)});
        if (!r) {
            move_host_error_to_c();
        } else if (host::is(r, host::borrowed(Builtin::iter_done))) {
            host::close(r);
            if (text) {
                BuiltinMiss &known = builtin_miss_slot(Py_TYPE(o), text);
                Py_CLEAR(known.message);
                known.type = Py_TYPE(o);
                known.name = text;
            }
            if (name_o)
                PyErr_Format(PyExc_AttributeError, "'%.50s' object has no attribute '%U'", Py_TYPE(o)->tp_name, name_o);
            else
                PyErr_Format(PyExc_AttributeError, "'%.50s' object has no attribute '%.400s'", Py_TYPE(o)->tp_name, name_s);
            return {};
        }
        return r;
    }
    if (missed) {
        Handle n = host::dup(name);
        Handle r = n ? host::call_helper(Helper::getattr_or_miss, {h, n}) : Handle{};
        host::close(n);
        if (!r) {
            move_host_error_to_c();
        } else if (host::type_check(r, host::borrowed(Builtin::AttributeMiss))) {
            restore_exception(host::getattr_s(r, "error"));
            host::close(r);
            native_miss(o, name_o, name_s);
            return {};
        }
        return r;
    }
    Handle r = host::getattr(h, name);
    if (!r) {
        if (host::err_matches(host::borrowed(Builtin::AttributeError)))
            slot = {Py_TYPE(o), key};
        move_host_error_to_c();
        native_miss(o, name_o, name_s);
    }
    return r;
}

PyObject *result_or_c_error(Handle r) { return r ? result(r) : nullptr; }

} // namespace

PyObject *PyObject_GetAttr(PyObject *o, PyObject *name) {
    FERRY_API;
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "attribute name must be string, not '%.200s'",
                     Py_TYPE(name)->tp_name);
        return nullptr;
    }
    if (Py_TYPE(o) == &PyCode_Type) [[unlikely]] {
        const char *s = PyUnicode_AsUTF8(name);
        return s ? code_getattr(o, s) : nullptr;
    }
    Handle h = handle_of(o);
    return h ? result_or_c_error(host_getattr(o, h, name, nullptr)) : nullptr;
}

namespace {

// An ASCII name goes to the host as a C string (no str object to make and
// register); others through a str, so bad UTF-8 raises as in CPython.
bool ascii_name(const char *name) {
    for (const char *p = name; *p; p++)
        if (static_cast<unsigned char>(*p) >= 0x80)
            return false;
    return true;
}

} // namespace

PyObject *PyObject_GetAttrString(PyObject *o, const char *name) {
    FERRY_API;
    if (Py_TYPE(o) == &PyCode_Type) [[unlikely]]
        return code_getattr(o, name);
    if (ascii_name(name)) {
        Handle h = handle_of(o);
        return h ? result_or_c_error(host_getattr(o, h, nullptr, name)) : nullptr;
    }
    PyObject *n = PyUnicode_FromString(name);
    if (!n)
        return nullptr;
    PyObject *r = PyObject_GetAttr(o, n);
    Py_DECREF(n);
    return r;
}

int PyObject_SetAttr(PyObject *o, PyObject *name, PyObject *v) {
    FERRY_API;
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "attribute name must be string, not '%.200s'",
                     Py_TYPE(name)->tp_name);
        return -1;
    }
    if (!v) {
        PyObject *r = forward([](Handle a, Handle b) { return host::call_helper(Helper::delattr, {a, b}); },
                              o, name);
        Py_XDECREF(r);
        dict_host_may_have_written();   // a module attribute is an entry of its dict
        return r ? 0 : -1;
    }
    int r = forward_status(host::setattr, o, name, v);
    dict_host_may_have_written();
    return r;
}

int PyObject_SetAttrString(PyObject *o, const char *name, PyObject *v) {
    FERRY_API;
    if (v && ascii_name(name)) {
        Handle h = handle_of(o), hv = h ? handle_of(v) : Handle{};
        int r = hv ? status(host::setattr_s(h, name, hv)) : -1;
        dict_host_may_have_written();   // a module attribute is an entry of its dict
        return r;
    }
    PyObject *n = PyUnicode_FromString(name);
    if (!n)
        return -1;
    int r = PyObject_SetAttr(o, n, v);
    Py_DECREF(n);
    return r;
}

namespace {

// Whether a lookup found the attribute: any error means no (as CPython's,
// which clears it). Made on the host (r owned), neither the error nor the
// value crosses into C.
int found(Handle r) {
    if (!r) {
        host::err_clear();
        PyErr_Clear();
        return 0;
    }
    host::close(r);
    return 1;
}
int found(PyObject *r) {
    Py_XDECREF(r);
    PyErr_Clear();
    return r != nullptr;
}

} // namespace

int PyObject_HasAttr(PyObject *o, PyObject *name) {
    FERRY_API;
    if (!PyUnicode_Check(name) || Py_TYPE(o) == &PyCode_Type)
        return found(PyObject_GetAttr(o, name));
    Handle h = handle_of(o);
    Handle n = h ? handle_of(name) : Handle{};
    return found(n ? host::getattr(h, n) : Handle{});
}

int PyObject_HasAttrString(PyObject *o, const char *name) {
    FERRY_API;
    if (!ascii_name(name) || Py_TYPE(o) == &PyCode_Type)
        return found(PyObject_GetAttrString(o, name));
    Handle h = handle_of(o);
    Handle n = h ? cached_name(name) : Handle{};
    return found(n ? host::getattr(h, n) : Handle{});
}

// Generic attribute access as seen from C: object's own (__getattribute__,
// __setattr__, __delattr__), not the type's. A type of C whose tp_getattro or
// tp_setattro falls back on these has that slot as its class's __getattr__ or
// __setattr__: going through getattr() or setattr() came back to it.
PyObject *PyObject_GenericGetAttr(PyObject *o, PyObject *name) {
    FERRY_API;
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "attribute name must be string, not '%.200s'", Py_TYPE(name)->tp_name);
        return nullptr;
    }
    Handle t = cached_name(Py_TYPE(o)->tp_name);   // (for the message)
    return t ? forward([t](Handle a, Handle n) { return host::call_helper(Helper::generic_getattr, {a, n, t}); },
                       o, name)
             : nullptr;
}

int PyObject_GenericSetAttr(PyObject *o, PyObject *name, PyObject *v) {
    FERRY_API;
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "attribute name must be string, not '%.200s'", Py_TYPE(name)->tp_name);
        return -1;
    }
    static Handle set, del;   // object.__setattr__ and __delattr__, for the layer's life
    Handle &f = v ? set : del;
    if (!f && !(f = host::getattr_s(type_handle(&PyBaseObject_Type), v ? "__setattr__" : "__delattr__")))
        return minus_one_with_host_error();
    Handle h = handle_of(o), n = h ? handle_of(name) : Handle{}, x = n && v ? handle_of(v) : Handle{};
    if (!h || !n || (v && !x))
        return -1;
    Handle r = v ? host::call_with(f, {h, n, x}) : host::call_with(f, {h, n});
    if (!r)
        return minus_one_with_host_error();
    host::close(r);
    return 0;
}

namespace ferry {

// type(o).<name>(o, args...): the way CPython's slot wrappers reach Python
// methods, so results are checked here with CPython's messages rather than
// the host's.
PyObject *call_dunder(PyObject *o, const char *name, PyObject *arg, PyObject *arg2) {
    Handle n = name_handle(name);
    if (!n)
        return nullptr;
    auto call1 = [n](Handle a) { return host::call_helper(Helper::call_dunder, {a, n}); };
    auto call2 = [n](Handle a, Handle b) { return host::call_helper(Helper::call_dunder, {a, n, b}); };
    auto call3 = [n](Handle a, Handle b, Handle c) {
        return host::call_helper(Helper::call_dunder, {a, n, b, c});
    };
    PyObject *r = arg2 ? forward(call3, o, arg, arg2) : arg ? forward(call2, o, arg) : forward(call1, o);
    host::close(n);
    return r;
}

int has_dunder(PyObject *o, const char *name) {
    Handle n = name_handle(name);
    if (!n)
        return -1;
    PyObject *r = forward([n](Handle a) { return host::call_helper(Helper::has_dunder, {a, n}); }, o);
    host::close(n);
    if (!r)
        return -1;
    int v = r == Py_True;
    Py_DECREF(r);
    return v;
}

} // namespace ferry

namespace {

// repr()/str() with CPython's check of the result, in one host call
// (_support.text_checked raises CPython's message for a non-str result).
PyObject *text_of(PyObject *o, const char *dunder) {
    if (!o)
        return PyUnicode_FromString("<NULL>");
    // An exact float's or int's repr (its str too) is made here, as
    // floatobject.c's float_repr and longobject.c's long_to_decimal_string
    // make it: simplejson asks it for every number it writes.
    if (PyFloat_CheckExact(o)) {
        char *text = PyOS_double_to_string(PyFloat_AS_DOUBLE(o), 'r', 0, Py_DTSF_ADD_DOT_0, nullptr);
        if (!text)
            return nullptr;
        PyObject *r = PyUnicode_FromString(text);
        PyMem_Free(text);
        return r;
    }
    if (PyLong_CheckExact(o)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (!overflow) {
            char text[32];
            std::snprintf(text, sizeof text, "%lld", v);
            return PyUnicode_FromString(text);
        }
    }
    if (Py_EnterRecursiveCall(" while getting the repr of an object"))
        return nullptr;
    Handle n = name_handle(dunder);
    PyObject *r = n ? forward([n](Handle a) { return host::call_helper(Helper::text_checked, {a, n}); }, o)
                    : nullptr;
    host::close(n);
    Py_LeaveRecursiveCall();
    return r;
}

} // namespace

PyObject *PyObject_Repr(PyObject *o) { FERRY_API; return text_of(o, "__repr__"); }

PyObject *PyObject_Str(PyObject *o) {
    FERRY_API;
    if (o && PyUnicode_CheckExact(o))
        return Py_NewRef(o);
    return text_of(o, "__str__");
}

// object.c PyObject_Print: the repr (the str with Py_PRINT_RAW) as UTF-8,
// lone surrogates backslash-escaped; NULL prints "<nil>".
int PyObject_Print(PyObject *o, FILE *fp, int flags) {
    FERRY_API;
    clearerr(fp);
    if (Py_EnterRecursiveCall(" printing an object"))
        return -1;
    int ret = 0;
    if (!o) {
        std::fputs("<nil>", fp);
    } else {
        PyObject *s = (flags & Py_PRINT_RAW) ? PyObject_Str(o) : PyObject_Repr(o);
        PyObject *b = s ? PyUnicode_AsEncodedString(s, "utf-8", "backslashreplace") : nullptr;
        if (b)
            std::fwrite(PyBytes_AS_STRING(b), 1, PyBytes_GET_SIZE(b), fp);
        else
            ret = -1;
        Py_XDECREF(s);
        Py_XDECREF(b);
    }
    Py_LeaveRecursiveCall();
    if (ret == 0 && std::ferror(fp)) {
        PyErr_SetFromErrno(PyExc_OSError);
        clearerr(fp);
        ret = -1;
    }
    return ret;
}

PyObject *PyObject_ASCII(PyObject *o) {
    FERRY_API;
    if (!o)
        return PyUnicode_FromString("<NULL>");
    return forward(host::ascii, o);
}

PyObject *PyObject_Bytes(PyObject *o) {
    FERRY_API;
    if (!o)
        return PyBytes_FromString("<NULL>");
    if (PyBytes_CheckExact(o))
        return Py_NewRef(o);
    int has = has_dunder(o, "__bytes__");
    if (has < 0)
        return nullptr;
    if (!has)
        return PyBytes_FromObject(o);
    PyObject *r = call_dunder(o, "__bytes__");
    if (r && !PyBytes_Check(r)) {
        PyErr_Format(PyExc_TypeError, "__bytes__ returned non-bytes (type %.200s)",
                     Py_TYPE(r)->tp_name);
        Py_CLEAR(r);
    }
    return r;
}

PyObject *PyObject_RichCompare(PyObject *a, PyObject *b, int op) {
    FERRY_API;
    return forward([op](Handle x, Handle y) { return host::rich_compare(x, y, op); }, a, b);
}

int PyObject_RichCompareBool(PyObject *a, PyObject *b, int op) {
    FERRY_API;
    if (a == b) {   // identity implies equality, as in CPython
        if (op == Py_EQ)
            return 1;
        if (op == Py_NE)
            return 0;
    }
    return forward_status([op](Handle x, Handle y) { return host::rich_compare_bool(x, y, op); },
                          a, b);
}

Py_hash_t PyObject_Hash(PyObject *o) {
    FERRY_API;
    Handle h = handle_of(o);
    if (!h)
        return -1;
    Py_hash_t r = host::hash(h);
    if (r == -1 && host::err_occurred())
        return minus_one_with_host_error();
    return r;
}

Py_hash_t PyObject_HashNotImplemented(PyObject *o) {
    FERRY_API;
    PyErr_Format(PyExc_TypeError, "unhashable type: '%.200s'", Py_TYPE(o)->tp_name);
    return -1;
}

int PyObject_IsTrue(PyObject *o) {
    FERRY_API;
    if (o == Py_True)
        return 1;
    if (o == Py_False || o == Py_None)
        return 0;
    // Exact builtins answer from their C struct; others as typeobject.c's
    // slot_nb_bool (__bool__ must return a bool, else __len__): _support.truth.
    PyTypeObject *t = Py_TYPE(o);
    if (t == &PyLong_Type)
        return Py_SIZE(o) != 0;
    if (t == &PyFloat_Type)
        return PyFloat_AS_DOUBLE(o) != 0.0;
    if (t == &PyUnicode_Type)
        return PyUnicode_GET_LENGTH(o) != 0;
    if (t == &PyTuple_Type || t == &PyList_Type || t == &PyBytes_Type)
        return Py_SIZE(o) != 0;
    if (t == &PyDict_Type)
        return PyDict_GET_SIZE(o) != 0;
    PyObject *r = forward([](Handle a) { return host::call_helper(Helper::truth, {a}); }, o);
    if (!r)
        return -1;
    Py_DECREF(r);
    return r == Py_True;
}

int PyObject_Not(PyObject *o) {
    FERRY_API;
    int r = PyObject_IsTrue(o);
    return r < 0 ? r : !r;
}

PyObject *PyObject_Type(PyObject *o) {
    FERRY_API;
    if (!o) {
        PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
        return nullptr;
    }
    return Py_NewRef(reinterpret_cast<PyObject *>(Py_TYPE(o)));
}

int PyCallable_Check(PyObject *o) {
    FERRY_API;
    if (!o)
        return 0;
    Handle h = handle_of(o);
    if (!h) {
        PyErr_Clear();
        return 0;
    }
    return host::callable_check(h);
}

PyObject *PyObject_Call(PyObject *callable, PyObject *args, PyObject *kwargs) {
    FERRY_API;
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_TypeError, "argument list must be a tuple");
        return nullptr;
    }
    if (kwargs && !PyDict_Check(kwargs)) {
        PyErr_SetString(PyExc_TypeError, "keyword list must be a dictionary");
        return nullptr;
    }
    if (kwargs && PyDict_GET_SIZE(kwargs) == 0)
        kwargs = nullptr;
    if (c_callable(callable))
        return c_call(callable, reinterpret_cast<PyTupleObject *>(args)->ob_item, PyTuple_GET_SIZE(args),
                      nullptr, kwargs);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args); i++)
        if (PyList_CheckExact(PyTuple_GET_ITEM(args, i)))
            list_may_change(PyTuple_GET_ITEM(args, i));
    PyObject *r = kwargs ? forward(host::call, callable, args, kwargs)
                         : forward([](Handle c, Handle a) { return host::call(c, a, {}); },
                                   callable, args);
    after_host_call();
    return r;
}

PyObject *PyObject_CallObject(PyObject *callable, PyObject *args) {
    FERRY_API;
    if (!args)
        return PyObject_CallNoArgs(callable);
    return PyObject_Call(callable, args, nullptr);
}

PyObject *PyEval_CallObjectWithKeywords(PyObject *callable, PyObject *args, PyObject *kw) {
    FERRY_API;
    if (!args)
        args = PyTuple_New(0);
    else
        Py_INCREF(args);
    PyObject *r = args ? PyObject_Call(callable, args, kw) : nullptr;
    Py_XDECREF(args);
    return r;
}

PyObject *PyObject_CallNoArgs(PyObject *callable) { FERRY_API; return vectorcall(callable, nullptr, 0, nullptr, nullptr); }

PyObject *PyObject_CallOneArg(PyObject *callable, PyObject *arg) {
    FERRY_API;
    return vectorcall(callable, &arg, 1, nullptr, nullptr);
}

PyObject *PyObject_Vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                              PyObject *kwnames) {
    FERRY_API;
    return vectorcall(callable, args, nargsf, kwnames, nullptr);
}

PyObject *PyObject_VectorcallDict(PyObject *callable, PyObject *const *args, size_t nargsf,
                                  PyObject *kwdict) {
    FERRY_API;
    return vectorcall(callable, args, nargsf, nullptr, kwdict);
}

// tp_call of a type of C that has vectorcall (numpy's ufuncs): the function
// at tp_vectorcall_offset, called with the tuple's items and the dict's
// keywords as names and values after them (call.c's _PyVectorcall_Call). A
// host object's proxy has none: its call is the host's. (Going to the host for
// a native object came back through its tp_call, here: for ever.)
PyObject *PyVectorcall_Call(PyObject *callable, PyObject *tuple, PyObject *dict) {
    FERRY_API;
    TypeInfo *ti = type_info(Py_TYPE(callable));
    vectorcallfunc func = vectorcall_function(callable);
    if (!func && !(ti && ti->is_native))
        return PyObject_Call(callable, tuple, dict);
    if (!func) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object does not support vectorcall", Py_TYPE(callable)->tp_name);
        return nullptr;
    }
    return vectorcall_with_dict(func, callable, reinterpret_cast<PyTupleObject *>(tuple)->ob_item,
                                PyTuple_GET_SIZE(tuple), dict);
}

PyObject *PyObject_VectorcallMethod(PyObject *name, PyObject *const *args, size_t nargsf,
                                    PyObject *kwnames) {
    FERRY_API;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    if (Py_TYPE(args[0]) == &PyCode_Type || !PyUnicode_Check(name) || (kwnames && PyTuple_GET_SIZE(kwnames))) {
        PyObject *method = PyObject_GetAttr(args[0], name);
        if (!method)
            return nullptr;
        PyObject *r = vectorcall(method, args + 1, n - 1, kwnames, nullptr);
        Py_DECREF(method);
        return r;
    }
    PyTypeObject *defining = nullptr;
    const char *s = PyUnicode_AsUTF8(name);
    PyMethodDef *def = s ? static_type_method(args[0], s, &defining) : nullptr;
    if (def)
        return call_method_def_c(def, args[0], defining, args + 1, n - 1);
    if (!s)
        PyErr_Clear();   // (the host says what is wrong with the name)
    // The method as a handle: a bound method's proxy would cost an identity
    // lookup by id().
    Handle h = handle_of(args[0]);
    Handle m = h ? host_getattr(args[0], h, name, nullptr) : Handle{};
    if (!m)
        return nullptr;
    PyObject *r = call_handle(m, args + 1, n - 1, nullptr);
    host::close(m);
    return r;
}

namespace {

// abstract.c's callmethod error for an attribute that is not callable (given
// as a handle or as a C object).
PyObject *not_callable(Handle attr, PyObject *callable) {
    PyTypeObject *type = callable ? Py_TYPE(callable) : nullptr;
    if (!type) {
        Handle t = host::type(attr);
        type = t ? type_from_host(t) : nullptr;
        host::close(t);
        if (!type)
            return nullptr;
    }
    PyErr_Format(PyExc_TypeError, "attribute of type '%.200s' is not callable", type->tp_name);
    return nullptr;
}

// call(argv, n) with the arguments of a format: Py_BuildValue's result, a
// tuple's items, else the one value (none for an empty format).
template <typename Call>
PyObject *with_format_args(const char *format, va_list va, bool size_t_clean, Call call) {
    if (!format || !*format)
        return call(nullptr, 0);
    PyObject *args = size_t_clean ? _Py_VaBuildValue_SizeT(format, va) : Py_VaBuildValue(format, va);
    if (!args)
        return nullptr;
    PyObject *r = PyTuple_Check(args) ? call(&PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args)) : call(&args, 1);
    Py_DECREF(args);
    return r;
}

PyObject *call_handle_with_format(Handle c, const char *format, va_list va, bool size_t_clean) {
    return with_format_args(format, va, size_t_clean,
                            [&](PyObject *const *argv, Py_ssize_t n) { return call_handle(c, argv, n, nullptr); });
}

PyObject *call_with_format(PyObject *callable, const char *format, va_list va, bool size_t_clean) {
    if (callable && c_callable(callable))
        return with_format_args(format, va, size_t_clean, [&](PyObject *const *argv, Py_ssize_t n) {
            return c_call(callable, argv, n, nullptr, nullptr);
        });
    Handle c = handle_of(callable);
    return c ? call_handle_with_format(c, format, va, size_t_clean) : nullptr;
}

PyObject *method_with_format(PyObject *o, const char *name, const char *format, va_list va,
                             bool size_t_clean) {
    if (!o || !name) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
        return nullptr;
    }
    if (Py_TYPE(o) == &PyCode_Type || !ascii_name(name)) {
        PyObject *callable = PyObject_GetAttrString(o, name);
        if (!callable)
            return nullptr;
        PyObject *r = PyCallable_Check(callable) ? call_with_format(callable, format, va, size_t_clean)
                                                 : not_callable(host::Handle{}, callable);
        Py_DECREF(callable);
        return r;
    }
    PyTypeObject *defining = nullptr;
    if (PyMethodDef *def = static_type_method(o, name, &defining))
        return with_format_args(format, va, size_t_clean, [&](PyObject *const *argv, Py_ssize_t n) {
            return call_method_def_c(def, o, defining, argv, n);
        });
    Handle h = handle_of(o);
    Handle m = h ? host_getattr(o, h, nullptr, name) : Handle{};
    if (!m)
        return nullptr;
    PyObject *r = host::callable_check(m) ? call_handle_with_format(m, format, va, size_t_clean)
                                          : not_callable(m, nullptr);
    host::close(m);
    return r;
}

PyObject *call_with_objargs(PyObject *callable, va_list va) {
    std::vector<PyObject *> args;
    while (PyObject *a = va_arg(va, PyObject *))
        args.push_back(a);
    return vectorcall(callable, args.data(), args.size(), nullptr, nullptr);
}

} // namespace

#define FERRY_FORMAT_CALL(fn, clean)                                                 \
    PyObject *fn(PyObject *callable, const char *format, ...) {                     \
        va_list va;                                                                  \
        va_start(va, format);                                                        \
        PyObject *r = call_with_format(callable, format, va, clean);                 \
        va_end(va);                                                                  \
        return r;                                                                    \
    }
FERRY_FORMAT_CALL(PyObject_CallFunction, false)
FERRY_FORMAT_CALL(_PyObject_CallFunction_SizeT, true)
#undef FERRY_FORMAT_CALL

#define FERRY_FORMAT_METHOD(fn, clean)                                               \
    PyObject *fn(PyObject *o, const char *name, const char *format, ...) {           \
        va_list va;                                                                  \
        va_start(va, format);                                                        \
        PyObject *r = method_with_format(o, name, format, va, clean);                \
        va_end(va);                                                                  \
        return r;                                                                    \
    }
FERRY_FORMAT_METHOD(PyObject_CallMethod, false)
FERRY_FORMAT_METHOD(_PyObject_CallMethod_SizeT, true)
#undef FERRY_FORMAT_METHOD

PyObject *PyObject_CallFunctionObjArgs(PyObject *callable, ...) {
    FERRY_API;
    va_list va;
    va_start(va, callable);
    PyObject *r = call_with_objargs(callable, va);
    va_end(va);
    return r;
}

PyObject *PyObject_CallMethodObjArgs(PyObject *o, PyObject *name, ...) {
    FERRY_API;
    if (!o || !name) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
        return nullptr;
    }
    std::vector<PyObject *> args{o};
    va_list va;
    va_start(va, name);
    while (PyObject *a = va_arg(va, PyObject *))
        args.push_back(a);
    va_end(va);
    return PyObject_VectorcallMethod(name, args.data(), args.size(), nullptr);
}

namespace {

int host_predicate(Helper which, PyObject *a, PyObject *b) {
    PyObject *r = forward([which](Handle x, Handle y) { return host::call_helper(which, {x, y}); }, a, b);
    if (!r)
        return -1;
    int v = r == Py_True;
    Py_DECREF(r);
    return v;
}

// abstract.c's check_class: a "class" is anything with a tuple __bases__.
int check_class(PyObject *o) {
    PyObject *bases = PyObject_GetAttrString(o, "__bases__");
    if (!bases) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError))
            return -1;
        PyErr_Clear();
        return 0;
    }
    int r = PyTuple_Check(bases);
    Py_DECREF(bases);
    return r;
}

// The checks CPython makes before it calls __instancecheck__/__subclasscheck__,
// so that bad arguments get CPython's messages, not the host's.
int classinfo_check(PyObject *cls, const char *dunder) {
    if (PyType_Check(cls))
        return 1;
    int r = has_dunder(cls, dunder);
    return r != 0 ? r : check_class(cls);
}

} // namespace

int PyObject_IsInstance(PyObject *o, PyObject *cls) {
    FERRY_API;
    if (reinterpret_cast<PyObject *>(Py_TYPE(o)) == cls)
        return 1;
    if (PyTuple_Check(cls)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(cls); i++) {
            if (Py_EnterRecursiveCall(" in __instancecheck__"))
                return -1;
            int r = PyObject_IsInstance(o, PyTuple_GET_ITEM(cls, i));
            Py_LeaveRecursiveCall();
            if (r != 0)
                return r;
        }
        return 0;
    }
    if (TypeInfo *ci = PyType_Check(cls) ? type_info(reinterpret_cast<PyTypeObject *>(cls)) : nullptr;
        ci && ci->plain_metaclass) {
        // As CPython: a class whose metaclass is `type` has no __instancecheck__
        // to ask; the answer is the MRO's, then o.__class__'s, which for an
        // instance of one of the layer's builtin types is its type.
        if (PyType_IsSubtype(Py_TYPE(o), reinterpret_cast<PyTypeObject *>(cls)))
            return 1;
        if (TypeInfo *ti = type_info(Py_TYPE(o)); ti && ti->is_static && !ti->hybrid)
            return 0;
    }
    int ok = classinfo_check(cls, "__instancecheck__");
    if (ok <= 0) {
        if (ok == 0)
            PyErr_SetString(PyExc_TypeError,
                            "isinstance() arg 2 must be a type, a tuple of types, or a union");
        return -1;
    }
    return host_predicate(Helper::isinstance, o, cls);
}

int PyObject_IsSubclass(PyObject *derived, PyObject *cls) {
    FERRY_API;
    if (PyTuple_Check(cls)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(cls); i++) {
            if (Py_EnterRecursiveCall(" in __subclasscheck__"))
                return -1;
            int r = PyObject_IsSubclass(derived, PyTuple_GET_ITEM(cls, i));
            Py_LeaveRecursiveCall();
            if (r != 0)
                return r;
        }
        return 0;
    }
    if (!(PyType_Check(cls) && PyType_Check(derived))) {
        int custom = PyType_Check(cls) ? 0 : has_dunder(cls, "__subclasscheck__");
        if (custom < 0)
            return -1;
        if (!custom) {
            int d = check_class(derived);
            if (d <= 0) {
                if (d == 0)
                    PyErr_SetString(PyExc_TypeError, "issubclass() arg 1 must be a class");
                return -1;
            }
            int c = check_class(cls);
            if (c <= 0) {
                if (c == 0)
                    PyErr_SetString(PyExc_TypeError,
                                    "issubclass() arg 2 must be a class, a tuple of classes, or a union");
                return -1;
            }
        }
    }
    return host_predicate(Helper::issubclass, derived, cls);
}

PyObject *PyObject_Format(PyObject *o, PyObject *spec) {
    FERRY_API;
    if (spec && !PyUnicode_Check(spec)) {
        PyErr_Format(PyExc_SystemError, "Format specifier must be a string, not %.200s",
                     Py_TYPE(spec)->tp_name);
        return nullptr;
    }
    PyObject *empty = spec ? nullptr : PyUnicode_FromString("");
    if (!spec && !empty)
        return nullptr;
    PyObject *r = forward([](Handle a, Handle b) { return host::call_helper(Helper::format, {a, b}); },
                          o, spec ? spec : empty);
    Py_XDECREF(empty);
    return r;
}

PyObject *PyObject_Dir(PyObject *o) {
    FERRY_API;
    return call_module("builtins", "dir", {o});
}

PyObject *PyObject_SelfIter(PyObject *o) { FERRY_API; return Py_NewRef(o); }

int Py_EnterRecursiveCall(const char *where) {
    FERRY_API;
    if (++g_recursion_depth > kRecursionLimit || host::stack_exhausted()) {
        --g_recursion_depth;
        PyErr_Format(PyExc_RecursionError, "maximum recursion depth exceeded%s", where);
        return -1;
    }
    return 0;
}

void Py_LeaveRecursiveCall() { FERRY_API; --g_recursion_depth; }

void _Py_Dealloc(PyObject *o) {
    FERRY_API;
    destructor d = Py_TYPE(o)->tp_dealloc;
    if (d)
        d(o);
}

// An object C brings back from a free list of its own after its tp_dealloc
// kept the block (gi's result tuples): its count is 1 again, and the layer
// forgets its former life (renew_object), so that it crosses to the host as
// a new object would. CPython also registers it with tracemalloc, which the
// layer does not trace. Only for blocks the layer allocated (every
// tp_alloc, PyObject_New and PyObject_Malloc block): CPython allows any
// memory here, an object in memory from plain malloc would have no header.
void _Py_NewReference(PyObject *o) {
    FERRY_API;
    renew_object(o);
    Py_SET_REFCNT(o, 1);
}

// Finalizers (object.c). The "finalized" bit of a GC object is the header's
// kFinalized: tp_finalize runs at most once per object.
void PyObject_CallFinalizer(PyObject *self) {
    FERRY_API;
    PyTypeObject *t = Py_TYPE(self);
    if (!t->tp_finalize)
        return;
    bool gc = PyType_IS_GC(t) && !PyType_Check(self);
    if (gc && (header_of(self)->flags & kFinalized))
        return;
    t->tp_finalize(self);
    if (gc)
        header_of(self)->flags |= kFinalized;
}

int PyObject_CallFinalizerFromDealloc(PyObject *self) {
    FERRY_API;
    if (Py_REFCNT(self) != 0) {
        Py_FatalError("PyObject_CallFinalizerFromDealloc called on object with a non-zero refcount");
    }
    Py_SET_REFCNT(self, 1);   // resurrected while the finalizer runs
    PyObject_CallFinalizer(self);
    Py_SET_REFCNT(self, Py_REFCNT(self) - 1);
    return Py_REFCNT(self) == 0 ? 0 : -1;   // -1: the finalizer resurrected it
}

void Py_IncRef(PyObject *o) { FERRY_API; Py_XINCREF(o); }
void Py_DecRef(PyObject *o) { FERRY_API; Py_XDECREF(o); }

int (Py_Is)(PyObject *x, PyObject *y) { FERRY_API; return x == y; }
int (Py_IsNone)(PyObject *x) { FERRY_API; return x == Py_None; }
int (Py_IsTrue)(PyObject *x) { FERRY_API; return x == Py_True; }
int (Py_IsFalse)(PyObject *x) { FERRY_API; return x == Py_False; }
PyObject *(Py_NewRef)(PyObject *o) { FERRY_API; return _Py_NewRef(o); }
PyObject *(Py_XNewRef)(PyObject *o) { FERRY_API; return _Py_XNewRef(o); }

// Py_ReprEnter / Py_ReprLeave: the objects being repr'd by this thread. The
// list holds a reference to each, so an object keeps its address (its proxy)
// while it is in the list.
namespace {
thread_local std::vector<PyObject *> *t_repr_list = nullptr;
}

int Py_ReprEnter(PyObject *obj) {
    FERRY_API;
    try {
        if (!t_repr_list)
            t_repr_list = new std::vector<PyObject *>();
        for (auto i = t_repr_list->size(); i-- > 0;)
            if ((*t_repr_list)[i] == obj)
                return 1;
        t_repr_list->push_back(Py_NewRef(obj));
    } catch (...) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

void Py_ReprLeave(PyObject *obj) {
    FERRY_API;
    if (!t_repr_list)
        return;
    // Count backwards because obj is expected to be the last one.
    for (auto i = t_repr_list->size(); i-- > 0;) {
        if ((*t_repr_list)[i] == obj) {
            t_repr_list->erase(t_repr_list->begin() + static_cast<std::ptrdiff_t>(i));
            PyObject *t, *v, *tb;
            PyErr_Fetch(&t, &v, &tb);
            Py_DECREF(obj);
            PyErr_Restore(t, v, tb);
            break;
        }
    }
}

// ---------------------------------------------------------------- instance dicts

// _PyObject_GetDictPtr hands C a PyObject ** it may read and write.
//  * A native object whose type has tp_dictoffset: the slot in its struct,
//    as CPython computes it (negative offsets from the end). It is the C
//    struct's own field; the host's attribute lookup of the native class
//    does not consult it.
//  * A type object: its tp_dict (a real dict for types of C; NULL in the
//    proxies of Python classes, whose namespace is the host's).
//  * Any other object whose managed counterpart has a __dict__ (instances of
//    Python classes, functions, modules, Python subclasses of native types,
//    ...): a slot in the object's header holding the C view of that dict,
//    re-read from the host at each call. A dict C stores there (or NULL,
//    read as an empty one) becomes the host's __dict__ when the call into
//    the layer returns to the host, or before, when the object crosses to
//    the host (handle_of) or is asked for again.
//  * Otherwise NULL: the object has no instance dict, as in CPython.
namespace {
// The value of each handed-out slot when C and host last agreed. A
// reference is held to it, so that a dict C stores after releasing it cannot
// be allocated at its address and pass for it.
std::unordered_map<PyObject *, PyObject *> g_dict_slots;

void set_agreed(PyObject *&agreed, PyObject *d) {
    PyObject *old = agreed;
    agreed = Py_XNewRef(d);
    Py_XDECREF(old);
}
// Slots handed out during the current call into the layer: checked when it
// returns to the host (dict_slots_flush).
std::unordered_set<PyObject *> g_dict_slots_pending;
} // namespace

namespace ferry {

namespace {

// The host's __dict__ of o becomes d (NULL: a new empty dict); ho: o's handle,
// or null for handle_of(o).
int store_instance_dict(PyObject *o, Handle ho, PyObject *d) {
    d = d ? Py_NewRef(d) : PyDict_New();
    if (d && !ho)
        ho = handle_of(o);
    Handle hd = ho ? handle_of(d) : Handle{};   // d's proxy owns it: d is released last
    Handle r = hd ? host::call_helper(Helper::set_instance_dict, {ho, hd}) : Handle{};
    if (hd && !r)
        move_host_error_to_c();
    Py_XDECREF(d);
    if (!r)
        return -1;
    host::close(r);
    return 0;
}

} // namespace

int dict_slot_sync(PyObject *o) {
    PyObject *cur = *dict_slot_of(o);
    PyObject *&agreed = g_dict_slots[o];
    if (cur == agreed)
        return 0;
    set_agreed(agreed, cur);   // first, so that handle_of(o) below does not come back here
    return store_instance_dict(o, {}, cur);
}

void dict_slots_flush() {
    if (g_dict_slots_pending.empty())
        return;
    std::unordered_set<PyObject *> pending;
    pending.swap(g_dict_slots_pending);
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);
    for (PyObject *o : pending)
        if (dict_slot_sync(o) < 0)
            PyErr_WriteUnraisable(o);
    PyErr_Restore(et, ev, etb);
}

void dict_slot_release(PyObject *o) {
    Header *hd = header_of(o);
    PyObject *d = *dict_slot_of(o);
    // A proxy dying within the call that wrote its slot (an argument of it):
    // the write reaches the managed object, which lives on.
    auto agreed_it = g_dict_slots.find(o);
    if (agreed_it != g_dict_slots.end() && agreed_it->second != d && hd->managed &&
        !(hd->flags & kWeakWrapper)) {
        PyObject *et, *ev, *etb;
        PyErr_Fetch(&et, &ev, &etb);
        if (store_instance_dict(o, hd->managed, d) < 0)
            PyErr_WriteUnraisable(nullptr);
        PyErr_Restore(et, ev, etb);
    }
    *dict_slot_of(o) = nullptr;
    hd->flags &= ~kDictSlot;
    auto it = g_dict_slots.find(o);
    PyObject *agreed = it != g_dict_slots.end() ? it->second : nullptr;
    if (it != g_dict_slots.end())
        g_dict_slots.erase(it);
    g_dict_slots_pending.erase(o);
    Py_XDECREF(d);
    Py_XDECREF(agreed);
}

} // namespace ferry

PyObject **_PyObject_GetDictPtr(PyObject *o) {
    FERRY_API;
    PyTypeObject *t = Py_TYPE(o);
    if (PyType_Check(o))
        return &reinterpret_cast<PyTypeObject *>(o)->tp_dict;
    TypeInfo *ti = type_info(t);
    if (ti && ti->is_native && t->tp_dictoffset) {
        Py_ssize_t offset = t->tp_dictoffset;
        if (offset < 0) {
            Py_ssize_t n = Py_SIZE(o) < 0 ? -Py_SIZE(o) : Py_SIZE(o);
            offset += static_cast<Py_ssize_t>(_PyObject_VAR_SIZE(t, n));
        }
        return reinterpret_cast<PyObject **>(reinterpret_cast<char *>(o) + offset);
    }
    // A type of C without tp_dictoffset has no instance dict (the host's
    // class of it may have one: C does not see it, as in CPython).
    if (!ti || is_static_singleton(o) || t == &PyModuleDef_Type ||
        (ti->is_native && (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE) || ti->from_spec)))
        return nullptr;
    // handle_of first brings a dict C stored in the slot to the host.
    Handle h = handle_of(o);
    Handle r = h ? host::call_helper(Helper::instance_dict, {h}) : Handle{};
    if (!r) {
        if (h)
            host::err_clear();
        PyErr_Clear();
        return nullptr;
    }
    if (host::is(r, host::borrowed(Builtin::None))) {
        host::close(r);
        return nullptr;
    }
    PyObject *d = from_host_steal(r);
    if (!d) {
        PyErr_Clear();
        return nullptr;
    }
    Header *hd = header_of(o);
    drop_next_method(hd);   // the slot wins over PyIter_Next's cache
    PyObject **slot = dict_slot_of(o);
    if (*slot == d)
        Py_DECREF(d);
    else
        Py_XSETREF(*slot, d);
    hd->flags |= kDictSlot;
    set_agreed(g_dict_slots[o], d);
    g_dict_slots_pending.insert(o);
    ferry::bridge::detail::exit_work = true;   // synced when the outermost call returns
    return slot;
}

// Generic attribute lookup with an explicit instance dict (object.c): a data
// descriptor of the type, else the dict (the given one, or the instance's
// as _PyObject_GetDictPtr finds it), else a non-data descriptor or plain
// class attribute. suppress: no AttributeError, NULL without an exception.
PyObject *_PyObject_GenericGetAttrWithDict(PyObject *obj, PyObject *name, PyObject *dict,
                                           int suppress) {
    FERRY_API;
    PyTypeObject *tp = Py_TYPE(obj);
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "attribute name must be string, not '%.200s'",
                     Py_TYPE(name)->tp_name);
        return nullptr;
    }
    auto suppressed = [&](PyObject *res) {
        if (!res && suppress && PyErr_ExceptionMatches(PyExc_AttributeError))
            PyErr_Clear();
        return res;
    };
    static PyObject *get_name = PyUnicode_InternFromString("__get__");   // kept for good
    if (!get_name)
        return nullptr;
    PyObject *descr = Py_XNewRef(_PyType_Lookup(tp, name));
    PyObject *get = nullptr;
    if (descr) {
        get = Py_XNewRef(_PyType_Lookup(Py_TYPE(descr), get_name));
        if (get) {
            int data = has_dunder(descr, "__set__");
            if (data == 0)
                data = has_dunder(descr, "__delete__");
            if (data) {
                PyObject *res = data < 0 ? nullptr
                                         : PyObject_CallFunctionObjArgs(get, descr, obj, tp, nullptr);
                Py_DECREF(get);
                Py_DECREF(descr);
                return suppressed(res);
            }
        }
    }
    if (!dict) {
        PyObject **dictptr = _PyObject_GetDictPtr(obj);
        dict = dictptr ? *dictptr : nullptr;
    }
    if (dict) {
        Py_INCREF(dict);
        PyObject *res = PyDict_GetItemWithError(dict, name);
        Py_DECREF(dict);
        if (res) {
            Py_XDECREF(get);
            Py_XDECREF(descr);
            return Py_NewRef(res);
        }
        if (PyErr_Occurred() && !suppressed(nullptr) && PyErr_Occurred()) {
            Py_XDECREF(get);
            Py_XDECREF(descr);
            return nullptr;
        }
    }
    if (get) {
        PyObject *res = PyObject_CallFunctionObjArgs(get, descr, obj, tp, nullptr);
        Py_DECREF(get);
        Py_DECREF(descr);
        return suppressed(res);
    }
    if (descr)
        return descr;
    if (!suppress)
        PyErr_Format(PyExc_AttributeError, "'%.50s' object has no attribute '%U'", tp->tp_name,
                     name);
    return nullptr;
}
