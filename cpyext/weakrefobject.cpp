// Weak references (Objects/weakrefobject.c): the weakrefs are the host's own
// (weakref.ref / weakref.proxy), taken on the managed side of the referent.
//
// Native objects (extension types). Python never sees a native object N, only
// its wrapper W (proxies/materialize.cpp): W owns one reference to N, and N's
// header keeps a weakref to W whose callback drops that reference (a release
// link, gc_bridge/bridge.h). A weakref
// to "N" is therefore a host weakref to W, whether Python made it
// (weakref.ref(obj)) or C did (PyWeakref_NewRef). The host clears it and runs
// its callback when it collects W, which is before N can be deallocated
// (while W lives, N's refcount includes W's reference). Consequences:
//  * When N's tp_dealloc runs, every host weakref that ever referred to it is
//    already dead and its callback has run or is queued by the host's GC, which
//    passes the callback the (dead) weakref object, never N. No weakref holds
//    N's address. So PyObject_ClearWeakRefs has nothing to clear on the host
//    and no callback to call: CPython's callbacks would run at that point
//    with N's weaklist; here they ran when W died.
//  * The layer's own bookkeeping for N is the header's weakref to W
//    (kWeakWrapper). PyObject_ClearWeakRefs closes it and forgets it, so
//    nothing later in the deallocator (a crossing of N) can reach a stale
//    wrapper; free_block then finds no handle to close.
//  * The weaklist field of N's struct (tp_weaklistoffset) is never written
//    by the layer and stays NULL, so extensions that call
//    PyObject_ClearWeakRefs only when it is non-NULL (bitarray, regex,
//    pyrsistent) do not call it; calling it anyway is safe.
//  * Difference from CPython: when C code keeps N alive after the host
//    collected W, weakrefs to W are already dead although N lives (CPython's
//    would still answer N). A later crossing of N makes a new wrapper.
// PyObject_ClearWeakRefs touches only N's header and type, both valid until
// tp_dealloc frees N, and makes no host call.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <vector>

#include "cpyext/forward.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "weakrefobject"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace {

// The host's weakref module (kept for the layer's life).
PyObject *weakref_module() {
    static PyObject *m = nullptr;
    if (!m)
        m = PyImport_ImportModule("weakref");
    return m;
}

// CPython's _PyType_SUPPORTS_WEAKREFS, applied where the C type decides: a
// type of C (static or made by PyType_FromSpec). Managed objects' types and
// Python subclasses (which CPython makes weakrefable unless __slots__ says
// otherwise) are left to the host.
bool refuses_weakrefs(PyObject *ob) {
    PyTypeObject *t = Py_TYPE(ob);
    TypeInfo *ti = type_info(t);
    if (!ti || !(ti->is_native || ti->layout == Layout::capsule))
        return false;
    return t->tp_weaklistoffset <= 0 && (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE) || ti->from_spec);
}

PyObject *new_weak(const char *factory, PyObject *ob, PyObject *callback) {
    if (!ob) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    if (refuses_weakrefs(ob)) {
        PyErr_Format(PyExc_TypeError, "cannot create weak reference to '%s' object",
                     Py_TYPE(ob)->tp_name);
        return nullptr;
    }
    PyObject *m = weakref_module();
    if (!m)
        return nullptr;
    if (callback == Py_None)
        callback = nullptr;
    // No callback: the host hands back the existing basic weakref, as CPython.
    // "(O)", not "O": a lone tuple would be spread into arguments.
    return PyObject_CallMethod(m, factory, callback ? "OO" : "(O)", ob, callback);
}

// PyWeakref_Check, by type as in CPython (a proxy's __class__ is its
// referent's): a weakref.ref or a subclass, or exactly one of the proxy types.
int weakref_kind(PyObject *ref) {   // 1 ref, 2 proxy, 0 neither, -1 error
    PyObject *m = weakref_module();
    if (!m)
        return -1;
    PyObject *t = reinterpret_cast<PyObject *>(Py_TYPE(ref));
    int r = -1;
    PyObject *reftype = PyObject_GetAttrString(m, "ReferenceType");
    if (reftype)
        r = PyObject_IsSubclass(t, reftype);
    Py_XDECREF(reftype);
    for (const char *name : {"ProxyType", "CallableProxyType"}) {
        if (r != 0)
            break;
        PyObject *pt = PyObject_GetAttrString(m, name);
        r = pt ? PyObject_RichCompareBool(t, pt, Py_EQ) : -1;
        Py_XDECREF(pt);
        if (r == 1)
            r = 2;
    }
    return r;
}

