// bytes objects: PyBytesObject proxies and native values (ob_shash -1, NUL
// after the data) and the PyBytes_* API. Mirrors Objects/bytesobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cpyext/byteview.h"
#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "bytesobject"

namespace ferry {
namespace {

constexpr size_t kHeadSize = offsetof(PyBytesObject, ob_sval);

// ob_shash is deprecated in 3.11's headers but still part of the layout.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
inline void reset_hash(PyBytesObject *b) { b->ob_shash = -1; }
#pragma GCC diagnostic pop

PyObject *bytes_concat(PyObject *a, PyObject *b) {
    ByteView va, vb;
    if (!va.get(a) || !vb.get(b)) {
        PyErr_Format(PyExc_TypeError, "can't concat %.100s to %.100s", Py_TYPE(b)->tp_name,
                     Py_TYPE(a)->tp_name);
        return nullptr;
    }
    if (va.len > PY_SSIZE_T_MAX - vb.len)
        return PyErr_NoMemory();
    PyObject *r = bytes_from_data(nullptr, va.len + vb.len, &PyBytes_Type);
    if (!r)
        return nullptr;
    if (va.len)
        std::memcpy(PyBytes_AS_STRING(r), va.data, va.len);
    if (vb.len)
        std::memcpy(PyBytes_AS_STRING(r) + va.len, vb.data, vb.len);
    return r;
}

PyObject *expected_bytes(PyObject *o) {
    PyErr_Format(PyExc_TypeError, "expected bytes, %.200s found", Py_TYPE(o)->tp_name);
    return nullptr;
}

} // namespace

PyObject *bytes_from_data(const char *s, Py_ssize_t n, PyTypeObject *type) {
    if (n < 0) {
        PyErr_SetString(PyExc_SystemError, "Negative size passed to PyBytes_FromStringAndSize");
        return nullptr;
    }
    size_t head = kHeadSize;   // (tp_basicsize counts the NUL, as CPython's PyBytesObject_SIZE)
    if (type->tp_basicsize > 1 && static_cast<size_t>(type->tp_basicsize) - 1 > head)
        head = type->tp_basicsize - 1;
    if (static_cast<size_t>(n) > static_cast<size_t>(PY_SSIZE_T_MAX) - head - 1) {
        PyErr_SetString(PyExc_OverflowError, "byte string is too large");
        return nullptr;
    }
    auto *o = reinterpret_cast<PyObject *>(alloc_var_object(type, head + n + 1, n));
    if (!o)
        return nullptr;
    auto *b = reinterpret_cast<PyBytesObject *>(o);
    reset_hash(b);
    if (s && n)
        std::memcpy(b->ob_sval, s, n);
    b->ob_sval[n] = '\0';
    return o;
}

} // namespace ferry

using namespace ferry;

PyObject *PyBytes_FromStringAndSize(const char *str, Py_ssize_t size) {
    FERRY_API;
    if (size < 0) {
        PyErr_SetString(PyExc_SystemError, "Negative size passed to PyBytes_FromStringAndSize");
        return nullptr;
    }
    return bytes_from_data(str, size, &PyBytes_Type);
}

PyObject *PyBytes_FromString(const char *str) {
    FERRY_API;
    size_t size = std::strlen(str);
    if (size > static_cast<size_t>(PY_SSIZE_T_MAX) - kHeadSize - 1) {
        PyErr_SetString(PyExc_OverflowError, "byte string is too long");
        return nullptr;
    }
    return bytes_from_data(str, static_cast<Py_ssize_t>(size), &PyBytes_Type);
}

PyObject *PyBytes_FromObject(PyObject *x) {
    FERRY_API;
    if (!x) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    if (PyBytes_CheckExact(x))
        return Py_NewRef(x);
    if (PyUnicode_Check(x) || PyLong_Check(x) || PyFloat_Check(x)) {
        PyErr_Format(PyExc_TypeError, "cannot convert '%.200s' object to bytes",
                     Py_TYPE(x)->tp_name);
        return nullptr;
    }
    host::Handle h = handle_of(x);
    if (!h)
        return nullptr;
    host::Handle bytes_type = type_handle(&PyBytes_Type);
    if (!bytes_type)
        return nullptr;
    host::Handle r = host::call_with(bytes_type, {h});
    return result(r);
}

