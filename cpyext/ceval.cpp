// The interpreter-loop accessors: PyEval_EvalCode, PyEval_GetBuiltins /
// GetGlobals (of the calling Python frame) and PyEval_GetFuncName / Desc.
// Mirrors the API part of Python/ceval.c. Frames are the host's: the calling
// frame is the innermost one that is not the layer's own Python code
// (ferry._support's function wrappers).
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <unordered_set>

#include "cpyext/internal.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "ceval"

namespace {

std::unordered_set<PyObject *> g_kept;   // proxies handed out as borrowed references
std::unordered_set<std::string> g_names; // names handed out as const char *

bool is_layer_frame(PyObject *frame) {
    PyObject *globals = PyObject_GetAttrString(frame, "f_globals");
    if (!globals) {
        PyErr_Clear();
        return false;
    }
    PyObject *name = PyDict_Check(globals) ? PyDict_GetItemString(globals, "__name__") : nullptr;
    bool r = false;
    if (name && PyUnicode_Check(name)) {
        const char *s = PyUnicode_AsUTF8(name);
        r = s && (std::strcmp(s, "ferry") == 0 || std::strncmp(s, "ferry.", 6) == 0);
        if (!s)
            PyErr_Clear();
    }
    Py_DECREF(globals);
    return r;
}

// The first frame from `frame` (a new reference, consumed) outwards that is
// not the layer's own; NULL without an error when there is none.
PyObject *skip_layer_frames(PyObject *frame) {
    while (frame != Py_None && is_layer_frame(frame)) {
        PyObject *back = PyObject_GetAttrString(frame, "f_back");
        Py_DECREF(frame);
        if (!back)
            return nullptr;
        frame = back;
    }
    if (frame == Py_None) {
        Py_DECREF(frame);
        return nullptr;
    }
    return frame;
}

// The calling Python frame (new reference), or NULL without an error when
// no Python code is running.
PyObject *calling_frame() {
    PyObject *frame = ferry::call_module("sys", "_getframe", {});
    if (!frame) {
        if (PyErr_ExceptionMatches(PyExc_ValueError))
            PyErr_Clear();
        return nullptr;
    }
    return skip_layer_frames(frame);
}

PyObject *builtins_dict() {
    return ferry::import_attr("builtins", "__dict__");
}

} // namespace

namespace ferry {

// The innermost Python frame of a thread, the layer's own frames skipped
// (new reference): the calling thread's from sys._getframe, another's from
// sys._current_frames (keyed by the thread's id, which is pthread_self, as
// PyThreadState.thread_id). NULL without an error when the thread runs no
// Python code; the error indicator is left as it was.
PyObject *thread_frame(unsigned long thread_id, bool calling_thread) {
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);
    PyObject *frame = nullptr;
    if (calling_thread) {
        frame = calling_frame();
    } else if (PyObject *frames = call_module("sys", "_current_frames", {})) {
        PyObject *key = PyLong_FromUnsignedLong(thread_id);
        frame = key && PyDict_Check(frames) ? PyDict_GetItemWithError(frames, key) : nullptr;
        Py_XDECREF(key);
        frame = frame ? skip_layer_frames(Py_NewRef(frame)) : nullptr;
        Py_DECREF(frames);
    }
    PyErr_Clear();
    PyErr_Restore(et, ev, etb);
    return frame;
}

// How many of the innermost Python frames are the layer's own (0 when none
// or on error; the error indicator is left as it was).
int layer_frame_depth() {
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);
    int depth = 0;
    PyObject *frame = call_module("sys", "_getframe", {});
    while (frame && frame != Py_None && is_layer_frame(frame)) {
        depth++;
        PyObject *back = PyObject_GetAttrString(frame, "f_back");
        Py_DECREF(frame);
        frame = back;
    }
    Py_XDECREF(frame);
    PyErr_Clear();
    PyErr_Restore(et, ev, etb);
    return depth;
}

