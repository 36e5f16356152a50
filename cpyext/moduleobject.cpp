// Modules: single-phase (PyModule_Create2) and multi-phase (PyModuleDef_Init +
// slots) initialization, module state, and the PyModule_Add* helpers. A
// module's C struct lives as long as the layer (modules are never unloaded).
// Mirrors Objects/moduleobject.c and Python/pystate.c's PyState_*.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "cpyext/forward.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "moduleobject"

using namespace ferry;
using host::Builtin;
using host::Handle;
using host::Helper;

namespace {

std::vector<PyObject *> g_modules_by_index(1, nullptr);   // PyState_FindModule
std::unordered_set<PyObject *> g_kept_modules;

// A module's C struct lives as long as the layer: its functions reach it by
// address, and its state must not move or vanish.
void keep_module(PyObject *m) {
    if (g_kept_modules.insert(m).second) {
        Py_INCREF(m);
        debug::layer_holds(m);
    }
}

ModuleObject *as_module(PyObject *m) { return reinterpret_cast<ModuleObject *>(m); }

bool check_module(PyObject *m) {
    if (!m || !PyModule_Check(m)) {
        PyErr_BadArgument();
        return false;
    }
    return true;
}

PyObject *new_module(const char *name, const char *doc) {
    Handle hn = name_handle(name);
    if (!hn)
        return nullptr;
    Handle hd = doc ? name_handle(doc) : host::dup(host::borrowed(Builtin::None));
    PyObject *m = hd ? result(host::call_helper(Helper::new_module, {hn, hd})) : nullptr;
    host::close(hn);
    host::close(hd);
    if (m)
        keep_module(m);
    return m;
}

int init_state_and_functions(PyObject *m, PyModuleDef *def) {
    ModuleObject *mo = as_module(m);
    mo->md_def = def;
    if (def->m_size > 0 && !mo->md_state) {
        mo->md_state = PyMem_Calloc(1, def->m_size);
        if (!mo->md_state) {
            PyErr_NoMemory();
            return -1;
        }
    }
    if (def->m_methods && PyModule_AddFunctions(m, def->m_methods) < 0)
        return -1;
    if (def->m_doc && PyModule_SetDocString(m, def->m_doc) < 0)
        return -1;
    return 0;
}

} // namespace

namespace ferry {

void module_release(PyObject *m) {
    ModuleObject *mo = as_module(m);
    if (mo->md_def && mo->md_def->m_free)
        mo->md_def->m_free(m);
    PyMem_Free(mo->md_state);
    Py_XDECREF(mo->md_dict);
    Py_XDECREF(mo->md_name);   // held for PyModule_GetName's C string
}

} // namespace ferry

PyObject *PyModuleDef_Init(PyModuleDef *def) {
    FERRY_API;
    if (!def->m_base.m_index) {
        Py_SET_TYPE(def, &PyModuleDef_Type);
        Py_SET_REFCNT(def, 1);
        def->m_base.m_index = g_modules_by_index.size();
        g_modules_by_index.push_back(nullptr);
    }
    return reinterpret_cast<PyObject *>(def);
}

namespace ferry {
std::string &package_context() {
    static std::string name;   // the dotted name of the extension being initialized
    return name;
}
} // namespace ferry

PyObject *PyModule_Create2(PyModuleDef *def, int apiver) {
    FERRY_API;
    (void)apiver;   // 1013 for 3.x; the stable ABI passes 3
    PyModuleDef_Init(def);
    const char *name = def->m_name;
    const std::string &context = package_context();
    auto dot = context.rfind('.');
    if (dot != std::string::npos && context.compare(dot + 1, std::string::npos, name) == 0)
        name = context.c_str();
    PyObject *m = new_module(name, nullptr);
    if (!m)
        return nullptr;
    if (init_state_and_functions(m, def) < 0) {
        Py_DECREF(m);
        return nullptr;
    }
    return m;
}

