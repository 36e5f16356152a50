// The abstract protocols: number, sequence, mapping, iterator, item access.
// Mirrors Objects/abstract.c; everything is forwarded to the host.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/forward.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "abstract"

using namespace ferry;
using host::Handle;
using host::Helper;
using host::NumberOp;
using host::UnaryOp;

namespace {

PyObject *binary(NumberOp op, PyObject *a, PyObject *b) {
    return forward([op](Handle x, Handle y) { return host::number_binary(op, x, y); }, a, b);
}
PyObject *unary(UnaryOp op, PyObject *a) {
    return forward([op](Handle x) { return host::number_unary(op, x); }, a);
}
PyObject *method(PyObject *o, const char *name, PyObject *arg = nullptr) {
    Handle n = name_handle(name);
    if (!n)
        return nullptr;
    PyObject *r = arg ? forward([n](Handle x, Handle y) { return host::call_helper(Helper::call_method, {x, n, y}); }, o, arg)
                      : forward([n](Handle x) { return host::call_helper(Helper::call_method, {x, n}); }, o);
    host::close(n);
    return r;
}
Py_ssize_t size_of(PyObject *o) {
    if (!o) {
        PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
        return -1;
    }
    PyTypeObject *t = Py_TYPE(o);
    if (!(t->tp_as_sequence && t->tp_as_sequence->sq_length) &&
        !(t->tp_as_mapping && t->tp_as_mapping->mp_length)) {
        PyErr_Format(PyExc_TypeError, "object of type '%.200s' has no len()", t->tp_name);
        return -1;
    }
    Handle h = handle_of(o);
    if (!h)
        return -1;
    ptrdiff_t n = host::length(h);
    return n < 0 ? minus_one_with_host_error() : n;
}
PyObject *index_object(Py_ssize_t i) { return PyLong_FromSsize_t(i); }

PyObject *null_argument() {
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
    return nullptr;
}

} // namespace

#define FERRY_BINARY(fn, op) \
    PyObject *fn(PyObject *a, PyObject *b) { FERRY_API; return binary(NumberOp::op, a, b); }
FERRY_BINARY(PyNumber_Add, add)
FERRY_BINARY(PyNumber_Subtract, subtract)
FERRY_BINARY(PyNumber_MatrixMultiply, matrix_multiply)
FERRY_BINARY(PyNumber_FloorDivide, floor_divide)
FERRY_BINARY(PyNumber_TrueDivide, true_divide)
FERRY_BINARY(PyNumber_Remainder, remainder)
FERRY_BINARY(PyNumber_Divmod, divmod)
FERRY_BINARY(PyNumber_Lshift, lshift)
FERRY_BINARY(PyNumber_Rshift, rshift)
FERRY_BINARY(PyNumber_And, and_)
FERRY_BINARY(PyNumber_Xor, xor_)
FERRY_BINARY(PyNumber_Or, or_)
FERRY_BINARY(PyNumber_InPlaceAdd, inplace_add)
FERRY_BINARY(PyNumber_InPlaceSubtract, inplace_subtract)
FERRY_BINARY(PyNumber_InPlaceMultiply, inplace_multiply)
FERRY_BINARY(PyNumber_InPlaceMatrixMultiply, inplace_matrix_multiply)
FERRY_BINARY(PyNumber_InPlaceFloorDivide, inplace_floor_divide)
FERRY_BINARY(PyNumber_InPlaceTrueDivide, inplace_true_divide)
FERRY_BINARY(PyNumber_InPlaceRemainder, inplace_remainder)
FERRY_BINARY(PyNumber_InPlaceLshift, inplace_lshift)
FERRY_BINARY(PyNumber_InPlaceRshift, inplace_rshift)
FERRY_BINARY(PyNumber_InPlaceAnd, inplace_and)
FERRY_BINARY(PyNumber_InPlaceXor, inplace_xor)
FERRY_BINARY(PyNumber_InPlaceOr, inplace_or)
#undef FERRY_BINARY

