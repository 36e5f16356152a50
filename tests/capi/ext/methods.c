/* Calling conventions of C functions: every METH_* flag combination a module
 * function can use, PyCFunction_NewEx / PyCMethod_New and the accessors of
 * Objects/methodobject.c, plus what the call boundary does with a function
 * that breaks the error protocol (Objects/call.c: _Py_CheckFunctionResult).
 *
 * Mirrors CPython's Modules/_testcapi/vectorcall.c and methodobject tests.
 * Each function answers (self, what it received) so the Python side sees
 * exactly how the arguments were delivered.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

static PyObject *
or_none(PyObject *o)
{
    return o != NULL ? o : Py_None;
}

static PyObject *
meth_noargs(PyObject *self, PyObject *arg)
{
    /* arg is always NULL for METH_NOARGS */
    return Py_BuildValue("(Oi)", or_none(self), arg == NULL);
}

static PyObject *
meth_o(PyObject *self, PyObject *arg)
{
    return Py_BuildValue("(OO)", or_none(self), arg);
}

static PyObject *
meth_varargs(PyObject *self, PyObject *args)
{
    return Py_BuildValue("(OO)", or_none(self), args);
}

/* kwargs is NULL (not an empty dict) when no keywords were passed. */
static PyObject *
meth_varargs_keywords(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return Py_BuildValue("(OOO)", or_none(self), args, or_none(kwargs));
}

static PyObject *
stack_to_tuple(PyObject *const *args, Py_ssize_t n)
{
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTuple_SET_ITEM(t, i, Py_NewRef(args[i]));
    }
    return t;
}

static PyObject *
meth_fastcall(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return Py_BuildValue("(ON)", or_none(self), stack_to_tuple(args, nargs));
}

/* kwnames is NULL or a tuple of str; the keyword values follow the
 * positional ones in args. Returns (self, args, kwnames, kwvalues). */
static PyObject *
meth_fastcall_keywords(PyObject *self, PyObject *const *args,
                       Py_ssize_t nargs, PyObject *kwnames)
{
    Py_ssize_t nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    return Py_BuildValue("(ONON)", or_none(self), stack_to_tuple(args, nargs),
                         or_none(kwnames), stack_to_tuple(args + nargs, nkw));
}

/* METH_METHOD: also receives the defining class. */
static PyObject *
meth_method(PyObject *self, PyTypeObject *defining_class,
            PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    Py_ssize_t nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    return Py_BuildValue("(OONON)", or_none(self), (PyObject *)defining_class,
                         stack_to_tuple(args, nargs), or_none(kwnames),
                         stack_to_tuple(args + nargs, nkw));
}

/* Breaking the protocol: the caller must turn both into SystemError. */
static PyObject *
return_null_without_error(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    return NULL;
}

static PyObject *
return_result_with_error(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    PyErr_SetString(PyExc_ValueError, "left behind");
    Py_RETURN_NONE;
}

static PyObject *
raise_value_error(PyObject *Py_UNUSED(self), PyObject *arg)
{
    PyErr_SetObject(PyExc_ValueError, arg);
    return NULL;
}

/* The table used both as module functions and as PyCFunction_NewEx input. */
static PyMethodDef call_conv_methods[] = {
    {"meth_noargs", meth_noargs, METH_NOARGS,
     "meth_noargs($module, /)\n--\n\nTakes no arguments."},
    {"meth_o", meth_o, METH_O,
     "meth_o($module, arg, /)\n--\n\nTakes one argument."},
    {"meth_varargs", meth_varargs, METH_VARARGS,
     "Positional arguments as a tuple."},
    {"meth_varargs_keywords", (PyCFunction)(void (*)(void))meth_varargs_keywords,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"meth_fastcall", (PyCFunction)(void (*)(void))meth_fastcall, METH_FASTCALL,
     "meth_fastcall($module, /, *args)\n--\n\n"},
    {"meth_fastcall_keywords",
     (PyCFunction)(void (*)(void))meth_fastcall_keywords,
     METH_FASTCALL | METH_KEYWORDS, ""},
    {"return_null_without_error", return_null_without_error, METH_NOARGS, NULL},
    {"return_result_with_error", return_result_with_error, METH_NOARGS, NULL},
    {"raise_value_error", raise_value_error, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef method_def = {
    "meth_method", (PyCFunction)(void (*)(void))meth_method,
    METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL,
};

static PyMethodDef *
find_def(const char *name)
{
    for (PyMethodDef *def = call_conv_methods; def->ml_name != NULL; def++) {
        if (strcmp(def->ml_name, name) == 0) {
            return def;
        }
    }
    PyErr_Format(PyExc_ValueError, "no method named %s", name);
    return NULL;
}

/* PyCFunction_NewEx(def, self, module): self and module None mean NULL. */
static PyObject *
cfunction_newex(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *self, *module;
    if (!PyArg_ParseTuple(args, "sOO", &name, &self, &module)) {
        return NULL;
    }
    NULLABLE(self);
    NULLABLE(module);
    PyMethodDef *def = find_def(name);
    if (def == NULL) {
        return NULL;
    }
    return PyCFunction_NewEx(def, self, module);
}

/* PyCFunction_New(def, self): no module. */
static PyObject *
cfunction_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *self;
    if (!PyArg_ParseTuple(args, "sO", &name, &self)) {
        return NULL;
    }
    NULLABLE(self);
    PyMethodDef *def = find_def(name);
    if (def == NULL) {
        return NULL;
    }
    return PyCFunction_New(def, self);
}

/* PyCMethod_New(def, self, module, cls); which="method" uses the
 * METH_METHOD definition, anything else a plain one (then cls must be NULL). */
static PyObject *
cmethod_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    PyObject *self, *module, *cls;
    if (!PyArg_ParseTuple(args, "sOOO", &which, &self, &module, &cls)) {
        return NULL;
    }
    NULLABLE(self);
    NULLABLE(module);
    NULLABLE(cls);
    if (cls != NULL && !PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "test needs a type or None");
        return NULL;
    }
    PyMethodDef *def = strcmp(which, "method") == 0 ? &method_def : find_def(which);
    if (def == NULL) {
        return NULL;
    }
    return PyCMethod_New(def, self, module, (PyTypeObject *)cls);
}

