// The C API of tracemalloc (Modules/_tracemalloc.c). The host (PyPy 7.3.11)
// has no tracemalloc, so nothing is ever traced: both functions answer -2,
// CPython's "tracemalloc is not tracing: do nothing".
#define PY_SSIZE_T_CLEAN
extern "C" {   // tracemalloc.h, unlike CPython's other headers, has no extern "C" of its own
#include <Python.h>
}

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "tracemalloc"

int PyTraceMalloc_Track(unsigned int, uintptr_t, size_t) {
    FERRY_API;
    return -2;
}

int PyTraceMalloc_Untrack(unsigned int, uintptr_t) {
    FERRY_API;
    return -2;
}
