/* Py_BuildValue (Python/modsupport.c): one case per format unit, plus the
 * formats that must fail.
 *
 * Mirrors the Py_BuildValue tests of CPython's Modules/_testcapimodule.c.
 * With PY_SSIZE_T_CLEAN the ABI symbol is _Py_BuildValue_SizeT; legacy.c
 * covers the plain Py_BuildValue.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <limits.h>
#include <string.h>

#include "ferrytest.h"

/* O&: a converter from a C long to an int object (doubled). */
static PyObject *
long_to_doubled(void *p)
{
    return PyLong_FromLong(2 * *(long *)p);
}

static PyObject *
buildvalue(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    PyObject *obj = Py_None;
    if (!PyArg_ParseTuple(args, "s|O", &which, &obj)) {
        return NULL;
    }
    static const char bytes_with_nul[] = {'a', '\0', 'b'};
    long converter_input = 21;
    Py_complex c = {1.5, -2.0};
#define CASE(name, ...)                                       \
    if (strcmp(which, name) == 0) {                           \
        return Py_BuildValue(__VA_ARGS__);                    \
    }
    CASE("empty", "")
    CASE("empty_tuple", "()")
    CASE("i", "i", -7)
    CASE("i_limits", "(ii)", INT_MIN, INT_MAX)
    CASE("b", "b", 200)                    /* b is a C char passed as int */
    CASE("B", "B", 255)
    CASE("h", "h", -32768)
    CASE("H", "H", 65535)
    CASE("I", "I", 4294967295u)
    CASE("l", "(ll)", LONG_MIN, LONG_MAX)
    CASE("k", "k", ULONG_MAX)
    CASE("L", "(LL)", LLONG_MIN, LLONG_MAX)
    CASE("K", "K", ULLONG_MAX)
    CASE("n", "(nn)", PY_SSIZE_T_MIN, PY_SSIZE_T_MAX)
    CASE("c", "c", 'z')
    CASE("C", "C", 0x1f40d)
    CASE("C_latin1", "C", 0xe9)
    CASE("d", "d", -0.0)
    CASE("d_inf", "(dd)", Py_HUGE_VAL, -Py_HUGE_VAL)
    CASE("f", "f", (double)1.25f)
    CASE("D", "D", &c)
    CASE("s", "s", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d")
    CASE("s_null", "s", (char *)NULL)
    CASE("s_hash", "s#", "abcdef", (Py_ssize_t)3)
    CASE("s_hash_null", "s#", (char *)NULL, (Py_ssize_t)0)
    CASE("z", "z", "zed")
    CASE("z_null", "z", (char *)NULL)
    CASE("z_hash", "z#", "zed", (Py_ssize_t)2)
    CASE("U", "U", "unicode")
    CASE("U_hash", "U#", "unicode", (Py_ssize_t)3)
    CASE("y", "y", "bytes")
    CASE("y_hash", "y#", bytes_with_nul, (Py_ssize_t)3)
    CASE("y_null", "y", (char *)NULL)
    CASE("O", "O", obj)
    CASE("S", "S", obj)
    CASE("O_amp", "O&", long_to_doubled, (void *)&converter_input)
    CASE("tuple", "(is)", 1, "one")
    CASE("implicit_tuple", "is", 1, "one")
    CASE("list", "[i,s,O]", 1, "two", obj)
    CASE("empty_list", "[]")
    CASE("dict", "{s:i,s:O}", "a", 1, "b", obj)
    CASE("empty_dict", "{}")
    CASE("nested", "((ii)[s{s:(d)}])", 1, 2, "x", "k", 2.5)
    CASE("whitespace", "(i, s)", 5, "sp")
    CASE("colon_comma", "i:i", 1, 2)
    CASE("single_in_parens", "(O)", obj)
    /* Errors. */
    CASE("O_null", "O", (PyObject *)NULL)
    CASE("tuple_with_null", "(iO)", 1, (PyObject *)NULL)
    CASE("unmatched_paren", "(ii", 1, 2)
    CASE("unmatched_bracket", "[ii", 1, 2)
    CASE("bad_format", "q", 1)
    CASE("C_too_big", "C", 0x110000)
    CASE("s_bad_utf8", "s", "\xff\xfe")
    CASE("dict_unhashable", "{O:i}", obj, 1)
#undef CASE
    PyErr_Format(PyExc_ValueError, "unknown case %s", which);
    return NULL;
}

/* "N" steals a reference; "N" with NULL and an error set propagates it. */
static PyObject *
buildvalue_N(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    if (!PyArg_ParseTuple(args, "s", &which)) {
        return NULL;
    }
    if (strcmp(which, "steal") == 0) {
        PyObject *fresh = PyList_New(0);
        if (fresh == NULL) {
            return NULL;
        }
        return Py_BuildValue("(Ns)", fresh, "stolen");
    }
    if (strcmp(which, "null_with_error") == 0) {
        PyErr_SetString(PyExc_KeyError, "from N");
        return Py_BuildValue("(iN)", 1, (PyObject *)NULL);
    }
    PyErr_Format(PyExc_ValueError, "unknown case %s", which);
    return NULL;
}

/* Py_VaBuildValue through a varargs helper of our own. */
static PyObject *
va_helper(const char *fmt, ...)
{
    va_list vargs;
    va_start(vargs, fmt);
    PyObject *r = Py_VaBuildValue(fmt, vargs);
    va_end(vargs);
    return r;
}

static PyObject *
vabuildvalue(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return va_helper("(is#)", 3, "abcdef", (Py_ssize_t)2);
}

static PyMethodDef buildvalue_methods[] = {
    {"buildvalue", buildvalue, METH_VARARGS, NULL},
    {"buildvalue_N", buildvalue_N, METH_VARARGS, NULL},
    {"vabuildvalue", vabuildvalue, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_buildvalue(PyObject *m)
{
    return PyModule_AddFunctions(m, buildvalue_methods);
}
