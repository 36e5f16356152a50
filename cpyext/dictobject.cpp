// dict: always managed. The C struct keeps ma_used (PyDict_GET_SIZE) and
// ma_version_tag in step; everything else is a host call. Values handed out as borrowed references
// (PyDict_GetItem*, PyDict_Next) are held by the dict's proxy while the dict holds them (see Borrowed).
// Mirrors Objects/dictobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpyext/forward.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#include "gc_bridge/flat_map.h"
#include "proxies/scan.h"
#define FERRY_FAMILY "dictobject"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace {

// PyDict_Next's view of a dict: its items when the iteration began, as a
// scan of [k0, v0, k1, v1, ...] (numbers packed: proxies/scan.h), each made
// a proxy when first reached.
struct Snapshot {
    Scan scan;
    std::vector<PyObject *> items;   // owned; null until reached
    bool taken = false;
};

// Per dict: the borrowed references it keeps alive, and its PyDict_Next
// snapshot. A borrowed reference is valid as long as the dict holds its
// object (CPython's promise): when refs have grown past kPruneMin and twice
// what the last prune left, the end of the outermost call releases those
// whose objects the dict no longer holds (a memo dict cleared at every call
// grew by its keys at each one).
struct Borrowed {
    std::vector<PyObject *> refs;
    std::unordered_set<PyObject *> index;   // of refs, once they are many
    Snapshot snapshot;
    size_t prune_at = 0;   // (0: kPruneMin)
    bool prune_due = false;
};
constexpr size_t kIndexed = 16;
constexpr size_t kPruneMin = 64;
std::vector<PyObject *> g_prune;   // dicts with prune_due
// By dict. A dict crossing into a call and asked for an item there gets an
// entry that goes when the call ends: the entries are kept for reuse
// (g_spare), and the map allocates nothing per entry.
FlatMap<Borrowed *> g_borrowed;
Spares<Borrowed> g_spare(32);
// The last dict's entry (PyDict_Next asks for it once per item).
PyObject *g_last_dict = nullptr;
Borrowed *g_last_borrowed = nullptr;

int64_t dict_key(PyObject *d) { return static_cast<int64_t>(reinterpret_cast<intptr_t>(d)); }

Borrowed *borrowed_find(PyObject *d) {
    Borrowed **b = g_borrowed.find(dict_key(d));
    return b ? *b : nullptr;
}

Borrowed &borrowed_of(PyObject *d) {
    if (d != g_last_dict) {
        auto [slot, added] = g_borrowed.insert(dict_key(d));
        if (added)
            *slot = g_spare.take();
        g_last_borrowed = *slot;
        g_last_dict = d;
    }
    return *g_last_borrowed;
}

// Each object once (a dict asked for every key would otherwise scan its
// list once per key).
PyObject *keep_borrowed(PyObject *dict, PyObject *v) {
    // None, booleans, small ints, one-character strs never die: nothing to hold.
    if (is_static_singleton(v) ||
        (!PyType_Check(v) && Py_TYPE(v) != &PyModuleDef_Type && (header_of(v)->flags & kImmortal))) {
        Py_DECREF(v);
        return v;
    }
    Borrowed &b = borrowed_of(dict);
    std::vector<PyObject *> &refs = b.refs;
    bool held = false;
    if (refs.size() < kIndexed) {
        held = std::find(refs.begin(), refs.end(), v) != refs.end();
    } else {
        if (b.index.empty())
            b.index.insert(refs.begin(), refs.end());
        held = !b.index.insert(v).second;
    }
    if (held) {
        Py_DECREF(v);   // already held once
        return v;
    }
    refs.push_back(v);
    debug::layer_holds(v);   // (while the dict holds it)
    if (refs.size() >= std::max(b.prune_at, kPruneMin) && !b.prune_due) {
        b.prune_due = true;
        g_prune.push_back(dict);
        bridge::request_exit_work();
    }
    return v;
}

// The borrowed references of d whose objects d still holds (keys or values).
void prune(PyObject *d, Borrowed &b) {
    b.prune_due = false;
    std::vector<Handle> hs;
    for (PyObject *r : b.refs)
        hs.push_back(handle_of(r));
    Handle objs = host::tuple_from(hs.data(), hs.size());
    Handle held = objs ? host::call_helper(Helper::dict_holds, {header_of(d)->managed, objs}) : Handle{};
    host::close(objs);
    ptrdiff_t n = 0;
    const char *flags = held ? host::bytes_data(held, &n) : nullptr;
    if (!flags || static_cast<size_t>(n) != b.refs.size()) {   // (kept as they are)
        host::close(held);
        host::err_clear();
        PyErr_Clear();
        b.prune_at = 2 * b.refs.size();
        return;
    }
    std::vector<PyObject *> keep, drop;
    for (size_t i = 0; i < b.refs.size(); i++)
        (flags[i] ? keep : drop).push_back(b.refs[i]);
    host::close(held);
    b.refs = std::move(keep);
    b.index.clear();   // (made again when needed)
    b.prune_at = 2 * b.refs.size();
    for (PyObject *r : drop)
        Py_DECREF(r);
}

// The dict's own items, flat ([k0, v0, k1, v1, ...]), or a set's keys, in
// one host call; false with the C error set.
bool scan_dict(PyObject *d, Scan &scan) {
    Handle hd = handle_of(d);
    if (!hd)
        return false;
    Handle packed = host::call_scan(PyAnySet_Check(d) ? Helper::set_scan : Helper::dict_scan, hd);
    if (!packed) {
        move_host_error_to_c();
        return false;
    }
    return scan.read(packed);
}

