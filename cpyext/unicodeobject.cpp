// str: compact 3.11 layouts (ASCII, UCS1, UCS2, UCS4 with inline data), so
// PyUnicode_DATA/KIND/READ work as on CPython. Mirrors the object part of
// Objects/unicodeobject.c; formatting and codecs are in unicodeformat.cpp.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <cstring>
#include <cwchar>
#include <string>
#include <vector>

#include "cpyext/forward.h"

using namespace ferry;
using host::Handle;
using host::Helper;

namespace {

int kind_for(Py_UCS4 maxchar) {
    return maxchar < 256 ? PyUnicode_1BYTE_KIND : maxchar < 65536 ? PyUnicode_2BYTE_KIND
                                                                  : PyUnicode_4BYTE_KIND;
}

PyObject *unicode_alloc(PyTypeObject *type, Py_ssize_t size, Py_UCS4 maxchar) {
    if (size < 0 || maxchar > 0x10ffff) {
        PyErr_SetString(PyExc_SystemError, maxchar > 0x10ffff
                                               ? "invalid maximum character passed to PyUnicode_New"
                                               : "Negative size passed to PyUnicode_New");
        return nullptr;
    }
    bool ascii = maxchar < 128;
    int kind = kind_for(maxchar);
    size_t head = ascii ? sizeof(PyASCIIObject) : sizeof(PyCompactUnicodeObject);
    if (size > (PY_SSIZE_T_MAX - (Py_ssize_t)head) / kind - 1)
        return PyErr_NoMemory();
    PyObject *o = alloc_object(type, head + (size + 1) * kind);
    if (!o)
        return nullptr;
    auto *a = reinterpret_cast<PyASCIIObject *>(o);
    a->length = size;
    a->hash = -1;
    a->state.kind = kind;
    a->state.compact = 1;
    a->state.ascii = ascii;
    a->state.ready = 1;
    return o;
}

Py_UCS4 decode_one(const unsigned char *&p) {
    Py_UCS4 c = *p++;
    if (c < 0x80)
        return c;
    int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
    c &= 0x3f >> extra;
    while (extra--)
        c = (c << 6) | (*p++ & 0x3f);
    return c;
}

void put(PyObject *o, Py_ssize_t i, Py_UCS4 c) {
    PyUnicode_WRITE(PyUnicode_KIND(o), PyUnicode_DATA(o), i, c);
}

} // namespace

namespace ferry {

// UTF-8 known to be valid (it comes from the host).
PyObject *unicode_from_utf8_trusted(const char *s, Py_ssize_t n, PyTypeObject *type) {
    auto *p = reinterpret_cast<const unsigned char *>(s), *end = p + n;
    Py_ssize_t length = 0;
    Py_UCS4 maxchar = 0;
    for (const unsigned char *q = p; q < end;) {
        Py_UCS4 c = decode_one(q);
        maxchar = c > maxchar ? c : maxchar;
        length++;
    }
    PyObject *o = unicode_alloc(type, length, maxchar);
    if (!o)
        return nullptr;
    if (maxchar < 128) {
        std::memcpy(PyUnicode_DATA(o), s, n);
        return o;
    }
    for (Py_ssize_t i = 0; p < end; i++)
        put(o, i, decode_one(p));
    return o;
}

PyObject *unicode_from_ucs4(const Py_UCS4 *s, Py_ssize_t n, PyTypeObject *type) {
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        maxchar = s[i] > maxchar ? s[i] : maxchar;
    PyObject *o = unicode_alloc(type, n, maxchar);
    for (Py_ssize_t i = 0; o && i < n; i++)
        put(o, i, s[i]);
    return o;
}

Handle unicode_to_host(PyObject *o) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(o);
    int kind = PyUnicode_KIND(o);
    if (kind == PyUnicode_1BYTE_KIND)
        return host::unicode_from_latin1(static_cast<const char *>(PyUnicode_DATA(o)), n);
    // Wider kinds may hold lone surrogates, which have no UTF-8 form.
    std::vector<Py_UCS4> units(n);
    for (Py_ssize_t i = 0; i < n; i++)
        units[i] = PyUnicode_READ(kind, PyUnicode_DATA(o), i);
    Handle b = host::bytes_from(reinterpret_cast<const char *>(units.data()), n * 4);
    if (!b)
        return b;
    Handle r = host::call_helper(Helper::decode_ucs, {b});
    host::close(b);
    return r;
}

