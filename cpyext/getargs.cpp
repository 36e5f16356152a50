// getargs.cpp - the PyArg_Parse* family: converting Python call arguments
// (a tuple, optionally with a keyword dict) into C values driven by a format
// string, plus the small argument-checking helpers extensions link against.
//
// Mirrors CPython 3.11 Python/getargs.c: same format language, same error
// types and messages, same cleanup-on-failure protocol (Py_CLEANUP_SUPPORTED).
// The Argument Clinic fast paths (_PyArg_Parser) are not implemented here.
//
// PY_SSIZE_T_CLEAN is deliberately NOT defined: the headers would otherwise
// rename PyArg_ParseTuple & co. to their _SizeT twins, and both spellings
// must be exported.  The two spellings share one implementation and differ
// only in the kSizeT flag, which decides whether '#' formats are allowed.

#include <Python.h>

#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <cwchar>

// The _SizeT entry points are what extensions built with PY_SSIZE_T_CLEAN
// call; the headers only declare them when that macro is defined, so declare
// them here (with export visibility) ourselves.
extern "C" {
PyAPI_FUNC(int) _PyArg_Parse_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(int) _PyArg_ParseTuple_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(int) _PyArg_VaParse_SizeT(PyObject *, const char *, va_list);
PyAPI_FUNC(int) _PyArg_ParseTupleAndKeywords_SizeT(PyObject *, PyObject *,
                                                   const char *, char **, ...);
PyAPI_FUNC(int) _PyArg_VaParseTupleAndKeywords_SizeT(PyObject *, PyObject *,
                                                     const char *, char **,
                                                     va_list);
}

namespace ferry {
bool buffer_needs_release(PyObject *o);   // buffer.cpp
}

namespace {

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

// Behaviour flags shared by all entry points.
constexpr int kCompat = 1;  // PyArg_Parse: "args" is the single value itself
constexpr int kSizeT = 2;   // caller compiled with PY_SSIZE_T_CLEAN

constexpr int kMaxLevels = 32;   // capacity of the "item N" path in messages
constexpr int kMaxNesting = 30;  // CPython's limit on '(' nesting

constexpr const char kNeedSsizeTClean[] =
    "PY_SSIZE_T_CLEAN macro must be defined for '#' formats";

// Locale-independent ASCII test, as Py_ISALPHA (avoids the private table).
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_end_of_format(char c) { return c == '\0' || c == ':' || c == ';'; }

const char *type_name_for_message(PyObject *obj) {
    return obj == Py_None ? "None" : Py_TYPE(obj)->tp_name;
}

// The "f()"-style prefix used by count errors: "function" when the format
// carries no ":name" part, otherwise "name()".
struct FuncName {
    const char *fname;
    const char *name(const char *fallback = "function") const {
        return fname ? fname : fallback;
    }
    const char *parens() const { return fname ? "()" : ""; }
};

// Fixed-size, truncating string builder (no allocation, cannot throw).
class MessageBuilder {
  public:
    void append(const char *fmt, ...) {
        if (len_ >= sizeof(buf_) - 1)
            return;
        va_list ap;
        va_start(ap, fmt);
        int n = std::vsnprintf(buf_ + len_, sizeof(buf_) - len_, fmt, ap);
        va_end(ap);
        if (n > 0)
            len_ = std::strlen(buf_);
    }
    size_t length() const { return len_; }
    const char *str() const { return buf_; }

  private:
    char buf_[512] = {};
    size_t len_ = 0;
};

// ---------------------------------------------------------------------------
// Cleanup list: things a successful conversion acquired (buffers, memory,
// converter state) that must be released if a *later* conversion fails.
// ---------------------------------------------------------------------------

using Destructor = int (*)(PyObject *, void *);

int release_buffer(PyObject *, void *item) {
    PyBuffer_Release(static_cast<Py_buffer *>(item));
    return 0;
}

// The item is the caller's char** slot, so the caller is also left with NULL
// rather than a dangling pointer (as in 3.11.1+, gh-99240).
int free_allocated_string(PyObject *, void *item) {
    char **slot = static_cast<char **>(item);
    PyMem_Free(*slot);
    *slot = nullptr;
    return 0;
}

class CleanupList {
  public:
    CleanupList() = default;
    CleanupList(const CleanupList &) = delete;
    CleanupList &operator=(const CleanupList &) = delete;
    ~CleanupList() {
        if (entries_ != inline_)
            PyMem_Free(entries_);
    }

    // Every format unit registers at most one entry and consumes at least
    // one letter of the format, so the letter count bounds the capacity and
    // add() never needs to grow.  Returns false with MemoryError set.
    bool reserve_for(const char *format) {
        size_t units = 0;
        for (const char *f = format; !is_end_of_format(*f); ++f)
            units += is_alpha(*f);
        if (units <= kInlineEntries)
            return true;
        entries_ = PyMem_New(Entry, units);
        if (entries_ == nullptr) {
            entries_ = inline_;
            PyErr_NoMemory();
            return false;
        }
        return true;
    }

    void add(void *item, Destructor destructor) {
        entries_[size_++] = Entry{item, destructor};
    }

    // Called once when the overall parse fails; converters get a NULL object
    // to tell them "release what you produced".
    void release_all() {
        for (size_t i = 0; i < size_; ++i)
            entries_[i].destructor(nullptr, entries_[i].item);
        size_ = 0;
    }

  private:
    struct Entry {
        void *item;
        Destructor destructor;
    };
    static constexpr size_t kInlineEntries = 8;
    Entry inline_[kInlineEntries];
    Entry *entries_ = inline_;
    size_t size_ = 0;
};

// ---------------------------------------------------------------------------
// Converter: turns one Python object into C values per one format unit.
//
// Every convert_* returns nullptr on success.  On failure it returns a
// message: either "must be X, not Y" text to be wrapped with the argument
// position, or any non-null pointer with a Python exception already set
// (report_failure() then keeps that exception).  Messages starting with '('
// denote misuse by the C caller and become SystemError.
// ---------------------------------------------------------------------------

class Converter {
  public:
    Converter(va_list *ap, int flags, CleanupList &cleanup)
        : ap_(ap), flags_(flags), cleanup_(cleanup) {
        msgbuf_[0] = '\0';
    }

    // levels: kMaxLevels ints; receives the failing item path (1-based,
    // 0-terminated).  depth: how many tuple levels enclose `arg`.
    const char *convert_item(PyObject *arg, const char **p_format,
                             int *levels, int depth = 0);

  private:
    const char *convert_tuple(PyObject *arg, const char **p_format,
                              int *levels, int depth);
    const char *convert_simple(PyObject *arg, const char **p_format);

