// Type objects: the layer's static types and exceptions, proxies of managed
// types, extension types readied by PyType_Ready and the managed classes that
// wrap them. Mirrors Objects/typeobject.c.
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpyext/internal.h"
#include "cpyext/native_slots.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/cycles.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#include <structmember.h>   // after Python.h

using ferry::Layout;
using ferry::TypeInfo;
using ferry::host::Builtin;
using ferry::host::Handle;
using ferry::host::Helper;

// ---------------------------------------------------------------- the statics

#define FERRY_STATIC_TYPE(sym, name, layout, basic, item, flags) PyTypeObject sym;
#include "cpyext/static_types.def"
#undef FERRY_STATIC_TYPE

namespace {
#define FERRY_EXCEPTION(name) PyTypeObject exc_##name;
#include "cpyext/exceptions.def"
#undef FERRY_EXCEPTION
} // namespace

#define FERRY_EXCEPTION(name) PyObject *PyExc_##name = reinterpret_cast<PyObject *>(&exc_##name);
#include "cpyext/exceptions.def"
#undef FERRY_EXCEPTION

namespace {
PyObject *object_new(PyTypeObject *type, PyObject *args, PyObject *kwds);
PyObject *builtin_new(PyTypeObject *type, PyObject *args, PyObject *kwds);
int builtin_init(PyObject *self, PyObject *args, PyObject *kwds);
PyTypeObject *builtin_base(PyTypeObject *t);
int builtin_traverse(PyObject *, visitproc, void *) { return 0; }   // (the host traces their part)
int builtin_clear(PyObject *) { return 0; }
} // namespace

PyObject _Py_NoneStruct;
PyObject _Py_NotImplementedStruct;
PyObject _Py_EllipsisObject;
struct _longobject _Py_FalseStruct;
struct _longobject _Py_TrueStruct;

