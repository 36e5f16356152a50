// modsupport.cpp - Py_BuildValue and friends: building Python values from C
// values driven by a format string (the inverse of the PyArg_Parse family).
//
// Mirrors the value-building part of CPython 3.11 Python/modsupport.c: same
// format language, same SystemError messages, and the same rule that every
// "N" argument's reference is consumed even when building fails.
//
// PY_SSIZE_T_CLEAN is deliberately NOT defined: the headers would otherwise
// rename Py_BuildValue/Py_VaBuildValue to their _SizeT twins, and both
// spellings must be exported.  They share one implementation and differ only
// in the kSizeT flag, which decides whether '#' lengths are Py_ssize_t
// (allowed) or int (rejected, as in 3.11).

#include <Python.h>

#include <cstdarg>
#include <cstring>
#include <cwchar>
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "modsupport"

namespace {

constexpr int kSizeT = 1;  // caller compiled with PY_SSIZE_T_CLEAN

bool is_opener(char c) { return c == '(' || c == '[' || c == '{'; }
bool is_closer(char c) { return c == ')' || c == ']' || c == '}'; }

// Characters that separate units without producing a value.
bool is_separator(char c) {
    return c == ':' || c == ',' || c == ' ' || c == '\t';
}

// Number of values at nesting level 0 before `endchar`, or -1 with
// SystemError set if the format ends first.
Py_ssize_t count_format(const char *format, char endchar) {
    Py_ssize_t count = 0;
    int level = 0;
    for (; level > 0 || *format != endchar; ++format) {
        char c = *format;
        if (c == '\0') {
            PyErr_SetString(PyExc_SystemError, "unmatched paren in format");
            return -1;
        }
        if (is_opener(c)) {
            if (level == 0)
                ++count;
            ++level;
        } else if (is_closer(c)) {
            --level;
        } else if (c != '#' && c != '&' && !is_separator(c)) {
            if (level == 0)
                ++count;
        }
    }
    return count;
}

class Builder {
  public:
    Builder(const char *format, va_list *ap, int flags)
        : format_(format), ap_(ap), flags_(flags) {}

    // The whole format: nothing -> None, one value -> that value, several
    // values -> a tuple of them.
    PyObject *build() {
        Py_ssize_t n = count_format(format_, '\0');
        if (n < 0)
            return nullptr;
        if (n == 0)
            Py_RETURN_NONE;
        if (n == 1)
            return build_value();
        return build_tuple('\0', n);
    }

  private:
    PyObject *build_value();
    PyObject *build_tuple(char endchar, Py_ssize_t n);
    PyObject *build_list(char endchar, Py_ssize_t n);
    PyObject *build_dict(char endchar, Py_ssize_t n);
    PyObject *build_text();
    PyObject *build_bytes();
    PyObject *build_wide_text();
    PyObject *build_object(char code);

    bool fetch_length(Py_ssize_t *length);
    bool finish_container(char endchar);
    void discard_values(char endchar, Py_ssize_t n);

    const char *format_;
    va_list *ap_;
    int flags_;
};

// After an error, still walk the remaining `n` units so their varargs are
// consumed and every "N" reference is released; the pending exception is
// kept across the walk.
void Builder::discard_values(char endchar, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; ++i) {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        PyObject *item = build_value();
        PyErr_Restore(type, value, traceback);
        Py_XDECREF(item);
    }
    if (*format_ != endchar) {
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return;
    }
    if (endchar != '\0')
        ++format_;
}

// Consume the closing character of a container; false with SystemError set
// if the format has extra values before it.
bool Builder::finish_container(char endchar) {
    if (*format_ != endchar) {
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return false;
    }
    if (endchar != '\0')
        ++format_;
    return true;
}

PyObject *Builder::build_tuple(char endchar, Py_ssize_t n) {
    if (n < 0)
        return nullptr;
    PyObject *tuple = PyTuple_New(n);
    if (tuple == nullptr) {
        discard_values(endchar, n);
        return nullptr;
    }
    for (Py_ssize_t i = 0; i < n; ++i) {
        PyObject *item = build_value();
        if (item == nullptr) {
            discard_values(endchar, n - i - 1);
            Py_DECREF(tuple);
            return nullptr;
        }
        PyTuple_SET_ITEM(tuple, i, item);
    }
    if (!finish_container(endchar)) {
        Py_DECREF(tuple);
        return nullptr;
    }
    return tuple;
}

