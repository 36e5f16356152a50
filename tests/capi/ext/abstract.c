/* Abstract protocols of Objects/abstract.c: number, sequence and mapping.
 * (The iterator protocol lives with the object protocol in object.c.)
 *
 * Mirrors CPython's Modules/_testcapi/abstract.c and number.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

/* --- number protocol ----------------------------------------------------- */

#define BINARY_FUNC(name, api)                                          \
    static PyObject *                                                   \
    name(PyObject *Py_UNUSED(m), PyObject *args)                        \
    {                                                                   \
        PyObject *a, *b;                                                \
        if (!PyArg_ParseTuple(args, "OO", &a, &b)) {                    \
            return NULL;                                                \
        }                                                               \
        return api(a, b);                                               \
    }

#define UNARY_FUNC(name, api)                                           \
    static PyObject *                                                   \
    name(PyObject *Py_UNUSED(m), PyObject *o)                           \
    {                                                                   \
        return api(o);                                                  \
    }

BINARY_FUNC(number_add, PyNumber_Add)
BINARY_FUNC(number_subtract, PyNumber_Subtract)
BINARY_FUNC(number_multiply, PyNumber_Multiply)
BINARY_FUNC(number_matrixmultiply, PyNumber_MatrixMultiply)
BINARY_FUNC(number_floordivide, PyNumber_FloorDivide)
BINARY_FUNC(number_truedivide, PyNumber_TrueDivide)
BINARY_FUNC(number_remainder, PyNumber_Remainder)
BINARY_FUNC(number_divmod, PyNumber_Divmod)
BINARY_FUNC(number_lshift, PyNumber_Lshift)
BINARY_FUNC(number_rshift, PyNumber_Rshift)
BINARY_FUNC(number_and, PyNumber_And)
BINARY_FUNC(number_xor, PyNumber_Xor)
BINARY_FUNC(number_or, PyNumber_Or)
BINARY_FUNC(number_inplaceadd, PyNumber_InPlaceAdd)
BINARY_FUNC(number_inplacesubtract, PyNumber_InPlaceSubtract)
BINARY_FUNC(number_inplacemultiply, PyNumber_InPlaceMultiply)
BINARY_FUNC(number_inplacematrixmultiply, PyNumber_InPlaceMatrixMultiply)
BINARY_FUNC(number_inplacefloordivide, PyNumber_InPlaceFloorDivide)
BINARY_FUNC(number_inplacetruedivide, PyNumber_InPlaceTrueDivide)
BINARY_FUNC(number_inplaceremainder, PyNumber_InPlaceRemainder)
BINARY_FUNC(number_inplacelshift, PyNumber_InPlaceLshift)
BINARY_FUNC(number_inplacershift, PyNumber_InPlaceRshift)
BINARY_FUNC(number_inplaceand, PyNumber_InPlaceAnd)
BINARY_FUNC(number_inplacexor, PyNumber_InPlaceXor)
BINARY_FUNC(number_inplaceor, PyNumber_InPlaceOr)

UNARY_FUNC(number_negative, PyNumber_Negative)
UNARY_FUNC(number_positive, PyNumber_Positive)
UNARY_FUNC(number_absolute, PyNumber_Absolute)
UNARY_FUNC(number_invert, PyNumber_Invert)
UNARY_FUNC(number_long, PyNumber_Long)
UNARY_FUNC(number_float, PyNumber_Float)
UNARY_FUNC(number_index, PyNumber_Index)

/* The third argument of pow may be Py_None (it is in CPython's own calls). */
static PyObject *
number_power(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b, *c = Py_None;
    if (!PyArg_ParseTuple(args, "OO|O", &a, &b, &c)) {
        return NULL;
    }
    return PyNumber_Power(a, b, c);
}

static PyObject *
number_inplacepower(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *a, *b, *c = Py_None;
    if (!PyArg_ParseTuple(args, "OO|O", &a, &b, &c)) {
        return NULL;
    }
    return PyNumber_InPlacePower(a, b, c);
}

static PyObject *
number_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyLong_FromLong(PyNumber_Check(o));
}

static PyObject *
index_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyLong_FromLong(PyIndex_Check(o));
}

