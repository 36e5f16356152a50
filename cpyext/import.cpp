// PyImport_*: the host's import system. Mirrors Python/import.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/forward.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "import"

using namespace ferry;
using host::Handle;
using host::Helper;

PyObject *PyImport_ImportModule(const char *name) {
    FERRY_API;
    Handle n = name_handle(name);
    if (!n)
        return nullptr;
    PyObject *r = result(host::call_helper(Helper::import_module, {n}));
    host::close(n);
    return r;
}

PyObject *PyImport_Import(PyObject *name) {
    FERRY_API;
    return forward([](Handle n) { return host::call_helper(Helper::import_module, {n}); }, name);
}

PyObject *PyImport_ImportModuleNoBlock(const char *name) { FERRY_API; return PyImport_ImportModule(name); }

namespace {

// sys.modules[name] (new reference), or NULL without an error when absent.
PyObject *get_module(PyObject *name) {
    PyObject *modules = PyImport_GetModuleDict();
    if (!modules)
        return nullptr;
    PyObject *m;
    if (PyDict_CheckExact(modules)) {
        m = Py_XNewRef(PyDict_GetItemWithError(modules, name));
    } else {
        m = PyObject_GetItem(modules, name);
        if (!m && PyErr_ExceptionMatches(PyExc_KeyError))
            PyErr_Clear();
    }
    return m;
}

// resolve_name of Python/import.c: the absolute name of a relative import.
PyObject *resolve_name(PyObject *name, PyObject *globals, int level) {
    if (!globals) {
        PyErr_SetString(PyExc_KeyError, "'__name__' not in globals");
        return nullptr;
    }
    if (!PyDict_Check(globals)) {
        PyErr_SetString(PyExc_TypeError, "globals must be a dict");
        return nullptr;
    }
    PyObject *package = PyDict_GetItemString(globals, "__package__");
    if (package == Py_None)
        package = nullptr;
    PyObject *spec = PyDict_GetItemString(globals, "__spec__");
    Py_ssize_t last_dot;
    PyObject *base;
    if (package) {
        Py_INCREF(package);
        if (!PyUnicode_Check(package)) {
            PyErr_SetString(PyExc_TypeError, "package must be a string");
            goto error;
        }
        if (spec && spec != Py_None) {
            PyObject *parent = PyObject_GetAttrString(spec, "parent");
            if (!parent)
                goto error;
            int equal = PyObject_RichCompareBool(package, parent, Py_EQ);
            Py_DECREF(parent);
            if (equal < 0)
                goto error;
            if (equal == 0 &&
                PyErr_WarnEx(PyExc_ImportWarning, "__package__ != __spec__.parent", 1) < 0)
                goto error;
        }
    } else if (spec && spec != Py_None) {
        package = PyObject_GetAttrString(spec, "parent");
        if (!package)
            goto error;
        if (!PyUnicode_Check(package)) {
            PyErr_SetString(PyExc_TypeError, "__spec__.parent must be a string");
            goto error;
        }
    } else {
        if (PyErr_WarnEx(PyExc_ImportWarning,
                         "can't resolve package from __spec__ or __package__, "
                         "falling back on __name__ and __path__",
                         1) < 0)
            goto error;
        package = PyDict_GetItemString(globals, "__name__");
        if (!package) {
            PyErr_SetString(PyExc_KeyError, "'__name__' not in globals");
            goto error;
        }
        Py_INCREF(package);
        if (!PyUnicode_Check(package)) {
            PyErr_SetString(PyExc_TypeError, "__name__ must be a string");
            goto error;
        }
        PyObject *path_key = PyUnicode_FromString("__path__");
        int haspath = path_key ? PyDict_Contains(globals, path_key) : -1;
        Py_XDECREF(path_key);
        if (haspath < 0)
            goto error;
        if (!haspath) {
            Py_ssize_t dot = PyUnicode_FindChar(package, '.', 0, PyUnicode_GET_LENGTH(package), -1);
            if (dot == -2)
                goto error;
            if (dot == -1)
                goto no_parent_error;
            PyObject *sub = PyUnicode_Substring(package, 0, dot);
            if (!sub)
                goto error;
            Py_SETREF(package, sub);
        }
    }
    last_dot = PyUnicode_GET_LENGTH(package);
    if (last_dot == 0)
        goto no_parent_error;
    for (int level_up = 1; level_up < level; level_up++) {
        last_dot = PyUnicode_FindChar(package, '.', 0, last_dot, -1);
        if (last_dot == -2)
            goto error;
        if (last_dot == -1) {
            PyErr_SetString(PyExc_ImportError,
                            "attempted relative import beyond top-level package");
            goto error;
        }
    }
    base = PyUnicode_Substring(package, 0, last_dot);
    Py_DECREF(package);
    if (!base || PyUnicode_GET_LENGTH(name) == 0)
        return base;
    {
        PyObject *abs_name = PyUnicode_FromFormat("%U.%U", base, name);
        Py_DECREF(base);
        return abs_name;
    }
no_parent_error:
    PyErr_SetString(PyExc_ImportError, "attempted relative import with no known parent package");
error:
    Py_XDECREF(package);
    return nullptr;
}

// import_add_module: sys.modules[name], made a new module if it is not one.
PyObject *add_module(PyObject *name) {
    PyObject *modules = PyImport_GetModuleDict();
    if (!modules)
        return nullptr;
    PyObject *m = get_module(name);
    if (PyErr_Occurred()) {
        Py_XDECREF(m);
        return nullptr;
    }
    if (m && PyModule_Check(m))
        return m;
    Py_XDECREF(m);
    m = PyModule_NewObject(name);
    if (m && PyObject_SetItem(modules, name, m) < 0)
        Py_CLEAR(m);
    return m;
}

void remove_module(PyObject *name) {
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyObject *modules = PyImport_GetModuleDict();
    if (modules) {
        if (PyDict_CheckExact(modules)) {
            PyObject *r = PyObject_CallMethod(modules, "pop", "OO", name, Py_None);
            Py_XDECREF(r);
        } else if (PyObject_DelItem(modules, name) < 0 && PyErr_ExceptionMatches(PyExc_KeyError)) {
            PyErr_Clear();
        }
    }
    if (PyErr_Occurred())
        PyErr_Clear();
    PyErr_Restore(t, v, tb);
}

} // namespace

