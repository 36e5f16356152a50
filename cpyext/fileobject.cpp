// File descriptors from Python objects: mirrors Objects/fileobject.c.
#include <Python.h>

#include "gc_bridge/stats.h"
#define FERRY_FAMILY "fileobject"

// The file system encoding (deprecated globals, kept by C that predates
// PyUnicode_EncodeFSDefault): PyPy's on Linux, as sys.getfilesystemencoding()
// and sys.getfilesystemencodeerrors() give it.
const char *Py_FileSystemDefaultEncoding = "utf-8";
const char *Py_FileSystemDefaultEncodeErrors = "surrogateescape";
int Py_HasFileSystemDefaultEncoding = 0;   // (as CPython 3.11 leaves it)

// An int is the descriptor itself; anything else is asked for fileno(). A
// missing fileno is a TypeError, any other failure to look it up propagates.
int PyObject_AsFileDescriptor(PyObject *o) {
    FERRY_API;
    int fd;
    if (PyLong_Check(o)) {
        fd = _PyLong_AsInt(o);
    } else {
        PyObject *meth = PyObject_GetAttrString(o, "fileno");
        if (!meth) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError))
                return -1;
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError, "argument must be an int, or have a fileno() method.");
            return -1;
        }
        PyObject *fno = PyObject_CallNoArgs(meth);
        Py_DECREF(meth);
        if (!fno)
            return -1;
        if (!PyLong_Check(fno)) {
            Py_DECREF(fno);
            PyErr_SetString(PyExc_TypeError, "fileno() returned a non-integer");
            return -1;
        }
        fd = _PyLong_AsInt(fno);
        Py_DECREF(fno);
    }
    if (fd == -1 && PyErr_Occurred())
        return -1;
    if (fd < 0) {
        PyErr_Format(PyExc_ValueError, "file descriptor cannot be a negative integer (%i)", fd);
        return -1;
    }
    return fd;
}

// A file object for a descriptor: io.open(fd, mode, buffering, encoding,
// errors, newline, closefd), as CPython 3.11 makes it (NULL strings are
// None). `name` is not used: the name of a buffered or text file is read-only
// (CPython ignores it too).
PyObject *PyFile_FromFd(int fd, const char *, const char *mode, int buffering, const char *encoding,
                        const char *errors, const char *newline, int closefd) {
    FERRY_API;
    PyObject *io = PyImport_ImportModule("_io");
    PyObject *open = io ? PyObject_GetAttrString(io, "open") : nullptr;
    Py_XDECREF(io);
    if (!open)
        return nullptr;
    PyObject *stream = PyObject_CallFunction(open, "isisssO", fd, mode, buffering, encoding, errors,
                                             newline, closefd ? Py_True : Py_False);
    Py_DECREF(open);
    return stream;
}
