/* Exceptions: PyErr_* from Python/errors.c, PyException_* from
 * Objects/exceptions.c, warnings from Python/_warnings.c and the PyExc_*
 * objects themselves.
 *
 * Mirrors CPython's Modules/_testcapi/exceptions.c. The wrappers that raise
 * return NULL with the exception set, so the test sees what a Python caller
 * of a real extension would see.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>

#include "ferrytest.h"

/* --- setting ------------------------------------------------------------- */

/* exc must be an exception class (anything else is a SystemError in
 * CPython); message NULL is a crash: not passed. */
static PyObject *
err_setstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc;
    const char *msg;
    if (!PyArg_ParseTuple(args, "Oy", &exc, &msg)) {
        return NULL;
    }
    PyErr_SetString(exc, msg);
    return NULL;
}

/* value None means NULL (no argument); a tuple value becomes the args. */
static PyObject *
err_setobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *value;
    if (!PyArg_ParseTuple(args, "OO", &exc, &value)) {
        return NULL;
    }
    NULLABLE(value);
    PyErr_SetObject(exc, value);
    return NULL;
}

static PyObject *
err_setnone(PyObject *Py_UNUSED(m), PyObject *exc)
{
    PyErr_SetNone(exc);
    return NULL;
}

static PyObject *
err_nomemory(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyErr_NoMemory();
}

static PyObject *
err_badargument(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    if (PyErr_BadArgument() != 0) {
        return ferrytest_missing_error("a non-zero result from PyErr_BadArgument");
    }
    return NULL;
}

/* The macro form passes __FILE__ and __LINE__. */
static PyObject *
err_badinternalcall(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyErr_BadInternalCall();
    return NULL;
}

/* --- PyErr_Format ---------------------------------------------------------- */

static PyObject *
err_format(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *obj = Py_None;
    const char *which;
    if (!PyArg_ParseTuple(args, "Os|O", &exc, &which, &obj)) {
        return NULL;
    }
#define CASE(name, ...)                                         \
    if (strcmp(which, name) == 0) {                             \
        if (PyErr_Format(exc, __VA_ARGS__) != NULL) {           \
            return ferrytest_missing_error("non-NULL");         \
        }                                                       \
        return NULL;                                            \
    }
    CASE("plain", "no directives")
    CASE("percent", "100%% sure")
    CASE("s", "bad value: %s", "caf\xc3\xa9 \xf0\x9f\x90\x8d")
    CASE("s_precision", "%.200s object is not callable", "str")
    CASE("s_truncated", "[%.3s]", "truncated")
    CASE("d", "%d items, %i left", -3, 2147483647)
    CASE("u", "%u", 4294967295u)
    CASE("ld", "%ld/%lu", LONG_MIN, ULONG_MAX)
    CASE("lld", "%lld/%llu", LLONG_MIN, ULLONG_MAX)
    CASE("zd", "index %zd out of range (size %zu)", (Py_ssize_t)-1, (size_t)10)
    CASE("x", "0x%x", 0xcafeu)
    CASE("c", "char %c and %c", 'A', 0x1f40d)
    CASE("U", "name %U", obj)
    CASE("S", "str %S", obj)
    CASE("R", "repr %R", obj)
    CASE("A", "ascii %A", obj)
    CASE("V", "%V and %V", obj, "unused", (PyObject *)NULL, "fallback")
    CASE("tp_name", "'%.200s' object has no attribute '%U'",
         Py_TYPE(obj)->tp_name, obj)
    CASE("width", "[%5d][%5s]", 7, "ab")
    CASE("p", "%p", (void *)0xabcdef)
#undef CASE
    PyErr_Format(PyExc_ValueError, "unknown case %s", which);
    return NULL;
}

/* PyErr_FormatV through a varargs helper of our own. */
static PyObject *
format_v_helper(PyObject *exc, const char *fmt, ...)
{
    va_list vargs;
    va_start(vargs, fmt);
    PyObject *r = PyErr_FormatV(exc, fmt, vargs);
    va_end(vargs);
    return r;
}