    const char *convert_integer(char code, PyObject *arg);
    const char *convert_floating(char code, PyObject *arg);
    const char *convert_char(PyObject *arg);
    const char *convert_unicode_char(PyObject *arg);
    const char *convert_predicate(PyObject *arg);
    const char *convert_bytes_like(PyObject *arg, const char **p_format);
    const char *convert_text(char code, PyObject *arg, const char **p_format);
    const char *convert_wide_text(char code, PyObject *arg,
                                  const char **p_format);
    const char *convert_encoded(PyObject *arg, const char **p_format);
    const char *convert_typed_object(char code, PyObject *arg);
    const char *convert_object(PyObject *arg, const char **p_format);
    const char *convert_writable_buffer(PyObject *arg, const char **p_format);

    const char *store_encoded(PyObject *arg, char **buffer, const char *data,
                              Py_ssize_t size, const char **p_format);

    // The '#' length slot; fails when the caller lacks PY_SSIZE_T_CLEAN.
    bool fetch_size_slot(Py_ssize_t **slot);

    const char *fail_expected(const char *expected, PyObject *arg);
    const char *fail_raised() { return msgbuf_; }
    const char *fail_overflow(const char *message) {
        PyErr_SetString(PyExc_OverflowError, message);
        return fail_raised();
    }

