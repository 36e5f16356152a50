/* int objects: PyLong_* and PyBool_* from Objects/longobject.c and
 * boolobject.c, plus the private helpers that Cython-generated code imports.
 *
 * Mirrors CPython's Modules/_testcapi/long.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <limits.h>
#include <stdint.h>

#include "ferrytest.h"

/* --- construction from C ------------------------------------------------- */

/* Each From* takes a Python int converted with the matching getargs unit, so
 * the C value is exactly what the test names. */
static PyObject *
long_fromlong(PyObject *Py_UNUSED(m), PyObject *args)
{
    long v;
    if (!PyArg_ParseTuple(args, "l", &v)) {
        return NULL;
    }
    return PyLong_FromLong(v);
}

static PyObject *
long_fromunsignedlong(PyObject *Py_UNUSED(m), PyObject *args)
{
    unsigned long v;
    if (!PyArg_ParseTuple(args, "k", &v)) {   /* k: no overflow check */
        return NULL;
    }
    return PyLong_FromUnsignedLong(v);
}

static PyObject *
long_fromssize_t(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t v;
    if (!PyArg_ParseTuple(args, "n", &v)) {
        return NULL;
    }
    return PyLong_FromSsize_t(v);
}

static PyObject *
long_fromsize_t(PyObject *Py_UNUSED(m), PyObject *args)
{
    unsigned long long v;
    if (!PyArg_ParseTuple(args, "K", &v)) {
        return NULL;
    }
    return PyLong_FromSize_t((size_t)v);
}

static PyObject *
long_fromlonglong(PyObject *Py_UNUSED(m), PyObject *args)
{
    long long v;
    if (!PyArg_ParseTuple(args, "L", &v)) {
        return NULL;
    }
    return PyLong_FromLongLong(v);
}

static PyObject *
long_fromunsignedlonglong(PyObject *Py_UNUSED(m), PyObject *args)
{
    unsigned long long v;
    if (!PyArg_ParseTuple(args, "K", &v)) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(v);
}

static PyObject *
long_fromdouble(PyObject *Py_UNUSED(m), PyObject *args)
{
    double v;
    if (!PyArg_ParseTuple(args, "d", &v)) {
        return NULL;
    }
    return PyLong_FromDouble(v);
}

/* The C limits, so tests do not hard-code the platform. */
static PyObject *
long_limits(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("{sNsNsNsNsNsNsN}",
                         "LONG_MIN", PyLong_FromLong(LONG_MIN),
                         "LONG_MAX", PyLong_FromLong(LONG_MAX),
                         "ULONG_MAX", PyLong_FromUnsignedLong(ULONG_MAX),
                         "LLONG_MIN", PyLong_FromLongLong(LLONG_MIN),
                         "LLONG_MAX", PyLong_FromLongLong(LLONG_MAX),
                         "ULLONG_MAX", PyLong_FromUnsignedLongLong(ULLONG_MAX),
                         "PY_SSIZE_T_MAX", PyLong_FromSsize_t(PY_SSIZE_T_MAX));
}

/* PyLong_FromString(str, &pend, base): returns (value, characters consumed).
 * str=NULL crashes CPython: not passed. */
static PyObject *
long_fromstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    int base;
    if (!PyArg_ParseTuple(args, "yi", &s, &base)) {
        return NULL;
    }
    char *end = NULL;
    PyObject *v = PyLong_FromString(s, &end, base);
    if (v == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nn)", v, (Py_ssize_t)(end - s));
}

/* pend may be NULL. */
static PyObject *
long_fromstring_noend(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    int base;
    if (!PyArg_ParseTuple(args, "yi", &s, &base)) {
        return NULL;
    }
    return PyLong_FromString(s, NULL, base);
}

static PyObject *
long_fromunicodeobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    int base;
    if (!PyArg_ParseTuple(args, "Ui", &s, &base)) {
        return NULL;
    }
    return PyLong_FromUnicodeObject(s, base);
}

/* --- conversion to C ----------------------------------------------------- */

/* NULL: SystemError ("bad argument to internal function"). */
static PyObject *
long_aslong(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(v);
}

