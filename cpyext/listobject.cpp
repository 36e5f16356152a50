// list: PyListObject with an ob_item array, so PyList_GET_ITEM/SET_ITEM work
// as on CPython. A list made by C is native until it crosses; a proxied
// managed list is refreshed each time it crosses into C, and API mutations go
// to both sides. Mirrors Objects/listobject.c.
//
// Writes through PyList_SET_ITEM on a proxy: each proxy remembers its items
// as they were when C and host last agreed; slots that differ were written
// by C and are set on the host (list_sync_to_host) before the host is read
// again, before a mutation through the host other than an append, and when
// the proxy dies. Not at every crossing: that is O(n) per call, and CPython
// code writes with the macros into lists it just made (which have no managed
// counterpart yet), not into lists it was given.
//
// Sizes C changes in place: Cython appends and pops without the API while a
// list has room (__Pyx_PyList_Append: SET_ITEM and Py_SET_SIZE when
// `allocated > size > allocated / 2`; __Pyx_PyList_Pop: shrinks ob_size when
// `size > allocated / 2`, else calls list.pop). A list that has crossed
// therefore always has `allocated >= 2 * size` in C (the room is real:
// give_room): both shortcuts find it at most half full and take the API
// (PyList_Append, the host's list.pop called through PyObject_Call), which
// changes both sides. Python code never sees a size C changed behind its back
// that way, at no cost per call and none per live list.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <vector>

#include "cpyext/forward.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/flat_map.h"
#include "gc_bridge/stats.h"
#include "proxies/scan.h"
#define FERRY_FAMILY "listobject"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace ferry {

int list_read_items(PyObject *o, Handle h);
int bytearray_refresh(PyObject *o, Handle h);

namespace {
// Items of each proxied list when C and host last agreed (not owned). By
// list, in a flat map whose records are reused (every list that crosses gets
// one, and most die at the end of the call: a map node and a vector each were
// a sixth of passing [1, 2] to a function of C).
using Known = std::vector<PyObject *>;
FlatMap<Known *> g_list_synced;
Spares<Known> g_known_spare(64);

int64_t list_key(PyObject *o) { return static_cast<int64_t>(reinterpret_cast<intptr_t>(o)); }

Known *known_items(PyObject *o) {
    Known **k = g_list_synced.find(list_key(o));
    return k ? *k : nullptr;
}

void remember_items(PyObject *o) {
    auto *l = reinterpret_cast<PyListObject *>(o);
    auto [slot, added] = g_list_synced.insert(list_key(o));
    if (added)
        *slot = g_known_spare.take();
    (*slot)->assign(l->ob_item, l->ob_item + Py_SIZE(l));
}

void forget_items(PyObject *o) {
    Known *k = known_items(o);
    if (!k)
        return;
    g_list_synced.erase(list_key(o));
    k->clear();
    g_known_spare.give(k, k->capacity() <= 1024);
}

// The item array resized to `cap` items. 0, or -1 with the C error set.
int set_capacity(PyListObject *l, Py_ssize_t cap) {
    auto *items = static_cast<PyObject **>(PyMem_Realloc(l->ob_item, cap * sizeof(PyObject *)));
    if (!items) {
        PyErr_NoMemory();
        return -1;
    }
    l->ob_item = items;
    l->allocated = cap;
    return 0;
}

// A list that has a managed counterpart (or is about to) keeps
// `allocated >= 2 * need` (see the top of the file). 0, or -1 with the C
// error set.
int give_room(PyObject *o, Py_ssize_t need) {
    auto *l = reinterpret_cast<PyListObject *>(o);
    return need <= l->allocated / 2 ? 0 : set_capacity(l, 2 * need);
}

void clear_items_only(PyObject *o) {
    auto *l = reinterpret_cast<PyListObject *>(o);
    PyObject **items = l->ob_item;
    Py_ssize_t n = Py_SIZE(l);
    l->ob_item = nullptr;
    Py_SET_SIZE(l, 0);
    l->allocated = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        Py_XDECREF(items[i]);
    PyMem_Free(items);
}
} // namespace