namespace ferry {
namespace {

// A TypeInfo plus the slot tables a proxy type points to.
struct TypeRecord {
    TypeInfo info;
    PyNumberMethods nb{};
    PySequenceMethods sq{};
    PyMappingMethods mp{};
};

std::unordered_map<int64_t, PyTypeObject *> g_types_by_id;

TypeRecord *new_record(PyTypeObject *t) {
    auto *r = new TypeRecord();
    r->info.type = t;
    t->tp_cache = reinterpret_cast<PyObject *>(&r->info);
    return r;
}

// Which dunders a managed type has; decides which forwarding slots a proxy
// type fills (PyIter_Check, PyCallable_Check, ... look at slots).
#define FERRY_FEATURES(X)                                                          \
    X(call, "__call__") X(iter, "__iter__") X(next, "__next__") X(len, "__len__")   \
    X(getitem, "__getitem__") X(setitem, "__setitem__") X(contains, "__contains__") \
    X(index, "__index__") X(int_, "__int__") X(float_, "__float__")                 \
    X(add, "__add__") X(hash_none, "__hash__ is None") X(get, "__get__")            \
    X(set, "__set__") X(delete_, "__delete__") X(dt_date, "datetime.date")             \
    X(dt_datetime, "datetime.datetime") X(dt_time, "datetime.time")                  \
    X(dt_delta, "datetime.timedelta") X(identity_hash, "__hash__ is object's")
enum Feature : uint32_t {
#define X(n, s) f_##n,
    FERRY_FEATURES(X)
#undef X
};
const char kFeatureNames[] =
#define X(n, s) s ","
    FERRY_FEATURES(X)
#undef X
    ;
inline bool has(const TypeInfo &ti, Feature f) { return ti.features & (1u << f); }

// A forwarding slot called on a hybrid whose type of C (or one of its C
// bases) defines that slot itself: its C code calling its builtin base's
// slot (PyLong_Type.tp_repr from its own tp_repr). Dispatching on the object
// would come back to that code; the builtin's own method answers instead, as
// the base's C slot does in CPython. (A Python subclass's forwarding slot
// called on its instance from C answers so too.) The builtin, or null.
template <typename Get> PyTypeObject *base_slot_call(PyObject *o, Get get, const void *fn) {
    TypeInfo *ti = type_info(Py_TYPE(o));
    if (!ti || !ti->hybrid) [[likely]]
        return nullptr;
    for (PyTypeObject *t = Py_TYPE(o); t && type_info(t) && type_info(t)->hybrid; t = t->tp_base) {
        const void *own = get(t);
        if (own && own != fn)
            return builtin_base(t);
    }
    return nullptr;
}

// The builtin's method `name` called with o and args (new references).
PyObject *builtin_dunder(PyTypeObject *b, const char *name, std::initializer_list<PyObject *> args) {
    Handle f = host::getattr_s(type_handle(b), name);
    if (!f)
        return null_with_host_error();
    std::vector<Handle> hs;
    for (PyObject *a : args) {
        hs.push_back(handle_of(a));
        if (!hs.back()) {
            host::close(f);
            return nullptr;
        }
    }
    Handle t = host::tuple_from(hs.data(), hs.size());
    Handle r = t ? host::call(f, t, {}) : Handle{};
    host::close(t);
    host::close(f);
    return from_host_steal(r);
}

#define FERRY_BASE_CALL(o, field, fn, name, ...)                                              \
    if (PyTypeObject *b_ = base_slot_call(o, [](PyTypeObject *t) -> const void * { return field; }, \
                                          reinterpret_cast<const void *>(fn))) [[unlikely]]      \
        return builtin_dunder(b_, name, {__VA_ARGS__})
#define FERRY_SQ_FN(field) (t->tp_as_sequence ? reinterpret_cast<const void *>(t->tp_as_sequence->field) : nullptr)
#define FERRY_MP_FN(field) (t->tp_as_mapping ? reinterpret_cast<const void *>(t->tp_as_mapping->field) : nullptr)

// A base's int slot (sq_contains) or Py_ssize_t slot (sq_length, tp_hash)
// from its dunder's answer (a new reference, or null).
int int_result(PyObject *r) {
    if (!r)
        return -1;
    int v = PyObject_IsTrue(r);
    Py_DECREF(r);
    return v;
}
Py_ssize_t ssize_result(PyObject *r) {
    Py_ssize_t v = r ? PyLong_AsSsize_t(r) : -1;
    Py_XDECREF(r);
    return v;
}

// Forwarding slots: the C view of the managed type's own behaviour.
PyObject *slot_repr(PyObject *o) {
    FERRY_BASE_CALL(o, reinterpret_cast<const void *>(t->tp_repr), slot_repr, "__repr__", o);
    return PyObject_Repr(o);
}
PyObject *slot_str(PyObject *o) {
    FERRY_BASE_CALL(o, reinterpret_cast<const void *>(t->tp_str), slot_str, "__str__", o);
    return PyObject_Str(o);
}
Py_hash_t slot_hash(PyObject *o) {
    if (PyTypeObject *b = base_slot_call(o, [](PyTypeObject *t) { return reinterpret_cast<const void *>(t->tp_hash); },
                                         reinterpret_cast<const void *>(slot_hash))) [[unlikely]]
        return ssize_result(builtin_dunder(b, "__hash__", {o}));
    return PyObject_Hash(o);
}
// A type's own comparison, which may answer NotImplemented (as a C
// tp_richcompare does), not the whole protocol of PyObject_RichCompare.
PyObject *slot_richcompare(PyObject *a, PyObject *b, int op) {
    static const char *const names[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
    if (op < Py_LT || op > Py_GE) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    FERRY_BASE_CALL(a, reinterpret_cast<const void *>(t->tp_richcompare), slot_richcompare, names[op], a, b);
    return call_dunder(a, names[op], b);
}
PyObject *slot_getattro(PyObject *o, PyObject *n) {
    FERRY_BASE_CALL(o, reinterpret_cast<const void *>(t->tp_getattro), slot_getattro, "__getattribute__", o, n);
    return PyObject_GetAttr(o, n);
}
int slot_setattro(PyObject *o, PyObject *n, PyObject *v) {
    if (PyTypeObject *b = base_slot_call(o, [](PyTypeObject *t) { return reinterpret_cast<const void *>(t->tp_setattro); },
                                         reinterpret_cast<const void *>(slot_setattro))) [[unlikely]]
        return int_result(v ? builtin_dunder(b, "__setattr__", {o, n, v})
                            : builtin_dunder(b, "__delattr__", {o, n})) < 0 ? -1 : 0;
    return PyObject_SetAttr(o, n, v);
}
PyObject *slot_call(PyObject *o, PyObject *a, PyObject *k) { return PyObject_Call(o, a, k); }
PyObject *slot_iter(PyObject *o) {
    FERRY_BASE_CALL(o, reinterpret_cast<const void *>(t->tp_iter), slot_iter, "__iter__", o);
    return PyObject_GetIter(o);
}
PyObject *slot_iternext(PyObject *o) {
    PyObject *r = PyIter_Next(o);
    return r;
}
Py_ssize_t slot_length(PyObject *o) {
    if (PyTypeObject *b = base_slot_call(o, [](PyTypeObject *t) { return FERRY_SQ_FN(sq_length) ? FERRY_SQ_FN(sq_length) : FERRY_MP_FN(mp_length); },
                                         reinterpret_cast<const void *>(slot_length))) [[unlikely]]
        return ssize_result(builtin_dunder(b, "__len__", {o}));
    return PyObject_Size(o);
}
PyObject *slot_item(PyObject *o, Py_ssize_t i) {
    PyObject *k = PyLong_FromSsize_t(i);
    PyObject *r = nullptr;
    if (PyTypeObject *b = base_slot_call(o, [](PyTypeObject *t) { return FERRY_SQ_FN(sq_item); },
                                         reinterpret_cast<const void *>(slot_item))) [[unlikely]]
        r = k ? builtin_dunder(b, "__getitem__", {o, k}) : nullptr;
    else
        r = k ? PyObject_GetItem(o, k) : nullptr;
    Py_XDECREF(k);
    return r;
}
int slot_contains(PyObject *o, PyObject *v) {
    if (PyTypeObject *b = base_slot_call(o, [](PyTypeObject *t) { return FERRY_SQ_FN(sq_contains); },
                                         reinterpret_cast<const void *>(slot_contains))) [[unlikely]]
        return int_result(builtin_dunder(b, "__contains__", {o, v}));
    return PySequence_Contains(o, v);
}
int slot_ass_item(PyObject *o, Py_ssize_t i, PyObject *v) { return PySequence_SetItem(o, i, v); }
PyObject *slot_concat(PyObject *a, PyObject *b) { return PyNumber_Add(a, b); }
PyObject *slot_repeat(PyObject *o, Py_ssize_t n) {
    PyObject *k = PyLong_FromSsize_t(n);
    PyObject *r = k ? PyNumber_Multiply(o, k) : nullptr;
    Py_XDECREF(k);
    return r;
}
PyObject *slot_subscript(PyObject *o, PyObject *k) {
    FERRY_BASE_CALL(o, FERRY_MP_FN(mp_subscript), slot_subscript, "__getitem__", o, k);
    return PyObject_GetItem(o, k);
}
int slot_ass_subscript(PyObject *o, PyObject *k, PyObject *v) {
    if (PyTypeObject *b = base_slot_call(o, [](PyTypeObject *t) { return FERRY_MP_FN(mp_ass_subscript); },
                                         reinterpret_cast<const void *>(slot_ass_subscript))) [[unlikely]]
        return int_result(v ? builtin_dunder(b, "__setitem__", {o, k, v})
                            : builtin_dunder(b, "__delitem__", {o, k})) < 0 ? -1 : 0;
    return v ? PyObject_SetItem(o, k, v) : PyObject_DelItem(o, k);
}
#undef FERRY_SQ_FN
#undef FERRY_MP_FN
#undef FERRY_BASE_CALL
int slot_bool(PyObject *o) {
    if (PyTypeObject *b = base_slot_call(o, [](PyTypeObject *t) {
            return t->tp_as_number ? reinterpret_cast<const void *>(t->tp_as_number->nb_bool) : nullptr; },
                                         reinterpret_cast<const void *>(slot_bool))) [[unlikely]]
        return int_result(builtin_dunder(b, "__bool__", {o}));
    return PyObject_IsTrue(o);
}
PyObject *slot_index(PyObject *o) { return PyNumber_Index(o); }
PyObject *slot_int(PyObject *o) { return PyNumber_Long(o); }
PyObject *slot_float(PyObject *o) { return PyNumber_Float(o); }
// nb_add as typeobject.c's SLOT1BINFULL: called for either operand; the left
// one's __add__ first, then the right one's __radd__.
PyObject *slot_add(PyObject *a, PyObject *b) {
    auto is_ours = [](PyObject *o) {
        return Py_TYPE(o)->tp_as_number && Py_TYPE(o)->tp_as_number->nb_add == slot_add;
    };
    if (is_ours(a)) {
        PyObject *r = call_dunder(a, "__add__", b);
        if (r != Py_NotImplemented || Py_TYPE(a) == Py_TYPE(b) || !is_ours(b))
            return r;
        Py_DECREF(r);
    }
    int has = has_dunder(b, "__radd__");
    if (has <= 0)
        return has < 0 ? nullptr : Py_NewRef(Py_NotImplemented);
    return call_dunder(b, "__radd__", a);
}
// Descriptors (typeobject.c slot_tp_descr_get/set): a missing obj or type
// is passed as None; a NULL value deletes.
PyObject *slot_descr_get(PyObject *self, PyObject *obj, PyObject *type) {
    return call_dunder(self, "__get__", obj ? obj : Py_None, type ? type : Py_None);
}
int slot_descr_set(PyObject *self, PyObject *obj, PyObject *value) {
    PyObject *r = value ? call_dunder(self, "__set__", obj, value) : call_dunder(self, "__delete__", obj);
    if (!r)
        return -1;
    Py_DECREF(r);
    return 0;
}
// A container frees its items in its dealloc, one level deeper each: as
// CPython's list_dealloc & co., the trashcan sets aside what is met past 50
// levels, so that a long chain does not overflow the stack (a list C made
// 100000 deep crashed when it died).
void slot_dealloc(PyObject *o) {
    Py_TRASHCAN_BEGIN_CONDITION(o, PyType_HasFeature(Py_TYPE(o), Py_TPFLAGS_LIST_SUBCLASS |
                                                                     Py_TPFLAGS_TUPLE_SUBCLASS |
                                                                     Py_TPFLAGS_DICT_SUBCLASS))
    object_dealloc(o);
    Py_TRASHCAN_END
}

void fill_forwarding_slots(PyTypeObject *t, TypeRecord *r) {
    const TypeInfo &ti = r->info;
    // Capsules run their destructor; PyModuleDef structs are the extensions' statics.
    t->tp_dealloc = t == &PyCapsule_Type ? capsule_dealloc
                    : t == &PyModuleDef_Type ? nullptr
                                             : slot_dealloc;
    t->tp_repr = slot_repr;
    t->tp_str = slot_str;
    t->tp_hash = has(ti, f_hash_none) ? PyObject_HashNotImplemented : slot_hash;
    t->tp_richcompare = slot_richcompare;
    t->tp_getattro = slot_getattro;
    t->tp_setattro = slot_setattro;
    t->tp_free = PyObject_Free;
    t->tp_call = has(ti, f_call) ? slot_call : nullptr;
    t->tp_iter = has(ti, f_iter) ? slot_iter : nullptr;
    t->tp_iternext = has(ti, f_next) ? slot_iternext : nullptr;
    t->tp_descr_get = has(ti, f_get) ? slot_descr_get : nullptr;
    t->tp_descr_set = has(ti, f_set) || has(ti, f_delete_) ? slot_descr_set : nullptr;
    r->nb.nb_index = has(ti, f_index) ? slot_index : nullptr;
    r->nb.nb_int = has(ti, f_int_) ? slot_int : nullptr;
    r->nb.nb_float = has(ti, f_float_) ? slot_float : nullptr;
    r->nb.nb_add = has(ti, f_add) ? slot_add : nullptr;
    r->sq.sq_length = has(ti, f_len) ? slot_length : nullptr;
    r->sq.sq_item = has(ti, f_getitem) ? slot_item : nullptr;
    r->sq.sq_contains = has(ti, f_contains) ? slot_contains : nullptr;
    r->mp.mp_length = r->sq.sq_length;
    r->mp.mp_subscript = has(ti, f_getitem) ? slot_subscript : nullptr;
    r->mp.mp_ass_subscript = has(ti, f_setitem) ? slot_ass_subscript : nullptr;
    r->sq.sq_ass_item = has(ti, f_setitem) ? slot_ass_item : nullptr;
    // The builtin containers fill their slot tables as CPython's own types do:
    // the sequences concatenate and repeat, a dict is no sequence, a set no mapping.
    switch (ti.layout) {
    case Layout::long_: case Layout::float_: case Layout::complex_:
        r->nb.nb_bool = slot_bool;
        break;
    case Layout::list: case Layout::tuple: case Layout::unicode: case Layout::bytes:
    case Layout::bytearray:
        r->sq.sq_concat = slot_concat;
        r->sq.sq_repeat = slot_repeat;
        break;
    case Layout::dict:
        r->sq.sq_length = nullptr;
        r->sq.sq_item = nullptr;
        r->sq.sq_ass_item = nullptr;
        break;
    case Layout::set:
        r->mp.mp_length = nullptr;
        r->mp.mp_subscript = nullptr;
        r->mp.mp_ass_subscript = nullptr;
        break;
    default:
        break;
    }
    if (t == &PyDictProxy_Type) {   // a mapping, as a dict: no sequence (PySequence_Check)
        r->sq.sq_length = nullptr;
        r->sq.sq_item = nullptr;
        r->sq.sq_ass_item = nullptr;
    }
    t->tp_as_number = &r->nb;
    t->tp_as_sequence = &r->sq;
    t->tp_as_mapping = &r->mp;
}

// False with the C error set when the host could not answer.
bool features_of(Handle host_type, uint32_t *features) {
    Handle names = host::unicode_from_latin1(kFeatureNames, sizeof kFeatureNames - 1);
    Handle r = names ? host::call_helper(Helper::type_features, {host_type, names}) : Handle{};
    host::close(names);
    if (!r) {
        move_host_error_to_c();
        return false;
    }
    bool overflow = false;
    *features = static_cast<uint32_t>(host::long_as(r, &overflow));
    host::close(r);
    return true;
}

void init_static(PyTypeObject *t, const char *name, Layout layout, Py_ssize_t basic,
                 Py_ssize_t item, unsigned long flags) {
    Py_SET_REFCNT(t, 1 << 29);
    Py_SET_TYPE(t, &PyType_Type);
    t->tp_name = name;
    t->tp_basicsize = basic;
    t->tp_itemsize = item;
    t->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_READY | Py_TPFLAGS_IMMUTABLETYPE | flags;
    t->tp_base = t == &PyBaseObject_Type ? nullptr : &PyBaseObject_Type;
    t->tp_alloc = PyType_GenericAlloc;
    t->tp_free = PyObject_Free;
    // What an extension's type based on a builtin calls (its tp_new calls
    // PyFloat_Type.tp_new, its tp_traverse PyExc_Exception's, ...).
    if ((flags & Py_TPFLAGS_BASETYPE) && t != &PyBaseObject_Type) {
        t->tp_new = builtin_new;
        t->tp_init = builtin_init;
    }
    if (flags & Py_TPFLAGS_HAVE_GC) {
        t->tp_traverse = builtin_traverse;
        t->tp_clear = builtin_clear;
    }
    TypeRecord *r = new_record(t);
    r->info.layout = layout;
    r->info.is_static = true;
    r->info.plain_metaclass = true;
    fill_forwarding_slots(t, r);
}

// Binds a static type to the host type `h` (owned).
bool bind_static(PyTypeObject *t, Handle h) {
    TypeInfo *ti = type_info(t);
    ti->host_type = h;
    if (!features_of(h, &ti->features))
        return false;
    ti->hash_identity = has(*ti, f_identity_hash);
    fill_forwarding_slots(t, reinterpret_cast<TypeRecord *>(ti));
    int64_t id = bridge::host_id(h);
    if (!id)
        return false;
    g_types_by_id[id] = t;
    return true;
}

void init_singleton(PyObject *o, PyTypeObject *t) {
    Py_SET_REFCNT(o, 1 << 29);
    Py_SET_TYPE(o, t);
}

} // namespace

bool bind_layer_type(PyTypeObject *t, Layout layout, Handle cls) {
    TypeRecord *r = new_record(t);
    r->info.layout = layout;
    r->info.is_static = true;
    return bind_static(t, cls);
}

PyTypeObject *base_from_host(PyTypeObject *t) {
    Handle b = host::getattr_s(type_info(t)->host_type, "__base__");
    if (!b) {
        move_host_error_to_c();
        return nullptr;
    }
    PyTypeObject *base = host::is(b, host::borrowed(Builtin::None)) ? nullptr : type_from_host(b);
    host::close(b);
    return base;
}

TypeInfo *type_info(PyTypeObject *t) { return reinterpret_cast<TypeInfo *>(t->tp_cache); }

void init_static_types() {
#define FERRY_STATIC_TYPE(sym, name, layout, basic, item, flags) \
    init_static(&sym, name, Layout::layout, basic, item, flags);
#include "cpyext/static_types.def"
#undef FERRY_STATIC_TYPE
    PyBool_Type.tp_base = &PyLong_Type;
    PyBytes_Type.tp_as_buffer = &bytes_buffer_procs;
    PyBaseObject_Type.tp_new = object_new;   // what heap types of C inherit
    PyCMethod_Type.tp_base = &PyCFunction_Type;
#define FERRY_EXCEPTION(name)                                                         \
    init_static(&exc_##name, #name, Layout::generic, sizeof(PyBaseExceptionObject), 0, \
                Py_TPFLAGS_BASE_EXC_SUBCLASS | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC);
#include "cpyext/exceptions.def"
#undef FERRY_EXCEPTION
    init_singleton(&_Py_NoneStruct, &_PyNone_Type);
    init_singleton(&_Py_NotImplementedStruct, &_PyNotImplemented_Type);
    init_singleton(&_Py_EllipsisObject, &PyEllipsis_Type);
    init_singleton(reinterpret_cast<PyObject *>(&_Py_FalseStruct), &PyBool_Type);
    init_singleton(reinterpret_cast<PyObject *>(&_Py_TrueStruct), &PyBool_Type);
    _Py_TrueStruct.ob_base.ob_size = 1;
    _Py_TrueStruct.ob_digit[0] = 1;
}

namespace {

// The MRO of a type of single inheritance: itself, then its base's (the
// base's tp_mro, else its tp_base chain).
PyObject *single_base_mro(PyTypeObject *t) {
    std::vector<PyObject *> seq{reinterpret_cast<PyObject *>(t)};
    PyTypeObject *b = t->tp_base;
    if (b && b->tp_mro && PyTuple_Check(b->tp_mro)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(b->tp_mro); i++)
            seq.push_back(PyTuple_GET_ITEM(b->tp_mro, i));
    } else {
        for (; b; b = b->tp_base)
            seq.push_back(reinterpret_cast<PyObject *>(b));
    }
    PyObject *mro = PyTuple_New(seq.size());
    for (size_t i = 0; mro && i < seq.size(); i++)
        PyTuple_SET_ITEM(mro, i, Py_NewRef(seq[i]));
    return mro;
}

} // namespace

namespace {

// The name C3's errors give a class (typeobject.c class_name: its __name__).
std::string short_name(PyObject *t) {
    const char *n = reinterpret_cast<PyTypeObject *>(t)->tp_name;
    const char *dot = std::strrchr(n, '.');
    return dot ? dot + 1 : n;
}

// The C3 linearization of t over its bases' MROs (typeobject.c
// mro_implementation), with CPython's errors.
PyObject *c3_mro(PyTypeObject *t) {
    PyObject *bases = t->tp_bases;
    Py_ssize_t n = PyTuple_GET_SIZE(bases);
    std::vector<std::vector<PyObject *>> to_merge;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyType_Check(PyTuple_GET_ITEM(bases, i))) {
            PyErr_SetString(PyExc_TypeError, "bases must be types");
            return nullptr;
        }
        auto *b = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(bases, i));
        if (!b->tp_mro) {
            PyErr_Format(PyExc_TypeError, "Cannot extend an incomplete type '%.100s'", b->tp_name);
            return nullptr;
        }
        for (Py_ssize_t j = 0; j < i; j++)
            if (PyTuple_GET_ITEM(bases, j) == PyTuple_GET_ITEM(bases, i)) {
                PyErr_Format(PyExc_TypeError, "duplicate base class %s",
                             short_name(PyTuple_GET_ITEM(bases, i)).c_str());
                return nullptr;
            }
        PyObject *m = b->tp_mro;
        to_merge.emplace_back(&PyTuple_GET_ITEM(m, 0), &PyTuple_GET_ITEM(m, 0) + PyTuple_GET_SIZE(m));
    }
    to_merge.emplace_back(&PyTuple_GET_ITEM(bases, 0), &PyTuple_GET_ITEM(bases, 0) + n);
    std::vector<size_t> done(to_merge.size(), 0);   // how much of each list is merged
    std::vector<PyObject *> result{reinterpret_cast<PyObject *>(t)};
    auto in_a_tail = [&](PyObject *c) {
        for (size_t k = 0; k < to_merge.size(); k++)
            for (size_t j = done[k] + 1; j < to_merge[k].size(); j++)
                if (to_merge[k][j] == c)
                    return true;
        return false;
    };
    for (;;) {
        PyObject *next = nullptr;
        bool left = false;
        for (size_t k = 0; k < to_merge.size() && !next; k++) {
            if (done[k] == to_merge[k].size())
                continue;
            left = true;
            if (!in_a_tail(to_merge[k][done[k]]))
                next = to_merge[k][done[k]];
        }
        if (!left)
            break;
        if (!next) {   // typeobject.c set_mro_error: the heads left, each once
            std::string msg = "Cannot create a consistent method resolution\norder (MRO) for bases";
            std::vector<PyObject *> heads;
            for (size_t k = 0; k < to_merge.size(); k++) {
                if (done[k] == to_merge[k].size())
                    continue;
                PyObject *h = to_merge[k][done[k]];
                if (std::find(heads.begin(), heads.end(), h) == heads.end()) {
                    msg += (heads.empty() ? " " : ", ") + short_name(h);
                    heads.push_back(h);
                }
            }
            PyErr_SetString(PyExc_TypeError, msg.c_str());
            return nullptr;
        }
        result.push_back(next);
        for (size_t k = 0; k < to_merge.size(); k++)
            if (done[k] < to_merge[k].size() && to_merge[k][done[k]] == next)
                done[k]++;
    }
    PyObject *mro = PyTuple_New(result.size());
    for (size_t i = 0; mro && i < result.size(); i++)
        PyTuple_SET_ITEM(mro, i, Py_NewRef(result[i]));
    return mro;
}

} // namespace

