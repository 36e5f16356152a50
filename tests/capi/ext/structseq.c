/* struct sequences: PyStructSequence_* from Objects/structseq.c, as
 * posixmodule and timemodule use them (a static type readied with
 * InitType2, a heap type from NewType, instances filled with SET_ITEM).
 *
 * Mirrors CPython's Modules/_testcapi/structseq.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "structmember.h"   /* PyMemberDef */

#include "ferrytest.h"

/* Like os.stat_result: two visible named fields, one visible unnamed, two
 * hidden named ones. */
static PyStructSequence_Field point_fields[] = {
    {"x", "the x coordinate"},
    {"y", "the y coordinate"},
    {NULL, NULL},   /* set to PyStructSequence_UnnamedField in init */
    {"label", "a hidden field"},
    {"weight", NULL},
    {NULL, NULL},
};

static PyStructSequence_Desc point_desc = {
    "_ferrytest.SeqPoint", "A point, as a struct sequence.", point_fields, 3,
};

/* All fields visible (like time.struct_time without its hidden ones). */
static PyStructSequence_Field pair_fields[] = {
    {"first", NULL},
    {"second", NULL},
    {NULL, NULL},
};

static PyStructSequence_Desc pair_desc = {
    "_ferrytest.SeqPair", NULL, pair_fields, 2,
};

static PyTypeObject SeqPointType;   /* static, zeroed: InitType2 fills it */
static PyTypeObject *SeqPairType;   /* a heap type from NewType */

/* A SeqPoint filled in C: x, y, the unnamed field, then the hidden ones. */
static PyObject *
structseq_new_point(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *x, *y, *z, *label, *weight;
    if (!PyArg_ParseTuple(args, "OOOOO", &x, &y, &z, &label, &weight)) {
        return NULL;
    }
    PyObject *p = PyStructSequence_New(&SeqPointType);
    if (p == NULL) {
        return NULL;
    }
    PyStructSequence_SetItem(p, 0, Py_NewRef(x));
    PyStructSequence_SET_ITEM(p, 1, Py_NewRef(y));
    PyStructSequence_SET_ITEM(p, 2, Py_NewRef(z));
    PyStructSequence_SET_ITEM(p, 3, Py_NewRef(label));
    PyStructSequence_SET_ITEM(p, 4, Py_NewRef(weight));
    return p;
}

static PyObject *
structseq_new_pair(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    PyObject *p = PyStructSequence_New(SeqPairType);
    if (p == NULL) {
        return NULL;
    }
    PyStructSequence_SET_ITEM(p, 0, Py_NewRef(a));
    PyStructSequence_SET_ITEM(p, 1, Py_NewRef(b));
    return p;
}

/* What C sees of an instance made anywhere: the tuple size (visible
 * fields), every field through GET_ITEM / GetItem, PyTuple_Check. */
static PyObject *
structseq_read(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyObject_TypeCheck(o, &SeqPointType)) {
        PyErr_SetString(PyExc_TypeError, "test needs a SeqPoint");
        return NULL;
    }
    PyObject *fields = PyList_New(5);
    if (fields == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < 5; i++) {
        PyObject *v = i % 2 ? PyStructSequence_GET_ITEM(o, i) : PyStructSequence_GetItem(o, i);
        PyList_SET_ITEM(fields, i, Py_NewRef(v));
    }
    return Py_BuildValue("(niN)", PyTuple_GET_SIZE(o), PyTuple_Check(o), fields);
}

/* The type's C side: tp_name, sizes, its members (named fields only). */
static PyObject *
structseq_type_info(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *members = PyList_New(0);
    if (members == NULL) {
        return NULL;
    }
    for (PyMemberDef *d = SeqPointType.tp_members; d && d->name; d++) {
        PyObject *row = Py_BuildValue("(sni)", d->name, d->offset, d->flags);
        if (row == NULL || PyList_Append(members, row) < 0) {
            Py_XDECREF(row);
            Py_DECREF(members);
            return NULL;
        }
        Py_DECREF(row);
    }
    return Py_BuildValue("(snniiN)", SeqPointType.tp_name, SeqPointType.tp_basicsize,
                         SeqPointType.tp_itemsize, SeqPointType.tp_base == &PyTuple_Type,
                         PyType_FastSubclass(&SeqPointType, Py_TPFLAGS_TUPLE_SUBCLASS), members);
}

/* InitType2 on a type already initialized: SystemError. */
static PyObject *
structseq_init_again(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    RETURN_INT(PyStructSequence_InitType2(&SeqPointType, &point_desc));
}

/* PyStructSequence_New on a type that is not a struct sequence. */
static PyObject *
structseq_new_of(PyObject *Py_UNUSED(m), PyObject *type)
{
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "test needs a type");
        return NULL;
    }
    PyObject *o = PyStructSequence_New((PyTypeObject *)type);
    if (o == NULL) {
        return NULL;
    }
    Py_DECREF(o);   /* never handed out: its items are NULL */
    Py_RETURN_NONE;
}

/* The void InitType on a fresh static type. */
static PyStructSequence_Field one_fields[] = {{"only", NULL}, {NULL, NULL}};
static PyStructSequence_Desc one_desc = {"_ferrytest.SeqOne", NULL, one_fields, 1};
static PyTypeObject SeqOneType;

static PyObject *
structseq_make_one(PyObject *Py_UNUSED(m), PyObject *value)
{
    PyObject *o = PyStructSequence_New(&SeqOneType);
    if (o == NULL) {
        return NULL;
    }
    PyStructSequence_SET_ITEM(o, 0, Py_NewRef(value));
    return o;
}

static PyMethodDef structseq_methods[] = {
    {"structseq_new_point", structseq_new_point, METH_VARARGS, NULL},
    {"structseq_new_pair", structseq_new_pair, METH_VARARGS, NULL},
    {"structseq_read", structseq_read, METH_O, NULL},
    {"structseq_type_info", structseq_type_info, METH_NOARGS, NULL},
    {"structseq_init_again", structseq_init_again, METH_NOARGS, NULL},
    {"structseq_new_of", structseq_new_of, METH_O, NULL},
    {"structseq_make_one", structseq_make_one, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_structseq(PyObject *m)
{
    point_fields[2].name = (char *)PyStructSequence_UnnamedField;
    point_fields[2].doc = "unnamed";
    if (PyStructSequence_InitType2(&SeqPointType, &point_desc) < 0) {
        return -1;
    }
    if (PyModule_AddObjectRef(m, "SeqPoint", (PyObject *)&SeqPointType) < 0) {
        return -1;
    }
    SeqPairType = PyStructSequence_NewType(&pair_desc);
    if (SeqPairType == NULL) {
        return -1;
    }
    if (PyModule_AddObject(m, "SeqPair", (PyObject *)SeqPairType) < 0) {
        Py_DECREF(SeqPairType);
        return -1;
    }
    PyStructSequence_InitType(&SeqOneType, &one_desc);
    if (PyErr_Occurred()) {
        return -1;
    }
    if (PyModule_AddObjectRef(m, "SeqOne", (PyObject *)&SeqOneType) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, structseq_methods);
}
