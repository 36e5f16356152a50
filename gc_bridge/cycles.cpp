// The boundary collection (see cycles.h and docs/lifetime.md, "Cycles").
#include "gc_bridge/cycles.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "cpyext/internal.h"
#include "gc_bridge/bridge.h"

namespace ferry::cycles {
using host::Handle;
using host::Helper;

namespace {

std::vector<PyObject *> g_tracked;   // index kept in each one's Header::identity
Py_ssize_t g_since = 0;

// ---------------------------------------------------------------- the graph

// The C side's references among the tracked native objects and the proxies
// (and objects C built) they reach: the nodes, and for each the references
// that come from other nodes. What has no node (strs, ints, untracked native
// objects, types) cannot be in a cycle or is not ours to collect.
struct Graph {
    struct Node {
        PyObject *o;
        Py_ssize_t refs;   // refcount minus the references from nodes
        uint32_t first, count;   // its edges in `edges`
        bool native, wrapped;    // wrapped: a wrapper holds one reference through a release link
        bool pinned;             // a pinned proxy (its managed object is its "wrapper")
    };
    std::vector<Node> nodes;
    std::vector<uint32_t> edges;
    std::unordered_map<PyObject *, uint32_t> index;

    static bool holds_objects(Layout l) {
        switch (l) {
        case Layout::tuple: case Layout::list: case Layout::dict: case Layout::set:
        case Layout::generic: case Layout::method: case Layout::structseq:
        case Layout::cfunction: case Layout::slice: return true;
        default: return false;
        }
    }

    bool is_node(PyObject *o) {
        if (!o || is_static_singleton(o) || PyType_Check(o) || Py_TYPE(o) == &PyModuleDef_Type)
            return false;
        TypeInfo *ti = type_info(Py_TYPE(o));
        if (!ti)
            return false;
        Header *hd = header_of(o);
        if (hd->flags & kPinned)
            return true;
        if (ti->is_native)
            return hd->flags & kTracked;
        return holds_objects(ti->layout) && !(hd->flags & kImmortal);
    }

    uint32_t node_of(PyObject *o) {
        auto [it, fresh] = index.emplace(o, static_cast<uint32_t>(nodes.size()));
        if (fresh) {
            Header *hd = header_of(o);
            bool pinned = hd->flags & kPinned;
            bool native = type_info(Py_TYPE(o))->is_native || pinned;
            bool wrapped = pinned ? bridge::linked(o)
                                  : native && (hd->flags & kWeakWrapper) && !(hd->flags & kPendingLink) &&
                                        hd->managed;
            nodes.push_back({o, Py_REFCNT(o), 0, 0, native, wrapped, pinned});
        }
        return it->second;
    }

    void edge_to(PyObject *o) {
        if (!is_node(o))
            return;
        uint32_t j = node_of(o);
        nodes[j].refs--;
        edges.push_back(j);
    }

    static int visit(PyObject *o, void *arg) {
        static_cast<Graph *>(arg)->edge_to(o);
        return 0;
    }

    void build() {
        for (PyObject *o : g_tracked)
            node_of(o);
        for (PyObject *o : bridge::pinned_objects())
            node_of(o);
        for (uint32_t i = 0; i < nodes.size(); i++) {
            PyObject *o = nodes[i].o;
            nodes[i].first = static_cast<uint32_t>(edges.size());
            if (nodes[i].native) {
                if (traverseproc t = Py_TYPE(o)->tp_traverse)
                    t(o, visit, this);
            }
            // (A pinned proxy's C fields above, its builtin's items here.)
            if (nodes[i].native && !nodes[i].pinned) {
            } else if (type_info(Py_TYPE(o))->layout == Layout::tuple) {
                for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(o); k++)
                    edge_to(PyTuple_GET_ITEM(o, k));
            } else if (type_info(Py_TYPE(o))->layout == Layout::list) {
                auto *l = reinterpret_cast<PyListObject *>(o);
                for (Py_ssize_t k = 0; k < Py_SIZE(l); k++)
                    edge_to(l->ob_item[k]);
            } else if (type_info(Py_TYPE(o))->layout == Layout::dict ||
                       type_info(Py_TYPE(o))->layout == Layout::set) {
                dict_visit(o, visit, this);
            }
            nodes[i].count = static_cast<uint32_t>(edges.size()) - nodes[i].first;
        }
    }

