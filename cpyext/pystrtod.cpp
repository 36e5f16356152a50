// PyOS_double_to_string and PyOS_string_to_double: locale-independent
// conversions between double and text. Mirrors Python/pystrtod.c (the
// short-float-repr build) and the parsing rules of _Py_dg_strtod in
// Python/dtoa.c.
//
// Digits: CPython asks _Py_dg_dtoa for a digit string and a decimal point
// position, then lays them out (format_float_short). Here the same digit
// string comes from the exact decimal expansion of the double (glibc prints
// it exactly), rounded half-even like dtoa's modes 2 and 3; mode 0 (repr) is
// the shortest round-tripping string, from std::to_chars.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <locale.h>
#include <string>
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "pystrtod"

namespace {

// dtoa's answer: significant digits without trailing zeros (empty when the
// value rounds to nothing in mode 3), and the decimal point position.
struct Digits {
    std::string digits;
    int decpt = 0;
};

// Digits of "d.ddd...e[+-]N" (a non-zero value), trailing zeros dropped.
Digits from_scientific(const char *text) {
    Digits r;
    const char *p = text;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            r.digits += *p;
    r.decpt = std::atoi(p + 1) + 1;
    while (r.digits.size() > 1 && r.digits.back() == '0')
        r.digits.pop_back();
    return r;
}

// The exact decimal expansion of a finite, non-zero |d|.
Digits exact_digits(double d) {
    char buf[1100];
    std::snprintf(buf, sizeof buf, "%.800e", std::fabs(d));
    return from_scientific(buf);
}

// Round an exact digit string to n significant digits, half-even (dtoa's
// rounding); n <= 0 follows dtoa's "no digits" rule of mode 3.
Digits round_digits(const Digits &x, long n) {
    Digits r;
    if (n < 0 || (n == 0 && !(x.digits[0] > '5' || (x.digits[0] == '5' && x.digits.size() > 1)))) {
        r.decpt = x.decpt - static_cast<int>(n);   // dtoa: decpt = -ndigits
        return r;
    }
    if (n == 0) {   // more than half of the first place: rounds up to one digit
        r.digits = "1";
        r.decpt = x.decpt + 1;
        return r;
    }
    r.decpt = x.decpt;
    if (static_cast<size_t>(n) >= x.digits.size()) {
        r.digits = x.digits;
        return r;
    }
    r.digits = x.digits.substr(0, n);
    char next = x.digits[n];
    bool rest_nonzero = x.digits.size() > static_cast<size_t>(n) + 1;   // trailing zeros stripped
    bool up = next > '5' || (next == '5' && (rest_nonzero || ((r.digits.back() - '0') & 1)));
    if (up) {
        long i = n - 1;
        while (i >= 0 && r.digits[i] == '9')
            r.digits[i--] = '0';
        if (i < 0) {
            r.digits.insert(r.digits.begin(), '1');
            r.decpt++;
        } else {
            r.digits[i]++;
        }
    }
    while (!r.digits.empty() && r.digits.back() == '0')
        r.digits.pop_back();
    return r;
}

// _Py_dg_dtoa(d, mode, ndigits) for a finite d.
Digits dtoa(double d, int mode, int ndigits) {
    if (d == 0) {
        Digits z;
        z.digits = "0";
        z.decpt = 1;
        return z;
    }
    if (mode == 0) {
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
        *res.ptr = 0;
        return from_scientific(buf);
    }
    Digits x = exact_digits(d);
    if (mode == 2)
        return round_digits(x, ndigits < 1 ? 1 : ndigits);
    return round_digits(x, static_cast<long>(x.decpt) + ndigits);   // mode 3
}

char *format_float_short(double d, char format_code, int mode, int precision, bool always_add_sign,
                         bool add_dot_0_if_integer, bool use_alt_formatting, bool no_negative_zero,
                         bool upper, int *type) {
    std::string out;
    bool sign = std::signbit(d);
    if (std::isnan(d) || std::isinf(d)) {
        if (std::isnan(d))
            sign = false;   // the sign of a nan is ignored
        if (sign)
            out += '-';
        else if (always_add_sign)
            out += '+';
        out += std::isnan(d) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        if (type)
            *type = std::isnan(d) ? Py_DTST_NAN : Py_DTST_INFINITE;
    } else {
        Digits dg = dtoa(d, mode, precision);
        const std::string &digits = dg.digits;
        Py_ssize_t digits_len = static_cast<Py_ssize_t>(digits.size());
        Py_ssize_t decpt = dg.decpt;
        if (no_negative_zero && sign && (digits_len == 0 || (digits_len == 1 && digits[0] == '0')))
            sign = false;
        if (type)
            *type = Py_DTST_FINITE;

        bool use_exp = false;
        int exp = 0;
        Py_ssize_t vdigits_end = digits_len;
        switch (format_code) {
        case 'e':
            use_exp = true;
            vdigits_end = precision;
            break;
        case 'f':
            vdigits_end = decpt + precision;
            break;
        case 'g':
            if (decpt <= -4 || decpt > (add_dot_0_if_integer ? precision - 1 : precision))
                use_exp = true;
            if (use_alt_formatting)
                vdigits_end = precision;
            break;
        default:   // 'r'
            if (decpt <= -4 || decpt > 16)
                use_exp = true;
            break;
        }
        if (use_exp) {
            exp = static_cast<int>(decpt) - 1;
            decpt = 1;
        }
        Py_ssize_t vdigits_start = decpt <= 0 ? decpt - 1 : 0;
        if (!use_exp && add_dot_0_if_integer)
            vdigits_end = vdigits_end > decpt ? vdigits_end : decpt + 1;
        else
            vdigits_end = vdigits_end > decpt ? vdigits_end : decpt;

        if (sign)
            out += '-';
        else if (always_add_sign)
            out += '+';
        if (decpt <= 0) {
            out.append(decpt - vdigits_start, '0');
            out += '.';
            out.append(-decpt, '0');
        } else {
            out.append(-vdigits_start, '0');
        }
        if (0 < decpt && decpt <= digits_len) {
            out.append(digits, 0, decpt);
            out += '.';
            out.append(digits, decpt, std::string::npos);
        } else {
            out += digits;
        }
        if (digits_len < decpt) {
            out.append(decpt - digits_len, '0');
            out += '.';
            out.append(vdigits_end - decpt, '0');
        } else {
            out.append(vdigits_end - digits_len, '0');
        }
        if (out.back() == '.' && !use_alt_formatting)
            out.pop_back();
        if (use_exp) {
            char e[16];
            std::snprintf(e, sizeof e, "%c%+.02d", upper ? 'E' : 'e', exp);
            out += e;
        }
    }
    char *buf = static_cast<char *>(PyMem_Malloc(out.size() + 1));
    if (!buf) {
        PyErr_NoMemory();
        return nullptr;
    }
    std::memcpy(buf, out.c_str(), out.size() + 1);
    return buf;
}

bool case_insensitive_match(const char *s, const char *t) {
    for (; *t; s++, t++)
        if ((*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s) != *t)
            return false;
    return true;
}

// _Py_parse_inf_or_nan.
double parse_inf_or_nan(const char *p, const char **endptr) {
    const char *s = p;
    bool negate = false;
    if (*s == '-') {
        negate = true;
        s++;
    } else if (*s == '+') {
        s++;
    }
    double r;
    if (case_insensitive_match(s, "inf")) {
        s += 3;
        if (case_insensitive_match(s, "inity"))
            s += 5;
        r = negate ? -HUGE_VAL : HUGE_VAL;
    } else if (case_insensitive_match(s, "nan")) {
        s += 3;
        r = negate ? -std::nan("") : std::nan("");
    } else {
        s = p;
        r = -1.0;
    }
    *endptr = s;
    return r;
}

// The extent of the number _Py_dg_strtod accepts at s (no leading space, no
// hex, no inf/nan): returns its end, or s when there is none.
const char *scan_decimal(const char *s) {
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    const char *digits_start = p;
    while (*p >= '0' && *p <= '9')
        p++;
    bool any = p != digits_start;
    if (*p == '.') {
        const char *f = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        any = any || p != f;
    }
    if (!any)
        return s;
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '-' || *q == '+')
            q++;
        const char *e = q;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q != e)
            p = q;
    }
    return p;
}

