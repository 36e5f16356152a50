/* Heap types and type dictionaries, from Objects/typeobject.c
 * (PyType_FromSpec, PyType_FromSpecWithBases, PyType_FromModuleAndSpec,
 * PyType_GetSlot, PyType_GetModule, PyType_GetModuleState,
 * PyType_GetModuleByDef, PyType_GetName, PyType_GetQualName,
 * PyType_Modified, _PyType_Lookup) and Objects/object.c
 * (_PyObject_GetDictPtr, _PyObject_GenericGetAttrWithDict).
 *
 * Types made at import: Widget (from a module and a spec: slots of each
 * table, members with the special offsets, a getset, a doc with a
 * signature), Gadget (Widget as its base, given as a type; no subclasses),
 * Gizmo (bases given as a tuple), Plain (no tp_new: object's), NoNew
 * (Py_TPFLAGS_DISALLOW_INSTANTIATION), and Reducible, a static type whose
 * tp_dict is written in C as Cython does (__pyx_vtable__ before the type is
 * ever used, __Pyx_setup_reduce after). MixA, MixB, MixC, Both and Duo
 * (below) are types of several bases.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <stddef.h>
#include <string.h>

#include "ferrytest.h"

static PyObject *heaptype_module;       /* borrowed: the module lives on */
static PyModuleDef *heaptype_def;
static long deallocs_widget;

/* --- Widget --------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    long value;
    PyObject *dict;          /* __dictoffset__ */
    PyObject *weakreflist;   /* __weaklistoffset__ */
    vectorcallfunc vectorcall;   /* __vectorcalloffset__ (no Py_TPFLAGS_HAVE_VECTORCALL) */
    PyObject *tag;
} WidgetObject;

static PyObject *
widget_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"value", NULL};
    long value = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|l:Widget", kwlist, &value)) {
        return NULL;
    }
    WidgetObject *self = (WidgetObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->value = value;
    return (PyObject *)self;
}

static void
widget_dealloc(WidgetObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    deallocs_widget++;
    Py_CLEAR(self->dict);
    Py_CLEAR(self->tag);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);   /* instances of heap types own a reference to their type */
}

static PyObject *
widget_repr(WidgetObject *self)
{
    return PyUnicode_FromFormat("<%s %ld>", Py_TYPE(self)->tp_name, self->value);
}

static PyObject *
widget_add(PyObject *a, PyObject *b)
{
    PyTypeObject *widget = (PyTypeObject *)PyObject_GetAttrString(heaptype_module, "Widget");
    if (widget == NULL) {
        return NULL;
    }
    int ok = PyObject_TypeCheck(a, widget) && PyLong_Check(b);
    Py_DECREF(widget);
    if (!ok) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    long v = PyLong_AsLong(b);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(((WidgetObject *)a)->value + v);
}

static Py_ssize_t
widget_length(WidgetObject *self)
{
    return self->value < 0 ? 0 : self->value;
}

static PyObject *
widget_get_value(WidgetObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(self->value);
}

/* The module found from the instance's type, through its MRO. */
static PyObject *
widget_module_is_ours(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *m = PyType_GetModuleByDef(Py_TYPE(self), heaptype_def);
    if (m == NULL) {
        return NULL;
    }
    return PyBool_FromLong(m == heaptype_module);
}