bool check_dict(PyObject *d) {
    if (!d || !PyDict_Check(d)) {
        PyErr_BadInternalCall();
        return false;
    }
    return true;
}

// ---------------------------------------------------------------- dicts C made
//
// A dict PyDict_New makes lives in C until it crosses (kPendingDict; its
// storage hangs from the header's `padding`): ujson, simplejson and msgpack
// build their results so, and each PyDict_SetItem on a host dict cost two host
// calls and its key's crossing with an identity entry. Its keys are exact strs
// and exact ints of 64 bits, whose equality C tells as CPython does (a str's
// kind, length and bytes; an int's value); another key, or an API the storage
// does not answer, first makes the host's dict from it (pending_settle), after
// which it is a proxy like any other. Crossing as a call's result that nothing
// else holds (result_handle's transient), the items only it holds cross
// without identity entries and die with it.
struct Pending {
    struct Entry {
        PyObject *key, *value;   // owned
        uint64_t hash;
    };
    std::vector<Entry> entries;    // in insertion order, as the host's dict keeps them
    std::vector<uint32_t> index;   // past kLinear entries: open addressing, entry + 1 (0: empty)
};
constexpr size_t kLinear = 8;

inline bool is_pending(PyObject *d) { return header_of(d)->flags & kPendingDict; }
inline Pending *pending_of(PyObject *d) { return reinterpret_cast<Pending *>(header_of(d)->padding); }

// The storage's hash of a key it can hold; false for any other key.
bool pending_hash(PyObject *k, uint64_t *hash) {
    if (PyUnicode_CheckExact(k)) {
        auto *p = static_cast<const unsigned char *>(PyUnicode_DATA(k));
        size_t n = static_cast<size_t>(PyUnicode_GET_LENGTH(k)) * PyUnicode_KIND(k);
        uint64_t x = 0xcbf29ce484222325ull;   // FNV-1a
        for (size_t i = 0; i < n; i++)
            x = (x ^ p[i]) * 0x100000001b3ull;
        *hash = x;
        return true;
    }
    if (PyLong_CheckExact(k)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(k, &overflow);
        if (overflow)
            return false;
        uint64_t x = static_cast<uint64_t>(v) * 0x9e3779b97f4a7c15ull;
        *hash = x ^ (x >> 29) ^ 1;   // (an int never equals a str: the hashes need not differ)
        return true;
    }
    return false;
}

bool pending_equal(PyObject *a, PyObject *b) {
    if (a == b)
        return true;
    bool str = PyUnicode_CheckExact(a);
    if (str != PyUnicode_CheckExact(b))
        return false;
    if (str)   // (unicode_eq of Objects/unicodeobject.c)
        return PyUnicode_GET_LENGTH(a) == PyUnicode_GET_LENGTH(b) && PyUnicode_KIND(a) == PyUnicode_KIND(b) &&
               std::memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b),
                           static_cast<size_t>(PyUnicode_GET_LENGTH(a)) * PyUnicode_KIND(a)) == 0;
    int o1 = 0, o2 = 0;
    return PyLong_AsLongLongAndOverflow(a, &o1) == PyLong_AsLongLongAndOverflow(b, &o2);
}

// The storages of settled dicts and their entries' arrays, kept for the
// next: ujson.loads makes a dict per object, whose storage was allocated and
// its array grown 1, 2, 4, 8, then all freed (5% of its time).
Spares<Pending> g_spare_pending(64);
std::vector<std::vector<Pending::Entry>> g_spare_entries;
constexpr size_t kSpareEntries = 64;   // (arrays of up to this many entries kept)

Pending *pending_new() {
    Pending *p = g_spare_pending.take();
    if (p->entries.capacity() == 0 && !g_spare_entries.empty()) {
        p->entries.swap(g_spare_entries.back());
        g_spare_entries.pop_back();
    }
    return p;
}

// Takes p's entries and gives p back for reuse.
std::vector<Pending::Entry> pending_done(Pending *p) {
    std::vector<Pending::Entry> entries;
    entries.swap(p->entries);
    p->index.clear();
    g_spare_pending.give(p, p->index.capacity() <= 4 * kSpareEntries);
    return entries;
}

// Drops the references of entries taken from a storage (which may run any
// code: the storage is gone first) and keeps their array for reuse.
void drop_entries(std::vector<Pending::Entry> &&entries) {
    for (Pending::Entry &e : entries) {
        Py_DECREF(e.key);
        Py_DECREF(e.value);
    }
    entries.clear();
    if (entries.capacity() <= kSpareEntries && g_spare_entries.size() < 64)
        g_spare_entries.push_back(std::move(entries));
}

void pending_reindex(Pending &p) {
    size_t size = 32;
    while (size < 2 * p.entries.size())
        size *= 2;
    p.index.assign(size, 0);
    for (size_t e = 0; e < p.entries.size(); e++) {
        size_t i = p.entries[e].hash & (size - 1);
        while (p.index[i])
            i = (i + 1) & (size - 1);
        p.index[i] = static_cast<uint32_t>(e + 1);
    }
}