PyObject *PyModule_FromDefAndSpec2(PyModuleDef *def, PyObject *spec, int apiver) {
    FERRY_API;
    (void)apiver;
    PyModuleDef_Init(def);
    PyObject *name = PyObject_GetAttrString(spec, "name");
    if (!name)
        return nullptr;
    const char *cname = PyUnicode_AsUTF8(name);
    PyObject *(*create)(PyObject *, PyModuleDef *) = nullptr;
    for (PyModuleDef_Slot *s = def->m_slots; s && s->slot; s++)
        if (s->slot == Py_mod_create)
            create = reinterpret_cast<PyObject *(*)(PyObject *, PyModuleDef *)>(s->value);
    PyObject *m = !cname ? nullptr : create ? create(spec, def) : new_module(cname, nullptr);
    Py_DECREF(name);
    if (!m)
        return nullptr;
    if (PyModule_Check(m) && init_state_and_functions(m, def) < 0) {
        Py_DECREF(m);
        return nullptr;
    }
    return m;
}

int PyModule_ExecDef(PyObject *m, PyModuleDef *def) {
    FERRY_API;
    const char *name = PyModule_GetName(m);   // CPython names the module, not the def
    if (!name)
        return -1;
    for (PyModuleDef_Slot *s = def->m_slots; s && s->slot; s++) {
        if (s->slot != Py_mod_exec)
            continue;
        int r = reinterpret_cast<int (*)(PyObject *)>(s->value)(m);
        if (r != 0) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_SystemError, "execution of module %s failed without setting an exception",
                             name);
            return -1;
        }
        if (PyErr_Occurred()) {
            PyErr_Format(PyExc_SystemError, "execution of module %s raised unreported exception",
                         name);
            return -1;
        }
    }
    return 0;
}

PyObject *PyModule_New(const char *name) { FERRY_API; return new_module(name, nullptr); }

PyObject *PyModule_NewObject(PyObject *name) {
    FERRY_API;
    const char *s = PyUnicode_AsUTF8(name);
    return s ? new_module(s, nullptr) : nullptr;
}

int PyModule_AddFunctions(PyObject *m, PyMethodDef *functions) {
    FERRY_API;
    PyObject *name = PyModule_GetNameObject(m);
    if (!name)
        return -1;
    for (PyMethodDef *def = functions; def->ml_name; def++) {
        if (def->ml_flags & (METH_CLASS | METH_STATIC)) {
            PyErr_SetString(PyExc_ValueError, "module functions cannot set METH_CLASS or METH_STATIC");
            Py_DECREF(name);
            return -1;
        }
        keep_module(m);
        Handle f = make_host_function(def, m, name, true);
        if (!f || host::setattr_s(handle_of(m), def->ml_name, f) < 0) {
            host::close(f);
            Py_DECREF(name);
            return f ? minus_one_with_host_error() : -1;
        }
        host::close(f);
    }
    Py_DECREF(name);
    return 0;
}

int PyModule_SetDocString(PyObject *m, const char *doc) {
    FERRY_API;
    PyObject *d = PyUnicode_FromString(doc);
    int r = d ? PyObject_SetAttrString(m, "__doc__", d) : -1;
    Py_XDECREF(d);
    return r;
}

void *PyModule_GetState(PyObject *m) { FERRY_API; return check_module(m) ? as_module(m)->md_state : nullptr; }

PyModuleDef *PyModule_GetDef(PyObject *m) { FERRY_API; return check_module(m) ? as_module(m)->md_def : nullptr; }

PyObject *PyModule_GetDict(PyObject *m) {
    FERRY_API;
    if (!m || !PyModule_Check(m)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    ModuleObject *mo = as_module(m);
    if (!mo->md_dict) {
        mo->md_dict = PyObject_GetAttrString(m, "__dict__");   // held: returned borrowed
        dict_watch(mo->md_dict);   // C keeps it (Cython's __pyx_d): version tags
    }
    return mo->md_dict;
}

PyObject *PyModule_GetNameObject(PyObject *m) {
    FERRY_API;
    if (!check_module(m))
        return nullptr;
    PyObject *name = PyObject_GetAttrString(m, "__name__");
    if (!name || !PyUnicode_Check(name)) {
        Py_XDECREF(name);
        if (!PyErr_Occurred() || PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_SystemError, "nameless module");
        }
        return nullptr;
    }
    return name;
}