void unicode_release(PyObject *o) {
    auto *a = reinterpret_cast<PyASCIIObject *>(o);
    PyObject_Free(a->wstr);
    a->wstr = nullptr;
    if (!a->state.ascii) {
        auto *c = reinterpret_cast<PyCompactUnicodeObject *>(o);
        PyObject_Free(c->utf8);
        c->utf8 = nullptr;
    }
}

} // namespace ferry

PyObject *PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar) {
    return unicode_alloc(&PyUnicode_Type, size, maxchar);
}

int _PyUnicode_Ready(PyObject *) { return 0; }   // every str we make is ready

PyObject *PyUnicode_FromStringAndSize(const char *s, Py_ssize_t size) {
    if (size < 0) {
        PyErr_SetString(PyExc_SystemError, "Negative size passed to PyUnicode_FromStringAndSize");
        return nullptr;
    }
    if (!s && size) {
        PyErr_SetString(PyExc_SystemError,
                        "NULL string with positive size with NULL passed to PyUnicode_FromStringAndSize");
        return nullptr;
    }
    return PyUnicode_DecodeUTF8Stateful(s ? s : "", size, nullptr, nullptr);
}

PyObject *PyUnicode_FromString(const char *s) {
    size_t n = std::strlen(s);
    if (n > (size_t)PY_SSIZE_T_MAX) {
        PyErr_SetString(PyExc_OverflowError, "input too long");
        return nullptr;
    }
    return PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
}

PyObject *PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size) {
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "size must be positive");
        return nullptr;
    }
    if (kind != PyUnicode_1BYTE_KIND && kind != PyUnicode_2BYTE_KIND && kind != PyUnicode_4BYTE_KIND) {
        PyErr_SetString(PyExc_SystemError, "invalid kind");
        return nullptr;
    }
    std::vector<Py_UCS4> units(size);
    for (Py_ssize_t i = 0; i < size; i++)
        units[i] = PyUnicode_READ(kind, buffer, i);
    return unicode_from_ucs4(units.data(), size, &PyUnicode_Type);   // checks the maximum
}

PyObject *PyUnicode_FromOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal > 0x10ffff) {
        PyErr_SetString(PyExc_ValueError, "chr() arg not in range(0x110000)");
        return nullptr;
    }
    Py_UCS4 c = ordinal;
    return unicode_from_ucs4(&c, 1, &PyUnicode_Type);
}

namespace {

bool check_unicode(PyObject *o) {
    if (!o || !PyUnicode_Check(o)) {
        PyErr_BadArgument();
        return false;
    }
    return true;
}

// Encodes to UTF-8 with strict errors; lone surrogates raise as in CPython.
bool encode_utf8(PyObject *o, std::string &out) {
    int kind = PyUnicode_KIND(o);
    const void *data = PyUnicode_DATA(o);
    Py_ssize_t n = PyUnicode_GET_LENGTH(o);
    out.reserve(n);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            out += char(c);
        } else if (c < 0x800) {
            out += char(0xc0 | (c >> 6));
            out += char(0x80 | (c & 0x3f));
        } else if (c >= 0xd800 && c < 0xe000) {
            PyObject *r = PyUnicode_AsEncodedString(o, "utf-8", "strict");   // raises exactly
            Py_XDECREF(r);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_UnicodeEncodeError, "surrogates not allowed");
            return false;
        } else if (c < 0x10000) {
            out += char(0xe0 | (c >> 12));
            out += char(0x80 | ((c >> 6) & 0x3f));
            out += char(0x80 | (c & 0x3f));
        } else {
            out += char(0xf0 | (c >> 18));
            out += char(0x80 | ((c >> 12) & 0x3f));
            out += char(0x80 | ((c >> 6) & 0x3f));
            out += char(0x80 | (c & 0x3f));
        }
    }
    return true;
}

} // namespace

const char *PyUnicode_AsUTF8AndSize(PyObject *o, Py_ssize_t *size) {
    if (!check_unicode(o)) {
        if (size)
            *size = -1;
        return nullptr;
    }
    auto *a = reinterpret_cast<PyASCIIObject *>(o);
    if (a->state.ascii) {
        if (size)
            *size = a->length;
        return static_cast<const char *>(PyUnicode_DATA(o));
    }
    auto *c = reinterpret_cast<PyCompactUnicodeObject *>(o);
    if (!c->utf8) {
        std::string s;
        if (!encode_utf8(o, s))
            return nullptr;
        c->utf8 = static_cast<char *>(PyObject_Malloc(s.size() + 1));
        if (!c->utf8) {
            PyErr_NoMemory();
            return nullptr;
        }
        std::memcpy(c->utf8, s.c_str(), s.size() + 1);
        c->utf8_length = s.size();
    }
    if (size)
        *size = c->utf8_length;
    return c->utf8;
}

