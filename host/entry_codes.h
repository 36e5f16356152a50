/* The calls the host bootstrap forwards to the layer: one row each, shared by
 * host/bootstrap.c (which defines a module function per row) and the layer's
 * dispatcher (host/entry.cpp). Arguments are positional; see entry.cpp. */
#ifndef FERRY_ENTRY_CODES_H
#define FERRY_ENTRY_CODES_H

#define FERRY_ENTRY_CODES(X)      \
    X(init, 0)                    \
    X(load, 1)                    \
    X(call_function, 2)           \
    X(call_method, 3)             \
    X(call_slot, 4)               \
    X(release, 5)                 \
    X(stats, 6)                   \
    X(direct, 7)                  \
    X(debug, 8)                   \
    X(collect, 9)

#endif