namespace {

// int.__pow__'s argument errors, with CPython's words (PyPy words them differently).
bool power_arguments_ok(PyObject *a, PyObject *b, PyObject *c) {
    if (c == Py_None)
        return true;
    bool ints = PyLong_Check(a) && PyLong_Check(b) && PyLong_Check(c);
    bool builtin_numbers = (PyLong_Check(a) || PyFloat_Check(a)) && (PyLong_Check(b) || PyFloat_Check(b));
    if (builtin_numbers && !ints && (PyLong_Check(c) || PyFloat_Check(c))) {
        PyErr_SetString(PyExc_TypeError,
                        "pow() 3rd argument not allowed unless all arguments are integers");
        return false;
    }
    if (ints && PyLong_CheckExact(c) && _PyLong_Sign(c) == 0) {
        PyErr_SetString(PyExc_ValueError, "pow() 3rd argument cannot be 0");
        return false;
    }
    return true;
}

bool is_sequence_operand(PyObject *o) {
    return Py_TYPE(o)->tp_as_sequence && Py_TYPE(o)->tp_as_sequence->sq_repeat;
}

} // namespace

PyObject *PyNumber_Multiply(PyObject *a, PyObject *b) {
    FERRY_API;
    PyObject *r = binary(NumberOp::multiply, a, b);
    // As abstract.c: when neither operand multiplies, a sequence wants an index.
    if (!r && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyObject *n = is_sequence_operand(a) ? b : is_sequence_operand(b) ? a : nullptr;
        if (n && !PyIndex_Check(n)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "can't multiply sequence by non-int of type '%.200s'",
                         Py_TYPE(n)->tp_name);
        }
    }
    return r;
}

PyObject *PyNumber_Power(PyObject *a, PyObject *b, PyObject *c) {
    FERRY_API;
    if (!power_arguments_ok(a, b, c))
        return nullptr;
    return forward([](Handle x, Handle y, Handle z) { return host::number_power(x, y, z, false); },
                   a, b, c);
}
PyObject *PyNumber_InPlacePower(PyObject *a, PyObject *b, PyObject *c) {
    FERRY_API;
    if (!power_arguments_ok(a, b, c))
        return nullptr;
    return forward([](Handle x, Handle y, Handle z) { return host::number_power(x, y, z, true); },
                   a, b, c);
}

namespace {

// abstract.c's unary operations: the type must have the slot, else CPython's message.
PyObject *checked_unary(UnaryOp op, PyObject *o, const char *dunder, const char *what) {
    if (!o)
        return null_argument();
    int has = has_dunder(o, dunder);
    if (has <= 0) {
        if (has == 0)
            PyErr_Format(PyExc_TypeError, "bad operand type for %s: '%.200s'", what,
                         Py_TYPE(o)->tp_name);
        return nullptr;
    }
    return unary(op, o);
}

bool bytes_like(PyObject *o) {
    return PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o) || PyObject_CheckBuffer(o);
}

// The conversions accept what CPython's int()/float() accept; others get its message.
PyObject *checked_conversion(UnaryOp op, PyObject *o, std::initializer_list<const char *> dunders,
                             const char *message) {
    if (!o)
        return null_argument();
    bool ok = bytes_like(o);
    for (const char *d : dunders) {
        if (ok)
            break;
        int has = has_dunder(o, d);
        if (has < 0)
            return nullptr;
        ok = has;
    }
    if (!ok) {
        PyErr_Format(PyExc_TypeError, message, Py_TYPE(o)->tp_name);
        return nullptr;
    }
    return unary(op, o);
}

} // namespace

PyObject *PyNumber_Negative(PyObject *o) { FERRY_API; return checked_unary(UnaryOp::negative, o, "__neg__", "unary -"); }
PyObject *PyNumber_Positive(PyObject *o) { FERRY_API; return checked_unary(UnaryOp::positive, o, "__pos__", "unary +"); }
PyObject *PyNumber_Absolute(PyObject *o) { FERRY_API; return checked_unary(UnaryOp::absolute, o, "__abs__", "abs()"); }
PyObject *PyNumber_Invert(PyObject *o) { FERRY_API; return checked_unary(UnaryOp::invert, o, "__invert__", "unary ~"); }

