// Identity map, entry scopes and deferred releases (see bridge.h).
#include "gc_bridge/bridge.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "cpyext/internal.h"
#include "gc_bridge/cycles.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/flat_map.h"

namespace ferry::bridge {
namespace {

FlatMap<PyObject *> g_identity;
FlatMap<PyObject *> g_float_identity;   // by bits: PyPy's float identity
// By host hash: the candidates of one hash, told apart by handle comparison
// (a host call each). Equal strs that are distinct objects share a hash
// (ujson's documents repeat "t0" in hundreds of objects): past kBucket of
// them, the others of that hash are registered by id() instead (kCrowded),
// and a lookup of that hash that the bucket does not answer asks id() while
// any of them lives.
constexpr int kBucket = 4;
struct Bucket {
    PyObject *objects[kBucket];
    int n = 0;
    uint32_t crowded = 0;   // how many of this hash are in g_identity (by id)
};
FlatMap<Bucket> g_hash_identity;
FlatMap<int64_t> g_crowded_hash;   // id -> hash, for each kCrowded object
std::vector<host::Handle> g_scope_handles;

// Exact dicts and lists in g_identity: how many, and up to kFew of them, so
// that while all are known (n == count) a lookup of one of those types
// compares handles instead of asking id() (container_lookup); and the
// proxies made without an id() (identity_defer).
constexpr int kFew = 4;
struct Few {
    PyObject *objects[kFew];
    int n = 0;
    size_t count = 0;
};
Few g_few[2];
std::vector<PyObject *> g_deferred;
constexpr size_t kDeferredMax = 8;

int container_index(PyTypeObject *t) { return t == &PyDict_Type ? 0 : t == &PyList_Type ? 1 : -1; }

void few_add(PyObject *o) {
    int i = container_index(Py_TYPE(o));
    if (i < 0)
        return;
    Few &f = g_few[i];
    f.count++;
    if (f.n < kFew)
        f.objects[f.n++] = o;
}

void few_remove(PyObject *o) {
    int i = container_index(Py_TYPE(o));
    if (i < 0)
        return;
    Few &f = g_few[i];
    f.count--;
    for (int k = 0; k < f.n; k++)
        if (f.objects[k] == o) {
            f.objects[k] = f.objects[--f.n];
            break;
        }
}

void deferred_drop(PyObject *o) {
    auto it = std::find(g_deferred.begin(), g_deferred.end(), o);
    if (it != g_deferred.end()) {
        *it = g_deferred.back();
        g_deferred.pop_back();
    }
    header_of(o)->flags &= ~kDeferredId;
}

} // namespace

PyObject *container_lookup(host::Handle h, PyTypeObject *t, bool *settled) {
    *settled = false;
    for (PyObject *o : g_deferred)
        if (Py_TYPE(o) == t && host::is(header_of(o)->managed, h))
            return o;
    int i = container_index(t);
    if (i < 0 || g_few[i].count != static_cast<size_t>(g_few[i].n))
        return nullptr;
    Few &f = g_few[i];
    for (int k = 0; k < f.n; k++) {
        Header *hd = header_of(f.objects[k]);
        if (hd->flags & kDemoted) [[unlikely]]   // (managed: a weakref to a cell, cycles.cpp)
            return nullptr;
        if (host::is(hd->managed, h)) {
            *settled = true;
            return f.objects[k];
        }
    }
    *settled = true;
    return nullptr;
}

bool identity_deferrable() { return g_deferred.size() < kDeferredMax; }

void identity_defer(PyObject *o) {
    g_deferred.push_back(o);
    header_of(o)->flags |= kDeferredId;
}

void identity_settle(PyObject *o) {
    deferred_drop(o);
    if (int64_t id = host_id(header_of(o)->managed))
        identity_register(o, id);
    else
        PyErr_Clear();   // (no 64-bit id: not identity-mapped, as from_host leaves it)
}

PyObject *identity_lookup(int64_t id) {
    PyObject **o = g_identity.find(id);
    return o ? *o : nullptr;
}

void identity_register(PyObject *o, int64_t id) {
    // The first proxy keeps the entry: on PyPy distinct C objects can reach
    // one managed identity (one-character and empty strs, floats compare by value).
    auto [slot, fresh] = g_identity.insert(id);
    if (!fresh)
        return;
    *slot = o;
    Header *h = header_of(o);
    h->identity = id;
    h->flags |= kRegistered;
    few_add(o);
}

PyObject *float_identity_lookup(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    PyObject **o = g_float_identity.find(static_cast<int64_t>(bits));
    return o ? *o : nullptr;
}

void float_identity_register(PyObject *o, double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    auto [slot, fresh] = g_float_identity.insert(static_cast<int64_t>(bits));
    if (!fresh)
        return;
    *slot = o;
    Header *h = header_of(o);
    h->identity = static_cast<int64_t>(bits);
    h->flags |= kRegistered | kFloatIdentity;
}

PyObject *hash_identity_lookup(host::Handle h, int64_t hash) {
    Bucket *found = g_hash_identity.find(hash);
    if (!found)
        return nullptr;
    Bucket &b = *found;
    for (int i = 0; i < b.n; i++)
        if (host::is(header_of(b.objects[i])->managed, h))
            return b.objects[i];
    if (!b.crowded)
        return nullptr;
    int64_t id = host_id(h);
    if (!id)
        PyErr_Clear();   // (then it is not registered either)
    return id ? identity_lookup(id) : nullptr;
}

void hash_identity_register(PyObject *o, int64_t hash) {
    // The first proxy keeps the entry: on PyPy equal one-character and empty
    // strs are one object (`is`), whatever C made of them.
    if (!hash_identity_lookup(header_of(o)->managed, hash))
        hash_identity_add(o, hash);
}

void hash_identity_add(PyObject *o, int64_t hash) {
    host::Handle m = header_of(o)->managed;
    Bucket *found = g_hash_identity.insert(hash).first;
    if (found->n == kBucket) {
        // A kept str (a cache: C freed it) gives its place before the hash
        // is crowded, where every lookup of it would ask the host's id().
        for (int i = 0; i < kBucket; i++) {
            if (header_of(found->objects[i])->flags & kKept) {
                drop_kept(found->objects[i]);   // (leaves the bucket; it stays, being full)
                found = g_hash_identity.find(hash);
                break;
            }
        }
    }
    Bucket &b = *found;
    if (b.n == kBucket) {
        int64_t id = host_id(m);
        if (!id) {
            PyErr_Clear();
            return;
        }
        identity_register(o, id);
        Header *h = header_of(o);
        if (h->flags & kRegistered) {
            h->flags |= kCrowded;
            *g_crowded_hash.insert(id).first = hash;
            b.crowded++;
        }
        return;
    }
    b.objects[b.n++] = o;
    Header *h = header_of(o);
    h->identity = hash;
    h->flags |= kRegistered | kHashIdentity;
}

void identity_forget(PyObject *o) {
    Header *h = header_of(o);
    if (h->flags & kDeferredId) [[unlikely]]
        deferred_drop(o);
    if (!(h->flags & kRegistered))
        return;
    if (h->flags & kHashIdentity) {
        if (Bucket *found = g_hash_identity.find(h->identity)) {
            Bucket &b = *found;
            for (int i = 0; i < b.n; i++)
                if (b.objects[i] == o) {
                    b.objects[i] = b.objects[--b.n];
                    break;
                }
            if (b.n == 0 && !b.crowded)
                g_hash_identity.erase(h->identity);
        }
    } else {
        FlatMap<PyObject *> &map = h->flags & kFloatIdentity ? g_float_identity : g_identity;
        PyObject **found = map.find(h->identity);
        if (found && *found == o) {
            map.erase(h->identity);
            if (&map == &g_identity)
                few_remove(o);
        }
    }
    if (h->flags & kCrowded) {   // its bucket may stop asking id()
        if (int64_t *hash = g_crowded_hash.find(h->identity)) {
            int64_t hv = *hash;
            g_crowded_hash.erase(h->identity);
            if (Bucket *b = g_hash_identity.find(hv)) {
                b->crowded -= b->crowded > 0;
                if (b->n == 0 && !b->crowded)
                    g_hash_identity.erase(hv);
            }
        }
    }
    h->flags &= ~(kRegistered | kFloatIdentity | kHashIdentity | kCrowded);
}

int64_t host_id(host::Handle h) {
    host::Handle r = host::id_of(h);
    if (!r) {
        move_host_error_to_c();
        return 0;
    }
    bool overflow = false;
    int64_t v = host::long_as(r, &overflow);
    host::close(r);
    return overflow ? 0 : v;   // PyPy's ids of value objects (complex, ...) can exceed 64 bits
}

namespace {
FlatMap<PyObject *> g_release_links;   // by the weakref's id()
std::vector<PyObject *> g_pending_links;                     // kPendingLink
// Pinned proxies and their release links (null until made).
std::unordered_map<PyObject *, host::Handle> g_pinned;
size_t g_pinned_since = 0;   // pinned since the last sweep
bool g_sweep_due = false;
constexpr size_t kPinnedSweep = 1024;
// Made when this many wait, at the end of an outermost call (one helper call
// for all: from Python, `Point(x, y)` makes one wrapper per call, and a link
// made alone cost about 450 ns of the helper call's own); at once when the
// host is about to collect (gc.collect, the boundary collection, stress mode).
constexpr size_t kPendingBatch = 64;
constexpr size_t kPendingMax = 256;
std::vector<int64_t> g_releases;   // reported while C code ran (release_later)

} // namespace

// Makes the waiting release links (skipped while a host error is pending:
// they wait for the next exit).
void make_pending_links() {
    if (g_pending_links.empty() || host::err_occurred())
        return;
    std::vector<PyObject *> objects;
    objects.swap(g_pending_links);
    std::vector<host::Handle> wrappers;
    for (PyObject *o : objects)
        wrappers.push_back(header_of(o)->managed);
    host::Handle t = host::tuple_from(wrappers.data(), wrappers.size());
    host::Handle r = t ? host::call_helper(host::Helper::make_links, {t}) : host::Handle{};
    host::close(t);
    if (!r) {   // (memory) they wait for the next exit
        host::err_clear();
        g_pending_links.swap(objects);
        return;
    }
    for (size_t i = 0; i < objects.size(); i++) {
        Header *hd = header_of(objects[i]);
        host::Handle ref = host::getitem_i(r, 2 * i), id = host::getitem_i(r, 2 * i + 1);
        bool overflow = false;
        int64_t v = id ? host::long_as(id, &overflow) : 0;
        host::close(id);
        hd->flags &= ~kPendingLink;
        *g_release_links.insert(v).first = objects[i];
        if (hd->flags & kPinned) {   // the proxy keeps its handle; the link is kept aside
            g_pinned[objects[i]] = ref;
            if (Py_REFCNT(objects[i]) == 1)   // (only the link's reference)
                loosen(objects[i]);
            continue;
        }
        host::close(hd->managed);
        hd->managed = ref;
    }
    host::close(r);
}

// ---------------------------------------------------------------- pinned proxies

void pin(PyObject *o) {
    Py_INCREF(o);   // the managed object's, dropped by the release link
    Header *hd = header_of(o);
    hd->flags |= kPinned | kPendingLink;
    g_pinned.emplace(o, host::Handle{});
    g_pending_links.push_back(o);
    detail::exit_work = true;
    if (++g_pinned_since >= std::max<size_t>(kPinnedSweep, g_pinned.size() / 4))
        g_sweep_due = true;
    if (g_pending_links.size() >= kPendingMax)
        make_pending_links();
}

void pinned_forget(PyObject *o) {
    auto it = g_pinned.find(o);
    if (it == g_pinned.end())
        return;
    if (it->second)
        host::close(it->second);
    g_pinned.erase(it);
    header_of(o)->flags &= ~(kPinned | kLoose);
}

void loosen(PyObject *o) {
    Header *hd = header_of(o);
    auto it = g_pinned.find(o);
    if (it == g_pinned.end() || !it->second || (hd->flags & (kLoose | kPendingLink)))
        return;
    host::close(hd->managed);
    hd->managed = host::dup(it->second);
    hd->flags |= kLoose;
}

host::Handle loose_handle(PyObject *o) {
    Header *hd = header_of(o);
    host::Handle m = hd->managed ? live_referent(hd->managed) : host::Handle{};
    if (!m) {
        if (host::err_occurred())
            move_host_error_to_c();
        else
            PyErr_Format(PyExc_SystemError, "ferry: a '%s' object was used after the host collected "
                         "its managed part", Py_TYPE(o)->tp_name);
        return {};
    }
    if (Py_REFCNT(o) > 1) {   // held from C: it holds its managed object again
        replace_managed(o, m);   // (a pinned proxy's handle is never borrowed)
        return m;
    }
    keep_until_exit(m);
    return m;
}

bool loose_of(PyObject *o, host::Handle h) {
    Header *hd = header_of(o);
    host::Handle m = hd->managed ? live_referent(hd->managed) : host::Handle{};
    bool same = m && host::is(m, h);
    host::close(m);
    host::err_clear();
    return same;
}

bool linked(PyObject *o) {
    auto it = g_pinned.find(o);
    return it != g_pinned.end() && it->second;
}

// Loosens the pinned proxies only their managed object holds; the loose
// ones C holds again hold their managed object again.
size_t pinned_sweep() {
    g_pinned_since = 0;
    g_sweep_due = false;
    size_t loosened = 0;
    std::vector<PyObject *> held;   // (asking a weakref may run Python code, which may free some)
    for (auto &[o, ref] : g_pinned) {
        if (!ref)
            continue;
        Header *hd = header_of(o);
        if (!(hd->flags & kLoose) && Py_REFCNT(o) == 1) {
            loosen(o);
            loosened++;
        } else if ((hd->flags & kLoose) && Py_REFCNT(o) > 1) {
            held.push_back(Py_NewRef(o));
        }
    }
    for (PyObject *o : held) {
        if ((header_of(o)->flags & kLoose) && linked(o))
            if (host::Handle m = live_referent(header_of(o)->managed))
                replace_managed(o, m);   // (a pinned proxy's handle is never borrowed)
        host::err_clear();
        Py_DECREF(o);
    }
    return loosened;
}

std::vector<PyObject *> pinned_objects() {
    std::vector<PyObject *> v;
    v.reserve(g_pinned.size());
    for (auto &entry : g_pinned)
        v.push_back(entry.first);
    return v;
}

void link_later(PyObject *o, host::Handle wrapper) {
    Header *hd = header_of(o);
    hd->managed = wrapper;
    hd->flags |= kWeakWrapper | kPendingLink;
    g_pending_links.push_back(o);
    detail::exit_work = true;
    if (g_pending_links.size() >= kPendingMax)
        make_pending_links();
}

void link_forget(PyObject *o) {
    auto it = std::find(g_pending_links.begin(), g_pending_links.end(), o);
    if (it != g_pending_links.end())
        g_pending_links.erase(it);
    header_of(o)->flags &= ~kPendingLink;
}

namespace detail {
int entry_depth = 0;
uint64_t entry_serial = 0;
uint64_t serial_at_depth[kDepthSlots];
bool exit_work = false;

void outermost_exit() {
    run_releases();
    if (pressure_due() && !host::err_occurred())
        relieve_pressure();
    if (g_pending_links.size() >= kPendingBatch || debug::stress)
        make_pending_links();
    if (g_sweep_due || debug::stress)
        pinned_sweep();
    dict_slots_flush();   // C's writes to instance-dict slots reach the host
    dict_borrowed_prune();
    lists_exit_sync();
    handled_forget();
    for (host::Handle h : g_scope_handles)
        host::close(h);
    g_scope_handles.clear();
    if (cycles::g_due && !host::err_occurred())
        cycles::collect();
    exit_work = debug::stress || !g_pending_links.empty() || cycles::g_due || g_sweep_due ||
                !g_releases.empty() || pressure_due();   // stress mode: every outermost exit
    if (debug::stress) [[unlikely]]
        debug::stress_point();
}
} // namespace detail

void keep_until_exit(host::Handle h) {
    g_scope_handles.push_back(h);
    detail::exit_work = true;
}

host::Handle release_link(host::Handle target, PyObject *o) {
    host::Handle ref = host::call_with(host::borrowed(host::Builtin::weakref_ref),
                                       {target, host::borrowed(host::Builtin::release_link_callback)});
    if (!ref) {
        move_host_error_to_c();
        return {};
    }
    int64_t id = host_id(ref);
    if (!id) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "ferry: a weakref's id() has no 64-bit form");
        host::close(ref);
        return {};
    }
    // An entry left by a link whose weakref died before its target (then no
    // callback comes) gives way: its id is being reused.
    *g_release_links.insert(id).first = o;
    return ref;
}