static PyObject *
number_tobase(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *n;
    int base;
    if (!PyArg_ParseTuple(args, "Oi", &n, &base)) {
        return NULL;
    }
    return PyNumber_ToBase(n, base);
}

/* exc None means NULL: clip to PY_SSIZE_T_MIN/MAX instead of raising. */
static PyObject *
number_asssize_t(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *exc;
    if (!PyArg_ParseTuple(args, "OO", &o, &exc)) {
        return NULL;
    }
    NULLABLE(exc);
    Py_ssize_t r = PyNumber_AsSsize_t(o, exc);
    if (r == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSsize_t(r);
}

/* --- sequence protocol --------------------------------------------------- */

static PyObject *
sequence_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyLong_FromLong(PySequence_Check(o));
}

/* NULL: SystemError. */
static PyObject *
sequence_size(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    RETURN_SIZE(PySequence_Size(o));
}

static PyObject *
sequence_length(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    RETURN_SIZE(PySequence_Length(o));
}

BINARY_FUNC(sequence_concat, PySequence_Concat)
BINARY_FUNC(sequence_inplaceconcat, PySequence_InPlaceConcat)

static PyObject *
sequence_repeat(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t count;
    if (!PyArg_ParseTuple(args, "On", &o, &count)) {
        return NULL;
    }
    return PySequence_Repeat(o, count);
}

static PyObject *
sequence_inplacerepeat(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t count;
    if (!PyArg_ParseTuple(args, "On", &o, &count)) {
        return NULL;
    }
    return PySequence_InPlaceRepeat(o, count);
}

static PyObject *
sequence_getitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "On", &o, &i)) {
        return NULL;
    }
    return PySequence_GetItem(o, i);
}

static PyObject *
sequence_setitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *value;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "OnO", &o, &i, &value)) {
        return NULL;
    }
    NULLABLE(value);   /* NULL deletes, like PySequence_DelItem */
    RETURN_INT(PySequence_SetItem(o, i, value));
}

static PyObject *
sequence_delitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "On", &o, &i)) {
        return NULL;
    }
    RETURN_INT(PySequence_DelItem(o, i));
}

static PyObject *
sequence_getslice(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t i1, i2;
    if (!PyArg_ParseTuple(args, "Onn", &o, &i1, &i2)) {
        return NULL;
    }
    return PySequence_GetSlice(o, i1, i2);
}

static PyObject *
sequence_setslice(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *v;
    Py_ssize_t i1, i2;
    if (!PyArg_ParseTuple(args, "OnnO", &o, &i1, &i2, &v)) {
        return NULL;
    }
    NULLABLE(v);
    RETURN_INT(PySequence_SetSlice(o, i1, i2, v));
}

static PyObject *
sequence_delslice(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    Py_ssize_t i1, i2;
    if (!PyArg_ParseTuple(args, "Onn", &o, &i1, &i2)) {
        return NULL;
    }
    RETURN_INT(PySequence_DelSlice(o, i1, i2));
}

UNARY_FUNC(sequence_tuple, PySequence_Tuple)
UNARY_FUNC(sequence_list, PySequence_List)