    va_list *ap_;
    int flags_;
    CleanupList &cleanup_;
    char msgbuf_[512];   // written only on failure (not zeroed: every call makes a Converter)
};

const char *Converter::fail_expected(const char *expected, PyObject *arg) {
    if (expected[0] == '(')
        std::snprintf(msgbuf_, sizeof msgbuf_, "%.100s", expected);
    else
        std::snprintf(msgbuf_, sizeof msgbuf_, "must be %.50s, not %.50s",
                      expected, type_name_for_message(arg));
    return msgbuf_;
}

bool Converter::fetch_size_slot(Py_ssize_t **slot) {
    if (!(flags_ & kSizeT)) {
        PyErr_SetString(PyExc_SystemError, kNeedSsizeTClean);
        return false;
    }
    *slot = va_arg(*ap_, Py_ssize_t *);
    return true;
}

// Record one step of the failing item path.  Nesting is unbounded, but the
// path is only kept to kMaxLevels - 1 steps so the last slot stays 0 and
// terminates it (messages stop listing items at ~220 characters anyway).
void record_level(int *levels, int depth, int value) {
    if (depth < kMaxLevels - 1)
        levels[depth] = value;
}

// A plain unit, or a parenthesised group matched against a sequence.
const char *Converter::convert_item(PyObject *arg, const char **p_format,
                                    int *levels, int depth) {
    const char *format = *p_format;
    const char *msg;
    if (*format == '(') {
        ++format;
        msg = convert_tuple(arg, &format, levels, depth);
        if (msg == nullptr)
            ++format;  // step over the closing ')'
    } else {
        msg = convert_simple(arg, &format);
        if (msg != nullptr)
            record_level(levels, depth, 0);
    }
    if (msg == nullptr)
        *p_format = format;
    return msg;
}

// *p_format points just after '('; on success it is left on the ')'.
const char *Converter::convert_tuple(PyObject *arg, const char **p_format,
                                     int *levels, int depth) {
    // Count the items of this group.  Like 3.11, every letter at this level
    // counts (so "es" counts twice).
    int n = 0;
    int level = 0;
    for (const char *f = *p_format;; ++f) {
        char c = *f;
        if (c == '(') {
            if (level == 0)
                ++n;
            ++level;
        } else if (c == ')') {
            if (level == 0)
                break;
            --level;
        } else if (is_end_of_format(c)) {
            break;
        } else if (level == 0 && is_alpha(c)) {
            ++n;
        }
    }

    // Any sequence but bytes is accepted (str included, as in 3.11).
    if (!PySequence_Check(arg) || PyBytes_Check(arg)) {
        record_level(levels, depth, 0);
        std::snprintf(msgbuf_, sizeof msgbuf_,
                      "must be %d-item sequence, not %.50s", n,
                      type_name_for_message(arg));
        return msgbuf_;
    }
    Py_ssize_t len = PySequence_Size(arg);
    if (len != n) {
        record_level(levels, depth, 0);
        std::snprintf(msgbuf_, sizeof msgbuf_,
                      "must be sequence of length %d, not %zd", n, len);
        return msgbuf_;
    }

    const char *format = *p_format;
    for (int i = 0; i < n; ++i) {
        PyObject *item = PySequence_GetItem(arg, i);
        if (item == nullptr) {
            PyErr_Clear();
            record_level(levels, depth, i + 1);
            record_level(levels, depth + 1, 0);
            std::snprintf(msgbuf_, sizeof msgbuf_, "is not retrievable");
            return msgbuf_;
        }
        const char *msg = convert_item(item, &format, levels, depth + 1);
        // Borrowed pointers handed out (e.g. by "O" or "s") stay valid
        // because the sequence still owns the item.
        Py_DECREF(item);
        if (msg != nullptr) {
            record_level(levels, depth, i + 1);
            return msg;
        }
    }
    *p_format = format;
    return nullptr;
}

const char *Converter::convert_simple(PyObject *arg, const char **p_format) {
    const char *format = *p_format;
    char code = *format++;
    const char *msg;
    switch (code) {
    case 'b': case 'B': case 'h': case 'H': case 'i': case 'I':
    case 'n': case 'l': case 'k': case 'L': case 'K':
        msg = convert_integer(code, arg);
        break;
    case 'f': case 'd': case 'D':
        msg = convert_floating(code, arg);
        break;
    case 'c':
        msg = convert_char(arg);
        break;
    case 'C':
        msg = convert_unicode_char(arg);
        break;
    case 'p':
        msg = convert_predicate(arg);
        break;
    case 'y':
        msg = convert_bytes_like(arg, &format);
        break;
    case 's': case 'z':
        msg = convert_text(code, arg, &format);
        break;
    case 'u': case 'Z':
        msg = convert_wide_text(code, arg, &format);
        break;
    case 'e':
        msg = convert_encoded(arg, &format);
        break;
    case 'S': case 'Y': case 'U':
        msg = convert_typed_object(code, arg);
        break;
    case 'O':
        msg = convert_object(arg, &format);
        break;
    case 'w':
        msg = convert_writable_buffer(arg, &format);
        break;
    default:
        msg = fail_expected("(impossible<bad format char>)", arg);
        break;
    }
    if (msg == nullptr)
        *p_format = format;
    return msg;
}

// Range-checked conversions report OverflowError; the "bitfield" codes
// (B H I k K) silently truncate; k and K additionally insist on a real int.
const char *Converter::convert_integer(char code, PyObject *arg) {
    switch (code) {
    case 'b': {
        char *out = va_arg(*ap_, char *);
        long v = PyLong_AsLong(arg);
        if (v == -1 && PyErr_Occurred())
            return fail_raised();
        if (v < 0)
            return fail_overflow("unsigned byte integer is less than minimum");
        if (v > UCHAR_MAX)
            return fail_overflow(
                "unsigned byte integer is greater than maximum");
        *out = static_cast<char>(static_cast<unsigned char>(v));
        return nullptr;
    }
    case 'h': {
        short *out = va_arg(*ap_, short *);
        long v = PyLong_AsLong(arg);
        if (v == -1 && PyErr_Occurred())
            return fail_raised();
        if (v < SHRT_MIN)
            return fail_overflow("signed short integer is less than minimum");
        if (v > SHRT_MAX)
            return fail_overflow(
                "signed short integer is greater than maximum");
        *out = static_cast<short>(v);
        return nullptr;
    }
    case 'i': {
        int *out = va_arg(*ap_, int *);
        long v = PyLong_AsLong(arg);
        if (v == -1 && PyErr_Occurred())
            return fail_raised();
        if (v > INT_MAX)
            return fail_overflow("signed integer is greater than maximum");
        if (v < INT_MIN)
            return fail_overflow("signed integer is less than minimum");
        *out = static_cast<int>(v);
        return nullptr;
    }
    case 'l': {
        long *out = va_arg(*ap_, long *);
        long v = PyLong_AsLong(arg);
        if (v == -1 && PyErr_Occurred())
            return fail_raised();
        *out = v;
        return nullptr;
    }
    case 'L': {
        long long *out = va_arg(*ap_, long long *);
        long long v = PyLong_AsLongLong(arg);
        if (v == -1 && PyErr_Occurred())
            return fail_raised();
        *out = v;
        return nullptr;
    }
    case 'n': {
        Py_ssize_t *out = va_arg(*ap_, Py_ssize_t *);
        Py_ssize_t v = -1;
        PyObject *index = PyNumber_Index(arg);
        if (index != nullptr) {
            v = PyLong_AsSsize_t(index);
            Py_DECREF(index);
        }
        if (v == -1 && PyErr_Occurred())
            return fail_raised();
        *out = v;
        return nullptr;
    }
    case 'B': case 'H': case 'I': {
        void *out = va_arg(*ap_, void *);
        unsigned long v = PyLong_AsUnsignedLongMask(arg);
        if (v == static_cast<unsigned long>(-1) && PyErr_Occurred())
            return fail_raised();
        if (code == 'B')
            *static_cast<unsigned char *>(out) = static_cast<unsigned char>(v);
        else if (code == 'H')
            *static_cast<unsigned short *>(out) =
                static_cast<unsigned short>(v);
        else
            *static_cast<unsigned int *>(out) = static_cast<unsigned int>(v);
        return nullptr;
    }
    case 'k': {
        unsigned long *out = va_arg(*ap_, unsigned long *);
        if (!PyLong_Check(arg))
            return fail_expected("int", arg);
        *out = PyLong_AsUnsignedLongMask(arg);
        return nullptr;
    }
    default: {  // 'K'
        unsigned long long *out = va_arg(*ap_, unsigned long long *);
        if (!PyLong_Check(arg))
            return fail_expected("int", arg);
        *out = PyLong_AsUnsignedLongLongMask(arg);
        return nullptr;
    }
    }
}

const char *Converter::convert_floating(char code, PyObject *arg) {
    if (code == 'D') {
        Py_complex *out = va_arg(*ap_, Py_complex *);
        Py_complex v = PyComplex_AsCComplex(arg);
        if (PyErr_Occurred())
            return fail_raised();
        *out = v;
        return nullptr;
    }
    void *out = va_arg(*ap_, void *);
    double v = PyFloat_AsDouble(arg);
    if (v == -1.0 && PyErr_Occurred())
        return fail_raised();
    if (code == 'f')
        *static_cast<float *>(out) = static_cast<float>(v);
    else
        *static_cast<double *>(out) = v;
    return nullptr;
}

const char *Converter::convert_char(PyObject *arg) {
    char *out = va_arg(*ap_, char *);
    if (PyBytes_Check(arg) && PyBytes_Size(arg) == 1)
        *out = PyBytes_AS_STRING(arg)[0];
    else if (PyByteArray_Check(arg) && PyByteArray_Size(arg) == 1)
        *out = PyByteArray_AsString(arg)[0];
    else
        return fail_expected("a byte string of length 1", arg);
    return nullptr;
}

const char *Converter::convert_unicode_char(PyObject *arg) {
    int *out = va_arg(*ap_, int *);
    if (!PyUnicode_Check(arg))
        return fail_expected("a unicode character", arg);
    // PyUnicode_GetLength also readies legacy strings (may fail).
    Py_ssize_t len = PyUnicode_GetLength(arg);
    if (len < 0)
        return fail_raised();
    if (len != 1)
        return fail_expected("a unicode character", arg);
    *out = static_cast<int>(PyUnicode_ReadChar(arg, 0));
    return nullptr;
}

const char *Converter::convert_predicate(PyObject *arg) {
    int *out = va_arg(*ap_, int *);
    int truth = PyObject_IsTrue(arg);
    if (truth < 0)
        return fail_raised();
    *out = truth ? 1 : 0;
    return nullptr;
}

// A C-contiguous buffer export; *errmsg gets the "expected" text on failure
// (the exporter's own exception, if any, is deliberately left set).
bool get_contiguous_buffer(PyObject *arg, Py_buffer *view,
                           const char **errmsg) {
    if (PyObject_GetBuffer(arg, view, PyBUF_SIMPLE) != 0) {
        *errmsg = "bytes-like object";
        return false;
    }
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyBuffer_Release(view);
        *errmsg = "contiguous buffer";
        return false;
    }
    return true;
}

// Borrow a raw pointer into a *read-only* buffer.  The buffer is released
// immediately, so exporters that need a release hook (whose memory could
// move, e.g. bytearray) are refused.  Returns the length or -1.
Py_ssize_t borrow_readonly_buffer(PyObject *arg, const void **data,
                                  const char **errmsg) {
    *data = nullptr;
    // CPython refuses exporters with bf_releasebuffer; here that is also
    // bytearray (released buffers sync to the host) and host-backed
    // exporters (memoryview, array, ...: a copy freed on release).
    if (ferry::buffer_needs_release(arg)) {
        *errmsg = "read-only bytes-like object";
        return -1;
    }
    Py_buffer view;
    if (!get_contiguous_buffer(arg, &view, errmsg))
        return -1;
    *data = view.buf;
    Py_ssize_t len = view.len;
    PyBuffer_Release(&view);
    return len;
}

