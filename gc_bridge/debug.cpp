// Debug and stress modes (see debug.h and docs/lifetime.md).
#include "gc_bridge/debug.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unwind.h>

#include <cxxabi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpyext/internal.h"
#include "gc_bridge/bridge.h"
#include "proxies/heap.h"

namespace ferry {
void drop_free_lists();   // proxies/materialize.cpp
}

namespace ferry::debug {

bool enabled = false;
bool stress = false;
PyTypeObject dead_type;
PyObject *releasing = nullptr;

namespace {

bool g_abort = false;   // FERRY_DEBUG=abort: abort after the first report
long g_reports = 0;

// ---------------------------------------------------------------- sites

// Where a block was made or freed: the outermost frames of the layer (the API
// function C called is among them: an extension's tail call leaves the layer's
// entry below it) and the first frame outside it (the caller).
struct Site {
    static constexpr int kFrames = 6;
    void *layer[kFrames] = {};   // a ring: the last kFrames layer frames seen
    int n = 0;
    void *caller = nullptr;
    void *frame(int i) const { return layer[i % kFrames]; }   // i < n
};

uintptr_t g_layer_lo = 0, g_layer_hi = 0;   // the layer's mapped range

bool in_layer(uintptr_t pc) { return pc >= g_layer_lo && pc < g_layer_hi; }

struct Walk {
    Site site;
    int frames = 0;
};

_Unwind_Reason_Code walk_frame(struct _Unwind_Context *ctx, void *arg) {
    auto *w = static_cast<Walk *>(arg);
    uintptr_t pc = _Unwind_GetIP(ctx);
    if (!pc || ++w->frames > 64)
        return _URC_END_OF_STACK;
    if (in_layer(pc)) {
        w->site.layer[w->site.n++ % Site::kFrames] = reinterpret_cast<void *>(pc);
        return _URC_NO_REASON;
    }
    if (!w->site.n)   // the unwinder's own frames, before the layer's
        return _URC_NO_REASON;
    w->site.caller = reinterpret_cast<void *>(pc);
    return _URC_END_OF_STACK;
}

Site here() {
    Walk w;
    _Unwind_Backtrace(walk_frame, &w);
    return w.site;
}

// ---------------------------------------------------------------- records

struct Record {
    size_t size = 0;
    bool object = false;
    bool held = false;     // kept by the layer for good
    bool freed = false;    // in quarantine
    bool moved = false;    // freed by a realloc that moved it
    Site made, freed_at;
    const char *type_name = nullptr;        // an object's type, when it was freed
    const char *container = nullptr;        // the container whose release freed it
    Site container_made;
};

std::unordered_map<const void *, Record> *g_records;
std::map<const void *, size_t> *g_root_ranges;   // root_range
std::deque<const void *> g_quarantine;
size_t g_quarantine_bytes = 0;
constexpr size_t kQuarantineBlocks = 16384;
constexpr size_t kQuarantineBytes = size_t(64) << 20;
constexpr unsigned char kPoison = 0xdb;

Record *record_of(const void *p) {
    auto it = g_records->find(p);
    return it == g_records->end() ? nullptr : &it->second;
}

void evict_oldest() {
    const void *p = g_quarantine.front();
    g_quarantine.pop_front();
    auto it = g_records->find(p);
    if (it != g_records->end()) {
        g_quarantine_bytes -= it->second.size;
        g_records->erase(it);
    }
    heap::free(reinterpret_cast<Header *>(const_cast<void *>(p)) - 1);
}

// ---------------------------------------------------------------- names

struct Symbol {
    uintptr_t value, size;
    std::string name;
};

// The function symbols of a file (.symtab, else .dynsym), sorted by address.
const std::vector<Symbol> &symbols_of(const char *path) {
    static std::map<std::string, std::vector<Symbol>> cache;
    auto [it, fresh] = cache.try_emplace(path);
    std::vector<Symbol> &out = it->second;
    if (!fresh)
        return out;
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return out;
    struct stat st;
    void *map = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > static_cast<off_t>(sizeof(Elf64_Ehdr)))
        map = ::mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED)
        return out;
    auto *base = static_cast<const unsigned char *>(map);
    size_t size = st.st_size;
    auto *eh = reinterpret_cast<const Elf64_Ehdr *>(base);
    auto inside = [&](uint64_t off, uint64_t len) { return len <= size && off <= size - len; };
    if (std::memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
        inside(eh->e_shoff, uint64_t(eh->e_shnum) * sizeof(Elf64_Shdr))) {
        auto *sh = reinterpret_cast<const Elf64_Shdr *>(base + eh->e_shoff);
        for (unsigned want : {unsigned(SHT_SYMTAB), unsigned(SHT_DYNSYM)}) {
            for (unsigned i = 0; i < eh->e_shnum && out.empty(); i++) {
                if (sh[i].sh_type != want || sh[i].sh_link >= eh->e_shnum)
                    continue;
                const Elf64_Shdr &strs = sh[sh[i].sh_link];
                if (!inside(sh[i].sh_offset, sh[i].sh_size) || !inside(strs.sh_offset, strs.sh_size))
                    continue;
                auto *syms = reinterpret_cast<const Elf64_Sym *>(base + sh[i].sh_offset);
                size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
                for (size_t k = 0; k < n; k++) {
                    if (ELF64_ST_TYPE(syms[k].st_info) != STT_FUNC || !syms[k].st_value ||
                        syms[k].st_name >= strs.sh_size)
                        continue;
                    const char *name = reinterpret_cast<const char *>(base + strs.sh_offset + syms[k].st_name);
                    out.push_back({syms[k].st_value, syms[k].st_size,
                                   std::string(name, strnlen(name, strs.sh_size - syms[k].st_name))});
                }
            }
            if (!out.empty())
                break;
        }
    }
    ::munmap(map, size);
    std::sort(out.begin(), out.end(), [](const Symbol &a, const Symbol &b) { return a.value < b.value; });
    return out;
}

