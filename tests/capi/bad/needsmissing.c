/* An extension that links against rarely used but real CPython 3.11 API
 * functions that ferry does not provide (the calling frame and its line;
 * PyCode_NewEmpty is provided). CPython imports it; ferry must refuse it with an ImportError
 * naming the file and every missing symbol, instead of crashing later. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Code object with no instructions, line number of the calling frame. */
static PyObject *
empty_code_line(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    PyCodeObject *code = PyCode_NewEmpty("needsmissing.c", "empty", 7);
    if (code == NULL) {
        return NULL;
    }
    int first = code->co_firstlineno;
    Py_DECREF(code);
    PyFrameObject *frame = PyEval_GetFrame();   /* borrowed */
    int line = frame != NULL ? PyFrame_GetLineNumber(frame) : -1;
    return Py_BuildValue("(ii)", first, line);
}

static PyMethodDef needsmissing_methods[] = {
    {"empty_code_line", empty_code_line, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef needsmissing_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "needsmissing",
    .m_size = -1,
    .m_methods = needsmissing_methods,
};

PyMODINIT_FUNC
PyInit_needsmissing(void)
{
    return PyModule_Create(&needsmissing_def);
}