/* PySequence_Fast plus the macros that read its result in place. */
static PyObject *
sequence_fast(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *msg;
    if (!PyArg_ParseTuple(args, "Os", &o, &msg)) {
        return NULL;
    }
    PyObject *fast = PySequence_Fast(o, msg);
    if (fast == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    PyObject *copy = PyList_New(n);
    if (copy == NULL) {
        Py_DECREF(fast);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (items[i] != PySequence_Fast_GET_ITEM(fast, i)) {
            Py_DECREF(copy);
            Py_DECREF(fast);
            return ferrytest_missing_error("ITEMS and GET_ITEM disagreeing");
        }
        PyList_SET_ITEM(copy, i, Py_NewRef(items[i]));
    }
    int same = (fast == o);
    Py_DECREF(fast);
    return Py_BuildValue("(Ni)", copy, same);
}

static PyObject *
sequence_count(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *value;
    if (!PyArg_ParseTuple(args, "OO", &o, &value)) {
        return NULL;
    }
    RETURN_SIZE(PySequence_Count(o, value));
}

static PyObject *
sequence_contains(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *value;
    if (!PyArg_ParseTuple(args, "OO", &o, &value)) {
        return NULL;
    }
    RETURN_INT(PySequence_Contains(o, value));
}

static PyObject *
sequence_index(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *value;
    if (!PyArg_ParseTuple(args, "OO", &o, &value)) {
        return NULL;
    }
    RETURN_SIZE(PySequence_Index(o, value));
}

/* --- mapping protocol ---------------------------------------------------- */

static PyObject *
mapping_check(PyObject *Py_UNUSED(m), PyObject *o)
{
    return PyLong_FromLong(PyMapping_Check(o));
}

static PyObject *
mapping_size(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    RETURN_SIZE(PyMapping_Size(o));
}

static PyObject *
mapping_length(PyObject *Py_UNUSED(m), PyObject *o)
{
    NULLABLE(o);
    RETURN_SIZE(PyMapping_Length(o));
}

/* HasKey and HasKeyString swallow every error and return 0. */
static PyObject *
mapping_haskey(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *key;
    if (!PyArg_ParseTuple(args, "OO", &o, &key)) {
        return NULL;
    }
    int r = PyMapping_HasKey(o, key);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyMapping_HasKey");
    }
    return PyLong_FromLong(r);
}

static PyObject *
mapping_haskeystring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *key;
    if (!PyArg_ParseTuple(args, "Oy", &o, &key)) {
        return NULL;
    }
    int r = PyMapping_HasKeyString(o, key);
    if (PyErr_Occurred()) {
        return ferrytest_missing_error("an exception from PyMapping_HasKeyString");
    }
    return PyLong_FromLong(r);
}

static PyObject *
mapping_getitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *key;
    if (!PyArg_ParseTuple(args, "Oy", &o, &key)) {
        return NULL;
    }
    return PyMapping_GetItemString(o, key);
}

static PyObject *
mapping_setitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *value;
    const char *key;
    if (!PyArg_ParseTuple(args, "OyO", &o, &key, &value)) {
        return NULL;
    }
    RETURN_INT(PyMapping_SetItemString(o, key, value));
}

static PyObject *
mapping_delitem(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o, *key;
    if (!PyArg_ParseTuple(args, "OO", &o, &key)) {
        return NULL;
    }
    RETURN_INT(PyMapping_DelItem(o, key));
}

static PyObject *
mapping_delitemstring(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *o;
    const char *key;
    if (!PyArg_ParseTuple(args, "Oy", &o, &key)) {
        return NULL;
    }
    RETURN_INT(PyMapping_DelItemString(o, key));
}

UNARY_FUNC(mapping_keys, PyMapping_Keys)
UNARY_FUNC(mapping_values, PyMapping_Values)
UNARY_FUNC(mapping_items, PyMapping_Items)

