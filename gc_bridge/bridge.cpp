// Identity map, entry scopes and deferred releases (see bridge.h).
#include "gc_bridge/bridge.h"

#include <cstring>
#include <unordered_map>
#include <vector>

#include "cpyext/internal.h"
#include "gc_bridge/debug.h"

namespace ferry::bridge {
namespace {

std::unordered_map<int64_t, PyObject *> g_identity;
std::unordered_map<uint64_t, PyObject *> g_float_identity;   // by bits: PyPy's float identity
std::unordered_multimap<int64_t, PyObject *> g_hash_identity;  // by host hash
std::vector<host::Handle> g_scope_handles;

} // namespace

PyObject *identity_lookup(int64_t id) {
    auto it = g_identity.find(id);
    return it == g_identity.end() ? nullptr : it->second;
}

void identity_register(PyObject *o, int64_t id) {
    // The first proxy keeps the entry: on PyPy distinct C objects can reach
    // one managed identity (one-character and empty strs, floats compare by value).
    if (!g_identity.emplace(id, o).second)
        return;
    Header *h = header_of(o);
    h->identity = id;
    h->flags |= kRegistered;
}

PyObject *float_identity_lookup(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    auto it = g_float_identity.find(bits);
    return it == g_float_identity.end() ? nullptr : it->second;
}

void float_identity_register(PyObject *o, double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    if (!g_float_identity.emplace(bits, o).second)
        return;
    Header *h = header_of(o);
    h->identity = static_cast<int64_t>(bits);
    h->flags |= kRegistered | kFloatIdentity;
}

PyObject *hash_identity_lookup(host::Handle h, int64_t hash) {
    auto [first, last] = g_hash_identity.equal_range(hash);
    for (auto it = first; it != last; ++it)
        if (host::is(header_of(it->second)->managed, h))
            return it->second;
    return nullptr;
}

void hash_identity_register(PyObject *o, int64_t hash) {
    // The first proxy keeps the entry: on PyPy equal one-character and empty
    // strs are one object (`is`), whatever C made of them.
    if (hash_identity_lookup(header_of(o)->managed, hash))
        return;
    g_hash_identity.emplace(hash, o);
    Header *h = header_of(o);
    h->identity = hash;
    h->flags |= kRegistered | kHashIdentity;
}

void identity_forget(PyObject *o) {
    Header *h = header_of(o);
    if (!(h->flags & kRegistered))
        return;
    if (h->flags & kHashIdentity) {
        auto [first, last] = g_hash_identity.equal_range(h->identity);
        for (auto it = first; it != last; ++it)
            if (it->second == o) {
                g_hash_identity.erase(it);
                break;
            }
    } else if (h->flags & kFloatIdentity) {
        auto it = g_float_identity.find(static_cast<uint64_t>(h->identity));
        if (it != g_float_identity.end() && it->second == o)
            g_float_identity.erase(it);
    } else {
        auto it = g_identity.find(h->identity);
        if (it != g_identity.end() && it->second == o)
            g_identity.erase(it);
    }
    h->flags &= ~(kRegistered | kFloatIdentity | kHashIdentity);
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
    return overflow ? 0 : v;   // PyPy's ids of value objects (complex, ...) can exceed 64 bits
}

namespace detail {
int entry_depth = 0;
bool exit_work = false;

void outermost_exit() {
    dict_slots_flush();   // C's writes to instance-dict slots reach the host
    for (host::Handle h : g_scope_handles)
        host::close(h);
    g_scope_handles.clear();
    exit_work = debug::stress;   // stress mode: every outermost exit
    if (debug::stress) [[unlikely]]
        debug::stress_point();
}
} // namespace detail

void keep_until_exit(host::Handle h) {
    g_scope_handles.push_back(h);
    detail::exit_work = true;
}

} // namespace ferry::bridge
