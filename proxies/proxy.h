// Objects seen from C, and their crossing to and from the host.
//
// Terms (used in every file of the layer):
//   managed object  an object of the host heap, reached through a host::Handle;
//   proxy           a C struct with CPython 3.11's exact layout that stands for a
//                   managed object while C holds it (the proxy holds a handle);
//   native object   an object made by C (PyTuple_New, an extension type's
//                   tp_alloc, ...); when it crosses to the host it gets a
//                   managed counterpart: for builtin layouts a managed copy
//                   (after which it is a proxy like any other), for extension
//                   types a wrapper (an instance of _ferry_host.NativeObject)
//                   that owns one reference to it;
//   static object   None, True, False, NotImplemented, Ellipsis and the type
//                   objects of the layer: immortal, bound at start-up;
//   hybrid          an instance of an extension's type whose base is a builtin
//                   (dict, list, float, Exception, ...): a proxy of an instance
//                   of the type's managed class (a Python subclass of the
//                   builtin, which holds the builtin's part), laid out as the
//                   extension's struct. It is *pinned*: its managed object
//                   owns one reference to it (a release link), so its fields,
//                   and its address (C keys tables by it), live as long as the
//                   managed object does (gc_bridge/bridge.h, "Pinned proxies").
//
// Every block the layer hands out for an object (and every PyObject_Malloc /
// PyMem_Malloc block, since extensions mix them) starts with a Header placed
// just before the PyObject. Type objects carry their record in tp_cache, which
// CPython 3.11 no longer uses.
#pragma once
#include <Python.h>

#include <cstdint>

#include "host/host.h"

