/* Static extension types: what every static type uses, from
 * Objects/typeobject.c (PyType_Ready, PyType_GenericAlloc/GenericNew,
 * PyType_GetFlags), Objects/object.c (_PyObject_New[Var], PyObject_Init[Var],
 * _PyObject_NextNotImplemented), Modules/gcmodule.c (_PyObject_GC_New[Var],
 * PyObject_GC_Track/UnTrack/Del, PyObject_IS_GC) and Python/structmember.c
 * (PyMember_GetOne/SetOne, reached through tp_members).
 *
 * Three types: Point (every common slot, members of each kind, a getset,
 * methods of each flavour), VarBox (variable-size, not GC) and GCBox (GC,
 * fixed or variable size, holds references). Deallocations are counted in C.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <stddef.h>
#include <string.h>

#include "ferrytest.h"

static long deallocs_point;
static long deallocs_varbox;
static long deallocs_gcbox;

/* --- Point ---------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    int i;
    double d;
    PyObject *obj;       /* T_OBJECT: NULL reads as None */
    PyObject *obj_ex;    /* T_OBJECT_EX: NULL raises AttributeError */
    int ro;              /* READONLY */
    char flag;           /* T_BOOL */
    char *str;           /* T_STRING: always read-only */
    PyObject *tag;       /* through the getset */
    int pos;             /* iteration position */
} PointObject;

static PyTypeObject Point_Type;

static PyObject *
point_new(PyTypeObject *type, PyObject *Py_UNUSED(args), PyObject *Py_UNUSED(kwds))
{
    PointObject *self = (PointObject *)PyType_GenericAlloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->ro = 99;
    self->str = "static text";
    return (PyObject *)self;
}

static int
point_init(PointObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"i", "d", NULL};
    int i = 0;
    double d = 0.0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|id:Point", kwlist, &i, &d)) {
        return -1;
    }
    self->i = i;
    self->d = d;
    return 0;
}

static void
point_dealloc(PointObject *self)
{
    deallocs_point++;
    Py_CLEAR(self->obj);
    Py_CLEAR(self->obj_ex);
    Py_CLEAR(self->tag);
    PyTypeObject *tp = Py_TYPE(self);
    tp->tp_free((PyObject *)self);
    if (tp->tp_flags & Py_TPFLAGS_HEAPTYPE) {
        Py_DECREF(tp);   /* a Python subclass */
    }
}

static PyObject *
point_repr(PointObject *self)
{
    return PyUnicode_FromFormat("Point(i=%d)", self->i);
}

static PyObject *
point_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(a, &Point_Type) || !PyObject_TypeCheck(b, &Point_Type)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    int x = ((PointObject *)a)->i, y = ((PointObject *)b)->i;
    Py_RETURN_RICHCOMPARE(x, y, op);
}

static Py_hash_t
point_hash(PointObject *self)
{
    Py_hash_t h = self->i;
    return h == -1 ? -2 : h;
}

/* A Point is its own iterator: it yields 0 .. i-1 (once). */
static PyObject *
point_iter(PyObject *self)
{
    return Py_NewRef(self);
}

static PyObject *
point_iternext(PointObject *self)
{
    if (self->pos >= self->i) {
        return NULL;   /* exhausted, no exception */
    }
    return PyLong_FromLong(self->pos++);
}

/* Calling a Point returns (self.i, args, kwargs or None). */
static PyObject *
point_call(PointObject *self, PyObject *args, PyObject *kwargs)
{
    return Py_BuildValue("(iOO)", self->i, args, kwargs ? kwargs : Py_None);
}

static PyObject *
point_get_i(PointObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(self->i);
}

static PyObject *
point_add(PointObject *self, PyObject *other)
{
    long v = PyLong_AsLong(other);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(self->i + v);
}

static PyObject *
point_scale(PointObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"factor", "offset", NULL};
    double factor, offset = 0.0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "d|$d:scale", kwlist,
                                     &factor, &offset)) {
        return NULL;
    }
    return PyFloat_FromDouble(self->d * factor + offset);
}

