/* Types of C whose base is a builtin type (Objects/typeobject.c's
 * PyType_Ready and inherit_special/inherit_slots; the builtins' own
 * tp_new/tp_init/tp_traverse/tp_clear/tp_dealloc called by a subclass).
 *
 * Each is written the way extensions in the wild write them: the builtin's
 * object struct as the first member, the concrete macros (PyDict_GET_SIZE,
 * PyList_GET_ITEM, PyFloat_AS_DOUBLE, PyBytes_AS_STRING, ...) used on the
 * instances, and the base's slots called directly for what the subclass
 * extends:
 *
 *   CountingDict(dict)   extra fields, GC (traverse/clear/dealloc chain to
 *                        dict's), tp_new inherited, tp_init chains to dict's,
 *                        tp_alloc counting the live instances
 *   Stack(list)          extra field, GC inherited from list, tp_new/tp_init
 *                        inherited
 *   Celsius(float)       extra field, tp_new calling float's, tp_repr
 *   Flag(int)            no extra field (tp_basicsize 0), tp_repr, tp_new
 *                        inherited
 *   Name(str)            no extra field
 *   Blob(bytes)          no extra field
 *   AppError(Exception)  static, tp_base set at ready time, extra field, GC,
 *                        tp_init chains to Exception's
 *   SpecError            PyType_FromSpecWithBases((ValueError,)), a member
 *                        after PyBaseExceptionObject, a getset
 *   Double(Floating, float)  numpy's float64: tp_base a type of C without
 *                        fields (Floating), tp_bases with float too, laid out
 *                        as float; tp_alloc of its own (PyObject_Malloc and
 *                        PyObject_Init, as numpy's gentype_alloc) and a tp_new
 *                        that allocates, then sets the value
 *
 * None of them is readied when the module is imported: subclass_type(name)
 * readies one (and publishes it on the module), subclass_types() all of them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <stddef.h>
#include <string.h>

#include "ferrytest.h"

static PyObject *subclass_module;   /* borrowed: the module lives on */
static PyObject *kept_object;        /* keep() / kept() */

/* --- CountingDict(dict) --------------------------------------------------- */

typedef struct {
    PyDictObject base;
    Py_ssize_t sets;     /* put() calls since __init__ */
    PyObject *last;      /* the value of the last put() */
} CountingDictObject;

static Py_ssize_t counting_dict_live;       /* allocated by countingdict_alloc, not freed */
static Py_ssize_t counting_dict_deallocs;   /* every tp_dealloc, whatever the allocator */

/* dict's tp_new allocates through type->tp_alloc: count the instances made
 * with this allocator (a Python subclass gets PyType_GenericAlloc instead, so
 * tp_dealloc uncounts only those whose type has this tp_alloc). */
static PyObject *
countingdict_alloc(PyTypeObject *type, Py_ssize_t nitems)
{
    PyObject *self = PyType_GenericAlloc(type, nitems);
    if (self != NULL) {
        counting_dict_live++;
    }
    return self;
}

static int
countingdict_init(CountingDictObject *self, PyObject *args, PyObject *kwds)
{
    if (PyDict_Type.tp_init((PyObject *)self, args, kwds) < 0) {
        return -1;
    }
    self->sets = 0;
    return 0;
}

static int
countingdict_traverse(CountingDictObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->last);
    return PyDict_Type.tp_traverse((PyObject *)self, visit, arg);
}

static int
countingdict_clear(CountingDictObject *self)
{
    Py_CLEAR(self->last);
    return PyDict_Type.tp_clear((PyObject *)self);
}

static void
countingdict_dealloc(CountingDictObject *self)
{
    PyObject_GC_UnTrack(self);
    counting_dict_deallocs++;
    if (Py_TYPE(self)->tp_alloc == countingdict_alloc) {
        counting_dict_live--;
    }
    Py_CLEAR(self->last);
    PyDict_Type.tp_dealloc((PyObject *)self);
}

static PyObject *
countingdict_put(CountingDictObject *self, PyObject *args)
{
    PyObject *key, *value;
    if (!PyArg_ParseTuple(args, "OO:put", &key, &value)) {
        return NULL;
    }
    if (PyDict_SetItem((PyObject *)self, key, value) < 0) {
        return NULL;
    }
    self->sets++;
    Py_XSETREF(self->last, Py_NewRef(value));
    Py_RETURN_NONE;
}

static PyObject *
countingdict_count(CountingDictObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(self->sets);
}

static PyObject *
countingdict_size(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(PyDict_GET_SIZE(self));
}

static PyObject *
countingdict_c_get(PyObject *self, PyObject *key)
{
    return ferrytest_borrowed_or_null(PyDict_GetItemWithError(self, key));
}