// "y", "y#", "y*": bytes-like objects only (never str).
const char *Converter::convert_bytes_like(PyObject *arg,
                                          const char **p_format) {
    void *out = va_arg(*ap_, void *);
    const char *errmsg = nullptr;
    if (**p_format == '*') {
        Py_buffer *view = static_cast<Py_buffer *>(out);
        if (!get_contiguous_buffer(arg, view, &errmsg))
            return fail_expected(errmsg, arg);
        ++*p_format;
        cleanup_.add(view, release_buffer);
        return nullptr;
    }
    const void **data = static_cast<const void **>(out);
    Py_ssize_t count = borrow_readonly_buffer(arg, data, &errmsg);
    if (count < 0)
        return fail_expected(errmsg, arg);
    if (**p_format == '#') {
        Py_ssize_t *size_slot;
        if (!fetch_size_slot(&size_slot))
            return fail_raised();
        *size_slot = count;
        ++*p_format;
    } else if (std::strlen(static_cast<const char *>(*data)) !=
               static_cast<size_t>(count)) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return fail_raised();
    }
    return nullptr;
}

// "s", "s#", "s*" and the None-accepting "z" variants: str is encoded as
// UTF-8 (cached on the object); the '#' and '*' forms also take bytes-likes.
const char *Converter::convert_text(char code, PyObject *arg,
                                    const char **p_format) {
    const bool none_ok = (code == 'z' && arg == Py_None);
    const char *errmsg = nullptr;

    if (**p_format == '*') {
        Py_buffer *view = va_arg(*ap_, Py_buffer *);
        if (none_ok) {
            PyBuffer_FillInfo(view, nullptr, nullptr, 0, 1, 0);
        } else if (PyUnicode_Check(arg)) {
            Py_ssize_t len;
            const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &len);
            if (utf8 == nullptr)
                return fail_expected("(unicode conversion error)", arg);
            PyBuffer_FillInfo(view, arg, const_cast<char *>(utf8), len, 1, 0);
        } else if (!get_contiguous_buffer(arg, view, &errmsg)) {
            return fail_expected(errmsg, arg);
        }
        cleanup_.add(view, release_buffer);
        ++*p_format;
        return nullptr;
    }

    if (**p_format == '#') {
        const void **data = va_arg(*ap_, const void **);
        Py_ssize_t *size_slot;
        if (!fetch_size_slot(&size_slot))
            return fail_raised();
        if (none_ok) {
            *data = nullptr;
            *size_slot = 0;
        } else if (PyUnicode_Check(arg)) {
            Py_ssize_t len;
            const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &len);
            if (utf8 == nullptr)
                return fail_expected("(unicode conversion error)", arg);
            *data = utf8;
            *size_slot = len;
        } else {
            Py_ssize_t count = borrow_readonly_buffer(arg, data, &errmsg);
            if (count < 0)
                return fail_expected(errmsg, arg);
            *size_slot = count;
        }
        ++*p_format;
        return nullptr;
    }

    const char **out = va_arg(*ap_, const char **);
    if (none_ok) {
        *out = nullptr;
        return nullptr;
    }
    if (!PyUnicode_Check(arg))
        return fail_expected(code == 'z' ? "str or None" : "str", arg);
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &len);
    if (utf8 == nullptr)
        return fail_expected("(unicode conversion error)", arg);
    if (std::strlen(utf8) != static_cast<size_t>(len)) {
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return fail_raised();
    }
    *out = utf8;
    return nullptr;
}

// "u", "u#", "Z", "Z#": deprecated Py_UNICODE (wchar_t) views of a str.
const char *Converter::convert_wide_text(char code, PyObject *arg,
                                         const char **p_format) {
    if (PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                         "getargs: The '%c' format is deprecated. "
                         "Use 'U' instead.",
                         code) < 0)
        return fail_raised();

    const bool none_ok = (code == 'Z' && arg == Py_None);
    const char *expected = (code == 'Z') ? "str or None" : "str";
    wchar_t **out = va_arg(*ap_, wchar_t **);

    Py_ssize_t *size_slot = nullptr;
    const bool with_size = (**p_format == '#');
    if (with_size && !fetch_size_slot(&size_slot))
        return fail_raised();

    if (none_ok) {
        *out = nullptr;
        if (with_size)
            *size_slot = 0;
    } else if (PyUnicode_Check(arg)) {
        Py_ssize_t len;
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
        *out = PyUnicode_AsUnicodeAndSize(arg, &len);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
        if (*out == nullptr)
            return fail_raised();
        if (with_size) {
            *size_slot = len;
        } else if (std::wcslen(*out) != static_cast<size_t>(len)) {
            PyErr_SetString(PyExc_ValueError, "embedded null character");
            return fail_raised();
        }
    } else {
        return fail_expected(expected, arg);
    }
    if (with_size)
        ++*p_format;
    return nullptr;
}

// "es", "et", "es#", "et#": encode into a caller-provided or newly
// PyMem-allocated, NUL-terminated buffer.  "et" passes bytes/bytearray
// through unchanged instead of requiring str.
const char *Converter::convert_encoded(PyObject *arg, const char **p_format) {
    const char *encoding = va_arg(*ap_, const char *);
    if (encoding == nullptr)
        encoding = PyUnicode_GetDefaultEncoding();

    const char marker = **p_format;
    if (marker != 's' && marker != 't')
        return fail_expected("(unknown parser marker combination)", arg);
    const bool recode_strings = (marker == 's');
    char **buffer = va_arg(*ap_, char **);
    ++*p_format;
    if (buffer == nullptr)
        return fail_expected("(buffer is NULL)", arg);

    PyObject *encoded;  // owns the bytes we copy from
    const char *data;
    Py_ssize_t size;
    if (!recode_strings && (PyBytes_Check(arg) || PyByteArray_Check(arg))) {
        encoded = arg;
        Py_INCREF(encoded);
        if (PyBytes_Check(arg)) {
            data = PyBytes_AS_STRING(arg);
            size = PyBytes_GET_SIZE(arg);
        } else {
            data = PyByteArray_AsString(arg);
            size = PyByteArray_Size(arg);
        }
    } else if (PyUnicode_Check(arg)) {
        encoded = PyUnicode_AsEncodedString(arg, encoding, nullptr);
        if (encoded == nullptr)
            return fail_expected("(encoding failed)", arg);
        data = PyBytes_AS_STRING(encoded);
        size = PyBytes_GET_SIZE(encoded);
    } else {
        return fail_expected(
            recode_strings ? "str" : "str, bytes or bytearray", arg);
    }

    const char *msg = store_encoded(arg, buffer, data, size, p_format);
    Py_DECREF(encoded);
    return msg;
}

