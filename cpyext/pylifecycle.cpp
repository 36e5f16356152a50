// Process-level entry points: fatal errors, sys access, ctype tables.
// Mirrors parts of Python/pylifecycle.c, Python/sysmodule.c, Python/pyctype.c,
// Python/getversion.c, Python/mysnprintf.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cctype>
#include <climits>
#include <signal.h>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "pylifecycle"

void (Py_FatalError)(const char *message) {
    FERRY_API;
    std::fprintf(stderr, "Fatal Python error: %s\n", message);
    std::fflush(stderr);
    std::abort();
}

void _Py_FatalErrorFunc(const char *func, const char *message) {
    FERRY_API;
    std::fprintf(stderr, "Fatal Python error: %s: %s\n", func, message);
    std::fflush(stderr);
    std::abort();
}

// The interpreter is running whenever C code runs here.
int Py_IsInitialized() {
    FERRY_API;
    return 1;
}

// -O's level, as sys.flags.optimize has it (set when the layer starts).
int Py_OptimizeFlag = 0;

namespace ferry {
bool init_process_flags() {
    PyObject *flags = import_attr("sys", "flags");
    PyObject *o = flags ? PyObject_GetAttrString(flags, "optimize") : nullptr;
    Py_XDECREF(flags);
    long v = o ? PyLong_AsLong(o) : -1;
    Py_XDECREF(o);
    if (v == -1 && PyErr_Occurred())
        return false;
    Py_OptimizeFlag = static_cast<int>(v);
    return true;
}
} // namespace ferry

// Borrowed, as in CPython: the sys module keeps the object alive. The layer
// keeps one reference per name it hands out.
PyObject *PySys_GetObject(const char *name) {
    FERRY_API;
    PyObject *v = ferry::import_attr("sys", name);
    if (!v) {
        PyErr_Clear();
        return nullptr;
    }
    static PyObject *held = PyList_New(0);
    if (held && PyList_Append(held, v) < 0)
        PyErr_Clear();
    Py_DECREF(v);
    return v;
}

// The CPython version the extension was built for (the headers' PY_VERSION),
// then the host: extensions compare the leading "3.11" with what they were
// compiled against.
const char *Py_GetVersion() {
    FERRY_API;
    return PY_VERSION " (ferry, CPython 3.11 C API on PyPy)";
}

// C's vsnprintf, made safe as CPython makes it: the buffer is always
// NUL-terminated, truncation included; sizes beyond int are refused (-666).
int PyOS_vsnprintf(char *str, size_t size, const char *format, va_list va) {
    FERRY_API;
    int len;
    if (size > static_cast<size_t>(INT_MAX) - 1)
        len = -666;
    else
        len = std::vsnprintf(str, size, format, va);
    if (size > 0)
        str[size - 1] = '\0';
    return len;
}

int PyOS_snprintf(char *str, size_t size, const char *format, ...) {
    FERRY_API;
    va_list va;
    va_start(va, format);
    int len = PyOS_vsnprintf(str, size, format, va);
    va_end(va);
    return len;
}

const char *PyUnicode_GetDefaultEncoding() { FERRY_API; return "utf-8"; }

// pyctype.h's table: PY_CTF_LOWER 1, UPPER 2, DIGIT 4, SPACE 8, XDIGIT 16.
const unsigned int _Py_ctype_table[256] = {
#define C(c) ((std::islower(c) ? 1u : 0u) | (std::isupper(c) ? 2u : 0u) | (std::isdigit(c) ? 4u : 0u) | \
              (std::isspace(c) ? 8u : 0u) | (std::isxdigit(c) ? 16u : 0u))
#define R8(b) C(b), C(b + 1), C(b + 2), C(b + 3), C(b + 4), C(b + 5), C(b + 6), C(b + 7)
    R8(0), R8(8), R8(16), R8(24), R8(32), R8(40), R8(48), R8(56),
    R8(64), R8(72), R8(80), R8(88), R8(96), R8(104), R8(112), R8(120),
};

// Installs a C signal handler with sigaction (SA_ONSTACK, an empty mask, as
// CPython 3.11 does) and returns the previous one, SIG_ERR on failure.
// Signal dispositions belong to the process: the layer's namespace has its
// own libc, but its sigaction is the same system call.
PyOS_sighandler_t PyOS_setsig(int sig, PyOS_sighandler_t handler) {
    FERRY_API;
    struct sigaction context{}, ocontext{};
    context.sa_handler = handler;
    sigemptyset(&context.sa_mask);
    context.sa_flags = SA_ONSTACK;
    if (sigaction(sig, &context, &ocontext) == -1)
        return SIG_ERR;
    return ocontext.sa_handler;
}

// The C handler now installed for a signal (sigaction, as CPython 3.11's),
// SIG_ERR for a signal number sigaction refuses.
PyOS_sighandler_t PyOS_getsig(int sig) {
    FERRY_API;
    struct sigaction context{};
    if (sigaction(sig, nullptr, &context) == -1)
        return SIG_ERR;
    return context.sa_handler;
}