struct Place {
    std::string symbol;   // empty when unknown
    uintptr_t offset = 0;
    std::string file;     // base name
    bool extension = false;
    bool exported = false;   // an exported function of its file (a C API function, for the layer)
};

Place place_of(void *pc) {
    Place p;
    Dl_info info;
    if (!pc || !dladdr(pc, &info) || !info.dli_fname)
        return p;
    const char *slash = std::strrchr(info.dli_fname, '/');
    p.file = slash ? slash + 1 : info.dli_fname;
    p.extension = p.file.find(".cpython-") != std::string::npos || p.file.find(".abi3.so") != std::string::npos;
    uintptr_t at = reinterpret_cast<uintptr_t>(pc) - 1 - reinterpret_cast<uintptr_t>(info.dli_fbase);
    const std::vector<Symbol> &syms = symbols_of(info.dli_fname);
    auto it = std::upper_bound(syms.begin(), syms.end(), at,
                               [](uintptr_t v, const Symbol &s) { return v < s.value; });
    if (it != syms.begin() && at < (it - 1)->value + std::max<uintptr_t>((it - 1)->size, 1)) {
        p.symbol = (it - 1)->name;
        // GCC's local aliases of exported functions (in instrumented builds) name the same code.
        if (size_t alias = p.symbol.find(".localalias"); alias != std::string::npos)
            p.symbol.resize(alias);
        p.offset = at + 1 - (it - 1)->value;
        p.exported = info.dli_sname && p.symbol == info.dli_sname;
    } else if (info.dli_sname) {
        p.symbol = info.dli_sname;
        p.offset = reinterpret_cast<uintptr_t>(pc) - reinterpret_cast<uintptr_t>(info.dli_saddr);
    } else {
        p.offset = at + 1;
    }
    return p;
}

std::string hex(uintptr_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%lx", static_cast<unsigned long>(v));
    return buf;
}

// The API function of a site: its outermost exported layer frame.
// (else the outermost one's name, demangled, without its parameters).
std::string api_of(const Site &s) {
    std::string outermost;
    for (int i = s.n - 1; i >= 0 && i >= s.n - Site::kFrames; i--) {
        Place p = place_of(s.frame(i));
        if (p.exported && p.symbol != "ferry_entry")
            return p.symbol;
        if (outermost.empty() && !p.symbol.empty()) {
            int status = 0;
            char *d = abi::__cxa_demangle(p.symbol.c_str(), nullptr, nullptr, &status);
            outermost = d && status == 0 ? d : p.symbol;
            std::free(d);
            size_t name = outermost.find("ferry::");   // after a template's return type
            if (name != std::string::npos)
                outermost.erase(0, name);
            size_t paren = outermost.find('(', outermost.find("::thunk") != std::string::npos
                                                    ? outermost.find("::thunk") : 0);
            if (paren != std::string::npos && paren > 0)
                outermost.resize(paren);
        }
    }
    return outermost;
}

