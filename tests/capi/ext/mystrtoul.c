/* PyOS_strtoul and PyOS_strtol, from Python/mystrtoul.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>

#include "ferrytest.h"

/* (value, characters consumed (*ptr - str), errno == ERANGE). With
 * with_ptr false, ptr is NULL and consumed is None. */
static PyObject *
strto(PyObject *args, int is_signed)
{
    const char *s;
    int base, with_ptr = 1;
    if (!PyArg_ParseTuple(args, "yi|p", &s, &base, &with_ptr)) {
        return NULL;
    }
    char *end = (char *)"not set";
    errno = 0;
    PyObject *value;
    if (is_signed) {
        long v = PyOS_strtol(s, with_ptr ? &end : NULL, base);
        value = PyLong_FromLong(v);
    }
    else {
        unsigned long v = PyOS_strtoul(s, with_ptr ? &end : NULL, base);
        value = PyLong_FromUnsignedLong(v);
    }
    int erange = errno == ERANGE;
    if (value == NULL) {
        return NULL;
    }
    if (!with_ptr) {
        return Py_BuildValue("(NOi)", value, Py_None, erange);
    }
    return Py_BuildValue("(Nni)", value, (Py_ssize_t)(end - s), erange);
}

static PyObject *
os_strtoul(PyObject *Py_UNUSED(m), PyObject *args)
{
    return strto(args, 0);
}

static PyObject *
os_strtol(PyObject *Py_UNUSED(m), PyObject *args)
{
    return strto(args, 1);
}

/* errno is left alone when nothing overflows: (value, errno is still 1234). */
static PyObject *
os_strtol_keeps_errno(PyObject *Py_UNUSED(m), PyObject *arg)
{
    const char *s = PyBytes_AsString(arg);
    if (s == NULL) {
        return NULL;
    }
    errno = 1234;
    long v = PyOS_strtol(s, NULL, 0);
    unsigned long u = PyOS_strtoul(s, NULL, 0);
    return Py_BuildValue("(lki)", v, u, errno == 1234);
}

static PyMethodDef mystrtoul_methods[] = {
    {"os_strtoul", os_strtoul, METH_VARARGS, NULL},
    {"os_strtol", os_strtol, METH_VARARGS, NULL},
    {"os_strtol_keeps_errno", os_strtol_keeps_errno, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_mystrtoul(PyObject *m)
{
    return PyModule_AddFunctions(m, mystrtoul_methods);
}
