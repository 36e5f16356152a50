/* Shared conventions of the _ferrytest extension (tests/capi/ext).
 *
 * _ferrytest is built once against CPython 3.11's headers and loaded both by
 * CPython (the oracle) and, through ferry, by PyPy. Each family file mirrors a
 * CPython source file (object.c <-> Objects/object.c, getargs.c <->
 * Python/getargs.c, ...) and holds thin wrappers, one per API function, in the
 * manner of CPython's Modules/_testcapi/.
 *
 * Conventions, stated once:
 *  - A Python None passed for an argument that CPython tolerates as NULL is
 *    turned into NULL with NULLABLE(). Inputs that would crash CPython are never
 *    passed; each wrapper names them in a comment instead.
 *  - An API function that reports failure with -1 (or NULL) must set an
 *    exception; RETURN_INT / RETURN_SIZE turn that into a raised exception on
 *    the Python side, so tests compare exception type and message.
 *  - An API function that may return NULL *without* an exception (a lookup
 *    that found nothing, PyIter_Next at the end) is reported as the sentinel
 *    object _ferrytest.NULL, so "missing" and "None" stay distinct.
 *  - A wrapper never returns a value that depends on reference counts or on
 *    addresses, so the same assertions hold on CPython and on ferry.
 *  - Each family exports one ferrytest_init_<family>(module) that adds its
 *    functions with PyModule_AddFunctions and returns 0, or -1 with an
 *    exception set.
 */
#ifndef FERRYTEST_H
#define FERRYTEST_H

#if !defined(PY_SSIZE_T_CLEAN) && !defined(FERRYTEST_LEGACY_ABI)
#error "define PY_SSIZE_T_CLEAN and include <Python.h> before ferrytest.h"
#endif

/* None -> NULL, for arguments where CPython accepts NULL. */
#define NULLABLE(x) do { if ((x) == Py_None) { (x) = NULL; } } while (0)

/* Return an int result; -1 must come with an exception, which is propagated. */
#define RETURN_INT(value) do {                                  \
        int ferry_ret_ = (value);                               \
        if (ferry_ret_ == -1) {                                 \
            if (!PyErr_Occurred()) {                            \
                return ferrytest_missing_error("-1");           \
            }                                                   \
            return NULL;                                        \
        }                                                       \
        return PyLong_FromLong(ferry_ret_);                     \
    } while (0)

/* Same for Py_ssize_t results. */
#define RETURN_SIZE(value) do {                                 \
        Py_ssize_t ferry_ret_ = (value);                        \
        if (ferry_ret_ == -1) {                                 \
            if (!PyErr_Occurred()) {                            \
                return ferrytest_missing_error("-1");           \
            }                                                   \
            return NULL;                                        \
        }                                                       \
        return PyLong_FromSsize_t(ferry_ret_);                  \
    } while (0)

/* An API call returned an error value without setting an exception: report it
 * as AssertionError so the test fails with a readable message. Returns NULL. */
PyObject *ferrytest_missing_error(const char *what);

/* The sentinel _ferrytest.NULL (created in PyInit__ferrytest). */
extern PyObject *ferrytest_null;

/* For a borrowed result: a new reference to `o`; the NULL sentinel when `o`
 * is NULL without an error; NULL (error propagated) otherwise. */
PyObject *ferrytest_borrowed_or_null(PyObject *o);

int ferrytest_init_object(PyObject *m);
int ferrytest_init_abstract(PyObject *m);
int ferrytest_init_long(PyObject *m);
int ferrytest_init_float(PyObject *m);
int ferrytest_init_complex(PyObject *m);
int ferrytest_init_unicode(PyObject *m);
int ferrytest_init_bytes(PyObject *m);
int ferrytest_init_bytearray(PyObject *m);
int ferrytest_init_tuple(PyObject *m);
int ferrytest_init_list(PyObject *m);
int ferrytest_init_dict(PyObject *m);
int ferrytest_init_set(PyObject *m);
int ferrytest_init_slice(PyObject *m);
int ferrytest_init_module(PyObject *m);
int ferrytest_init_methods(PyObject *m);
int ferrytest_init_errors(PyObject *m);
int ferrytest_init_getargs(PyObject *m);
int ferrytest_init_buildvalue(PyObject *m);
int ferrytest_init_legacy(PyObject *m);
int ferrytest_init_capsule(PyObject *m);
int ferrytest_init_mem(PyObject *m);
int ferrytest_init_import(PyObject *m);
int ferrytest_init_eval(PyObject *m);
int ferrytest_init_codecs(PyObject *m);
int ferrytest_init_memoryobject(PyObject *m);
int ferrytest_init_sysmodule(PyObject *m);
int ferrytest_init_pyctype(PyObject *m);
int ferrytest_init_type(PyObject *m);
int ferrytest_init_pythread(PyObject *m);
int ferrytest_init_genericalias(PyObject *m);
int ferrytest_init_weakref(PyObject *m);
int ferrytest_init_trashcan(PyObject *m);
int ferrytest_init_heaptype(PyObject *m);
int ferrytest_init_structseq(PyObject *m);
int ferrytest_init_datetime(PyObject *m);
int ferrytest_init_traceback(PyObject *m);
int ferrytest_init_descrobject(PyObject *m);
int ferrytest_init_classobject(PyObject *m);
int ferrytest_init_subclass(PyObject *m);
int ferrytest_init_genobject(PyObject *m);
int ferrytest_init_context(PyObject *m);
int ferrytest_init_tracemalloc(PyObject *m);
int ferrytest_init_iterobject(PyObject *m);
int ferrytest_init_mystrtoul(PyObject *m);
int ferrytest_init_pystate(PyObject *m);
int ferrytest_init_pylifecycle(PyObject *m);
int ferrytest_init_fileobject(PyObject *m);
int ferrytest_init_posixmodule(PyObject *m);
int ferrytest_init_funcobject(PyObject *m);

#endif /* FERRYTEST_H */
