// Cycles across the boundary (docs/lifetime.md, "Cycles").
//
// A native object of a GC type that holds a proxy keeps the proxy's managed
// object alive through a handle, which is a root of the host's collector: a
// cycle native object -> proxy -> managed object -> wrapper -> native object
// is never collected by the host alone. The boundary collection finds, with
// CPython's trial deletion over the tracked native objects (tp_traverse) and
// the proxies they reach, the proxies that only wrapper-held native objects
// keep; it moves their roots into the wrappers (a traced field), lets the host
// collect, and puts the roots back for what survived. The C objects left in
// cycles of their own after that are cleared as CPython's collector clears
// them (tp_finalize, then tp_clear).
#pragma once
#include <Python.h>

namespace ferry::cycles {

// PyObject_GC_Track & co.: the set of tracked native objects.
void track(PyObject *o);
void untrack(PyObject *o);
bool is_tracked(PyObject *o);

// One boundary collection, with a full collection of the host in its middle;
// the number of C objects found unreachable. Only with no C code running (no
// call into the layer active): C frames hold references the graph cannot see.
Py_ssize_t collect();

// Whether one is due without gc.collect(): when the objects tracked since the
// last one reach a quarter of those tracked, and at least kAutomatic (as
// CPython's full collections wait for the young to be a quarter of the old).
// Run at the end of the outermost call into the layer (bridge.cpp).
constexpr Py_ssize_t kAutomatic = 10000;
extern bool g_due;

} // namespace ferry::cycles