/* METH_CLASS: an instance of cls made from C through tp_alloc. */
static PyObject *
point_make(PyTypeObject *cls, PyObject *arg)
{
    long i = PyLong_AsLong(arg);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PointObject *p = (PointObject *)cls->tp_new(cls, NULL, NULL);
    if (p == NULL) {
        return NULL;
    }
    p->i = (int)i;
    return (PyObject *)p;
}

static PyObject *
point_static_sum(PyObject *self, PyObject *args)
{
    int a, b;
    if (!PyArg_ParseTuple(args, "ii:static_sum", &a, &b)) {
        return NULL;
    }
    return Py_BuildValue("(Oi)", self ? self : Py_None, a + b);
}

/* METH_FASTCALL | METH_KEYWORDS: (i, positional, kwnames, keyword values). */
static PyObject *
point_fastkw(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    Py_ssize_t nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject *pos = PyTuple_New(nargs), *vals = PyTuple_New(nkw);
    if (pos == NULL || vals == NULL) {
        Py_XDECREF(pos);
        Py_XDECREF(vals);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < nargs + nkw; k++) {
        PyTuple_SET_ITEM(k < nargs ? pos : vals, k < nargs ? k : k - nargs, Py_NewRef(args[k]));
    }
    return Py_BuildValue("(iNON)", ((PointObject *)self)->i, pos,
                         kwnames != NULL ? kwnames : Py_None, vals);
}

static PyMethodDef point_methods[] = {
    {"fastkw", (PyCFunction)(void (*)(void))point_fastkw, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"get_i", (PyCFunction)point_get_i, METH_NOARGS, "Return i."},
    {"add", (PyCFunction)point_add, METH_O, NULL},
    {"scale", (PyCFunction)(void (*)(void))point_scale,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"make", (PyCFunction)point_make, METH_O | METH_CLASS, NULL},
    {"static_sum", (PyCFunction)point_static_sum, METH_VARARGS | METH_STATIC, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef point_members[] = {
    {"i", T_INT, offsetof(PointObject, i), 0, NULL},
    {"d", T_DOUBLE, offsetof(PointObject, d), 0, NULL},
    {"obj", T_OBJECT, offsetof(PointObject, obj), 0, NULL},
    {"obj_ex", T_OBJECT_EX, offsetof(PointObject, obj_ex), 0, NULL},
    {"ro", T_INT, offsetof(PointObject, ro), READONLY, NULL},
    {"flag", T_BOOL, offsetof(PointObject, flag), 0, NULL},
    {"str", T_STRING, offsetof(PointObject, str), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyObject *
point_get_tag(PointObject *self, void *closure)
{
    if (self->tag == NULL) {
        return PyUnicode_FromString((const char *)closure);
    }
    return Py_NewRef(self->tag);
}

static int
point_set_tag(PointObject *self, PyObject *value, void *Py_UNUSED(closure))
{
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "cannot delete tag");
        return -1;
    }
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "tag must be a str");
        return -1;
    }
    Py_XSETREF(self->tag, Py_NewRef(value));
    return 0;
}

static PyGetSetDef point_getset[] = {
    {"tag", (getter)point_get_tag, (setter)point_set_tag, "a str", "untagged"},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject Point_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Point",
    .tp_doc = "Point(i=0, d=0.0)",
    .tp_basicsize = sizeof(PointObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = point_new,
    .tp_init = (initproc)point_init,
    .tp_dealloc = (destructor)point_dealloc,
    .tp_repr = (reprfunc)point_repr,
    .tp_richcompare = point_richcompare,
    .tp_hash = (hashfunc)point_hash,
    .tp_iter = point_iter,
    .tp_iternext = (iternextfunc)point_iternext,
    .tp_call = (ternaryfunc)point_call,
    .tp_methods = point_methods,
    .tp_members = point_members,
    .tp_getset = point_getset,
};

/* --- VarBox: variable size, no GC --------------------------------------- */

typedef struct {
    PyObject_VAR_HEAD
    long items[1];
} VarBoxObject;

static void
varbox_dealloc(PyObject *self)
{
    deallocs_varbox++;
    PyObject_Free(self);
}

static PyObject *
varbox_items(VarBoxObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *t = PyTuple_New(Py_SIZE(self));
    if (t == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < Py_SIZE(self); k++) {
        PyObject *v = PyLong_FromLong(self->items[k]);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, k, v);
    }
    return t;
}

