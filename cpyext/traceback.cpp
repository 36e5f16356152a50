// Traceback objects: managed (the host's traceback type, which can be made
// from a frame). Mirrors Python/traceback.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "traceback"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace {

// tb_create_raw / _PyTraceBack_FromFrame: a new entry for `frame` in front of
// tb_next. The line is the frame's f_lineno (set by Cython), else the first
// line of its code.
PyObject *traceback_from_frame(PyObject *tb_next, PyObject *frame) {
    if ((tb_next && !PyTraceBack_Check(tb_next)) || !frame || !PyFrame_Check(frame)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    auto *f = reinterpret_cast<FrameObject *>(frame);
    int line = f->f_lineno ? f->f_lineno : f->f_frame->f_code->co_firstlineno;
    PyObject *lasti = PyLong_FromLong(0);
    PyObject *lineno = lasti ? PyLong_FromLong(line) : nullptr;
    PyObject *r = nullptr;
    if (lineno) {
        Handle hn = tb_next ? handle_of(tb_next) : host::borrowed(host::Builtin::None);
        Handle hf = hn ? handle_of(frame) : Handle{};
        Handle ha = hf ? handle_of(lasti) : Handle{};
        Handle hl = ha ? handle_of(lineno) : Handle{};
        if (hl)
            r = result(host::call_helper(Helper::traceback_new, {hn, hf, ha, hl}));
    }
    Py_XDECREF(lasti);
    Py_XDECREF(lineno);
    return r;
}

// _PyErr_ChainExceptions: the error raised now gets the fetched one as its
// __context__; with no new error the fetched one is restored.
void chain_exceptions(PyObject *exc, PyObject *val, PyObject *tb) {
    if (!exc)
        return;
    if (!PyErr_Occurred()) {
        PyErr_Restore(exc, val, tb);
        return;
    }
    PyErr_NormalizeException(&exc, &val, &tb);
    if (tb)
        PyException_SetTraceback(val, tb);
    PyObject *exc2, *val2, *tb2;
    PyErr_Fetch(&exc2, &val2, &tb2);
    PyErr_NormalizeException(&exc2, &val2, &tb2);
    PyException_SetContext(val2, val);   // steals val
    PyErr_Restore(exc2, val2, tb2);
    Py_DECREF(exc);
    Py_XDECREF(tb);
}

} // namespace

int PyTraceBack_Here(PyFrameObject *frame) {
    FERRY_API;
    PyObject *exc, *val, *tb;
    PyErr_Fetch(&exc, &val, &tb);
    PyObject *newtb = traceback_from_frame(tb, reinterpret_cast<PyObject *>(frame));
    if (!newtb) {
        chain_exceptions(exc, val, tb);
        return -1;
    }
    PyErr_Restore(exc, val, newtb);
    Py_XDECREF(tb);
    return 0;
}
