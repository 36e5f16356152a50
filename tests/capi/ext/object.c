/* Object protocol: PyObject_* from Objects/object.c, the calls of
 * Objects/call.c, the singletons and direct type-slot access.
 *
 * Finalizers (PyObject_CallFinalizer, PyObject_CallFinalizerFromDealloc,
 * Objects/object.c; PyObject_GC_IsFinalized, Modules/gcmodule.c) through
 * three types whose tp_finalize logs to _ferrytest.finalizer_log and may
 * resurrect the object into _ferrytest.finalizer_keep: Finalizable, a static
 * GC type whose tp_dealloc calls the finalizer as Cython's do, and
 * SpecFinalizable / SpecFinalizableNoGC, made by PyType_FromSpec without
 * Py_tp_dealloc, so the heap types' default dealloc (typeobject.c
 * subtype_dealloc) runs the finalizer and clears what the type added.
 *
 * Mirrors CPython's Modules/_testcapi/object.c and abstract.c (object part).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <structmember.h>

#include <stddef.h>
#include <string.h>

#include "ferrytest.h"

/* --- str / repr / ascii / bytes ---------------------------------------- */

/* All four accept NULL and return "<NULL>" (b"<NULL>"). */
static PyObject *
object_repr(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    return PyObject_Repr(o);
}

static PyObject *
object_str(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    return PyObject_Str(o);
}

/* PyObject_Repr and PyObject_Str of None itself (None stands for NULL above). */
static PyObject *
object_repr_str_none(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(unused))
{
    PyObject *r = PyObject_Repr(Py_None);
    PyObject *s = r ? PyObject_Str(Py_None) : NULL;
    PyObject *t = s ? PyTuple_Pack(2, r, s) : NULL;
    Py_XDECREF(r);
    Py_XDECREF(s);
    return t;
}

/* PyObject_Print into a temporary file: what it wrote (bytes). NULL prints
 * "<nil>"; flags 1 is Py_PRINT_RAW (str instead of repr). */
static PyObject *
object_print(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    int flags;
    if (!PyArg_ParseTuple(args, "Oi", &o, &flags)) {
        return NULL;
    }
    NULLABLE(o);
    FILE *fp = tmpfile();
    if (fp == NULL) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    if (PyObject_Print(o, fp, flags) < 0) {
        fclose(fp);
        return NULL;
    }
    long n = ftell(fp);
    rewind(fp);
    PyObject *r = PyBytes_FromStringAndSize(NULL, n);
    if (r != NULL && fread(PyBytes_AS_STRING(r), 1, (size_t)n, fp) != (size_t)n) {
        Py_CLEAR(r);
        PyErr_SetString(PyExc_OSError, "short read");
    }
    fclose(fp);
    return r;
}

static PyObject *
object_ascii(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    return PyObject_ASCII(o);
}

static PyObject *
object_bytes(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    return PyObject_Bytes(o);
}

/* Direct slot call, as Cython and many hand-written extensions do. */
static PyObject *
type_slot_repr(PyObject *Py_UNUSED(m), PyObject *o)
{
    reprfunc f = Py_TYPE(o)->tp_repr;
    if (f == NULL) {
        Py_RETURN_NONE;
    }
    return f(o);
}

static PyObject *
type_slot_str(PyObject *Py_UNUSED(m), PyObject *o)
{
    reprfunc f = Py_TYPE(o)->tp_str;
    if (f == NULL) {
        Py_RETURN_NONE;
    }
    return f(o);
}

static PyObject *
type_slot_getattro(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name;
    if (!PyArg_ParseTuple(args, "OU", &o, &name)) {
        return NULL;
    }
    getattrofunc f = Py_TYPE(o)->tp_getattro;
    if (f == NULL) {
        Py_RETURN_NONE;
    }
    return f(o, name);
}

static PyObject *
type_slot_hash(PyObject *Py_UNUSED(m), PyObject *o)
{
    hashfunc f = Py_TYPE(o)->tp_hash;
    if (f == NULL) {
        Py_RETURN_NONE;
    }
    Py_hash_t h = f(o);
    if (h == -1) {
        return NULL;
    }
    return PyLong_FromSsize_t(h);
}

static PyObject *
type_slot_call(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *callargs, *kwargs = NULL;
    if (!PyArg_ParseTuple(args, "OO!|O!", &o, &PyTuple_Type, &callargs,
                          &PyDict_Type, &kwargs)) {
        return NULL;
    }
    ternaryfunc f = Py_TYPE(o)->tp_call;
    if (f == NULL) {
        Py_RETURN_NONE;
    }
    return f(o, callargs, kwargs);
}

static PyObject *
type_slot_richcompare(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    int op;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &op)) {
        return NULL;
    }
    richcmpfunc f = Py_TYPE(a)->tp_richcompare;
    if (f == NULL) {
        Py_RETURN_NONE;
    }
    return f(a, b, op);
}

static PyObject *
type_slot_iter(PyObject *Py_UNUSED(m), PyObject *o)
{
    getiterfunc f = Py_TYPE(o)->tp_iter;
    if (f == NULL) {
        Py_RETURN_NONE;
    }
    return f(o);
}

static PyObject *
type_name(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyUnicode_FromString(Py_TYPE(o)->tp_name);
}

/* The fast subclass bits of tp_flags that the Py*_Check macros read, plus the
 * few others extensions test. Returned by name so the values of other bits
 * (which may legitimately differ) are never compared. */
static PyObject *
type_flags(PyObject *Py_UNUSED(m), PyObject *o)
{
    unsigned long f = Py_TYPE(o)->tp_flags;
    return Py_BuildValue(
        "{sNsNsNsNsNsNsNsNsNsNsN}",
        "long", PyBool_FromLong((f & Py_TPFLAGS_LONG_SUBCLASS) != 0),
        "list", PyBool_FromLong((f & Py_TPFLAGS_LIST_SUBCLASS) != 0),
        "tuple", PyBool_FromLong((f & Py_TPFLAGS_TUPLE_SUBCLASS) != 0),
        "bytes", PyBool_FromLong((f & Py_TPFLAGS_BYTES_SUBCLASS) != 0),
        "unicode", PyBool_FromLong((f & Py_TPFLAGS_UNICODE_SUBCLASS) != 0),
        "dict", PyBool_FromLong((f & Py_TPFLAGS_DICT_SUBCLASS) != 0),
        "exception", PyBool_FromLong((f & Py_TPFLAGS_BASE_EXC_SUBCLASS) != 0),
        "type", PyBool_FromLong((f & Py_TPFLAGS_TYPE_SUBCLASS) != 0),
        "heaptype", PyBool_FromLong((f & Py_TPFLAGS_HEAPTYPE) != 0),
        "basetype", PyBool_FromLong((f & Py_TPFLAGS_BASETYPE) != 0),
        "ready", PyBool_FromLong((f & Py_TPFLAGS_READY) != 0));
}

