/* code objects, frames and tracebacks: PyCode_NewEmpty and code.replace
 * with CPython 3.11's keywords (Objects/codeobject.c), PyFrame_New (Objects/frameobject.c) and
 * PyTraceBack_Here (Python/traceback.c), used the way Cython's
 * __Pyx_AddTraceback uses them: an empty code object for a .pyx line, a
 * frame whose f_lineno is written directly, then a traceback entry in front
 * of the pending exception's traceback.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "frameobject.h"    /* PyFrame_New */

/* As Cython-generated modules do for 3.11: the frame struct is internal. */
#ifndef Py_BUILD_CORE
#define Py_BUILD_CORE 1
#endif
#include "internal/pycore_frame.h"

#include "ferrytest.h"

/* PyCode_NewEmpty(filename, funcname, firstlineno). */
static PyObject *
code_new_empty(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *filename, *funcname;
    int line;
    if (!PyArg_ParseTuple(args, "yyi", &filename, &funcname, &line)) {
        return NULL;
    }
    return (PyObject *)PyCode_NewEmpty(filename, funcname, line);
}

/* Cython 0.29's __Pyx_PyCode_New for 3.11: PyCode_NewEmpty(filename,
 * funcname, line), then its "replace" attribute called with () and a dict
 * of co_argcount, co_posonlyargcount, co_kwonlyargcount, co_nlocals,
 * co_stacksize, co_flags, co_code, co_consts, co_names, co_varnames,
 * co_freevars, co_cellvars, co_linetable. `varnames` gives co_varnames (and
 * co_nlocals); `extra` (a dict or None) is merged into the keywords last. */
static PyObject *
code_replace_cython(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *filename, *funcname;
    int line, argcount, posonly, kwonly, flags;
    PyObject *varnames, *linetable, *extra;
    if (!PyArg_ParseTuple(args, "ssiiiiiO!SO", &filename, &funcname, &line, &argcount, &posonly,
                          &kwonly, &flags, &PyTuple_Type, &varnames, &linetable, &extra)) {
        return NULL;
    }
    NULLABLE(extra);
    PyObject *empty_tuple = PyTuple_New(0);
    PyObject *empty_bytes = PyBytes_FromStringAndSize(NULL, 0);
    PyObject *kwds = PyDict_New();
    PyObject *result = NULL, *co = NULL, *replace = NULL;
    if (empty_tuple == NULL || empty_bytes == NULL || kwds == NULL) {
        goto end;
    }
    struct { const char *name; long value; } ints[] = {
        {"co_argcount", argcount}, {"co_posonlyargcount", posonly},
        {"co_kwonlyargcount", kwonly}, {"co_nlocals", (long)PyTuple_GET_SIZE(varnames)},
        {"co_stacksize", 0}, {"co_flags", flags},
    };
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        PyObject *v = PyLong_FromLong(ints[i].value);
        int rc = v ? PyDict_SetItemString(kwds, ints[i].name, v) : -1;
        Py_XDECREF(v);
        if (rc < 0) {
            goto end;
        }
    }
    if (PyDict_SetItemString(kwds, "co_code", empty_bytes) < 0 ||
        PyDict_SetItemString(kwds, "co_consts", empty_tuple) < 0 ||
        PyDict_SetItemString(kwds, "co_names", empty_tuple) < 0 ||
        PyDict_SetItemString(kwds, "co_varnames", varnames) < 0 ||
        PyDict_SetItemString(kwds, "co_freevars", empty_tuple) < 0 ||
        PyDict_SetItemString(kwds, "co_cellvars", empty_tuple) < 0 ||
        PyDict_SetItemString(kwds, "co_linetable", linetable) < 0) {
        goto end;
    }
    if (extra != NULL && PyDict_Update(kwds, extra) < 0) {
        goto end;
    }
    co = (PyObject *)PyCode_NewEmpty(filename, funcname, line);
    if (co == NULL) {
        goto end;
    }
    replace = PyObject_GetAttrString(co, "replace");
    if (replace == NULL) {
        goto end;
    }
    result = PyObject_Call(replace, empty_tuple, kwds);
