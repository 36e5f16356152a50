// The error indicator and its crossing to and from the host. Mirrors
// Python/errors.c. The indicator lives in a PyThreadState with the 3.11 layout
// (Cython reads tstate->curexc_type directly); a host error is moved into it as
// soon as a host call fails, and moved back when the layer returns to the host.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>

#include "cpyext/internal.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "errors"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace ferry {

PyThreadState *current_tstate();

void move_host_error_to_c() {
    Handle t, v, tb;
    if (!host::err_fetch(&t, &v, &tb)) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "ferry: a host call failed without an exception");
        return;
    }
    PyObject *ct = from_host_steal(t);
    PyObject *cv = v ? from_host_steal(v) : nullptr;
    PyObject *ctb = nullptr;
    if (tb && !host::is(tb, host::borrowed(host::Builtin::None)))
        ctb = from_host(tb);
    host::close(tb);
    if (!ct) {
        Py_XDECREF(cv);
        Py_XDECREF(ctb);
        return;   // from_host has set a SystemError
    }
    PyErr_Restore(ct, cv, ctb);
}

void move_c_error_to_host() {
    bridge::make_pending_links();   // (wrappers dropped with the error die with it)
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (!t) {
        host::err_set_string(handle_of(PyExc_SystemError),
                             "error return without exception set");
        return;
    }
    Handle ht = handle_of(t);
    Handle hv = v ? handle_of(v) : host::borrowed(host::Builtin::None);
    Handle htb = tb ? handle_of(tb) : host::borrowed(host::Builtin::None);
    if (!ht || !hv || !htb) {
        // Materializing the error failed: report that failure instead.
        PyObject *t2, *v2, *tb2;
        PyErr_Fetch(&t2, &v2, &tb2);
        host::err_set_string(handle_of(PyExc_SystemError),
                             "ferry: an exception could not cross to the host");
        Py_XDECREF(t2), Py_XDECREF(v2), Py_XDECREF(tb2);
    } else {
        Handle r = host::call_helper(Helper::raise_with_traceback, {ht, hv, htb});
        host::close(r);   // always null: the helper raises
    }
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
}

PyObject *null_with_host_error() {
    move_host_error_to_c();
    return nullptr;
}

int minus_one_with_host_error() {
    move_host_error_to_c();
    return -1;
}

} // namespace ferry

void PyErr_Restore(PyObject *type, PyObject *value, PyObject *traceback) {
    FERRY_API;
    PyThreadState *ts = current_tstate();
    PyObject *ot = ts->curexc_type, *ov = ts->curexc_value, *otb = ts->curexc_traceback;
    ts->curexc_type = type;
    ts->curexc_value = value;
    ts->curexc_traceback = traceback;
    Py_XDECREF(ot);
    Py_XDECREF(ov);
    Py_XDECREF(otb);
}

void PyErr_Fetch(PyObject **type, PyObject **value, PyObject **traceback) {
    FERRY_API;
    PyThreadState *ts = current_tstate();
    *type = ts->curexc_type;
    *value = ts->curexc_value;
    *traceback = ts->curexc_traceback;
    ts->curexc_type = ts->curexc_value = ts->curexc_traceback = nullptr;
}

PyObject *PyErr_Occurred() { FERRY_API; return current_tstate()->curexc_type; }

void PyErr_Clear() { FERRY_API; PyErr_Restore(nullptr, nullptr, nullptr); }

void PyErr_SetObject(PyObject *type, PyObject *value) {
    FERRY_API;
    if (type && !PyExceptionClass_Check(type)) {
        PyErr_Format(PyExc_SystemError,
                     "_PyErr_SetObject: exception %R is not a BaseException subclass", type);
        return;
    }
    Py_XINCREF(type);
    Py_XINCREF(value);
    PyErr_Restore(type, value, nullptr);
}

void PyErr_SetNone(PyObject *type) { FERRY_API; PyErr_SetObject(type, nullptr); }

void PyErr_SetString(PyObject *type, const char *message) {
    FERRY_API;
    PyObject *v = PyUnicode_FromString(message);
    PyErr_SetObject(type, v);
    Py_XDECREF(v);
}

int PyErr_GivenExceptionMatches(PyObject *given, PyObject *exc) {
    FERRY_API;
    if (!given || !exc)
        return 0;
    if (PyTuple_Check(exc)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(exc); i++)
            if (PyErr_GivenExceptionMatches(given, PyTuple_GET_ITEM(exc, i)))
                return 1;
        return 0;
    }
    if (PyExceptionInstance_Check(given))
        given = reinterpret_cast<PyObject *>(Py_TYPE(given));
    if (PyExceptionClass_Check(given) && PyExceptionClass_Check(exc))
        return PyType_IsSubtype(reinterpret_cast<PyTypeObject *>(given),
                                reinterpret_cast<PyTypeObject *>(exc));
    return given == exc;
}

