// slice objects: PySliceObject proxies and native slices, their crossing and
// the index arithmetic of the PySlice_* API. Mirrors Objects/sliceobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "sliceobject"

namespace ferry {

host::Handle slice_to_host(PyObject *o);   // for build_managed (materialize.cpp)

namespace {

inline PySliceObject *as_slice(PyObject *o) { return reinterpret_cast<PySliceObject *>(o); }

PyObject *slice_alloc(PyTypeObject *type, PyObject *start, PyObject *stop, PyObject *step) {
    size_t size = sizeof(PySliceObject);
    if (type->tp_basicsize > 0 && static_cast<size_t>(type->tp_basicsize) > size)
        size = type->tp_basicsize;
    PyObject *o = alloc_object(type, size);
    if (!o)
        return nullptr;
    as_slice(o)->start = start;
    as_slice(o)->stop = stop;
    as_slice(o)->step = step;
    return o;
}

// _PyEval_SliceIndex: None leaves *pi alone; ints are clipped to Py_ssize_t.
bool slice_index(PyObject *v, Py_ssize_t *pi) {
    if (v == Py_None)
        return true;
    Py_ssize_t x;
    if (PyLong_Check(v)) {
        x = PyLong_AsSsize_t(v);
        if (x == -1 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError))
                return false;
            PyErr_Clear();
            x = _PyLong_Sign(v) < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX;
        }
    } else if (PyIndex_Check(v)) {
        x = PyNumber_AsSsize_t(v, nullptr);
        if (x == -1 && PyErr_Occurred())
            return false;
    } else {
        PyErr_SetString(PyExc_TypeError,
                        "slice indices must be integers or None or have an __index__ method");
        return false;
    }
    *pi = x;
    return true;
}

} // namespace

PyObject *slice_materialize(host::Handle h, PyTypeObject *type) {
    host::Handle parts = host::call_helper(host::Helper::slice_parts, {h});
    if (!parts)
        return null_with_host_error();
    PyObject *items[3] = {nullptr, nullptr, nullptr};
    for (int i = 0; i < 3; i++) {
        items[i] = from_host_steal(host::getitem_i(parts, i));
        if (!items[i]) {
            host::close(parts);
            for (int j = 0; j < i; j++)
                Py_DECREF(items[j]);
            return nullptr;
        }
    }
    host::close(parts);
    PyObject *o = slice_alloc(type, items[0], items[1], items[2]);
    if (!o)
        for (PyObject *x : items)
            Py_DECREF(x);
    return o;
}

host::Handle slice_to_host(PyObject *o) {
    PySliceObject *s = as_slice(o);
    host::Handle start = handle_of(s->start);
    host::Handle stop = start ? handle_of(s->stop) : host::Handle{};
    host::Handle step = stop ? handle_of(s->step) : host::Handle{};
    if (!step)
        return {};
    return host::call_helper(host::Helper::slice_new, {start, stop, step});
}

void slice_release(PyObject *o) {
    PySliceObject *s = as_slice(o);
    Py_CLEAR(s->start);
    Py_CLEAR(s->stop);
    Py_CLEAR(s->step);
}

} // namespace ferry

using namespace ferry;

PyObject *PySlice_New(PyObject *start, PyObject *stop, PyObject *step) {
    FERRY_API;
    PyObject *o = slice_alloc(&PySlice_Type, Py_NewRef(start ? start : Py_None),
                              Py_NewRef(stop ? stop : Py_None), Py_NewRef(step ? step : Py_None));
    if (!o) {
        Py_XDECREF(start ? start : Py_None);
        Py_XDECREF(stop ? stop : Py_None);
        Py_XDECREF(step ? step : Py_None);
    }
    return o;
}

PyObject *_PySlice_FromIndices(Py_ssize_t istart, Py_ssize_t istop) {
    FERRY_API;
    PyObject *start = PyLong_FromSsize_t(istart);
    if (!start)
        return nullptr;
    PyObject *stop = PyLong_FromSsize_t(istop);
    if (!stop) {
        Py_DECREF(start);
        return nullptr;
    }
    PyObject *r = PySlice_New(start, stop, nullptr);
    Py_DECREF(start);
    Py_DECREF(stop);
    return r;
}

