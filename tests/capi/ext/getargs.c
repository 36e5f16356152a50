/* Argument parsing: PyArg_ParseTuple, PyArg_ParseTupleAndKeywords,
 * PyArg_Parse, PyArg_UnpackTuple and PyArg_ValidateKeywordArguments from
 * Python/getargs.c.
 *
 * Mirrors CPython's Modules/_testcapi/getargs.c: one wrapper per format unit
 * (no function name in the format, so messages are the bare ones), and a few
 * named signatures for the messages that name the function. With
 * PY_SSIZE_T_CLEAN the ABI symbols are the _SizeT variants; legacy.c covers
 * the plain ones.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "ferrytest.h"

/* --- numbers ------------------------------------------------------------- */

#define GETARGS_NUMBER(name, fmt, ctype, convert)                       \
    static PyObject *                                                   \
    name(PyObject *Py_UNUSED(m), PyObject *args)                        \
    {                                                                   \
        ctype value;                                                    \
        if (!PyArg_ParseTuple(args, fmt, &value)) {                     \
            return NULL;                                                \
        }                                                               \
        return convert;                                                 \
    }

GETARGS_NUMBER(getargs_b, "b", unsigned char, PyLong_FromLong(value))
GETARGS_NUMBER(getargs_B, "B", unsigned char, PyLong_FromLong(value))
GETARGS_NUMBER(getargs_h, "h", short, PyLong_FromLong(value))
GETARGS_NUMBER(getargs_H, "H", unsigned short, PyLong_FromLong(value))
GETARGS_NUMBER(getargs_i, "i", int, PyLong_FromLong(value))
GETARGS_NUMBER(getargs_I, "I", unsigned int, PyLong_FromUnsignedLong(value))
GETARGS_NUMBER(getargs_l, "l", long, PyLong_FromLong(value))
GETARGS_NUMBER(getargs_k, "k", unsigned long, PyLong_FromUnsignedLong(value))
GETARGS_NUMBER(getargs_L, "L", long long, PyLong_FromLongLong(value))
GETARGS_NUMBER(getargs_K, "K", unsigned long long,
               PyLong_FromUnsignedLongLong(value))
GETARGS_NUMBER(getargs_n, "n", Py_ssize_t, PyLong_FromSsize_t(value))
GETARGS_NUMBER(getargs_f, "f", float, PyFloat_FromDouble(value))
GETARGS_NUMBER(getargs_d, "d", double, PyFloat_FromDouble(value))
GETARGS_NUMBER(getargs_D, "D", Py_complex, PyComplex_FromCComplex(value))
GETARGS_NUMBER(getargs_p, "p", int, PyLong_FromLong(value))
GETARGS_NUMBER(getargs_C, "C", int, PyLong_FromLong(value))

/* c: a bytes or bytearray of length 1 -> the byte as an int. */
static PyObject *
getargs_c(PyObject *Py_UNUSED(m), PyObject *args)
{
    char c;
    if (!PyArg_ParseTuple(args, "c", &c)) {
        return NULL;
    }
    return PyLong_FromLong((unsigned char)c);
}

/* --- objects --------------------------------------------------------------- */

#define GETARGS_OBJECT(name, fmt)                                       \
    static PyObject *                                                   \
    name(PyObject *Py_UNUSED(m), PyObject *args)                        \
    {                                                                   \
        PyObject *o;                                                    \
        if (!PyArg_ParseTuple(args, fmt, &o)) {                         \
            return NULL;                                                \
        }                                                               \
        return Py_NewRef(o);                                            \
    }

GETARGS_OBJECT(getargs_O, "O")
GETARGS_OBJECT(getargs_S, "S")
GETARGS_OBJECT(getargs_U, "U")
GETARGS_OBJECT(getargs_Y, "Y")