const char *PyUnicode_AsUTF8(PyObject *o) { return PyUnicode_AsUTF8AndSize(o, nullptr); }

Py_ssize_t PyUnicode_GetLength(PyObject *o) {
    return check_unicode(o) ? PyUnicode_GET_LENGTH(o) : -1;
}

Py_UCS4 PyUnicode_ReadChar(PyObject *o, Py_ssize_t i) {
    if (!check_unicode(o))
        return (Py_UCS4)-1;
    if (i < 0 || i >= PyUnicode_GET_LENGTH(o)) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return (Py_UCS4)-1;
    }
    return PyUnicode_READ_CHAR(o, i);
}

int PyUnicode_WriteChar(PyObject *o, Py_ssize_t i, Py_UCS4 c) {
    if (!check_unicode(o))
        return -1;
    if (i < 0 || i >= PyUnicode_GET_LENGTH(o)) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return -1;
    }
    if (Py_REFCNT(o) != 1 || header_of(o)->managed) {
        PyErr_SetString(PyExc_SystemError, "Cannot modify a string currently used");
        return -1;
    }
    if (c > PyUnicode_MAX_CHAR_VALUE(o)) {
        PyErr_SetString(PyExc_ValueError, "character out of range");
        return -1;
    }
    put(o, i, c);
    return 0;
}

PyObject *PyUnicode_Substring(PyObject *o, Py_ssize_t start, Py_ssize_t end) {
    if (!check_unicode(o))
        return nullptr;
    Py_ssize_t n = PyUnicode_GET_LENGTH(o);
    if (start < 0 || end < 0) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return nullptr;
    }
    end = end > n ? n : end;
    if (start >= end)
        return PyUnicode_New(0, 0);
    if (start == 0 && end == n && PyUnicode_CheckExact(o))
        return Py_NewRef(o);
    int kind = PyUnicode_KIND(o);
    return PyUnicode_FromKindAndData(kind, static_cast<const char *>(PyUnicode_DATA(o)) + start * kind,
                                     end - start);
}

namespace {

void copy_chars(PyObject *dst, Py_ssize_t at, PyObject *src) {
    int kind = PyUnicode_KIND(src);
    const void *data = PyUnicode_DATA(src);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(src); i++)
        put(dst, at + i, PyUnicode_READ(kind, data, i));
}

// A new str holding the parts in order, with sep between them.
PyObject *joined(PyObject *sep, PyObject *const *parts, Py_ssize_t n) {
    Py_ssize_t length = 0;
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        length += PyUnicode_GET_LENGTH(parts[i]);
        maxchar = std::max(maxchar, PyUnicode_MAX_CHAR_VALUE(parts[i]));
    }
    if (sep && n > 1) {
        length += (n - 1) * PyUnicode_GET_LENGTH(sep);
        maxchar = std::max(maxchar, PyUnicode_MAX_CHAR_VALUE(sep));
    }
    PyObject *r = PyUnicode_New(length, maxchar);
    if (!r)
        return nullptr;
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (sep && i) {
            copy_chars(r, at, sep);
            at += PyUnicode_GET_LENGTH(sep);
        }
        copy_chars(r, at, parts[i]);
        at += PyUnicode_GET_LENGTH(parts[i]);
    }
    return r;
}

} // namespace

PyObject *PyUnicode_Concat(PyObject *a, PyObject *b) {
    if (!PyUnicode_Check(a)) {
        PyErr_Format(PyExc_TypeError, "must be str, not %.100s", Py_TYPE(a)->tp_name);
        return nullptr;
    }
    if (!PyUnicode_Check(b)) {
        PyErr_Format(PyExc_TypeError, "can only concatenate str (not \"%.200s\") to str",
                     Py_TYPE(b)->tp_name);
        return nullptr;
    }
    PyObject *parts[] = {a, b};
    return joined(nullptr, parts, 2);
}

