// int objects: 3.11 PyLongObject proxies (30-bit digits), their crossing to
// the host, and the PyLong_* API. Mirrors Objects/longobject.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "cpyext/internal.h"
#include "gc_bridge/debug.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "longobject"

namespace ferry {

int digit_value(char ch) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 37;
}
namespace {

using u128 = unsigned __int128;
constexpr digit kMask = PyLong_MASK;
constexpr int kShift = PyLong_SHIFT;
constexpr long kSmallMin = -5;
constexpr long kSmallMax = 256;
constexpr Py_ssize_t kImmortalRefcnt = Py_ssize_t(1) << 60;
constexpr size_t kMaxStrDigits = 4300;

inline PyLongObject *as_long(PyObject *o) { return reinterpret_cast<PyLongObject *>(o); }
inline Py_ssize_t ndigits_of(PyObject *o) {
    Py_ssize_t s = Py_SIZE(o);
    return s < 0 ? -s : s;
}
inline bool is_negative(PyObject *o) { return Py_SIZE(o) < 0; }

// A zeroed int of `nd` digits (at least one allocated, as CPython does).
PyObject *long_alloc(Py_ssize_t nd, PyTypeObject *type) {
    size_t base = offsetof(PyLongObject, ob_digit);
    if (type->tp_basicsize > 0 && static_cast<size_t>(type->tp_basicsize) > base)
        base = type->tp_basicsize;
    size_t size = base + static_cast<size_t>(nd > 0 ? nd : 1) * sizeof(digit);
    auto *o = reinterpret_cast<PyObject *>(alloc_var_object(type, size, nd));
    return o;
}

// Drops high zero digits and applies the sign.
void long_normalize(PyObject *o, Py_ssize_t nd, bool negative) {
    PyLongObject *v = as_long(o);
    while (nd > 0 && v->ob_digit[nd - 1] == 0)
        nd--;
    Py_SET_SIZE(o, negative ? -nd : nd);
}

PyObject *long_from_u64(uint64_t mag, bool negative, PyTypeObject *type) {
    Py_ssize_t nd = 0;
    for (uint64_t m = mag; m; m >>= kShift)
        nd++;
    PyObject *o = long_alloc(nd, type);
    if (!o)
        return nullptr;
    for (Py_ssize_t i = 0; i < nd; i++, mag >>= kShift)
        as_long(o)->ob_digit[i] = static_cast<digit>(mag & kMask);
    long_normalize(o, nd, negative);
    return o;
}

// The magnitude when it fits 64 bits.
bool magnitude_u64(PyObject *o, uint64_t *out) {
    Py_ssize_t nd = ndigits_of(o);
    if (nd > 3)
        return false;
    u128 acc = 0;
    for (Py_ssize_t i = nd - 1; i >= 0; i--)
        acc = (acc << kShift) | as_long(o)->ob_digit[i];
    if (acc > UINT64_MAX)
        return false;
    *out = static_cast<uint64_t>(acc);
    return true;
}

// The magnitude modulo 2**64.
uint64_t magnitude_mod64(PyObject *o) {
    uint64_t acc = 0;
    for (Py_ssize_t i = ndigits_of(o) - 1; i >= 0; i--)
        acc = (acc << kShift) | as_long(o)->ob_digit[i];
    return acc;
}

// Little-endian bytes of the magnitude (no trailing zero bytes).
std::vector<unsigned char> magnitude_bytes(PyObject *o) {
    std::vector<unsigned char> out;
    Py_ssize_t nd = ndigits_of(o);
    out.reserve(static_cast<size_t>(nd) * 4 + 1);
    uint64_t acc = 0;
    int bits = 0;
    for (Py_ssize_t i = 0; i < nd; i++) {
        acc |= static_cast<uint64_t>(as_long(o)->ob_digit[i]) << bits;
        bits += kShift;
        while (bits >= 8) {
            out.push_back(static_cast<unsigned char>(acc & 0xff));
            acc >>= 8;
            bits -= 8;
        }
    }
    if (bits > 0)
        out.push_back(static_cast<unsigned char>(acc & 0xff));
    while (!out.empty() && out.back() == 0)
        out.pop_back();
    return out;
}

size_t bit_length(PyObject *o) {
    Py_ssize_t nd = ndigits_of(o);
    if (nd == 0)
        return 0;
    digit top = as_long(o)->ob_digit[nd - 1];
    size_t bits = 0;
    while (top) {
        bits++;
        top >>= 1;
    }
    return static_cast<size_t>(nd - 1) * kShift + bits;
}

PyObject *g_small[kSmallMax - kSmallMin + 1];

PyObject *small_int(long v) {
    PyObject *&slot = g_small[v - kSmallMin];
    if (!slot) {
        PyObject *o = long_from_u64(v < 0 ? static_cast<uint64_t>(-v) : static_cast<uint64_t>(v),
                                    v < 0, &PyLong_Type);
        if (!o)
            return nullptr;
        Py_SET_REFCNT(o, kImmortalRefcnt);
        header_of(o)->flags |= kImmortal;
        if (host::context())
            header_of(o)->managed = host::long_from(v);
        slot = o;
    }
    return Py_NewRef(slot);
}

// Ints past the small ones that C made or met lately, by value: a loop's
// counter, or a call's argument and result, cross again and again, and each
// crossing allocated and freed a C object (add1(12345): two per call). They
// are shared as the small ints are (no int is promised to be a fresh object),
// each entry holding a reference; direct-mapped, the last one made wins.
struct RecentInt {
    uint64_t mag;
    bool negative;
    PyObject *o;
};
constexpr int kRecentBits = 6;
RecentInt g_recent[1 << kRecentBits];

PyObject *recent_int(uint64_t mag, bool negative) {
    RecentInt &e = g_recent[((mag ^ (negative ? ~uint64_t(0) : 0)) * 0x9E3779B97F4A7C15ull) >> (64 - kRecentBits)];
    if (e.o && e.mag == mag && e.negative == negative)
        return Py_NewRef(e.o);
    PyObject *o = long_from_u64(mag, negative, &PyLong_Type);
    if (!o)
        return nullptr;
    PyObject *old = e.o;
    e = {mag, negative, Py_NewRef(o)};
    debug::layer_holds(o);
    Py_XDECREF(old);
    return o;
}

// An exact int for the API: the small-int cache first, as CPython does.
PyObject *api_long(uint64_t mag, bool negative) {
    if (negative ? mag <= static_cast<uint64_t>(-kSmallMin) : mag <= static_cast<uint64_t>(kSmallMax))
        return small_int(negative ? -static_cast<long>(mag) : static_cast<long>(mag));
    return recent_int(mag, negative);
}

// `o` as an int (borrowed when it is one, else a new reference from __index__).
struct IndexResult {
    PyObject *v = nullptr;
    bool owned = false;
    ~IndexResult() {
        if (owned)
            Py_XDECREF(v);
    }
};
bool as_index(PyObject *o, IndexResult *r) {
    if (PyLong_Check(o)) {
        r->v = o;
        return true;
    }
    r->v = PyNumber_Index(o);
    r->owned = true;
    return r->v != nullptr;
}

// Signed 64-bit value: 0 fits, 1 too large, -1 too small.
int signed_value(PyObject *v, long long *out) {
    uint64_t m = 0;
    bool neg = is_negative(v);
    if (!magnitude_u64(v, &m))
        return neg ? -1 : 1;
    if (!neg) {
        if (m > static_cast<uint64_t>(LLONG_MAX))
            return 1;
        *out = static_cast<long long>(m);
    } else {
        if (m > static_cast<uint64_t>(LLONG_MAX) + 1)
            return -1;
        *out = static_cast<long long>(0 - m);
    }
    return 0;
}

// Calls the host's int(arg, base).
PyObject *host_int_call(host::Handle arg, int base) {
    host::Handle int_type = type_handle(&PyLong_Type);
    if (!int_type)
        return nullptr;
    host::Handle b = host::long_from(base);
    host::Handle items[2] = {arg, b};
    host::Handle args = b ? host::tuple_from(items, 2) : host::Handle{};
    host::close(b);
    if (!args)
        return null_with_host_error();
    host::Handle r = host::call(int_type, args, {});
    host::close(args);
    return result(r);
}

} // namespace

