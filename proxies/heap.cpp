// mimalloc opened privately (see heap.h).
#include "proxies/heap.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace ferry::heap {
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

} // namespace ferry::heap