static PyObject *
err_formatv(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &exc, &n)) {
        return NULL;
    }
    return format_v_helper(exc, "formatv %d %s", n, "done");
}

/* --- inspecting ------------------------------------------------------------ */

/* Nothing set: PyErr_Occurred() is NULL (reported as None). */
static PyObject *
err_occurred(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *t = PyErr_Occurred();
    return Py_NewRef(t != NULL ? t : Py_None);
}

/* Raise `exc` inside C, look at PyErr_Occurred, then clear: the type is
 * returned (for an instance, its class). */
static PyObject *
err_occurred_after(PyObject *Py_UNUSED(m), PyObject *exc)
{
    PyErr_SetNone(exc);
    PyObject *t = PyErr_Occurred();
    PyObject *r = t != NULL ? Py_NewRef(t) : Py_NewRef(ferrytest_null);
    PyErr_Clear();
    if (PyErr_Occurred()) {
        Py_DECREF(r);
        return ferrytest_missing_error("an exception surviving PyErr_Clear");
    }
    return r;
}

static PyObject *
err_clear(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyErr_Clear();
    Py_RETURN_NONE;
}

/* Set `raised` (a class) and ask whether it matches `against`. */
static PyObject *
err_exceptionmatches(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *raised, *against;
    if (!PyArg_ParseTuple(args, "OO", &raised, &against)) {
        return NULL;
    }
    PyErr_SetNone(raised);
    int r = PyErr_ExceptionMatches(against);
    PyErr_Clear();
    return PyLong_FromLong(r);
}

/* given None means NULL (never matches). */
static PyObject *
err_givenexceptionmatches(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *given, *exc;
    if (!PyArg_ParseTuple(args, "OO", &given, &exc)) {
        return NULL;
    }
    NULLABLE(given);
    return PyLong_FromLong(PyErr_GivenExceptionMatches(given, exc));
}

/* --- fetch / restore / normalize ---------------------------------------- */

static PyObject *
triple(PyObject *t, PyObject *v, PyObject *tb)
{
    /* Steals all three; NULLs become the NULL sentinel. */
    PyObject *r = Py_BuildValue("(OOO)", t ? t : ferrytest_null,
                                v ? v : ferrytest_null,
                                tb ? tb : ferrytest_null);
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
    return r;
}

/* PyErr_SetObject(exc, value) then PyErr_Fetch: what C code sees. */
static PyObject *
err_set_and_fetch(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *value;
    if (!PyArg_ParseTuple(args, "OO", &exc, &value)) {
        return NULL;
    }
    NULLABLE(value);
    PyErr_SetObject(exc, value);
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception surviving PyErr_Fetch");
    }
    return triple(t, v, tb);
}

/* Same, then PyErr_NormalizeException: the value is an instance of type. */
static PyObject *
err_set_fetch_normalize(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *value;
    if (!PyArg_ParseTuple(args, "OO", &exc, &value)) {
        return NULL;
    }
    NULLABLE(value);
    PyErr_SetObject(exc, value);
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    return triple(t, v, tb);
}

/* Nothing set: all three NULL. */
static PyObject *
err_fetch_nothing(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    return triple(t, v, tb);
}

/* PyErr_NormalizeException on an arbitrary (type, value) pair; tb NULL. */
static PyObject *
err_normalize(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *t, *v;
    if (!PyArg_ParseTuple(args, "OO", &t, &v)) {
        return NULL;
    }
    NULLABLE(v);
    Py_INCREF(t);
    Py_XINCREF(v);
    PyObject *tb = NULL;
    PyErr_NormalizeException(&t, &v, &tb);
    if (PyErr_Occurred()) {
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
        return NULL;
    }
    return triple(t, v, tb);
}

