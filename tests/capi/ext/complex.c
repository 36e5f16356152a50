/* complex objects: PyComplex_* from Objects/complexobject.c.
 *
 * Mirrors CPython's Modules/_testcapi/complex.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

static PyObject *
complex_fromdoubles(PyObject *Py_UNUSED(m), PyObject *args)
{
    double re, im;
    if (!PyArg_ParseTuple(args, "dd", &re, &im)) {
        return NULL;
    }
    return PyComplex_FromDoubles(re, im);
}

static PyObject *
complex_fromccomplex(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_complex c;
    if (!PyArg_ParseTuple(args, "D", &c)) {
        return NULL;
    }
    return PyComplex_FromCComplex(c);
}

/* Non-complex arguments: RealAsDouble falls back to PyFloat_AsDouble,
 * ImagAsDouble returns 0.0 for numbers that are not complex. NULL crashes
 * CPython for both: not passed. */
static PyObject *
complex_realasdouble(PyObject *Py_UNUSED(m), PyObject *o)
{
    double d = PyComplex_RealAsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(d);
}

static PyObject *
complex_imagasdouble(PyObject *Py_UNUSED(m), PyObject *o)
{
    double d = PyComplex_ImagAsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(d);
}

/* Falls back to __complex__, then __float__ / __index__. */
static PyObject *
complex_asccomplex(PyObject *Py_UNUSED(m), PyObject *o)
{
    Py_complex c = PyComplex_AsCComplex(o);
    if (c.real == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return Py_BuildValue("(dd)", c.real, c.imag);
}

static PyMethodDef complex_methods[] = {
    {"complex_fromdoubles", complex_fromdoubles, METH_VARARGS, NULL},
    {"complex_fromccomplex", complex_fromccomplex, METH_VARARGS, NULL},
    {"complex_realasdouble", complex_realasdouble, METH_O, NULL},
    {"complex_imagasdouble", complex_imagasdouble, METH_O, NULL},
    {"complex_asccomplex", complex_asccomplex, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_complex(PyObject *m)
{
    return PyModule_AddFunctions(m, complex_methods);
}