PyObject *PyImport_ImportModuleLevelObject(PyObject *name, PyObject *globals, PyObject *locals,
                                           PyObject *fromlist, int level) {
    FERRY_API;
    (void)locals;
    PyObject *abs_name = nullptr, *mod = nullptr, *final_mod = nullptr;
    int has_from = 0;
    if (!name) {
        PyErr_SetString(PyExc_ValueError, "Empty module name");
        goto error;
    }
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "module name must be a string");
        goto error;
    }
    if (level < 0) {
        PyErr_SetString(PyExc_ValueError, "level must be >= 0");
        goto error;
    }
    if (level > 0) {
        abs_name = resolve_name(name, globals, level);
        if (!abs_name)
            goto error;
    } else {
        if (PyUnicode_GET_LENGTH(name) == 0) {
            PyErr_SetString(PyExc_ValueError, "Empty module name");
            goto error;
        }
        abs_name = Py_NewRef(name);
    }
    mod = get_module(abs_name);
    if (!mod && PyErr_Occurred())
        goto error;
    if (mod && mod != Py_None) {
        // import_ensure_initialized: wait for a module another thread is importing.
        PyObject *spec = PyObject_GetAttrString(mod, "__spec__");
        int busy = 0;
        if (spec) {
            PyObject *init = PyObject_GetAttrString(spec, "_initializing");
            busy = init ? PyObject_IsTrue(init) : 0;
            Py_XDECREF(init);
            Py_DECREF(spec);
        }
        PyErr_Clear();
        if (busy > 0) {
            PyObject *v = call_module("importlib._bootstrap", "_lock_unlock_module", {abs_name});
            if (!v)
                goto error;
            Py_DECREF(v);
        }
    } else {
        Py_XDECREF(mod);
        PyObject *import_func = import_attr("builtins", "__import__");
        mod = import_func ? call_module("importlib._bootstrap", "_find_and_load",
                                        {abs_name, import_func})
                          : nullptr;
        Py_XDECREF(import_func);
        if (!mod)
            goto error;
    }
    if (fromlist && fromlist != Py_None) {
        has_from = PyObject_IsTrue(fromlist);
        if (has_from < 0)
            goto error;
    }
    if (!has_from) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(name);
        if (level == 0 || len > 0) {
            Py_ssize_t dot = PyUnicode_FindChar(name, '.', 0, len, 1);
            if (dot == -2)
                goto error;
            if (dot == -1) {
                final_mod = Py_NewRef(mod);
                goto error;
            }
            if (level == 0) {
                PyObject *front = PyUnicode_Substring(name, 0, dot);
                if (!front)
                    goto error;
                final_mod = PyImport_ImportModuleLevelObject(front, nullptr, nullptr, nullptr, 0);
                Py_DECREF(front);
            } else {
                Py_ssize_t cut_off = len - dot;
                Py_ssize_t abs_len = PyUnicode_GET_LENGTH(abs_name);
                PyObject *to_return = PyUnicode_Substring(abs_name, 0, abs_len - cut_off);
                if (!to_return)
                    goto error;
                final_mod = get_module(to_return);
                if (!final_mod && !PyErr_Occurred())
                    PyErr_Format(PyExc_KeyError, "%R not in sys.modules as expected", to_return);
                Py_DECREF(to_return);
            }
        } else {
            final_mod = Py_NewRef(mod);
        }
    } else {
        PyObject *path = PyObject_GetAttrString(mod, "__path__");
        if (!path) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError))
                goto error;
            PyErr_Clear();
            final_mod = Py_NewRef(mod);
        } else {
            Py_DECREF(path);
            PyObject *import_func = import_attr("builtins", "__import__");
            final_mod = import_func ? call_module("importlib._bootstrap", "_handle_fromlist",
                                                  {mod, fromlist, import_func})
                                    : nullptr;
            Py_XDECREF(import_func);
        }
    }
