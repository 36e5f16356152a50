// Struct sequences: "named tuples" made by C (os.stat_result, time.struct_time).
// Mirrors Objects/structseq.c.
//
// In C an instance has the tuple layout CPython gives it: n_fields items in
// ob_item, ob_size the visible ones only (the macros PyStructSequence_SET_ITEM
// and GET_ITEM write and read ob_item directly). The type object is filled
// here as CPython's _PyStructSequence_InitType fills it (tp_members included)
// and bound to a managed class made by _support.structseq_type: a tuple
// subclass whose tuple is the visible fields, the hidden ones kept in a slot,
// with the named fields, n_sequence_fields / n_fields / n_unnamed_fields,
// __match_args__, CPython's repr, __reduce__ and constructor. A C instance
// crossing to the host becomes an instance of that class (made once, as a
// tuple's managed copy); a managed instance crossing into C gets the layout.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <unordered_map>
#include <vector>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "structseq"

using namespace ferry;
using host::Handle;
using host::Helper;

const char *const PyStructSequence_UnnamedField = "unnamed field";

namespace {

struct SeqInfo {
    Py_ssize_t n_fields = 0;
    Py_ssize_t n_visible = 0;
    Py_ssize_t n_unnamed = 0;
};
std::unordered_map<PyTypeObject *, SeqInfo> g_seq_types;

const SeqInfo *seq_info(PyTypeObject *t) {
    auto it = g_seq_types.find(t);
    return it == g_seq_types.end() ? nullptr : &it->second;
}

Handle str_or_none(const char *s) {
    return s ? host::unicode_from_utf8(s, std::strlen(s)) : host::dup(host::borrowed(host::Builtin::None));
}

Handle tuple_of(std::vector<Handle> &items) {
    Handle t = host::tuple_from(items.data(), items.size());   // null if an item is
    for (Handle h : items)
        host::close(h);
    return t;
}

// _PyStructSequence_InitType of Objects/structseq.c, on a type object whose
// storage is zeroed (a static of the extension, or a fresh heap type).
int init_type(PyTypeObject *type, PyStructSequence_Desc *desc, unsigned long flags) {
    if (Py_REFCNT(type) != 0) {   // initialized already
        PyErr_BadInternalCall();
        return -1;
    }
    Py_ssize_t n_members = 0, n_unnamed = 0;
    for (; desc->fields[n_members].name; n_members++)
        if (desc->fields[n_members].name == PyStructSequence_UnnamedField)
            n_unnamed++;
    auto *members = static_cast<PyMemberDef *>(
        PyMem_Calloc(n_members - n_unnamed + 1, sizeof(PyMemberDef)));
    if (!members) {
        PyErr_NoMemory();
        return -1;
    }
    std::vector<Handle> names, docs;
    for (Py_ssize_t i = 0, k = 0; i < n_members; i++) {
        const PyStructSequence_Field &f = desc->fields[i];
        bool unnamed = f.name == PyStructSequence_UnnamedField;
        names.push_back(str_or_none(unnamed ? nullptr : f.name));
        docs.push_back(str_or_none(f.doc));
        if (unnamed)
            continue;
        members[k].name = f.name;
        members[k].type = T_OBJECT;
        members[k].offset = offsetof(PyTupleObject, ob_item) + i * sizeof(PyObject *);
        members[k].flags = READONLY;
        members[k].doc = f.doc;
        k++;
    }
    Handle hn = tuple_of(names), hd = tuple_of(docs);
    Handle name = str_or_none(desc->name), doc = str_or_none(desc->doc);
    Handle nvis = host::long_from(desc->n_in_sequence);
    Handle cls = hn && hd && name && doc && nvis
                     ? host::call_helper(Helper::structseq_type, {name, doc, hn, hd, nvis})
                     : Handle{};
    for (Handle h : {hn, hd, name, doc, nvis})
        host::close(h);
    if (!cls) {
        PyMem_Free(members);
        move_host_error_to_c();
        return -1;
    }
    Py_SET_REFCNT(type, 1 << 29);   // lives as long as the layer, as the managed class
    Py_SET_TYPE(type, &PyType_Type);
    type->tp_name = desc->name;
    type->tp_doc = desc->doc;
    type->tp_basicsize = offsetof(PyTupleObject, ob_item);
    type->tp_itemsize = sizeof(PyObject *);
    type->tp_base = &PyTuple_Type;
    type->tp_members = members;
    type->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_READY |
                     Py_TPFLAGS_TUPLE_SUBCLASS | flags;
    type->tp_alloc = PyType_GenericAlloc;
    g_seq_types[type] = {n_members, desc->n_in_sequence, n_unnamed};
    if (!bind_layer_type(type, Layout::structseq, cls)) {
        g_seq_types.erase(type);
        return -1;
    }
    return 0;
}

} // namespace

