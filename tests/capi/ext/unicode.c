/* str objects: PyUnicode_* from Objects/unicodeobject.c, including the
 * PEP 393 macros (KIND, DATA, READ_CHAR, GET_LENGTH) that read and write the
 * canonical representation in place.
 *
 * Mirrors CPython's Modules/_testcapi/unicode.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>
#include <wchar.h>

#include "ferrytest.h"

/* --- creation ------------------------------------------------------------ */

/* PyUnicode_New(len(codepoints), maxchar) then write each code point through
 * the typed data pointer of the kind, the way C extensions build strings. */
static PyObject *
unicode_new_write(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *codepoints;
    Py_UCS4 maxchar;
    if (!PyArg_ParseTuple(args, "O!I", &PyList_Type, &codepoints, &maxchar)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(codepoints);
    PyObject *s = PyUnicode_New(n, maxchar);
    if (s == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(s);
    void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long cp = PyLong_AsUnsignedLong(PyList_GET_ITEM(codepoints, i));
        if (cp == (unsigned long)-1 && PyErr_Occurred()) {
            Py_DECREF(s);
            return NULL;
        }
        switch (kind) {
        case PyUnicode_1BYTE_KIND:
            PyUnicode_1BYTE_DATA(s)[i] = (Py_UCS1)cp;
            break;
        case PyUnicode_2BYTE_KIND:
            PyUnicode_2BYTE_DATA(s)[i] = (Py_UCS2)cp;
            break;
        default:
            PyUnicode_WRITE(kind, data, i, (Py_UCS4)cp);
            break;
        }
    }
    return s;
}

/* Only the shape of a fresh PyUnicode_New result: (length, kind, ascii). */
static PyObject *
unicode_new_shape(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t size;
    Py_UCS4 maxchar;
    if (!PyArg_ParseTuple(args, "nI", &size, &maxchar)) {
        return NULL;
    }
    PyObject *s = PyUnicode_New(size, maxchar);
    if (s == NULL) {
        return NULL;
    }
    /* Fill it, so the result is a valid string even if returned. */
    for (Py_ssize_t i = 0; i < size; i++) {
        PyUnicode_WRITE(PyUnicode_KIND(s), PyUnicode_DATA(s), i, 'a');
    }
    PyObject *r = Py_BuildValue("(nii)", PyUnicode_GET_LENGTH(s),
                                PyUnicode_KIND(s), PyUnicode_IS_ASCII(s));
    Py_DECREF(s);
    return r;
}

static PyObject *
unicode_kinds(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(iii)", PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND,
                         PyUnicode_4BYTE_KIND);
}

/* PyUnicode_FromKindAndData(kind, buffer, len(buffer) / kind), buffer in
 * native byte order. */
static PyObject *
unicode_fromkindanddata(PyObject *Py_UNUSED(m), PyObject *args)
{
    int kind;
    const char *buf;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "iy#", &kind, &buf, &size)) {
        return NULL;
    }
    Py_ssize_t n = (kind > 0) ? size / kind : size;
    return PyUnicode_FromKindAndData(kind, buf, n);
}

static PyObject *
unicode_fromordinal(PyObject *Py_UNUSED(m), PyObject *args)
{
    int ordinal;
    if (!PyArg_ParseTuple(args, "i", &ordinal)) {
        return NULL;
    }
    return PyUnicode_FromOrdinal(ordinal);
}

/* NULL crashes CPython: not passed. */
static PyObject *
unicode_fromstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    if (!PyArg_ParseTuple(args, "y", &s)) {
        return NULL;
    }
    return PyUnicode_FromString(s);
}

/* data None means NULL: only with size 0 here (size > 0 returns an
 * uninitialised string and warns). */
static PyObject *
unicode_fromstringandsize(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    Py_ssize_t buflen, size;
    if (!PyArg_ParseTuple(args, "z#n", &s, &buflen, &size)) {
        return NULL;
    }
    if (s != NULL && size > buflen) {
        PyErr_SetString(PyExc_ValueError, "size larger than the buffer");
        return NULL;
    }
    return PyUnicode_FromStringAndSize(s, size);
}

static PyObject *
unicode_internfromstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    if (!PyArg_ParseTuple(args, "y", &s)) {
        return NULL;
    }
    return PyUnicode_InternFromString(s);
}

/* Two interned copies of the same text are one object. */
static PyObject *
unicode_intern_identity(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    if (!PyArg_ParseTuple(args, "y", &s)) {
        return NULL;
    }
    PyObject *a = PyUnicode_InternFromString(s);
    if (a == NULL) {
        return NULL;
    }
    PyObject *b = PyUnicode_FromString(s);
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    PyUnicode_InternInPlace(&b);
    int same = (a == b);
    Py_DECREF(a);
    Py_DECREF(b);
    return PyBool_FromLong(same);
}

static PyObject *
unicode_fromobject(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyUnicode_FromObject(o);
}

static PyObject *
unicode_fromencodedobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *encoding = NULL, *errors = NULL;
    if (!PyArg_ParseTuple(args, "O|zz", &o, &encoding, &errors)) {
        return NULL;
    }
    return PyUnicode_FromEncodedObject(o, encoding, errors);
}

static PyObject *
unicode_fromwidechar(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *codepoints;
    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &codepoints)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(codepoints);
    wchar_t *buf = PyMem_New(wchar_t, n + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        buf[i] = (wchar_t)PyLong_AsLong(PyList_GET_ITEM(codepoints, i));
    }
    buf[n] = 0;
    if (PyErr_Occurred()) {
        PyMem_Free(buf);
        return NULL;
    }
    PyObject *r = PyUnicode_FromWideChar(buf, n);
    PyMem_Free(buf);
    return r;
}

/* --- reading ---------------------------------------------------------- */

