// Memory interfaces: PyMem_* and PyObject_* blocks carry the layer's Header
// (extensions mix them with object memory), PyMem_Raw* are plain mimalloc.
// Mirrors Objects/obmalloc.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "proxies/heap.h"

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "obmalloc"

using namespace ferry;

namespace {

constexpr size_t kMax = static_cast<size_t>(PY_SSIZE_T_MAX);

// Zero bytes still get a unique block, as CPython's allocators promise.
inline size_t at_least_one(size_t n) { return n ? n : 1; }

// nelem * elsize, or false when it exceeds PY_SSIZE_T_MAX.
inline bool array_size(size_t nelem, size_t elsize, size_t *out) {
    if (elsize != 0 && nelem > kMax / elsize)
        return false;
    *out = nelem * elsize;
    return true;
}

void *layer_malloc(size_t size) {
    if (size > kMax)
        return nullptr;
    return alloc_block(at_least_one(size));
}

void *layer_calloc(size_t nelem, size_t elsize) {
    size_t size = 0;
    if (!array_size(nelem, elsize, &size))
        return nullptr;
    return alloc_block(at_least_one(size));   // alloc_block zeroes
}

void *layer_realloc(void *p, size_t size) {
    if (size > kMax)
        return nullptr;
    return realloc_block(p, at_least_one(size));
}

} // namespace

void *PyMem_RawMalloc(size_t size) {
    FERRY_API;
    if (size > kMax)
        return nullptr;
    return heap::malloc(at_least_one(size));
}

void *PyMem_RawCalloc(size_t nelem, size_t elsize) {
    FERRY_API;
    size_t size = 0;
    if (!array_size(nelem, elsize, &size))
        return nullptr;
    if (size == 0)
        nelem = elsize = 1;
    return heap::calloc(nelem, elsize);
}

void *PyMem_RawRealloc(void *ptr, size_t new_size) {
    FERRY_API;
    if (new_size > kMax)
        return nullptr;
    return heap::realloc(ptr, at_least_one(new_size));
}

void PyMem_RawFree(void *ptr) { FERRY_API; heap::free(ptr); }

void *PyMem_Malloc(size_t size) { FERRY_API; return layer_malloc(size); }
void *PyMem_Calloc(size_t nelem, size_t elsize) { FERRY_API; return layer_calloc(nelem, elsize); }
void *PyMem_Realloc(void *ptr, size_t new_size) { FERRY_API; return layer_realloc(ptr, new_size); }
void PyMem_Free(void *ptr) { FERRY_API; free_block(ptr); }

void *PyObject_Malloc(size_t size) { FERRY_API; return layer_malloc(size); }
void *PyObject_Calloc(size_t nelem, size_t elsize) { FERRY_API; return layer_calloc(nelem, elsize); }
void *PyObject_Realloc(void *ptr, size_t new_size) { FERRY_API; return layer_realloc(ptr, new_size); }
void PyObject_Free(void *ptr) { FERRY_API; free_block(ptr); }