PyObject *PyBytes_FromFormatV(const char *format, va_list vargs) {
    FERRY_API;
    std::string out;
    out.reserve(std::strlen(format));
    char buffer[32];
    va_list ap;
    va_copy(ap, vargs);
    for (const char *f = format; *f; f++) {
        if (*f != '%') {
            out.push_back(*f);
            continue;
        }
        const char *start = f++;
        while (Py_ISDIGIT(*f))   // the width is ignored
            f++;
        Py_ssize_t prec = 0;
        if (*f == '.') {
            f++;
            for (; Py_ISDIGIT(*f); f++)
                prec = prec * 10 + (*f - '0');
        }
        while (*f && *f != '%' && !Py_ISALPHA(*f))
            f++;
        bool longflag = false, size_tflag = false;
        if (*f == 'l' && (f[1] == 'd' || f[1] == 'u')) {
            longflag = true;
            f++;
        }
        if (*f == 'z' && (f[1] == 'd' || f[1] == 'u')) {
            size_tflag = true;
            f++;
        }
        switch (*f) {
        case 'c': {
            int c = va_arg(ap, int);
            if (c < 0 || c > 255) {
                va_end(ap);
                PyErr_SetString(PyExc_OverflowError,
                                "PyBytes_FromFormatV(): %c format expects an integer in range "
                                "[0; 255]");
                return nullptr;
            }
            out.push_back(static_cast<char>(c));
            break;
        }
        case 'd':
            if (longflag)
                std::snprintf(buffer, sizeof buffer, "%ld", va_arg(ap, long));
            else if (size_tflag)
                std::snprintf(buffer, sizeof buffer, "%zd", va_arg(ap, Py_ssize_t));
            else
                std::snprintf(buffer, sizeof buffer, "%d", va_arg(ap, int));
            out += buffer;
            break;
        case 'u':
            if (longflag)
                std::snprintf(buffer, sizeof buffer, "%lu", va_arg(ap, unsigned long));
            else if (size_tflag)
                std::snprintf(buffer, sizeof buffer, "%zu", va_arg(ap, size_t));
            else
                std::snprintf(buffer, sizeof buffer, "%u", va_arg(ap, unsigned int));
            out += buffer;
            break;
        case 'i':
            std::snprintf(buffer, sizeof buffer, "%i", va_arg(ap, int));
            out += buffer;
            break;
        case 'x':
            std::snprintf(buffer, sizeof buffer, "%x", va_arg(ap, int));
            out += buffer;
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            size_t n = 0;
            if (prec <= 0)
                n = std::strlen(s);
            else
                while (static_cast<Py_ssize_t>(n) < prec && s[n])
                    n++;
            out.append(s, n);
            break;
        }
        case 'p': {
            std::snprintf(buffer, sizeof buffer, "%p", va_arg(ap, void *));
            std::string p = buffer;   // %p is ill-defined: make sure of a leading 0x
            if (p.size() > 1 && p[1] == 'X')
                p[1] = 'x';
            else if (p.size() < 2 || p[1] != 'x')
                p = "0x" + p;
            out += p;
            break;
        }
        case '%':
            out.push_back('%');
            break;
        default:
            // An invalid format: the rest of the format is copied unformatted.
            out += start;
            va_end(ap);
            return PyBytes_FromStringAndSize(out.data(), static_cast<Py_ssize_t>(out.size()));
        }
    }
    va_end(ap);
    return PyBytes_FromStringAndSize(out.data(), static_cast<Py_ssize_t>(out.size()));
}

PyObject *PyBytes_FromFormat(const char *format, ...) {
    FERRY_API;
    va_list vargs;
    va_start(vargs, format);
    PyObject *r = PyBytes_FromFormatV(format, vargs);
    va_end(vargs);
    return r;
}

Py_ssize_t PyBytes_Size(PyObject *op) {
    FERRY_API;
    if (!PyBytes_Check(op)) {
        expected_bytes(op);
        return -1;
    }
    return Py_SIZE(op);
}

char *PyBytes_AsString(PyObject *op) {
    FERRY_API;
    if (!PyBytes_Check(op)) {
        expected_bytes(op);
        return nullptr;
    }
    return reinterpret_cast<PyBytesObject *>(op)->ob_sval;
}

int PyBytes_AsStringAndSize(PyObject *obj, char **s, Py_ssize_t *len) {
    FERRY_API;
    if (!s) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!PyBytes_Check(obj)) {
        expected_bytes(obj);
        return -1;
    }
    *s = PyBytes_AS_STRING(obj);
    if (len) {
        *len = PyBytes_GET_SIZE(obj);
    } else if (std::strlen(*s) != static_cast<size_t>(PyBytes_GET_SIZE(obj))) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return -1;
    }
    return 0;
}

