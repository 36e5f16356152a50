/* float objects: PyFloat_* from Objects/floatobject.c and the PyOS_ number
 * conversions of Python/pystrtod.c that extensions use for formatting.
 *
 * Mirrors CPython's Modules/_testcapi/float.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <float.h>

#include "ferrytest.h"

static PyObject *
float_fromdouble(PyObject *Py_UNUSED(m), PyObject *args)
{
    double d;
    if (!PyArg_ParseTuple(args, "d", &d)) {
        return NULL;
    }
    return PyFloat_FromDouble(d);
}

/* Accepts str and bytes-like objects; NULL crashes CPython: not passed. */
static PyObject *
float_fromstring(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyFloat_FromString(o);
}

/* NULL: SystemError ("bad argument to internal function"). */
static PyObject *
float_asdouble(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(d);
}

/* The macro reads the struct directly: exact floats and subclasses only. */
static PyObject *
float_as_double_macro(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyFloat_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "test needs a float");
        return NULL;
    }
    return PyFloat_FromDouble(PyFloat_AS_DOUBLE(o));
}

static PyObject *
float_limits(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(dd)", PyFloat_GetMax(), PyFloat_GetMin());
}

static PyObject *
float_getinfo(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyFloat_GetInfo();
}

/* PyFloat_Pack2/4/8(x, buf, le) -> bytes */
static PyObject *
float_pack(PyObject *Py_UNUSED(m), PyObject *args)
{
    int size, le;
    double d;
    if (!PyArg_ParseTuple(args, "idp", &size, &d, &le)) {
        return NULL;
    }
    char buf[8];
    int rc;
    switch (size) {
    case 2: rc = PyFloat_Pack2(d, buf, le); break;
    case 4: rc = PyFloat_Pack4(d, buf, le); break;
    case 8: rc = PyFloat_Pack8(d, buf, le); break;
    default:
        PyErr_SetString(PyExc_ValueError, "size must be 2, 4 or 8");
        return NULL;
    }
    if (rc < 0) {
        return NULL;
    }
    return PyBytes_FromStringAndSize(buf, size);
}

static PyObject *
float_unpack(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    int le;
    if (!PyArg_ParseTuple(args, "y#p", &buf, &size, &le)) {
        return NULL;
    }
    double d;
    switch (size) {
    case 2: d = PyFloat_Unpack2(buf, le); break;
    case 4: d = PyFloat_Unpack4(buf, le); break;
    case 8: d = PyFloat_Unpack8(buf, le); break;
    default:
        PyErr_SetString(PyExc_ValueError, "data must be 2, 4 or 8 bytes");
        return NULL;
    }
    if (d == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(d);
}

/* PyOS_double_to_string(val, format_code, precision, flags, &type) */
static PyObject *
os_double_to_string(PyObject *Py_UNUSED(m), PyObject *args)
{
    double d;
    int code, precision, flags;
    if (!PyArg_ParseTuple(args, "dCii", &d, &code, &precision, &flags)) {
        return NULL;
    }
    int type = -1;
    char *s = PyOS_double_to_string(d, (char)code, precision, flags, &type);
    if (s == NULL) {
        return NULL;
    }
    PyObject *r = Py_BuildValue("(si)", s, type);
    PyMem_Free(s);
    return r;
}

static PyObject *
os_double_to_string_flags(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("{sisisisisisisi}",
                         "Py_DTSF_SIGN", Py_DTSF_SIGN,
                         "Py_DTSF_ADD_DOT_0", Py_DTSF_ADD_DOT_0,
                         "Py_DTSF_ALT", Py_DTSF_ALT,
                         "Py_DTSF_NO_NEG_0", Py_DTSF_NO_NEG_0,
                         "Py_DTST_FINITE", Py_DTST_FINITE,
                         "Py_DTST_INFINITE", Py_DTST_INFINITE,
                         "Py_DTST_NAN", Py_DTST_NAN);
}

/* PyOS_string_to_double(s, &end, overflow_exception): returns (value,
 * characters consumed). With endptr NULL the whole string must be used.
 * exc None means NULL: return +-inf on overflow instead of raising. */
static PyObject *
os_string_to_double(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    PyObject *exc;
    int use_end;
    if (!PyArg_ParseTuple(args, "yOp", &s, &exc, &use_end)) {
        return NULL;
    }
    NULLABLE(exc);
    char *end = NULL;
    double d = PyOS_string_to_double(s, use_end ? &end : NULL, exc);
    if (d == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return Py_BuildValue("(dn)", d, use_end ? (Py_ssize_t)(end - s) : (Py_ssize_t)-1);
}

/* _Py_HashDouble(NULL, x): what hash(x) gives for a non-NaN float. */
static PyObject *
float_hashdouble(PyObject *Py_UNUSED(m), PyObject *arg)
{
    double x = PyFloat_AsDouble(arg);
    if (x == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSsize_t(_Py_HashDouble(NULL, x));
}

/* A NaN hashes by the identity of the object it belongs to. */
static PyObject *
float_hashdouble_nan(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(_Py_HashDouble(o, Py_NAN) == _Py_HashPointer(o));
}

static PyMethodDef float_methods[] = {
    {"float_hashdouble", float_hashdouble, METH_O, NULL},
    {"float_hashdouble_nan", float_hashdouble_nan, METH_O, NULL},
    {"float_fromdouble", float_fromdouble, METH_VARARGS, NULL},
    {"float_fromstring", float_fromstring, METH_O, NULL},
    {"float_asdouble", float_asdouble, METH_O, NULL},
    {"float_as_double_macro", float_as_double_macro, METH_O, NULL},
    {"float_limits", float_limits, METH_NOARGS, NULL},
    {"float_getinfo", float_getinfo, METH_NOARGS, NULL},
    {"float_pack", float_pack, METH_VARARGS, NULL},
    {"float_unpack", float_unpack, METH_VARARGS, NULL},
    {"os_double_to_string", os_double_to_string, METH_VARARGS, NULL},
    {"os_double_to_string_flags", os_double_to_string_flags, METH_NOARGS, NULL},
    {"os_string_to_double", os_string_to_double, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_float(PyObject *m)
{
    return PyModule_AddFunctions(m, float_methods);
}
