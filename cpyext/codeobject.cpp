// Code objects: always managed (the host's code type). C sees them with the
// 3.11 PyCodeObject layout, its descriptive fields filled (names, first
// line, argument counts, flags); the bytecode fields stay NULL, since the
// host's bytecode is not CPython's. Mirrors Objects/codeobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "codeobject"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace {

bool read_int(Handle h, const char *name, int *out) {
    Handle v = host::getattr_s(h, name);
    if (!v)
        return false;
    bool overflow = false;
    long long x = host::long_as(v, &overflow);
    host::close(v);
    if (overflow || (x == -1 && host::err_occurred()))
        return false;
    *out = static_cast<int>(x);
    return true;
}

PyObject *read_object(Handle h, const char *name) {
    return from_host_steal(host::getattr_s(h, name));
}

} // namespace

namespace ferry {

PyObject *code_materialize(Handle h, PyTypeObject *type) {
    auto *co = reinterpret_cast<PyCodeObject *>(alloc_object(type, sizeof(PyCodeObject)));
    if (!co)
        return nullptr;
    PyObject *o = reinterpret_cast<PyObject *>(co);
    if (!read_int(h, "co_argcount", &co->co_argcount) ||
        !read_int(h, "co_posonlyargcount", &co->co_posonlyargcount) ||
        !read_int(h, "co_kwonlyargcount", &co->co_kwonlyargcount) ||
        !read_int(h, "co_stacksize", &co->co_stacksize) ||
        !read_int(h, "co_firstlineno", &co->co_firstlineno) ||
        !read_int(h, "co_nlocals", &co->co_nlocals) || !read_int(h, "co_flags", &co->co_flags)) {
        free_block(o);
        return null_with_host_error();
    }
    co->co_filename = read_object(h, "co_filename");
    co->co_name = co->co_filename ? read_object(h, "co_name") : nullptr;
    if (!co->co_name) {
        Py_XDECREF(co->co_filename);
        free_block(o);
        return nullptr;
    }
    co->co_qualname = Py_NewRef(co->co_name);   // the host's code objects have no co_qualname
    return o;
}

// Attributes of a code object; `replace` takes CPython 3.11's keywords
// (_support.code_replace).
PyObject *code_getattr(PyObject *o, const char *name) {
    Handle h = handle_of(o);
    if (!h)
        return nullptr;
    if (std::strcmp(name, "replace") == 0)
        return result(host::call_helper(Helper::code_replace, {h}));
    return result(host::getattr_s(h, name));
}

void code_object_release(PyObject *o) {
    auto *co = reinterpret_cast<PyCodeObject *>(o);
    Py_CLEAR(co->co_filename);
    Py_CLEAR(co->co_name);
    Py_CLEAR(co->co_qualname);
}

} // namespace ferry

PyCodeObject *PyCode_NewEmpty(const char *filename, const char *funcname, int firstlineno) {
    FERRY_API;
    PyObject *name = PyUnicode_FromString(funcname);
    PyObject *file = name ? PyUnicode_DecodeFSDefault(filename) : nullptr;
    PyObject *line = file ? PyLong_FromLong(firstlineno) : nullptr;
    PyObject *r = nullptr;
    if (line) {
        Handle hf = handle_of(file), hn = hf ? handle_of(name) : Handle{};
        Handle hl = hn ? handle_of(line) : Handle{};
        if (hl)
            r = result(host::call_helper(Helper::code_new_empty, {hf, hn, hl}));
    }
    Py_XDECREF(name);
    Py_XDECREF(file);
    Py_XDECREF(line);
    return reinterpret_cast<PyCodeObject *>(r);
}
