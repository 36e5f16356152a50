// bytearray objects: PyByteArrayObject proxies and native values (ob_bytes
// from PyObject_Malloc, NUL-terminated) and the PyByteArray_* API.
// Mirrors Objects/bytearrayobject.c.
//
// Sync of a proxy's two copies (the host's bytearray and C's ob_start):
// each proxy remembers a digest of its contents when the two were last
// equal. C changed its copy (through PyByteArray_AS_STRING or a buffer) when
// the digest no longer matches; then the host copy is overwritten
// (bytearray_sync_to_host): when a buffer is released, when the proxy dies,
// before PyByteArray_Resize, and before the host copy is read again.
// The host copy is read into C (bytearray_sync_from_host) when a buffer is
// taken with no other export alive, and when the object crosses into C again
// (refresh_container). PyByteArray_Resize acts on both copies.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <string>
#include <unordered_map>

#include "cpyext/byteview.h"
#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "bytearrayobject"

// What PyByteArray_AS_STRING returns for an empty bytearray.
char _PyByteArray_empty_string[] = "";

namespace ferry {
uint64_t bytes_digest(const char *p, Py_ssize_t n);
namespace {

inline PyByteArrayObject *as_ba(PyObject *o) { return reinterpret_cast<PyByteArrayObject *>(o); }

// Digest of each proxy's contents when C and host last agreed.
std::unordered_map<PyObject *, uint64_t> g_synced;

uint64_t digest_of(PyObject *o) {
    return bytes_digest(PyByteArray_AS_STRING(o), PyByteArray_GET_SIZE(o));
}

// The C copy's resize (bytearrayobject.c's growth policy).
int resize_c(PyObject *self, Py_ssize_t requested_size) {
    PyByteArrayObject *obj = as_ba(self);
    Py_ssize_t alloc = obj->ob_alloc;
    Py_ssize_t offset = obj->ob_start - obj->ob_bytes;
    size_t size = static_cast<size_t>(requested_size);
    if (obj->ob_bytes && size + offset + 1 <= static_cast<size_t>(alloc)) {
        if (size < static_cast<size_t>(alloc) / 2) {
            alloc = requested_size + 1;   // a major downsize: shrink to fit
        } else {
            Py_SET_SIZE(self, requested_size);   // a minor downsize: keep the block
            obj->ob_start[requested_size] = '\0';
            return 0;
        }
    } else if (size <= static_cast<size_t>(alloc) + static_cast<size_t>(alloc) / 8) {
        alloc = requested_size + (requested_size >> 3) + (requested_size < 9 ? 3 : 6);
    } else {
        alloc = requested_size + 1;
    }
    if (alloc < 0 || alloc == PY_SSIZE_T_MAX) {
        PyErr_NoMemory();
        return -1;
    }
    char *sval;
    if (offset > 0) {
        sval = static_cast<char *>(PyObject_Malloc(static_cast<size_t>(alloc)));
        if (!sval) {
            PyErr_NoMemory();
            return -1;
        }
        Py_ssize_t keep = requested_size < Py_SIZE(self) ? requested_size : Py_SIZE(self);
        std::memcpy(sval, obj->ob_start, keep);
        PyObject_Free(obj->ob_bytes);
    } else {
        sval = static_cast<char *>(PyObject_Realloc(obj->ob_bytes, static_cast<size_t>(alloc)));
        if (!sval) {
            PyErr_NoMemory();
            return -1;
        }
    }
    obj->ob_bytes = obj->ob_start = sval;
    Py_SET_SIZE(self, requested_size);
    obj->ob_alloc = alloc;
    obj->ob_bytes[requested_size] = '\0';
    return 0;
}

// A host slice assignment o[from:] = data (data null: delete all from `from`).
int host_assign(host::Handle h, Py_ssize_t from, const char *data, Py_ssize_t n, bool del) {
    host::Handle lo = host::long_from(from);
    host::Handle hi = host::long_from(PY_SSIZE_T_MAX);
    host::Handle v = del ? host::dup(host::borrowed(host::Builtin::None)) : host::bytes_from(data, n);
    host::Handle r = lo && hi && v ? host::call_helper(host::Helper::set_slice, {h, lo, hi, v})
                                   : host::Handle{};
    host::close(lo);
    host::close(hi);
    host::close(v);
    if (!r)
        return minus_one_with_host_error();
    host::close(r);
    return 0;
}

// A bytearray of `type` holding a copy of s[0:n] (s may be null: zeroed).
PyObject *bytearray_alloc(PyTypeObject *type, const char *s, Py_ssize_t n) {
    size_t size = sizeof(PyByteArrayObject);
    if (type->tp_basicsize > 0 && static_cast<size_t>(type->tp_basicsize) > size)
        size = type->tp_basicsize;
    auto *o = reinterpret_cast<PyObject *>(alloc_var_object(type, size, n));
    if (!o)
        return nullptr;
    if (n > 0) {
        char *bytes = static_cast<char *>(PyObject_Malloc(static_cast<size_t>(n) + 1));
        if (!bytes) {
            Py_SET_SIZE(o, 0);
            Py_DECREF(o);
            return PyErr_NoMemory();
        }
        if (s)
            std::memcpy(bytes, s, n);
        bytes[n] = '\0';
        as_ba(o)->ob_bytes = as_ba(o)->ob_start = bytes;
        as_ba(o)->ob_alloc = n + 1;
    }
    return o;
}

} // namespace

// 64-bit digest of a byte string (FNV-1a over 8-byte words, then mixed):
// only compared with itself, to notice writes.
uint64_t bytes_digest(const char *p, Py_ssize_t n) {
    uint64_t h = 0xcbf29ce484222325ULL ^ static_cast<uint64_t>(n);
    Py_ssize_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ static_cast<unsigned char>(p[i])) * 0x100000001b3ULL;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

// C's writes to a proxy reach the host copy. 0, or -1 with the C error set.
int bytearray_sync_to_host(PyObject *o) {
    Header *hd = header_of(o);
    if (!hd->managed || (hd->flags & kWeakWrapper))
        return 0;
    auto it = g_synced.find(o);
    uint64_t now = digest_of(o);
    if (it != g_synced.end() && it->second == now)
        return 0;
    if (host_assign(hd->managed, 0, PyByteArray_AS_STRING(o), PyByteArray_GET_SIZE(o), false) < 0)
        return -1;
    g_synced[o] = now;
    return 0;
}

// Makes C's copy of a proxy equal to the host's (after saving C's writes).
int bytearray_refresh(PyObject *o, host::Handle h) {
    if (!h)
        return 0;
    if (bytearray_sync_to_host(o) < 0)
        return -1;
    host::Handle b = host::bytes_of(h);
    if (!b)
        return minus_one_with_host_error();
    ptrdiff_t n = 0;
    const char *data = host::bytes_data(b, &n);
    if (!data) {
        host::close(b);
        return minus_one_with_host_error();
    }
    int r = 0;
    if (n != PyByteArray_GET_SIZE(o) || std::memcmp(data, PyByteArray_AS_STRING(o), n) != 0) {
        if (n != PyByteArray_GET_SIZE(o) && as_ba(o)->ob_exports > 0) {
            r = 0;   // C holds pointers into it: keep the block (and its size)
        } else {
            // Resize the C copy only (the host has the new contents already).
            r = n == PyByteArray_GET_SIZE(o) ? 0 : resize_c(o, n);
            if (r == 0 && n)
                std::memcpy(PyByteArray_AS_STRING(o), data, n);
        }
    }
    if (r == 0)
        g_synced[o] = digest_of(o);
    host::close(b);
    return r;
}

int bytearray_sync_from_host(PyObject *o) {
    Header *hd = header_of(o);
    if (!hd->managed || (hd->flags & kWeakWrapper))
        return 0;
    return bytearray_refresh(o, hd->managed);
}

PyObject *bytearray_materialize(host::Handle h, PyTypeObject *type) {
    host::Handle b = host::bytes_of(h);
    if (!b)
        return null_with_host_error();
    ptrdiff_t n = 0;
    const char *data = host::bytes_data(b, &n);
    if (!data) {
        host::close(b);
        return null_with_host_error();
    }
    PyObject *o = bytearray_alloc(type, data, n);
    host::close(b);
    if (o)
        g_synced[o] = digest_of(o);
    return o;
}

host::Handle bytearray_to_host(PyObject *o) {
    host::Handle b = host::bytes_from(PyByteArray_AS_STRING(o), PyByteArray_GET_SIZE(o));
    if (!b)
        return {};
    host::Handle ba_type = type_handle(&PyByteArray_Type);
    if (!ba_type) {
        host::close(b);
        return {};
    }
    host::Handle args = host::tuple_from(&b, 1);
    host::close(b);
    if (!args)
        return {};
    host::Handle r = host::call(ba_type, args, {});
    host::close(args);
    if (r)
        g_synced[o] = digest_of(o);
    return r;
}

void bytearray_release(PyObject *o) {
    PyByteArrayObject *ba = as_ba(o);
    // The last writes through ob_start reach the host before the copy goes.
    if (header_of(o)->managed) {
        PyObject *et, *ev, *tb;
        PyErr_Fetch(&et, &ev, &tb);
        if (bytearray_sync_to_host(o) < 0)
            PyErr_WriteUnraisable(nullptr);
        PyErr_Restore(et, ev, tb);
    }
    g_synced.erase(o);
    PyObject_Free(ba->ob_bytes);
    ba->ob_bytes = ba->ob_start = nullptr;
    ba->ob_alloc = 0;
    Py_SET_SIZE(o, 0);
}

} // namespace ferry

