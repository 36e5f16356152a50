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
#include "gc_bridge/bridge.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "unicodeobject"

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
    // An extension's type based on str may add fields after PyUnicodeObject:
    // its characters are a block of their own, as CPython's str subtypes
    // have them (unicode_subtype_new), and an ASCII one's UTF-8 is that block.
    bool legacy = type != &PyUnicode_Type && type_info(type) && type_info(type)->hybrid;
    void *data = nullptr;
    if (legacy && !(data = PyObject_Calloc(size + 1, kind)))
        return PyErr_NoMemory();
    PyObject *o = alloc_object(type, legacy ? sizeof(PyUnicodeObject) : head + (size + 1) * kind);
    if (!o) {
        PyObject_Free(data);
        return nullptr;
    }
    auto *a = reinterpret_cast<PyASCIIObject *>(o);
    a->length = size;
    a->hash = -1;
    a->state.kind = kind;
    a->state.compact = !legacy;
    a->state.ascii = ascii;
    a->state.ready = 1;
    if (legacy) {
        reinterpret_cast<PyUnicodeObject *>(o)->data.any = data;
        if (ascii) {
            reinterpret_cast<PyCompactUnicodeObject *>(o)->utf8 = static_cast<char *>(data);
            reinterpret_cast<PyCompactUnicodeObject *>(o)->utf8_length = size;
        }
    }
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

// How many bytes of p start it in ASCII (eight at a time).
Py_ssize_t ascii_prefix(const unsigned char *p, Py_ssize_t n) {
    Py_ssize_t i = 0;
    for (uint64_t w; i + 8 <= n; i += 8) {
        std::memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080u)
            break;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

bool encode_utf8(PyObject *o, std::string &out);   // (below)

void put(PyObject *o, Py_ssize_t i, Py_UCS4 c) {
    PyUnicode_WRITE(PyUnicode_KIND(o), PyUnicode_DATA(o), i, c);
}

} // namespace

namespace ferry {

// UTF-8 known to be valid (it comes from the host).
PyObject *unicode_from_utf8_trusted(const char *s, Py_ssize_t n, PyTypeObject *type) {
    auto *p = reinterpret_cast<const unsigned char *>(s), *end = p + n;
    Py_ssize_t ascii = ascii_prefix(p, n);
    Py_ssize_t length = ascii;
    Py_UCS4 maxchar = 0;
    for (const unsigned char *q = p + ascii; q < end;) {
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
    const void *data = PyUnicode_DATA(o);
    // Most strs go as NUL-terminated UTF-8 (an ASCII one as it is); a str
    // holding a NUL or a lone surrogate takes the decoders below.
    if (PyUnicode_IS_ASCII(o)) {
        auto *s = static_cast<const char *>(data);
        if (s[n] == '\0' && !std::memchr(s, 0, n))
            return host::unicode_from_utf8_z(s);
    } else {
        bool plain = true;
        for (Py_ssize_t i = 0; plain && i < n; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            plain = c != 0 && (c < 0xd800 || c > 0xdfff);
        }
        std::string utf8;
        if (plain && encode_utf8(o, utf8))   // (no surrogate: it cannot fail)
            return host::unicode_from_utf8_z(utf8.c_str());
    }
    if (kind == PyUnicode_1BYTE_KIND)
        return host::unicode_from_latin1(static_cast<const char *>(data), n);
    // Wider kinds may hold lone surrogates, which have no UTF-8 form.
    std::vector<Py_UCS4> units(n);
    for (Py_ssize_t i = 0; i < n; i++)
        units[i] = PyUnicode_READ(kind, data, i);
    Handle b = host::bytes_from(reinterpret_cast<const char *>(units.data()), n * 4);
    if (!b)
        return b;
    Handle r = host::call_helper(Helper::decode_ucs, {b});
    host::close(b);
    return r;
}

// One immortal str per latin-1 character and one empty str, as CPython has
// (unicode_latin1[] and the empty singleton), with their managed counterparts.
PyObject *unicode_singleton(int c) {
    static PyObject *cache[257];
    PyObject *&slot = cache[c < 0 ? 256 : c];
    if (slot)
        return Py_NewRef(slot);
    char ch = static_cast<char>(c);
    Handle h = host::unicode_from_latin1(&ch, c < 0 ? 0 : 1);
    if (!h)
        return null_with_host_error();
    int64_t hash = host::identity_hash(h);
    if (hash == -1 && host::err_occurred()) {
        host::close(h);
        return null_with_host_error();
    }
    PyObject *o = unicode_alloc(&PyUnicode_Type, c < 0 ? 0 : 1, c < 0 ? 0 : c);
    if (!o) {
        host::close(h);
        return nullptr;
    }
    if (c >= 0)
        put(o, 0, c);
    Header *hd = header_of(o);
    hd->managed = h;
    bridge::hash_identity_register(o, hash);
    hd->flags |= kImmortal;
    Py_SET_REFCNT(o, 1 << 29);
    slot = o;
    return Py_NewRef(o);
}

void unicode_release(PyObject *o) {
    auto *a = reinterpret_cast<PyASCIIObject *>(o);
    PyObject_Free(a->wstr);
    a->wstr = nullptr;
    auto *c = reinterpret_cast<PyCompactUnicodeObject *>(o);
    if (!a->state.ascii)
        PyObject_Free(c->utf8);
    if (!a->state.compact)   // (an ASCII one's UTF-8 is its data)
        PyObject_Free(reinterpret_cast<PyUnicodeObject *>(o)->data.any);
    if (!a->state.ascii || !a->state.compact)
        c->utf8 = nullptr;
}

} // namespace ferry

PyObject *PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar) {
    FERRY_API;
    return unicode_alloc(&PyUnicode_Type, size, maxchar);
}

