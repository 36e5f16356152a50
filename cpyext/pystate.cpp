// Thread states and the GIL. Mirrors Python/pystate.c and the GIL part of
// Python/ceval_gil.c (CPython 3.11).
//
// One PyThreadState (3.11 layout) per OS thread, holding that thread's error
// indicator, exc_info and dict. The host (PyPy) runs Python under its own GIL;
// the layer tracks, per thread, whether the thread holds it:
//
//  * A thread the host runs Python on reaches C code only through a host call,
//    so it holds the GIL; its state is made on its first use of the C API and
//    carries gilstate_counter 1, like a tstate CPython's threading made.
//  * PyEval_SaveThread / PyEval_RestoreThread release and retake the GIL with
//    the host's HPy_LeavePythonExecution / HPy_ReenterPythonExecution.
//  * A thread the host has never seen (created in C) must call
//    PyGILState_Ensure first. HPy 0.0.4 cannot attach such a thread: PyPy's
//    HPy_ReenterPythonExecution only takes the GIL, and the thread has no
//    execution context, so running Python on it crashes. PyPy's own
//    PyGILState_Ensure (its cpyext, same process) does both: it takes the GIL
//    and enters the thread into the interpreter. The layer calls it for that
//    first Ensure and calls PyPy's PyGILState_Release when the matching
//    Release drops the thread's counter to zero, where CPython deletes the
//    thread state. Between the two the thread is an ordinary host thread, so
//    HPy calls (and Leave/Reenter) work on it.
//
// The host-specific part (attaching a thread, whether it holds the GIL) is
// host/threads.cpp; without it a thread the host does not know cannot be
// attached, which is a fatal error naming the function, never a crash.
// Threads made by extensions must also be the host libc's threads:
// host/namespace_libc.cpp forwards the pthread functions of the layer's
// namespace to it.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include "cpyext/internal.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "pystate"

namespace {

[[noreturn]] void fatal(const char *func, const char *message) {
    std::string m = std::string(func) + ": " + message;
    ferry::host::fatal(m.c_str());
}

// --- Per-thread records --------------------------------------------------

struct ThreadRecord {
    PyThreadState ts{};
    void *host_state = nullptr;   // from leave_python, while released
    bool holds_gil = false;
    bool attached = false;        // the layer entered this thread into the host
    int host_gilstate = 0;        // what the host's Ensure returned
    ferry::HandledSeen handled[ferry::bridge::detail::kDepthSlots];   // (errors.cpp)
};

std::atomic<uint64_t> g_next_id{1};

// PyInterpreterState is opaque to extensions (its layout is internal); they
// only pass ts->interp back to PyInterpreterState_* functions. The host is one
// interpreter, CPython's main one, whose id is 0.
struct MainInterpreter {
    int64_t id = 0;
} g_main_interpreter_storage;
PyInterpreterState &g_main_interpreter =
    *reinterpret_cast<PyInterpreterState *>(&g_main_interpreter_storage);

void init_record(ThreadRecord *r) {
    PyThreadState &ts = r->ts;
    ts = PyThreadState{};
    ts._initialized = 1;
    ts.recursion_limit = 1000;
    ts.recursion_remaining = 1000;
    ts.cframe = &ts.root_cframe;
    ts.exc_info = &ts.exc_state;
    ts.thread_id = static_cast<unsigned long>(pthread_self());
    ts.native_thread_id = static_cast<unsigned long>(syscall(SYS_gettid));
    ts.id = g_next_id.fetch_add(1, std::memory_order_relaxed);
    ts.interp = &g_main_interpreter;
    r->host_state = nullptr;
    r->holds_gil = false;
    r->attached = false;
    r->host_gilstate = 0;
}

// PyThreadState_Clear: drops what the state owns. Needs the GIL.
void clear_record(ThreadRecord *r) {
    PyThreadState &ts = r->ts;
    Py_CLEAR(ts.dict);
    Py_CLEAR(ts.curexc_type);
    Py_CLEAR(ts.curexc_value);
    Py_CLEAR(ts.curexc_traceback);
    Py_CLEAR(ts.exc_state.exc_value);
    ts.exc_info = &ts.exc_state;
    for (ferry::HandledSeen &h : r->handled)
        Py_CLEAR(h.value);
}

// The calling thread's record. initial-exec TLS: read in two instructions (the
// error indicator is read on every call), and never allocated. That matters:
// the layer's namespace has its own libc, which creates the threads of the
// extensions; dynamic TLS of the layer is allocated by the dynamic linker with
// the host's malloc but freed by that libc (with mimalloc's free) when it
// reuses a dead thread's stack, which crashes.
__attribute__((tls_model("initial-exec"))) thread_local ThreadRecord *t_record = nullptr;

inline ThreadRecord *this_record() { return t_record; }

// A record for the calling thread, which has none. Records of host threads
// are not freed when the thread exits: the layer cannot run code at the exit
// of a thread (thread-exit hooks of its namespace's libc do not run for the
// host's threads).
std::atomic<int> g_records{0};   // made and not dropped

ThreadRecord *new_record() {
    g_records.fetch_add(1, std::memory_order_relaxed);
    ThreadRecord *r = new ThreadRecord;
    init_record(r);
    t_record = r;
    ferry::debug::root_range(r, sizeof *r);
    return r;
}

void drop_record(ThreadRecord *r) {
    g_records.fetch_sub(1, std::memory_order_relaxed);
    t_record = nullptr;
    ferry::debug::root_range_gone(r);
    delete r;
}

// The record of a thread that uses the C API without having called
// PyGILState_Ensure: a host thread inside a host call, which holds the GIL.
// A thread the host does not know gets a fatal error, not a crash.
ThreadRecord *record_for_host_thread(const char *func) {
    if (ThreadRecord *r = this_record())
        return r;
    if (ferry::host::thread_holds_gil() == 0)
        fatal(func, "the function must be called with the GIL held, but this thread "
                    "does not hold it (a thread created outside Python must call "
                    "PyGILState_Ensure first)");
    // CPython always has a GIL; PyPy makes its GIL only when a second thread
    // starts, and aborts if a thread it does not know asks for it before.
    // Make it on the first host thread that uses the C API (it holds the GIL).
    static bool threads_ready = false;
    if (!threads_ready) {
        threads_ready = true;
        ferry::host::threads_init();
    }
    ThreadRecord *r = new_record();
    r->holds_gil = true;
    r->ts.gilstate_counter = 1;   // owned by the host, like a threading tstate
    return r;
}

ThreadRecord *record_of(PyThreadState *ts) {
    return reinterpret_cast<ThreadRecord *>(reinterpret_cast<char *>(ts) -
                                            offsetof(ThreadRecord, ts));
}

} // namespace