// ---------------------------------------------------------------- internal

PyObject *long_from_int64(long long v, PyTypeObject *type) {
    bool neg = v < 0;
    uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    return long_from_u64(mag, neg, type);
}

PyObject *long_from_magnitude(const unsigned char *le, Py_ssize_t n, bool negative,
                              PyTypeObject *type) {
    while (n > 0 && le[n - 1] == 0)
        n--;
    size_t nbits = 0;
    if (n > 0) {
        unsigned char top = le[n - 1];
        size_t tb = 0;
        while (top) {
            tb++;
            top >>= 1;
        }
        nbits = static_cast<size_t>(n - 1) * 8 + tb;
    }
    size_t nd = (nbits + kShift - 1) / kShift;
    if (nd > static_cast<size_t>(PY_SSIZE_T_MAX / 4)) {
        PyErr_SetString(PyExc_OverflowError, "too many digits in integer");
        return nullptr;
    }
    PyObject *o = long_alloc(static_cast<Py_ssize_t>(nd), type);
    if (!o)
        return nullptr;
    digit *d = as_long(o)->ob_digit;
    uint64_t acc = 0;
    int bits = 0;
    size_t k = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        acc |= static_cast<uint64_t>(le[i]) << bits;
        bits += 8;
        if (bits >= kShift) {
            d[k++] = static_cast<digit>(acc & kMask);
            acc >>= kShift;
            bits -= kShift;
        }
    }
    if (bits > 0 && k < nd)
        d[k++] = static_cast<digit>(acc & kMask);
    long_normalize(o, static_cast<Py_ssize_t>(nd), negative);
    return o;
}

