// The numeric and pointer hashes of Python/pyhash.c: extensions (numpy) hash
// their own scalars with them and must agree with hash() of equal Python
// numbers.
#include <Python.h>

#include <cmath>
#include <cstdint>
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "pyhash"

// CPython's default object hash: the address rotated by 4 bits, so the low
// bits that alignment keeps at zero do not cluster in hash tables.
Py_hash_t _Py_HashPointer(const void *p) {
    FERRY_API;
    auto y = reinterpret_cast<uintptr_t>(p);
    y = (y >> 4) | (y << (8 * sizeof(y) - 4));
    auto x = static_cast<Py_hash_t>(y);
    return x == -1 ? -2 : x;
}

// hash(v) for a float v: v reduced modulo the prime P = 2**61 - 1, so that
// equal ints, floats and fractions hash alike. With v = m * 2**e and
// 0.5 <= m < 1, the mantissa is consumed 28 bits at a time into x (mod P),
// then x is multiplied by 2**e mod P, which for this P is a rotation of the
// 61-bit value. NaN hashes by identity (CPython 3.10+).
Py_hash_t _Py_HashDouble(PyObject *inst, double v) {
    FERRY_API;
    constexpr int kBits = _PyHASH_BITS;
    constexpr uint64_t kModulus = _PyHASH_MODULUS;
    if (!std::isfinite(v)) {
        if (std::isinf(v))
            return v > 0 ? _PyHASH_INF : -_PyHASH_INF;
        return _Py_HashPointer(inst);
    }
    int e;
    double m = std::frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m != 0) {
        x = ((x << 28) & kModulus) | (x >> (kBits - 28));
        m *= 268435456.0;   // 2**28
        e -= 28;
        auto digit = static_cast<uint64_t>(m);
        m -= static_cast<double>(digit);
        x += digit;
        if (x >= kModulus)
            x -= kModulus;
    }
    // 2**e mod P for negative e is 2**(e mod 61).
    e = e >= 0 ? e % kBits : kBits - 1 - ((-1 - e) % kBits);
    x = ((x << e) & kModulus) | (x >> (kBits - e));
    auto h = static_cast<Py_hash_t>(x) * sign;
    return h == -1 ? -2 : h;
}
