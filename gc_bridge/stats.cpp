// Translation-cost statistics (see stats.h).
#include "gc_bridge/stats.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>

namespace ferry::stats {

bool enabled = false;

namespace {

const char *const kLayoutNames[] = {
    "generic", "int", "float", "complex", "str", "bytes", "bytearray", "tuple", "list",
    "dict", "set", "slice", "module", "builtin_function", "capsule", "moduledef", "native",
};
constexpr size_t kLayouts = sizeof kLayoutNames / sizeof kLayoutNames[0];
static_assert(kLayouts == static_cast<size_t>(Layout::native) + 1, "one name per layout");

struct PerLayout {
    uint64_t count = 0, bytes = 0;
};

struct PerModule {
    uint64_t calls = 0, total_ns = 0, api_ns = 0;
};

struct PerFamily {
    uint64_t calls = 0, ns = 0;
};

PerLayout g_materialized[kLayouts], g_managed[kLayouts];
uint64_t g_identity_hits = 0, g_host_calls = 0, g_list_syncs = 0, g_list_sync_items = 0;
std::map<std::string, PerModule> g_modules;
std::map<std::string, PerFamily> g_families;
std::unordered_map<const char *, PerFamily> g_functions;   // by __func__
std::unordered_map<const void *, const char *> g_function_modules;
uint64_t g_api_ns = 0;   // time inside outermost API calls, so far
int g_api_depth = 0;

uint64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void add(PerLayout *table, Layout layout, size_t bytes) {
    size_t i = static_cast<size_t>(layout);
    if (i < kLayouts) {
        table[i].count++;
        table[i].bytes += bytes;
    }
}

std::string quoted(const std::string &s) {
    std::string r = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            r += '\\';
        r += c;
    }
    return r + '"';
}

std::string layouts_json(const PerLayout *table) {
    std::string r = "{";
    for (size_t i = 0; i < kLayouts; i++) {
        if (!table[i].count)
            continue;
        if (r.size() > 1)
            r += ", ";
        r += quoted(kLayoutNames[i]) + ": {\"count\": " + std::to_string(table[i].count) +
             ", \"bytes\": " + std::to_string(table[i].bytes) + "}";
    }
    return r + "}";
}

} // namespace

void set_enabled(bool on) { enabled = on; }

void materialized(Layout layout, size_t bytes) { add(g_materialized, layout, bytes); }
void managed_copy(Layout layout, size_t bytes) { add(g_managed, layout, bytes); }
void identity_hit() { g_identity_hits++; }
void host_call() { g_host_calls++; }
void list_sync(size_t items) {
    g_list_syncs++;
    g_list_sync_items += items;
}

void Entry::begin() {
    start_ = now_ns();
    api_before_ = g_api_ns;
}

void Entry::end() {
    PerModule &m = g_modules[module_];
    m.calls++;
    m.total_ns += now_ns() - start_;
    m.api_ns += g_api_ns - api_before_;
}

void Api::begin() {
    if (g_api_depth++ == 0)
        start_ = now_ns();
}

void Api::end() {
    PerFamily &f = g_families[family_];
    PerFamily &fn = g_functions[function_];
    f.calls++;
    fn.calls++;
    if (--g_api_depth == 0) {
        uint64_t spent = now_ns() - start_;
        f.ns += spent;
        fn.ns += spent;
        g_api_ns += spent;
    }
}

void note_function_module(const void *def, const char *module) { g_function_modules[def] = module; }

const char *function_module(const void *def) {
    auto it = g_function_modules.find(def);
    return it == g_function_modules.end() ? "?" : it->second;
}

std::string report() {
    std::string r = "{\"materialized\": " + layouts_json(g_materialized) +
                    ", \"managed_copies\": " + layouts_json(g_managed) +
                    ", \"identity_hits\": " + std::to_string(g_identity_hits) +
                    ", \"host_calls\": " + std::to_string(g_host_calls) +
                    ", \"list_syncs\": {\"count\": " + std::to_string(g_list_syncs) +
                    ", \"items\": " + std::to_string(g_list_sync_items) + "}, \"modules\": {";
    bool first = true;
    for (auto &[name, m] : g_modules) {
        r += (first ? "" : ", ") + quoted(name) + ": {\"calls\": " + std::to_string(m.calls) +
             ", \"total_ns\": " + std::to_string(m.total_ns) + ", \"layer_ns\": " +
             std::to_string(m.api_ns) + "}";
        first = false;
    }
    r += "}, \"api_families\": {";
    first = true;
    for (auto &[name, f] : g_families) {
        r += (first ? "" : ", ") + quoted(name) + ": {\"calls\": " + std::to_string(f.calls) +
             ", \"ns\": " + std::to_string(f.ns) + "}";
        first = false;
    }
    r += "}, \"api_functions\": {";
    first = true;
    for (auto &[name, f] : std::map<std::string, PerFamily>(g_functions.begin(), g_functions.end())) {
        r += (first ? "" : ", ") + quoted(name) + ": {\"calls\": " + std::to_string(f.calls) +
             ", \"ns\": " + std::to_string(f.ns) + "}";
        first = false;
    }
    return r + "}}";
}

} // namespace ferry::stats