PyObject *api_long_from_int64(long long v) {
    bool neg = v < 0;
    return api_long(neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), neg);
}

host::Handle long_to_host(PyObject *o) {
    Py_ssize_t nd = ndigits_of(o);
    bool neg = is_negative(o);
    if (nd <= 3) {
        uint64_t m = 0;
        if (magnitude_u64(o, &m)) {
            if (!neg && m <= static_cast<uint64_t>(LLONG_MAX))
                return host::long_from(static_cast<long long>(m));
            if (neg && m <= static_cast<uint64_t>(LLONG_MAX) + 1)
                return host::long_from(static_cast<long long>(0 - m));
            if (!neg)
                return host::long_from_unsigned(m);
        }
    }
    std::vector<unsigned char> bytes = magnitude_bytes(o);
    host::Handle b = host::bytes_from(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    if (!b)
        return {};
    host::Handle s = host::bool_from(neg);
    host::Handle r = s ? host::call_helper(host::Helper::int_from_bytes, {b, s}) : host::Handle{};
    host::close(s);
    host::close(b);
    return r;
}

} // namespace ferry

// ---------------------------------------------------------------- the C API

using namespace ferry;

PyObject *PyLong_FromLong(long v) { FERRY_API; return PyLong_FromLongLong(v); }

PyObject *PyLong_FromUnsignedLong(unsigned long v) { FERRY_API; return api_long(v, false); }

PyObject *PyLong_FromLongLong(long long v) {
    FERRY_API;
    bool neg = v < 0;
    return api_long(neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), neg);
}

PyObject *PyLong_FromUnsignedLongLong(unsigned long long v) { FERRY_API; return api_long(v, false); }

PyObject *PyLong_FromSsize_t(Py_ssize_t v) { FERRY_API; return PyLong_FromLongLong(v); }

PyObject *PyLong_FromSize_t(size_t v) { FERRY_API; return api_long(v, false); }

PyObject *PyLong_FromVoidPtr(void *p) {
    FERRY_API;
    return PyLong_FromUnsignedLongLong(reinterpret_cast<uintptr_t>(p));
}

PyObject *PyLong_FromDouble(double d) {
    FERRY_API;
    const double limit = static_cast<double>(LLONG_MAX);   // 2**63
    if (-limit < d && d < limit)
        return PyLong_FromLongLong(static_cast<long long>(d));
    if (std::isinf(d)) {
        PyErr_SetString(PyExc_OverflowError, "cannot convert float infinity to integer");
        return nullptr;
    }
    if (std::isnan(d)) {
        PyErr_SetString(PyExc_ValueError, "cannot convert float NaN to integer");
        return nullptr;
    }
    bool neg = d < 0;
    int e = 0;
    double frac = std::frexp(neg ? -d : d, &e);   // value = frac * 2**e, e >= 64
    uint64_t mant = static_cast<uint64_t>(std::ldexp(frac, 53));
    int shift = e - 53;
    std::vector<unsigned char> bytes(static_cast<size_t>(shift / 8) + 9, 0);
    u128 wide = static_cast<u128>(mant) << (shift % 8);
    for (int k = 0; k < 9; k++)
        bytes[shift / 8 + k] = static_cast<unsigned char>(wide >> (8 * k));
    return long_from_magnitude(bytes.data(), static_cast<Py_ssize_t>(bytes.size()), neg,
                               &PyLong_Type);
}