static PyObject *
long_aslongandoverflow(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    int overflow = 0x5a5a;
    long v = PyLong_AsLongAndOverflow(o, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return Py_BuildValue("(li)", v, overflow);
}

static PyObject *
long_aslonglong(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLongLong(v);
}

static PyObject *
long_aslonglongandoverflow(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    int overflow = 0x5a5a;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return Py_BuildValue("(Li)", v, overflow);
}

static PyObject *
long_asunsignedlong(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    unsigned long v = PyLong_AsUnsignedLong(o);
    if (v == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(v);
}

static PyObject *
long_asunsignedlonglong(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    unsigned long long v = PyLong_AsUnsignedLongLong(o);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(v);
}

static PyObject *
long_asunsignedlongmask(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    unsigned long v = PyLong_AsUnsignedLongMask(o);
    if (v == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(v);
}

static PyObject *
long_asunsignedlonglongmask(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    unsigned long long v = PyLong_AsUnsignedLongLongMask(o);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(v);
}

static PyObject *
long_asssize_t(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    Py_ssize_t v = PyLong_AsSsize_t(o);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSsize_t(v);
}

static PyObject *
long_assize_t(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    size_t v = PyLong_AsSize_t(o);
    if (v == (size_t)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSize_t(v);
}

static PyObject *
long_asdouble(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    double v = PyLong_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(v);
}

/* --- pointers -------------------------------------------------------------- */

static char pointer_target[4];

/* A pointer round trip; the address itself is never returned. */
static PyObject *
long_voidptr_roundtrip(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *n = PyLong_FromVoidPtr(&pointer_target[2]);
    if (n == NULL) {
        return NULL;
    }
    int positive = _PyLong_Sign(n) > 0;
    void *back = PyLong_AsVoidPtr(n);
    Py_DECREF(n);
    if (back == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return Py_BuildValue("(ii)", back == &pointer_target[2], positive);
}

static PyObject *
long_fromvoidptr(PyObject *Py_UNUSED(m), PyObject *args)
{
    unsigned long long v;
    if (!PyArg_ParseTuple(args, "K", &v)) {
        return NULL;
    }
    return PyLong_FromVoidPtr((void *)(uintptr_t)v);
}

static PyObject *
long_asvoidptr(PyObject *Py_UNUSED(m), PyObject *o)
{
    void *p = PyLong_AsVoidPtr(o);
    if (p == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong((unsigned long long)(uintptr_t)p);
}

/* --- bool -------------------------------------------------------------- */

static PyObject *
bool_fromlong(PyObject *Py_UNUSED(m), PyObject *args)
{
    long v;
    if (!PyArg_ParseTuple(args, "l", &v)) {
        return NULL;
    }
    return PyBool_FromLong(v);
}

/* --- private helpers used by Cython output ----------------------------- */

static PyObject *
long_sign(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyLong_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "test needs an int");
        return NULL;
    }
    return PyLong_FromLong(_PyLong_Sign(o));
}

static PyObject *
long_numbits(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyLong_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "test needs an int");
        return NULL;
    }
    size_t n = _PyLong_NumBits(o);
    if (n == (size_t)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSize_t(n);
}

/* _PyLong_AsByteArray(v, buf, n, little_endian, is_signed) -> bytes */
static PyObject *
long_asbytearray(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *v;
    Py_ssize_t n;
    int little, is_signed;
    if (!PyArg_ParseTuple(args, "O!npp", &PyLong_Type, &v, &n, &little,
                          &is_signed)) {
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, n);
    if (out == NULL) {
        return NULL;
    }
    if (_PyLong_AsByteArray((PyLongObject *)v,
                            (unsigned char *)PyBytes_AS_STRING(out), (size_t)n,
                            little, is_signed) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

static PyObject *
long_frombytearray(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t n;
    int little, is_signed;
    if (!PyArg_ParseTuple(args, "y#pp", &buf, &n, &little, &is_signed)) {
        return NULL;
    }
    return _PyLong_FromByteArray((const unsigned char *)buf, (size_t)n, little,
                                 is_signed);
}

static PyObject *
long_getinfo(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyLong_GetInfo();
}

static PyObject *
long_asint_private(PyObject *Py_UNUSED(m), PyObject *o)
{
    int v = _PyLong_AsInt(o);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(v);
}

/* _PyLong_Copy of an int (anything else would crash CPython): (copy, exact). */
static PyObject *
long_copy(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!PyLong_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "test needs an int");
        return NULL;
    }
    PyObject *c = _PyLong_Copy((PyLongObject *)o);
    if (c == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Ni)", c, PyLong_CheckExact(c));
}

/* _PyLong_New(ndigits) filled with the given 30-bit digits, least
 * significant first; negative makes the size negative. */
static PyObject *
long_new_digits(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *digits;
    int negative = 0;
    if (!PyArg_ParseTuple(args, "O!|p", &PyTuple_Type, &digits, &negative)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(digits);
    PyLongObject *v = _PyLong_New(n);
    if (v == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long d = PyLong_AsUnsignedLong(PyTuple_GET_ITEM(digits, i));
        if (d == (unsigned long)-1 && PyErr_Occurred()) {
            Py_DECREF(v);
            return NULL;
        }
        v->ob_digit[i] = (digit)d;
    }
    if (negative) {
        Py_SET_SIZE(v, -n);
    }
    return (PyObject *)v;
}

/* Only the error path: too many digits. */
static PyObject *
long_new_size(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "n", &n)) {
        return NULL;
    }
    PyLongObject *v = _PyLong_New(n);
    if (v == NULL) {
        return NULL;
    }
    Py_DECREF(v);
    Py_RETURN_NONE;
}

/* What Cython checks of bool at import (__Pyx_ImportType_3_0_x with
 * sizeof(PyBoolObject)): (tp_basicsize == sizeof(PyLongObject),
 * tp_itemsize, tp_basicsize). */
static PyObject *
bool_type_sizes(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(inn)", PyBool_Type.tp_basicsize == (Py_ssize_t)sizeof(PyLongObject),
                         PyBool_Type.tp_itemsize, PyBool_Type.tp_basicsize);
}

/* Rounds of PyLong_FromLong(base + i) for i < n, every int kept to the end,
 * then each read back: the list of them all, or an error naming the first
 * that lost its value. (ferry shares recent ints, as the small ones.) */
static PyObject *
long_rounds(PyObject *Py_UNUSED(m), PyObject *args)
{
    long base, n, rounds;
    if (!PyArg_ParseTuple(args, "lll", &base, &n, &rounds)) {
        return NULL;
    }
    PyObject *all = PyList_New(0);
    for (long r = 0; all != NULL && r < rounds; r++) {
        for (long i = 0; i < n; i++) {
            PyObject *v = PyLong_FromLong(base + (r % 2 ? n - 1 - i : i));
            if (v == NULL || PyList_Append(all, v) < 0) {
                Py_XDECREF(v);
                Py_CLEAR(all);
                break;
            }
            Py_DECREF(v);
        }
    }
    for (Py_ssize_t k = 0; all != NULL && k < PyList_GET_SIZE(all); k++) {
        long r = k / n, i = k % n;
        long want = base + (r % 2 ? n - 1 - i : i);
        if (PyLong_AsLong(PyList_GET_ITEM(all, k)) != want) {
            PyErr_Format(PyExc_AssertionError, "int %zd is %ld", k, PyLong_AsLong(PyList_GET_ITEM(all, k)));
            Py_CLEAR(all);
        }
    }
    return all;
}

static PyMethodDef long_methods[] = {
    {"long_rounds", long_rounds, METH_VARARGS, NULL},
    {"bool_type_sizes", bool_type_sizes, METH_NOARGS, NULL},
    {"long_fromlong", long_fromlong, METH_VARARGS, NULL},
    {"long_fromunsignedlong", long_fromunsignedlong, METH_VARARGS, NULL},
    {"long_fromssize_t", long_fromssize_t, METH_VARARGS, NULL},
    {"long_fromsize_t", long_fromsize_t, METH_VARARGS, NULL},
    {"long_fromlonglong", long_fromlonglong, METH_VARARGS, NULL},
    {"long_fromunsignedlonglong", long_fromunsignedlonglong, METH_VARARGS, NULL},
    {"long_fromdouble", long_fromdouble, METH_VARARGS, NULL},
    {"long_limits", long_limits, METH_NOARGS, NULL},
    {"long_fromstring", long_fromstring, METH_VARARGS, NULL},
    {"long_fromstring_noend", long_fromstring_noend, METH_VARARGS, NULL},
    {"long_fromunicodeobject", long_fromunicodeobject, METH_VARARGS, NULL},
    {"long_aslong", long_aslong, METH_O, NULL},
    {"long_aslongandoverflow", long_aslongandoverflow, METH_O, NULL},
    {"long_aslonglong", long_aslonglong, METH_O, NULL},
    {"long_aslonglongandoverflow", long_aslonglongandoverflow, METH_O, NULL},
    {"long_asunsignedlong", long_asunsignedlong, METH_O, NULL},
    {"long_asunsignedlonglong", long_asunsignedlonglong, METH_O, NULL},
    {"long_asunsignedlongmask", long_asunsignedlongmask, METH_O, NULL},
    {"long_asunsignedlonglongmask", long_asunsignedlonglongmask, METH_O, NULL},
    {"long_asssize_t", long_asssize_t, METH_O, NULL},
    {"long_assize_t", long_assize_t, METH_O, NULL},
    {"long_asdouble", long_asdouble, METH_O, NULL},
    {"long_voidptr_roundtrip", long_voidptr_roundtrip, METH_NOARGS, NULL},
    {"long_fromvoidptr", long_fromvoidptr, METH_VARARGS, NULL},
    {"long_asvoidptr", long_asvoidptr, METH_O, NULL},
    {"bool_fromlong", bool_fromlong, METH_VARARGS, NULL},
    {"long_sign", long_sign, METH_O, NULL},
    {"long_numbits", long_numbits, METH_O, NULL},
    {"long_asbytearray", long_asbytearray, METH_VARARGS, NULL},
    {"long_frombytearray", long_frombytearray, METH_VARARGS, NULL},
    {"long_getinfo", long_getinfo, METH_NOARGS, NULL},
    {"long_asint_private", long_asint_private, METH_O, NULL},
    {"long_copy", long_copy, METH_O, NULL},
    {"long_new_digits", long_new_digits, METH_VARARGS, NULL},
    {"long_new_size", long_new_size, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_long(PyObject *m)
{
    return PyModule_AddFunctions(m, long_methods);
}