namespace ferry {

PyObject *structseq_materialize(Handle h, PyTypeObject *type) {
    const SeqInfo *si = seq_info(type);
    if (!si) {
        PyErr_Format(PyExc_SystemError, "ferry: '%s' is not a struct sequence type", type->tp_name);
        return nullptr;
    }
    Handle items = host::call_helper(Helper::structseq_items, {h});
    if (!items)
        return null_with_host_error();
    PyObject *o = tuple_alloc(type, si->n_fields);
    if (o)
        Py_SET_SIZE(o, si->n_visible);
    for (Py_ssize_t i = 0; o && i < si->n_fields; i++) {
        PyObject *item = from_host_steal(host::getitem_i(items, i));
        if (!item) {
            Py_SET_SIZE(o, i);   // only the items filled so far are released
            Py_CLEAR(o);
            break;
        }
        PyTuple_SET_ITEM(o, i, item);
    }
    host::close(items);
    return o;
}

Handle structseq_to_host(PyObject *o) {
    const SeqInfo *si = seq_info(Py_TYPE(o));
    if (!si) {
        PyErr_Format(PyExc_SystemError, "ferry: '%s' is not a struct sequence type",
                     Py_TYPE(o)->tp_name);
        return {};
    }
    std::vector<Handle> items(si->n_fields);
    for (Py_ssize_t i = 0; i < si->n_fields; i++) {
        PyObject *item = PyTuple_GET_ITEM(o, i);
        if (!item) {
            PyErr_Format(PyExc_SystemError,
                         "ferry: field %zd of a '%s' was never set (PyStructSequence_SetItem)", i,
                         Py_TYPE(o)->tp_name);
            return {};
        }
        if (!(items[i] = handle_of(item)))
            return {};
    }
    Handle t = host::tuple_from(items.data(), items.size());
    Handle r = t ? host::call_helper(Helper::structseq_make, {type_info(Py_TYPE(o))->host_type, t})
                 : Handle{};
    host::close(t);
    if (!r)
        move_host_error_to_c();
    return r;
}

void structseq_release(PyObject *o) {
    const SeqInfo *si = seq_info(Py_TYPE(o));
    Py_ssize_t n = si && Py_SIZE(o) == si->n_visible ? si->n_fields : Py_SIZE(o);
    for (Py_ssize_t i = 0; i < n; i++)
        Py_XDECREF(PyTuple_GET_ITEM(o, i));
}

} // namespace ferry

PyObject *PyStructSequence_New(PyTypeObject *type) {
    FERRY_API;
    const SeqInfo *si = seq_info(type);
    if (!si) {   // CPython 3.11 converts the NULL it finds for n_fields in the type's dict
        PyErr_BadInternalCall();
        return nullptr;
    }
    PyObject *o = tuple_alloc(type, si->n_fields);   // items NULL
    if (o)
        Py_SET_SIZE(o, si->n_visible);   // hidden fields are not seen as items
    return o;
}

void PyStructSequence_SetItem(PyObject *op, Py_ssize_t i, PyObject *v) {
    FERRY_API;
    PyTuple_SET_ITEM(op, i, v);
}

PyObject *PyStructSequence_GetItem(PyObject *op, Py_ssize_t i) {
    FERRY_API;
    return PyTuple_GET_ITEM(op, i);
}

int PyStructSequence_InitType2(PyTypeObject *type, PyStructSequence_Desc *desc) {
    FERRY_API;
    return init_type(type, desc, 0);
}

void PyStructSequence_InitType(PyTypeObject *type, PyStructSequence_Desc *desc) {
    FERRY_API;
    (void)init_type(type, desc, 0);
}

// CPython 3.11 makes a heap type (PyType_FromSpecWithBases); here the type
// object is the layer's, as long-lived as the managed class.
PyTypeObject *PyStructSequence_NewType(PyStructSequence_Desc *desc) {
    FERRY_API;
    auto *heap = new PyHeapTypeObject();
    PyTypeObject *type = &heap->ht_type;
    if (init_type(type, desc, Py_TPFLAGS_HEAPTYPE) < 0) {
        delete heap;
        return nullptr;
    }
    return type;
}