/* (length, kind, is_ascii, [code points via PyUnicode_READ_CHAR],
 *  [code points via PyUnicode_ReadChar], [via READ(kind, data, i)]) */
static PyObject *
unicode_inspect(PyObject *Py_UNUSED(m), PyObject *s)
{
    if (!PyUnicode_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "test needs a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    PyObject *a = PyList_New(n), *b = PyList_New(n), *c = PyList_New(n);
    if (a == NULL || b == NULL || c == NULL) {
        goto error;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_ReadChar(s, i);
        if (ch == (Py_UCS4)-1 && PyErr_Occurred()) {
            goto error;
        }
        PyList_SET_ITEM(a, i, PyLong_FromUnsignedLong(PyUnicode_READ_CHAR(s, i)));
        PyList_SET_ITEM(b, i, PyLong_FromUnsignedLong(ch));
        PyList_SET_ITEM(c, i, PyLong_FromUnsignedLong(PyUnicode_READ(kind, data, i)));
    }
    return Py_BuildValue("(niiNNN)", n, kind, PyUnicode_IS_ASCII(s), a, b, c);

error:
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(c);
    return NULL;
}

static PyObject *
unicode_maxcharvalue(PyObject *Py_UNUSED(m), PyObject *s)
{
    if (!PyUnicode_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "test needs a str");
        return NULL;
    }
    return PyLong_FromUnsignedLong(PyUnicode_MAX_CHAR_VALUE(s));
}

static PyObject *
unicode_readchar(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "On", &s, &i)) {
        return NULL;
    }
    Py_UCS4 ch = PyUnicode_ReadChar(s, i);
    if (ch == (Py_UCS4)-1) {
        return PyErr_Occurred() ? NULL : ferrytest_missing_error("(Py_UCS4)-1");
    }
    return PyLong_FromUnsignedLong(ch);
}

/* Write into a fresh string (the only kind PyUnicode_WriteChar accepts). */
static PyObject *
unicode_writechar(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *src;
    Py_ssize_t i;
    Py_UCS4 ch;
    if (!PyArg_ParseTuple(args, "UnI", &src, &i, &ch)) {
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(src);
    PyObject *s = PyUnicode_New(n, PyUnicode_MAX_CHAR_VALUE(src));
    if (s == NULL) {
        return NULL;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        PyUnicode_WRITE(PyUnicode_KIND(s), PyUnicode_DATA(s), j,
                        PyUnicode_READ_CHAR(src, j));
    }
    if (PyUnicode_WriteChar(s, i, ch) < 0) {
        Py_DECREF(s);
        return NULL;
    }
    return s;
}

static PyObject *
unicode_getlength(PyObject *Py_UNUSED(m), PyObject *s)
{
    RETURN_SIZE(PyUnicode_GetLength(s));
}

static PyObject *
unicode_substring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "Onn", &s, &start, &end)) {
        return NULL;
    }
    return PyUnicode_Substring(s, start, end);
}

/* --- UTF-8 and encodings ------------------------------------------------ */

/* The returned buffer belongs to the string; copy it out as bytes. */
static PyObject *
unicode_asutf8(PyObject *Py_UNUSED(m), PyObject *s)
{
    const char *utf8 = PyUnicode_AsUTF8(s);
    if (utf8 == NULL) {
        return NULL;
    }
    return PyBytes_FromString(utf8);
}

/* Returns (bytes, size); the bytes are taken with the size, so embedded NULs
 * show. with_size False passes NULL for the size. */
static PyObject *
unicode_asutf8andsize(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    int with_size = 1;
    if (!PyArg_ParseTuple(args, "O|p", &s, &with_size)) {
        return NULL;
    }
    Py_ssize_t size = -7;
    const char *utf8 = PyUnicode_AsUTF8AndSize(s, with_size ? &size : NULL);
    if (utf8 == NULL) {
        return NULL;
    }
    if (!with_size) {
        return Py_BuildValue("(yO)", utf8, Py_None);
    }
    if (utf8[size] != '\0') {
        return ferrytest_missing_error("a UTF-8 buffer without its NUL");
    }
    return Py_BuildValue("(y#n)", utf8, size, size);
}

/* The UTF-8 buffer is cached: two calls return the same pointer. */
static PyObject *
unicode_asutf8_stable(PyObject *Py_UNUSED(m), PyObject *s)
{
    const char *a = PyUnicode_AsUTF8(s);
    if (a == NULL) {
        return NULL;
    }
    const char *b = PyUnicode_AsUTF8AndSize(s, NULL);
    if (b == NULL) {
        return NULL;
    }
    return PyBool_FromLong(a == b);
}

static PyObject *
unicode_asutf8string(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PyUnicode_AsUTF8String(s);
}

/* PyUnicode_AsUTF8String after PyUnicode_AsUTF8 (the str keeps its UTF-8),
 * and PyUnicode_AsEncodedString(s, "utf-8") after it. */
static PyObject *
unicode_asutf8string_cached(PyObject *Py_UNUSED(m), PyObject *s)
{
    if (PyUnicode_AsUTF8(s) == NULL) {
        return NULL;
    }
    PyObject *a = PyUnicode_AsUTF8String(s);
    PyObject *b = a != NULL ? PyUnicode_AsEncodedString(s, "utf-8", "strict") : NULL;
    PyObject *r = b != NULL ? PyTuple_Pack(2, a, b) : NULL;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return r;
}

static PyObject *
unicode_asasciistring(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PyUnicode_AsASCIIString(s);
}

static PyObject *
unicode_aslatin1string(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PyUnicode_AsLatin1String(s);
}

/* encoding NULL means UTF-8, errors NULL means "strict". */
static PyObject *
unicode_asencodedstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    const char *encoding = NULL, *errors = NULL;
    if (!PyArg_ParseTuple(args, "O|zz", &s, &encoding, &errors)) {
        return NULL;
    }
    return PyUnicode_AsEncodedString(s, encoding, errors);
}