int PyErr_ExceptionMatches(PyObject *exc) {
    FERRY_API;
    return PyErr_GivenExceptionMatches(PyErr_Occurred(), exc);
}

void PyErr_NormalizeException(PyObject **type, PyObject **value, PyObject **tb) {
    FERRY_API;
    PyObject *t = *type, *v = *value;
    if (!t)
        return;
    if (!v) {
        v = Py_None;
        Py_INCREF(v);
        *value = v;
    }
    if (!PyExceptionClass_Check(t))
        return;
    if (PyExceptionInstance_Check(v) &&
        PyType_IsSubtype(Py_TYPE(v), reinterpret_cast<PyTypeObject *>(t))) {
        PyObject *actual = reinterpret_cast<PyObject *>(Py_TYPE(v));
        if (actual != t) {   // the type follows the instance
            Py_INCREF(actual);
            Py_DECREF(t);
            *type = actual;
        }
        return;
    }
    PyObject *inst = v == Py_None ? PyObject_CallNoArgs(t)
                     : PyTuple_Check(v) ? PyObject_Call(t, v, nullptr)
                                        : PyObject_CallOneArg(t, v);
    if (!inst) {
        // Normalizing failed: the new error replaces the old one, as in CPython.
        PyObject *t2, *v2, *tb2;
        PyErr_Fetch(&t2, &v2, &tb2);
        Py_DECREF(*type);
        Py_XDECREF(*value);
        Py_XDECREF(*tb);
        *type = t2;
        *value = v2;
        *tb = tb2;
        PyErr_NormalizeException(type, value, tb);
        return;
    }
    Py_DECREF(v);
    *value = inst;
    PyObject *real = reinterpret_cast<PyObject *>(Py_TYPE(inst));
    if (real != t) {
        Py_INCREF(real);
        Py_DECREF(t);
        *type = real;
    }
}

PyObject *PyErr_NoMemory() {
    FERRY_API;
    PyErr_SetNone(PyExc_MemoryError);
    return nullptr;
}

int PyErr_BadArgument() {
    FERRY_API;
    PyErr_SetString(PyExc_TypeError, "bad argument type for built-in operation");
    return 0;
}

void _PyErr_BadInternalCall(const char *filename, int lineno) {
    FERRY_API;
    PyErr_Format(PyExc_SystemError, "%s:%d: bad argument to internal function", filename, lineno);
}

void (PyErr_BadInternalCall)() {
    FERRY_API;
    PyErr_SetString(PyExc_SystemError, "bad argument to internal function");
}

PyObject *PyErr_NewException(const char *name, PyObject *base, PyObject *dict) {
    FERRY_API;
    const char *dot = std::strrchr(name, '.');
    if (!dot) {
        PyErr_SetString(PyExc_SystemError, "PyErr_NewException: name must be module.class");
        return nullptr;
    }
    Handle hb = {}, hd = {};
    if (base && !(hb = handle_of(base)))
        return nullptr;
    if (dict && !(hd = handle_of(dict)))
        return nullptr;
    return result(host::err_new_exception(name, hb, hd));
}

PyObject *PyErr_NewExceptionWithDoc(const char *name, const char *doc, PyObject *base,
                                    PyObject *dict) {
    FERRY_API;
    PyObject *cls = PyErr_NewException(name, base, dict);
    if (cls && doc) {
        PyObject *d = PyUnicode_FromString(doc);
        int r = d ? PyObject_SetAttrString(cls, "__doc__", d) : -1;
        Py_XDECREF(d);
        if (r < 0)
            Py_CLEAR(cls);
    }
    return cls;
}

int PyErr_WarnEx(PyObject *category, const char *message, Py_ssize_t stack_level) {
    FERRY_API;
    Handle hc = handle_of(category ? category : PyExc_RuntimeWarning);
    if (!hc)
        return -1;
    // Levels count Python frames from the C caller's: skip the layer's own
    // frames (the function wrappers of ferry._support) above it.
    if (stack_level > 0)
        stack_level += layer_frame_depth();
    return status(host::err_warn(hc, message, stack_level));
}

