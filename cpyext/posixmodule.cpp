// What extensions use of Modules/posixmodule.c: PyOS_FSPath (os.fspath in C).
// A file of its own, named after CPython's, as every family is: the function
// is found where CPython has it, and the other posix entry points the corpus
// may need (PyOS_BeforeFork, PyOS_AfterFork_*) belong here too.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "posixmodule"

namespace {

// _PyType_Name: tp_name after its last dot.
const char *type_name(PyTypeObject *t) {
    const char *dot = std::strrchr(t->tp_name, '.');
    return dot ? dot + 1 : t->tp_name;
}

// _PyObject_LookupSpecial: `name` on the type, bound to o by its __get__;
// null without an error when the type lacks it.
PyObject *lookup_special(PyObject *o, const char *name) {
    PyObject *n = PyUnicode_InternFromString(name);
    if (!n)
        return nullptr;
    PyObject *attr = _PyType_Lookup(Py_TYPE(o), n);   // borrowed
    Py_DECREF(n);
    if (!attr)
        return nullptr;
    descrgetfunc get = Py_TYPE(attr)->tp_descr_get;
    if (!get)
        return Py_NewRef(attr);
    return get(attr, o, reinterpret_cast<PyObject *>(Py_TYPE(o)));
}

} // namespace

// str and bytes as they are; anything else by its type's __fspath__, which
// must give str or bytes. CPython 3.11's messages.
PyObject *PyOS_FSPath(PyObject *path) {
    FERRY_API;
    if (PyUnicode_Check(path) || PyBytes_Check(path))
        return Py_NewRef(path);
    PyObject *func = lookup_special(path, "__fspath__");
    if (!func)
        return PyErr_Format(PyExc_TypeError, "expected str, bytes or os.PathLike object, not %.200s",
                            type_name(Py_TYPE(path)));
    PyObject *r = PyObject_CallNoArgs(func);
    Py_DECREF(func);
    if (!r)
        return nullptr;
    if (!PyUnicode_Check(r) && !PyBytes_Check(r)) {
        PyErr_Format(PyExc_TypeError, "expected %.200s.__fspath__() to return str or bytes, not %.200s",
                     type_name(Py_TYPE(path)), type_name(Py_TYPE(r)));
        Py_DECREF(r);
        return nullptr;
    }
    return r;
}