PyObject *PyNumber_Long(PyObject *o) {
    FERRY_API;
    return checked_conversion(UnaryOp::to_long, o, {"__int__", "__index__", "__trunc__"},
                              "int() argument must be a string, a bytes-like object or a real number, not '%.200s'");
}

PyObject *PyNumber_Float(PyObject *o) {
    FERRY_API;
    if (o && PyFloat_CheckExact(o))
        return Py_NewRef(o);
    return checked_conversion(UnaryOp::to_float, o, {"__float__", "__index__"},
                              "float() argument must be a string or a real number, not '%.200s'");
}

// Since 3.10 the result is always an exact int.
PyObject *PyNumber_Index(PyObject *o) {
    FERRY_API;
    if (!o)
        return null_argument();
    if (PyLong_CheckExact(o))
        return Py_NewRef(o);
    if (PyLong_Check(o))
        return _PyLong_Copy(reinterpret_cast<PyLongObject *>(o));
    if (!PyIndex_Check(o)) {
        PyErr_Format(PyExc_TypeError,
                     "'%.200s' object cannot be interpreted as an integer", Py_TYPE(o)->tp_name);
        return nullptr;
    }
    PyObject *r = call_dunder(o, "__index__");
    if (!r)
        return nullptr;
    if (!PyLong_Check(r)) {
        PyErr_Format(PyExc_TypeError, "__index__ returned non-int (type %.200s)", Py_TYPE(r)->tp_name);
        Py_DECREF(r);
        return nullptr;
    }
    if (!PyLong_CheckExact(r)) {
        PyObject *exact = _PyLong_Copy(reinterpret_cast<PyLongObject *>(r));
        Py_DECREF(r);
        return exact;
    }
    return r;
}

int PyNumber_Check(PyObject *o) {
    FERRY_API;
    if (!o)
        return 0;
    PyNumberMethods *nb = Py_TYPE(o)->tp_as_number;
    return (nb && (nb->nb_index || nb->nb_int || nb->nb_float)) || PyComplex_Check(o);
}

int PyIndex_Check(PyObject *o) {
    FERRY_API;
    PyNumberMethods *nb = Py_TYPE(o)->tp_as_number;
    return nb && nb->nb_index;
}

Py_ssize_t PyNumber_AsSsize_t(PyObject *o, PyObject *exc) {
    FERRY_API;
    PyObject *v = PyNumber_Index(o);
    if (!v)
        return -1;
    Py_ssize_t r = PyLong_AsSsize_t(v);
    if (r == -1 && PyErr_Occurred() && PyErr_ExceptionMatches(PyExc_OverflowError)) {
        if (exc) {
            PyErr_Clear();
            PyErr_Format(exc, "cannot fit '%.200s' into an index-sized integer", Py_TYPE(o)->tp_name);
        } else {
            PyErr_Clear();
            r = _PyLong_Sign(v) < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX;
        }
    }
    Py_DECREF(v);
    return r;
}

PyObject *PyNumber_ToBase(PyObject *n, int base) {
    FERRY_API;
    const char *fn = base == 2 ? "bin" : base == 8 ? "oct" : base == 16 ? "hex" : nullptr;
    if (!fn && base != 10) {
        PyErr_SetString(PyExc_SystemError, "PyNumber_ToBase: base must be 2, 8, 10 or 16");
        return nullptr;
    }
    PyObject *index = PyNumber_Index(n);
    if (!index)
        return nullptr;
    if (base == 10) {
        PyObject *r = PyObject_Str(index);
        Py_DECREF(index);
        return r;
    }
    PyObject *r = call_module("builtins", fn, {index});
    Py_DECREF(index);
    return r;
}

// ---------------------------------------------------------------- items