namespace ferry {

// How an object's C struct is laid out, which decides how it is materialized.
enum class Layout : uint8_t {
    generic, long_, float_, complex_, unicode, bytes, bytearray, tuple, list,
    dict, set, slice, module, cfunction, capsule, moduledef, native,
    structseq, code, frame, method,
    descr,   // getset and member descriptors of the host (descrobject.cpp)
    seqiter, // list and tuple iterators (iterobject.cpp)
    dictiter, // a dict's key iterator (dictobject.cpp)
    date, datetime, time, delta,   // datetime's classes (datetimemodule.cpp)
};

struct Header {
    host::Handle managed;   // the managed counterpart; a weakref for native objects
    int64_t identity;       // the identity map's key when registered (id(), hash or float bits)
    uint32_t flags;
    uint32_t size_class;    // kSmallBlock: may go back to the small-block free list; a block of
                            // 16 KB or more: its size in 16-byte units (bridge::external_*)
    uint64_t padding;       // per kind: kDictSlot's dict, kNextMethod's method, kKept's place;
                            // an exact list's: host::code_epoch when its items were read
};
static_assert(sizeof(Header) % 16 == 0, "keeps PyObject 16-byte aligned");

enum HeaderFlags : uint32_t {
    kRegistered = 1u << 0,    // present in the identity map under `identity`
    kWeakWrapper = 1u << 1,   // `managed` is a weakref to a native object's wrapper
    kRefreshing = 1u << 2,    // a container whose items are being read (it may contain itself)
    kFloatIdentity = 1u << 3, // registered by value bits (bridge::float_identity_*)
    kImmortal = 1u << 4,      // a cached singleton (small ints, latin-1 and empty strs)
    kHashIdentity = 1u << 5,  // registered by host hash (bridge::hash_identity_*)
    kDictSlot = 1u << 6,      // `padding` holds the instance dict handed out by _PyObject_GetDictPtr
    kFinalized = 1u << 7,     // tp_finalize has run (CPython keeps this bit in the GC header)
    kBorrowedHandle = 1u << 8, // `managed` is a call's argument handle, not owned (from_host_argument)
    kPendingLink = 1u << 9,   // with kWeakWrapper: `managed` is the wrapper itself until its
                              // release link is made (bridge::link_later)
    kTracked = 1u << 10,      // a native object PyObject_GC_Track tracks (`identity`: its index)
    kDemoted = 1u << 11,      // during a boundary collection, `managed` is a weakref to the cell
                              // that holds the managed object (gc_bridge/cycles.cpp)
    kNextMethod = 1u << 12,   // `padding` holds an owned handle to the iterator's bound
                              // __next__ (PyIter_Next); gives way to kDictSlot
    kCrowded = 1u << 13,      // registered by id() because its hash's bucket was full
                              // (bridge::hash_identity_add)
    kPinned = 1u << 14,       // a hybrid (see the terms above; bridge::pin)
    kLoose = 1u << 15,        // with kPinned: `managed` is a weakref to the managed object,
                              // which alone holds the proxy (bridge::pinned_sweep)
    kKept = 1u << 16,         // freed by C but kept a while (refcount 0), identity-mapped;
                              // `padding`: its place among the kept (materialize.cpp)
    kPendingDict = 1u << 17,  // a dict C made that has not crossed: its items live in C
                              // (`padding`: their storage; dictobject.cpp)
    kDeferredId = 1u << 18,   // an argument's dict or list not in the identity map yet
                              // (bridge::identity_defer)
};

// Objects an extension defines statically (numpy's builtin dtypes, its
// np.True_ and np.False_) have no Header before them (what is there is the
// extension's own data): theirs is kept aside, found by address within the
// extensions' writable segments (static_objects.cpp). Two instructions on the
// usual path: g_static_lo and g_static_span bound those segments.
extern uintptr_t g_static_lo, g_static_span;
inline bool maybe_static(const void *o) {
    return reinterpret_cast<uintptr_t>(o) - g_static_lo < g_static_span;
}
bool in_static_segments(const void *o);   // (the exact check, where maybe_static says so)
inline bool is_static_object(const void *o) { return maybe_static(o) && in_static_segments(o); }
Header *static_header(PyObject *o);   // a static object's, else the usual one
// After an extension is opened: its writable segments (lib: dlopen's handle).
void note_static_segments(void *lib);

inline Header *header_of(PyObject *o) {
    if (maybe_static(o)) [[unlikely]]
        return static_header(o);
    return reinterpret_cast<Header *>(o) - 1;
}

// kNextMethod's handle (PyIter_Next's cache in `padding`), and its release.
inline host::Handle next_method_handle(const Header *h) { return host::Handle{static_cast<intptr_t>(h->padding)}; }
inline void drop_next_method(Header *h) {
    if (h->flags & kNextMethod) {
        host::close(next_method_handle(h));
        h->padding = 0;
        h->flags &= ~kNextMethod;
    }
}

// Per-type record, reached through PyTypeObject::tp_cache.
struct TypeInfo {
    PyTypeObject *type = nullptr;
    host::Handle host_type;       // the managed type (a wrapper class for native types)
    Layout layout = Layout::generic;
    bool is_native = false;       // an extension's type: instances are native objects
    bool is_static = false;       // one of the layer's static type objects
    bool from_spec = false;       // made by PyType_FromSpec & co. (a heap type of C)
    bool hash_identity = false;   // hashes by identity (object.__hash__): keyed by hash, not id()
    bool hybrid = false;          // an extension's type based on a builtin: instances are hybrids
    PyTypeObject *builtin = nullptr;   // a hybrid type of C: that builtin (maybe not along tp_base)
    uint32_t features = 0;        // which dunders the managed type has (TypeFeature)
    bool storage_based = false;   // its instances can be made (native_to_host: add_storage_base)
    bool plain_metaclass = false; // its metaclass is `type` itself (no __instancecheck__ of its own)
    bool dict_written = false;    // a native type whose tp_dict C wrote a method's name into, or
                                  // changed after its class was built (PyType_Modified)
};
TypeInfo *type_info(PyTypeObject *t);   // nullptr for a type never readied

// Allocation of object memory: zeroed, with a Header, refcount 1.
void *alloc_block(size_t size);
void free_block(void *p);
void *realloc_block(void *p, size_t size);
PyObject *alloc_object(PyTypeObject *type, size_t size);
PyVarObject *alloc_var_object(PyTypeObject *type, size_t size, Py_ssize_t ob_size);

bool is_static_singleton(PyObject *o);

// Crossing. All return null with the C error indicator set on failure.
PyObject *from_host(host::Handle h);          // new reference; h borrowed
PyObject *from_host_steal(host::Handle h);    // new reference; consumes h (null h: host error)
// from_host for an exact str whose hash is known (neither is asked).
PyObject *from_host_str(host::Handle h, int64_t hash);
// from_host for an object whose id() is known (not asked where its proxy is
// found or registered by id).
PyObject *from_host_with_id(host::Handle h, int64_t id);
// from_host for an object known to be exactly of type (a builtin's), whose
// id() is known (0: not): its type is not asked.
PyObject *from_host_exact(host::Handle h, PyTypeObject *type, int64_t id);
// An argument of a call from the host: a proxy made for it may borrow h
// (valid until the call returns) instead of a duplicate (*borrowed: it did).
// Before the call returns, keep_argument() must run on such a proxy, while
// the caller still holds its reference: if C kept it, it takes its own handle.
PyObject *from_host_argument(host::Handle h, bool *borrowed);
void keep_argument(PyObject *o);
// Replaces the managed counterpart of a proxy (closing the old one if owned).
void replace_managed(PyObject *o, host::Handle h_owned);
host::Handle handle_of(PyObject *o);          // borrowed: valid until the current entry returns
host::Handle new_handle(PyObject *o);         // owned
// A result C is handing over for good: with no other reference to it, its
// managed copy needs no identity entry (nobody in C can meet it again).
host::Handle result_handle(PyObject *o);      // owned
// handle_of for an item of a container crossing now: an item that only a
// transient container holds is transient too.
host::Handle handle_of_item(PyObject *item, bool transient);

// The managed type of a type object, made on first need for native types.
host::Handle type_handle(PyTypeObject *t);
PyTypeObject *type_from_host(host::Handle t);

// Handles that must outlive a C function but not the call into the layer.
void scope_keep(host::Handle h);

// _Py_NewReference: the block of an object C kept past its death (a free
// list of its own) starts a new life. What the layer still tied to the old
// one is released (identity entry, handle or wrapper link, dict slot, cached
// __next__, pinning) and the header is a fresh block's; GC tracking and the
// finalized mark stay as they are, as CPython's GC header keeps them.
void renew_object(PyObject *o);

// Called by tp_dealloc of every layer-owned layout.
void object_dealloc(PyObject *o);
// Proxies of exact strs, bytes and floats C freed are kept a while (kKept,
// identity-mapped): unkeep when one is found again, keep_flush before the
// host collects, drop_kept to free one now (the identity map wants its place).
void unkeep(PyObject *o);
// A new reference to a proxy found in an identity map (unkept if kept).
inline PyObject *found_again(PyObject *known) {
    if (header_of(known)->flags & kKept)
        unkeep(known);
    return Py_NewRef(known);
}
void keep_flush();
void drop_kept(PyObject *o);

// The instance-dict slot _PyObject_GetDictPtr hands out for an object whose
// C struct has none (the slot is the header's `padding`; kDictSlot): a write
// C made to it reaches the host's __dict__ (object.cpp).
int dict_slot_sync(PyObject *o);      // -1 with the C error set
void dict_slot_release(PyObject *o);  // drops the slot's reference
void dict_slots_flush();              // syncs the slots handed out in this call (at its end)
inline PyObject **dict_slot_of(PyObject *o) {
    return reinterpret_cast<PyObject **>(&header_of(o)->padding);
}

} // namespace ferry