/* O!: the type is the first argument of the call, the object the second. */
static PyObject *
getargs_O_bang(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *type, *o;
    if (PyTuple_GET_SIZE(args) < 1 || !PyType_Check(PyTuple_GET_ITEM(args, 0))) {
        PyErr_SetString(PyExc_TypeError, "test needs a type first");
        return NULL;
    }
    type = PyTuple_GET_ITEM(args, 0);
    PyObject *rest = PyTuple_GetSlice(args, 1, PyTuple_GET_SIZE(args));
    if (rest == NULL) {
        return NULL;
    }
    int ok = PyArg_ParseTuple(rest, "O!", (PyTypeObject *)type, &o);
    Py_DECREF(rest);
    if (!ok) {
        return NULL;
    }
    return Py_NewRef(o);
}

/* O&: a converter that accepts ints and doubles them; 0 means failure. */
static int
double_converter(PyObject *o, void *out)
{
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) {
        return 0;
    }
    *(long *)out = 2 * v;
    return 1;
}

static PyObject *
getargs_O_amp(PyObject *Py_UNUSED(m), PyObject *args)
{
    long v;
    if (!PyArg_ParseTuple(args, "O&", double_converter, &v)) {
        return NULL;
    }
    return PyLong_FromLong(v);
}

/* O& with PyUnicode_FSConverter, the converter extensions use most. */
static PyObject *
getargs_fsconverter(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *path;
    if (!PyArg_ParseTuple(args, "O&", PyUnicode_FSConverter, &path)) {
        return NULL;
    }
    return path;   /* the converter's new reference */
}

static PyObject *
getargs_fsdecoder(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *path;
    if (!PyArg_ParseTuple(args, "O&", PyUnicode_FSDecoder, &path)) {
        return NULL;
    }
    return path;
}

/* --- strings and buffers -------------------------------------------------- */

static PyObject *
getargs_s(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    if (!PyArg_ParseTuple(args, "s", &s)) {
        return NULL;
    }
    return PyBytes_FromString(s);
}

static PyObject *
getargs_s_hash(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "s#", &s, &n)) {
        return NULL;
    }
    return PyBytes_FromStringAndSize(s, n);
}

static PyObject *
buffer_result(Py_buffer *view)
{
    PyObject *r = Py_BuildValue("(y#i)", (const char *)view->buf, view->len,
                                view->readonly);
    PyBuffer_Release(view);
    return r;
}

static PyObject *
getargs_s_star(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "s*", &view)) {
        return NULL;
    }
    return buffer_result(&view);
}

/* z, z#, z*: like s but None gives NULL (reported as None). */
static PyObject *
getargs_z(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    if (!PyArg_ParseTuple(args, "z", &s)) {
        return NULL;
    }
    if (s == NULL) {
        Py_RETURN_NONE;
    }
    return PyBytes_FromString(s);
}

static PyObject *
getargs_z_hash(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    Py_ssize_t n = -7;
    if (!PyArg_ParseTuple(args, "z#", &s, &n)) {
        return NULL;
    }
    if (s == NULL) {
        return Py_BuildValue("(On)", Py_None, n);
    }
    return Py_BuildValue("(y#n)", s, n, n);
}

static PyObject *
getargs_z_star(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "z*", &view)) {
        return NULL;
    }
    if (view.buf == NULL) {
        PyBuffer_Release(&view);
        Py_RETURN_NONE;
    }
    return buffer_result(&view);
}

static PyObject *
getargs_y(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    if (!PyArg_ParseTuple(args, "y", &s)) {
        return NULL;
    }
    return PyBytes_FromString(s);
}

static PyObject *
getargs_y_hash(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "y#", &s, &n)) {
        return NULL;
    }
    return PyBytes_FromStringAndSize(s, n);
}

static PyObject *
getargs_y_star(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "y*", &view)) {
        return NULL;
    }
    return buffer_result(&view);
}

/* w*: a writable buffer; the wrapper writes b'!' at index 0. */
static PyObject *
getargs_w_star(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "w*", &view)) {
        return NULL;
    }
    if (view.len > 0) {
        ((char *)view.buf)[0] = '!';
    }
    return buffer_result(&view);
}