// The type checks of abstract.c come first, so errors carry CPython's messages.
namespace {

bool can_subscript(PyTypeObject *t) {
    return (t->tp_as_mapping && t->tp_as_mapping->mp_subscript) ||
           (t->tp_as_sequence && t->tp_as_sequence->sq_item);
}

bool can_assign(PyTypeObject *t) {
    return (t->tp_as_mapping && t->tp_as_mapping->mp_ass_subscript) ||
           (t->tp_as_sequence && t->tp_as_sequence->sq_ass_item);
}

bool null_args(PyObject *a, PyObject *b) {
    if (a && b)
        return false;
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
    return true;
}

} // namespace

PyObject *PyObject_GetItem(PyObject *o, PyObject *key) {
    FERRY_API;
    if (null_args(o, key))
        return nullptr;
    if (!can_subscript(Py_TYPE(o)) && !PyType_Check(o)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not subscriptable", Py_TYPE(o)->tp_name);
        return nullptr;
    }
    return forward(host::getitem, o, key);
}

namespace {

// After an item or slice of o was set or deleted on the host: the C view of
// a dict (size, version tag) or a list (its items and size: Cython reads
// PyList_GET_SIZE and the items after `del lst[:]`, lxml's iterparse looped
// for ever on a list that stayed full in C) follows. 0, or -1 with the C
// error set.
int host_mutated(PyObject *o) {
    if (PyDict_Check(o))
        return dict_written(o);
    if (PyList_Check(o))
        return refresh_container(o, header_of(o)->managed);
    return 0;
}

} // namespace

int PyObject_SetItem(PyObject *o, PyObject *key, PyObject *v) {
    FERRY_API;
    if (null_args(o, key) || null_args(o, v))
        return -1;
    if (!can_assign(Py_TYPE(o))) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object does not support item assignment",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    if (forward_status(host::setitem, o, key, v) < 0)
        return -1;
    return host_mutated(o);
}

int PyObject_DelItem(PyObject *o, PyObject *key) {
    FERRY_API;
    if (null_args(o, key))
        return -1;
    if (!can_assign(Py_TYPE(o))) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object doesn't support item deletion",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    PyObject *r = forward([](Handle a, Handle b) { return host::call_helper(Helper::delitem, {a, b}); },
                          o, key);
    Py_XDECREF(r);
    if (!r)
        return -1;
    return host_mutated(o);
}

int PyObject_DelItemString(PyObject *o, const char *key) {
    FERRY_API;
    PyObject *k = PyUnicode_FromString(key);
    int r = k ? PyObject_DelItem(o, k) : -1;
    Py_XDECREF(k);
    return r;
}

Py_ssize_t PyObject_Size(PyObject *o) { FERRY_API; return size_of(o); }

Py_ssize_t PyObject_LengthHint(PyObject *o, Py_ssize_t default_value) {
    FERRY_API;
    PyObject *operator_module = PyImport_ImportModule("operator");
    PyObject *r = operator_module
                      ? PyObject_CallMethod(operator_module, "length_hint", "On", o, default_value)
                      : nullptr;
    Py_XDECREF(operator_module);
    if (!r)
        return -1;
    Py_ssize_t n = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    return n;
}

PyObject *PyObject_GetIter(PyObject *o) {
    FERRY_API;
    // A tuple or a list iterated in C (iterobject.cpp); such an iterator is
    // its own.
    if (PyTuple_CheckExact(o) || PyList_CheckExact(o))
        return seqiter_new(o);
    if (PyDict_CheckExact(o))
        return dictiter_new(o);
    if ((Py_IS_TYPE(o, &PyListIter_Type) || Py_IS_TYPE(o, &PyTupleIter_Type) ||
         Py_IS_TYPE(o, &PyDictIterKey_Type)) && !header_of(o)->managed)
        return Py_NewRef(o);
    return forward([](Handle x) { return host::call_helper(Helper::iter, {x}); }, o);
}

int PyIter_Check(PyObject *o) {
    FERRY_API;
    iternextfunc f = Py_TYPE(o)->tp_iternext;
    return f && f != &_PyObject_NextNotImplemented;
}

