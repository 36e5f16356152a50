// PyUnicode_FromFormat[V], PyErr_Format[V] and the str codec entry points.
//
// Mirrors CPython 3.11:
//   Objects/unicodeobject.c  unicode_fromformat_arg, PyUnicode_FromFormatV,
//                            PyUnicode_Decode*, PyUnicode_As*String, the
//                            locale and filesystem codecs
//   Python/errors.c          PyErr_FormatV
//   Python/codecs.c          PyCodec_Encode/Decode/LookupError,
//                            _PyCodec_LookupTextEncoding
//   Python/fileutils.c       decode_current_locale, encode_current_locale
//
// Only the public C API is used. Strings are built by collecting code points
// first and then filling a PyUnicode_New() object of the exact kind.
//
// Codecs: UTF-8, ASCII and Latin-1 are native when the data is plain (valid
// input, no unencodable character); every error case, and every other codec,
// calls the Python-level `codecs` module, which gives the exact exceptions
// (UnicodeDecodeError start/end/reason) and error-handler behaviour. Faster
// native paths come later, driven by benchmarks.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <charconv>
#include <clocale>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <exception>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include "cpyext/internal.h"
#include "gc_bridge/stats.h"
#include "host/utf8.h"
#define FERRY_FAMILY "unicodeformat"

using ferry::utf8_sequence;

namespace {

constexpr Py_UCS4 kMaxUnicode = 0x10FFFF;

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

// Owning reference: releases on scope exit, so early returns cannot leak.
class Ref {
public:
    Ref() noexcept = default;
    explicit Ref(PyObject* owned) noexcept : p_(owned) {}
    Ref(Ref&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
    Ref& operator=(Ref&& other) noexcept {
        std::swap(p_, other.p_);
        return *this;
    }
    Ref(const Ref&) = delete;
    Ref& operator=(const Ref&) = delete;
    ~Ref() { Py_XDECREF(p_); }

    PyObject* get() const noexcept { return p_; }
    PyObject* release() noexcept { return std::exchange(p_, nullptr); }
    explicit operator bool() const noexcept { return p_ != nullptr; }

private:
    PyObject* p_ = nullptr;
};

// No C++ exception may cross the C ABI: run an exported function's body and
// turn anything thrown into a Python exception and a NULL result.
template <typename Body>
PyObject* guarded(Body&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        PyErr_NoMemory();
    } catch (const std::length_error&) {  // e.g. a huge %-width: CPython says MemoryError
        PyErr_NoMemory();
    } catch (const std::exception& e) {
        PyErr_SetString(PyExc_SystemError, e.what());
    } catch (...) {
        PyErr_SetString(PyExc_SystemError, "unexpected C++ exception");
    }
    return nullptr;
}

// PyErr_BadInternalCall() expands to a private function; same exception.
PyObject* bad_internal_call() {
    PyErr_SetString(PyExc_SystemError, "bad argument to internal function");
    return nullptr;
}

// Decoder inputs: CPython does not check them (it crashes); we refuse them.
bool valid_input(const char* s, Py_ssize_t size) {
    if (size < 0 || (s == nullptr && size > 0)) {
        bad_internal_call();
        return false;
    }
    return true;
}

bool is_surrogate(Py_UCS4 c) { return c >= 0xD800 && c <= 0xDFFF; }

// Calls `fn(out)` with `str`'s data typed by its kind (Py_UCS1/2/4 *).
template <typename Fn>
void with_typed_data(PyObject* str, Fn&& fn) {
    switch (PyUnicode_KIND(str)) {
    case PyUnicode_1BYTE_KIND: fn(PyUnicode_1BYTE_DATA(str)); break;
    case PyUnicode_2BYTE_KIND: fn(PyUnicode_2BYTE_DATA(str)); break;
    default: fn(PyUnicode_4BYTE_DATA(str)); break;
    }
}

// A new str holding `n` code points whose largest is `maxchar`.
PyObject* new_str(const char32_t* chars, size_t n, Py_UCS4 maxchar) {
    PyObject* str = PyUnicode_New(static_cast<Py_ssize_t>(n), maxchar);
    if (str == nullptr) {
        return nullptr;
    }
    with_typed_data(str, [&](auto* out) {
        using Char = std::remove_pointer_t<decltype(out)>;
        std::transform(chars, chars + n, out,
                       [](char32_t c) { return static_cast<Char>(c); });
    });
    return str;
}

PyObject* new_str(const std::u32string& chars) {
    Py_UCS4 maxchar = 0;
    for (char32_t c : chars) {
        maxchar = std::max<Py_UCS4>(maxchar, c);
    }
    return new_str(chars.data(), chars.size(), maxchar);
}

PyObject* empty_str() { return PyUnicode_New(0, 0); }

// ---------------------------------------------------------------------------
// The Python-level codec machinery
// ---------------------------------------------------------------------------

Ref codecs_module() { return Ref(PyImport_ImportModule("codecs")); }

// codecs.<func>(...), arguments built Py_BuildValue-style from `fmt`.
template <typename... Args>
Ref call_codecs(const char* func, const char* fmt, Args... args) {
    Ref codecs = codecs_module();
    if (!codecs) {
        return {};
    }
    return Ref(PyObject_CallMethod(codecs.get(), func, fmt, args...));
}

// codecs.lookup_error with CPython's message for an unknown name (PyPy's
// words it without quotes).
Ref lookup_error_handler(const char* name) {
    Ref r = call_codecs("lookup_error", "(s)", name);
    if (!r && PyErr_ExceptionMatches(PyExc_LookupError)) {
        PyErr_Clear();
        PyErr_Format(PyExc_LookupError, "unknown error handler name '%.400s'", name);
    }
    return r;
}

// NULL errors mean "strict" in the C API; the host's codecs may not take None.
const char* errors_or_strict(const char* errors) { return errors ? errors : "strict"; }

// A UTF-16/32 codec error as CPython words it: the codec is named by the
// byte order (the host's codecs say 'utf16'), and the reason in CPython's
// words (PyPy says "codepoint").
void reword_codec_error(PyObject* exc_type, const char* encoding) {
    if (!PyErr_ExceptionMatches(exc_type))
        return;
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    PyObject* name = PyUnicode_FromString(encoding);
    if (!name || PyObject_SetAttrString(v, "encoding", name) < 0)
        PyErr_Clear();
    Py_XDECREF(name);
    PyObject* reason = PyObject_GetAttrString(v, "reason");
    if (reason && PyUnicode_Check(reason) &&
        PyUnicode_CompareWithASCIIString(reason, "codepoint not in range(0x110000)") == 0) {
        PyObject* fixed = PyUnicode_FromString("code point not in range(0x110000)");
        if (!fixed || PyObject_SetAttrString(v, "reason", fixed) < 0)
            PyErr_Clear();
        Py_XDECREF(fixed);
    }
    if (!reason)
        PyErr_Clear();
    Py_XDECREF(reason);
    PyErr_Restore(t, v, tb);
}

void name_decode_error(int width, int byteorder) {
    reword_codec_error(PyExc_UnicodeDecodeError,
                       width == 2 ? (byteorder <= 0 ? "utf-16-le" : "utf-16-be")
                                  : (byteorder <= 0 ? "utf-32-le" : "utf-32-be"));
}

// The _codecs functions answer (result, consumed[, byteorder]): return a new
// reference to the result and store `consumed` when asked.
PyObject* codec_result(Ref tuple, Py_ssize_t* consumed = nullptr) {
    if (!tuple) {
        return nullptr;
    }
    if (!PyTuple_Check(tuple.get()) || PyTuple_GET_SIZE(tuple.get()) < 2) {
        PyErr_SetString(PyExc_TypeError,
                        "codec function must return a tuple (object, integer)");
        return nullptr;
    }
    if (consumed != nullptr) {
        Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GET_ITEM(tuple.get(), 1));
        if (n == -1 && PyErr_Occurred()) {
            return nullptr;
        }
        *consumed = n;
    }
    PyObject* result = PyTuple_GET_ITEM(tuple.get(), 0);
    Py_INCREF(result);
    return result;
}