void PyUnicode_Append(PyObject **left, PyObject *right) {
    if (!left)
        return;
    PyObject *l = *left;
    if (!l)
        return;
    if (!right || !PyUnicode_Check(l) || !PyUnicode_Check(right)) {
        if (!PyErr_Occurred())
            PyErr_BadInternalCall();
        Py_DECREF(l);
        *left = nullptr;
        return;
    }
    PyObject *r = PyUnicode_Concat(l, right);
    Py_DECREF(l);
    *left = r;
}

void PyUnicode_AppendAndDel(PyObject **left, PyObject *right) {
    PyUnicode_Append(left, right);
    Py_XDECREF(right);
}

PyObject *PyUnicode_Join(PyObject *sep, PyObject *seq) {
    if (sep && !PyUnicode_Check(sep)) {
        PyErr_Format(PyExc_TypeError, "separator: expected str instance, %.80s found",
                     Py_TYPE(sep)->tp_name);
        return nullptr;
    }
    PyObject *fast = PySequence_Fast(seq, "can only join an iterable");
    if (!fast)
        return nullptr;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!PyUnicode_Check(items[i])) {
            PyErr_Format(PyExc_TypeError, "sequence item %zd: expected str instance, %.80s found", i,
                         Py_TYPE(items[i])->tp_name);
            Py_DECREF(fast);
            return nullptr;
        }
    PyObject *space = sep ? nullptr : PyUnicode_FromString(" ");
    PyObject *r = n == 1 && PyUnicode_CheckExact(items[0]) ? Py_NewRef(items[0])
                                                           : joined(sep ? sep : space, items, n);
    Py_XDECREF(space);
    Py_DECREF(fast);
    return r;
}

PyObject *PyUnicode_InternFromString(const char *s) {
    PyObject *r = PyUnicode_FromString(s);
    if (r)
        PyUnicode_InternInPlace(&r);
    return r;
}

// Interning is the host's: *p becomes the host's interned str (sys.intern).
void PyUnicode_InternInPlace(PyObject **p) {
    PyObject *s = *p;
    if (!s || !PyUnicode_CheckExact(s))
        return;
    PyObject *sys = PyImport_ImportModule("sys");
    PyObject *r = sys ? PyObject_CallMethod(sys, "intern", "O", s) : nullptr;
    Py_XDECREF(sys);
    if (!r) {
        PyErr_Clear();
        return;
    }
    *p = r;
    Py_DECREF(s);
}