// C's PyList_SET_ITEM writes to a proxy reach the host. 0, or -1 with the C
// error set.
int list_sync_to_host(PyObject *o) {
    Header *hd = header_of(o);
    if (!hd->managed || (hd->flags & kWeakWrapper))
        return 0;
    Known *k = known_items(o);   // (a record stays where it is while others come and go)
    if (!k)
        return 0;
    auto *l = reinterpret_cast<PyListObject *>(o);
    Known &known = *k;
    Py_ssize_t n = Py_SIZE(l);
    if (static_cast<size_t>(n) != known.size()) {
        // The size changed behind the API's back: the host takes all items.
        Handle all = list_to_host(o);
        if (!all)
            return -1;
        Handle lo = host::long_from(0), hi = host::long_from(PY_SSIZE_T_MAX);
        Handle r = lo && hi ? host::call_helper(Helper::set_slice, {hd->managed, lo, hi, all})
                            : Handle{};
        host::close(lo);
        host::close(hi);
        host::close(all);
        if (!r)
            return minus_one_with_host_error();
        host::close(r);
        remember_items(o);
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (l->ob_item[i] == known[i])
            continue;
        if (!l->ob_item[i])
            continue;   // being filled: nothing to say yet
        Handle v = handle_of(l->ob_item[i]);
        if (!v)
            return -1;
        Handle index = host::long_from(i);
        int r = index ? host::setitem(hd->managed, index, v) : -1;
        host::close(index);
        if (r < 0)
            return minus_one_with_host_error();
        known[i] = l->ob_item[i];
    }
    return 0;
}

int list_size_sync(PyObject *o) {
    Known *k = known_items(o);
    if (!k || k->size() == static_cast<size_t>(Py_SIZE(o)))
        return 0;
    return list_sync_to_host(o);
}

PyObject *list_alloc(PyTypeObject *type, Py_ssize_t n) {
    PyObject *l = alloc_object(type, sizeof(PyListObject));
    if (!l)
        return nullptr;
    auto *lo = reinterpret_cast<PyListObject *>(l);
    if (n) {
        lo->ob_item = static_cast<PyObject **>(PyMem_Calloc(n, sizeof(PyObject *)));
        if (!lo->ob_item) {
            Py_DECREF(l);
            return PyErr_NoMemory();
        }
    }
    Py_SET_SIZE(lo, n);
    lo->allocated = n;
    return l;
}

// At dealloc: C's last writes reach the host, then the items go.
void list_clear_items(PyObject *o) {
    if (known_items(o)) {
        PyObject *et, *ev, *tb;
        PyErr_Fetch(&et, &ev, &tb);
        if (list_sync_to_host(o) < 0)
            PyErr_WriteUnraisable(nullptr);
        PyErr_Restore(et, ev, tb);
        forget_items(o);
    }
    clear_items_only(o);
}

int list_refresh(PyObject *o, Handle h) {
    Header *hd = header_of(o);
    if (hd->flags & kRefreshing)
        return 0;   // a list inside itself: the outer refresh fills it
    hd->flags |= kRefreshing;
    int r = list_sync_to_host(o) < 0 ? -1 : list_read_items(o, h);
    hd->flags &= ~kRefreshing;
    return r;
}

namespace {

// Lists of 16 items or more cross in one call (proxies/scan.h): numbers packed,
// strs with their hash and other objects with their id(), each of which would
// be a host call of its own (an id() costs one in C, ~150 ns, and ~20 ns in
// the scan's loop).
constexpr ptrdiff_t kScanMin = 16;

} // namespace