// Bytes copy of a decoder's input, as the _codecs functions take it.
Ref input_bytes(const char* s, Py_ssize_t size) {
    return Ref(PyBytes_FromStringAndSize(size > 0 ? s : "", size));
}

// Decoders of the form codecs.<func>(data, errors, final) -> (str, consumed).
// A NULL `consumed` means the input is final, as in CPython's *Stateful API.
PyObject* python_decode(const char* func, const char* s, Py_ssize_t size,
                        const char* errors, Py_ssize_t* consumed) {
    Ref data = input_bytes(s, size);
    if (!data) {
        return nullptr;
    }
    int final = consumed == nullptr;
    return codec_result(call_codecs(func, "Ozi", data.get(), errors, final),
                        consumed);
}

// Decoders without a `final` argument: codecs.<func>(data, errors).
PyObject* python_decode_final(const char* func, const char* s, Py_ssize_t size,
                              const char* errors) {
    Ref data = input_bytes(s, size);
    if (!data) {
        return nullptr;
    }
    return codec_result(call_codecs(func, "Oz", data.get(), errors));
}

// Byte order announced by a UTF-16 (width 2) or UTF-32 (width 4) BOM at the
// start of `s`: -1 little endian, 1 big endian, 0 none.
int bom_byteorder(const char* s, Py_ssize_t size, int width) {
    static constexpr unsigned char kLittle[] = {0xFF, 0xFE, 0x00, 0x00};
    static constexpr unsigned char kBig16[] = {0xFE, 0xFF};
    static constexpr unsigned char kBig32[] = {0x00, 0x00, 0xFE, 0xFF};
    if (size < width) {
        return 0;
    }
    if (std::memcmp(s, kLittle, static_cast<size_t>(width)) == 0) {
        return -1;
    }
    if (std::memcmp(s, width == 2 ? kBig16 : kBig32, static_cast<size_t>(width)) == 0) {
        return 1;
    }
    return 0;
}

// codecs.utf_16_ex_decode / utf_32_ex_decode -> (str, consumed, byteorder):
// `byteorder` is read and written back as PyUnicode_DecodeUTF16Stateful does.
// CPython stores the BOM's byte order as soon as it has read the BOM, so the
// caller sees it even when decoding then fails: detect it here first.
PyObject* python_decode_ex(const char* func, int width, const char* s,
                           Py_ssize_t size, const char* errors, int* byteorder,
                           Py_ssize_t* consumed) {
    Ref data = input_bytes(s, size);
    if (!data) {
        return nullptr;
    }
    int order = byteorder != nullptr ? *byteorder : 0;
    if (order == 0 && byteorder != nullptr && size >= width) {
        *byteorder = bom_byteorder(s, size, width);
    }
    int final = consumed == nullptr;
    Ref tuple = call_codecs(func, "Osii", data.get(), errors_or_strict(errors), order, final);
    if (!tuple)
        name_decode_error(width, byteorder != nullptr && order == 0 ? *byteorder : order);
    if (tuple && PyTuple_Check(tuple.get()) && PyTuple_GET_SIZE(tuple.get()) >= 3
        && byteorder != nullptr) {
        long bo = PyLong_AsLong(PyTuple_GET_ITEM(tuple.get(), 2));
        if (bo == -1 && PyErr_Occurred()) {
            return nullptr;
        }
        *byteorder = static_cast<int>(bo);
    }
    return codec_result(std::move(tuple), consumed);
}

// Encoders of the form codecs.<func>(str, errors) -> (bytes, consumed).
PyObject* python_encode(const char* func, PyObject* unicode, const char* errors) {
    return codec_result(call_codecs(func, "Os", unicode, errors_or_strict(errors)));
}

// codecs.utf_16_encode / utf_32_encode with byteorder 0 (native order + BOM).
PyObject* python_encode_utf_wide(const char* func, PyObject* unicode,
                                 const char* errors) {
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return nullptr;
    }
    // Byte order 0: native order with a BOM, the codec's default (PyPy's takes
    // no byte order argument); errors name the codec as CPython does.
    Ref r = call_codecs(func, "Os", unicode, errors_or_strict(errors));
    if (!r)
        reword_codec_error(PyExc_UnicodeEncodeError, std::strcmp(func, "utf_16_encode") == 0 ? "utf-16" : "utf-32");
    return codec_result(std::move(r));
}

// _PyCodec_LookupTextEncoding: a codec whose CodecInfo says it is not a text
// encoding (e.g. 'rot13', 'hex') is refused by the str/bytes entry points.
// Raw tuples and CodecInfos lacking the attribute count as text encodings.
bool require_text_encoding(PyObject* info, const char* encoding,
                           const char* alternative) {
    if (PyTuple_CheckExact(info)) {
        return true;
    }
    Ref attr(PyObject_GetAttrString(info, "_is_text_encoding"));
    if (!attr) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return false;
        }
        PyErr_Clear();
        return true;
    }
    int is_text = PyObject_IsTrue(attr.get());
    if (is_text < 0) {
        return false;
    }
    if (is_text == 0) {
        PyErr_Format(PyExc_LookupError,
                     "'%.400s' is not a text encoding; "
                     "use %s to handle arbitrary codecs",
                     encoding, alternative);
        return false;
    }
    return true;
}

// codecs.encode/decode(object, encoding[, errors]): these are CPython's
// PyCodec_Encode/Decode (lookup, tuple check, exception wrapping). A NULL
// `errors` is left out so the codec applies its own default, as in CPython.
Ref call_codec(const char* direction, PyObject* object, const char* encoding,
               const char* errors) {
    if (encoding == nullptr) {  // _PyCodec_Lookup(NULL)
        PyErr_BadArgument();
        return {};
    }
    if (object == nullptr) {
        bad_internal_call();
        return {};
    }
    if (errors != nullptr) {
        return call_codecs(direction, "Oss", object, encoding, errors);
    }
    return call_codecs(direction, "Os", object, encoding);
}

// _PyCodec_EncodeText/_PyCodec_DecodeText: text-encoding check, then codec.
Ref call_text_codec(const char* direction, PyObject* object,
                    const char* encoding, const char* errors,
                    const char* alternative) {
    Ref info = call_codecs("lookup", "(s)", encoding);
    if (!info || !require_text_encoding(info.get(), encoding, alternative)) {
        return {};
    }
    return call_codec(direction, object, encoding, errors);
}

// -X dev is fixed at startup, so sys.flags.dev_mode is read once.
bool dev_mode() {
    static int cached = -1;
    if (cached < 0) {
        PyObject* flags = PySys_GetObject("flags");  // borrowed
        if (flags == nullptr) {
            return false;
        }
        Ref value(PyObject_GetAttrString(flags, "dev_mode"));
        int truth = value ? PyObject_IsTrue(value.get()) : -1;
        if (truth < 0) {
            PyErr_Clear();
            return false;
        }
        cached = truth;
    }
    return cached != 0;
}

