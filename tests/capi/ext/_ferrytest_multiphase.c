/* _ferrytest_multiphase: multi-phase initialisation (PEP 489).
 *
 * PyInit returns the definition through PyModuleDef_Init; the import system
 * then creates the module object and runs the Py_mod_exec slots. The module
 * keeps a C state of m_size bytes (zeroed by the runtime) reached through
 * PyModule_GetState, so every module object made from this definition
 * (e.g. with importlib.util.module_from_spec) has its own counter.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    long counter;
    long exec_runs;     /* how many exec slots ran on this module */
    int zeroed;         /* was the state zero when the first exec slot ran */
} multiphase_state;

static PyObject *
increment(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    multiphase_state *st = PyModule_GetState(module);
    if (st == NULL) {
        return NULL;
    }
    return PyLong_FromLong(++st->counter);
}

static PyObject *
state_info(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    multiphase_state *st = PyModule_GetState(module);
    if (st == NULL) {
        return NULL;
    }
    return Py_BuildValue("{slslsi}", "counter", st->counter,
                         "exec_runs", st->exec_runs, "zeroed", st->zeroed);
}

/* Returns the module the function is bound to (its self). */
static PyObject *
bound_module(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(module);
}

static PyMethodDef multiphase_methods[] = {
    {"increment", increment, METH_NOARGS, "Increment the per-module counter."},
    {"state_info", state_info, METH_NOARGS, NULL},
    {"bound_module", bound_module, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
exec_first(PyObject *module)
{
    multiphase_state *st = PyModule_GetState(module);
    if (st == NULL) {
        return -1;
    }
    st->zeroed = (st->counter == 0 && st->exec_runs == 0);
    st->exec_runs++;
    if (PyModule_AddIntConstant(module, "EXEC_ORDER_FIRST", st->exec_runs) < 0) {
        return -1;
    }
    return PyModule_AddStringConstant(module, "GREETING", "multi-phase");
}

static int
exec_second(PyObject *module)
{
    multiphase_state *st = PyModule_GetState(module);
    if (st == NULL) {
        return -1;
    }
    st->exec_runs++;
    /* The spec is set on the module before the exec slots run. */
    PyObject *spec = PyObject_GetAttrString(module, "__spec__");
    if (spec == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(module, "SPEC_SEEN_IN_EXEC", spec);
    Py_DECREF(spec);
    if (rc < 0) {
        return -1;
    }
    return PyModule_AddIntConstant(module, "EXEC_ORDER_SECOND", st->exec_runs);
}

static PyModuleDef_Slot multiphase_slots[] = {
    {Py_mod_exec, exec_first},
    {Py_mod_exec, exec_second},
    {0, NULL},
};

static struct PyModuleDef multiphase_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_ferrytest_multiphase",
    .m_doc = "Multi-phase initialisation test module of ferry.",
    .m_size = sizeof(multiphase_state),
    .m_methods = multiphase_methods,
    .m_slots = multiphase_slots,
};

PyMODINIT_FUNC
PyInit__ferrytest_multiphase(void)
{
    return PyModuleDef_Init(&multiphase_def);
}
