/* list objects: PyList_* from Objects/listobject.c, including the
 * GET_ITEM / SET_ITEM / GET_SIZE macros.
 *
 * Mirrors CPython's Modules/_testcapi/list.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "ferrytest.h"

/* PyList_New(n) then PyList_SET_ITEM for each item of a tuple. */
static PyObject *
list_new_fill(PyObject *Py_UNUSED(m), PyObject *items)
{
    if (!PyTuple_Check(items)) {
        PyErr_SetString(PyExc_TypeError, "test needs a tuple");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    PyObject *l = PyList_New(n);
    if (l == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyList_SET_ITEM(l, i, Py_NewRef(PyTuple_GET_ITEM(items, i)));
    }
    return l;
}

/* PyList_New alone (negative: SystemError); slots filled with None. */
static PyObject *
list_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "n", &n)) {
        return NULL;
    }
    PyObject *l = PyList_New(n);
    if (l == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyList_SET_ITEM(l, i, Py_NewRef(Py_None));
    }
    return l;
}

/* Appending to a list built in C and growing it past its first capacity. */
static PyObject *
list_append(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l, *item;
    if (!PyArg_ParseTuple(args, "OO", &l, &item)) {
        return NULL;
    }
    RETURN_INT(PyList_Append(l, item));
}

static PyObject *
list_insert(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l, *item;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "OnO", &l, &i, &item)) {
        return NULL;
    }
    RETURN_INT(PyList_Insert(l, i, item));
}

static PyObject *
list_size(PyObject *Py_UNUSED(m), PyObject *o)
{
    RETURN_SIZE(PyList_Size(o));
}

static PyObject *
list_getitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "On", &l, &i)) {
        return NULL;
    }
    PyObject *item = PyList_GetItem(l, i);   /* borrowed */
    if (item == NULL) {
        return PyErr_Occurred() ? NULL : ferrytest_missing_error("NULL");
    }
    return Py_NewRef(item);
}

/* Steals `item` even on failure. */
static PyObject *
list_setitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l, *item;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "OnO", &l, &i, &item)) {
        return NULL;
    }
    RETURN_INT(PyList_SetItem(l, i, Py_NewRef(item)));
}

/* The macros; in-range indices of real lists only. SET_ITEM does not release
 * the old item, so the wrapper does. */
static PyObject *
list_macros(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l, *item;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "O!nO", &PyList_Type, &l, &i, &item)) {
        return NULL;
    }
    if (i < 0 || i >= PyList_GET_SIZE(l)) {
        PyErr_SetString(PyExc_IndexError, "test index out of range");
        return NULL;
    }
    PyObject *old = PyList_GET_ITEM(l, i);
    PyList_SET_ITEM(l, i, Py_NewRef(item));
    return Py_BuildValue("(nN)", PyList_GET_SIZE(l), old);
}

/* (PyList_GET_ITEM(l, i) is PyList_GET_ITEM(l, j), PyList_GET_ITEM(l, i) is o):
 * the identity of the objects a list holds, as C sees them. */
static PyObject *
list_identities(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l, *o;
    Py_ssize_t i, j;
    if (!PyArg_ParseTuple(args, "O!nnO", &PyList_Type, &l, &i, &j, &o)) {
        return NULL;
    }
    if (i < 0 || j < 0 || i >= PyList_GET_SIZE(l) || j >= PyList_GET_SIZE(l)) {
        PyErr_SetString(PyExc_IndexError, "test index out of range");
        return NULL;
    }
    return Py_BuildValue("(OO)", PyList_GET_ITEM(l, i) == PyList_GET_ITEM(l, j) ? Py_True : Py_False,
                         PyList_GET_ITEM(l, i) == o ? Py_True : Py_False);
}

static PyObject *
list_getslice(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "Onn", &l, &lo, &hi)) {
        return NULL;
    }
    return PyList_GetSlice(l, lo, hi);
}

/* v None means NULL: delete the slice. */
static PyObject *
list_setslice(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l, *v;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "OnnO", &l, &lo, &hi, &v)) {
        return NULL;
    }
    NULLABLE(v);
    RETURN_INT(PyList_SetSlice(l, lo, hi, v));
}

