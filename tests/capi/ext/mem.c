/* Memory interfaces: PyMem_*, PyMem_Raw* and PyObject_Malloc/Realloc/Free
 * from Objects/obmalloc.c, and the PyMem_New / PyMem_Resize macros.
 *
 * Mirrors CPython's Modules/_testcapi/mem.c. Every check runs in C; the
 * wrappers answer True, or raise AssertionError naming what went wrong.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ferrytest.h"

typedef struct {
    void *(*malloc)(size_t);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
} allocator;

static int
find_allocator(const char *domain, allocator *a)
{
    if (strcmp(domain, "mem") == 0) {
        *a = (allocator){PyMem_Malloc, PyMem_Calloc, PyMem_Realloc, PyMem_Free};
    }
    else if (strcmp(domain, "raw") == 0) {
        *a = (allocator){PyMem_RawMalloc, PyMem_RawCalloc, PyMem_RawRealloc,
                         PyMem_RawFree};
    }
    else if (strcmp(domain, "object") == 0) {
        *a = (allocator){PyObject_Malloc, PyObject_Calloc, PyObject_Realloc,
                         PyObject_Free};
    }
    else {
        PyErr_Format(PyExc_ValueError, "unknown domain %s", domain);
        return -1;
    }
    return 0;
}

static PyObject *
fail(const char *domain, const char *what)
{
    PyErr_Format(PyExc_AssertionError, "%s: %s", domain, what);
    return NULL;
}

/* malloc(size), fill, realloc to 2*size+1 keeping the prefix, shrink back,
 * free; calloc zeroes; alignment is at least that of max_align_t's commonly
 * used 8 bytes (16 for these allocators on x86-64 glibc, not required). */
static PyObject *
mem_roundtrip(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *domain;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "sn", &domain, &size)) {
        return NULL;
    }
    allocator a;
    if (find_allocator(domain, &a) < 0) {
        return NULL;
    }
    unsigned char *p = a.malloc((size_t)size);
    if (p == NULL) {
        return fail(domain, "malloc returned NULL");
    }
    if ((uintptr_t)p % 8 != 0) {
        a.free(p);
        return fail(domain, "malloc result not 8-byte aligned");
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        p[i] = (unsigned char)(i * 7 + 3);
    }
    unsigned char *q = a.realloc(p, (size_t)(2 * size + 1));
    if (q == NULL) {
        a.free(p);
        return fail(domain, "realloc (grow) returned NULL");
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        if (q[i] != (unsigned char)(i * 7 + 3)) {
            a.free(q);
            return fail(domain, "realloc (grow) lost the contents");
        }
    }
    unsigned char *r = a.realloc(q, (size_t)(size / 2 + 1));
    if (r == NULL) {
        a.free(q);
        return fail(domain, "realloc (shrink) returned NULL");
    }
    for (Py_ssize_t i = 0; i < size / 2 + 1 && i < size; i++) {
        if (r[i] != (unsigned char)(i * 7 + 3)) {
            a.free(r);
            return fail(domain, "realloc (shrink) lost the contents");
        }
    }
    a.free(r);

    unsigned char *z = a.calloc((size_t)size + 1, 3);
    if (z == NULL) {
        return fail(domain, "calloc returned NULL");
    }
    for (Py_ssize_t i = 0; i < (size + 1) * 3; i++) {
        if (z[i] != 0) {
            a.free(z);
            return fail(domain, "calloc memory not zeroed");
        }
    }
    a.free(z);
    Py_RETURN_TRUE;
}

/* Size 0 gives a unique non-NULL pointer; realloc(NULL, n) is malloc;
 * free(NULL) is a no-op. */
static PyObject *
mem_edge_cases(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *domain;
    if (!PyArg_ParseTuple(args, "s", &domain)) {
        return NULL;
    }
    allocator a;
    if (find_allocator(domain, &a) < 0) {
        return NULL;
    }
    void *p0 = a.malloc(0);
    void *p1 = a.malloc(0);
    if (p0 == NULL || p1 == NULL) {
        a.free(p0);
        a.free(p1);
        return fail(domain, "malloc(0) returned NULL");
    }
    if (p0 == p1) {
        a.free(p0);
        return fail(domain, "two malloc(0) returned the same pointer");
    }
    a.free(p0);
    a.free(p1);

    void *c0 = a.calloc(0, 0);
    if (c0 == NULL) {
        return fail(domain, "calloc(0, 0) returned NULL");
    }
    a.free(c0);

    char *r = a.realloc(NULL, 16);
    if (r == NULL) {
        return fail(domain, "realloc(NULL, 16) returned NULL");
    }
    memset(r, 'r', 16);
    void *r0 = a.realloc(r, 0);
    if (r0 == NULL) {
        a.free(r);
        return fail(domain, "realloc(p, 0) returned NULL");
    }
    a.free(r0);
    a.free(NULL);
    Py_RETURN_TRUE;
}

