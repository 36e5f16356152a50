// Memory that C allocates outside the host's heap, and the host's collector.
//
// A native object dies when the host collects its wrapper. Many own memory
// of their own (brotli's Compressor: 10 MB of encoder state from malloc; an
// image's pixels), which the host's collector does not see: it runs by the
// growth of its own heap, so that memory piled up (10^3 brotli.compress
// calls: 500 MB resident, where CPython, which frees at the last decref,
// stays at 14 MB; and each call paid for 10 MB of fresh pages).
//
// So the layer interposes malloc & co. in its namespace (the layer is the
// first object there, as for the thread functions of namespace_libc.cpp),
// forwards them to that namespace's libc, and counts the bytes of the large
// blocks that live, with its own large blocks (PyMem_Malloc & co.:
// materialize.cpp). Each time they grew by kStep, the end of the outermost
// call makes the waiting release links and relieves the host
// (_support.relieve_memory): a step of its collector (a minor collection and
// a slice of a major one), the young release links swept (the wrappers that
// died young free their objects), and the growth told
// (__pypy__.add_memory_pressure), which brings its next major collection
// forward for the old ones. The step alone kept about 100 of
// 3000 dropped 1 MB objects alive, 500 with a 64 KB nursery (whose slices are
// small); both together keep about 20 either way, and brotli.compress takes
// 2.1-2.3 ms a call (CPython: 0.9). Small blocks are not counted: they would
// cost a counter update each.
#include <malloc.h>

#include <atomic>
#include <cerrno>
#include <cstdint>

#include "gc_bridge/bridge.h"

extern "C" {
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void *__libc_memalign(size_t, size_t);
void *__libc_valloc(size_t);
void *__libc_pvalloc(size_t);
void __libc_free(void *);
}

namespace ferry::bridge {
namespace {

constexpr int64_t kStep = 8 << 20;       // growth acted on

std::atomic<int64_t> g_live{0};          // bytes of counted blocks that live
int64_t g_mark = 0;                      // g_live at the last step (or lower)
std::atomic<bool> g_due{false};

void grew_large(size_t n) {
    int64_t live = g_live.fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed) + n;
    if (live - __atomic_load_n(&g_mark, __ATOMIC_RELAXED) >= kStep &&
        !g_due.exchange(true, std::memory_order_relaxed))
        __atomic_store_n(&detail::exit_work, true, __ATOMIC_RELAXED);
}

// Frees lower the mark the next step measures from.
void shrank_large(size_t n) {
    int64_t live = g_live.fetch_sub(static_cast<int64_t>(n), std::memory_order_relaxed) - n;
    if (live < __atomic_load_n(&g_mark, __ATOMIC_RELAXED))
        __atomic_store_n(&g_mark, live, __ATOMIC_RELAXED);
}

// A block of n bytes came or went; only large ones count.
inline void grew(size_t n) {
    if (n >= kExternalCounted) [[unlikely]]
        grew_large(n);
}
inline void shrank(size_t n) {
    if (n >= kExternalCounted) [[unlikely]]
        shrank_large(n);
}

inline void *counted(void *p) {
    if (p)
        grew(malloc_usable_size(p));
    return p;
}
inline void uncount(void *p) {
    if (p)
        shrank(malloc_usable_size(p));
}

} // namespace

void external_grew(size_t n) { grew(n); }
void external_shrank(size_t n) { shrank(n); }

bool pressure_due() { return g_due.load(std::memory_order_relaxed); }

void relieve_pressure() {
    g_due.store(false, std::memory_order_relaxed);
    int64_t grown = g_live.load(std::memory_order_relaxed) - __atomic_load_n(&g_mark, __ATOMIC_RELAXED);
    if (grown < kStep)
        return;   // freed meanwhile
    make_pending_links();
    host::Handle n = host::long_from(grown);
    host::Handle r = n ? host::call_helper(host::Helper::relieve_memory, {n}) : host::Handle{};
    if (!r)
        host::err_clear();   // advice only
    host::close(r);
    host::close(n);
    run_releases();
    __atomic_store_n(&g_mark, g_live.load(std::memory_order_relaxed), __ATOMIC_RELAXED);
}

} // namespace ferry::bridge

// The interposed functions. Blocks are the namespace libc's own, so a block
// allocated before (or by a path not seen here) is freed correctly; it only
// moves the count, whose low-water mark the next step starts from.
#if defined(__SANITIZE_ADDRESS__)

// Under AddressSanitizer, whose allocator must see every block (the layer's
// own blocks too: proxies/heap.cpp), its hooks count instead.
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*)(const volatile void *, size_t),
                                                          void (*)(const volatile void *));
extern "C" size_t __sanitizer_get_allocated_size(const volatile void *);

namespace {
[[gnu::constructor]] void install_counting_hooks() {
    __sanitizer_install_malloc_and_free_hooks(
        [](const volatile void *, size_t n) { ferry::bridge::grew(n); },
        [](const volatile void *p) {
            if (p)
                ferry::bridge::shrank(__sanitizer_get_allocated_size(p));
        });
}
} // namespace

#else
#define FERRY_EXPORT extern "C" __attribute__((visibility("default")))
using ferry::bridge::counted;
using ferry::bridge::uncount;

FERRY_EXPORT void *malloc(size_t n) { return counted(__libc_malloc(n)); }
FERRY_EXPORT void *calloc(size_t n, size_t size) { return counted(__libc_calloc(n, size)); }
FERRY_EXPORT void free(void *p) {
    uncount(p);
    __libc_free(p);
}
FERRY_EXPORT void *realloc(void *p, size_t n) {
    size_t before = p ? malloc_usable_size(p) : 0;
    void *q = __libc_realloc(p, n);
    if (!q && n)
        return q;   // p is untouched
    ferry::bridge::shrank(before);
    return counted(q);
}
FERRY_EXPORT void *reallocarray(void *p, size_t n, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return nullptr;
    }
    return realloc(p, total);
}
FERRY_EXPORT void *memalign(size_t alignment, size_t n) { return counted(__libc_memalign(alignment, n)); }
FERRY_EXPORT void *aligned_alloc(size_t alignment, size_t n) { return memalign(alignment, n); }
FERRY_EXPORT int posix_memalign(void **out, size_t alignment, size_t n) {
    if (alignment == 0 || alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    void *p = memalign(alignment, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}
FERRY_EXPORT void *valloc(size_t n) { return counted(__libc_valloc(n)); }
FERRY_EXPORT void *pvalloc(size_t n) { return counted(__libc_pvalloc(n)); }
#endif