// The entry of key (hash: pending_hash's), or null.
Pending::Entry *pending_find(Pending &p, PyObject *key, uint64_t hash) {
    if (p.index.empty()) {
        for (Pending::Entry &e : p.entries)
            if (e.hash == hash && pending_equal(e.key, key))
                return &e;
        return nullptr;
    }
    size_t mask = p.index.size() - 1;
    for (size_t i = hash & mask; p.index[i]; i = (i + 1) & mask) {
        Pending::Entry &e = p.entries[p.index[i] - 1];
        if (e.hash == hash && pending_equal(e.key, key))
            return &e;
    }
    return nullptr;
}

// d[key] = v in the storage (references taken); as CPython, a key already
// there keeps its place and its first key object.
void pending_set(PyObject *d, PyObject *key, uint64_t hash, PyObject *v) {
    Pending *p = pending_of(d);
    if (!p) {
        p = pending_new();
        header_of(d)->padding = reinterpret_cast<uint64_t>(p);
    }
    if (Pending::Entry *e = pending_find(*p, key, hash)) {
        PyObject *old = e->value;
        e->value = Py_NewRef(v);
        Py_DECREF(old);
    } else {
        p->entries.push_back({Py_NewRef(key), Py_NewRef(v), hash});
        if (p->entries.size() > kLinear && 2 * p->entries.size() > p->index.size())
            pending_reindex(*p);
        else if (!p->index.empty()) {
            size_t mask = p->index.size() - 1, i = hash & mask;
            while (p->index[i])
                i = (i + 1) & mask;
            p->index[i] = static_cast<uint32_t>(p->entries.size());
        }
        reinterpret_cast<PyDictObject *>(d)->ma_used = static_cast<Py_ssize_t>(p->entries.size());
    }
    dict_new_version(d);
}

// The value of key in a pending dict (borrowed: the storage holds it), or
// null; *answered: false where the storage cannot tell (the key is of
// another type), and the caller settles the dict.
PyObject *pending_get(PyObject *d, PyObject *key, bool *answered) {
    uint64_t hash;
    *answered = pending_hash(key, &hash);
    Pending *p = pending_of(d);
    if (!*answered || !p)
        return nullptr;
    Pending::Entry *e = pending_find(*p, key, hash);
    return e ? e->value : nullptr;
}

// del d[key] in the storage: 0, or -1 with CPython's KeyError.
int pending_del(PyObject *d, PyObject *key, uint64_t hash) {
    Pending *p = pending_of(d);
    Pending::Entry *e = p ? pending_find(*p, key, hash) : nullptr;
    if (!e) {
        PyErr_SetObject(PyExc_KeyError, key);   // (a str or an int: _PyErr_SetKeyError's tuple not needed)
        return -1;
    }
    Pending::Entry gone = *e;
    p->entries.erase(p->entries.begin() + (e - p->entries.data()));
    if (!p->index.empty())
        pending_reindex(*p);
    reinterpret_cast<PyDictObject *>(d)->ma_used = static_cast<Py_ssize_t>(p->entries.size());
    dict_new_version(d);
    Py_DECREF(gone.key);   // (may run code: the storage is whole first)
    Py_DECREF(gone.value);
    return 0;
}

// A new pending dict with d's items (copy), or a list of its keys, values or
// (key, value) tuples: the storage read as it is.
PyObject *pending_copy(PyObject *d) {
    PyObject *c = PyDict_New();
    Pending *p = pending_of(d);
    if (!c || !p || p->entries.empty())
        return c;
    auto *q = new Pending(*p);
    for (Pending::Entry &e : q->entries) {
        Py_INCREF(e.key);
        Py_INCREF(e.value);
    }
    header_of(c)->padding = reinterpret_cast<uint64_t>(q);
    reinterpret_cast<PyDictObject *>(c)->ma_used = PyDict_GET_SIZE(d);
    return c;
}


// ma_version_tag (Cython's CYTHON_USE_DICT_VERSIONS caches read it): one
// global counter as CPython's pydict_global_version; a dict gets a fresh tag
// when it is materialized, after each write the layer makes, each time it
// crosses into C again, and, for the dicts C keeps (module dicts), at each
// entry into the layer and after each call C makes to the host, since Python
// code may have written them there.
uint64_t g_dict_version = 0;
std::unordered_set<PyObject *> g_watched;

// After a write: the size from the host, a fresh tag.
int update_size(PyObject *d) {
    ptrdiff_t n = host::length(header_of(d)->managed);
    if (n < 0)
        return minus_one_with_host_error();
    reinterpret_cast<PyDictObject *>(d)->ma_used = n;
    dict_new_version(d);
    return 0;
}

// A lookup in an exact dict with a key whose hash and == are builtin runs no
// Python code (host::exact_contains): what C's iterators need to know. (The one
// exception, a key of a Python class with the same hash in the dict, whose
// __eq__ is then asked, is left out.)
bool plain_lookup(PyObject *d, PyObject *key) {
    return PyDict_CheckExact(d) && (PyUnicode_CheckExact(key) || PyLong_CheckExact(key) ||
                                    PyFloat_CheckExact(key) || PyBytes_CheckExact(key));
}

