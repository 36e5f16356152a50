/* Weak references: PyWeakref_NewRef, PyWeakref_NewProxy, PyWeakref_GetObject
 * and PyObject_ClearWeakRefs (Objects/weakrefobject.c), with two static
 * extension types: WeakBox (tp_weaklistoffset, its tp_dealloc clears the
 * weakrefs as extensions do) and NoWeakBox (no weaklist: not weakly
 * referenceable).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stddef.h>

#include "ferrytest.h"

typedef struct {
    PyObject_HEAD
    PyObject *weakreflist;
    long tag;
} WeakBox;

static long weakbox_deallocs = 0;
static long weakbox_dealloc_errors = 0;   /* ClearWeakRefs left an error */

static PyObject *
weakbox_new(PyTypeObject *type, PyObject *args, PyObject *Py_UNUSED(kwds))
{
    long tag = 0;
    if (!PyArg_ParseTuple(args, "|l", &tag)) {
        return NULL;
    }
    WeakBox *self = (WeakBox *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->weakreflist = NULL;
        self->tag = tag;
    }
    return (PyObject *)self;
}

/* Unconditionally, as some extensions do (others test weakreflist first). */
static void
weakbox_dealloc(WeakBox *self)
{
    /* A deallocation can happen while an exception is pending. */
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
    PyObject_ClearWeakRefs((PyObject *)self);
    if (PyErr_Occurred()) {
        weakbox_dealloc_errors++;
        PyErr_Clear();
    }
    PyErr_Restore(et, ev, tb);
    weakbox_deallocs++;
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
weakbox_get_tag(WeakBox *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLong(self->tag);
}

static PyGetSetDef weakbox_getset[] = {
    {"tag", (getter)weakbox_get_tag, NULL, NULL, NULL},
    {NULL},
};

static PyTypeObject WeakBox_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.WeakBox",
    .tp_basicsize = sizeof(WeakBox),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = weakbox_new,
    .tp_dealloc = (destructor)weakbox_dealloc,
    .tp_weaklistoffset = offsetof(WeakBox, weakreflist),
    .tp_getset = weakbox_getset,
};

static PyTypeObject NoWeakBox_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.NoWeakBox",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

/* callback None stands for NULL (both mean "no callback"). */
static PyObject *
weakref_newref(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *ob, *callback = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &ob, &callback)) {
        return NULL;
    }
    return PyWeakref_NewRef(ob, callback);
}

static PyObject *
weakref_newproxy(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *ob, *callback = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &ob, &callback)) {
        return NULL;
    }
    return PyWeakref_NewProxy(ob, callback);
}

/* Borrowed: a new reference to it, or NULL with the error. */
static PyObject *
weakref_getobject(PyObject *Py_UNUSED(m), PyObject *ref)
{
    return ferrytest_borrowed_or_null(PyWeakref_GetObject(ref));
}

/* The referent of a weakref made here, read back while the only strong
 * reference is the one this function holds: (referent is ob, ref is None
 * after the last reference went). */
static PyObject *
weakref_roundtrip(PyObject *Py_UNUSED(m), PyObject *ob)
{
    PyObject *ref = PyWeakref_NewRef(ob, NULL);
    if (ref == NULL) {
        return NULL;
    }
    PyObject *got = PyWeakref_GetObject(ref);
    if (got == NULL) {
        Py_DECREF(ref);
        return NULL;
    }
    int same = got == ob;
    Py_DECREF(ref);
    return PyBool_FromLong(same);
}

/* PyObject_ClearWeakRefs on a live object: CPython's checks refuse it
 * (SystemError). NULL is refused too. */
static PyObject *
weakref_clear_live(PyObject *Py_UNUSED(m), PyObject *ob)
{
    NULLABLE(ob);
    PyObject_ClearWeakRefs(ob);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
weakref_weakbox_stats(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(ll)", weakbox_deallocs, weakbox_dealloc_errors);
}

static PyMethodDef weakref_methods[] = {
    {"weakref_newref", weakref_newref, METH_VARARGS, NULL},
    {"weakref_newproxy", weakref_newproxy, METH_VARARGS, NULL},
    {"weakref_getobject", weakref_getobject, METH_O, NULL},
    {"weakref_roundtrip", weakref_roundtrip, METH_O, NULL},
    {"weakref_clear_live", weakref_clear_live, METH_O, NULL},
    {"weakref_weakbox_stats", weakref_weakbox_stats, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_weakref(PyObject *m)
{
    if (PyType_Ready(&WeakBox_Type) < 0 || PyType_Ready(&NoWeakBox_Type) < 0) {
        return -1;
    }
    if (PyModule_AddObjectRef(m, "WeakBox", (PyObject *)&WeakBox_Type) < 0
        || PyModule_AddObjectRef(m, "NoWeakBox", (PyObject *)&NoWeakBox_Type) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, weakref_methods);
}
