// Function objects' relatives (Objects/funcobject.c): classmethod. Python
// functions themselves are the host's (PyFunction_Type, a generic proxy).
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "funcobject"

using namespace ferry;

// The host's classmethod of `callable`. CPython allocates the object without
// running classmethod.__init__ (3.10's copying of __doc__, __name__ & co. into
// its __dict__ does not happen); PyPy's classmethod (3.9) copies nothing
// either, so both give an object whose only state is __func__.
PyObject *PyClassMethod_New(PyObject *callable) {
    FERRY_API;
    PyObject *cls = import_attr("builtins", "classmethod");
    if (!cls)
        return nullptr;
    PyObject *r = PyObject_CallOneArg(cls, callable);
    Py_DECREF(cls);
    return r;
}