// tp_bases ((tp_base,) when unset) and tp_mro, as PyType_Ready leaves them
// for a type of C.
int set_bases_and_mro(PyTypeObject *t) {
    if (!t->tp_bases) {
        t->tp_bases = t->tp_base ? PyTuple_Pack(1, reinterpret_cast<PyObject *>(t->tp_base)) : PyTuple_New(0);
        if (!t->tp_bases)
            return -1;
    }
    if (!PyTuple_Check(t->tp_bases)) {
        PyErr_Format(PyExc_SystemError, "type %s has a tp_bases that is no tuple", t->tp_name);
        return -1;
    }
    if (t->tp_mro)
        return 0;
    t->tp_mro = PyTuple_GET_SIZE(t->tp_bases) > 1 ? c3_mro(t) : single_base_mro(t);
    return t->tp_mro ? 0 : -1;
}

bool bind_static_types() {
    // PyModuleDef objects are statics of the extensions: their managed class
    // is made here and wraps them (see handle_of).
    auto bind_named = [](PyTypeObject *t, const char *name) {
        Handle h;
        if (type_info(t)->layout == Layout::moduledef) {
            h = host::native_class(t->tp_name, {}, false, false);
        } else {
            Handle n = host::unicode_from_latin1(name, std::strlen(name));
            h = n ? host::call_helper(Helper::builtin, {n}) : Handle{};
            host::close(n);
        }
        if (!h) {
            move_host_error_to_c();
            return false;
        }
        return bind_static(t, h);
    };
#define FERRY_STATIC_TYPE(sym, name, layout, basic, item, flags) \
    if (!bind_named(&sym, name))                                \
        return false;
#include "cpyext/static_types.def"
#undef FERRY_STATIC_TYPE
#define FERRY_EXCEPTION(name)               \
    if (!bind_named(&exc_##name, #name))    \
        return false;
#include "cpyext/exceptions.def"
#undef FERRY_EXCEPTION
    // The layer's own function class is a PyCFunction_Type too (the managed
    // counterpart of PyCFunction_Type is the host's builtin function type).
    {
        Handle n = host::unicode_from_latin1("ferry_function", 14);
        Handle h = n ? host::call_helper(Helper::builtin, {n}) : Handle{};
        host::close(n);
        int64_t id = h ? bridge::host_id(h) : 0;
        host::close(h);
        if (!id) {
            if (!PyErr_Occurred())
                move_host_error_to_c();
            return false;
        }
        g_types_by_id[id] = &PyCFunction_Type;
    }
    // Capsules are native objects: their managed class reaches the C repr.
    PyCapsule_Type.tp_repr = capsule_repr;
    Handle capsule_type = host::long_from_unsigned(reinterpret_cast<uintptr_t>(&PyCapsule_Type));
    int set = host::setattr_s(type_info(&PyCapsule_Type)->host_type, "_ferry_type", capsule_type);
    host::close(capsule_type);
    if (set < 0) {
        move_host_error_to_c();
        return false;
    }
    // Exception bases follow the host's hierarchy.
#define FERRY_EXCEPTION(name) exc_##name.tp_base = base_from_host(&exc_##name);
#include "cpyext/exceptions.def"
#define FERRY_FAMILY "typeobject"
#undef FERRY_EXCEPTION
    if (PyErr_Occurred())
        return false;
    // tp_bases and tp_mro, as PyType_Ready leaves them (single inheritance).
#define FERRY_STATIC_TYPE(sym, name, layout, basic, item, flags) \
    if (set_bases_and_mro(&sym) < 0)                              \
        return false;
#include "cpyext/static_types.def"
#undef FERRY_STATIC_TYPE
#define FERRY_EXCEPTION(name)                  \
    if (set_bases_and_mro(&exc_##name) < 0)    \
        return false;
#include "cpyext/exceptions.def"
#undef FERRY_EXCEPTION
    return true;
}


// ---------------------------------------------------------------- proxies of managed types

namespace {

// A layout inherited from the nearest builtin base (a str subclass is laid
// out as a str, so PyUnicode_Check and the data macros work on it).
Layout layout_of_base(PyTypeObject *base, unsigned long *flags) {
    *flags = base ? base->tp_flags & (Py_TPFLAGS_LONG_SUBCLASS | Py_TPFLAGS_LIST_SUBCLASS |
                                      Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_BYTES_SUBCLASS |
                                      Py_TPFLAGS_UNICODE_SUBCLASS | Py_TPFLAGS_DICT_SUBCLASS |
                                      Py_TPFLAGS_BASE_EXC_SUBCLASS | Py_TPFLAGS_TYPE_SUBCLASS)
                  : 0;
    if (!base)
        return Layout::generic;
    TypeInfo *bi = type_info(base);
    if (bi->is_native)
        return Layout::native;
    return bi->layout == Layout::module || bi->layout == Layout::cfunction ? Layout::generic
                                                                            : bi->layout;
}

void inherit_native_slots(PyTypeObject *t, PyTypeObject *base);
void inherit_along_mro(PyTypeObject *t, PyTypeObject *base);

// A metaclass of C (a type of C based on type), or a Python subclass of one:
// its instances are types whose structs carry its fields.
bool is_c_metaclass(PyTypeObject *m) {
    TypeInfo *mi = type_info(m);
    return m != &PyType_Type && mi && mi->hybrid && PyType_IsSubtype(m, &PyType_Type);
}

// The base whose layout the others' extend (typeobject.c solid_base and
// extra_ivars): a type adds fields unless it is its base's size, less the
// dict and weakref slots a heap type appends.
PyTypeObject *solid_base(PyTypeObject *t) {
    PyTypeObject *base = t->tp_base ? solid_base(t->tp_base) : &PyBaseObject_Type;
    size_t size = t->tp_basicsize, bsize = base->tp_basicsize;
    if (t->tp_itemsize || base->tp_itemsize)
        return size != bsize || t->tp_itemsize != base->tp_itemsize ? t : base;
    for (Py_ssize_t offset : {t->tp_weaklistoffset, t->tp_dictoffset}) {
        Py_ssize_t in_base = offset == t->tp_weaklistoffset ? base->tp_weaklistoffset : base->tp_dictoffset;
        if (offset && !in_base && offset + sizeof(PyObject *) == size && (t->tp_flags & Py_TPFLAGS_HEAPTYPE))
            size -= sizeof(PyObject *);
    }
    return size != bsize ? t : base;
}

// The base of bases whose solid base extends all the others' (the choice of
// best_base), or null with CPython's TypeError.
PyTypeObject *layout_winner(PyObject *bases) {
    PyTypeObject *base = nullptr, *winner = nullptr;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(bases); i++) {
        auto *b = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(bases, i));
        PyTypeObject *candidate = solid_base(b);
        if (!winner) {
            winner = candidate;
            base = b;
        } else if (PyType_IsSubtype(winner, candidate)) {
        } else if (PyType_IsSubtype(candidate, winner)) {
            winner = candidate;
            base = b;
        } else {
            PyErr_SetString(PyExc_TypeError, "multiple bases have instance lay-out conflict");
            return nullptr;
        }
    }
    return base;
}

// All or nothing: a proxy is registered only once everything about it is known.
PyTypeObject *make_type_proxy(Handle t, int64_t id) {
    uint32_t features = 0;
    if (!features_of(t, &features))
        return nullptr;
    Handle b = host::getattr_s(t, "__base__");
    if (!b) {
        move_host_error_to_c();
        return nullptr;
    }
    PyTypeObject *base = host::is(b, host::borrowed(Builtin::None)) ? nullptr : type_from_host(b);
    bool base_failed = !base && !host::is(b, host::borrowed(Builtin::None));
    host::close(b);
    if (base_failed)
        return nullptr;
    // Based on several types of C: the layout base is CPython's choice (the
    // host's need not be: its classes of C all have one layout).
    bool several_native = false;
    if (base && type_info(base)->is_native) {
        Handle hb = host::getattr_s(t, "__bases__");
        PyObject *bases = hb ? from_host_steal(hb) : nullptr;
        if (!hb)
            move_host_error_to_c();
        if (!bases || !PyTuple_Check(bases)) {
            Py_XDECREF(bases);
            return nullptr;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(bases); i++) {
            auto *bi = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(bases, i));
            several_native |= bi != base && type_info(bi) && type_info(bi)->is_native;
        }
        if (several_native)
            base = layout_winner(bases);
        Py_DECREF(bases);
        if (!base)
            return nullptr;
    }
    Handle n = host::getattr_s(t, "__name__");
    ptrdiff_t size = 0;
    const char *s = n ? host::unicode_as_utf8(n, &size) : nullptr;
    if (!s) {
        host::close(n);
        move_host_error_to_c();
        return nullptr;
    }
    // A class of a metaclass of C (one Python made: `class X(metaclass=M)`,
    // or a subclass of a type of C that has one) is laid out as M's
    // instances, its fields zeroed (M's tp_new made it on the host, or type's).
    PyTypeObject *meta = &PyType_Type;
    bool plain_metaclass = false;
    if (Handle mh = host::type(t); mh) {
        plain_metaclass = host::is(mh, type_info(&PyType_Type)->host_type);
        if (!plain_metaclass) {
            PyTypeObject *m = type_from_host(mh);
            if (!m) {
                host::close(mh);
                host::close(n);
                return nullptr;
            }
            if (is_c_metaclass(m))
                meta = m;
        }
        host::close(mh);
    }
    size_t struct_size = std::max<size_t>(sizeof(PyHeapTypeObject), meta->tp_basicsize);
    auto *heap = static_cast<PyHeapTypeObject *>(std::calloc(1, struct_size));
    debug::root_range(heap, struct_size);   // lives as long as the layer
    PyTypeObject *type = &heap->ht_type;
    type->tp_name = strdup(s);
    host::close(n);
    Py_SET_REFCNT(type, 1 << 29);   // proxies of types live as long as the layer
    Py_SET_TYPE(type, meta);
    g_types_by_id[id] = type;
    TypeRecord *r = new_record(type);
    r->info.host_type = host::dup(t);
    r->info.plain_metaclass = plain_metaclass;
    r->info.features = features;
    r->info.hash_identity = has(r->info, f_identity_hash);
    unsigned long inherited = 0;
    r->info.layout = layout_of_base(base, &inherited);
    type->tp_base = base;
    type->tp_basicsize = base ? base->tp_basicsize : sizeof(PyObject);
    type->tp_itemsize = base ? base->tp_itemsize : 0;
    // datetime's classes: C reads their instances as CPython's structs.
    for (auto [f, layout] : {std::pair{f_dt_datetime, Layout::datetime}, std::pair{f_dt_date, Layout::date},
                             std::pair{f_dt_time, Layout::time}, std::pair{f_dt_delta, Layout::delta}}) {
        if (has(r->info, f)) {
            r->info.layout = layout;
            type->tp_basicsize = datetime_basicsize(layout);
            std::string qualified = std::string("datetime.") + type->tp_name;   // a static type in CPython
            std::free(const_cast<char *>(type->tp_name));
            type->tp_name = strdup(qualified.c_str());
            break;
        }
    }
    // Classes defined in Python are collected by the GC in CPython.
    type->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_READY | Py_TPFLAGS_HEAPTYPE |
                     Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC | inherited;
    type->tp_alloc = PyType_GenericAlloc;
    type->tp_free = PyObject_GC_Del;
    if (r->info.layout == Layout::native) {
        // A Python subclass of an extension's type: its instances are native
        // objects laid out as the base's, and C reaches the base's slots.
        r->info.is_native = true;
        if (!several_native)
            inherit_native_slots(type, base);
    } else {
        fill_forwarding_slots(type, r);
    }
    if (base && type_info(base)->hybrid) {
        // A Python subclass of a hybrid type: laid out as its base, whose C
        // fields it carries (and releases); its behaviour is the class's.
        r->info.hybrid = true;
        type->tp_dealloc = base->tp_dealloc;
        type->tp_traverse = base->tp_traverse;
        type->tp_clear = base->tp_clear;
        type->tp_finalize = base->tp_finalize;
        type->tp_free = base->tp_free;
        type->tp_new = base->tp_new;
        type->tp_init = base->tp_init;
    }
    // tp_bases and tp_mro as the class has them now (Cython walks tp_mro for
    // its subclass checks; a class whose __bases__ are assigned later keeps
    // these). Without them C falls back on tp_base, as CPython's readers do.
    for (auto [field, name] : {std::pair{&type->tp_bases, "__bases__"}, std::pair{&type->tp_mro, "__mro__"}}) {
        Handle h = host::getattr_s(t, name);
        PyObject *v = h ? from_host_steal(h) : nullptr;
        if (v && PyTuple_Check(v))
            *field = v;
        else
            Py_XDECREF(v);
        if (!h)
            host::err_clear();
        PyErr_Clear();
    }
    if (several_native)
        inherit_along_mro(type, base);
    return type;
}

} // namespace

namespace {

// The types met most recently, most recent first: a handle comparison each
// (cheap) instead of the host's id() (a call). Their records live as long as
// the layer, and so do the handles compared.
constexpr int kRecentTypes = 8;
PyTypeObject *g_recent_types[kRecentTypes];

PyTypeObject *recent_type(Handle t) {
    for (int i = 0; i < kRecentTypes && g_recent_types[i]; i++) {
        PyTypeObject *c = g_recent_types[i];
        if (host::is(type_info(c)->host_type, t)) {
            for (int j = i; j > 0; j--)
                g_recent_types[j] = g_recent_types[j - 1];
            g_recent_types[0] = c;
            return c;
        }
    }
    return nullptr;
}

PyTypeObject *remember_type(PyTypeObject *type) {
    if (type && type_info(type) && type_info(type)->host_type) {
        for (int j = kRecentTypes - 1; j > 0; j--)
            g_recent_types[j] = g_recent_types[j - 1];
        g_recent_types[0] = type;
    }
    return type;
}

} // namespace

PyTypeObject *type_from_host(Handle t) {
    if (PyTypeObject *known = recent_type(t))
        return known;
    int64_t id = bridge::host_id(t);
    if (!id)
        return nullptr;
    auto it = g_types_by_id.find(id);
    if (it != g_types_by_id.end())
        return remember_type(it->second);
    return remember_type(make_type_proxy(t, id));
}

// ---------------------------------------------------------------- extension types

namespace {

Handle str_handle(const char *s) {
    return s ? host::unicode_from_utf8(s, std::strlen(s)) : host::dup(host::borrowed(Builtin::None));
}
Handle int_handle(long long v) { return host::long_from(v); }

// A tuple of tuples, each built from handles that are closed afterwards.
Handle tuple_of(std::vector<Handle> &items) {
    Handle t = host::tuple_from(items.data(), items.size());
    for (Handle h : items)
        host::close(h);
    items.clear();
    return t;
}

void add_slot(std::vector<Handle> &v, bool present, NativeSlot s) {
    if (present)
        v.push_back(int_handle(static_cast<int>(s)));
}

// The operators a native type defines itself: (slot id, dunder, reflected
// dunder or None, arity) each; a sequence operator only where no number slot
// answers the same dunder.
void add_operator_slots(std::vector<Handle> &v, PyTypeObject *t) {
    PyTypeObject *b = t->tp_base;
    PyNumberMethods *nb = t->tp_as_number, *bnb = b ? b->tp_as_number : nullptr;
    PySequenceMethods *sq = t->tp_as_sequence, *bsq = b ? b->tp_as_sequence : nullptr;
    // (A hybrid's operators that are its builtin's: as in native_slot_list.)
    PyTypeObject *builtin = type_info(t) ? type_info(t)->builtin : nullptr;
    PyNumberMethods *inb = builtin ? builtin->tp_as_number : nullptr;
    PySequenceMethods *isq = builtin ? builtin->tp_as_sequence : nullptr;
    // Nor one a base of C after the builtin in the MRO gave it, where the
    // builtin has that operator on the host (numpy's str_(str, character):
    // CPython's str has nb_remainder, which ferry's table of it lacks, and
    // '%s' % np.str_('x') called numpy's generic remainder).
    auto builtin_first = [&](auto get, const char *name) {
        if (!builtin || !t->tp_mro)
            return false;
        const void *mine = get(t);
        for (Py_ssize_t i = 1; i < PyTuple_GET_SIZE(t->tp_mro); i++) {
            auto *m = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(t->tp_mro, i));
            if (m == builtin) {
                Handle f = host::getattr_s(type_handle(builtin), name);
                if (!f)
                    host::err_clear();
                host::close(f);
                return static_cast<bool>(f);
            }
            if (get(m) == mine)
                return false;   // (a base of C before the builtin gave it)
        }
        return false;
    };
    auto add = [&](OperatorSlot id, const char *name, const char *rname, int arity) {
        std::vector<Handle> row = {int_handle(static_cast<int>(NativeSlot::number_first) + static_cast<int>(id)),
                                   str_handle(name), str_handle(rname), int_handle(arity)};
        v.push_back(tuple_of(row));
    };
#define X(field, name, rname, arity)                                        \
    if (nb && nb->field && !(bnb && bnb->field == nb->field) &&             \
        !(inb && inb->field == nb->field) &&                                \
        !builtin_first([](PyTypeObject *x) -> const void * {                \
            return x->tp_as_number ? (const void *)x->tp_as_number->field : nullptr; }, name)) \
        add(OperatorSlot::field, name, rname, arity);
    FERRY_NUMBER_SLOTS(X)
#undef X
    auto has_number = [&](const char *dunder) {
        bool found = false;
#define X(field, name, rname, arity) found |= nb && nb->field && std::strcmp(name, dunder) == 0;
        FERRY_NUMBER_SLOTS(X)
#undef X
        return found;
    };
#define X(field, name, rname, arity)                                                    \
    if (sq && sq->field && !(bsq && bsq->field == sq->field) && !has_number(name) &&   \
        !(isq && isq->field == sq->field) &&                                            \
        !builtin_first([](PyTypeObject *x) -> const void * {                            \
            return x->tp_as_sequence ? (const void *)x->tp_as_sequence->field : nullptr; }, name)) \
        add(OperatorSlot::field, name, rname, arity);
    FERRY_SEQUENCE_SLOTS(X)
#undef X
}

Handle native_slot_list(PyTypeObject *t) {
    std::vector<Handle> v;
    PyTypeObject *b = t->tp_base;
    // With several bases, a slot that tp_base does not give came from
    // another base, unless it is object's (the host's forwarding slots).
    bool several = PyTuple_GET_SIZE(t->tp_bases) > 1;
    // A hybrid's slot that is its builtin's (the builtin's line is not
    // tp_base: numpy's float64) is the builtin's method on the host already.
    PyTypeObject *builtin = type_info(t) ? type_info(t)->builtin : nullptr;
    auto own = [&](auto field) {
        return field(t) && (!b || field(t) != field(b)) && !(several && field(t) == field(&PyBaseObject_Type)) &&
               !(builtin && field(t) == field(builtin));
    };
    // tp_new inherited from object (a heap type's object_new) is the type's
    // own on the host too: the host's object.__new__ makes no C object.
    // A hybrid type's tp_new inherited from its builtin is the builtin's __new__.
    // With several bases the host's MRO may find another base's __new__ first.
    add_slot(v, t->tp_new && (!b || b == &PyBaseObject_Type || t->tp_new != b->tp_new || several),
             NativeSlot::new_);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_init; }), NativeSlot::init);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_call; }), NativeSlot::call);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_repr; }), NativeSlot::repr);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_str; }), NativeSlot::str);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_hash; }), NativeSlot::hash);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_iter; }), NativeSlot::iter);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_iternext; }), NativeSlot::next);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_richcompare; }), NativeSlot::richcompare);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_getattro; }) &&
                    t->tp_getattro != PyObject_GenericGetAttr, NativeSlot::getattr);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_setattro; }) &&
                    t->tp_setattro != PyObject_GenericSetAttr, NativeSlot::setattr);
    auto mp_len = [](PyTypeObject *x) { return x->tp_as_mapping ? (void *)x->tp_as_mapping->mp_length : nullptr; };
    auto sq_len = [](PyTypeObject *x) { return x->tp_as_sequence ? (void *)x->tp_as_sequence->sq_length : nullptr; };
    add_slot(v, own(mp_len) || own(sq_len), NativeSlot::len);
    auto mp_sub = [](PyTypeObject *x) { return x->tp_as_mapping ? (void *)x->tp_as_mapping->mp_subscript : nullptr; };
    auto sq_item = [](PyTypeObject *x) { return x->tp_as_sequence ? (void *)x->tp_as_sequence->sq_item : nullptr; };
    add_slot(v, own(mp_sub) || own(sq_item), NativeSlot::getitem);
    add_slot(v, own(mp_sub) && !sq_item(t) && !t->tp_iter, NativeSlot::not_iterable);
    add_slot(v, sq_item(t) && !t->tp_iter, NativeSlot::sequence_iterable);
    auto mp_ass = [](PyTypeObject *x) { return x->tp_as_mapping ? (void *)x->tp_as_mapping->mp_ass_subscript : nullptr; };
    auto sq_ass = [](PyTypeObject *x) { return x->tp_as_sequence ? (void *)x->tp_as_sequence->sq_ass_item : nullptr; };
    add_slot(v, own(mp_ass) || own(sq_ass), NativeSlot::setitem);
    auto sq_con = [](PyTypeObject *x) { return x->tp_as_sequence ? (void *)x->tp_as_sequence->sq_contains : nullptr; };
    add_slot(v, own(sq_con), NativeSlot::contains);
    auto nb_bool = [](PyTypeObject *x) { return x->tp_as_number ? (void *)x->tp_as_number->nb_bool : nullptr; };
    add_slot(v, own(nb_bool), NativeSlot::bool_);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_descr_get; }), NativeSlot::descr_get);
    add_slot(v, own([](PyTypeObject *x) { return (void *)x->tp_descr_set; }), NativeSlot::descr_set);
    add_operator_slots(v, t);
    return tuple_of(v);
}