/* The Py*_Check / _CheckExact macros and functions, in one table. */
static PyObject *
type_checks(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue(
        "{sisisisisisisisisisisisisisisisisisisisisisisisisi}",
        "PyLong_Check", PyLong_Check(o),
        "PyLong_CheckExact", PyLong_CheckExact(o),
        "PyBool_Check", PyBool_Check(o),
        "PyFloat_Check", PyFloat_Check(o),
        "PyFloat_CheckExact", PyFloat_CheckExact(o),
        "PyComplex_Check", PyComplex_Check(o),
        "PyUnicode_Check", PyUnicode_Check(o),
        "PyUnicode_CheckExact", PyUnicode_CheckExact(o),
        "PyBytes_Check", PyBytes_Check(o),
        "PyBytes_CheckExact", PyBytes_CheckExact(o),
        "PyByteArray_Check", PyByteArray_Check(o),
        "PyTuple_Check", PyTuple_Check(o),
        "PyTuple_CheckExact", PyTuple_CheckExact(o),
        "PyList_Check", PyList_Check(o),
        "PyList_CheckExact", PyList_CheckExact(o),
        "PyDict_Check", PyDict_Check(o),
        "PyDict_CheckExact", PyDict_CheckExact(o),
        "PyAnySet_Check", PyAnySet_Check(o),
        "PyFrozenSet_Check", PyFrozenSet_Check(o),
        "PyType_Check", PyType_Check(o),
        "PyExceptionInstance_Check", PyExceptionInstance_Check(o),
        "PyExceptionClass_Check", PyExceptionClass_Check(o),
        "PyCallable_Check", PyCallable_Check(o),
        "PyIter_Check", PyIter_Check(o),
        "PySlice_Check", PySlice_Check(o));
}

static PyObject *
object_type(PyObject *Py_UNUSED(m), PyObject *o)
{
    /* PyObject_Type(NULL) sets SystemError; Py_TYPE(NULL) would crash. */
    NULLABLE(o);
    return PyObject_Type(o);
}

static PyObject *
py_type_macro(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_NewRef((PyObject *)Py_TYPE(o));
}

/* --- singletons ---------------------------------------------------------- */

static PyObject *
get_none(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_NONE;
}

static PyObject *
get_true(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_TRUE;
}

static PyObject *
get_false(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_FALSE;
}

static PyObject *
get_notimplemented(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_NOTIMPLEMENTED;
}

static PyObject *
get_ellipsis(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(Py_Ellipsis);
}

/* Which singleton is `o`, compared by address as C code does. */
static PyObject *
which_singleton(PyObject *Py_UNUSED(m), PyObject *o)
{
    const char *name = "other";
    if (o == Py_None) {
        name = "None";
    }
    else if (o == Py_True) {
        name = "True";
    }
    else if (o == Py_False) {
        name = "False";
    }
    else if (o == Py_NotImplemented) {
        name = "NotImplemented";
    }
    else if (o == Py_Ellipsis) {
        name = "Ellipsis";
    }
    return PyUnicode_FromString(name);
}

static PyObject *
is_functions(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(iiii)", Py_IsNone(o), Py_IsTrue(o), Py_IsFalse(o),
                         Py_Is(o, Py_Ellipsis));
}

/* The singletons' static types, reached through their exported objects. */
static PyObject *
singleton_types(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(OOOO)", (PyObject *)Py_TYPE(Py_None),
                         (PyObject *)&PyBool_Type,
                         (PyObject *)Py_TYPE(Py_NotImplemented),
                         (PyObject *)&PyEllipsis_Type);
}

/* --- attributes ---------------------------------------------------------- */

/* name=NULL crashes CPython for GetAttr/SetAttr/HasAttr: not passed. */
static PyObject *
object_getattr(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name;
    if (!PyArg_ParseTuple(args, "OO", &o, &name)) {
        return NULL;
    }
    return PyObject_GetAttr(o, name);
}

static PyObject *
object_getattrstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *name;
    if (!PyArg_ParseTuple(args, "Oy", &o, &name)) {
        return NULL;
    }
    return PyObject_GetAttrString(o, name);
}

/* PyObject_GetAttrString and PyObject_HasAttrString with each name of a
 * tuple copied, in turn, into the same buffer: [(value or NULL, has), ...]. */
static PyObject *
object_getattrstring_reused(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *names;
    if (!PyArg_ParseTuple(args, "OO!", &o, &PyTuple_Type, &names)) {
        return NULL;
    }
    char buf[64];
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < PyTuple_GET_SIZE(names); i++) {
        const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, i));
        if (name == NULL || strlen(name) >= sizeof buf) {
            Py_CLEAR(out);
            break;
        }
        strcpy(buf, name);
        PyObject *v = PyObject_GetAttrString(o, buf);
        if (v == NULL) {
            PyErr_Clear();
            v = Py_NewRef(ferrytest_null);
        }
        PyObject *item = Py_BuildValue("(Ni)", v, PyObject_HasAttrString(o, buf));
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(out);
            break;
        }
        Py_DECREF(item);
    }
    return out;
}

static PyObject *
object_hasattr(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name;
    if (!PyArg_ParseTuple(args, "OO", &o, &name)) {
        return NULL;
    }
    int r = PyObject_HasAttr(o, name);   /* never fails: errors are cleared */
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyObject_HasAttr");
    }
    return PyLong_FromLong(r);
}

static PyObject *
object_hasattrstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *name;
    if (!PyArg_ParseTuple(args, "Oy", &o, &name)) {
        return NULL;
    }
    int r = PyObject_HasAttrString(o, name);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyObject_HasAttrString");
    }
    return PyLong_FromLong(r);
}

/* value None means NULL: delete the attribute. */
static PyObject *
object_setattr(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name, *value;
    if (!PyArg_ParseTuple(args, "OOO", &o, &name, &value)) {
        return NULL;
    }
    NULLABLE(value);
    RETURN_INT(PyObject_SetAttr(o, name, value));
}

static PyObject *
object_setattrstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *value;
    const char *name;
    if (!PyArg_ParseTuple(args, "OyO", &o, &name, &value)) {
        return NULL;
    }
    NULLABLE(value);
    RETURN_INT(PyObject_SetAttrString(o, name, value));
}

static PyObject *
object_delattr(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name;
    if (!PyArg_ParseTuple(args, "OO", &o, &name)) {
        return NULL;
    }
    RETURN_INT(PyObject_DelAttr(o, name));
}

static PyObject *
object_delattrstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *name;
    if (!PyArg_ParseTuple(args, "Oy", &o, &name)) {
        return NULL;
    }
    RETURN_INT(PyObject_DelAttrString(o, name));
}

static PyObject *
object_genericgetattr(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name;
    if (!PyArg_ParseTuple(args, "OO", &o, &name)) {
        return NULL;
    }
    return PyObject_GenericGetAttr(o, name);
}