error:
    Py_XDECREF(abs_name);
    Py_XDECREF(mod);
    return final_mod;
}

PyObject *PyImport_ImportModuleLevel(const char *name, PyObject *globals, PyObject *locals,
                                     PyObject *fromlist, int level) {
    FERRY_API;
    PyObject *n = PyUnicode_FromString(name);
    if (!n)
        return nullptr;
    PyObject *r = PyImport_ImportModuleLevelObject(n, globals, locals, fromlist, level);
    Py_DECREF(n);
    return r;
}

PyObject *PyImport_AddModuleObject(PyObject *name) {
    FERRY_API;
    return keep_borrowed(add_module(name));   // borrowed: sys.modules holds it
}

PyObject *PyImport_ReloadModule(PyObject *m) {
    FERRY_API;
    PyObject *name = PyUnicode_FromString("importlib");
    if (!name)
        return nullptr;
    PyObject *importlib = get_module(name);
    Py_DECREF(name);
    if (!importlib) {
        if (PyErr_Occurred())
            return nullptr;
        importlib = PyImport_ImportModule("importlib");
        if (!importlib)
            return nullptr;
    }
    PyObject *r = PyObject_CallMethod(importlib, "reload", "O", m);
    Py_DECREF(importlib);
    return r;
}

PyObject *PyImport_ExecCodeModuleObject(PyObject *name, PyObject *co, PyObject *pathname,
                                        PyObject *cpathname) {
    FERRY_API;
    // module_dict_for_exec: the (possibly existing) module's dict, with __builtins__.
    PyObject *m = add_module(name);
    if (!m)
        return nullptr;
    PyObject *d = PyModule_GetDict(m);
    Py_XINCREF(d);
    Py_DECREF(m);
    if (!d)
        return nullptr;
    if (!PyDict_GetItemString(d, "__builtins__")) {
        PyObject *b = PyEval_GetBuiltins();
        if (!b || PyDict_SetItemString(d, "__builtins__", b) < 0) {
            remove_module(name);
            Py_DECREF(d);
            return nullptr;
        }
    }
    PyObject *path = pathname ? Py_NewRef(pathname) : PyObject_GetAttrString(co, "co_filename");
    PyObject *res = nullptr;
    if (path) {
        res = cpathname ? call_module("importlib._bootstrap_external", "_fix_up_module",
                                      {d, name, path, cpathname})
                        : call_module("importlib._bootstrap_external", "_fix_up_module",
                                      {d, name, path});
        Py_DECREF(path);
    }
    if (res) {
        Py_DECREF(res);
        // exec_code_in_module
        PyObject *v = PyEval_EvalCode(co, d, d);
        if (!v) {
            remove_module(name);
            res = nullptr;
        } else {
            Py_DECREF(v);
            res = get_module(name);
            if (!res && !PyErr_Occurred())
                PyErr_Format(PyExc_ImportError, "Loaded module %R not found in sys.modules", name);
        }
    }
    Py_DECREF(d);
    return res;
}

