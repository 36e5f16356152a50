// Identity map, entry scopes and deferred releases (see bridge.h).
#include "gc_bridge/bridge.h"

#include <unordered_map>
#include <vector>

#include "cpyext/internal.h"

namespace ferry::bridge {
namespace {

std::unordered_map<int64_t, PyObject *> g_identity;
std::vector<host::Handle> g_scope_handles;
int g_depth = 0;

} // namespace

PyObject *identity_lookup(int64_t id) {
    auto it = g_identity.find(id);
    return it == g_identity.end() ? nullptr : it->second;
}

void identity_register(PyObject *o, int64_t id) {
    Header *h = header_of(o);
    h->identity = id;
    h->flags |= kRegistered;
    g_identity[id] = o;
}

void identity_forget(PyObject *o) {
    Header *h = header_of(o);
    if (!(h->flags & kRegistered))
        return;
    auto it = g_identity.find(h->identity);
    if (it != g_identity.end() && it->second == o)
        g_identity.erase(it);
    h->flags &= ~kRegistered;
}

int64_t host_id(host::Handle h) {
    host::Handle args = host::tuple_from(&h, 1);
    host::Handle r = args ? host::call(host::borrowed(host::Builtin::id), args, {}) : host::Handle{};
    host::close(args);
    if (!r) {
        move_host_error_to_c();
        return 0;
    }
    bool overflow = false;
    int64_t v = host::long_as(r, &overflow);
    host::close(r);
    return v;
}

EntryScope::EntryScope() { g_depth++; }

EntryScope::~EntryScope() {
    if (--g_depth == 0) {
        for (host::Handle h : g_scope_handles)
            host::close(h);
        g_scope_handles.clear();
    }
}

void keep_until_exit(host::Handle h) { g_scope_handles.push_back(h); }

} // namespace ferry::bridge