namespace ferry {
bool several_threads() { return g_records.load(std::memory_order_relaxed) > 1; }

PyThreadState *current_tstate() {
    if (ThreadRecord *r = t_record) [[likely]]
        return &r->ts;
    return &record_for_host_thread("the C API")->ts;
}

HandledSeen *handled_seen_all() { return record_of(current_tstate())->handled; }
HandledSeen *handled_seen() {
    int depth = bridge::detail::entry_depth;
    return depth < bridge::detail::kDepthSlots ? &handled_seen_all()[depth] : nullptr;
}
} // namespace ferry

// --- Thread state accessors ----------------------------------------------

// The calling thread's state when it holds the GIL, else NULL (CPython's
// current thread state is NULL in a thread that does not hold it).
PyThreadState *_PyThreadState_UncheckedGet() {
    FERRY_API;
    ThreadRecord *r = this_record();
    if (!r) {
        if (ferry::host::thread_holds_gil() == 0)
            return nullptr;
        r = record_for_host_thread("_PyThreadState_UncheckedGet");
    }
    return r->holds_gil ? &r->ts : nullptr;
}

PyThreadState *PyThreadState_Get() {
    FERRY_API;
    PyThreadState *ts = _PyThreadState_UncheckedGet();
    if (!ts)
        fatal("PyThreadState_Get", "the function must be called with the GIL held, but the "
                                   "GIL is released (the current Python thread state is NULL)");
    return ts;
}

// The calling thread's own state, current or not; NULL for a thread that has
// none (one the host does not know, before PyGILState_Ensure).
PyThreadState *PyGILState_GetThisThreadState() {
    FERRY_API;
    ThreadRecord *r = this_record();
    if (!r) {
        if (ferry::host::thread_holds_gil() == 0)
            return nullptr;
        r = record_for_host_thread("PyGILState_GetThisThreadState");
    }
    return &r->ts;
}

int PyGILState_Check() {
    FERRY_API;
    ThreadRecord *r = this_record();
    if (r)
        return r->holds_gil;
    int held = ferry::host::thread_holds_gil();
    if (held < 0)
        return 1;   // CPython answers 1 when it cannot tell
    return held;
}