// Re-reads a proxied list from the host.
int list_read_items(PyObject *o, Handle h) {
    bool exact = PyList_CheckExact(o);   // (a subclass's len and items may run code)
    ptrdiff_t n = exact ? host::exact_length(h) : host::length(h);
    if (n < 0)
        return minus_one_with_host_error();
    auto *l = reinterpret_cast<PyListObject *>(o);
    Py_ssize_t old_n = Py_SIZE(l);
    PyObject *small[kScanMin] = {};
    std::vector<PyObject *> large(n >= kScanMin ? n : 0);
    PyObject **items = n >= kScanMin ? large.data() : small;
    auto drop = [&] {
        for (ptrdiff_t i = 0; i < n; i++)
            Py_XDECREF(items[i]);
        return -1;
    };
    Handle scan = n >= kScanMin ? host::call_scan(Helper::list_scan, h) : Handle{};
    if (n >= kScanMin && !scan)
        return minus_one_with_host_error();
    if (scan) {
        Scan packed;
        if (!packed.read(scan))
            return drop();
        if (packed.size() != static_cast<size_t>(n)) {
            PyErr_SetString(PyExc_SystemError, "ferry: a list's scan does not match its size");
            return drop();
        }
        for (ptrdiff_t i = 0; i < n; i++)
            if (!(items[i] = packed.item(i, i < old_n ? l->ob_item[i] : nullptr)))
                return drop();
    } else {
        for (ptrdiff_t i = 0; i < n; i++) {
            Handle hi = exact ? host::exact_item(h, i) : host::getitem_i(h, i);
            items[i] = hi ? item_for(i < old_n ? l->ob_item[i] : nullptr, hi) : nullptr;   // (scan.h)
            if (!items[i]) {
                if (!hi)
                    move_host_error_to_c();
                return drop();
            }
        }
    }
    // (Room for 2n: see the top of the file.)
    PyObject **fresh = static_cast<PyObject **>(PyMem_Malloc((n ? 2 * n : 1) * sizeof(PyObject *)));
    if (!fresh) {
        drop();
        PyErr_NoMemory();
        return -1;
    }
    for (ptrdiff_t i = 0; i < n; i++)
        fresh[i] = items[i];
    clear_items_only(o);   // drops the old references; kept items hold a new one
    l->ob_item = fresh;
    Py_SET_SIZE(l, n);
    l->allocated = n ? 2 * n : 1;
    remember_items(o);
    header_of(o)->padding = host::code_epoch;   // (list_items_current)
    return 0;
}

// An exact list's `padding` holds the code_epoch at which its items were last
// read from the host (no other use of `padding` applies to one).
bool list_items_fresh(PyObject *o) {
    Header *hd = header_of(o);
    return hd->managed && !(hd->flags & kWeakWrapper) && hd->padding == host::code_epoch;
}

int list_items_current(PyObject *o, Py_ssize_t i) {
    Header *hd = header_of(o);
    if (!hd->managed || (hd->flags & kWeakWrapper) || hd->padding == host::code_epoch)
        return 1;
    ptrdiff_t n = host::exact_length(hd->managed);
    if (n < 0)
        return minus_one_with_host_error();
    if (n == Py_SIZE(o)) {
        if (i >= n)
            return 1;
        Handle mine = handle_of(PyList_GET_ITEM(o, i));
        if (!mine)
            return -1;
        Handle theirs = host::exact_item(hd->managed, i);
        if (!theirs)
            return minus_one_with_host_error();
        bool same = host::is(mine, theirs);
        host::close(theirs);
        if (same)
            return 1;
    }
    return list_refresh(o, hd->managed) < 0 ? -1 : 0;
}

namespace {
// Lists C passed to a host call or looked a method up on, to be read again
// when the call returns (lists_refresh). Each holds a reference.
std::vector<PyObject *> g_lists_touched;
// Proxied lists C appended to in this call: a size C changed in place after
// (Cython's pop) reaches the host when the outermost call returns, for
// Python code to see (lists_exit_sync). Each holds a reference.
std::vector<PyObject *> g_lists_appended;
}