int PyErr_WarnFormat(PyObject *category, Py_ssize_t stack_level, const char *format, ...) {
    FERRY_API;
    va_list va;
    va_start(va, format);
    PyObject *msg = PyUnicode_FromFormatV(format, va);
    va_end(va);
    if (!msg)
        return -1;
    const char *s = PyUnicode_AsUTF8(msg);
    int r = s ? PyErr_WarnEx(category, s, stack_level) : -1;
    Py_DECREF(msg);
    return r;
}

// sys.unraisablehook gets the exception and the object itself, as in CPython
// (the host's own WriteUnraisable passes only the object's repr).
void PyErr_WriteUnraisable(PyObject *obj) {
    FERRY_API;
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (!t)
        return;
    PyErr_NormalizeException(&t, &v, &tb);
    PyObject *r = call_module("ferry._support", "write_unraisable", {t, v ? v : Py_None, tb ? tb : Py_None,
                                                    obj ? obj : Py_None});
    Py_XDECREF(r);
    if (!r)
        PyErr_Clear();   // nothing more can be reported
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
}

// As pythonrun.c: SystemExit ends the process; otherwise sys.last_* are set
// (when asked) and sys.excepthook reports the error.
void PyErr_PrintEx(int set_sys_last_vars) {
    FERRY_API;
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (!t)
        return;
    PyErr_NormalizeException(&t, &v, &tb);
    if (tb && v)
        PyException_SetTraceback(v, tb);
    PyObject *r = call_module("ferry._support", "print_exception", {t, v ? v : Py_None, tb ? tb : Py_None,
                                                   set_sys_last_vars ? Py_True : Py_False});
    if (!r)
        PyErr_Clear();   // the helper reported what it could
    Py_XDECREF(r);
    Py_XDECREF(t), Py_XDECREF(v), Py_XDECREF(tb);
}

void PyErr_Print() { FERRY_API; PyErr_PrintEx(1); }

PyObject *PyErr_SetFromErrnoWithFilenameObjects(PyObject *exc, PyObject *f1, PyObject *f2) {
    FERRY_API;
    int e = errno;
    PyObject *msg = PyUnicode_FromString(e ? std::strerror(e) : "Error");
    PyObject *args = !msg ? nullptr
                     : f1 ? (f2 ? Py_BuildValue("(iOOiO)", e, msg, f1, 0, f2)
                                : Py_BuildValue("(iOO)", e, msg, f1))
                          : Py_BuildValue("(iO)", e, msg);
    Py_XDECREF(msg);
    if (!args)
        return nullptr;
    PyObject *inst = PyObject_Call(exc, args, nullptr);
    Py_DECREF(args);
    if (inst) {
        PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(inst)), inst);
        Py_DECREF(inst);
    }
    return nullptr;
}

PyObject *PyErr_SetFromErrnoWithFilenameObject(PyObject *exc, PyObject *f) {
    FERRY_API;
    return PyErr_SetFromErrnoWithFilenameObjects(exc, f, nullptr);
}

PyObject *PyErr_SetFromErrno(PyObject *exc) {
    FERRY_API;
    return PyErr_SetFromErrnoWithFilenameObjects(exc, nullptr, nullptr);
}

PyObject *PyErr_SetFromErrnoWithFilename(PyObject *exc, const char *filename) {
    FERRY_API;
    int e = errno;
    PyObject *f = filename ? PyUnicode_DecodeFSDefault(filename) : nullptr;
    errno = e;
    PyObject *r = PyErr_SetFromErrnoWithFilenameObjects(exc, f, nullptr);
    Py_XDECREF(f);
    return r;
}

namespace {

// The host's handled exception as C sees it (sys.exc_info() from the calling
// frame) does not change while one call from the host runs (Python code C
// calls runs in frames of its own, gone when it returns), except through
// PyErr_SetExcInfo: it is asked once per call and depth (handled_seen). That
// matters: sys.exc_info() and setting it cost PyPy 3.5 us and more from C (it
// forces the JIT's frames), Cython saves it at every try and restores it
// (lxml's iterparse: once per event), and PyPy answers a call
// from C that follows a nested call into the layer made inside an `except`
// block with the exception that block handled.
HandledSeen *handled_current() {
    HandledSeen *seen = handled_seen();
    int depth = bridge::detail::entry_depth;
    return seen && seen->value && seen->entry == bridge::detail::serial_at_depth[depth] ? seen : nullptr;
}

bool handled_known(PyObject *value) {
    HandledSeen *seen = handled_current();
    return seen && seen->value == value;
}

bool g_handled_held = false;   // an exception is among the records (handled_forget)

void handled_remember(PyObject *value) {   // (null: not known)
    HandledSeen *seen = handled_seen();
    if (!seen)
        return;
    Py_XSETREF(seen->value, Py_XNewRef(value));
    debug::layer_holds(seen->value);
    seen->entry = bridge::detail::serial_at_depth[bridge::detail::entry_depth];
    if (value && value != Py_None) {
        g_handled_held = true;
        bridge::request_exit_work();   // (handled_forget lets it go)
    }
}

} // namespace