static PyMethodDef widget_methods[] = {
    {"get_value", (PyCFunction)widget_get_value, METH_NOARGS, "Return the value."},
    {"module_is_ours", widget_module_is_ours, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef widget_members[] = {
    {"value", T_LONG, offsetof(WidgetObject, value), 0, "the value"},
    {"__dictoffset__", T_PYSSIZET, offsetof(WidgetObject, dict), READONLY, NULL},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(WidgetObject, weakreflist), READONLY, NULL},
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(WidgetObject, vectorcall), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyObject *
widget_get_tag(WidgetObject *self, void *Py_UNUSED(closure))
{
    return Py_NewRef(self->tag ? self->tag : Py_None);
}

static int
widget_set_tag(WidgetObject *self, PyObject *value, void *Py_UNUSED(closure))
{
    Py_XSETREF(self->tag, Py_XNewRef(value));
    return 0;
}

static PyGetSetDef widget_getset[] = {
    {"tag", (getter)widget_get_tag, (setter)widget_set_tag, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot widget_slots[] = {
    {Py_tp_doc, "Widget(value=0)\n--\n\nA widget made from a spec."},
    {Py_tp_new, widget_new},
    {Py_tp_dealloc, widget_dealloc},
    {Py_tp_repr, widget_repr},
    {Py_nb_add, widget_add},
    {Py_sq_length, widget_length},
    {Py_tp_methods, widget_methods},
    {Py_tp_members, widget_members},
    {Py_tp_getset, widget_getset},
    {0, NULL},
};

static PyType_Spec widget_spec = {
    .name = "_ferrytest.Widget",
    .basicsize = sizeof(WidgetObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = widget_slots,
};

/* --- Gadget, Gizmo: Widget's subclasses ------------------------------------ */

static PyObject *
gadget_twice(WidgetObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(2 * self->value);
}

static PyMethodDef gadget_methods[] = {
    {"twice", (PyCFunction)gadget_twice, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot gadget_slots[] = {
    {Py_tp_methods, gadget_methods},
    {0, NULL},
};

static PyType_Spec gadget_spec = {
    .name = "_ferrytest.Gadget",
    .basicsize = 0,   /* Widget's */
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = gadget_slots,
};

static PyType_Slot gizmo_slots[] = {
    {0, NULL},
};

static PyType_Spec gizmo_spec = {
    .name = "_ferrytest.sub.Gizmo",
    .basicsize = sizeof(WidgetObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = gizmo_slots,
};

/* --- Plain, NoNew ---------------------------------------------------------- */

static PyType_Slot plain_slots[] = {
    {Py_tp_doc, "A plain heap type."},
    {0, NULL},
};

static PyType_Spec plain_spec = {
    .name = "_ferrytest.Plain",
    .basicsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = plain_slots,
};

static PyType_Slot nonew_slots[] = {
    {Py_tp_new, widget_new},   /* dropped: instantiation is disallowed */
    {0, NULL},
};

static PyType_Spec nonew_spec = {
    .name = "_ferrytest.NoNew",
    .basicsize = sizeof(WidgetObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = nonew_slots,
};

/* --- Reducible: a static type whose tp_dict C writes, as Cython does ----- */

typedef struct {
    PyObject_HEAD
    long n;
} ReducibleObject;

static PyObject *
reducible_new(PyTypeObject *type, PyObject *args, PyObject *Py_UNUSED(kwds))
{
    long n = 0;
    if (!PyArg_ParseTuple(args, "|l", &n)) {
        return NULL;
    }
    ReducibleObject *self = (ReducibleObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->n = n;
    }
    return (PyObject *)self;
}

static PyObject *
reducible_reduce_cython(ReducibleObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(O(l))", (PyObject *)Py_TYPE(self), self->n);
}

static PyMethodDef reducible_methods[] = {
    {"__reduce_cython__", (PyCFunction)reducible_reduce_cython, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Reducible_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Reducible",
    .tp_basicsize = sizeof(ReducibleObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = reducible_new,
    .tp_methods = reducible_methods,
};

static int vtable_marker;

/* __Pyx_setup_reduce, in short: __reduce__ becomes __reduce_cython__, which
 * leaves the type's dict. */
static PyObject *
heaptype_setup_reduce(PyObject *Py_UNUSED(module), PyObject *arg)
{
    PyTypeObject *type = (PyTypeObject *)arg;
    PyObject *reduce_cython = PyDict_GetItemString(type->tp_dict, "__reduce_cython__");
    if (reduce_cython == NULL) {
        return PyErr_Occurred() ? NULL : ferrytest_missing_error("__reduce_cython__");
    }
    if (PyDict_SetItemString(type->tp_dict, "__reduce__", reduce_cython) < 0
        || PyDict_DelItemString(type->tp_dict, "__reduce_cython__") < 0) {
        return NULL;
    }
    PyType_Modified(type);
    Py_RETURN_NONE;
}

/* The capsule written into tp_dict before the type was first used. */
static PyObject *
heaptype_vtable_ok(PyObject *Py_UNUSED(module), PyObject *capsule)
{
    void *p = PyCapsule_GetPointer(capsule, NULL);
    if (p == NULL) {
        return NULL;
    }
    return PyBool_FromLong(p == &vtable_marker);
}

/* --- MixA, MixB, MixC, Both, Duo: several bases ------------------------------
 * MixA adds no fields (its solid base is object), MixB and MixC each add one:
 * Both (bases MixA, MixB, from a spec) is laid out as MixB, which becomes its
 * tp_base; Duo is the same as a static type readied with tp_bases set (its
 * bases StaticMixA and StaticMixB, since a static type's must be static). */

typedef struct {
    PyObject_HEAD
    long b;
} MixBObject;

typedef struct {
    PyObject_HEAD
    double c;
} MixCObject;

static PyObject *
mix_which_a(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("a");
}

static PyObject *
mix_which_b(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("b");
}

static PyObject *
mixa_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<MixA %s>", Py_TYPE(self)->tp_name);
}

static PyObject *
mixb_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<MixB %ld>", ((MixBObject *)self)->b);
}

static PyObject *
mixb_new(PyTypeObject *type, PyObject *Py_UNUSED(args), PyObject *Py_UNUSED(kwds))
{
    MixBObject *self = (MixBObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->b = 42;
    }
    return (PyObject *)self;
}

static PyObject *
mixb_negative(PyObject *self)
{
    return PyLong_FromLong(-((MixBObject *)self)->b);
}

static PyMethodDef mixa_methods[] = {
    {"which_a", mix_which_a, METH_NOARGS, NULL},
    {"shared", mix_which_a, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef mixb_methods[] = {
    {"which_b", mix_which_b, METH_NOARGS, NULL},
    {"shared", mix_which_b, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef mixb_members[] = {
    {"b", T_LONG, offsetof(MixBObject, b), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot mixa_slots[] = {
    {Py_tp_repr, mixa_repr},
    {Py_tp_methods, mixa_methods},
    {0, NULL},
};

static PyType_Spec mixa_spec = {
    .name = "_ferrytest.MixA",
    .basicsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = mixa_slots,
};

static PyType_Slot mixb_slots[] = {
    {Py_tp_new, mixb_new},
    {Py_tp_repr, mixb_repr},
    {Py_nb_negative, mixb_negative},
    {Py_tp_methods, mixb_methods},
    {Py_tp_members, mixb_members},
    {0, NULL},
};

static PyType_Spec mixb_spec = {
    .name = "_ferrytest.MixB",
    .basicsize = sizeof(MixBObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = mixb_slots,
};

static PyType_Slot mixc_slots[] = {
    {0, NULL},
};

static PyType_Spec mixc_spec = {
    .name = "_ferrytest.MixC",
    .basicsize = sizeof(MixCObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = mixc_slots,
};

static PyType_Slot both_slots[] = {
    {0, NULL},
};

static PyType_Spec both_spec = {
    .name = "_ferrytest.Both",
    .basicsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = both_slots,
};

/* MixA and MixB again as static types: a static type's bases are static. */
static PyTypeObject StaticMixA_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.StaticMixA",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_repr = mixa_repr,
    .tp_methods = mixa_methods,
};

static PyNumberMethods mixb_as_number = {
    .nb_negative = mixb_negative,
};

static PyTypeObject StaticMixB_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.StaticMixB",
    .tp_basicsize = sizeof(MixBObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = mixb_new,
    .tp_repr = mixb_repr,
    .tp_as_number = &mixb_as_number,
    .tp_methods = mixb_methods,
    .tp_members = mixb_members,
};

static PyTypeObject Duo_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Duo",
    .tp_basicsize = sizeof(MixBObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};

/* (Py_TYPE(o)->tp_repr(o), Py_TYPE(o)->tp_as_number->nb_negative(o)): the
 * slots as C reads them. */
static PyObject *
heaptype_mix_slots(PyObject *Py_UNUSED(module), PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);
    PyObject *r = tp->tp_repr(o);
    PyObject *n = r && tp->tp_as_number && tp->tp_as_number->nb_negative
                      ? tp->tp_as_number->nb_negative(o) : Py_NewRef(ferrytest_null);
    PyObject *t = r && n ? PyTuple_Pack(2, r, n) : NULL;
    Py_XDECREF(r);
    Py_XDECREF(n);
    return t;
}

/* A static type readied with the bases given (tp_base: the last one), as
 * numpy readies its scalar types; the type, or the error. */
static PyObject *
heaptype_ready_with_bases(PyObject *Py_UNUSED(module), PyObject *bases)
{
    static PyTypeObject types[8];
    static int used;
    if (!PyTuple_Check(bases) || PyTuple_GET_SIZE(bases) == 0 || used == 8) {
        PyErr_SetString(PyExc_ValueError, "a non-empty tuple, at most 8 times");
        return NULL;
    }
    PyTypeObject *t = &types[used++];
    PyTypeObject *base = (PyTypeObject *)PyTuple_GET_ITEM(bases, PyTuple_GET_SIZE(bases) - 1);
    Py_SET_TYPE(t, &PyType_Type);
    t->tp_name = "_ferrytest.Readied";
    t->tp_basicsize = base->tp_basicsize;
    t->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
    t->tp_base = base;
    t->tp_bases = Py_NewRef(bases);
    if (PyType_Ready(t) < 0) {
        return NULL;
    }
    return Py_NewRef((PyObject *)t);
}

/* --- wrappers -------------------------------------------------------------- */

static PyObject *
heaptype_deallocs(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(deallocs_widget);
}

/* PyType_FromSpec & co. on broken specs, by name. */
static PyObject *
heaptype_from_spec(PyObject *Py_UNUSED(module), PyObject *args)
{
    const char *which;
    PyObject *bases = NULL;
    if (!PyArg_ParseTuple(args, "s|O", &which, &bases)) {
        return NULL;
    }
    NULLABLE(bases);   /* NULL: object, or the spec's Py_tp_base(s) */
    static PyType_Slot empty_slots[] = {{0, NULL}};
    static PyType_Slot bad_slots[] = {{1000, NULL}, {0, NULL}};
    static PyType_Slot neg_slots[] = {{-1, NULL}, {0, NULL}};
    PyType_Spec spec = {
        .name = "_ferrytest.Made",
        .basicsize = 0,
        .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
        .slots = empty_slots,
    };
    if (strcmp(which, "noname") == 0) {
        spec.name = NULL;
    }
    else if (strcmp(which, "badslot") == 0) {
        spec.slots = bad_slots;
    }
    else if (strcmp(which, "negslot") == 0) {
        spec.slots = neg_slots;
    }
    else if (strcmp(which, "nodot") == 0) {
        spec.name = "NoDot";
    }
    else if (strcmp(which, "withbases") == 0) {
        return PyType_FromSpecWithBases(&spec, bases);
    }
    else if (strcmp(which, "module") == 0) {
        return PyType_FromModuleAndSpec(heaptype_module, &spec, bases);
    }
    else if (strcmp(which, "plain") != 0) {
        PyErr_SetString(PyExc_ValueError, which);
        return NULL;
    }
    return PyType_FromSpec(&spec);
}

/* PyType_GetSlot: a str for Py_tp_doc, the object for Py_tp_base, True for
 * any other slot present, the NULL sentinel for an absent one. */
static PyObject *
heaptype_getslot(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *type;
    int slot;
    if (!PyArg_ParseTuple(args, "O!i", &PyType_Type, &type, &slot)) {
        return NULL;
    }
    void *p = PyType_GetSlot((PyTypeObject *)type, slot);
    if (p == NULL) {
        return PyErr_Occurred() ? NULL : Py_NewRef(ferrytest_null);
    }
    if (slot == Py_tp_doc) {
        return PyUnicode_FromString((const char *)p);
    }
    if (slot == Py_tp_base) {
        return Py_NewRef((PyObject *)p);
    }
    Py_RETURN_TRUE;
}

static PyObject *
heaptype_getmodule(PyObject *Py_UNUSED(module), PyObject *type)
{
    /* A non-type would crash CPython (asserted). */
    return ferrytest_borrowed_or_null(PyType_GetModule((PyTypeObject *)type));
}

/* True when the type's module state is the module's. */
static PyObject *
heaptype_getmodulestate(PyObject *Py_UNUSED(module), PyObject *type)
{
    void *state = PyType_GetModuleState((PyTypeObject *)type);
    if (state == NULL) {
        return PyErr_Occurred() ? NULL : Py_NewRef(ferrytest_null);
    }
    return PyBool_FromLong(state == PyModule_GetState(heaptype_module));
}

static PyObject *
heaptype_getmodulebydef(PyObject *Py_UNUSED(module), PyObject *type)
{
    return ferrytest_borrowed_or_null(PyType_GetModuleByDef((PyTypeObject *)type, heaptype_def));
}

static PyObject *
heaptype_getname(PyObject *Py_UNUSED(module), PyObject *type)
{
    return PyType_GetName((PyTypeObject *)type);
}

static PyObject *
heaptype_getqualname(PyObject *Py_UNUSED(module), PyObject *type)
{
    return PyType_GetQualName((PyTypeObject *)type);
}

/* tp_dict of a type of C, read and written as Cython does. */
static PyObject *
heaptype_dict_get(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *type, *key;
    if (!PyArg_ParseTuple(args, "O!O", &PyType_Type, &type, &key)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(PyDict_GetItemWithError(((PyTypeObject *)type)->tp_dict, key));
}

static PyObject *
heaptype_dict_set(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *type, *key, *value = NULL;
    if (!PyArg_ParseTuple(args, "O!O|O", &PyType_Type, &type, &key, &value)) {
        return NULL;
    }
    PyObject *dict = ((PyTypeObject *)type)->tp_dict;
    RETURN_INT(value ? PyDict_SetItem(dict, key, value) : PyDict_DelItem(dict, key));
}

static PyObject *
heaptype_modified(PyObject *Py_UNUSED(module), PyObject *type)
{
    PyType_Modified((PyTypeObject *)type);
    Py_RETURN_NONE;
}

static PyObject *
heaptype_lookup(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *type, *name;
    if (!PyArg_ParseTuple(args, "O!O", &PyType_Type, &type, &name)) {
        return NULL;
    }
    PyObject *r = _PyType_Lookup((PyTypeObject *)type, name);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from _PyType_Lookup");
    }
    return ferrytest_borrowed_or_null(r);
}

/* _PyObject_GetDictPtr: "get" answers *ptr (None when it is NULL, the NULL
 * sentinel when ptr is); "replace" stores a new dict {key: value} there;
 * "clear" stores NULL. */
static PyObject *
heaptype_dictptr(PyObject *Py_UNUSED(module), PyObject *args)
{
    const char *op;
    PyObject *obj, *key = NULL, *value = NULL;
    if (!PyArg_ParseTuple(args, "sO|OO", &op, &obj, &key, &value)) {
        return NULL;
    }
    PyObject **ptr = _PyObject_GetDictPtr(obj);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from _PyObject_GetDictPtr");
    }
    if (ptr == NULL) {
        return Py_NewRef(ferrytest_null);
    }
    if (strcmp(op, "get") == 0) {
        return Py_NewRef(*ptr ? *ptr : Py_None);
    }
    if (strcmp(op, "replace") == 0) {
        PyObject *d = PyDict_New();
        if (d == NULL || PyDict_SetItem(d, key, value) < 0) {
            Py_XDECREF(d);
            return NULL;
        }
        Py_XSETREF(*ptr, d);
        Py_RETURN_NONE;
    }
    if (strcmp(op, "clear") == 0) {
        Py_CLEAR(*ptr);
        Py_RETURN_NONE;
    }
    PyErr_SetString(PyExc_ValueError, op);
    return NULL;
}

static PyObject *
heaptype_generic_getattr(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *obj, *name, *dict;
    int suppress;
    if (!PyArg_ParseTuple(args, "OOOi", &obj, &name, &dict, &suppress)) {
        return NULL;
    }
    NULLABLE(dict);
    PyObject *r = _PyObject_GenericGetAttrWithDict(obj, name, dict, suppress);
    if (r == NULL && !PyErr_Occurred()) {
        return Py_NewRef(ferrytest_null);
    }
    return r;
}

static PyMethodDef heaptype_methods[] = {
    {"heaptype_deallocs", heaptype_deallocs, METH_NOARGS, NULL},
    {"heaptype_from_spec", heaptype_from_spec, METH_VARARGS, NULL},
    {"heaptype_getslot", heaptype_getslot, METH_VARARGS, NULL},
    {"heaptype_getmodule", heaptype_getmodule, METH_O, NULL},
    {"heaptype_getmodulestate", heaptype_getmodulestate, METH_O, NULL},
    {"heaptype_getmodulebydef", heaptype_getmodulebydef, METH_O, NULL},
    {"heaptype_getname", heaptype_getname, METH_O, NULL},
    {"heaptype_getqualname", heaptype_getqualname, METH_O, NULL},
    {"heaptype_dict_get", heaptype_dict_get, METH_VARARGS, NULL},
    {"heaptype_dict_set", heaptype_dict_set, METH_VARARGS, NULL},
    {"heaptype_modified", heaptype_modified, METH_O, NULL},
    {"heaptype_lookup", heaptype_lookup, METH_VARARGS, NULL},
    {"heaptype_dictptr", heaptype_dictptr, METH_VARARGS, NULL},
    {"heaptype_generic_getattr", heaptype_generic_getattr, METH_VARARGS, NULL},
    {"heaptype_setup_reduce", heaptype_setup_reduce, METH_O, NULL},
    {"heaptype_vtable_ok", heaptype_vtable_ok, METH_O, NULL},
    {"heaptype_mix_slots", heaptype_mix_slots, METH_O, NULL},
    {"heaptype_ready_with_bases", heaptype_ready_with_bases, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static int
add_type(PyObject *m, const char *name, PyObject *type)
{
    if (type == NULL) {
        return -1;
    }
    int r = PyModule_AddObjectRef(m, name, type);
    Py_DECREF(type);
    return r;
}

int
ferrytest_init_heaptype(PyObject *m)
{
    heaptype_module = m;
    heaptype_def = PyModule_GetDef(m);
    PyObject *widget = PyType_FromModuleAndSpec(m, &widget_spec, NULL);
    if (widget == NULL) {
        return -1;
    }
    PyObject *bases = PyTuple_Pack(1, widget);
    if (add_type(m, "Gadget", PyType_FromSpecWithBases(&gadget_spec, widget)) < 0
        || bases == NULL
        || add_type(m, "Gizmo", PyType_FromSpecWithBases(&gizmo_spec, bases)) < 0
        || add_type(m, "Widget", widget) < 0
        || add_type(m, "Plain", PyType_FromSpec(&plain_spec)) < 0
        || add_type(m, "NoNew", PyType_FromSpec(&nonew_spec)) < 0) {
        Py_XDECREF(bases);
        return -1;
    }
    Py_DECREF(bases);
    PyObject *mixa = PyType_FromSpec(&mixa_spec);
    PyObject *mixb = PyType_FromSpec(&mixb_spec);
    PyObject *mixes = mixa && mixb ? PyTuple_Pack(2, mixa, mixb) : NULL;
    if (mixes == NULL
        || add_type(m, "Both", PyType_FromSpecWithBases(&both_spec, mixes)) < 0
        || add_type(m, "MixC", PyType_FromSpec(&mixc_spec)) < 0) {
        Py_XDECREF(mixa);
        Py_XDECREF(mixb);
        Py_XDECREF(mixes);
        return -1;
    }
    Py_DECREF(mixes);
    if (add_type(m, "MixA", mixa) < 0 || add_type(m, "MixB", mixb) < 0
        || PyType_Ready(&StaticMixA_Type) < 0 || PyType_Ready(&StaticMixB_Type) < 0) {
        return -1;
    }
    Duo_Type.tp_base = &StaticMixB_Type;
    Duo_Type.tp_bases = PyTuple_Pack(2, &StaticMixA_Type, &StaticMixB_Type);
    if (Duo_Type.tp_bases == NULL || PyType_Ready(&Duo_Type) < 0
        || PyModule_AddObjectRef(m, "Duo", (PyObject *)&Duo_Type) < 0
        || PyModule_AddObjectRef(m, "StaticMixA", (PyObject *)&StaticMixA_Type) < 0
        || PyModule_AddObjectRef(m, "StaticMixB", (PyObject *)&StaticMixB_Type) < 0) {
        return -1;
    }
    /* Cython's order: ready, __pyx_vtable__ into tp_dict, then the module. */
    if (PyType_Ready(&Reducible_Type) < 0) {
        return -1;
    }
    PyObject *capsule = PyCapsule_New(&vtable_marker, NULL, NULL);
    if (capsule == NULL) {
        return -1;
    }
    int r = PyDict_SetItemString(Reducible_Type.tp_dict, "__pyx_vtable__", capsule);
    Py_DECREF(capsule);
    if (r < 0 || PyModule_AddObjectRef(m, "Reducible", (PyObject *)&Reducible_Type) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, heaptype_methods);
}