/* Which C function does a builtin wrap? Compared by address. */
static PyObject *
cfunction_getfunction(PyObject *Py_UNUSED(m), PyObject *f)
{
    PyCFunction fn = PyCFunction_GetFunction(f);
    if (fn == NULL) {
        return NULL;
    }
    for (PyMethodDef *def = call_conv_methods; def->ml_name != NULL; def++) {
        if (def->ml_meth == fn) {
            return PyUnicode_FromString(def->ml_name);
        }
    }
    if (method_def.ml_meth == fn) {
        return PyUnicode_FromString(method_def.ml_name);
    }
    Py_RETURN_NONE;
}

/* Borrowed; NULL self (no exception) is reported as the NULL sentinel. */
static PyObject *
cfunction_getself(PyObject *Py_UNUSED(m), PyObject *f)
{
    return ferrytest_borrowed_or_null(PyCFunction_GetSelf(f));
}

static PyObject *
cfunction_getflags(PyObject *Py_UNUSED(m), PyObject *f)
{
    int flags = PyCFunction_GetFlags(f);
    if (flags == -1) {
        return NULL;
    }
    return PyLong_FromLong(flags);
}

static PyObject *
cfunction_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(ii)", PyCFunction_Check(o),
                         Py_IS_TYPE(o, &PyCFunction_Type));
}

static PyObject *
cfunction_type(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef((PyObject *)&PyCFunction_Type);
}

static PyObject *
meth_flags(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("{sisisisisisisisi}",
                         "METH_VARARGS", METH_VARARGS,
                         "METH_KEYWORDS", METH_KEYWORDS,
                         "METH_NOARGS", METH_NOARGS,
                         "METH_O", METH_O,
                         "METH_CLASS", METH_CLASS,
                         "METH_STATIC", METH_STATIC,
                         "METH_FASTCALL", METH_FASTCALL,
                         "METH_METHOD", METH_METHOD);
}

/* The exported functions (the 3.11 headers turn both names into macros
 * over PyCMethod_New). Same arguments as cfunction_newex / cfunction_new. */
static PyObject *
cfunction_newex_function(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *self, *module;
    if (!PyArg_ParseTuple(args, "sOO", &name, &self, &module)) {
        return NULL;
    }
    NULLABLE(self);
    NULLABLE(module);
    PyMethodDef *def = find_def(name);
    if (def == NULL) {
        return NULL;
    }
    return (PyCFunction_NewEx)(def, self, module);
}

static PyObject *
cfunction_new_function(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *self;
    if (!PyArg_ParseTuple(args, "sO", &name, &self)) {
        return NULL;
    }
    NULLABLE(self);
    PyMethodDef *def = find_def(name);
    if (def == NULL) {
        return NULL;
    }
    return (PyCFunction_New)(def, self);
}

static PyMethodDef methods_methods[] = {
    {"cfunction_newex", cfunction_newex, METH_VARARGS, NULL},
    {"cfunction_new", cfunction_new, METH_VARARGS, NULL},
    {"cmethod_new", cmethod_new, METH_VARARGS, NULL},
    {"cfunction_getfunction", cfunction_getfunction, METH_O, NULL},
    {"cfunction_getself", cfunction_getself, METH_O, NULL},
    {"cfunction_getflags", cfunction_getflags, METH_O, NULL},
    {"cfunction_check", cfunction_check, METH_O, NULL},
    {"cfunction_type", cfunction_type, METH_NOARGS, NULL},
    {"meth_flags", meth_flags, METH_NOARGS, NULL},
    {"cfunction_newex_function", cfunction_newex_function, METH_VARARGS, NULL},
    {"cfunction_new_function", cfunction_new_function, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_methods(PyObject *m)
{
    if (PyModule_AddFunctions(m, call_conv_methods) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, methods_methods);
}