PyObject *PyLong_FromString(const char *str, char **pend, int base) {
    FERRY_API;
    if ((base != 0 && base < 2) || base > 36) {
        PyErr_SetString(PyExc_ValueError, "int() arg 2 must be >= 2 and <= 36");
        return nullptr;
    }
    const char *orig = str;
    const char *p = str;
    auto fail = [&](const char *at) -> PyObject * {
        if (pend)
            *pend = const_cast<char *>(at);
        size_t len = std::strlen(orig);
        PyObject *s = PyUnicode_FromStringAndSize(orig, static_cast<Py_ssize_t>(len < 200 ? len : 200));
        if (!s)
            return nullptr;
        PyErr_Format(PyExc_ValueError, "invalid literal for int() with base %d: %.200R", base, s);
        Py_DECREF(s);
        return nullptr;
    };
    while (*p && Py_ISSPACE(*p))
        p++;
    bool negative = false;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    bool zero_only = false;   // "0..." without a prefix under base 0: only zeros allowed
    if (base == 0) {
        if (p[0] != '0')
            base = 10;
        else if (p[1] == 'x' || p[1] == 'X')
            base = 16;
        else if (p[1] == 'o' || p[1] == 'O')
            base = 8;
        else if (p[1] == 'b' || p[1] == 'B')
            base = 2;
        else {
            zero_only = true;
            base = 10;
        }
    }
    if (p[0] == '0' && ((base == 16 && (p[1] == 'x' || p[1] == 'X')) ||
                        (base == 8 && (p[1] == 'o' || p[1] == 'O')) ||
                        (base == 2 && (p[1] == 'b' || p[1] == 'B')))) {
        p += 2;
        if (*p == '_')   // one underscore may follow the prefix
            p++;
    }
    std::string digits;
    if (negative)
        digits.push_back('-');
    bool any = false, nonzero = false, prev_underscore = false;
    if (*p == '_')
        return fail(p);
    for (;; p++) {
        char c = *p;
        if (c == '_') {
            if (prev_underscore)
                return fail(p);
            prev_underscore = true;
            continue;
        }
        if (digit_value(c) >= base)
            break;
        prev_underscore = false;
        any = true;
        if (c != '0')
            nonzero = true;
        digits.push_back(c);
    }
    if (!any || prev_underscore)
        return fail(p);
    if (zero_only && nonzero) {
        base = 0;   // the message names the base the caller gave
        return fail(p);
    }
    while (*p && Py_ISSPACE(*p))
        p++;
    if (*p != '\0')
        return fail(p);
    if (pend)
        *pend = const_cast<char *>(p);
    // CPython 3.11's default limit on decimal-like conversions (the host has none).
    size_t ndigits = digits.size() - (negative ? 1 : 0);
    if ((base & (base - 1)) != 0 && ndigits > kMaxStrDigits) {
        PyErr_Format(PyExc_ValueError,
                     "Exceeds the limit (%d digits) for integer string conversion: value has "
                     "%zd digits; use sys.set_int_max_str_digits() to increase the limit",
                     static_cast<int>(kMaxStrDigits), static_cast<Py_ssize_t>(ndigits));
        return nullptr;
    }
    host::Handle text = host::unicode_from_utf8(digits.data(), digits.size());
    if (!text)
        return null_with_host_error();
    PyObject *r = host_int_call(text, base);
    host::close(text);
    if (r && PyLong_CheckExact(r)) {
        // Keep the small-int cache's identity, as CPython does.
        long long v = 0;
        if (signed_value(r, &v) == 0 && v >= kSmallMin && v <= kSmallMax) {
            Py_DECREF(r);
            return small_int(static_cast<long>(v));
        }
    }
    return r;
}