static PyObject *
object_genericsetattr(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name, *value;
    if (!PyArg_ParseTuple(args, "OOO", &o, &name, &value)) {
        return NULL;
    }
    NULLABLE(value);
    RETURN_INT(PyObject_GenericSetAttr(o, name, value));
}

static PyObject *
object_dir(PyObject *Py_UNUSED(m), PyObject *o)
{
    /* NULL means the current frame's locals: not meaningful from a C call. */
    return PyObject_Dir(o);
}

/* --- comparison, hashing, truth ------------------------------------------ */

static PyObject *
object_richcompare(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    int op;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &op)) {
        return NULL;
    }
    return PyObject_RichCompare(a, b, op);
}

/* Identity across crossings: for each item of a list, whether the object
   list.__getitem__(i) gives C (a new crossing) is the item C already has
   (PyList_GET_ITEM), and whether it is distinct from every other item. */
static PyObject *
object_identity_kept(PyObject *Py_UNUSED(m), PyObject *list)
{
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "test needs a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    PyObject *result = PyList_New(n);
    if (result == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *again = PyObject_CallMethod(list, "__getitem__", "n", i);
        if (again == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        int ok = again == PyList_GET_ITEM(list, i);
        for (Py_ssize_t j = 0; j < n; j++) {
            if (j != i && again == PyList_GET_ITEM(list, j)) {
                ok = 0;
            }
        }
        Py_DECREF(again);
        PyList_SET_ITEM(result, i, PyBool_FromLong(ok));
    }
    return result;
}

static PyObject *
object_richcomparebool(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    int op;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &op)) {
        return NULL;
    }
    RETURN_INT(PyObject_RichCompareBool(a, b, op));
}

static PyObject *
compare_ops(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(iiiiii)", Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE);
}

static PyObject *
object_hash(PyObject *Py_UNUSED(m), PyObject *o)
{
    Py_hash_t h = PyObject_Hash(o);
    if (h == -1) {
        if (!PyErr_Occurred()) {
            return ferrytest_missing_error("-1");
        }
        return NULL;
    }
    return PyLong_FromSsize_t(h);
}

static PyObject *
object_hashnotimplemented(PyObject *Py_UNUSED(m), PyObject *o)
{
    Py_hash_t h = PyObject_HashNotImplemented(o);
    if (h != -1) {
        return ferrytest_missing_error("a value other than -1");
    }
    return NULL;
}

static PyObject *
object_istrue(PyObject *Py_UNUSED(m), PyObject *o)
{
    RETURN_INT(PyObject_IsTrue(o));
}

static PyObject *
object_not(PyObject *Py_UNUSED(m), PyObject *o)
{
    RETURN_INT(PyObject_Not(o));
}

/* --- instance / subclass / callable ------------------------------------ */

static PyObject *
object_isinstance(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *cls;
    if (!PyArg_ParseTuple(args, "OO", &o, &cls)) {
        return NULL;
    }
    RETURN_INT(PyObject_IsInstance(o, cls));
}

static PyObject *
object_issubclass(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *derived, *cls;
    if (!PyArg_ParseTuple(args, "OO", &derived, &cls)) {
        return NULL;
    }
    RETURN_INT(PyObject_IsSubclass(derived, cls));
}

/* Both arguments must be types: anything else crashes CPython. */
static PyObject *
type_issubtype(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyTypeObject *a, *b;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &a, &PyType_Type, &b)) {
        return NULL;
    }
    return PyBool_FromLong(PyType_IsSubtype(a, b));
}

static PyObject *
object_typecheck(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    PyTypeObject *t;
    if (!PyArg_ParseTuple(args, "OO!", &o, &PyType_Type, &t)) {
        return NULL;
    }
    return PyBool_FromLong(PyObject_TypeCheck(o, t));
}

static PyObject *
callable_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    /* PyCallable_Check(NULL) returns 0. */
    NULLABLE(o);
    return PyLong_FromLong(PyCallable_Check(o));
}

/* --- items, length, format ---------------------------------------------- */

/* NULL key or object: SystemError through null_error(). */
static PyObject *
object_getitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *key;
    if (!PyArg_ParseTuple(args, "OO", &o, &key)) {
        return NULL;
    }
    NULLABLE(o);
    NULLABLE(key);
    return PyObject_GetItem(o, key);
}

static PyObject *
object_setitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *key, *value;
    if (!PyArg_ParseTuple(args, "OOO", &o, &key, &value)) {
        return NULL;
    }
    NULLABLE(o);
    NULLABLE(key);
    NULLABLE(value);
    RETURN_INT(PyObject_SetItem(o, key, value));
}

static PyObject *
object_delitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *key;
    if (!PyArg_ParseTuple(args, "OO", &o, &key)) {
        return NULL;
    }
    NULLABLE(o);
    NULLABLE(key);
    RETURN_INT(PyObject_DelItem(o, key));
}

static PyObject *
object_size(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    RETURN_SIZE(PyObject_Size(o));
}

static PyObject *
object_length(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    RETURN_SIZE(PyObject_Length(o));
}

static PyObject *
object_lengthhint(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t dflt;
    if (!PyArg_ParseTuple(args, "On", &o, &dflt)) {
        return NULL;
    }
    RETURN_SIZE(PyObject_LengthHint(o, dflt));
}

static PyObject *
object_format(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *spec;
    if (!PyArg_ParseTuple(args, "OO", &o, &spec)) {
        return NULL;
    }
    NULLABLE(spec);   /* NULL means the empty format spec */
    return PyObject_Format(o, spec);
}

/* --- iteration ------------------------------------------------------------ */

static PyObject *
object_getiter(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyObject_GetIter(o);
}

static PyObject *
iter_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyLong_FromLong(PyIter_Check(o));
}

/* One step: the next item, or the NULL sentinel when exhausted. */
static PyObject *
iter_next(PyObject *Py_UNUSED(m), PyObject *it)
{
    PyObject *item = PyIter_Next(it);
    if (item == NULL && !PyErr_Occurred()) {
        return Py_NewRef(ferrytest_null);
    }
    return item;
}

/* The whole loop real extensions write: GetIter, then Next until NULL. */
static PyObject *
iterate_to_list(PyObject *Py_UNUSED(m), PyObject *o)
{
    PyObject *it = PyObject_GetIter(o);
    if (it == NULL) {
        return NULL;
    }
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int rc = PyList_Append(result, item);
        Py_DECREF(item);
        if (rc < 0) {
            goto error;
        }
    }
    if (PyErr_Occurred()) {
        goto error;
    }
    Py_DECREF(it);
    return result;

error:
    Py_DECREF(it);
    Py_DECREF(result);
    return NULL;
}

static PyObject *
object_selfiter(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyObject_SelfIter(o);
}