static PyMethodDef varbox_methods[] = {
    {"items", (PyCFunction)varbox_items, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject VarBox_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.VarBox",
    .tp_basicsize = offsetof(VarBoxObject, items),
    .tp_itemsize = sizeof(long),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = varbox_dealloc,
    .tp_methods = varbox_methods,
    /* Not an iterator, said explicitly. */
    .tp_iternext = _PyObject_NextNotImplemented,
};

/* --- GCBox: GC, holds one reference plus n more ------------------------------ */

typedef struct {
    PyObject_VAR_HEAD
    PyObject *value;
    PyObject *items[1];
} GCBoxObject;

static int
gcbox_traverse(GCBoxObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->value);
    for (Py_ssize_t k = 0; k < Py_SIZE(self); k++) {
        Py_VISIT(self->items[k]);
    }
    return 0;
}

static int
gcbox_clear(GCBoxObject *self)
{
    Py_CLEAR(self->value);
    for (Py_ssize_t k = 0; k < Py_SIZE(self); k++) {
        Py_CLEAR(self->items[k]);
    }
    return 0;
}

static void
gcbox_dealloc(GCBoxObject *self)
{
    deallocs_gcbox++;
    PyObject_GC_UnTrack(self);
    gcbox_clear(self);
    PyObject_GC_Del(self);
}

static PyObject *
gcbox_items(GCBoxObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *t = PyTuple_New(Py_SIZE(self));
    if (t == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < Py_SIZE(self); k++) {
        PyObject *v = self->items[k] ? self->items[k] : Py_None;
        PyTuple_SET_ITEM(t, k, Py_NewRef(v));
    }
    return t;
}

static PyMethodDef gcbox_methods[] = {
    {"items", (PyCFunction)gcbox_items, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef gcbox_members[] = {
    {"value", T_OBJECT, offsetof(GCBoxObject, value), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject GCBox_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.GCBox",
    .tp_basicsize = offsetof(GCBoxObject, items),
    .tp_itemsize = sizeof(PyObject *),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)gcbox_dealloc,
    .tp_traverse = (traverseproc)gcbox_traverse,
    .tp_clear = (inquiry)gcbox_clear,
    .tp_methods = gcbox_methods,
    .tp_members = gcbox_members,
};

/* --- module functions ------------------------------------------------------- */

static PyObject *
type_deallocs(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(lll)", deallocs_point, deallocs_varbox, deallocs_gcbox);
}

/* (ready, basetype, heaptype, have_gc) from PyType_GetFlags. */
/* type_bases_mro(type) -> (tp_bases, tp_mro), None for a NULL field, read
 * from the struct as Cython does. */
static PyObject *
type_bases_mro(PyObject *Py_UNUSED(m), PyObject *type)
{
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "test needs a type");
        return NULL;
    }
    PyTypeObject *t = (PyTypeObject *)type;
    return Py_BuildValue("(OO)", t->tp_bases ? t->tp_bases : Py_None,
                         t->tp_mro ? t->tp_mro : Py_None);
}

static PyObject *
type_getflags(PyObject *Py_UNUSED(m), PyObject *type)
{
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "test needs a type");
        return NULL;
    }
    unsigned long flags = PyType_GetFlags((PyTypeObject *)type);
    return Py_BuildValue("(iiii)", (flags & Py_TPFLAGS_READY) != 0,
                         (flags & Py_TPFLAGS_BASETYPE) != 0,
                         (flags & Py_TPFLAGS_HEAPTYPE) != 0,
                         (flags & Py_TPFLAGS_HAVE_GC) != 0);
}

/* A Point made in C by each allocation route; the fields are set in C.
 * how: "new" (_PyObject_New), "init" (PyObject_Malloc + PyObject_Init),
 * "generic" (PyType_GenericNew: tp_init not run). */
