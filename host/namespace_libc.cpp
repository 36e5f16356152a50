// Thread functions of the layer's namespace forwarded to the host's libc.
//
// The layer lives in a link namespace of its own (host/bootstrap.c) with its
// own copy of libc, and extensions (and mimalloc) are loaded into it. Both
// copies of libc share the threads' control blocks but not their tables:
//  * pthread keys: each copy numbers its keys from 0 and both store values in
//    the same per-thread slots. mimalloc's key (namespace copy) overwrote the
//    slot of PyPy's key (host copy) whose destructor unlinks a thread's
//    RPython thread-locals; PyPy then crashed on a later thread.
//  * threads created by the namespace copy do not run the host's key
//    destructors at exit, and their reused stacks free dynamic TLS (allocated
//    by the dynamic linker with the host's malloc) with mimalloc's free.
// The layer exports these functions; in its namespace they bind before libc's
// and forward to the host's libc, so there is one key table and every thread
// belongs to the host's libc.
#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "host.h"

namespace {

void *host_libc_symbol(const char *name) {
    static void *base = [] {
        void *b = dlmopen(LM_ID_BASE, nullptr, RTLD_LAZY | RTLD_NOLOAD);
        return b ? b : dlmopen(LM_ID_BASE, nullptr, RTLD_LAZY);
    }();
    void *f = base ? dlsym(base, name) : nullptr;
    if (!f) {
        std::fprintf(stderr, "ferry: fatal: %s: the host's libc cannot be reached from the "
                             "layer's namespace\n", name);
        std::abort();
    }
    return f;
}

template <typename F> F host_fn(const char *name) {
    return reinterpret_cast<F>(host_libc_symbol(name));
}

} // namespace

// The host's malloc gives back the top of its heap once more than
// M_TRIM_THRESHOLD is free there, and glibc moves that threshold (and
// M_MMAP_THRESHOLD) up only when a block it had mmap'ed is freed. PyPy frees
// the large objects a call returns (brotli's 144 KB result: a host bytes the
// layer makes) in bursts at minor collections, which shrinks the heap; the
// next call grows it again and takes a page fault for every page it touches
// (a page fault is a few microseconds in a virtual machine): brotli.decompress
// of 144 KB cost 130-530 us here, against 64 us with fixed thresholds
// (CPython: 56 us). The values are a fraction of what glibc's own dynamic
// thresholds reach (32 MB and 64 MB). A user who sets malloc's tunables
// keeps them.
void ferry::host::tune_host_malloc() {
    const char *tunables = std::getenv("GLIBC_TUNABLES");
    if ((tunables && std::strstr(tunables, "glibc.malloc.")) || std::getenv("MALLOC_TRIM_THRESHOLD_") ||
        std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TOP_PAD_"))
        return;
    using F = int (*)(int, int);
    static F host_mallopt = host_fn<F>("mallopt");
    host_mallopt(M_MMAP_THRESHOLD, 4 << 20);
    host_mallopt(M_TRIM_THRESHOLD, 16 << 20);
}

#define FERRY_EXPORT extern "C" __attribute__((visibility("default")))

FERRY_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                                void *(*start)(void *), void *arg) {
    using F = int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    static F f = host_fn<F>("pthread_create");
    return f(thread, attr, start, arg);
}

FERRY_EXPORT int pthread_join(pthread_t thread, void **ret) {
    using F = int (*)(pthread_t, void **);
    static F f = host_fn<F>("pthread_join");
    return f(thread, ret);
}

FERRY_EXPORT int pthread_detach(pthread_t thread) {
    using F = int (*)(pthread_t);
    static F f = host_fn<F>("pthread_detach");
    return f(thread);
}

FERRY_EXPORT int pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
    using F = int (*)(pthread_key_t *, void (*)(void *));
    static F f = host_fn<F>("pthread_key_create");
    return f(key, destructor);
}

FERRY_EXPORT int pthread_key_delete(pthread_key_t key) {
    using F = int (*)(pthread_key_t);
    static F f = host_fn<F>("pthread_key_delete");
    return f(key);
}

FERRY_EXPORT void *pthread_getspecific(pthread_key_t key) {
    using F = void *(*)(pthread_key_t);
    static F f = host_fn<F>("pthread_getspecific");
    return f(key);
}

FERRY_EXPORT int pthread_setspecific(pthread_key_t key, const void *value) {
    using F = int (*)(pthread_key_t, const void *);
    static F f = host_fn<F>("pthread_setspecific");
    return f(key, value);
}

// Thread attributes come from the host's libc too: it alone knows the threads'
// stacks (the facade's stack guard asks), and attributes it fills must be
// freed by it.
FERRY_EXPORT int pthread_getattr_np(pthread_t thread, pthread_attr_t *attr) {
    using F = int (*)(pthread_t, pthread_attr_t *);
    static F f = host_fn<F>("pthread_getattr_np");
    return f(thread, attr);
}

FERRY_EXPORT int pthread_attr_init(pthread_attr_t *attr) {
    using F = int (*)(pthread_attr_t *);
    static F f = host_fn<F>("pthread_attr_init");
    return f(attr);
}

FERRY_EXPORT int pthread_attr_destroy(pthread_attr_t *attr) {
    using F = int (*)(pthread_attr_t *);
    static F f = host_fn<F>("pthread_attr_destroy");
    return f(attr);
}

FERRY_EXPORT int pthread_attr_getstack(const pthread_attr_t *attr, void **addr, size_t *size) {
    using F = int (*)(const pthread_attr_t *, void **, size_t *);
    static F f = host_fn<F>("pthread_attr_getstack");
    return f(attr, addr, size);
}