/* PyErr_Restore(type, value, tb): raises it (all three may be NULL; None
 * for value/tb means NULL). */
static PyObject *
err_restore(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *t, *v, *tb;
    if (!PyArg_ParseTuple(args, "OOO", &t, &v, &tb)) {
        return NULL;
    }
    NULLABLE(t);
    NULLABLE(v);
    NULLABLE(tb);
    Py_XINCREF(t);
    Py_XINCREF(v);
    Py_XINCREF(tb);
    PyErr_Restore(t, v, tb);
    return NULL;
}

/* Call `callable`, and if it raises, fetch, then restore unchanged: the
 * exception must come out identical (same instance, same traceback). */
static PyObject *
err_fetch_restore_roundtrip(PyObject *Py_UNUSED(m), PyObject *callable)
{
    PyObject *r = PyObject_CallNoArgs(callable);
    if (r != NULL) {
        return r;
    }
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_Restore(t, v, tb);
    return NULL;
}

/* --- handled exception (sys.exc_info) ------------------------------------- */

static PyObject *
err_getexcinfo(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *t, *v, *tb;
    PyErr_GetExcInfo(&t, &v, &tb);
    return triple(t, v, tb);
}

static PyObject *
err_setexcinfo(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *t, *v, *tb;
    if (!PyArg_ParseTuple(args, "OOO", &t, &v, &tb)) {
        return NULL;
    }
    NULLABLE(t);
    NULLABLE(v);
    NULLABLE(tb);
    Py_XINCREF(t);
    Py_XINCREF(v);
    Py_XINCREF(tb);
    PyErr_SetExcInfo(t, v, tb);
    Py_RETURN_NONE;
}

/* The handled exception along one call (Cython saves and restores it around
 * try/finally): (seen first, f(), seen after f, seen after
 * PyErr_SetExcInfo(exc), f() then, seen after the first one is set back). */
static PyObject *
err_excinfo_sequence(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *f, *exc;
    if (!PyArg_ParseTuple(args, "OO", &f, &exc)) {
        return NULL;
    }
    PyObject *seen[6] = {NULL};
    PyObject *t0, *v0, *tb0, *t, *tb;
    PyErr_GetExcInfo(&t0, &v0, &tb0);
    seen[0] = Py_NewRef(v0);
    seen[1] = PyObject_CallNoArgs(f);
    PyErr_GetExcInfo(&t, &seen[2], &tb);
    Py_DECREF(t);
    Py_DECREF(tb);
    PyErr_SetExcInfo(Py_NewRef(Py_TYPE(exc)), Py_NewRef(exc), NULL);
    PyErr_GetExcInfo(&t, &seen[3], &tb);
    Py_DECREF(t);
    Py_DECREF(tb);
    seen[4] = seen[1] ? PyObject_CallNoArgs(f) : NULL;
    PyErr_SetExcInfo(t0, v0, tb0);
    PyErr_GetExcInfo(&t, &seen[5], &tb);
    Py_DECREF(t);
    Py_DECREF(tb);
    if (seen[1] == NULL || seen[4] == NULL) {
        for (int i = 0; i < 6; i++) {
            Py_XDECREF(seen[i]);
        }
        return NULL;
    }
    return Py_BuildValue("(NNNNNN)", seen[0], seen[1], seen[2], seen[3], seen[4], seen[5]);
}

static PyObject *
err_gethandledexception(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *e = PyErr_GetHandledException();
    if (e == NULL) {
        return Py_NewRef(ferrytest_null);
    }
    return e;
}

/* --- errno ------------------------------------------------------------------ */

/* errno is set to `err` right before the call. */
static PyObject *
err_setfromerrno(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc;
    int err;
    if (!PyArg_ParseTuple(args, "Oi", &exc, &err)) {
        return NULL;
    }
    errno = err;
    return PyErr_SetFromErrno(exc);
}