int PySlice_Unpack(PyObject *_r, Py_ssize_t *start, Py_ssize_t *stop, Py_ssize_t *step) {
    FERRY_API;
    PySliceObject *r = as_slice(_r);
    if (r->step == Py_None) {
        *step = 1;
    } else {
        if (!slice_index(r->step, step))
            return -1;
        if (*step == 0) {
            PyErr_SetString(PyExc_ValueError, "slice step cannot be zero");
            return -1;
        }
        // Keeps -step representable (reversal may negate it).
        if (*step < -PY_SSIZE_T_MAX)
            *step = -PY_SSIZE_T_MAX;
    }
    if (r->start == Py_None)
        *start = *step < 0 ? PY_SSIZE_T_MAX : 0;
    else if (!slice_index(r->start, start))
        return -1;
    if (r->stop == Py_None)
        *stop = *step < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX;
    else if (!slice_index(r->stop, stop))
        return -1;
    return 0;
}

Py_ssize_t PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop,
                                 Py_ssize_t step) {
    FERRY_API;
    auto clamp = [&](Py_ssize_t *i) {
        if (*i < 0) {
            *i += length;
            if (*i < 0)
                *i = step < 0 ? -1 : 0;
        } else if (*i >= length) {
            *i = step < 0 ? length - 1 : length;
        }
    };
    clamp(start);
    clamp(stop);
    if (step < 0) {
        if (*stop < *start)
            return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

#undef PySlice_GetIndicesEx
int PySlice_GetIndicesEx(PyObject *r, Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop,
                         Py_ssize_t *step, Py_ssize_t *slicelength) {
    FERRY_API;
    if (PySlice_Unpack(r, start, stop, step) < 0) {
        *slicelength = 0;
        return -1;
    }
    *slicelength = PySlice_AdjustIndices(length, start, stop, *step);
    return 0;
}

int PySlice_GetIndices(PyObject *_r, Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop,
                       Py_ssize_t *step) {
    FERRY_API;
    PySliceObject *r = as_slice(_r);
    if (r->step == Py_None) {
        *step = 1;
    } else {
        if (!PyLong_Check(r->step))
            return -1;
        *step = PyLong_AsSsize_t(r->step);
    }
    if (r->start == Py_None) {
        *start = *step < 0 ? length - 1 : 0;
    } else {
        if (!PyLong_Check(r->start))
            return -1;
        *start = PyLong_AsSsize_t(r->start);
        if (*start < 0)
            *start += length;
    }
    if (r->stop == Py_None) {
        *stop = *step < 0 ? -1 : length;
    } else {
        if (!PyLong_Check(r->stop))
            return -1;
        *stop = PyLong_AsSsize_t(r->stop);
        if (*stop < 0)
            *stop += length;
    }
    if (*stop > length || *start >= length || *step == 0)
        return -1;
    return 0;
}

// From CPython's Python/ceval.c, kept here with the other slice index
// arithmetic: a slice bound as a Py_ssize_t. None leaves *pi as it is; an
// object with __index__ is converted and clipped to [PY_SSIZE_T_MIN,
// PY_SSIZE_T_MAX] (PyNumber_AsSsize_t with no exception type); anything else
// is a TypeError. 1 on success, 0 with an exception set.
namespace {

int slice_index(PyObject *v, Py_ssize_t *pi, const char *not_an_index) {
    if (!PyIndex_Check(v)) {
        PyErr_SetString(PyExc_TypeError, not_an_index);
        return 0;
    }
    Py_ssize_t x = PyNumber_AsSsize_t(v, nullptr);
    if (x == -1 && PyErr_Occurred())
        return 0;
    *pi = x;
    return 1;
}

} // namespace

int _PyEval_SliceIndex(PyObject *v, Py_ssize_t *pi) {
    FERRY_API;
    if (v == Py_None)
        return 1;
    return slice_index(v, pi, "slice indices must be integers or None or have an __index__ method");
}

// The same without None (ceval.c).
int _PyEval_SliceIndexNotNone(PyObject *v, Py_ssize_t *pi) {
    FERRY_API;
    return slice_index(v, pi, "slice indices must be integers or have an __index__ method");
}