    // Marks what the roots reach (a root: references from outside the nodes;
    // `wrappers_count`: a wrapper's reference is one of them).
    std::vector<char> reachable(bool wrappers_count) const {
        std::vector<char> seen(nodes.size(), 0);
        std::vector<uint32_t> stack;
        for (uint32_t i = 0; i < nodes.size(); i++) {
            Py_ssize_t outside = nodes[i].refs - (!wrappers_count && nodes[i].wrapped ? 1 : 0);
            if (outside != 0) {   // (negative: a tp_traverse that visits too much; keep it)
                seen[i] = 1;
                stack.push_back(i);
            }
        }
        while (!stack.empty()) {
            const Node &n = nodes[stack.back()];
            stack.pop_back();
            for (uint32_t e = n.first; e < n.first + n.count; e++)
                if (!seen[edges[e]]) {
                    seen[edges[e]] = 1;
                    stack.push_back(edges[e]);
                }
        }
        return seen;
    }
};

// ---------------------------------------------------------------- moving roots

// A proxy whose managed object it holds by its own handle (so, a root).
bool demotable(const Graph::Node &n) {
    Header *hd = header_of(n.o);
    return !n.native && hd->managed &&
           !(hd->flags & (kBorrowedHandle | kWeakWrapper | kDemoted | kImmortal));
}

struct Moved {
    std::vector<PyObject *> proxies;   // demoted (one reference each, ours)
    std::vector<PyObject *> natives;   // whose wrapper holds cells (one reference each, ours)
    std::vector<PyObject *> loosened;  // pinned proxies made loose (one reference each, ours)
    std::vector<PyObject *> holders;   // pinned proxies whose managed object holds (ours too)
};

// The managed object of a pinned proxy (owned), loose or not; null if it died.
Handle pinned_object(PyObject *o) {
    Header *hd = header_of(o);
    return (hd->flags & kLoose) ? bridge::live_referent(hd->managed) : host::dup(hd->managed);
}

// The proxies that only wrapper-held native objects keep give their roots to
// those wrappers: each such proxy gets a cell, which holds its managed object,
// and keeps a weakref to it; the wrappers and cells hold what C's edges lead
// to (below). Pinned proxies are both: such a one lets go of its managed
// object (bridge::loosen), which stands for it as its wrapper does for a
// native object; and that object holds, as a wrapper does, what the proxy
// reaches (a hidden slot of its class, _support.hybrid_hold).
bool move_roots(const Graph &g, Moved &m) {
    std::vector<char> rooted = g.reachable(false);
    std::vector<uint32_t> slot(g.nodes.size(), UINT32_MAX);   // position in m.proxies
    std::vector<Handle> objects;
    for (uint32_t i = 0; i < g.nodes.size(); i++) {
        PyObject *o = g.nodes[i].o;
        if (rooted[i])
            continue;
        if (demotable(g.nodes[i])) {
            slot[i] = static_cast<uint32_t>(m.proxies.size());
            m.proxies.push_back(o);
            objects.push_back(header_of(o)->managed);
        } else if (g.nodes[i].pinned && g.nodes[i].wrapped &&
                   !(header_of(o)->flags & (kLoose | kPendingLink))) {
            m.loosened.push_back(Py_NewRef(o));   // (its managed object is its "wrapper" below)
        }
    }
    if (m.proxies.empty() && m.loosened.empty())
        return true;
    Handle cells, refs;
    bool ok = true;
    if (!m.proxies.empty()) {
        Handle t = host::tuple_from(objects.data(), objects.size());
        Handle made = t ? host::call_helper(Helper::cells_for, {t}) : Handle{};
        host::close(t);
        cells = made ? host::getitem_i(made, 0) : Handle{};
        refs = made ? host::getitem_i(made, 1) : Handle{};
        host::close(made);
        ok = cells && refs;
    }
    // What each holder reaches, mirrored on the host: a wrapper-held native
    // object's wrapper (or a pinned proxy's managed object) and a demoted
    // proxy's cell hold the host objects of the holders the node reaches
    // first (through nodes that are not rooted and have none: walked
    // through). The host's collection then finds which cells live. (Holding
    // the cell of every proxy reached, transitively, was N x M: lxml's
    // elements all reach their parser's events, 0.7-1.4 s per collection.)
    std::vector<uint32_t> stamp(g.nodes.size(), UINT32_MAX), stack;
    std::vector<Handle> wrapper(g.nodes.size());   // (owned; None when dead)
    auto wrapper_of = [&](uint32_t k) {
        if (!wrapper[k]) {
            PyObject *o = g.nodes[k].o;
            wrapper[k] = g.nodes[k].pinned ? pinned_object(o) : bridge::referent(header_of(o)->managed);
            if (!wrapper[k]) {
                host::err_clear();
                wrapper[k] = host::dup(host::borrowed(host::Builtin::None));
            }
        }
        return wrapper[k];
    };
    auto holds_itself = [&](uint32_t k) {
        return g.nodes[k].wrapped && !host::is(wrapper_of(k), host::borrowed(host::Builtin::None));
    };
    auto frontier = [&](uint32_t i) {
        std::vector<Handle> held;
        stack.assign(1, i);
        stamp[i] = i;
        while (!stack.empty()) {
            const Graph::Node &n = g.nodes[stack.back()];
            stack.pop_back();
            for (uint32_t e = n.first; e < n.first + n.count; e++) {
                uint32_t j = g.edges[e];
                if (rooted[j] || stamp[j] == i)
                    continue;
                stamp[j] = i;
                if (holds_itself(j))
                    held.push_back(host::dup(wrapper[j]));
                else if (slot[j] != UINT32_MAX)
                    held.push_back(host::getitem_i(cells, slot[j]));
                else
                    stack.push_back(j);
            }
        }
        return held;
    };
    auto tuple_of = [](std::vector<Handle> &held) {
        Handle t = host::tuple_from(held.data(), held.size());
        for (Handle h : held)
            host::close(h);
        return t;
    };
    std::vector<Handle> cell_held(m.proxies.size());   // (owned; null: nothing)
    for (uint32_t i = 0; ok && i < g.nodes.size(); i++) {
        if (rooted[i])
            continue;
        if (slot[i] != UINT32_MAX) {
            std::vector<Handle> held = frontier(i);
            if (!held.empty())
                ok = static_cast<bool>(cell_held[slot[i]] = tuple_of(held));
            continue;
        }
        if (!holds_itself(i))
            continue;
        std::vector<Handle> held = frontier(i);
        if (held.empty())
            continue;
        PyObject *o = g.nodes[i].o;
        Handle w = wrapper[i];
        Handle tuple = tuple_of(held);
        if (tuple) {
            if (g.nodes[i].pinned) {
                Handle r = host::call_helper(Helper::hybrid_hold, {w, tuple});
                ok = static_cast<bool>(r);
                host::close(r);
                m.holders.push_back(Py_NewRef(o));
            } else {
                host::native_hold(w, tuple);
                m.natives.push_back(Py_NewRef(o));
            }
        }
        ok = ok && tuple;
        host::close(tuple);
    }
    if (ok && !m.proxies.empty()) {
        for (Handle &h : cell_held)
            if (!h)
                h = host::dup(host::borrowed(host::Builtin::None));
        Handle t = host::tuple_from(cell_held.data(), cell_held.size());
        Handle r = t ? host::call_helper(Helper::cells_hold, {cells, t}) : Handle{};
        ok = static_cast<bool>(r);
        host::close(r);
        host::close(t);
    }
    for (Handle h : cell_held)
        host::close(h);
    for (Handle h : wrapper)
        host::close(h);
    if (ok) {
        for (size_t k = 0; k < m.proxies.size(); k++) {
            Header *hd = header_of(m.proxies[k]);
            Py_INCREF(m.proxies[k]);
            host::close(hd->managed);
            hd->managed = host::getitem_i(refs, k);
            hd->flags |= kDemoted;
        }
        for (PyObject *o : m.loosened)
            bridge::loosen(o);
    } else {
        m.proxies.clear();
        for (PyObject *o : m.loosened)
            Py_DECREF(o);
        m.loosened.clear();
    }
    host::close(cells);
    host::close(refs);
    return ok;
}

// After the host's collection: the proxies whose cell survived hold their
// managed object again; the others lost it with the cycle it was in (they
// are C's own objects now, and are collected below with it).
void restore_roots(Moved &m) {
    std::vector<Handle> refs;
    std::vector<PyObject *> still;
    for (PyObject *p : m.proxies)
        if (header_of(p)->flags & kDemoted) {   // (handle_of may have restored it)
            still.push_back(p);
            refs.push_back(header_of(p)->managed);
        }
    Handle t = host::tuple_from(refs.data(), refs.size());
    Handle objects = t ? host::call_helper(Helper::cells_objects, {t}) : Handle{};
    host::close(t);
    if (!objects) {
        // (no memory on the host) The proxies stay demoted, each taking its
        // root back when C next uses it, and the wrappers keep the cells.
        host::err_clear();
        for (PyObject *n : m.natives)
            Py_DECREF(n);
        for (PyObject *p : m.proxies)
            Py_DECREF(p);
        return;
    }
    for (size_t k = 0; k < still.size(); k++) {
        Header *hd = header_of(still[k]);
        Handle o = host::getitem_i(objects, k);
        host::close(hd->managed);
        hd->flags &= ~kDemoted;
        if (o && !host::is(o, host::borrowed(host::Builtin::None))) {
            hd->managed = o;
        } else {
            host::close(o);
            hd->managed = {};
            bridge::identity_forget(still[k]);   // its id() may be reused by now
        }
    }
    host::close(objects);
    host::err_clear();
    for (PyObject *n : m.natives) {
        Header *hd = header_of(n);
        Handle w = (hd->flags & kWeakWrapper) && hd->managed ? bridge::live_referent(hd->managed) : Handle{};
        if (w)
            host::native_hold(w, {});
        host::close(w);
    }
    host::err_clear();
    for (PyObject *n : m.natives)
        Py_DECREF(n);
    for (PyObject *p : m.proxies)
        Py_DECREF(p);
}

// The pinned proxies' side: their managed objects hold nothing any more, and
// the loosened ones C holds (besides the collection's own reference and
// their managed object's) hold their managed objects again.
void restore_pinned(Moved &m) {
    for (PyObject *o : m.holders) {
        if (bridge::linked(o))
            if (Handle w = pinned_object(o)) {
                Handle r = host::call_helper(Helper::hybrid_hold, {w, host::borrowed(host::Builtin::None)});
                host::close(r);
                host::close(w);
            }
        host::err_clear();
    }
    for (PyObject *o : m.loosened) {
        if (Py_REFCNT(o) > 2 && (header_of(o)->flags & kLoose) && bridge::linked(o))
            bridge::loose_handle(o);
        PyErr_Clear();
    }
    for (PyObject *o : m.holders)
        Py_DECREF(o);
    for (PyObject *o : m.loosened)
        Py_DECREF(o);
}

// ---------------------------------------------------------------- C-side garbage

// Nodes no reference from outside reaches: finalized, then cleared, as
// CPython's collector does (PEP 442: a finalizer may resurrect, so the graph
// is taken again after finalizers ran).
Py_ssize_t clear_garbage() {
    for (int round = 0; round < 2; round++) {
        Graph g;
        g.build();
        std::vector<char> live = g.reachable(true);
        std::vector<PyObject *> garbage;
        for (uint32_t i = 0; i < g.nodes.size(); i++)
            if (!live[i])
                garbage.push_back(Py_NewRef(g.nodes[i].o));
        if (garbage.empty())
            return 0;
        bool finalized = false;
        for (PyObject *o : garbage)
            if (Py_TYPE(o)->tp_finalize && !(header_of(o)->flags & kFinalized)) {
                PyObject_CallFinalizer(o);
                finalized = true;
            }
        if (finalized && round == 0) {
            for (PyObject *o : garbage)
                Py_DECREF(o);
            continue;
        }
        for (PyObject *o : garbage) {
            bool pinned = header_of(o)->flags & kPinned;
            if (inquiry clear = Py_TYPE(o)->tp_clear; clear && (type_info(Py_TYPE(o))->is_native || pinned))
                clear(o);
            if ((!type_info(Py_TYPE(o))->is_native || pinned) && type_info(Py_TYPE(o))->layout == Layout::list)
                list_clear_items(o);
        }
        if (PyErr_Occurred())
            PyErr_WriteUnraisable(nullptr);
        Py_ssize_t n = static_cast<Py_ssize_t>(garbage.size());
        for (PyObject *o : garbage)
            Py_DECREF(o);
        return n;
    }
    return 0;
}

} // namespace