std::string describe_site(const Site &s, const char *verb) {
    Place caller = place_of(s.caller);
    std::string who = api_of(s);
    if (who.empty())
        who = "the layer";
    if (!caller.extension)
        return std::string(verb) + " the layer (" + who + ") in a call from the host";
    std::string where = caller.symbol.empty() ? caller.file + "+" + hex(caller.offset)
                                              : caller.symbol + "+" + hex(caller.offset) + " (" + caller.file + ")";
    return std::string(verb) + " " + who + " from " + where;
}

std::string describe_dead(const void *p) {
    Record *r = record_of(p);
    if (!r)
        return "an object freed long ago (no record left)";
    std::string s = std::string("a '") + (r->type_name ? r->type_name : "?") + "' object " +
                    describe_site(r->made, "made by") + ", ";
    if (r->moved)
        s += "moved by a realloc (" + describe_site(r->freed_at, "by") + ")";
    else
        s += describe_site(r->freed_at, "freed by");
    if (r->container)
        s += std::string("; it was freed when the '") + r->container + "' holding it was (" +
             describe_site(r->container_made, "made by") +
             "): a borrowed reference to it outlived its owner";
    return s;
}

void report(const std::string &text) {
    g_reports++;
    std::fprintf(stderr, "ferry debug: %s\n", text.c_str());
    std::fflush(stderr);
    if (g_abort)
        std::abort();
}

// ---------------------------------------------------------------- the dead type

void dead_dealloc(PyObject *o) {
    report("Py_DECREF of a freed object (its reference count went below zero): " + describe_dead(o));
    Py_SET_REFCNT(o, 1);   // the next one reports again
}

PyObject *dead_unary(PyObject *o) {
    dead_object_error(o);
    return nullptr;
}
PyObject *dead_binary(PyObject *o, PyObject *) { return dead_unary(o); }
PyObject *dead_call(PyObject *o, PyObject *, PyObject *) { return dead_unary(o); }
PyObject *dead_compare(PyObject *o, PyObject *, int) { return dead_unary(o); }
int dead_setattr(PyObject *o, PyObject *, PyObject *) {
    dead_object_error(o);
    return -1;
}
Py_hash_t dead_hash(PyObject *o) {
    dead_object_error(o);
    return -1;
}

uintptr_t g_probe;   // an address inside the layer

int find_layer(struct dl_phdr_info *info, size_t, void *) {
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) &ph = info->dlpi_phdr[i];
        if (ph.p_type != PT_LOAD)
            continue;
        lo = std::min<uintptr_t>(lo, info->dlpi_addr + ph.p_vaddr);
        hi = std::max<uintptr_t>(hi, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
    }
    if (g_probe >= lo && g_probe < hi) {
        g_layer_lo = lo;
        g_layer_hi = hi;
        return 1;
    }
    return 0;
}

bool flag(const char *name, bool *abort_wanted) {
    const char *v = std::getenv(name);
    if (!v || !*v || std::strcmp(v, "0") == 0)
        return false;
    if (abort_wanted)
        *abort_wanted = std::strcmp(v, "abort") == 0;
    return true;
}

} // namespace

void init_from_env() {
    static bool done = false;
    if (done)
        return;
    done = true;
    enabled = flag("FERRY_DEBUG", &g_abort);
    stress = flag("FERRY_STRESS", nullptr);
    if (!enabled)
        return;
    g_records = new std::unordered_map<const void *, Record>();
    g_root_ranges = new std::map<const void *, size_t>();
    g_probe = reinterpret_cast<uintptr_t>(&init_from_env);
    dl_iterate_phdr(find_layer, nullptr);
    dead_type.ob_base.ob_base.ob_refcnt = 1 << 29;
    dead_type.ob_base.ob_base.ob_type = &PyType_Type;
    dead_type.tp_name = "ferry.freed_object";
    dead_type.tp_basicsize = sizeof(PyObject);
    dead_type.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_READY;
    dead_type.tp_dealloc = dead_dealloc;
    dead_type.tp_repr = dead_unary;
    dead_type.tp_str = dead_unary;
    dead_type.tp_iter = dead_unary;
    dead_type.tp_iternext = dead_unary;
    dead_type.tp_getattro = dead_binary;
    dead_type.tp_setattro = dead_setattr;
    dead_type.tp_call = dead_call;
    dead_type.tp_hash = dead_hash;
    dead_type.tp_richcompare = dead_compare;
}