end:
    Py_XDECREF(replace);
    Py_XDECREF(co);
    Py_XDECREF(kwds);
    Py_XDECREF(empty_bytes);
    Py_XDECREF(empty_tuple);
    return result;
}

/* code.replace reached through PyObject_GetAttr (a str name) and called
 * with args (a tuple) and kwargs (a dict or None), on PyCode_NewEmpty's
 * code object. */
static PyObject *
code_replace_call(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callargs, *kwargs;
    if (!PyArg_ParseTuple(args, "O!O", &PyTuple_Type, &callargs, &kwargs)) {
        return NULL;
    }
    NULLABLE(kwargs);
    PyObject *co = (PyObject *)PyCode_NewEmpty("replace.pyx", "f", 1);
    if (co == NULL) {
        return NULL;
    }
    PyObject *name = PyUnicode_FromString("replace");
    PyObject *replace = name ? PyObject_GetAttr(co, name) : NULL;
    Py_XDECREF(name);
    Py_DECREF(co);
    if (replace == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_Call(replace, callargs, kwargs);
    Py_DECREF(replace);
    return r;
}

/* What C reads from a code object's struct. */
static PyObject *
code_fields(PyObject *Py_UNUSED(m), PyObject *code)
{
    if (!PyCode_Check(code)) {
        PyErr_SetString(PyExc_TypeError, "test needs a code object");
        return NULL;
    }
    PyCodeObject *co = (PyCodeObject *)code;
    return Py_BuildValue("(OOOiiii)", co->co_filename, co->co_name, co->co_qualname,
                         co->co_firstlineno, co->co_argcount, co->co_kwonlyargcount,
                         co->co_flags);
}

/* __Pyx_AddTraceback: the pending exception gets an entry
 * "File <filename>, line <line>, in <funcname>". set_line: write f_lineno
 * (Cython always does). */
static int
add_traceback(PyObject *module, const char *funcname, int line, const char *filename,
              int set_line)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyCodeObject *code = PyCode_NewEmpty(filename, funcname, line);
    if (code == NULL) {
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        return -1;
    }
    PyErr_Restore(type, value, tb);
    PyFrameObject *frame = PyFrame_New(PyThreadState_Get(), code, PyModule_GetDict(module), NULL);
    Py_DECREF(code);
    if (frame == NULL) {
        return -1;
    }
    if (set_line) {
        frame->f_lineno = line;
    }
    int rc = PyTraceBack_Here(frame);
    Py_DECREF(frame);
    return rc;
}

/* raise exc(msg) with one traceback entry made from `code` (a code object,
 * e.g. code_replace_cython's) at `line`, as __Pyx_AddTraceback does with a
 * cached code object. */
static PyObject *
raise_with_code(PyObject *module, PyObject *args)
{
    PyObject *exc, *code;
    const char *msg;
    int line;
    if (!PyArg_ParseTuple(args, "OsO!i", &exc, &msg, &PyCode_Type, &code, &line)) {
        return NULL;
    }
    PyErr_SetString(exc, msg);
    PyFrameObject *frame = PyFrame_New(PyThreadState_Get(), (PyCodeObject *)code,
                                       PyModule_GetDict(module), NULL);
    if (frame == NULL) {
        return NULL;
    }
    frame->f_lineno = line;
    int rc = PyTraceBack_Here(frame);
    Py_DECREF(frame);
    if (rc < 0) {
        return NULL;
    }
    return NULL;
}

/* raise exc(msg), then add one entry per (funcname, line) pair, innermost
 * first, as nested Cython functions do while the exception propagates. */
static PyObject *
raise_with_entries(PyObject *module, PyObject *args)
{
    PyObject *exc, *entries;
    const char *msg, *filename;
    int set_line = 1;
    if (!PyArg_ParseTuple(args, "OssO!|p", &exc, &msg, &filename, &PyList_Type, &entries,
                          &set_line)) {
        return NULL;
    }
    /* Parsed before the exception is set: "i" fails while one is pending. */
    Py_ssize_t n = PyList_GET_SIZE(entries);
    if (n > 8) {
        PyErr_SetString(PyExc_ValueError, "test takes at most 8 entries");
        return NULL;
    }
    const char *funcnames[8];
    int lines[8];
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyArg_ParseTuple(PyList_GET_ITEM(entries, i), "si", &funcnames[i], &lines[i])) {
            return NULL;
        }
    }
    PyErr_SetString(exc, msg);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (add_traceback(module, funcnames[i], lines[i], filename, set_line) < 0) {
            return NULL;
        }
    }
    return NULL;
}

