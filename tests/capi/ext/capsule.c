/* Capsules: PyCapsule_* from Objects/capsule.c, including PyCapsule_Import
 * of the capsule this module exports as _ferrytest.CAPSULE.
 *
 * Mirrors CPython's capsule tests in Modules/_testcapimodule.c. Pointers are
 * never returned: wrappers answer whether they are the expected ones.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "ferrytest.h"

#define EXPORTED_NAME "_ferrytest.CAPSULE"

static int capsule_data[4] = {1, 2, 3, 4};
static int other_data[1] = {5};
static int context_data[1] = {6};
static long destructor_calls = 0;

static void
counting_destructor(PyObject *capsule)
{
    (void)capsule;
    destructor_calls++;
}

/* Names must outlive the capsule: choose among static strings. */
static const char *
static_name(PyObject *o)
{
    if (o == Py_None) {
        return NULL;
    }
    const char *s = PyUnicode_AsUTF8(o);
    if (s == NULL) {
        return NULL;
    }
    static const char *const names[] = {"ferry.a", "ferry.b", EXPORTED_NAME};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(s, names[i]) == 0) {
            return names[i];
        }
    }
    PyErr_Format(PyExc_ValueError, "test knows no capsule name %s", s);
    return NULL;
}

/* name None means NULL. with_destructor adds the counting destructor. */
static PyObject *
capsule_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *nameobj;
    int with_destructor = 0;
    if (!PyArg_ParseTuple(args, "O|p", &nameobj, &with_destructor)) {
        return NULL;
    }
    const char *name = static_name(nameobj);
    if (name == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return PyCapsule_New(capsule_data, name,
                         with_destructor ? counting_destructor : NULL);
}

static PyObject *
capsule_new_nullpointer(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyCapsule_New(NULL, "ferry.a", NULL);
}

/* True when the pointer is the one stored by capsule_new (False for the
 * one stored by capsule_setpointer). Name None means NULL. */
static PyObject *
capsule_getpointer(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *cap, *nameobj;
    if (!PyArg_ParseTuple(args, "OO", &cap, &nameobj)) {
        return NULL;
    }
    const char *name = NULL;
    if (nameobj != Py_None) {
        name = PyUnicode_AsUTF8(nameobj);   /* any text: compared by strcmp */
        if (name == NULL) {
            return NULL;
        }
    }
    void *p = PyCapsule_GetPointer(cap, name);
    if (p == NULL) {
        return PyErr_Occurred() ? NULL : ferrytest_missing_error("NULL");
    }
    return PyBool_FromLong(p == capsule_data);
}

static PyObject *
capsule_getname(PyObject *Py_UNUSED(m), PyObject *cap)
{
    const char *name = PyCapsule_GetName(cap);
    if (name == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(name);
}

static PyObject *
capsule_setname(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *cap, *nameobj;
    if (!PyArg_ParseTuple(args, "OO", &cap, &nameobj)) {
        return NULL;
    }
    const char *name = static_name(nameobj);
    if (name == NULL && PyErr_Occurred()) {
        return NULL;
    }
    RETURN_INT(PyCapsule_SetName(cap, name));
}

/* which: "other" or "null" (ValueError). */
static PyObject *
capsule_setpointer(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *cap;
    const char *which;
    if (!PyArg_ParseTuple(args, "Os", &cap, &which)) {
        return NULL;
    }
    void *p = strcmp(which, "null") == 0 ? NULL : (void *)other_data;
    RETURN_INT(PyCapsule_SetPointer(cap, p));
}

static PyObject *
capsule_pointer_is_other(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *cap, *nameobj;
    if (!PyArg_ParseTuple(args, "OO", &cap, &nameobj)) {
        return NULL;
    }
    const char *name = NULL;
    if (nameobj != Py_None && (name = PyUnicode_AsUTF8(nameobj)) == NULL) {
        return NULL;
    }
    void *p = PyCapsule_GetPointer(cap, name);
    if (p == NULL) {
        return NULL;
    }
    return PyBool_FromLong(p == other_data);
}

/* Context: NULL until set. Returns "none", "ours" or raises. */
static PyObject *
capsule_getcontext(PyObject *Py_UNUSED(m), PyObject *cap)
{
    void *ctx = PyCapsule_GetContext(cap);
    if (ctx == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        return PyUnicode_FromString("none");
    }
    return PyUnicode_FromString(ctx == context_data ? "ours" : "other");
}

static PyObject *
capsule_setcontext(PyObject *Py_UNUSED(m), PyObject *cap)
{
    RETURN_INT(PyCapsule_SetContext(cap, context_data));
}

static PyObject *
capsule_hasdestructor(PyObject *Py_UNUSED(m), PyObject *cap)
{
    PyCapsule_Destructor d = PyCapsule_GetDestructor(cap);
    if (d == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return PyBool_FromLong(d == counting_destructor);
}

static PyObject *
capsule_setdestructor(PyObject *Py_UNUSED(m), PyObject *cap)
{
    RETURN_INT(PyCapsule_SetDestructor(cap, counting_destructor));
}

/* Never raises: a bad capsule or name mismatch is just 0. */
static PyObject *
capsule_isvalid(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *cap, *nameobj;
    if (!PyArg_ParseTuple(args, "OO", &cap, &nameobj)) {
        return NULL;
    }
    const char *name = NULL;
    if (nameobj != Py_None && (name = PyUnicode_AsUTF8(nameobj)) == NULL) {
        return NULL;
    }
    int r = PyCapsule_IsValid(cap, name);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyCapsule_IsValid");
    }
    return PyLong_FromLong(r);
}

/* PyCapsule_Import("module.attr", no_block): True if it is our pointer. */
static PyObject *
capsule_import(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "y", &name)) {
        return NULL;
    }
    void *p = PyCapsule_Import(name, 0);
    if (p == NULL) {
        return PyErr_Occurred() ? NULL : ferrytest_missing_error("NULL");
    }
    return PyBool_FromLong(p == capsule_data);
}