// unicode_check_encoding_errors: in development mode (only), PyUnicode_Decode
// and PyUnicode_AsEncodedString validate both names even when unused.
bool check_encoding_errors(const char* encoding, const char* errors) {
    if ((encoding == nullptr && errors == nullptr) || !dev_mode()) {
        return true;
    }
    if (encoding != nullptr && !call_codecs("lookup", "(s)", encoding)) {
        return false;
    }
    if (errors != nullptr && !lookup_error_handler(errors)) {
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------
// Encoding names with a built-in fast path (PyUnicode_Decode/AsEncodedString)
// ---------------------------------------------------------------------------

enum class FastCodec { none, utf8, utf16, utf32, ascii, latin1 };

bool is_ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// _Py_normalize_encoding: lowercase, runs of punctuation become one '_'
// (dropped at the start and end). False when longer than `capacity - 1`.
bool normalize_encoding(const char* encoding, char* out, size_t capacity) {
    size_t n = 0;
    bool punct = false;
    for (const char* e = encoding; *e != '\0'; ++e) {
        char c = *e;
        if (!is_ascii_alnum(c) && c != '.') {
            punct = true;
            continue;
        }
        if (punct && n > 0) {
            if (n + 1 >= capacity) {
                return false;
            }
            out[n++] = '_';
        }
        punct = false;
        if (n + 1 >= capacity) {
            return false;
        }
        out[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
    return true;
}

FastCodec fast_codec(const char* encoding) {
    char buf[11];  // strlen("iso_8859_1") + 1: the longest fast-path name
    if (!normalize_encoding(encoding, buf, sizeof buf)) {
        return FastCodec::none;
    }
    std::string_view name(buf);
    if (name.substr(0, 3) == "utf") {
        name.remove_prefix(name.size() > 3 && name[3] == '_' ? 4 : 3);
        if (name == "8") return FastCodec::utf8;
        if (name == "16") return FastCodec::utf16;
        if (name == "32") return FastCodec::utf32;
        return FastCodec::none;
    }
    if (name == "ascii" || name == "us_ascii") return FastCodec::ascii;
    if (name == "latin1" || name == "latin_1" || name == "iso_8859_1"
        || name == "iso8859_1") {
        return FastCodec::latin1;
    }
    return FastCodec::none;
}

// ---------------------------------------------------------------------------
// Native UTF-8 / ASCII / Latin-1
// ---------------------------------------------------------------------------

struct Utf8Scan {
    bool valid = true;
    Py_ssize_t length = 0;
    Py_UCS4 maxchar = 0;
};

Utf8Scan scan_utf8(const unsigned char* s, const unsigned char* end) {
    Utf8Scan scan;
    while (s < end) {
        Py_UCS4 cp;
        int n = utf8_sequence(s, end, cp);
        if (n == 0) {
            scan.valid = false;
            return scan;
        }
        s += n;
        ++scan.length;
        scan.maxchar = std::max(scan.maxchar, cp);
    }
    return scan;
}

// Whether every byte is below 0x80, eight at a time.
bool all_ascii(const unsigned char* p, const unsigned char* end) {
    for (; end - p >= 8; p += 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        if (w & 0x8080808080808080ull) {
            return false;
        }
    }
    for (; p < end; ++p) {
        if (*p & 0x80) {
            return false;
        }
    }
    return true;
}

// Native for well-formed input (the result does not depend on `errors`
// then); malformed or truncated input goes to codecs.utf_8_decode, which
// raises CPython's exact UnicodeDecodeError or applies the error handler.
PyObject* decode_utf8(const char* s, Py_ssize_t size, const char* errors,
                      Py_ssize_t* consumed) {
    if (!valid_input(s, size)) {
        return nullptr;
    }
    const auto* begin = reinterpret_cast<const unsigned char*>(s);
    const auto* end = begin + size;
    if (all_ascii(begin, end)) {   // (most text C makes: one check, one copy)
        PyObject* str = PyUnicode_New(size, 127);
        if (str != nullptr && size > 0) {
            std::memcpy(PyUnicode_1BYTE_DATA(str), begin, static_cast<size_t>(size));
        }
        if (str != nullptr && consumed != nullptr) {
            *consumed = size;
        }
        return str;
    }
    const Utf8Scan scan = scan_utf8(begin, end);
    if (!scan.valid) {
        return python_decode("utf_8_decode", s, size, errors, consumed);
    }
    PyObject* str = PyUnicode_New(scan.length, scan.maxchar);
    if (str == nullptr) {
        return nullptr;
    }
    with_typed_data(str, [&](auto* out) {
        using Char = std::remove_pointer_t<decltype(out)>;
        for (const unsigned char* p = begin; p < end;) {
            Py_UCS4 cp = 0;
            p += utf8_sequence(p, end, cp);
            *out++ = static_cast<Char>(cp);
        }
    });
    if (consumed != nullptr) {
        *consumed = size;
    }
    return str;
}

// Latin-1 maps bytes to code points one to one and cannot fail.
PyObject* decode_latin1(const char* s, Py_ssize_t size) {
    if (!valid_input(s, size)) {
        return nullptr;
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(s);
    const Py_UCS4 maxchar = size > 0 ? *std::max_element(bytes, bytes + size) : 0;
    PyObject* str = PyUnicode_New(size, maxchar);
    if (str != nullptr && size > 0) {
        std::memcpy(PyUnicode_1BYTE_DATA(str), bytes, static_cast<size_t>(size));
    }
    return str;
}

PyObject* decode_ascii(const char* s, Py_ssize_t size, const char* errors) {
    if (!valid_input(s, size)) {
        return nullptr;
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(s);
    if (std::all_of(bytes, bytes + size, [](unsigned char b) { return b < 0x80; })) {
        return decode_latin1(s, size);
    }
    return python_decode_final("ascii_decode", s, size, errors);
}

// Bytes of one code point in UTF-8 (surrogates excluded by the caller).
int utf8_length(Py_UCS4 c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

char* put_utf8(char* out, Py_UCS4 c) {
    const int n = utf8_length(c);
    if (n == 1) {
        *out++ = static_cast<char>(c);
        return out;
    }
    static constexpr unsigned char kLead[] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (int i = n - 1; i > 0; --i) {
        out[i] = static_cast<char>(0x80 | (c & 0x3F));
        c >>= 6;
    }
    out[0] = static_cast<char>(kLead[n] | c);
    return out + n;
}

// Native unless the string holds a surrogate, which only the Python codec's
// error handling (strict raises, surrogatepass/-escape encode) gets right.
PyObject* encode_utf8(PyObject* unicode, const char* errors) {
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return nullptr;
    }
    const int kind = PyUnicode_KIND(unicode);
    const void* data = PyUnicode_DATA(unicode);
    const Py_ssize_t length = PyUnicode_GET_LENGTH(unicode);
    // ASCII is its own UTF-8, and so is the UTF-8 a str keeps once asked for
    // it (ujson encodes every key so, and the text it is given).
    if (PyUnicode_IS_ASCII(unicode)) {
        return PyBytes_FromStringAndSize(static_cast<const char*>(data), length);
    }
    const auto* compact = reinterpret_cast<const PyCompactUnicodeObject*>(unicode);
    if (compact->utf8 != nullptr) {
        return PyBytes_FromStringAndSize(compact->utf8, compact->utf8_length);
    }
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i < length; ++i) {
        const Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (is_surrogate(c)) {
            return python_encode("utf_8_encode", unicode, errors);
        }
        size += utf8_length(c);
    }
    PyObject* bytes = PyBytes_FromStringAndSize(nullptr, size);
    if (bytes == nullptr) {
        return nullptr;
    }
    char* out = PyBytes_AS_STRING(bytes);
    for (Py_ssize_t i = 0; i < length; ++i) {
        out = put_utf8(out, PyUnicode_READ(kind, data, i));
    }
    return bytes;
}

// One byte per character when every character is below `limit` (ASCII:
// 128, Latin-1: 256); otherwise the Python codec `func` handles the errors.
PyObject* encode_narrow(PyObject* unicode, Py_UCS4 limit, const char* func,
                        const char* errors) {
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return nullptr;
    }
    const int kind = PyUnicode_KIND(unicode);
    const void* data = PyUnicode_DATA(unicode);
    const Py_ssize_t length = PyUnicode_GET_LENGTH(unicode);
    if (PyUnicode_IS_ASCII(unicode)) {   // (below either limit)
        return PyBytes_FromStringAndSize(static_cast<const char*>(data), length);
    }
    for (Py_ssize_t i = 0; i < length; ++i) {
        if (PyUnicode_READ(kind, data, i) >= limit) {
            return python_encode(func, unicode, errors);
        }
    }
    PyObject* bytes = PyBytes_FromStringAndSize(nullptr, length);
    if (bytes == nullptr) {
        return nullptr;
    }
    char* out = PyBytes_AS_STRING(bytes);
    for (Py_ssize_t i = 0; i < length; ++i) {
        out[i] = static_cast<char>(PyUnicode_READ(kind, data, i));
    }
    return bytes;
}

// ---------------------------------------------------------------------------
// Generic decode / encode by encoding name
// ---------------------------------------------------------------------------

PyObject* decode_utf16(const char* s, Py_ssize_t size, const char* errors,
                       int* byteorder, Py_ssize_t* consumed) {
    return python_decode_ex("utf_16_ex_decode", 2, s, size, errors, byteorder, consumed);
}

PyObject* decode_utf32(const char* s, Py_ssize_t size, const char* errors,
                       int* byteorder, Py_ssize_t* consumed) {
    return python_decode_ex("utf_32_ex_decode", 4, s, size, errors, byteorder, consumed);
}

// PyUnicode_Decode's registry path: the codec sees a memoryview of the input
// and must produce a str.
PyObject* decode_via_registry(const char* s, Py_ssize_t size,
                              const char* encoding, const char* errors) {
    Ref view(PyMemoryView_FromMemory(const_cast<char*>(s), size, PyBUF_READ));
    if (!view) {
        return nullptr;
    }
    Ref result = call_text_codec("decode", view.get(), encoding, errors,
                                 "codecs.decode()");
    if (!result) {
        return nullptr;
    }
    if (!PyUnicode_Check(result.get())) {
        PyErr_Format(PyExc_TypeError,
                     "'%.400s' decoder returned '%.400s' instead of 'str'; "
                     "use codecs.decode() to decode to arbitrary types",
                     encoding, Py_TYPE(result.get())->tp_name);
        return nullptr;
    }
    return result.release();
}

// PyUnicode_Decode after its argument checks: fast paths, then the registry.
PyObject* decode_by_name(const char* s, Py_ssize_t size, const char* encoding,
                         const char* errors) {
    if (encoding == nullptr) {
        return decode_utf8(s, size, errors, nullptr);
    }
    switch (fast_codec(encoding)) {
    case FastCodec::utf8: return decode_utf8(s, size, errors, nullptr);
    case FastCodec::utf16: return decode_utf16(s, size, errors, nullptr, nullptr);
    case FastCodec::utf32: return decode_utf32(s, size, errors, nullptr, nullptr);
    case FastCodec::ascii: return decode_ascii(s, size, errors);
    case FastCodec::latin1: return decode_latin1(s, size);
    case FastCodec::none: break;
    }
    return decode_via_registry(s, size, encoding, errors);
}

// PyUnicode_AsEncodedString's registry path: bytes expected; a bytearray is
// accepted with a RuntimeWarning and converted.
PyObject* encode_via_registry(PyObject* unicode, const char* encoding,
                              const char* errors) {
    Ref result = call_text_codec("encode", unicode, encoding, errors,
                                 "codecs.encode()");
    if (!result) {
        return nullptr;
    }
    PyObject* v = result.get();
    if (PyBytes_Check(v)) {
        return result.release();
    }
    if (PyByteArray_Check(v)) {
        if (PyErr_WarnFormat(PyExc_RuntimeWarning, 1,
                             "encoder %s returned bytearray instead of bytes; "
                             "use codecs.encode() to encode to arbitrary types",
                             encoding) != 0) {
            return nullptr;
        }
        return PyBytes_FromStringAndSize(PyByteArray_AsString(v), PyByteArray_Size(v));
    }
    PyErr_Format(PyExc_TypeError,
                 "'%.400s' encoder returned '%.400s' instead of 'bytes'; "
                 "use codecs.encode() to encode to arbitrary types",
                 encoding, Py_TYPE(v)->tp_name);
    return nullptr;
}

// PyUnicode_AsEncodedString after its argument checks.
PyObject* encode_by_name(PyObject* unicode, const char* encoding, const char* errors) {
    if (encoding == nullptr) {
        return encode_utf8(unicode, errors);
    }
    switch (fast_codec(encoding)) {
    case FastCodec::utf8: return encode_utf8(unicode, errors);
    case FastCodec::utf16: return python_encode_utf_wide("utf_16_encode", unicode, errors);
    case FastCodec::utf32: return python_encode_utf_wide("utf_32_encode", unicode, errors);
    case FastCodec::ascii: return encode_narrow(unicode, 0x80, "ascii_encode", errors);
    case FastCodec::latin1: return encode_narrow(unicode, 0x100, "latin_1_encode", errors);
    case FastCodec::none: break;
    }
    return encode_via_registry(unicode, encoding, errors);
}

// ---------------------------------------------------------------------------
// Filesystem encoding
// ---------------------------------------------------------------------------

struct FsCodec {
    std::string encoding;
    std::string errors;
};

bool sys_string(const char* func, std::string& out) {
    Ref sys(PyImport_ImportModule("sys"));
    Ref value(sys ? PyObject_CallMethod(sys.get(), func, nullptr) : nullptr);
    const char* text = value ? PyUnicode_AsUTF8(value.get()) : nullptr;
    if (text == nullptr) {
        return false;
    }
    out = text;
    return true;
}

// The filesystem encoding and error handler are fixed once the interpreter
// is initialized (CPython keeps them in interp->unicode.fs_codec): read once.
const FsCodec* fs_codec() {
    static std::optional<FsCodec> cached;
    if (!cached) {
        FsCodec codec;
        if (!sys_string("getfilesystemencoding", codec.encoding)
            || !sys_string("getfilesystemencodeerrors", codec.errors)) {
            return nullptr;
        }
        cached = std::move(codec);
    }
    return &*cached;
}

// ---------------------------------------------------------------------------
// Current-locale codec (mbstowcs/wcstombs), as Python/fileutils.c
// ---------------------------------------------------------------------------

// On Linux wchar_t holds code points, which the conversions below rely on.
static_assert(sizeof(wchar_t) == 4, "wchar_t must be UTF-32");

constexpr size_t kDecodeError = static_cast<size_t>(-1);
constexpr size_t kIncomplete = static_cast<size_t>(-2);

// The locale codec knows only "strict" (or NULL) and "surrogateescape".
bool locale_error_handler(const char* errors, bool& surrogateescape) {
    if (errors == nullptr || std::strcmp(errors, "strict") == 0) {
        surrogateescape = false;
        return true;
    }
    if (std::strcmp(errors, "surrogateescape") == 0) {
        surrogateescape = true;
        return true;
    }
    PyErr_SetString(PyExc_ValueError, "unsupported error handler");
    return false;
}

// is_valid_wide_char: glibc can produce surrogates and values beyond
// U+10FFFF, which CPython treats as decoding errors.
bool valid_wide_char(wchar_t c) {
    const auto cp = static_cast<Py_UCS4>(c);
    return cp <= kMaxUnicode && !is_surrogate(cp);
}

// mbstowcs() of the whole string when it succeeds with valid characters.
bool decode_locale_whole(const char* arg, std::u32string& out) {
    const size_t count = std::mbstowcs(nullptr, arg, 0);
    if (count == kDecodeError) {
        return false;
    }
    std::wstring wide(count + 1, L'\0');
    if (std::mbstowcs(wide.data(), arg, count + 1) == kDecodeError) {
        return false;
    }
    wide.resize(count);
    if (!std::all_of(wide.begin(), wide.end(), valid_wide_char)) {
        return false;
    }
    out.assign(wide.begin(), wide.end());
    return true;
}

// decode_current_locale: whole-string mbstowcs(), else mbrtowc() character
// by character, escaping undecodable bytes as U+DC80..U+DCFF when allowed.
// On failure `error_pos` is the byte offset of the undecodable sequence.
bool decode_current_locale(const char* arg, bool surrogateescape,
                           std::u32string& out, size_t& error_pos) {
    if (decode_locale_whole(arg, out)) {
        return true;
    }
    out.clear();
    const auto* in = reinterpret_cast<const unsigned char*>(arg);
    size_t remaining = std::strlen(arg) + 1;
    std::mbstate_t state{};
    while (remaining > 0) {
        wchar_t wc = 0;
        size_t converted = std::mbrtowc(&wc, reinterpret_cast<const char*>(in),
                                        remaining, &state);
        if (converted == 0) {
            break;  // the terminating NUL
        }
        if (converted != kDecodeError && converted != kIncomplete
            && !valid_wide_char(wc)) {
            converted = kDecodeError;
        }
        if (converted == kIncomplete || (converted == kDecodeError && !surrogateescape)) {
            error_pos = static_cast<size_t>(in - reinterpret_cast<const unsigned char*>(arg));
            return false;
        }
        if (converted == kDecodeError) {
            out.push_back(0xDC00 + *in);
            ++in;
            --remaining;
            state = std::mbstate_t{};
            continue;
        }
        out.push_back(static_cast<char32_t>(wc));
        in += converted;
        remaining -= converted;
    }
    return true;
}

// encode_current_locale: wcstombs() one character at a time; U+DC80..U+DCFF
// go back to bytes under surrogateescape. On failure `error_pos` is the
// index of the unencodable character.
bool encode_current_locale(const std::wstring& text, bool surrogateescape,
                           std::string& out, size_t& error_pos) {
    for (size_t i = 0; i < text.size(); ++i) {
        const wchar_t c = text[i];
        if (c >= 0xDC80 && c <= 0xDCFF) {
            if (!surrogateescape) {
                error_pos = i;
                return false;
            }
            out.push_back(static_cast<char>(c - 0xDC00));
            continue;
        }
        const wchar_t one[2] = {c, L'\0'};
        char buf[64];
        const size_t n = std::wcstombs(buf, one, sizeof buf);
        if (n == kDecodeError) {
            error_pos = i;
            return false;
        }
        out.append(buf, n);
    }
    return true;
}

// Raises `exc` as PyCodec_StrictErrors() does.
void raise_instance(Ref exc) {
    if (exc) {
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.get())), exc.get());
    }
}

PyObject* decode_locale(const char* str, Py_ssize_t len, const char* errors) {
    if (str == nullptr || len < 0) {
        return bad_internal_call();
    }
    if (str[len] != '\0' || static_cast<size_t>(len) != std::strlen(str)) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return nullptr;
    }
    bool surrogateescape;
    if (!locale_error_handler(errors, surrogateescape)) {
        return nullptr;
    }
    std::u32string decoded;
    size_t pos = 0;
    if (!decode_current_locale(str, surrogateescape, decoded, pos)) {
        const auto start = static_cast<Py_ssize_t>(pos);
        raise_instance(Ref(PyObject_CallFunction(
            PyExc_UnicodeDecodeError, "sy#nns", "locale", str, len, start,
            start + 1, "decoding error")));
        return nullptr;
    }
    return new_str(decoded);
}