PyObject *_PyObject_NextNotImplemented(PyObject *o) {
    FERRY_API;
    PyErr_Format(PyExc_TypeError, "'%.200s' object is not iterable", Py_TYPE(o)->tp_name);
    return nullptr;
}

namespace {

// The iterator's bound __next__ (borrowed; cached in the proxy's header, so
// each item costs one call with no arguments to build), or null where there
// is no place for it or no __next__ (next() then gives CPython's error).
Handle next_method_of(PyObject *it, Handle h) {
    // (Not for a native object: the bound method would hold its wrapper from
    // the object's own header, a cycle the host cannot see.)
    if (is_static_singleton(it) || PyType_Check(it) || type_info(Py_TYPE(it))->is_native)
        return {};
    Header *hd = header_of(it);
    if (hd->flags & kNextMethod)
        return next_method_handle(hd);
    if (hd->flags & kDictSlot)
        return {};
    Handle m = host::call_helper(host::Helper::next_method, {h});
    if (!m || host::is(m, host::borrowed(host::Builtin::None))) {
        if (!m)
            host::err_clear();
        host::close(m);
        return {};
    }
    hd->padding = static_cast<uint64_t>(m.raw);
    hd->flags |= kNextMethod;
    return m;
}

} // namespace

// NULL without an error at the end.
PyObject *PyIter_Next(PyObject *it) {
    FERRY_API;
    if (Py_IS_TYPE(it, &PyListIter_Type) || Py_IS_TYPE(it, &PyTupleIter_Type)) {
        bool done;
        PyObject *r = seqiter_next(it, &done);
        if (done)
            return r;
    } else if (Py_IS_TYPE(it, &PyDictIterKey_Type)) {
        bool done;
        PyObject *r = dictiter_next(it, &done);
        if (done)
            return r;
    }
    Handle h = handle_of(it);
    if (!h)
        return nullptr;
    if (Handle next = next_method_of(it, h)) {
        Handle r = host::call(next, host::borrowed(host::Builtin::empty_tuple), {});
        if (!r && host::err_matches(host::borrowed(host::Builtin::StopIteration))) {
            host::err_clear();
            return nullptr;   // exhausted: NULL with no error set
        }
        return result(r);
    }
    // builtins.next(it, ITER_DONE): a builtin called from C costs a third of
    // a Python-level helper (no frame).
    Handle r = host::call_with(host::borrowed(host::Builtin::next), {h, host::borrowed(host::Builtin::iter_done)});
    if (r && host::is(r, host::borrowed(host::Builtin::iter_done))) {
        host::close(r);
        return nullptr;   // exhausted: NULL with no error set
    }
    return result(r);
}

// ---------------------------------------------------------------- sequence

int PySequence_Check(PyObject *o) {
    FERRY_API;
    if (PyDict_Check(o))
        return 0;
    PySequenceMethods *sq = Py_TYPE(o)->tp_as_sequence;
    return sq && sq->sq_item;
}

namespace {

PySequenceMethods *sq_of(PyObject *o) { return Py_TYPE(o)->tp_as_sequence; }
PyMappingMethods *mp_of(PyObject *o) { return Py_TYPE(o)->tp_as_mapping; }

// abstract.c's message when an object is not a sequence: a mapping (one that
// would support the operation as a mapping) is named as such.
void not_a_sequence(PyObject *o, const char *otherwise, bool as_mapping) {
    if (as_mapping)
        PyErr_Format(PyExc_TypeError, "%.200s is not a sequence", Py_TYPE(o)->tp_name);
    else
        PyErr_Format(PyExc_TypeError, otherwise, Py_TYPE(o)->tp_name);
}

} // namespace

Py_ssize_t PySequence_Size(PyObject *o) {
    FERRY_API;
    if (!o) {
        null_argument();
        return -1;
    }
    if (!(sq_of(o) && sq_of(o)->sq_length)) {
        if (mp_of(o) && mp_of(o)->mp_length)
            PyErr_Format(PyExc_TypeError, "%.200s is not a sequence", Py_TYPE(o)->tp_name);
        else
            PyErr_Format(PyExc_TypeError, "object of type '%.200s' has no len()", Py_TYPE(o)->tp_name);
        return -1;
    }
    return size_of(o);
}

