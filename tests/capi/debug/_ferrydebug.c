/* _ferrydebug: an extension that misuses the C API on purpose, for the tests
 * of ferry's debug mode (FERRY_DEBUG, tests/capi/test_debug.py). Each function
 * is a lifetime bug CPython would crash on, or silently survive, some of the
 * time; none of them is ever called on CPython. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* One Py_DECREF too many: the second reaches a freed list. */
static PyObject *
double_decref(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    Py_DECREF(list);
    Py_DECREF(list);
    Py_RETURN_NONE;
}

/* An object used after its last reference went. */
static PyObject *
use_after_free(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    PyObject *s = PyUnicode_FromString("gone soon");
    if (s == NULL) {
        return NULL;
    }
    Py_DECREF(s);
    return PyObject_Repr(s);
}

/* A reference borrowed from a tuple, used after the tuple died. */
static PyObject *
borrowed_after_owner(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    PyObject *t = Py_BuildValue("(N)", PyBytes_FromString("item"));
    if (t == NULL) {
        return NULL;
    }
    PyObject *item = PyTuple_GET_ITEM(t, 0);
    Py_DECREF(t);
    return PyObject_Repr(item);
}

/* Lists made and forgotten. */
static PyObject *
leak_lists(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    for (long i = 0; i < n; i++) {
        if (PyList_New(0) == NULL) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

/* A dict kept in a static, with what it holds: not a leak. */
static PyObject *kept;

static PyObject *
keep_in_static(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    if (kept == NULL) {
        kept = PyDict_New();
        if (kept == NULL) {
            return NULL;
        }
        PyObject *v = PyTuple_New(0);
        PyObject *k = PyUnicode_FromString("kept-key");
        if (v == NULL || k == NULL || PyDict_SetItem(kept, k, v) < 0) {
            Py_XDECREF(v);
            Py_XDECREF(k);
            return NULL;
        }
        Py_DECREF(v);
        Py_DECREF(k);
    }
    Py_RETURN_NONE;
}

/* Memory of PyMem_Malloc freed twice. */
static PyObject *
double_free(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    void *p = PyMem_Malloc(24);
    if (p == NULL) {
        return PyErr_NoMemory();
    }
    PyMem_Free(p);
    PyMem_Free(p);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"double_decref", double_decref, METH_NOARGS, NULL},
    {"use_after_free", use_after_free, METH_NOARGS, NULL},
    {"borrowed_after_owner", borrowed_after_owner, METH_NOARGS, NULL},
    {"leak_lists", leak_lists, METH_O, NULL},
    {"keep_in_static", keep_in_static, METH_NOARGS, NULL},
    {"double_free", double_free, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_ferrydebug", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit__ferrydebug(void)
{
    return PyModule_Create(&module);
}