static PyObject *
unicode_decode(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *encoding = NULL, *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|zz", &buf, &size, &encoding, &errors)) {
        return NULL;
    }
    return PyUnicode_Decode(buf, size, encoding, errors);
}

static PyObject *
unicode_decodeutf8(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    return PyUnicode_DecodeUTF8(buf, size, errors);
}

/* Returns (str, consumed). */
static PyObject *
unicode_decodeutf8stateful(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    Py_ssize_t consumed = -7;
    PyObject *r = PyUnicode_DecodeUTF8Stateful(buf, size, errors, &consumed);
    if (r == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nn)", r, consumed);
}

static PyObject *
unicode_decodelatin1(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    return PyUnicode_DecodeLatin1(buf, size, errors);
}

static PyObject *
unicode_decodeascii(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    return PyUnicode_DecodeASCII(buf, size, errors);
}

/* byteorder: -1 little, 0 native with BOM detection, 1 big. Returns
 * (str, byteorder after the call). */
static PyObject *
unicode_decodeutf16(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    int byteorder;
    if (!PyArg_ParseTuple(args, "y#i", &buf, &size, &byteorder)) {
        return NULL;
    }
    PyObject *r = PyUnicode_DecodeUTF16(buf, size, NULL, &byteorder);
    if (r == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Ni)", r, byteorder);
}

static PyObject *
unicode_decodeutf32(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    int byteorder;
    if (!PyArg_ParseTuple(args, "y#i", &buf, &size, &byteorder)) {
        return NULL;
    }
    PyObject *r = PyUnicode_DecodeUTF32(buf, size, NULL, &byteorder);
    if (r == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Ni)", r, byteorder);
}

static PyObject *
unicode_decodefsdefault(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "y#", &buf, &size)) {
        return NULL;
    }
    return PyUnicode_DecodeFSDefaultAndSize(buf, size);
}

static PyObject *
unicode_encodefsdefault(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PyUnicode_EncodeFSDefault(s);
}

/* PyUnicode_AsWideCharString: returns (list of code points, size). */
static PyObject *
unicode_aswidecharstring(PyObject *Py_UNUSED(m), PyObject *s)
{
    Py_ssize_t size = -7;
    wchar_t *w = PyUnicode_AsWideCharString(s, &size);
    if (w == NULL) {
        return NULL;
    }
    PyObject *list = PyList_New(size);
    if (list == NULL) {
        PyMem_Free(w);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        PyList_SET_ITEM(list, i, PyLong_FromLong((long)w[i]));
    }
    int terminated = (w[size] == 0);
    PyMem_Free(w);
    return Py_BuildValue("(Nni)", list, size, terminated);
}

/* PyUnicode_AsWideChar into a buffer of `buflen` wchar_t: returns
 * (written, list of the written code points). */
static PyObject *
unicode_aswidechar(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    Py_ssize_t buflen;
    if (!PyArg_ParseTuple(args, "On", &s, &buflen)) {
        return NULL;
    }
    wchar_t *buf = PyMem_New(wchar_t, buflen + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t n = PyUnicode_AsWideChar(s, buf, buflen);
    if (n < 0) {
        PyMem_Free(buf);
        return NULL;
    }
    Py_ssize_t shown = n < buflen ? n : buflen;
    PyObject *list = PyList_New(shown);
    if (list == NULL) {
        PyMem_Free(buf);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < shown; i++) {
        PyList_SET_ITEM(list, i, PyLong_FromLong((long)buf[i]));
    }
    PyMem_Free(buf);
    return Py_BuildValue("(nN)", n, list);
}

/* PyUnicode_AsUCS4Copy: the code points, NUL-terminated. */
static PyObject *
unicode_asucs4copy(PyObject *Py_UNUSED(m), PyObject *s)
{
    Py_UCS4 *buf = PyUnicode_AsUCS4Copy(s);
    if (buf == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    PyObject *list = PyList_New(n);
    if (list == NULL) {
        PyMem_Free(buf);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyList_SET_ITEM(list, i, PyLong_FromUnsignedLong(buf[i]));
    }
    int terminated = (buf[n] == 0);
    PyMem_Free(buf);
    return Py_BuildValue("(Ni)", list, terminated);
}

/* --- operations ---------------------------------------------------------- */

static PyObject *
unicode_concat(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    return PyUnicode_Concat(a, b);
}

/* PyUnicode_Append(&left, right): left replaced by the result (or NULL). */
static PyObject *
unicode_append(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    Py_INCREF(a);
    PyUnicode_Append(&a, b);
    return a;
}

static PyObject *
unicode_appendanddel(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    Py_INCREF(a);
    Py_INCREF(b);
    PyUnicode_AppendAndDel(&a, b);
    return a;
}

/* separator None means NULL: a single space. */
static PyObject *
unicode_join(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *sep, *seq;
    if (!PyArg_ParseTuple(args, "OO", &sep, &seq)) {
        return NULL;
    }
    NULLABLE(sep);
    return PyUnicode_Join(sep, seq);
}

/* sep None means NULL: split on whitespace. */
static PyObject *
unicode_split(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *sep;
    Py_ssize_t maxsplit = -1;
    if (!PyArg_ParseTuple(args, "OO|n", &s, &sep, &maxsplit)) {
        return NULL;
    }
    NULLABLE(sep);
    return PyUnicode_Split(s, sep, maxsplit);
}

static PyObject *
unicode_splitlines(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    int keepends = 0;
    if (!PyArg_ParseTuple(args, "O|i", &s, &keepends)) {
        return NULL;
    }
    return PyUnicode_Splitlines(s, keepends);
}

static PyObject *
unicode_replace(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *old, *new_;
    Py_ssize_t maxcount = -1;
    if (!PyArg_ParseTuple(args, "OOO|n", &s, &old, &new_, &maxcount)) {
        return NULL;
    }
    return PyUnicode_Replace(s, old, new_, maxcount);
}

static PyObject *
unicode_compare(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    int r = PyUnicode_Compare(a, b);
    if (r == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(r);
}

/* Never fails; b is bytes holding the ASCII text. */
static PyObject *
unicode_comparewithasciistring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a;
    const char *b;
    if (!PyArg_ParseTuple(args, "Uy", &a, &b)) {
        return NULL;
    }
    return PyLong_FromLong(PyUnicode_CompareWithASCIIString(a, b));
}

static PyObject *
unicode_richcompare(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    int op;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &op)) {
        return NULL;
    }
    return PyUnicode_RichCompare(a, b, op);
}