Handle native_method_list(PyTypeObject *t) {
    std::vector<Handle> v;
    for (PyMethodDef *m = t->tp_methods; m && m->ml_name; m++) {
        stats::note_function_module(m, t->tp_name);   // the statistics' attribution
        int arity = -1;
        Handle direct = direct_entry(m, nullptr, t, &arity);
        if (!direct) {
            for (Handle h : v)
                host::close(h);
            return {};
        }
        std::vector<Handle> row = {str_handle(m->ml_name),
                                   host::long_from_unsigned(reinterpret_cast<uintptr_t>(m)),
                                   int_handle(m->ml_flags), str_handle(m->ml_doc), direct, int_handle(arity)};
        v.push_back(tuple_of(row));
    }
    return tuple_of(v);
}

Handle native_member_list(PyTypeObject *t) {
    std::vector<Handle> v;
    int i = 0;
    for (PyMemberDef *m = t->tp_members; m && m->name; m++, i++) {
        // PyType_FromSpec takes these two as the type's offsets, not members.
        if (type_info(t)->from_spec && (std::strcmp(m->name, "__dictoffset__") == 0 ||
                                        std::strcmp(m->name, "__weaklistoffset__") == 0))
            continue;
        std::vector<Handle> row = {str_handle(m->name), int_handle(i),
                                   int_handle(m->flags & READONLY), str_handle(m->doc)};
        v.push_back(tuple_of(row));
    }
    return tuple_of(v);
}

Handle native_getset_list(PyTypeObject *t) {
    std::vector<Handle> v;
    int i = 0;
    for (PyGetSetDef *g = t->tp_getset; g && g->name; g++, i++) {
        std::vector<Handle> row = {str_handle(g->name), int_handle(i), int_handle(g->set != nullptr),
                                   str_handle(g->doc)};
        v.push_back(tuple_of(row));
    }
    return tuple_of(v);
}

// The managed class of an extension's type: a type of the handle ABI of its
// own (so that its __base__ is the C type's base, and Python subclasses of it
// can be instantiated), filled with the slots, methods, members and getsets
// by _support.make_native_type.
// Whether C put one of t's own methods' names into its tp_dict before the
// class was built (an entry there wins over the method, as in CPython).
bool dict_names_a_method(PyTypeObject *t) {
    if (!PyDict_GET_SIZE(t->tp_dict))
        return false;
    Py_ssize_t pos = 0;
    PyObject *key;
    while (PyDict_Next(t->tp_dict, &pos, &key, nullptr)) {
        const char *s = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : nullptr;
        for (PyMethodDef *m = t->tp_methods; s && m && m->ml_name; m++)
            if (std::strcmp(m->ml_name, s) == 0)
                return true;
        if (!s)
            PyErr_Clear();
    }
    return false;
}

