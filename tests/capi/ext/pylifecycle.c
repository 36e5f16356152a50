/* PyOS_setsig and PyOS_getsig, from Python/pylifecycle.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <signal.h>

#include "ferrytest.h"

static volatile sig_atomic_t received = 0;

static void
on_signal(int sig)
{
    received = sig;
}

/* Installs on_signal for `sig`, raises the signal, puts the old handler
 * back. -> (old handler was SIG_DFL, was SIG_IGN, the signal reached
 * on_signal, putting back returned on_signal, sa_flags of the installed
 * handler among SA_ONSTACK|SA_RESTART|SA_SIGINFO|SA_NODEFER|SA_RESETHAND,
 * the handler after putting back is the old one). Only for signals whose
 * default is harmless to replace for a moment (SIGUSR1, SIGUSR2). */
static PyObject *
os_setsig_roundtrip(PyObject *Py_UNUSED(m), PyObject *arg)
{
    int sig = _PyLong_AsInt(arg);
    if (sig == -1 && PyErr_Occurred()) {
        return NULL;
    }
    received = 0;
    PyOS_sighandler_t old = PyOS_setsig(sig, on_signal);
    if (old == SIG_ERR) {
        PyErr_SetFromErrno(PyExc_OSError);
        return NULL;
    }
    struct sigaction now;
    sigaction(sig, NULL, &now);
    int flags = now.sa_flags & (SA_ONSTACK | SA_RESTART | SA_SIGINFO | SA_NODEFER | SA_RESETHAND);
    raise(sig);
    PyOS_sighandler_t back = PyOS_setsig(sig, old);
    struct sigaction after;
    sigaction(sig, NULL, &after);
    return Py_BuildValue("(iiiiii)", old == SIG_DFL, old == SIG_IGN, received == sig,
                         back == on_signal, flags, after.sa_handler == old);
}

/* PyOS_setsig on a signal number sigaction refuses: (SIG_ERR returned,
 * errno is EINVAL). */
static PyObject *
os_setsig_invalid(PyObject *Py_UNUSED(m), PyObject *arg)
{
    int sig = _PyLong_AsInt(arg);
    if (sig == -1 && PyErr_Occurred()) {
        return NULL;
    }
    errno = 0;
    PyOS_sighandler_t r = PyOS_setsig(sig, on_signal);
    int einval = errno == EINVAL;
    if (r != SIG_ERR) {
        PyOS_setsig(sig, r);
    }
    return Py_BuildValue("(ii)", r == SIG_ERR, einval);
}

/* PyOS_getsig around PyOS_setsig: (before was SIG_DFL, was SIG_IGN, after
 * setting on_signal getsig returns it, after putting back getsig returns the
 * old one). Only for SIGUSR1, SIGUSR2. */
static PyObject *
os_getsig_roundtrip(PyObject *Py_UNUSED(m), PyObject *arg)
{
    int sig = _PyLong_AsInt(arg);
    if (sig == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyOS_sighandler_t before = PyOS_getsig(sig);
    if (before == SIG_ERR) {
        PyErr_SetFromErrno(PyExc_OSError);
        return NULL;
    }
    PyOS_sighandler_t old = PyOS_setsig(sig, on_signal);
    PyOS_sighandler_t during = PyOS_getsig(sig);
    PyOS_setsig(sig, old);
    PyOS_sighandler_t after = PyOS_getsig(sig);
    return Py_BuildValue("(iiiii)", before == SIG_DFL, before == SIG_IGN, during == on_signal,
                         after == before, old == before);
}

/* PyOS_getsig of a signal number: (SIG_ERR returned, errno is EINVAL,
 * SIG_DFL returned, SIG_IGN returned). */
static PyObject *
os_getsig(PyObject *Py_UNUSED(m), PyObject *arg)
{
    int sig = _PyLong_AsInt(arg);
    if (sig == -1 && PyErr_Occurred()) {
        return NULL;
    }
    errno = 0;
    PyOS_sighandler_t r = PyOS_getsig(sig);
    return Py_BuildValue("(iiii)", r == SIG_ERR, errno == EINVAL, r == SIG_DFL, r == SIG_IGN);
}

/* The SA_* constants the roundtrip reports, for the test. */
static PyObject *
os_sa_flags(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("{sisisisisi}", "SA_ONSTACK", SA_ONSTACK, "SA_RESTART", SA_RESTART,
                         "SA_SIGINFO", SA_SIGINFO, "SA_NODEFER", SA_NODEFER,
                         "SA_RESETHAND", SA_RESETHAND);
}

static PyMethodDef pylifecycle_methods[] = {
    {"os_setsig_roundtrip", os_setsig_roundtrip, METH_O, NULL},
    {"os_setsig_invalid", os_setsig_invalid, METH_O, NULL},
    {"os_sa_flags", os_sa_flags, METH_NOARGS, NULL},
    {"os_getsig_roundtrip", os_getsig_roundtrip, METH_O, NULL},
    {"os_getsig", os_getsig, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_pylifecycle(PyObject *m)
{
    return PyModule_AddFunctions(m, pylifecycle_methods);
}