namespace ferry {
// At the end of the outermost call: the exceptions kept are let go.
void handled_forget() {
    if (!g_handled_held || !bridge::detail::entry_depth)
        return;
    g_handled_held = false;
    HandledSeen *all = handled_seen_all();
    for (int i = 0; i < bridge::detail::kDepthSlots; i++)
        Py_CLEAR(all[i].value);
}
} // namespace ferry

void PyErr_GetExcInfo(PyObject **t, PyObject **v, PyObject **tb) {
    FERRY_API;
    // The handled exception (see PyErr_GetHandledException); None for each
    // part when there is none, as CPython's topmost exc_info gives.
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);   // the indicator is neither read nor changed
    PyObject *val = PyErr_GetHandledException();
    PyObject *trace = val ? PyException_GetTraceback(val) : nullptr;
    PyErr_Clear();
    PyErr_Restore(et, ev, etb);
    *v = val ? val : Py_NewRef(Py_None);
    *t = Py_NewRef(val ? reinterpret_cast<PyObject *>(Py_TYPE(val)) : Py_None);
    *tb = trace ? trace : Py_NewRef(Py_None);
}

// Sets the exception the calling Python code is handling (sys.exc_info()).
// Steals the three references, as CPython does.
void PyErr_SetExcInfo(PyObject *t, PyObject *v, PyObject *tb) {
    FERRY_API;
    PyObject *now = v ? v : Py_None;
    if (!handled_known(now)) {   // (what C saw last in this call: handled_current)
        PyObject *r = call_module("ferry._support", "set_exc_info", {t ? t : Py_None, now, tb ? tb : Py_None});
        if (!r)
            PyErr_WriteUnraisable(nullptr);
        Py_XDECREF(r);
        handled_remember(r ? now : nullptr);
    }
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
}

PyObject *PyException_GetTraceback(PyObject *e) {
    FERRY_API;
    PyObject *tb = PyObject_GetAttrString(e, "__traceback__");
    if (tb == Py_None)
        Py_CLEAR(tb);
    return tb;
}

int PyException_SetTraceback(PyObject *e, PyObject *tb) {
    FERRY_API;
    return PyObject_SetAttrString(e, "__traceback__", tb ? tb : Py_None);
}

#define FERRY_EXC_LINK(Get, Set, attr)                                   \
    PyObject *Get(PyObject *e) {                                         \
        PyObject *r = PyObject_GetAttrString(e, attr);                   \
        if (r == Py_None)                                                \
            Py_CLEAR(r);                                                 \
        return r;                                                        \
    }                                                                    \
    void Set(PyObject *e, PyObject *v) {                                 \
        if (PyObject_SetAttrString(e, attr, v ? v : Py_None) < 0)        \
            PyErr_Clear();                                               \
        Py_XDECREF(v);                                                   \
    }
FERRY_EXC_LINK(PyException_GetCause, PyException_SetCause, "__cause__")
FERRY_EXC_LINK(PyException_GetContext, PyException_SetContext, "__context__")
#undef FERRY_EXC_LINK

int PyErr_CheckSignals() { FERRY_API; return 0; }

PyObject *PyErr_GetHandledException() {
    FERRY_API;
    _PyErr_StackItem *ei = current_tstate()->exc_info;
    for (; ei; ei = ei->previous_item)
        if (ei->exc_value && ei->exc_value != Py_None)
            return Py_NewRef(ei->exc_value);
    if (HandledSeen *seen = handled_current())
        return seen->value == Py_None ? nullptr : Py_NewRef(seen->value);
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);   // never sets or clears the error indicator
    PyObject *info = call_module("sys", "exc_info", {});
    PyObject *r = nullptr;
    if (info && PyTuple_Check(info) && PyTuple_GET_SIZE(info) == 3 &&
        PyTuple_GET_ITEM(info, 1) != Py_None)
        r = Py_NewRef(PyTuple_GET_ITEM(info, 1));
    if (info)
        handled_remember(r ? r : Py_None);
    Py_XDECREF(info);
    PyErr_Clear();
    PyErr_Restore(et, ev, etb);
    return r;
}