std::wstring to_wstring(PyObject* unicode) {
    const int kind = PyUnicode_KIND(unicode);
    const void* data = PyUnicode_DATA(unicode);
    const Py_ssize_t length = PyUnicode_GET_LENGTH(unicode);
    std::wstring out(static_cast<size_t>(length), L'\0');
    for (Py_ssize_t i = 0; i < length; ++i) {
        out[static_cast<size_t>(i)] = static_cast<wchar_t>(PyUnicode_READ(kind, data, i));
    }
    return out;
}

PyObject* encode_locale(PyObject* unicode, const char* errors) {
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return nullptr;
    }
    const std::wstring text = to_wstring(unicode);
    if (text.find(L'\0') != std::wstring::npos) {
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return nullptr;
    }
    bool surrogateescape;
    if (!locale_error_handler(errors, surrogateescape)) {
        return nullptr;
    }
    std::string encoded;
    size_t pos = 0;
    if (!encode_current_locale(text, surrogateescape, encoded, pos)) {
        const auto start = static_cast<Py_ssize_t>(pos);
        raise_instance(Ref(PyObject_CallFunction(
            PyExc_UnicodeEncodeError, "sOnns", "locale", unicode, start,
            start + 1, "encoding error")));
        return nullptr;
    }
    return PyBytes_FromStringAndSize(encoded.data(), static_cast<Py_ssize_t>(encoded.size()));
}