// Whether CPython's object.__reduce_ex__ refuses t's instances unless their
// class says how to pickle them (typeobject.c object_getstate_default with
// `required`: C fields beyond a dict and a weakref list).
bool pickle_refused(PyTypeObject *t) {
    Py_ssize_t plain = sizeof(PyObject) + (t->tp_dictoffset ? sizeof(PyObject *) : 0) +
                       (t->tp_weaklistoffset ? sizeof(PyObject *) : 0);
    return t->tp_itemsize || t->tp_basicsize > plain;
}

bool build_native_class(PyTypeObject *t, TypeInfo *ti) {
    // The classes of its bases (tp_bases; a hybrid type has one), object left out.
    std::vector<Handle> bases;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t->tp_bases); i++) {
        auto *b = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(t->tp_bases, i));
        if (!ti->hybrid && type_info(b)->is_static)
            continue;
        bases.push_back(type_handle(b));
        if (!bases.back())
            return false;
    }
    std::string full = t->tp_name;
    auto dot = full.rfind('.');
    std::string module = dot == std::string::npos ? "builtins" : full.substr(0, dot);
    std::string name = dot == std::string::npos ? full : full.substr(dot + 1);
    PyTypeObject *meta = Py_TYPE(t);
    if (meta != &PyType_Type && !is_c_metaclass(meta)) {
        PyErr_Format(PyExc_SystemError, "ferry: extension type '%s' has the metatype '%s', which is "
                     "neither type nor a metaclass of C", t->tp_name, meta->tp_name);
        return false;
    }
    if (meta != &PyType_Type && ti->hybrid) {
        PyErr_Format(PyExc_SystemError, "ferry: extension type '%s' is based on a builtin and has "
                     "a metaclass of C ('%s'), not supported yet", t->tp_name, meta->tp_name);
        return false;
    }
    // A hybrid type's class is a Python subclass of its base's, made by
    // make_native_type; the others are classes of the handle ABI. A type
    // whose metatype is a metaclass of C: a class of it (made by
    // _support.meta_class, type.__new__ with no C code run) over a class of
    // the handle ABI of the same name, which gives its instances their storage.
    Handle cls = ti->hybrid ? host::dup(host::borrowed(Builtin::None))
                            : host::native_class(t->tp_name, bases, t->tp_flags & Py_TPFLAGS_BASETYPE,
                                                 t->tp_as_buffer && t->tp_as_buffer->bf_getbuffer,
                                                 PyType_IS_GC(t));
    if (cls && meta != &PyType_Type) {
        Handle mh = type_handle(meta);
        Handle n = mh ? str_handle(name.c_str()) : Handle{};
        Handle m = n ? str_handle(module.c_str()) : Handle{};
        Handle immutable = host::bool_from(!(t->tp_flags & Py_TPFLAGS_HEAPTYPE) ||
                                           (t->tp_flags & Py_TPFLAGS_IMMUTABLETYPE));
        Handle made = m && immutable ? host::call_helper(Helper::meta_class, {mh, n, m, cls, immutable})
                                     : Handle{};
        host::close(immutable);
        host::close(n);
        host::close(m);
        host::close(cls);
        cls = made;
        if (!cls && PyErr_Occurred())
            return false;
    }
    if (!cls) {
        move_host_error_to_c();
        return false;
    }
    ti->dict_written = t->tp_dict && dict_names_a_method(t);
    std::vector<Handle> args = {
        host::dup(cls), str_handle(name.c_str()), str_handle(module.c_str()), str_handle(t->tp_doc),
        host::long_from_unsigned(reinterpret_cast<uintptr_t>(t)), native_slot_list(t),
        native_method_list(t), native_member_list(t), native_getset_list(t),
        host::bool_from(t->tp_flags & Py_TPFLAGS_BASETYPE),
        t->tp_dict ? host::dup(handle_of(t->tp_dict)) : host::dup(host::borrowed(Builtin::None)),
        ti->hybrid ? host::tuple_from(bases.data(), bases.size()) : host::dup(host::borrowed(Builtin::None)),
        host::bool_from(t->tp_dictoffset != 0),
        host::bool_from(solid_base(t) != &PyBaseObject_Type),
        host::bool_from(pickle_refused(t)),
    };
    Handle packed = host::tuple_from(args.data(), args.size());   // null if any item is
    for (Handle h : args)
        host::close(h);
    Handle done = packed ? host::call_helper(Helper::make_native_type, {packed}) : Handle{};
    host::close(packed);
    if (!done) {
        host::close(cls);
        move_host_error_to_c();
        return false;
    }
    host::close(cls);
    cls = done;   // (the class, made now for a hybrid type)
    // Known before its namespace reaches C: a descriptor there (a Python
    // class's __dict__) names the class as its __objclass__.
    ti->host_type = cls;
    int64_t id = bridge::host_id(cls);
    if (!id)
        return false;
    g_types_by_id[id] = t;
    // make_native_type copied the class's namespace into tp_dict (host side).
    return !t->tp_dict || refresh_container(t->tp_dict, handle_of(t->tp_dict)) >= 0;
}

} // namespace

Handle type_handle(PyTypeObject *t) {
    TypeInfo *ti = type_info(t);
    if (!ti) {
        PyErr_Format(PyExc_SystemError, "ferry: type '%s' was not readied (PyType_Ready)",
                     t->tp_name);
        return {};
    }
    if (!ti->host_type && (ti->is_native || ti->hybrid) && !build_native_class(t, ti))
        return {};
    if (!ti->host_type)
        PyErr_Format(PyExc_SystemError, "ferry: type '%s' has no managed counterpart", t->tp_name);
    return ti->host_type;
}

PyObject *native_new_instance(PyTypeObject *type, Handle cls, const Handle *argv, ptrdiff_t n,
                              Handle kw) {
    if (!type->tp_new) {
        PyErr_Format(PyExc_TypeError, "cannot create '%s' instances", type->tp_name);
        return nullptr;
    }
    // tp_new gets the class asked for, as CPython's type_call does: a Python
    // subclass's instances are made with the subclass (a native proxy type).
    PyTypeObject *subtype = type_from_host(cls);
    if (!subtype)
        return nullptr;
    if (!PyType_IsSubtype(subtype, type)) {
        PyErr_Format(PyExc_TypeError, "%s.__new__(%s): %s is not a subtype of %s", type->tp_name,
                     subtype->tp_name, subtype->tp_name, type->tp_name);
        return nullptr;
    }
    // The nearest type of C of the class (typeobject.c tp_new_wrapper's
    // staticbase) makes the object, as CPython's type_call has it. The host's
    // MRO may have reached this __new__ first (a Python class based on two
    // types of C: the host's and CPython's choice of a layout base differ);
    // called on a type of C of its own line, CPython refuses it as unsafe.
    PyTypeObject *staticbase = subtype;
    while (staticbase && (staticbase->tp_flags & Py_TPFLAGS_HEAPTYPE) && !type_info(staticbase)->from_spec)
        staticbase = staticbase->tp_base;
    newfunc make = type->tp_new;
    if (staticbase && staticbase->tp_new != make) {
        if (PyType_IsSubtype(staticbase, type)) {
            PyErr_Format(PyExc_TypeError, "%s.__new__(%s) is not safe, use %s.__new__()", type->tp_name,
                         subtype->tp_name, staticbase->tp_name);
            return nullptr;
        }
        make = staticbase->tp_new;
    }
    // PyType_GenericNew, the usual tp_new, looks at neither: they need not cross.
    bool generic = make == PyType_GenericNew;
    PyObject *a = generic ? PyTuple_New(0) : args_tuple_from_host(argv, n);
    PyObject *k = a && !generic ? kwargs_from_host(kw) : nullptr;
    if (!a || (kw && !k && PyErr_Occurred())) {
        Py_XDECREF(a);
        return nullptr;
    }
    PyObject *o = make(subtype, a, k);
    Py_DECREF(a);
    Py_XDECREF(k);
    if (!o)
        return nullptr;
    // The wrapper made now is of the class the host asked for (a subclass, maybe).
    if (type_info(Py_TYPE(o))->is_native && !header_of(o)->managed) {
        Handle w = native_wrapper_of(o, cls);
        if (!w) {
            Py_DECREF(o);
            return nullptr;
        }
        scope_keep(w);
    }
    return o;
}

} // namespace ferry

// ---------------------------------------------------------------- the C API

using namespace ferry;

namespace {

// Slot inheritance for a readied extension type (typeobject.c inherit_slots).
template <typename T> void inherit(T &mine, T theirs) {
    if (!mine)
        mine = theirs;
}

// A table of slots (PyNumberMethods, ...): taken whole when the type has
// none, else slot by slot, as typeobject.c's COPYNUM & co.
template <typename S> void inherit_table(S *&mine, S *theirs) {
    static_assert(sizeof(S) % sizeof(void *) == 0, "a table of pointers");
    if (!mine) {
        mine = theirs;
        return;
    }
    if (!theirs || mine == theirs)
        return;
    auto *m = reinterpret_cast<void **>(mine);
    auto *b = reinterpret_cast<void *const *>(theirs);
    for (size_t i = 0; i < sizeof(S) / sizeof(void *); i++)
        if (!m[i])
            m[i] = b[i];
}

template <typename S> void own_table(S *&mine, const S *base) {
    if (!mine)
        mine = base ? new S(*base) : new S{};
}

void inherit_slots(PyTypeObject *t, PyTypeObject *b) {
    inherit(t->tp_dealloc, b->tp_dealloc);
    inherit(t->tp_repr, b->tp_repr);
    inherit(t->tp_str, b->tp_str);
    inherit(t->tp_getattro, b->tp_getattro);
    inherit(t->tp_setattro, b->tp_setattro);
    if (!t->tp_richcompare && !t->tp_hash) {
        t->tp_richcompare = b->tp_richcompare;
        t->tp_hash = b->tp_hash;
    }
    inherit(t->tp_iter, b->tp_iter);
    inherit(t->tp_iternext, b->tp_iternext);
    inherit(t->tp_call, b->tp_call);
    inherit(t->tp_init, b->tp_init);
    inherit(t->tp_alloc, b->tp_alloc);
    inherit(t->tp_free, b->tp_free);
    // typeobject.c type_ready_set_new: a static type of C based on object
    // without tp_new cannot be instantiated; Py_TPFLAGS_DISALLOW_INSTANTIATION
    // says so for any type.
    if (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE) && !t->tp_new && b == &PyBaseObject_Type)
        t->tp_flags |= Py_TPFLAGS_DISALLOW_INSTANTIATION;
    if (t->tp_flags & Py_TPFLAGS_DISALLOW_INSTANTIATION)
        t->tp_new = nullptr;
    else
        inherit(t->tp_new, b->tp_new);
    if (t->tp_basicsize == 0)
        t->tp_basicsize = b->tp_basicsize;
    if (t->tp_itemsize == 0)
        t->tp_itemsize = b->tp_itemsize;
    inherit(t->tp_dictoffset, b->tp_dictoffset);
    inherit(t->tp_weaklistoffset, b->tp_weaklistoffset);
    inherit_table(t->tp_as_number, b->tp_as_number);
    inherit_table(t->tp_as_sequence, b->tp_as_sequence);
    inherit_table(t->tp_as_mapping, b->tp_as_mapping);
    inherit_table(t->tp_as_buffer, b->tp_as_buffer);
    inherit_table(t->tp_as_async, b->tp_as_async);
    t->tp_flags |= b->tp_flags & (Py_TPFLAGS_LONG_SUBCLASS | Py_TPFLAGS_LIST_SUBCLASS |
                                  Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_BYTES_SUBCLASS |
                                  Py_TPFLAGS_UNICODE_SUBCLASS | Py_TPFLAGS_DICT_SUBCLASS |
                                  Py_TPFLAGS_BASE_EXC_SUBCLASS | Py_TPFLAGS_TYPE_SUBCLASS);
}

// object.__new__ as C sees it (typeobject.c object_new), the tp_new a heap
// type of C inherits: surplus arguments are refused unless the type has an
// __init__ of its own to take them.
PyObject *object_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    bool excess = (args && PyTuple_GET_SIZE(args)) || (kwds && PyDict_Check(kwds) && PyDict_GET_SIZE(kwds));
    if (excess) {
        PyObject *name = PyUnicode_InternFromString("__init__");
        PyObject *init = name ? _PyType_Lookup(type, name) : nullptr;
        PyObject *object_init = name ? _PyType_Lookup(&PyBaseObject_Type, name) : nullptr;
        Py_XDECREF(name);
        if (!name)
            return nullptr;
        if (init == object_init) {
            PyErr_Format(PyExc_TypeError, "%.200s() takes no arguments", type->tp_name);
            return nullptr;
        }
    }
    return type->tp_alloc(type, 0);
}

// The builtin a type is based on: itself when static, else its nearest
// static base (or the builtin a hybrid type of C records).
PyTypeObject *builtin_base(PyTypeObject *t) {
    for (; t; t = t->tp_base) {
        TypeInfo *ti = type_info(t);
        if (ti && ti->is_static)
            return t;
        if (ti && ti->builtin)   // (numpy's float64(floating, float): not along tp_base)
            return ti->builtin;
    }
    return nullptr;
}