// PyObject_GetIter of a dict (dictobject.c's dict_keyiterator, whose struct
// is private): the host's items taken in one call (dict_scan: numbers packed,
// strs with their hash), each key made a proxy when reached, instead of a host
// `next()` per key (ujson walks every dict so: a 3-key dict's keys cost
// 1.4 us, 0.4 from a tuple of its keys). ujson and its kind look each key up
// at once: the value is then the scan's, where nothing can have changed it
// since (no Python code ran, C wrote nothing to the dict: g_yielded). Where
// Python code ran since the last step (host::code_epoch), the dict's size is
// compared with the one at the start, as CPython does at each step ("changed
// size during iteration"). Where code ran at all during the walk, the last
// step compares the keys with those given: a dict that changed them but kept
// its size raises "dictionary keys changed during iteration" then (CPython
// would have given some of the new keys, in its table's order, or raised so).
// When the iterator crosses, a host iterator that has given as many keys
// takes over.
struct DictIter {
    PyObject_HEAD
    PyObject *di_dict;     // null once exhausted
    Py_ssize_t di_used;    // the size at the start; -1 once it changed
    Py_ssize_t di_pos;
    Scan *items;           // (owned) the items at the start: null for an empty dict
    uint64_t seen;         // host::code_epoch when the size was last right
    uint64_t start;        // host::code_epoch when the items were taken
    bool plain_keys;       // every key an exact str, an int of 64 bits, a float or a singleton
};
static_assert(sizeof(DictIter) <= sizeof(PyObject) + 7 * sizeof(void *), "static_types.def's size");

// The key the last step gave (held: its address stays its own), where its
// value is the scan's item `at`: while no Python code ran since the scan and
// the dict has its version of then (C wrote nothing to it), and only where
// the dict's keys are all plain: a lookup in it then runs no code (one of a
// Python class of the same hash would have its __eq__ asked).
struct Yielded {
    PyObject *key = nullptr;   // (owned)
    DictIter *it = nullptr;
    size_t at = 0;
    uint64_t epoch = 0;
    uint64_t version = 0;
} g_yielded;

// The scans of key iterators, kept for the next (a walk of each dict ujson
// meets would otherwise allocate and free three blocks).
Spares<Scan> g_spare_scans(8);

// Lookup for the GetItem family: NULL without error when the key is absent.
PyObject *lookup(PyObject *d, PyObject *key, bool keep_errors) {
    if (is_pending(d)) {
        bool answered;
        PyObject *v = pending_get(d, key, &answered);
        if (answered)
            return v;
    }
    Handle hd = handle_of(d), hk = hd ? handle_of(key) : Handle{};
    if (!hk)
        return nullptr;
    bool plain = plain_lookup(d, key);
    if (key == g_yielded.key && d == g_yielded.it->di_dict && g_yielded.epoch == host::code_epoch &&
        g_yielded.version == reinterpret_cast<PyDictObject *>(d)->ma_version_tag) {
        PyObject *v = g_yielded.it->items->item(g_yielded.at, nullptr);
        return v ? keep_borrowed(d, v) : nullptr;
    }
    int has = plain ? host::exact_contains(hd, hk) : host::contains(hd, hk);
    if (has <= 0) {
        if (has < 0)
            move_host_error_to_c();
        return nullptr;
    }
    PyObject *v = result(plain ? host::exact_getitem(hd, hk) : host::getitem(hd, hk));
    if (!v) {
        if (!keep_errors || PyErr_ExceptionMatches(PyExc_KeyError))
            PyErr_Clear();
        return nullptr;
    }
    return keep_borrowed(d, v);
}

} // namespace

namespace ferry {

void dict_new_version(PyObject *d) {
    reinterpret_cast<PyDictObject *>(d)->ma_version_tag = ++g_dict_version;
}

bool g_dicts_watched = false;

void dict_watch(PyObject *d) {
    if (d && PyDict_Check(d)) {
        g_watched.insert(d);
        g_dicts_watched = true;
    }
}

void dict_host_may_have_written() {
    for (PyObject *d : g_watched)
        dict_new_version(d);
}

int dict_written(PyObject *d) { return update_size(d); }

void dict_borrowed_prune() {
    std::vector<PyObject *> due;
    due.swap(g_prune);
    for (PyObject *d : due) {
        Borrowed *b = borrowed_find(d);   // (gone if the dict died since)
        if (b && b->prune_due)
            prune(d, *b);
    }
}

// The host's dict of a pending one, filled from its storage. Its handle is
// the proxy's before the items cross, so that a dict that holds itself
// crosses once. transient (result_handle's): nothing else holds d; the items
// only it holds cross as transient too, and die with its storage now.
// Otherwise C may still use the items as borrowed references (valid while the
// dict holds them, in CPython): the proxy holds them as it holds
// PyDict_GetItem's. On failure the dict stays pending (null, with the C or
// the host's error).
Handle dict_to_host(PyObject *d, bool transient) {
    Header *hd = header_of(d);
    Pending *p = pending_of(d);
    Handle h = host::dict_new();
    if (!h)
        return h;   // (with the host's error: handle_of moves it)
    hd->managed = h;
    hd->flags &= ~kPendingDict;
    hd->padding = 0;
    for (size_t i = 0; p && i < p->entries.size(); i++) {
        Pending::Entry &e = p->entries[i];
        Handle k = handle_of_item(e.key, transient);
        Handle v = k ? handle_of_item(e.value, transient) : Handle{};
        if (!v || host::setitem(h, k, v) < 0) {
            hd->managed = {};
            hd->flags |= kPendingDict;
            hd->padding = reinterpret_cast<uint64_t>(p);
            host::close(h);
            return {};
        }
    }
    // (Keys C told apart may be one on the host: strs of two kinds alike,
    // unequal in CPython too; and C may have written the dict meanwhile.)
    ptrdiff_t n = host::exact_length(h);
    if (n >= 0)
        reinterpret_cast<PyDictObject *>(d)->ma_used = n;
    if (p) {
        std::vector<Pending::Entry> entries = pending_done(p);
        if (transient) {
            drop_entries(std::move(entries));
        } else {
            for (Pending::Entry &e : entries) {
                ::keep_borrowed(d, e.key);
                ::keep_borrowed(d, e.value);
            }
        }
    }
    return h;
}

void dict_visit(PyObject *d, visitproc visit, void *arg) {
    if (is_pending(d)) {
        if (Pending *p = pending_of(d))
            for (Pending::Entry &e : p->entries) {
                visit(e.key, arg);
                visit(e.value, arg);
            }
        return;
    }
    if (Borrowed *b = borrowed_find(d)) {
        for (PyObject *r : b->refs)
            visit(r, arg);
        for (PyObject *r : b->snapshot.items)
            if (r)
                visit(r, arg);
    }
}

void dict_release(PyObject *d) {
    if (is_pending(d)) {
        Pending *p = pending_of(d);
        header_of(d)->padding = 0;
        header_of(d)->flags &= ~kPendingDict;
        if (p)
            drop_entries(pending_done(p));
    }
    if (g_watched.erase(d))
        g_dicts_watched = !g_watched.empty();
    if (d == g_last_dict)
        g_last_dict = nullptr;
    Borrowed *b = borrowed_find(d);
    if (!b)
        return;
    g_borrowed.erase(dict_key(d));   // (before the releases, which may run code)
    for (PyObject *r : b->refs)
        Py_DECREF(r);
    for (PyObject *r : b->snapshot.items)
        Py_XDECREF(r);
    b->refs.clear();   // (their capacity kept for the next dict)
    b->index.clear();
    b->snapshot = Snapshot{};
    b->prune_at = 0;
    b->prune_due = false;
    g_spare.give(b, b->refs.capacity() <= 4 * kPruneMin);
}

} // namespace ferry

