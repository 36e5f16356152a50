// The datetime C API (Modules/_datetimemodule.c, Include/datetime.h).
//
// The host's datetime classes are its own (pure Python on PyPy). C sees
// their instances with CPython's structs, filled from the managed object
// when it crosses, since datetime.h's macros read the packed fields
// directly; the classes' proxies have CPython's basic sizes (Cython checks
// them at import). The objects are immutable, so a proxy never goes stale.
// `datetime.datetime_CAPI` is set on the host's module the first time C
// imports it (PyCapsule_Import): its types are the classes' proxies and its
// constructors call the classes.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define _PY_DATETIME_IMPL   // the capsule's provider: no PyDateTimeAPI of its own
#include <datetime.h>

#include <cstring>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "datetimemodule"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace {

// Integer fields of the managed object, in the order _support.datetime_fields
// gives them (for datetime and time the tzinfo, or None, follows them).
bool read_fields(Handle h, Handle *parts, long *out, int n) {
    *parts = host::call_helper(Helper::datetime_fields, {h});
    if (!*parts)
        return false;
    for (int i = 0; i < n; i++) {
        Handle v = host::getitem_i(*parts, i);
        bool overflow = false;
        out[i] = v ? static_cast<long>(host::long_as(v, &overflow)) : -1;
        host::close(v);
        if (!v || overflow) {
            host::close(*parts);
            return false;
        }
    }
    return true;
}

void put16(unsigned char *p, long v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
}
void put24(unsigned char *p, long v) {
    p[0] = static_cast<unsigned char>(v >> 16);
    p[1] = static_cast<unsigned char>(v >> 8);
    p[2] = static_cast<unsigned char>(v);
}

// The tzinfo at index i of parts: NULL (and no tzinfo) for None.
bool read_tzinfo(Handle parts, int i, PyObject **tz) {
    Handle t = host::getitem_i(parts, i);
    if (!t)
        return false;
    *tz = nullptr;
    if (!host::is(t, host::borrowed(host::Builtin::None))) {
        *tz = from_host(t);
        if (!*tz) {
            host::close(t);
            return false;
        }
    }
    host::close(t);
    return true;
}

PyObject *fail(PyObject *o, Handle parts) {
    host::close(parts);
    if (o)
        free_block(o);
    if (!PyErr_Occurred())
        move_host_error_to_c();
    return nullptr;
}

} // namespace