// tp_new and tp_init of the builtins as C calls them (an extension's type
// calling its base's): the builtin's own __new__ and __init__ on the host,
// with the class asked for. An extension type's instance made so is a hybrid.
PyObject *builtin_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    return from_host_steal(builtin_new_managed(type, args, kwds));
}

} // namespace

namespace ferry {

// The managed object the builtin's __new__ makes with type's class (args,
// kwds: C objects, or null), as C calls its base's tp_new; null with the
// host's error.
Handle builtin_new_managed(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    PyTypeObject *b = builtin_base(type);
    Handle base = b ? type_handle(b) : Handle{};
    Handle cls = base ? type_handle(type) : Handle{};
    Handle a = cls && args ? handle_of(args) : host::borrowed(Builtin::None);
    Handle k = a && kwds ? handle_of(kwds) : host::borrowed(Builtin::None);
    if (!cls || !a || !k)
        return {};
    return host::call_helper(Helper::builtin_new, {base, cls, a, k});
}

} // namespace ferry

namespace {

int builtin_init(PyObject *self, PyObject *args, PyObject *kwds) {
    if (PyExceptionInstance_Check(self) && kwds && PyDict_Check(kwds) && PyDict_GET_SIZE(kwds)) {
        // (BaseException_init's own message; the host's names __init__)
        PyErr_Format(PyExc_TypeError, "%.200s() takes no keyword arguments", Py_TYPE(self)->tp_name);
        return -1;
    }
    PyTypeObject *b = builtin_base(Py_TYPE(self));
    Handle base = b ? type_handle(b) : Handle{};
    Handle h = base ? handle_of(self) : Handle{};
    Handle a = h && args ? handle_of(args) : host::borrowed(Builtin::None);
    Handle k = a && kwds ? handle_of(kwds) : host::borrowed(Builtin::None);
    if (!h || !a || !k)
        return -1;
    Handle r = host::call_helper(Helper::builtin_init, {base, h, a, k});
    if (!r) {
        move_host_error_to_c();
        return -1;
    }
    host::close(r);
    if (type_info(Py_TYPE(self))->hybrid && PyExceptionInstance_Check(self))   // (its struct has args)
        return exception_args_sync(self, h);
    return 0;
}

// Whether an extension's type may be based on the builtin b: the layouts
// whose C side a larger struct can extend (*fixed), and those that take no
// fields of C (their items follow the header: CPython puts a subclass's
// fields after them, ferry's layouts have no room there).
bool hybrid_base(PyTypeObject *b, bool *fixed) {
    if (b == &PyType_Type) {   // a metaclass of C: its fields follow PyHeapTypeObject
        *fixed = true;
        return true;
    }
    switch (type_info(b)->layout) {
    case Layout::dict: case Layout::list: case Layout::set: case Layout::float_:
    case Layout::complex_: case Layout::unicode:   // (a str's characters: unicodeobject.cpp)
        *fixed = true;
        return true;
    case Layout::generic:
        *fixed = true;
        return PyType_FastSubclass(b, Py_TPFLAGS_BASE_EXC_SUBCLASS);
    case Layout::long_: case Layout::bytes: case Layout::tuple:
        *fixed = false;
        return true;
    default:
        return false;
    }
}

// PyType_Ready for a type of C (static, or made from a spec): slots
// inherited, tp_dict made, and a record that makes it a native type (its
// managed class is built on first need, see type_handle).
int ready_native_type(PyTypeObject *t) {
    if (t->tp_flags & Py_TPFLAGS_READY)
        return 0;
    if (!t->tp_name) {
        PyErr_SetString(PyExc_SystemError, "Type does not define the tp_name field.");
        return -1;
    }
    if (!t->tp_base && t != &PyBaseObject_Type)
        t->tp_base = &PyBaseObject_Type;
    if (t->tp_base && !(t->tp_base->tp_flags & Py_TPFLAGS_READY) && PyType_Ready(t->tp_base) < 0)
        return -1;
    if (!Py_TYPE(t))
        Py_SET_TYPE(t, &PyType_Type);
    PyTypeObject *b = t->tp_base;
    PyTypeObject *builtin = nullptr;   // for a hybrid type: its builtin base
    // Several bases, one a builtin's line (numpy's float64(floating, float),
    // str_(str, character)): laid out as the builtin, which CPython allows
    // where the other bases, types of C, add no fields.
    PyTypeObject *line = b;
    if (t->tp_bases && PyTuple_Check(t->tp_bases) && PyTuple_GET_SIZE(t->tp_bases) > 1) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t->tp_bases); i++) {
            auto *bi = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(t->tp_bases, i));
            if (!(bi->tp_flags & Py_TPFLAGS_READY) && PyType_Ready(bi) < 0)
                return -1;
            TypeInfo *ii = type_info(bi);
            if (bi != &PyBaseObject_Type && ii && (ii->hybrid || ii->is_static))
                line = bi;
        }
    }
    if (line) {
        TypeInfo *bi = type_info(line);
        if (bi->hybrid || (bi->is_static && line != &PyBaseObject_Type)) {
            builtin = builtin_base(line);
            bool fixed = false;
            if (!hybrid_base(builtin, &fixed)) {
                PyErr_Format(PyExc_SystemError,
                             "ferry: extension type '%s' derives from builtin '%s', not supported yet",
                             t->tp_name, builtin->tp_name);
                return -1;
            }
            // (numpy's bytes_ says sizeof(PyBytesObject): CPython's size, padded)
            Py_ssize_t padded = (builtin->tp_basicsize + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
            if (!fixed && t->tp_basicsize && t->tp_basicsize > padded) {
                PyErr_Format(PyExc_SystemError,
                             "ferry: extension type '%s' adds fields to the variable-size builtin "
                             "'%s', not supported yet", t->tp_name, builtin->tp_name);
                return -1;
            }
            // A GC builtin's subtype is a GC type (typeobject.c inherit_special).
            if (PyType_IS_GC(line) && !PyType_IS_GC(t) && !t->tp_traverse && !t->tp_clear) {
                t->tp_flags |= Py_TPFLAGS_HAVE_GC;
                t->tp_traverse = line->tp_traverse;
                t->tp_clear = line->tp_clear;
            }
        }
    }
    if (set_bases_and_mro(t) < 0)
        return -1;
    if (!(t->tp_flags & Py_TPFLAGS_HEAPTYPE)) {   // (typeobject.c type_ready_mro)
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t->tp_mro); i++) {
            auto *m = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(t->tp_mro, i));
            if (m->tp_flags & Py_TPFLAGS_HEAPTYPE) {
                PyErr_Format(PyExc_TypeError, "type '%.100s' is not dynamically allocated but its "
                             "base type '%.100s' is dynamically allocated", t->tp_name, m->tp_name);
                return -1;
            }
        }
    }
    if (Py_ssize_t n = PyTuple_GET_SIZE(t->tp_bases); n > 1) {
        // Several bases: types of C laid out as object or as one another
        // (PyType_FromSpec checks; CPython trusts a static type's). The
        // size and tp_new come from tp_base, the rest from the MRO in order
        // (typeobject.c inherit_special, type_ready_set_new, type_ready_inherit).
        for (Py_ssize_t i = 0; i < n; i++) {
            auto *bi = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(t->tp_bases, i));
            if (bi == &PyBaseObject_Type || bi == line)
                continue;
            if (!type_info(bi)->is_native) {
                PyErr_Format(PyExc_SystemError,
                             "ferry: extension type '%s' has several bases, '%s' among them, which is "
                             "not an extension type; not supported yet", t->tp_name, bi->tp_name);
                return -1;
            }
        }
        inherit(t->tp_basicsize, b->tp_basicsize);
        inherit(t->tp_itemsize, b->tp_itemsize);
        if (!(t->tp_flags & Py_TPFLAGS_DISALLOW_INSTANTIATION))
            inherit(t->tp_new, b->tp_new);
        // Tables of its own, so that what comes from later bases is not
        // written into tp_base's (the type lives as long as the layer).
        own_table(t->tp_as_number, b->tp_as_number);
        own_table(t->tp_as_sequence, b->tp_as_sequence);
        own_table(t->tp_as_mapping, b->tp_as_mapping);
        own_table(t->tp_as_async, b->tp_as_async);
        own_table(t->tp_as_buffer, b->tp_as_buffer);
        newfunc made = t->tp_new;   // (tp_base's, even none)
        for (Py_ssize_t i = 1; i < PyTuple_GET_SIZE(t->tp_mro); i++)
            inherit_slots(t, reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(t->tp_mro, i)));
        t->tp_new = made;
    } else if (b) {
        inherit_slots(t, b);
    }
    if (!t->tp_hash && !t->tp_richcompare)
        t->tp_hash = PyObject_HashNotImplemented;
    // A real dict: C may write entries (Cython's __pyx_vtable__) and call
    // PyType_Modified; the managed class gets them (make_native_type, then
    // PyType_Modified) and fills it with its own namespace once built.
    if (!t->tp_dict && !(t->tp_dict = PyDict_New()))
        return -1;
    auto *info = new TypeInfo();
    info->type = t;
    info->is_native = !builtin;
    info->layout = builtin ? type_info(builtin)->layout : Layout::native;
    info->hybrid = builtin;
    info->builtin = builtin;
    t->tp_cache = reinterpret_cast<PyObject *>(info);
    t->tp_flags |= Py_TPFLAGS_READY;
    return 0;
}

// Where each PyType_Slot id (typeslots.h) lives: the field of PyTypeObject,
// and for the tables (tp_as_number, ...) the field inside the table.
struct SlotOffset {
    short slot;
    short sub;   // -1: the slot is a field of PyTypeObject itself
};
#define FERRY_SUB(table, type, field) {offsetof(PyTypeObject, table), offsetof(type, field)}
#define FERRY_TP(field) {offsetof(PyTypeObject, field), -1}
#define FERRY_NB(field) FERRY_SUB(tp_as_number, PyNumberMethods, field)
#define FERRY_SQ(field) FERRY_SUB(tp_as_sequence, PySequenceMethods, field)
#define FERRY_MP(field) FERRY_SUB(tp_as_mapping, PyMappingMethods, field)
#define FERRY_AM(field) FERRY_SUB(tp_as_async, PyAsyncMethods, field)
#define FERRY_BF(field) FERRY_SUB(tp_as_buffer, PyBufferProcs, field)
const SlotOffset kSlotOffsets[] = {
    {0, -1},
    FERRY_BF(bf_getbuffer), FERRY_BF(bf_releasebuffer),
    FERRY_MP(mp_ass_subscript), FERRY_MP(mp_length), FERRY_MP(mp_subscript),
    FERRY_NB(nb_absolute), FERRY_NB(nb_add), FERRY_NB(nb_and), FERRY_NB(nb_bool),
    FERRY_NB(nb_divmod), FERRY_NB(nb_float), FERRY_NB(nb_floor_divide), FERRY_NB(nb_index),
    FERRY_NB(nb_inplace_add), FERRY_NB(nb_inplace_and), FERRY_NB(nb_inplace_floor_divide),
    FERRY_NB(nb_inplace_lshift), FERRY_NB(nb_inplace_multiply), FERRY_NB(nb_inplace_or),
    FERRY_NB(nb_inplace_power), FERRY_NB(nb_inplace_remainder), FERRY_NB(nb_inplace_rshift),
    FERRY_NB(nb_inplace_subtract), FERRY_NB(nb_inplace_true_divide), FERRY_NB(nb_inplace_xor),
    FERRY_NB(nb_int), FERRY_NB(nb_invert), FERRY_NB(nb_lshift), FERRY_NB(nb_multiply),
    FERRY_NB(nb_negative), FERRY_NB(nb_or), FERRY_NB(nb_positive), FERRY_NB(nb_power),
    FERRY_NB(nb_remainder), FERRY_NB(nb_rshift), FERRY_NB(nb_subtract),
    FERRY_NB(nb_true_divide), FERRY_NB(nb_xor),
    FERRY_SQ(sq_ass_item), FERRY_SQ(sq_concat), FERRY_SQ(sq_contains),
    FERRY_SQ(sq_inplace_concat), FERRY_SQ(sq_inplace_repeat), FERRY_SQ(sq_item),
    FERRY_SQ(sq_length), FERRY_SQ(sq_repeat),
    FERRY_TP(tp_alloc), FERRY_TP(tp_base), FERRY_TP(tp_bases), FERRY_TP(tp_call),
    FERRY_TP(tp_clear), FERRY_TP(tp_dealloc), FERRY_TP(tp_del), FERRY_TP(tp_descr_get),
    FERRY_TP(tp_descr_set), FERRY_TP(tp_doc), FERRY_TP(tp_getattr), FERRY_TP(tp_getattro),
    FERRY_TP(tp_hash), FERRY_TP(tp_init), FERRY_TP(tp_is_gc), FERRY_TP(tp_iter),
    FERRY_TP(tp_iternext), FERRY_TP(tp_methods), FERRY_TP(tp_new), FERRY_TP(tp_repr),
    FERRY_TP(tp_richcompare), FERRY_TP(tp_setattr), FERRY_TP(tp_setattro), FERRY_TP(tp_str),
    FERRY_TP(tp_traverse), FERRY_TP(tp_members), FERRY_TP(tp_getset), FERRY_TP(tp_free),
    FERRY_NB(nb_matrix_multiply), FERRY_NB(nb_inplace_matrix_multiply),
    FERRY_AM(am_await), FERRY_AM(am_aiter), FERRY_AM(am_anext),
    FERRY_TP(tp_finalize), FERRY_AM(am_send),
};
#undef FERRY_SUB
#undef FERRY_TP
#undef FERRY_NB
#undef FERRY_SQ
#undef FERRY_MP
#undef FERRY_AM
#undef FERRY_BF
constexpr int kSlotCount = sizeof kSlotOffsets / sizeof kSlotOffsets[0];
static_assert(kSlotCount == Py_am_send + 1, "one row per slot id of typeslots.h");