static PyObject *
unicode_contains(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    RETURN_INT(PyUnicode_Contains(a, b));
}

/* direction 1 forward, -1 backward; -1 not found, -2 error. */
static PyObject *
unicode_find(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *sub;
    Py_ssize_t start, end;
    int direction;
    if (!PyArg_ParseTuple(args, "OOnni", &s, &sub, &start, &end, &direction)) {
        return NULL;
    }
    Py_ssize_t r = PyUnicode_Find(s, sub, start, end, direction);
    if (r == -2) {
        return PyErr_Occurred() ? NULL : ferrytest_missing_error("-2");
    }
    return PyLong_FromSsize_t(r);
}

static PyObject *
unicode_findchar(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    Py_UCS4 ch;
    Py_ssize_t start, end;
    int direction;
    if (!PyArg_ParseTuple(args, "OInni", &s, &ch, &start, &end, &direction)) {
        return NULL;
    }
    Py_ssize_t r = PyUnicode_FindChar(s, ch, start, end, direction);
    if (r == -2) {
        return PyErr_Occurred() ? NULL : ferrytest_missing_error("-2");
    }
    return PyLong_FromSsize_t(r);
}

static PyObject *
unicode_count(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *sub;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "OOnn", &s, &sub, &start, &end)) {
        return NULL;
    }
    RETURN_SIZE(PyUnicode_Count(s, sub, start, end));
}

/* direction -1 prefix, 1 suffix. */
static PyObject *
unicode_tailmatch(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *sub;
    Py_ssize_t start, end;
    int direction;
    if (!PyArg_ParseTuple(args, "OOnni", &s, &sub, &start, &end, &direction)) {
        return NULL;
    }
    RETURN_SIZE(PyUnicode_Tailmatch(s, sub, start, end, direction));
}

static PyObject *
unicode_format(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *fmt, *values;
    if (!PyArg_ParseTuple(args, "OO", &fmt, &values)) {
        return NULL;
    }
    return PyUnicode_Format(fmt, values);
}

/* --- PyUnicode_FromFormat ---------------------------------------------- */

/* One case per format directive; `obj` feeds the object directives. */
static PyObject *
unicode_fromformat(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    PyObject *obj = Py_None;
    if (!PyArg_ParseTuple(args, "s|O", &which, &obj)) {
        return NULL;
    }
#define CASE(name, ...)                                       \
    if (strcmp(which, name) == 0) {                           \
        return PyUnicode_FromFormat(__VA_ARGS__);             \
    }
    CASE("empty", "%s", "")
    CASE("text", "plain text")
    CASE("percent", "100%%")
    CASE("c", "[%c%c]", 'a', 0x20ac)
    CASE("c_astral", "[%c]", 0x1f40d)
    CASE("d", "%d %d %d", 0, -1, 2147483647)
    CASE("i", "%i", -2147483647 - 1)
    CASE("u", "%u", 4294967295u)
    CASE("ld", "%ld %ld", LONG_MIN, LONG_MAX)
    CASE("li", "%li", -42L)
    CASE("lu", "%lu", ULONG_MAX)
    CASE("lld", "%lld %lld", LLONG_MIN, LLONG_MAX)
    CASE("llu", "%llu", ULLONG_MAX)
    CASE("zd", "%zd %zd", PY_SSIZE_T_MIN, PY_SSIZE_T_MAX)
    CASE("zi", "%zi", (Py_ssize_t)-5)
    CASE("zu", "%zu", (size_t)-1)
    CASE("x", "%x %x", 255, 0xdeadbeefu)
    CASE("width", "[%5d][%3d]", 42, 12345)
    CASE("zero_pad", "[%05d][%03i]", 42, 7)
    CASE("precision_int", "[%.4d]", 7)
    CASE("s", "[%s]", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d")
    CASE("s_precision", "[%.3s]", "abcdef")
    CASE("s_width", "[%8s]", "abc")
    CASE("U", "[%U]", obj)
    CASE("U_precision", "[%.2U]", obj)
    CASE("V_obj", "[%V]", obj, "fallback")
    CASE("V_null", "[%V]", (PyObject *)NULL, "fallb\xc3\xa4" "ck")
    CASE("S", "[%S]", obj)
    CASE("R", "[%R]", obj)
    CASE("A", "[%A]", obj)
    CASE("S_precision", "[%.3S]", obj)
    CASE("R_width", "[%10R]", obj)
    CASE("p", "%p", (void *)0x1234)
    CASE("mixed", "%s=%d (%R)", "key", 3, obj)
#undef CASE
    PyErr_Format(PyExc_ValueError, "unknown case %s", which);
    return NULL;
}

/* --- formatting with a va_list, codecs by name, locale ------------------- */

static PyObject *
unicode_fromformatv_helper(const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    PyObject *res = PyUnicode_FromFormatV(format, vargs);
    va_end(vargs);
    return res;
}

/* A fixed set of formats: which selects one, obj feeds %U/%R/%S. */
static PyObject *
unicode_fromformatv(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *which;
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "sO", &which, &obj)) {
        return NULL;
    }
    if (strcmp(which, "mixed") == 0) {
        return unicode_fromformatv_helper("%s|%d|%zd|%x|%c|%%|%U|%R|%S",
                                          "caf\xc3\xa9", -42, (Py_ssize_t)7,
                                          255, 0x20ac, obj, obj, obj);
    }
    if (strcmp(which, "precision") == 0) {
        return unicode_fromformatv_helper("[%.3s][%5d][%-4d][%.2U]", "abcdef",
                                          42, 7, obj);
    }
    if (strcmp(which, "empty") == 0) {
        return unicode_fromformatv_helper("");
    }
    if (strcmp(which, "bad_char") == 0) {
        return unicode_fromformatv_helper("%c", 0x110000);
    }
    PyErr_SetString(PyExc_ValueError, "unknown format selector");
    return NULL;
}