PyObject *PyLong_FromUnicodeObject(PyObject *u, int base) {
    FERRY_API;
    if ((base != 0 && base < 2) || base > 36) {
        PyErr_SetString(PyExc_ValueError, "int() arg 2 must be >= 2 and <= 36");
        return nullptr;
    }
    // An ASCII str is read here as longobject.c reads it (PyLong_FromString,
    // then the whole text must have been used); others (digits and spaces of
    // Unicode, NULs, texts long enough for the digits limit) go to the host.
    if (PyUnicode_CheckExact(u) && PyUnicode_IS_ASCII(u) && PyUnicode_GET_LENGTH(u) <= 4300) {
        auto *text = static_cast<const char *>(PyUnicode_DATA(u));
        Py_ssize_t n = PyUnicode_GET_LENGTH(u);
        if (!std::memchr(text, 0, static_cast<size_t>(n))) {
            char *end = nullptr;
            PyObject *r = PyLong_FromString(text, &end, base);
            if (r && end == text + n)
                return r;
            Py_XDECREF(r);
            if (!r && !PyErr_ExceptionMatches(PyExc_ValueError))
                return nullptr;
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "invalid literal for int() with base %d: %.200R", base, u);
            return nullptr;
        }
    }
    host::Handle h = handle_of(u);
    if (!h)
        return nullptr;
    return host_int_call(h, base);
}

// ---- conversions to C

// A one-digit exact int, read as CPython 3.11 reads it (medium_value).
inline bool one_digit(PyObject *v, long *out) {
    if (!v || !PyLong_CheckExact(v))
        return false;
    Py_ssize_t size = Py_SIZE(v);
    if (size < -1 || size > 1)
        return false;
    *out = size * static_cast<long>(as_long(v)->ob_digit[0]);
    return true;
}

long PyLong_AsLongAndOverflow(PyObject *vv, int *overflow) {
    FERRY_API;
    long fast;
    if (one_digit(vv, &fast)) {
        *overflow = 0;
        return fast;
    }
    if (!vv) {
        PyErr_BadInternalCall();
        return -1;
    }
    *overflow = 0;
    IndexResult r;
    if (!as_index(vv, &r))
        return -1;
    long long v = 0;
    int ov = signed_value(r.v, &v);
    if (ov) {
        *overflow = ov;
        return -1;
    }
    return static_cast<long>(v);
}

long long PyLong_AsLongLongAndOverflow(PyObject *vv, int *overflow) {
    FERRY_API;
    return PyLong_AsLongAndOverflow(vv, overflow);
}

long PyLong_AsLong(PyObject *vv) {
    FERRY_API;
    long fast;
    if (one_digit(vv, &fast))
        return fast;
    int overflow = 0;
    long r = PyLong_AsLongAndOverflow(vv, &overflow);
    if (overflow) {
        PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C long");
        return -1;
    }
    return r;
}

int _PyLong_AsInt(PyObject *vv) {
    FERRY_API;
    int overflow = 0;
    long r = PyLong_AsLongAndOverflow(vv, &overflow);
    if (overflow || r > INT_MAX || r < INT_MIN) {
        PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C int");
        return -1;
    }
    return static_cast<int>(r);
}

long long PyLong_AsLongLong(PyObject *vv) {
    FERRY_API;
    if (!vv) {
        PyErr_BadInternalCall();
        return -1;
    }
    IndexResult r;
    if (!as_index(vv, &r))
        return -1;
    long long v = 0;
    if (signed_value(r.v, &v)) {
        PyErr_SetString(PyExc_OverflowError, "int too big to convert");
        return -1;
    }
    return v;
}

Py_ssize_t PyLong_AsSsize_t(PyObject *vv) {
    FERRY_API;
    if (!vv) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!PyLong_Check(vv)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return -1;
    }
    long long v = 0;
    if (signed_value(vv, &v)) {
        PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C ssize_t");
        return -1;
    }
    return static_cast<Py_ssize_t>(v);
}