/* es / et: encoded into a new PyMem buffer the caller frees. */
static PyObject *
getargs_es(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *arg;
    const char *encoding = NULL;
    if (!PyArg_ParseTuple(args, "O|z", &arg, &encoding)) {
        return NULL;
    }
    PyObject *tuple = PyTuple_Pack(1, arg);
    if (tuple == NULL) {
        return NULL;
    }
    char *buf = NULL;
    int ok = PyArg_ParseTuple(tuple, "es", encoding, &buf);
    Py_DECREF(tuple);
    if (!ok) {
        return NULL;
    }
    PyObject *r = PyBytes_FromString(buf);
    PyMem_Free(buf);
    return r;
}

static PyObject *
getargs_et(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *arg;
    const char *encoding = NULL;
    if (!PyArg_ParseTuple(args, "O|z", &arg, &encoding)) {
        return NULL;
    }
    PyObject *tuple = PyTuple_Pack(1, arg);
    if (tuple == NULL) {
        return NULL;
    }
    char *buf = NULL;
    int ok = PyArg_ParseTuple(tuple, "et", encoding, &buf);
    Py_DECREF(tuple);
    if (!ok) {
        return NULL;
    }
    PyObject *r = PyBytes_FromString(buf);
    PyMem_Free(buf);
    return r;
}

/* es#: buffer allocated by the parser (bufsize < 0) or supplied by us
 * (bufsize >= 0, then too long input is a ValueError). */
static PyObject *
getargs_es_hash(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *arg;
    const char *encoding;
    Py_ssize_t bufsize;
    if (!PyArg_ParseTuple(args, "Ozn", &arg, &encoding, &bufsize)) {
        return NULL;
    }
    PyObject *tuple = PyTuple_Pack(1, arg);
    if (tuple == NULL) {
        return NULL;
    }
    char own[16];
    char *buf = NULL;
    Py_ssize_t size = 0;
    if (bufsize >= 0) {
        if (bufsize > (Py_ssize_t)sizeof(own)) {
            Py_DECREF(tuple);
            PyErr_SetString(PyExc_ValueError, "test buffer is 16 bytes");
            return NULL;
        }
        buf = own;
        size = bufsize;
    }
    int ok = PyArg_ParseTuple(tuple, "es#", encoding, &buf, &size);
    Py_DECREF(tuple);
    if (!ok) {
        return NULL;
    }
    PyObject *r = PyBytes_FromStringAndSize(buf, size);
    if (buf != own) {
        PyMem_Free(buf);
    }
    return r;
}

static PyObject *
getargs_et_hash(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *arg;
    const char *encoding;
    if (!PyArg_ParseTuple(args, "Oz", &arg, &encoding)) {
        return NULL;
    }
    PyObject *tuple = PyTuple_Pack(1, arg);
    if (tuple == NULL) {
        return NULL;
    }
    char *buf = NULL;
    Py_ssize_t size = 0;
    int ok = PyArg_ParseTuple(tuple, "et#", encoding, &buf, &size);
    Py_DECREF(tuple);
    if (!ok) {
        return NULL;
    }
    PyObject *r = PyBytes_FromStringAndSize(buf, size);
    PyMem_Free(buf);
    return r;
}

/* --- several units, names, optional parts ------------------------------- */

/* "ii": exactly two, no name in the messages. */
static PyObject *
getargs_ii(PyObject *Py_UNUSED(m), PyObject *args)
{
    int a, b;
    if (!PyArg_ParseTuple(args, "ii", &a, &b)) {
        return NULL;
    }
    return Py_BuildValue("(ii)", a, b);
}

/* "is|d:named": the name appears in every message. */
static PyObject *
getargs_named(PyObject *Py_UNUSED(m), PyObject *args)
{
    int a;
    const char *s;
    double d = -1.5;
    if (!PyArg_ParseTuple(args, "is|d:named", &a, &s, &d)) {
        return NULL;
    }
    return Py_BuildValue("(isd)", a, s, d);
}

/* ";message": replaces the whole error message. */
static PyObject *
getargs_semicolon(PyObject *Py_UNUSED(m), PyObject *args)
{
    int a;
    if (!PyArg_ParseTuple(args, "i;expected one small int", &a)) {
        return NULL;
    }
    return PyLong_FromLong(a);
}

