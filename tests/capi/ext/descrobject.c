/* Descriptors, from Objects/descrobject.c: PyDescr_IsData and the
 * PyMethodDescr_Type object (with PyMethodDescr_Check, i.e.
 * PyObject_TypeCheck(o, &PyMethodDescr_Type)).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* PyDescr_IsData: true when the descriptor's type sets or deletes (has
 * tp_descr_set). Any object is accepted; NULL would crash CPython. */
static PyObject *
descr_isdata(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(PyDescr_IsData(o));
}

/* PyMethodDescr_Type itself: (the type, its tp_name, whether its flags have
 * Py_TPFLAGS_METHOD_DESCRIPTOR). */
static PyObject *
methoddescr_type(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    unsigned long flags = PyType_GetFlags(&PyMethodDescr_Type);
    return Py_BuildValue("(Osi)", (PyObject *)&PyMethodDescr_Type, PyMethodDescr_Type.tp_name,
                         (flags & Py_TPFLAGS_METHOD_DESCRIPTOR) != 0);
}

/* (PyObject_TypeCheck(o, &PyMethodDescr_Type), Py_IS_TYPE(o, &PyMethodDescr_Type)) */
static PyObject *
methoddescr_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(ii)", PyObject_TypeCheck(o, &PyMethodDescr_Type),
                         Py_IS_TYPE(o, &PyMethodDescr_Type));
}

static PyMethodDef descrobject_methods[] = {
    {"descr_isdata", descr_isdata, METH_O, NULL},
    {"methoddescr_type", methoddescr_type, METH_NOARGS, NULL},
    {"methoddescr_check", methoddescr_check, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_descrobject(PyObject *m)
{
    return PyModule_AddFunctions(m, descrobject_methods);
}