/* list_setslice_fresh(items, ops): a list made here (never seen by Python
 * before) from items, then PyList_SetSlice(l, lo, hi, v) for each (lo, hi, v)
 * of ops, v None meaning NULL and v "self" the list itself; returns it. */
static PyObject *
list_setslice_fresh(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *items, *ops;
    if (!PyArg_ParseTuple(args, "O!O!", &PyTuple_Type, &items, &PyList_Type, &ops)) {
        return NULL;
    }
    PyObject *l = list_new_fill(NULL, items);
    if (l == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(ops); i++) {
        Py_ssize_t lo, hi;
        PyObject *v;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(ops, i), "nnO", &lo, &hi, &v)) {
            Py_DECREF(l);
            return NULL;
        }
        if (v == Py_None) {
            v = NULL;
        }
        else if (PyUnicode_Check(v) && PyUnicode_CompareWithASCIIString(v, "self") == 0) {
            v = l;
        }
        if (PyList_SetSlice(l, lo, hi, v) < 0) {
            Py_DECREF(l);
            return NULL;
        }
    }
    return l;
}

static PyObject *
list_sort(PyObject *Py_UNUSED(m), PyObject *l)
{
    RETURN_INT(PyList_Sort(l));
}

static PyObject *
list_reverse(PyObject *Py_UNUSED(m), PyObject *l)
{
    RETURN_INT(PyList_Reverse(l));
}

static PyObject *
list_astuple(PyObject *Py_UNUSED(m), PyObject *l)
{
    return PyList_AsTuple(l);
}

/* _PyList_Extend: the list (any list; never a non-list, which would crash
 * CPython) is extended in place; the result (None) is returned. */
static PyObject *
list_extend_private(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l, *iterable;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &l, &iterable)) {
        return NULL;
    }
    return _PyList_Extend((PyListObject *)l, iterable);
}

/* A list made in C (no Python counterpart yet), extended, then returned. */
static PyObject *
list_extend_new(PyObject *Py_UNUSED(m), PyObject *iterable)
{
    PyObject *l = Py_BuildValue("[s]", "first");
    if (l == NULL) {
        return NULL;
    }
    PyObject *r = _PyList_Extend((PyListObject *)l, iterable);
    if (r == NULL) {
        Py_DECREF(l);
        return NULL;
    }
    return Py_BuildValue("(NN)", r, l);
}

/* As Cython's `del lst[i:j]` (and PyObject_SetItem with a slice) on a list
 * it holds: mp_ass_subscript(lst, slice(i, j), value or NULL), then the
 * list as C sees it through the macros: (PyList_GET_SIZE, [items]). */
static PyObject *
list_ass_slice_via_slot(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *l, *start, *stop, *value;
    if (!PyArg_ParseTuple(args, "O!OOO", &PyList_Type, &l, &start, &stop, &value)) {
        return NULL;
    }
    NULLABLE(value);
    PyObject *slice = PySlice_New(start, stop, NULL);
    if (slice == NULL) {
        return NULL;
    }
    int r = Py_TYPE(l)->tp_as_mapping->mp_ass_subscript(l, slice, value);
    Py_DECREF(slice);
    if (r < 0) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(l);
    PyObject *items = PyTuple_New(n);
    for (Py_ssize_t i = 0; items != NULL && i < n; i++) {
        PyTuple_SET_ITEM(items, i, Py_NewRef(PyList_GET_ITEM(l, i)));
    }
    return items ? Py_BuildValue("(nN)", n, items) : NULL;
}

/* A stack kept as Cython keeps lxml's parser node stack: a list held in C
 * across calls; `ops` a str of 'p' (push the next int) and 'o' (pop, as
 * Cython's __Pyx_PyList_Pop: ob_size shrunk in place while the list is more
 * than half full, else its pop method called). The popped values. */
static PyObject *stack_list;