PyObject *PyDict_New() {
    FERRY_API;
    PyObject *d = alloc_object(&PyDict_Type, sizeof(PyDictObject));
    if (!d)
        return nullptr;
    header_of(d)->flags |= kPendingDict;   // (its storage: made by the first item)
    dict_new_version(d);
    return d;
}

PyObject *PyDict_GetItem(PyObject *d, PyObject *key) {
    FERRY_API;
    if (!d || !PyDict_Check(d))
        return nullptr;
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);   // PyDict_GetItem neither sees nor leaves an error
    PyObject *r = lookup(d, key, false);
    PyErr_Restore(t, v, tb);
    return r;
}

PyObject *PyDict_GetItemWithError(PyObject *d, PyObject *key) {
    FERRY_API;
    if (!check_dict(d))
        return nullptr;
    return lookup(d, key, true);
}

PyObject *_PyDict_GetItemWithError(PyObject *d, PyObject *key) { FERRY_API; return PyDict_GetItemWithError(d, key); }

// The caller computed the hash with PyObject_Hash(key) (Cython does); the host
// dict hashes the key again, which gives the same value for such a key.
PyObject *_PyDict_GetItem_KnownHash(PyObject *d, PyObject *key, Py_hash_t) {
    FERRY_API;
    if (!check_dict(d))
        return nullptr;
    return lookup(d, key, true);
}

PyObject *PyDict_GetItemString(PyObject *d, const char *key) {
    FERRY_API;
    PyObject *k = PyUnicode_FromString(key);
    if (!k) {
        PyErr_Clear();
        return nullptr;
    }
    PyObject *r = PyDict_GetItem(d, k);
    Py_DECREF(k);
    return r;
}

// PyDict_GetItemWithError with a key given as UTF-8 (borrowed result; NULL
// without an error when the key is missing).
PyObject *_PyDict_GetItemStringWithError(PyObject *d, const char *key) {
    FERRY_API;
    PyObject *k = PyUnicode_FromString(key);
    if (!k)
        return nullptr;
    PyObject *r = PyDict_GetItemWithError(d, k);
    Py_DECREF(k);
    return r;
}

// An empty dict; the host sizes its dicts itself, so the hint is not used.
PyObject *_PyDict_NewPresized(Py_ssize_t) {
    FERRY_API;
    return PyDict_New();
}

int PyDict_SetItem(PyObject *d, PyObject *key, PyObject *v) {
    FERRY_API;
    if (!check_dict(d) || !key || !v) {
        if (d && PyDict_Check(d))
            PyErr_BadInternalCall();
        return -1;
    }
    uint64_t hash;
    if (is_pending(d) && pending_hash(key, &hash)) {
        pending_set(d, key, hash, v);
        return 0;
    }
    if (forward_status(host::setitem, d, key, v) < 0)   // (a pending dict is made first)
        return -1;
    return update_size(d);
}