namespace ferry {

PyObject *datetime_materialize(Handle h, PyTypeObject *type, Layout layout) {
    Handle parts{};
    long f[8] = {};
    switch (layout) {
    case Layout::date: {
        auto *d = reinterpret_cast<PyDateTime_Date *>(alloc_object(type, sizeof(PyDateTime_Date)));
        if (!d || !read_fields(h, &parts, f, 3))
            return fail(reinterpret_cast<PyObject *>(d), {});
        d->hashcode = -1;
        put16(d->data, f[0]);
        d->data[2] = static_cast<unsigned char>(f[1]);
        d->data[3] = static_cast<unsigned char>(f[2]);
        host::close(parts);
        return reinterpret_cast<PyObject *>(d);
    }
    case Layout::datetime: {
        auto *d = reinterpret_cast<PyDateTime_DateTime *>(alloc_object(type, sizeof(PyDateTime_DateTime)));
        PyObject *tz = nullptr;
        if (!d || !read_fields(h, &parts, f, 8))
            return fail(reinterpret_cast<PyObject *>(d), {});
        if (!read_tzinfo(parts, 8, &tz))
            return fail(reinterpret_cast<PyObject *>(d), parts);
        d->hashcode = -1;
        put16(d->data, f[0]);
        d->data[2] = static_cast<unsigned char>(f[1]);
        d->data[3] = static_cast<unsigned char>(f[2]);
        d->data[4] = static_cast<unsigned char>(f[3]);
        d->data[5] = static_cast<unsigned char>(f[4]);
        d->data[6] = static_cast<unsigned char>(f[5]);
        put24(d->data + 7, f[6]);
        d->fold = static_cast<unsigned char>(f[7]);
        d->hastzinfo = tz != nullptr;
        d->tzinfo = tz;
        host::close(parts);
        return reinterpret_cast<PyObject *>(d);
    }
    case Layout::time: {
        auto *t = reinterpret_cast<PyDateTime_Time *>(alloc_object(type, sizeof(PyDateTime_Time)));
        PyObject *tz = nullptr;
        if (!t || !read_fields(h, &parts, f, 5))
            return fail(reinterpret_cast<PyObject *>(t), {});
        if (!read_tzinfo(parts, 5, &tz))
            return fail(reinterpret_cast<PyObject *>(t), parts);
        t->hashcode = -1;
        t->data[0] = static_cast<unsigned char>(f[0]);
        t->data[1] = static_cast<unsigned char>(f[1]);
        t->data[2] = static_cast<unsigned char>(f[2]);
        put24(t->data + 3, f[3]);
        t->fold = static_cast<unsigned char>(f[4]);
        t->hastzinfo = tz != nullptr;
        t->tzinfo = tz;
        host::close(parts);
        return reinterpret_cast<PyObject *>(t);
    }
    case Layout::delta: {
        auto *d = reinterpret_cast<PyDateTime_Delta *>(alloc_object(type, sizeof(PyDateTime_Delta)));
        if (!d || !read_fields(h, &parts, f, 3))
            return fail(reinterpret_cast<PyObject *>(d), {});
        d->hashcode = -1;
        d->days = static_cast<int>(f[0]);
        d->seconds = static_cast<int>(f[1]);
        d->microseconds = static_cast<int>(f[2]);
        host::close(parts);
        return reinterpret_cast<PyObject *>(d);
    }
    default:
        PyErr_SetString(PyExc_SystemError, "ferry: not a datetime layout");
        return nullptr;
    }
}

void datetime_release(PyObject *o, Layout layout) {
    if (layout == Layout::datetime) {
        auto *d = reinterpret_cast<PyDateTime_DateTime *>(o);
        if (d->hastzinfo)
            Py_CLEAR(d->tzinfo);
    } else if (layout == Layout::time) {
        auto *t = reinterpret_cast<PyDateTime_Time *>(o);
        if (t->hastzinfo)
            Py_CLEAR(t->tzinfo);
    }
}

Py_ssize_t datetime_basicsize(Layout layout) {
    switch (layout) {
    case Layout::date: return sizeof(PyDateTime_Date);
    case Layout::datetime: return sizeof(PyDateTime_DateTime);
    case Layout::time: return sizeof(PyDateTime_Time);
    case Layout::delta: return sizeof(PyDateTime_Delta);
    default: return 0;
    }
}

} // namespace ferry

// ---------------------------------------------------------------- PyDateTime_CAPI

