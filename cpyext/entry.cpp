// The layer's single entry point from the host bootstrap (host/bootstrap.c):
// one case per row of host/entry_codes.h. Every call runs in an EntryScope,
// converts its arguments, and moves a C error back to the host on failure.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "structmember.h"

#include <algorithm>
#include <string>
#include <vector>

#include "cpyext/internal.h"
#include "cpyext/native_slots.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/cycles.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#include "host/entry_codes.h"

using namespace ferry;
using host::Handle;

namespace ferry {
PyObject *load_extension(const std::string &name, const std::string &path, PyObject *spec);

// A PyObject* result as an owned handle; NULL moves the C error to the host.
Handle to_host_result(PyObject *r) {
    if (!r) {
        move_c_error_to_host();
        return {};
    }
    Handle h = result_handle(r);
    Py_DECREF(r);
    if (!h)
        move_c_error_to_host();
    return h;
}
}

namespace {

enum Code {
#define CODE(name, value) code_##name = value,
    FERRY_ENTRY_CODES(CODE)
#undef CODE
};

bool g_ready = false;

void *address_of(Handle h) {
    bool overflow = false;
    return reinterpret_cast<void *>(host::long_as_unsigned(h, &overflow));
}

std::string utf8_of(Handle h) {
    ptrdiff_t n = 0;
    const char *s = host::unicode_as_utf8(h, &n);
    return s ? std::string(s, n) : std::string();
}

Handle none_or_error(int status) {
    if (status < 0) {
        move_c_error_to_host();
        return {};
    }
    return host::dup(host::borrowed(host::Builtin::None));
}

Handle type_error(const char *msg) {
    PyErr_SetString(PyExc_TypeError, msg);
    move_c_error_to_host();
    return {};
}

Handle init(const Handle *args, ptrdiff_t nargs) {
    if (g_ready)
        return host::dup(host::borrowed(host::Builtin::None));
    if (nargs != 1)
        return {};
    debug::init_from_env();
    if (debug::stress)
        bridge::detail::exit_work = true;   // every outermost exit is a stress point
    init_static_types();
    install_buffer_exports();
    if (!host::bind_support(args[0]))
        return {};
    if (!bind_static_types() || !init_process_flags()) {
        move_c_error_to_host();
        return {};
    }
    host::tune_host_malloc();
    g_ready = true;
    return host::dup(host::borrowed(host::Builtin::None));
}

Handle load(const Handle *args, ptrdiff_t nargs) {
    if (nargs != 3)
        return type_error("load(name, path, spec)");
    PyObject *spec = from_host(args[2]);
    if (!spec) {
        move_c_error_to_host();
        return {};
    }
    PyObject *m = load_extension(utf8_of(args[0]), utf8_of(args[1]), spec);
    Py_DECREF(spec);
    return to_host_result(m);
}

// args: def address, self (an address for module functions, else the object),
// then the positional arguments; kw: the keyword arguments (a dict) or null.
Handle call_function(const Handle *args, ptrdiff_t nargs, Handle kw, bool self_is_address) {
    if (nargs < 2)
        return type_error("call(def, self, *args, **kwargs)");
    auto *def = static_cast<PyMethodDef *>(address_of(args[0]));
    PyObject *self = nullptr;
    if (self_is_address) {
        self = static_cast<PyObject *>(address_of(args[1]));
        Py_XINCREF(self);
    } else if (!host::is(args[1], host::borrowed(host::Builtin::None)) || !(def->ml_flags & METH_STATIC)) {
        self = from_host(args[1]);
        if (!self) {
            move_c_error_to_host();
            return {};
        }
    }
    PyTypeObject *defining = nullptr;
    if ((def->ml_flags & METH_METHOD) && self)
        defining = Py_TYPE(self);
    Handle r = call_method_def(def, self, defining, args + 2, nargs - 2, kw);
    Py_XDECREF(self);
    return r;
}

// What a host::direct_function calls: a PyMethodDef (a module's function,
// or a method of owner whose first argument is self), a slot of a type, or a
// member or getset access (index: the slot's id or the member's position).
enum class Direct : int { slot, get_member, set_member, get_getset, set_getset, method };   // as in _support.py
struct DirectDef {
    Direct what;
    PyTypeObject *owner;
    PyMethodDef *def;
    PyObject *module;   // borrowed: a module outlives its functions
    int index;
    // METH_FASTCALL|METH_KEYWORDS: the call comes as (nkw, [self,] *positional,
    // *names, *values), the keywords flattened by the Python-level caller
    // (arity -2 in _support.py), so C gets kwnames without a helper call.
    bool kwnames = false;
    // The kwnames tuple of the last keyword call and its names' handles: a
    // call site passes the same names every time, and a name then costs one
    // host comparison instead of a str crossing (kw(1, b=5, c=4): -25%).
    // CPython's are constants of the caller's code, shared by its calls too.
    struct LastNames {
        std::vector<Handle> names;   // owned
        PyObject *tuple = nullptr;   // owned
    };
    mutable LastNames last;
};

Handle entry_refused();
Handle slot_call(int slot, PyTypeObject *t, const Handle *args, ptrdiff_t nargs, Handle kw);
Handle member_access(Direct what, PyTypeObject *t, ptrdiff_t i, const Handle *args, ptrdiff_t nargs);

// self for a method, slot or member `name` of the C type t: for an instance
// of t's managed class, its wrapper's native object (two host calls instead
// of from_host's dispatch on the type), else what from_host makes of it,
// which must be an instance of t: CPython's TypeError otherwise (a slot
// wrapper's words where `wrapper`), or C would read another layout as t's.
PyObject *self_from_host(Handle h, PyTypeObject *t, const char *name, bool wrapper) {
    TypeInfo *ti = type_info(t);
    if (ti && ti->is_native && ti->host_type && host::type_check(h, ti->host_type))
        if (auto *o = static_cast<PyObject *>(host::native_unwrap(h)))
            return Py_NewRef(o);
    PyObject *o = from_host(h);
    if (o && !PyObject_TypeCheck(o, t)) [[unlikely]] {
        if (wrapper)
            PyErr_Format(PyExc_TypeError, "descriptor '%s' requires a '%.100s' object but received a '%.100s'",
                         name, t->tp_name, Py_TYPE(o)->tp_name);
        else
            PyErr_Format(PyExc_TypeError, "descriptor '%s' for '%.100s' objects doesn't apply to a '%.100s' object",
                         name, t->tp_name, Py_TYPE(o)->tp_name);
        Py_CLEAR(o);
    }
    return o;
}

// method_call's calls with keywords, whose nkw names follow the positional
// arguments and precede their values. Apart, so that the other calls do not
// clear `small` (a `rep stos` of 128 bytes was a fifth of noargs()).
PyObject *kwnames_of(const DirectDef *d, const Handle *names, ptrdiff_t nkw) {
    DirectDef::LastNames &last = d->last;
    if (last.tuple && static_cast<ptrdiff_t>(last.names.size()) == nkw) {
        ptrdiff_t i = 0;
        while (i < nkw && host::is(names[i], last.names[i]))
            i++;
        if (i == nkw)
            return Py_NewRef(last.tuple);
    }
    PyObject *t = args_tuple_from_host(names, nkw);
    if (!t)
        return nullptr;
    for (Handle h : last.names)
        host::close(h);
    last.names.assign(names, names + nkw);
    for (Handle &h : last.names)
        h = host::dup(h);
    debug::layer_holds(t);
    Py_XSETREF(last.tuple, Py_NewRef(t));
    return t;
}

[[gnu::noinline]] Handle keywords_call(const DirectDef *d, PyObject *self, const Handle *args, ptrdiff_t nargs,
                                       ptrdiff_t nkw, Handle kw) {
    ptrdiff_t npos = nargs - 2 * nkw;
    PyObject *kwnames = kwnames_of(d, args + npos, nkw);
    if (!kwnames) {
        move_c_error_to_host();
        return {};
    }
    Handle small[16];
    std::vector<Handle> large;
    Handle *argv = npos + nkw <= 16 ? small : (large.resize(npos + nkw), large.data());
    std::copy(args, args + npos, argv);
    std::copy(args + npos + nkw, args + nargs, argv + npos);
    Handle r = call_method_def(d->def, self, nullptr, argv, npos + nkw, kw, kwnames);
    Py_DECREF(kwnames);
    return r;
}

Handle method_call(const DirectDef *d, const Handle *args, ptrdiff_t nargs, Handle kw) {
    ptrdiff_t nkw = 0;
    if (d->kwnames) {
        bool overflow = false;
        nkw = nargs ? host::long_as(args[0], &overflow) : -1;
        if (nkw < 0 || overflow || 1 + (d->owner ? 1 : 0) + 2 * nkw > nargs)
            return type_error("ferry: a keyword call in a malformed form");
        args++;
        nargs--;
    }
    PyObject *self = d->module;
    if (d->owner) {
        self = self_from_host(args[0], d->owner, d->def->ml_name, false);
        if (!self) {
            move_c_error_to_host();
            return {};
        }
        args++;
        nargs--;
    } else {
        Py_XINCREF(self);
    }
    Handle r = nkw ? keywords_call(d, self, args, nargs, nkw, kw)
                   : call_method_def(d->def, self, nullptr, args, nargs, kw, nullptr);
    Py_XDECREF(self);
    return r;
}

Handle direct_call(void *data, const Handle *args, ptrdiff_t nargs, Handle kw) {
    if (host::stack_exhausted()) [[unlikely]]
        return entry_refused();
    auto *d = static_cast<const DirectDef *>(data);
    bridge::EntryScope scope;
    stats::Entry timing(!stats::enabled ? nullptr
                        : d->def        ? stats::function_module(d->def)
                                        : d->owner->tp_name);
    switch (d->what) {
    case Direct::method: return method_call(d, args, nargs, kw);
    case Direct::slot: return slot_call(d->index, d->owner, args, nargs, kw);
    default: return member_access(d->what, d->owner, d->index, args, nargs);
    }
}

PyObject *call_native_slot(NativeSlot slot, PyTypeObject *t, PyObject *self, Handle kw, const Handle *rest,
                           ptrdiff_t n) {
    auto arg = [&](ptrdiff_t i) -> PyObject * { return i < n ? from_host(rest[i]) : nullptr; };
    auto with_arg = [&](auto f) -> PyObject * {
        PyObject *a = arg(0);
        if (!a)
            return nullptr;
        PyObject *r = f(a);
        Py_DECREF(a);
        return r;
    };
    auto status_result = [](int s) -> PyObject * { return s < 0 ? nullptr : Py_NewRef(Py_None); };
    // A setter slot (tp_setattro, tp_descr_set): its key, and a value to set
    // or none to delete.
    auto set_or_delete = [&](bool set, int (*setter)(PyObject *, PyObject *, PyObject *)) {
        PyObject *k = arg(0);
        PyObject *v = set ? arg(1) : nullptr;
        int s = k && (v || !set) ? setter(self, k, v) : -1;
        Py_XDECREF(k);
        Py_XDECREF(v);
        return status_result(s);
    };
    switch (slot) {
    case NativeSlot::init: {
        PyObject *a = args_tuple_from_host(rest, n);
        PyObject *k = a ? kwargs_from_host(kw) : nullptr;
        if (!a || PyErr_Occurred()) {
            Py_XDECREF(a);
            return nullptr;
        }
        int s = t->tp_init(self, a, k);
        Py_DECREF(a);
        Py_XDECREF(k);
        return status_result(s);
    }
    case NativeSlot::call: {
        PyObject *a = args_tuple_from_host(rest, n);
        PyObject *k = a ? kwargs_from_host(kw) : nullptr;
        if (!a || PyErr_Occurred()) {
            Py_XDECREF(a);
            return nullptr;
        }
        PyObject *r = t->tp_call(self, a, k);
        Py_DECREF(a);
        Py_XDECREF(k);
        return r;
    }
    case NativeSlot::repr: return t->tp_repr(self);
    case NativeSlot::str: return t->tp_str(self);
    case NativeSlot::hash: {
        Py_hash_t h = t->tp_hash(self);
        return h == -1 && PyErr_Occurred() ? nullptr : PyLong_FromSsize_t(h);
    }
    case NativeSlot::iter: return t->tp_iter(self);
    case NativeSlot::next: {
        PyObject *r = t->tp_iternext(self);
        if (!r && !PyErr_Occurred())
            PyErr_SetNone(PyExc_StopIteration);
        return r;
    }
    case NativeSlot::len: {
        Py_ssize_t len = t->tp_as_mapping && t->tp_as_mapping->mp_length
                             ? t->tp_as_mapping->mp_length(self)
                             : t->tp_as_sequence->sq_length(self);
        return len < 0 ? nullptr : PyLong_FromSsize_t(len);
    }
    case NativeSlot::getitem:
        return with_arg([&](PyObject *k) -> PyObject * {
            if (t->tp_as_mapping && t->tp_as_mapping->mp_subscript)
                return t->tp_as_mapping->mp_subscript(self, k);
            Py_ssize_t i = PyNumber_AsSsize_t(k, PyExc_IndexError);
            return i == -1 && PyErr_Occurred() ? nullptr : t->tp_as_sequence->sq_item(self, i);
        });
    case NativeSlot::setitem:
    case NativeSlot::delitem: {
        PyObject *k = arg(0);
        PyObject *v = slot == NativeSlot::setitem ? arg(1) : nullptr;
        int s = -1;
        if (k && (v || slot == NativeSlot::delitem)) {
            if (t->tp_as_mapping && t->tp_as_mapping->mp_ass_subscript) {
                s = t->tp_as_mapping->mp_ass_subscript(self, k, v);
            } else {
                Py_ssize_t i = PyNumber_AsSsize_t(k, PyExc_IndexError);
                s = i == -1 && PyErr_Occurred() ? -1 : t->tp_as_sequence->sq_ass_item(self, i, v);
            }
        }
        Py_XDECREF(k);
        Py_XDECREF(v);
        return status_result(s);
    }
    case NativeSlot::contains:
        return with_arg([&](PyObject *v) -> PyObject * {
            int s = t->tp_as_sequence->sq_contains(self, v);
            return s < 0 ? nullptr : PyBool_FromLong(s);
        });
    case NativeSlot::richcompare: {
        PyObject *other = arg(0);
        bool overflow = false;
        int op = n > 1 ? static_cast<int>(host::long_as(rest[1], &overflow)) : 0;
        PyObject *r = other ? t->tp_richcompare(self, other, op) : nullptr;
        Py_XDECREF(other);
        return r;
    }
    case NativeSlot::bool_: {
        int s = t->tp_as_number->nb_bool(self);
        return s < 0 ? nullptr : PyBool_FromLong(s);
    }
    case NativeSlot::getattr: return with_arg([&](PyObject *name) { return t->tp_getattro(self, name); });
    case NativeSlot::setattr:
    case NativeSlot::delattr: return set_or_delete(slot == NativeSlot::setattr, t->tp_setattro);
    case NativeSlot::descr_get: {   // __get__(obj, type=None): None is NULL for both, as wrap_descr_get
        PyObject *obj = arg(0);
        PyObject *type = n > 1 ? arg(1) : Py_NewRef(Py_None);
        PyObject *r = nullptr;
        if (obj && type) {
            if (obj == Py_None && type == Py_None)
                PyErr_SetString(PyExc_TypeError, "__get__(None, None) is invalid");
            else
                r = t->tp_descr_get(self, obj == Py_None ? nullptr : obj, type == Py_None ? nullptr : type);
        }
        Py_XDECREF(obj);
        Py_XDECREF(type);
        return r;
    }
    case NativeSlot::descr_set:
    case NativeSlot::descr_delete: return set_or_delete(slot == NativeSlot::descr_set, t->tp_descr_set);
    case NativeSlot::new_:
    case NativeSlot::number_first:
    case NativeSlot::not_iterable:
    case NativeSlot::sequence_iterable: break;   // __new__ and operators are dispatched before (the last two: no method)
    }
    PyErr_Format(PyExc_SystemError, "ferry: unknown slot %d", static_cast<int>(slot));
    return nullptr;
}

// A C operator slot of type t, with self and the other operand in the order the
// slot expects (reflected: other first). Sequence repeat takes an index.
PyObject *call_operator_slot(PyTypeObject *t, int id, PyObject *self, const Handle *rest,
                             ptrdiff_t n) {
    bool reflected = id & kReflected;
    auto slot = static_cast<OperatorSlot>((id & ~kReflected) - static_cast<int>(NativeSlot::number_first));
    PyObject *other = n > 0 ? from_host(rest[0]) : nullptr;
    PyObject *third = n > 1 ? from_host(rest[1]) : nullptr;
    if ((n > 0 && !other) || (n > 1 && !third)) {
        Py_XDECREF(other);
        Py_XDECREF(third);
        return nullptr;
    }
    PyObject *a = reflected ? other : self, *b = reflected ? self : other;
    PyObject *r = nullptr;
    switch (slot) {
#define UNARY(field) case OperatorSlot::field: r = t->tp_as_number->field(self); break;
#define BINARY(field) case OperatorSlot::field: r = t->tp_as_number->field(a, b); break;
#define X(field, name, rname, arity) X_##arity(field)
#define X_1(field) UNARY(field)
#define X_2(field) BINARY(field)
#define X_3(field) case OperatorSlot::field: r = t->tp_as_number->field(a, b, third ? third : Py_None); break;
        FERRY_NUMBER_SLOTS(X)
#undef X_1
#undef X_2
#undef X_3
#undef X
#undef UNARY
#undef BINARY
    case OperatorSlot::sq_concat: r = t->tp_as_sequence->sq_concat(self, other); break;
    case OperatorSlot::sq_inplace_concat: r = t->tp_as_sequence->sq_inplace_concat(self, other); break;
    case OperatorSlot::sq_repeat:
    case OperatorSlot::sq_inplace_repeat: {
        if (!PyIndex_Check(other)) {
            // A sequence wants an integer: CPython's slot wrapper raises here, and
            // so does its operator once the number slots declined. (An
            // operand whose own __rmul__ would take a sequence is not tried first.)
            PyErr_Format(PyExc_TypeError, "can't multiply sequence by non-int of type '%.200s'",
                         Py_TYPE(other)->tp_name);
            break;
        }
        Py_ssize_t count = PyNumber_AsSsize_t(other, PyExc_OverflowError);
        if (count == -1 && PyErr_Occurred())
            break;
        r = slot == OperatorSlot::sq_repeat ? t->tp_as_sequence->sq_repeat(self, count)
                                            : t->tp_as_sequence->sq_inplace_repeat(self, count);
        break;
    }
    case OperatorSlot::count: break;
    }
    Py_XDECREF(other);
    Py_XDECREF(third);
    if (!r && !PyErr_Occurred())
        PyErr_Format(PyExc_SystemError, "ferry: operator slot %d of '%s' returned NULL", id, t->tp_name);
    return r;
}

// The dunder a slot call came through (for its error message).
const char *slot_dunder(int slot, const Handle *args, ptrdiff_t nargs) {
    static const char *const names[] = {
        nullptr, "__new__", "__init__", "__call__", "__repr__", "__str__", "__hash__", "__iter__",
        "__next__", "__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", nullptr,
        "__bool__", "__getattr__", "__setattr__", "__delattr__", "__get__", "__set__", "__delete__"};
    int id = slot & ~kReflected;
    if (id == static_cast<int>(NativeSlot::richcompare)) {
        static const char *const ops[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
        bool overflow = false;
        long long op = nargs > 2 ? host::long_as(args[2], &overflow) : -1;
        host::err_clear();
        return op >= 0 && op < 6 ? ops[op] : "__eq__";
    }
    if (id > 0 && id < static_cast<int>(sizeof names / sizeof *names) && names[id])
        return names[id];
    int i = 0, op = id - static_cast<int>(NativeSlot::number_first);
    bool reflected = slot & kReflected;
#define X(field, name, rname, arity) \
    if (i++ == op)                   \
        return reflected && rname ? rname : name;
    FERRY_NUMBER_SLOTS(X) FERRY_SEQUENCE_SLOTS(X)
#undef X
    return "?";
}

// args: slot id, type address, self (the class for __new__), then the slot's own.
// slot (NativeSlot, an operator id, maybe | kReflected) of t; args: self (for
// new: the class to instantiate), then the slot's arguments.
Handle slot_call(int slot, PyTypeObject *t, const Handle *args, ptrdiff_t nargs, Handle kw) {
    if (slot == static_cast<int>(NativeSlot::new_))
        return to_host_result(native_new_instance(t, args[0], args + 1, nargs - 1, kw));
    PyObject *self = self_from_host(args[0], t, slot_dunder(slot, args, nargs), true);
    if (!self) {
        move_c_error_to_host();
        return {};
    }
    PyObject *r = (slot & ~kReflected) >= static_cast<int>(NativeSlot::number_first)
                      ? call_operator_slot(t, slot, self, args + 1, nargs - 1)
                      : call_native_slot(static_cast<NativeSlot>(slot), t, self, kw, args + 1, nargs - 1);
    Py_DECREF(self);
    return to_host_result(r);
}

// args: slot, type address, self, ...
Handle call_slot(const Handle *args, ptrdiff_t nargs, Handle kw) {
    if (nargs < 3)
        return type_error("call_slot(slot, type, self, ...)");
    bool overflow = false;
    int slot = static_cast<int>(host::long_as(args[0], &overflow));
    return slot_call(slot, static_cast<PyTypeObject *>(address_of(args[1])), args + 2, nargs - 2, kw);
}

// Member or getset i of t; args: self[, value]; a set without a value deletes.
Handle member_access(Direct what, PyTypeObject *t, ptrdiff_t i, const Handle *args, ptrdiff_t nargs) {
    bool member = what == Direct::get_member || what == Direct::set_member;
    PyObject *self = self_from_host(args[0], t, member ? t->tp_members[i].name : t->tp_getset[i].name, false);
    PyObject *value = nargs > 1 && self ? from_host(args[1]) : nullptr;
    if (!self || (nargs > 1 && !value)) {
        Py_XDECREF(self);
        move_c_error_to_host();
        return {};
    }
    Handle r;
    switch (what) {
    case Direct::get_member:
        r = to_host_result(PyMember_GetOne(reinterpret_cast<const char *>(self), &t->tp_members[i]));
        break;
    case Direct::set_member:
        r = none_or_error(PyMember_SetOne(reinterpret_cast<char *>(self), &t->tp_members[i], value));
        break;
    case Direct::get_getset:
        r = to_host_result(t->tp_getset[i].get(self, t->tp_getset[i].closure));
        break;
    default:
        if (!t->tp_getset[i].set) {
            PyErr_Format(PyExc_AttributeError, "attribute '%s' of '%s' objects is not writable",
                         t->tp_getset[i].name, t->tp_name);
            r = none_or_error(-1);
        } else {
            r = none_or_error(t->tp_getset[i].set(self, value, t->tp_getset[i].closure));
        }
        break;
    }
    Py_DECREF(self);
    Py_XDECREF(value);
    return r;
}

// The extension module a call into C belongs to (statistics only).
const char *entry_module(int code, const Handle *args, ptrdiff_t nargs) {
    if ((code == code_call_function || code == code_call_method) && nargs > 0)
        return stats::function_module(address_of(args[0]));
    if (code == code_call_slot && nargs > 1)
        return static_cast<PyTypeObject *>(address_of(args[1]))->tp_name;
    return "ferry";
}

// direct(what, type address, index, one): a host function for a slot (index:
// its id) or a member or getset access (index: its position) of the type;
// one: it takes exactly one argument (self).
Handle direct(const Handle *args, ptrdiff_t nargs) {
    if (nargs != 4)
        return type_error("direct(what, type, index, one)");
    bool overflow = false;
    auto what = static_cast<Direct>(host::long_as(args[0], &overflow));
    if (what < Direct::slot || what > Direct::set_getset)
        return type_error("direct: not a slot, member or getset access");
    auto *t = static_cast<PyTypeObject *>(address_of(args[1]));
    int index = static_cast<int>(host::long_as(args[2], &overflow));
    host::Arity a = host::is_true(args[3]) > 0 ? host::Arity::one : host::Arity::any;
    const char *name = what == Direct::slot            ? "slot"
                       : what <= Direct::set_member ? t->tp_members[index].name
                                                    : t->tp_getset[index].name;
    return host::direct_function(a, name, direct_call, new DirectDef{what, t, nullptr, nullptr, index});
}

// stats(): the statistics as JSON text; stats(True/False): switch them on/off.
Handle stats_entry(const Handle *args, ptrdiff_t nargs) {
    if (nargs == 1) {
        stats::set_enabled(host::is_true(args[0]) > 0);
        return host::dup(host::borrowed(host::Builtin::None));
    }
    std::string json = stats::report();
    return host::unicode_from_utf8(json.data(), json.size());
}

// debug("errors"): the reports FERRY_DEBUG made so far; debug("leaks"): the
// leak report (empty when there is nothing to report, or the mode is off).
Handle debug_entry(const Handle *args, ptrdiff_t nargs) {
    std::string what = nargs == 1 ? utf8_of(args[0]) : std::string();
    if (what == "errors")
        return host::long_from(debug::reports());
    if (what == "leaks") {
        std::string text = debug::leak_report(40);
        return host::unicode_from_utf8(text.data(), text.size());
    }
    if (what == "enabled")
        return host::dup(host::borrowed(debug::enabled ? host::Builtin::True : host::Builtin::False));
    return type_error("debug('errors' | 'leaks' | 'enabled')");
}

} // namespace

namespace ferry {

Handle direct_entry(PyMethodDef *def, PyObject *module, PyTypeObject *owner, int *arity) {
    int flags = def->ml_flags & ~METH_COEXIST;
    *arity = -1;
    if (flags & (METH_CLASS | METH_STATIC | METH_METHOD))
        return host::dup(host::borrowed(host::Builtin::None));
    int fixed = flags == METH_NOARGS ? 0 : flags == METH_O ? 1 : -1;
    if (fixed >= 0 && owner)
        fixed++;
    *arity = fixed > 1 ? -1 : fixed;
    bool kwnames = flags == (METH_FASTCALL | METH_KEYWORDS);
    if (kwnames)
        *arity = -2;
    host::Arity a = *arity == 0 ? host::Arity::noargs : *arity == 1 ? host::Arity::one : host::Arity::any;
    Handle f = host::direct_function(a, def->ml_name, direct_call,
                                     new DirectDef{Direct::method, owner, def, module, 0, kwnames});
    if (!f)
        move_host_error_to_c();
    return f;
}

} // namespace ferry

namespace {

// The host's stack is nearly spent: refuse the entry with a RecursionError.
Handle entry_refused() {
    PyErr_SetString(PyExc_RecursionError, "maximum recursion depth exceeded while calling a Python object");
    move_c_error_to_host();
    return {};
}

} // namespace

namespace {

Handle entry(void *ctx, int code, const Handle *args, ptrdiff_t nargs, Handle kw) {
    host::bind_context(ctx);
    if (code != code_init && !g_ready) {
        host::err_set_system_error("ferry: the layer is not initialized (ferry.install() first)");
        return {};
    }
    if (host::stack_exhausted())
        return entry_refused();
    bridge::EntryScope scope;
    stats::Entry timing(stats::enabled ? entry_module(code, args, nargs) : nullptr);
    switch (code) {
    case code_init: return init(args, nargs);
    case code_load: return load(args, nargs);
    case code_call_function: return call_function(args, nargs, kw, true);
    case code_call_method: return call_function(args, nargs, kw, false);
    case code_call_slot: return call_slot(args, nargs, kw);
    case code_stats: return stats_entry(args, nargs);
    case code_direct: return direct(args, nargs);
    case code_debug: return debug_entry(args, nargs);
    case code_collect:
        // gc.collect() (_support.collect): with an argument (before the host
        // collects), the waiting release links, so that fresh wrappers may
        // die; without, a boundary collection, when no C code runs (this
        // entry is the only one active).
        if (nargs == 1) {
            bridge::make_pending_links();
            keep_flush();
            return host::long_from(0);
        }
        return host::long_from(bridge::detail::entry_depth == 1 ? cycles::collect() : 0);
    case code_release: {
        // A release link's target died (args: the link's id; gc_bridge/bridge.h).
        bool overflow = false;
        if (nargs == 1)
            bridge::release_later(host::long_as(args[0], &overflow));
        return host::dup(host::borrowed(host::Builtin::None));
    }
    }
    return type_error("ferry: unknown entry code");
}

} // namespace

extern "C" __attribute__((visibility("default"))) Handle
ferry_entry(void *ctx, int code, Handle self, const Handle *args, ptrdiff_t nargs, Handle kw) {
    (void)self;
    return host::hand_over(entry(ctx, code, args, nargs, kw));
}