int PyErr_WarnExplicit(PyObject *category, const char *text, const char *filename_str, int lineno,
                       const char *module_str, PyObject *registry) {
    FERRY_API;
    PyObject *message = PyUnicode_FromString(text);
    PyObject *filename = message ? PyUnicode_DecodeFSDefault(filename_str) : nullptr;
    PyObject *module = nullptr;
    int ret = -1;
    if (!filename)
        goto exit;
    if (module_str) {
        module = PyUnicode_FromString(module_str);
        if (!module)
            goto exit;
    } else {
        // warnings' C implementation: the filename without a ".py" suffix.
        Py_ssize_t n = PyUnicode_GET_LENGTH(filename);
        if (n == 0) {
            module = PyUnicode_FromString("<unknown>");
        } else if (n >= 3 && PyUnicode_READ_CHAR(filename, n - 3) == '.' &&
                   PyUnicode_READ_CHAR(filename, n - 2) == 'p' &&
                   PyUnicode_READ_CHAR(filename, n - 1) == 'y') {
            module = PyUnicode_Substring(filename, 0, n - 3);
        } else {
            module = Py_NewRef(filename);
        }
        if (!module)
            goto exit;
    }
    {
        PyObject *warnings = PyImport_ImportModule("warnings");
        PyObject *r = warnings ? PyObject_CallMethod(warnings, "warn_explicit", "OOOiOO", message,
                                                     category ? category : PyExc_RuntimeWarning,
                                                     filename, lineno, module,
                                                     registry ? registry : Py_None)
                               : nullptr;
        Py_XDECREF(warnings);
        if (r) {
            Py_DECREF(r);
            ret = 0;
        }
    }
exit:
    Py_XDECREF(message);
    Py_XDECREF(module);
    Py_XDECREF(filename);
    return ret;
}

PyObject *PyErr_SetImportErrorSubclass(PyObject *exception, PyObject *msg, PyObject *name,
                                       PyObject *path) {
    FERRY_API;
    int issub = PyObject_IsSubclass(exception, PyExc_ImportError);
    if (issub < 0)
        return nullptr;
    if (!issub) {
        PyErr_SetString(PyExc_TypeError, "expected a subclass of ImportError");
        return nullptr;
    }
    if (!msg) {
        PyErr_SetString(PyExc_TypeError, "expected a message argument");
        return nullptr;
    }
    PyObject *kwargs = PyDict_New();
    if (!kwargs || PyDict_SetItemString(kwargs, "name", name ? name : Py_None) < 0 ||
        PyDict_SetItemString(kwargs, "path", path ? path : Py_None) < 0) {
        Py_XDECREF(kwargs);
        return nullptr;
    }
    PyObject *args = PyTuple_Pack(1, msg);
    PyObject *error = args ? PyObject_Call(exception, args, kwargs) : nullptr;
    Py_XDECREF(args);
    Py_DECREF(kwargs);
    if (error) {
        PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(error)), error);
        Py_DECREF(error);
    }
    return nullptr;
}

PyObject *PyErr_SetImportError(PyObject *msg, PyObject *name, PyObject *path) {
    FERRY_API;
    return PyErr_SetImportErrorSubclass(PyExc_ImportError, msg, name, path);
}

// _PyErr_FormatFromCause (Python/errors.c): raises `exception` with the
// formatted message; the error set now (normalized, its traceback attached
// to it) becomes the new one's __cause__ and __context__. CPython asserts
// that an error is set; without one this is PyErr_Format.
PyObject *_PyErr_FormatFromCause(PyObject *exception, const char *format, ...) {
    FERRY_API;
    PyObject *t, *cause, *tb;
    PyErr_Fetch(&t, &cause, &tb);
    if (t) {
        PyErr_NormalizeException(&t, &cause, &tb);
        if (tb) {
            if (PyException_SetTraceback(cause, tb) < 0)
                PyErr_Clear();
            Py_DECREF(tb);
        }
        Py_DECREF(t);
    }
    va_list vargs;
    va_start(vargs, format);
    PyErr_FormatV(exception, format, vargs);
    va_end(vargs);
    if (!cause)
        return nullptr;
    PyObject *t2, *v2, *tb2;
    PyErr_Fetch(&t2, &v2, &tb2);
    PyErr_NormalizeException(&t2, &v2, &tb2);
    Py_INCREF(cause);
    PyException_SetCause(v2, cause);     // (each steals a reference)
    PyException_SetContext(v2, cause);
    PyErr_Restore(t2, v2, tb2);
    return nullptr;
}
