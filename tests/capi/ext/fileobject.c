/* PyFile_FromFd, from Objects/fileobject.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* PyFile_FromFd(fd, name, mode, buffering, encoding, errors, newline,
 * closefd); None for a string argument is NULL (CPython accepts NULL for
 * all of them but mode, which io.open would get as None: never passed). */
static PyObject *
file_fromfd(PyObject *Py_UNUSED(m), PyObject *args)
{
    int fd, buffering, closefd;
    const char *name, *mode, *encoding, *errors, *newline;
    if (!PyArg_ParseTuple(args, "izsizzzi", &fd, &name, &mode, &buffering, &encoding, &errors,
                          &newline, &closefd)) {
        return NULL;
    }
    return PyFile_FromFd(fd, name, mode, buffering, encoding, errors, newline, closefd);
}

static PyMethodDef fileobject_methods[] = {
    {"file_fromfd", file_fromfd, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_fileobject(PyObject *m)
{
    return PyModule_AddFunctions(m, fileobject_methods);
}
