/* module objects: PyModule_* from Objects/moduleobject.c and the
 * PyModule_Add* helpers of Python/modsupport.c, applied to modules other
 * than _ferrytest itself (its own definition is in _ferrytest.c).
 *
 * Mirrors CPython's Modules/_testcapi/module.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

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

/* --- PyModule_AddType --------------------------------------------------- */

/* A static type that nothing readies before PyModule_AddType does. */
static PyTypeObject added_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.AddedType",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

static PyObject *
module_addtype(PyObject *Py_UNUSED(m), PyObject *mod)
{
    RETURN_INT(PyModule_AddType(mod, &added_type));
}

/* --- multi-phase creation by hand: FromDefAndSpec2 + ExecDef -------------- */

static int
spec_exec_ok(PyObject *mod)
{
    PyObject *old = PyObject_GetAttrString(mod, "executed");
    long n = 0;
    if (old == NULL) {
        PyErr_Clear();
    }
    else {
        n = PyLong_AsLong(old);
        Py_DECREF(old);
    }
    return PyModule_AddObject(mod, "executed", PyLong_FromLong(n + 1)) < 0 ? -1 : 0;
}

static int
spec_exec_raise(PyObject *Py_UNUSED(mod))
{
    PyErr_SetString(PyExc_RuntimeError, "exec slot failed");
    return -1;
}

static int
spec_exec_silent(PyObject *Py_UNUSED(mod))
{
    return -1;   /* failure without an exception */
}

static PyMethodDef spec_methods[] = {
    {"added_self", added_self, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot spec_ok_slots[] = {
    {Py_mod_exec, spec_exec_ok},
    {Py_mod_exec, spec_exec_ok},
    {0, NULL},
};

static PyModuleDef_Slot spec_raise_slots[] = {
    {Py_mod_exec, spec_exec_raise},
    {0, NULL},
};

static PyModuleDef_Slot spec_silent_slots[] = {
    {Py_mod_exec, spec_exec_silent},
    {0, NULL},
};

static PyModuleDef spec_ok_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spec_ok",
    .m_doc = "made by PyModule_FromDefAndSpec2",
    .m_size = 0,
    .m_methods = spec_methods,
    .m_slots = spec_ok_slots,
};

static PyModuleDef spec_raise_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spec_raise",
    .m_size = 0,
    .m_slots = spec_raise_slots,
};

static PyModuleDef spec_silent_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spec_silent",
    .m_size = 0,
    .m_slots = spec_silent_slots,
};

static PyModuleDef *
spec_def(const char *which)
{
    PyModuleDef *def = NULL;
    if (strcmp(which, "ok") == 0) {
        def = &spec_ok_def;
    }
    else if (strcmp(which, "raise") == 0) {
        def = &spec_raise_def;
    }
    else if (strcmp(which, "silent") == 0) {
        def = &spec_silent_def;
    }
    else {
        PyErr_SetString(PyExc_ValueError, "unknown def");
        return NULL;
    }
    if (PyModuleDef_Init(def) == NULL) {
        return NULL;
    }
    return def;
}

static PyObject *
module_fromdefandspec2(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    PyObject *spec;
    if (!PyArg_ParseTuple(args, "sO", &which, &spec)) {
        return NULL;
    }
    PyModuleDef *def = spec_def(which);
    if (def == NULL) {
        return NULL;
    }
    return PyModule_FromDefAndSpec2(def, spec, PYTHON_API_VERSION);
}

static PyObject *
module_execdef(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    PyObject *mod;
    if (!PyArg_ParseTuple(args, "sO", &which, &mod)) {
        return NULL;
    }
    PyModuleDef *def = spec_def(which);
    if (def == NULL) {
        return NULL;
    }
    RETURN_INT(PyModule_ExecDef(mod, def));
}

static PyObject *
module_getdef_is(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    PyObject *mod;
    if (!PyArg_ParseTuple(args, "sO", &which, &mod)) {
        return NULL;
    }
    PyModuleDef *def = spec_def(which);
    if (def == NULL) {
        return NULL;
    }
    return PyBool_FromLong(PyModule_GetDef(mod) == def);
}

/* --- PyState_AddModule / PyState_RemoveModule ------------------------------ */

/* A single-phase definition whose module is created by PyModule_Create (which
 * gives the definition its index) but never imported. Adding the same module
 * twice and removing a never-indexed definition are fatal errors in CPython:
 * not done. */
static PyModuleDef state_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_ferrytest_state_def",
    .m_size = -1,
};

static PyObject *
module_state_create(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyModule_Create(&state_def);
}

static PyObject *
module_state_add(PyObject *Py_UNUSED(m), PyObject *mod)
{
    RETURN_INT(PyState_AddModule(mod, &state_def));
}

static PyObject *
module_state_remove(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    RETURN_INT(PyState_RemoveModule(&state_def));
}

static PyObject *
module_state_find(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return ferrytest_borrowed_or_null(PyState_FindModule(&state_def));
}

/* A definition with slots cannot be registered: SystemError. */
static PyObject *
module_state_add_slots(PyObject *Py_UNUSED(m), PyObject *mod)
{
    PyModuleDef *def = spec_def("ok");
    if (def == NULL) {
        return NULL;
    }
    RETURN_INT(PyState_AddModule(mod, def));
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
    {"module_addtype", module_addtype, METH_O, NULL},
    {"module_fromdefandspec2", module_fromdefandspec2, METH_VARARGS, NULL},
    {"module_execdef", module_execdef, METH_VARARGS, NULL},
    {"module_getdef_is", module_getdef_is, METH_VARARGS, NULL},
    {"module_state_create", module_state_create, METH_NOARGS, NULL},
    {"module_state_add", module_state_add, METH_O, NULL},
    {"module_state_remove", module_state_remove, METH_NOARGS, NULL},
    {"module_state_find", module_state_find, METH_NOARGS, NULL},
    {"module_state_add_slots", module_state_add_slots, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_module(PyObject *m)
{
    return PyModule_AddFunctions(m, module_methods);
}