unsigned long PyLong_AsUnsignedLong(PyObject *vv) {
    FERRY_API;
    if (!vv) {
        PyErr_BadInternalCall();
        return static_cast<unsigned long>(-1);
    }
    if (!PyLong_Check(vv)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return static_cast<unsigned long>(-1);
    }
    if (is_negative(vv)) {
        PyErr_SetString(PyExc_OverflowError, "can't convert negative value to unsigned int");
        return static_cast<unsigned long>(-1);
    }
    uint64_t m = 0;
    if (!magnitude_u64(vv, &m)) {
        PyErr_SetString(PyExc_OverflowError,
                        "Python int too large to convert to C unsigned long");
        return static_cast<unsigned long>(-1);
    }
    return m;
}

size_t PyLong_AsSize_t(PyObject *vv) {
    FERRY_API;
    if (!vv) {
        PyErr_BadInternalCall();
        return static_cast<size_t>(-1);
    }
    if (!PyLong_Check(vv)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return static_cast<size_t>(-1);
    }
    if (is_negative(vv)) {
        PyErr_SetString(PyExc_OverflowError, "can't convert negative value to size_t");
        return static_cast<size_t>(-1);
    }
    uint64_t m = 0;
    if (!magnitude_u64(vv, &m)) {
        PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C size_t");
        return static_cast<size_t>(-1);
    }
    return m;
}

unsigned long long PyLong_AsUnsignedLongLong(PyObject *vv) {
    FERRY_API;
    if (!vv) {
        PyErr_BadInternalCall();
        return static_cast<unsigned long long>(-1);
    }
    if (!PyLong_Check(vv)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return static_cast<unsigned long long>(-1);
    }
    if (is_negative(vv)) {
        PyErr_SetString(PyExc_OverflowError, "can't convert negative int to unsigned");
        return static_cast<unsigned long long>(-1);
    }
    uint64_t m = 0;
    if (!magnitude_u64(vv, &m)) {
        PyErr_SetString(PyExc_OverflowError, "int too big to convert");
        return static_cast<unsigned long long>(-1);
    }
    return m;
}

unsigned long long PyLong_AsUnsignedLongLongMask(PyObject *vv) {
    FERRY_API;
    if (!vv) {
        PyErr_BadInternalCall();
        return static_cast<unsigned long long>(-1);
    }
    IndexResult r;
    if (!as_index(vv, &r))
        return static_cast<unsigned long long>(-1);
    uint64_t m = magnitude_mod64(r.v);
    return is_negative(r.v) ? 0 - m : m;
}

unsigned long PyLong_AsUnsignedLongMask(PyObject *vv) {
    FERRY_API;
    return PyLong_AsUnsignedLongLongMask(vv);
}

double PyLong_AsDouble(PyObject *v) {
    FERRY_API;
    if (!v) {
        PyErr_BadInternalCall();
        return -1.0;
    }
    if (!PyLong_Check(v)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return -1.0;
    }
    bool neg = is_negative(v);
    size_t nbits = bit_length(v);
    double r;
    if (nbits <= 64) {
        r = static_cast<double>(magnitude_mod64(v));
    } else {
        if (nbits > DBL_MAX_EXP) {
            PyErr_SetString(PyExc_OverflowError, "int too large to convert to float");
            return -1.0;
        }
        // The top 64 bits, the lowest of them sticky, round correctly to 53.
        size_t shift = nbits - 64;
        std::vector<unsigned char> bytes = magnitude_bytes(v);
        auto bit = [&](size_t i) { return (bytes[i / 8] >> (i % 8)) & 1; };
        uint64_t top = 0;
        for (size_t i = nbits; i-- > shift;)
            top = (top << 1) | bit(i);
        bool sticky = false;
        for (size_t i = 0; i < shift / 8 && !sticky; i++)
            sticky = bytes[i] != 0;
        for (size_t i = (shift / 8) * 8; i < shift && !sticky; i++)
            sticky = bit(i);
        if (sticky)
            top |= 1;
        r = std::ldexp(static_cast<double>(top), static_cast<int>(shift));
        if (std::isinf(r)) {
            PyErr_SetString(PyExc_OverflowError, "int too large to convert to float");
            return -1.0;
        }
    }
    return neg ? -r : r;
}

void *PyLong_AsVoidPtr(PyObject *vv) {
    FERRY_API;
    long long x;
    if (vv && PyLong_Check(vv) && is_negative(vv))
        x = PyLong_AsLong(vv);
    else
        x = static_cast<long long>(PyLong_AsUnsignedLong(vv));
    if (x == -1 && PyErr_Occurred())
        return nullptr;
    return reinterpret_cast<void *>(static_cast<uintptr_t>(x));
}

