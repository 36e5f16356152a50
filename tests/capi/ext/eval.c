/* Threads and the interpreter loop: PyEval_SaveThread / RestoreThread (and
 * the Py_BEGIN/END_ALLOW_THREADS macros over them), PyGILState_*, the
 * PyEval_Get* accessors and PyRun_String, from Python/ceval.c,
 * Python/pystate.c and Python/pythonrun.c.
 *
 * Mirrors CPython's Modules/_testcapi threading helpers. Waits are bounded,
 * so a layer that does not release the GIL makes a test fail, not hang.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "ferrytest.h"

static atomic_int flag;

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static PyObject *
eval_clear_flag(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    atomic_store(&flag, 0);
    Py_RETURN_NONE;
}

/* Called from another Python thread while the main one waits without the
 * GIL: this can only run if the GIL was really released. */
static PyObject *
eval_set_flag(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    atomic_store(&flag, 1);
    Py_RETURN_NONE;
}

/* PyEval_SaveThread, poll the flag for up to timeout_ms, RestoreThread.
 * Returns whether the flag was seen. */
static PyObject *
eval_wait_without_gil(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long timeout_ms = PyLong_AsLong(arg);
    if (timeout_ms == -1 && PyErr_Occurred()) {
        return NULL;
    }
    int seen = 0;
    PyThreadState *ts = PyEval_SaveThread();
    for (long waited = 0; waited <= timeout_ms; waited += 5) {
        if (atomic_load(&flag)) {
            seen = 1;
            break;
        }
        sleep_ms(5);
    }
    PyEval_RestoreThread(ts);
    return PyBool_FromLong(seen);
}

/* The same through the macros, with a plain sleep. */
static PyObject *
eval_allow_threads_sleep(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long ms = PyLong_AsLong(arg);
    if (ms == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    sleep_ms(ms);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* The thread state saved and restored is the one current before. */
static PyObject *
eval_threadstate_roundtrip(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyThreadState *before = PyThreadState_Get();
    PyThreadState *saved = PyEval_SaveThread();
    PyEval_RestoreThread(saved);
    PyThreadState *after = PyThreadState_Get();
    return Py_BuildValue("(ii)", before == saved, after == before);
}

/* --- PyGILState from threads Python does not know about ---------------- */

typedef struct {
    PyObject *callable;
    long index;
    PyObject *result;      /* new reference, or NULL */
    PyObject *error;       /* the exception instance when result is NULL */
    int check_before;      /* PyGILState_Check() before Ensure */
    int check_inside;
    int nested_state;      /* what a nested Ensure returned */
} thread_job;

static void *
thread_main(void *p)
{
    thread_job *job = p;
    job->check_before = PyGILState_Check();
    PyGILState_STATE st = PyGILState_Ensure();
    job->check_inside = PyGILState_Check();

    /* A nested Ensure in the same thread is allowed and must report that
     * the GIL was already held. */
    PyGILState_STATE nested = PyGILState_Ensure();
    job->nested_state = (nested == PyGILState_LOCKED);
    PyGILState_Release(nested);

    job->result = PyObject_CallFunction(job->callable, "l", job->index);
    if (job->result == NULL) {
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        PyErr_NormalizeException(&t, &v, &tb);
        job->error = v;
        Py_XDECREF(t);
        Py_XDECREF(tb);
    }
    PyGILState_Release(st);
    return NULL;
}

/* Start n native threads; each calls callable(i) under PyGILState_Ensure.
 * Returns a list of (result or exception, check_before, check_inside,
 * nested_was_locked). */
static PyObject *
gilstate_threads(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &callable, &n)) {
        return NULL;
    }
    if (n < 1 || n > 16) {
        PyErr_SetString(PyExc_ValueError, "1 to 16 threads");
        return NULL;
    }
    thread_job jobs[16];
    pthread_t tids[16];
    int started = 0;
    for (int i = 0; i < n; i++) {
        jobs[i] = (thread_job){callable, i, NULL, NULL, -1, -1, -1};
    }
    Py_BEGIN_ALLOW_THREADS
    for (; started < n; started++) {
        if (pthread_create(&tids[started], NULL, thread_main, &jobs[started]) != 0) {
            break;
        }
    }
    for (int i = 0; i < started; i++) {
        pthread_join(tids[i], NULL);
    }
    Py_END_ALLOW_THREADS
    PyObject *out = PyList_New(0);
    for (int i = 0; i < started; i++) {
        PyObject *value = jobs[i].result ? jobs[i].result : jobs[i].error;
        if (out != NULL) {
            PyObject *item = Py_BuildValue("(Oiii)", value ? value : Py_None,
                                           jobs[i].check_before,
                                           jobs[i].check_inside,
                                           jobs[i].nested_state);
            if (item == NULL || PyList_Append(out, item) < 0) {
                Py_CLEAR(out);
            }
            Py_XDECREF(item);
        }
        Py_XDECREF(jobs[i].result);
        Py_XDECREF(jobs[i].error);
    }
    if (out != NULL && started < n) {
        Py_CLEAR(out);
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
    }
    return out;
}