using namespace ferry;

PyObject *PyByteArray_FromStringAndSize(const char *bytes, Py_ssize_t size) {
    FERRY_API;
    if (size < 0) {
        PyErr_SetString(PyExc_SystemError,
                        "Negative size passed to PyByteArray_FromStringAndSize");
        return nullptr;
    }
    if (size == PY_SSIZE_T_MAX)
        return PyErr_NoMemory();
    return bytearray_alloc(&PyByteArray_Type, bytes, size);
}

PyObject *PyByteArray_FromObject(PyObject *input) {
    FERRY_API;
    host::Handle h = handle_of(input);
    if (!h)
        return nullptr;
    host::Handle ba_type = type_handle(&PyByteArray_Type);
    if (!ba_type)
        return nullptr;
    host::Handle r = host::call_with(ba_type, {h});
    return result(r);
}

Py_ssize_t PyByteArray_Size(PyObject *self) { FERRY_API; return PyByteArray_GET_SIZE(self); }

char *PyByteArray_AsString(PyObject *self) { FERRY_API; return PyByteArray_AS_STRING(self); }

int PyByteArray_Resize(PyObject *self, Py_ssize_t requested_size) {
    FERRY_API;
    PyByteArrayObject *obj = as_ba(self);
    if (requested_size < 0) {
        PyErr_Format(PyExc_ValueError, "Can only resize to positive sizes, got %zd",
                     requested_size);
        return -1;
    }
    if (requested_size == Py_SIZE(self))
        return 0;
    if (obj->ob_exports > 0) {
        PyErr_SetString(PyExc_BufferError,
                        "Existing exports of data: object cannot be re-sized");
        return -1;
    }
    Header *hd = header_of(self);
    bool proxied = hd->managed && !(hd->flags & kWeakWrapper);
    Py_ssize_t old = Py_SIZE(self);
    if (proxied) {
        // The host copy takes C's writes, then the new size (growing adds
        // zero bytes on both sides; CPython leaves them unspecified).
        if (bytearray_sync_to_host(self) < 0)
            return -1;
        int r;
        if (requested_size < old) {
            r = host_assign(hd->managed, requested_size, nullptr, 0, true);
        } else {
            std::string zeros(static_cast<size_t>(requested_size - old), '\0');
            r = host_assign(hd->managed, old, zeros.data(), requested_size - old, false);
        }
        if (r < 0)
            return -1;
    }
    if (resize_c(self, requested_size) < 0)
        return -1;
    if (proxied) {
        if (requested_size > old)
            std::memset(obj->ob_start + old, 0, static_cast<size_t>(requested_size - old));
        g_synced[self] = digest_of(self);
    }
    return 0;
}

PyObject *PyByteArray_Concat(PyObject *a, PyObject *b) {
    FERRY_API;
    ByteView va, vb;
    if (!va.get(a) || !vb.get(b)) {
        PyErr_Format(PyExc_TypeError, "can't concat %.100s to %.100s", Py_TYPE(b)->tp_name,
                     Py_TYPE(a)->tp_name);
        return nullptr;
    }
    if (va.len > PY_SSIZE_T_MAX - vb.len)
        return PyErr_NoMemory();
    PyObject *r = PyByteArray_FromStringAndSize(nullptr, va.len + vb.len);
    if (!r)
        return nullptr;
    if (va.len)
        std::memcpy(PyByteArray_AS_STRING(r), va.data, va.len);
    if (vb.len)
        std::memcpy(PyByteArray_AS_STRING(r) + va.len, vb.data, vb.len);
    return r;
}
