// Compiling and running source text: Py_CompileStringExFlags and
// PyRun_StringFlags. Mirrors Python/pythonrun.c, through the host's
// compile() and PyEval_EvalCode.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "pythonrun"

namespace {

const char *mode_name(int start) {
    switch (start) {
    case Py_file_input: return "exec";
    case Py_eval_input: return "eval";
    case Py_single_input: return "single";
    case Py_func_type_input: return "func_type";
    default: return nullptr;
    }
}

// compile(source, filename, mode, flags, dont_inherit=True, optimize).
PyObject *compile_source(const char *str, PyObject *filename, int start, PyCompilerFlags *flags,
                         int optimize) {
    const char *mode = mode_name(start);
    if (!mode) {
        PyErr_SetString(PyExc_SystemError, "invalid start symbol");
        return nullptr;
    }
    int cf = flags ? flags->cf_flags : 0;
    // The source is bytes (its coding cookie honoured) unless the caller said
    // to ignore the cookie, which is what a str source does.
    PyObject *source = (cf & PyCF_IGNORE_COOKIE) ? PyUnicode_FromString(str)
                                                 : PyBytes_FromString(str);
    if (!source)
        return nullptr;
    int pass = cf & (PyCF_MASK | PyCF_ONLY_AST | PyCF_ALLOW_TOP_LEVEL_AWAIT | PyCF_TYPE_COMMENTS |
                     PyCF_DONT_IMPLY_DEDENT | PyCF_ALLOW_INCOMPLETE_INPUT);
    PyObject *builtins = PyImport_ImportModule("builtins");
    PyObject *r = builtins ? PyObject_CallMethod(builtins, "compile", "OOsiii", source, filename,
                                                 mode, pass, 1, optimize)
                           : nullptr;
    Py_XDECREF(builtins);
    Py_DECREF(source);
    return r;
}

} // namespace

PyObject *Py_CompileStringExFlags(const char *str, const char *filename, int start,
                                  PyCompilerFlags *flags, int optimize) {
    FERRY_API;
    PyObject *fn = PyUnicode_DecodeFSDefault(filename);
    if (!fn)
        return nullptr;
    PyObject *co = compile_source(str, fn, start, flags, optimize);
    Py_DECREF(fn);
    return co;
}

PyObject *PyRun_StringFlags(const char *str, int start, PyObject *globals, PyObject *locals,
                            PyCompilerFlags *flags) {
    FERRY_API;
    PyObject *fn = PyUnicode_FromString("<string>");
    if (!fn)
        return nullptr;
    PyObject *co = compile_source(str, fn, start, flags, -1);
    Py_DECREF(fn);
    if (!co)
        return nullptr;
    // Set globals['__builtins__'] (the builtins dict) if it doesn't exist.
    if (globals) {
        PyObject *b = PyDict_GetItemString(globals, "__builtins__");
        if (!b) {
            if (PyErr_Occurred()) {
                Py_DECREF(co);
                return nullptr;
            }
            PyObject *bd = ferry::import_attr("builtins", "__dict__");
            int rc = bd ? PyDict_SetItemString(globals, "__builtins__", bd) : -1;
            Py_XDECREF(bd);
            if (rc < 0) {
                Py_DECREF(co);
                return nullptr;
            }
        }
    }
    PyObject *v = PyEval_EvalCode(co, globals, locals);
    Py_DECREF(co);
    return v;
}
