/* The codec registry: PyCodec_Encode, PyCodec_Decode and PyCodec_LookupError
 * from Python/codecs.c.
 *
 * Mirrors CPython's Modules/_testcapi/codec.c (3.13's; 3.11 has none).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* encoding NULL crashes CPython: not passed. errors None means NULL. */
static PyObject *
codec_encode(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *encoding, *errors = NULL;
    if (!PyArg_ParseTuple(args, "Os|z", &o, &encoding, &errors)) {
        return NULL;
    }
    return PyCodec_Encode(o, encoding, errors);
}

static PyObject *
codec_decode(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *encoding, *errors = NULL;
    if (!PyArg_ParseTuple(args, "Os|z", &o, &encoding, &errors)) {
        return NULL;
    }
    return PyCodec_Decode(o, encoding, errors);
}

/* name None means NULL, which CPython takes as "strict". */
static PyObject *
codec_lookuperror(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name = NULL;
    if (!PyArg_ParseTuple(args, "z", &name)) {
        return NULL;
    }
    return PyCodec_LookupError(name);
}

static PyMethodDef codecs_methods[] = {
    {"codec_encode", codec_encode, METH_VARARGS, NULL},
    {"codec_decode", codec_decode, METH_VARARGS, NULL},
    {"codec_lookuperror", codec_lookuperror, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_codecs(PyObject *m)
{
    return PyModule_AddFunctions(m, codecs_methods);
}