static PyMethodDef countingdict_methods[] = {
    {"put", (PyCFunction)countingdict_put, METH_VARARGS,
     "put(key, value): self[key] = value through PyDict_SetItem, counted."},
    {"count", (PyCFunction)countingdict_count, METH_NOARGS, "The put() calls."},
    {"size", countingdict_size, METH_NOARGS, "PyDict_GET_SIZE(self)."},
    {"c_get", countingdict_c_get, METH_O, "PyDict_GetItemWithError(self, key)."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef countingdict_members[] = {
    {"last", T_OBJECT, offsetof(CountingDictObject, last), 0, "The last value put()."},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject CountingDict_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.CountingDict",
    .tp_basicsize = sizeof(CountingDictObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A dict that counts the put() calls.",
    .tp_dealloc = (destructor)countingdict_dealloc,
    .tp_traverse = (traverseproc)countingdict_traverse,
    .tp_clear = (inquiry)countingdict_clear,
    .tp_methods = countingdict_methods,
    .tp_members = countingdict_members,
    .tp_base = &PyDict_Type,
    .tp_init = (initproc)countingdict_init,
    .tp_alloc = countingdict_alloc,
    /* tp_new: dict's, inherited */
};

static PyObject *
subclass_counting_dict_live(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(counting_dict_live);
}

static PyObject *
subclass_counting_dict_deallocs(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(counting_dict_deallocs);
}

/* --- Stack(list) ---------------------------------------------------------- */

typedef struct {
    PyListObject base;
    Py_ssize_t pushes;
} StackObject;

static PyObject *
stack_push(StackObject *self, PyObject *x)
{
    if (PyList_Append((PyObject *)self, x) < 0) {
        return NULL;
    }
    self->pushes++;
    Py_RETURN_NONE;
}

static PyObject *
stack_top(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t n = PyList_GET_SIZE(self);
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "top of an empty stack");
        return NULL;
    }
    return Py_NewRef(PyList_GET_ITEM(self, n - 1));
}

static PyMethodDef stack_methods[] = {
    {"push", (PyCFunction)stack_push, METH_O, "PyList_Append(self, x), counted."},
    {"top", stack_top, METH_NOARGS, "The last item (PyList_GET_ITEM)."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef stack_members[] = {
    {"pushes", T_PYSSIZET, offsetof(StackObject, pushes), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

/* No Py_TPFLAGS_HAVE_GC, no tp_traverse/tp_clear/tp_dealloc: all from list
 * (PyType_Ready makes the type GC since list is and it adds no traverse). */
static PyTypeObject Stack_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Stack",
    .tp_basicsize = sizeof(StackObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A list with push() and top().",
    .tp_methods = stack_methods,
    .tp_members = stack_members,
    .tp_base = &PyList_Type,
};

/* --- Celsius(float) ------------------------------------------------------- */

typedef struct {
    PyFloatObject base;
    int scale;
} CelsiusObject;

static PyObject *
celsius_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *self = PyFloat_Type.tp_new(type, args, kwds);
    if (self != NULL) {
        ((CelsiusObject *)self)->scale = 100;
    }
    return self;
}

static PyObject *
celsius_repr(PyObject *self)
{
    PyObject *value = PyFloat_Type.tp_repr(self);
    if (value == NULL) {
        return NULL;
    }
    PyObject *r = PyUnicode_FromFormat("Celsius(%U)", value);
    Py_DECREF(value);
    return r;
}

static PyObject *
celsius_kelvin(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyFloat_FromDouble(PyFloat_AS_DOUBLE(self) + 273.15);
}

static PyMethodDef celsius_methods[] = {
    {"kelvin", celsius_kelvin, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef celsius_members[] = {
    {"scale", T_INT, offsetof(CelsiusObject, scale), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject Celsius_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Celsius",
    .tp_basicsize = sizeof(CelsiusObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A float in degrees Celsius.",
    .tp_repr = celsius_repr,
    .tp_methods = celsius_methods,
    .tp_members = celsius_members,
    .tp_base = &PyFloat_Type,
    .tp_new = celsius_new,
};

/* --- Floating and Double(Floating, float) ---------------------------------- */

static PyObject *
floating_repr(PyObject *self)
{
    if (!PyFloat_Check(self)) {
        return PyUnicode_FromString("Floating()");
    }
    PyObject *value = PyFloat_Type.tp_repr(self);
    if (value == NULL) {
        return NULL;
    }
    PyObject *r = PyUnicode_FromFormat("Floating(%U)", value);
    Py_DECREF(value);
    return r;
}

/* Reads the value as numpy's generic methods read obval. */
static PyObject *
floating_half(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    if (!PyFloat_Check(self)) {
        PyErr_SetString(PyExc_TypeError, "not a float");
        return NULL;
    }
    return PyFloat_FromDouble(PyFloat_AS_DOUBLE(self) / 2);
}

static PyMethodDef floating_methods[] = {
    {"half", floating_half, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Floating_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Floating",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_repr = floating_repr,
    .tp_str = floating_repr,
    .tp_methods = floating_methods,
};

static PyObject *
double_alloc(PyTypeObject *type, Py_ssize_t Py_UNUSED(nitems))
{
    PyObject *o = PyObject_Malloc(type->tp_basicsize);
    if (o == NULL) {
        return PyErr_NoMemory();
    }
    memset(o, 0, type->tp_basicsize);
    if (type->tp_flags & Py_TPFLAGS_HEAPTYPE) {
        Py_INCREF(type);
    }
    return PyObject_Init(o, type);
}

static PyObject *
double_make(PyTypeObject *type, double value)
{
    PyObject *o = type->tp_alloc(type, 0);
    if (o != NULL) {
        ((PyFloatObject *)o)->ob_fval = value;
    }
    return o;
}

static PyObject *
double_new(PyTypeObject *type, PyObject *args, PyObject *Py_UNUSED(kwds))
{
    double value = 0.0;
    if (!PyArg_ParseTuple(args, "|d:Double", &value)) {
        return NULL;
    }
    return double_make(type, value);
}

static PyTypeObject Double_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Double",
    .tp_basicsize = sizeof(PyFloatObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "numpy's float64 in small.",
    .tp_new = double_new,
    .tp_alloc = double_alloc,
    .tp_free = PyObject_Free,
};

/* Character: no fields, a remainder of its own (numpy's generic has one);
 * Text(str, Character), tp_base str (numpy's str_): str's remainder comes
 * first in its MRO. */
static PyObject *
character_remainder(PyObject *Py_UNUSED(a), PyObject *Py_UNUSED(b))
{
    return PyUnicode_FromString("Character's remainder");
}

static PyNumberMethods character_as_number = {
    .nb_remainder = character_remainder,
};

static PyTypeObject Character_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Character",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_number = &character_as_number,
};

static PyTypeObject Text_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Text",
    .tp_basicsize = sizeof(PyUnicodeObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_UNICODE_SUBCLASS,
};

/* t readied with the bases (first, second), set before PyType_Ready as
 * numpy sets float64's and str_'s (tp_base: first); `mixin`, the one of them
 * that is a type of C without fields, is readied first and also exposed by
 * the module as `name`. */
static int
ready_with_bases(PyTypeObject *t, PyTypeObject *first, PyTypeObject *second,
                 PyTypeObject *mixin, const char *name)
{
    if (t->tp_bases == NULL) {
        if (PyType_Ready(mixin) < 0) {
            return -1;
        }
        t->tp_base = first;
        t->tp_bases = PyTuple_Pack(2, first, second);
        if (t->tp_bases == NULL) {
            return -1;
        }
    }
    if (PyType_Ready(t) < 0) {
        return -1;
    }
    return PyObject_SetAttrString(subclass_module, name, (PyObject *)mixin);
}

static int
ready_text(void)
{
    return ready_with_bases(&Text_Type, &PyUnicode_Type, &Character_Type, &Character_Type, "Character");
}

static int
ready_double(void)
{
    return ready_with_bases(&Double_Type, &Floating_Type, &PyFloat_Type, &Floating_Type, "Floating");
}

/* double_make(x): a Double made in C (numpy's PyArrayScalar_New). */
static PyObject *
subclass_double_make(PyObject *Py_UNUSED(module), PyObject *arg)
{
    double value = PyFloat_AsDouble(arg);
    if (value == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    if (ready_double() < 0) {
        return NULL;
    }
    return double_make(&Double_Type, value);
}

/* --- Flag(int) ------------------------------------------------------------ */

static PyObject *
flag_repr(PyObject *self)
{
    PyObject *value = PyLong_Type.tp_repr(self);
    if (value == NULL) {
        return NULL;
    }
    PyObject *r = PyUnicode_FromFormat("Flag(%U)", value);
    Py_DECREF(value);
    return r;
}

static PyObject *
flag_twice(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    long v = PyLong_AsLong(self);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(2 * v);
}

static PyMethodDef flag_methods[] = {
    {"twice", flag_twice, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Flag_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Flag",
    .tp_basicsize = 0,       /* int's, and its tp_itemsize */
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "An int with its own repr.",
    .tp_repr = flag_repr,
    .tp_methods = flag_methods,
    .tp_base = &PyLong_Type,
};

/* --- Name(str) ------------------------------------------------------------ */

static PyObject *
name_shout(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *upper = PyObject_CallMethod(self, "upper", NULL);
    if (upper == NULL) {
        return NULL;
    }
    PyObject *bang = PyUnicode_FromString("!");
    if (bang == NULL) {
        Py_DECREF(upper);
        return NULL;
    }
    PyObject *r = PyUnicode_Concat(upper, bang);
    Py_DECREF(upper);
    Py_DECREF(bang);
    return r;
}

static PyObject *
name_length(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(PyUnicode_GET_LENGTH(self));
}

static PyMethodDef name_methods[] = {
    {"shout", name_shout, METH_NOARGS, "self.upper() + '!'"},
    {"length", name_length, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Name_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Name",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A str that can shout.",
    .tp_methods = name_methods,
    .tp_base = &PyUnicode_Type,
};

/* --- Blob(bytes) ---------------------------------------------------------- */

static PyObject *
blob_first(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    if (PyBytes_GET_SIZE(self) == 0) {
        PyErr_SetString(PyExc_ValueError, "empty blob");
        return NULL;
    }
    return PyLong_FromLong((unsigned char)PyBytes_AS_STRING(self)[0]);
}

static PyMethodDef blob_methods[] = {
    {"first", blob_first, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Blob_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Blob",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "bytes with first().",
    .tp_methods = blob_methods,
    .tp_base = &PyBytes_Type,
};

/* Pair(tuple): no fields; made in C by tp_alloc(type, 2) and its items set
 * after, as C code in the wild makes its tuple subtypes' instances. */
static PyObject *
pair_swap(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyTuple_Pack(2, PyTuple_GET_ITEM(self, 1), PyTuple_GET_ITEM(self, 0));
}

static PyMethodDef pair_methods[] = {
    {"swap", pair_swap, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Pair_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Pair",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = pair_methods,
    .tp_base = &PyTuple_Type,
};

static PyObject *ready_type(const char *name);

/* pair_make(a, b): a Pair made by its tp_alloc, the items set after. */
static PyObject *
subclass_pair_make(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b) || ready_type("Pair") == NULL) {
        return NULL;
    }
    PyObject *o = Pair_Type.tp_alloc(&Pair_Type, 2);
    if (o != NULL) {
        PyTuple_SET_ITEM(o, 0, Py_NewRef(a));
        PyTuple_SET_ITEM(o, 1, Py_NewRef(b));
    }
    return o;
}

/* blob_make(data): a Blob made by its tp_alloc with room for the bytes, which
 * are written after (numpy's bytes_ scalars). */
static PyObject *
subclass_blob_make(PyObject *Py_UNUSED(module), PyObject *arg)
{
    char *data;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(arg, &data, &n) < 0) {
        return NULL;
    }
    if (!(Blob_Type.tp_flags & Py_TPFLAGS_READY) && ready_type("Blob") == NULL) {
        return NULL;
    }
    PyObject *o = Blob_Type.tp_alloc(&Blob_Type, n);
    if (o != NULL) {
        memcpy(PyBytes_AS_STRING(o), data, n);
    }
    return o;
}

/* --- AppError(Exception) -------------------------------------------------- */

typedef struct {
    PyBaseExceptionObject base;
    PyObject *code;
} AppErrorObject;

#define EXCEPTION_TYPE ((PyTypeObject *)PyExc_Exception)

static int
apperror_init(AppErrorObject *self, PyObject *args, PyObject *kwds)
{
    if (EXCEPTION_TYPE->tp_init((PyObject *)self, args, kwds) < 0) {
        return -1;
    }
    PyObject *code = PyTuple_GET_SIZE(args) > 0 ? PyTuple_GET_ITEM(args, 0) : NULL;
    Py_XSETREF(self->code, Py_XNewRef(code));
    return 0;
}

static int
apperror_traverse(AppErrorObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->code);
    return EXCEPTION_TYPE->tp_traverse((PyObject *)self, visit, arg);
}

static int
apperror_clear(AppErrorObject *self)
{
    Py_CLEAR(self->code);
    return EXCEPTION_TYPE->tp_clear((PyObject *)self);
}

static void
apperror_dealloc(AppErrorObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_CLEAR(self->code);
    EXCEPTION_TYPE->tp_dealloc((PyObject *)self);
}

static PyMemberDef apperror_members[] = {
    {"code", T_OBJECT, offsetof(AppErrorObject, code), 0, "The error code."},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject AppError_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.AppError",
    .tp_basicsize = sizeof(AppErrorObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "AppError(code, message)",
    .tp_dealloc = (destructor)apperror_dealloc,
    .tp_traverse = (traverseproc)apperror_traverse,
    .tp_clear = (inquiry)apperror_clear,
    .tp_members = apperror_members,
    .tp_init = (initproc)apperror_init,
    /* tp_base: PyExc_Exception, not a constant (set before PyType_Ready);
     * tp_new: BaseException's, inherited */
};

/* --- SpecError(ValueError), from a spec ------------------------------------ */

typedef struct {
    PyBaseExceptionObject base;
    PyObject *detail;
} SpecErrorObject;

#define VALUE_ERROR_TYPE ((PyTypeObject *)PyExc_ValueError)

static PyObject *spec_error_type;   /* owned, once made */

static int
specerror_traverse(SpecErrorObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->detail);
    return VALUE_ERROR_TYPE->tp_traverse((PyObject *)self, visit, arg);
}

static int
specerror_clear(SpecErrorObject *self)
{
    Py_CLEAR(self->detail);
    return VALUE_ERROR_TYPE->tp_clear((PyObject *)self);
}

static void
specerror_dealloc(SpecErrorObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Py_CLEAR(self->detail);
    VALUE_ERROR_TYPE->tp_dealloc((PyObject *)self);
    Py_DECREF(tp);   /* instances of heap types own a reference to their type */
}

/* (detail, args) */
static PyObject *
specerror_get_info(SpecErrorObject *self, void *Py_UNUSED(closure))
{
    PyObject *args = self->base.args ? self->base.args : Py_None;
    return PyTuple_Pack(2, self->detail ? self->detail : Py_None, args);
}

static PyGetSetDef specerror_getset[] = {
    {"info", (getter)specerror_get_info, NULL, "(detail, args)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef specerror_members[] = {
    {"detail", T_OBJECT, offsetof(SpecErrorObject, detail), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot specerror_slots[] = {
    {Py_tp_doc, "A ValueError with a detail."},
    {Py_tp_traverse, specerror_traverse},
    {Py_tp_clear, specerror_clear},
    {Py_tp_dealloc, specerror_dealloc},
    {Py_tp_members, specerror_members},
    {Py_tp_getset, specerror_getset},
    {0, NULL},
};

static PyType_Spec specerror_spec = {
    .name = "_ferrytest.SpecError",
    .basicsize = sizeof(PyBaseExceptionObject) + sizeof(PyObject *),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = specerror_slots,
};

/* --- generic attribute access from a type's own slots ----------------------- */

/* Magic (based on object, with an instance dict) and MagicInt (based on int):
 * tp_getattro answers "magic" itself and hands every other name to
 * PyObject_GenericGetAttr; tp_setattro refuses "frozen" and hands the rest
 * to PyObject_GenericSetAttr. */
typedef struct {
    PyObject_HEAD
    PyObject *dict;
} MagicObject;

static PyObject *
magic_getattro(PyObject *self, PyObject *name)
{
    if (PyUnicode_CompareWithASCIIString(name, "magic") == 0) {
        return PyLong_FromLong(42);
    }
    return PyObject_GenericGetAttr(self, name);
}

static int
magic_setattro(PyObject *self, PyObject *name, PyObject *value)
{
    if (PyUnicode_CompareWithASCIIString(name, "frozen") == 0) {
        PyErr_SetString(PyExc_AttributeError, "frozen is read-only");
        return -1;
    }
    return PyObject_GenericSetAttr(self, name, value);
}

static void
magic_dealloc(MagicObject *self)
{
    Py_CLEAR(self->dict);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject Magic_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Magic",
    .tp_basicsize = sizeof(MagicObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_dealloc = (destructor)magic_dealloc,
    .tp_getattro = magic_getattro,
    .tp_setattro = magic_setattro,
    .tp_dictoffset = offsetof(MagicObject, dict),
    .tp_new = PyType_GenericNew,
};

static PyTypeObject MagicInt_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.MagicInt",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_getattro = magic_getattro,
    .tp_setattro = magic_setattro,
    .tp_base = &PyLong_Type,
};

/* --- a descriptor type of C, with getsets named like type's own ------------ */

/* Binder: tp_descr_get answers ("get", obj or None, type or None);
 * tp_descr_set records ("set", obj, value) or ("delete", obj) in `last`.
 * Its getsets __name__ and __dict__ (as Cython's function type has) answer
 * "binder" and {"via": "getset"}. */
static PyObject *binder_last = NULL;

static PyObject *
binder_get(PyObject *Py_UNUSED(self), PyObject *obj, PyObject *type)
{
    return Py_BuildValue("(sOO)", "get", obj ? obj : Py_None, type ? type : Py_None);
}

static int
binder_set(PyObject *Py_UNUSED(self), PyObject *obj, PyObject *value)
{
    PyObject *rec = value ? Py_BuildValue("(sOO)", "set", obj, value) : Py_BuildValue("(sO)", "delete", obj);
    if (rec == NULL) {
        return -1;
    }
    Py_XSETREF(binder_last, rec);
    return 0;
}

static PyObject *
binder_name(PyObject *Py_UNUSED(self), void *Py_UNUSED(closure))
{
    return PyUnicode_FromString("binder");
}

static PyObject *
binder_dict(PyObject *Py_UNUSED(self), void *Py_UNUSED(closure))
{
    return Py_BuildValue("{ss}", "via", "getset");
}

static PyGetSetDef binder_getset[] = {
    {"__name__", binder_name, NULL, NULL, NULL},
    {"__dict__", binder_dict, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject Binder_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Binder",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_descr_get = binder_get,
    .tp_descr_set = binder_set,
    .tp_getset = binder_getset,
    .tp_new = PyType_GenericNew,
};

static PyObject *
subclass_binder_last(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(binder_last ? binder_last : Py_None);
}

/* --- readying on demand ---------------------------------------------------- */

static const char *const type_names[] = {
    "CountingDict", "Stack", "Celsius", "Flag", "Name", "Blob", "AppError", "SpecError",
    "Magic", "MagicInt", "Binder",
};

/* The type of that name, readied (and set on the module); a borrowed
 * reference, or NULL with an exception. */
static PyObject *
ready_type(const char *name)
{
    PyTypeObject *t = NULL;
    if (strcmp(name, "CountingDict") == 0) {
        t = &CountingDict_Type;
    }
    else if (strcmp(name, "Stack") == 0) {
        t = &Stack_Type;
    }
    else if (strcmp(name, "Celsius") == 0) {
        t = &Celsius_Type;
    }
    else if (strcmp(name, "Flag") == 0) {
        t = &Flag_Type;
    }
    else if (strcmp(name, "Name") == 0) {
        t = &Name_Type;
    }
    else if (strcmp(name, "Blob") == 0) {
        t = &Blob_Type;
    }
    else if (strcmp(name, "Magic") == 0) {
        t = &Magic_Type;
    }
    else if (strcmp(name, "MagicInt") == 0) {
        t = &MagicInt_Type;
    }
    else if (strcmp(name, "Binder") == 0) {
        t = &Binder_Type;
    }
    else if (strcmp(name, "Double") == 0) {
        if (ready_double() < 0) {
            return NULL;
        }
        t = &Double_Type;
    }
    else if (strcmp(name, "Pair") == 0) {
        t = &Pair_Type;
    }
    else if (strcmp(name, "Text") == 0) {
        if (ready_text() < 0) {
            return NULL;
        }
        t = &Text_Type;
    }
    else if (strcmp(name, "AppError") == 0) {
        if (AppError_Type.tp_base == NULL) {
            AppError_Type.tp_base = EXCEPTION_TYPE;
        }
        t = &AppError_Type;
    }
    else if (strcmp(name, "SpecError") == 0) {
        if (spec_error_type == NULL) {
            PyObject *bases = PyTuple_Pack(1, PyExc_ValueError);
            if (bases == NULL) {
                return NULL;
            }
            spec_error_type = PyType_FromSpecWithBases(&specerror_spec, bases);
            Py_DECREF(bases);
            if (spec_error_type == NULL) {
                return NULL;
            }
        }
        t = (PyTypeObject *)spec_error_type;
    }
    else {
        PyErr_Format(PyExc_KeyError, "no type %s", name);
        return NULL;
    }
    if (PyType_Ready(t) < 0) {
        return NULL;
    }
    if (PyObject_SetAttrString(subclass_module, name, (PyObject *)t) < 0) {
        return NULL;
    }
    return (PyObject *)t;
}

static PyObject *
subclass_type(PyObject *Py_UNUSED(module), PyObject *arg)
{
    const char *name = PyUnicode_AsUTF8(arg);
    if (name == NULL) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(ready_type(name));
}

static PyObject *
subclass_types(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
        PyObject *t = ready_type(type_names[i]);
        if (t == NULL || PyDict_SetItemString(d, type_names[i], t) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

/* --- raising and catching from C -------------------------------------------- */

/* raise_app_error(code, msg): PyErr_SetObject with AppError(code, msg). */
static PyObject *
subclass_raise_app_error(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *code;
    const char *msg;
    if (!PyArg_ParseTuple(args, "Os", &code, &msg)) {
        return NULL;
    }
    PyObject *type = ready_type("AppError");
    if (type == NULL) {
        return NULL;
    }
    PyObject *exc = PyObject_CallFunction(type, "Os", code, msg);
    if (exc == NULL) {
        return NULL;
    }
    PyErr_SetObject(type, exc);
    Py_DECREF(exc);
    return NULL;
}

/* raise_app_error_string(msg): PyErr_SetString(AppError, msg), the instance
 * made when the exception is normalized. */
static PyObject *
subclass_raise_app_error_string(PyObject *Py_UNUSED(module), PyObject *args)
{
    const char *msg;
    if (!PyArg_ParseTuple(args, "s", &msg)) {
        return NULL;
    }
    PyObject *type = ready_type("AppError");
    if (type == NULL) {
        return NULL;
    }
    PyErr_SetString(type, msg);
    return NULL;
}

/* catch_app_error(callable): the callable's result; when it raised an
 * AppError (or a subclass), (code, str(exc), type(exc)) with code read from
 * the C struct (None for NULL); any other exception goes through. */
static PyObject *
subclass_catch_app_error(PyObject *Py_UNUSED(module), PyObject *callable)
{
    PyObject *type = ready_type("AppError");
    if (type == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_CallNoArgs(callable);
    if (r != NULL) {
        return r;
    }
    if (!PyErr_ExceptionMatches(type)) {
        return NULL;
    }
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
    PyErr_NormalizeException(&et, &ev, &tb);
    Py_XDECREF(et);
    Py_XDECREF(tb);
    if (ev == NULL || !PyObject_TypeCheck(ev, &AppError_Type)) {
        Py_XDECREF(ev);
        return ferrytest_missing_error("an AppError instance");
    }
    PyObject *code = ((AppErrorObject *)ev)->code;
    PyObject *s = PyObject_Str(ev);
    if (s == NULL) {
        Py_DECREF(ev);
        return NULL;
    }
    r = PyTuple_Pack(3, code ? code : Py_None, s, (PyObject *)Py_TYPE(ev));
    Py_DECREF(s);
    Py_DECREF(ev);
    return r;
}

/* raise_spec_error(detail, msg): SpecError(msg) with its C field set. */
static PyObject *
subclass_raise_spec_error(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *detail, *msg;
    if (!PyArg_ParseTuple(args, "OU", &detail, &msg)) {
        return NULL;
    }
    PyObject *type = ready_type("SpecError");
    if (type == NULL) {
        return NULL;
    }
    PyObject *exc = PyObject_CallOneArg(type, msg);
    if (exc == NULL) {
        return NULL;
    }
    Py_XSETREF(((SpecErrorObject *)exc)->detail, Py_NewRef(detail));
    PyErr_SetObject(type, exc);
    Py_DECREF(exc);
    return NULL;
}

/* --- what C sees of an instance -------------------------------------------- */

static PyObject *
subclass_c_type_name(PyObject *Py_UNUSED(module), PyObject *o)
{
    return PyUnicode_FromString(Py_TYPE(o)->tp_name);
}

static PyObject *
subclass_c_checks(PyObject *Py_UNUSED(module), PyObject *o)
{
    return Py_BuildValue("(NNNNNNN)",
                         PyBool_FromLong(PyDict_Check(o)),
                         PyBool_FromLong(PyList_Check(o)),
                         PyBool_FromLong(PyLong_Check(o)),
                         PyBool_FromLong(PyUnicode_Check(o)),
                         PyBool_FromLong(PyBytes_Check(o)),
                         PyBool_FromLong(PyFloat_Check(o)),
                         PyBool_FromLong(PyExceptionInstance_Check(o)));
}

/* The exact checks, in the same order. */
static PyObject *
subclass_c_exact_checks(PyObject *Py_UNUSED(module), PyObject *o)
{
    return Py_BuildValue("(NNNNNN)",
                         PyBool_FromLong(PyDict_CheckExact(o)),
                         PyBool_FromLong(PyList_CheckExact(o)),
                         PyBool_FromLong(PyLong_CheckExact(o)),
                         PyBool_FromLong(PyUnicode_CheckExact(o)),
                         PyBool_FromLong(PyBytes_CheckExact(o)),
                         PyBool_FromLong(PyFloat_CheckExact(o)));
}

/* The value as the builtin's macros read it from the struct: a dict's size,
 * a list's items (a tuple), an int's PyLong_AsLong, a float's ob_fval, a
 * str's UTF-8, a bytes' buffer, an exception's args. */
static PyObject *
subclass_c_value(PyObject *Py_UNUSED(module), PyObject *o)
{
    if (PyDict_Check(o)) {
        return PyLong_FromSsize_t(PyDict_GET_SIZE(o));
    }
    if (PyList_Check(o)) {
        Py_ssize_t n = PyList_GET_SIZE(o);
        PyObject *t = PyTuple_New(n);
        if (t == NULL) {
            return NULL;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyTuple_SET_ITEM(t, i, Py_NewRef(PyList_GET_ITEM(o, i)));
        }
        return t;
    }
    if (PyLong_Check(o)) {
        long v = PyLong_AsLong(o);
        if (v == -1 && PyErr_Occurred()) {
            return NULL;
        }
        return PyLong_FromLong(v);
    }
    if (PyFloat_Check(o)) {
        return PyFloat_FromDouble(PyFloat_AS_DOUBLE(o));
    }
    if (PyUnicode_Check(o)) {
        Py_ssize_t size;
        const char *s = PyUnicode_AsUTF8AndSize(o, &size);
        if (s == NULL) {
            return NULL;
        }
        return PyUnicode_FromStringAndSize(s, size);
    }
    if (PyBytes_Check(o)) {
        return PyBytes_FromStringAndSize(PyBytes_AS_STRING(o), PyBytes_GET_SIZE(o));
    }
    if (PyExceptionInstance_Check(o)) {
        PyObject *args = ((PyBaseExceptionObject *)o)->args;
        return Py_NewRef(args ? args : Py_None);
    }
    PyErr_SetString(PyExc_TypeError, "no builtin base");
    return NULL;
}

/* c_type_sizes(type) -> (tp_basicsize, tp_itemsize) */
static PyObject *
subclass_c_type_sizes(PyObject *Py_UNUSED(module), PyObject *t)
{
    if (!PyType_Check(t)) {
        PyErr_SetString(PyExc_TypeError, "a type is needed");
        return NULL;
    }
    return Py_BuildValue("(nn)", ((PyTypeObject *)t)->tp_basicsize,
                         ((PyTypeObject *)t)->tp_itemsize);
}

/* c_type_flags(type) -> {name: bool} for the flags a subclass gets or not */
static PyObject *
subclass_c_type_flags(PyObject *Py_UNUSED(module), PyObject *t)
{
    if (!PyType_Check(t)) {
        PyErr_SetString(PyExc_TypeError, "a type is needed");
        return NULL;
    }
    unsigned long f = PyType_GetFlags((PyTypeObject *)t);
    return Py_BuildValue("{sNsNsNsN}",
                         "gc", PyBool_FromLong((f & Py_TPFLAGS_HAVE_GC) != 0),
                         "basetype", PyBool_FromLong((f & Py_TPFLAGS_BASETYPE) != 0),
                         "heaptype", PyBool_FromLong((f & Py_TPFLAGS_HEAPTYPE) != 0),
                         "ready", PyBool_FromLong((f & Py_TPFLAGS_READY) != 0));
}

/* The slots compared by c_inherited: a field of PyTypeObject, or of one of
 * its tables (table_offset >= 0). */
typedef struct {
    const char *name;
    Py_ssize_t table_offset;   /* -1: a field of the type itself */
    Py_ssize_t offset;
} SlotField;

#define TP_SLOT(f) {#f, -1, offsetof(PyTypeObject, f)}
#define TABLE_SLOT(table, tt, f) {#f, offsetof(PyTypeObject, table), offsetof(tt, f)}

static const SlotField slot_fields[] = {
    TP_SLOT(tp_dealloc), TP_SLOT(tp_repr), TP_SLOT(tp_str), TP_SLOT(tp_hash),
    TP_SLOT(tp_call), TP_SLOT(tp_getattro), TP_SLOT(tp_setattro),
    TP_SLOT(tp_richcompare), TP_SLOT(tp_iter), TP_SLOT(tp_iternext),
    TP_SLOT(tp_init), TP_SLOT(tp_alloc), TP_SLOT(tp_new), TP_SLOT(tp_free),
    TP_SLOT(tp_traverse), TP_SLOT(tp_clear),
    TABLE_SLOT(tp_as_number, PyNumberMethods, nb_add),
    TABLE_SLOT(tp_as_number, PyNumberMethods, nb_bool),
    TABLE_SLOT(tp_as_number, PyNumberMethods, nb_int),
    TABLE_SLOT(tp_as_number, PyNumberMethods, nb_float),
    TABLE_SLOT(tp_as_number, PyNumberMethods, nb_index),
    TABLE_SLOT(tp_as_sequence, PySequenceMethods, sq_length),
    TABLE_SLOT(tp_as_sequence, PySequenceMethods, sq_concat),
    TABLE_SLOT(tp_as_sequence, PySequenceMethods, sq_item),
    TABLE_SLOT(tp_as_sequence, PySequenceMethods, sq_contains),
    TABLE_SLOT(tp_as_mapping, PyMappingMethods, mp_length),
    TABLE_SLOT(tp_as_mapping, PyMappingMethods, mp_subscript),
    TABLE_SLOT(tp_as_mapping, PyMappingMethods, mp_ass_subscript),
    TABLE_SLOT(tp_as_buffer, PyBufferProcs, bf_getbuffer),
};

static void *
slot_of(PyTypeObject *t, const SlotField *s)
{
    char *base = (char *)t;
    if (s->table_offset >= 0) {
        base = *(char **)((char *)t + s->table_offset);
        if (base == NULL) {
            return NULL;
        }
    }
    return *(void **)(base + s->offset);
}

/* c_inherited(type, base) -> {slot name: True when type's slot is base's,
 * False when it is another function}; slots NULL in the base are left out. */
static PyObject *
subclass_c_inherited(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyTypeObject *t, *base;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &t, &PyType_Type, &base)) {
        return NULL;
    }
    PyObject *r = PyDict_New();
    if (r == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(slot_fields) / sizeof(slot_fields[0]); i++) {
        void *b = slot_of(base, &slot_fields[i]);
        if (b == NULL) {
            continue;
        }
        PyObject *same = PyBool_FromLong(slot_of(t, &slot_fields[i]) == b);
        if (PyDict_SetItemString(r, slot_fields[i].name, same) < 0) {
            Py_DECREF(same);
            Py_DECREF(r);
            return NULL;
        }
        Py_DECREF(same);
    }
    return r;
}

static PyObject *
subclass_is_same(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    return PyBool_FromLong(a == b);
}

static PyObject *
subclass_keep(PyObject *Py_UNUSED(module), PyObject *o)
{
    Py_XSETREF(kept_object, Py_NewRef(o));
    Py_RETURN_NONE;
}

/* The kept object, or the NULL sentinel; release=True drops it. */
static PyObject *
subclass_kept(PyObject *Py_UNUSED(module), PyObject *args)
{
    int release = 0;
    if (!PyArg_ParseTuple(args, "|p", &release)) {
        return NULL;
    }
    PyObject *r = ferrytest_borrowed_or_null(kept_object);
    if (release) {
        Py_CLEAR(kept_object);
    }
    return r;
}

/* Stack.push and CountingDict.put reached from C on any instance (a Python
 * subclass's override is not called). */
static PyObject *
subclass_c_push(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *s, *x;
    if (!PyArg_ParseTuple(args, "O!O", &Stack_Type, &s, &x)) {
        return NULL;
    }
    return stack_push((StackObject *)s, x);
}

static PyObject *
subclass_c_put(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *d, *k, *v;
    if (!PyArg_ParseTuple(args, "O!OO", &CountingDict_Type, &d, &k, &v)) {
        return NULL;
    }
    PyObject *kv = PyTuple_Pack(2, k, v);
    if (kv == NULL) {
        return NULL;
    }
    PyObject *r = countingdict_put((CountingDictObject *)d, kv);
    Py_DECREF(kv);
    return r;
}

static PyMethodDef subclass_methods[] = {
    {"subclass_type", subclass_type, METH_O, NULL},
    {"subclass_types", subclass_types, METH_NOARGS, NULL},
    {"binder_last", subclass_binder_last, METH_NOARGS, NULL},
    {"counting_dict_live", subclass_counting_dict_live, METH_NOARGS, NULL},
    {"counting_dict_deallocs", subclass_counting_dict_deallocs, METH_NOARGS, NULL},
    {"raise_app_error", subclass_raise_app_error, METH_VARARGS, NULL},
    {"raise_app_error_string", subclass_raise_app_error_string, METH_VARARGS, NULL},
    {"catch_app_error", subclass_catch_app_error, METH_O, NULL},
    {"raise_spec_error", subclass_raise_spec_error, METH_VARARGS, NULL},
    {"c_type_name", subclass_c_type_name, METH_O, NULL},
    {"c_checks", subclass_c_checks, METH_O, NULL},
    {"c_exact_checks", subclass_c_exact_checks, METH_O, NULL},
    {"c_value", subclass_c_value, METH_O, NULL},
    {"c_type_sizes", subclass_c_type_sizes, METH_O, NULL},
    {"c_type_flags", subclass_c_type_flags, METH_O, NULL},
    {"c_inherited", subclass_c_inherited, METH_VARARGS, NULL},
    {"is_same", subclass_is_same, METH_VARARGS, NULL},
    {"keep", subclass_keep, METH_O, NULL},
    {"kept", subclass_kept, METH_VARARGS, NULL},
    {"c_push", subclass_c_push, METH_VARARGS, NULL},
    {"double_make", subclass_double_make, METH_O, NULL},
    {"blob_make", subclass_blob_make, METH_O, NULL},
    {"pair_make", subclass_pair_make, METH_VARARGS, NULL},
    {"c_put", subclass_c_put, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_subclass(PyObject *m)
{
    /* No type is readied here: see subclass_type(). */
    subclass_module = m;
    return PyModule_AddFunctions(m, subclass_methods);
}