namespace {

PyObject *call_type(PyTypeObject *type, const char *format, ...) {
    va_list va;
    va_start(va, format);
    PyObject *args = Py_VaBuildValue(format, va);
    va_end(va);
    if (!args)
        return nullptr;
    PyObject *r = PyObject_Call(reinterpret_cast<PyObject *>(type), args, nullptr);
    Py_DECREF(args);
    return r;
}

// Keyword arguments tzinfo= and fold= on top of positional ones.
PyObject *call_type_kw(PyTypeObject *type, PyObject *args, PyObject *tz, int fold, bool with_fold) {
    if (!args)
        return nullptr;
    PyObject *kw = PyDict_New();
    PyObject *fold_obj = kw && with_fold ? PyLong_FromLong(fold) : nullptr;
    PyObject *r = nullptr;
    if (kw && PyDict_SetItemString(kw, "tzinfo", tz) == 0 &&
        (!with_fold || (fold_obj && PyDict_SetItemString(kw, "fold", fold_obj) == 0)))
        r = PyObject_Call(reinterpret_cast<PyObject *>(type), args, kw);
    Py_XDECREF(fold_obj);
    Py_XDECREF(kw);
    Py_DECREF(args);
    return r;
}

PyObject *date_from_date(int y, int m, int d, PyTypeObject *type) { return call_type(type, "(iii)", y, m, d); }

PyObject *datetime_from_fold(int y, int mo, int d, int h, int mi, int s, int us, PyObject *tz, int fold,
                             PyTypeObject *type) {
    return call_type_kw(type, Py_BuildValue("(iiiiiii)", y, mo, d, h, mi, s, us), tz, fold, true);
}
PyObject *datetime_from(int y, int mo, int d, int h, int mi, int s, int us, PyObject *tz, PyTypeObject *type) {
    return call_type_kw(type, Py_BuildValue("(iiiiiii)", y, mo, d, h, mi, s, us), tz, 0, false);
}
PyObject *time_from_fold(int h, int m, int s, int us, PyObject *tz, int fold, PyTypeObject *type) {
    return call_type_kw(type, Py_BuildValue("(iiii)", h, m, s, us), tz, fold, true);
}
PyObject *time_from(int h, int m, int s, int us, PyObject *tz, PyTypeObject *type) {
    return call_type_kw(type, Py_BuildValue("(iiii)", h, m, s, us), tz, 0, false);
}
// CPython checks the fields without normalizing them when `normalize` is 0;
// a constructor call normalizes, which gives the same object for fields in range.
PyObject *delta_from(int days, int seconds, int us, int /*normalize*/, PyTypeObject *type) {
    return call_type(type, "(iii)", days, seconds, us);
}

PyObject *timezone_from(PyObject *offset, PyObject *name) {
    return name ? call_module("datetime", "timezone", {offset, name})
                : call_module("datetime", "timezone", {offset});
}

PyObject *from_timestamp(PyObject *cls, PyObject *args, PyObject *kw) {
    PyObject *f = PyObject_GetAttrString(cls, "fromtimestamp");
    PyObject *r = f ? PyObject_Call(f, args, kw) : nullptr;
    Py_XDECREF(f);
    return r;
}
PyObject *date_from_timestamp(PyObject *cls, PyObject *args) { return from_timestamp(cls, args, nullptr); }

PyTypeObject *class_of(PyObject *module, const char *name) {
    PyObject *c = PyObject_GetAttrString(module, name);
    if (c && !PyType_Check(c)) {
        PyErr_Format(PyExc_TypeError, "datetime.%s is not a type", name);
        Py_CLEAR(c);
    }
    return reinterpret_cast<PyTypeObject *>(c);   // type proxies live as long as the layer
}

} // namespace

namespace ferry {

// Sets datetime.datetime_CAPI on the host's module (PyCapsule_Import).
int datetime_capi_install() {
    static PyDateTime_CAPI capi;
    static bool done = false;
    if (done)
        return 0;
    PyObject *m = PyImport_ImportModule("datetime");   // kept: sys.modules holds it anyway
    if (!m)
        return -1;
    capi.DateType = class_of(m, "date");
    capi.DateTimeType = capi.DateType ? class_of(m, "datetime") : nullptr;
    capi.TimeType = capi.DateTimeType ? class_of(m, "time") : nullptr;
    capi.DeltaType = capi.TimeType ? class_of(m, "timedelta") : nullptr;
    capi.TZInfoType = capi.DeltaType ? class_of(m, "tzinfo") : nullptr;
    PyObject *tz = capi.TZInfoType ? PyObject_GetAttrString(m, "timezone") : nullptr;
    capi.TimeZone_UTC = tz ? PyObject_GetAttrString(tz, "utc") : nullptr;   // kept: a singleton
    Py_XDECREF(tz);
    if (!capi.TimeZone_UTC)
        return -1;
    capi.Date_FromDate = date_from_date;
    capi.DateTime_FromDateAndTime = datetime_from;
    capi.Time_FromTime = time_from;
    capi.Delta_FromDelta = delta_from;
    capi.TimeZone_FromTimeZone = timezone_from;
    capi.DateTime_FromTimestamp = from_timestamp;
    capi.Date_FromTimestamp = date_from_timestamp;
    capi.DateTime_FromDateAndTimeAndFold = datetime_from_fold;
    capi.Time_FromTimeAndFold = time_from_fold;
    PyObject *capsule = PyCapsule_New(&capi, PyDateTime_CAPSULE_NAME, nullptr);
    if (!capsule || PyObject_SetAttrString(m, "datetime_CAPI", capsule) < 0) {
        Py_XDECREF(capsule);
        return -1;
    }
    Py_DECREF(capsule);
    done = true;
    return 0;
}

} // namespace ferry