int64_t PyInterpreterState_GetID(PyInterpreterState *interp) {
    FERRY_API;
    if (!interp) {
        PyErr_SetString(PyExc_RuntimeError, "no interpreter provided");
        return -1;
    }
    return reinterpret_cast<MainInterpreter *>(interp)->id;
}

// The host is one interpreter, the main one: every thread state's interp.
PyInterpreterState *PyInterpreterState_Main() {
    FERRY_API;
    return &g_main_interpreter;
}

// A new reference to the thread's current Python frame, or NULL (no error)
// when it runs none. A thread's frames are the host's (ceval.cpp).
PyFrameObject *PyThreadState_GetFrame(PyThreadState *tstate) {
    FERRY_API;
    bool calling = record_of(tstate) == this_record();
    return reinterpret_cast<PyFrameObject *>(ferry::thread_frame(tstate->thread_id, calling));
}

PyObject *PyThreadState_GetDict() {
    FERRY_API;
    PyThreadState *ts = _PyThreadState_UncheckedGet();
    if (!ts)
        return nullptr;
    if (!ts->dict) {
        ts->dict = PyDict_New();
        if (!ts->dict)
            PyErr_Clear();   // CPython: NULL without an exception set
    }
    return ts->dict;
}

// --- The GIL -------------------------------------------------------------

PyThreadState *PyEval_SaveThread() {
    FERRY_API;
    ThreadRecord *r = record_for_host_thread("PyEval_SaveThread");
    if (!r->holds_gil)
        fatal("PyEval_SaveThread", "the function must be called with the GIL held, but the "
                                   "GIL is released (the current Python thread state is NULL)");
    r->holds_gil = false;
    r->host_state = ferry::host::leave_python();
    return &r->ts;
}

void PyEval_RestoreThread(PyThreadState *ts) {
    FERRY_API;
    if (!ts)
        fatal("PyEval_RestoreThread", "the function must be called with a non-NULL thread state");
    ThreadRecord *r = this_record();
    if (r != record_of(ts))
        fatal("PyEval_RestoreThread", "the thread state is not the calling thread's (ferry "
                                      "cannot move a thread state to another OS thread)");
    if (r->holds_gil)
        fatal("PyEval_RestoreThread", "this thread already holds the GIL (non-NULL old "
                                      "thread state)");
    ferry::host::reenter_python(r->host_state);
    r->host_state = nullptr;
    r->holds_gil = true;
}

PyGILState_STATE PyGILState_Ensure() {
    FERRY_API;
    ThreadRecord *r = this_record();
    if (!r) {
        int held = ferry::host::thread_holds_gil();
        if (held < 0)
            fatal("PyGILState_Ensure", ("cannot tell whether this thread is known to the "
                                        "host: " + std::string(ferry::host::threads_unsupported_reason())).c_str());
        if (held) {
            r = record_for_host_thread("PyGILState_Ensure");
        } else {
            // A thread the host does not run Python on (created in C, or one
            // that left Python through another API): the host enters it into
            // its interpreter and gives it the GIL.
            int host_state = ferry::host::thread_attach();
            r = new_record();
            r->holds_gil = true;
            r->attached = true;
            r->host_gilstate = host_state;
            r->ts.gilstate_counter = 1;
            return PyGILState_UNLOCKED;
        }
    }
    bool current = r->holds_gil;
    if (!current)
        PyEval_RestoreThread(&r->ts);
    ++r->ts.gilstate_counter;
    return current ? PyGILState_LOCKED : PyGILState_UNLOCKED;
}

void PyGILState_Release(PyGILState_STATE oldstate) {
    FERRY_API;
    ThreadRecord *r = this_record();
    if (!r)
        fatal("PyGILState_Release", "auto-releasing thread-state, but no thread-state for "
                                    "this thread");
    if (!r->holds_gil)
        fatal("PyGILState_Release", "the thread state must be current when releasing");
    if (--r->ts.gilstate_counter < 0)
        fatal("PyGILState_Release", "more releases than ensures in this thread");
    if (r->ts.gilstate_counter == 0) {
        // CPython deletes the thread state here. A state the layer attached
        // is cleared (with the GIL) and the thread leaves the host; a host
        // thread's state (counter 1 from its creation) gets here only through
        // unbalanced calls.
        if (!r->attached)
            fatal("PyGILState_Release", "the thread state of a Python thread was released "
                                        "more often than ensured");
        clear_record(r);
        int host_state = r->host_gilstate;
        drop_record(r);
        ferry::host::thread_detach(host_state);
        return;
    }
    if (oldstate == PyGILState_UNLOCKED)
        PyEval_SaveThread();
}