PyObject *PySequence_GetItem(PyObject *o, Py_ssize_t i) {
    FERRY_API;
    if (!o)
        return null_argument();
    if (!(sq_of(o) && sq_of(o)->sq_item)) {
        not_a_sequence(o, "'%.200s' object does not support indexing", mp_of(o) && mp_of(o)->mp_subscript);
        return nullptr;
    }
    Handle h = handle_of(o);
    return h ? result(host::getitem_i(h, i)) : nullptr;
}

int PySequence_SetItem(PyObject *o, Py_ssize_t i, PyObject *v) {
    FERRY_API;
    if (!o) {
        null_argument();
        return -1;
    }
    if (!(sq_of(o) && sq_of(o)->sq_ass_item)) {
        not_a_sequence(o, v ? "'%.200s' object does not support item assignment"
                            : "'%.200s' object doesn't support item deletion",
                       mp_of(o) && mp_of(o)->mp_ass_subscript);
        return -1;
    }
    PyObject *k = index_object(i);
    int r = k ? (v ? PyObject_SetItem(o, k, v) : PyObject_DelItem(o, k)) : -1;
    Py_XDECREF(k);
    return r;
}

int PySequence_DelItem(PyObject *o, Py_ssize_t i) { FERRY_API; return PySequence_SetItem(o, i, nullptr); }

PyObject *PySequence_GetSlice(PyObject *o, Py_ssize_t i1, Py_ssize_t i2) {
    FERRY_API;
    if (!o)
        return null_argument();
    if (!(mp_of(o) && mp_of(o)->mp_subscript)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is unsliceable", Py_TYPE(o)->tp_name);
        return nullptr;
    }
    PyObject *a = index_object(i1), *b = index_object(i2);
    PyObject *r = a && b ? forward([](Handle x, Handle y, Handle z) {
                                return host::call_helper(Helper::get_slice, {x, y, z});
                            }, o, a, b)
                         : nullptr;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return r;
}

int PySequence_SetSlice(PyObject *o, Py_ssize_t i1, Py_ssize_t i2, PyObject *v) {
    FERRY_API;
    if (!o) {
        null_argument();
        return -1;
    }
    if (!(mp_of(o) && mp_of(o)->mp_ass_subscript)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object doesn't support slice %s", Py_TYPE(o)->tp_name,
                     v ? "assignment" : "deletion");
        return -1;
    }
    PyObject *a = index_object(i1), *b = index_object(i2);
    PyObject *r = a && b ? forward([](Handle w, Handle x, Handle y, Handle z) {
                                return host::call_helper(Helper::set_slice, {w, x, y, z});
                            }, o, a, b, v ? v : Py_None)
                         : nullptr;
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(r);
    return r ? host_mutated(o) : -1;
}

int PySequence_DelSlice(PyObject *o, Py_ssize_t i1, Py_ssize_t i2) {
    FERRY_API;
    return PySequence_SetSlice(o, i1, i2, nullptr);
}

namespace {

bool can_concat(PyObject *o) { return sq_of(o) && sq_of(o)->sq_concat; }
bool can_repeat(PyObject *o) { return sq_of(o) && sq_of(o)->sq_repeat; }

PyObject *cannot(PyObject *o, const char *what) {
    if (o)
        PyErr_Format(PyExc_TypeError, "'%.200s' object can't be %s", Py_TYPE(o)->tp_name, what);
    return o ? nullptr : null_argument();
}

PyObject *repeat(PyObject *o, Py_ssize_t n, bool inplace) {
    if (!o || !can_repeat(o))
        return cannot(o, "repeated");
    PyObject *k = index_object(n);
    PyObject *r = k ? (inplace ? PyNumber_InPlaceMultiply(o, k) : PyNumber_Multiply(o, k)) : nullptr;
    Py_XDECREF(k);
    return r;
}

} // namespace

