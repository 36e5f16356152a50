// Threads created outside the host, entered into it and left again (see
// host.h). HPy 0.0.4's ReenterPythonExecution only takes the GIL: it gives a
// new thread no execution context. PyPy's own cpyext has the functions that
// do (PyPyGILState_Ensure/Release), found in the host's namespace.
#include <dlfcn.h>

#include <string>

#include "host/host.h"

namespace ferry::host {
namespace {

struct HostThreads {
    int (*ensure)() = nullptr;        // PyPyGILState_Ensure: 0 LOCKED, 1 UNLOCKED
    void (*release)(int) = nullptr;   // PyPyGILState_Release
    int (*check)() = nullptr;         // PyPyGILState_Check: does this thread hold the GIL
    void (*init_threads)() = nullptr; // PyPyEval_InitThreads: PyPy makes its GIL lazily
    std::string missing;              // why not, when a function is null
};

HostThreads resolve() {
    HostThreads h;
    // The main program's global scope in the host's (base) namespace.
    void *base = dlmopen(LM_ID_BASE, nullptr, RTLD_LAZY | RTLD_NOLOAD);
    if (!base)
        base = dlmopen(LM_ID_BASE, nullptr, RTLD_LAZY);
    if (!base) {
        const char *e = dlerror();
        h.missing = std::string("cannot open the host's namespace: ") + (e ? e : "?");
        return h;
    }
    h.ensure = reinterpret_cast<int (*)()>(dlsym(base, "PyPyGILState_Ensure"));
    h.release = reinterpret_cast<void (*)(int)>(dlsym(base, "PyPyGILState_Release"));
    h.check = reinterpret_cast<int (*)()>(dlsym(base, "PyPyGILState_Check"));
    h.init_threads = reinterpret_cast<void (*)()>(dlsym(base, "PyPyEval_InitThreads"));
    if (!h.ensure || !h.release || !h.check || !h.init_threads) {
        h = HostThreads{};
        h.missing = "the host exports no PyPyGILState_Ensure/Release/Check/PyPyEval_InitThreads "
                    "(HPy 0.0.4 has no way to attach a new thread)";
    }
    return h;
}

const HostThreads &threads() {
    static const HostThreads h = resolve();
    return h;
}

void require(const char *what) {
    if (!threads().ensure) {
        std::string m = std::string(what) + ": " + threads().missing;
        fatal(m.c_str());
    }
}

} // namespace

int thread_holds_gil() { return threads().check ? (threads().check() != 0) : -1; }

int thread_attach() {
    require("attaching a thread created outside the interpreter");
    return threads().ensure();
}

void thread_detach(int token) {
    require("detaching a thread created outside the interpreter");
    threads().release(token);
}

void threads_init() {
    if (threads().init_threads)
        threads().init_threads();
}

const char *threads_unsupported_reason() { return threads().missing.c_str(); }

} // namespace ferry::host