PyObject *PyLong_GetInfo(void) {
    FERRY_API;
    host::Handle sys = host::import_module("sys");
    if (!sys)
        return null_with_host_error();
    host::Handle info = host::getattr_s(sys, "int_info");
    host::close(sys);
    return result(info);
}

// ---- private helpers used by Cython output

int _PyLong_Sign(PyObject *v) {
    FERRY_API;
    Py_ssize_t s = Py_SIZE(v);
    return s == 0 ? 0 : (s < 0 ? -1 : 1);
}

size_t _PyLong_NumBits(PyObject *v) { FERRY_API; return bit_length(v); }

PyLongObject *_PyLong_New(Py_ssize_t size) {
    FERRY_API;
    if (size < 0 || size > PY_SSIZE_T_MAX / 4 - 64) {
        PyErr_SetString(PyExc_OverflowError, "too many digits in integer");
        return nullptr;
    }
    return as_long(long_alloc(size, &PyLong_Type));
}

PyObject *_PyLong_Copy(PyLongObject *src) {
    FERRY_API;
    auto *s = reinterpret_cast<PyObject *>(src);
    Py_ssize_t nd = ndigits_of(s);
    if (nd <= 1) {
        long v = nd ? static_cast<long>(src->ob_digit[0]) : 0;
        if (is_negative(s))
            v = -v;
        if (v >= kSmallMin && v <= kSmallMax)
            return small_int(v);
    }
    PyObject *o = long_alloc(nd, &PyLong_Type);
    if (!o)
        return nullptr;
    std::memcpy(as_long(o)->ob_digit, src->ob_digit, static_cast<size_t>(nd) * sizeof(digit));
    Py_SET_SIZE(o, Py_SIZE(s));
    return o;
}

PyObject *_PyLong_FromByteArray(const unsigned char *bytes, size_t n, int little_endian,
                                int is_signed) {
    FERRY_API;
    if (n == 0)
        return PyLong_FromLong(0);
    std::vector<unsigned char> le(n);
    for (size_t i = 0; i < n; i++)
        le[i] = little_endian ? bytes[i] : bytes[n - 1 - i];
    bool negative = is_signed && (le[n - 1] & 0x80);
    if (negative) {
        // Two's complement to magnitude: invert and add one.
        unsigned carry = 1;
        for (size_t i = 0; i < n; i++) {
            unsigned b = static_cast<unsigned char>(~le[i]) + carry;
            le[i] = static_cast<unsigned char>(b);
            carry = b >> 8;
        }
    }
    if (n <= 8) {
        uint64_t m = 0;
        for (size_t i = n; i-- > 0;)
            m = (m << 8) | le[i];
        return api_long(m, negative);
    }
    return long_from_magnitude(le.data(), static_cast<Py_ssize_t>(n), negative, &PyLong_Type);
}

int _PyLong_AsByteArray(PyLongObject *v, unsigned char *bytes, size_t n, int little_endian,
                        int is_signed) {
    FERRY_API;
    auto *o = reinterpret_cast<PyObject *>(v);
    bool negative = is_negative(o);
    if (negative && !is_signed) {
        PyErr_SetString(PyExc_OverflowError, "can't convert negative int to unsigned");
        return -1;
    }
    std::vector<unsigned char> mag = magnitude_bytes(o);
    std::vector<unsigned char> out(n, 0);
    bool overflow = mag.size() > n;
    for (size_t i = 0; i < n && i < mag.size(); i++)
        out[i] = mag[i];
    if (negative) {
        unsigned carry = 1;
        for (size_t i = 0; i < n; i++) {
            unsigned b = static_cast<unsigned char>(~out[i]) + carry;
            out[i] = static_cast<unsigned char>(b);
            carry = b >> 8;
        }
    }
    if (!overflow && is_signed && n > 0 && Py_SIZE(o) != 0) {
        bool sign_bit = out[n - 1] & 0x80;
        overflow = sign_bit != negative;
    }
    for (size_t i = 0; i < n; i++)
        bytes[little_endian ? i : n - 1 - i] = out[i];
    if (overflow) {
        PyErr_SetString(PyExc_OverflowError, "int too big to convert");
        return -1;
    }
    return 0;
}