static PyObject *
type_point_from_c(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *how;
    int i;
    if (!PyArg_ParseTuple(args, "si", &how, &i)) {
        return NULL;
    }
    PointObject *p;
    if (strcmp(how, "new") == 0) {
        p = PyObject_New(PointObject, &Point_Type);
    }
    else if (strcmp(how, "init") == 0) {
        p = (PointObject *)PyObject_Malloc(sizeof(PointObject));
        if (p == NULL) {
            return PyErr_NoMemory();
        }
        p = (PointObject *)PyObject_Init((PyObject *)p, &Point_Type);
    }
    else if (strcmp(how, "generic") == 0) {
        PyObject *empty = PyTuple_New(0);
        if (empty == NULL) {
            return NULL;
        }
        p = (PointObject *)PyType_GenericNew(&Point_Type, empty, NULL);
        Py_DECREF(empty);
        if (p != NULL) {
            p->i = i;
        }
        return (PyObject *)p;   /* every other field zeroed */
    }
    else {
        PyErr_SetString(PyExc_ValueError, "unknown route");
        return NULL;
    }
    if (p == NULL) {
        return NULL;
    }
    /* _PyObject_New and PyObject_Init do not zero the body. */
    p->i = i;
    p->d = 0.5;
    p->obj = NULL;
    p->obj_ex = NULL;
    p->ro = 7;
    p->flag = 1;
    p->str = "from C";
    p->tag = NULL;
    p->pos = 0;
    return (PyObject *)p;
}

/* The C fields of a Point: (i, d, obj or NULL, flag). */
static PyObject *
type_point_fields(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyObject_TypeCheck(o, &Point_Type)) {
        PyErr_SetString(PyExc_TypeError, "test needs a Point");
        return NULL;
    }
    PointObject *p = (PointObject *)o;
    return Py_BuildValue("(idOi)", p->i, p->d, p->obj ? p->obj : ferrytest_null,
                         p->flag);
}

static PyObject *
type_point_set_i(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    int i;
    if (!PyArg_ParseTuple(args, "O!i", &Point_Type, &o, &i)) {
        return NULL;
    }
    ((PointObject *)o)->i = i;
    Py_RETURN_NONE;
}

/* A strong reference kept in C, so that the same C object can be handed
 * out again later. None clears it. */
static PyObject *stashed;

static PyObject *
type_stash(PyObject *Py_UNUSED(m), PyObject *o)
{
    Py_XSETREF(stashed, o == Py_None ? NULL : Py_NewRef(o));
    Py_RETURN_NONE;
}

static PyObject *
type_stashed(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(stashed ? stashed : ferrytest_null);
}

/* VarBox of the given longs. how: "new" (_PyObject_NewVar) or "init"
 * (PyObject_Malloc + PyObject_InitVar). */
