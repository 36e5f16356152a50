// Shared declarations of the C API families (cpyext/*.cpp). Each function is
// defined in the file of its family; this header only lets families and the
// proxies call each other.
#pragma once
#include <Python.h>

#include <vector>

#include <initializer_list>
#include <string>
#include "structmember.h"

#include "host/host.h"
#include "proxies/proxy.h"

namespace ferry {

// errors.cpp
void move_host_error_to_c();          // host's pending error -> C indicator
void move_c_error_to_host();          // C indicator -> host's pending error
PyObject *null_with_host_error();     // move_host_error_to_c(); return nullptr
int minus_one_with_host_error();

// The common shapes of a forwarded call: borrow handles, call, bring back.
inline PyObject *result(host::Handle h) { return from_host_steal(h); }
inline int status(int r) { return r < 0 ? minus_one_with_host_error() : r; }

// import.cpp: Python-level helpers, reached through the import system.
PyObject *import_attr(const char *module, const char *name);   // new ref: module.name
// module.func(*args), the arguments passed as they are (unlike a "O" format,
// a single tuple is not spread).
PyObject *call_module(const char *module, const char *func, std::initializer_list<PyObject *> args);

// errors.cpp: the host's handled exception (sys.exc_info()) as C last saw it
// in the call from the host numbered `entry`; `value` owned, Py_None for none.
// pystate.cpp: whether more than one thread ever used the C API (each may run
// Python code while another holds a copy of a container).
bool several_threads();

// Per thread, one per depth of calls (pystate.cpp): null past kDepthSlots.
struct HandledSeen {
    uint64_t entry = 0;
    PyObject *value = nullptr;
};
HandledSeen *handled_seen();
HandledSeen *handled_seen_all();   // the thread's kDepthSlots records

// object.cpp
PyObject *call_dunder(PyObject *o, const char *name, PyObject *arg = nullptr, PyObject *arg2 = nullptr);
int has_dunder(PyObject *o, const char *name);
host::Handle static_singleton_handle(PyObject *o);
host::Handle native_wrapper_of(PyObject *o, host::Handle cls);

// longobject.cpp
PyObject *long_from_int64(long long v, PyTypeObject *type);
PyObject *long_from_magnitude(const unsigned char *le_bytes, Py_ssize_t n, bool negative,
                              PyTypeObject *type);
PyObject *api_long_from_int64(long long v);   // an exact int, small ones cached
host::Handle long_to_host(PyObject *o);

// unicodeobject.cpp
PyObject *unicode_from_utf8_trusted(const char *s, Py_ssize_t n, PyTypeObject *type);
PyObject *unicode_from_ucs4(const Py_UCS4 *s, Py_ssize_t n, PyTypeObject *type);
host::Handle unicode_to_host(PyObject *o);
void unicode_release(PyObject *o);
PyObject *unicode_singleton(int c);   // new ref: the str of latin-1 code point c, or "" for -1

// bytesobject.cpp
PyObject *bytes_from_data(const char *s, Py_ssize_t n, PyTypeObject *type);

// tupleobject.cpp / listobject.cpp / dictobject.cpp
PyObject *tuple_alloc(PyTypeObject *type, Py_ssize_t n);
PyObject *list_alloc(PyTypeObject *type, Py_ssize_t n);
int list_refresh(PyObject *list, host::Handle h);
host::Handle list_to_host(PyObject *o, bool transient = false);
void list_clear_items(PyObject *o);
int refresh_container(PyObject *o, host::Handle h);
// dictobject.cpp: a dict's (and a set's) borrowed references, released with
// it. borrowed_next: PyDict_Next's and _PySet_NextEntry's walk, `width`
// objects per entry (2: key and value, 1: a set's key) from a snapshot taken
// when *pos is 0; each held while the container holds its object. 0 at the end.
void dict_release(PyObject *o);
// A dict PyDict_New made lives in C until it crosses (kPendingDict): its
// managed dict then (build_managed; transient: result_handle's).
host::Handle dict_to_host(PyObject *d, bool transient);
// The references a dict's (or a set's) C side holds: a pending dict's items,
// the borrowed references and PyDict_Next's items a proxy holds.
void dict_visit(PyObject *d, visitproc visit, void *arg);
int borrowed_next(PyObject *c, Py_ssize_t *pos, Py_ssize_t width, PyObject **items);
int list_sync_to_host(PyObject *o);        // PyList_SET_ITEM writes -> host
// A size C changed behind the API (Cython's list.pop() shrinks ob_size in
// place) -> host, before the host looks at the list: O(1) when unchanged.
int list_size_sync(PyObject *o);
// A proxied list the host may change in a call C makes (C looked up its
// method, or passes it): C's writes reach the host now, and the items are
// read again when the call returns (lists_refresh, from after_host_call).
void list_may_change(PyObject *o);
void lists_refresh();
// A proxied exact list's items as C has them: read from the host since Python
// code last ran (host::code_epoch)? list_items_current answers for the size and
// item i, and reads all items again if they differ (C's changes reach the
// host first): 1 when they were current, 0 when read again, -1 on error.
bool list_items_fresh(PyObject *o);
int list_items_current(PyObject *o, Py_ssize_t i);
int bytearray_sync_to_host(PyObject *o);   // writes through PyByteArray_AS_STRING -> host

// complexobject.cpp, bytearrayobject.cpp, classobject.cpp, sliceobject.cpp, methodobject.cpp
PyObject *complex_materialize(host::Handle h, PyTypeObject *type);
// A memoryview C makes, with its C struct's buffer; its release (buffer.cpp).
PyObject *memoryview_of(PyObject *o);
void memoryview_release(PyObject *mv);
// argv's nargs items, then kwargs' values, in stack, and a new tuple of
// kwargs' names: the vectorcall convention (methodobject.cpp); null with
// the error set.
PyObject *kwargs_to_stack(PyObject *const *argv, Py_ssize_t nargs, PyObject *kwargs,
                          std::vector<PyObject *> &stack);
// r when a call's result and the error indicator agree, else CPython's
// SystemError naming the callable (`what`); methodobject.cpp.
PyObject *bad_call_result(const char *what, PyObject *r);
// The managed object the builtin's __new__ makes with type's class, as C
// calls its base's tp_new (typeobject.cpp); null with the host's error.
host::Handle builtin_new_managed(PyTypeObject *type, PyObject *args, PyObject *kwds);
host::Handle complex_to_host(PyObject *o);
PyObject *bytearray_materialize(host::Handle h, PyTypeObject *type);
host::Handle bytearray_to_host(PyObject *o);
void bytearray_release(PyObject *o);
PyObject *method_materialize(host::Handle h, PyTypeObject *type);
// methodobject.cpp: the host's str attribute `name` as a malloc'ed UTF-8
// copy; NULL when it is missing or not a str (no error left).
char *utf8_attr(host::Handle h, const char *name);
// longobject.cpp: a character's digit value (0-35), 37 for anything else
// (CPython's _PyLong_DigitValue).
int digit_value(char c);
// iterobject.cpp: list and tuple iterators C makes run in C until they cross.
PyObject *seqiter_new(PyObject *seq);             // seq: an exact list or tuple
PyObject *seqiter_next(PyObject *it, bool *done); // *done: it answers (null: exhausted)
host::Handle seqiter_to_host(PyObject *o);
void seqiter_release(PyObject *o);
// dictobject.cpp: PyObject_GetIter of a dict, iterated in C (same contract).
PyObject *dictiter_new(PyObject *dict);
PyObject *dictiter_next(PyObject *it, bool *done);
host::Handle dictiter_to_host(PyObject *o);
void dictiter_release(PyObject *o);
// descrobject.cpp: getset_descriptor and member_descriptor of the host, with
// CPython's PyGetSetDescrObject / PyMemberDescrObject (numpy's add_docstring
// reads d_getset->doc and d_member->doc).
PyObject *descr_materialize(host::Handle h, PyTypeObject *type);
void descr_release(PyObject *o);
// datetimemodule.cpp
PyObject *datetime_materialize(host::Handle h, PyTypeObject *type, Layout layout);
void datetime_release(PyObject *o, Layout layout);
Py_ssize_t datetime_basicsize(Layout layout);
int datetime_capi_install();
host::Handle method_to_host(PyObject *o);
void method_release(PyObject *o);
PyObject *slice_materialize(host::Handle h, PyTypeObject *type);
void slice_release(PyObject *o);
host::Handle slice_to_host(PyObject *o);
void capsule_dealloc(PyObject *o);
PyObject *capsule_repr(PyObject *o);
PyObject *cfunction_materialize(host::Handle h, PyTypeObject *type);
void cfunction_release(PyObject *o);
host::Handle make_host_function(PyMethodDef *def, PyObject *self, PyObject *module,
                                bool self_is_address);
// The call's result as an owned handle (null: the error moved to the host),
// made before the arguments' proxies are released: a result that holds them
// (a tuple of them) then lets them die without handles of their own.
// kwnames (METH_FASTCALL|METH_KEYWORDS): the names of argv's last values.
host::Handle call_method_def(PyMethodDef *def, PyObject *self, PyTypeObject *defining,
                             const host::Handle *argv, ptrdiff_t nargs, host::Handle kw,
                             PyObject *kwnames = nullptr);
// def called from C with C's arguments (a method of `defining` bound to self).
PyObject *call_method_def_c(PyMethodDef *def, PyObject *self, PyTypeObject *defining, PyObject *const *argv,
                            Py_ssize_t nargs);
// typeobject.cpp: the method getattr(o, name) binds, found in C without the
// host, or null (ask the host; no error set).
PyMethodDef *static_type_method(PyObject *o, const char *name, PyTypeObject **defining);
// entry.cpp: a result as an owned handle; NULL moves the C error to the host.
host::Handle to_host_result(PyObject *r);
// entry.cpp: a host function calling def directly (host::direct_function):
// a function of module (borrowed: it outlives its functions) or a method of
// owner, whose first argument is self. Sets *arity to the positional
// arguments it takes (0, 1; -1: any, and keywords). None when def's flags
// need the general path; null with the C error set.
host::Handle direct_entry(PyMethodDef *def, PyObject *module, PyTypeObject *owner, int *arity);

// moduleobject.cpp: the 3.11 PyModuleObject (internal in CPython's headers).
struct ModuleObject {
    PyObject_HEAD
    PyObject *md_dict;
    PyModuleDef *md_def;
    void *md_state;
    PyObject *md_weaklist;
    PyObject *md_name;
};
void module_release(PyObject *o);
std::string &package_context();   // importdl.cpp sets it around PyInit (moduleobject.cpp)

// frameobject.cpp: the 3.11 frame object (internal/pycore_frame.h; Cython
// writes f_lineno directly). A frame made by PyFrame_New owns its
// _PyInterpreterFrame, embedded after the object as in CPython.
struct InterpreterFrame {
    PyObject *f_func;
    PyObject *f_globals;
    PyObject *f_builtins;
    PyObject *f_locals;
    PyCodeObject *f_code;
    PyFrameObject *frame_obj;
    InterpreterFrame *previous;
    void *prev_instr;
    int stacktop;
    bool is_entry;
    char owner;
    PyObject *localsplus[1];
};
struct FrameObject {
    PyObject_HEAD
    PyFrameObject *f_back;
    InterpreterFrame *f_frame;
    PyObject *f_trace;
    int f_lineno;
    char f_trace_lines;
    char f_trace_opcodes;
    char f_fast_as_locals;
    PyObject *_f_frame_data[1];
};
PyObject *frame_materialize(host::Handle h, PyTypeObject *type);
host::Handle frame_to_host(PyObject *o);
void frame_release(PyObject *o);

// codeobject.cpp: code objects are managed; C sees the 3.11 PyCodeObject
// fields that describe them (names, line, counts).
PyObject *code_materialize(host::Handle h, PyTypeObject *type);
void code_object_release(PyObject *o);
PyObject *code_getattr(PyObject *o, const char *name);

// structseq.cpp: struct sequences (tuple layout with hidden fields after the
// visible ones), their managed class a tuple subclass made by _support.
PyObject *structseq_materialize(host::Handle h, PyTypeObject *type);
host::Handle structseq_to_host(PyObject *o);
void structseq_release(PyObject *o);

// dictobject.cpp: ma_version_tag, from one global counter as CPython's.
void dict_new_version(PyObject *d);        // a fresh tag for this dict
void dict_watch(PyObject *d);              // C keeps d across entries (module dicts)
void dict_host_may_have_written();         // fresh tags for the watched dicts
int dict_written(PyObject *d);             // after a generic write: size and tag

// buffer.cpp: extension types' buffers seen by the host
void install_buffer_exports();

// typeobject.cpp
void init_static_types();
bool bind_static_types();
// A type object the layer fills itself (struct sequences) bound to the
// managed class made for it (owned): a record as a static type's.
bool bind_layer_type(PyTypeObject *t, Layout layout, host::Handle cls);
PyObject *args_tuple_from_host(const host::Handle *argv, ptrdiff_t n);   // a new C tuple
extern PyBufferProcs bytes_buffer_procs;   // PyBytes_Type's (buffer.cpp)
bool init_process_flags();   // Py_OptimizeFlag from sys.flags (pylifecycle.cpp)
// A hybrid exception's args, as its struct has them, read from its managed
// object h (materialize.cpp): 0, or -1 with the C error set.
int exception_args_sync(PyObject *o, host::Handle h);
// PyType_GenericAlloc's block for a hybrid being materialized (type t), or
// null (proxies/materialize.cpp).
PyObject *hybrid_block(PyTypeObject *t);
PyObject *native_new_instance(PyTypeObject *type, host::Handle cls, const host::Handle *argv, ptrdiff_t n,
                              host::Handle kw);

// ceval.cpp: a new reference made a borrowed one that stays valid (the
// layer keeps one reference to it for good).
PyObject *keep_borrowed(PyObject *o);
// ceval.cpp: a thread's innermost Python frame that is not the layer's (new
// reference), or NULL without an error; the error indicator is kept.
PyObject *thread_frame(unsigned long thread_id, bool calling_thread);
// How many innermost Python frames are the layer's own (ferry.*) code.
int layer_frame_depth();

// Argument helpers: a tuple/dict handle as C objects (new references).
PyObject *kwargs_from_host(host::Handle kw);

} // namespace ferry