// Copy size+1 bytes (data is NUL-terminated) into *buffer per the "es"/"es#"
// rules; allocations are registered for release on failure.
const char *Converter::store_encoded(PyObject *arg, char **buffer,
                                     const char *data, Py_ssize_t size,
                                     const char **p_format) {
    if (**p_format == '#') {
        Py_ssize_t *size_slot;
        if (!fetch_size_slot(&size_slot))
            return fail_raised();
        ++*p_format;
        if (size_slot == nullptr)
            return fail_expected("(buffer_len is NULL)", arg);
        if (*buffer == nullptr) {
            // No buffer supplied: allocate one the caller must PyMem_Free.
            *buffer = PyMem_New(char, size + 1);
            if (*buffer == nullptr) {
                PyErr_NoMemory();
                return fail_raised();
            }
            cleanup_.add(buffer, free_allocated_string);
        } else if (size + 1 > *size_slot) {
            // Caller's buffer: *size_slot is its capacity on input.
            PyErr_Format(PyExc_ValueError,
                         "encoded string too long (%zd, maximum length %zd)",
                         size, *size_slot - 1);
            return fail_raised();
        }
        std::memcpy(*buffer, data, static_cast<size_t>(size) + 1);
        *size_slot = size;
        return nullptr;
    }

    // Without a length the result must survive as a C string.
    if (static_cast<Py_ssize_t>(std::strlen(data)) != size)
        return fail_expected("encoded string without null bytes", arg);
    *buffer = PyMem_New(char, size + 1);
    if (*buffer == nullptr) {
        PyErr_NoMemory();
        return fail_raised();
    }
    cleanup_.add(buffer, free_allocated_string);
    std::memcpy(*buffer, data, static_cast<size_t>(size) + 1);
    return nullptr;
}

// "S", "Y", "U": the object itself (borrowed), after an exact-family check.
const char *Converter::convert_typed_object(char code, PyObject *arg) {
    PyObject **out = va_arg(*ap_, PyObject **);
    switch (code) {
    case 'S':
        if (!PyBytes_Check(arg))
            return fail_expected("bytes", arg);
        break;
    case 'Y':
        if (!PyByteArray_Check(arg))
            return fail_expected("bytearray", arg);
        break;
    default:  // 'U'
        if (!PyUnicode_Check(arg))
            return fail_expected("str", arg);
        // Readies a legacy string, as 3.11 does before handing it out.
        if (PyUnicode_GetLength(arg) < 0)
            return fail_raised();
        break;
    }
    *out = arg;
    return nullptr;
}

// "O" (borrowed object), "O!" (type-checked), "O&" (user converter).
const char *Converter::convert_object(PyObject *arg, const char **p_format) {
    if (**p_format == '!') {
        PyTypeObject *type = va_arg(*ap_, PyTypeObject *);
        PyObject **out = va_arg(*ap_, PyObject **);
        ++*p_format;
        if (!PyType_IsSubtype(Py_TYPE(arg), type))
            return fail_expected(type->tp_name, arg);
        *out = arg;
        return nullptr;
    }
    if (**p_format == '&') {
        using ConverterFunc = int (*)(PyObject *, void *);
        ConverterFunc convert = va_arg(*ap_, ConverterFunc);
        void *address = va_arg(*ap_, void *);
        ++*p_format;
        int result = convert(arg, address);
        if (result == 0)
            return fail_expected("(unspecified)", arg);
        // The converter asked to be called back with NULL if a later
        // argument fails, so it can undo its work.
        if (result == Py_CLEANUP_SUPPORTED)
            cleanup_.add(address, convert);
        return nullptr;
    }
    PyObject **out = va_arg(*ap_, PyObject **);
    *out = arg;
    return nullptr;
}

// "w*": a writable, C-contiguous buffer held until the caller releases it.
const char *Converter::convert_writable_buffer(PyObject *arg,
                                               const char **p_format) {
    Py_buffer *view = va_arg(*ap_, Py_buffer *);
    if (**p_format != '*')
        return fail_expected("(invalid use of 'w' format character)", arg);
    ++*p_format;
    if (PyObject_GetBuffer(arg, view, PyBUF_WRITABLE) < 0) {
        PyErr_Clear();
        return fail_expected("read-write bytes-like object", arg);
    }
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyBuffer_Release(view);
        return fail_expected("contiguous buffer", arg);
    }
    cleanup_.add(view, release_buffer);
    return nullptr;
}

// ---------------------------------------------------------------------------
// Error reporting for a failed conversion of argument `iarg` (1-based; 0
// means "the argument" in PyArg_Parse's single-value mode).
// ---------------------------------------------------------------------------

void report_failure(Py_ssize_t iarg, const char *msg, const int *levels,
                    const char *fname, const char *custom_message) {
    if (PyErr_Occurred())
        return;  // the converter's own exception is more precise
    MessageBuilder text;
    const char *message = custom_message;
    if (message == nullptr) {
        if (fname != nullptr)
            text.append("%.200s() ", fname);
        if (iarg != 0) {
            text.append("argument %zd", iarg);
            for (int i = 0; i < kMaxLevels && levels[i] > 0 &&
                            text.length() < 220;
                 ++i)
                text.append(", item %d", levels[i] - 1);
        } else {
            text.append("argument");
        }
        text.append(" %.256s", msg);
        message = text.str();
    }
    PyErr_SetString(msg[0] == '(' ? PyExc_SystemError : PyExc_TypeError,
                    message);
}

// Skip one format unit for an omitted optional argument, still consuming its
// varargs.  Returns nullptr or a description of the format error.
const char *skip_item(const char **p_format, va_list *ap, int flags) {
    const char *format = *p_format;
    char c = *format++;
    switch (c) {
    // Units taking exactly one data pointer.
    case 'b': case 'B': case 'h': case 'H': case 'i': case 'I':
    case 'l': case 'k': case 'L': case 'K': case 'n':
    case 'f': case 'd': case 'D': case 'c': case 'C': case 'p':
    case 'S': case 'Y': case 'U':
        (void)va_arg(*ap, void *);
        break;

    case 'e':  // encoding, then one of the string units below
        (void)va_arg(*ap, const char *);
        if (*format != 's' && *format != 't')
            return "impossible<bad format char>";
        ++format;
        [[fallthrough]];
    case 's': case 'z': case 'y': case 'u': case 'Z': case 'w':
        (void)va_arg(*ap, char **);
        if (*format == '#') {
            if (!(flags & kSizeT))
                return kNeedSsizeTClean;
            (void)va_arg(*ap, Py_ssize_t *);
            ++format;
        } else if ((c == 's' || c == 'z' || c == 'y' || c == 'w') &&
                   *format == '*') {
            ++format;
        }
        break;

    case 'O':
        if (*format == '!') {
            ++format;
            (void)va_arg(*ap, PyTypeObject *);
            (void)va_arg(*ap, PyObject **);
        } else if (*format == '&') {
            ++format;
            (void)va_arg(*ap, int (*)(PyObject *, void *));  // converter
            (void)va_arg(*ap, void *);
        } else {
            (void)va_arg(*ap, PyObject **);
        }
        break;

    case '(':
        while (*format != ')') {
            if (is_end_of_format(*format))
                return "Unmatched left paren in format string";
            if (const char *msg = skip_item(&format, ap, flags))
                return msg;
        }
        ++format;
        break;

    case ')':
        return "Unmatched right paren in format string";

    default:
        return "impossible<bad format char>";
    }
    *p_format = format;
    return nullptr;
}