/* PyIter_Send: returns (kind, value) with kind 'return', 'next' or raises. */
static PyObject *
iter_send(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *iter, *arg, *result = NULL;
    if (!PyArg_ParseTuple(args, "OO", &iter, &arg)) {
        return NULL;
    }
    PySendResult r = PyIter_Send(iter, arg, &result);
    if (r == PYGEN_ERROR) {
        return NULL;
    }
    return Py_BuildValue("(sN)", r == PYGEN_RETURN ? "return" : "next", result);
}

/* --- calls ---------------------------------------------------------------- */

static PyObject *
object_call(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *callargs, *kwargs = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &callable, &callargs, &kwargs)) {
        return NULL;
    }
    if (kwargs != NULL) {
        NULLABLE(kwargs);   /* NULL: no keyword arguments */
    }
    /* callargs must be a tuple (CPython asserts it; not passed otherwise) */
    if (!PyTuple_Check(callargs)) {
        PyErr_SetString(PyExc_TypeError, "test needs a tuple of arguments");
        return NULL;
    }
    return PyObject_Call(callable, callargs, kwargs);
}

static PyObject *
object_callobject(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *callargs;
    if (!PyArg_ParseTuple(args, "OO", &callable, &callargs)) {
        return NULL;
    }
    NULLABLE(callargs);   /* NULL: no arguments; a non-tuple: TypeError */
    return PyObject_CallObject(callable, callargs);
}

static PyObject *
object_callnoargs(PyObject *Py_UNUSED(m), PyObject *callable)
{
    return PyObject_CallNoArgs(callable);
}

static PyObject *
object_callonearg(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *arg;
    if (!PyArg_ParseTuple(args, "OO", &callable, &arg)) {
        return NULL;
    }
    return PyObject_CallOneArg(callable, arg);
}

/* PyObject_CallFunction with a fixed set of formats: `which` selects one. */
static PyObject *
object_callfunction(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable;
    const char *which;
    PyObject *obj = Py_None;
    if (!PyArg_ParseTuple(args, "Os|O", &callable, &which, &obj)) {
        return NULL;
    }
    if (strcmp(which, "null") == 0) {
        return PyObject_CallFunction(callable, NULL);
    }
    if (strcmp(which, "empty") == 0) {
        return PyObject_CallFunction(callable, "");
    }
    if (strcmp(which, "int") == 0) {
        return PyObject_CallFunction(callable, "i", 7);
    }
    if (strcmp(which, "ints") == 0) {
        return PyObject_CallFunction(callable, "iii", 1, 2, 3);
    }
    if (strcmp(which, "mixed") == 0) {
        return PyObject_CallFunction(callable, "isdO", -1, "txt", 2.5, obj);
    }
    if (strcmp(which, "tuple") == 0) {
        /* A single tuple is unpacked into the arguments. */
        return PyObject_CallFunction(callable, "(ii)", 4, 5);
    }
    if (strcmp(which, "obj") == 0) {
        /* A single "O" that is a tuple is also unpacked. */
        return PyObject_CallFunction(callable, "O", obj);
    }
    if (strcmp(which, "sizet") == 0) {
        return PyObject_CallFunction(callable, "s#", "abcdef", (Py_ssize_t)3);
    }
    PyErr_Format(PyExc_ValueError, "unknown case %s", which);
    return NULL;
}

static PyObject *
object_callfunctionobjargs(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *a = NULL, *b = NULL, *c = NULL;
    if (!PyArg_ParseTuple(args, "O|OOO", &callable, &a, &b, &c)) {
        return NULL;
    }
    /* The NULL terminator ends the list wherever the first missing one is. */
    return PyObject_CallFunctionObjArgs(callable, a, b, c, NULL);
}

static PyObject *
object_callmethod(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *obj = Py_None;
    const char *name, *which;
    if (!PyArg_ParseTuple(args, "Oss|O", &o, &name, &which, &obj)) {
        return NULL;
    }
    if (strcmp(which, "null") == 0) {
        return PyObject_CallMethod(o, name, NULL);
    }
    if (strcmp(which, "int") == 0) {
        return PyObject_CallMethod(o, name, "i", 7);
    }
    if (strcmp(which, "obj") == 0) {
        return PyObject_CallMethod(o, name, "O", obj);
    }
    if (strcmp(which, "strs") == 0) {
        return PyObject_CallMethod(o, name, "ss", "x", "y");
    }
    PyErr_Format(PyExc_ValueError, "unknown case %s", which);
    return NULL;
}

static PyObject *
object_callmethodobjargs(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name, *a = NULL, *b = NULL;
    if (!PyArg_ParseTuple(args, "OO|OO", &o, &name, &a, &b)) {
        return NULL;
    }
    return PyObject_CallMethodObjArgs(o, name, a, b, NULL);
}

static PyObject *
object_callmethodnoargs(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name;
    if (!PyArg_ParseTuple(args, "OU", &o, &name)) {
        return NULL;
    }
    return PyObject_CallMethodNoArgs(o, name);
}

static PyObject *
object_callmethodonearg(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *name, *arg;
    if (!PyArg_ParseTuple(args, "OUO", &o, &name, &arg)) {
        return NULL;
    }
    return PyObject_CallMethodOneArg(o, name, arg);
}

/* Vectorcall with the PY_VECTORCALL_ARGUMENTS_OFFSET slot in front. */
static PyObject *
object_vectorcall(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *posargs, *kwnames = NULL;
    if (!PyArg_ParseTuple(args, "OO!|O", &callable, &PyTuple_Type, &posargs,
                          &kwnames)) {
        return NULL;
    }
    if (kwnames != NULL) {
        NULLABLE(kwnames);
    }
    Py_ssize_t nargs = PyTuple_GET_SIZE(posargs);
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    if (nkw > nargs) {
        PyErr_SetString(PyExc_ValueError, "more keyword names than values");
        return NULL;
    }
    PyObject **stack = PyMem_New(PyObject *, nargs + 1);
    if (stack == NULL) {
        return PyErr_NoMemory();
    }
    stack[0] = NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        stack[i + 1] = PyTuple_GET_ITEM(posargs, i);
    }
    PyObject *res = PyObject_Vectorcall(
        callable, stack + 1,
        (size_t)(nargs - nkw) | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    PyMem_Free(stack);
    return res;
}

static PyObject *
object_vectorcalldict(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *posargs, *kwargs = NULL;
    if (!PyArg_ParseTuple(args, "OO!|O", &callable, &PyTuple_Type, &posargs,
                          &kwargs)) {
        return NULL;
    }
    if (kwargs != NULL) {
        NULLABLE(kwargs);
    }
    return PyObject_VectorcallDict(callable, &PyTuple_GET_ITEM(posargs, 0),
                                   (size_t)PyTuple_GET_SIZE(posargs), kwargs);
}

/* args[0] is self, args[1:] the arguments. */
static PyObject *
object_vectorcallmethod(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *name, *posargs;
    if (!PyArg_ParseTuple(args, "UO!", &name, &PyTuple_Type, &posargs)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(posargs) < 1) {
        PyErr_SetString(PyExc_ValueError, "need self");
        return NULL;
    }
    return PyObject_VectorcallMethod(name, &PyTuple_GET_ITEM(posargs, 0),
                                     (size_t)PyTuple_GET_SIZE(posargs), NULL);
}

