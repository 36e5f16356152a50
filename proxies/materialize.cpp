// Materialization: managed object -> proxy (from_host) and C object ->
// managed object (handle_of), for every layout of proxy.h.
#include "proxies/proxy.h"
#include "proxies/heap.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpyext/internal.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/cycles.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"

namespace ferry {
using host::Builtin;
using host::Handle;
using host::Helper;

// ---------------------------------------------------------------- memory

// Sizes are rounded up to 16 bytes, as CPython's pymalloc does (ALIGNMENT):
// extensions rely on it (bitarray reads and writes its buffer in whole words).
inline size_t rounded(size_t size) { return (size + 15) & ~size_t(15); }

// Blocks of the commonest size (a float, a one-digit int, a small tuple) are
// kept on a free list, as CPython keeps floats: they cross the boundary at
// every call that takes or returns a number.
constexpr uint32_t kSmallBlock = 1;
constexpr size_t kSmallSize = 32;
constexpr int kSmallKept = 256;
Header *g_small_free = nullptr;   // linked through Header::managed (under the GIL)
int g_small_count = 0;

// A large block counts as memory outside the host's heap (gc_bridge/
// pressure.cpp: a buffer of bitarray's); its size_class is its size in
// 16-byte units.
uint32_t counted_class(size_t r) {
    if (heap::kSanitized || r < bridge::kExternalCounted || r / 16 > UINT32_MAX)
        return 0;   // (the sanitizer's allocator counts them)
    bridge::external_grew(r);
    return static_cast<uint32_t>(r / 16);
}
inline void uncount_block(const Header *h) {
    if (h->size_class > kSmallBlock) [[unlikely]]
        bridge::external_shrank(size_t(h->size_class) * 16);
}

void *alloc_block(size_t size) {
    size_t r = rounded(size);
    if (r == kSmallSize && g_small_free) {
        Header *h = g_small_free;
        g_small_free = reinterpret_cast<Header *>(h->managed.raw);
        g_small_count--;
        *h = Header{};
        std::memset(static_cast<void *>(h + 1), 0, kSmallSize);
        h->size_class = kSmallBlock;
        return h + 1;
    }
    auto *h = static_cast<Header *>(heap::zalloc_aligned(sizeof(Header) + r, 16));
    if (!h)
        return nullptr;
    h->size_class = r == kSmallSize ? kSmallBlock : counted_class(r);
    if (debug::enabled) [[unlikely]]   // (its free list stays empty then)
        debug::allocated(h + 1, r);
    return h + 1;
}

void free_block(void *p) {
    if (!p || is_static_object(p)) [[unlikely]]   // (never the heap's)
        return;
    Header *h = static_cast<Header *>(p) - 1;
    if (h->flags & kRegistered)   // freed by a tp_free, not object_dealloc
        bridge::identity_forget(static_cast<PyObject *>(p));
    if (h->flags & kTracked)   // (PyObject_GC_Del untracks, as CPython's)
        cycles::untrack(static_cast<PyObject *>(p));
    if (h->flags & kDictSlot)
        dict_slot_release(static_cast<PyObject *>(p));
    drop_next_method(h);
    if (h->flags & kPendingLink) [[unlikely]]   // (its wrapper held a reference: a refcount bug)
        bridge::link_forget(static_cast<PyObject *>(p));
    if (h->flags & kPinned) [[unlikely]]
        bridge::pinned_forget(static_cast<PyObject *>(p));
    if (h->managed && !(h->flags & kBorrowedHandle))
        host::close(h->managed);
    uncount_block(h);
    if (debug::enabled) [[unlikely]]
        if (debug::quarantine(p))
            return;
    if (!heap::kSanitized && h->size_class == kSmallBlock && g_small_count < kSmallKept) {
        h->managed.raw = reinterpret_cast<intptr_t>(g_small_free);
        g_small_free = h;
        g_small_count++;
        return;
    }
    heap::free(h);
}

void renew_object(PyObject *o) {
    Header *h = header_of(o);
    if (h->flags & kKept)   // (a kept str is the layer's: C cannot hold one)
        unkeep(o);
    if (h->flags & (kRegistered | kDeferredId))
        bridge::identity_forget(o);
    if (h->flags & kDictSlot)
        dict_slot_release(o);
    drop_next_method(h);
    if (h->flags & kPendingLink)
        bridge::link_forget(o);
    if (h->flags & kPinned)
        bridge::pinned_forget(o);
    if (h->managed && !(h->flags & kBorrowedHandle))
        host::close(h->managed);
    Header fresh{};
    fresh.size_class = h->size_class;
    fresh.flags = h->flags & (kTracked | kFinalized);
    if (h->flags & kTracked)
        fresh.identity = h->identity;   // (its index among the tracked)
    *h = fresh;
}

// Stress mode: blocks C does not hold go back to the heap.
void drop_free_lists() {
    while (g_small_free) {
        Header *h = g_small_free;
        g_small_free = reinterpret_cast<Header *>(h->managed.raw);
        heap::free(h);
    }
    g_small_count = 0;
}

void *realloc_block(void *p, size_t size) {
    if (!p)
        return alloc_block(size);
    const Header before = *(static_cast<Header *>(p) - 1);
    void *np;
    if (debug::enabled) [[unlikely]] {   // always moves: stale pointers to the old block report
        np = debug::moved(p, size);
    } else {
        auto *n = static_cast<Header *>(
            heap::realloc_aligned(static_cast<Header *>(p) - 1, sizeof(Header) + rounded(size), 16));
        np = n ? n + 1 : nullptr;
    }
    if (!np)
        return nullptr;
    uncount_block(&before);
    // Not small any more: back to the heap when freed.
    (static_cast<Header *>(np) - 1)->size_class = counted_class(rounded(size));
    return np;
}

PyObject *alloc_object(PyTypeObject *type, size_t size) {
    // (A hybrid's struct is its type's, larger than its builtin layout's.)
    auto *o = static_cast<PyObject *>(alloc_block(std::max(size, static_cast<size_t>(type->tp_basicsize))));
    if (!o)
        return PyErr_NoMemory();
    o->ob_refcnt = 1;
    o->ob_type = type;
    if (debug::enabled) [[unlikely]]
        debug::object_made(o);
    return o;
}

PyVarObject *alloc_var_object(PyTypeObject *type, size_t size, Py_ssize_t ob_size) {
    auto *o = reinterpret_cast<PyVarObject *>(alloc_object(type, size));
    if (o)
        o->ob_size = ob_size;
    return o;
}

// Objects identity-mapped by their host hash (cheap and safe to take, and
// told apart by handle within a hash), not by id(): exact strs and bytes,
// and instances of types hashing by identity.
namespace {
bool hash_keyed(PyTypeObject *type, const TypeInfo *ti) {
    return type == &PyUnicode_Type || type == &PyBytes_Type || ti->hash_identity;
}
} // namespace

bool is_static_singleton(PyObject *o) {
    PyTypeObject *t = Py_TYPE(o);
    return t == &_PyNone_Type || t == &PyBool_Type || t == &_PyNotImplemented_Type ||
           t == &PyEllipsis_Type;
}

void scope_keep(Handle h) { bridge::keep_until_exit(h); }

// ---------------------------------------------------------------- C side

namespace {

PyObject *fail_from_host() {
    move_host_error_to_c();
    return nullptr;
}

// Proxies keep their managed object; identity-mapped layouts are registered.
bool g_argument = false;   // set by from_host_argument around its from_host
bool g_borrowed = false;   // from_host made a proxy that borrows the argument's handle

// h: a duplicate to own, or (borrowed) the argument handle itself.
PyObject *finish_proxy(PyObject *o, Handle h, int64_t id, bool borrowed = false) {
    if (header_of(o)->flags & kImmortal) {   // a cached singleton: complete already
        if (!borrowed)
            host::close(h);
        return o;
    }
    header_of(o)->managed = h;
    if (borrowed) {
        header_of(o)->flags |= kBorrowedHandle;
        g_borrowed = true;
    }
    if (id)
        bridge::identity_register(o, id);
    return o;
}

PyObject *make_long(Handle h, PyTypeObject *type) {
    bool overflow = false;
    long long v = host::long_as(h, &overflow);
    if (!overflow) {
        if (v == -1 && host::err_occurred())
            return fail_from_host();
        if (type == &PyLong_Type)   // the small-int cache first, as CPython's
            return api_long_from_int64(v);
        return long_from_int64(v, type);
    }
    Handle parts = host::call_helper(Helper::int_to_bytes, {h});
    if (!parts)
        return fail_from_host();
    Handle neg = host::getitem_i(parts, 0);
    Handle mag = host::getitem_i(parts, 1);
    ptrdiff_t n = 0;
    const char *bytes = host::bytes_data(mag, &n);
    PyObject *r = long_from_magnitude(reinterpret_cast<const unsigned char *>(bytes), n,
                                      host::is_true(neg), type);
    host::close(neg);
    host::close(mag);
    host::close(parts);
    return r;
}

PyObject *make_unicode(Handle h, PyTypeObject *type) {
    ptrdiff_t n = 0;
    const char *utf8 = host::unicode_as_utf8(h, &n);
    if (!utf8) {
        // Lone surrogates have no UTF-8 form: take the code points instead.
        host::err_clear();
        Handle units = host::call_helper(Helper::decode_ucs, {h});
        if (!units)
            return fail_from_host();
        ptrdiff_t size = 0;
        const char *data = host::bytes_data(units, &size);
        PyObject *r = unicode_from_ucs4(reinterpret_cast<const Py_UCS4 *>(data),
                                        size / 4, type);
        host::close(units);
        return r;
    }
    // CPython keeps one str per latin-1 character and one empty str, and C
    // relies on it (bitarray uses a character from iterating a str after
    // dropping its reference): the same singletons here.
    if (type == &PyUnicode_Type && n <= 2) {
        if (n == 0)
            return unicode_singleton(-1);
        auto *p = reinterpret_cast<const unsigned char *>(utf8);
        Py_UCS4 c = n == 1 ? p[0] : ((p[0] & 0x1f) << 6) | (p[1] & 0x3f);
        if (n == 1 || (p[0] >= 0xc2 && p[0] <= 0xc3))
            return unicode_singleton(c);
    }
    return unicode_from_utf8_trusted(utf8, n, type);
}

PyObject *make_tuple(Handle h, PyTypeObject *type) {
    bool exact = type == &PyTuple_Type;   // (a subclass's len and items may run code)
    ptrdiff_t n = exact ? host::exact_length(h) : host::length(h);
    if (n < 0)
        return fail_from_host();
    PyObject *t = tuple_alloc(type, n);
    if (!t)
        return nullptr;
    for (ptrdiff_t i = 0; i < n; i++) {
        PyObject *item = from_host_steal(exact ? host::exact_item(h, i) : host::getitem_i(h, i));
        if (!item) {
            Py_DECREF(t);
            return nullptr;
        }
        PyTuple_SET_ITEM(t, i, item);
    }
    return t;
}

PyObject *make_float(Handle h, PyTypeObject *type) {
    double v = host::float_as(h);
    if (v == -1.0 && host::err_occurred())
        return fail_from_host();
    PyObject *o = alloc_object(type, sizeof(PyFloatObject));
    if (o)
        reinterpret_cast<PyFloatObject *>(o)->ob_fval = v;
    return o;
}

PyObject *make_bytes(Handle h, PyTypeObject *type) {
    ptrdiff_t n = 0;
    const char *data = host::bytes_data(h, &n);
    if (!data)
        return fail_from_host();
    return bytes_from_data(data, n, type);
}

PyObject *make_sized(Handle h, PyTypeObject *type, size_t size, Layout layout) {
    PyObject *o = alloc_object(type, size);
    if (!o)
        return nullptr;
    if (layout == Layout::dict || layout == Layout::set) {
        bool exact = type == &PyDict_Type || type == &PySet_Type || type == &PyFrozenSet_Type;
        ptrdiff_t n = exact ? host::exact_length(h) : host::length(h);
        if (n < 0) {
            Py_DECREF(o);
            return fail_from_host();
        }
        if (layout == Layout::dict) {
            reinterpret_cast<PyDictObject *>(o)->ma_used = n;
            dict_new_version(o);
        }
        else
            reinterpret_cast<PySetObject *>(o)->used = n;
    }
    return o;
}

// Builds the C side of a managed object of a known layout (no identity work).
PyObject *materialize(Handle h, TypeInfo *ti) {
    PyTypeObject *type = ti->type;
    switch (ti->layout) {
    case Layout::long_: return make_long(h, type);
    case Layout::float_: return make_float(h, type);
    case Layout::unicode: return make_unicode(h, type);
    case Layout::bytes: return make_bytes(h, type);
    case Layout::list: return list_alloc(type, 0);   // filled once registered (from_host)
    case Layout::tuple: return make_tuple(h, type);
    case Layout::dict: return make_sized(h, type, sizeof(PyDictObject), Layout::dict);
    case Layout::set: return make_sized(h, type, sizeof(PySetObject), Layout::set);
    case Layout::complex_: return complex_materialize(h, type);
    case Layout::bytearray: return bytearray_materialize(h, type);
    case Layout::slice: return slice_materialize(h, type);
    case Layout::method: return method_materialize(h, type);
    case Layout::descr: return descr_materialize(h, type);
    case Layout::date:
    case Layout::datetime:
    case Layout::time:
    case Layout::delta: return datetime_materialize(h, type, ti->layout);
    case Layout::cfunction: return cfunction_materialize(h, type);
    case Layout::module: return alloc_object(type, sizeof(ModuleObject));
    case Layout::structseq: return structseq_materialize(h, type);
    case Layout::code: return code_materialize(h, type);
    case Layout::frame: return frame_materialize(h, type);
    case Layout::capsule:
    case Layout::moduledef:   // unwrapped by from_host, never materialized
    case Layout::native:
    case Layout::seqiter:   // (its fields stay empty: the host's iterator answers)
    case Layout::dictiter:
    case Layout::generic: return alloc_object(type, type->tp_basicsize ? type->tp_basicsize
                                                                       : sizeof(PyObject));
    }
    return nullptr;
}

// ints skip the identity map: equal ints behave alike, and CPython itself
// promises no int identity beyond the small-int cache (kept, see longobject.cpp).
// floats are mapped by value bits, which is PyPy's identity for them (NaN
// makes it observable through RichCompareBool).
// Bytes of an object's C struct, as the statistics count copies.
size_t c_size(PyObject *o) {
    PyTypeObject *t = Py_TYPE(o);
    if (PyUnicode_Check(o))
        return PyUnicode_GET_LENGTH(o) * PyUnicode_KIND(o);
    if (PyList_Check(o))
        return sizeof(PyListObject) + PyList_GET_SIZE(o) * sizeof(PyObject *);
    size_t n = t->tp_itemsize ? static_cast<size_t>(Py_SIZE(o) < 0 ? -Py_SIZE(o) : Py_SIZE(o)) : 0;
    return t->tp_basicsize + n * t->tp_itemsize;
}

bool value_compared(Layout l) { return l == Layout::long_ || l == Layout::float_; }

// A hybrid's C struct comes from its type's tp_alloc, as CPython's builtins'
// tp_new make theirs (an extension's tp_alloc may count or prepare its
// instances); PyType_GenericAlloc, reached from it, takes the managed object
// being materialized (hybrid_block). An exception's args are in its struct,
// where its type's C code reads them.
struct PendingHybrid {
    Handle h;
    TypeInfo *ti = nullptr;
};
PendingHybrid g_pending_hybrid;

PyObject *hybrid_materialize(Handle h, TypeInfo *ti) {
    PendingHybrid saved = g_pending_hybrid;
    g_pending_hybrid = {h, ti};
    PyTypeObject *t = ti->type;
    PyObject *o = t->tp_alloc ? t->tp_alloc(t, 0) : PyType_GenericAlloc(t, 0);
    bool unused = g_pending_hybrid.ti;
    g_pending_hybrid = saved;
    if (o && unused) {
        // A tp_alloc of its own (numpy's scalars: PyObject_Malloc and
        // PyObject_Init): a float's or a complex's value is all there is to fill.
        if (Py_TYPE(o) == t && ti->layout == Layout::float_) {
            reinterpret_cast<PyFloatObject *>(o)->ob_fval = host::float_as(h);
            return o;
        }
        if (Py_TYPE(o) == t && ti->layout == Layout::complex_) {
            PyObject *c = complex_materialize(h, &PyComplex_Type);
            if (!c)
                return nullptr;   // (what it made is not ours to free)
            reinterpret_cast<PyComplexObject *>(o)->cval = reinterpret_cast<PyComplexObject *>(c)->cval;
            Py_DECREF(c);
            return o;
        }
        PyErr_Format(PyExc_SystemError, "ferry: tp_alloc of '%s' made its instance without "
                     "PyType_GenericAlloc", t->tp_name);
        return nullptr;   // (what it made is not ours to free)
    }
    if (o && PyType_FastSubclass(t, Py_TPFLAGS_BASE_EXC_SUBCLASS) && exception_args_sync(o, h) < 0) {
        Py_DECREF(o);
        return nullptr;
    }
    return o;
}

} // namespace

int exception_args_sync(PyObject *o, Handle h) {
    Handle args = host::getattr_s(h, "args");
    PyObject *a = args ? from_host_steal(args) : fail_from_host();
    if (!a)
        return -1;
    Py_XSETREF(reinterpret_cast<PyBaseExceptionObject *>(o)->args, a);
    return 0;
}

PyObject *hybrid_block(PyTypeObject *t) {
    TypeInfo *ti = g_pending_hybrid.ti;
    if (!ti || ti->type != t)
        return nullptr;
    g_pending_hybrid.ti = nullptr;
    return materialize(g_pending_hybrid.h, ti);
}

PyObject *from_host_argument(Handle h, bool *borrowed) {
    g_argument = true;
    g_borrowed = false;
    PyObject *o = from_host(h);
    g_argument = false;
    *borrowed = g_borrowed;
    return o;
}

void keep_argument(PyObject *o) {
    Header *hd = header_of(o);
    if (Py_REFCNT(o) > 1 && (hd->flags & kBorrowedHandle)) {
        hd->managed = host::dup(hd->managed);   // C keeps it beyond the call
        hd->flags &= ~kBorrowedHandle;
    }
    if (Py_REFCNT(o) > 1 && (hd->flags & kDeferredId))
        bridge::identity_settle(o);
}

void replace_managed(PyObject *o, Handle h_owned) {
    Header *hd = header_of(o);
    if (!(hd->flags & kBorrowedHandle))
        host::close(hd->managed);
    hd->flags &= ~(kBorrowedHandle | kDemoted | kLoose);
    hd->managed = h_owned;
}

namespace {
PyObject *from_host_as(Handle h, PyTypeObject *type, bool argument, int64_t str_hash = -1, int64_t known_id = 0);
} // namespace

namespace {

PyObject *from_host_known(Handle h, int64_t id) {
    bool argument = g_argument;
    g_argument = false;   // the items of a container are not arguments
    if (!h) {
        PyErr_SetString(PyExc_SystemError, "ferry: null handle crossing into C");
        return nullptr;
    }
    // The type first (usually found among the recent ones by one handle
    // comparison); the singletons are told by it.
    Handle t = host::type(h);
    PyTypeObject *type = type_from_host(t);
    host::close(t);
    if (!type)
        return nullptr;
    return from_host_as(h, type, argument, -1, id);
}

} // namespace

PyObject *from_host(Handle h) { return from_host_known(h, 0); }

PyObject *from_host_with_id(Handle h, int64_t id) { return from_host_known(h, id); }

PyObject *from_host_exact(Handle h, PyTypeObject *type, int64_t id) {
    g_argument = false;
    return from_host_as(h, type, false, -1, id);
}

PyObject *from_host_str(Handle h, int64_t hash) {
    g_argument = false;
    return from_host_as(h, &PyUnicode_Type, false, hash);
}

namespace {

PyObject *nested_too_deep() {
    PyErr_SetString(PyExc_RecursionError,
                    "maximum recursion depth exceeded while bringing a nested object to C");
    return nullptr;
}

// A proxy found again: containers re-read (their items or size may have
// changed on the host), a hybrid exception's args too.
PyObject *refresh_known(PyObject *known, Handle h, TypeInfo *ti) {
    int r = 0;
    if (ti->layout == Layout::list || ti->layout == Layout::dict || ti->layout == Layout::set ||
        ti->layout == Layout::bytearray)
        r = refresh_container(known, h);
    else if (ti->hybrid && PyType_FastSubclass(ti->type, Py_TPFLAGS_BASE_EXC_SUBCLASS))
        r = exception_args_sync(known, h);
    if (r < 0) {
        Py_DECREF(known);
        return nullptr;
    }
    return known;
}

// A proxy just made and registered: counted, and a list's items read (only
// now: it may contain itself).
PyObject *fill_made(PyObject *o, Handle h, TypeInfo *ti) {
    if (stats::enabled) [[unlikely]]
        stats::materialized(ti->layout, c_size(o));
    if (ti->layout == Layout::list && list_refresh(o, h) < 0) {
        Py_DECREF(o);
        return nullptr;
    }
    return o;
}

// A hybrid (proxy.h): identity-mapped by id() whatever its layout (a loose
// one's handle is a weakref, which the hash buckets' handle comparison cannot
// match), its handle its own (never a call's), made by its type's tp_alloc,
// pinned.
PyObject *from_host_hybrid(Handle h, TypeInfo *ti, int64_t known_id) {
    if ((ti->layout == Layout::list || ti->layout == Layout::tuple) && host::stack_exhausted())
        return nested_too_deep();
    int64_t id = known_id ? known_id : bridge::host_id(h);
    if (!id && PyErr_Occurred())
        return nullptr;
    PyObject *known = id ? bridge::identity_lookup(id) : nullptr;
    if (known && (header_of(known)->flags & kLoose) && !bridge::loose_of(known, h)) {
        bridge::identity_forget(known);   // (as in from_host_as)
        known = nullptr;
    }
    if (known) {
        Py_INCREF(known);
        if (header_of(known)->flags & (kDemoted | kLoose))   // (cycles.cpp, bridge::pin)
            replace_managed(known, host::dup(h));
        return refresh_known(known, h, ti);
    }
    PyObject *o = hybrid_materialize(h, ti);
    if (!o)
        return nullptr;
    finish_proxy(o, host::dup(h), id);
    bridge::pin(o);
    return fill_made(o, h, ti);
}

PyObject *from_host_as(Handle h, PyTypeObject *type, bool argument, int64_t str_hash, int64_t known_id) {
    if (type == &_PyNone_Type)
        Py_RETURN_NONE;
    if (type == &PyBool_Type) {
        if (host::is(h, host::borrowed(Builtin::True)))
            Py_RETURN_TRUE;
        Py_RETURN_FALSE;
    }
    if (type == &PyMethod_Type) {   // [].append on PyPy: a method of a host builtin
        Handle b = host::call_helper(Helper::is_builtin_method, {h});
        if (b && host::is_true(b) > 0)
            type = &PyCFunction_Type;
        host::close(b);
        if (!b)
            host::err_clear();
    }
    // A class (its metatype may be a metaclass of C, a hybrid type).
    if (type == &PyType_Type || PyType_FastSubclass(type, Py_TPFLAGS_TYPE_SUBCLASS)) {
        PyTypeObject *as_type = type_from_host(h);
        Py_XINCREF(as_type);
        return reinterpret_cast<PyObject *>(as_type);
    }
    TypeInfo *ti = type_info(type);
    if (ti->hybrid) [[unlikely]]
        return from_host_hybrid(h, ti, known_id);
    if (ti->is_native || ti->layout == Layout::capsule || ti->layout == Layout::moduledef) {
        auto *native = static_cast<PyObject *>(host::native_unwrap(h));
        if (native) {
            Py_INCREF(native);
            return native;
        }
        if (ti->is_native) {   // CPython's object.__new__ refuses to make it
            PyErr_Format(PyExc_TypeError, "object.__new__(%s) is not safe, use %s.__new__()",
                         type->tp_name, type->tp_name);
            return nullptr;
        }
    }
    if (type == &_PyNotImplemented_Type)
        return Py_NewRef(Py_NotImplemented);
    if (type == &PyEllipsis_Type)
        return Py_NewRef(Py_Ellipsis);

    if (ti->layout == Layout::float_ && type == &PyFloat_Type) {
        double v = host::float_as(h);
        if (PyObject *known = bridge::float_identity_lookup(v))
            return found_again(known);
        PyObject *o = materialize(h, ti);
        if (o) {
            finish_proxy(o, argument ? h : host::dup(h), 0, argument);
            bridge::float_identity_register(o, v);
            if (stats::enabled) [[unlikely]]
                stats::materialized(Layout::float_, sizeof(PyFloatObject));
        }
        return o;
    }
    // Lists and tuples fill (or refresh) their items by crossing them, so a
    // deeply nested one recurses here: stop before PyPy's C-stack limit, past
    // which a host call aborts the process (CPython converts nothing, hence
    // has no limit). Before the identity lookup: id() is a host call, and a
    // list found again is refreshed item by item.
    if ((ti->layout == Layout::list || ti->layout == Layout::tuple) && host::stack_exhausted())
        [[unlikely]]
        return nested_too_deep();
    // The identity map: by hash where the hash is cheap and safe to take
    // (exact strs and bytes, types hashing by identity), else by id().
    int64_t id = 0, hash = 0;
    bool by_hash = hash_keyed(type, ti);
    PyObject *known = nullptr;
    bool defer = false;
    if (by_hash) {
        hash = str_hash != -1 ? str_hash : host::identity_hash(h);
        if (hash == -1 && host::err_occurred())
            return null_with_host_error();
        known = bridge::hash_identity_lookup(h, hash);
    } else if (!value_compared(ti->layout)) {
        bool settled = false;
        known = bridge::container_lookup(h, type, &settled);
        defer = !known && settled && argument && bridge::identity_deferrable();
        if (!known && !defer) {
            id = known_id ? known_id : bridge::host_id(h);
            if (!id && PyErr_Occurred())
                return nullptr;
            if (!settled)
                known = id ? bridge::identity_lookup(id) : nullptr;
        }
    }
    // A loose hybrid whose managed object died before its link reported
    // holds the id() a new object has now (a dict of keywords, say).
    if (known && (header_of(known)->flags & kLoose) && !bridge::loose_of(known, h)) [[unlikely]] {
        bridge::identity_forget(known);
        known = nullptr;
    }
    if (known) {
        if (stats::enabled) [[unlikely]]
            stats::identity_hit();
        found_again(known);
        if (header_of(known)->flags & kDemoted) [[unlikely]]   // (cycles.cpp)
            replace_managed(known, host::dup(h));
        return refresh_known(known, h, ti);
    }
    PyObject *o = materialize(h, ti);
    if (!o)
        return nullptr;
    if (header_of(o)->flags & kImmortal)   // a cached small int or str
        return o;
    if (ti->layout == Layout::long_ && Py_REFCNT(o) > 1) {   // a recent int (longobject.cpp): shared
        if (!header_of(o)->managed)
            header_of(o)->managed = host::dup(h);
        return o;
    }
    finish_proxy(o, argument ? h : host::dup(h), id, argument);
    if (by_hash)   // (looked up above)
        bridge::hash_identity_add(o, hash);
    if (defer)
        bridge::identity_defer(o);
    return fill_made(o, h, ti);
}

} // namespace

PyObject *from_host_steal(Handle h) {
    if (!h)
        return fail_from_host();
    PyObject *o = from_host(h);
    host::close(h);
    return o;
}

// ---------------------------------------------------------------- host side

namespace {

// transient: o is a result nothing else holds (result_handle), and so are
// the items only it holds.
Handle build_managed(PyObject *o, TypeInfo *ti, bool transient) {
    // Containers C made cross with their items, so a deeply nested one
    // recurses here, and a tuple that holds itself (which no host tuple can
    // be) would recurse forever: stop before PyPy's C-stack limit.
    if ((ti->layout == Layout::tuple || ti->layout == Layout::list || ti->layout == Layout::dict) &&
        host::stack_exhausted()) [[unlikely]] {
        PyErr_SetString(PyExc_RecursionError,
                        "maximum recursion depth exceeded while bringing a nested object to the host");
        return {};
    }
    switch (ti->layout) {
    case Layout::long_: return long_to_host(o);
    case Layout::float_: return host::float_from(PyFloat_AS_DOUBLE(o));
    case Layout::unicode: return unicode_to_host(o);
    case Layout::bytes: return host::bytes_from(PyBytes_AS_STRING(o), PyBytes_GET_SIZE(o));
    case Layout::tuple: {
        // (A call's result tuple is small: its handles on the stack, not in a
        // vector, whose malloc and free were 5% of concat3's time.)
        size_t n = static_cast<size_t>(PyTuple_GET_SIZE(o));
        Handle few[8];
        std::vector<Handle> many(n > 8 ? n : 0);
        Handle *items = n > 8 ? many.data() : few;
        for (size_t i = 0; i < n; i++) {
            items[i] = handle_of_item(PyTuple_GET_ITEM(o, i), transient);
            if (!items[i])
                return {};
        }
        return host::tuple_from(items, n);
    }
    case Layout::list: return list_to_host(o, transient);
    case Layout::dict: return dict_to_host(o, transient);
    case Layout::complex_: return complex_to_host(o);
    case Layout::bytearray: return bytearray_to_host(o);
    case Layout::slice: return slice_to_host(o);
    case Layout::method: return method_to_host(o);
    case Layout::seqiter: return seqiter_to_host(o);
    case Layout::dictiter: return dictiter_to_host(o);
    case Layout::structseq: return structseq_to_host(o);
    case Layout::frame: return frame_to_host(o);
    default: break;
    }
    PyErr_Format(PyExc_SystemError, "ferry: a '%s' object has no managed counterpart",
                 Py_TYPE(o)->tp_name);
    return {};
}

Handle native_to_host(PyObject *o, TypeInfo *ti, Handle cls) {
    Header *hd = header_of(o);
    if (hd->flags & kPendingLink)   // the wrapper itself, alive
        return host::dup(hd->managed);
    if (hd->managed) {
        if (Handle w = bridge::live_referent(hd->managed))
            return w;
        host::close(hd->managed);
        hd->managed = {};
    }
    // PyPy's HPy_New finds the storage of a class's instances among its
    // direct bases only: a Python class two levels below a class of C gets
    // that class as a base of its own, once (_support.add_storage_base).
    TypeInfo *ci = !cls || host::is(cls, ti->host_type) ? ti : type_info(type_from_host(cls));
    if (!ci)
        return {};
    if (!ci->storage_based) {
        Handle r = host::call_helper(Helper::add_storage_base, {ci->host_type});
        if (!r) {
            move_host_error_to_c();
            return {};
        }
        host::close(r);
        ci->storage_based = true;
    }
    Handle w = host::native_wrap(cls ? cls : ti->host_type, o);
    if (!w) {
        move_host_error_to_c();
        return {};
    }
    Py_INCREF(o);   // owned by the wrapper, released by its release link
    bridge::link_later(o, host::dup(w));
    return w;
}

} // namespace

Handle moduledef_handle(PyObject *def);

Handle native_wrapper_of(PyObject *o, Handle cls) {
    TypeInfo *ti = type_info(Py_TYPE(o));
    if (!type_handle(Py_TYPE(o)))
        return {};
    return native_to_host(o, ti, cls);
}

namespace {
bool g_transient = false;   // set by result_handle around its handle_of
} // namespace

Handle result_handle(PyObject *o) {
    bool transient = o && Py_REFCNT(o) == 1;
    g_transient = transient;
    Handle h = handle_of(o);
    g_transient = false;
    if (!h)
        return h;
    // Nobody else can reach a transient object: its proxy hands its handle
    // over instead of a duplicate, and dies without closing one.
    // (Static singletons, type objects and module defs have no header.)
    if (transient && Py_REFCNT(o) == 1 && !is_static_singleton(o) && !PyType_Check(o) &&
        Py_TYPE(o) != &PyModuleDef_Type) {
        Header *hd = header_of(o);
        if (hd->managed.raw == h.raw &&
            !(hd->flags & (kRegistered | kWeakWrapper | kImmortal | kDictSlot | kBorrowedHandle))) {
            hd->managed = {};
            return h;
        }
    }
    return host::dup(h);
}

// A proxy whose root a boundary collection moved into wrappers
// (cycles.cpp) holds its own again: C is using it while the host collects.
Handle demoted_handle(PyObject *o) {
    Header *hd = header_of(o);
    Handle one = host::tuple_from(&hd->managed, 1);
    Handle m = one ? host::call_helper(Helper::cells_objects, {one}) : Handle{};
    host::close(one);
    Handle obj = m ? host::getitem_i(m, 0) : Handle{};
    host::close(m);
    if (!obj || host::is(obj, host::borrowed(Builtin::None))) {
        host::close(obj);
        PyErr_Format(PyExc_SystemError, "ferry: a '%s' object was used after the host collected "
                     "it with a cycle", Py_TYPE(o)->tp_name);
        return {};
    }
    replace_managed(o, obj);
    return obj;
}

namespace {

// A plain tuple of a tuple subtype's items (C filled them; an empty slot is
// a SystemError, as CPython's tuple would crash on it).
PyObject *tuple_items(PyObject *o) {
    Py_ssize_t n = PyTuple_GET_SIZE(o);
    PyObject *t = PyTuple_New(n);
    for (Py_ssize_t i = 0; t && i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(o, i);
        if (!item) {
            Py_DECREF(t);
            PyErr_Format(PyExc_SystemError, "ferry: a '%s' object crossed with item %zd unset",
                         Py_TYPE(o)->tp_name, i);
            return nullptr;
        }
        PyTuple_SET_ITEM(t, i, Py_NewRef(item));
    }
    return t;
}

// A hybrid C made without its managed object: a float, a complex, bytes or
// a tuple its type's tp_alloc made and C then filled (numpy's scalars), whose
// managed object is made now by the builtin's __new__ with its class and
// that value, then held as one made on the host is (identity, pinned).
Handle hybrid_to_host(PyObject *o, TypeInfo *ti) {
    PyObject *value = ti->layout == Layout::float_ ? PyFloat_FromDouble(PyFloat_AS_DOUBLE(o))
                      : ti->layout == Layout::complex_
                          ? PyComplex_FromCComplex(reinterpret_cast<PyComplexObject *>(o)->cval)
                      : ti->layout == Layout::bytes ? PyBytes_FromStringAndSize(PyBytes_AS_STRING(o), Py_SIZE(o))
                      : ti->layout == Layout::tuple ? tuple_items(o)
                                                    : nullptr;
    PyObject *args = value ? PyTuple_Pack(1, value) : nullptr;
    Py_XDECREF(value);
    if (!args) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_SystemError, "ferry: a '%s' object has no managed counterpart",
                         Py_TYPE(o)->tp_name);
        return {};
    }
    Handle m = builtin_new_managed(Py_TYPE(o), args, nullptr);
    Py_DECREF(args);
    if (!m) {
        if (!PyErr_Occurred())
            move_host_error_to_c();
        return {};
    }
    int64_t id = bridge::host_id(m);
    if (!id && PyErr_Occurred()) {
        host::close(m);
        return {};
    }
    finish_proxy(o, m, id);
    bridge::pin(o);
    return m;
}

} // namespace