// ---------------------------------------------------------------------------
// PyArg_Parse / PyArg_ParseTuple
// ---------------------------------------------------------------------------

// What a pre-scan of a positional format tells us.
struct FormatShape {
    int min;                     // required argument count
    int max;                     // total argument count
    const char *fname;           // text after ':' (function name) or null
    const char *custom_message;  // text after ';' or null
};

// Malformed nesting is a bug in the extension, fatal as in CPython.  The
// parenthesised (Py_FatalError) calls the public function, not the macro
// that forwards to a private helper.
FormatShape scan_positional_format(const char *format) {
    FormatShape shape{-1, 0, nullptr, nullptr};
    int level = 0;
    for (bool done = false; !done;) {
        char c = *format++;
        switch (c) {
        case '(':
            if (level == 0)
                ++shape.max;
            if (++level >= kMaxNesting)
                (Py_FatalError)("too many tuple nesting levels "
                                "in argument format string");
            break;
        case ')':
            if (level == 0)
                (Py_FatalError)("excess ')' in getargs format");
            --level;
            break;
        case '\0':
            done = true;
            break;
        case ':':
            shape.fname = format;
            done = true;
            break;
        case ';':
            shape.custom_message = format;
            done = true;
            break;
        case '|':
            if (level == 0)
                shape.min = shape.max;
            break;
        default:
            // "es"/"et" is one unit: its 'e' is not counted.
            if (level == 0 && is_alpha(c) && c != 'e')
                ++shape.max;
            break;
        }
    }
    if (level != 0)
        (Py_FatalError)("missing ')' in getargs format");
    if (shape.min < 0)
        shape.min = shape.max;
    return shape;
}

// PyArg_Parse: old-style single-value conversion (the format must describe
// exactly one unit).
int parse_single_value(PyObject *arg, const char *format,
                       const FormatShape &shape, Converter &converter) {
    FuncName name{shape.fname};
    if (shape.max == 0) {
        if (arg == nullptr)
            return 1;
        PyErr_Format(PyExc_TypeError, "%.200s%s takes no arguments",
                     name.name(), name.parens());
        return 0;
    }
    if (shape.min != 1 || shape.max != 1) {
        PyErr_SetString(PyExc_SystemError,
                        "old style getargs format uses new features");
        return 0;
    }
    if (arg == nullptr) {
        PyErr_Format(PyExc_TypeError,
                     "%.200s%s takes at least one argument", name.name(),
                     name.parens());
        return 0;
    }
    // Here levels[0] is reported as the argument number and the item path
    // starts at levels[1]; the spare slot keeps that view kMaxLevels long.
    int levels[kMaxLevels + 1] = {};
    const char *msg = converter.convert_item(arg, &format, levels);
    if (msg == nullptr)
        return 1;
    report_failure(levels[0], msg, levels + 1, shape.fname,
                   shape.custom_message);
    return 0;
}

int parse_tuple(PyObject *args, const char *format, const FormatShape &shape,
                Converter &converter) {
    const char *const whole_format = format;
    const Py_ssize_t nargs = PyTuple_GET_SIZE(args);

    if (nargs < shape.min || nargs > shape.max) {
        if (shape.custom_message != nullptr) {
            PyErr_SetString(PyExc_TypeError, shape.custom_message);
        } else {
            FuncName name{shape.fname};
            const bool too_few = nargs < shape.min;
            const int bound = too_few ? shape.min : shape.max;
            PyErr_Format(PyExc_TypeError,
                         "%.150s%s takes %s %d argument%s (%zd given)",
                         name.name(), name.parens(),
                         shape.min == shape.max ? "exactly"
                         : too_few              ? "at least"
                                                : "at most",
                         bound, bound == 1 ? "" : "s", nargs);
        }
        return 0;
    }

    // Written only by a failing item (record_level), so zeroed once.
    int levels[kMaxLevels] = {};
    for (Py_ssize_t i = 0; i < nargs; ++i) {
        if (*format == '|')
            ++format;
        const char *msg = converter.convert_item(PyTuple_GET_ITEM(args, i),
                                                 &format, levels);
        if (msg != nullptr) {
            report_failure(i + 1, msg, levels, shape.fname,
                           shape.custom_message);
            return 0;
        }
    }

    // Only the character after the last consumed unit is sanity-checked.
    const char next = *format;
    if (next != '\0' && !is_alpha(next) && next != '(' && next != '|' &&
        next != ':' && next != ';') {
        PyErr_Format(PyExc_SystemError, "bad format string: %.200s",
                     whole_format);
        return 0;
    }
    return 1;
}

int vparse(PyObject *args, const char *format, va_list *ap, int flags) {
    const bool compat = flags & kCompat;
    if (!compat && (args == nullptr || !PyTuple_Check(args))) {
        PyErr_SetString(PyExc_SystemError,
                        "new style getargs format but argument is not a "
                        "tuple");
        return 0;
    }
    const FormatShape shape = scan_positional_format(format);
    CleanupList cleanup;
    if (!cleanup.reserve_for(format))
        return 0;
    Converter converter(ap, flags, cleanup);
    int ok = compat ? parse_single_value(args, format, shape, converter)
                    : parse_tuple(args, format, shape, converter);
    if (!ok)
        cleanup.release_all();
    return ok;
}

// ---------------------------------------------------------------------------
// PyArg_ParseTupleAndKeywords
// ---------------------------------------------------------------------------

bool valid_keyword_call(PyObject *args, PyObject *kwargs, const char *format,
                        char **kwlist) {
    if (args == nullptr || !PyTuple_Check(args) ||
        (kwargs != nullptr && !PyDict_Check(kwargs)) || format == nullptr ||
        kwlist == nullptr) {
        (PyErr_BadInternalCall)();
        return false;
    }
    return true;
}

// kwargs[name] as a borrowed reference; nullptr with or without an error.
PyObject *lookup_keyword(PyObject *kwargs, const char *name) {
    PyObject *key = PyUnicode_FromString(name);
    if (key == nullptr)
        return nullptr;
    PyObject *value = PyDict_GetItemWithError(kwargs, key);
    Py_DECREF(key);
    return value;
}

