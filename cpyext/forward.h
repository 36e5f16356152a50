// Forwarding a C API call to the host: borrow the arguments' handles, make
// the host call, bring the result back. One place for the pattern so each API
// function is one line.
#pragma once
#include <tuple>
#include <utility>

#include "cpyext/internal.h"

namespace ferry {

template <size_t N, size_t... I>
auto to_tuple_impl(const host::Handle (&a)[N], std::index_sequence<I...>) {
    return std::make_tuple(a[I]...);
}
template <size_t N> auto to_tuple(const host::Handle (&a)[N]) {
    return to_tuple_impl(a, std::make_index_sequence<N>{});
}

// PyObject* result: f(handles...) returns a new Handle.
template <typename F, typename... O> PyObject *forward(F f, O *...objs) {
    host::Handle hs[] = {handle_of(objs)...};
    for (host::Handle h : hs)
        if (!h)
            return nullptr;
    return std::apply([&](auto... h) { return result(f(h...)); }, to_tuple(hs));
}

// int result (-1 on error): f(handles...) returns an int, negative on a host error.
template <typename F, typename... O> int forward_status(F f, O *...objs) {
    host::Handle hs[] = {handle_of(objs)...};
    for (host::Handle h : hs)
        if (!h)
            return -1;
    return std::apply([&](auto... h) { return status(f(h...)); }, to_tuple(hs));
}

// A str handle for a C string (owned), or null with the C error set.
host::Handle name_handle(const char *name);

} // namespace ferry
