/* Importing: PyImport_* from Python/import.c.
 *
 * Mirrors CPython's Modules/_testcapi/import.c (3.13's; 3.11 has none).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* NULL name crashes CPython: not passed. */
static PyObject *
import_importmodule(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "y", &name)) {
        return NULL;
    }
    return PyImport_ImportModule(name);
}

static PyObject *
import_importmodulenoblock(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "y", &name)) {
        return NULL;
    }
    return PyImport_ImportModuleNoBlock(name);
}

/* Goes through builtins.__import__ (so import hooks apply). */
static PyObject *
import_import(PyObject *Py_UNUSED(m), PyObject *name)
{
    return PyImport_Import(name);
}

/* fromlist None means NULL. */
static PyObject *
import_importmodulelevel(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *globals, *fromlist;
    int level;
    if (!PyArg_ParseTuple(args, "yOOi", &name, &globals, &fromlist, &level)) {
        return NULL;
    }
    NULLABLE(globals);
    NULLABLE(fromlist);
    return PyImport_ImportModuleLevel(name, globals, NULL, fromlist, level);
}

static PyObject *
import_importmodulelevelobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *name, *globals, *fromlist;
    int level;
    if (!PyArg_ParseTuple(args, "OOOi", &name, &globals, &fromlist, &level)) {
        return NULL;
    }
    NULLABLE(globals);
    NULLABLE(fromlist);
    return PyImport_ImportModuleLevelObject(name, globals, NULL, fromlist, level);
}

/* New reference, or NULL without an exception if not imported yet. */
static PyObject *
import_getmodule(PyObject *Py_UNUSED(m), PyObject *name)
{
    PyObject *mod = PyImport_GetModule(name);
    if (mod == NULL) {
        return PyErr_Occurred() ? NULL : Py_NewRef(ferrytest_null);
    }
    return mod;
}

/* Borrowed: sys.modules itself. */
static PyObject *
import_getmoduledict(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(PyImport_GetModuleDict());
}

/* Borrowed: the existing module, or a new empty one put in sys.modules. */
static PyObject *
import_addmodule(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "y", &name)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(PyImport_AddModule(name));
}

static PyObject *
import_addmoduleobject(PyObject *Py_UNUSED(m), PyObject *name)
{
    return ferrytest_borrowed_or_null(PyImport_AddModuleObject(name));
}

static PyObject *
import_reloadmodule(PyObject *Py_UNUSED(m), PyObject *mod)
{
    return PyImport_ReloadModule(mod);
}

/* A module from source text: PyImport_ExecCodeModule on a compiled string. */
static PyObject *
import_execcodemodule(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name, *source;
    if (!PyArg_ParseTuple(args, "ys", &name, &source)) {
        return NULL;
    }
    PyObject *code = Py_CompileString(source, "<ferrytest>", Py_file_input);
    if (code == NULL) {
        return NULL;
    }
    PyObject *mod = PyImport_ExecCodeModule(name, code);
    Py_DECREF(code);
    return mod;
}

/* --- executing a code object as a module ---------------------------------- */

/* pathname None means NULL (then __file__ comes from co_filename). */
static PyObject *
import_execcodemoduleex(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name, *pathname = NULL;
    PyObject *co;
    if (!PyArg_ParseTuple(args, "yO|z", &name, &co, &pathname)) {
        return NULL;
    }
    return PyImport_ExecCodeModuleEx(name, co, pathname);
}

static PyObject *
import_execcodemodulewithpathnames(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name, *pathname, *cpathname;
    PyObject *co;
    if (!PyArg_ParseTuple(args, "yOzz", &name, &co, &pathname, &cpathname)) {
        return NULL;
    }
    return PyImport_ExecCodeModuleWithPathnames(name, co, pathname, cpathname);
}

static PyObject *
import_execcodemoduleobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *name, *co, *pathname, *cpathname;
    if (!PyArg_ParseTuple(args, "OOOO", &name, &co, &pathname, &cpathname)) {
        return NULL;
    }
    NULLABLE(pathname);
    NULLABLE(cpathname);
    return PyImport_ExecCodeModuleObject(name, co, pathname, cpathname);
}

static PyMethodDef import_methods[] = {
    {"import_importmodule", import_importmodule, METH_VARARGS, NULL},
    {"import_importmodulenoblock", import_importmodulenoblock, METH_VARARGS, NULL},
    {"import_import", import_import, METH_O, NULL},
    {"import_importmodulelevel", import_importmodulelevel, METH_VARARGS, NULL},
    {"import_importmodulelevelobject", import_importmodulelevelobject,
     METH_VARARGS, NULL},
    {"import_getmodule", import_getmodule, METH_O, NULL},
    {"import_getmoduledict", import_getmoduledict, METH_NOARGS, NULL},
    {"import_addmodule", import_addmodule, METH_VARARGS, NULL},
    {"import_addmoduleobject", import_addmoduleobject, METH_O, NULL},
    {"import_reloadmodule", import_reloadmodule, METH_O, NULL},
    {"import_execcodemodule", import_execcodemodule, METH_VARARGS, NULL},
    {"import_execcodemoduleex", import_execcodemoduleex, METH_VARARGS, NULL},
    {"import_execcodemodulewithpathnames", import_execcodemodulewithpathnames, METH_VARARGS, NULL},
    {"import_execcodemoduleobject", import_execcodemoduleobject, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_import(PyObject *m)
{
    return PyModule_AddFunctions(m, import_methods);
}
