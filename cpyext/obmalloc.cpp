// Memory interfaces: every block carries the layer's Header, since extensions
// make objects in any of them (numpy's iterators: PyMem_RawMalloc, then
// PyObject_Init). PyMem_Raw* may run without the GIL: their blocks come
// straight from mimalloc (thread-safe), not through the layer's free list.
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

// A Raw block, zeroed (size_class 0: free_block gives it back to mimalloc).
void *raw_alloc(size_t size) {
    auto *h = static_cast<Header *>(heap::zalloc_aligned(sizeof(Header) + at_least_one(size), 16));
    return h ? h + 1 : nullptr;
}

} // namespace

void *PyMem_RawMalloc(size_t size) {
    FERRY_API;
    return size > kMax ? nullptr : raw_alloc(size);
}

void *PyMem_RawCalloc(size_t nelem, size_t elsize) {
    FERRY_API;
    size_t size = 0;
    return array_size(nelem, elsize, &size) ? raw_alloc(size) : nullptr;
}

void *PyMem_RawRealloc(void *ptr, size_t new_size) {
    FERRY_API;
    if (new_size > kMax)
        return nullptr;
    if (!ptr)
        return raw_alloc(new_size);
    auto *h = static_cast<Header *>(
        heap::realloc_aligned(static_cast<Header *>(ptr) - 1, sizeof(Header) + at_least_one(new_size), 16));
    return h ? h + 1 : nullptr;
}

// A block an object lived in has the layer's records to drop (with the GIL,
// in its dealloc); a plain buffer goes straight back.
void PyMem_RawFree(void *ptr) {
    FERRY_API;
    if (!ptr)
        return;
    Header *h = static_cast<Header *>(ptr) - 1;
    if (h->flags || h->managed)
        free_block(ptr);
    else
        heap::free(h);
}

void *PyMem_Malloc(size_t size) { FERRY_API; return layer_malloc(size); }
void *PyMem_Calloc(size_t nelem, size_t elsize) { FERRY_API; return layer_calloc(nelem, elsize); }
void *PyMem_Realloc(void *ptr, size_t new_size) { FERRY_API; return layer_realloc(ptr, new_size); }
void PyMem_Free(void *ptr) { FERRY_API; free_block(ptr); }

void *PyObject_Malloc(size_t size) { FERRY_API; return layer_malloc(size); }
void *PyObject_Calloc(size_t nelem, size_t elsize) { FERRY_API; return layer_calloc(nelem, elsize); }
void *PyObject_Realloc(void *ptr, size_t new_size) { FERRY_API; return layer_realloc(ptr, new_size); }
void PyObject_Free(void *ptr) { FERRY_API; free_block(ptr); }
