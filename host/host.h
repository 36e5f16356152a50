// The host facade: the only part of the layer that talks to the host
// interpreter (through the HPy universal ABI, HPy 0.0.4 on PyPy 7.3.11).
//
// Terms. A *managed object* lives in the host's (moving) heap and is reached
// only through a Handle. Every function here that returns a Handle returns a
// new, owned handle (close it) unless its name says `borrowed`; a null Handle
// means the host raised, and the caller moves that error to the C side
// (errors.cpp). Handle arguments are borrowed.
//
// A second host (CPython with a handle context of our own, GraalPy, a later
// HPy) is a new implementation of this header, nothing else.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ferry::host {

struct Handle {
    intptr_t raw = 0;
    explicit operator bool() const { return raw != 0; }
};

// Objects the layer needs by name, bound once at start-up.
enum class Builtin : int {
#define FERRY_BUILTIN(name, pyname) name,
#include "builtins.def"
#undef FERRY_BUILTIN
    count
};
Handle borrowed(Builtin b);

// Python-level helpers from python/ferry/_support.py, for what HPy 0.0.4 lacks.
enum class Helper : int {
#define FERRY_HELPER(name) name,
#include "helpers.def"
#undef FERRY_HELPER
    count
};

void bind_context(void *hpy_context);
void *context();
// Binds Builtin and Helper tables from the support module; false on error.
bool bind_support(Handle support);

// Counts the host calls that may run Python code (attribute and item access,
// calls, comparisons, number operations, hashing, the GIL given up): what C
// copied of a mutable object (a proxied list's items) at an earlier count may
// be out of date. Starts at 1 (0 reads as "never").
extern uint64_t code_epoch;

Handle dup(Handle h);
// A handle the layer gives the host to keep (a result): no longer the layer's.
Handle hand_over(Handle h);
void close(Handle h);
bool is(Handle a, Handle b);
Handle type(Handle h);
int type_check(Handle obj, Handle type);    // isinstance, never fails

// Numbers.
Handle long_from(long long v);
Handle long_from_unsigned(unsigned long long v);
long long long_as(Handle h, bool *overflow);   // overflow: value does not fit
unsigned long long long_as_unsigned(Handle h, bool *overflow);
double long_as_double(Handle h);
Handle float_from(double v);
double float_as(Handle h);
Handle bool_from(bool v);

// Strings and bytes.
Handle unicode_from_latin1(const char *s, size_t n);
// NUL-terminated UTF-8 (so no NUL inside): PyPy makes it without its codec
// machinery, which HPyUnicode_DecodeLatin1 goes through (fmt's "item-42":
// 1200 -> 200 ns a call).
Handle unicode_from_utf8_z(const char *s);
Handle unicode_from_utf8(const char *s, size_t n);
const char *unicode_as_utf8(Handle h, ptrdiff_t *size);   // valid while h lives
Handle bytes_from(const char *s, size_t n);
const char *bytes_data(Handle h, ptrdiff_t *size);         // valid while h lives

// Containers.
Handle tuple_from(const Handle *items, size_t n);
Handle list_new();
int list_append(Handle list, Handle item);
// len() of an exact list, dict, set or tuple, s[i] of an exact list or tuple, and `k in d`
// and d[k] of an exact dict whose key's hash and == are builtin (plain_lookup in
// cpyext): no Python code runs (code_epoch stays).
ptrdiff_t exact_length(Handle exact_container);
Handle exact_item(Handle list_or_tuple, ptrdiff_t i);
int exact_contains(Handle dict, Handle key);
Handle exact_getitem(Handle dict, Handle key);
// hash() of an exact str or of an object hashed by its identity, and id(): no
// Python code runs either.
int64_t identity_hash(Handle str_or_identity_hashed);
Handle id_of(Handle o);
Handle dict_new();

// Object protocol.
Handle getattr(Handle o, Handle name);
Handle getattr_s(Handle o, const char *name);
int setattr(Handle o, Handle name, Handle value);
int setattr_s(Handle o, const char *name, Handle value);
int hasattr_s(Handle o, const char *name);
Handle getitem(Handle o, Handle key);
Handle getitem_i(Handle o, ptrdiff_t i);
int setitem(Handle o, Handle key, Handle value);
int contains(Handle o, Handle key);
Handle call(Handle callable, Handle args_tuple, Handle kwargs_or_null);
Handle call_with(Handle callable, std::initializer_list<Handle> args);   // positional only
Handle call_helper(Helper h, std::initializer_list<Handle> args);
// A scan (list_scan, dict_scan, set_scan): the layer's own Python code over a
// builtin container, which calls no method of the program's objects, so
// code_epoch stays (what C took from a container before stays current) unless
// other Python code may have run meanwhile (finalizers, as the host collected;
// other threads): the scan says so, and Scan::read moves code_epoch.
Handle call_scan(Helper h, Handle container);
Handle repr(Handle o);
Handle str(Handle o);
Handle ascii(Handle o);
Handle bytes_of(Handle o);
Handle rich_compare(Handle a, Handle b, int op);
int rich_compare_bool(Handle a, Handle b, int op);
int64_t hash(Handle o);       // -1 on error
int is_true(Handle o);
ptrdiff_t length(Handle o);   // -1 on error
int callable_check(Handle o);
Handle import_module(const char *name);