void lists_exit_sync() {
    std::vector<PyObject *> lists;
    lists.swap(g_lists_appended);
    for (PyObject *o : lists) {
        if (list_size_sync(o) < 0)
            PyErr_WriteUnraisable(o);
        Py_DECREF(o);
    }
}

void list_may_change(PyObject *o) {
    // A list C made that has not crossed yet crosses with C's items for the
    // call, and the call may change it as well (lxml's parser pops its node
    // stack, a list made in C, with list.pop(L) once it is half empty): it is
    // read again after the call too.
    if (header_of(o)->managed && list_sync_to_host(o) < 0) {   // (an error the call itself will meet again)
        PyErr_Clear();
        return;
    }
    g_lists_touched.push_back(Py_NewRef(o));
}

void lists_refresh() {
    if (g_lists_touched.empty()) [[likely]]
        return;
    std::vector<PyObject *> lists;
    lists.swap(g_lists_touched);
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);   // (the call's own error stays)
    for (PyObject *o : lists) {
        Header *hd = header_of(o);
        if (hd->managed && !(hd->flags & kWeakWrapper) && list_read_items(o, hd->managed) < 0)
            PyErr_WriteUnraisable(o);
        Py_DECREF(o);
    }
    PyErr_Restore(et, ev, etb);
}

// A list of this many items or more is built from a tuple of its items (one
// host call and list()) rather than appended to item by item.
constexpr Py_ssize_t kTupleBuilt = 8;

// (Packing a list of numbers for one host call, as list_scan does the other
// way for lists of anything, measured slower here: 5.7 us against 3.1 us for make_list(100), since
// PyPy builds a list from packed bytes no faster than from handles.)
Handle list_to_host(PyObject *o, bool transient) {
    // The host's list exists before the items cross, and is the proxy's handle
    // meanwhile (the caller sets it for good): a list that holds itself
    // crosses once, as a dict does (it recursed until the stack ran out).
    Handle l = host::list_new();
    if (!l)
        return {};
    Header *hd = header_of(o);
    hd->managed = l;
    bool ok = true;
    Py_ssize_t n = PyList_GET_SIZE(o);
    if (n >= kTupleBuilt) {
        std::vector<Handle> items(static_cast<size_t>(n));
        for (Py_ssize_t i = 0; ok && i < n; i++)
            ok = static_cast<bool>(items[i] = handle_of_item(PyList_GET_ITEM(o, i), transient));
        Handle t = ok ? host::tuple_from(items.data(), items.size()) : Handle{};
        Handle r = t ? host::call_with(host::borrowed(host::Builtin::list_extend), {l, t}) : Handle{};
        ok = static_cast<bool>(r);
        host::close(r);
        host::close(t);
    } else {
        for (Py_ssize_t i = 0; ok && i < PyList_GET_SIZE(o); i++) {
            Handle item = handle_of_item(PyList_GET_ITEM(o, i), transient);
            ok = item && host::list_append(l, item) == 0;
        }
    }
    hd->managed = {};
    if (!ok) {
        host::close(l);
        return {};
    }
    if (!transient) {
        // About to become a proxy (materialize.cpp): from now on C's in-place
        // shortcuts must take the API.
        if (give_room(o, PyList_GET_SIZE(o)) < 0) {
            host::close(l);
            return {};
        }
        remember_items(o);
    }
    return l;
}

int refresh_container(PyObject *o, Handle h) {
    if (PyList_Check(o))
        return list_refresh(o, h);
    if (PyByteArray_Check(o))
        return bytearray_refresh(o, h);
    ptrdiff_t n = host::length(h);
    if (n < 0)
        return minus_one_with_host_error();
    if (PyDict_Check(o)) {
        reinterpret_cast<PyDictObject *>(o)->ma_used = n;
        dict_new_version(o);   // the host may have written it since C last saw it
    } else if (PyAnySet_Check(o))
        reinterpret_cast<PySetObject *>(o)->used = n;
    return 0;
}

} // namespace ferry