/* Requests larger than PY_SSIZE_T_MAX fail with NULL and set no exception. */
static PyObject *
mem_too_large(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *domain;
    if (!PyArg_ParseTuple(args, "s", &domain)) {
        return NULL;
    }
    allocator a;
    if (find_allocator(domain, &a) < 0) {
        return NULL;
    }
    size_t huge = (size_t)PY_SSIZE_T_MAX + 1;
    void *p = a.malloc(huge);
    void *c = a.calloc(huge, 2);
    void *small = a.malloc(8);
    void *r = small ? a.realloc(small, huge) : NULL;
    int ok = (p == NULL && c == NULL && small != NULL && r == NULL);
    a.free(p);
    a.free(c);
    a.free(small);   /* a failed realloc leaves the block allocated */
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception set by an allocator");
    }
    if (!ok) {
        return fail(domain, "an oversized request did not return NULL");
    }
    Py_RETURN_TRUE;
}

/* PyMem_New / PyMem_Resize / PyMem_Del: typed, with overflow checks. */
static PyObject *
mem_typed_macros(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    double *d = PyMem_New(double, 10);
    if (d == NULL) {
        return fail("PyMem_New", "returned NULL");
    }
    for (int i = 0; i < 10; i++) {
        d[i] = i + 0.5;
    }
    PyMem_Resize(d, double, 1000);
    if (d == NULL) {
        return fail("PyMem_Resize", "returned NULL");
    }
    for (int i = 0; i < 10; i++) {
        if (d[i] != i + 0.5) {
            PyMem_Del(d);
            return fail("PyMem_Resize", "lost the contents");
        }
    }
    PyMem_Del(d);

    /* n * sizeof(type) overflowing Py_ssize_t: NULL, no exception. */
    double *over = PyMem_New(double, PY_SSIZE_T_MAX / 4);
    if (over != NULL) {
        PyMem_Free(over);
        return fail("PyMem_New", "an overflowing count did not return NULL");
    }
    Py_RETURN_TRUE;
}

/* A block from one domain, written and read around a Python call. */
static PyObject *
mem_survives_call(PyObject *Py_UNUSED(m), PyObject *callable)
{
    char *buf = PyObject_Malloc(64);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    memset(buf, 'k', 64);
    PyObject *r = PyObject_CallNoArgs(callable);
    int intact = 1;
    for (int i = 0; i < 64; i++) {
        intact &= (buf[i] == 'k');
    }
    PyObject_Free(buf);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    return PyBool_FromLong(intact);
}

/* BigBlock(size, pymem): an object owning `size` bytes from malloc (or
 * PyMem_Malloc), freed by its tp_dealloc, as a compressor's state or an
 * image's pixels are. The count of live ones shows whether objects the
 * program dropped are freed in time. */
typedef struct {
    PyObject_HEAD
    void *block;
    int pymem;
} BigBlock;

static Py_ssize_t bigblocks_live = 0;

static void
bigblock_dealloc(PyObject *self)
{
    BigBlock *b = (BigBlock *)self;
    if (b->block != NULL) {
        if (b->pymem) {
            PyMem_Free(b->block);
        }
        else {
            free(b->block);
        }
        bigblocks_live--;
    }
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject BigBlock_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.BigBlock",
    .tp_basicsize = sizeof(BigBlock),
    .tp_dealloc = bigblock_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

static PyObject *
mem_bigblock(PyObject *Py_UNUSED(self), PyObject *args)
{
    Py_ssize_t size;
    int pymem;
    if (!PyArg_ParseTuple(args, "np", &size, &pymem)) {
        return NULL;
    }
    if (PyType_Ready(&BigBlock_Type) < 0) {
        return NULL;
    }
    BigBlock *b = PyObject_New(BigBlock, &BigBlock_Type);
    if (b == NULL) {
        return NULL;
    }
    b->pymem = pymem;
    /* not touched: only its size matters */
    b->block = pymem ? PyMem_Malloc(size) : malloc(size);
    if (b->block == NULL) {
        Py_DECREF(b);
        return PyErr_NoMemory();
    }
    bigblocks_live++;
    return (PyObject *)b;
}

static PyObject *
mem_bigblocks_live(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(bigblocks_live);
}

static PyMethodDef mem_methods[] = {
    {"mem_bigblock", mem_bigblock, METH_VARARGS, NULL},
    {"mem_bigblocks_live", mem_bigblocks_live, METH_NOARGS, NULL},
    {"mem_roundtrip", mem_roundtrip, METH_VARARGS, NULL},
    {"mem_edge_cases", mem_edge_cases, METH_VARARGS, NULL},
    {"mem_too_large", mem_too_large, METH_VARARGS, NULL},
    {"mem_typed_macros", mem_typed_macros, METH_NOARGS, NULL},
    {"mem_survives_call", mem_survives_call, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_mem(PyObject *m)
{
    return PyModule_AddFunctions(m, mem_methods);
}
