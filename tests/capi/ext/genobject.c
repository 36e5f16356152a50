/* Generators, from Objects/genobject.c: the static types PyGen_Type,
 * PyCoro_Type and PyAsyncGen_Type (with PyGen_Check & co.) and
 * _PyGen_SetStopIterationValue.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* (PyGen_Type, PyCoro_Type, PyAsyncGen_Type) */
static PyObject *
gen_types(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(OOO)", (PyObject *)&PyGen_Type, (PyObject *)&PyCoro_Type,
                         (PyObject *)&PyAsyncGen_Type);
}

/* (PyGen_Check, PyGen_CheckExact, PyCoro_CheckExact, PyAsyncGen_CheckExact) */
static PyObject *
gen_checks(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(iiii)", PyGen_Check(o), PyGen_CheckExact(o), PyCoro_CheckExact(o),
                         PyAsyncGen_CheckExact(o));
}

/* _PyGen_SetStopIterationValue(value), None standing for NULL (CPython
 * treats both alike). It returns 0 with StopIteration set, which is raised
 * here; -1 would come with the error of making the exception. */
static PyObject *
gen_setstopiterationvalue(PyObject *Py_UNUSED(m), PyObject *value)
{
    NULLABLE(value);
    int r = _PyGen_SetStopIterationValue(value);
    if (r == 0 && !PyErr_ExceptionMatches(PyExc_StopIteration)) {
        return ferrytest_missing_error("StopIteration from _PyGen_SetStopIterationValue");
    }
    if (r == -1 && !PyErr_Occurred()) {
        return ferrytest_missing_error("-1");
    }
    return NULL;
}

static PyMethodDef genobject_methods[] = {
    {"gen_types", gen_types, METH_NOARGS, NULL},
    {"gen_checks", gen_checks, METH_O, NULL},
    {"gen_setstopiterationvalue", gen_setstopiterationvalue, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_genobject(PyObject *m)
{
    return PyModule_AddFunctions(m, genobject_methods);
}