namespace {

bool check_list(PyObject *o) {
    if (!o || !PyList_Check(o)) {
        PyErr_BadInternalCall();
        return false;
    }
    return true;
}

int grow(PyListObject *l, Py_ssize_t need) {
    return need <= l->allocated ? 0 : set_capacity(l, need + (need >> 3) + 6);
}

// listobject.c's list_ass_slice, for a list with no managed counterpart.
int native_set_slice(PyListObject *l, Py_ssize_t lo, Py_ssize_t hi, PyObject *v) {
    Py_ssize_t n = Py_SIZE(l);
    lo = lo < 0 ? 0 : lo > n ? n : lo;
    hi = hi < lo ? lo : hi > n ? n : hi;
    // The new items, taken once (a copy when the list is assigned to itself).
    PyObject *seq = nullptr;
    if (v == reinterpret_cast<PyObject *>(l))
        seq = PyList_GetSlice(v, 0, n);
    else if (v)
        seq = PySequence_Fast(v, "can only assign an iterable");
    if (v && !seq)
        return -1;
    Py_ssize_t k = seq ? PySequence_Fast_GET_SIZE(seq) : 0, d = k - (hi - lo);
    // The replaced items are released last: a tp_dealloc may run any code.
    std::vector<PyObject *> gone(l->ob_item + lo, l->ob_item + hi);
    if (d > 0 && grow(l, n + d) < 0) {
        Py_XDECREF(seq);
        return -1;
    }
    if (d != 0)
        std::memmove(l->ob_item + hi + d, l->ob_item + hi, (n - hi) * sizeof(PyObject *));
    PyObject **src = seq ? PySequence_Fast_ITEMS(seq) : nullptr;
    for (Py_ssize_t i = 0; i < k; i++)
        l->ob_item[lo + i] = Py_NewRef(src[i]);
    Py_SET_SIZE(l, n + d);
    Py_XDECREF(seq);
    for (PyObject *x : gone)
        Py_DECREF(x);
    return 0;
}

// After a mutation through the host, the C mirror follows.
int sync_from_host(PyObject *o) { return list_refresh(o, header_of(o)->managed); }

int host_mutation(PyObject *o, Helper helper, std::initializer_list<PyObject *> args) {
    if (list_sync_to_host(o) < 0)
        return -1;
    std::vector<Handle> hs{header_of(o)->managed};
    for (PyObject *a : args) {
        Handle h = handle_of(a);
        if (!h)
            return -1;
        hs.push_back(h);
    }
    Handle r;
    switch (hs.size()) {
    case 2: r = host::call_helper(helper, {hs[0], hs[1]}); break;
    case 3: r = host::call_helper(helper, {hs[0], hs[1], hs[2]}); break;
    default: r = host::call_helper(helper, {hs[0], hs[1], hs[2], hs[3]}); break;
    }
    if (!r)
        return minus_one_with_host_error();
    host::close(r);
    return sync_from_host(o);
}

} // namespace

PyObject *PyList_New(Py_ssize_t n) {
    FERRY_API;
    if (n < 0) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    return list_alloc(&PyList_Type, n);
}

Py_ssize_t PyList_Size(PyObject *o) { FERRY_API; return check_list(o) ? PyList_GET_SIZE(o) : -1; }

PyObject *PyList_GetItem(PyObject *o, Py_ssize_t i) {
    FERRY_API;
    if (!check_list(o))
        return nullptr;
    if (i < 0 || i >= PyList_GET_SIZE(o)) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return nullptr;
    }
    return PyList_GET_ITEM(o, i);
}