/* filename None means NULL. */
static PyObject *
err_setfromerrnowithfilename(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc;
    int err;
    const char *filename;
    if (!PyArg_ParseTuple(args, "Oiz", &exc, &err, &filename)) {
        return NULL;
    }
    errno = err;
    return PyErr_SetFromErrnoWithFilename(exc, filename);
}

static PyObject *
err_setfromerrnowithfilenameobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *filename;
    int err;
    if (!PyArg_ParseTuple(args, "OiO", &exc, &err, &filename)) {
        return NULL;
    }
    NULLABLE(filename);
    errno = err;
    return PyErr_SetFromErrnoWithFilenameObject(exc, filename);
}

static PyObject *
err_setfromerrnowithfilenameobjects(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *f1, *f2;
    int err;
    if (!PyArg_ParseTuple(args, "OiOO", &exc, &err, &f1, &f2)) {
        return NULL;
    }
    NULLABLE(f1);
    NULLABLE(f2);
    errno = err;
    return PyErr_SetFromErrnoWithFilenameObjects(exc, f1, f2);
}

static PyObject *
errno_values(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("{sisisisi}", "ENOENT", ENOENT, "EACCES", EACCES,
                         "EEXIST", EEXIST, "EPIPE", EPIPE);
}

/* --- new exception classes ----------------------------------------------- */

/* base and dict: None means NULL. */
static PyObject *
err_newexception(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *base, *dict;
    if (!PyArg_ParseTuple(args, "yOO", &name, &base, &dict)) {
        return NULL;
    }
    NULLABLE(base);
    NULLABLE(dict);
    return PyErr_NewException(name, base, dict);
}

static PyObject *
err_newexceptionwithdoc(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name, *doc;
    PyObject *base, *dict;
    if (!PyArg_ParseTuple(args, "yzOO", &name, &doc, &base, &dict)) {
        return NULL;
    }
    NULLABLE(base);
    NULLABLE(dict);
    return PyErr_NewExceptionWithDoc(name, doc, base, dict);
}

/* --- warnings ------------------------------------------------------------ */

/* category None means NULL (RuntimeWarning). Returns 0, or raises when the
 * warning was turned into an error. */
static PyObject *
err_warnex(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *category;
    const char *msg;
    Py_ssize_t stacklevel;
    if (!PyArg_ParseTuple(args, "Oyn", &category, &msg, &stacklevel)) {
        return NULL;
    }
    NULLABLE(category);
    RETURN_INT(PyErr_WarnEx(category, msg, stacklevel));
}

static PyObject *
err_warnformat(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *category;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &category, &n)) {
        return NULL;
    }
    NULLABLE(category);
    RETURN_INT(PyErr_WarnFormat(category, 1, "formatted warning %d (%s)", n,
                                "ferry"));
}

static PyObject *
err_warnexplicit(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *category;
    const char *msg, *filename, *module;
    int lineno;
    if (!PyArg_ParseTuple(args, "Oyyiz", &category, &msg, &filename, &lineno,
                          &module)) {
        return NULL;
    }
    NULLABLE(category);
    RETURN_INT(PyErr_WarnExplicit(category, msg, filename, lineno, module, NULL));
}

/* --- reporting ------------------------------------------------------------ */

/* Raise ValueError(msg) in C and hand it to PyErr_WriteUnraisable(obj). */
static PyObject *
err_writeunraisable(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *msg;
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "yO", &msg, &obj)) {
        return NULL;
    }
    NULLABLE(obj);
    PyErr_SetString(PyExc_ValueError, msg);
    PyErr_WriteUnraisable(obj);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception surviving WriteUnraisable");
    }
    Py_RETURN_NONE;
}

/* Raise ValueError(msg) and PyErr_Print() it (to sys.stderr). */
static PyObject *
err_print(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *msg;
    if (!PyArg_ParseTuple(args, "y", &msg)) {
        return NULL;
    }
    PyErr_SetString(PyExc_ValueError, msg);
    PyErr_PrintEx(0);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception surviving PyErr_Print");
    }
    Py_RETURN_NONE;
}