/* Nested sequences: "(ii)(s(OO))". */
static PyObject *
getargs_nested(PyObject *Py_UNUSED(m), PyObject *args)
{
    int a, b;
    const char *s;
    PyObject *x, *y;
    if (!PyArg_ParseTuple(args, "(ii)(s(OO)):nested", &a, &b, &s, &x, &y)) {
        return NULL;
    }
    return Py_BuildValue("(iisOO)", a, b, s, x, y);
}

/* The empty format: no arguments at all. */
static PyObject *
getargs_empty(PyObject *Py_UNUSED(m), PyObject *args)
{
    if (!PyArg_ParseTuple(args, ":empty")) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* PyArg_Parse on a single object (not a tuple). */
static PyObject *
arg_parse(PyObject *Py_UNUSED(m), PyObject *o)
{
    int v;
    if (!PyArg_Parse(o, "i:arg_parse", &v)) {
        return NULL;
    }
    return PyLong_FromLong(v);
}

/* --- keywords ------------------------------------------------------------- */

static PyObject *
sentinel_or(PyObject *o)
{
    return o != NULL ? o : ferrytest_null;
}

/* def kw_basic(a, b=<NULL>, *, c=<NULL>) */
static PyObject *
getargs_kw_basic(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"a", "b", "c", NULL};
    PyObject *a, *b = NULL, *c = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O$O:kw_basic", kwlist,
                                     &a, &b, &c)) {
        return NULL;
    }
    return Py_BuildValue("(OOO)", a, sentinel_or(b), sentinel_or(c));
}

/* def kw_posonly(x, y, /, z=<NULL>) */
static PyObject *
getargs_kw_posonly(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"", "", "z", NULL};
    PyObject *x, *y, *z = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O:kw_posonly", kwlist,
                                     &x, &y, &z)) {
        return NULL;
    }
    return Py_BuildValue("(OOO)", x, y, sentinel_or(z));
}

/* def kw_required_kwonly(a, *, key) */
static PyObject *
getargs_kw_required_kwonly(PyObject *Py_UNUSED(m), PyObject *args,
                           PyObject *kwargs)
{
    static char *kwlist[] = {"a", "key", NULL};
    PyObject *a, *key;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O$O:kw_required_kwonly",
                                     kwlist, &a, &key)) {
        return NULL;
    }
    return Py_BuildValue("(OO)", a, key);
}

/* Converting units under keywords: def kw_typed(n: int, s: str = "",
 * f: float = 0.5, flag: bool = False) */
static PyObject *
getargs_kw_typed(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"n", "s", "f", "flag", NULL};
    Py_ssize_t n;
    const char *s = "";
    double f = 0.5;
    int flag = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "n|sdp:kw_typed", kwlist,
                                     &n, &s, &f, &flag)) {
        return NULL;
    }
    return Py_BuildValue("(nsdO)", n, s, f, flag ? Py_True : Py_False);
}

/* No function name in the format. */
static PyObject *
getargs_kw_noname(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"a", "b", NULL};
    PyObject *a, *b = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O", kwlist, &a, &b)) {
        return NULL;
    }
    return Py_BuildValue("(OO)", a, sentinel_or(b));
}

static PyObject *
validate_keyword_arguments(PyObject *Py_UNUSED(m), PyObject *kwargs)
{
    if (!PyArg_ValidateKeywordArguments(kwargs)) {
        return NULL;
    }
    Py_RETURN_TRUE;
}

/* --- PyArg_UnpackTuple -------------------------------------------------- */

/* PyArg_UnpackTuple(args, "unpack", 1, 3, ...): missing ones stay NULL. */
static PyObject *
unpack_tuple(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a = NULL, *b = NULL, *c = NULL;
    if (!PyArg_UnpackTuple(args, "unpack", 1, 3, &a, &b, &c)) {
        return NULL;
    }
    return Py_BuildValue("(OOO)", sentinel_or(a), sentinel_or(b), sentinel_or(c));
}

static PyObject *
unpack_tuple_exact(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_UnpackTuple(args, "unpack_exact", 2, 2, &a, &b)) {
        return NULL;
    }
    return Py_BuildValue("(OO)", a, b);
}