// The keyword list: `positional_only` leading "" entries, then names.
struct KeywordList {
    char **names;
    int positional_only;
    int count;
};

// Returns false with SystemError set for an empty name after a real one.
bool scan_keyword_list(char **kwlist, KeywordList *out) {
    int pos = 0;
    while (kwlist[pos] != nullptr && kwlist[pos][0] == '\0')
        ++pos;
    int len = pos;
    for (; kwlist[len] != nullptr; ++len) {
        if (kwlist[len][0] == '\0') {
            PyErr_SetString(PyExc_SystemError,
                            "Empty keyword parameter name");
            return false;
        }
    }
    *out = KeywordList{kwlist, pos, len};
    return true;
}

// Called when keywords remain unconsumed after conversion: diagnose which.
void report_unused_keywords(PyObject *args, PyObject *kwargs,
                            const KeywordList &kw, FuncName name) {
    const Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    for (Py_ssize_t i = kw.positional_only; i < nargs && i < kw.count; ++i) {
        if (lookup_keyword(kwargs, kw.names[i]) != nullptr) {
            PyErr_Format(PyExc_TypeError,
                         "argument for %.200s%s given by name ('%s') and "
                         "position (%d)",
                         name.name(), name.parens(), kw.names[i],
                         static_cast<int>(i + 1));
            return;
        }
        if (PyErr_Occurred())
            return;
    }

    Py_ssize_t iter = 0;
    PyObject *key;
    while (PyDict_Next(kwargs, &iter, &key, nullptr)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return;
        }
        bool known = false;
        for (int i = kw.positional_only; i < kw.count && !known; ++i)
            known = PyUnicode_CompareWithASCIIString(key, kw.names[i]) == 0;
        if (!known) {
            PyErr_Format(PyExc_TypeError,
                         "'%U' is an invalid keyword argument for %.200s%s",
                         key, name.name("this function"), name.parens());
            return;
        }
    }
    // Keys matched by text but not by dict lookup (e.g. a str subclass with
    // a foreign __hash__): we cannot name the culprit.
    PyErr_Format(PyExc_TypeError, "invalid keyword argument for %.200s%s",
                 name.name("this function"), name.parens());
}

// The keyword-aware parse proper.  kwlist drives the walk: each entry is
// matched with the next format unit and filled from args or kwargs.
int parse_keywords(PyObject *args, PyObject *kwargs, const char *format,
                   const KeywordList &kw, Converter &converter, va_list *ap,
                   int flags) {
    // ':' (function name) and ';' (custom message) are mutually exclusive.
    const char *fname = std::strchr(format, ':');
    const char *custom_msg = nullptr;
    if (fname != nullptr) {
        ++fname;
    } else if ((custom_msg = std::strchr(format, ';')) != nullptr) {
        ++custom_msg;
    }
    const FuncName name{fname};

    const int pos = kw.positional_only;
    const int len = kw.count;
    const Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    Py_ssize_t nkwargs = kwargs == nullptr ? 0 : PyDict_Size(kwargs);

    if (nargs + nkwargs > len) {
        // "keyword" when nargs == 0 avoids a misleading message (bpo-31229).
        PyErr_Format(PyExc_TypeError,
                     "%.200s%s takes at most %d %sargument%s (%zd given)",
                     name.name(), name.parens(), len,
                     nargs == 0 ? "keyword " : "", len == 1 ? "" : "s",
                     nargs + nkwargs);
        return 0;
    }

    int min = INT_MAX;  // index of '|' (first optional), once seen
    int max = INT_MAX;  // index of '$' (first keyword-only), once seen
    // Set when a positional-only argument is missing: the error needs the
    // final min/max, so it is raised once '$' or the end is reached.
    bool missing_positional = false;
    int levels[kMaxLevels] = {};   // written only by a failing item, so zeroed once
    int i;
    for (i = 0; i < len; ++i) {
        if (*format == '|') {
            if (min != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string (| specified twice)");
                return 0;
            }
            min = i;
            ++format;
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string ($ before |)");
                return 0;
            }
        }
        if (*format == '$') {
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string ($ specified twice)");
                return 0;
            }
            max = i;
            ++format;
            if (max < pos) {
                PyErr_SetString(PyExc_SystemError,
                                "Empty parameter name after $");
                return 0;
            }
            if (missing_positional)
                break;
            if (max < nargs) {
                if (max == 0) {
                    PyErr_Format(PyExc_TypeError,
                                 "%.200s%s takes no positional arguments",
                                 name.name(), name.parens());
                } else {
                    PyErr_Format(PyExc_TypeError,
                                 "%.200s%s takes %s %d positional "
                                 "argument%s (%zd given)",
                                 name.name(), name.parens(),
                                 min != INT_MAX ? "at most" : "exactly", max,
                                 max == 1 ? "" : "s", nargs);
                }
                return 0;
            }
        }
        if (is_end_of_format(*format)) {
            PyErr_Format(PyExc_SystemError,
                         "More keyword list entries (%d) than format "
                         "specifiers (%d)",
                         len, i);
            return 0;
        }

        if (!missing_positional) {
            PyObject *current = nullptr;
            if (i < nargs) {
                current = PyTuple_GET_ITEM(args, i);
            } else if (nkwargs != 0 && i >= pos) {
                current = lookup_keyword(kwargs, kw.names[i]);
                if (current != nullptr)
                    --nkwargs;
                else if (PyErr_Occurred())
                    return 0;
            }

            if (current != nullptr) {
                const char *msg =
                    converter.convert_item(current, &format, levels);
                if (msg != nullptr) {
                    report_failure(i + 1, msg, levels, fname, custom_msg);
                    return 0;
                }
                continue;
            }

            if (i < min) {
                if (i < pos) {
                    missing_positional = true;
                } else {
                    PyErr_Format(PyExc_TypeError,
                                 "%.200s%s missing required argument '%s' "
                                 "(pos %d)",
                                 name.name(), name.parens(), kw.names[i],
                                 i + 1);
                    return 0;
                }
            }
            // All required arguments are present and no keywords are left:
            // the rest of the format is not validated (as in CPython).
            if (nkwargs == 0 && !missing_positional)
                return 1;
        }

        // An omitted optional argument: step over its unit and varargs.
        if (const char *msg = skip_item(&format, ap, flags)) {
            PyErr_Format(PyExc_SystemError, "%s: '%s'", msg, format);
            return 0;
        }
    }

    if (missing_positional) {
        const int required = min < pos ? min : pos;
        PyErr_Format(PyExc_TypeError,
                     "%.200s%s takes %s %d positional argument%s (%zd given)",
                     name.name(), name.parens(),
                     required < i ? "at least" : "exactly", required,
                     required == 1 ? "" : "s", nargs);
        return 0;
    }

    if (!is_end_of_format(*format) && *format != '|' && *format != '$') {
        PyErr_Format(PyExc_SystemError,
                     "more argument specifiers than keyword list entries "
                     "(remaining format:'%s')",
                     format);
        return 0;
    }

    if (nkwargs > 0) {
        report_unused_keywords(args, kwargs, kw, name);
        return 0;
    }
    return 1;
}

