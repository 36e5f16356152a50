/* dict objects: PyDict_* from Objects/dictobject.c.
 *
 * Mirrors CPython's Modules/_testcapi/dict.c. Lookups that return a borrowed
 * NULL without an exception answer the sentinel _ferrytest.NULL.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "ferrytest.h"

static PyObject *
dict_new(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    return PyDict_New();
}

/* A dict built in C from alternating keys and values of a tuple. */
static PyObject *
dict_build(PyObject *Py_UNUSED(m), PyObject *items)
{
    if (!PyTuple_Check(items) || PyTuple_GET_SIZE(items) % 2) {
        PyErr_SetString(PyExc_TypeError, "test needs a tuple of even length");
        return NULL;
    }
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(items); i += 2) {
        if (PyDict_SetItem(d, PyTuple_GET_ITEM(items, i),
                           PyTuple_GET_ITEM(items, i + 1)) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

/* PyDict_GetItem swallows errors (unhashable key, failing __eq__) and
 * accepts non-dicts (returning NULL). */
static PyObject *
dict_getitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    PyObject *v = PyDict_GetItem(d, key);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyDict_GetItem");
    }
    return ferrytest_borrowed_or_null(v);
}

/* dict_getitem_each(d, keys): PyDict_GetItem for each key in one call, the
 * borrowed values read only after all lookups (they must all still be
 * alive); a missing key gives None. */
static PyObject *
dict_getitem_each(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *keys;
    if (!PyArg_ParseTuple(args, "OO!", &d, &PyTuple_Type, &keys)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(keys);
    PyObject **found = PyMem_Calloc(n ? n : 1, sizeof(PyObject *));
    if (found == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        found[i] = PyDict_GetItem(d, PyTuple_GET_ITEM(keys, i));
    }
    PyObject *r = PyList_New(n);
    for (Py_ssize_t i = 0; r != NULL && i < n; i++) {
        PyList_SET_ITEM(r, i, Py_NewRef(found[i] ? found[i] : Py_None));
    }
    PyMem_Free(found);
    return r;
}

/* dict_walk_lookups(d, op, value): iterates d with PyObject_GetIter and
 * PyIter_Next, and after each step, before looking the key up with
 * PyDict_GetItem (as ujson does), does op in C: 0 nothing, 1
 * PyDict_SetItem(d, key, value), 2 PyDict_GetItem of an equal key made
 * anew (a str key copied), 3 a step of a second walk of d first (its key
 * looked up too). Returns [(key, value), ...] (None for a missing one). */
static PyObject *
dict_walk_lookups(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *value;
    int op;
    if (!PyArg_ParseTuple(args, "O!iO", &PyDict_Type, &d, &op, &value)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(d);
    PyObject *other = op == 3 && it != NULL ? PyObject_GetIter(d) : NULL;
    PyObject *pairs = it != NULL && (op != 3 || other != NULL) ? PyList_New(0) : NULL;
    PyObject *key;
    while (pairs != NULL && (key = PyIter_Next(it)) != NULL) {
        PyObject *lookup = Py_NewRef(key);
        int ok = 0;
        if (op == 1) {
            ok = PyDict_SetItem(d, key, value);
        } else if (op == 2 && PyUnicode_Check(key)) {
            Py_SETREF(lookup, PyUnicode_FromString(PyUnicode_AsUTF8(key)));
            ok = lookup != NULL ? 0 : -1;
        } else if (op == 3) {
            PyObject *k2 = PyIter_Next(other);
            if (k2 != NULL) {
                ok = PyDict_GetItem(d, k2) != NULL ? 0 : -1;
                Py_DECREF(k2);
            }
        }
        PyObject *v = ok == 0 ? PyDict_GetItem(d, lookup) : NULL;
        PyObject *pair = ok == 0 ? PyTuple_Pack(2, key, v ? v : Py_None) : NULL;
        if (pair == NULL || PyList_Append(pairs, pair) < 0) {
            Py_CLEAR(pairs);
        }
        Py_XDECREF(pair);
        Py_XDECREF(lookup);
        Py_DECREF(key);
    }
    Py_XDECREF(other);
    Py_XDECREF(it);
    if (pairs != NULL && PyErr_Occurred()) {
        Py_CLEAR(pairs);
    }
    return pairs;
}

/* A memo dict the module keeps, used as simplejson's scanner uses its own:
 * each (key, value) of the tuple set, looked up (a borrowed value, compared
 * with the one set), then the memo cleared. True when every lookup found it. */
static PyObject *
dict_memo_round(PyObject *Py_UNUSED(m), PyObject *pairs)
{
    static PyObject *memo;
    if (memo == NULL && (memo = PyDict_New()) == NULL) {
        return NULL;
    }
    if (!PyTuple_Check(pairs)) {
        PyErr_SetString(PyExc_TypeError, "a tuple of pairs");
        return NULL;
    }
    int ok = 1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(pairs); i++) {
        PyObject *k, *v;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(pairs, i), "OO", &k, &v)
            || PyDict_SetItem(memo, k, v) < 0) {
            return NULL;
        }
        PyObject *found = PyDict_GetItemWithError(memo, k);
        if (found == NULL && PyErr_Occurred()) {
            return NULL;
        }
        ok &= found == v;
    }
    PyDict_Clear(memo);
    return PyBool_FromLong(ok);
}

