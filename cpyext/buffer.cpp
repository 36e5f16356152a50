// The buffer protocol. Mirrors the buffer part of Objects/abstract.c.
//
// Three kinds of exporters:
//  * bytes: the C copy of a bytes proxy is its value (read-only);
//  * bytearray: the C copy of the proxy (ob_start), counted in ob_exports;
//    the host is brought up to date when the buffer is released (and when
//    the proxy dies or crosses, see bytearrayobject.cpp);
//  * any other managed object that exports a buffer on the host (memoryview,
//    array.array, mmap, ...): the layer takes memoryview(o) on the host and
//    hands C a C-contiguous copy of its bytes; a writable export is written
//    back to the host object when released, if C changed it;
//  * extension types: their own bf_getbuffer / bf_releasebuffer.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpyext/internal.h"
#include "gc_bridge/bridge.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "buffer"

namespace ferry {
int bytearray_sync_to_host(PyObject *o);
int bytearray_sync_from_host(PyObject *o);
uint64_t bytes_digest(const char *p, Py_ssize_t n);
} // namespace ferry

using namespace ferry;

namespace {

constexpr uint64_t kHostExportMagic = 0x66657272796275ULL;   // "ferrybu"

// view->internal of a host-backed export.
struct HostExport {
    uint64_t magic = kHostExportMagic;
    PyObject *memview = nullptr;   // the host memoryview (kept for the write-back)
    char *data = nullptr;          // the copy, laid out with the host view's strides
    Py_ssize_t span = 0;           // bytes of data
    Py_ssize_t origin = 0;         // offset in data of the first item (negative strides)
    uint64_t digest = 0;           // of data when exported: was it written?
    bool writable = false;
    std::string format;
    std::vector<Py_ssize_t> shape, strides;
};

// Whether a managed object can export a buffer, asked of the host once per type.
std::unordered_map<PyTypeObject *, bool> g_host_buffer_types;

// Layouts that never export a buffer (their host types have no buffer slot).
bool layout_without_buffer(PyTypeObject *t) {
    TypeInfo *ti = type_info(t);
    if (!ti)
        return true;
    if (ti->is_native)
        return true;   // an extension type exports through its own tp_as_buffer
    switch (ti->layout) {
    case Layout::generic: return false;
    default: return true;   // bytes/bytearray are handled before; the rest are not buffers
    }
}

int not_a_buffer(PyObject *o) {
    PyErr_Format(PyExc_TypeError, "a bytes-like object is required, not '%.100s'",
                 Py_TYPE(o)->tp_name);
    return -1;
}

Py_ssize_t as_ssize(PyObject *o) {
    if (!o)
        return -1;
    Py_ssize_t v = PyLong_AsSsize_t(o);
    Py_DECREF(o);
    return v;
}

// A tuple of ints (shape/strides of a memoryview) into v.
bool read_dims(PyObject *mv, const char *attr, std::vector<Py_ssize_t> &v) {
    PyObject *t = PyObject_GetAttrString(mv, attr);
    if (!t)
        return false;
    PyObject *fast = PySequence_Fast(t, "memoryview dimensions");
    Py_DECREF(t);
    if (!fast)
        return false;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    v.resize(n);
    for (Py_ssize_t i = 0; i < n; i++) {
        v[i] = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(fast, i));
        if (v[i] == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return false;
        }
    }
    Py_DECREF(fast);
    return true;
}

// memoryview(o) on the host; null with TypeError's text replaced by
// PyObject_GetBuffer's when o is not a buffer.
PyObject *host_memoryview(PyObject *o) {
    PyObject *mv = PyObject_CallOneArg(reinterpret_cast<PyObject *>(&PyMemoryView_Type), o);
    if (!mv && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        not_a_buffer(o);
    }
    return mv;
}

// Visits the items of a shape in C order with their offset under strides.
template <typename F>
void each_item(const std::vector<Py_ssize_t> &shape, const std::vector<Py_ssize_t> &strides, F f) {
    size_t ndim = shape.size();
    for (Py_ssize_t n : shape)
        if (n == 0)
            return;
    std::vector<Py_ssize_t> index(ndim, 0);
    for (Py_ssize_t k = 0;; k++) {
        Py_ssize_t offset = 0;
        for (size_t i = 0; i < ndim; i++)
            offset += index[i] * strides[i];
        f(k, offset);
        size_t i = ndim;
        while (i > 0 && ++index[i - 1] == shape[i - 1])
            index[--i] = 0;
        if (i == 0)
            return;
    }
}