static PyObject *
type_varbox(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *how;
    PyObject *values;
    if (!PyArg_ParseTuple(args, "sO!", &how, &PyTuple_Type, &values)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(values);
    VarBoxObject *b;
    if (strcmp(how, "new") == 0) {
        b = PyObject_NewVar(VarBoxObject, &VarBox_Type, n);
    }
    else if (strcmp(how, "init") == 0) {
        b = (VarBoxObject *)PyObject_Malloc(_PyObject_VAR_SIZE(&VarBox_Type, n));
        if (b == NULL) {
            return PyErr_NoMemory();
        }
        b = (VarBoxObject *)PyObject_InitVar((PyVarObject *)b, &VarBox_Type, n);
    }
    else {
        PyErr_SetString(PyExc_ValueError, "unknown route");
        return NULL;
    }
    if (b == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        b->items[k] = PyLong_AsLong(PyTuple_GET_ITEM(values, k));
    }
    if (PyErr_Occurred()) {
        Py_DECREF(b);
        return NULL;
    }
    return (PyObject *)b;
}

/* GCBox holding `value` and the items of the tuple `items`; with items None
 * it is made by _PyObject_GC_New (size 0), else by _PyObject_GC_NewVar.
 * Tracked with PyObject_GC_Track once every field is set. */
static PyObject *
type_gcbox(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *value, *items;
    if (!PyArg_ParseTuple(args, "OO", &value, &items)) {
        return NULL;
    }
    GCBoxObject *b;
    Py_ssize_t n = 0;
    if (items == Py_None) {
        b = PyObject_GC_New(GCBoxObject, &GCBox_Type);
        if (b == NULL) {
            return NULL;
        }
        Py_SET_SIZE(b, 0);
    }
    else {
        if (!PyTuple_Check(items)) {
            PyErr_SetString(PyExc_TypeError, "items must be a tuple or None");
            return NULL;
        }
        n = PyTuple_GET_SIZE(items);
        b = PyObject_GC_NewVar(GCBoxObject, &GCBox_Type, n);
        if (b == NULL) {
            return NULL;
        }
    }
    b->value = Py_NewRef(value);
    for (Py_ssize_t k = 0; k < n; k++) {
        b->items[k] = Py_NewRef(PyTuple_GET_ITEM(items, k));
    }
    PyObject_GC_Track(b);
    return (PyObject *)b;
}

/* A GCBox whose value is a tuple made in C that holds the box: a cycle
 * that never leaves C; returns None (only the collector frees it). */
static PyObject *
type_gcbox_c_cycle(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    GCBoxObject *b = PyObject_GC_New(GCBoxObject, &GCBox_Type);
    if (b == NULL) {
        return NULL;
    }
    Py_SET_SIZE(b, 0);
    b->value = PyTuple_New(1);
    if (b->value == NULL) {
        Py_DECREF(b);
        return NULL;
    }
    PyTuple_SET_ITEM(b->value, 0, Py_NewRef(b));
    PyObject_GC_Track(b);
    Py_DECREF(b);
    Py_RETURN_NONE;
}

/* A box whose C field holds a dict made in C that holds the box: returned
 * (given) or dropped at once. */
static PyObject *
type_gcbox_dict_cycle(PyObject *Py_UNUSED(m), PyObject *give)
{
    GCBoxObject *b = PyObject_GC_New(GCBoxObject, &GCBox_Type);
    if (b == NULL) {
        return NULL;
    }
    Py_SET_SIZE(b, 0);
    b->value = PyDict_New();
    if (b->value == NULL || PyDict_SetItemString(b->value, "me", (PyObject *)b) < 0) {
        Py_DECREF(b);
        return NULL;
    }
    PyObject_GC_Track(b);
    if (PyObject_IsTrue(give)) {
        return (PyObject *)b;
    }
    Py_DECREF(b);
    Py_RETURN_NONE;
}

/* PyObject_GC_IsTracked; gc_set_tracked(o, on): PyObject_GC_Track or UnTrack. */
static PyObject *
type_gc_is_tracked(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(PyObject_GC_IsTracked(o));
}

static PyObject *
type_gc_set_tracked(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    int on;
    if (!PyArg_ParseTuple(args, "Op", &o, &on)) {
        return NULL;
    }
    if (on) {
        PyObject_GC_Track(o);
    }
    else {
        PyObject_GC_UnTrack(o);
    }
    Py_RETURN_NONE;
}

static PyObject *
type_is_gc(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(PyObject_IS_GC(o));
}

/* _PyObject_NextNotImplemented(o): always TypeError. */
static PyObject *
type_next_not_implemented(PyObject *Py_UNUSED(m), PyObject *o)
{
    PyObject *r = _PyObject_NextNotImplemented(o);
    if (r != NULL) {
        Py_DECREF(r);
        return ferrytest_missing_error("a value");
    }
    return NULL;
}

/* PyIter_Check of an object (false for tp_iternext ==
 * _PyObject_NextNotImplemented). */
static PyObject *
type_iter_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(PyIter_Check(o));
}

/* PyMember_GetOne / PyMember_SetOne called directly with a Point member
 * (by name); value None for set means NULL, i.e. delete. */
static PyMemberDef *
point_member(const char *name)
{
    for (PyMemberDef *def = point_members; def->name != NULL; def++) {
        if (strcmp(def->name, name) == 0) {
            return def;
        }
    }
    PyErr_Format(PyExc_ValueError, "no member %s", name);
    return NULL;
}