void allocated(void *payload, size_t size) {
    Record &r = (*g_records)[payload];
    r = Record{};
    r.size = size;
    r.made = here();
}

void object_made(PyObject *o) {
    if (Record *r = record_of(o))
        r->object = true;
}

void root_range(const void *p, size_t size) {
    if (enabled)
        (*g_root_ranges)[p] = size;
}

void root_range_gone(const void *p) {
    if (enabled)
        g_root_ranges->erase(p);
}

void layer_holds(PyObject *o) {
    if (!enabled || !o)
        return;
    if (Record *r = record_of(o))
        r->held = true;
}

namespace {

// Poisons a block and keeps it for a while; `r` is its record.
void poison(void *payload, Record *r) {
    auto *o = static_cast<PyObject *>(payload);
    if (r->object)
        r->type_name = Py_TYPE(o)->tp_name;
    Header *h = header_of(o);
    h->managed = {};
    h->flags = 0;
    h->identity = 0;
    h->padding = 0;
    std::memset(payload, kPoison, r->size);
    if (r->size >= sizeof(PyObject)) {
        // Objects and plain blocks alike: a stale PyObject* into either reports.
        Py_SET_REFCNT(o, 1);
        Py_SET_TYPE(o, &dead_type);
    }
    r->freed = true;
    g_quarantine.push_back(payload);
    g_quarantine_bytes += r->size;
    while (g_quarantine.size() > kQuarantineBlocks || g_quarantine_bytes > kQuarantineBytes)
        evict_oldest();
}

} // namespace

bool quarantine(void *payload) {
    Record *r = record_of(payload);
    if (!r)
        return false;   // made before the layer was initialized
    if (r->freed) {
        report("a block freed twice: " + describe_dead(payload));
        return true;
    }
    r->freed_at = here();
    if (PyObject *c = releasing; c && c != payload) {
        if (Record *cr = record_of(c)) {
            r->container = Py_TYPE(c)->tp_name;
            r->container_made = cr->made;
        }
    }
    poison(payload, r);
    return true;
}

void *moved(void *payload, size_t size) {
    Record *r = record_of(payload);
    size_t rounded = (size + 15) & ~size_t(15);
    auto *n = static_cast<Header *>(heap::zalloc_aligned(sizeof(Header) + rounded, 16));
    if (!n)
        return nullptr;
    Header *old = static_cast<Header *>(payload) - 1;
    size_t keep = r ? std::min(r->size, rounded) : rounded;   // no record: made before init
    std::memcpy(n, old, sizeof(Header) + keep);
    n->size_class = 0;
    void *np = n + 1;
    Record &nr = (*g_records)[np];
    nr = Record{};
    nr.size = rounded;
    nr.object = r && r->object;
    nr.held = r && r->held;
    nr.made = r ? r->made : here();
    if (r) {
        r->freed_at = here();
        r->moved = true;
        r->object = false;   // its type stays the one it had
        poison(payload, r);
    } else {
        heap::free(old);
    }
    return np;
}

void dead_object_error(PyObject *o) {
    std::string api = api_of(here());
    std::string text = "use of a freed object" + (api.empty() ? std::string() : " in " + api) +
                       ": " + describe_dead(o);
    report(text);
    PyErr_SetString(PyExc_SystemError, ("ferry debug: " + text).c_str());
}

long reports() { return g_reports; }

// ---------------------------------------------------------------- leaks

namespace {

struct Scan {
    std::unordered_map<const void *, Record *> live;
    std::unordered_set<const void *> reached;
    std::vector<const void *> work;

    void reach(const void *p) {
        if (live.count(p) && reached.insert(p).second)
            work.push_back(p);
    }
    // A conservative scan reads whole segments, redzones between globals
    // included: not for the address sanitizer to check.
    [[gnu::no_sanitize_address]] void words(uintptr_t lo, uintptr_t hi) {
        lo = (lo + 7) & ~uintptr_t(7);
        for (uintptr_t a = lo; a + 8 <= hi; a += 8)
            reach(*reinterpret_cast<void *const *>(a));
    }
};

// The writable segments of every object of the layer's namespace (the
// layer's statics, the extensions' statics) are roots.
int scan_segments(struct dl_phdr_info *info, size_t, void *arg) {
    auto *scan = static_cast<Scan *>(arg);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) &ph = info->dlpi_phdr[i];
        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W))
            scan->words(info->dlpi_addr + ph.p_vaddr, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
    }
    return 0;
}