/* mapping: anything CPython accepts (dict, str table, NULL for latin-1). */
static PyObject *
unicode_ascharmapstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s, *mapping;
    if (!PyArg_ParseTuple(args, "OO", &s, &mapping)) {
        return NULL;
    }
    NULLABLE(mapping);
    return PyUnicode_AsCharmapString(s, mapping);
}

static PyObject *
unicode_asrawunicodeescapestring(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PyUnicode_AsRawUnicodeEscapeString(s);
}

static PyObject *
unicode_asunicodeescapestring(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PyUnicode_AsUnicodeEscapeString(s);
}

static PyObject *
unicode_asutf16string(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PyUnicode_AsUTF16String(s);
}

static PyObject *
unicode_asutf32string(PyObject *Py_UNUSED(m), PyObject *s)
{
    return PyUnicode_AsUTF32String(s);
}

/* PyUnicode_AsUCS4 into a buffer of buflen code points; the result is the
 * buffer contents as a list of ints (all buflen of them, the buffer starts
 * filled with 0xFFFF so untouched slots are visible). */
static PyObject *
unicode_asucs4(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    Py_ssize_t buflen;
    int copy_null;
    if (!PyArg_ParseTuple(args, "Onp", &s, &buflen, &copy_null)) {
        return NULL;
    }
    if (buflen < 0 || buflen > 64) {
        PyErr_SetString(PyExc_ValueError, "test buffer holds 0..64 code points");
        return NULL;
    }
    Py_UCS4 buffer[64];
    for (Py_ssize_t i = 0; i < 64; i++) {
        buffer[i] = 0xFFFF;
    }
    if (PyUnicode_AsUCS4(s, buffer, buflen, copy_null) == NULL) {
        if (!PyErr_Occurred()) {
            return ferrytest_missing_error("NULL");
        }
        return NULL;
    }
    PyObject *list = PyList_New(buflen);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < buflen; i++) {
        PyObject *v = PyLong_FromUnsignedLong(buffer[i]);
        if (v == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, v);
    }
    return list;
}

/* Deprecated wchar_t view: (the characters as a str, the reported size,
 * whether the buffer is NUL-terminated). */
static PyObject *
unicode_asunicodeandsize(PyObject *Py_UNUSED(m), PyObject *s)
{
    Py_ssize_t size = -1;
_Pragma("GCC diagnostic push")
_Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
    Py_UNICODE *w = PyUnicode_AsUnicodeAndSize(s, &size);
_Pragma("GCC diagnostic pop")
    if (w == NULL) {
        if (!PyErr_Occurred()) {
            return ferrytest_missing_error("NULL");
        }
        return NULL;
    }
    PyObject *str = PyUnicode_FromWideChar(w, size);
    if (str == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nni)", str, size, w[size] == 0);
}

/* PyUnicode_AsUnicode: (the characters up to the first NUL, as a str; the
 * whole buffer, read with the length AsUnicodeAndSize reports; whether a
 * second call returns the same buffer, which lives as long as the str). */
static PyObject *
unicode_asunicode(PyObject *Py_UNUSED(m), PyObject *s)
{
_Pragma("GCC diagnostic push")
_Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
    Py_UNICODE *w = PyUnicode_AsUnicode(s);
    if (w == NULL) {
        if (!PyErr_Occurred()) {
            return ferrytest_missing_error("NULL");
        }
        return NULL;
    }
    Py_ssize_t size = -1;
    Py_UNICODE *again = PyUnicode_AsUnicodeAndSize(s, &size);
    Py_UNICODE *third = PyUnicode_AsUnicode(s);
_Pragma("GCC diagnostic pop")
    if (again == NULL) {
        return NULL;
    }
    PyObject *upto_nul = PyUnicode_FromWideChar(w, -1);
    PyObject *whole = upto_nul ? PyUnicode_FromWideChar(w, size) : NULL;
    if (whole == NULL) {
        Py_XDECREF(upto_nul);
        return NULL;
    }
    return Py_BuildValue("(NNi)", upto_nul, whole, w == again && w == third);
}

static PyObject *
unicode_decodecharmap(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    PyObject *mapping;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#O|z", &buf, &size, &mapping, &errors)) {
        return NULL;
    }
    NULLABLE(mapping);
    return PyUnicode_DecodeCharmap(buf, size, mapping, errors);
}

/* PyUnicode_DecodeFSDefault takes a NUL-terminated string. */
static PyObject *
unicode_decodefsdefault_nul(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    if (!PyArg_ParseTuple(args, "y", &s)) {
        return NULL;
    }
    return PyUnicode_DecodeFSDefault(s);
}

static PyObject *
unicode_decodelocale(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *s;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y|z", &s, &errors)) {
        return NULL;
    }
    return PyUnicode_DecodeLocale(s, errors);
}

/* The buffer must be NUL-terminated at size (CPython checks for embedded
 * NULs against it): y# of a bytes object always is. */