/* name NULL: the messages have no function name. */
static PyObject *
unpack_tuple_noname(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a;
    if (!PyArg_UnpackTuple(args, NULL, 1, 1, &a)) {
        return NULL;
    }
    return Py_NewRef(a);
}

/* --- va_list forms (the _SizeT symbols under PY_SSIZE_T_CLEAN) ----------- */

static int
vaparse_helper(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = PyArg_VaParse(args, format, va);
    va_end(va);
    return ok;
}

/* "s#|O:vaparse": '#' gives a Py_ssize_t length here. */
static PyObject *
getargs_vaparse(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    Py_ssize_t len;
    PyObject *o = Py_None;
    if (!vaparse_helper(args, "s#|O:vaparse", &s, &len, &o)) {
        return NULL;
    }
    return Py_BuildValue("(s#nO)", s, len, len, o);
}

static int
vaparsekw_helper(PyObject *args, PyObject *kwargs, const char *format,
                 char **kwlist, ...)
{
    va_list va;
    va_start(va, kwlist);
    int ok = PyArg_VaParseTupleAndKeywords(args, kwargs, format, kwlist, va);
    va_end(va);
    return ok;
}

static PyObject *
getargs_vaparsetupleandkeywords(PyObject *Py_UNUSED(m), PyObject *args,
                                PyObject *kwargs)
{
    static char *kwlist[] = {"", "b", "c", NULL};
    int a;
    const char *b = "default";
    Py_ssize_t blen = 7;
    double c = 0.5;
    if (!vaparsekw_helper(args, kwargs, "i|z#$d:vaparsekw", kwlist,
                          &a, &b, &blen, &c)) {
        return NULL;
    }
    return Py_BuildValue("(izd)", a, b, c);
}

/* --- the private argument checks of Argument Clinic ---------------------- */

/* The function forms (the header macros short-circuit before calling them):
 * name None means NULL, which CPython accepts. */
static PyObject *
getargs_checkpositional(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *name;
    Py_ssize_t nargs, min, max;
    if (!PyArg_ParseTuple(args, "Onnn", &name, &nargs, &min, &max)) {
        return NULL;
    }
    const char *cname = NULL;
    if (name != Py_None) {
        cname = PyUnicode_AsUTF8(name);
        if (cname == NULL) {
            return NULL;
        }
    }
    int ok = (_PyArg_CheckPositional)(cname, nargs, min, max);
    if (!ok) {
        return NULL;
    }
    return PyLong_FromLong(ok);
}

/* kwargs None means NULL (accepted); a non-dict is a bad internal call. */
static PyObject *
getargs_nokeywords(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *kwargs;
    if (!PyArg_ParseTuple(args, "sO", &name, &kwargs)) {
        return NULL;
    }
    NULLABLE(kwargs);
    int ok = (_PyArg_NoKeywords)(name, kwargs);
    if (!ok) {
        return NULL;
    }
    return PyLong_FromLong(ok);
}

static PyObject *
getargs_nopositional(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *pos;
    if (!PyArg_ParseTuple(args, "sO", &name, &pos)) {
        return NULL;
    }
    NULLABLE(pos);
    int ok = (_PyArg_NoPositional)(name, pos);
    if (!ok) {
        return NULL;
    }
    return PyLong_FromLong(ok);
}