static PyObject *
dict_getitemwitherror(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(PyDict_GetItemWithError(d, key));
}

static PyObject *
dict_getitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d;
    const char *key;
    if (!PyArg_ParseTuple(args, "Oy", &d, &key)) {
        return NULL;
    }
    PyObject *v = PyDict_GetItemString(d, key);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyDict_GetItemString");
    }
    return ferrytest_borrowed_or_null(v);
}

/* _PyDict_GetItemStringWithError: the key as UTF-8 bytes; a missing key is
 * NULL without an error (the sentinel), a non-dict SystemError, undecodable
 * UTF-8 UnicodeDecodeError, a failing comparison its error. */
static PyObject *
dict_getitemstringwitherror(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d;
    const char *key;
    if (!PyArg_ParseTuple(args, "Oy", &d, &key)) {
        return NULL;
    }
    PyObject *v = _PyDict_GetItemStringWithError(d, key);
    if (v == NULL && PyErr_Occurred()) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(v);
}

/* _PyDict_NewPresized(minused): an empty dict, whatever the hint. */
static PyObject *
dict_newpresized(PyObject *Py_UNUSED(m), PyObject *arg)
{
    Py_ssize_t minused = PyLong_AsSsize_t(arg);
    if (minused == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *d = _PyDict_NewPresized(minused);
    if (d == NULL) {
        return NULL;
    }
    /* Usable at once from C. */
    if (PyDict_SetItemString(d, "k", Py_None) < 0 || PyDict_DelItemString(d, "k") < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* Non-dict: SystemError. NULL key/value crash CPython: not passed. */
static PyObject *
dict_setitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key, *value;
    if (!PyArg_ParseTuple(args, "OOO", &d, &key, &value)) {
        return NULL;
    }
    RETURN_INT(PyDict_SetItem(d, key, value));
}

/* With the key's hash computed first, as Cython does. */
static PyObject *
dict_setitem_knownhash(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key, *value;
    if (!PyArg_ParseTuple(args, "OOO", &d, &key, &value)) {
        return NULL;
    }
    Py_hash_t hash = PyObject_Hash(key);
    if (hash == -1) {
        return NULL;
    }
    RETURN_INT(_PyDict_SetItem_KnownHash(d, key, value, hash));
}

static PyObject *
dict_setitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *value;
    const char *key;
    if (!PyArg_ParseTuple(args, "OyO", &d, &key, &value)) {
        return NULL;
    }
    RETURN_INT(PyDict_SetItemString(d, key, value));
}

static PyObject *
dict_delitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    RETURN_INT(PyDict_DelItem(d, key));
}

static PyObject *
dict_delitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d;
    const char *key;
    if (!PyArg_ParseTuple(args, "Oy", &d, &key)) {
        return NULL;
    }
    RETURN_INT(PyDict_DelItemString(d, key));
}

/* Non-dict crashes CPython (no type check): only dicts are passed. */
static PyObject *
dict_contains(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "O!O", &PyDict_Type, &d, &key)) {
        return NULL;
    }
    RETURN_INT(PyDict_Contains(d, key));
}

