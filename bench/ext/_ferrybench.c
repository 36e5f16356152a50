/* _ferrybench: the benchmark extension of bench/run.py.
 *
 * One small function per kind of C API traffic, so that the cost of crossing
 * the boundary can be read per operation. The same source is built against
 * CPython 3.11's headers (loaded natively by CPython and through ferry on
 * PyPy) and against PyPy's cpyext headers (loaded by PyPy's own cpyext); it
 * therefore uses only API present in both.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>
#include <stdio.h>

/* noargs() -> None */
static PyObject *
bench_noargs(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

/* add1(i) -> i + 1 */
static PyObject *
bench_add1(PyObject *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(v + 1);
}

/* concat3(a, b, c) -> (a, b, c) */
static PyObject *
bench_concat3(PyObject *self, PyObject *args)
{
    PyObject *a, *b, *c;
    if (!PyArg_ParseTuple(args, "OOO:concat3", &a, &b, &c))
        return NULL;
    return PyTuple_Pack(3, a, b, c);
}

/* strlen(s) -> len(s), s a str */
static PyObject *
bench_strlen(PyObject *self, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "strlen() argument must be str");
        return NULL;
    }
    return PyLong_FromSsize_t(PyUnicode_GET_LENGTH(arg));
}

/* sum_list(lst) -> sum of the ints of a list */
static PyObject *
bench_sum_list(PyObject *self, PyObject *arg)
{
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "sum_list() argument must be a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(arg);
    long total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        long v = PyLong_AsLong(PyList_GET_ITEM(arg, i));
        if (v == -1 && PyErr_Occurred())
            return NULL;
        total += v;
    }
    return PyLong_FromLong(total);
}

/* make_list(n) -> [0, 1, ..., n-1] */
static PyObject *
bench_make_list(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "make_list() argument must be >= 0");
        return NULL;
    }
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyLong_FromLong((long)i);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

/* getattr_x(obj) -> obj.x */
static PyObject *
bench_getattr_x(PyObject *self, PyObject *arg)
{
    return PyObject_GetAttrString(arg, "x");
}

/* kw(a, b=2, *, c=3) -> a + b + c, parsed by hand */
static PyObject *
bench_kw(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *a = NULL, *b = NULL, *c = NULL;
    if (nargs > 2) {
        PyErr_Format(PyExc_TypeError,
                     "kw() takes at most 2 positional arguments (%zd given)", nargs);
        return NULL;
    }
    if (nargs > 0)
        a = args[0];
    if (nargs > 1)
        b = args[1];
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t i = 0; i < nkw; i++) {
            PyObject *name = PyTuple_GET_ITEM(kwnames, i);
            PyObject *value = args[nargs + i];
            PyObject **slot;
            if (PyUnicode_CompareWithASCIIString(name, "a") == 0)
                slot = &a;
            else if (PyUnicode_CompareWithASCIIString(name, "b") == 0)
                slot = &b;
            else if (PyUnicode_CompareWithASCIIString(name, "c") == 0)
                slot = &c;
            else {
                PyErr_Format(PyExc_TypeError,
                             "kw() got an unexpected keyword argument '%U'", name);
                return NULL;
            }
            if (*slot != NULL) {
                PyErr_Format(PyExc_TypeError,
                             "kw() got multiple values for argument '%U'", name);
                return NULL;
            }
            *slot = value;
        }
    }
    if (a == NULL) {
        PyErr_SetString(PyExc_TypeError, "kw() missing required argument 'a'");
        return NULL;
    }
    long va = PyLong_AsLong(a);
    if (va == -1 && PyErr_Occurred())
        return NULL;
    long vb = 2, vc = 3;
    if (b != NULL) {
        vb = PyLong_AsLong(b);
        if (vb == -1 && PyErr_Occurred())
            return NULL;
    }
    if (c != NULL) {
        vc = PyLong_AsLong(c);
        if (vc == -1 && PyErr_Occurred())
            return NULL;
    }
    return PyLong_FromLong(va + vb + vc);
}

/* build_dict(n) -> {"k0": 0, ..., "k<n-1>": n-1} */
static PyObject *
bench_build_dict(PyObject *self, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    for (long i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%ld", i);
        PyObject *k = PyUnicode_FromString(key);
        PyObject *v = PyLong_FromLong(i);
        if (k == NULL || v == NULL || PyDict_SetItem(d, k, v) < 0) {
            Py_XDECREF(k);
            Py_XDECREF(v);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(k);
        Py_DECREF(v);
    }
    return d;
}

/* dict_sum(d) -> sum of the (int) values of a dict */
static PyObject *
bench_dict_sum(PyObject *self, PyObject *arg)
{
    if (!PyDict_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "dict_sum() argument must be a dict");
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    long total = 0;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        long v = PyLong_AsLong(value);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        total += v;
    }
    return PyLong_FromLong(total);
}

/* fmt(i) -> "item-<i>" */
static PyObject *
bench_fmt(PyObject *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyUnicode_FromFormat("item-%d", (int)v);
}