PyObject *PyImport_ExecCodeModuleWithPathnames(const char *name, PyObject *co,
                                               const char *pathname, const char *cpathname) {
    FERRY_API;
    PyObject *nameobj = PyUnicode_FromString(name);
    if (!nameobj)
        return nullptr;
    PyObject *pathobj = nullptr, *cpathobj = nullptr, *m = nullptr;
    if (cpathname && !(cpathobj = PyUnicode_DecodeFSDefault(cpathname)))
        goto exit;
    if (pathname) {
        if (!(pathobj = PyUnicode_DecodeFSDefault(pathname)))
            goto exit;
    } else if (cpathobj) {
        PyObject *r = call_module("importlib._bootstrap_external", "_get_sourcefile", {cpathobj});
        if (!r)
            PyErr_Clear();
        pathobj = r;
    }
    m = PyImport_ExecCodeModuleObject(nameobj, co, pathobj, cpathobj);
exit:
    Py_DECREF(nameobj);
    Py_XDECREF(pathobj);
    Py_XDECREF(cpathobj);
    return m;
}

PyObject *PyImport_ExecCodeModuleEx(const char *name, PyObject *co, const char *pathname) {
    FERRY_API;
    return PyImport_ExecCodeModuleWithPathnames(name, co, pathname, nullptr);
}

PyObject *PyImport_ExecCodeModule(const char *name, PyObject *co) {
    FERRY_API;
    return PyImport_ExecCodeModuleWithPathnames(name, co, nullptr, nullptr);
}

PyObject *PyImport_GetModuleDict() {
    FERRY_API;
    static PyObject *modules = nullptr;   // held: returned borrowed
    if (!modules) {
        modules = import_attr("sys", "modules");
    }
    return modules;
}

PyObject *PyImport_GetModule(PyObject *name) {
    FERRY_API;
    PyObject *modules = PyImport_GetModuleDict();
    if (!modules)
        return nullptr;
    PyObject *m = PyDict_GetItemWithError(modules, name);
    return Py_XNewRef(m);
}

PyObject *PyImport_AddModule(const char *name) {
    FERRY_API;
    PyObject *n = PyUnicode_FromString(name);
    if (!n)
        return nullptr;
    PyObject *m = PyImport_AddModuleObject(n);
    Py_DECREF(n);
    return m;
}

PyObject *ferry::import_attr(const char *module, const char *name) {
    PyObject *m = PyImport_ImportModule(module);
    if (!m)
        return nullptr;
    PyObject *v = PyObject_GetAttrString(m, name);
    Py_DECREF(m);
    return v;
}

PyObject *ferry::call_module(const char *module, const char *func,
                             std::initializer_list<PyObject *> args) {
    PyObject *f = import_attr(module, func);
    if (!f)
        return nullptr;
    PyObject *tuple = PyTuple_New(static_cast<Py_ssize_t>(args.size()));
    if (tuple) {
        Py_ssize_t i = 0;
        for (PyObject *a : args)
            PyTuple_SET_ITEM(tuple, i++, Py_NewRef(a));
    }
    PyObject *r = tuple ? PyObject_Call(f, tuple, nullptr) : nullptr;
    Py_XDECREF(tuple);
    Py_DECREF(f);
    return r;
}