int PyList_SetItem(PyObject *o, Py_ssize_t i, PyObject *v) {
    FERRY_API;
    if (!check_list(o)) {
        Py_XDECREF(v);
        return -1;
    }
    if (i < 0 || i >= PyList_GET_SIZE(o)) {
        Py_XDECREF(v);
        PyErr_SetString(PyExc_IndexError, "list assignment index out of range");
        return -1;
    }
    if (header_of(o)->managed) {
        if (list_sync_to_host(o) < 0) {
            Py_DECREF(v);
            return -1;
        }
        Handle hv = handle_of(v);
        Handle index = host::long_from(i);
        int r = hv ? host::setitem(header_of(o)->managed, index, hv) : -1;
        host::close(index);
        if (hv && r < 0) {
            Py_DECREF(v);
            return minus_one_with_host_error();
        }
        if (!hv) {
            Py_DECREF(v);
            return -1;
        }
    }
    PyObject *old = PyList_GET_ITEM(o, i);
    PyList_SET_ITEM(o, i, v);
    Known *k = known_items(o);
    if (k && static_cast<size_t>(i) < k->size())
        (*k)[i] = v;
    Py_XDECREF(old);
    return 0;
}

int PyList_Insert(PyObject *o, Py_ssize_t where, PyObject *v) {
    FERRY_API;
    if (!check_list(o) || !v) {
        if (check_list(o))
            PyErr_BadInternalCall();
        return -1;
    }
    auto *l = reinterpret_cast<PyListObject *>(o);
    Py_ssize_t n = Py_SIZE(l);
    where = where < 0 ? (where + n < 0 ? 0 : where + n) : (where > n ? n : where);
    if (header_of(o)->managed) {
        if (list_sync_to_host(o) < 0)
            return -1;
        PyObject *w = PyLong_FromSsize_t(where);
        PyObject *r = w ? PyObject_CallMethod(o, "insert", "OO", w, v) : nullptr;
        Py_XDECREF(w);
        if (!r)
            return -1;
        Py_DECREF(r);
        return sync_from_host(o);
    }
    if (grow(l, n + 1) < 0)
        return -1;
    for (Py_ssize_t i = n; i > where; i--)
        l->ob_item[i] = l->ob_item[i - 1];
    l->ob_item[where] = Py_NewRef(v);
    Py_SET_SIZE(l, n + 1);
    return 0;
}

int PyList_Append(PyObject *o, PyObject *v) {
    FERRY_API;
    if (!check_list(o))
        return -1;
    if (!v) {
        PyErr_BadInternalCall();
        return -1;
    }
    auto *l = reinterpret_cast<PyListObject *>(o);
    if (header_of(o)->managed) {
        // A write C made through the macros elsewhere in the list is synced
        // later (refresh, mutation, death): the append keeps both sides in step.
        // But a size C changed behind the API's back (Cython's list.pop()
        // shrinks ob_size in place: lxml's node stack) goes first, or the
        // host would append after the items C dropped.
        if (list_size_sync(o) < 0 || give_room(o, Py_SIZE(l) + 1) < 0)
            return -1;
        Handle hv = handle_of(v);
        if (!hv)
            return -1;
        if (host::list_append(header_of(o)->managed, hv) < 0)
            return minus_one_with_host_error();
        if (g_lists_appended.empty() || g_lists_appended.back() != o) {
            if (g_lists_appended.empty())
                bridge::request_exit_work();
            g_lists_appended.push_back(Py_NewRef(o));
        }
    }
    if (grow(l, Py_SIZE(l) + 1) < 0)
        return -1;
    l->ob_item[Py_SIZE(l)] = Py_NewRef(v);
    Py_SET_SIZE(l, Py_SIZE(l) + 1);
    if (Known *k = known_items(o))
        k->push_back(v);
    return 0;
}

PyObject *PyList_GetSlice(PyObject *o, Py_ssize_t lo, Py_ssize_t hi) {
    FERRY_API;
    if (!check_list(o))
        return nullptr;
    Py_ssize_t n = PyList_GET_SIZE(o);
    lo = lo < 0 ? 0 : lo > n ? n : lo;
    hi = hi < lo ? lo : hi > n ? n : hi;
    PyObject *r = PyList_New(hi - lo);
    for (Py_ssize_t i = lo; r && i < hi; i++)
        PyList_SET_ITEM(r, i - lo, Py_NewRef(PyList_GET_ITEM(o, i)));
    return r;
}

