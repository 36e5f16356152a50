// PyImport_*: the host's import system. Mirrors Python/import.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/forward.h"

using namespace ferry;
using host::Handle;
using host::Helper;

PyObject *PyImport_ImportModule(const char *name) {
    Handle n = name_handle(name);
    if (!n)
        return nullptr;
    PyObject *r = result(host::call_helper(Helper::import_module, {n}));
    host::close(n);
    return r;
}

PyObject *PyImport_Import(PyObject *name) {
    return forward([](Handle n) { return host::call_helper(Helper::import_module, {n}); }, name);
}

PyObject *PyImport_ImportModuleNoBlock(const char *name) { return PyImport_ImportModule(name); }

PyObject *PyImport_ImportModuleLevelObject(PyObject *name, PyObject *globals, PyObject *locals,
                                           PyObject *fromlist, PyObject *level_obj_unused) {
    (void)level_obj_unused;
    PyObject *builtins = PyImport_ImportModule("builtins");
    PyObject *r = builtins ? PyObject_CallMethod(builtins, "__import__", "OOOO", name,
                                                 globals ? globals : Py_None,
                                                 locals ? locals : Py_None,
                                                 fromlist ? fromlist : Py_None)
                           : nullptr;
    Py_XDECREF(builtins);
    return r;
}

PyObject *PyImport_ImportModuleLevel(const char *name, PyObject *globals, PyObject *locals,
                                     PyObject *fromlist, int level) {
    PyObject *n = PyUnicode_FromString(name);
    if (!n)
        return nullptr;
    PyObject *builtins = PyImport_ImportModule("builtins");
    PyObject *r = builtins ? PyObject_CallMethod(builtins, "__import__", "OOOOi", n,
                                                 globals ? globals : Py_None,
                                                 locals ? locals : Py_None,
                                                 fromlist ? fromlist : Py_None, level)
                           : nullptr;
    Py_XDECREF(builtins);
    Py_DECREF(n);
    return r;
}

PyObject *PyImport_GetModuleDict() {
    static PyObject *modules = nullptr;   // held: returned borrowed
    if (!modules) {
        PyObject *sys = PyImport_ImportModule("sys");
        modules = sys ? PyObject_GetAttrString(sys, "modules") : nullptr;
        Py_XDECREF(sys);
    }
    return modules;
}

PyObject *PyImport_GetModule(PyObject *name) {
    PyObject *modules = PyImport_GetModuleDict();
    if (!modules)
        return nullptr;
    PyObject *m = PyDict_GetItemWithError(modules, name);
    return Py_XNewRef(m);
}

PyObject *PyImport_AddModule(const char *name) {
    PyObject *n = PyUnicode_FromString(name);
    PyObject *m = n ? PyImport_GetModule(n) : nullptr;
    if (!m && n && !PyErr_Occurred()) {
        m = PyModule_New(name);
        if (m && PyDict_SetItem(PyImport_GetModuleDict(), n, m) < 0)
            Py_CLEAR(m);
    }
    Py_XDECREF(n);
    if (m)
        Py_DECREF(m);   // borrowed: sys.modules holds it
    return m;
}
