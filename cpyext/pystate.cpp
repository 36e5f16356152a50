// The thread state (3.11 layout, holding the error indicator) and the GIL,
// mapped to the host's LeavePythonExecution/ReenterPythonExecution. Mirrors
// Python/pystate.c and the GIL part of Python/ceval.c. One thread state: the
// host (PyPy) runs Python under its own GIL.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"

namespace {
PyThreadState g_tstate;
void *g_saved_host_state = nullptr;
int g_released = 0;
} // namespace

namespace ferry {
PyThreadState *current_tstate() {
    if (!g_tstate.exc_info)
        g_tstate.exc_info = &g_tstate.exc_state;
    return &g_tstate;
}
} // namespace ferry

PyThreadState *PyThreadState_Get() { return ferry::current_tstate(); }
PyThreadState *_PyThreadState_UncheckedGet() { return ferry::current_tstate(); }
PyThreadState *PyGILState_GetThisThreadState() { return ferry::current_tstate(); }

PyThreadState *PyEval_SaveThread() {
    PyThreadState *ts = ferry::current_tstate();
    if (g_released++ == 0)
        g_saved_host_state = ferry::host::leave_python();
    return ts;
}

void PyEval_RestoreThread(PyThreadState *) {
    if (--g_released == 0)
        ferry::host::reenter_python(g_saved_host_state);
}

PyGILState_STATE PyGILState_Ensure() {
    if (g_released > 0) {
        PyEval_RestoreThread(nullptr);
        return PyGILState_UNLOCKED;
    }
    return PyGILState_LOCKED;
}

void PyGILState_Release(PyGILState_STATE state) {
    if (state == PyGILState_UNLOCKED)
        PyEval_SaveThread();
}

int PyGILState_Check() { return g_released == 0; }

// The per-thread dict of PyThreadState_GetDict: made on first use, kept by
// the layer for the life of the thread (borrowed by callers).
namespace {
thread_local PyObject *t_dict = nullptr;
}

PyObject *PyThreadState_GetDict() {
    if (!t_dict) {
        t_dict = PyDict_New();
        if (!t_dict) {
            PyErr_Clear();   // CPython: NULL without an exception set
            return nullptr;
        }
    }
    return t_dict;
}