int PyList_SetSlice(PyObject *o, Py_ssize_t lo, Py_ssize_t hi, PyObject *v) {
    FERRY_API;
    if (!check_list(o))
        return -1;
    if (!header_of(o)->managed)   // a list C made that never crossed: all in C
        return native_set_slice(reinterpret_cast<PyListObject *>(o), lo, hi, v);
    // Mutate on the host, then sync.
    Py_ssize_t n = PyList_GET_SIZE(o);
    lo = lo < 0 ? 0 : lo > n ? n : lo;
    hi = hi < lo ? lo : hi > n ? n : hi;
    // list_ass_slice: the items are taken once, as a sequence, with its message.
    PyObject *items = v ? PySequence_Fast(v, "can only assign an iterable") : Py_NewRef(Py_None);
    if (!items)
        return -1;
    PyObject *a = PyLong_FromSsize_t(lo), *b = PyLong_FromSsize_t(hi);
    int r = a && b ? host_mutation(o, Helper::set_slice, {a, b, items}) : -1;
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_DECREF(items);
    return r;
}

int PyList_Sort(PyObject *o) {
    FERRY_API;
    if (!check_list(o) || !handle_of(o) || list_sync_to_host(o) < 0)
        return -1;
    Handle r = host::call_helper(Helper::sort, {header_of(o)->managed});
    if (!r)
        return minus_one_with_host_error();
    host::close(r);
    return sync_from_host(o);
}

int PyList_Reverse(PyObject *o) {
    FERRY_API;
    if (!check_list(o) || !handle_of(o) || list_sync_to_host(o) < 0)
        return -1;
    PyObject *r = PyObject_CallMethod(o, "reverse", nullptr);
    if (!r)
        return -1;
    Py_DECREF(r);
    return sync_from_host(o);
}

PyObject *PyList_AsTuple(PyObject *o) {
    FERRY_API;
    if (!check_list(o))
        return nullptr;
    Py_ssize_t n = PyList_GET_SIZE(o);
    PyObject *t = PyTuple_New(n);
    for (Py_ssize_t i = 0; t && i < n; i++)
        PyTuple_SET_ITEM(t, i, Py_NewRef(PyList_GET_ITEM(o, i)));
    return t;
}

// list.extend (Objects/listobject.c list_extend) for C callers; no type check
// of `self`, as in CPython. Lists, tuples and the list itself are read once as
// a sequence; anything else is iterated after asking for its length hint (an
// error from __len__/__length_hint__ propagates, as there). Items appended
// before a failure stay. Each item goes through PyList_Append, which keeps a
// proxied list's host side in step.
PyObject *_PyList_Extend(PyListObject *self, PyObject *iterable) {
    FERRY_API;
    PyObject *o = reinterpret_cast<PyObject *>(self);
    if (PyList_CheckExact(iterable) || PyTuple_CheckExact(iterable) || o == iterable) {
        PyObject *seq = PySequence_Fast(iterable, "argument must be iterable");
        if (!seq)
            return nullptr;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);   // fixed before the list grows
        for (Py_ssize_t i = 0; i < n; i++) {
            if (PyList_Append(o, PySequence_Fast_GET_ITEM(seq, i)) < 0) {
                Py_DECREF(seq);
                return nullptr;
            }
        }
        Py_DECREF(seq);
        Py_RETURN_NONE;
    }
    PyObject *it = PyObject_GetIter(iterable);
    if (!it)
        return nullptr;
    if (PyObject_LengthHint(iterable, 8) < 0) {
        Py_DECREF(it);
        return nullptr;
    }
    for (;;) {
        PyObject *item = PyIter_Next(it);   // clears a StopIteration
        if (!item)
            break;
        int r = PyList_Append(o, item);
        Py_DECREF(item);
        if (r < 0) {
            Py_DECREF(it);
            return nullptr;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return nullptr;
    Py_RETURN_NONE;
}
