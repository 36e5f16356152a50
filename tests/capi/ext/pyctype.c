/* Locale-independent character classes: the Py_IS* macros of pyctype.h,
 * which read the exported table _Py_ctype_table (Python/pyctype.c). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* For every byte 0..255 a string of the classes it is in:
 * l(ower) u(pper) a(lpha) d(igit) x(digit) n (alnum) s(pace). */
static PyObject *
ctype_classes(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *list = PyList_New(256);
    if (list == NULL) {
        return NULL;
    }
    for (int c = 0; c < 256; c++) {
        char buf[8];
        int n = 0;
        if (Py_ISLOWER(c)) buf[n++] = 'l';
        if (Py_ISUPPER(c)) buf[n++] = 'u';
        if (Py_ISALPHA(c)) buf[n++] = 'a';
        if (Py_ISDIGIT(c)) buf[n++] = 'd';
        if (Py_ISXDIGIT(c)) buf[n++] = 'x';
        if (Py_ISALNUM(c)) buf[n++] = 'n';
        if (Py_ISSPACE(c)) buf[n++] = 's';
        PyObject *s = PyUnicode_FromStringAndSize(buf, n);
        if (s == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, c, s);
    }
    return list;
}

static PyMethodDef pyctype_methods[] = {
    {"ctype_classes", ctype_classes, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_pyctype(PyObject *m)
{
    return PyModule_AddFunctions(m, pyctype_methods);
}