void track(PyObject *o) {
    if (!o || PyType_Check(o) || is_static_singleton(o))
        return;   // (no header)
    Header *hd = header_of(o);
    TypeInfo *ti = type_info(Py_TYPE(o));
    if ((hd->flags & kTracked) || !ti || !ti->is_native)
        return;   // (the host's collector traces the managed containers)
    hd->identity = static_cast<int64_t>(g_tracked.size());
    hd->flags |= kTracked;
    g_tracked.push_back(o);
    if (++g_since >= std::max<Py_ssize_t>(kAutomatic, static_cast<Py_ssize_t>(g_tracked.size()) / 4) &&
        !g_due) [[unlikely]] {
        g_due = true;
        bridge::detail::exit_work = true;
    }
}

void untrack(PyObject *o) {
    if (!o || PyType_Check(o) || is_static_singleton(o))
        return;
    Header *hd = header_of(o);
    if (!(hd->flags & kTracked))
        return;
    PyObject *last = g_tracked.back();
    g_tracked[hd->identity] = last;
    header_of(last)->identity = hd->identity;
    g_tracked.pop_back();
    hd->flags &= ~kTracked;
    hd->identity = 0;
}

bool is_tracked(PyObject *o) { return header_of(o)->flags & kTracked; }

bool g_due = false;

Py_ssize_t collect() {
    g_since = 0;
    g_due = false;
    bridge::make_pending_links();   // fresh wrappers are held until then
    keep_flush();
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
    size_t loosened = bridge::pinned_sweep();
    Moved moved;
    {
        Graph g;
        g.build();
        if (!move_roots(g, moved))
            host::err_clear();
    }
    if (!moved.proxies.empty() || !moved.loosened.empty() || loosened) {
        Handle r = host::call_helper(Helper::host_collect, {});
        if (!r)
            host::err_clear();
        host::close(r);
        bridge::run_releases();   // the wrappers that died (no other C code runs)
    }
    if (!moved.proxies.empty() || !moved.natives.empty())
        restore_roots(moved);
    restore_pinned(moved);
    Py_ssize_t n = clear_garbage();
    PyErr_Restore(et, ev, tb);
    return n;
}

} // namespace ferry::cycles