static PyObject *
capsule_destructor_calls(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(destructor_calls);
}

/* A capsule created and released entirely in C: the destructor must have
 * run by the time Py_DECREF returns. Returns the number of calls it made. */
static PyObject *
capsule_destroy_in_c(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    long before = destructor_calls;
    PyObject *cap = PyCapsule_New(capsule_data, "ferry.a", counting_destructor);
    if (cap == NULL) {
        return NULL;
    }
    Py_DECREF(cap);
    return PyLong_FromLong(destructor_calls - before);
}

static PyObject *
capsule_type(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(Oi)", (PyObject *)&PyCapsule_Type,
                         PyCapsule_CheckExact(o));
}

static PyMethodDef capsule_methods[] = {
    {"capsule_new", capsule_new, METH_VARARGS, NULL},
    {"capsule_new_nullpointer", capsule_new_nullpointer, METH_NOARGS, NULL},
    {"capsule_getpointer", capsule_getpointer, METH_VARARGS, NULL},
    {"capsule_getname", capsule_getname, METH_O, NULL},
    {"capsule_setname", capsule_setname, METH_VARARGS, NULL},
    {"capsule_setpointer", capsule_setpointer, METH_VARARGS, NULL},
    {"capsule_pointer_is_other", capsule_pointer_is_other, METH_VARARGS, NULL},
    {"capsule_getcontext", capsule_getcontext, METH_O, NULL},
    {"capsule_setcontext", capsule_setcontext, METH_O, NULL},
    {"capsule_hasdestructor", capsule_hasdestructor, METH_O, NULL},
    {"capsule_setdestructor", capsule_setdestructor, METH_O, NULL},
    {"capsule_isvalid", capsule_isvalid, METH_VARARGS, NULL},
    {"capsule_import", capsule_import, METH_VARARGS, NULL},
    {"capsule_destructor_calls", capsule_destructor_calls, METH_NOARGS, NULL},
    {"capsule_destroy_in_c", capsule_destroy_in_c, METH_NOARGS, NULL},
    {"capsule_type", capsule_type, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_capsule(PyObject *m)
{
    if (PyModule_AddFunctions(m, capsule_methods) < 0) {
        return -1;
    }
    /* The C-API export pattern: a named capsule as a module attribute. */
    PyObject *cap = PyCapsule_New(capsule_data, EXPORTED_NAME, NULL);
    if (cap == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(m, "CAPSULE", cap);
    Py_DECREF(cap);
    if (rc < 0) {
        return -1;
    }
    /* Something that is not a capsule, for the failing import. */
    return PyModule_AddIntConstant(m, "NOT_A_CAPSULE", 1);
}