Handle handle_of(PyObject *o) {
    bool transient = g_transient;
    g_transient = false;   // items of a container are not transient
    if (!o) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "null argument to internal routine");   // as abstract.c
        return {};
    }
    if (is_static_singleton(o))
        return static_singleton_handle(o);
    PyTypeObject *type = Py_TYPE(o);
    if (type == &debug::dead_type) [[unlikely]] {   // FERRY_DEBUG: a freed object
        debug::dead_object_error(o);
        return {};
    }
    if (PyType_FastSubclass(type, Py_TPFLAGS_TYPE_SUBCLASS))
        return type_handle(reinterpret_cast<PyTypeObject *>(o));
    if (type == &PyModuleDef_Type)
        return moduledef_handle(o);
    Header *hd = header_of(o);
    if ((hd->flags & kDictSlot) && dict_slot_sync(o) < 0) [[unlikely]]
        return {};
    if (hd->managed && !(hd->flags & (kWeakWrapper | kDemoted | kLoose))) {
        // Writes C made through PyByteArray_AS_STRING reach the host before it
        // looks (lists: see listobject.cpp for when their macro writes sync;
        // a size C changed in place does here).
        if (PyByteArray_CheckExact(o) && bytearray_sync_to_host(o) < 0)
            return {};
        if (PyList_Check(o) && list_size_sync(o) < 0)
            return {};
        return hd->managed;
    }
    if (hd->flags & kDemoted) [[unlikely]]   // during a boundary collection
        return demoted_handle(o);
    if (hd->flags & kPinned) [[unlikely]]   // loose, or its managed object died
        return bridge::loose_handle(o);
    TypeInfo *ti = type_info(type);
    if (!ti) {
        PyErr_Format(PyExc_SystemError, "ferry: type '%s' was not readied (PyType_Ready)",
                     type->tp_name);
        return {};
    }
    if (ti->is_native || ti->layout == Layout::capsule) {
        Handle w = native_wrapper_of(o, {});
        if (w)
            scope_keep(w);
        return w;
    }
    if (ti->hybrid)
        return hybrid_to_host(o, ti);
    Handle m = build_managed(o, ti, transient);
    if (!m) {
        if (!PyErr_Occurred())
            move_host_error_to_c();
        return {};
    }
    if (stats::enabled) [[unlikely]]
        stats::managed_copy(ti->layout, c_size(o));
    hd->managed = m;
    if (transient) {
        // nothing to register
    } else if (hash_keyed(type, ti)) {
        int64_t hash = host::identity_hash(m);
        if (hash == -1 && host::err_occurred()) {
            move_host_error_to_c();
            return {};
        }
        bridge::hash_identity_register(o, hash);
    } else if (type == &PyFloat_Type) {
        bridge::float_identity_register(o, PyFloat_AS_DOUBLE(o));
    } else if (!value_compared(ti->layout)) {
        int64_t id = bridge::host_id(m);
        if (!id && PyErr_Occurred())
            return {};
        if (id)
            bridge::identity_register(o, id);
    }
    return m;
}