// A new reference turned into a borrowed one that stays valid: the layer
// keeps one reference to each such object.
PyObject *keep_borrowed(PyObject *o) {
    if (!o)
        return nullptr;
    try {
        if (!g_kept.insert(o).second)
            Py_DECREF(o);   // already kept
        debug::layer_holds(o);
    } catch (...) {
        Py_DECREF(o);
        PyErr_NoMemory();
        return nullptr;
    }
    return o;
}

} // namespace ferry

PyObject *PyEval_GetBuiltins() {
    FERRY_API;
    PyObject *frame = calling_frame();
    if (!frame && PyErr_Occurred())
        return nullptr;
    PyObject *r = nullptr;
    if (frame) {
        r = PyObject_GetAttrString(frame, "f_builtins");
        Py_DECREF(frame);
        if (!r) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError))
                return nullptr;
            PyErr_Clear();
        }
    }
    if (r && PyModule_Check(r)) {
        PyObject *d = PyObject_GetAttrString(r, "__dict__");
        Py_DECREF(r);
        r = d;
        if (!r)
            return nullptr;
    }
    if (!r)
        r = builtins_dict();
    return ferry::keep_borrowed(r);
}

PyObject *PyEval_GetGlobals() {
    FERRY_API;
    PyObject *frame = calling_frame();
    if (!frame)
        return nullptr;
    PyObject *r = PyObject_GetAttrString(frame, "f_globals");
    Py_DECREF(frame);
    return ferry::keep_borrowed(r);
}

PyObject *PyEval_EvalCode(PyObject *co, PyObject *globals, PyObject *locals) {
    FERRY_API;
    if (!locals)
        locals = globals;
    if (!globals || !PyDict_Check(globals)) {
        PyErr_SetString(PyExc_SystemError, "bad argument to internal function");
        return nullptr;
    }
    // CPython runs the code without touching globals; the host's eval() adds
    // __builtins__ when missing, which is taken back afterwards.
    PyObject *key = PyUnicode_FromString("__builtins__");
    if (!key)
        return nullptr;
    int present = PyDict_Contains(globals, key);
    if (present < 0) {
        Py_DECREF(key);
        return nullptr;
    }
    PyObject *builtins = PyImport_ImportModule("builtins");
    PyObject *r = builtins ? PyObject_CallMethod(builtins, "eval", "OOO", co, globals, locals)
                           : nullptr;
    if (builtins && !present) {
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        PyObject *added = PyDict_GetItemWithError(globals, key);
        if (added && added == builtins && PyDict_DelItem(globals, key) < 0)
            PyErr_Clear();
        if (!added)
            PyErr_Clear();
        PyErr_Restore(t, v, tb);
    }
    Py_XDECREF(builtins);
    Py_DECREF(key);
    return r;
}

const char *PyEval_GetFuncName(PyObject *func) {
    FERRY_API;
    if (PyMethod_Check(func)) {
        PyObject *f = PyObject_GetAttrString(func, "__func__");
        if (!f) {
            PyErr_Clear();
            return Py_TYPE(func)->tp_name;
        }
        const char *r = PyEval_GetFuncName(f);
        Py_DECREF(f);
        return r;
    }
    if (PyFunction_Check(func)) {
        PyObject *name = PyObject_GetAttrString(func, "__name__");
        const char *s = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : nullptr;
        const char *r = nullptr;
        if (s) {
            try {
                r = g_names.insert(s).first->c_str();
            } catch (...) {
                PyErr_NoMemory();
            }
        }
        Py_XDECREF(name);
        return r;
    }
    if (PyCFunction_Check(func) && reinterpret_cast<PyCFunctionObject *>(func)->m_ml)
        return reinterpret_cast<PyCFunctionObject *>(func)->m_ml->ml_name;
    return Py_TYPE(func)->tp_name;
}

const char *PyEval_GetFuncDesc(PyObject *func) {
    FERRY_API;
    if (PyMethod_Check(func) || PyFunction_Check(func) || PyCFunction_Check(func))
        return "()";
    return " object";
}