PyObject *Builder::build_list(char endchar, Py_ssize_t n) {
    if (n < 0)
        return nullptr;
    PyObject *list = PyList_New(n);
    if (list == nullptr) {
        discard_values(endchar, n);
        return nullptr;
    }
    for (Py_ssize_t i = 0; i < n; ++i) {
        PyObject *item = build_value();
        if (item == nullptr) {
            discard_values(endchar, n - i - 1);
            Py_DECREF(list);
            return nullptr;
        }
        PyList_SET_ITEM(list, i, item);
    }
    if (!finish_container(endchar)) {
        Py_DECREF(list);
        return nullptr;
    }
    return list;
}

PyObject *Builder::build_dict(char endchar, Py_ssize_t n) {
    if (n < 0)
        return nullptr;
    if (n % 2 != 0) {
        PyErr_SetString(PyExc_SystemError, "Bad dict format");
        discard_values(endchar, n);
        return nullptr;
    }
    PyObject *dict = PyDict_New();
    if (dict == nullptr) {
        discard_values(endchar, n);
        return nullptr;
    }
    for (Py_ssize_t i = 0; i < n; i += 2) {
        PyObject *key = build_value();
        if (key == nullptr) {
            discard_values(endchar, n - i - 1);
            Py_DECREF(dict);
            return nullptr;
        }
        PyObject *value = build_value();
        if (value == nullptr || PyDict_SetItem(dict, key, value) < 0) {
            discard_values(endchar, n - i - 2);
            Py_DECREF(key);
            Py_XDECREF(value);
            Py_DECREF(dict);
            return nullptr;
        }
        Py_DECREF(key);
        Py_DECREF(value);
    }
    if (!finish_container(endchar)) {
        Py_DECREF(dict);
        return nullptr;
    }
    return dict;
}

// Optional '#' length after a pointer unit: -1 when absent.  Without
// PY_SSIZE_T_CLEAN the length is an int, which 3.11 refuses (after
// consuming it, so the varargs stay in step).
bool Builder::fetch_length(Py_ssize_t *length) {
    *length = -1;
    if (*format_ != '#')
        return true;
    ++format_;
    if (flags_ & kSizeT) {
        *length = va_arg(*ap_, Py_ssize_t);
        return true;
    }
    (void)va_arg(*ap_, int);
    PyErr_SetString(PyExc_SystemError,
                    "PY_SSIZE_T_CLEAN macro must be defined for '#' formats");
    return false;
}

// "s", "z", "U" (+ '#'): UTF-8 C string -> str; NULL -> None.
PyObject *Builder::build_text() {
    const char *str = va_arg(*ap_, const char *);
    Py_ssize_t length;
    if (!fetch_length(&length))
        return nullptr;
    if (str == nullptr)
        Py_RETURN_NONE;
    if (length < 0) {
        size_t measured = std::strlen(str);
        if (measured > static_cast<size_t>(PY_SSIZE_T_MAX)) {
            PyErr_SetString(PyExc_OverflowError,
                            "string too long for Python string");
            return nullptr;
        }
        length = static_cast<Py_ssize_t>(measured);
    }
    return PyUnicode_FromStringAndSize(str, length);
}

// "y" (+ '#'): C bytes -> bytes; NULL -> None.
PyObject *Builder::build_bytes() {
    const char *str = va_arg(*ap_, const char *);
    Py_ssize_t length;
    if (!fetch_length(&length))
        return nullptr;
    if (str == nullptr)
        Py_RETURN_NONE;
    if (length < 0) {
        size_t measured = std::strlen(str);
        if (measured > static_cast<size_t>(PY_SSIZE_T_MAX)) {
            PyErr_SetString(PyExc_OverflowError,
                            "string too long for Python bytes");
            return nullptr;
        }
        length = static_cast<Py_ssize_t>(measured);
    }
    return PyBytes_FromStringAndSize(str, length);
}

// "u" (+ '#'): Py_UNICODE (wchar_t) string -> str; NULL -> None.
PyObject *Builder::build_wide_text() {
    const wchar_t *str = va_arg(*ap_, const wchar_t *);
    Py_ssize_t length;
    if (!fetch_length(&length))
        return nullptr;
    if (str == nullptr)
        Py_RETURN_NONE;
    if (length < 0)
        length = static_cast<Py_ssize_t>(std::wcslen(str));
    return PyUnicode_FromWideChar(str, length);
}