Handle handle_of_item(PyObject *item, bool transient) {
    g_transient = transient && item && Py_REFCNT(item) == 1;
    return handle_of(item);
}

Handle new_handle(PyObject *o) {
    Handle h = handle_of(o);
    return h ? host::dup(h) : h;
}

// A PyModuleDef is a static of its extension, with no header: its wrapper is
// kept in a side table for the life of the layer, as the def itself lives.
Handle moduledef_handle(PyObject *def) {
    static std::unordered_map<PyObject *, Handle> wrappers;
    auto it = wrappers.find(def);
    if (it != wrappers.end()) {
        return it->second;
    }
    Handle w = host::native_wrap(type_info(&PyModuleDef_Type)->host_type, def);
    if (!w) {
        move_host_error_to_c();
        return {};
    }
    wrappers.emplace(def, w);
    return w;
}

// ---------------------------------------------------------------- dealloc

namespace {

// Proxies of exact strs, bytes and floats that C freed are kept a while,
// still in the identity map and holding their managed object: the same
// object crossing again (a dict's keys at each PyDict_Next walk, an argument
// at each call: Point(1.5, 2.5) made four float proxies; xxhash of the same
// 1 MB copied it at each call; markupsafe.escape of the same 10k characters
// decoded them at each call) finds its proxy instead of a new copy. None of
// them has a finalizer or takes a weakref, so holding them a while shows
// nowhere. The oldest is freed when a place is needed (or its data, past
// kKeptBudget), and all before the host collects (keep_flush). Not in debug
// or stress mode, whose reports and drops are about the objects C frees.
constexpr size_t kKeptMax = 256;
constexpr Py_ssize_t kKeptDataMax = 4 << 20;   // a str's or bytes' data past this: not kept
constexpr Py_ssize_t kKeptBudget = 16 << 20;   // the kept ones' data together

// The data a kept proxy holds (its characters or bytes; a float: none).
Py_ssize_t kept_data(PyObject *o) {
    if (Py_TYPE(o) == &PyBytes_Type)
        return Py_SIZE(o);
    if (Py_TYPE(o) == &PyUnicode_Type)
        return PyUnicode_GET_LENGTH(o) * PyUnicode_KIND(o);
    return 0;
}

uint32_t kept_identity(PyObject *o) {
    PyTypeObject *t = Py_TYPE(o);
    return t == &PyUnicode_Type || t == &PyBytes_Type ? uint32_t(kHashIdentity)
           : t == &PyFloat_Type                      ? uint32_t(kFloatIdentity)
                                                     : 0;
}

bool keepable(PyObject *o, const Header *h) {
    uint32_t identity = kept_identity(o);
    return identity && (h->flags & identity) &&
           !(h->flags & ~(kRegistered | identity | kBorrowedHandle)) && h->managed &&
           kept_data(o) <= kKeptDataMax && !debug::enabled && !debug::stress;
}

PyObject *g_kept[kKeptMax];
size_t g_kept_next = 0;
Py_ssize_t g_kept_data = 0;   // kept_data of the kept ones

void free_proxy(PyObject *o);

void free_kept(size_t i) {
    if (PyObject *o = g_kept[i]) {
        unkeep(o);
        free_proxy(o);
    }
}

bool keep(PyObject *o) {
    Header *h = header_of(o);
    if (!keepable(o, h))
        return false;
    if (h->flags & kBorrowedHandle) {   // the call's handle: its own from now on
        h->managed = host::dup(h->managed);
        h->flags &= ~kBorrowedHandle;
    }
    free_kept(g_kept_next);   // the oldest
    Py_ssize_t data = kept_data(o);
    for (size_t i = 1; i < kKeptMax && g_kept_data + data > kKeptBudget; i++)
        free_kept((g_kept_next + i) % kKeptMax);   // the next oldest, until it fits
    g_kept_data += data;
    g_kept[g_kept_next] = o;
    h->flags |= kKept;
    h->padding = g_kept_next;
    g_kept_next = (g_kept_next + 1) % kKeptMax;
    return true;
}

} // namespace