// ---------------------------------------------------------------------------
// PyUnicode_FromFormatV
// ---------------------------------------------------------------------------

// Collects the formatted code points; the str is built once at the end.
//
// CPython's writer quirk is kept: when the whole output is one str written
// unpadded and untruncated by the format's last conversion, that very object
// is returned (so "%U" of a str subclass gives the subclass instance back).
class FormatWriter {
public:
    // Whether the conversion being formatted ends the format.
    void set_last_conversion(bool last) { last_conversion_ = last; }

    // Writes all of str `s`, adopting it when it would be the whole output.
    void whole_str(PyObject* s) {
        const Py_ssize_t length = PyUnicode_GET_LENGTH(s);
        if (length > 0 && last_conversion_ && chars_.empty()) {
            Py_INCREF(s);
            adopted_ = Ref(s);
            return;
        }
        str(s, length);
    }
    void put(Py_UCS4 c) {
        chars_.push_back(c);
        maxchar_ = std::max(maxchar_, c);
    }
    void fill(Py_UCS4 c, Py_ssize_t count) {
        if (count > 0) {
            chars_.append(static_cast<size_t>(count), c);
            maxchar_ = std::max(maxchar_, c);
        }
    }
    // Each byte is one code point (ASCII text, or the Latin-1 tail copied
    // after an unknown conversion).
    void bytes(const char* s, size_t n) {
        for (size_t i = 0; i < n; ++i) {
            put(static_cast<unsigned char>(s[i]));
        }
    }
    // The first `count` characters of str `s`.
    void str(PyObject* s, Py_ssize_t count) {
        const int kind = PyUnicode_KIND(s);
        const void* data = PyUnicode_DATA(s);
        chars_.reserve(chars_.size() + static_cast<size_t>(count));
        for (Py_ssize_t i = 0; i < count; ++i) {
            put(PyUnicode_READ(kind, data, i));
        }
    }
    PyObject* finish() {
        if (adopted_) {
            return adopted_.release();
        }
        return new_str(chars_.data(), chars_.size(), maxchar_);
    }

private:
    std::u32string chars_;
    Py_UCS4 maxchar_ = 0;
    bool last_conversion_ = false;
    Ref adopted_;
};

