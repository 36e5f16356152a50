/* _ferrytest: the module definition of the C-API test extension.
 *
 * Single-phase initialisation, the way most extensions in the wild still do
 * it: PyInit__ferrytest calls PyModule_Create (PyModule_Create2 in the ABI),
 * fills the module with PyModule_Add* and keeps a small C state reached through
 * PyModule_GetState and PyState_FindModule. Each family file then adds its own
 * functions (see ferrytest.h for the conventions).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <limits.h>

#include "ferrytest.h"

typedef struct {
    long calls;          /* bumped by state_increment() */
    long magic;          /* set once in PyInit, proves the state is ours */
} ferrytest_state;

#define FERRYTEST_MAGIC 0x5f6572727974L

static struct PyModuleDef ferrytest_def;

PyObject *
ferrytest_missing_error(const char *what)
{
    PyErr_Format(PyExc_AssertionError,
                 "API returned %s without setting an exception", what);
    return NULL;
}

PyObject *ferrytest_null = NULL;

PyObject *
ferrytest_borrowed_or_null(PyObject *o)
{
    if (o != NULL) {
        return Py_NewRef(o);
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    return Py_NewRef(ferrytest_null);
}

/* --- module state ------------------------------------------------------ */

static PyObject *
state_increment(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    ferrytest_state *st = PyModule_GetState(module);
    if (st == NULL) {
        return NULL;
    }
    st->calls++;
    return PyLong_FromLong(st->calls);
}

static PyObject *
state_magic(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    ferrytest_state *st = PyModule_GetState(module);
    if (st == NULL) {
        return NULL;
    }
    return PyBool_FromLong(st->magic == FERRYTEST_MAGIC);
}

/* PyState_FindModule returns a borrowed reference, or NULL without an
 * exception when the module is not (yet) registered. */
static PyObject *
state_find_module(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    return ferrytest_borrowed_or_null(PyState_FindModule(&ferrytest_def));
}

/* The module's own definition, name and dictionary, seen from C. */
static PyObject *
self_name(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    const char *name = PyModule_GetName(module);
    if (name == NULL) {
        return NULL;
    }
    return PyUnicode_FromString(name);
}

static PyObject *
self_dict(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyObject *dict = PyModule_GetDict(module);   /* borrowed */
    return Py_NewRef(dict);
}

static PyObject *
self_def_is_ours(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(PyModule_GetDef(module) == &ferrytest_def);
}

static PyMethodDef ferrytest_methods[] = {
    {"state_increment", state_increment, METH_NOARGS,
     "Increment the C counter in the module state and return it."},
    {"state_magic", state_magic, METH_NOARGS, NULL},
    {"state_find_module", state_find_module, METH_NOARGS, NULL},
    {"self_name", self_name, METH_NOARGS, NULL},
    {"self_dict", self_dict, METH_NOARGS, NULL},
    {"self_def_is_ours", self_def_is_ours, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef ferrytest_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_ferrytest",
    .m_doc = "C-API test extension of ferry (built against CPython 3.11).",
    .m_size = sizeof(ferrytest_state),
    .m_methods = ferrytest_methods,
};

/* The constants the tests read back; each exercises one PyModule_Add*. */
static int
add_constants(PyObject *m)
{
    if (PyModule_AddIntConstant(m, "INT_CONSTANT", 42) < 0
        || PyModule_AddIntConstant(m, "LONG_MIN_CONSTANT", LONG_MIN) < 0
        || PyModule_AddIntConstant(m, "LONG_MAX_CONSTANT", LONG_MAX) < 0
        || PyModule_AddStringConstant(m, "STRING_CONSTANT", "ferry") < 0
        /* UTF-8: latin-1, BMP and astral characters */
        || PyModule_AddStringConstant(m, "UTF8_CONSTANT",
                                      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d") < 0
        || PyModule_AddStringConstant(m, "EMPTY_STRING_CONSTANT", "") < 0) {
        return -1;
    }

    /* PyModule_AddObject steals the reference only on success. */
    PyObject *tuple = Py_BuildValue("(is)", 1, "stolen");
    if (tuple == NULL) {
        return -1;
    }
    if (PyModule_AddObject(m, "ADDED_OBJECT", tuple) < 0) {
        Py_DECREF(tuple);
        return -1;
    }

    /* PyModule_AddObjectRef never steals. */
    PyObject *list = Py_BuildValue("[ss]", "kept", "ref");
    if (list == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(m, "ADDED_OBJECT_REF", list);
    Py_DECREF(list);
    if (rc < 0) {
        return -1;
    }

    /* The same object under two names must stay one object. */
    if (PyModule_AddObjectRef(m, "NONE_CONSTANT", Py_None) < 0) {
        return -1;
    }
    return 0;
}

typedef int (*ferrytest_init_fn)(PyObject *);

static const ferrytest_init_fn family_inits[] = {
    ferrytest_init_object,
    ferrytest_init_abstract,
    ferrytest_init_long,
    ferrytest_init_float,
    ferrytest_init_complex,
    ferrytest_init_unicode,
    ferrytest_init_bytes,
    ferrytest_init_bytearray,
    ferrytest_init_tuple,
    ferrytest_init_list,
    ferrytest_init_dict,
    ferrytest_init_set,
    ferrytest_init_slice,
    ferrytest_init_module,
    ferrytest_init_methods,
    ferrytest_init_errors,
    ferrytest_init_getargs,
    ferrytest_init_buildvalue,
    ferrytest_init_legacy,
    ferrytest_init_capsule,
    ferrytest_init_mem,
    ferrytest_init_import,
    ferrytest_init_eval,
    ferrytest_init_codecs,
    ferrytest_init_memoryobject,
    ferrytest_init_sysmodule,
    ferrytest_init_pyctype,
    ferrytest_init_type,
    ferrytest_init_pythread,
    ferrytest_init_genericalias,
    ferrytest_init_weakref,
    ferrytest_init_trashcan,
    ferrytest_init_heaptype,
    ferrytest_init_structseq,
    ferrytest_init_datetime,
    ferrytest_init_traceback,
    ferrytest_init_descrobject,
    ferrytest_init_classobject,
    ferrytest_init_subclass,
    ferrytest_init_genobject,
    ferrytest_init_context,
    ferrytest_init_tracemalloc,
    ferrytest_init_iterobject,
    ferrytest_init_mystrtoul,
    ferrytest_init_pystate,
    ferrytest_init_pylifecycle,
    ferrytest_init_fileobject,
    ferrytest_init_posixmodule,
    ferrytest_init_funcobject,
};

PyMODINIT_FUNC
PyInit__ferrytest(void)
{
    PyObject *m = PyModule_Create(&ferrytest_def);
    if (m == NULL) {
        return NULL;
    }
    ferrytest_state *st = PyModule_GetState(m);
    if (st == NULL) {
        goto error;
    }
    st->calls = 0;
    st->magic = FERRYTEST_MAGIC;

    if (ferrytest_null == NULL) {
        ferrytest_null = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
        if (ferrytest_null == NULL) {
            goto error;
        }
    }
    if (PyModule_AddObjectRef(m, "NULL", ferrytest_null) < 0) {
        goto error;
    }

    if (add_constants(m) < 0) {
        goto error;
    }
    for (size_t i = 0; i < sizeof(family_inits) / sizeof(family_inits[0]); i++) {
        if (family_inits[i](m) < 0) {
            goto error;
        }
    }
    return m;

error:
    Py_DECREF(m);
    return NULL;
}