void unkeep(PyObject *o) {
    Header *h = header_of(o);
    g_kept[h->padding] = nullptr;
    h->padding = 0;
    h->flags &= ~kKept;
    g_kept_data -= kept_data(o);
}

void keep_flush() {
    for (size_t i = 0; i < kKeptMax; i++)
        free_kept(i);
}

void drop_kept(PyObject *o) { free_kept(header_of(o)->padding); }

void object_dealloc(PyObject *o) {
    if (!keep(o))
        free_proxy(o);
}

namespace {

void free_proxy(PyObject *o) {
    bridge::identity_forget(o);
    TypeInfo *ti = type_info(Py_TYPE(o));
    PyObject *releasing = nullptr;
    if (debug::enabled) [[unlikely]] {   // items freed now were owned by o
        releasing = debug::releasing;
        debug::releasing = o;
    }
    switch (ti ? ti->layout : Layout::generic) {
    case Layout::tuple:
        for (Py_ssize_t i = 0; i < Py_SIZE(o); i++)
            Py_XDECREF(PyTuple_GET_ITEM(o, i));
        break;
    case Layout::list: list_clear_items(o); break;
    case Layout::unicode: unicode_release(o); break;
    case Layout::dict:
    case Layout::set: dict_release(o); break;   // (a set's borrowed keys: _PySet_NextEntry)
    case Layout::bytearray: bytearray_release(o); break;
    case Layout::slice: slice_release(o); break;
    case Layout::method: method_release(o); break;
    case Layout::descr: descr_release(o); break;
    case Layout::seqiter: seqiter_release(o); break;
    case Layout::dictiter: dictiter_release(o); break;
    case Layout::datetime:
    case Layout::time: datetime_release(o, ti->layout); break;
    case Layout::cfunction: cfunction_release(o); break;
    case Layout::module: module_release(o); break;
    case Layout::structseq: structseq_release(o); break;
    case Layout::code: code_object_release(o); break;
    case Layout::frame: frame_release(o); break;
    case Layout::generic:   // (a hybrid exception's args: hybrid_materialize)
        if (ti && ti->hybrid && PyType_FastSubclass(Py_TYPE(o), Py_TPFLAGS_BASE_EXC_SUBCLASS))
            Py_CLEAR(reinterpret_cast<PyBaseExceptionObject *>(o)->args);
        else if (Py_TYPE(o) == &PyMemoryView_Type)
            memoryview_release(o);
        break;
    default: break;
    }
    if (debug::enabled) [[unlikely]]
        debug::releasing = releasing;
    free_block(o);
}

} // namespace

} // namespace ferry