struct Spec {
    bool zeropad = false;
    Py_ssize_t width = -1;
    Py_ssize_t precision = -1;
    enum class Size { plain, l, ll, z } size = Size::plain;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads the decimal number at `f`; ValueError(`overflow`) past PY_SSIZE_T_MAX.
bool parse_count(const char*& f, Py_ssize_t& value, const char* overflow) {
    value = 0;
    for (; is_digit(*f); ++f) {
        const int digit = *f - '0';
        if (value > (PY_SSIZE_T_MAX - digit) / 10) {
            PyErr_SetString(PyExc_ValueError, overflow);
            return false;
        }
        value = value * 10 + digit;
    }
    return true;
}

bool takes_size_modifier(char c) { return c == 'd' || c == 'u' || c == 'i'; }

// Parses "[0][width][.precision][l|ll|z]" starting just after a '%'.
// Returns the conversion character's position, or nullptr (ValueError).
const char* parse_spec(const char* f, Spec& spec) {
    if (*f == '0') {
        spec.zeropad = true;
        ++f;
    }
    if (is_digit(*f) && !parse_count(f, spec.width, "width too big")) {
        return nullptr;
    }
    if (*f == '.') {
        ++f;
        if (is_digit(*f) && !parse_count(f, spec.precision, "precision too big")) {
            return nullptr;
        }
        // 3.11 quirk: in "%.3%" the conversion becomes the '3' (unknown, so
        // the rest of the format is copied as is).
        if (*f == '%') {
            --f;
        }
    }
    // A spec cut short by the end of the format ("%.12") converts its last
    // character; a lone trailing '%' thereby prints '%'.
    if (*f == '\0') {
        --f;
    }
    // Size modifiers exist for d, u and i only ("%lx" is unknown).
    if (*f == 'l') {
        if (takes_size_modifier(f[1])) {
            spec.size = Spec::Size::l;
            ++f;
        } else if (f[1] == 'l' && takes_size_modifier(f[2])) {
            spec.size = Spec::Size::ll;
            f += 2;
        }
    } else if (*f == 'z' && takes_size_modifier(f[1])) {
        spec.size = Spec::Size::z;
        ++f;
    }
    return f;
}

template <typename Int>
std::string_view to_digits(char (&buf)[32], Int value, int base = 10) {
    const auto result = std::to_chars(buf, buf + sizeof buf, value, base);
    return std::string_view(buf, static_cast<size_t>(result.ptr - buf));
}

// Fetches the integer argument of %d/%i/%u/%x with its C type, as digits.
std::string_view integer_digits(char (&buf)[32], char conversion, Spec::Size size,
                                va_list* ap) {
    using Size = Spec::Size;
    if (conversion == 'x') {
        return to_digits(buf, static_cast<unsigned>(va_arg(*ap, int)), 16);
    }
    if (conversion == 'u') {
        switch (size) {
        case Size::l: return to_digits(buf, va_arg(*ap, unsigned long));
        case Size::ll: return to_digits(buf, va_arg(*ap, unsigned long long));
        case Size::z: return to_digits(buf, va_arg(*ap, size_t));
        case Size::plain: break;
        }
        return to_digits(buf, va_arg(*ap, unsigned int));
    }
    switch (size) {
    case Size::l: return to_digits(buf, va_arg(*ap, long));
    case Size::ll: return to_digits(buf, va_arg(*ap, long long));
    case Size::z: return to_digits(buf, va_arg(*ap, Py_ssize_t));
    case Size::plain: break;
    }
    return to_digits(buf, va_arg(*ap, int));
}

// 3.11 padding: precision zero-fills up to `precision` digits and width pads
// on the left (zeros with the 0 flag), both ahead of any '-' sign, so
// "%05d" of -5 gives "000-5" exactly as CPython 3.11 does.
void write_integer(FormatWriter& w, std::string_view digits, const Spec& spec) {
    const auto len = static_cast<Py_ssize_t>(digits.size());
    const Py_ssize_t precision = std::max(spec.precision, len);
    if (spec.width > precision) {
        w.fill(spec.zeropad ? '0' : ' ', spec.width - precision);
    }
    w.fill('0', precision - len);
    w.bytes(digits.data(), digits.size());
}

// %p: the C library's "%p", with a "0x" prefix guaranteed (glibc's "(nil)"
// thus reads "0x(nil)", as in CPython).
void write_pointer(FormatWriter& w, void* pointer) {
    char buf[40];
    int n = std::snprintf(buf + 2, sizeof buf - 2, "%p", pointer);
    n = std::clamp(n, 0, static_cast<int>(sizeof buf) - 3);
    char* text = buf + 2;
    if (text[1] == 'X') {
        text[1] = 'x';
    } else if (text[1] != 'x') {
        text -= 2;
        text[0] = '0';
        text[1] = 'x';
        n += 2;
    }
    w.bytes(text, static_cast<size_t>(n));
}

// At most `precision` characters of str `s`, right-aligned in `width`.
bool write_str(FormatWriter& w, PyObject* s, const Spec& spec) {
    if (s == nullptr || !PyUnicode_Check(s)) {
        bad_internal_call();
        return false;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(s);
    if ((spec.precision == -1 || spec.precision >= length) && spec.width <= length) {
        w.whole_str(s);
        return true;
    }
    if (spec.precision != -1) {
        length = std::min(spec.precision, length);
    }
    w.fill(' ', spec.width - length);
    w.str(s, length);
    return true;
}

// A UTF-8 C string: precision counts bytes (3.11), and a sequence cut by it
// decodes to U+FFFD ("replace").
bool write_cstr(FormatWriter& w, const char* s, const Spec& spec) {
    if (s == nullptr) {
        bad_internal_call();
        return false;
    }
    size_t length = 0;
    if (spec.precision == -1) {
        length = std::strlen(s);
    } else {
        while (static_cast<Py_ssize_t>(length) < spec.precision && s[length] != '\0') {
            ++length;
        }
    }
    Ref text(decode_utf8(s, static_cast<Py_ssize_t>(length), "replace", nullptr));
    if (!text) {
        return false;
    }
    Spec width_only = spec;
    width_only.precision = -1;
    return write_str(w, text.get(), width_only);
}

// %S, %R, %A: str(), repr() or ascii() of the object, then as %U.
bool write_object(FormatWriter& w, char conversion, PyObject* obj, const Spec& spec) {
    Ref text(conversion == 'S'   ? PyObject_Str(obj)
             : conversion == 'R' ? PyObject_Repr(obj)
                                 : PyObject_ASCII(obj));
    return text && write_str(w, text.get(), spec);
}

// Formats the conversion whose '%' is at `p`. Returns where the format
// continues, or nullptr with an exception set.
const char* format_one(FormatWriter& w, const char* p, va_list* ap) {
    Spec spec;
    const char* f = parse_spec(p + 1, spec);
    if (f == nullptr) {
        return nullptr;
    }
    w.set_last_conversion(f[1] == '\0');
    switch (*f) {
    case 'c': {
        const int ordinal = va_arg(*ap, int);
        if (ordinal < 0 || static_cast<Py_UCS4>(ordinal) > kMaxUnicode) {
            PyErr_SetString(PyExc_OverflowError,
                            "character argument not in range(0x110000)");
            return nullptr;
        }
        w.put(static_cast<Py_UCS4>(ordinal));
        break;
    }
    case 'd':
    case 'i':
    case 'u':
    case 'x': {
        char buf[32];
        write_integer(w, integer_digits(buf, *f, spec.size, ap), spec);
        break;
    }
    case 'p':
        write_pointer(w, va_arg(*ap, void*));
        break;
    case 's':
        if (!write_cstr(w, va_arg(*ap, const char*), spec)) {
            return nullptr;
        }
        break;
    case 'U':
        if (!write_str(w, va_arg(*ap, PyObject*), spec)) {
            return nullptr;
        }
        break;
    case 'V': {
        PyObject* obj = va_arg(*ap, PyObject*);
        const char* fallback = va_arg(*ap, const char*);
        if (obj != nullptr ? !write_str(w, obj, spec) : !write_cstr(w, fallback, spec)) {
            return nullptr;
        }
        break;
    }
    case 'S':
    case 'R':
    case 'A':
        if (!write_object(w, *f, va_arg(*ap, PyObject*), spec)) {
            return nullptr;
        }
        break;
    case '%':
        w.put('%');
        break;
    default: {
        // 3.11: after an unknown conversion the remaining arguments cannot be
        // located, so the rest of the format is copied verbatim.
        const size_t rest = std::strlen(p);
        w.bytes(p, rest);
        return p + rest;
    }
    }
    return f + 1;
}

PyObject* format_v(const char* format, va_list* ap) {
    if (format == nullptr) {
        return bad_internal_call();
    }
    FormatWriter w;
    for (const char* f = format; *f != '\0';) {
        if (*f == '%') {
            f = format_one(w, f, ap);
            if (f == nullptr) {
                return nullptr;
            }
            continue;
        }
        const char* run = f;
        do {
            if (static_cast<unsigned char>(*f) > 127) {
                PyErr_Format(PyExc_ValueError,
                             "PyUnicode_FromFormatV() expects an ASCII-encoded format "
                             "string, got a non-ASCII byte: 0x%02x",
                             static_cast<unsigned char>(*f));
                return nullptr;
            }
            ++f;
        } while (*f != '\0' && *f != '%');
        w.bytes(run, static_cast<size_t>(f - run));
    }
    return w.finish();
}

// A private copy of a va_list, so that it can be consumed through a pointer
// (a va_list parameter cannot portably be passed on by address).
struct VaCopy {
    explicit VaCopy(va_list source) { va_copy(ap, source); }
    ~VaCopy() { va_end(ap); }
    VaCopy(const VaCopy&) = delete;
    VaCopy& operator=(const VaCopy&) = delete;
    va_list ap;
};

}  // namespace

extern "C" {

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

PyObject* PyUnicode_FromFormatV(const char* format, va_list vargs) {
    VaCopy args(vargs);
    return guarded([&] { return format_v(format, &args.ap); });
}

PyObject* PyUnicode_FromFormat(const char* format, ...) {
    va_list vargs;
    va_start(vargs, format);
    PyObject* result = PyUnicode_FromFormatV(format, vargs);
    va_end(vargs);
    return result;
}

PyObject* PyErr_FormatV(PyObject* exception, const char* format, va_list vargs) {
    // bpo-23571: formatting may run arbitrary code (%R calls repr()), which
    // must not start with an exception already set.
    PyErr_Clear();
    PyObject* message = PyUnicode_FromFormatV(format, vargs);
    // As in CPython, a formatting failure is replaced by `exception` with no
    // value (PyErr_SetObject with NULL).
    PyErr_SetObject(exception, message);
    Py_XDECREF(message);
    return nullptr;
}

PyObject* PyErr_Format(PyObject* exception, const char* format, ...) {
    va_list vargs;
    va_start(vargs, format);
    PyErr_FormatV(exception, format, vargs);
    va_end(vargs);
    return nullptr;
}

// ---------------------------------------------------------------------------
// Generic codecs (Python/codecs.c): the Python `codecs` module does the work.
// ---------------------------------------------------------------------------

PyObject* PyCodec_Encode(PyObject* object, const char* encoding, const char* errors) {
    return guarded([&] { return call_codec("encode", object, encoding, errors).release(); });
}

PyObject* PyCodec_Decode(PyObject* object, const char* encoding, const char* errors) {
    return guarded([&] { return call_codec("decode", object, encoding, errors).release(); });
}

PyObject* PyCodec_LookupError(const char* name) {
    // A NULL name means "strict", as in CPython.
    return guarded([&] {
        return lookup_error_handler(name != nullptr ? name : "strict").release();
    });
}

// ---------------------------------------------------------------------------
// Decoding and encoding by name
// ---------------------------------------------------------------------------

PyObject* PyUnicode_Decode(const char* s, Py_ssize_t size, const char* encoding,
                           const char* errors) {
    return guarded([&]() -> PyObject* {
        if (!check_encoding_errors(encoding, errors)) {
            return nullptr;
        }
        if (size == 0) {
            return empty_str();
        }
        if (!valid_input(s, size)) {
            return nullptr;
        }
        return decode_by_name(s, size, encoding, errors);
    });
}

PyObject* PyUnicode_AsEncodedString(PyObject* unicode, const char* encoding,
                                    const char* errors) {
    return guarded([&]() -> PyObject* {
        if (!PyUnicode_Check(unicode)) {
            PyErr_BadArgument();
            return nullptr;
        }
        if (!check_encoding_errors(encoding, errors)) {
            return nullptr;
        }
        return encode_by_name(unicode, encoding, errors);
    });
}

// ---------------------------------------------------------------------------
// UTF-8, ASCII, Latin-1 (native when plain, see above)
// ---------------------------------------------------------------------------

PyObject* PyUnicode_DecodeUTF8Stateful(const char* s, Py_ssize_t size,
                                       const char* errors, Py_ssize_t* consumed) {
    return guarded([&] { return decode_utf8(s, size, errors, consumed); });
}

PyObject* PyUnicode_DecodeUTF8(const char* s, Py_ssize_t size, const char* errors) {
    return PyUnicode_DecodeUTF8Stateful(s, size, errors, nullptr);
}

PyObject* PyUnicode_AsUTF8String(PyObject* unicode) {
    return guarded([&] { return encode_utf8(unicode, nullptr); });
}

PyObject* PyUnicode_DecodeASCII(const char* s, Py_ssize_t size, const char* errors) {
    return guarded([&] { return decode_ascii(s, size, errors); });
}

PyObject* PyUnicode_AsASCIIString(PyObject* unicode) {
    return guarded([&] { return encode_narrow(unicode, 0x80, "ascii_encode", nullptr); });
}

PyObject* PyUnicode_DecodeLatin1(const char* s, Py_ssize_t size, const char* errors) {
    (void)errors;  // Latin-1 decoding cannot fail
    return guarded([&] { return decode_latin1(s, size); });
}

PyObject* PyUnicode_AsLatin1String(PyObject* unicode) {
    return guarded([&] { return encode_narrow(unicode, 0x100, "latin_1_encode", nullptr); });
}

// ---------------------------------------------------------------------------
// UTF-16, UTF-32, UTF-7, charmap: through the Python codecs
// ---------------------------------------------------------------------------

PyObject* PyUnicode_DecodeUTF16Stateful(const char* s, Py_ssize_t size,
                                        const char* errors, int* byteorder,
                                        Py_ssize_t* consumed) {
    return guarded([&]() -> PyObject* {
        if (!valid_input(s, size)) {
            return nullptr;
        }
        return decode_utf16(s, size, errors, byteorder, consumed);
    });
}

PyObject* PyUnicode_DecodeUTF16(const char* s, Py_ssize_t size, const char* errors,
                                int* byteorder) {
    return PyUnicode_DecodeUTF16Stateful(s, size, errors, byteorder, nullptr);
}

PyObject* PyUnicode_AsUTF16String(PyObject* unicode) {
    return guarded([&] { return python_encode_utf_wide("utf_16_encode", unicode, nullptr); });
}

PyObject* PyUnicode_DecodeUTF32Stateful(const char* s, Py_ssize_t size,
                                        const char* errors, int* byteorder,
                                        Py_ssize_t* consumed) {
    return guarded([&]() -> PyObject* {
        if (!valid_input(s, size)) {
            return nullptr;
        }
        return decode_utf32(s, size, errors, byteorder, consumed);
    });
}

PyObject* PyUnicode_DecodeUTF32(const char* s, Py_ssize_t size, const char* errors,
                                int* byteorder) {
    return PyUnicode_DecodeUTF32Stateful(s, size, errors, byteorder, nullptr);
}

PyObject* PyUnicode_AsUTF32String(PyObject* unicode) {
    return guarded([&] { return python_encode_utf_wide("utf_32_encode", unicode, nullptr); });
}

PyObject* PyUnicode_DecodeUTF7Stateful(const char* s, Py_ssize_t size,
                                       const char* errors, Py_ssize_t* consumed) {
    return guarded([&]() -> PyObject* {
        if (!valid_input(s, size)) {
            return nullptr;
        }
        return python_decode("utf_7_decode", s, size, errors, consumed);
    });
}

PyObject* PyUnicode_DecodeUTF7(const char* s, Py_ssize_t size, const char* errors) {
    return PyUnicode_DecodeUTF7Stateful(s, size, errors, nullptr);
}

PyObject* PyUnicode_DecodeCharmap(const char* s, Py_ssize_t size, PyObject* mapping,
                                  const char* errors) {
    return guarded([&]() -> PyObject* {
        if (mapping == nullptr) {  // CPython: no mapping means Latin-1
            return decode_latin1(s, size);
        }
        if (!valid_input(s, size)) {
            return nullptr;
        }
        Ref data = input_bytes(s, size);
        if (!data) {
            return nullptr;
        }
        return codec_result(call_codecs("charmap_decode", "OzO", data.get(), errors, mapping));
    });
}

PyObject* PyUnicode_AsCharmapString(PyObject* unicode, PyObject* mapping) {
    return guarded([&]() -> PyObject* {
        if (!PyUnicode_Check(unicode) || mapping == nullptr) {
            PyErr_BadArgument();
            return nullptr;
        }
        return codec_result(call_codecs("charmap_encode", "OzO", unicode,
                                        static_cast<const char*>(nullptr), mapping));
    });
}

// ---------------------------------------------------------------------------
// Unicode escapes: through the Python codecs
// ---------------------------------------------------------------------------

PyObject* PyUnicode_DecodeUnicodeEscape(const char* s, Py_ssize_t size,
                                        const char* errors) {
    return guarded([&]() -> PyObject* {
        if (!valid_input(s, size)) {
            return nullptr;
        }
        return python_decode_final("unicode_escape_decode", s, size, errors);
    });
}

PyObject* PyUnicode_DecodeRawUnicodeEscape(const char* s, Py_ssize_t size,
                                           const char* errors) {
    return guarded([&]() -> PyObject* {
        if (!valid_input(s, size)) {
            return nullptr;
        }
        return python_decode_final("raw_unicode_escape_decode", s, size, errors);
    });
}

PyObject* PyUnicode_AsUnicodeEscapeString(PyObject* unicode) {
    return guarded([&]() -> PyObject* {
        if (!PyUnicode_Check(unicode)) {
            PyErr_BadArgument();
            return nullptr;
        }
        return python_encode("unicode_escape_encode", unicode, nullptr);
    });
}

PyObject* PyUnicode_AsRawUnicodeEscapeString(PyObject* unicode) {
    return guarded([&]() -> PyObject* {
        if (!PyUnicode_Check(unicode)) {
            PyErr_BadArgument();
            return nullptr;
        }
        return python_encode("raw_unicode_escape_encode", unicode, nullptr);
    });
}

// ---------------------------------------------------------------------------
// Filesystem and locale encodings
// ---------------------------------------------------------------------------

PyObject* PyUnicode_DecodeFSDefaultAndSize(const char* s, Py_ssize_t size) {
    return guarded([&]() -> PyObject* {
        const FsCodec* fs = fs_codec();
        if (fs == nullptr) {
            return nullptr;
        }
        const char* errors = fs->errors.c_str();
        if (fast_codec(fs->encoding.c_str()) == FastCodec::utf8) {
            return decode_utf8(s, size, errors, nullptr);
        }
        return PyUnicode_Decode(s, size, fs->encoding.c_str(), errors);
    });
}

PyObject* PyUnicode_DecodeFSDefault(const char* s) {
    if (s == nullptr) {
        return bad_internal_call();
    }
    return PyUnicode_DecodeFSDefaultAndSize(s, static_cast<Py_ssize_t>(std::strlen(s)));
}

PyObject* PyUnicode_EncodeFSDefault(PyObject* unicode) {
    return guarded([&]() -> PyObject* {
        const FsCodec* fs = fs_codec();
        if (fs == nullptr) {
            return nullptr;
        }
        const char* errors = fs->errors.c_str();
        if (fast_codec(fs->encoding.c_str()) == FastCodec::utf8) {
            return encode_utf8(unicode, errors);
        }
        return PyUnicode_AsEncodedString(unicode, fs->encoding.c_str(), errors);
    });
}

PyObject* PyUnicode_DecodeLocaleAndSize(const char* str, Py_ssize_t len,
                                        const char* errors) {
    return guarded([&] { return decode_locale(str, len, errors); });
}

PyObject* PyUnicode_DecodeLocale(const char* str, const char* errors) {
    if (str == nullptr) {
        return bad_internal_call();
    }
    return PyUnicode_DecodeLocaleAndSize(str, static_cast<Py_ssize_t>(std::strlen(str)),
                                         errors);
}

PyObject* PyUnicode_EncodeLocale(PyObject* unicode, const char* errors) {
    return guarded([&] { return encode_locale(unicode, errors); });
}

}  // extern "C"

// ---------------------------------------------------------------------------
// Decoding bytes-like objects; the filesystem-path converters
// ---------------------------------------------------------------------------

PyObject* PyUnicode_FromEncodedObject(PyObject* obj, const char* encoding, const char* errors) {
    FERRY_API;
    return guarded([&]() -> PyObject* {
        if (obj == nullptr) {
            return bad_internal_call();
        }
        if (PyBytes_Check(obj)) {
            // PyUnicode_Decode checks encoding and errors also for empty input.
            return PyUnicode_Decode(PyBytes_AS_STRING(obj), PyBytes_GET_SIZE(obj), encoding,
                                    errors);
        }
        if (PyUnicode_Check(obj)) {
            PyErr_SetString(PyExc_TypeError, "decoding str is not supported");
            return nullptr;
        }
        Py_buffer buffer;
        if (PyObject_GetBuffer(obj, &buffer, PyBUF_SIMPLE) < 0) {
            PyErr_Format(PyExc_TypeError,
                         "decoding to str: need a bytes-like object, %.80s found",
                         Py_TYPE(obj)->tp_name);
            return nullptr;
        }
        PyObject* v = PyUnicode_Decode(static_cast<const char*>(buffer.buf), buffer.len, encoding,
                                       errors);
        PyBuffer_Release(&buffer);
        return v;
    });
}

namespace {

// PyOS_FSPath (Modules/posixmodule.c), through the host's os.fspath.
Ref fs_path(PyObject* arg) {
    if (PyUnicode_Check(arg) || PyBytes_Check(arg)) {
        return Ref(Py_NewRef(arg));
    }
    return Ref(ferry::call_module("os", "fspath", {arg}));
}

} // namespace

namespace {

// The PyArg_Parse "O&" converter protocol with cleanup: called with NULL,
// release what an earlier call stored; otherwise store make()'s new reference.
template <class Make>
int cleanup_converter(PyObject* arg, void* addr, Make&& make) {
    auto* out = static_cast<PyObject**>(addr);
    if (arg == nullptr) {
        Py_DECREF(*out);
        *out = nullptr;
        return 1;
    }
    PyObject* r = guarded(make);
    if (r == nullptr) {
        return 0;
    }
    *out = r;
    return Py_CLEANUP_SUPPORTED;
}

} // namespace

int PyUnicode_FSConverter(PyObject* arg, void* addr) {
    FERRY_API;
    return cleanup_converter(arg, addr, [&]() -> PyObject* {
        Ref path = fs_path(arg);
        if (!path) {
            return nullptr;
        }
        Ref output;
        if (PyBytes_Check(path.get())) {
            output = std::move(path);
        } else {
            output = Ref(PyUnicode_EncodeFSDefault(path.get()));
            if (!output) {
                return nullptr;
            }
        }
        Py_ssize_t size = PyBytes_GET_SIZE(output.get());
        const char* data = PyBytes_AS_STRING(output.get());
        if (static_cast<size_t>(size) != std::strlen(data)) {
            PyErr_SetString(PyExc_ValueError, "embedded null byte");
            return nullptr;
        }
        return output.release();
    });
}

int PyUnicode_FSDecoder(PyObject* arg, void* addr) {
    FERRY_API;
    return cleanup_converter(arg, addr, [&]() -> PyObject* {
        bool is_buffer = PyObject_CheckBuffer(arg);
        Ref path = is_buffer ? Ref(Py_NewRef(arg)) : fs_path(arg);
        if (!path) {
            return nullptr;
        }
        Ref output;
        if (PyUnicode_Check(path.get())) {
            output = std::move(path);
        } else if (PyBytes_Check(path.get()) || is_buffer) {
            if (!PyBytes_Check(path.get()) &&
                PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                                 "path should be string, bytes, or os.PathLike, not %.200s",
                                 Py_TYPE(arg)->tp_name)) {
                return nullptr;
            }
            Ref path_bytes(PyBytes_FromObject(path.get()));
            if (!path_bytes) {
                return nullptr;
            }
            output = Ref(PyUnicode_DecodeFSDefaultAndSize(PyBytes_AS_STRING(path_bytes.get()),
                                                          PyBytes_GET_SIZE(path_bytes.get())));
            if (!output) {
                return nullptr;
            }
        } else {
            PyErr_Format(PyExc_TypeError,
                         "path should be string, bytes, or os.PathLike, not %.200s",
                         Py_TYPE(arg)->tp_name);
            return nullptr;
        }
        PyObject* s = output.get();
        Py_ssize_t nul = PyUnicode_FindChar(s, 0, 0, PyUnicode_GET_LENGTH(s), 1);
        if (nul == -2) {
            return nullptr;
        }
        if (nul >= 0) {
            PyErr_SetString(PyExc_ValueError, "embedded null character");
            return nullptr;
        }
        return output.release();
    });
}
