/* PyInit returns NULL without setting an exception: CPython reports
 * SystemError ("initialization of initnull failed without raising an
 * exception"). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyMODINIT_FUNC
PyInit_initnull(void)
{
    return NULL;
}