static PyObject *
unicode_decodelocaleandsize(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    return PyUnicode_DecodeLocaleAndSize(buf, size, errors);
}

static PyObject *
unicode_encodelocale(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *s;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "O|z", &s, &errors)) {
        return NULL;
    }
    return PyUnicode_EncodeLocale(s, errors);
}

static PyObject *
unicode_decoderawunicodeescape(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    return PyUnicode_DecodeRawUnicodeEscape(buf, size, errors);
}

static PyObject *
unicode_decodeunicodeescape(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    return PyUnicode_DecodeUnicodeEscape(buf, size, errors);
}

/* (str, byteorder after the call, consumed); byteorder None means NULL. */
#define UNICODE_DECODE_UTF_STATEFUL(name, api)                              \
    static PyObject *                                                       \
    name(PyObject *Py_UNUSED(m), PyObject *args)                            \
    {                                                                       \
        const char *buf;                                                    \
        Py_ssize_t size;                                                    \
        const char *errors = NULL;                                          \
        PyObject *order = Py_None;                                          \
        int final = 1;                                                      \
        if (!PyArg_ParseTuple(args, "y#|zOp", &buf, &size, &errors,         \
                              &order, &final)) {                            \
            return NULL;                                                    \
        }                                                                   \
        int byteorder = 0;                                                  \
        int *pbyteorder = NULL;                                             \
        if (order != Py_None) {                                             \
            byteorder = PyLong_AsLong(order);                               \
            if (byteorder == -1 && PyErr_Occurred()) {                      \
                return NULL;                                                \
            }                                                               \
            pbyteorder = &byteorder;                                        \
        }                                                                   \
        Py_ssize_t consumed = -12345;                                       \
        PyObject *res = api(buf, size, errors, pbyteorder,                  \
                            final ? NULL : &consumed);                      \
        if (res == NULL) {                                                  \
            return NULL;                                                    \
        }                                                                   \
        return Py_BuildValue("(Nin)", res, byteorder, consumed);            \
    }

UNICODE_DECODE_UTF_STATEFUL(unicode_decodeutf16stateful,
                            PyUnicode_DecodeUTF16Stateful)
UNICODE_DECODE_UTF_STATEFUL(unicode_decodeutf32stateful,
                            PyUnicode_DecodeUTF32Stateful)

static PyObject *
unicode_decodeutf7(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    return PyUnicode_DecodeUTF7(buf, size, errors);
}

/* (str, consumed) */
static PyObject *
unicode_decodeutf7stateful(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *buf;
    Py_ssize_t size;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "y#|z", &buf, &size, &errors)) {
        return NULL;
    }
    Py_ssize_t consumed = -12345;
    PyObject *res = PyUnicode_DecodeUTF7Stateful(buf, size, errors, &consumed);
    if (res == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nn)", res, consumed);
}

static PyObject *
unicode_getdefaultencoding(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    const char *enc = PyUnicode_GetDefaultEncoding();
    return PyUnicode_FromString(enc);
}

/* _PyUnicode_Ready through PyUnicode_READY, the way extensions reach it.
 * Called directly on an already ready string it corrupts that string in
 * CPython 3.11 (it assumes a legacy wstr-only string, which no API exported
 * here can create), and a non-str crashes CPython: neither is done. */
static PyObject *
unicode_ready(PyObject *Py_UNUSED(m), PyObject *s)
{
    if (!PyUnicode_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "test needs a str");
        return NULL;
    }
    RETURN_INT(PyUnicode_READY(s));
}

