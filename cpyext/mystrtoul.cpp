// PyOS_strtoul and PyOS_strtol (Python/mystrtoul.c): C's strtoul/strtol with
// CPython's rules. Leading whitespace is skipped (Py_ISSPACE); base 0 takes a
// 0x/0o/0b prefix, else base 10, and refuses other leading zeros ("012"
// gives 0 and stops after the zeros and the whitespace after them); bases
// 16, 8 and 2 accept their prefix; a prefix must be followed by a digit
// (else 0, *ptr at the prefix's letter); a base outside 2..36 gives 0. On
// overflow: errno ERANGE, *ptr past every digit, ULONG_MAX (strtoul) or
// LONG_MAX whatever the sign (strtol). errno is left alone otherwise.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cerrno>
#include <climits>

#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "mystrtoul"

using ferry::digit_value;

namespace {

// After a '0' of base `base` (16, 8 or 2): its prefix letter. False when the
// letter is there without a digit after it (the conversion stops there).
bool skip_prefix(const char *&s, int base) {
    char lower = base == 16 ? 'x' : base == 8 ? 'o' : 'b';
    if (*s == lower || *s == lower - ('a' - 'A')) {
        if (digit_value(s[1]) >= base)
            return false;
        ++s;
    }
    return true;
}

} // namespace

unsigned long PyOS_strtoul(const char *str, char **ptr, int base) {
    FERRY_API;
    const char *s = str;
    while (*s && Py_ISSPACE(*s))
        ++s;
    auto done = [&](unsigned long value) {
        if (ptr)
            *ptr = const_cast<char *>(s);
        return value;
    };
    if (base == 0) {
        if (*s == '0') {
            ++s;
            char c = *s;
            int prefixed = c == 'x' || c == 'X' ? 16 : c == 'o' || c == 'O' ? 8 : c == 'b' || c == 'B' ? 2 : 0;
            if (!prefixed) {
                // A leading zero without a prefix: only zeros are allowed.
                while (*s == '0')
                    ++s;
                while (Py_ISSPACE(*s))
                    ++s;
                return done(0);
            }
            if (!skip_prefix(s, prefixed))
                return done(0);
            base = prefixed;
        } else {
            base = 10;
        }
    } else if (base == 16 || base == 8 || base == 2) {
        if (*s == '0') {
            ++s;
            if (!skip_prefix(s, base))
                return done(0);
        }
    }
    if (base < 2 || base > 36)
        return done(0);
    while (*s == '0')
        ++s;
    unsigned long result = 0;
    int d;
    while ((d = digit_value(*s)) < base) {
        if (__builtin_mul_overflow(result, static_cast<unsigned long>(base), &result) ||
            __builtin_add_overflow(result, static_cast<unsigned long>(d), &result)) {
            while (digit_value(*s) < base)
                ++s;
            errno = ERANGE;
            return done(ULONG_MAX);
        }
        ++s;
    }
    return done(result);
}

long PyOS_strtol(const char *str, char **ptr, int base) {
    FERRY_API;
    while (*str && Py_ISSPACE(*str))
        ++str;
    char sign = *str;
    if (sign == '+' || sign == '-')
        ++str;
    unsigned long u = PyOS_strtoul(str, ptr, base);
    if (u <= static_cast<unsigned long>(LONG_MAX))
        return sign == '-' ? -static_cast<long>(u) : static_cast<long>(u);
    if (sign == '-' && u == 0 - static_cast<unsigned long>(LONG_MIN))
        return LONG_MIN;
    errno = ERANGE;
    return LONG_MAX;
}