// Binary and unary number operations, named like the nb_* slots.
enum class NumberOp : int {
    add, subtract, multiply, matrix_multiply, floor_divide, true_divide,
    remainder, divmod, lshift, rshift, and_, xor_, or_,
    inplace_add, inplace_subtract, inplace_multiply, inplace_matrix_multiply,
    inplace_floor_divide, inplace_true_divide, inplace_remainder,
    inplace_lshift, inplace_rshift, inplace_and, inplace_xor, inplace_or,
};
Handle number_binary(NumberOp op, Handle a, Handle b);
Handle number_power(Handle a, Handle b, Handle c, bool inplace);
enum class UnaryOp : int { negative, positive, absolute, invert, index, to_long, to_float };
Handle number_unary(UnaryOp op, Handle a);

// Native wrappers: instances of classes made by native_class (or of
// _ferry_host.NativeObject), holding the address of a C object.
// exports_buffer: the class exports the C type's buffer (the layer's hooks);
// traced: its instances can hold objects for the layer (native_hold).
// bases: none (object), or the classes of the C type's tp_bases.
Handle native_class(const char *qualified_name, std::span<const Handle> bases, bool basetype,
                    bool exports_buffer, bool traced = false);
// The layer's side of a buffer export: `view` has Py_buffer's layout (that of
// HPy_buffer too); get fills all but `obj`, returns 0 or -1 with the error on
// the host; release undoes it.
using BufferGet = int (*)(void *native, void *view, int flags);
using BufferRelease = void (*)(void *native, void *view);
void set_buffer_hooks(BufferGet get, BufferRelease release);
Handle native_wrap(Handle cls, void *native);

// A host function with a C entry of its own (a libffi closure), so that a call
// reaches `target` without a Python-level dispatcher in between and with the
// host's cheapest convention for its arity: `noargs` (f()), `one` (f(x)) or
// `any` (f(*args, **kw)). `target` gets `data`, the arguments (for `one`: one)
// and the keywords dict or a null handle. Kept for the layer's lifetime: make
// one per C function, not one per call.
enum class Arity : int { noargs, one, any };
using DirectTarget = Handle (*)(void *data, const Handle *args, ptrdiff_t nargs, Handle kw);
Handle direct_function(Arity arity, const char *name, DirectTarget target, void *data);
void *native_unwrap(Handle h);      // h must be an instance of such a class
// What a wrapper of a traced class keeps alive for the layer (null: nothing).
void native_hold(Handle wrapper, Handle held_or_null);

// Errors. The C side keeps its own indicator (errors.cpp); these only move
// an error across.
bool err_occurred();
bool err_matches(Handle exc_type);
void err_clear();
// Takes the pending host error as objects (type, value, traceback).
bool err_fetch(Handle *type, Handle *value, Handle *tb);
void err_set_object(Handle type, Handle value);
void err_set_string(Handle type, const char *msg);
void err_set_system_error(const char *msg);   // usable before bind_support
void err_no_memory();
Handle err_new_exception(const char *name, Handle base, Handle dict);
int err_warn(Handle category, const char *message, ptrdiff_t stack_level);
void err_write_unraisable(Handle obj);

// True when C is about to run out of the stack the host allows (PyPy stops
// at a fraction of 768 KB set by sys.setrecursionlimit, and its own checks do
// not cover HPy calls made deeper than that). Cheap: one comparison unless deep.
bool stack_exhausted();

// Threads (host/threads.cpp). HPy 0.0.4 cannot enter a thread the host has
// never seen into its interpreter; on PyPy its own cpyext's PyGILState_* do.
void *leave_python();
void reenter_python(void *state);
int thread_holds_gil();                    // 1, 0, or -1 when the host cannot tell
int thread_attach();                       // enter this thread, take the GIL; a token
void thread_detach(int token);             // the matching exit
void threads_init();                       // the host's GIL exists from now on
const char *threads_unsupported_reason();  // empty when the above work

// The host libc's malloc thresholds (host/namespace_libc.cpp), once at start-up.
void tune_host_malloc();

[[noreturn]] void fatal(const char *message);

} // namespace ferry::host
