/* The process from C: PySys_GetObject (Python/sysmodule.c), Py_GetVersion
   (Python/getversion.c), PyOS_snprintf (Python/mysnprintf.c),
   PyInterpreterState_GetID (Python/pystate.c). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* Borrowed; a missing attribute is NULL without an exception. */
static PyObject *
sys_getobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(PySys_GetObject(name));
}

static PyObject *
sys_getversion(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(args))
{
    return PyUnicode_FromString(Py_GetVersion());
}

static int
call_vsnprintf(char *buf, size_t size, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int r = PyOS_vsnprintf(buf, size, format, va);
    va_end(va);
    return r;
}

/* (return value, buffer contents) for a buffer of `size` bytes, through
   PyOS_snprintf or (`va` true) PyOS_vsnprintf. */
static PyObject *
os_snprintf(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t size;
    const char *s;
    int i, va;
    if (!PyArg_ParseTuple(args, "nsip", &size, &s, &i, &va)) {
        return NULL;
    }
    char buf[64];
    memset(buf, 'X', sizeof buf);
    if (size < 1 || size > (Py_ssize_t)sizeof buf) {
        PyErr_SetString(PyExc_ValueError, "size out of range");
        return NULL;
    }
    int r = va ? call_vsnprintf(buf, (size_t)size, "%s-%d", s, i)
               : PyOS_snprintf(buf, (size_t)size, "%s-%d", s, i);
    return Py_BuildValue("iy", r, buf);
}

static PyObject *
interpreter_id(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(args))
{
    int64_t id = PyInterpreterState_GetID(PyThreadState_Get()->interp);
    if (id == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLongLong(id);
}

static PyObject *
interpreter_id_null(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(args))
{
    int64_t id = PyInterpreterState_GetID(NULL);
    if (id == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLongLong(id);
}

/* The deprecated file-system-encoding globals (fileobject.h). */
static PyObject *
fs_default_encoding(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(args))
{
    return Py_BuildValue("(ssi)", Py_FileSystemDefaultEncoding,
                         Py_FileSystemDefaultEncodeErrors, Py_HasFileSystemDefaultEncoding);
}

/* (Py_IsInitialized(), Py_OptimizeFlag) */
static PyObject *
process_state(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(args))
{
    return Py_BuildValue("(ii)", Py_IsInitialized(), Py_OptimizeFlag);
}

static PyMethodDef sysmodule_methods[] = {
    {"process_state", process_state, METH_NOARGS, NULL},
    {"fs_default_encoding", fs_default_encoding, METH_NOARGS, NULL},
    {"sys_getobject", sys_getobject, METH_VARARGS, NULL},
    {"sys_getversion", sys_getversion, METH_NOARGS, NULL},
    {"os_snprintf", os_snprintf, METH_VARARGS, NULL},
    {"interpreter_id", interpreter_id, METH_NOARGS, NULL},
    {"interpreter_id_null", interpreter_id_null, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_sysmodule(PyObject *m)
{
    return PyModule_AddFunctions(m, sysmodule_methods);
}
