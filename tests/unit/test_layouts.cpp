// Pins the struct layouts that extensions read directly through CPython's
// macros, and the layer's own object header. Compile-time checks; the test
// case exists so that the suite reports them.
#include <Python.h>

#include <catch2/catch.hpp>
#include <cstddef>

#include "proxies/proxy.h"

static_assert(sizeof(PyObject) == 16);
static_assert(offsetof(PyObject, ob_type) == 8);
static_assert(offsetof(PyVarObject, ob_size) == 16);
static_assert(offsetof(PyLongObject, ob_digit) == 24 && sizeof(digit) == 4 && PyLong_SHIFT == 30);
static_assert(offsetof(PyFloatObject, ob_fval) == 16);
static_assert(offsetof(PyTupleObject, ob_item) == 24);
static_assert(offsetof(PyListObject, ob_item) == 24 && offsetof(PyListObject, allocated) == 32);
static_assert(offsetof(PyBytesObject, ob_sval) == 32);
static_assert(sizeof(PyASCIIObject) == 48 && sizeof(PyCompactUnicodeObject) == 72);
static_assert(offsetof(PyDictObject, ma_used) == 16);
static_assert(offsetof(PySetObject, used) == 24);
static_assert(offsetof(PyTypeObject, tp_flags) == 168);
static_assert(offsetof(PyTypeObject, tp_cache) == 352, "the layer keeps its TypeInfo in tp_cache");
static_assert(offsetof(PyThreadState, curexc_type) == 96, "Cython reads the error indicator directly");
static_assert(sizeof(ferry::Header) == 32 && sizeof(ferry::Header) % 16 == 0);

TEST_CASE("CPython 3.11 layouts are pinned at compile time", "[layouts]") {
    CHECK(sizeof(PyTypeObject) == 408);
    CHECK(offsetof(PyModuleDef, m_size) == 56);
}