static PyObject *
list_cython_stack(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *lst;
    const char *ops;
    if (!PyArg_ParseTuple(args, "O!s", &PyList_Type, &lst, &ops)) {
        return NULL;
    }
    Py_XSETREF(stack_list, Py_NewRef(lst));
    PyObject *popped = PyList_New(0);
    long next = 100;
    for (const char *p = ops; popped != NULL && *p; p++) {
        PyObject *v = NULL;
        if (*p == 'p') {
            PyObject *n = PyLong_FromLong(next++);
            if (n == NULL || PyList_Append(stack_list, n) < 0) {
                Py_XDECREF(n);
                Py_CLEAR(popped);
                break;
            }
            Py_DECREF(n);
            continue;
        }
        if (PyList_GET_SIZE(stack_list) > (((PyListObject *)stack_list)->allocated >> 1)) {
            Py_SET_SIZE(stack_list, Py_SIZE(stack_list) - 1);
            v = PyList_GET_ITEM(stack_list, PyList_GET_SIZE(stack_list));
        }
        else {
            v = PyObject_CallMethod(stack_list, "pop", NULL);
        }
        if (v == NULL || PyList_Append(popped, v) < 0) {
            Py_CLEAR(popped);
        }
        Py_XDECREF(v);
    }
    return popped;
}

/* lxml's parser node stack (saxparser.pxi, _SaxParserContext._node_stack):
 * a list made in C and kept in C, pushed to and popped as Cython 0.29 does,
 * which Python may also read. node_stack_reset() makes a new empty one;
 * node_stack() returns it; node_stack_ops(ops, how) runs `ops`, a str of
 *   'p'  push the next int as __Pyx_PyList_Append: in place (SET_ITEM and
 *        Py_SET_SIZE) when allocated > size > allocated / 2, else PyList_Append;
 *   'o'  pop as __Pyx_PyList_Pop: ob_size shrunk in place when
 *        size > allocated / 2, else the unbound list.pop (looked up once on
 *        list and cached) called with the list: through its type's tp_call
 *        with a 1-tuple as __Pyx__CallUnboundCMethod0 does (`how` "tp_call"),
 *        or with PyObject_Vectorcall (`how` "vectorcall");
 *   's'  what C sees: a tuple of the items read through the macros.
 * The pushes start at `first`. Returns the list of what 'o' and 's' gave. */
static PyObject *node_stack;
static PyObject *unbound_list_pop;

