/* An extension built "for another CPython version": it calls functions that
 * existed up to CPython 3.10 and were removed in 3.11 (PEP 624 removed the
 * Py_UNICODE encoders; the frame block stack went with the 3.11 frame
 * rewrite). The prototypes are declared here because 3.11's headers no longer
 * have them. CPython 3.11 fails the dlopen with an undefined symbol; ferry
 * must fail the import naming the missing symbols. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyAPI_FUNC(PyObject *) PyUnicode_EncodeUTF8(const wchar_t *data,
                                            Py_ssize_t length,
                                            const char *errors);
PyAPI_FUNC(void) PyFrame_BlockSetup(PyFrameObject *f, int type, int handler,
                                    int level);

static PyObject *
encode(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    static const wchar_t text[] = {'o', 'l', 'd'};
    return PyUnicode_EncodeUTF8(text, 3, NULL);
}

static PyObject *
block_setup(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
    PyFrame_BlockSetup(NULL, 0, 0, 0);
    Py_RETURN_NONE;
}

static PyMethodDef otherver_methods[] = {
    {"encode", encode, METH_NOARGS, NULL},
    {"block_setup", block_setup, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef otherver_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "otherver",
    .m_size = -1,
    .m_methods = otherver_methods,
};

PyMODINIT_FUNC
PyInit_otherver(void)
{
    return PyModule_Create(&otherver_def);
}
