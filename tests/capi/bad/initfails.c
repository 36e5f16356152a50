/* PyInit returns NULL with an exception set: that exception propagates out
 * of the import statement unchanged. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyMODINIT_FUNC
PyInit_initfails(void)
{
    PyErr_SetString(PyExc_RuntimeError, "initfails: refusing to initialise");
    return NULL;
}
