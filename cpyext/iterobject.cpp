// Iterators (Objects/iterobject.c): PySeqIter_New; and the iterators of
// lists and tuples (listobject.c, tupleobject.c), which share a layout.
//
// PyObject_GetIter on an exact list or a tuple makes the iterator in C:
// PyIter_Next reads the items C has, as CPython's does, with no host call
// (simplejson walks PyDict_Items' list so). For a list that crossed, those
// are the host's as long as no Python code ran since they were read
// (host::code_epoch); after that, each step checks the size and the item
// against the host's (two host calls that run no code, against `next()` and
// a proxy for each item), and a list Python changed is read again. When the
// iterator crosses, the host's iterator over the sequence, at its place,
// takes over.
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

namespace {

// CPython's _PyListIterObject and tupleiterobject.
struct SeqIter {
    PyObject_HEAD
    Py_ssize_t it_index;
    PyObject *it_seq;   // null once exhausted
    // (the layer's) over a proxied list: the code_epoch at which its items
    // were known to be the host's; 0 otherwise.
    uint64_t seen;
    bool proxied_list;
};

} // namespace

namespace ferry {

PyObject *seqiter_new(PyObject *seq) {
    PyTypeObject *type = PyList_CheckExact(seq) ? &PyListIter_Type : &PyTupleIter_Type;
    auto *it = reinterpret_cast<SeqIter *>(alloc_object(type, sizeof(SeqIter)));
    if (!it)
        return nullptr;
    it->it_seq = Py_NewRef(seq);
    if (PyList_CheckExact(seq) && header_of(seq)->managed) {
        it->proxied_list = true;
        it->seen = list_items_fresh(seq) ? host::code_epoch : 0;
    }
    return reinterpret_cast<PyObject *>(it);
}

PyObject *seqiter_next(PyObject *o, bool *done) {
    *done = !header_of(o)->managed;   // (once crossed, the host's iterator answers)
    if (!*done)
        return nullptr;
    auto *it = reinterpret_cast<SeqIter *>(o);
    if (!it->it_seq)
        return nullptr;
    PyObject *seq = it->it_seq;
    if (it->proxied_list && it->seen != host::code_epoch) {
        int current = list_items_current(seq, it->it_index);
        if (current < 0)
            return nullptr;   // (the error)
        if (current == 0)
            it->seen = host::code_epoch;
    }
    if (it->it_index < Py_SIZE(seq))   // (a list's items or a tuple's)
        return Py_NewRef(PySequence_Fast_ITEMS(seq)[it->it_index++]);
    it->it_seq = nullptr;
    Py_DECREF(seq);
    return nullptr;
}

host::Handle seqiter_to_host(PyObject *o) {
    auto *it = reinterpret_cast<SeqIter *>(o);
    host::Handle seq = it->it_seq ? handle_of(it->it_seq) : host::borrowed(host::Builtin::empty_tuple);
    host::Handle r = seq ? host::call_helper(host::Helper::iter, {seq}) : host::Handle{};
    if (r && it->it_index) {
        host::Handle index = host::long_from(it->it_index);
        host::Handle set = index ? host::getattr_s(r, "__setstate__") : host::Handle{};
        host::Handle done = set ? host::call_with(set, {index}) : host::Handle{};
        host::close(set);
        host::close(index);
        if (!done) {
            host::close(r);
            return {};
        }
        host::close(done);
    }
    return r;
}

void seqiter_release(PyObject *o) { Py_CLEAR(reinterpret_cast<SeqIter *>(o)->it_seq); }

} // namespace ferry

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
