/* A shared object that looks like an extension module but exports no
 * PyInit_noinit: importing it must fail with ImportError. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyMODINIT_FUNC
PyInit_some_other_name(void)
{
    return NULL;
}

int noinit_marker = 42;
