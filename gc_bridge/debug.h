// Debug mode (FERRY_DEBUG) and stress mode (FERRY_STRESS): see
// docs/lifetime.md, "Debug and stress modes".
//
// Debug mode keeps a record of every block the layer hands out (objects and
// PyMem/PyObject_Malloc memory): its size and where it was made (the API
// function and the extension's code that called it). A freed block is not
// returned to the heap at once but poisoned and kept in a bounded quarantine:
// an object's type becomes `dead_type`, whose slots report, and its refcount
// 1, so that the Py_DECREF macro of an extension on a freed object reaches
// _Py_Dealloc and the report. At exit (python/ferry/_debug.py) the layer
// names the objects nobody references any more (leaks).
//
// Stress mode drops, at every return of the outermost call into the layer
// and after every call C makes to the host, what the layer caches without C
// owning it, and makes the host collect, so that managed objects move and
// objects only the host's garbage kept alive die.
//
// Both flags are read once, when the layer is initialized. When they are off
// the only cost is a not-taken branch in the allocation and free paths.
#pragma once
#include <Python.h>

#include <cstddef>
#include <string>

#include "proxies/proxy.h"

namespace ferry::debug {

extern bool enabled;   // FERRY_DEBUG
extern bool stress;    // FERRY_STRESS

void init_from_env();

// The type of every object in quarantine.
extern PyTypeObject dead_type;
inline bool is_dead(PyObject *o) { return Py_TYPE(o) == &dead_type; }

// Call these only under `if (debug::enabled) [[unlikely]]`.
void allocated(void *payload, size_t size);      // a block left alloc_block
void object_made(PyObject *o);                   // the block is an object (alloc_object)
bool quarantine(void *payload);                  // free_block: true when the block was kept
void *moved(void *payload, size_t size);         // realloc_block: always a new address
void layer_holds(PyObject *o);                   // the layer keeps o for good (not a leak)
// Memory of the layer outside blocks (heap types, thread states) whose
// references count as the layer's own (for the leak report). No-ops when off.
void root_range(const void *p, size_t size);
void root_range_gone(const void *p);

// The container (tuple, list, dict) releasing its items (object_dealloc): an
// item freed meanwhile was owned by it, so a borrowed reference to it is dead.
extern PyObject *releasing;

// A freed object reached an API function: SystemError naming it (and a
// report on stderr); returns null.
void dead_object_error(PyObject *o);

// Reports made so far (uses of freed objects, refcount underflows).
long reports();
// Live objects nothing references any more, by type and by where they were
// made (at most `max_lines` lines); empty when there are none.
std::string leak_report(int max_lines);

// Stress mode: at the return of the outermost call into the layer, and after
// each call C makes to the host.
void stress_point();

} // namespace ferry::debug