bool wrapper_alive(Header *h) {
    if (h->flags & kPendingLink)
        return true;   // held by the layer until its link is made
    host::Handle w = bridge::referent(h->managed);
    if (!w) {
        host::err_clear();
        return true;   // cannot tell: not a leak
    }
    bool alive = !host::is(w, host::borrowed(host::Builtin::None));
    host::close(w);
    return alive;
}

} // namespace

std::string leak_report(int max_lines) {
    if (!enabled)
        return {};
    Scan scan;
    for (auto &[p, r] : *g_records)
        if (!r.freed)
            scan.live.emplace(p, &r);
    dl_iterate_phdr(scan_segments, &scan);
    for (auto &[p, n] : *g_root_ranges)
        scan.words(reinterpret_cast<uintptr_t>(p), reinterpret_cast<uintptr_t>(p) + n);
    for (auto &[p, r] : scan.live) {
        if (r->held) {
            scan.reach(p);
            continue;
        }
        if (!r->object)
            continue;
        auto *o = static_cast<PyObject *>(const_cast<void *>(p));
        Header *h = header_of(o);
        // (A hybrid whose managed object lives is held by it: bridge::pin.)
        if ((h->flags & kImmortal) || PyType_Check(o) || PyModule_Check(o) ||
            ((h->flags & kWeakWrapper) && h->managed && wrapper_alive(h)) ||
            ((h->flags & kPinned) && ((h->flags & kPendingLink) || bridge::linked(o))))
            scan.reach(p);
    }
    while (!scan.work.empty()) {
        const void *p = scan.work.back();
        scan.work.pop_back();
        auto a = reinterpret_cast<uintptr_t>(p);
        scan.words(a, a + scan.live[p]->size);
        Header *h = static_cast<Header *>(const_cast<void *>(p)) - 1;
        if (h->flags & kDictSlot)   // the instance dict _PyObject_GetDictPtr handed out
            scan.reach(*dict_slot_of(static_cast<PyObject *>(const_cast<void *>(p))));
        if (h->flags & kPendingDict)   // a dict C made: its storage is the layer's memory
            dict_visit(static_cast<PyObject *>(const_cast<void *>(p)), [](PyObject *o, void *arg) {
                static_cast<Scan *>(arg)->reach(o);
                return 0;
            }, &scan);
    }
    std::map<std::string, long> sites;
    long total = 0;
    for (auto &[p, r] : scan.live) {
        if (!r->object || scan.reached.count(p))
            continue;
        auto *o = static_cast<PyObject *>(const_cast<void *>(p));
        total++;
        sites[std::string("'") + Py_TYPE(o)->tp_name + "' " + describe_site(r->made, "made by")]++;
    }
    if (!total)
        return {};
    std::vector<std::pair<long, std::string>> lines;
    for (auto &[s, n] : sites)
        lines.emplace_back(n, s);
    std::sort(lines.begin(), lines.end(), [](auto &a, auto &b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::string out = "ferry debug: " + std::to_string(total) +
                      " leaked object(s): alive at exit, referenced from nowhere the layer can see\n";
    int shown = 0;
    for (auto &[n, s] : lines) {
        if (shown++ == max_lines) {
            out += "  ... and " + std::to_string(lines.size() - max_lines) + " more sites\n";
            break;
        }
        out += "  " + std::to_string(n) + " x " + s + "\n";
    }
    return out;
}

// ---------------------------------------------------------------- stress

void stress_point() {
    static bool busy = false;
    if (busy)
        return;
    busy = true;
    drop_free_lists();
    // A collection now (a minor one at least: objects move). Not while an
    // exception is on its way to the host: putting it back would change its
    // traceback.
    if (!host::err_occurred()) {
        host::Handle r = host::call_helper(host::Helper::gc_stress, {});
        if (r)
            host::close(r);
        else
            host::err_clear();
        bridge::run_releases();
    }
    busy = false;
}

} // namespace ferry::debug
