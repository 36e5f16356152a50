/* Descriptors, from Objects/descrobject.c: PyDescr_IsData, the
 * PyMethodDescr_Type object (with PyMethodDescr_Check, i.e.
 * PyObject_TypeCheck(o, &PyMethodDescr_Type)), PyDictProxy_Type,
 * PyGetSetDescr_Type and PyMemberDescr_Type with the structs of their
 * instances, PyWrapperDescr_Type, PyDescr_NewClassMethod.
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

/* PyWrapperDescr_Type itself: (the type, its tp_name, whether its flags
 * have Py_TPFLAGS_METHOD_DESCRIPTOR). */
static PyObject *
wrapperdescr_type(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    unsigned long flags = PyType_GetFlags(&PyWrapperDescr_Type);
    return Py_BuildValue("(Osi)", (PyObject *)&PyWrapperDescr_Type, PyWrapperDescr_Type.tp_name,
                         (flags & Py_TPFLAGS_METHOD_DESCRIPTOR) != 0);
}

/* (PyObject_TypeCheck(o, &PyWrapperDescr_Type), Py_IS_TYPE(o, ...)), and for
 * a wrapper descriptor the name in its d_base (read as Cython does, after an
 * exact type check), else None. */
static PyObject *
wrapperdescr_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    const char *base_name = NULL;
    if (Py_IS_TYPE(o, &PyWrapperDescr_Type)) {
        base_name = ((PyWrapperDescrObject *)o)->d_base->name;
    }
    return Py_BuildValue("(iiz)", PyObject_TypeCheck(o, &PyWrapperDescr_Type),
                         Py_IS_TYPE(o, &PyWrapperDescr_Type), base_name);
}

/* The function behind PyDescr_NewClassMethod's descriptor: (cls, args,
 * kwargs or None). */
static PyObject *
classmeth_make(PyObject *cls, PyObject *args, PyObject *kwargs)
{
    return Py_BuildValue("(OOO)", cls, args, kwargs ? kwargs : Py_None);
}

static PyMethodDef classmeth_def = {
    "make", (PyCFunction)(void (*)(void))classmeth_make, METH_VARARGS | METH_KEYWORDS,
    "make($cls, /, *args, **kwargs)\n--\n\nThe class and the arguments."
};

/* The function behind a METH_METHOD class method: (cls, defining class,
 * positional arguments). */
static PyObject *
classmeth_defining(PyObject *cls, PyTypeObject *defining, PyObject *const *args,
                   Py_ssize_t nargs, PyObject *Py_UNUSED(kwnames))
{
    PyObject *tuple = PyTuple_New(nargs);
    if (tuple == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
    }
    return Py_BuildValue("(OON)", cls, (PyObject *)defining, tuple);
}

static PyMethodDef classmeth_method_def = {
    "defining", (PyCFunction)(void (*)(void))classmeth_defining,
    METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL
};

/* PyDescr_NewClassMethod(type, def): def is `make` (METH_VARARGS |
 * METH_KEYWORDS), or `defining` (METH_METHOD) when `method` is true. */
static PyObject *
descr_newclassmethod(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *type;
    int method = 0;
    if (!PyArg_ParseTuple(args, "O!|p", &PyType_Type, &type, &method)) {
        return NULL;
    }
    return PyDescr_NewClassMethod((PyTypeObject *)type,
                                  method ? &classmeth_method_def : &classmeth_def);
}

/* As Cython makes a classmethod of a cdef class: the descriptor put in the
 * type's tp_dict under `name`, then PyType_Modified. */
static PyObject *
descr_install_classmethod(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *type;
    const char *name;
    if (!PyArg_ParseTuple(args, "O!s", &PyType_Type, &type, &name)) {
        return NULL;
    }
    PyObject *descr = PyDescr_NewClassMethod((PyTypeObject *)type, &classmeth_def);
    if (descr == NULL) {
        return NULL;
    }
    int r = PyDict_SetItemString(((PyTypeObject *)type)->tp_dict, name, descr);
    Py_DECREF(descr);
    if (r < 0) {
        return NULL;
    }
    PyType_Modified((PyTypeObject *)type);
    Py_RETURN_NONE;
}

/* A static type for the class methods to live on (a base type). */
static PyTypeObject ClassMethHolder_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.ClassMethHolder",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};

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
    {"wrapperdescr_type", wrapperdescr_type, METH_NOARGS, NULL},
    {"wrapperdescr_check", wrapperdescr_check, METH_O, NULL},
    {"descr_newclassmethod", descr_newclassmethod, METH_VARARGS, NULL},
    {"descr_install_classmethod", descr_install_classmethod, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_descrobject(PyObject *m)
{
    if (PyType_Ready(&ClassMethHolder_Type) < 0 ||
        PyModule_AddObjectRef(m, "ClassMethHolder", (PyObject *)&ClassMethHolder_Type) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, descrobject_methods);
}