// The items of the export in C order (what the host's tobytes() gives).
std::string gather(const HostExport *e, Py_ssize_t itemsize) {
    std::string out;
    each_item(e->shape, e->strides, [&](Py_ssize_t, Py_ssize_t offset) {
        out.append(e->data + e->origin + offset, itemsize);
    });
    return out;
}

void free_export(HostExport *e) {
    Py_XDECREF(e->memview);
    PyMem_Free(e->data);
    delete e;
}

int host_getbuffer(PyObject *o, Py_buffer *view, int flags) {
    PyObject *mv = host_memoryview(o);
    if (!mv)
        return -1;
    g_host_buffer_types[Py_TYPE(o)] = true;
    auto *e = new HostExport;
    e->memview = mv;
    auto fail = [&]() {
        free_export(e);
        return -1;
    };
    PyObject *ro = PyObject_GetAttrString(mv, "readonly");
    int readonly = ro ? PyObject_IsTrue(ro) : -1;
    Py_XDECREF(ro);
    if (readonly < 0)
        return fail();
    if ((flags & PyBUF_WRITABLE) == PyBUF_WRITABLE && readonly) {
        PyErr_SetString(PyExc_BufferError, "memoryview: underlying buffer is not writable");
        return fail();
    }
    Py_ssize_t itemsize = as_ssize(PyObject_GetAttrString(mv, "itemsize"));
    if (itemsize < 0)
        return fail();
    PyObject *fmt = PyObject_GetAttrString(mv, "format");
    const char *f = fmt ? PyUnicode_AsUTF8(fmt) : nullptr;
    if (!f) {
        Py_XDECREF(fmt);
        return fail();
    }
    e->format = f;
    Py_DECREF(fmt);
    if (!read_dims(mv, "shape", e->shape))
        return fail();
    // The copy keeps the host view's strides, so C sees the layout CPython
    // would show (IsContiguous, strided access) and C-order bytes go back.
    if (!read_dims(mv, "strides", e->strides))
        return fail();
    Py_ssize_t ndim = static_cast<Py_ssize_t>(e->shape.size());
    Py_ssize_t lo = 0, hi = itemsize;
    for (Py_ssize_t i = 0; i < ndim; i++) {
        Py_ssize_t extent = (e->shape[i] > 0 ? e->shape[i] - 1 : 0) * e->strides[i];
        (extent < 0 ? lo : hi) += extent;
    }
    PyObject *bytes = PyObject_CallMethod(mv, "tobytes", nullptr);
    if (!bytes)
        return fail();
    Py_ssize_t len = PyBytes_GET_SIZE(bytes);
    e->span = hi - lo;
    e->origin = -lo;
    e->data = static_cast<char *>(PyMem_Calloc(e->span ? e->span : 1, 1));
    if (!e->data) {
        Py_DECREF(bytes);
        PyErr_NoMemory();
        return fail();
    }
    const char *items = PyBytes_AS_STRING(bytes);
    each_item(e->shape, e->strides, [&](Py_ssize_t k, Py_ssize_t offset) {
        std::memcpy(e->data + e->origin + offset, items + k * itemsize, itemsize);
    });
    Py_DECREF(bytes);
    // CPython's memory_getbuf checks, on the host view's layout.
    if ((flags & PyBUF_ND) != PyBUF_ND && (flags & PyBUF_FORMAT)) {
        PyErr_SetString(PyExc_BufferError,
                        "memoryview: cannot cast to unsigned bytes if the format flag is present");
        return fail();
    }
    struct { int req; const char *attr; const char *msg; } checks[] = {
        {(flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS, "c_contiguous",
         "memoryview: underlying buffer is not C-contiguous"},
        {(flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS, "f_contiguous",
         "memoryview: underlying buffer is not Fortran contiguous"},
        {(flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS, "contiguous",
         "memoryview: underlying buffer is not contiguous"},
        {(flags & PyBUF_STRIDES) != PyBUF_STRIDES, "c_contiguous",
         "memoryview: underlying buffer is not C-contiguous"},
    };
    for (auto &c : checks) {
        if (!c.req)
            continue;
        PyObject *a = PyObject_GetAttrString(mv, c.attr);
        int ok = a ? PyObject_IsTrue(a) : -1;
        Py_XDECREF(a);
        if (ok < 0)
            return fail();
        if (!ok) {
            PyErr_SetString(PyExc_BufferError, c.msg);
            return fail();
        }
        break;
    }
    e->writable = !readonly;
    e->digest = bytes_digest(e->data, e->span);
    view->obj = Py_NewRef(o);
    view->buf = e->data + e->origin;
    view->len = len;
    view->readonly = readonly;
    view->itemsize = itemsize;
    view->format = (flags & PyBUF_FORMAT) ? const_cast<char *>(e->format.c_str()) : nullptr;
    if ((flags & PyBUF_ND) == PyBUF_ND) {
        view->ndim = static_cast<int>(ndim);
        view->shape = e->shape.data();
    } else {
        view->ndim = 1;
        view->shape = nullptr;
    }
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? e->strides.data() : nullptr;
    view->suboffsets = nullptr;
    view->internal = e;
    return 0;
}

// Writes C's changes to a host-backed export back to the host object.
void host_releasebuffer(Py_buffer *view, HostExport *e) {
    if (e->writable && bytes_digest(e->data, e->span) != e->digest) {
        PyObject *et, *ev, *tb;
        PyErr_Fetch(&et, &ev, &tb);
        std::string items = gather(e, view->itemsize);
        PyObject *data = PyBytes_FromStringAndSize(items.data(), items.size());
        PyObject *r = nullptr;
        if (data) {
            // Contiguous: through a byte cast; otherwise item by item (1-D).
            PyObject *flat = PyObject_CallMethod(e->memview, "cast", "s", "B");
            if (flat) {
                r = PyObject_CallMethod(flat, "__setitem__", "NO", PySlice_New(nullptr, nullptr, nullptr),
                                        data);
                Py_DECREF(flat);
            } else {
                PyErr_Clear();
                PyObject *src = PyMemoryView_FromObject(data);
                PyObject *cast = src ? PyObject_CallMethod(src, "cast", "s", e->format.c_str())
                                     : nullptr;
                if (cast)
                    r = PyObject_CallMethod(e->memview, "__setitem__", "NO",
                                            PySlice_New(nullptr, nullptr, nullptr), cast);
                Py_XDECREF(cast);
                Py_XDECREF(src);
            }
            Py_DECREF(data);
        }
        if (!r)
            PyErr_WriteUnraisable(view->obj);
        Py_XDECREF(r);
        PyErr_Restore(et, ev, tb);
    }
    PyObject *rel = PyObject_CallMethod(e->memview, "release", nullptr);
    if (!rel)
        PyErr_Clear();
    Py_XDECREF(rel);
    free_export(e);
}

int bytearray_getbuffer(PyObject *o, Py_buffer *view, int flags) {
    auto *ba = reinterpret_cast<PyByteArrayObject *>(o);
    // Nobody holds a pointer into it: C may take the host's latest contents.
    if (ba->ob_exports == 0 && bytearray_sync_from_host(o) < 0)
        return -1;
    if (PyBuffer_FillInfo(view, o, PyByteArray_AS_STRING(o), PyByteArray_GET_SIZE(o), 0,
                          flags) < 0)
        return -1;
    ba->ob_exports++;
    return 0;
}

} // namespace

namespace ferry {

// Whether an object's type exports buffers: the C slots, else the host.
bool host_type_has_buffer(PyObject *o) {
    PyTypeObject *t = Py_TYPE(o);
    if (t == &PyMemoryView_Type)
        return true;
    if (layout_without_buffer(t))
        return false;
    auto it = g_host_buffer_types.find(t);
    if (it != g_host_buffer_types.end())
        return it->second;
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
    PyObject *mv = PyObject_CallOneArg(reinterpret_cast<PyObject *>(&PyMemoryView_Type), o);
    bool has = mv != nullptr;
    if (mv) {
        PyObject *r = PyObject_CallMethod(mv, "release", nullptr);
        Py_XDECREF(r);
        Py_DECREF(mv);
        g_host_buffer_types[t] = true;
    } else if (PyErr_ExceptionMatches(PyExc_TypeError)) {
        g_host_buffer_types[t] = false;
    }
    PyErr_Clear();
    PyErr_Restore(et, ev, tb);
    return has;
}

// Whether releasing a buffer of o runs code (CPython: bf_releasebuffer is
// set), so a pointer must not outlive the Py_buffer (getargs "y", "s#", ...).
bool buffer_needs_release(PyObject *o) {
    if (PyBytes_Check(o))
        return false;
    if (PyByteArray_Check(o))
        return true;
    PyBufferProcs *pb = Py_TYPE(o)->tp_as_buffer;
    if (pb && pb->bf_getbuffer)
        return pb->bf_releasebuffer != nullptr;
    // A host-backed export is a copy freed on release; a non-exporter is left
    // to PyObject_GetBuffer, which raises CPython's error.
    return host_type_has_buffer(o);
}

// bytes exports its C copy, read-only (CPython's bytes_buffer_getbuffer);
// its subtypes of C inherit it.
int bytes_getbuffer(PyObject *o, Py_buffer *view, int flags) {
    return PyBuffer_FillInfo(view, o, PyBytes_AS_STRING(o), PyBytes_GET_SIZE(o), 1, flags);
}
PyBufferProcs bytes_buffer_procs = {bytes_getbuffer, nullptr};

} // namespace ferry

int PyObject_CheckBuffer(PyObject *o) {
    FERRY_API;
    if (PyBytes_Check(o) || PyByteArray_Check(o))
        return 1;
    PyBufferProcs *pb = Py_TYPE(o)->tp_as_buffer;
    if (pb && pb->bf_getbuffer)
        return 1;
    return host_type_has_buffer(o) ? 1 : 0;
}

int PyBuffer_FillInfo(Py_buffer *view, PyObject *obj, void *buf, Py_ssize_t len, int readonly,
                      int flags) {
    FERRY_API;
    if (!view) {
        PyErr_SetString(PyExc_BufferError, "PyBuffer_FillInfo: view==NULL argument is obsolete");
        return -1;
    }
    if ((flags & PyBUF_WRITABLE) == PyBUF_WRITABLE && readonly == 1) {
        PyErr_SetString(PyExc_BufferError, "Object is not writable.");
        return -1;
    }
    view->obj = Py_XNewRef(obj);
    view->buf = buf;
    view->len = len;
    view->readonly = readonly;
    view->itemsize = 1;
    view->format = (flags & PyBUF_FORMAT) == PyBUF_FORMAT ? const_cast<char *>("B") : nullptr;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) == PyBUF_ND ? &view->len : nullptr;
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? &view->itemsize : nullptr;
    view->suboffsets = nullptr;
    view->internal = nullptr;
    return 0;
}

int PyObject_GetBuffer(PyObject *o, Py_buffer *view, int flags) {
    FERRY_API;
    if (PyBytes_Check(o))
        return PyBuffer_FillInfo(view, o, PyBytes_AS_STRING(o), PyBytes_GET_SIZE(o), 1, flags);
    if (PyByteArray_Check(o))
        return bytearray_getbuffer(o, view, flags);
    PyBufferProcs *pb = Py_TYPE(o)->tp_as_buffer;
    if (pb && pb->bf_getbuffer)
        return pb->bf_getbuffer(o, view, flags);
    if (layout_without_buffer(Py_TYPE(o)) && Py_TYPE(o) != &PyMemoryView_Type)
        return not_a_buffer(o);
    return host_getbuffer(o, view, flags);
}

void PyBuffer_Release(Py_buffer *view) {
    FERRY_API;
    PyObject *o = view->obj;
    if (!o)
        return;
    PyBufferProcs *pb = Py_TYPE(o)->tp_as_buffer;
    if (pb && pb->bf_getbuffer) {
        if (pb->bf_releasebuffer)
            pb->bf_releasebuffer(o, view);
    } else if (PyByteArray_Check(o)) {
        auto *ba = reinterpret_cast<PyByteArrayObject *>(o);
        if (ba->ob_exports > 0)
            ba->ob_exports--;
        // C may have written through the buffer: the host copy follows.
        PyObject *et, *ev, *tb;
        PyErr_Fetch(&et, &ev, &tb);
        if (bytearray_sync_to_host(o) < 0)
            PyErr_WriteUnraisable(o);
        PyErr_Restore(et, ev, tb);
    } else if (view->internal &&
               static_cast<HostExport *>(view->internal)->magic == kHostExportMagic &&
               !PyBytes_Check(o)) {
        host_releasebuffer(view, static_cast<HostExport *>(view->internal));
        view->internal = nullptr;
    }
    view->obj = nullptr;
    Py_DECREF(o);
}

int PyBuffer_IsContiguous(const Py_buffer *view, char order) {
    FERRY_API;
    if (view->suboffsets)
        return 0;
    if (!view->strides)
        return 1;
    Py_ssize_t expected = view->itemsize;
    if (order != 'F') {
        for (int i = view->ndim - 1; i >= 0; i--) {
            if (view->shape[i] > 1 && view->strides[i] != expected)
                return order == 'A' ? PyBuffer_IsContiguous(view, 'F') : 0;
            expected *= view->shape[i];
        }
        return 1;
    }
    for (int i = 0; i < view->ndim; i++) {
        if (view->shape[i] > 1 && view->strides[i] != expected)
            return 0;
        expected *= view->shape[i];
    }
    return 1;
}

namespace ferry {

// A memoryview C makes: the host's, and in its C struct (PyMemoryViewObject,
// which C reads with PyMemoryView_GET_BUFFER: numpy's np.asarray of one) a
// buffer of o, as CPython's holds: o's own memory when o is a type of C's,
// else a copy of the host's. Released with the proxy (memoryview_release).
PyObject *memoryview_of(PyObject *o) {
    PyObject *mv = PyObject_CallOneArg(reinterpret_cast<PyObject *>(&PyMemoryView_Type), o);
    if (!mv || Py_TYPE(mv) != &PyMemoryView_Type)
        return mv;
    Py_buffer &view = reinterpret_cast<PyMemoryViewObject *>(mv)->view;
    if (view.obj)   // (the same memoryview met again)
        return mv;
    if (PyObject_GetBuffer(o, &view, PyBUF_FULL_RO) < 0) {
        Py_DECREF(mv);
        return nullptr;
    }
    return mv;
}

void memoryview_release(PyObject *mv) {
    Py_buffer &view = reinterpret_cast<PyMemoryViewObject *>(mv)->view;
    if (view.obj)
        PyBuffer_Release(&view);
}

} // namespace ferry

// A memoryview of an object's buffer (memoryview_of).
PyObject *PyMemoryView_FromObject(PyObject *o) {
    FERRY_API;
    if (!PyObject_CheckBuffer(o)) {
        PyErr_Format(PyExc_TypeError, "memoryview: a bytes-like object is required, not '%.200s'",
                     Py_TYPE(o)->tp_name);
        return nullptr;
    }
    return memoryview_of(o);
}

PyObject *PyMemoryView_FromMemory(char *mem, Py_ssize_t size, int flags) {
    FERRY_API;
    if (flags != PyBUF_READ) {
        PyErr_SetString(PyExc_SystemError,
                        "ferry: PyMemoryView_FromMemory with PyBUF_WRITE is not supported yet");
        return nullptr;
    }
    PyObject *b = PyBytes_FromStringAndSize(mem, size);
    if (!b)
        return nullptr;
    PyObject *r = memoryview_of(b);
    Py_DECREF(b);
    return r;
}

// A contiguous view of obj's buffer (memoryobject.c): the object's own
// memory when it is contiguous in `order`, else a read-only copy in that
// order with the same format and shape.
PyObject *PyMemoryView_GetContiguous(PyObject *obj, int buffertype, char order) {
    FERRY_API;
    if ((buffertype != PyBUF_READ && buffertype != PyBUF_WRITE) ||
        (order != 'C' && order != 'F' && order != 'A')) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    PyObject *mv = PyMemoryView_FromObject(obj);
    if (!mv)
        return nullptr;
    Py_buffer view;
    if (PyObject_GetBuffer(mv, &view, PyBUF_FULL_RO) < 0) {
        Py_DECREF(mv);
        return nullptr;
    }
    bool readonly = view.readonly, contiguous = PyBuffer_IsContiguous(&view, order);
    int ndim = view.ndim;
    PyBuffer_Release(&view);
    const char *problem = nullptr;
    if (buffertype == PyBUF_WRITE && readonly)
        problem = "underlying buffer is not writable";
    else if (contiguous)
        return mv;
    else if (buffertype == PyBUF_WRITE)
        problem = "writable contiguous buffer requested for a non-contiguous object.";
    if (problem) {
        PyErr_SetString(PyExc_BufferError, problem);
        Py_DECREF(mv);
        return nullptr;
    }
    if (order == 'F' && ndim > 1) {   // a cast can only lay the copy out in C order
        Py_DECREF(mv);
        PyErr_SetString(PyExc_SystemError,
                        "ferry: PyMemoryView_GetContiguous of a multi-dimensional buffer "
                        "in Fortran order is not supported yet");
        return nullptr;
    }
    // tobytes() is the logical contents in C order (the host's takes no order).
    PyObject *bytes = PyObject_CallMethod(mv, "tobytes", nullptr);
    PyObject *flat = bytes ? PyMemoryView_FromObject(bytes) : nullptr;
    PyObject *format = flat ? PyObject_GetAttrString(mv, "format") : nullptr;
    PyObject *shape = format ? PyObject_GetAttrString(mv, "shape") : nullptr;
    PyObject *bytewise = shape ? PyObject_CallMethod(flat, "cast", "s", "B") : nullptr;
    PyObject *r = bytewise ? PyObject_CallMethod(bytewise, "cast", "OO", format, shape) : nullptr;
    Py_XDECREF(bytewise);
    Py_XDECREF(shape);
    Py_XDECREF(format);
    Py_XDECREF(flat);
    Py_XDECREF(bytes);
    Py_DECREF(mv);
    return r;
}

// ---------------------------------------------------------------- exports to the host

namespace {

// Exports still held by the host: PyPy may ask to release one twice (when the
// memoryview is released and again when it is collected).
std::unordered_set<Py_buffer *> g_exports;

// The host asks an extension type's instance for its buffer: the C type's
// bf_getbuffer fills a Py_buffer kept for the release; the host's view gets
// the same fields (Py_buffer and HPy_buffer share their layout) but `obj`,
// which the facade sets to the wrapper.
int export_to_host(void *native, void *host_view, int flags) {
    ferry::bridge::EntryScope scope;
    auto *o = static_cast<PyObject *>(native);
    auto *kept = new Py_buffer{};
    if (Py_TYPE(o)->tp_as_buffer->bf_getbuffer(o, kept, flags) < 0) {
        delete kept;
        move_c_error_to_host();
        return -1;
    }
    auto *view = static_cast<Py_buffer *>(host_view);
    *view = *kept;
    view->obj = nullptr;
    view->internal = kept;
    g_exports.insert(kept);
    debug::root_range(kept, sizeof *kept);   // kept->obj: a reference the layer holds
    return 0;
}

void release_to_host(void *native, void *host_view) {
    ferry::bridge::EntryScope scope;
    auto *o = static_cast<PyObject *>(native);
    auto *kept = static_cast<Py_buffer *>(static_cast<Py_buffer *>(host_view)->internal);
    if (!g_exports.erase(kept))
        return;
    if (Py_TYPE(o)->tp_as_buffer->bf_releasebuffer)
        Py_TYPE(o)->tp_as_buffer->bf_releasebuffer(o, kept);
    Py_CLEAR(kept->obj);
    debug::root_range_gone(kept);
    delete kept;
}

} // namespace

namespace ferry {
void install_buffer_exports() { host::set_buffer_hooks(export_to_host, release_to_host); }
} // namespace ferry