int PyUnicode_Compare(PyObject *a, PyObject *b) {
    if (!PyUnicode_Check(a) || !PyUnicode_Check(b)) {
        PyErr_Format(PyExc_TypeError, "Can't compare %.100s and %.100s", Py_TYPE(a)->tp_name,
                     Py_TYPE(b)->tp_name);
        return -1;
    }
    Py_ssize_t na = PyUnicode_GET_LENGTH(a), nb = PyUnicode_GET_LENGTH(b);
    for (Py_ssize_t i = 0; i < na && i < nb; i++) {
        Py_UCS4 x = PyUnicode_READ_CHAR(a, i), y = PyUnicode_READ_CHAR(b, i);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return na < nb ? -1 : na > nb ? 1 : 0;
}

int PyUnicode_CompareWithASCIIString(PyObject *a, const char *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    Py_ssize_t i = 0;
    for (; i < n && s[i]; i++) {
        Py_UCS4 x = PyUnicode_READ_CHAR(a, i);
        auto y = static_cast<unsigned char>(s[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    if (i < n)
        return 1;
    return s[i] ? -1 : 0;
}

PyObject *PyUnicode_RichCompare(PyObject *a, PyObject *b, int op) {
    if (!PyUnicode_Check(a) || !PyUnicode_Check(b))
        Py_RETURN_NOTIMPLEMENTED;
    int c = a == b ? 0 : PyUnicode_Compare(a, b);
    Py_RETURN_RICHCOMPARE(c, 0, op);
}

int PyUnicode_Contains(PyObject *container, PyObject *element) {
    if (!PyUnicode_Check(element)) {
        PyErr_Format(PyExc_TypeError, "'in <string>' requires string as left operand, not %.100s",
                     Py_TYPE(element)->tp_name);
        return -1;
    }
    return PySequence_Contains(container, element);
}

PyObject *PyUnicode_Format(PyObject *format, PyObject *args) { return PyNumber_Remainder(format, args); }

PyObject *PyUnicode_Split(PyObject *s, PyObject *sep, Py_ssize_t maxsplit) {
    return PyObject_CallMethod(s, "split", "On", sep ? sep : Py_None, maxsplit);
}

PyObject *PyUnicode_Replace(PyObject *s, PyObject *old, PyObject *repl, Py_ssize_t count) {
    return PyObject_CallMethod(s, "replace", "OOn", old, repl, count);
}

Py_ssize_t PyUnicode_Find(PyObject *s, PyObject *sub, Py_ssize_t start, Py_ssize_t end, int direction) {
    PyObject *r = PyObject_CallMethod(s, direction > 0 ? "find" : "rfind", "Onn", sub, start, end);
    if (!r)
        return -2;
    Py_ssize_t v = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    return v;
}

Py_ssize_t PyUnicode_FindChar(PyObject *s, Py_UCS4 ch, Py_ssize_t start, Py_ssize_t end, int direction) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    end = end > n ? n : end;
    if (start < 0 || end <= start)
        return -1;
    if (direction > 0) {
        for (Py_ssize_t i = start; i < end; i++)
            if (PyUnicode_READ_CHAR(s, i) == ch)
                return i;
    } else {
        for (Py_ssize_t i = end - 1; i >= start; i--)
            if (PyUnicode_READ_CHAR(s, i) == ch)
                return i;
    }
    return -1;
}

Py_UCS4 *PyUnicode_AsUCS4(PyObject *s, Py_UCS4 *buffer, Py_ssize_t buflen, int copy_null) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (buflen < n + (copy_null ? 1 : 0)) {
        PyErr_Format(PyExc_SystemError, "string is longer than the buffer");
        return nullptr;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        buffer[i] = PyUnicode_READ_CHAR(s, i);
    if (copy_null)
        buffer[n] = 0;
    return buffer;
}

Py_UCS4 *PyUnicode_AsUCS4Copy(PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    auto *buf = static_cast<Py_UCS4 *>(PyMem_Malloc((n + 1) * sizeof(Py_UCS4)));
    if (!buf) {
        PyErr_NoMemory();
        return nullptr;
    }
    return PyUnicode_AsUCS4(s, buf, n + 1, 1);
}

PyObject *PyUnicode_FromObject(PyObject *o) {
    if (PyUnicode_CheckExact(o))
        return Py_NewRef(o);
    if (PyUnicode_Check(o))
        return PyObject_Str(o);
    PyErr_Format(PyExc_TypeError, "Can't convert '%.100s' object to str implicitly",
                 Py_TYPE(o)->tp_name);
    return nullptr;
}

PyObject *PyUnicode_FromWideChar(const wchar_t *w, Py_ssize_t size) {
    static_assert(sizeof(wchar_t) == sizeof(Py_UCS4), "Linux wchar_t is UCS4");
    if (!w && size != 0) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    if (size == -1)
        size = static_cast<Py_ssize_t>(wcslen(w));
    for (Py_ssize_t i = 0; i < size; i++)
        if (static_cast<Py_UCS4>(w[i]) > 0x10ffff) {
            PyErr_Format(PyExc_ValueError, "character U+%x is not in range [U+0000; U+10ffff]",
                         static_cast<Py_UCS4>(w[i]));
            return nullptr;
        }
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, w, size);
}

// Deprecated (removed in 3.12) but in the 3.11 ABI: the wchar_t form, cached
// in the object's wstr field as CPython does, freed with it.
Py_UNICODE *PyUnicode_AsUnicodeAndSize(PyObject *o, Py_ssize_t *size) {
    if (!check_unicode(o))
        return nullptr;
    auto *a = reinterpret_cast<PyASCIIObject *>(o);
    Py_ssize_t n = a->length;
    if (!a->wstr) {
        auto *w = static_cast<wchar_t *>(PyObject_Malloc((n + 1) * sizeof(wchar_t)));
        if (!w) {
            PyErr_NoMemory();
            return nullptr;
        }
        for (Py_ssize_t i = 0; i < n; i++)
            w[i] = static_cast<wchar_t>(PyUnicode_READ_CHAR(o, i));
        w[n] = 0;
        a->wstr = w;
        if (!a->state.ascii)
            reinterpret_cast<PyCompactUnicodeObject *>(o)->wstr_length = n;
    }
    if (size)
        *size = n;
    return a->wstr;
}

namespace {

// ensure_unicode of Objects/unicodeobject.c.
bool ensure_unicode(PyObject *o) {
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "must be str, not %.100s", Py_TYPE(o)->tp_name);
        return false;
    }
    return true;
}

// ADJUST_INDICES of Objects/unicodeobject.c.
void adjust_indices(Py_ssize_t &start, Py_ssize_t &end, Py_ssize_t len) {
    if (end > len) {
        end = len;
    } else if (end < 0) {
        end += len;
        if (end < 0)
            end = 0;
    }
    if (start < 0) {
        start += len;
        if (start < 0)
            start = 0;
    }
}

bool matches_at(PyObject *s, Py_ssize_t at, PyObject *sub) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(sub);
    int ks = PyUnicode_KIND(s), kb = PyUnicode_KIND(sub);
    const void *ds = PyUnicode_DATA(s), *db = PyUnicode_DATA(sub);
    for (Py_ssize_t j = 0; j < n; j++)
        if (PyUnicode_READ(ks, ds, at + j) != PyUnicode_READ(kb, db, j))
            return false;
    return true;
}