// "O"/"S" (new reference), "N" (steals the reference), or any of them with
// '&': a converter `PyObject *f(void *)` applied to the next argument.
PyObject *Builder::build_object(char code) {
    if (*format_ == '&') {
        using ConverterFunc = PyObject *(*)(void *);
        ConverterFunc convert = va_arg(*ap_, ConverterFunc);
        void *argument = va_arg(*ap_, void *);
        ++format_;
        return convert(argument);
    }
    PyObject *obj = va_arg(*ap_, PyObject *);
    if (obj != nullptr) {
        if (code != 'N')
            Py_INCREF(obj);
    } else if (!PyErr_Occurred()) {
        // A NULL that comes with an exception is a failed constructor call
        // in the argument list and is simply propagated.
        PyErr_SetString(PyExc_SystemError,
                        "NULL object passed to Py_BuildValue");
    }
    return obj;
}

// One value; separators before it are skipped.
PyObject *Builder::build_value() {
    for (;;) {
        char code = *format_++;
        switch (code) {
        case '(':
            return build_tuple(')', count_format(format_, ')'));
        case '[':
            return build_list(']', count_format(format_, ']'));
        case '{':
            return build_dict('}', count_format(format_, '}'));

        // Integer units; types narrower than int arrive promoted to int.
        case 'b': case 'B': case 'h': case 'i':
            return PyLong_FromLong(va_arg(*ap_, int));
        case 'H':
            return PyLong_FromLong(va_arg(*ap_, unsigned int));
        case 'I':
            return PyLong_FromUnsignedLong(va_arg(*ap_, unsigned int));
        case 'n':
            return PyLong_FromSsize_t(va_arg(*ap_, Py_ssize_t));
        case 'l':
            return PyLong_FromLong(va_arg(*ap_, long));
        case 'k':
            return PyLong_FromUnsignedLong(va_arg(*ap_, unsigned long));
        case 'L':
            return PyLong_FromLongLong(va_arg(*ap_, long long));
        case 'K':
            return PyLong_FromUnsignedLongLong(
                va_arg(*ap_, unsigned long long));

        // float arrives promoted to double.
        case 'f': case 'd':
            return PyFloat_FromDouble(va_arg(*ap_, double));
        case 'D':
            return PyComplex_FromCComplex(*va_arg(*ap_, Py_complex *));

        case 'c': {
            char byte = static_cast<char>(va_arg(*ap_, int));
            return PyBytes_FromStringAndSize(&byte, 1);
        }
        case 'C':
            return PyUnicode_FromOrdinal(va_arg(*ap_, int));

        case 's': case 'z': case 'U':
            return build_text();
        case 'y':
            return build_bytes();
        case 'u':
            return build_wide_text();

        case 'N': case 'S': case 'O':
            return build_object(code);

        case ':': case ',': case ' ': case '\t':
            continue;

        default:
            PyErr_SetString(PyExc_SystemError,
                            "bad format char passed to Py_BuildValue");
            return nullptr;
        }
    }
}

// va_list may be an array type, so always work on an owned copy whose
// address can be passed down.
PyObject *build_from(const char *format, va_list va, int flags) {
    va_list copy;
    va_copy(copy, va);
    PyObject *result = Builder(format, &copy, flags).build();
    va_end(copy);
    return result;
}

}  // namespace

extern "C" {

PyObject *Py_BuildValue(const char *format, ...) {
    FERRY_API;
    va_list va;
    va_start(va, format);
    PyObject *result = build_from(format, va, 0);
    va_end(va);
    return result;
}

PyObject *_Py_BuildValue_SizeT(const char *format, ...) {
    FERRY_API;
    va_list va;
    va_start(va, format);
    PyObject *result = build_from(format, va, kSizeT);
    va_end(va);
    return result;
}

PyObject *Py_VaBuildValue(const char *format, va_list va) {
    FERRY_API;
    return build_from(format, va, 0);
}

PyObject *_Py_VaBuildValue_SizeT(const char *format, va_list va) {
    FERRY_API;
    return build_from(format, va, kSizeT);
}

}  // extern "C"
