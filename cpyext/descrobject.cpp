// Descriptors (Objects/descrobject.c).
//
// Methods, members and getsets of extension types are host objects
// (python/ferry/_support.py make_native_type: functions and properties), not
// CPython's descriptor structs, so no object C meets is a PyMethodDescrObject:
// PyMethodDescr_Check answers false where CPython answers true for
// `ExtType.meth`. That only turns off shortcuts that read the struct (Cython's
// cached unbound C methods call through the object instead).
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "descrobject"

int PyDescr_IsData(PyObject *ob) {
    FERRY_API;
    return Py_TYPE(ob)->tp_descr_set != nullptr;
}