static PyObject *
vectorcall_nargs(PyObject *Py_UNUSED(m), PyObject *args)
{
    Py_ssize_t n;
    int offset;
    if (!PyArg_ParseTuple(args, "np", &n, &offset)) {
        return NULL;
    }
    size_t f = (size_t)n | (offset ? PY_VECTORCALL_ARGUMENTS_OFFSET : 0);
    return PyLong_FromSsize_t(PyVectorcall_NARGS(f));
}

static PyObject *
vectorcall_call(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *callable, *callargs, *kwargs = NULL;
    if (!PyArg_ParseTuple(args, "OO!|O!", &callable, &PyTuple_Type, &callargs,
                          &PyDict_Type, &kwargs)) {
        return NULL;
    }
    return PyVectorcall_Call(callable, callargs, kwargs);
}

/* --- recursion guard ----------------------------------------------------- */

/* Enter, call `callable` (which may come back here), leave. */
static PyObject *
recursive_call(PyObject *Py_UNUSED(m), PyObject *callable)
{
    if (Py_EnterRecursiveCall(" in ferrytest recursive_call")) {
        return NULL;
    }
    PyObject *r = PyObject_CallNoArgs(callable);
    Py_LeaveRecursiveCall();
    return r;
}

/* Nest `depth` guards in C without calling back into Python; returns the
 * depth reached, or raises RecursionError. */
static int
nest_guards(long depth, long *reached)
{
    if (depth == 0) {
        return 0;
    }
    if (Py_EnterRecursiveCall(" in ferrytest nest")) {
        return -1;
    }
    (*reached)++;
    int rc = nest_guards(depth - 1, reached);
    Py_LeaveRecursiveCall();
    return rc;
}

static PyObject *
recursion_nest(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long depth = PyLong_AsLong(arg);
    if (depth == -1 && PyErr_Occurred()) {
        return NULL;
    }
    long reached = 0;
    if (nest_guards(depth, &reached) < 0) {
        return NULL;
    }
    return PyLong_FromLong(reached);
}

/* Py_ReprEnter / Py_ReprLeave: returns what Enter gave the first and second
 * time for the same object. */
static PyObject *
repr_enter_twice(PyObject *Py_UNUSED(m), PyObject *o)
{
    int first = Py_ReprEnter(o);
    if (first < 0) {
        return NULL;
    }
    int second = Py_ReprEnter(o);
    if (second < 0) {
        Py_ReprLeave(o);
        return NULL;
    }
    Py_ReprLeave(o);
    return Py_BuildValue("(ii)", first, second);
}

/* --- the function forms of the 3.10 reference helpers ------------------- */
/* In the 3.11 headers Py_Is*, Py_NewRef and Py_XNewRef are macros or static
 * inline functions: the parenthesized names call the exported functions. */

/* Py_IncRef / Py_DecRef accept NULL (None means NULL). Returns o. */
static PyObject *
object_incref_decref(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    (Py_IncRef)(o);
    (Py_IncRef)(o);
    (Py_DecRef)(o);
    (Py_DecRef)(o);
    (Py_DecRef)(NULL);
    (Py_IncRef)(NULL);
    if (o == NULL) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(o);
}

static PyObject *
object_is(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    return PyBool_FromLong((Py_Is)(a, b));
}

/* (Py_IsNone, Py_IsTrue, Py_IsFalse) */
static PyObject *
object_is_singletons(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(iii)", (Py_IsNone)(o), (Py_IsTrue)(o),
                         (Py_IsFalse)(o));
}

static PyObject *
object_newref(PyObject *Py_UNUSED(m), PyObject *o)
{
    return (Py_NewRef)(o);
}

/* NULL in, NULL out (reported as the NULL sentinel). */
static PyObject *
object_xnewref(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    PyObject *r = (Py_XNewRef)(o);
    if (r == NULL) {
        return Py_NewRef(ferrytest_null);
    }
    return r;
}

/* --- static type objects exported as data --------------------------------- */

static PyModuleDef object_probe_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "object_probe",
    .m_size = 0,
};

static PyTypeObject *
object_find_static_type(const char *name)
{
    static const struct {
        const char *name;
        PyTypeObject *type;
    } types[] = {
        {"PyCMethod_Type", &PyCMethod_Type},
        {"PyFunction_Type", &PyFunction_Type},
        {"PyMemoryView_Type", &PyMemoryView_Type},
        {"PyMethod_Type", &PyMethod_Type},
        {"PyModuleDef_Type", &PyModuleDef_Type},
        {"PyProperty_Type", &PyProperty_Type},
        {"PyRange_Type", &PyRange_Type},
        {"_PyNone_Type", &_PyNone_Type},
        {"_PyNotImplemented_Type", &_PyNotImplemented_Type},
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(types[i].name, name) == 0) {
            return types[i].type;
        }
    }
    PyErr_Format(PyExc_ValueError, "unknown type %s", name);
    return NULL;
}

static PyObject *
object_static_type(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name)) {
        return NULL;
    }
    PyTypeObject *type = object_find_static_type(name);
    if (type == NULL) {
        return NULL;
    }
    return Py_NewRef((PyObject *)type);
}

/* Py_IS_TYPE(o, &<name>) */
static PyObject *
object_is_static_type(PyObject *Py_UNUSED(m), PyObject *args)
{
    const char *name;
    PyObject *o;
    if (!PyArg_ParseTuple(args, "sO", &name, &o)) {
        return NULL;
    }
    PyTypeObject *type = object_find_static_type(name);
    if (type == NULL) {
        return NULL;
    }
    return PyBool_FromLong(Py_IS_TYPE(o, type));
}

/* A PyModuleDef object (what PyModuleDef_Init returns). */
static PyObject *
object_moduledef(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(PyModuleDef_Init(&object_probe_def));
}

static PyObject *
object_asfiledescriptor(PyObject *Py_UNUSED(m), PyObject *o)
{
    int fd = PyObject_AsFileDescriptor(o);
    if (fd == -1) {
        return NULL;
    }
    return PyLong_FromLong(fd);
}