int vparse_keywords(PyObject *args, PyObject *kwargs, const char *format,
                    char **kwlist, va_list *ap, int flags) {
    KeywordList kw;
    if (!scan_keyword_list(kwlist, &kw))
        return 0;
    CleanupList cleanup;
    if (!cleanup.reserve_for(format))
        return 0;
    Converter converter(ap, flags, cleanup);
    int ok = parse_keywords(args, kwargs, format, kw, converter, ap, flags);
    if (!ok)
        cleanup.release_all();
    return ok;
}

// va_list may be an array type, so always work on an owned copy whose
// address can be passed down.
int vparse_copy(PyObject *args, const char *format, va_list va, int flags) {
    va_list copy;
    va_copy(copy, va);
    int result = vparse(args, format, &copy, flags);
    va_end(copy);
    return result;
}

int vparse_keywords_copy(PyObject *args, PyObject *kwargs, const char *format,
                         char **kwlist, va_list va, int flags) {
    if (!valid_keyword_call(args, kwargs, format, kwlist))
        return 0;
    va_list copy;
    va_copy(copy, va);
    int result = vparse_keywords(args, kwargs, format, kwlist, &copy, flags);
    va_end(copy);
    return result;
}

}  // namespace

// ---------------------------------------------------------------------------
// Exported entry points
// ---------------------------------------------------------------------------

extern "C" {

int PyArg_Parse(PyObject *args, const char *format, ...) {
    va_list va;
    va_start(va, format);
    int result = vparse_copy(args, format, va, kCompat);
    va_end(va);
    return result;
}

int _PyArg_Parse_SizeT(PyObject *args, const char *format, ...) {
    va_list va;
    va_start(va, format);
    int result = vparse_copy(args, format, va, kCompat | kSizeT);
    va_end(va);
    return result;
}

int PyArg_ParseTuple(PyObject *args, const char *format, ...) {
    va_list va;
    va_start(va, format);
    int result = vparse_copy(args, format, va, 0);
    va_end(va);
    return result;
}

int _PyArg_ParseTuple_SizeT(PyObject *args, const char *format, ...) {
    va_list va;
    va_start(va, format);
    int result = vparse_copy(args, format, va, kSizeT);
    va_end(va);
    return result;
}

int PyArg_VaParse(PyObject *args, const char *format, va_list va) {
    return vparse_copy(args, format, va, 0);
}

int _PyArg_VaParse_SizeT(PyObject *args, const char *format, va_list va) {
    return vparse_copy(args, format, va, kSizeT);
}

int PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kwargs,
                                const char *format, char **kwlist, ...) {
    va_list va;
    va_start(va, kwlist);
    int result = vparse_keywords_copy(args, kwargs, format, kwlist, va, 0);
    va_end(va);
    return result;
}

int _PyArg_ParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kwargs,
                                       const char *format, char **kwlist,
                                       ...) {
    va_list va;
    va_start(va, kwlist);
    int result =
        vparse_keywords_copy(args, kwargs, format, kwlist, va, kSizeT);
    va_end(va);
    return result;
}

int PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *kwargs,
                                  const char *format, char **kwlist,
                                  va_list va) {
    return vparse_keywords_copy(args, kwargs, format, kwlist, va, 0);
}

int _PyArg_VaParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kwargs,
                                         const char *format, char **kwlist,
                                         va_list va) {
    return vparse_keywords_copy(args, kwargs, format, kwlist, va, kSizeT);
}

int PyArg_ValidateKeywordArguments(PyObject *kwargs) {
    if (!PyDict_Check(kwargs)) {
        (PyErr_BadInternalCall)();
        return 0;
    }
    Py_ssize_t iter = 0;
    PyObject *key;
    while (PyDict_Next(kwargs, &iter, &key, nullptr)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return 0;
        }
    }
    return 1;
}

// The headers wrap the next three in same-named fast-path macros; the
// parenthesised names define the real functions without #undef.

int (_PyArg_CheckPositional)(const char *name, Py_ssize_t nargs,
                             Py_ssize_t min, Py_ssize_t max) {
    // With a name: "f expected 2 arguments, got 3"; without one (tuple
    // unpacking helpers): "unpacked tuple should have ...".
    auto report = [&](const char *qualifier, Py_ssize_t bound) {
        if (name != nullptr)
            PyErr_Format(PyExc_TypeError,
                         "%.200s expected %s%zd argument%s, got %zd", name,
                         qualifier, bound, bound == 1 ? "" : "s", nargs);
        else
            PyErr_Format(PyExc_TypeError,
                         "unpacked tuple should have %s%zd element%s, but "
                         "has %zd",
                         qualifier, bound, bound == 1 ? "" : "s", nargs);
        return 0;
    };
    if (nargs < min)
        return report(min == max ? "" : "at least ", min);
    if (nargs == 0)
        return 1;
    if (nargs > max)
        return report(min == max ? "" : "at most ", max);
    return 1;
}

int PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min,
                      Py_ssize_t max, ...) {
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError,
                        "PyArg_UnpackTuple() argument list is not a tuple");
        return 0;
    }
    const Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (!(_PyArg_CheckPositional)(name, nargs, min, max))
        return 0;
    va_list va;
    va_start(va, max);
    for (Py_ssize_t i = 0; i < nargs; ++i)
        *va_arg(va, PyObject **) = PyTuple_GET_ITEM(args, i);
    va_end(va);
    return 1;
}

// For callables that accept no keyword arguments: NULL or an empty dict.
int (_PyArg_NoKeywords)(const char *funcname, PyObject *kwargs) {
    if (kwargs == nullptr)
        return 1;
    if (!PyDict_CheckExact(kwargs)) {
        (PyErr_BadInternalCall)();
        return 0;
    }
    if (PyDict_Size(kwargs) == 0)
        return 1;
    PyErr_Format(PyExc_TypeError, "%.200s() takes no keyword arguments",
                 funcname);
    return 0;
}

// For callables that accept no positional arguments: NULL or ().
int (_PyArg_NoPositional)(const char *funcname, PyObject *args) {
    if (args == nullptr)
        return 1;
    if (!PyTuple_CheckExact(args)) {
        (PyErr_BadInternalCall)();
        return 0;
    }
    if (PyTuple_GET_SIZE(args) == 0)
        return 1;
    PyErr_Format(PyExc_TypeError, "%.200s() takes no positional arguments",
                 funcname);
    return 0;
}

}  // extern "C"