/* bytes_roundtrip(b) -> a new bytes object equal to b */
static PyObject *
bench_bytes_roundtrip(PyObject *self, PyObject *arg)
{
    char *data;
    Py_ssize_t size;
    if (PyBytes_AsStringAndSize(arg, &data, &size) < 0)
        return NULL;
    return PyBytes_FromStringAndSize(data, size);
}

/* raise_catch() -> True: an error set and cleared in C */
static PyObject *
bench_raise_catch(PyObject *self, PyObject *unused)
{
    PyErr_SetString(PyExc_ValueError, "raised in C");
    if (!PyErr_ExceptionMatches(PyExc_ValueError))
        return NULL;
    PyErr_Clear();
    Py_RETURN_TRUE;
}

/* iter_sum(it) -> sum of the ints of an iterable */
static PyObject *
bench_iter_sum(PyObject *self, PyObject *arg)
{
    PyObject *it = PyObject_GetIter(arg);
    if (it == NULL)
        return NULL;
    long total = 0;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        long v = PyLong_AsLong(item);
        Py_DECREF(item);
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(it);
            return NULL;
        }
        total += v;
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(total);
}

/* call_norm(p) -> p.norm(), called from C */
static PyObject *
bench_call_norm(PyObject *self, PyObject *arg)
{
    return PyObject_CallMethod(arg, "norm", NULL);
}

/* Point(x, y): a static type with two doubles */

typedef struct {
    PyObject_HEAD
    double x;
    double y;
} PointObject;

static PyObject *
Point_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PointObject *self = (PointObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->x = 0.0;
        self->y = 0.0;
    }
    return (PyObject *)self;
}

static int
Point_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"x", "y", NULL};
    PointObject *self = (PointObject *)op;
    double x, y;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "dd:Point", kwlist, &x, &y))
        return -1;
    self->x = x;
    self->y = y;
    return 0;
}

static void
Point_dealloc(PyObject *op)
{
    Py_TYPE(op)->tp_free(op);
}

static PyObject *
Point_norm(PyObject *op, PyObject *unused)
{
    PointObject *self = (PointObject *)op;
    return PyFloat_FromDouble(sqrt(self->x * self->x + self->y * self->y));
}

static PyMethodDef Point_methods[] = {
    {"norm", Point_norm, METH_NOARGS, "norm() -> sqrt(x*x + y*y)"},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef Point_members[] = {
    {"x", T_DOUBLE, offsetof(PointObject, x), 0, "x coordinate"},
    {"y", T_DOUBLE, offsetof(PointObject, y), 0, "y coordinate"},
    {NULL, 0, 0, 0, NULL}
};

static PyTypeObject PointType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrybench.Point",
    .tp_basicsize = sizeof(PointObject),
    .tp_itemsize = 0,
    .tp_dealloc = Point_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Point(x, y): two doubles",
    .tp_methods = Point_methods,
    .tp_members = Point_members,
    .tp_init = Point_init,
    .tp_new = Point_new,
};

static PyMethodDef bench_methods[] = {
    {"noargs", bench_noargs, METH_NOARGS, "noargs() -> None"},
    {"add1", bench_add1, METH_O, "add1(i) -> i + 1"},
    {"concat3", bench_concat3, METH_VARARGS, "concat3(a, b, c) -> (a, b, c)"},
    {"strlen", bench_strlen, METH_O, "strlen(s) -> len(s)"},
    {"sum_list", bench_sum_list, METH_O, "sum_list(lst) -> sum(lst)"},
    {"make_list", bench_make_list, METH_O, "make_list(n) -> list(range(n))"},
    {"getattr_x", bench_getattr_x, METH_O, "getattr_x(obj) -> obj.x"},
    {"kw", (PyCFunction)(void (*)(void))bench_kw, METH_FASTCALL | METH_KEYWORDS,
     "kw(a, b=2, *, c=3) -> a + b + c"},
    {"build_dict", bench_build_dict, METH_O, "build_dict(n) -> {'k0': 0, ...}"},
    {"dict_sum", bench_dict_sum, METH_O, "dict_sum(d) -> sum(d.values())"},
    {"fmt", bench_fmt, METH_O, "fmt(i) -> 'item-<i>'"},
    {"bytes_roundtrip", bench_bytes_roundtrip, METH_O, "bytes_roundtrip(b) -> bytes(b)"},
    {"raise_catch", bench_raise_catch, METH_NOARGS, "raise_catch() -> True"},
    {"iter_sum", bench_iter_sum, METH_O, "iter_sum(it) -> sum(it)"},
    {"call_norm", bench_call_norm, METH_O, "call_norm(p) -> p.norm()"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef bench_module = {
    PyModuleDef_HEAD_INIT,
    "_ferrybench",
    "Benchmarks of the C API boundary (bench/run.py).",
    -1,
    bench_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit__ferrybench(void)
{
    if (PyType_Ready(&PointType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&bench_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&PointType);
    if (PyModule_AddObject(m, "Point", (PyObject *)&PointType) < 0) {
        Py_DECREF(&PointType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