int _PyUnicode_Ready(PyObject *) { return 0; }   // every str we make is ready

PyObject *PyUnicode_FromStringAndSize(const char *s, Py_ssize_t size) {
    FERRY_API;
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
    FERRY_API;
    size_t n = std::strlen(s);
    if (n > (size_t)PY_SSIZE_T_MAX) {
        PyErr_SetString(PyExc_OverflowError, "input too long");
        return nullptr;
    }
    return PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
}

PyObject *PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size) {
    FERRY_API;
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
    FERRY_API;
    if (ordinal < 0 || ordinal > 0x10ffff) {
        PyErr_SetString(PyExc_ValueError, "chr() arg not in range(0x110000)");
        return nullptr;
    }
    if (ordinal < 256)
        return unicode_singleton(ordinal);
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
    FERRY_API;
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

const char *PyUnicode_AsUTF8(PyObject *o) { FERRY_API; return PyUnicode_AsUTF8AndSize(o, nullptr); }

Py_ssize_t PyUnicode_GetLength(PyObject *o) {
    FERRY_API;
    return check_unicode(o) ? PyUnicode_GET_LENGTH(o) : -1;
}

Py_UCS4 PyUnicode_ReadChar(PyObject *o, Py_ssize_t i) {
    FERRY_API;
    if (!check_unicode(o))
        return (Py_UCS4)-1;
    if (i < 0 || i >= PyUnicode_GET_LENGTH(o)) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return (Py_UCS4)-1;
    }
    return PyUnicode_READ_CHAR(o, i);
}

int PyUnicode_WriteChar(PyObject *o, Py_ssize_t i, Py_UCS4 c) {
    FERRY_API;
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
    FERRY_API;
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
    FERRY_API;
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
    FERRY_API;
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
    FERRY_API;
    PyUnicode_Append(left, right);
    Py_XDECREF(right);
}

PyObject *PyUnicode_Join(PyObject *sep, PyObject *seq) {
    FERRY_API;
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
    FERRY_API;
    PyObject *r = PyUnicode_FromString(s);
    if (r)
        PyUnicode_InternInPlace(&r);
    return r;
}

// Interning is the host's: *p becomes the host's interned str (sys.intern).
void PyUnicode_InternInPlace(PyObject **p) {
    FERRY_API;
    PyObject *s = *p;
    if (!s || !PyUnicode_CheckExact(s))
        return;
    PyObject *r = call_module("sys", "intern", {s});
    if (!r) {
        PyErr_Clear();
        return;
    }
    *p = r;
    Py_DECREF(s);
}

