// set and frozenset objects: managed-first (C never sees the table; `used`
// follows the managed size after each change) and the PySet_* API.
// Mirrors Objects/setobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>

#include "cpyext/internal.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "setobject"

using namespace ferry;

namespace {

inline PySetObject *as_set(PyObject *o) { return reinterpret_cast<PySetObject *>(o); }

// An interned method name, kept for the life of the layer.
host::Handle method_name(host::Handle *slot, const char *name) {
    if (!*slot)
        *slot = host::unicode_from_latin1(name, std::strlen(name));
    return *slot;
}

// set(iterable) / frozenset(iterable), iterable may be null.
PyObject *make_set(PyTypeObject *type, PyObject *iterable) {
    host::Handle cls = type_handle(type);
    if (!cls)
        return nullptr;
    host::Handle it{};
    if (iterable) {
        it = handle_of(iterable);
        if (!it)
            return nullptr;
    }
    host::Handle args = host::tuple_from(&it, iterable ? 1 : 0);
    if (!args)
        return null_with_host_error();
    host::Handle r = host::call(cls, args, {});
    host::close(args);
    return result(r);
}

// Refreshes `used` from the managed set; -1 with the error moved to C.
int sync_used(PyObject *so, host::Handle h) {
    ptrdiff_t n = host::length(h);
    if (n < 0)
        return minus_one_with_host_error();
    as_set(so)->used = n;
    return 0;
}

// obj.<name>(arg...) on the host; the result handle (owned) or null.
host::Handle call_method(host::Handle obj, const char *name, host::Handle *cache,
                         const host::Handle *arg) {
    host::Handle n = method_name(cache, name);
    if (!n)
        return {};
    return arg ? host::call_helper(host::Helper::call_method, {obj, n, *arg})
               : host::call_helper(host::Helper::call_method, {obj, n});
}

// CPython hashes the key itself: a set key is unhashable (no frozenset retry).
bool check_key(PyObject *key) {
    if (key && PySet_Check(key)) {
        PyErr_Format(PyExc_TypeError, "unhashable type: '%.200s'", Py_TYPE(key)->tp_name);
        return false;
    }
    return true;
}

host::Handle g_add, g_discard, g_clear, g_pop, g_union;

// A frozenset being filled by its creator (refcount 1): the managed frozenset
// is immutable, so a new one (with the key) takes its place.
int frozenset_add(PyObject *fs, host::Handle h, host::Handle key) {
    host::Handle one = host::tuple_from(&key, 1);
    if (!one)
        return minus_one_with_host_error();
    host::Handle grown = call_method(h, "union", &g_union, &one);
    host::close(one);
    if (!grown)
        return minus_one_with_host_error();
    bridge::identity_forget(fs);
    replace_managed(fs, grown);
    int64_t id = bridge::host_id(grown);
    if (!id)
        return -1;
    bridge::identity_register(fs, id);
    return sync_used(fs, grown);
}

} // namespace

PyObject *PySet_New(PyObject *iterable) { FERRY_API; return make_set(&PySet_Type, iterable); }

PyObject *PyFrozenSet_New(PyObject *iterable) { FERRY_API; return make_set(&PyFrozenSet_Type, iterable); }

Py_ssize_t PySet_Size(PyObject *anyset) {
    FERRY_API;
    if (!PyAnySet_Check(anyset)) {
        PyErr_BadInternalCall();
        return -1;
    }
    host::Handle h = handle_of(anyset);
    if (!h)
        return -1;
    if (sync_used(anyset, h) < 0)
        return -1;
    return as_set(anyset)->used;
}

int PySet_Clear(PyObject *set) {
    FERRY_API;
    if (!PySet_Check(set)) {
        PyErr_BadInternalCall();
        return -1;
    }
    host::Handle h = handle_of(set);
    if (!h)
        return -1;
    host::Handle r = call_method(h, "clear", &g_clear, nullptr);
    if (!r)
        return minus_one_with_host_error();
    host::close(r);
    as_set(set)->used = 0;
    return 0;
}

int PySet_Contains(PyObject *anyset, PyObject *key) {
    FERRY_API;
    if (!PyAnySet_Check(anyset)) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!check_key(key))
        return -1;
    host::Handle h = handle_of(anyset);
    host::Handle k = h ? handle_of(key) : host::Handle{};
    if (!k)
        return -1;
    return status(host::contains(h, k));
}

int PySet_Discard(PyObject *set, PyObject *key) {
    FERRY_API;
    if (!PySet_Check(set)) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!check_key(key))
        return -1;
    host::Handle h = handle_of(set);
    host::Handle k = h ? handle_of(key) : host::Handle{};
    if (!k)
        return -1;
    int found = host::contains(h, k);
    if (found < 0)
        return minus_one_with_host_error();
    if (!found)
        return 0;
    host::Handle r = call_method(h, "discard", &g_discard, &k);
    if (!r)
        return minus_one_with_host_error();
    host::close(r);
    if (sync_used(set, h) < 0)
        return -1;
    return 1;
}

int PySet_Add(PyObject *anyset, PyObject *key) {
    FERRY_API;
    if (!PySet_Check(anyset) && (!PyFrozenSet_Check(anyset) || Py_REFCNT(anyset) != 1)) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!check_key(key))
        return -1;
    host::Handle h = handle_of(anyset);
    host::Handle k = h ? handle_of(key) : host::Handle{};
    if (!k)
        return -1;
    if (!PySet_Check(anyset))
        return frozenset_add(anyset, h, k);
    host::Handle r = call_method(h, "add", &g_add, &k);
    if (!r)
        return minus_one_with_host_error();
    host::close(r);
    return sync_used(anyset, h);
}

PyObject *PySet_Pop(PyObject *set) {
    FERRY_API;
    if (!PySet_Check(set)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    host::Handle h = handle_of(set);
    if (!h)
        return nullptr;
    PyObject *r = result(call_method(h, "pop", &g_pop, nullptr));
    if (r && sync_used(set, h) < 0) {
        Py_DECREF(r);
        return nullptr;
    }
    return r;
}

// Cython's `for x in a_set`: the keys one by one, borrowed, with their hashes.
// *pos is the walk's own counter (CPython's is a table index; callers only
// start it at 0 and pass it back). The keys come from a snapshot of the set
// taken when *pos is 0, each held while the set holds its object (as
// PyDict_Next's: dictobject.cpp). The hash is the key's hash now (CPython
// gives the one it stored, the same for any key whose hash does not change).
int _PySet_NextEntry(PyObject *set, Py_ssize_t *pos, PyObject **key, Py_hash_t *hash) {
    FERRY_API;
    if (!PyAnySet_Check(set)) {
        PyErr_BadInternalCall();
        return -1;
    }
    PyObject *k = nullptr;
    if (!borrowed_next(set, pos, 1, &k))
        return 0;
    Py_hash_t h = PyObject_Hash(k);
    if (h == -1) {   // (its hash changed since it went in: the walk cannot fail in CPython)
        PyErr_Clear();
        return 0;
    }
    *key = k;
    *hash = h;
    return 1;
}
