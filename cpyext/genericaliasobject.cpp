// Py_GenericAlias (Objects/genericaliasobject.c): `origin[args]` as made by
// __class_getitem__ = classmethod(Py_GenericAlias). The object is the host's
// own types.GenericAlias, so it behaves like the host's list[int]. As in
// CPython's setup_ga, args that are not a tuple become a 1-tuple, and no
// argument is checked.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "genericaliasobject"

namespace {

// types.GenericAlias, looked up once (the layer keeps the reference).
PyObject *generic_alias_class() {
    static PyObject *cls = nullptr;
    if (!cls)
        cls = ferry::import_attr("types", "GenericAlias");
    return cls;
}

} // namespace

PyObject *Py_GenericAlias(PyObject *origin, PyObject *args) {
    FERRY_API;
    PyObject *cls = generic_alias_class();
    if (!cls)
        return nullptr;
    PyObject *tuple = PyTuple_Check(args) ? Py_NewRef(args) : PyTuple_Pack(1, args);
    if (!tuple)
        return nullptr;
    PyObject *r = PyObject_CallFunctionObjArgs(cls, origin, tuple, nullptr);
    Py_DECREF(tuple);
    return r;
}