/* PyTraceBack_Here with no exception pending: 0, and still no exception. */
static PyObject *
traceback_here_no_error(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyCodeObject *code = PyCode_NewEmpty("x.pyx", "f", 3);
    if (code == NULL) {
        return NULL;
    }
    PyFrameObject *frame = PyFrame_New(PyThreadState_Get(), code, PyModule_GetDict(module), NULL);
    Py_DECREF(code);
    if (frame == NULL) {
        return NULL;
    }
    int rc = PyTraceBack_Here(frame);
    Py_DECREF(frame);
    int pending = PyErr_Occurred() != NULL;
    PyErr_Clear();
    return Py_BuildValue("(ii)", rc, pending);
}

/* PyFrame_New with the given globals and locals (None: NULL locals); what
 * C then sees of the frame, and the frame itself. With pending=True a
 * ValueError is pending during the call (as in __Pyx_AddTraceback): globals
 * without __builtins__ then make PyFrame_New fail, the error unchanged. */
static PyObject *
frame_new(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *globals, *locals;
    const char *funcname;
    int line, pending = 0;
    if (!PyArg_ParseTuple(args, "siOO|p", &funcname, &line, &globals, &locals, &pending)) {
        return NULL;
    }
    NULLABLE(locals);
    if (pending) {
        PyCodeObject *code = PyCode_NewEmpty("frames.pyx", funcname, line);
        if (code == NULL) {
            return NULL;
        }
        PyErr_SetString(PyExc_ValueError, "pending");
        PyFrameObject *frame = PyFrame_New(PyThreadState_Get(), code, globals, locals);
        Py_DECREF(code);
        if (frame == NULL) {
            return NULL;
        }
        Py_DECREF(frame);
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    PyCodeObject *code = PyCode_NewEmpty("frames.pyx", funcname, line);
    if (code == NULL) {
        return NULL;
    }
    PyFrameObject *frame = PyFrame_New(PyThreadState_Get(), code, globals, locals);
    Py_DECREF(code);
    if (frame == NULL) {
        return NULL;
    }
    frame->f_lineno = line + 1;
    int is_frame = PyFrame_Check((PyObject *)frame);
    return Py_BuildValue("(iiN)", is_frame, frame->f_lineno, (PyObject *)frame);
}

/* PyTraceBack_Check of an exception's traceback, read through the API. */
static PyObject *
traceback_check(PyObject *Py_UNUSED(m), PyObject *exc)
{
    PyObject *tb = PyException_GetTraceback(exc);
    if (tb == NULL) {
        return PyErr_Occurred() ? NULL : Py_NewRef(ferrytest_null);
    }
    int r = PyTraceBack_Check(tb);
    Py_DECREF(tb);
    return PyBool_FromLong(r);
}

static PyMethodDef traceback_methods[] = {
    {"code_new_empty", code_new_empty, METH_VARARGS, NULL},
    {"code_fields", code_fields, METH_O, NULL},
    {"code_replace_cython", code_replace_cython, METH_VARARGS, NULL},
    {"code_replace_call", code_replace_call, METH_VARARGS, NULL},
    {"raise_with_code", raise_with_code, METH_VARARGS, NULL},
    {"raise_with_entries", raise_with_entries, METH_VARARGS, NULL},
    {"traceback_here_no_error", traceback_here_no_error, METH_NOARGS, NULL},
    {"frame_new", frame_new, METH_VARARGS, NULL},
    {"traceback_check", traceback_check, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_traceback(PyObject *m)
{
    /* As Cython's module init does: PyFrame_New, called with an exception
     * pending, finds the builtins through the globals. */
    PyObject *builtins = PyImport_AddModule("builtins");
    if (builtins == NULL || PyObject_SetAttrString(m, "__builtins__", builtins) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, traceback_methods);
}