PyObject *PySequence_Concat(PyObject *a, PyObject *b) {
    FERRY_API;
    if (!a || !b || !can_concat(a))
        return cannot(a, "concatenated");
    return PyNumber_Add(a, b);
}

PyObject *PySequence_InPlaceConcat(PyObject *a, PyObject *b) {
    FERRY_API;
    if (!a || !b || !can_concat(a))
        return cannot(a, "concatenated");
    return PyNumber_InPlaceAdd(a, b);
}

PyObject *PySequence_Repeat(PyObject *o, Py_ssize_t n) { FERRY_API; return repeat(o, n, false); }
PyObject *PySequence_InPlaceRepeat(PyObject *o, Py_ssize_t n) { FERRY_API; return repeat(o, n, true); }

int PySequence_Contains(PyObject *o, PyObject *v) {
    FERRY_API;
    if (!o || !v) {
        null_argument();
        return -1;
    }
    // Without sq_contains CPython iterates, and says so when it cannot.
    if (!(sq_of(o) && sq_of(o)->sq_contains) && !Py_TYPE(o)->tp_iter && !(sq_of(o) && sq_of(o)->sq_item)) {
        PyErr_Format(PyExc_TypeError, "argument of type '%.200s' is not iterable", Py_TYPE(o)->tp_name);
        return -1;
    }
    return forward_status(host::contains, o, v);
}

Py_ssize_t PySequence_Count(PyObject *o, PyObject *v) {
    FERRY_API;
    PyObject *r = method(o, "count", v);
    if (!r)
        return -1;
    Py_ssize_t n = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    return n;
}

Py_ssize_t PySequence_Index(PyObject *o, PyObject *v) {
    FERRY_API;
    PyObject *r = method(o, "index", v);
    if (!r) {
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, "sequence.index(x): x not in sequence");
        }
        return -1;
    }
    Py_ssize_t n = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    return n;
}

PyObject *PySequence_Tuple(PyObject *o) {
    FERRY_API;
    if (PyTuple_CheckExact(o))
        return Py_NewRef(o);
    PyObject *tuple_type = reinterpret_cast<PyObject *>(&PyTuple_Type);
    return PyObject_CallOneArg(tuple_type, o);
}

PyObject *PySequence_List(PyObject *o) {
    FERRY_API;
    return PyObject_CallOneArg(reinterpret_cast<PyObject *>(&PyList_Type), o);
}

PyObject *PySequence_Fast(PyObject *o, const char *message) {
    FERRY_API;
    if (PyList_CheckExact(o) || PyTuple_CheckExact(o))
        return Py_NewRef(o);
    PyObject *it = PyObject_GetIter(o);
    if (!it) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError, message);
        }
        return nullptr;
    }
    Py_DECREF(it);
    return PySequence_List(o);
}

// ---------------------------------------------------------------- mapping

int PyMapping_Check(PyObject *o) {
    FERRY_API;
    PyMappingMethods *mp = o ? Py_TYPE(o)->tp_as_mapping : nullptr;
    return mp && mp->mp_subscript;
}

Py_ssize_t PyMapping_Size(PyObject *o) {
    FERRY_API;
    if (!o) {
        null_argument();
        return -1;
    }
    if (!(mp_of(o) && mp_of(o)->mp_length)) {
        if (sq_of(o) && sq_of(o)->sq_length)
            PyErr_Format(PyExc_TypeError, "%.200s is not a mapping", Py_TYPE(o)->tp_name);
        else
            PyErr_Format(PyExc_TypeError, "object of type '%.200s' has no len()", Py_TYPE(o)->tp_name);
        return -1;
    }
    return size_of(o);
}

PyObject *PyMapping_GetItemString(PyObject *o, const char *key) {
    FERRY_API;
    PyObject *k = PyUnicode_FromString(key);
    PyObject *r = k ? PyObject_GetItem(o, k) : nullptr;
    Py_XDECREF(k);
    return r;
}

int PyMapping_SetItemString(PyObject *o, const char *key, PyObject *v) {
    FERRY_API;
    PyObject *k = PyUnicode_FromString(key);
    int r = k ? PyObject_SetItem(o, k, v) : -1;
    Py_XDECREF(k);
    return r;
}