/* _PyUnicode_ToLowercase (Py_UNICODE_TOLOWER) of one code point. */
static PyObject *
unicode_tolowercase(PyObject *Py_UNUSED(m), PyObject *arg)
{
    unsigned long c = PyLong_AsUnsignedLong(arg);
    if (c == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(_PyUnicode_ToLowercase((Py_UCS4)c));
}

/* A digest of the mapping over every code point (and a little beyond), so
 * one number compares the whole table with CPython's; also the number of
 * code points whose lowercase is not themselves. */
static PyObject *
unicode_tolowercase_digest(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    unsigned long long h = 0;
    long changed = 0;
    for (Py_UCS4 c = 0; c < 0x110000 + 16; c++) {
        Py_UCS4 l = _PyUnicode_ToLowercase(c);
        h = h * 1000003ULL + (unsigned long long)(l ^ c);
        changed += l != c;
    }
    return Py_BuildValue("(Kl)", h, changed);
}

/* _PyUnicode_IsWhitespace of one code point. */
static PyObject *
unicode_iswhitespace(PyObject *Py_UNUSED(m), PyObject *arg)
{
    unsigned long c = PyLong_AsUnsignedLong(arg);
    if (c == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(_PyUnicode_IsWhitespace((Py_UCS4)c));
}

/* _PyUnicode_IsDigit of one code point. */
static PyObject *
unicode_isdigit(PyObject *Py_UNUSED(m), PyObject *arg)
{
    unsigned long c = PyLong_AsUnsignedLong(arg);
    if (c == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(_PyUnicode_IsDigit((Py_UCS4)c));
}

/* The runs [first, last] of code points below `limit` that
 * _PyUnicode_IsDigit accepts, and the count of those Py_UNICODE_ISDIGIT
 * (the macro) accepts. */
static PyObject *
unicode_digit_runs(PyObject *Py_UNUSED(m), PyObject *arg)
{
    unsigned long limit = PyLong_AsUnsignedLong(arg);
    if (limit == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *runs = PyList_New(0);
    if (runs == NULL) {
        return NULL;
    }
    long macro = 0;
    Py_UCS4 first = 0;
    int in_run = 0;
    for (Py_UCS4 c = 0; c <= limit; c++) {
        int is = c < limit && _PyUnicode_IsDigit(c);
        macro += c < limit && Py_UNICODE_ISDIGIT(c);
        if (is && !in_run) {
            first = c;
        } else if (!is && in_run) {
            PyObject *run = Py_BuildValue("(kk)", (unsigned long)first, (unsigned long)(c - 1));
            if (run == NULL || PyList_Append(runs, run) < 0) {
                Py_XDECREF(run);
                Py_DECREF(runs);
                return NULL;
            }
            Py_DECREF(run);
        }
        in_run = is;
    }
    return Py_BuildValue("(Nl)", runs, macro);
}

/* The code points below `limit` that _PyUnicode_IsWhitespace accepts, and
 * those Py_UNICODE_ISSPACE accepts (the macro reads _Py_ascii_whitespace
 * below 128). */
static PyObject *
unicode_whitespace_all(PyObject *Py_UNUSED(m), PyObject *arg)
{
    unsigned long limit = PyLong_AsUnsignedLong(arg);
    if (limit == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *func = PyList_New(0), *macro = PyList_New(0);
    if (func == NULL || macro == NULL) {
        goto error;
    }
    for (Py_UCS4 c = 0; c < limit; c++) {
        PyObject *n = NULL;
        if (_PyUnicode_IsWhitespace(c) || Py_UNICODE_ISSPACE(c)) {
            n = PyLong_FromUnsignedLong(c);
            if (n == NULL) {
                goto error;
            }
        }
        if ((_PyUnicode_IsWhitespace(c) && PyList_Append(func, n) < 0) ||
            (Py_UNICODE_ISSPACE(c) && PyList_Append(macro, n) < 0)) {
            Py_XDECREF(n);
            goto error;
        }
        Py_XDECREF(n);
    }
    return Py_BuildValue("(NN)", func, macro);
error:
    Py_XDECREF(func);
    Py_XDECREF(macro);
    return NULL;
}

/* The exported table _Py_ascii_whitespace, as bytes. */
static PyObject *
unicode_ascii_whitespace(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyBytes_FromStringAndSize((const char *)_Py_ascii_whitespace, 128);
}

/* _PyUnicode_FastCopyCharacters into a new str of C: `base` (a str) is
 * copied into a fresh PyUnicode_New(len(base), maxchar), then how_many
 * characters of src from src_start are copied over it at to_start. maxchar
 * is the larger of base's and the `maxchar` argument, which defaults to
 * src's maximum (a smaller one makes the copy narrow src's characters).
 * Callers pass valid ranges whose characters fit (CPython checks nothing).
 * With src None, the copy is within the new str itself. Returns the str. */
static PyObject *
unicode_fastcopy(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *base, *src;
    Py_ssize_t to_start, src_start, how_many;
    long maxchar = -1;
    if (!PyArg_ParseTuple(args, "UnOnn|l", &base, &to_start, &src, &src_start, &how_many,
                          &maxchar)) {
        return NULL;
    }
    if (src != Py_None && !PyUnicode_Check(src)) {
        PyErr_SetString(PyExc_TypeError, "src must be a str or None");
        return NULL;
    }
    if (maxchar < 0) {
        maxchar = src == Py_None ? 0 : (long)PyUnicode_MAX_CHAR_VALUE(src);
    }
    if ((long)PyUnicode_MAX_CHAR_VALUE(base) > maxchar) {
        maxchar = PyUnicode_MAX_CHAR_VALUE(base);
    }
    PyObject *to = PyUnicode_New(PyUnicode_GET_LENGTH(base), (Py_UCS4)maxchar);
    if (to == NULL) {
        return NULL;
    }
    _PyUnicode_FastCopyCharacters(to, 0, base, 0, PyUnicode_GET_LENGTH(base));
    _PyUnicode_FastCopyCharacters(to, to_start, src == Py_None ? to : src, src_start, how_many);
    return to;
}

static PyMethodDef unicode_methods[] = {
    {"unicode_iswhitespace", unicode_iswhitespace, METH_O, NULL},
    {"unicode_isdigit", unicode_isdigit, METH_O, NULL},
    {"unicode_digit_runs", unicode_digit_runs, METH_O, NULL},
    {"unicode_whitespace_all", unicode_whitespace_all, METH_O, NULL},
    {"unicode_ascii_whitespace", unicode_ascii_whitespace, METH_NOARGS, NULL},
    {"unicode_fastcopy", unicode_fastcopy, METH_VARARGS, NULL},
    {"unicode_new_write", unicode_new_write, METH_VARARGS, NULL},
    {"unicode_new_shape", unicode_new_shape, METH_VARARGS, NULL},
    {"unicode_kinds", unicode_kinds, METH_NOARGS, NULL},
    {"unicode_fromkindanddata", unicode_fromkindanddata, METH_VARARGS, NULL},
    {"unicode_fromordinal", unicode_fromordinal, METH_VARARGS, NULL},
    {"unicode_fromstring", unicode_fromstring, METH_VARARGS, NULL},
    {"unicode_fromstringandsize", unicode_fromstringandsize, METH_VARARGS, NULL},
    {"unicode_internfromstring", unicode_internfromstring, METH_VARARGS, NULL},
    {"unicode_intern_identity", unicode_intern_identity, METH_VARARGS, NULL},
    {"unicode_fromobject", unicode_fromobject, METH_O, NULL},
    {"unicode_fromencodedobject", unicode_fromencodedobject, METH_VARARGS, NULL},
    {"unicode_fromwidechar", unicode_fromwidechar, METH_VARARGS, NULL},
    {"unicode_inspect", unicode_inspect, METH_O, NULL},
    {"unicode_maxcharvalue", unicode_maxcharvalue, METH_O, NULL},
    {"unicode_readchar", unicode_readchar, METH_VARARGS, NULL},
    {"unicode_writechar", unicode_writechar, METH_VARARGS, NULL},
    {"unicode_getlength", unicode_getlength, METH_O, NULL},
    {"unicode_substring", unicode_substring, METH_VARARGS, NULL},
    {"unicode_asutf8", unicode_asutf8, METH_O, NULL},
    {"unicode_asutf8andsize", unicode_asutf8andsize, METH_VARARGS, NULL},
    {"unicode_asutf8_stable", unicode_asutf8_stable, METH_O, NULL},
    {"unicode_asutf8string", unicode_asutf8string, METH_O, NULL},
    {"unicode_asutf8string_cached", unicode_asutf8string_cached, METH_O, NULL},
    {"unicode_asasciistring", unicode_asasciistring, METH_O, NULL},
    {"unicode_aslatin1string", unicode_aslatin1string, METH_O, NULL},
    {"unicode_asencodedstring", unicode_asencodedstring, METH_VARARGS, NULL},
    {"unicode_decode", unicode_decode, METH_VARARGS, NULL},
    {"unicode_decodeutf8", unicode_decodeutf8, METH_VARARGS, NULL},
    {"unicode_decodeutf8stateful", unicode_decodeutf8stateful, METH_VARARGS, NULL},
    {"unicode_decodelatin1", unicode_decodelatin1, METH_VARARGS, NULL},
    {"unicode_decodeascii", unicode_decodeascii, METH_VARARGS, NULL},
    {"unicode_decodeutf16", unicode_decodeutf16, METH_VARARGS, NULL},
    {"unicode_decodeutf32", unicode_decodeutf32, METH_VARARGS, NULL},
    {"unicode_decodefsdefault", unicode_decodefsdefault, METH_VARARGS, NULL},
    {"unicode_encodefsdefault", unicode_encodefsdefault, METH_O, NULL},
    {"unicode_aswidecharstring", unicode_aswidecharstring, METH_O, NULL},
    {"unicode_aswidechar", unicode_aswidechar, METH_VARARGS, NULL},
    {"unicode_asucs4copy", unicode_asucs4copy, METH_O, NULL},
    {"unicode_concat", unicode_concat, METH_VARARGS, NULL},
    {"unicode_append", unicode_append, METH_VARARGS, NULL},
    {"unicode_appendanddel", unicode_appendanddel, METH_VARARGS, NULL},
    {"unicode_join", unicode_join, METH_VARARGS, NULL},
    {"unicode_split", unicode_split, METH_VARARGS, NULL},
    {"unicode_splitlines", unicode_splitlines, METH_VARARGS, NULL},
    {"unicode_replace", unicode_replace, METH_VARARGS, NULL},
    {"unicode_compare", unicode_compare, METH_VARARGS, NULL},
    {"unicode_comparewithasciistring", unicode_comparewithasciistring, METH_VARARGS, NULL},
    {"unicode_richcompare", unicode_richcompare, METH_VARARGS, NULL},
    {"unicode_contains", unicode_contains, METH_VARARGS, NULL},
    {"unicode_find", unicode_find, METH_VARARGS, NULL},
    {"unicode_findchar", unicode_findchar, METH_VARARGS, NULL},
    {"unicode_count", unicode_count, METH_VARARGS, NULL},
    {"unicode_tailmatch", unicode_tailmatch, METH_VARARGS, NULL},
    {"unicode_format", unicode_format, METH_VARARGS, NULL},
    {"unicode_fromformat", unicode_fromformat, METH_VARARGS, NULL},
    {"unicode_fromformatv", unicode_fromformatv, METH_VARARGS, NULL},
    {"unicode_ascharmapstring", unicode_ascharmapstring, METH_VARARGS, NULL},
    {"unicode_asrawunicodeescapestring", unicode_asrawunicodeescapestring, METH_O, NULL},
    {"unicode_asunicodeescapestring", unicode_asunicodeescapestring, METH_O, NULL},
    {"unicode_asutf16string", unicode_asutf16string, METH_O, NULL},
    {"unicode_asutf32string", unicode_asutf32string, METH_O, NULL},
    {"unicode_asucs4", unicode_asucs4, METH_VARARGS, NULL},
    {"unicode_asunicodeandsize", unicode_asunicodeandsize, METH_O, NULL},
    {"unicode_asunicode", unicode_asunicode, METH_O, NULL},
    {"unicode_decodecharmap", unicode_decodecharmap, METH_VARARGS, NULL},
    {"unicode_decodefsdefault_nul", unicode_decodefsdefault_nul, METH_VARARGS, NULL},
    {"unicode_decodelocale", unicode_decodelocale, METH_VARARGS, NULL},
    {"unicode_decodelocaleandsize", unicode_decodelocaleandsize, METH_VARARGS, NULL},
    {"unicode_encodelocale", unicode_encodelocale, METH_VARARGS, NULL},
    {"unicode_decoderawunicodeescape", unicode_decoderawunicodeescape, METH_VARARGS, NULL},
    {"unicode_decodeunicodeescape", unicode_decodeunicodeescape, METH_VARARGS, NULL},
    {"unicode_decodeutf16stateful", unicode_decodeutf16stateful, METH_VARARGS, NULL},
    {"unicode_decodeutf32stateful", unicode_decodeutf32stateful, METH_VARARGS, NULL},
    {"unicode_decodeutf7", unicode_decodeutf7, METH_VARARGS, NULL},
    {"unicode_decodeutf7stateful", unicode_decodeutf7stateful, METH_VARARGS, NULL},
    {"unicode_getdefaultencoding", unicode_getdefaultencoding, METH_NOARGS, NULL},
    {"unicode_ready", unicode_ready, METH_O, NULL},
    {"unicode_tolowercase", unicode_tolowercase, METH_O, NULL},
    {"unicode_tolowercase_digest", unicode_tolowercase_digest, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_unicode(PyObject *m)
{
    return PyModule_AddFunctions(m, unicode_methods);
}