void **slot_address(PyTypeObject *t, int slot) {
    const SlotOffset &o = kSlotOffsets[slot];
    void **field = reinterpret_cast<void **>(reinterpret_cast<char *>(t) + o.slot);
    if (o.sub < 0)
        return field;
    return *field ? reinterpret_cast<void **>(static_cast<char *>(*field) + o.sub) : nullptr;
}

// The dealloc of a heap type of C that has none of its own (typeobject.c
// subtype_dealloc): the finalizers, then what the type added to its base's
// layout (its object members, instance dict, weakrefs), then the base's dealloc.
void heap_type_dealloc(PyObject *o) {
    PyTypeObject *type = Py_TYPE(o);
    if (type->tp_finalize && PyObject_CallFinalizerFromDealloc(o) < 0)
        return;   // resurrected
    if (type->tp_del) {
        Py_SET_REFCNT(o, 1);
        type->tp_del(o);
        Py_SET_REFCNT(o, Py_REFCNT(o) - 1);
        if (Py_REFCNT(o) != 0)
            return;
    }
    PyTypeObject *base = type;
    for (; base->tp_dealloc == heap_type_dealloc; base = base->tp_base) {
        auto *members = reinterpret_cast<PyMemberDef *>(reinterpret_cast<PyHeapTypeObject *>(base) + 1);
        for (Py_ssize_t i = 0; i < Py_SIZE(base); i++) {
            if (members[i].type == T_OBJECT_EX && !(members[i].flags & READONLY))
                Py_CLEAR(*reinterpret_cast<PyObject **>(reinterpret_cast<char *>(o) + members[i].offset));
        }
    }
    if (type->tp_weaklistoffset && !base->tp_weaklistoffset)
        PyObject_ClearWeakRefs(o);
    if (type->tp_dictoffset && !base->tp_dictoffset) {
        if (PyObject **dict = _PyObject_GetDictPtr(o))
            Py_CLEAR(*dict);
    }
    base->tp_dealloc(o);
}

// The tp_base of a type made with these bases (typeobject.c best_base): the
// one whose solid base extends all the others', with CPython's errors.
PyTypeObject *best_base(PyObject *bases) {
    Py_ssize_t n = PyTuple_GET_SIZE(bases);
    if (n == 0) {   // (CPython asserts; its release build fails without an exception)
        PyErr_SetString(PyExc_SystemError, "PyType_FromModuleAndSpec: bases is an empty tuple");
        return nullptr;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyTuple_GET_ITEM(bases, i);
        if (!PyType_Check(o)) {
            PyErr_SetString(PyExc_TypeError, "bases must be types");
            return nullptr;
        }
        auto *b = reinterpret_cast<PyTypeObject *>(o);
        if (!(b->tp_flags & Py_TPFLAGS_READY) && PyType_Ready(b) < 0)
            return nullptr;
        if (!(b->tp_flags & Py_TPFLAGS_BASETYPE)) {
            PyErr_Format(PyExc_TypeError, "type '%.100s' is not an acceptable base type", b->tp_name);
            return nullptr;
        }
        TypeInfo *bi = type_info(b);
        if (b != &PyBaseObject_Type && !(bi && (bi->is_native || bi->hybrid || bi->is_static))) {
            PyErr_Format(PyExc_SystemError,
                         "PyType_FromModuleAndSpec: base '%s' is not a type of C; ferry supports "
                         "builtins and extension types as bases", b->tp_name);
            return nullptr;
        }
    }
    return layout_winner(bases);
}

// The heap type a spec describes (typeobject.c PyType_FromModuleAndSpec).
// Types live as long as the layer (their managed classes do), so the
// object is never freed once it is ready.
PyObject *type_from_spec(PyObject *module, PyType_Spec *spec, PyObject *bases) {
    Py_ssize_t nmembers = 0, weaklistoffset = 0, dictoffset = 0, vectorcalloffset = 0;
    for (const PyType_Slot *slot = spec->slots; slot->slot; slot++) {
        if (slot->slot != Py_tp_members)
            continue;
        nmembers = 0;
        for (auto *m = static_cast<const PyMemberDef *>(slot->pfunc); m->name; m++) {
            nmembers++;
            if (std::strcmp(m->name, "__weaklistoffset__") == 0)
                weaklistoffset = m->offset;
            else if (std::strcmp(m->name, "__dictoffset__") == 0)
                dictoffset = m->offset;
            else if (std::strcmp(m->name, "__vectorcalloffset__") == 0)
                vectorcalloffset = m->offset;
        }
    }
    if (!spec->name) {
        PyErr_SetString(PyExc_SystemError, "Type spec does not define the name field.");
        return nullptr;
    }
    // The bases: the argument (a type or a tuple), else Py_tp_bases, else
    // Py_tp_base, else object.
    PyObject *base_tuple = nullptr;
    if (!bases) {
        PyObject *base = reinterpret_cast<PyObject *>(&PyBaseObject_Type);
        for (const PyType_Slot *slot = spec->slots; slot->slot; slot++) {
            if (slot->slot == Py_tp_base)
                base = static_cast<PyObject *>(slot->pfunc);
            else if (slot->slot == Py_tp_bases)
                bases = static_cast<PyObject *>(slot->pfunc);
        }
        if (bases && !PyTuple_Check(bases)) {
            PyErr_SetString(PyExc_SystemError, "Py_tp_bases is not a tuple");
            return nullptr;
        }
        base_tuple = bases ? Py_NewRef(bases) : PyTuple_Pack(1, base);
    } else {
        base_tuple = PyTuple_Check(bases) ? Py_NewRef(bases) : PyTuple_Pack(1, bases);
    }
    if (!base_tuple)
        return nullptr;
    PyTypeObject *base = best_base(base_tuple);
    if (!base) {
        Py_DECREF(base_tuple);
        return nullptr;
    }
    for (const PyType_Slot *slot = spec->slots; slot->slot; slot++) {
        if (slot->slot < 0 || slot->slot >= kSlotCount) {
            Py_DECREF(base_tuple);
            PyErr_SetString(PyExc_RuntimeError, "invalid slot offset");
            return nullptr;
        }
    }

    size_t size = sizeof(PyHeapTypeObject) + (nmembers + 1) * sizeof(PyMemberDef);
    auto *res = static_cast<PyHeapTypeObject *>(std::calloc(1, size));
    if (!res) {
        Py_DECREF(base_tuple);
        return PyErr_NoMemory();
    }
    debug::root_range(res, size);   // lives as long as the layer
    PyTypeObject *type = &res->ht_type;
    Py_SET_REFCNT(type, 1 << 29);   // lives as long as the layer, as its class does
    Py_SET_TYPE(type, &PyType_Type);
    Py_SET_SIZE(type, nmembers);
    type->tp_flags = spec->flags | Py_TPFLAGS_HEAPTYPE;
    const char *s = std::strrchr(spec->name, '.');
    res->ht_name = PyUnicode_FromString(s ? s + 1 : spec->name);
    if (!res->ht_name) {
        Py_DECREF(base_tuple);
        std::free(res);
        return nullptr;
    }
    res->ht_qualname = Py_NewRef(res->ht_name);
    type->tp_name = spec->name;
    res->ht_module = Py_XNewRef(module);
    type->tp_as_async = &res->as_async;
    type->tp_as_number = &res->as_number;
    type->tp_as_sequence = &res->as_sequence;
    type->tp_as_mapping = &res->as_mapping;
    type->tp_as_buffer = &res->as_buffer;
    type->tp_bases = base_tuple;
    Py_INCREF(base);
    type->tp_base = base;
    type->tp_basicsize = spec->basicsize;
    type->tp_itemsize = spec->itemsize;
    auto *members = reinterpret_cast<PyMemberDef *>(res + 1);
    for (const PyType_Slot *slot = spec->slots; slot->slot; slot++) {
        if (slot->slot == Py_tp_base || slot->slot == Py_tp_bases)
            continue;
        if (slot->slot == Py_tp_doc) {
            // Usually a literal of the extension: copied, as CPython does.
            type->tp_doc = slot->pfunc ? strdup(static_cast<const char *>(slot->pfunc)) : nullptr;
        } else if (slot->slot == Py_tp_members) {
            std::memcpy(members, slot->pfunc, nmembers * sizeof(PyMemberDef));
            type->tp_members = members;
        } else {
            *slot_address(type, slot->slot) = slot->pfunc;
        }
    }
    if (vectorcalloffset)
        type->tp_vectorcall_offset = vectorcalloffset;
    if (weaklistoffset)
        type->tp_weaklistoffset = weaklistoffset;
    if (dictoffset)
        type->tp_dictoffset = dictoffset;
    if (!type->tp_dealloc)   // as CPython: the heap types' dealloc, which runs tp_finalize
        type->tp_dealloc = heap_type_dealloc;
    if (ready_native_type(type) < 0)
        return nullptr;
    type_info(type)->from_spec = true;
    // Without a dot the type has no __module__: CPython warns (the managed
    // class says "builtins").
    if (!s && PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                               "builtin type %.200s has no __module__ attribute", spec->name) < 0)
        return nullptr;
    return reinterpret_cast<PyObject *>(type);
}

} // namespace

int PyType_Ready(PyTypeObject *t) {
    FERRY_API;
    return ready_native_type(t);
}

PyObject *PyType_FromModuleAndSpec(PyObject *module, PyType_Spec *spec, PyObject *bases) {
    FERRY_API;
    return type_from_spec(module, spec, bases);
}

PyObject *PyType_FromSpecWithBases(PyType_Spec *spec, PyObject *bases) {
    FERRY_API;
    return type_from_spec(nullptr, spec, bases);
}

PyObject *PyType_FromSpec(PyType_Spec *spec) {
    FERRY_API;
    return type_from_spec(nullptr, spec, nullptr);
}

// Any type since 3.10; NULL without an error for a slot the type lacks.
void *PyType_GetSlot(PyTypeObject *type, int slot) {
    FERRY_API;
    if (slot <= 0 || slot >= kSlotCount) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    void **field = slot_address(type, slot);
    return field ? *field : nullptr;
}

PyObject *PyType_GetModule(PyTypeObject *type) {
    FERRY_API;
    if (!(type->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
        PyErr_Format(PyExc_TypeError, "PyType_GetModule: Type '%s' is not a heap type",
                     type->tp_name);
        return nullptr;
    }
    PyObject *m = reinterpret_cast<PyHeapTypeObject *>(type)->ht_module;
    if (!m) {
        PyErr_Format(PyExc_TypeError, "PyType_GetModule: Type '%s' has no associated module",
                     type->tp_name);
        return nullptr;
    }
    return m;
}

void *PyType_GetModuleState(PyTypeObject *type) {
    FERRY_API;
    PyObject *m = PyType_GetModule(type);
    return m ? PyModule_GetState(m) : nullptr;
}

// The first heap type of the MRO whose module was made from `def`. The MRO
// is asked of the host (a class's __bases__ may have been assigned since its
// tp_mro was taken); the proxies of Python classes have no ht_module.
PyObject *PyType_GetModuleByDef(PyTypeObject *type, PyModuleDef *def) {
    FERRY_API;
    PyObject *mro = PyObject_GetAttrString(reinterpret_cast<PyObject *>(type), "__mro__");
    if (!mro)
        return nullptr;
    PyObject *found = nullptr;
    for (Py_ssize_t i = 0; mro && PyTuple_Check(mro) && i < PyTuple_GET_SIZE(mro) && !found; i++) {
        auto *t = reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(mro, i));
        if (!PyType_Check(t) || !(t->tp_flags & Py_TPFLAGS_HEAPTYPE))
            continue;
        PyObject *m = reinterpret_cast<PyHeapTypeObject *>(t)->ht_module;
        if (m && PyModule_Check(m) && reinterpret_cast<ModuleObject *>(m)->md_def == def)
            found = m;
    }
    Py_DECREF(mro);
    if (!found)
        PyErr_Format(PyExc_TypeError,
                     "PyType_GetModuleByDef: No superclass of '%s' has the given module",
                     type->tp_name);
    return found;   // borrowed: the type holds it
}