static PyObject *
type_member_getone(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *name;
    if (!PyArg_ParseTuple(args, "O!s", &Point_Type, &o, &name)) {
        return NULL;
    }
    PyMemberDef *def = point_member(name);
    if (def == NULL) {
        return NULL;
    }
    return PyMember_GetOne((const char *)o, def);
}

static PyObject *
type_member_setone(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *value;
    const char *name;
    if (!PyArg_ParseTuple(args, "O!sO", &Point_Type, &o, &name, &value)) {
        return NULL;
    }
    NULLABLE(value);
    PyMemberDef *def = point_member(name);
    if (def == NULL) {
        return NULL;
    }
    RETURN_INT(PyMember_SetOne((char *)o, def, value));
}

static PyObject *type_meta_view(PyObject *m, PyObject *cls);

/* --- objects defined statically (numpy's builtin dtypes, np.True_) ------- */

/* Two Points next to each other: the layer must not keep its records for the
 * second in the memory before it, which is the first's. */
static PointObject static_points[2] = {
    {PyObject_HEAD_INIT(&Point_Type) .i = 11, .d = 1.5},
    {PyObject_HEAD_INIT(&Point_Type) .i = 22, .d = 2.5},
};

/* static_point(k): the static Point k (a new reference, as any getter's). */
static PyObject *
type_static_point(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long k = PyLong_AsLong(arg);
    if (k < 0 || k > 1) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_IndexError, "0 or 1");
        }
        return NULL;
    }
    return Py_NewRef((PyObject *)&static_points[k]);
}

/* raw_point(i): a Point in memory from PyMem_RawMalloc, made an object by
 * PyObject_Init (numpy's iterators are made so). */
static PyObject *
type_raw_point(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long i = PyLong_AsLong(arg);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PointObject *p = PyMem_RawMalloc(sizeof(PointObject));
    if (p == NULL) {
        return PyErr_NoMemory();
    }
    memset(p, 0, sizeof(PointObject));
    PyObject_Init((PyObject *)p, &Point_Type);
    p->i = (int)i;
    return (PyObject *)p;
}

/* static_points_intact(): each static Point's fields as C left them, and
 * refcounts that never reached zero. */
static PyObject *
type_static_points_intact(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    int ok = 1;
    for (int k = 0; k < 2; k++) {
        PointObject *p = &static_points[k];
        ok &= Py_IS_TYPE((PyObject *)p, &Point_Type) && Py_REFCNT(p) >= 1 && p->ro == 0 &&
              p->str == NULL && p->pos == 0;
    }
    ok &= static_points[0].i == 11 && static_points[1].i == 22;
    return PyBool_FromLong(ok);
}

/* --- Caller: tp_call is PyVectorcall_Call (numpy's ufuncs) ---------------- */

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    long calls;
} CallerObject;

/* (positional, keyword names, keyword values) as they came */
static PyObject *
caller_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    ((CallerObject *)self)->calls++;
    PyObject *pos = PyTuple_New(n);
    PyObject *values = PyTuple_New(nkw);
    if (pos == NULL || values == NULL) {
        Py_XDECREF(pos);
        Py_XDECREF(values);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTuple_SET_ITEM(pos, i, Py_NewRef(args[i]));
    }
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyTuple_SET_ITEM(values, i, Py_NewRef(args[n + i]));
    }
    return Py_BuildValue("(NON)", pos, kwnames ? kwnames : Py_None, values);
}

static PyObject *
caller_new(PyTypeObject *type, PyObject *Py_UNUSED(args), PyObject *Py_UNUSED(kwds))
{
    CallerObject *self = (CallerObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->vectorcall = caller_vectorcall;
    }
    return (PyObject *)self;
}

static PyObject *
caller_calls(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(((CallerObject *)self)->calls);
}

/* forget(): the vectorcall function cleared (PyVectorcall_Call refuses). */
static PyObject *
caller_forget(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    ((CallerObject *)self)->vectorcall = NULL;
    Py_RETURN_NONE;
}