void release_later(int64_t ref_id) {
    if (detail::entry_depth > 1) {   // (this report's own entry is one)
        g_releases.push_back(ref_id);
        detail::exit_work = true;
        return;
    }
    release_linked(ref_id);
}

void run_releases() {
    while (!g_releases.empty()) {   // (a release may report more)
        std::vector<int64_t> now;
        now.swap(g_releases);
        for (int64_t id : now)
            release_linked(id);
    }
}

void release_linked(int64_t ref_id) {
    PyObject **found = g_release_links.find(ref_id);
    if (!found)
        return;
    PyObject *o = *found;
    g_release_links.erase(ref_id);
    if (header_of(o)->flags & kPinned) {   // its managed object is gone
        Header *hd = header_of(o);
        auto p = g_pinned.find(o);
        if (p != g_pinned.end() && p->second) {
            host::close(p->second);
            p->second = {};
        }
        if (hd->flags & kLoose) {
            host::close(hd->managed);
            hd->managed = {};
        }
    }
    // A tracked object forgets its dead wrapper (the boundary collection
    // counts a live wrapper's reference as one from outside C), unless it
    // has a newer one already.
    Header *hd = header_of(o);
    if ((hd->flags & kTracked) && (hd->flags & kWeakWrapper) && !(hd->flags & kPendingLink) &&
        hd->managed) {
        // (This runs in a weakref callback, maybe while C has an error set.)
        PyObject *et, *ev, *tb;
        PyErr_Fetch(&et, &ev, &tb);
        int64_t link = host_id(hd->managed);
        PyErr_Clear();
        PyErr_Restore(et, ev, tb);
        if (link == ref_id) {
            host::close(hd->managed);
            hd->managed = {};
            hd->flags &= ~kWeakWrapper;
        }
    }
    // The release may run the object's tp_dealloc, in the middle of whatever
    // host call let the host collect: C's error indicator is kept aside, and
    // an error the dealloc leaves is reported as unraisable, as CPython does
    // for errors of finalizers.
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
    Py_DECREF(o);
    if (PyErr_Occurred())
        PyErr_WriteUnraisable(nullptr);
    PyErr_Restore(et, ev, tb);
}

host::Handle referent(host::Handle ref) { return host::call_with(ref, {}); }

host::Handle live_referent(host::Handle ref) {
    host::Handle r = referent(ref);
    if (r && host::is(r, host::borrowed(host::Builtin::None))) {
        host::close(r);
        return {};
    }
    return r;
}

} // namespace ferry::bridge