// wchar_t is UCS4 on Linux: the wide form is the code points.
void copy_as_widechar(PyObject *s, wchar_t *w, Py_ssize_t size) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < size; i++)
        w[i] = i < n ? static_cast<wchar_t>(PyUnicode_READ(kind, data, i)) : 0;
}

} // namespace

Py_ssize_t PyUnicode_Count(PyObject *str, PyObject *substr, Py_ssize_t start, Py_ssize_t end) {
    if (!ensure_unicode(str) || !ensure_unicode(substr))
        return -1;
    if (PyUnicode_KIND(str) < PyUnicode_KIND(substr))
        return 0;
    Py_ssize_t len1 = PyUnicode_GET_LENGTH(str), len2 = PyUnicode_GET_LENGTH(substr);
    adjust_indices(start, end, len1);
    if (end - start < len2)
        return 0;
    if (len2 == 0)
        return end - start + 1;
    Py_ssize_t count = 0;
    for (Py_ssize_t i = start; i + len2 <= end;) {
        if (matches_at(str, i, substr)) {
            count++;
            i += len2;
        } else {
            i++;
        }
    }
    return count;
}

Py_ssize_t PyUnicode_Tailmatch(PyObject *str, PyObject *substr, Py_ssize_t start, Py_ssize_t end,
                               int direction) {
    if (!ensure_unicode(str) || !ensure_unicode(substr))
        return -1;
    Py_ssize_t len2 = PyUnicode_GET_LENGTH(substr);
    adjust_indices(start, end, PyUnicode_GET_LENGTH(str));
    end -= len2;
    if (end < start)
        return 0;
    if (len2 == 0)
        return 1;
    return matches_at(str, direction > 0 ? end : start, substr) ? 1 : 0;
}

PyObject *PyUnicode_Splitlines(PyObject *string, int keepends) {
    if (!ensure_unicode(string))
        return nullptr;
    // str.splitlines itself, not a subclass's override.
    PyObject *keep = PyBool_FromLong(keepends);
    PyObject *r = PyObject_CallMethod(reinterpret_cast<PyObject *>(&PyUnicode_Type), "splitlines",
                                      "OO", string, keep);
    Py_DECREF(keep);
    return r;
}

Py_ssize_t PyUnicode_AsWideChar(PyObject *unicode, wchar_t *w, Py_ssize_t size) {
    if (!unicode) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return -1;
    }
    Py_ssize_t res = PyUnicode_GET_LENGTH(unicode);
    if (!w)
        return res + 1;
    if (size > res)
        size = res + 1;
    else
        res = size;
    copy_as_widechar(unicode, w, size);
    return res;
}

wchar_t *PyUnicode_AsWideCharString(PyObject *unicode, Py_ssize_t *size) {
    if (!unicode) {
        PyErr_BadInternalCall();
        return nullptr;
    }
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return nullptr;
    }
    Py_ssize_t buflen = PyUnicode_GET_LENGTH(unicode);
    if (static_cast<size_t>(buflen) > PY_SSIZE_T_MAX / sizeof(wchar_t) - 1) {
        PyErr_NoMemory();
        return nullptr;
    }
    auto *buffer = static_cast<wchar_t *>(PyMem_Malloc((buflen + 1) * sizeof(wchar_t)));
    if (!buffer) {
        PyErr_NoMemory();
        return nullptr;
    }
    copy_as_widechar(unicode, buffer, buflen + 1);
    if (size) {
        *size = buflen;
    } else if (wcslen(buffer) != static_cast<size_t>(buflen)) {
        PyMem_Free(buffer);
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return nullptr;
    }
    return buffer;
}
