// Objects an extension defines statically: their headers, kept aside (see
// header_of in proxy.h). numpy makes its builtin dtypes and its two booleans
// so; the layer wrote their headers over the data before them (another
// static object's fields) and read their flags from there.
#include <Python.h>

#include <dlfcn.h>
#include <link.h>

#include <algorithm>
#include <vector>

#include "gc_bridge/flat_map.h"
#include "proxies/proxy.h"

namespace ferry {

uintptr_t g_static_lo = 0;
uintptr_t g_static_span = 0;

namespace {

struct Range {
    uintptr_t lo, hi;
};
std::vector<Range> g_ranges;          // the extensions' writable segments
FlatMap<Header *> g_static_headers;   // by address; never freed (as the objects)

} // namespace

bool in_static_segments(const void *o) {
    auto a = reinterpret_cast<uintptr_t>(o);
    for (const Range &r : g_ranges)
        if (a >= r.lo && a < r.hi)
            return true;
    return false;
}

Header *static_header(PyObject *o) {
    if (!in_static_segments(o))   // (the heap's, between two extensions' segments)
        return reinterpret_cast<Header *>(o) - 1;
    auto [slot, added] = g_static_headers.insert(static_cast<int64_t>(reinterpret_cast<uintptr_t>(o)));
    if (added)
        *slot = new Header{};
    return *slot;
}

void note_static_segments(void *lib) {
    link_map *lm = nullptr;
    if (dlinfo(lib, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
        return;
    ElfW(Addr) base = lm->l_addr;
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t, void *data) {
            if (info->dlpi_addr != *static_cast<ElfW(Addr) *>(data))
                return 0;
            for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) &ph = info->dlpi_phdr[i];
                if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W) && ph.p_memsz)
                    g_ranges.push_back({info->dlpi_addr + ph.p_vaddr, info->dlpi_addr + ph.p_vaddr + ph.p_memsz});
            }
            return 1;
        },
        &base);
    if (g_ranges.empty())
        return;
    uintptr_t lo = g_ranges[0].lo, hi = g_ranges[0].hi;
    for (const Range &r : g_ranges) {
        lo = std::min(lo, r.lo);
        hi = std::max(hi, r.hi);
    }
    g_static_lo = lo;
    g_static_span = hi - lo;
}

} // namespace ferry
