// Context variables (Python/context.c), through the host's contextvars
// module: a ContextVar C makes is the host's, and get/set act on the host's
// current context, which Python code shares.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "context"

namespace {

// contextvars.ContextVar (borrowed; the layer keeps one reference).
PyObject *contextvar_type() {
    static PyObject *type = nullptr;
    if (!type)
        type = ferry::import_attr("contextvars", "ContextVar");
    return type;
}

// CPython's ENSURE_ContextVar: an exact ContextVar.
bool is_contextvar(PyObject *o) {
    PyObject *type = contextvar_type();
    if (!type)
        return false;
    if (reinterpret_cast<PyObject *>(Py_TYPE(o)) != type) {
        PyErr_SetString(PyExc_TypeError, "an instance of ContextVar was expected");
        return false;
    }
    return true;
}

// ContextVar.get and ContextVar.set of the host, called with the variable
// as their first argument: no bound method is made and met in C at each call
// (numpy reads its error state from a ContextVar at every operation, which
// cost 5 us of a scalar multiplication).
ferry::host::Handle contextvar_method(const char *name, ferry::host::Handle &slot) {
    if (!slot) {
        ferry::host::Handle t = ferry::handle_of(contextvar_type());
        slot = t ? ferry::host::getattr_s(t, name) : ferry::host::Handle{};
        if (!slot)
            ferry::move_host_error_to_c();
    }
    return slot;
}

} // namespace

PyObject *PyContextVar_New(const char *name, PyObject *def) {
    FERRY_API;
    PyObject *type = contextvar_type();
    if (!type)
        return nullptr;
    PyObject *args = Py_BuildValue("(s)", name);
    if (!args)
        return nullptr;
    PyObject *kw = nullptr;
    if (def && !(kw = Py_BuildValue("{sO}", "default", def))) {
        Py_DECREF(args);
        return nullptr;
    }
    PyObject *var = PyObject_Call(type, args, kw);
    Py_DECREF(args);
    Py_XDECREF(kw);
    return var;
}

// 0 with *val a new reference: the variable's value in the current context,
// else def, else the variable's default, else NULL (no error). -1 with an
// error set and *val NULL.
int PyContextVar_Get(PyObject *var, PyObject *def, PyObject **val) {
    FERRY_API;
    if (!is_contextvar(var))
        return -1;   // (*val untouched, as CPython leaves it)
    *val = nullptr;
    static ferry::host::Handle get_slot;
    ferry::host::Handle get = contextvar_method("get", get_slot);
    ferry::host::Handle v = get ? ferry::handle_of(var) : ferry::host::Handle{};
    ferry::host::Handle d = v && def ? ferry::handle_of(def) : ferry::host::Handle{};
    if (!v || (def && !d))
        return -1;
    PyObject *r = ferry::from_host_steal(def ? ferry::host::call_with(get, {v, d})
                                             : ferry::host::call_with(get, {v}));   // def NULL: no argument
    if (!r) {
        if (def || !PyErr_ExceptionMatches(PyExc_LookupError))
            return -1;
        PyErr_Clear();   // not set and no default anywhere
        return 0;
    }
    *val = r;
    return 0;
}

PyObject *PyContextVar_Set(PyObject *var, PyObject *value) {
    FERRY_API;
    if (!is_contextvar(var))
        return nullptr;
    static ferry::host::Handle set_slot;
    ferry::host::Handle set = contextvar_method("set", set_slot);
    ferry::host::Handle v = set ? ferry::handle_of(var) : ferry::host::Handle{};
    ferry::host::Handle x = v ? ferry::handle_of(value) : ferry::host::Handle{};
    if (!x)
        return nullptr;
    return ferry::from_host_steal(ferry::host::call_with(set, {v, x}));
}