static PyMethodDef abstract_methods[] = {
    {"number_add", number_add, METH_VARARGS, NULL},
    {"number_subtract", number_subtract, METH_VARARGS, NULL},
    {"number_multiply", number_multiply, METH_VARARGS, NULL},
    {"number_matrixmultiply", number_matrixmultiply, METH_VARARGS, NULL},
    {"number_floordivide", number_floordivide, METH_VARARGS, NULL},
    {"number_truedivide", number_truedivide, METH_VARARGS, NULL},
    {"number_remainder", number_remainder, METH_VARARGS, NULL},
    {"number_divmod", number_divmod, METH_VARARGS, NULL},
    {"number_power", number_power, METH_VARARGS, NULL},
    {"number_lshift", number_lshift, METH_VARARGS, NULL},
    {"number_rshift", number_rshift, METH_VARARGS, NULL},
    {"number_and", number_and, METH_VARARGS, NULL},
    {"number_xor", number_xor, METH_VARARGS, NULL},
    {"number_or", number_or, METH_VARARGS, NULL},
    {"number_inplaceadd", number_inplaceadd, METH_VARARGS, NULL},
    {"number_inplacesubtract", number_inplacesubtract, METH_VARARGS, NULL},
    {"number_inplacemultiply", number_inplacemultiply, METH_VARARGS, NULL},
    {"number_inplacematrixmultiply", number_inplacematrixmultiply, METH_VARARGS, NULL},
    {"number_inplacefloordivide", number_inplacefloordivide, METH_VARARGS, NULL},
    {"number_inplacetruedivide", number_inplacetruedivide, METH_VARARGS, NULL},
    {"number_inplaceremainder", number_inplaceremainder, METH_VARARGS, NULL},
    {"number_inplacepower", number_inplacepower, METH_VARARGS, NULL},
    {"number_inplacelshift", number_inplacelshift, METH_VARARGS, NULL},
    {"number_inplacershift", number_inplacershift, METH_VARARGS, NULL},
    {"number_inplaceand", number_inplaceand, METH_VARARGS, NULL},
    {"number_inplacexor", number_inplacexor, METH_VARARGS, NULL},
    {"number_inplaceor", number_inplaceor, METH_VARARGS, NULL},
    {"number_negative", number_negative, METH_O, NULL},
    {"number_positive", number_positive, METH_O, NULL},
    {"number_absolute", number_absolute, METH_O, NULL},
    {"number_invert", number_invert, METH_O, NULL},
    {"number_long", number_long, METH_O, NULL},
    {"number_float", number_float, METH_O, NULL},
    {"number_index", number_index, METH_O, NULL},
    {"number_check", number_check, METH_O, NULL},
    {"index_check", index_check, METH_O, NULL},
    {"number_tobase", number_tobase, METH_VARARGS, NULL},
    {"number_asssize_t", number_asssize_t, METH_VARARGS, NULL},
    {"sequence_check", sequence_check, METH_O, NULL},
    {"sequence_size", sequence_size, METH_O, NULL},
    {"sequence_length", sequence_length, METH_O, NULL},
    {"sequence_concat", sequence_concat, METH_VARARGS, NULL},
    {"sequence_inplaceconcat", sequence_inplaceconcat, METH_VARARGS, NULL},
    {"sequence_repeat", sequence_repeat, METH_VARARGS, NULL},
    {"sequence_inplacerepeat", sequence_inplacerepeat, METH_VARARGS, NULL},
    {"sequence_getitem", sequence_getitem, METH_VARARGS, NULL},
    {"sequence_setitem", sequence_setitem, METH_VARARGS, NULL},
    {"sequence_delitem", sequence_delitem, METH_VARARGS, NULL},
    {"sequence_getslice", sequence_getslice, METH_VARARGS, NULL},
    {"sequence_setslice", sequence_setslice, METH_VARARGS, NULL},
    {"sequence_delslice", sequence_delslice, METH_VARARGS, NULL},
    {"sequence_tuple", sequence_tuple, METH_O, NULL},
    {"sequence_list", sequence_list, METH_O, NULL},
    {"sequence_fast", sequence_fast, METH_VARARGS, NULL},
    {"sequence_count", sequence_count, METH_VARARGS, NULL},
    {"sequence_contains", sequence_contains, METH_VARARGS, NULL},
    {"sequence_index", sequence_index, METH_VARARGS, NULL},
    {"mapping_check", mapping_check, METH_O, NULL},
    {"mapping_size", mapping_size, METH_O, NULL},
    {"mapping_length", mapping_length, METH_O, NULL},
    {"mapping_haskey", mapping_haskey, METH_VARARGS, NULL},
    {"mapping_haskeystring", mapping_haskeystring, METH_VARARGS, NULL},
    {"mapping_getitemstring", mapping_getitemstring, METH_VARARGS, NULL},
    {"mapping_setitemstring", mapping_setitemstring, METH_VARARGS, NULL},
    {"mapping_delitem", mapping_delitem, METH_VARARGS, NULL},
    {"mapping_delitemstring", mapping_delitemstring, METH_VARARGS, NULL},
    {"mapping_keys", mapping_keys, METH_O, NULL},
    {"mapping_values", mapping_values, METH_O, NULL},
    {"mapping_items", mapping_items, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_abstract(PyObject *m)
{
    return PyModule_AddFunctions(m, abstract_methods);
}
