/* Descriptors, from Objects/descrobject.c: PyDescr_IsData, the
 * PyMethodDescr_Type object (with PyMethodDescr_Check, i.e.
 * PyObject_TypeCheck(o, &PyMethodDescr_Type)), PyDictProxy_Type,
 * PyGetSetDescr_Type and PyMemberDescr_Type with the structs of their
 * instances.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>   /* PyMemberDef */

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

/* (PyDictProxy_Type, PyGetSetDescr_Type, PyMemberDescr_Type, whether
 * PyDictProxy_Type has Py_TPFLAGS_MAPPING) */
static PyObject *
descr_types(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(OOOi)", (PyObject *)&PyDictProxy_Type, (PyObject *)&PyGetSetDescr_Type,
                         (PyObject *)&PyMemberDescr_Type,
                         PyType_HasFeature(&PyDictProxy_Type, Py_TPFLAGS_MAPPING));
}

/* (Py_IS_TYPE(o, &PyDictProxy_Type), ... &PyGetSetDescr_Type,
 * ... &PyMemberDescr_Type) */
static PyObject *
descr_type_checks(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(iii)", Py_IS_TYPE(o, &PyDictProxy_Type),
                         Py_IS_TYPE(o, &PyGetSetDescr_Type), Py_IS_TYPE(o, &PyMemberDescr_Type));
}

/* The struct of a getset or member descriptor: (PyDescr_TYPE, PyDescr_NAME,
 * the def's name, the def's doc or None). Other objects: TypeError. */
static PyObject *
descr_fields(PyObject *Py_UNUSED(m), PyObject *o)
{
    const char *name, *doc;
    if (Py_IS_TYPE(o, &PyGetSetDescr_Type)) {
        PyGetSetDef *def = ((PyGetSetDescrObject *)o)->d_getset;
        name = def->name;
        doc = def->doc;
    }
    else if (Py_IS_TYPE(o, &PyMemberDescr_Type)) {
        PyMemberDef *def = ((PyMemberDescrObject *)o)->d_member;
        name = def->name;
        doc = def->doc;
    }
    else {
        PyErr_SetString(PyExc_TypeError, "not a getset or member descriptor");
        return NULL;
    }
    PyObject *type = (PyObject *)PyDescr_TYPE(o);
    PyObject *dname = PyDescr_NAME(o);
    return Py_BuildValue("(OOsz)", type ? type : Py_None, dname ? dname : Py_None, name, doc);
}

/* A getset descriptor's C getter: d_getset->get(obj, d_getset->closure). */
static PyObject *
getset_get(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *descr, *obj;
    if (!PyArg_ParseTuple(args, "O!O", &PyGetSetDescr_Type, &descr, &obj)) {
        return NULL;
    }
    PyGetSetDef *def = ((PyGetSetDescrObject *)descr)->d_getset;
    return def->get(obj, def->closure);
}

/* A getset descriptor's C setter (value None: delete), for a getset that
 * has one (a NULL set would crash: only writable getsets are passed). */
static PyObject *
getset_set(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *descr, *obj, *value;
    if (!PyArg_ParseTuple(args, "O!OO", &PyGetSetDescr_Type, &descr, &obj, &value)) {
        return NULL;
    }
    NULLABLE(value);
    PyGetSetDef *def = ((PyGetSetDescrObject *)descr)->d_getset;
    RETURN_INT(def->set(obj, value, def->closure));
}

/* numpy's add_docstring on a member descriptor: sets d_member->doc when it
 * has none, reads it back, then puts NULL back (numpy keeps the str for
 * good; here nothing outlives the call). -> the doc read back, or the doc
 * it already had. */
static PyObject *
member_add_doc(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *descr, *doc;
    if (!PyArg_ParseTuple(args, "O!U", &PyMemberDescr_Type, &descr, &doc)) {
        return NULL;
    }
    const char *utf8 = PyUnicode_AsUTF8(doc);
    if (utf8 == NULL) {
        return NULL;
    }
    PyMemberDef *def = ((PyMemberDescrObject *)descr)->d_member;
    if (def->doc != NULL) {
        return PyUnicode_FromString(def->doc);
    }
    def->doc = utf8;
    PyObject *r = PyUnicode_FromString(def->doc);
    def->doc = NULL;
    return r;
}

static PyMethodDef descrobject_methods[] = {
    {"descr_types", descr_types, METH_NOARGS, NULL},
    {"descr_type_checks", descr_type_checks, METH_O, NULL},
    {"descr_fields", descr_fields, METH_O, NULL},
    {"getset_get", getset_get, METH_VARARGS, NULL},
    {"getset_set", getset_set, METH_VARARGS, NULL},
    {"member_add_doc", member_add_doc, METH_VARARGS, NULL},
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
