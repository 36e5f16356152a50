/* module objects: PyModule_* from Objects/moduleobject.c and the
 * PyModule_Add* helpers of Python/modsupport.c, applied to modules other
 * than _ferrytest itself (its own definition is in _ferrytest.c).
 *
 * Mirrors CPython's Modules/_testcapi/module.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* NULL name crashes CPython: not passed. */
static PyObject *
module_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "y", &name)) {
        return NULL;
    }
    return PyModule_New(name);
}

static PyObject *
module_newobject(PyObject *Py_UNUSED(m), PyObject *name)
{
    return PyModule_NewObject(name);
}

/* Non-module: SystemError. The dict is borrowed. */
static PyObject *
module_getdict(PyObject *Py_UNUSED(m), PyObject *mod)
{
    return ferrytest_borrowed_or_null(PyModule_GetDict(mod));
}

static PyObject *
module_getname(PyObject *Py_UNUSED(m), PyObject *mod)
{
    const char *name = PyModule_GetName(mod);
    if (name == NULL) {
        return NULL;
    }
    return PyUnicode_FromString(name);
}

static PyObject *
module_getnameobject(PyObject *Py_UNUSED(m), PyObject *mod)
{
    return PyModule_GetNameObject(mod);
}

static PyObject *
module_getfilenameobject(PyObject *Py_UNUSED(m), PyObject *mod)
{
    return PyModule_GetFilenameObject(mod);
}

/* NULL without an exception for modules not created from a PyModuleDef. */
static PyObject *
module_hasdef(PyObject *Py_UNUSED(m), PyObject *mod)
{
    PyModuleDef *def = PyModule_GetDef(mod);
    if (def == NULL && PyErr_Occurred()) {
        return NULL;
    }
    if (def == NULL) {
        return Py_NewRef(ferrytest_null);
    }
    return PyUnicode_FromString(def->m_name);
}

/* NULL without an exception when the module has no C state. */
static PyObject *
module_hasstate(PyObject *Py_UNUSED(m), PyObject *mod)
{
    void *state = PyModule_GetState(mod);
    if (state == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return PyBool_FromLong(state != NULL);
}

static PyObject *
module_setdocstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *mod;
    const char *doc;
    if (!PyArg_ParseTuple(args, "Oy", &mod, &doc)) {
        return NULL;
    }
    RETURN_INT(PyModule_SetDocString(mod, doc));
}

/* value None means NULL: with no exception set CPython raises SystemError. */
static PyObject *
module_addobjectref(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *mod, *value;
    const char *name;
    if (!PyArg_ParseTuple(args, "OyO", &mod, &name, &value)) {
        return NULL;
    }
    NULLABLE(value);
    RETURN_INT(PyModule_AddObjectRef(mod, name, value));
}

/* Steals `value` on success only. */
static PyObject *
module_addobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *mod, *value;
    const char *name;
    if (!PyArg_ParseTuple(args, "OyO", &mod, &name, &value)) {
        return NULL;
    }
    Py_INCREF(value);
    if (PyModule_AddObject(mod, name, value) < 0) {
        Py_DECREF(value);
        return NULL;
    }
    return PyLong_FromLong(0);
}

static PyObject *
module_addintconstant(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *mod;
    const char *name;
    long value;
    if (!PyArg_ParseTuple(args, "Oyl", &mod, &name, &value)) {
        return NULL;
    }
    RETURN_INT(PyModule_AddIntConstant(mod, name, value));
}

static PyObject *
module_addstringconstant(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *mod;
    const char *name, *value;
    if (!PyArg_ParseTuple(args, "Oyy", &mod, &name, &value)) {
        return NULL;
    }
    RETURN_INT(PyModule_AddStringConstant(mod, name, value));
}

/* A function table added to any module with PyModule_AddFunctions: its
 * functions get that module as self and its __name__ as __module__. */
static PyObject *
added_self(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(self);
}

static PyMethodDef added_methods[] = {
    {"added_self", added_self, METH_NOARGS, "Return self."},
    {NULL, NULL, 0, NULL},
};

static PyObject *
module_addfunctions(PyObject *Py_UNUSED(m), PyObject *mod)
{
    RETURN_INT(PyModule_AddFunctions(mod, added_methods));
}

static PyObject *
module_type(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(Oii)", (PyObject *)&PyModule_Type, PyModule_Check(o),
                         PyModule_CheckExact(o));
}

static PyMethodDef module_methods[] = {
    {"module_new", module_new, METH_VARARGS, NULL},
    {"module_newobject", module_newobject, METH_O, NULL},
    {"module_getdict", module_getdict, METH_O, NULL},
    {"module_getname", module_getname, METH_O, NULL},
    {"module_getnameobject", module_getnameobject, METH_O, NULL},
    {"module_getfilenameobject", module_getfilenameobject, METH_O, NULL},
    {"module_hasdef", module_hasdef, METH_O, NULL},
    {"module_hasstate", module_hasstate, METH_O, NULL},
    {"module_setdocstring", module_setdocstring, METH_VARARGS, NULL},
    {"module_addobjectref", module_addobjectref, METH_VARARGS, NULL},
    {"module_addobject", module_addobject, METH_VARARGS, NULL},
    {"module_addintconstant", module_addintconstant, METH_VARARGS, NULL},
    {"module_addstringconstant", module_addstringconstant, METH_VARARGS, NULL},
    {"module_addfunctions", module_addfunctions, METH_O, NULL},
    {"module_type", module_type, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_module(PyObject *m)
{
    return PyModule_AddFunctions(m, module_methods);
}