/* Non-dict: SystemError. */
static PyObject *
dict_size(PyObject *Py_UNUSED(m), PyObject *d)
{
    RETURN_SIZE(PyDict_Size(d));
}

static PyObject *
dict_get_size_macro(PyObject *Py_UNUSED(m), PyObject *d)
{
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "test needs a dict");
        return NULL;
    }
    return PyLong_FromSsize_t(PyDict_GET_SIZE(d));
}

static PyObject *
dict_keys(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDict_Keys(d);
}

static PyObject *
dict_values(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDict_Values(d);
}

static PyObject *
dict_items(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDict_Items(d);
}

/* The PyDict_Next loop: a list of (pos-independent) (key, value) pairs. */
static PyObject *
dict_next_all(PyObject *Py_UNUSED(m), PyObject *d)
{
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "test needs a dict");
        return NULL;
    }
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(d, &pos, &key, &value)) {
        PyObject *pair = PyTuple_Pack(2, key, value);
        if (pair == NULL || PyList_Append(result, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(pair);
    }
    return result;
}

/* Nested PyDict_Next loops over one dict: the outer loop's borrowed key and
   value stay valid while the inner loop starts over, and each loop sees the
   dict's own key objects. Returns [(k1, k2, k1 is key of the dict), ...]. */
static PyObject *
dict_next_nested(PyObject *Py_UNUSED(m), PyObject *d)
{
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *k1, *v1;
    while (PyDict_Next(d, &pos, &k1, &v1)) {
        Py_ssize_t pos2 = 0;
        PyObject *k2, *v2;
        while (PyDict_Next(d, &pos2, &k2, &v2)) {
            PyObject *row = Py_BuildValue("(OOO)", k1, k2, v1);
            if (row == NULL || PyList_Append(result, row) < 0) {
                Py_XDECREF(row);
                Py_DECREF(result);
                return NULL;
            }
            Py_DECREF(row);
        }
    }
    return result;
}

/* PyDict_Next on a non-dict returns 0. */
static PyObject *
dict_next_nondict(PyObject *Py_UNUSED(m), PyObject *o)
{
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    return PyLong_FromLong(PyDict_Next(o, &pos, &key, &value));
}

/* Non-dicts are silently ignored. */
static PyObject *
dict_clear(PyObject *Py_UNUSED(m), PyObject *d)
{
    PyDict_Clear(d);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
dict_copy(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDict_Copy(d);
}

static PyObject *
dict_update(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) {
        return NULL;
    }
    RETURN_INT(PyDict_Update(a, b));
}

static PyObject *
dict_merge(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    int override;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &override)) {
        return NULL;
    }
    RETURN_INT(PyDict_Merge(a, b, override));
}

static PyObject *
dict_mergefromseq2(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b;
    int override;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &override)) {
        return NULL;
    }
    RETURN_INT(PyDict_MergeFromSeq2(a, b, override));
}

static PyObject *
dict_setdefault(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key, *dflt;
    if (!PyArg_ParseTuple(args, "OOO", &d, &key, &dflt)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(PyDict_SetDefault(d, key, dflt));
}

static PyObject *
dictproxy_new(PyObject *Py_UNUSED(m), PyObject *d)
{
    return PyDictProxy_New(d);
}

static PyObject *
dict_type_exact(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(Py_TYPE(o) == &PyDict_Type);
}

/* Borrowed, NULL without an exception when missing (the NULL sentinel). */
static PyObject *
dict_getitemwitherror_private(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(_PyDict_GetItemWithError(d, key));
}

/* The hash computed by the caller, as Cython does. */
static PyObject *
dict_getitem_knownhash(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "OO", &d, &key)) {
        return NULL;
    }
    Py_hash_t hash = PyObject_Hash(key);
    if (hash == -1) {
        return NULL;
    }
    return ferrytest_borrowed_or_null(_PyDict_GetItem_KnownHash(d, key, hash));
}


/* --- ma_version_tag, as Cython's CYTHON_USE_DICT_VERSIONS caches read it -- */

#define DICT_VERSION(d) (((PyDictObject *)(d))->ma_version_tag)