static PyMethodDef caller_methods[] = {
    {"calls", caller_calls, METH_NOARGS, NULL},
    {"forget", caller_forget, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Caller_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Caller",
    .tp_basicsize = sizeof(CallerObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_vectorcall_offset = offsetof(CallerObject, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_new = caller_new,
    .tp_methods = caller_methods,
};

static PyMethodDef type_methods[] = {
    {"type_static_point", type_static_point, METH_O, NULL},
    {"type_raw_point", type_raw_point, METH_O, NULL},
    {"type_static_points_intact", type_static_points_intact, METH_NOARGS, NULL},
    {"type_deallocs", type_deallocs, METH_NOARGS, NULL},
    {"type_getflags", type_getflags, METH_O, NULL},
    {"type_bases_mro", type_bases_mro, METH_O, NULL},
    {"type_point_from_c", type_point_from_c, METH_VARARGS, NULL},
    {"type_point_fields", type_point_fields, METH_O, NULL},
    {"type_point_set_i", type_point_set_i, METH_VARARGS, NULL},
    {"type_stash", type_stash, METH_O, NULL},
    {"type_stashed", type_stashed, METH_NOARGS, NULL},
    {"type_varbox", type_varbox, METH_VARARGS, NULL},
    {"type_gcbox", type_gcbox, METH_VARARGS, NULL},
    {"type_gcbox_c_cycle", type_gcbox_c_cycle, METH_NOARGS, NULL},
    {"type_gcbox_dict_cycle", type_gcbox_dict_cycle, METH_O, NULL},
    {"type_gc_is_tracked", type_gc_is_tracked, METH_O, NULL},
    {"type_gc_set_tracked", type_gc_set_tracked, METH_VARARGS, NULL},
    {"type_is_gc", type_is_gc, METH_O, NULL},
    {"type_next_not_implemented", type_next_not_implemented, METH_O, NULL},
    {"type_iter_check", type_iter_check, METH_O, NULL},
    {"type_member_getone", type_member_getone, METH_VARARGS, NULL},
    {"type_member_setone", type_member_setone, METH_VARARGS, NULL},
    {"type_meta_view", type_meta_view, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

/* --- Meta: a metaclass of C (numpy's _DTypeMeta, pybind11's metaclass) ---
 * Its instances are types with a field of its own after PyHeapTypeObject;
 * Described is a static type of it, readied with the field set; a class
 * Python makes with it (or derives from Described) has the field zeroed. */

typedef struct {
    PyHeapTypeObject ht;
    long tag;
} MetaObject;

static PyObject *
meta_get_tag(PyObject *cls, void *Py_UNUSED(closure))
{
    return PyLong_FromLong(((MetaObject *)cls)->tag);
}

static int
meta_set_tag(PyObject *cls, PyObject *v, void *Py_UNUSED(closure))
{
    long tag = v ? PyLong_AsLong(v) : -1;
    if (tag == -1 && PyErr_Occurred()) {
        return -1;
    }
    ((MetaObject *)cls)->tag = tag;
    return 0;
}

/* cls.describe(): its name and tag, read from the type's struct. */
static PyObject *
meta_describe(PyObject *cls, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromFormat("%s:%ld", ((PyTypeObject *)cls)->tp_name, ((MetaObject *)cls)->tag);
}

static PyGetSetDef meta_getset[] = {
    {"tag", meta_get_tag, meta_set_tag, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef meta_methods[] = {
    {"describe", meta_describe, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Meta_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Meta",
    .tp_basicsize = sizeof(MetaObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_getset = meta_getset,
    .tp_methods = meta_methods,
};

typedef struct {
    PyObject_HEAD
    long value;
} DescribedObject;

static PyObject *
described_new(PyTypeObject *type, PyObject *args, PyObject *Py_UNUSED(kwds))
{
    long value = 0;
    if (!PyArg_ParseTuple(args, "|l", &value)) {
        return NULL;
    }
    DescribedObject *self = (DescribedObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->value = value;
    }
    return (PyObject *)self;
}

static PyObject *
described_value(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(((DescribedObject *)self)->value);
}

static PyMethodDef described_methods[] = {
    {"value", described_value, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static MetaObject Described_Type = {
    .ht = {.ht_type = {
        PyVarObject_HEAD_INIT(&Meta_Type, 0)
        .tp_name = "_ferrytest.Described",
        .tp_basicsize = sizeof(DescribedObject),
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
        .tp_new = described_new,
        .tp_methods = described_methods,
    }},
    .tag = 7,
};

/* (Py_TYPE(cls) == &Meta_Type, PyObject_TypeCheck(cls, &Meta_Type), the
 * tag read from the struct): what C sees of a class. */
static PyObject *
type_meta_view(PyObject *Py_UNUSED(m), PyObject *cls)
{
    if (!PyObject_TypeCheck(cls, &Meta_Type)) {
        return Py_BuildValue("(iiO)", Py_IS_TYPE(cls, &Meta_Type), 0, Py_None);
    }
    return Py_BuildValue("(iil)", Py_IS_TYPE(cls, &Meta_Type), 1, ((MetaObject *)cls)->tag);
}

/* Shadowed: a static type whose tp_dict C writes a method's name into,
 * before PyType_Ready ("value": 42 wins over the method) and after it
 * (type_shadow_other: "other" = 7, then PyType_Modified). */
static PyObject *
shadowed_value(PyObject *self, PyObject *Py_UNUSED(unused))
{
    return PyLong_FromLong(1);
}

static PyObject *
shadowed_other(PyObject *self, PyObject *Py_UNUSED(unused))
{
    return PyLong_FromLong(2);
}

static PyMethodDef shadowed_methods[] = {
    {"value", shadowed_value, METH_NOARGS, NULL},
    {"other", shadowed_other, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Shadowed_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Shadowed",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_methods = shadowed_methods,
};

static PyObject *
type_shadow_other(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(args))
{
    PyObject *seven = PyLong_FromLong(7);
    int r = seven ? PyDict_SetItemString(Shadowed_Type.tp_dict, "other", seven) : -1;
    Py_XDECREF(seven);
    if (r < 0) {
        return NULL;
    }
    PyType_Modified(&Shadowed_Type);
    Py_RETURN_NONE;
}

static PyMethodDef shadow_methods[] = {
    {"type_shadow_other", type_shadow_other, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_type(PyObject *m)
{
    PyObject *answer = PyLong_FromLong(42);
    Shadowed_Type.tp_dict = PyDict_New();
    if (answer == NULL || Shadowed_Type.tp_dict == NULL
        || PyDict_SetItemString(Shadowed_Type.tp_dict, "value", answer) < 0
        || PyType_Ready(&Shadowed_Type) < 0
        || PyModule_AddObjectRef(m, "Shadowed", (PyObject *)&Shadowed_Type) < 0
        || PyModule_AddFunctions(m, shadow_methods) < 0) {
        Py_XDECREF(answer);
        return -1;
    }
    Py_DECREF(answer);
    Meta_Type.tp_base = &PyType_Type;
    if (PyType_Ready(&Point_Type) < 0
        || PyType_Ready(&VarBox_Type) < 0
        || PyType_Ready(&GCBox_Type) < 0
        || PyType_Ready(&Caller_Type) < 0
        || PyType_Ready(&Meta_Type) < 0
        || PyType_Ready((PyTypeObject *)&Described_Type) < 0) {
        return -1;
    }
    if (PyModule_AddObjectRef(m, "Meta", (PyObject *)&Meta_Type) < 0
        || PyModule_AddObjectRef(m, "Described", (PyObject *)&Described_Type) < 0) {
        return -1;
    }
    if (PyModule_AddObjectRef(m, "Point", (PyObject *)&Point_Type) < 0
        || PyModule_AddObjectRef(m, "VarBox", (PyObject *)&VarBox_Type) < 0
        || PyModule_AddObjectRef(m, "GCBox", (PyObject *)&GCBox_Type) < 0
        || PyModule_AddObjectRef(m, "Caller", (PyObject *)&Caller_Type) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, type_methods);
}