int PyMapping_HasKey(PyObject *o, PyObject *key) {
    FERRY_API;
    PyObject *r = PyObject_GetItem(o, key);
    if (!r) {
        PyErr_Clear();
        return 0;
    }
    Py_DECREF(r);
    return 1;
}

int PyMapping_HasKeyString(PyObject *o, const char *key) {
    FERRY_API;
    PyObject *r = PyMapping_GetItemString(o, key);
    if (!r) {
        PyErr_Clear();
        return 0;
    }
    Py_DECREF(r);
    return 1;
}

namespace {

// keys()/values()/items() as a list, as CPython 3.11 returns them.
PyObject *mapping_view(PyObject *o, const char *name) {
    if (PyDict_CheckExact(o)) {
        if (name[0] == 'k')
            return PyDict_Keys(o);
        if (name[0] == 'v')
            return PyDict_Values(o);
        return PyDict_Items(o);
    }
    PyObject *view = method(o, name);
    if (!view)
        return nullptr;
    PyObject *r = PySequence_List(view);
    if (!r && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%.200s.%s() returned a non-iterable (type %.200s)",
                     Py_TYPE(o)->tp_name, name, Py_TYPE(view)->tp_name);
    }
    Py_DECREF(view);
    return r;
}

} // namespace

PyObject *PyMapping_Keys(PyObject *o) { FERRY_API; return mapping_view(o, "keys"); }
PyObject *PyMapping_Values(PyObject *o) { FERRY_API; return mapping_view(o, "values"); }
PyObject *PyMapping_Items(PyObject *o) { FERRY_API; return mapping_view(o, "items"); }

namespace {

// _PyGen_FetchStopIterationValue: the value of a pending StopIteration (None
// when nothing is pending); -1 with the error kept for any other error.
int fetch_stop_iteration_value(PyObject **pvalue) {
    PyObject *value = nullptr;
    if (PyErr_ExceptionMatches(PyExc_StopIteration)) {
        PyObject *et, *ev, *tb;
        PyErr_Fetch(&et, &ev, &tb);
        if (ev) {
            if (PyObject_TypeCheck(ev, reinterpret_cast<PyTypeObject *>(et))) {
                value = PyObject_GetAttrString(ev, "value");
                Py_DECREF(ev);
            } else if (et == PyExc_StopIteration && !PyTuple_Check(ev)) {
                value = ev;
            } else {
                PyErr_NormalizeException(&et, &ev, &tb);
                if (!PyObject_TypeCheck(ev, reinterpret_cast<PyTypeObject *>(PyExc_StopIteration))) {
                    PyErr_Restore(et, ev, tb);
                    return -1;
                }
                value = PyObject_GetAttrString(ev, "value");
                Py_DECREF(ev);
            }
            if (!value) {   // reading .value failed: that error is the result
                Py_XDECREF(et);
                Py_XDECREF(tb);
                return -1;
            }
        }
        Py_XDECREF(et);
        Py_XDECREF(tb);
    } else if (PyErr_Occurred()) {
        return -1;
    }
    *pvalue = value ? value : Py_NewRef(Py_None);
    return 0;
}

} // namespace

PySendResult PyIter_Send(PyObject *iter, PyObject *arg, PyObject **result) {
    FERRY_API;
    PyTypeObject *t = Py_TYPE(iter);
    if (t->tp_as_async && t->tp_as_async->am_send)
        return t->tp_as_async->am_send(iter, arg, result);
    if (arg == Py_None && PyIter_Check(iter)) {
        TypeInfo *ti = type_info(t);
        // A managed iterator's own __next__, so a StopIteration keeps its value.
        *result = ti && ti->is_native ? t->tp_iternext(iter) : method(iter, "__next__");
    } else {
        *result = method(iter, "send", arg);
    }
    if (*result)
        return PYGEN_NEXT;
    if (fetch_stop_iteration_value(result) == 0)
        return PYGEN_RETURN;
    return PYGEN_ERROR;
}