static PyObject *
err_checksignals(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    RETURN_INT(PyErr_CheckSignals());
}

/* --- exception objects ------------------------------------------------------ */

static PyObject *
exception_getparts(PyObject *Py_UNUSED(m), PyObject *exc)
{
    if (!PyExceptionInstance_Check(exc)) {
        PyErr_SetString(PyExc_TypeError, "test needs an exception instance");
        return NULL;
    }
    PyObject *tb = PyException_GetTraceback(exc);
    PyObject *cause = PyException_GetCause(exc);
    PyObject *context = PyException_GetContext(exc);
    PyObject *cls = PyExceptionInstance_Class(exc);   /* borrowed */
    return Py_BuildValue("(NNNO)", tb ? tb : Py_NewRef(ferrytest_null),
                         cause ? cause : Py_NewRef(ferrytest_null),
                         context ? context : Py_NewRef(ferrytest_null), cls);
}

/* cause/context: None means NULL (clears). Both setters steal. */
static PyObject *
exception_setcause(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *cause;
    if (!PyArg_ParseTuple(args, "OO", &exc, &cause)) {
        return NULL;
    }
    NULLABLE(cause);
    PyException_SetCause(exc, Py_XNewRef(cause));
    Py_RETURN_NONE;
}

static PyObject *
exception_setcontext(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *context;
    if (!PyArg_ParseTuple(args, "OO", &exc, &context)) {
        return NULL;
    }
    NULLABLE(context);
    PyException_SetContext(exc, Py_XNewRef(context));
    Py_RETURN_NONE;
}

/* tb must be a traceback or None (TypeError otherwise). */
static PyObject *
exception_settraceback(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *tb;
    if (!PyArg_ParseTuple(args, "OO", &exc, &tb)) {
        return NULL;
    }
    RETURN_INT(PyException_SetTraceback(exc, tb));
}

