// Lifetime across the boundary (first-light rules; see docs/lifetime.md).
//
//  * Identity: while C holds a proxy of a managed object, the same managed
//    object maps to the same PyObject* (map keyed by the host's id()). int is
//    exempt: CPython promises no int identity beyond the small-int cache,
//    which we keep.
//  * A proxy owns a handle to its managed object: the managed object lives at
//    least as long as C holds the proxy.
//  * A native object's wrapper owns one reference to it; the native object
//    keeps a weakref to the wrapper whose callback drops that reference when
//    the host collects the wrapper.
//  * Handles returned as "borrowed" for objects that own none (native objects)
//    are kept in the current entry's scope and closed when it returns.
#pragma once
#include <Python.h>

#include "host/host.h"

#include <vector>

namespace ferry {
// cpyext/dictobject.cpp: C keeps some dicts (module dicts), whose version tags
// must change whenever Python code may have written them.
extern bool g_dicts_watched;
void dict_host_may_have_written();
// Releases the borrowed references dicts no longer hold (at the end of the
// outermost call, after request_exit_work).
void dict_borrowed_prune();
// cpyext/listobject.cpp: sizes C changed in place in lists it appended to
// reach the host (at the end of the outermost call).
void lists_exit_sync();
void handled_forget();   // cpyext/errors.cpp
}

namespace ferry::bridge {

PyObject *identity_lookup(int64_t id);
void identity_register(PyObject *o, int64_t id);
void identity_forget(PyObject *o);

// Exact dicts and lists: the host's id() costs about 250 ns for a young
// object (PyPy gives it a shadow). While few of those types are in the
// identity map, a lookup compares handles with each (container_lookup; then
// *settled: the answer holds without id()). A call's argument found in none
// gets its proxy without an id(): such proxies, few, are compared by handle
// too until their call releases them, and one C kept is registered by id()
// then (identity_settle). ujson.dumps of a fresh dict: 940 -> 640 ns.
PyObject *container_lookup(host::Handle h, PyTypeObject *t, bool *settled);   // borrowed, or null
bool identity_deferrable();
void identity_defer(PyObject *o);
void identity_settle(PyObject *o);

// PyPy's floats are identical when their bits are: they are keyed by value.
PyObject *float_identity_lookup(double v);
void float_identity_register(PyObject *o, double v);

// Exact strs, and objects whose type hashes by identity (object.__hash__:
// TypeInfo::hash_identity), are keyed by their host hash (18 ns; id() is a
// call through a tuple, 115 ns), candidates told apart by handle comparison.
PyObject *hash_identity_lookup(host::Handle h, int64_t hash);
void hash_identity_register(PyObject *o, int64_t hash);
// The same when a lookup of o's managed object just found nothing.
void hash_identity_add(PyObject *o, int64_t hash);

// Host id() of a managed object; 0 with the C error set on failure, 0 with no
// error when the id has no 64-bit form (then the object is not identity-mapped).
int64_t host_id(host::Handle h);

namespace detail {
extern int entry_depth;
extern uint64_t entry_serial;   // counts the calls from the host into the layer
// The number of the call that runs at each depth (the innermost: entry_depth).
constexpr int kDepthSlots = 64;
extern uint64_t serial_at_depth[kDepthSlots];
// Work for the end of the outermost call: handles kept by keep_until_exit,
// instance-dict slots C may have written (cpyext/object.cpp).
extern bool exit_work;
void outermost_exit();
} // namespace detail

// One per call from the host into the layer.
class EntryScope {
public:
    EntryScope() {
        detail::entry_depth++;
        detail::entry_serial++;
        if (detail::entry_depth < detail::kDepthSlots) [[likely]]
            detail::serial_at_depth[detail::entry_depth] = detail::entry_serial;
        if (g_dicts_watched)   // Python code may have written them since C last ran
            dict_host_may_have_written();
    }
    ~EntryScope() {
        if (detail::entry_depth == 1 && detail::exit_work) [[unlikely]]
            detail::outermost_exit();
        detail::entry_depth--;
    }
    EntryScope(const EntryScope &) = delete;
    EntryScope &operator=(const EntryScope &) = delete;
};
void keep_until_exit(host::Handle h);
// The end of the outermost call has work to do (it always runs what is due).
inline void request_exit_work() { detail::exit_work = true; }

// Release links: `o`'s reference (taken over) is dropped when `target` dies.
// The link is a weakref to target with one shared callback, which reports
// the weakref's id() (a per-object closure as callback costs PyPy 370 ns a
// link, a shared one 70 ns). Returns the weakref (owned), or null with the C
// error set (then `o` is not taken).
host::Handle release_link(host::Handle target, PyObject *o);
// The same for a native object's fresh wrapper (owned; kept in the header,
// kPendingLink, so the wrapper lives until then): the links of the waiting
// wrappers are made together in one host call, at the end of an outermost
// call once enough wait, before the host collects (gc.collect, the boundary
// collection, stress mode) and before a C error goes to the host (a weakref
// made from C costs PyPy 750 ns, in its JIT-compiled code 70 ns). These links
// have no callback, so that a wrapper can die in a minor collection of the
// host; after one, _support.sweep_links releases the objects of those that
// died (release_later) and gives the others a callback link.
void link_later(PyObject *o, host::Handle wrapper);
void link_forget(PyObject *o);   // o is being freed while waiting
// Makes the waiting links now; before a C error goes to the host, since
// nothing is made while a host error is pending.
void make_pending_links();
// Memory C allocated outside the host's heap (pressure.cpp): whether it grew
// enough to act on, and acting (at the end of an outermost call).
bool pressure_due();
void relieve_pressure();
// The layer's own large blocks (PyMem_Malloc & co.) count too.
constexpr size_t kExternalCounted = 16 << 10;   // blocks from this size on
void external_grew(size_t n);
void external_shrank(size_t n);

// A link's report: drops the reference (the release entry), at once when no C
// code runs, else at the end of the outermost call: a report comes at any
// safe point of the host, maybe in a host call of C code that still uses
// what the release would free (run_releases does them).
void release_later(int64_t ref_id);
void run_releases();
void release_linked(int64_t ref_id);

// Pinned proxies (hybrids, proxy.h): the C struct must live as long as the
// managed object, and the managed object as long as C holds the proxy. So the managed object owns one reference to the
// proxy (a release link, made as a wrapper's is, later and in batches), and
// the proxy holds the managed object by its handle while anything besides
// that reference holds it; once nothing does, the proxy is *loose*: its handle
// is a weakref, and the host is free to collect the managed object (then the
// link drops the last reference). A loose proxy C reaches again takes its
// handle back (from_host, handle_of); pinned_sweep loosens the others once
// they are made in numbers, and the boundary collection (cycles.cpp) loosens
// those that only cycles through their own fields hold.
void pin(PyObject *o);              // o: a fresh hybrid
void pinned_forget(PyObject *o);    // o is being freed
void loosen(PyObject *o);           // o must be pinned, linked and held by its handle
// The managed object of a loose o (borrowed until the outermost call
// returns); null with the C error set when the host collected it.
host::Handle loose_handle(PyObject *o);
// Whether a loose o's managed object is h (an id() may be reused once it died).
bool loose_of(PyObject *o, host::Handle h);
bool linked(PyObject *o);           // its release link is made and its managed object lives
size_t pinned_sweep();   // the number loosened
std::vector<PyObject *> pinned_objects();

// The referent of a weakref (owned): None when it died, null on error.
host::Handle referent(host::Handle ref);
// The same, null when it died too (a native object's live wrapper).
host::Handle live_referent(host::Handle ref);

} // namespace ferry::bridge
