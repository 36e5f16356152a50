// mimalloc, reached privately. Debian's libmimalloc.so also exports malloc
// and free: linked into the layer it would become the malloc of every
// extension in the layer's namespace (brotli's large tables then went back to
// the kernel on every call: 5x slower). So it is opened with RTLD_LOCAL and
// only its mi_* functions are used, by the layer's own allocations.
#pragma once
#include <cstddef>

namespace ferry::heap {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;   // blocks come from the sanitizer and go back to it
#else
constexpr bool kSanitized = false;
#endif

void *zalloc_aligned(size_t size, size_t alignment);
void *realloc_aligned(void *p, size_t size, size_t alignment);
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

} // namespace ferry::heap