/* The PyExc_* objects by their Python names. */
static PyObject *
exception_objects(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    static const struct { const char *name; PyObject **exc; } table[] = {
#define EXC(name) {#name, &PyExc_##name}
        EXC(BaseException), EXC(Exception), EXC(BaseExceptionGroup),
        EXC(StopAsyncIteration), EXC(StopIteration), EXC(GeneratorExit),
        EXC(ArithmeticError), EXC(LookupError), EXC(AssertionError),
        EXC(AttributeError), EXC(BufferError), EXC(EOFError),
        EXC(FloatingPointError), EXC(OSError), EXC(ImportError),
        EXC(ModuleNotFoundError), EXC(IndexError), EXC(KeyError),
        EXC(KeyboardInterrupt), EXC(MemoryError), EXC(NameError),
        EXC(OverflowError), EXC(RuntimeError), EXC(RecursionError),
        EXC(NotImplementedError), EXC(SyntaxError), EXC(IndentationError),
        EXC(TabError), EXC(ReferenceError), EXC(SystemError), EXC(SystemExit),
        EXC(TypeError), EXC(UnboundLocalError), EXC(UnicodeError),
        EXC(UnicodeEncodeError), EXC(UnicodeDecodeError),
        EXC(UnicodeTranslateError), EXC(ValueError), EXC(ZeroDivisionError),
        EXC(BlockingIOError), EXC(BrokenPipeError), EXC(ChildProcessError),
        EXC(ConnectionError), EXC(ConnectionAbortedError),
        EXC(ConnectionRefusedError), EXC(ConnectionResetError),
        EXC(FileExistsError), EXC(FileNotFoundError), EXC(InterruptedError),
        EXC(IsADirectoryError), EXC(NotADirectoryError), EXC(PermissionError),
        EXC(ProcessLookupError), EXC(TimeoutError), EXC(EnvironmentError),
        EXC(IOError), EXC(Warning), EXC(UserWarning), EXC(DeprecationWarning),
        EXC(PendingDeprecationWarning), EXC(SyntaxWarning),
        EXC(RuntimeWarning), EXC(FutureWarning), EXC(ImportWarning),
        EXC(UnicodeWarning), EXC(BytesWarning), EXC(EncodingWarning),
        EXC(ResourceWarning),
#undef EXC
    };
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (PyDict_SetItemString(d, table[i].name, *table[i].exc) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

/* --- internal-call errors, printing, import errors, fatal errors --------- */

static PyObject *
err_badinternalcall_function(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    (PyErr_BadInternalCall)();   /* the function, not the __FILE__ macro */
    return NULL;
}

/* Raise `exc` (an instance) and let PyErr_Print report it to sys.stderr. */
static PyObject *
err_print_exc(PyObject *Py_UNUSED(m), PyObject *exc)
{
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    PyErr_Print();
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("PyErr_Print left an exception");
    }
    Py_RETURN_NONE;
}

/* msg, name, path: None means NULL (all accepted by CPython). Returns the
 * raised exception (the API always returns NULL). */
static PyObject *
err_setimporterror(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *msg, *name, *path;
    if (!PyArg_ParseTuple(args, "OOO", &msg, &name, &path)) {
        return NULL;
    }
    NULLABLE(msg);
    NULLABLE(name);
    NULLABLE(path);
    if (PyErr_SetImportError(msg, name, path) != NULL) {
        PyErr_SetString(PyExc_AssertionError, "API returned non-NULL");
    }
    return NULL;
}

static PyObject *
err_setimporterrorsubclass(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *msg, *name, *path;
    if (!PyArg_ParseTuple(args, "OOOO", &exc, &msg, &name, &path)) {
        return NULL;
    }
    NULLABLE(msg);
    NULLABLE(name);
    NULLABLE(path);
    if (PyErr_SetImportErrorSubclass(exc, msg, name, path) != NULL) {
        PyErr_SetString(PyExc_AssertionError, "API returned non-NULL");
    }
    return NULL;
}

/* Both abort the process: only ever called in a child process. */
static PyObject *
err_fatalerror(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *msg;
    int with_func;
    if (!PyArg_ParseTuple(args, "sp", &msg, &with_func)) {
        return NULL;
    }
    if (with_func) {
        Py_FatalError(msg);          /* _Py_FatalErrorFunc(__func__, msg) */
    }
    (Py_FatalError)(msg);
}

/* _PyErr_FormatFromCause(exc, "%s (%d) %R", text, 42, obj) with the cause
 * set first: by PyErr_SetObject(cause_type, cause_value) when `call` is
 * None, else by calling `call` (a function that raises). CPython asserts an
 * error is set: never called without one. */
static PyObject *
err_formatfromcause(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *exc, *cause_type, *cause_value, *call, *obj;
    const char *text;
    if (!PyArg_ParseTuple(args, "OOOOsO", &exc, &cause_type, &cause_value, &call, &text, &obj)) {
        return NULL;
    }
    if (call == Py_None) {
        NULLABLE(cause_value);
        PyErr_SetObject(cause_type, cause_value);
    } else {
        PyObject *r = PyObject_CallNoArgs(call);
        if (r != NULL) {
            Py_DECREF(r);
            PyErr_SetString(PyExc_AssertionError, "the call did not raise");
            return NULL;
        }
    }
    PyObject *r = _PyErr_FormatFromCause(exc, "%s (%d) %R", text, 42, obj);
    if (r != NULL || !PyErr_Occurred()) {
        return ferrytest_missing_error("an error");
    }
    return NULL;
}

static PyMethodDef errors_methods[] = {
    {"err_setstring", err_setstring, METH_VARARGS, NULL},
    {"err_formatfromcause", err_formatfromcause, METH_VARARGS, NULL},
    {"err_setobject", err_setobject, METH_VARARGS, NULL},
    {"err_setnone", err_setnone, METH_O, NULL},
    {"err_nomemory", err_nomemory, METH_NOARGS, NULL},
    {"err_badargument", err_badargument, METH_NOARGS, NULL},
    {"err_badinternalcall", err_badinternalcall, METH_NOARGS, NULL},
    {"err_format", err_format, METH_VARARGS, NULL},
    {"err_formatv", err_formatv, METH_VARARGS, NULL},
    {"err_occurred", err_occurred, METH_NOARGS, NULL},
    {"err_occurred_after", err_occurred_after, METH_O, NULL},
    {"err_clear", err_clear, METH_NOARGS, NULL},
    {"err_exceptionmatches", err_exceptionmatches, METH_VARARGS, NULL},
    {"err_givenexceptionmatches", err_givenexceptionmatches, METH_VARARGS, NULL},
    {"err_set_and_fetch", err_set_and_fetch, METH_VARARGS, NULL},
    {"err_set_fetch_normalize", err_set_fetch_normalize, METH_VARARGS, NULL},
    {"err_fetch_nothing", err_fetch_nothing, METH_NOARGS, NULL},
    {"err_normalize", err_normalize, METH_VARARGS, NULL},
    {"err_restore", err_restore, METH_VARARGS, NULL},
    {"err_fetch_restore_roundtrip", err_fetch_restore_roundtrip, METH_O, NULL},
    {"err_getexcinfo", err_getexcinfo, METH_NOARGS, NULL},
    {"err_setexcinfo", err_setexcinfo, METH_VARARGS, NULL},
    {"err_excinfo_sequence", err_excinfo_sequence, METH_VARARGS, NULL},
    {"err_gethandledexception", err_gethandledexception, METH_NOARGS, NULL},
    {"err_setfromerrno", err_setfromerrno, METH_VARARGS, NULL},
    {"err_setfromerrnowithfilename", err_setfromerrnowithfilename, METH_VARARGS, NULL},
    {"err_setfromerrnowithfilenameobject", err_setfromerrnowithfilenameobject,
     METH_VARARGS, NULL},
    {"err_setfromerrnowithfilenameobjects", err_setfromerrnowithfilenameobjects,
     METH_VARARGS, NULL},
    {"errno_values", errno_values, METH_NOARGS, NULL},
    {"err_newexception", err_newexception, METH_VARARGS, NULL},
    {"err_newexceptionwithdoc", err_newexceptionwithdoc, METH_VARARGS, NULL},
    {"err_warnex", err_warnex, METH_VARARGS, NULL},
    {"err_warnformat", err_warnformat, METH_VARARGS, NULL},
    {"err_warnexplicit", err_warnexplicit, METH_VARARGS, NULL},
    {"err_writeunraisable", err_writeunraisable, METH_VARARGS, NULL},
    {"err_print", err_print, METH_VARARGS, NULL},
    {"err_checksignals", err_checksignals, METH_NOARGS, NULL},
    {"exception_getparts", exception_getparts, METH_O, NULL},
    {"exception_setcause", exception_setcause, METH_VARARGS, NULL},
    {"exception_setcontext", exception_setcontext, METH_VARARGS, NULL},
    {"exception_settraceback", exception_settraceback, METH_VARARGS, NULL},
    {"exception_objects", exception_objects, METH_NOARGS, NULL},
    {"err_badinternalcall_function", err_badinternalcall_function, METH_NOARGS, NULL},
    {"err_print_exc", err_print_exc, METH_O, NULL},
    {"err_setimporterror", err_setimporterror, METH_VARARGS, NULL},
    {"err_setimporterrorsubclass", err_setimporterrorsubclass, METH_VARARGS, NULL},
    {"err_fatalerror", err_fatalerror, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_errors(PyObject *m)
{
    return PyModule_AddFunctions(m, errors_methods);
}
