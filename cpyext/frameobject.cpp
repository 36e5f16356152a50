// Frame objects with the 3.11 layout (struct _frame of internal/pycore_frame.h:
// Cython writes f_lineno directly). Mirrors Objects/frameobject.c.
//
// PyPy makes frames only by running code: a frame made by PyFrame_New is a
// native object until it crosses to the host, where its managed counterpart
// is the frame of a code object of the same file, name and first line that
// raises at once, run with the frame's globals (_support.frame_new). A frame
// of the host crossing into C gets the layout with f_lineno and f_code.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>   // PyFrame_New is not in Python.h

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "frameobject"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace {

constexpr char kOwnedByFrameObject = 2;   // FRAME_OWNED_BY_FRAME_OBJECT

FrameObject *alloc_frame(PyTypeObject *type) {
    auto *f = reinterpret_cast<FrameObject *>(alloc_object(
        type, offsetof(FrameObject, _f_frame_data) + sizeof(InterpreterFrame)));
    if (!f)
        return nullptr;
    f->f_frame = reinterpret_cast<InterpreterFrame *>(f->_f_frame_data);
    f->f_frame->frame_obj = reinterpret_cast<PyFrameObject *>(f);
    f->f_frame->owner = kOwnedByFrameObject;
    return f;
}

} // namespace

namespace ferry {

PyObject *frame_materialize(Handle h, PyTypeObject *type) {
    FrameObject *f = alloc_frame(type);
    if (!f)
        return nullptr;
    PyObject *o = reinterpret_cast<PyObject *>(f);
    Handle line = host::getattr_s(h, "f_lineno");
    bool overflow = false;
    long long n = line ? host::long_as(line, &overflow) : -1;
    host::close(line);
    if (!line || (n == -1 && host::err_occurred())) {
        free_block(o);
        return null_with_host_error();
    }
    f->f_lineno = static_cast<int>(n);
    PyObject *code = from_host_steal(host::getattr_s(h, "f_code"));
    if (!code) {
        free_block(o);
        return nullptr;
    }
    f->f_frame->f_code = reinterpret_cast<PyCodeObject *>(code);
    return o;
}

Handle frame_to_host(PyObject *o) {
    InterpreterFrame *fr = reinterpret_cast<FrameObject *>(o)->f_frame;
    Handle code = handle_of(reinterpret_cast<PyObject *>(fr->f_code));
    Handle globals = code ? handle_of(fr->f_globals) : Handle{};
    Handle locals = !globals ? Handle{}
                    : fr->f_locals ? handle_of(fr->f_locals)
                                   : host::borrowed(host::Builtin::None);
    if (!locals)
        return {};
    Handle r = host::call_helper(Helper::frame_new, {code, globals, locals});
    if (!r)
        move_host_error_to_c();
    return r;
}

void frame_release(PyObject *o) {
    auto *f = reinterpret_cast<FrameObject *>(o);
    Py_CLEAR(f->f_back);
    Py_CLEAR(f->f_trace);
    Py_CLEAR(f->f_frame->f_code);
    Py_CLEAR(f->f_frame->f_globals);
    Py_CLEAR(f->f_frame->f_builtins);
    Py_CLEAR(f->f_frame->f_locals);
}

} // namespace ferry

// CPython 3.11 makes a function object for the frame; here the frame holds
// its code, globals, builtins and locals itself.
PyFrameObject *PyFrame_New(PyThreadState *, PyCodeObject *code, PyObject *globals,
                           PyObject *locals) {
    FERRY_API;
    // _PyEval_BuiltinsFromGlobals: globals['__builtins__'] (a module's dict
    // for a module), else the current builtins.
    PyObject *key = PyUnicode_FromString("__builtins__");
    if (!key)
        return nullptr;
    PyObject *builtins = PyDict_GetItemWithError(globals, key);
    Py_DECREF(key);
    if (builtins) {
        builtins = PyModule_Check(builtins) ? PyModule_GetDict(builtins) : builtins;
        if (!builtins)
            return nullptr;
        Py_INCREF(builtins);
    } else {
        if (PyErr_Occurred())
            return nullptr;
        builtins = PyEval_GetBuiltins();
        if (!builtins)
            return nullptr;
        Py_INCREF(builtins);
    }
    FrameObject *f = alloc_frame(&PyFrame_Type);
    if (!f) {
        Py_DECREF(builtins);
        return nullptr;
    }
    f->f_frame->f_code = reinterpret_cast<PyCodeObject *>(Py_NewRef(code));
    f->f_frame->f_globals = Py_NewRef(globals);
    f->f_frame->f_builtins = builtins;
    f->f_frame->f_locals = Py_XNewRef(locals);
    return reinterpret_cast<PyFrameObject *>(f);
}