// _PyOS_ascii_strtod: errno is ERANGE on overflow (and underflow).
double ascii_strtod(const char *s, const char **endptr) {
    errno = 0;
    const char *end = scan_decimal(s);
    if (end == s)
        return parse_inf_or_nan(s, endptr);
    static locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
    std::string text(s, end);
    double x;
    if (c_locale) {
        errno = 0;
        x = strtod_l(text.c_str(), nullptr, c_locale);
    } else {
        errno = ENOMEM;
        x = -1.0;
    }
    *endptr = end;
    return x;
}

} // namespace

char *PyOS_double_to_string(double val, char format_code, int precision, int flags, int *type) {
    FERRY_API;
    bool upper = false;
    int mode;
    switch (format_code) {
    case 'E':
        upper = true;
        format_code = 'e';
        [[fallthrough]];
    case 'e':
        mode = 2;
        precision++;
        break;
    case 'F':
        upper = true;
        format_code = 'f';
        [[fallthrough]];
    case 'f':
        mode = 3;
        break;
    case 'G':
        upper = true;
        format_code = 'g';
        [[fallthrough]];
    case 'g':
        mode = 2;
        if (precision == 0)
            precision = 1;
        break;
    case 'r':
        mode = 0;
        if (precision != 0) {
            PyErr_SetString(PyExc_SystemError, "bad argument to internal function");
            return nullptr;
        }
        break;
    default:
        PyErr_SetString(PyExc_SystemError, "bad argument to internal function");
        return nullptr;
    }
    try {
        return format_float_short(val, format_code, mode, precision, flags & Py_DTSF_SIGN,
                                  flags & Py_DTSF_ADD_DOT_0, flags & Py_DTSF_ALT,
                                  flags & Py_DTSF_NO_NEG_0, upper, type);
    } catch (...) {
        PyErr_NoMemory();
        return nullptr;
    }
}

double PyOS_string_to_double(const char *s, char **endptr, PyObject *overflow_exception) {
    FERRY_API;
    double result = -1.0;
    const char *fail_pos = s;
    double x;
    try {
        x = ascii_strtod(s, &fail_pos);
    } catch (...) {
        errno = ENOMEM;
        x = -1.0;
    }
    if (errno == ENOMEM) {
        PyErr_NoMemory();
        fail_pos = s;
    } else if (!endptr && (fail_pos == s || *fail_pos != '\0')) {
        PyErr_Format(PyExc_ValueError, "could not convert string to float: '%.200s'", s);
    } else if (fail_pos == s) {
        PyErr_Format(PyExc_ValueError, "could not convert string to float: '%.200s'", s);
    } else if (errno == ERANGE && std::fabs(x) >= 1.0 && overflow_exception) {
        PyErr_Format(overflow_exception, "value too large to convert to float: '%.200s'", s);
    } else {
        result = x;
    }
    if (endptr)
        *endptr = const_cast<char *>(fail_pos);
    return result;
}