int _PyBytes_Resize(PyObject **pv, Py_ssize_t newsize) {
    FERRY_API;
    PyObject *v = *pv;
    if (!v || !PyBytes_Check(v) || newsize < 0 || (Py_REFCNT(v) != 1 && Py_SIZE(v) != 0)) {
        *pv = nullptr;
        Py_XDECREF(v);
        PyErr_BadInternalCall();
        return -1;
    }
    Py_ssize_t oldsize = Py_SIZE(v);
    if (oldsize == newsize)
        return 0;
    Header *hd = header_of(v);
    if (oldsize == 0 || hd->managed || hd->flags || Py_TYPE(v) != &PyBytes_Type) {
        // Shared with the host (or a subclass): a fresh object takes its place.
        PyObject *n = bytes_from_data(nullptr, newsize, &PyBytes_Type);
        if (n) {
            Py_ssize_t keep = oldsize < newsize ? oldsize : newsize;
            if (keep)
                std::memcpy(PyBytes_AS_STRING(n), PyBytes_AS_STRING(v), keep);
        }
        *pv = n;
        Py_DECREF(v);
        return n ? 0 : -1;
    }
    if (static_cast<size_t>(newsize) > static_cast<size_t>(PY_SSIZE_T_MAX) - kHeadSize - 1) {
        *pv = nullptr;
        Py_DECREF(v);
        PyErr_NoMemory();
        return -1;
    }
    void *nb = realloc_block(v, kHeadSize + newsize + 1);
    if (!nb) {
        *pv = nullptr;
        free_block(v);
        PyErr_NoMemory();
        return -1;
    }
    auto *b = static_cast<PyBytesObject *>(nb);
    Py_SET_SIZE(b, newsize);
    b->ob_sval[newsize] = '\0';
    reset_hash(b);
    *pv = reinterpret_cast<PyObject *>(b);
    return 0;
}

void PyBytes_Concat(PyObject **pv, PyObject *w) {
    FERRY_API;
    if (!*pv)
        return;
    if (!w) {
        Py_CLEAR(*pv);
        return;
    }
    PyObject *v = *pv;
    if (Py_REFCNT(v) == 1 && PyBytes_CheckExact(v) && !header_of(v)->managed) {
        // Only one reference: resize in place.
        ByteView wb;
        if (!wb.get(w)) {
            PyErr_Format(PyExc_TypeError, "can't concat %.100s to %.100s", Py_TYPE(w)->tp_name,
                         Py_TYPE(v)->tp_name);
            Py_CLEAR(*pv);
            return;
        }
        Py_ssize_t oldsize = PyBytes_GET_SIZE(v);
        if (oldsize > PY_SSIZE_T_MAX - wb.len) {
            PyErr_NoMemory();
            Py_CLEAR(*pv);
            return;
        }
        // The view may point into *pv itself (w is v): copy it first.
        std::string tail(wb.data, wb.len);
        if (_PyBytes_Resize(pv, oldsize + wb.len) < 0)
            return;
        if (!tail.empty())
            std::memcpy(PyBytes_AS_STRING(*pv) + oldsize, tail.data(), tail.size());
        return;
    }
    PyObject *r = bytes_concat(v, w);
    Py_SETREF(*pv, r);
}

void PyBytes_ConcatAndDel(PyObject **pv, PyObject *w) {
    FERRY_API;
    PyBytes_Concat(pv, w);
    Py_XDECREF(w);
}

