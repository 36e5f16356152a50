// Capsules: native objects of the layer's PyCapsule_Type wrapping a C
// pointer, and the PyCapsule_* API. Mirrors Objects/capsule.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <string>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "capsule"

namespace ferry {
namespace {

// CPython 3.11's capsule layout.
struct Capsule {
    PyObject_HEAD
    void *pointer;
    const char *name;
    void *context;
    PyCapsule_Destructor destructor;
};
static_assert(sizeof(Capsule) == sizeof(PyObject) + 4 * sizeof(void *),
              "matches PyCapsule_Type's basicsize in static_types.def");

inline Capsule *as_capsule(PyObject *o) { return reinterpret_cast<Capsule *>(o); }

bool name_matches(const char *a, const char *b) {
    if (!a || !b)
        return a == b;
    return std::strcmp(a, b) == 0;
}

// A capsule with a pointer, else ValueError "<api> called with invalid PyCapsule object".
Capsule *legal(PyObject *o, const char *api) {
    if (!o || !PyCapsule_CheckExact(o) || !as_capsule(o)->pointer) {
        PyErr_Format(PyExc_ValueError, "%s called with invalid PyCapsule object", api);
        return nullptr;
    }
    return as_capsule(o);
}

} // namespace

// PyCapsule_Type.tp_dealloc: the destructor runs before the memory goes.
void capsule_dealloc(PyObject *o) {
    Capsule *c = as_capsule(o);
    if (c->destructor)
        c->destructor(o);
    object_dealloc(o);
}

} // namespace ferry

using namespace ferry;

// PyCapsule_Type.tp_repr, as CPython's capsule_repr.
PyObject *ferry::capsule_repr(PyObject *o) {
    auto *c = reinterpret_cast<Capsule *>(o);
    if (c->name)
        return PyUnicode_FromFormat("<capsule object \"%s\" at %p>", c->name, o);
    return PyUnicode_FromFormat("<capsule object NULL at %p>", o);
}

PyObject *PyCapsule_New(void *pointer, const char *name, PyCapsule_Destructor destructor) {
    FERRY_API;
    if (!pointer) {
        PyErr_SetString(PyExc_ValueError, "PyCapsule_New called with null pointer");
        return nullptr;
    }
    PyObject *o = alloc_object(&PyCapsule_Type, sizeof(Capsule));
    if (!o)
        return nullptr;
    Capsule *c = as_capsule(o);
    c->pointer = pointer;
    c->name = name;
    c->context = nullptr;
    c->destructor = destructor;
    return o;
}

int PyCapsule_IsValid(PyObject *o, const char *name) {
    FERRY_API;
    return o && PyCapsule_CheckExact(o) && as_capsule(o)->pointer &&
           name_matches(as_capsule(o)->name, name);
}

void *PyCapsule_GetPointer(PyObject *o, const char *name) {
    FERRY_API;
    Capsule *c = legal(o, "PyCapsule_GetPointer");
    if (!c)
        return nullptr;
    if (!name_matches(name, c->name)) {
        PyErr_SetString(PyExc_ValueError, "PyCapsule_GetPointer called with incorrect name");
        return nullptr;
    }
    return c->pointer;
}

const char *PyCapsule_GetName(PyObject *o) {
    FERRY_API;
    Capsule *c = legal(o, "PyCapsule_GetName");
    return c ? c->name : nullptr;
}

PyCapsule_Destructor PyCapsule_GetDestructor(PyObject *o) {
    FERRY_API;
    Capsule *c = legal(o, "PyCapsule_GetDestructor");
    return c ? c->destructor : nullptr;
}

void *PyCapsule_GetContext(PyObject *o) {
    FERRY_API;
    Capsule *c = legal(o, "PyCapsule_GetContext");
    return c ? c->context : nullptr;
}

int PyCapsule_SetPointer(PyObject *o, void *pointer) {
    FERRY_API;
    if (!pointer) {
        PyErr_SetString(PyExc_ValueError, "PyCapsule_SetPointer called with null pointer");
        return -1;
    }
    Capsule *c = legal(o, "PyCapsule_SetPointer");
    if (!c)
        return -1;
    c->pointer = pointer;
    return 0;
}

int PyCapsule_SetName(PyObject *o, const char *name) {
    FERRY_API;
    Capsule *c = legal(o, "PyCapsule_SetName");
    if (!c)
        return -1;
    c->name = name;
    return 0;
}

int PyCapsule_SetDestructor(PyObject *o, PyCapsule_Destructor destructor) {
    FERRY_API;
    Capsule *c = legal(o, "PyCapsule_SetDestructor");
    if (!c)
        return -1;
    c->destructor = destructor;
    return 0;
}

int PyCapsule_SetContext(PyObject *o, void *context) {
    FERRY_API;
    Capsule *c = legal(o, "PyCapsule_SetContext");
    if (!c)
        return -1;
    c->context = context;
    return 0;
}

void *PyCapsule_Import(const char *name, int /*no_block*/) {
    FERRY_API;
    // The host's datetime has no C API capsule: the layer provides one.
    if (std::strcmp(name, "datetime.datetime_CAPI") == 0 && datetime_capi_install() < 0)
        return nullptr;
    std::string path = name;
    PyObject *object = nullptr;
    size_t pos = 0;
    while (true) {
        size_t dot = path.find('.', pos);
        std::string part = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (!object) {
            object = PyImport_ImportModule(part.c_str());
            if (!object)
                PyErr_Format(PyExc_ImportError, "PyCapsule_Import could not import module \"%s\"",
                             part.c_str());
        } else {
            PyObject *next = PyObject_GetAttrString(object, part.c_str());
            Py_SETREF(object, next);
        }
        if (!object)
            return nullptr;
        if (dot == std::string::npos)
            break;
        pos = dot + 1;
    }
    void *r = nullptr;
    if (PyCapsule_IsValid(object, name))
        r = as_capsule(object)->pointer;
    else
        PyErr_Format(PyExc_AttributeError, "PyCapsule_Import \"%s\" is not valid", name);
    Py_DECREF(object);
    return r;
}