/* _Py_HashPointer of the address given as an int. */
static PyObject *
object_hashpointer(PyObject *Py_UNUSED(m), PyObject *address)
{
    void *p = PyLong_AsVoidPtr(address);
    if (p == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSsize_t(_Py_HashPointer(p));
}

/* --- finalizers ----------------------------------------------------------- */

static PyObject *finalizer_log;    /* list: what each tp_finalize call logged */
static PyObject *finalizer_keep;   /* list: objects their finalizer resurrected */
static long deallocs_finalizable;

/* A finalizer saves and restores the error indicator, logs `entry` and, while
 * *resurrect is positive, stores self in finalizer_keep (decrementing it).
 * Also logs whether an exception was pending when it was called. */
static void
finalizer_record(PyObject *self, PyObject *entry, int *resurrect)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *item = Py_BuildValue("(OO)", entry, type ? type : Py_None);
    if (item == NULL || PyList_Append(finalizer_log, item) < 0) {
        PyErr_WriteUnraisable(self);
    }
    Py_XDECREF(item);
    if (*resurrect > 0) {
        (*resurrect)--;
        if (PyList_Append(finalizer_keep, self) < 0) {
            PyErr_WriteUnraisable(self);
        }
    }
    PyErr_Restore(type, value, tb);
}

/* Finalizable(name, resurrect=0): a static GC type, dealloc as Cython's. */
typedef struct {
    PyObject_HEAD
    PyObject *name;
    int resurrect;
} FinalizableObject;

static PyObject *
finalizable_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"name", "resurrect", NULL};
    PyObject *name;
    int resurrect = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|i:Finalizable", kwlist, &name, &resurrect)) {
        return NULL;
    }
    FinalizableObject *self = (FinalizableObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->name = Py_NewRef(name);
        self->resurrect = resurrect;
    }
    return (PyObject *)self;
}

static void
finalizable_finalize(PyObject *self)
{
    FinalizableObject *f = (FinalizableObject *)self;
    finalizer_record(self, f->name ? f->name : Py_None, &f->resurrect);
}

/* As Cython's tp_dealloc of a cdef class with __del__ (CYTHON_USE_TP_FINALIZE). */
static void
finalizable_dealloc(PyObject *o)
{
    if (Py_TYPE(o)->tp_finalize != NULL && !PyObject_GC_IsFinalized(o)) {
        if (PyObject_CallFinalizerFromDealloc(o)) {
            return;
        }
    }
    PyObject_GC_UnTrack(o);
    deallocs_finalizable++;
    Py_CLEAR(((FinalizableObject *)o)->name);
    Py_TYPE(o)->tp_free(o);
}

static int
finalizable_traverse(PyObject *o, visitproc visit, void *arg)
{
    Py_VISIT(((FinalizableObject *)o)->name);
    return 0;
}

static int
finalizable_clear(PyObject *o)
{
    Py_CLEAR(((FinalizableObject *)o)->name);
    return 0;
}

static PyMemberDef finalizable_members[] = {
    {"name", T_OBJECT, offsetof(FinalizableObject, name), READONLY, NULL},
    {"resurrect", T_INT, offsetof(FinalizableObject, resurrect), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject Finalizable_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Finalizable",
    .tp_basicsize = sizeof(FinalizableObject),
    .tp_dealloc = finalizable_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Finalizable(name, resurrect=0)",
    .tp_traverse = finalizable_traverse,
    .tp_clear = finalizable_clear,
    .tp_members = finalizable_members,
    .tp_new = finalizable_new,
    .tp_finalize = finalizable_finalize,
};

/* SpecFinalizable(name=<unset>, ro=<unset>, resurrect=0): a heap type
 * without Py_tp_dealloc. name and extra are T_OBJECT_EX (cleared by the
 * default dealloc), ro is READONLY T_OBJECT_EX (left alone), the instance
 * dict is at __dictoffset__. Its finalizer logs (name, extra is set): what
 * it still sees of the object. (Not the dict slot: through ferry, the
 * attributes Python sets live in the host's instance dict, not in the C
 * struct's slot; cpyext/object.cpp, "instance dicts".) */
typedef struct {
    PyObject_HEAD
    PyObject *name;
    PyObject *extra;
    PyObject *ro;
    PyObject *dict;
    int resurrect;
} SpecFinalizableObject;

static PyObject *
specfinalizable_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"name", "ro", "resurrect", NULL};
    PyObject *name = NULL, *ro = NULL;
    int resurrect = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OOi:SpecFinalizable", kwlist, &name, &ro,
                                     &resurrect)) {
        return NULL;
    }
    SpecFinalizableObject *self = (SpecFinalizableObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->name = Py_XNewRef(name);
        self->ro = Py_XNewRef(ro);
        self->resurrect = resurrect;
    }
    return (PyObject *)self;
}

static void
specfinalizable_finalize(PyObject *self)
{
    SpecFinalizableObject *f = (SpecFinalizableObject *)self;
    PyObject *entry = Py_BuildValue("(Oi)", f->name ? f->name : Py_None, f->extra != NULL);
    if (entry == NULL) {
        PyErr_WriteUnraisable(self);
        return;
    }
    finalizer_record(self, entry, &f->resurrect);
    Py_DECREF(entry);
}

static int
specfinalizable_traverse(PyObject *o, visitproc visit, void *arg)
{
    SpecFinalizableObject *f = (SpecFinalizableObject *)o;
    Py_VISIT(Py_TYPE(o));
    Py_VISIT(f->name);
    Py_VISIT(f->extra);
    Py_VISIT(f->ro);
    Py_VISIT(f->dict);
    return 0;
}

