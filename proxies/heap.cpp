// mimalloc opened privately (see heap.h); under AddressSanitizer the
// sanitizer's allocator instead, so that it sees a proxy used after it was
// freed (mimalloc's blocks are opaque to it).
#include "proxies/heap.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <malloc.h>

namespace ferry::heap {

#if defined(__SANITIZE_ADDRESS__)

void *zalloc_aligned(size_t size, size_t alignment) {
    void *p = std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
    if (p)
        std::memset(p, 0, size);
    return p;
}
void *realloc_aligned(void *p, size_t size, size_t alignment) {
    void *n = zalloc_aligned(size, alignment);
    if (n && p) {
        size_t old = malloc_usable_size(p);
        std::memcpy(n, p, old < size ? old : size);
        std::free(p);
    }
    return n;
}
void *malloc(size_t size) { return std::malloc(size); }
void *calloc(size_t count, size_t size) { return std::calloc(count, size); }
void *realloc(void *p, size_t size) { return std::realloc(p, size); }
void free(void *p) { std::free(p); }

#else

namespace {

struct Mimalloc {
    void *(*zalloc_aligned)(size_t, size_t);
    void *(*realloc_aligned)(void *, size_t, size_t);
    void *(*malloc)(size_t);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
};

template <typename F> void bind(void *lib, const char *name, F &f) {
    f = reinterpret_cast<F>(dlsym(lib, name));
    if (!f) {
        std::fprintf(stderr, "ferry: fatal: libmimalloc.so.2 lacks %s\n", name);
        std::abort();
    }
}

const Mimalloc &mi() {
    static const Mimalloc m = [] {
        Mimalloc r{};
        void *lib = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            std::fprintf(stderr, "ferry: fatal: cannot open libmimalloc.so.2: %s\n", dlerror());
            std::abort();
        }
        bind(lib, "mi_zalloc_aligned", r.zalloc_aligned);
        bind(lib, "mi_realloc_aligned", r.realloc_aligned);
        bind(lib, "mi_malloc", r.malloc);
        bind(lib, "mi_calloc", r.calloc);
        bind(lib, "mi_realloc", r.realloc);
        bind(lib, "mi_free", r.free);
        return r;
    }();
    return m;
}

} // namespace

void *zalloc_aligned(size_t size, size_t alignment) { return mi().zalloc_aligned(size, alignment); }
void *realloc_aligned(void *p, size_t size, size_t alignment) {
    return mi().realloc_aligned(p, size, alignment);
}
void *malloc(size_t size) { return mi().malloc(size); }
void *calloc(size_t count, size_t size) { return mi().calloc(count, size); }
void *realloc(void *p, size_t size) { return mi().realloc(p, size); }
void free(void *p) { mi().free(p); }

#endif

} // namespace ferry::heap
