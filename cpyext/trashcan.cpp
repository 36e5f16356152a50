// The trashcan of Py_TRASHCAN_BEGIN / Py_TRASHCAN_END (Include/cpython/
// object.h of 3.11; the functions are in Objects/object.c). The macros expand
// to: if _PyTrash_cond(op, dealloc) (the object's type's own tp_dealloc is
// the one running, not a base's called by a subclass), take the thread state
// and call _PyTrash_begin(tstate, op); a nonzero answer skips the body of the
// deallocator. After the body, _PyTrash_end(tstate).
//
// Deallocation in the layer is C recursion exactly as in CPython (a
// container's tp_dealloc decrefs its items, whose tp_dealloc runs at once;
// the host's GC is not involved), so the same depth counter and deferral are
// needed to keep a long chain from overflowing the stack: at nesting depth
// _PyTrash_UNWIND_LEVEL (50) the object is set aside instead, and when the
// outermost trashcan-protected deallocation ends the set-aside objects are
// deallocated by calling their tp_dealloc directly, last set aside first, with
// the depth held at 1 while doing so (so the chain is not re-entered).
//
// The counter is the thread state's own trash_delete_nesting. CPython links
// the deferred objects through their PyGC_Head; objects of the layer carry a
// Header instead, so the chain is a per-thread stack here, and
// trash_delete_later shows its top (null when empty), as in CPython.
#include <Python.h>

#include <vector>
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "trashcan"

namespace {

constexpr int kUnwindLevel = 50;   // _PyTrash_UNWIND_LEVEL

thread_local std::vector<PyObject *> t_trash;

void show_top(PyThreadState *tstate) {
    tstate->trash_delete_later = t_trash.empty() ? nullptr : t_trash.back();
}

// _PyTrash_thread_deposit_object: the object's refcount is 0; its tp_dealloc
// runs later, from destroy_chain. False when there is no memory to set it
// aside (CPython's chain cannot fail): the body then runs now, one level deeper.
bool deposit(PyThreadState *tstate, PyObject *op) {
    try {
        t_trash.push_back(op);
    } catch (...) {
        return false;
    }
    show_top(tstate);
    return true;
}

// _PyTrash_thread_destroy_chain.
void destroy_chain(PyThreadState *tstate) {
    ++tstate->trash_delete_nesting;
    while (!t_trash.empty()) {
        PyObject *op = t_trash.back();
        t_trash.pop_back();
        show_top(tstate);
        // Called directly: Py_DECREF already ran for this object.
        Py_TYPE(op)->tp_dealloc(op);
    }
    --tstate->trash_delete_nesting;
}

} // namespace

int _PyTrash_begin(PyThreadState *tstate, PyObject *op) {
    FERRY_API;
    // At the limit: set aside, and jump past Py_TRASHCAN_END (skip the body).
    if (tstate->trash_delete_nesting >= kUnwindLevel && deposit(tstate, op))
        return 1;
    ++tstate->trash_delete_nesting;
    return 0;
}

void _PyTrash_end(PyThreadState *tstate) {
    FERRY_API;
    --tstate->trash_delete_nesting;
    if (!t_trash.empty() && tstate->trash_delete_nesting <= 0)
        destroy_chain(tstate);
}

int _PyTrash_cond(PyObject *op, destructor dealloc) { FERRY_API; return Py_TYPE(op)->tp_dealloc == dealloc; }