/* The tags of several dicts, read from the structs. */
static PyObject *
dict_versions(PyObject *Py_UNUSED(m), PyObject *dicts)
{
    if (!PyList_Check(dicts)) {
        PyErr_SetString(PyExc_TypeError, "test needs a list");
        return NULL;
    }
    PyObject *r = PyList_New(PyList_GET_SIZE(dicts));
    for (Py_ssize_t i = 0; r && i < PyList_GET_SIZE(dicts); i++) {
        PyObject *d = PyList_GET_ITEM(dicts, i);
        if (!PyDict_Check(d)) {
            Py_DECREF(r);
            PyErr_SetString(PyExc_TypeError, "test needs dicts");
            return NULL;
        }
        PyList_SET_ITEM(r, i, PyLong_FromUnsignedLongLong(DICT_VERSION(d)));
    }
    return r;
}

/* Each write of the API gives the dict a new tag: for each operation, whether
 * the tag changed (every operation here changes the dict). */
static PyObject *
dict_version_writes(PyObject *Py_UNUSED(m), PyObject *d)
{
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "test needs a dict");
        return NULL;
    }
    PyObject *other = Py_BuildValue("{s:i}", "u", 1);
    PyObject *other2 = Py_BuildValue("{s:i}", "m", 3);
    PyObject *pairs = Py_BuildValue("[(si)]", "s", 2);
    PyObject *one = PyLong_FromLong(1), *key = PyUnicode_FromString("k");
    PyObject *r = PyList_New(0);
    if (!other || !other2 || !pairs || !one || !key || !r) {
        goto done;
    }
#define STEP(name, call) do {                                          \
        unsigned long long before = DICT_VERSION(d);                   \
        if ((call) < 0) { Py_CLEAR(r); goto done; }                    \
        PyObject *row = Py_BuildValue("(si)", name, DICT_VERSION(d) != before); \
        if (!row || PyList_Append(r, row) < 0) { Py_XDECREF(row); Py_CLEAR(r); goto done; } \
        Py_DECREF(row);                                                \
    } while (0)
    STEP("SetItem", PyDict_SetItem(d, key, one));
    STEP("SetItemString", PyDict_SetItemString(d, "k2", one));
    STEP("DelItem", PyDict_DelItem(d, key));
    STEP("DelItemString", PyDict_DelItemString(d, "k2"));
    STEP("SetDefault", PyDict_SetDefault(d, key, one) ? 0 : -1);
    STEP("Update", PyDict_Update(d, other));
    STEP("Merge", PyDict_Merge(d, other2, 0));
    STEP("MergeFromSeq2", PyDict_MergeFromSeq2(d, pairs, 1));
    STEP("ObjectSetItem", PyObject_SetItem(d, one, one));
    STEP("ObjectDelItem", PyObject_DelItem(d, one));
    STEP("Clear", (PyDict_Clear(d), 0));
#undef STEP
done:
    Py_XDECREF(other);
    Py_XDECREF(other2);
    Py_XDECREF(pairs);
    Py_XDECREF(one);
    Py_XDECREF(key);
    return r;
}

/* One cached global lookup of Cython (__Pyx_GetModuleGlobalName): the value
 * is kept (borrowed) with the module dict's tag, and used again while the tag
 * is unchanged. Returns the value, or NULL when the name is not a global. */
static PY_UINT64_T cached_version;
static PyObject *cached_value;
static int cached_hit;

static PyObject *
cached_global(PyObject *module, PyObject *name)
{
    PyObject *d = PyModule_GetDict(module);
    if (cached_version && cached_version == DICT_VERSION(d)) {
        cached_hit = 1;
        return cached_value;
    }
    cached_hit = 0;
    PyObject *v = PyDict_GetItemWithError(d, name);
    if (v == NULL && PyErr_Occurred()) {
        return NULL;
    }
    cached_version = DICT_VERSION(d);
    cached_value = v;
    return v;
}

static PyObject *
dict_cached_global(PyObject *module, PyObject *name)
{
    return ferrytest_borrowed_or_null(cached_global(module, name));
}

