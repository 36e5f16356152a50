/* Locks and thread identities of Python/thread.c (thread_pthread.h):
 * PyThread_allocate_lock, PyThread_free_lock, PyThread_acquire_lock,
 * PyThread_acquire_lock_timed, PyThread_release_lock,
 * PyThread_get_thread_ident, PyThread_get_thread_native_id.
 *
 * A lock reaches Python as a capsule whose destructor frees it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>

#include <pthread.h>
#include <time.h>

#include "ferrytest.h"

#define LOCK_CAPSULE "_ferrytest.lock"

static void
lock_capsule_free(PyObject *capsule)
{
    PyThread_free_lock(PyCapsule_GetPointer(capsule, LOCK_CAPSULE));
}

static PyThread_type_lock
lock_of(PyObject *capsule)
{
    return PyCapsule_GetPointer(capsule, LOCK_CAPSULE);
}

static PyObject *
thread_lock_new(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyThread_type_lock lock = PyThread_allocate_lock();
    if (lock == NULL) {
        return PyErr_NoMemory();   /* NULL without an exception, as CPython */
    }
    PyObject *c = PyCapsule_New(lock, LOCK_CAPSULE, lock_capsule_free);
    if (c == NULL) {
        PyThread_free_lock(lock);
    }
    return c;
}

/* PyThread_acquire_lock(lock, waitflag): 1 acquired, 0 not. */
static PyObject *
thread_lock_acquire(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *c;
    int waitflag;
    if (!PyArg_ParseTuple(args, "Oi", &c, &waitflag)) {
        return NULL;
    }
    PyThread_type_lock lock = lock_of(c);
    if (lock == NULL) {
        return NULL;
    }
    int r;
    Py_BEGIN_ALLOW_THREADS
    r = PyThread_acquire_lock(lock, waitflag);
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(r);
}

/* PyThread_acquire_lock_timed(lock, microseconds, intr_flag): the
 * PyLockStatus, and the seconds waited. */
static PyObject *
thread_lock_acquire_timed(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *c;
    long long us;
    int intr;
    if (!PyArg_ParseTuple(args, "OLi", &c, &us, &intr)) {
        return NULL;
    }
    PyThread_type_lock lock = lock_of(c);
    if (lock == NULL) {
        return NULL;
    }
    struct timespec t0, t1;
    PyLockStatus r;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    Py_BEGIN_ALLOW_THREADS
    r = PyThread_acquire_lock_timed(lock, (PY_TIMEOUT_T)us, intr);
    Py_END_ALLOW_THREADS
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    return Py_BuildValue("(id)", (int)r, waited);
}

static PyObject *
thread_lock_release(PyObject *Py_UNUSED(m), PyObject *c)
{
    PyThread_type_lock lock = lock_of(c);
    if (lock == NULL) {
        return NULL;
    }
    PyThread_release_lock(lock);
    Py_RETURN_NONE;
}

static void *
release_later(void *lock)
{
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    PyThread_release_lock(lock);
    return NULL;
}

/* A lock held here is released by another C thread (no Python in it) 20 ms
 * later, while this thread blocks in PyThread_acquire_lock(lock, 1): the
 * result of that acquire, then of a try that must fail. */
static PyObject *
thread_lock_cross_release(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyThread_type_lock lock = PyThread_allocate_lock();
    if (lock == NULL) {
        return PyErr_NoMemory();
    }
    int first = PyThread_acquire_lock(lock, 1);
    pthread_t t;
    if (pthread_create(&t, NULL, release_later, lock) != 0) {
        PyThread_free_lock(lock);
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return NULL;
    }
    int second, third;
    Py_BEGIN_ALLOW_THREADS
    second = PyThread_acquire_lock(lock, 1);
    pthread_join(t, NULL);
    third = PyThread_acquire_lock(lock, 0);
    Py_END_ALLOW_THREADS
    PyThread_release_lock(lock);
    PyThread_free_lock(lock);
    return Py_BuildValue("(iii)", first, second, third);
}

static PyObject *
thread_get_ident(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromUnsignedLong(PyThread_get_thread_ident());
}

static PyObject *
thread_get_native_id(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromUnsignedLong(PyThread_get_thread_native_id());
}

static PyMethodDef pythread_methods[] = {
    {"thread_lock_new", thread_lock_new, METH_NOARGS, NULL},
    {"thread_lock_acquire", thread_lock_acquire, METH_VARARGS, NULL},
    {"thread_lock_acquire_timed", thread_lock_acquire_timed, METH_VARARGS, NULL},
    {"thread_lock_release", thread_lock_release, METH_O, NULL},
    {"thread_lock_cross_release", thread_lock_cross_release, METH_NOARGS, NULL},
    {"thread_get_ident", thread_get_ident, METH_NOARGS, NULL},
    {"thread_get_native_id", thread_get_native_id, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_pythread(PyObject *m)
{
    return PyModule_AddFunctions(m, pythread_methods);
}
