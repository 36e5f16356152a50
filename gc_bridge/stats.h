// Translation-cost statistics (FERRY_STATS=1, or `pypy3 -m ferry run --stats`):
// what crossing the boundary cost, per extension module and per C API family.
//
// Everything is behind one flag read at start-up; when it is off each probe is
// a load and a not-taken branch. The counters are plain (the host runs C under
// its GIL); python/ferry/_stats.py turns report() into a table or JSON.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "proxies/proxy.h"

namespace ferry::stats {

extern bool enabled;

void set_enabled(bool on);

// Probes. Call them only under `if (stats::enabled) [[unlikely]]`.
void materialized(Layout layout, size_t bytes);   // a proxy made for a managed object
void managed_copy(Layout layout, size_t bytes);   // a managed object made from C contents
void identity_hit();                              // a managed object that had its proxy
void host_call();                                 // a call into the host
void list_sync(size_t items);                     // C's macro writes copied to the host

// A call from the host into an extension (module function, method or slot).
class Entry {
public:
    explicit Entry(const char *module) : module_(enabled ? module : nullptr) {
        if (module_) [[unlikely]]
            begin();
    }
    ~Entry() {
        if (module_) [[unlikely]]
            end();
    }
    Entry(const Entry &) = delete;
    Entry &operator=(const Entry &) = delete;

private:
    void begin();
    void end();
    const char *module_;
    uint64_t start_;
    uint64_t api_before_;
};

// A C API function: counted per family and per function; its time (host
// calls included) is the layer's, the rest of an entry's time is the
// extension's own.
class Api {
public:
    Api(const char *family, const char *function)
        : family_(enabled ? family : nullptr), function_(function) {
        if (family_) [[unlikely]]
            begin();
    }
    ~Api() {
        if (family_) [[unlikely]]
            end();
    }
    Api(const Api &) = delete;
    Api &operator=(const Api &) = delete;

private:
    void begin();
    void end();
    const char *family_;
    const char *function_;
    uint64_t start_ = 0;
};

// The module a PyMethodDef was published under (for Entry attribution).
void note_function_module(const void *def, const char *module);
const char *function_module(const void *def);

// All counters as JSON.
std::string report();

} // namespace ferry::stats

// One line at the top of each exported C API function.
#define FERRY_API ::ferry::stats::Api ferry_api_scope_(FERRY_FAMILY, __func__)