/* Two lookups in one call: the second is served by the cache. */
static PyObject *
dict_cached_global_twice(PyObject *module, PyObject *name)
{
    PyObject *a = ferrytest_borrowed_or_null(cached_global(module, name));
    if (a == NULL) {
        return NULL;
    }
    PyObject *b = ferrytest_borrowed_or_null(cached_global(module, name));
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    return Py_BuildValue("(NNi)", a, b, cached_hit);
}

/* A lookup, a call of Python code (which may change the global), a lookup. */
static PyObject *
dict_cached_global_around(PyObject *module, PyObject *args)
{
    PyObject *name, *callback;
    if (!PyArg_ParseTuple(args, "UO", &name, &callback)) {
        return NULL;
    }
    PyObject *a = ferrytest_borrowed_or_null(cached_global(module, name));
    if (a == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_CallNoArgs(callback);
    if (r == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    Py_DECREF(r);
    PyObject *b = ferrytest_borrowed_or_null(cached_global(module, name));
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    return Py_BuildValue("(NN)", a, b);
}

/* A lookup, a write made in C (PyDict_SetItem on the module dict, or
 * PyObject_SetAttr on the module), a lookup. */
static PyObject *
dict_cached_global_set_in_c(PyObject *module, PyObject *args)
{
    PyObject *name, *value;
    int by_attr;
    if (!PyArg_ParseTuple(args, "UOp", &name, &value, &by_attr)) {
        return NULL;
    }
    PyObject *a = ferrytest_borrowed_or_null(cached_global(module, name));
    if (a == NULL) {
        return NULL;
    }
    int rc = by_attr ? PyObject_SetAttr(module, name, value)
                     : PyDict_SetItem(PyModule_GetDict(module), name, value);
    if (rc < 0) {
        Py_DECREF(a);
        return NULL;
    }
    PyObject *b = ferrytest_borrowed_or_null(cached_global(module, name));
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    return Py_BuildValue("(NN)", a, b);
}

/* Py_IS_TYPE(o, &PyDictIterKey_Type): what PyObject_GetIter of a dict makes. */
static PyObject *
dict_is_keyiterator(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyBool_FromLong(Py_IS_TYPE(o, &PyDictIterKey_Type));
}

/* PyObject_GetIter(d) and PyIter_Next for at most `take` keys, with
 * PyDict_GetItem of each and f(key) after it (Python code that may change d):
 * ([(key, value)], the iterator). */
static PyObject *
dict_iter_each(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *d, *f;
    int take;
    if (!PyArg_ParseTuple(args, "OOi", &d, &f, &take)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(d);
    if (it == NULL) {
        return NULL;
    }
    PyObject *pairs = PyList_New(0);
    for (int i = 0; pairs != NULL && i < take; i++) {
        PyObject *key = PyIter_Next(it);
        if (key == NULL) {
            break;
        }
        PyObject *value = PyDict_GetItem(d, key);
        PyObject *pair = Py_BuildValue("(OO)", key, value ? value : Py_None);
        PyObject *r = pair && PyList_Append(pairs, pair) == 0 ? PyObject_CallOneArg(f, key) : NULL;
        if (r == NULL) {
            Py_CLEAR(pairs);
        }
        Py_XDECREF(r);
        Py_XDECREF(pair);
        Py_DECREF(key);
    }
    PyObject *r = pairs != NULL && !PyErr_Occurred() ? Py_BuildValue("(NO)", pairs, it) : NULL;
    if (r == NULL) {
        Py_XDECREF(pairs);
    }
    Py_DECREF(it);
    return r;
}


/* dict_script(ops): a dict made by PyDict_New, then each op of the list in
 * turn (a tuple: name and arguments); returns (log, d). Ops:
 *   ("set", k, v) PyDict_SetItem      ("get", k) PyDict_GetItemWithError
 *   ("has", k) PyDict_Contains        ("del", k) PyDict_DelItem
 *   ("size",) PyDict_Size and the macro   ("next",) every PyDict_Next item
 *   ("clear",) PyDict_Clear           ("call", f) f(d), the dict crossing
 *   ("keys",) PyDict_Keys             ("setstr", "k", v) PyDict_SetItemString
 *   ("values",), ("items",)           ("copy",) PyDict_Copy, the copy then written
 *   ("setdefault", k, v) PyDict_SetDefault
 * A failing op logs its exception's type name and the script goes on. */
static PyObject *
dict_script_op(PyObject *d, PyObject *op)
{
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(op, 0));
    PyObject *a = PyTuple_GET_SIZE(op) > 1 ? PyTuple_GET_ITEM(op, 1) : NULL;
    PyObject *b = PyTuple_GET_SIZE(op) > 2 ? PyTuple_GET_ITEM(op, 2) : NULL;
    if (!strcmp(name, "set")) {
        return PyDict_SetItem(d, a, b) < 0 ? NULL : Py_NewRef(Py_None);
    }
    if (!strcmp(name, "setstr")) {
        return PyDict_SetItemString(d, PyUnicode_AsUTF8(a), b) < 0 ? NULL : Py_NewRef(Py_None);
    }
    if (!strcmp(name, "get")) {
        PyObject *v = PyDict_GetItemWithError(d, a);
        return v ? Py_NewRef(v) : PyErr_Occurred() ? NULL : Py_NewRef(ferrytest_null);
    }
    if (!strcmp(name, "has")) {
        int r = PyDict_Contains(d, a);
        return r < 0 ? NULL : PyLong_FromLong(r);
    }
    if (!strcmp(name, "del")) {
        return PyDict_DelItem(d, a) < 0 ? NULL : Py_NewRef(Py_None);
    }
    if (!strcmp(name, "size")) {
        return Py_BuildValue("(nn)", PyDict_Size(d), PyDict_GET_SIZE(d));
    }
    if (!strcmp(name, "next")) {
        PyObject *items = PyList_New(0), *k, *v;
        Py_ssize_t pos = 0;
        while (items && PyDict_Next(d, &pos, &k, &v)) {
            PyObject *pair = PyTuple_Pack(2, k, v);
            if (pair == NULL || PyList_Append(items, pair) < 0) {
                Py_CLEAR(items);
            }
            Py_XDECREF(pair);
        }
        return items;
    }
    if (!strcmp(name, "clear")) {
        PyDict_Clear(d);
        return Py_NewRef(Py_None);
    }
    if (!strcmp(name, "call")) {
        return PyObject_CallOneArg(a, d);
    }
    if (!strcmp(name, "keys")) {
        return PyDict_Keys(d);
    }
    if (!strcmp(name, "values")) {
        return PyDict_Values(d);
    }
    if (!strcmp(name, "items")) {
        return PyDict_Items(d);
    }
    if (!strcmp(name, "copy")) {   /* the copy, changed by C: d must not change */
        PyObject *c = PyDict_Copy(d);
        if (c != NULL && PyDict_SetItemString(c, "in-copy", Py_None) < 0) {
            Py_CLEAR(c);
        }
        return c;
    }
    if (!strcmp(name, "setdefault")) {
        PyObject *v = PyDict_SetDefault(d, a, b);
        return v ? Py_NewRef(v) : NULL;
    }
    PyErr_Format(PyExc_ValueError, "no op %s", name);
    return NULL;
}

static PyObject *
dict_script(PyObject *Py_UNUSED(m), PyObject *ops)
{
    if (!PyList_Check(ops)) {
        PyErr_SetString(PyExc_TypeError, "test needs a list of ops");
        return NULL;
    }
    PyObject *d = PyDict_New(), *log = PyList_New(0);
    for (Py_ssize_t i = 0; d && log && i < PyList_GET_SIZE(ops); i++) {
        PyObject *r = dict_script_op(d, PyList_GET_ITEM(ops, i));
        if (r == NULL) {
            PyObject *t, *v, *tb;
            PyErr_Fetch(&t, &v, &tb);
            r = PyUnicode_FromString(((PyTypeObject *)t)->tp_name);
            Py_XDECREF(t);
            Py_XDECREF(v);
            Py_XDECREF(tb);
        }
        if (r == NULL || PyList_Append(log, r) < 0) {
            Py_CLEAR(log);
        }
        Py_XDECREF(r);
    }
    PyObject *r = d && log ? PyTuple_Pack(2, log, d) : NULL;
    Py_XDECREF(d);
    Py_XDECREF(log);
    return r;
}

/* A nested result made in C as a JSON decoder makes one: {"n": i, "name":
 * "item-<i>", "tags": ["a", "b"], "sub": {"x": 1.5, "none": None}} per item
 * of a list of count, all references dropped as they are stored. */
static PyObject *
dict_decoded(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long count = PyLong_AsLong(arg);
    if (count == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *list = PyList_New(0);
    for (long i = 0; list && i < count; i++) {
        PyObject *item = PyDict_New(), *sub = PyDict_New(), *tags = PyList_New(0);
        PyObject *n = PyLong_FromLong(i * 1000003L), *name = PyUnicode_FromFormat("item-%ld", i);
        PyObject *a = PyUnicode_FromString("a"), *b = PyUnicode_FromString("b\xc3\xa9");
        PyObject *x = PyFloat_FromDouble(1.5 + i);
        int bad = !item || !sub || !tags || !n || !name || !a || !b || !x ||
                  PyList_Append(tags, a) < 0 || PyList_Append(tags, b) < 0 ||
                  PyDict_SetItemString(sub, "x", x) < 0 || PyDict_SetItemString(sub, "none", Py_None) < 0 ||
                  PyDict_SetItemString(item, "n", n) < 0 || PyDict_SetItemString(item, "name", name) < 0 ||
                  PyDict_SetItemString(item, "tags", tags) < 0 || PyDict_SetItemString(item, "sub", sub) < 0 ||
                  PyList_Append(list, item) < 0;
        Py_XDECREF(item);
        Py_XDECREF(sub);
        Py_XDECREF(tags);
        Py_XDECREF(n);
        Py_XDECREF(name);
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(x);
        if (bad) {
            Py_CLEAR(list);
        }
    }
    if (list == NULL) {
        return NULL;
    }
    PyObject *d = Py_BuildValue("{s:i,s:N}", "version", 1, "items", list);
    return d;
}

/* A value stored and let go, then used as the borrowed reference the dict
 * keeps valid: after the dict crossed (f(d)) and without f. Returns d. */
static PyObject *
dict_borrowed_after_crossing(PyObject *Py_UNUSED(m), PyObject *f)
{
    PyObject *d = PyDict_New(), *v = PyList_New(0), *one = PyLong_FromLong(1);
    if (!d || !v || !one || PyDict_SetItemString(d, "list", v) < 0) {
        goto fail;
    }
    Py_DECREF(v);   /* v is borrowed from d from here */
    if (f != Py_None) {
        PyObject *r = PyObject_CallOneArg(f, d);
        if (r == NULL) {
            v = NULL;
            goto fail;
        }
        Py_DECREF(r);
    }
    if (PyList_Append(v, one) < 0) {
        v = NULL;
        goto fail;
    }
    Py_DECREF(one);
    return d;
fail:
    Py_XDECREF(d);
    Py_XDECREF(v);
    Py_XDECREF(one);
    return NULL;
}

/* (x, holder, f): whether C meets x as one object however it arrives: as
 * holder's first item (a list) or first value (a dict), and as what f()
 * returns (f None: not asked). */
static PyObject *
dict_identity_paths(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *x, *holder, *f;
    if (!PyArg_ParseTuple(args, "OOO", &x, &holder, &f)) {
        return NULL;
    }
    PyObject *item = NULL;
    if (PyList_Check(holder) && PyList_GET_SIZE(holder) > 0) {
        item = PyList_GET_ITEM(holder, 0);
    }
    else if (PyDict_Check(holder)) {
        Py_ssize_t pos = 0;
        PyObject *k;
        PyDict_Next(holder, &pos, &k, &item);
    }
    int via_call = -1;
    if (f != Py_None) {
        PyObject *r = PyObject_CallNoArgs(f);
        if (r == NULL) {
            return NULL;
        }
        via_call = r == x;
        Py_DECREF(r);
    }
    return Py_BuildValue("(Oi)", item == NULL ? Py_None : item == x ? Py_True : Py_False, via_call);
}

/* (d, key, value): a dict made in C, its key and value also handed out
 * themselves; `self` set: d also holds itself under "self". */
static PyObject *
dict_with_shared(PyObject *Py_UNUSED(m), PyObject *self)
{
    PyObject *d = PyDict_New(), *k = PyUnicode_FromString("shared"), *v = PyList_New(0);
    if (!d || !k || !v || PyDict_SetItem(d, k, v) < 0 ||
        (PyObject_IsTrue(self) && PyDict_SetItemString(d, "self", d) < 0)) {
        Py_XDECREF(d);
        Py_XDECREF(k);
        Py_XDECREF(v);
        return NULL;
    }
    return Py_BuildValue("(NNN)", d, k, v);
}

static PyMethodDef dict_methods[] = {
    {"dict_script", dict_script, METH_O, NULL},
    {"dict_decoded", dict_decoded, METH_O, NULL},
    {"dict_borrowed_after_crossing", dict_borrowed_after_crossing, METH_O, NULL},
    {"dict_with_shared", dict_with_shared, METH_O, NULL},
    {"dict_identity_paths", dict_identity_paths, METH_VARARGS, NULL},
    {"dict_is_keyiterator", dict_is_keyiterator, METH_O, NULL},
    {"dict_iter_each", dict_iter_each, METH_VARARGS, NULL},
    {"dict_new", dict_new, METH_NOARGS, NULL},
    {"dict_build", dict_build, METH_O, NULL},
    {"dict_getitem", dict_getitem, METH_VARARGS, NULL},
    {"dict_getitem_each", dict_getitem_each, METH_VARARGS, NULL},
    {"dict_walk_lookups", dict_walk_lookups, METH_VARARGS, NULL},
    {"dict_getitemwitherror", dict_getitemwitherror, METH_VARARGS, NULL},
    {"dict_memo_round", dict_memo_round, METH_O, NULL},
    {"dict_getitemstring", dict_getitemstring, METH_VARARGS, NULL},
    {"dict_getitemstringwitherror", dict_getitemstringwitherror, METH_VARARGS, NULL},
    {"dict_newpresized", dict_newpresized, METH_O, NULL},
    {"dict_setitem", dict_setitem, METH_VARARGS, NULL},
    {"dict_setitemstring", dict_setitemstring, METH_VARARGS, NULL},
    {"dict_setitem_knownhash", dict_setitem_knownhash, METH_VARARGS, NULL},
    {"dict_delitem", dict_delitem, METH_VARARGS, NULL},
    {"dict_delitemstring", dict_delitemstring, METH_VARARGS, NULL},
    {"dict_contains", dict_contains, METH_VARARGS, NULL},
    {"dict_size", dict_size, METH_O, NULL},
    {"dict_get_size_macro", dict_get_size_macro, METH_O, NULL},
    {"dict_keys", dict_keys, METH_O, NULL},
    {"dict_values", dict_values, METH_O, NULL},
    {"dict_items", dict_items, METH_O, NULL},
    {"dict_next_all", dict_next_all, METH_O, NULL},
    {"dict_next_nondict", dict_next_nondict, METH_O, NULL},
    {"dict_next_nested", dict_next_nested, METH_O, NULL},
    {"dict_clear", dict_clear, METH_O, NULL},
    {"dict_copy", dict_copy, METH_O, NULL},
    {"dict_update", dict_update, METH_VARARGS, NULL},
    {"dict_merge", dict_merge, METH_VARARGS, NULL},
    {"dict_mergefromseq2", dict_mergefromseq2, METH_VARARGS, NULL},
    {"dict_setdefault", dict_setdefault, METH_VARARGS, NULL},
    {"dictproxy_new", dictproxy_new, METH_O, NULL},
    {"dict_type_exact", dict_type_exact, METH_O, NULL},
    {"dict_getitemwitherror_private", dict_getitemwitherror_private, METH_VARARGS, NULL},
    {"dict_getitem_knownhash", dict_getitem_knownhash, METH_VARARGS, NULL},
    {"dict_versions", dict_versions, METH_O, NULL},
    {"dict_version_writes", dict_version_writes, METH_O, NULL},
    {"dict_cached_global", dict_cached_global, METH_O, NULL},
    {"dict_cached_global_twice", dict_cached_global_twice, METH_O, NULL},
    {"dict_cached_global_around", dict_cached_global_around, METH_VARARGS, NULL},
    {"dict_cached_global_set_in_c", dict_cached_global_set_in_c, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_dict(PyObject *m)
{
    return PyModule_AddFunctions(m, dict_methods);
}