static PyObject *
list_node_stack_reset(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(args))
{
    Py_XSETREF(node_stack, PyList_New(0));
    if (node_stack == NULL) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
list_node_stack(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(args))
{
    return Py_NewRef(node_stack ? node_stack : Py_None);
}

static PyObject *
node_stack_pop(const char *how)
{
    Py_ssize_t len = PyList_GET_SIZE(node_stack);
    if (len > (((PyListObject *)node_stack)->allocated >> 1)) {
        Py_SET_SIZE(node_stack, len - 1);
        return PyList_GET_ITEM(node_stack, len - 1);   /* the list's reference */
    }
    if (unbound_list_pop == NULL) {
        unbound_list_pop = PyObject_GetAttrString((PyObject *)&PyList_Type, "pop");
        if (unbound_list_pop == NULL) {
            return NULL;
        }
    }
    if (strcmp(how, "vectorcall") == 0) {
        return PyObject_Vectorcall(unbound_list_pop, &node_stack, 1, NULL);
    }
    ternaryfunc call = Py_TYPE(unbound_list_pop)->tp_call;
    PyObject *args = PyTuple_New(1);
    if (args == NULL) {
        return NULL;
    }
    PyTuple_SET_ITEM(args, 0, Py_NewRef(node_stack));
    PyObject *r = call != NULL ? call(unbound_list_pop, args, NULL)
                               : PyObject_Call(unbound_list_pop, args, NULL);
    Py_DECREF(args);
    return r;
}

static int
node_stack_push(PyObject *v)
{
    PyListObject *l = (PyListObject *)node_stack;
    Py_ssize_t len = Py_SIZE(l);
    if (l->allocated > len && len > (l->allocated >> 1)) {
        PyList_SET_ITEM(node_stack, len, Py_NewRef(v));
        Py_SET_SIZE(node_stack, len + 1);
        return 0;
    }
    return PyList_Append(node_stack, v);
}

static PyObject *
list_node_stack_ops(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *ops, *how;
    long next;
    if (!PyArg_ParseTuple(args, "ssl", &ops, &how, &next)) {
        return NULL;
    }
    if (node_stack == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "node_stack_reset() first");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    for (const char *p = ops; out != NULL && *p; p++) {
        PyObject *v = NULL;
        if (*p == 'p') {
            PyObject *n = PyLong_FromLong(next++);
            int r = n != NULL ? node_stack_push(n) : -1;
            Py_XDECREF(n);
            if (r < 0) {
                Py_CLEAR(out);
            }
            continue;
        }
        if (*p == 'o') {
            v = node_stack_pop(how);
        }
        else {
            Py_ssize_t n = PyList_GET_SIZE(node_stack);
            v = PyTuple_New(n);
            for (Py_ssize_t i = 0; v != NULL && i < n; i++) {
                PyTuple_SET_ITEM(v, i, Py_NewRef(PyList_GET_ITEM(node_stack, i)));
            }
        }
        if (v == NULL || PyList_Append(out, v) < 0) {
            Py_CLEAR(out);
        }
        Py_XDECREF(v);
    }
    return out;
}

/* list_nested(depth): [[[...]]] made in C, depth lists deep. */
static PyObject *
list_nested(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long depth = PyLong_AsLong(arg);
    if (depth == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *inner = PyList_New(0);
    for (long i = 0; inner != NULL && i < depth; i++) {
        PyObject *outer = PyList_New(1);
        if (outer == NULL) {
            Py_CLEAR(inner);
            break;
        }
        PyList_SET_ITEM(outer, 0, inner);
        inner = outer;
    }
    return inner;
}

/* list_self(n): a list made in C that holds itself after n ints, crossing
 * the first time as it is. */
static PyObject *
list_self(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *l = PyList_New(0);
    for (long i = 0; l != NULL && i < n; i++) {
        PyObject *v = PyLong_FromLong(i);
        if (v == NULL || PyList_Append(l, v) < 0) {
            Py_CLEAR(l);
        }
        Py_XDECREF(v);
    }
    if (l != NULL && PyList_Append(l, l) < 0) {
        Py_CLEAR(l);
    }
    return l;
}

static PyMethodDef list_methods[] = {
    {"list_ass_slice_via_slot", list_ass_slice_via_slot, METH_VARARGS, NULL},
    {"list_new_fill", list_new_fill, METH_O, NULL},
    {"list_new", list_new, METH_VARARGS, NULL},
    {"list_self", list_self, METH_O, NULL},
    {"list_nested", list_nested, METH_O, NULL},
    {"list_append", list_append, METH_VARARGS, NULL},
    {"list_cython_stack", list_cython_stack, METH_VARARGS, NULL},
    {"list_node_stack_reset", list_node_stack_reset, METH_NOARGS, NULL},
    {"list_node_stack", list_node_stack, METH_NOARGS, NULL},
    {"list_node_stack_ops", list_node_stack_ops, METH_VARARGS, NULL},
    {"list_insert", list_insert, METH_VARARGS, NULL},
    {"list_size", list_size, METH_O, NULL},
    {"list_getitem", list_getitem, METH_VARARGS, NULL},
    {"list_setitem", list_setitem, METH_VARARGS, NULL},
    {"list_macros", list_macros, METH_VARARGS, NULL},
    {"list_identities", list_identities, METH_VARARGS, NULL},
    {"list_getslice", list_getslice, METH_VARARGS, NULL},
    {"list_setslice", list_setslice, METH_VARARGS, NULL},
    {"list_setslice_fresh", list_setslice_fresh, METH_VARARGS, NULL},
    {"list_sort", list_sort, METH_O, NULL},
    {"list_reverse", list_reverse, METH_O, NULL},
    {"list_astuple", list_astuple, METH_O, NULL},
    {"list_extend_private", list_extend_private, METH_VARARGS, NULL},
    {"list_extend_new", list_extend_new, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_list(PyObject *m)
{
    return PyModule_AddFunctions(m, list_methods);
}