PyObject *PyBytes_Repr(PyObject *obj, int smartquotes) {
    FERRY_API;
    if (!obj || !PyBytes_Check(obj)) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    const auto *s = reinterpret_cast<const unsigned char *>(PyBytes_AS_STRING(obj));
    Py_ssize_t length = PyBytes_GET_SIZE(obj);
    Py_ssize_t squotes = 0, dquotes = 0, newsize = 3;   // b''
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_ssize_t incr = 1;
        switch (s[i]) {
        case '\'': squotes++; break;
        case '"': dquotes++; break;
        case '\\': case '\t': case '\n': case '\r': incr = 2; break;
        default:
            if (s[i] < ' ' || s[i] >= 0x7f)
                incr = 4;
        }
        if (newsize > PY_SSIZE_T_MAX - incr)
            goto overflow;
        newsize += incr;
    }
    {
        unsigned char quote = '\'';
        if (smartquotes && squotes && !dquotes)
            quote = '"';
        if (squotes && quote == '\'') {
            if (newsize > PY_SSIZE_T_MAX - squotes)
                goto overflow;
            newsize += squotes;
        }
        std::string out;
        try {
            out.reserve(newsize);
            out += 'b';
            out += char(quote);
            static const char hex[] = "0123456789abcdef";
            for (Py_ssize_t i = 0; i < length; i++) {
                unsigned char c = s[i];
                if (c == quote || c == '\\') {
                    out += '\\';
                    out += char(c);
                } else if (c == '\t') {
                    out += "\\t";
                } else if (c == '\n') {
                    out += "\\n";
                } else if (c == '\r') {
                    out += "\\r";
                } else if (c < ' ' || c >= 0x7f) {
                    out += "\\x";
                    out += hex[(c & 0xf0) >> 4];
                    out += hex[c & 0xf];
                } else {
                    out += char(c);
                }
            }
            out += char(quote);
        } catch (...) {
            return PyErr_NoMemory();
        }
        return PyUnicode_DecodeASCII(out.data(), static_cast<Py_ssize_t>(out.size()), nullptr);
    }
overflow:
    PyErr_SetString(PyExc_OverflowError, "bytes object is too large to make repr");
    return nullptr;
}

// bytes.join for C callers (Objects/bytesobject.c bytes_join ->
// Objects/stringlib/join.h): `sep` must be a bytes object (unchecked, as in
// CPython). The items are taken once as a sequence; each must be exact bytes
// or export a buffer. A single exact-bytes item is returned as it is. The
// messages are CPython's (the host's bytes.join words them differently).
PyObject *_PyBytes_Join(PyObject *sep, PyObject *x) {
    FERRY_API;
    PyObject *seq = PySequence_Fast(x, "can only join an iterable");
    if (!seq)
        return nullptr;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n == 0) {
        Py_DECREF(seq);
        return PyBytes_FromStringAndSize(nullptr, 0);
    }
    if (n == 1) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, 0);
        if (PyBytes_CheckExact(item)) {
            Py_INCREF(item);
            Py_DECREF(seq);
            return item;
        }
    }
    const char *sepstr = PyBytes_AS_STRING(sep);
    Py_ssize_t seplen = PyBytes_GET_SIZE(sep);
    std::vector<Py_buffer> buffers(n);
    std::vector<bool> exported(n);   // a buffer to release, not a bytes reference
    Py_ssize_t nbufs = 0, size = 0;
    PyObject *result = nullptr;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (PyBytes_CheckExact(item)) {
            buffers[i].obj = Py_NewRef(item);
            buffers[i].buf = PyBytes_AS_STRING(item);
            buffers[i].len = PyBytes_GET_SIZE(item);
        } else if (PyObject_GetBuffer(item, &buffers[i], PyBUF_SIMPLE) != 0) {
            PyErr_Format(PyExc_TypeError,
                         "sequence item %zd: expected a bytes-like object, %.80s found", i,
                         Py_TYPE(item)->tp_name);
            goto done;
        } else {
            exported[i] = true;
        }
        nbufs = i + 1;
        if (buffers[i].len > PY_SSIZE_T_MAX - size) {
            PyErr_SetString(PyExc_OverflowError, "join() result is too long");
            goto done;
        }
        size += buffers[i].len;
        if (i != 0) {
            if (seplen > PY_SSIZE_T_MAX - size) {
                PyErr_SetString(PyExc_OverflowError, "join() result is too long");
                goto done;
            }
            size += seplen;
        }
        if (n != PySequence_Fast_GET_SIZE(seq)) {
            PyErr_SetString(PyExc_RuntimeError, "sequence changed size during iteration");
            goto done;
        }
    }
    result = PyBytes_FromStringAndSize(nullptr, size);
    if (result) {
        char *p = PyBytes_AS_STRING(result);
        for (Py_ssize_t i = 0; i < nbufs; i++) {
            if (i && seplen) {
                std::memcpy(p, sepstr, seplen);
                p += seplen;
            }
            if (buffers[i].len)
                std::memcpy(p, buffers[i].buf, buffers[i].len);
            p += buffers[i].len;
        }
    }
done:
    for (Py_ssize_t i = 0; i < nbufs; i++) {
        if (exported[i])
            PyBuffer_Release(&buffers[i]);
        else
            Py_DECREF(buffers[i].obj);
    }
    Py_DECREF(seq);
    return result;
}