// Referents handed out borrowed by PyWeakref_GetObject whose C object nobody
// else holds (a proxy made for the occasion): each is kept until the
// outermost call into the layer returns and the host has collected a token
// kept for that call (a weakref to the token drops the reference, as a
// wrapper's weakref does for a native object). The token weakrefs are kept
// here until they have fired.
std::vector<Handle> g_token_refs;

void prune_token_refs() {
    if (g_token_refs.size() < 64)
        return;
    std::vector<Handle> live;
    for (Handle r : g_token_refs) {
        Handle target = bridge::referent(r);
        bool dead = target && host::is(target, host::borrowed(host::Builtin::None));
        if (!target)
            host::err_clear();
        host::close(target);
        if (dead)
            host::close(r);
        else
            live.push_back(r);
    }
    g_token_refs.swap(live);
    g_token_refs.reserve(2 * g_token_refs.size() + 64);
}

// Takes the reference `o`; 0, or -1 with the C error set (`o` released).
int keep_until_exit(PyObject *o) {
    PyObject *token = PySet_New(nullptr);   // weakrefable on PyPy
    Handle ht = token ? new_handle(token) : Handle{};
    Py_XDECREF(token);
    Handle ref = ht ? bridge::release_link(ht, o) : Handle{};
    if (!ref) {
        if (ht)
            host::close(ht);
        if (!PyErr_Occurred())
            move_host_error_to_c();
        Py_DECREF(o);
        return -1;
    }
    scope_keep(ht);   // closed when the outermost entry returns
    prune_token_refs();
    g_token_refs.push_back(ref);
    return 0;         // `o` is now released by the token's weakref callback
}

} // namespace

PyObject *PyWeakref_NewRef(PyObject *ob, PyObject *callback) {
    FERRY_API;
    return new_weak("ref", ob, callback);
}

PyObject *PyWeakref_NewProxy(PyObject *ob, PyObject *callback) {
    FERRY_API;
    return new_weak("proxy", ob, callback);
}

// Borrowed, as in CPython: the referent, or None when it is dead. A native
// referent is its C object (held by its wrapper, which the weakref just
// answered); a managed one is its proxy, which is either held elsewhere in C
// or kept for the current call into the layer (see keep_until_exit).
// A weakref.proxy does not give its referent back on the host: for one, the
// call fails with SystemError.
PyObject *PyWeakref_GetObject(PyObject *ref) {
    FERRY_API;
    int kind = ref ? weakref_kind(ref) : 0;
    if (kind < 0)
        return nullptr;
    if (kind == 0) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    if (kind == 2) {
        PyErr_SetString(PyExc_SystemError,
                        "ferry: the referent of a weakref.proxy cannot be read on this host");
        return nullptr;
    }
    PyObject *o = forward([](Handle r) { return bridge::referent(r); }, ref);
    if (!o)
        return nullptr;
    if (o == Py_None || Py_REFCNT(o) > 1) {   // static, or held elsewhere too
        Py_DECREF(o);
        return o;
    }
    return keep_until_exit(o) < 0 ? nullptr : o;
}

void PyObject_ClearWeakRefs(PyObject *object) {
    FERRY_API;
    // CPython's checks. Heap types are spared the weaklist one: the layer
    // does not fill tp_weaklistoffset for Python subclasses, which CPython
    // gives a weaklist.
    if (!object || Py_REFCNT(object) != 0 ||
        (Py_TYPE(object)->tp_weaklistoffset <= 0 &&
         !(Py_TYPE(object)->tp_flags & Py_TPFLAGS_HEAPTYPE))) {
        PyErr_BadInternalCall();
        return;
    }
    Header *hd = header_of(object);
    if (hd->managed && (hd->flags & kWeakWrapper)) {
        if (hd->flags & kPendingLink)
            bridge::link_forget(object);
        host::close(hd->managed);
        hd->managed = {};
        hd->flags &= ~kWeakWrapper;
    }
}