// __name__ and __qualname__: a heap type of C keeps them in ht_name and
// ht_qualname; other types answer as the host's class does.
PyObject *PyType_GetName(PyTypeObject *type) {
    FERRY_API;
    TypeInfo *ti = type_info(type);
    if (ti && ti->from_spec)
        return Py_NewRef(reinterpret_cast<PyHeapTypeObject *>(type)->ht_name);
    return PyObject_GetAttrString(reinterpret_cast<PyObject *>(type), "__name__");
}

PyObject *PyType_GetQualName(PyTypeObject *type) {
    FERRY_API;
    TypeInfo *ti = type_info(type);
    if (ti && ti->from_spec)
        return Py_NewRef(reinterpret_cast<PyHeapTypeObject *>(type)->ht_qualname);
    return PyObject_GetAttrString(reinterpret_cast<PyObject *>(type), "__qualname__");
}

namespace ferry {
namespace {
void inherit_native_slots(PyTypeObject *t, PyTypeObject *base) {
    inherit_slots(t, base);   // HAVE_GC stays: a Python subclass has a __dict__, as in CPython
    t->tp_free = base->tp_free;
    t->tp_alloc = base->tp_alloc ? base->tp_alloc : PyType_GenericAlloc;
    t->tp_new = base->tp_new;
}

// A Python class based on several types of C: the layout from its layout
// base, the behaviour from its MRO in order, into tables of its own
// (typeobject.c type_ready_inherit).
void inherit_along_mro(PyTypeObject *t, PyTypeObject *base) {
    auto *heap = reinterpret_cast<PyHeapTypeObject *>(t);
    t->tp_as_number = &heap->as_number;
    t->tp_as_sequence = &heap->as_sequence;
    t->tp_as_mapping = &heap->as_mapping;
    t->tp_as_async = &heap->as_async;
    t->tp_as_buffer = &heap->as_buffer;
    t->tp_dealloc = base->tp_dealloc;
    t->tp_dictoffset = base->tp_dictoffset;
    t->tp_weaklistoffset = base->tp_weaklistoffset;
    for (Py_ssize_t i = 1; t->tp_mro && i < PyTuple_GET_SIZE(t->tp_mro); i++)
        inherit_slots(t, reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(t->tp_mro, i)));
    inherit_native_slots(t, base);
}
} // namespace
} // namespace ferry

int PyType_IsSubtype(PyTypeObject *a, PyTypeObject *b) {
    FERRY_API;
    for (PyTypeObject *t = a; t; t = t->tp_base)
        if (t == b)
            return 1;
    if (a->tp_mro && PyTuple_Check(a->tp_mro)) {   // the other bases' lines
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(a->tp_mro); i++)
            if (PyTuple_GET_ITEM(a->tp_mro, i) == reinterpret_cast<PyObject *>(b))
                return 1;
    }
    TypeInfo *ia = type_info(a), *ib = type_info(b);
    // (The layer's builtin types have one line of bases, as CPython's: their
    // tp_base chain is their MRO.)
    if (!ia || !ib || ia->is_native || ib->is_native || ia->is_static)
        return 0;
    Handle r = host::call_helper(Helper::issubclass, {ia->host_type, ib->host_type});
    if (!r) {
        host::err_clear();
        return 0;
    }
    int v = host::is_true(r);
    host::close(r);
    return v > 0;
}

PyObject *PyType_GenericAlloc(PyTypeObject *t, Py_ssize_t nitems) {
    FERRY_API;
    if (TypeInfo *ti = type_info(t); ti && ti->hybrid) {
        if (PyObject *o = hybrid_block(t)) {   // materializing a managed object
            if (t->tp_flags & Py_TPFLAGS_HEAPTYPE)
                Py_INCREF(t);
            return o;
        }
        if (PyErr_Occurred())
            return nullptr;
        // C asks for one. A float, a complex, bytes or a tuple gets its value
        // from C after this (numpy's scalars): its managed object is made when
        // it crosses (materialize.cpp hybrid_to_host). Other builtins' part is
        // made on the host first.
        Layout l = ti->layout;
        if (l == Layout::float_ || l == Layout::complex_ || l == Layout::bytes || l == Layout::tuple) {
            PyObject *o = l == Layout::bytes   ? bytes_from_data(nullptr, nitems, t)
                          : l == Layout::tuple ? tuple_alloc(t, nitems)
                                               : alloc_object(t, t->tp_basicsize);
            if (o && (t->tp_flags & Py_TPFLAGS_HEAPTYPE))
                Py_INCREF(t);
            return o;
        }
        PyObject *none = PyTuple_New(0);
        PyObject *o = none ? builtin_new(t, none, nullptr) : nullptr;
        Py_XDECREF(none);
        return o;
    }
    if (t->tp_itemsize && nitems > (PY_SSIZE_T_MAX - t->tp_basicsize) / t->tp_itemsize - 1)
        return PyErr_NoMemory();
    size_t size = t->tp_basicsize + (nitems + 1) * t->tp_itemsize;
    PyObject *o = alloc_object(t, size);
    if (!o)
        return nullptr;
    if (t->tp_itemsize)
        Py_SET_SIZE(o, nitems);
    if (t->tp_flags & Py_TPFLAGS_HEAPTYPE)
        Py_INCREF(t);
    if (PyType_IS_GC(t))
        cycles::track(o);
    return o;
}

PyObject *PyType_GenericNew(PyTypeObject *t, PyObject *, PyObject *) {
    FERRY_API;
    return t->tp_alloc(t, 0);
}

PyObject *_PyObject_New(PyTypeObject *t) { FERRY_API; return alloc_object(t, t->tp_basicsize); }

PyVarObject *_PyObject_NewVar(PyTypeObject *t, Py_ssize_t n) {
    FERRY_API;
    if (t->tp_itemsize && n > (PY_SSIZE_T_MAX - t->tp_basicsize) / t->tp_itemsize)
        return reinterpret_cast<PyVarObject *>(PyErr_NoMemory());
    return alloc_var_object(t, t->tp_basicsize + n * t->tp_itemsize, n);
}

PyObject *PyObject_Init(PyObject *o, PyTypeObject *t) {
    FERRY_API;
    if (!o)
        return PyErr_NoMemory();
    Py_SET_TYPE(o, t);
    Py_SET_REFCNT(o, 1);
    return o;
}

PyVarObject *PyObject_InitVar(PyVarObject *o, PyTypeObject *t, Py_ssize_t n) {
    FERRY_API;
    if (!o)
        return reinterpret_cast<PyVarObject *>(PyErr_NoMemory());
    Py_SET_SIZE(o, n);
    PyObject_Init(reinterpret_cast<PyObject *>(o), t);
    return o;
}

unsigned long PyType_GetFlags(PyTypeObject *t) { FERRY_API; return t->tp_flags; }

// Native objects of GC types are tracked for the boundary collection
// (gc_bridge/cycles.h), which finds cycles through their C fields; managed
// containers are the host collector's.
PyObject *_PyObject_GC_New(PyTypeObject *t) { FERRY_API; return _PyObject_New(t); }
PyVarObject *_PyObject_GC_NewVar(PyTypeObject *t, Py_ssize_t n) { FERRY_API; return _PyObject_NewVar(t, n); }
void PyObject_GC_Track(void *o) { FERRY_API; cycles::track(static_cast<PyObject *>(o)); }
void PyObject_GC_UnTrack(void *o) { FERRY_API; cycles::untrack(static_cast<PyObject *>(o)); }
int PyObject_GC_IsTracked(PyObject *o) {
    FERRY_API;
    if (!PyObject_IS_GC(o))
        return 0;
    TypeInfo *ti = type_info(Py_TYPE(o));
    return ti && ti->is_native ? cycles::is_tracked(o) : 1;
}
void PyObject_GC_Del(void *p) { FERRY_API; PyObject_Free(p); }   // (free_block untracks)
int PyObject_IS_GC(PyObject *o) { FERRY_API; return PyType_IS_GC(Py_TYPE(o)); }
int PyObject_GC_IsFinalized(PyObject *o) {
    FERRY_API;
    // Type objects (static ones have no header) are never finalized here.
    return PyType_IS_GC(Py_TYPE(o)) && !PyType_Check(o) && (header_of(o)->flags & kFinalized);
}

// ---------------------------------------------------------------- lookups and tp_dict

namespace {

// _PyType_Lookup's results, borrowed: each (type, name) keeps its latest
// value alive, as the type's dict keeps it in CPython (a value replaced in
// the class is released when the lookup next finds another).
std::unordered_map<PyTypeObject *, std::unordered_map<std::string, PyObject *>> g_lookups;

PyObject *keep_lookup(PyTypeObject *type, PyObject *name, PyObject *v) {
    Py_ssize_t n = 0;
    const char *s = PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &n) : nullptr;
    if (!s) {
        PyErr_Clear();
        return keep_borrowed(v);   // a name that is no str: kept for good
    }
    PyObject *&slot = g_lookups[type][std::string(s, n)];
    if (slot == v) {
        Py_DECREF(v);
    } else {
        Py_XDECREF(slot);
        slot = v;
        debug::layer_holds(v);   // (while it is the latest)
    }
    return v;
}

} // namespace

// PyObject_CallMethod & co. on an instance of an extension's static type: the
// PyMethodDef that getattr would bind, found in the types' tables as CPython's
// type dicts hold them, so that C calls C (call_norm: three host calls, the
// last one back into the layer). Only where no Python code can stand between:
// static types (immutable in CPython), one base each up to object, the generic
// getattr and no instance dict; not dunders (slot wrappers), class or static
// methods, nor names a member or getset takes first, nor types whose tp_dict C
// wrote a method's name into before PyType_Ready or changed since
// (TypeInfo::dict_written).
PyMethodDef *ferry::static_type_method(PyObject *o, const char *name, PyTypeObject **defining) {
    PyTypeObject *t = Py_TYPE(o);
    bool generic = t->tp_getattro == PyObject_GenericGetAttr ||
                   t->tp_getattro == PyBaseObject_Type.tp_getattro;   // (object's, inherited)
    if (!generic || t->tp_dictoffset || (name[0] == '_' && name[1] == '_'))
        return nullptr;
    for (; t && t != &PyBaseObject_Type; t = t->tp_base) {
        TypeInfo *ti = type_info(t);
        if ((t->tp_flags & Py_TPFLAGS_HEAPTYPE) || !ti || !ti->is_native || ti->dict_written ||
            (t->tp_bases && PyTuple_GET_SIZE(t->tp_bases) > 1))
            return nullptr;
        for (PyMethodDef *m = t->tp_methods; m && m->ml_name; m++) {
            if (std::strcmp(m->ml_name, name) == 0) {
                if (m->ml_flags & (METH_CLASS | METH_STATIC))
                    return nullptr;
                *defining = t;
                return m;
            }
        }
        for (PyMemberDef *m = t->tp_members; m && m->name; m++)
            if (std::strcmp(m->name, name) == 0)
                return nullptr;
        for (PyGetSetDef *g = t->tp_getset; g && g->name; g++)
            if (std::strcmp(g->name, name) == 0)
                return nullptr;
    }
    return nullptr;
}

// Borrowed, through the MRO's own dicts (the host's), never an exception.
PyObject *_PyType_Lookup(PyTypeObject *type, PyObject *name) {
    FERRY_API;
    Handle th = type_handle(type);
    Handle hn = th ? handle_of(name) : Handle{};
    if (!hn) {
        PyErr_Clear();
        return nullptr;
    }
    Handle r = host::call_helper(Helper::type_lookup, {th, hn});
    if (!r) {
        host::err_clear();
        return nullptr;
    }
    PyObject *found = from_host_steal(r);
    if (!found) {
        PyErr_Clear();
        return nullptr;
    }
    PyObject *v = PyTuple_GET_SIZE(found) ? Py_NewRef(PyTuple_GET_ITEM(found, 0)) : nullptr;
    Py_DECREF(found);
    return v ? keep_lookup(type, name, v) : nullptr;
}

// What C wrote into a native type's tp_dict reaches its managed class
// (before the class is built, building it takes tp_dict as it is). Other
// types have no tp_dict here and the host keeps no attribute cache C could
// see. CPython's cannot fail: a failure is reported as unraisable.
void PyType_Modified(PyTypeObject *type) {
    FERRY_API;
    TypeInfo *ti = type_info(type);
    if (!ti || !(ti->is_native || ti->hybrid) || !ti->host_type || !type->tp_dict)
        return;
    ti->dict_written = true;   // (static_type_method no longer trusts tp_methods)
    PyObject *et, *ev, *etb;
    PyErr_Fetch(&et, &ev, &etb);
    Handle d = handle_of(type->tp_dict);
    Handle r = d ? host::call_helper(Helper::sync_type_dict, {ti->host_type, d}) : Handle{};
    if (r) {
        host::close(r);
    } else {
        if (!PyErr_Occurred())
            move_host_error_to_c();
        PyErr_WriteUnraisable(reinterpret_cast<PyObject *>(type));
    }
    PyErr_Restore(et, ev, etb);
}