// The hash C computed already is the host's to compute again: it is only a
// shortcut in CPython (Cython passes a str's cached hash).
int _PyDict_SetItem_KnownHash(PyObject *d, PyObject *key, PyObject *v, Py_hash_t) {
    FERRY_API;
    if (!d || !PyDict_Check(d)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return PyDict_SetItem(d, key, v);
}

int PyDict_SetItemString(PyObject *d, const char *key, PyObject *v) {
    FERRY_API;
    PyObject *k = PyUnicode_FromString(key);
    if (!k)
        return -1;
    int r = PyDict_SetItem(d, k, v);
    Py_DECREF(k);
    return r;
}

int PyDict_DelItem(PyObject *d, PyObject *key) {
    FERRY_API;
    if (!check_dict(d))
        return -1;
    uint64_t hash;
    if (is_pending(d) && PyDict_GET_SIZE(d) <= 64 && pending_hash(key, &hash))   // (a big one: the host's)
        return pending_del(d, key, hash);
    if (PyObject_DelItem(d, key) < 0)
        return -1;
    return update_size(d);
}

int PyDict_DelItemString(PyObject *d, const char *key) {
    FERRY_API;
    PyObject *k = PyUnicode_FromString(key);
    if (!k)
        return -1;
    int r = PyDict_DelItem(d, k);
    Py_DECREF(k);
    return r;
}

int PyDict_Contains(PyObject *d, PyObject *key) {
    FERRY_API;
    if (!check_dict(d))
        return -1;
    if (is_pending(d)) {
        bool answered;
        PyObject *v = pending_get(d, key, &answered);
        if (answered)
            return v != nullptr;
    }
    return plain_lookup(d, key) ? forward_status(host::exact_contains, d, key)
                                : forward_status(host::contains, d, key);
}

Py_ssize_t PyDict_Size(PyObject *d) {
    FERRY_API;
    if (!check_dict(d))
        return -1;
    return PyDict_GET_SIZE(d);
}

void PyDict_Clear(PyObject *d) {
    FERRY_API;
    if (!d || !PyDict_Check(d))
        return;
    if (is_pending(d)) {
        if (Pending *p = pending_of(d)) {
            std::vector<Pending::Entry> entries = std::move(p->entries);
            p->entries.clear();
            p->index.clear();
            reinterpret_cast<PyDictObject *>(d)->ma_used = 0;
            dict_new_version(d);
            drop_entries(std::move(entries));
        }
        return;
    }
    PyObject *r = PyObject_CallMethod(d, "clear", nullptr);
    if (!r)
        PyErr_Clear();
    Py_XDECREF(r);
    reinterpret_cast<PyDictObject *>(d)->ma_used = 0;
    dict_new_version(d);
}

namespace {

// A new list of the dict's keys, values or items: fresh C objects, as
// CPython makes them (the list and the item tuples have no managed
// counterpart until they cross), from one scan of the dict's own storage.
enum class Part { keys, values, items };

PyObject *as_list(PyObject *d, Part part) {
    if (d && PyDict_Check(d) && is_pending(d)) {
        Pending *p = pending_of(d);
        Py_ssize_t n = PyDict_GET_SIZE(d);
        PyObject *list = PyList_New(n);
        for (Py_ssize_t i = 0; list && i < n; i++) {
            Pending::Entry &e = p->entries[i];
            PyObject *item = part == Part::keys     ? Py_NewRef(e.key)
                             : part == Part::values ? Py_NewRef(e.value)
                                                    : PyTuple_Pack(2, e.key, e.value);
            if (!item)
                Py_CLEAR(list);
            else
                PyList_SET_ITEM(list, i, item);
        }
        return list;
    }
    Scan scan;
    if (!check_dict(d) || !scan_dict(d, scan))
        return nullptr;
    Py_ssize_t n = static_cast<Py_ssize_t>(scan.size() / 2);
    PyObject *list = PyList_New(n);
    for (Py_ssize_t i = 0; list && i < n; i++) {
        PyObject *k = part == Part::values ? nullptr : scan.item(2 * i, nullptr);
        PyObject *v = part == Part::keys ? nullptr : scan.item(2 * i + 1, nullptr);
        PyObject *item = part == Part::keys ? k : part == Part::values ? v : (k && v ? PyTuple_New(2) : nullptr);
        if (item && part == Part::items) {
            PyTuple_SET_ITEM(item, 0, k);
            PyTuple_SET_ITEM(item, 1, v);
        } else if (part == Part::items) {
            Py_XDECREF(k);
            Py_XDECREF(v);
        }
        if (!item)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, item);
    }
    return list;
}

} // namespace

PyObject *PyDict_Keys(PyObject *d) { FERRY_API; return as_list(d, Part::keys); }
PyObject *PyDict_Values(PyObject *d) { FERRY_API; return as_list(d, Part::values); }
PyObject *PyDict_Items(PyObject *d) { FERRY_API; return as_list(d, Part::items); }

PyObject *PyDict_Copy(PyObject *d) {
    FERRY_API;
    if (!check_dict(d))
        return nullptr;
    if (is_pending(d))
        return pending_copy(d);
    return PyObject_CallMethod(d, "copy", nullptr);
}