int PyUnicode_Compare(PyObject *a, PyObject *b) {
    FERRY_API;
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
    FERRY_API;
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
    FERRY_API;
    if (!PyUnicode_Check(a) || !PyUnicode_Check(b))
        Py_RETURN_NOTIMPLEMENTED;
    int c = a == b ? 0 : PyUnicode_Compare(a, b);
    Py_RETURN_RICHCOMPARE(c, 0, op);
}

int PyUnicode_Contains(PyObject *container, PyObject *element) {
    FERRY_API;
    if (!PyUnicode_Check(element)) {
        PyErr_Format(PyExc_TypeError, "'in <string>' requires string as left operand, not %.100s",
                     Py_TYPE(element)->tp_name);
        return -1;
    }
    return PySequence_Contains(container, element);
}

PyObject *PyUnicode_Format(PyObject *format, PyObject *args) { FERRY_API; return PyNumber_Remainder(format, args); }

PyObject *PyUnicode_Split(PyObject *s, PyObject *sep, Py_ssize_t maxsplit) {
    FERRY_API;
    return PyObject_CallMethod(s, "split", "On", sep ? sep : Py_None, maxsplit);
}

PyObject *PyUnicode_Replace(PyObject *s, PyObject *old, PyObject *repl, Py_ssize_t count) {
    FERRY_API;
    return PyObject_CallMethod(s, "replace", "OOn", old, repl, count);
}

Py_ssize_t PyUnicode_Find(PyObject *s, PyObject *sub, Py_ssize_t start, Py_ssize_t end, int direction) {
    FERRY_API;
    PyObject *r = PyObject_CallMethod(s, direction > 0 ? "find" : "rfind", "Onn", sub, start, end);
    if (!r)
        return -2;
    Py_ssize_t v = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    return v;
}

Py_ssize_t PyUnicode_FindChar(PyObject *s, Py_UCS4 ch, Py_ssize_t start, Py_ssize_t end, int direction) {
    FERRY_API;
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
    FERRY_API;
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
    FERRY_API;
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    auto *buf = static_cast<Py_UCS4 *>(PyMem_Malloc((n + 1) * sizeof(Py_UCS4)));
    if (!buf) {
        PyErr_NoMemory();
        return nullptr;
    }
    return PyUnicode_AsUCS4(s, buf, n + 1, 1);
}

PyObject *PyUnicode_FromObject(PyObject *o) {
    FERRY_API;
    if (PyUnicode_CheckExact(o))
        return Py_NewRef(o);
    if (PyUnicode_Check(o))
        return PyObject_Str(o);
    PyErr_Format(PyExc_TypeError, "Can't convert '%.100s' object to str implicitly",
                 Py_TYPE(o)->tp_name);
    return nullptr;
}

