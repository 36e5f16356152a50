/* The datetime C API (Include/datetime.h, Modules/_datetimemodule.c): the
 * capsule PyDateTime_IMPORT loads, the type checks, the field macros that
 * read the structs directly, and the constructors of PyDateTime_CAPI, as
 * Cython's cpython.datetime uses them. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "datetime.h"

#include "ferrytest.h"

static PyObject *
dt_import(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(unused))
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) {
        return NULL;
    }
    return Py_BuildValue("(OOOOOO)", PyDateTimeAPI->DateType, PyDateTimeAPI->DateTimeType,
                         PyDateTimeAPI->TimeType, PyDateTimeAPI->DeltaType,
                         PyDateTimeAPI->TZInfoType, PyDateTime_TimeZone_UTC);
}

/* Which checks hold: date, exact date, datetime, exact datetime, time,
 * exact time, delta, exact delta, tzinfo, exact tzinfo. */
static PyObject *
dt_checks(PyObject *Py_UNUSED(m), PyObject *o)
{
    return Py_BuildValue("(iiiiiiiiii)", PyDate_Check(o), PyDate_CheckExact(o),
                         PyDateTime_Check(o), PyDateTime_CheckExact(o), PyTime_Check(o),
                         PyTime_CheckExact(o), PyDelta_Check(o), PyDelta_CheckExact(o),
                         PyTZInfo_Check(o), PyTZInfo_CheckExact(o));
}

/* The fields as datetime.h's macros read them from the struct. */
static PyObject *
dt_fields(PyObject *Py_UNUSED(m), PyObject *o)
{
    if (PyDateTime_Check(o)) {
        return Py_BuildValue("(iiiiiiiiO)", PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o),
                             PyDateTime_GET_DAY(o), PyDateTime_DATE_GET_HOUR(o),
                             PyDateTime_DATE_GET_MINUTE(o), PyDateTime_DATE_GET_SECOND(o),
                             PyDateTime_DATE_GET_MICROSECOND(o), PyDateTime_DATE_GET_FOLD(o),
                             PyDateTime_DATE_GET_TZINFO(o));
    }
    if (PyDate_Check(o)) {
        return Py_BuildValue("(iii)", PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o),
                             PyDateTime_GET_DAY(o));
    }
    if (PyTime_Check(o)) {
        return Py_BuildValue("(iiiiiO)", PyDateTime_TIME_GET_HOUR(o), PyDateTime_TIME_GET_MINUTE(o),
                             PyDateTime_TIME_GET_SECOND(o), PyDateTime_TIME_GET_MICROSECOND(o),
                             PyDateTime_TIME_GET_FOLD(o), PyDateTime_TIME_GET_TZINFO(o));
    }
    if (PyDelta_Check(o)) {
        return Py_BuildValue("(iii)", PyDateTime_DELTA_GET_DAYS(o), PyDateTime_DELTA_GET_SECONDS(o),
                             PyDateTime_DELTA_GET_MICROSECONDS(o));
    }
    PyErr_SetString(PyExc_TypeError, "not a datetime object");
    return NULL;
}

/* The constructors; type None: the API's own class. */
static PyTypeObject *
type_or(PyObject *t, PyTypeObject *dflt)
{
    return t == Py_None ? dflt : (PyTypeObject *)t;
}

static PyObject *
dt_date(PyObject *Py_UNUSED(m), PyObject *args)
{
    int y, m, d;
    PyObject *t = Py_None;
    if (!PyArg_ParseTuple(args, "iii|O", &y, &m, &d, &t)) {
        return NULL;
    }
    return PyDateTimeAPI->Date_FromDate(y, m, d, type_or(t, PyDateTimeAPI->DateType));
}

static PyObject *
dt_datetime(PyObject *Py_UNUSED(m), PyObject *args)
{
    int y, mo, d, h, mi, s, us, fold = -1;
    PyObject *tz = Py_None, *t = Py_None;
    if (!PyArg_ParseTuple(args, "iiiiiii|OiO", &y, &mo, &d, &h, &mi, &s, &us, &tz, &fold, &t)) {
        return NULL;
    }
    PyTypeObject *type = type_or(t, PyDateTimeAPI->DateTimeType);
    if (fold < 0) {
        return PyDateTimeAPI->DateTime_FromDateAndTime(y, mo, d, h, mi, s, us, tz, type);
    }
    return PyDateTimeAPI->DateTime_FromDateAndTimeAndFold(y, mo, d, h, mi, s, us, tz, fold, type);
}

static PyObject *
dt_time(PyObject *Py_UNUSED(m), PyObject *args)
{
    int h, m, s, us, fold = -1;
    PyObject *tz = Py_None;
    if (!PyArg_ParseTuple(args, "iiii|Oi", &h, &m, &s, &us, &tz, &fold)) {
        return NULL;
    }
    if (fold < 0) {
        return PyDateTimeAPI->Time_FromTime(h, m, s, us, tz, PyDateTimeAPI->TimeType);
    }
    return PyDateTimeAPI->Time_FromTimeAndFold(h, m, s, us, tz, fold, PyDateTimeAPI->TimeType);
}

static PyObject *
dt_delta(PyObject *Py_UNUSED(m), PyObject *args)
{
    int d, s, us;
    if (!PyArg_ParseTuple(args, "iii", &d, &s, &us)) {
        return NULL;
    }
    return PyDelta_FromDSU(d, s, us);
}

static PyObject *
dt_timezone(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *offset, *name = Py_None;
    if (!PyArg_ParseTuple(args, "O|O", &offset, &name)) {
        return NULL;
    }
    return name == Py_None ? PyTimeZone_FromOffset(offset) : PyTimeZone_FromOffsetAndName(offset, name);
}

static PyObject *
dt_from_timestamp(PyObject *Py_UNUSED(m), PyObject *args)
{
    PyObject *date_args, *datetime_args;
    if (!PyArg_ParseTuple(args, "OO", &date_args, &datetime_args)) {
        return NULL;
    }
    PyObject *d = PyDate_FromTimestamp(date_args);
    if (d == NULL) {
        return NULL;
    }
    PyObject *dt = PyDateTime_FromTimestamp(datetime_args);
    if (dt == NULL) {
        Py_DECREF(d);
        return NULL;
    }
    return Py_BuildValue("(NN)", d, dt);
}

static PyMethodDef datetime_methods[] = {
    {"dt_import", dt_import, METH_NOARGS, NULL},
    {"dt_checks", dt_checks, METH_O, NULL},
    {"dt_fields", dt_fields, METH_O, NULL},
    {"dt_date", dt_date, METH_VARARGS, NULL},
    {"dt_datetime", dt_datetime, METH_VARARGS, NULL},
    {"dt_time", dt_time, METH_VARARGS, NULL},
    {"dt_delta", dt_delta, METH_VARARGS, NULL},
    {"dt_timezone", dt_timezone, METH_VARARGS, NULL},
    {"dt_from_timestamp", dt_from_timestamp, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_datetime(PyObject *m)
{
    return PyModule_AddFunctions(m, datetime_methods);
}
