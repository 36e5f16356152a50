/* The same argument and value helpers as getargs.c / buildvalue.c, compiled
 * WITHOUT PY_SSIZE_T_CLEAN, as many extensions in the wild still are. Their
 * ABI symbols differ: PyArg_ParseTuple, PyArg_ParseTupleAndKeywords,
 * Py_BuildValue, PyObject_CallFunction, PyObject_CallMethod (instead of the
 * _SizeT variants). In 3.10+ a '#' format without PY_SSIZE_T_CLEAN is a
 * SystemError, which is tested too.
 */
#define FERRYTEST_LEGACY_ABI
#include <Python.h>

#include "ferrytest.h"

static PyObject *
legacy_parsetuple(PyObject *Py_UNUSED(m), PyObject *args)
{
    int i;
    const char *s;
    PyObject *o = Py_None;
    if (!PyArg_ParseTuple(args, "is|O:legacy_parsetuple", &i, &s, &o)) {
        return NULL;
    }
    return Py_BuildValue("(isO)", i, s, o);
}

static PyObject *
legacy_parsetupleandkeywords(PyObject *Py_UNUSED(m), PyObject *args,
                             PyObject *kwargs)
{
    static char *kwlist[] = {"a", "b", NULL};
    long a;
    double b = 0.25;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "l|d:legacy_kw", kwlist,
                                     &a, &b)) {
        return NULL;
    }
    return Py_BuildValue("(ld)", a, b);
}

/* '#' without PY_SSIZE_T_CLEAN: SystemError from the parser. */
static PyObject *
legacy_parse_hash(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    int n;
    if (!PyArg_ParseTuple(args, "s#", &s, &n)) {
        return NULL;
    }
    return PyLong_FromLong(n);
}

static PyObject *
legacy_buildvalue(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(is[d]{s:O})", 7, "seven", 7.5, "k", Py_None);
}

static PyObject *
legacy_buildvalue_hash(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("s#", "abc", 2);
}

static PyObject *
legacy_unpacktuple(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b = Py_None;
    if (!PyArg_UnpackTuple(args, "legacy_unpack", 1, 2, &a, &b)) {
        return NULL;
    }
    return Py_BuildValue("(OO)", a, b);
}

static PyObject *
legacy_callfunction(PyObject *Py_UNUSED(m), PyObject *callable)
{
    return PyObject_CallFunction(callable, "is", 1, "x");
}

static PyObject *
legacy_callmethod(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *name;
    if (!PyArg_ParseTuple(args, "Os", &o, &name)) {
        return NULL;
    }
    return PyObject_CallMethod(o, name, "i", 2);
}

static PyObject *
legacy_arg_parse(PyObject *Py_UNUSED(m), PyObject *o)
{
    double d;
    if (!PyArg_Parse(o, "d", &d)) {
        return NULL;
    }
    return PyFloat_FromDouble(d);
}

/* The va_list forms, without PY_SSIZE_T_CLEAN: PyArg_VaParse,
 * PyArg_VaParseTupleAndKeywords and Py_VaBuildValue (the plain symbols). */
static int
legacy_vaparse_helper(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = PyArg_VaParse(args, format, va);
    va_end(va);
    return ok;
}

static PyObject *
legacy_vaparse(PyObject *Py_UNUSED(m), PyObject *args)
{
    int i;
    const char *s;
    PyObject *o = Py_None;
    if (!legacy_vaparse_helper(args, "is|O:legacy_vaparse", &i, &s, &o)) {
        return NULL;
    }
    return Py_BuildValue("(isO)", i, s, o);
}

/* '#' without PY_SSIZE_T_CLEAN: SystemError in 3.10+. */
static PyObject *
legacy_vaparse_hash(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    int len;
    if (!legacy_vaparse_helper(args, "s#", &s, &len)) {
        return NULL;
    }
    return PyLong_FromLong(len);
}

static int
legacy_vaparsekw_helper(PyObject *args, PyObject *kwargs, const char *format,
                        char **kwlist, ...)
{
    va_list va;
    va_start(va, kwlist);
    int ok = PyArg_VaParseTupleAndKeywords(args, kwargs, format, kwlist, va);
    va_end(va);
    return ok;
}

static PyObject *
legacy_vaparsetupleandkeywords(PyObject *Py_UNUSED(m), PyObject *args,
                               PyObject *kwargs)
{
    static char *kwlist[] = {"a", "b", NULL};
    long a;
    const char *b = "default";
    if (!legacy_vaparsekw_helper(args, kwargs, "l|s:legacy_vaparsekw", kwlist,
                                 &a, &b)) {
        return NULL;
    }
    return Py_BuildValue("(ls)", a, b);
}

static PyObject *
legacy_vabuildvalue_helper(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *res = Py_VaBuildValue(format, va);
    va_end(va);
    return res;
}

static PyObject *
legacy_vabuildvalue(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return legacy_vabuildvalue_helper("(is[d]{sO})", 7, "seven", 7.5, "k",
                                      Py_None);
}

static PyObject *
legacy_vabuildvalue_hash(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return legacy_vabuildvalue_helper("s#", "abc", 2);
}

static PyMethodDef legacy_methods[] = {
    {"legacy_parsetuple", legacy_parsetuple, METH_VARARGS, NULL},
    {"legacy_parsetupleandkeywords",
     (PyCFunction)(void (*)(void))legacy_parsetupleandkeywords,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"legacy_parse_hash", legacy_parse_hash, METH_VARARGS, NULL},
    {"legacy_buildvalue", legacy_buildvalue, METH_NOARGS, NULL},
    {"legacy_buildvalue_hash", legacy_buildvalue_hash, METH_NOARGS, NULL},
    {"legacy_unpacktuple", legacy_unpacktuple, METH_VARARGS, NULL},
    {"legacy_callfunction", legacy_callfunction, METH_O, NULL},
    {"legacy_callmethod", legacy_callmethod, METH_VARARGS, NULL},
    {"legacy_arg_parse", legacy_arg_parse, METH_O, NULL},
    {"legacy_vaparse", legacy_vaparse, METH_VARARGS, NULL},
    {"legacy_vaparse_hash", legacy_vaparse_hash, METH_VARARGS, NULL},
    {"legacy_vaparsetupleandkeywords",
     (PyCFunction)(void (*)(void))legacy_vaparsetupleandkeywords,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"legacy_vabuildvalue", legacy_vabuildvalue, METH_NOARGS, NULL},
    {"legacy_vabuildvalue_hash", legacy_vabuildvalue_hash, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_legacy(PyObject *m)
{
    return PyModule_AddFunctions(m, legacy_methods);
}