namespace {

// dict_merge of Objects/dictobject.c: a dict is merged as a dict (its own
// items, not an overridden keys()); any other mapping through keys() and
// __getitem__. override: 1 replaces existing keys, 0 keeps them.
int dict_merge(PyObject *a, PyObject *b, int override) {
    if (!a || !PyDict_Check(a) || !b) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (PyDict_Check(b) && override == 1) {
        PyObject *r = PyObject_CallMethod(reinterpret_cast<PyObject *>(&PyDict_Type), "update",
                                          "OO", a, b);
        if (!r)
            return -1;
        Py_DECREF(r);
        return update_size(a);
    }
    PyObject *keys = PyDict_Check(b)
                         ? PyObject_CallMethod(reinterpret_cast<PyObject *>(&PyDict_Type), "keys",
                                               "O", b)
                         : PyMapping_Keys(b);
    if (!keys)
        return -1;
    PyObject *iter = PyObject_GetIter(keys);
    Py_DECREF(keys);
    if (!iter)
        return -1;
    for (PyObject *key; (key = PyIter_Next(iter));) {
        if (override != 1) {
            int has = PyDict_Contains(a, key);
            if (has != 0) {
                Py_DECREF(key);
                if (has < 0) {
                    Py_DECREF(iter);
                    return -1;
                }
                continue;
            }
        }
        PyObject *value = PyDict_Check(b) ? PyDict_GetItemWithError(b, key) : nullptr;
        if (value)
            Py_INCREF(value);
        else if (!PyErr_Occurred())
            value = PyObject_GetItem(b, key);
        int status = value ? PyDict_SetItem(a, key, value) : -1;
        Py_XDECREF(value);
        Py_DECREF(key);
        if (status < 0) {
            Py_DECREF(iter);
            return -1;
        }
    }
    Py_DECREF(iter);
    return PyErr_Occurred() ? -1 : 0;
}

} // namespace

int PyDict_Update(PyObject *d, PyObject *other) { FERRY_API; return dict_merge(d, other, 1); }

int PyDict_Merge(PyObject *d, PyObject *other, int override) {
    FERRY_API;
    return dict_merge(d, other, override != 0);
}

PyObject *PyDict_SetDefault(PyObject *d, PyObject *key, PyObject *deflt) {
    FERRY_API;
    if (!check_dict(d))
        return nullptr;
    uint64_t hash;
    if (is_pending(d) && pending_hash(key, &hash)) {
        Pending *p = pending_of(d);
        if (Pending::Entry *e = p ? pending_find(*p, key, hash) : nullptr)
            return e->value;   // (borrowed: the storage holds it)
        pending_set(d, key, hash, deflt);
        return deflt;
    }
    PyObject *r = PyObject_CallMethod(d, "setdefault", "OO", key, deflt);
    if (!r || update_size(d) < 0) {
        Py_XDECREF(r);
        return nullptr;
    }
    return keep_borrowed(d, r);
}

namespace {

// A new iteration: the items now. A proxy of the previous snapshot is kept
// for the same managed object at the same place (a dict iterated again
// unchanged makes nothing); the others stay alive with the dict, since an
// outer loop may still use them as borrowed references.
bool take_snapshot(PyObject *d, Snapshot &snap) {
    Snapshot now;
    if (!scan_dict(d, now.scan))
        return false;
    size_t n = now.scan.size();
    now.items.assign(n, nullptr);
    now.taken = true;
    for (size_t i = 0; i < snap.items.size(); i++) {
        PyObject *old = snap.items[i];
        if (old && i < n && now.scan.same(i, old))
            now.items[i] = old;
        else if (old)
            keep_borrowed(d, old);
    }
    snap = std::move(now);
    return true;
}

PyObject *snapshot_item(Snapshot &snap, Py_ssize_t i) {
    PyObject *&slot = snap.items[i];
    if (!slot) {
        slot = snap.scan.item(i, nullptr);
        debug::layer_holds(slot);   // (for the dict's life)
    }
    return slot;
}

} // namespace

namespace ferry {

int borrowed_next(PyObject *c, Py_ssize_t *pos, Py_ssize_t width, PyObject **items) {
    Snapshot &snap = borrowed_of(c).snapshot;
    if ((*pos == 0 || !snap.taken) && !take_snapshot(c, snap)) {
        PyErr_Clear();
        return 0;
    }
    Py_ssize_t n = static_cast<Py_ssize_t>(snap.items.size()) / width;
    if (*pos < 0 || *pos >= n)
        return 0;
    for (Py_ssize_t i = 0; i < width; i++) {
        items[i] = snapshot_item(snap, width * *pos + i);
        if (!items[i]) {   // CPython's iterations cannot fail: their items exist
            PyErr_Clear();
            return 0;
        }
    }
    ++*pos;
    return 1;
}

} // namespace ferry

// ---------------------------------------------------------------- key iterator

namespace {


} // namespace