PyObject *PyUnicode_FromWideChar(const wchar_t *w, Py_ssize_t size) {
    FERRY_API;
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
    FERRY_API;
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

// The same buffer without its size (Py_UNICODE is wchar_t, UCS-4 here): valid
// as long as the str lives. CPython 3.11 warns only at compile time.
Py_UNICODE *PyUnicode_AsUnicode(PyObject *o) {
    FERRY_API;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    return PyUnicode_AsUnicodeAndSize(o, nullptr);
#pragma GCC diagnostic pop
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
    FERRY_API;
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
    FERRY_API;
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
    FERRY_API;
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
    FERRY_API;
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
    FERRY_API;
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

// _PyUnicode_ToLowercase (Objects/unicodectype.c, the Py_UNICODE_TOLOWER
// macro): one code point to one code point, from CPython 3.11's database
// (Unicode 14.0.0). CPython returns the simple lowercase mapping, or for a
// character with an extended case record the first character of its full
// lowercase (only U+0130 has a longer one: 'i' then U+0307, and 'i' is its
// simple mapping too). The host cannot answer: PyPy 7.3.11's str.lower uses
// Unicode 13.0.0 and lacks 14.0's new case pairs (U+2C2F, U+A7C0, the
// Vithkuqi letters, ...).
//
// The table lists the 1433 code points whose mapping is not themselves as
// runs {first, last, delta, stride}: each c = first + k*stride <= last maps
// to c + delta. Generated from CPython 3.11 itself:
//   f = ctypes.pythonapi._PyUnicode_ToLowercase (restype/argtypes c_uint32)
//   runs of equal delta over consecutive (stride 1) or alternate (stride 2)
//   code points with f(c) != c.
namespace {

struct LowerRun {
    Py_UCS4 first, last;
    int32_t delta;
    uint32_t stride;
};

constexpr LowerRun kLowerRuns[] = {
    {0x41, 0x5A, 32, 1}, {0xC0, 0xD6, 32, 1}, {0xD8, 0xDE, 32, 1}, {0x100, 0x12E, 1, 2},
    {0x130, 0x130, -199, 1}, {0x132, 0x136, 1, 2}, {0x139, 0x147, 1, 2}, {0x14A, 0x176, 1, 2},
    {0x178, 0x178, -121, 1}, {0x179, 0x17D, 1, 2}, {0x181, 0x181, 210, 1}, {0x182, 0x184, 1, 2},
    {0x186, 0x186, 206, 1}, {0x187, 0x187, 1, 1}, {0x189, 0x18A, 205, 1}, {0x18B, 0x18B, 1, 1},
    {0x18E, 0x18E, 79, 1}, {0x18F, 0x18F, 202, 1}, {0x190, 0x190, 203, 1}, {0x191, 0x191, 1, 1},
    {0x193, 0x193, 205, 1}, {0x194, 0x194, 207, 1}, {0x196, 0x196, 211, 1},
    {0x197, 0x197, 209, 1}, {0x198, 0x198, 1, 1}, {0x19C, 0x19C, 211, 1}, {0x19D, 0x19D, 213, 1},
    {0x19F, 0x19F, 214, 1}, {0x1A0, 0x1A4, 1, 2}, {0x1A6, 0x1A6, 218, 1}, {0x1A7, 0x1A7, 1, 1},
    {0x1A9, 0x1A9, 218, 1}, {0x1AC, 0x1AC, 1, 1}, {0x1AE, 0x1AE, 218, 1}, {0x1AF, 0x1AF, 1, 1},
    {0x1B1, 0x1B2, 217, 1}, {0x1B3, 0x1B5, 1, 2}, {0x1B7, 0x1B7, 219, 1}, {0x1B8, 0x1B8, 1, 1},
    {0x1BC, 0x1BC, 1, 1}, {0x1C4, 0x1C4, 2, 1}, {0x1C5, 0x1C5, 1, 1}, {0x1C7, 0x1C7, 2, 1},
    {0x1C8, 0x1C8, 1, 1}, {0x1CA, 0x1CA, 2, 1}, {0x1CB, 0x1DB, 1, 2}, {0x1DE, 0x1EE, 1, 2},
    {0x1F1, 0x1F1, 2, 1}, {0x1F2, 0x1F4, 1, 2}, {0x1F6, 0x1F6, -97, 1}, {0x1F7, 0x1F7, -56, 1},
    {0x1F8, 0x21E, 1, 2}, {0x220, 0x220, -130, 1}, {0x222, 0x232, 1, 2},
    {0x23A, 0x23A, 10795, 1}, {0x23B, 0x23B, 1, 1}, {0x23D, 0x23D, -163, 1},
    {0x23E, 0x23E, 10792, 1}, {0x241, 0x241, 1, 1}, {0x243, 0x243, -195, 1},
    {0x244, 0x244, 69, 1}, {0x245, 0x245, 71, 1}, {0x246, 0x24E, 1, 2}, {0x370, 0x372, 1, 2},
    {0x376, 0x376, 1, 1}, {0x37F, 0x37F, 116, 1}, {0x386, 0x386, 38, 1}, {0x388, 0x38A, 37, 1},
    {0x38C, 0x38C, 64, 1}, {0x38E, 0x38F, 63, 1}, {0x391, 0x3A1, 32, 1}, {0x3A3, 0x3AB, 32, 1},
    {0x3CF, 0x3CF, 8, 1}, {0x3D8, 0x3EE, 1, 2}, {0x3F4, 0x3F4, -60, 1}, {0x3F7, 0x3F7, 1, 1},
    {0x3F9, 0x3F9, -7, 1}, {0x3FA, 0x3FA, 1, 1}, {0x3FD, 0x3FF, -130, 1}, {0x400, 0x40F, 80, 1},
    {0x410, 0x42F, 32, 1}, {0x460, 0x480, 1, 2}, {0x48A, 0x4BE, 1, 2}, {0x4C0, 0x4C0, 15, 1},
    {0x4C1, 0x4CD, 1, 2}, {0x4D0, 0x52E, 1, 2}, {0x531, 0x556, 48, 1}, {0x10A0, 0x10C5, 7264, 1},
    {0x10C7, 0x10C7, 7264, 1}, {0x10CD, 0x10CD, 7264, 1}, {0x13A0, 0x13EF, 38864, 1},
    {0x13F0, 0x13F5, 8, 1}, {0x1C90, 0x1CBA, -3008, 1}, {0x1CBD, 0x1CBF, -3008, 1},
    {0x1E00, 0x1E94, 1, 2}, {0x1E9E, 0x1E9E, -7615, 1}, {0x1EA0, 0x1EFE, 1, 2},
    {0x1F08, 0x1F0F, -8, 1}, {0x1F18, 0x1F1D, -8, 1}, {0x1F28, 0x1F2F, -8, 1},
    {0x1F38, 0x1F3F, -8, 1}, {0x1F48, 0x1F4D, -8, 1}, {0x1F59, 0x1F5F, -8, 2},
    {0x1F68, 0x1F6F, -8, 1}, {0x1F88, 0x1F8F, -8, 1}, {0x1F98, 0x1F9F, -8, 1},
    {0x1FA8, 0x1FAF, -8, 1}, {0x1FB8, 0x1FB9, -8, 1}, {0x1FBA, 0x1FBB, -74, 1},
    {0x1FBC, 0x1FBC, -9, 1}, {0x1FC8, 0x1FCB, -86, 1}, {0x1FCC, 0x1FCC, -9, 1},
    {0x1FD8, 0x1FD9, -8, 1}, {0x1FDA, 0x1FDB, -100, 1}, {0x1FE8, 0x1FE9, -8, 1},
    {0x1FEA, 0x1FEB, -112, 1}, {0x1FEC, 0x1FEC, -7, 1}, {0x1FF8, 0x1FF9, -128, 1},
    {0x1FFA, 0x1FFB, -126, 1}, {0x1FFC, 0x1FFC, -9, 1}, {0x2126, 0x2126, -7517, 1},
    {0x212A, 0x212A, -8383, 1}, {0x212B, 0x212B, -8262, 1}, {0x2132, 0x2132, 28, 1},
    {0x2160, 0x216F, 16, 1}, {0x2183, 0x2183, 1, 1}, {0x24B6, 0x24CF, 26, 1},
    {0x2C00, 0x2C2F, 48, 1}, {0x2C60, 0x2C60, 1, 1}, {0x2C62, 0x2C62, -10743, 1},
    {0x2C63, 0x2C63, -3814, 1}, {0x2C64, 0x2C64, -10727, 1}, {0x2C67, 0x2C6B, 1, 2},
    {0x2C6D, 0x2C6D, -10780, 1}, {0x2C6E, 0x2C6E, -10749, 1}, {0x2C6F, 0x2C6F, -10783, 1},
    {0x2C70, 0x2C70, -10782, 1}, {0x2C72, 0x2C72, 1, 1}, {0x2C75, 0x2C75, 1, 1},
    {0x2C7E, 0x2C7F, -10815, 1}, {0x2C80, 0x2CE2, 1, 2}, {0x2CEB, 0x2CED, 1, 2},
    {0x2CF2, 0x2CF2, 1, 1}, {0xA640, 0xA66C, 1, 2}, {0xA680, 0xA69A, 1, 2},
    {0xA722, 0xA72E, 1, 2}, {0xA732, 0xA76E, 1, 2}, {0xA779, 0xA77B, 1, 2},
    {0xA77D, 0xA77D, -35332, 1}, {0xA77E, 0xA786, 1, 2}, {0xA78B, 0xA78B, 1, 1},
    {0xA78D, 0xA78D, -42280, 1}, {0xA790, 0xA792, 1, 2}, {0xA796, 0xA7A8, 1, 2},
    {0xA7AA, 0xA7AA, -42308, 1}, {0xA7AB, 0xA7AB, -42319, 1}, {0xA7AC, 0xA7AC, -42315, 1},
    {0xA7AD, 0xA7AD, -42305, 1}, {0xA7AE, 0xA7AE, -42308, 1}, {0xA7B0, 0xA7B0, -42258, 1},
    {0xA7B1, 0xA7B1, -42282, 1}, {0xA7B2, 0xA7B2, -42261, 1}, {0xA7B3, 0xA7B3, 928, 1},
    {0xA7B4, 0xA7C2, 1, 2}, {0xA7C4, 0xA7C4, -48, 1}, {0xA7C5, 0xA7C5, -42307, 1},
    {0xA7C6, 0xA7C6, -35384, 1}, {0xA7C7, 0xA7C9, 1, 2}, {0xA7D0, 0xA7D0, 1, 1},
    {0xA7D6, 0xA7D8, 1, 2}, {0xA7F5, 0xA7F5, 1, 1}, {0xFF21, 0xFF3A, 32, 1},
    {0x10400, 0x10427, 40, 1}, {0x104B0, 0x104D3, 40, 1}, {0x10570, 0x1057A, 39, 1},
    {0x1057C, 0x1058A, 39, 1}, {0x1058C, 0x10592, 39, 1}, {0x10594, 0x10595, 39, 1},
    {0x10C80, 0x10CB2, 64, 1}, {0x118A0, 0x118BF, 32, 1}, {0x16E40, 0x16E5F, 32, 1},
    {0x1E900, 0x1E921, 34, 1},
};

} // namespace

Py_UCS4 _PyUnicode_ToLowercase(Py_UCS4 ch) {
    FERRY_API;
    // The last run that starts at or before ch.
    const LowerRun *end = kLowerRuns + sizeof kLowerRuns / sizeof kLowerRuns[0];
    const LowerRun *it = std::upper_bound(kLowerRuns, end, ch,
                                          [](Py_UCS4 c, const LowerRun &r) { return c < r.first; });
    if (it == kLowerRuns)
        return ch;
    --it;
    if (ch > it->last || (ch - it->first) % it->stride)
        return ch;
    return static_cast<Py_UCS4>(static_cast<int32_t>(ch) + it->delta);
}

// _PyUnicode_IsWhitespace (Objects/unicodectype.c, Py_UNICODE_ISSPACE beyond
// ASCII): bidirectional type WS, B or S, or category Zs, in CPython 3.11's
// database (Unicode 14.0.0). The set is small and fixed; listed from
// CPython 3.11 itself (ctypes over every code point).
int _PyUnicode_IsWhitespace(const Py_UCS4 ch) {
    FERRY_API;
    switch (ch) {
    case 0x0009: case 0x000A: case 0x000B: case 0x000C: case 0x000D:
    case 0x001C: case 0x001D: case 0x001E: case 0x001F: case 0x0020:
    case 0x0085: case 0x00A0: case 0x1680:
    case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004: case 0x2005:
    case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return 1;
    default:
        return 0;
    }
}

// _PyUnicode_IsDigit (Objects/unicodectype.c, Py_UNICODE_ISDIGIT): the
// code points with a digit value (decimal digits, and others such as
// superscripts and circled digits) in CPython 3.11's database (Unicode
// 14.0.0). Not the host's str.isdigit: PyPy 7.3.11 has Unicode 13.0.0, which
// lacks 14.0's Tangsa digits (U+16AC0..U+16AC9). The 81 runs {first, last}
// were listed from CPython 3.11 itself (ctypes over every code point).
namespace {

struct DigitRun {
    Py_UCS4 first, last;
};

constexpr DigitRun kDigitRuns[] = {
    {0x30, 0x39}, {0xB2, 0xB3}, {0xB9, 0xB9}, {0x660, 0x669}, {0x6F0, 0x6F9}, {0x7C0, 0x7C9},
    {0x966, 0x96F}, {0x9E6, 0x9EF}, {0xA66, 0xA6F}, {0xAE6, 0xAEF}, {0xB66, 0xB6F}, {0xBE6, 0xBEF},
    {0xC66, 0xC6F}, {0xCE6, 0xCEF}, {0xD66, 0xD6F}, {0xDE6, 0xDEF}, {0xE50, 0xE59}, {0xED0, 0xED9},
    {0xF20, 0xF29}, {0x1040, 0x1049}, {0x1090, 0x1099}, {0x1369, 0x1371}, {0x17E0, 0x17E9},
    {0x1810, 0x1819}, {0x1946, 0x194F}, {0x19D0, 0x19DA}, {0x1A80, 0x1A89}, {0x1A90, 0x1A99},
    {0x1B50, 0x1B59}, {0x1BB0, 0x1BB9}, {0x1C40, 0x1C49}, {0x1C50, 0x1C59}, {0x2070, 0x2070},
    {0x2074, 0x2079}, {0x2080, 0x2089}, {0x2460, 0x2468}, {0x2474, 0x247C}, {0x2488, 0x2490},
    {0x24EA, 0x24EA}, {0x24F5, 0x24FD}, {0x24FF, 0x24FF}, {0x2776, 0x277E}, {0x2780, 0x2788},
    {0x278A, 0x2792}, {0xA620, 0xA629}, {0xA8D0, 0xA8D9}, {0xA900, 0xA909}, {0xA9D0, 0xA9D9},
    {0xA9F0, 0xA9F9}, {0xAA50, 0xAA59}, {0xABF0, 0xABF9}, {0xFF10, 0xFF19}, {0x104A0, 0x104A9},
    {0x10A40, 0x10A43}, {0x10D30, 0x10D39}, {0x10E60, 0x10E68}, {0x11052, 0x1105A},
    {0x11066, 0x1106F}, {0x110F0, 0x110F9}, {0x11136, 0x1113F}, {0x111D0, 0x111D9},
    {0x112F0, 0x112F9}, {0x11450, 0x11459}, {0x114D0, 0x114D9}, {0x11650, 0x11659},
    {0x116C0, 0x116C9}, {0x11730, 0x11739}, {0x118E0, 0x118E9}, {0x11950, 0x11959},
    {0x11C50, 0x11C59}, {0x11D50, 0x11D59}, {0x11DA0, 0x11DA9}, {0x16A60, 0x16A69},
    {0x16AC0, 0x16AC9}, {0x16B50, 0x16B59}, {0x1D7CE, 0x1D7FF}, {0x1E140, 0x1E149},
    {0x1E2F0, 0x1E2F9}, {0x1E950, 0x1E959}, {0x1F100, 0x1F10A}, {0x1FBF0, 0x1FBF9},
};

} // namespace

int _PyUnicode_IsDigit(Py_UCS4 ch) {
    FERRY_API;
    const DigitRun *end = kDigitRuns + sizeof kDigitRuns / sizeof kDigitRuns[0];
    const DigitRun *it = std::upper_bound(kDigitRuns, end, ch,
                                          [](Py_UCS4 c, const DigitRun &r) { return c < r.first; });
    return it != kDigitRuns && ch <= (it - 1)->last;
}

// Py_UNICODE_ISSPACE's table for ASCII: 1 for \t \n \v \f \r, the
// separators 0x1C-0x1F, and ' '.
extern "C" const unsigned char _Py_ascii_whitespace[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
    1,
};

// Copies how_many characters of `from` (from from_start) into `to` (at
// to_start), converting between kinds. As in CPython, nothing is checked:
// the ranges must be valid, the characters must fit `to`'s kind, and `to`
// must be a str C is still filling (one made by PyUnicode_New that has not
// crossed to the host: what C writes later does not reach a str the host
// already has). Ranges of one str may overlap (CPython asks they do not).
void _PyUnicode_FastCopyCharacters(PyObject *to, Py_ssize_t to_start, PyObject *from,
                                   Py_ssize_t from_start, Py_ssize_t how_many) {
    FERRY_API;
    if (how_many <= 0)
        return;
    int from_kind = PyUnicode_KIND(from), to_kind = PyUnicode_KIND(to);
    const char *src = static_cast<const char *>(PyUnicode_DATA(from));
    char *dst = static_cast<char *>(PyUnicode_DATA(to));
    if (from_kind == to_kind) {
        std::memmove(dst + to_start * to_kind, src + from_start * from_kind, how_many * to_kind);
        return;
    }
    for (Py_ssize_t i = 0; i < how_many; i++)
        PyUnicode_WRITE(to_kind, dst, to_start + i, PyUnicode_READ(from_kind, src, from_start + i));
}