static PyMemberDef specfinalizable_members[] = {
    {"name", T_OBJECT_EX, offsetof(SpecFinalizableObject, name), 0, NULL},
    {"extra", T_OBJECT_EX, offsetof(SpecFinalizableObject, extra), 0, NULL},
    {"ro", T_OBJECT_EX, offsetof(SpecFinalizableObject, ro), READONLY, NULL},
    {"resurrect", T_INT, offsetof(SpecFinalizableObject, resurrect), 0, NULL},
    {"__dictoffset__", T_PYSSIZET, offsetof(SpecFinalizableObject, dict), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot specfinalizable_slots[] = {
    {Py_tp_new, specfinalizable_new},
    {Py_tp_finalize, specfinalizable_finalize},
    {Py_tp_traverse, specfinalizable_traverse},
    {Py_tp_members, specfinalizable_members},
    {0, NULL},
};

static PyType_Spec specfinalizable_spec = {
    .name = "_ferrytest.SpecFinalizable",
    .basicsize = sizeof(SpecFinalizableObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = specfinalizable_slots,
};

/* The same without Py_TPFLAGS_HAVE_GC: such an object has no "finalized"
 * mark, so its finalizer runs again after a resurrection. Members are only
 * given plain values (CPython's default dealloc of a non-GC heap type does
 * not clear them). */
static PyMemberDef specfinalizable_nogc_members[] = {
    {"name", T_OBJECT_EX, offsetof(SpecFinalizableObject, name), 0, NULL},
    {"resurrect", T_INT, offsetof(SpecFinalizableObject, resurrect), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot specfinalizable_nogc_slots[] = {
    {Py_tp_new, specfinalizable_new},
    {Py_tp_finalize, specfinalizable_finalize},
    {Py_tp_members, specfinalizable_nogc_members},
    {0, NULL},
};

static PyType_Spec specfinalizable_nogc_spec = {
    .name = "_ferrytest.SpecFinalizableNoGC",
    .basicsize = sizeof(SpecFinalizableObject),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = specfinalizable_nogc_slots,
};

static PyObject *
object_callfinalizer(PyObject *Py_UNUSED(m), PyObject *o)
{
    PyObject_CallFinalizer(o);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* PyObject_CallFinalizer with an exception pending: the finalizer must not
 * see it, and it is still pending afterwards (raised here). */
static PyObject *
object_callfinalizer_pending(PyObject *Py_UNUSED(m), PyObject *o)
{
    PyErr_SetString(PyExc_KeyError, "pending");
    PyObject_CallFinalizer(o);
    return NULL;
}

static PyObject *
gc_isfinalized(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyLong_FromLong(PyObject_GC_IsFinalized(o));
}

/* type(*args) made and dropped in C with KeyError("pending") set: the
 * finalizer runs (now or at a later collection) and the error survives. */
static PyObject *
finalizable_drop_pending(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *type = PyTuple_GetItem(args, 0);
    PyObject *rest = type ? PyTuple_GetSlice(args, 1, PyTuple_GET_SIZE(args)) : NULL;
    if (rest == NULL) {
        return NULL;
    }
    PyObject *o = PyObject_Call(type, rest, NULL);
    Py_DECREF(rest);
    if (o == NULL) {
        return NULL;
    }
    PyErr_SetString(PyExc_KeyError, "pending");
    Py_DECREF(o);
    return NULL;
}

/* Empties finalizer_log and finalizer_keep through the API, so that C's
 * references to the objects kept go now (through ferry, a list C made keeps
 * C references to its items until C next looks at it). */
static PyObject *
finalizer_reset(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    if (PyList_SetSlice(finalizer_log, 0, PY_SSIZE_T_MAX, NULL) < 0 ||
        PyList_SetSlice(finalizer_keep, 0, PY_SSIZE_T_MAX, NULL) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Drops the objects kept by their finalizers (finalizer_keep emptied). */
static PyObject *
finalizer_release_kept(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    if (PyList_SetSlice(finalizer_keep, 0, PY_SSIZE_T_MAX, NULL) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
finalizable_deallocs(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(deallocs_finalizable);
}

/* Recycled: a static type whose tp_dealloc keeps one dead object on a free
 * list of its own; recycled_make brings it back with _Py_NewReference, as
 * gi's result tuples do. */
typedef struct {
    PyObject_HEAD
    long value;
    int reused;
    int refcnt_after;   /* Py_REFCNT right after _Py_NewReference */
} RecycledObject;

static PyObject *recycled_free = NULL;

static void
recycled_dealloc(PyObject *o)
{
    if (recycled_free == NULL) {
        recycled_free = o;   /* kept, its count at 0 */
        return;
    }
    Py_TYPE(o)->tp_free(o);
}

static PyMemberDef recycled_members[] = {
    {"value", T_LONG, offsetof(RecycledObject, value), 0, NULL},
    {"reused", T_INT, offsetof(RecycledObject, reused), READONLY, NULL},
    {"refcnt_after", T_INT, offsetof(RecycledObject, refcnt_after), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject Recycled_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.Recycled",
    .tp_basicsize = sizeof(RecycledObject),
    .tp_dealloc = recycled_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_members = recycled_members,
};

/* recycled_make(value): the kept object if there is one (renewed by
 * _Py_NewReference), else a new one. */
static PyObject *
recycled_make(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long value = PyLong_AsLong(arg);
    if (value == -1 && PyErr_Occurred()) {
        return NULL;
    }
    RecycledObject *o;
    if (recycled_free != NULL) {
        o = (RecycledObject *)recycled_free;
        recycled_free = NULL;
        _Py_NewReference((PyObject *)o);
        o->reused = 1;
        o->refcnt_after = (int)Py_REFCNT(o);
    } else {
        o = PyObject_New(RecycledObject, &Recycled_Type);
        if (o == NULL) {
            return NULL;
        }
        o->reused = 0;
        o->refcnt_after = 0;
    }
    o->value = value;
    return (PyObject *)o;
}

/* Whether a dead object waits on the free list. */
static PyObject *
recycled_pending(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(recycled_free != NULL);
}

/* Frees the kept object for good. */
static PyObject *
recycled_clear(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    PyObject *o = recycled_free;
    recycled_free = NULL;
    if (o != NULL) {
        Py_TYPE(o)->tp_free(o);
    }
    Py_RETURN_NONE;
}

/* The object itself, through C: (o, o's value), with o kept across a
 * second crossing. */
static PyObject *
recycled_roundtrip(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (!Py_IS_TYPE(o, &Recycled_Type)) {
        PyErr_SetString(PyExc_TypeError, "a Recycled is needed");
        return NULL;
    }
    return Py_BuildValue("(Ol)", o, ((RecycledObject *)o)->value);
}

static int
object_init_finalizers(PyObject *m)
{
    finalizer_log = PyList_New(0);
    finalizer_keep = PyList_New(0);
    if (finalizer_log == NULL || finalizer_keep == NULL ||
        PyModule_AddObjectRef(m, "finalizer_log", finalizer_log) < 0 ||
        PyModule_AddObjectRef(m, "finalizer_keep", finalizer_keep) < 0) {
        return -1;
    }
    if (PyType_Ready(&Finalizable_Type) < 0 ||
        PyModule_AddObjectRef(m, "Finalizable", (PyObject *)&Finalizable_Type) < 0) {
        return -1;
    }
    if (PyType_Ready(&Recycled_Type) < 0 ||
        PyModule_AddObjectRef(m, "Recycled", (PyObject *)&Recycled_Type) < 0) {
        return -1;
    }
    PyType_Spec *specs[] = {&specfinalizable_spec, &specfinalizable_nogc_spec};
    const char *names[] = {"SpecFinalizable", "SpecFinalizableNoGC"};
    for (int i = 0; i < 2; i++) {
        PyObject *type = PyType_FromSpec(specs[i]);
        if (type == NULL) {
            return -1;
        }
        int r = PyModule_AddObjectRef(m, names[i], type);
        Py_DECREF(type);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

static PyMethodDef object_methods[] = {
    {"object_asfiledescriptor", object_asfiledescriptor, METH_O, NULL},
    {"object_hashpointer", object_hashpointer, METH_O, NULL},
    {"object_repr", object_repr, METH_O, NULL},
    {"object_repr_str_none", object_repr_str_none, METH_NOARGS, NULL},
    {"object_print", object_print, METH_VARARGS, NULL},
    {"object_str", object_str, METH_O, NULL},
    {"object_ascii", object_ascii, METH_O, NULL},
    {"object_bytes", object_bytes, METH_O, NULL},
    {"type_slot_repr", type_slot_repr, METH_O, NULL},
    {"type_slot_str", type_slot_str, METH_O, NULL},
    {"type_slot_getattro", type_slot_getattro, METH_VARARGS, NULL},
    {"type_slot_hash", type_slot_hash, METH_O, NULL},
    {"type_slot_call", type_slot_call, METH_VARARGS, NULL},
    {"type_slot_richcompare", type_slot_richcompare, METH_VARARGS, NULL},
    {"type_slot_iter", type_slot_iter, METH_O, NULL},
    {"type_name", type_name, METH_O, NULL},
    {"type_flags", type_flags, METH_O, NULL},
    {"type_checks", type_checks, METH_O, NULL},
    {"object_type", object_type, METH_O, NULL},
    {"py_type_macro", py_type_macro, METH_O, NULL},
    {"get_none", get_none, METH_NOARGS, NULL},
    {"get_true", get_true, METH_NOARGS, NULL},
    {"get_false", get_false, METH_NOARGS, NULL},
    {"get_notimplemented", get_notimplemented, METH_NOARGS, NULL},
    {"get_ellipsis", get_ellipsis, METH_NOARGS, NULL},
    {"which_singleton", which_singleton, METH_O, NULL},
    {"is_functions", is_functions, METH_O, NULL},
    {"singleton_types", singleton_types, METH_NOARGS, NULL},
    {"object_getattr", object_getattr, METH_VARARGS, NULL},
    {"object_getattrstring", object_getattrstring, METH_VARARGS, NULL},
    {"object_getattrstring_reused", object_getattrstring_reused, METH_VARARGS, NULL},
    {"object_hasattr", object_hasattr, METH_VARARGS, NULL},
    {"object_hasattrstring", object_hasattrstring, METH_VARARGS, NULL},
    {"object_setattr", object_setattr, METH_VARARGS, NULL},
    {"object_setattrstring", object_setattrstring, METH_VARARGS, NULL},
    {"object_delattr", object_delattr, METH_VARARGS, NULL},
    {"object_delattrstring", object_delattrstring, METH_VARARGS, NULL},
    {"object_genericgetattr", object_genericgetattr, METH_VARARGS, NULL},
    {"object_genericsetattr", object_genericsetattr, METH_VARARGS, NULL},
    {"object_dir", object_dir, METH_O, NULL},
    {"object_richcompare", object_richcompare, METH_VARARGS, NULL},
    {"object_richcomparebool", object_richcomparebool, METH_VARARGS, NULL},
    {"object_identity_kept", object_identity_kept, METH_O, NULL},
    {"compare_ops", compare_ops, METH_NOARGS, NULL},
    {"object_hash", object_hash, METH_O, NULL},
    {"object_hashnotimplemented", object_hashnotimplemented, METH_O, NULL},
    {"object_istrue", object_istrue, METH_O, NULL},
    {"object_not", object_not, METH_O, NULL},
    {"object_isinstance", object_isinstance, METH_VARARGS, NULL},
    {"object_issubclass", object_issubclass, METH_VARARGS, NULL},
    {"type_issubtype", type_issubtype, METH_VARARGS, NULL},
    {"object_typecheck", object_typecheck, METH_VARARGS, NULL},
    {"callable_check", callable_check, METH_O, NULL},
    {"object_getitem", object_getitem, METH_VARARGS, NULL},
    {"object_setitem", object_setitem, METH_VARARGS, NULL},
    {"object_delitem", object_delitem, METH_VARARGS, NULL},
    {"object_size", object_size, METH_O, NULL},
    {"object_length", object_length, METH_O, NULL},
    {"object_lengthhint", object_lengthhint, METH_VARARGS, NULL},
    {"object_format", object_format, METH_VARARGS, NULL},
    {"object_getiter", object_getiter, METH_O, NULL},
    {"iter_check", iter_check, METH_O, NULL},
    {"iter_next", iter_next, METH_O, NULL},
    {"iterate_to_list", iterate_to_list, METH_O, NULL},
    {"object_selfiter", object_selfiter, METH_O, NULL},
    {"iter_send", iter_send, METH_VARARGS, NULL},
    {"object_call", object_call, METH_VARARGS, NULL},
    {"object_callobject", object_callobject, METH_VARARGS, NULL},
    {"object_callnoargs", object_callnoargs, METH_O, NULL},
    {"object_callonearg", object_callonearg, METH_VARARGS, NULL},
    {"object_callfunction", object_callfunction, METH_VARARGS, NULL},
    {"object_callfunctionobjargs", object_callfunctionobjargs, METH_VARARGS, NULL},
    {"object_callmethod", object_callmethod, METH_VARARGS, NULL},
    {"object_callmethodobjargs", object_callmethodobjargs, METH_VARARGS, NULL},
    {"object_callmethodnoargs", object_callmethodnoargs, METH_VARARGS, NULL},
    {"object_callmethodonearg", object_callmethodonearg, METH_VARARGS, NULL},
    {"object_vectorcall", object_vectorcall, METH_VARARGS, NULL},
    {"object_vectorcalldict", object_vectorcalldict, METH_VARARGS, NULL},
    {"object_vectorcallmethod", object_vectorcallmethod, METH_VARARGS, NULL},
    {"vectorcall_nargs", vectorcall_nargs, METH_VARARGS, NULL},
    {"vectorcall_call", vectorcall_call, METH_VARARGS, NULL},
    {"recursive_call", recursive_call, METH_O, NULL},
    {"recursion_nest", recursion_nest, METH_O, NULL},
    {"repr_enter_twice", repr_enter_twice, METH_O, NULL},
    {"object_incref_decref", object_incref_decref, METH_O, NULL},
    {"object_is", object_is, METH_VARARGS, NULL},
    {"object_is_singletons", object_is_singletons, METH_O, NULL},
    {"object_newref", object_newref, METH_O, NULL},
    {"object_xnewref", object_xnewref, METH_O, NULL},
    {"object_static_type", object_static_type, METH_VARARGS, NULL},
    {"object_is_static_type", object_is_static_type, METH_VARARGS, NULL},
    {"object_moduledef", object_moduledef, METH_NOARGS, NULL},
    {"object_callfinalizer", object_callfinalizer, METH_O, NULL},
    {"object_callfinalizer_pending", object_callfinalizer_pending, METH_O, NULL},
    {"gc_isfinalized", gc_isfinalized, METH_O, NULL},
    {"finalizable_drop_pending", finalizable_drop_pending, METH_VARARGS, NULL},
    {"finalizable_deallocs", finalizable_deallocs, METH_NOARGS, NULL},
    {"recycled_make", recycled_make, METH_O, NULL},
    {"recycled_pending", recycled_pending, METH_NOARGS, NULL},
    {"recycled_clear", recycled_clear, METH_NOARGS, NULL},
    {"recycled_roundtrip", recycled_roundtrip, METH_O, NULL},
    {"finalizer_reset", finalizer_reset, METH_NOARGS, NULL},
    {"finalizer_release_kept", finalizer_release_kept, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_object(PyObject *m)
{
    if (object_init_finalizers(m) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, object_methods);
}