/* Ensure/Release on the thread that already holds the GIL. */
static PyObject *
gilstate_nested_main(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    int check = PyGILState_Check();
    PyGILState_STATE st = PyGILState_Ensure();
    int locked = (st == PyGILState_LOCKED);
    PyThreadState *mine = PyGILState_GetThisThreadState();
    int same = (mine == PyThreadState_Get());
    PyGILState_Release(st);
    return Py_BuildValue("(iii)", check, locked, same);
}

/* --- PyEval_Get* ------------------------------------------------------- */

static PyObject *
eval_getbuiltins(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return ferrytest_borrowed_or_null(PyEval_GetBuiltins());
}

/* The globals of the calling Python frame. */
static PyObject *
eval_getglobals(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return ferrytest_borrowed_or_null(PyEval_GetGlobals());
}

static PyObject *
eval_getfuncname(PyObject *Py_UNUSED(m), PyObject *func)
{
    return Py_BuildValue("(ss)", PyEval_GetFuncName(func),
                         PyEval_GetFuncDesc(func));
}

/* A per-thread dict, the same object on every call from one thread. */
static PyObject *
threadstate_getdict(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return ferrytest_borrowed_or_null(PyThreadState_GetDict());
}

/* PyRun_String(code, start, globals, locals): start is "eval", "exec" or
 * "single". locals None means the globals. */
static PyObject *
run_string(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *code, *mode;
    PyObject *globals, *locals;
    if (!PyArg_ParseTuple(args, "ssO!O", &code, &mode, &PyDict_Type, &globals,
                          &locals)) {
        return NULL;
    }
    if (locals == Py_None) {
        locals = globals;
    }
    int start = strcmp(mode, "eval") == 0 ? Py_eval_input
              : strcmp(mode, "exec") == 0 ? Py_file_input
              : Py_single_input;
    return PyRun_String(code, start, globals, locals);
}

/* Py_CompileString + PyEval_EvalCode. */
static PyObject *
compile_and_eval(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *code;
    PyObject *globals;
    if (!PyArg_ParseTuple(args, "sO!", &code, &PyDict_Type, &globals)) {
        return NULL;
    }
    PyObject *co = Py_CompileString(code, "<ferrytest-eval>", Py_eval_input);
    if (co == NULL) {
        return NULL;
    }
    PyObject *r = PyEval_EvalCode(co, globals, globals);
    Py_DECREF(co);
    return r;
}

/* args and kwargs None mean NULL (accepted). Deprecated since 3.9. */
static PyObject *
eval_callobjectwithkeywords(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *cargs, *ckwargs;
    if (!PyArg_ParseTuple(args, "OOO", &callable, &cargs, &ckwargs)) {
        return NULL;
    }
    NULLABLE(cargs);
    NULLABLE(ckwargs);
_Pragma("GCC diagnostic push")
_Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
    return PyEval_CallObjectWithKeywords(callable, cargs, ckwargs);
_Pragma("GCC diagnostic pop")
}

/* (same as PyThreadState_Get() while holding the GIL,
 *  NULL while the GIL is released) */
static PyObject *
eval_threadstate_uncheckedget(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyThreadState *held = _PyThreadState_UncheckedGet();
    int same = held == PyThreadState_Get();
    PyThreadState *released;
    Py_BEGIN_ALLOW_THREADS
    released = _PyThreadState_UncheckedGet();
    Py_END_ALLOW_THREADS
    return Py_BuildValue("(ii)", same, released == NULL);
}

static PyMethodDef eval_methods[] = {
    {"eval_clear_flag", eval_clear_flag, METH_NOARGS, NULL},
    {"eval_set_flag", eval_set_flag, METH_NOARGS, NULL},
    {"eval_wait_without_gil", eval_wait_without_gil, METH_O, NULL},
    {"eval_allow_threads_sleep", eval_allow_threads_sleep, METH_O, NULL},
    {"eval_threadstate_roundtrip", eval_threadstate_roundtrip, METH_NOARGS, NULL},
    {"gilstate_threads", gilstate_threads, METH_VARARGS, NULL},
    {"gilstate_nested_main", gilstate_nested_main, METH_NOARGS, NULL},
    {"eval_getbuiltins", eval_getbuiltins, METH_NOARGS, NULL},
    {"eval_getglobals", eval_getglobals, METH_NOARGS, NULL},
    {"eval_getfuncname", eval_getfuncname, METH_O, NULL},
    {"threadstate_getdict", threadstate_getdict, METH_NOARGS, NULL},
    {"run_string", run_string, METH_VARARGS, NULL},
    {"compile_and_eval", compile_and_eval, METH_VARARGS, NULL},
    {"eval_callobjectwithkeywords", eval_callobjectwithkeywords, METH_VARARGS, NULL},
    {"eval_threadstate_uncheckedget", eval_threadstate_uncheckedget, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_eval(PyObject *m)
{
    return PyModule_AddFunctions(m, eval_methods);
}