namespace ferry {

PyObject *dictiter_new(PyObject *d) {
    Handle hd = handle_of(d);
    ptrdiff_t n = hd ? host::exact_length(hd) : -1;
    if (n < 0)
        return hd ? null_with_host_error() : nullptr;
    Scan *items = nullptr;
    if (n > 0) {   // (no scan of an empty dict)
        items = g_spare_scans.take();
        if (!scan_dict(d, *items)) {
            items->clear();
            g_spare_scans.give(items, true);
            return nullptr;
        }
        n = static_cast<ptrdiff_t>(items->size() / 2);
    }
    auto *it = reinterpret_cast<DictIter *>(alloc_object(&PyDictIterKey_Type, sizeof(DictIter)));
    if (!it) {
        if (items) {
            items->clear();
            g_spare_scans.give(items, true);
        }
        return nullptr;
    }
    it->di_dict = Py_NewRef(d);
    it->di_used = n;
    it->items = items;
    it->seen = it->start = host::code_epoch;
    it->plain_keys = PyDict_CheckExact(d);
    for (size_t i = 0; it->plain_keys && i < 2 * static_cast<size_t>(n); i += 2)
        it->plain_keys = items->builtin(i);
    return reinterpret_cast<PyObject *>(it);
}

PyObject *dictiter_next(PyObject *o, bool *done) {
    *done = !header_of(o)->managed;   // (once crossed, the host's iterator answers)
    auto *it = reinterpret_cast<DictIter *>(o);
    if (!*done || !it->di_dict)
        return nullptr;
    if (it->seen != host::code_epoch || it->di_used < 0) {
        ptrdiff_t n = it->di_used < 0 ? -1 : host::exact_length(handle_of(it->di_dict));
        if (n != it->di_used || n < 0) {
            if (n < 0 && it->di_used >= 0)
                return null_with_host_error();
            it->di_used = -1;   // (and so on each later step, as CPython)
            PyErr_SetString(PyExc_RuntimeError, "dictionary changed size during iteration");
            return nullptr;
        }
        it->seen = host::code_epoch;
    }
    if (it->di_pos >= it->di_used) {
        int kept = 1;
        if (it->start != host::code_epoch && it->di_used > 0) {
            Handle r = host::call_helper(Helper::dict_keys_kept, {handle_of(it->di_dict), it->items->packed()});
            kept = r ? host::is_true(r) : -1;
            host::close(r);
        }
        dictiter_release(o);
        if (kept < 0)
            return null_with_host_error();
        if (!kept)
            PyErr_SetString(PyExc_RuntimeError, "dictionary keys changed during iteration");
        return nullptr;
    }
    size_t at = 2 * static_cast<size_t>(it->di_pos++);
    PyObject *key = it->items->item(at, nullptr);
    if (key && it->plain_keys && it->start == host::code_epoch) {
        PyObject *last = g_yielded.key;
        g_yielded = {Py_NewRef(key), it, at + 1, host::code_epoch,
                     reinterpret_cast<PyDictObject *>(it->di_dict)->ma_version_tag};
        Py_XDECREF(last);
    }
    return key;
}

host::Handle dictiter_to_host(PyObject *o) {
    auto *it = reinterpret_cast<DictIter *>(o);
    Handle d = it->di_dict ? handle_of(it->di_dict) : host::borrowed(host::Builtin::None);
    Handle n = d ? host::long_from(it->di_pos) : Handle{};
    Handle r = n ? host::call_helper(Helper::dict_iter_at, {d, n}) : Handle{};
    host::close(n);
    return r;
}

void dictiter_release(PyObject *o) {
    auto *it = reinterpret_cast<DictIter *>(o);
    if (g_yielded.it == it) {
        PyObject *last = g_yielded.key;
        g_yielded = {};
        Py_DECREF(last);
    }
    Py_CLEAR(it->di_dict);
    if (Scan *items = it->items) {
        it->items = nullptr;
        items->clear();
        g_spare_scans.give(items, items->capacity() <= 1024);
    }
}

} // namespace ferry

int PyDict_Next(PyObject *d, Py_ssize_t *pos, PyObject **key, PyObject **value) {
    FERRY_API;
    if (!d || !PyDict_Check(d))
        return 0;
    if (is_pending(d)) {   // (the storage's order is the host's: a walk may go on after it settled)
        Pending *p = pending_of(d);
        if (!p || *pos < 0 || *pos >= static_cast<Py_ssize_t>(p->entries.size()))
            return 0;
        Pending::Entry &e = p->entries[(*pos)++];
        if (key)
            *key = e.key;
        if (value)
            *value = e.value;
        return 1;
    }
    PyObject *kv[2];
    if (!borrowed_next(d, pos, 2, kv))
        return 0;
    if (key)
        *key = kv[0];
    if (value)
        *value = kv[1];
    return 1;
}

PyObject *PyDictProxy_New(PyObject *mapping) {
    FERRY_API;
    return call_module("types", "MappingProxyType", {mapping});
}

int PyDict_MergeFromSeq2(PyObject *d, PyObject *seq2, int override) {
    FERRY_API;
    if (!d || !PyDict_Check(d) || !seq2) {
        PyErr_BadInternalCall();
        return -1;
    }
    PyObject *it = PyObject_GetIter(seq2);
    if (!it)
        return -1;
    PyObject *item = nullptr, *fast = nullptr;
    Py_ssize_t i;
    for (i = 0;; ++i) {
        fast = nullptr;
        item = PyIter_Next(it);
        if (!item) {
            if (PyErr_Occurred())
                goto fail;
            break;
        }
        fast = PySequence_Fast(item, "");
        if (!fast) {
            if (PyErr_ExceptionMatches(PyExc_TypeError))
                PyErr_Format(PyExc_TypeError,
                             "cannot convert dictionary update sequence element #%zd to a sequence",
                             i);
            goto fail;
        }
        {
            Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
            if (n != 2) {
                PyErr_Format(PyExc_ValueError,
                             "dictionary update sequence element #%zd has length %zd; 2 is required",
                             i, n);
                goto fail;
            }
            PyObject *key = Py_NewRef(PySequence_Fast_GET_ITEM(fast, 0));
            PyObject *value = Py_NewRef(PySequence_Fast_GET_ITEM(fast, 1));
            int bad = override ? PyDict_SetItem(d, key, value) < 0
                               : PyDict_SetDefault(d, key, value) == nullptr;
            Py_DECREF(key);
            Py_DECREF(value);
            if (bad)
                goto fail;
        }
        Py_DECREF(fast);
        Py_DECREF(item);
    }
    Py_DECREF(it);
    return 0;
fail:
    Py_XDECREF(item);
    Py_XDECREF(fast);
    Py_DECREF(it);
    return -1;
}
