/* Thread and interpreter states, from Python/pystate.c:
 * PyInterpreterState_Main and PyThreadState_GetFrame.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>

#include "ferrytest.h"

/* (PyInterpreterState_GetID(main), main is the current thread state's interp) */
static PyObject *
interp_main(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyInterpreterState *interp = PyInterpreterState_Main();
    if (interp == NULL) {
        return ferrytest_missing_error("an interpreter state");
    }
    int64_t id = PyInterpreterState_GetID(interp);
    if (id == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return Py_BuildValue("(Li)", (long long)id, interp == PyThreadState_Get()->interp);
}

/* PyThreadState_GetFrame(PyThreadState_Get()): the calling Python frame, a
 * new reference; the NULL sentinel when there is none. The error indicator
 * is kept: a pending ValueError is still there afterwards. */
static PyObject *
threadstate_getframe(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyErr_SetString(PyExc_ValueError, "pending");
    PyFrameObject *f = PyThreadState_GetFrame(PyThreadState_Get());
    if (!PyErr_ExceptionMatches(PyExc_ValueError)) {
        Py_XDECREF(f);
        return ferrytest_missing_error("the pending ValueError");
    }
    PyErr_Clear();
    if (f == NULL) {
        return Py_NewRef(ferrytest_null);
    }
    return (PyObject *)f;
}

/* The calling thread's state, as a capsule (for threadstate_getframe_of,
 * called while that thread is alive). */
static PyObject *
threadstate_current(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyCapsule_New(PyThreadState_Get(), "ferrytest.tstate", NULL);
}

/* PyThreadState_GetFrame of another thread's state: that thread's current
 * frame, or the NULL sentinel. */
static PyObject *
threadstate_getframe_of(PyObject *Py_UNUSED(m), PyObject *capsule)
{
    PyThreadState *ts = PyCapsule_GetPointer(capsule, "ferrytest.tstate");
    if (ts == NULL) {
        return NULL;
    }
    PyFrameObject *f = PyThreadState_GetFrame(ts);
    if (PyErr_Occurred()) {
        Py_XDECREF(f);
        return NULL;
    }
    if (f == NULL) {
        return Py_NewRef(ferrytest_null);
    }
    return (PyObject *)f;
}

/* A thread made in C, running no Python code: PyThreadState_GetFrame of its
 * own state is NULL. */
static int c_thread_frame_result = -1;

static void *
c_thread_main(void *Py_UNUSED(arg))
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyFrameObject *f = PyThreadState_GetFrame(PyThreadState_Get());
    c_thread_frame_result = f == NULL ? (PyErr_Occurred() ? 2 : 0) : 1;
    Py_XDECREF(f);
    PyErr_Clear();
    PyGILState_Release(g);
    return NULL;
}

/* 0: NULL without an error, 1: a frame, 2: NULL with an error. */
static PyObject *
threadstate_getframe_c_thread(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    pthread_t t;
    c_thread_frame_result = -1;
    int err;
    Py_BEGIN_ALLOW_THREADS
    err = pthread_create(&t, NULL, c_thread_main, NULL);
    if (err == 0) {
        pthread_join(t, NULL);
    }
    Py_END_ALLOW_THREADS
    if (err != 0) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return NULL;
    }
    return PyLong_FromLong(c_thread_frame_result);
}

static PyMethodDef pystate_methods[] = {
    {"interp_main", interp_main, METH_NOARGS, NULL},
    {"threadstate_getframe", threadstate_getframe, METH_NOARGS, NULL},
    {"threadstate_current", threadstate_current, METH_NOARGS, NULL},
    {"threadstate_getframe_of", threadstate_getframe_of, METH_O, NULL},
    {"threadstate_getframe_c_thread", threadstate_getframe_c_thread, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_pystate(PyObject *m)
{
    return PyModule_AddFunctions(m, pystate_methods);
}
