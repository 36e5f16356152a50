// Iterators (Objects/iterobject.c): PySeqIter_New.
//
// The iterator is made on the host (python/ferry/_support.py, class
// `iterator`, CPython's type name): it asks seq[0], seq[1], ... and ends at
// the first IndexError or StopIteration, whatever __iter__ the sequence has,
// as CPython's seqiterobject does through PySequence_GetItem.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "iterobject"

PyObject *PySeqIter_New(PyObject *seq) {
    FERRY_API;
    if (!PySequence_Check(seq)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    static PyObject *make = nullptr;   // _support.seq_iter, kept
    if (!make && !(make = ferry::import_attr("ferry._support", "seq_iter")))
        return nullptr;
    return PyObject_CallOneArg(make, seq);
}