const char *PyModule_GetName(PyObject *m) {
    FERRY_API;
    PyObject *name = PyModule_GetNameObject(m);
    if (!name)
        return nullptr;
    // The C string lives as long as the module's md_name (which holds it).
    ModuleObject *mo = as_module(m);
    if (!mo->md_name)
        mo->md_name = name;
    else
        Py_DECREF(name);
    return PyUnicode_AsUTF8(mo->md_name);
}

int PyModule_AddObjectRef(PyObject *m, const char *name, PyObject *value) {
    FERRY_API;
    if (!PyModule_Check(m)) {
        PyErr_SetString(PyExc_TypeError, "PyModule_AddObjectRef() first argument must be a module");
        return -1;
    }
    if (!value) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "PyModule_AddObjectRef() must be called with an exception raised if value is NULL");
        return -1;
    }
    return PyObject_SetAttrString(m, name, value);
}

int PyModule_AddObject(PyObject *m, const char *name, PyObject *value) {
    FERRY_API;
    int r = PyModule_AddObjectRef(m, name, value);
    if (r == 0)
        Py_DECREF(value);
    return r;
}

int PyModule_AddIntConstant(PyObject *m, const char *name, long value) {
    FERRY_API;
    PyObject *v = PyLong_FromLong(value);
    int r = PyModule_AddObjectRef(m, name, v);
    Py_XDECREF(v);
    return r;
}

int PyModule_AddStringConstant(PyObject *m, const char *name, const char *value) {
    FERRY_API;
    PyObject *v = PyUnicode_FromString(value);
    int r = PyModule_AddObjectRef(m, name, v);
    Py_XDECREF(v);
    return r;
}

int PyModule_AddType(PyObject *m, PyTypeObject *type) {
    FERRY_API;
    if (PyType_Ready(type) < 0)
        return -1;
    const char *name = strrchr(type->tp_name, '.');
    name = name ? name + 1 : type->tp_name;
    return PyModule_AddObjectRef(m, name, reinterpret_cast<PyObject *>(type));
}

PyObject *PyState_FindModule(PyModuleDef *def) {
    FERRY_API;
    Py_ssize_t i = def->m_base.m_index;
    if (def->m_slots) {
        PyErr_SetString(PyExc_SystemError, "PyState_FindModule does not support module with slots");
        return nullptr;
    }
    if (i <= 0 || (size_t)i >= g_modules_by_index.size())
        return nullptr;
    return g_modules_by_index[i];
}

int PyState_AddModule(PyObject *m, PyModuleDef *def) {
    FERRY_API;
    if (!def->m_base.m_index)
        PyModuleDef_Init(def);
    if (def->m_slots) {
        PyErr_SetString(PyExc_SystemError, "PyState_AddModule called on module with slots");
        return -1;
    }
    PyObject *&slot = g_modules_by_index[def->m_base.m_index];
    Py_XINCREF(m);
    Py_XDECREF(slot);
    slot = m;
    return 0;
}

int PyState_RemoveModule(PyModuleDef *def) {
    FERRY_API;
    Py_ssize_t i = def->m_base.m_index;
    if (i <= 0 || (size_t)i >= g_modules_by_index.size()) {
        PyErr_SetString(PyExc_SystemError, "PyState_RemoveModule: module index out of bounds.");
        return -1;
    }
    Py_CLEAR(g_modules_by_index[i]);
    return 0;
}

PyObject *PyModule_GetFilenameObject(PyObject *m) {
    FERRY_API;
    if (!check_module(m))
        return nullptr;
    PyObject *d = PyModule_GetDict(m);
    PyObject *key = PyUnicode_FromString("__file__");
    if (!key)
        return nullptr;
    PyObject *fileobj = d && PyDict_Check(d) ? PyDict_GetItemWithError(d, key) : nullptr;
    Py_DECREF(key);
    if (!fileobj || !PyUnicode_Check(fileobj)) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "module filename missing");
        return nullptr;
    }
    return Py_NewRef(fileobj);
}