static PyMethodDef getargs_methods[] = {
    {"getargs_b", getargs_b, METH_VARARGS, NULL},
    {"getargs_B", getargs_B, METH_VARARGS, NULL},
    {"getargs_h", getargs_h, METH_VARARGS, NULL},
    {"getargs_H", getargs_H, METH_VARARGS, NULL},
    {"getargs_i", getargs_i, METH_VARARGS, NULL},
    {"getargs_I", getargs_I, METH_VARARGS, NULL},
    {"getargs_l", getargs_l, METH_VARARGS, NULL},
    {"getargs_k", getargs_k, METH_VARARGS, NULL},
    {"getargs_L", getargs_L, METH_VARARGS, NULL},
    {"getargs_K", getargs_K, METH_VARARGS, NULL},
    {"getargs_n", getargs_n, METH_VARARGS, NULL},
    {"getargs_f", getargs_f, METH_VARARGS, NULL},
    {"getargs_d", getargs_d, METH_VARARGS, NULL},
    {"getargs_D", getargs_D, METH_VARARGS, NULL},
    {"getargs_p", getargs_p, METH_VARARGS, NULL},
    {"getargs_c", getargs_c, METH_VARARGS, NULL},
    {"getargs_C", getargs_C, METH_VARARGS, NULL},
    {"getargs_O", getargs_O, METH_VARARGS, NULL},
    {"getargs_S", getargs_S, METH_VARARGS, NULL},
    {"getargs_U", getargs_U, METH_VARARGS, NULL},
    {"getargs_Y", getargs_Y, METH_VARARGS, NULL},
    {"getargs_O_bang", getargs_O_bang, METH_VARARGS, NULL},
    {"getargs_O_amp", getargs_O_amp, METH_VARARGS, NULL},
    {"getargs_fsconverter", getargs_fsconverter, METH_VARARGS, NULL},
    {"getargs_fsdecoder", getargs_fsdecoder, METH_VARARGS, NULL},
    {"getargs_s", getargs_s, METH_VARARGS, NULL},
    {"getargs_s_hash", getargs_s_hash, METH_VARARGS, NULL},
    {"getargs_s_star", getargs_s_star, METH_VARARGS, NULL},
    {"getargs_z", getargs_z, METH_VARARGS, NULL},
    {"getargs_z_hash", getargs_z_hash, METH_VARARGS, NULL},
    {"getargs_z_star", getargs_z_star, METH_VARARGS, NULL},
    {"getargs_y", getargs_y, METH_VARARGS, NULL},
    {"getargs_y_hash", getargs_y_hash, METH_VARARGS, NULL},
    {"getargs_y_star", getargs_y_star, METH_VARARGS, NULL},
    {"getargs_w_star", getargs_w_star, METH_VARARGS, NULL},
    {"getargs_es", getargs_es, METH_VARARGS, NULL},
    {"getargs_et", getargs_et, METH_VARARGS, NULL},
    {"getargs_es_hash", getargs_es_hash, METH_VARARGS, NULL},
    {"getargs_et_hash", getargs_et_hash, METH_VARARGS, NULL},
    {"getargs_ii", getargs_ii, METH_VARARGS, NULL},
    {"getargs_named", getargs_named, METH_VARARGS, NULL},
    {"getargs_semicolon", getargs_semicolon, METH_VARARGS, NULL},
    {"getargs_nested", getargs_nested, METH_VARARGS, NULL},
    {"getargs_empty", getargs_empty, METH_VARARGS, NULL},
    {"arg_parse", arg_parse, METH_O, NULL},
    {"getargs_kw_basic", (PyCFunction)(void (*)(void))getargs_kw_basic,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"getargs_kw_posonly", (PyCFunction)(void (*)(void))getargs_kw_posonly,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"getargs_kw_required_kwonly",
     (PyCFunction)(void (*)(void))getargs_kw_required_kwonly,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"getargs_kw_typed", (PyCFunction)(void (*)(void))getargs_kw_typed,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"getargs_kw_noname", (PyCFunction)(void (*)(void))getargs_kw_noname,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"validate_keyword_arguments", validate_keyword_arguments, METH_O, NULL},
    {"unpack_tuple", unpack_tuple, METH_VARARGS, NULL},
    {"unpack_tuple_exact", unpack_tuple_exact, METH_VARARGS, NULL},
    {"unpack_tuple_noname", unpack_tuple_noname, METH_VARARGS, NULL},
    {"getargs_vaparse", getargs_vaparse, METH_VARARGS, NULL},
    {"getargs_vaparsetupleandkeywords",
     (PyCFunction)(void (*)(void))getargs_vaparsetupleandkeywords,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"getargs_checkpositional", getargs_checkpositional, METH_VARARGS, NULL},
    {"getargs_nokeywords", getargs_nokeywords, METH_VARARGS, NULL},
    {"getargs_nopositional", getargs_nopositional, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_getargs(PyObject *m)
{
    return PyModule_AddFunctions(m, getargs_methods);
}
