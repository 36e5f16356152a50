#include "proxies/scan.h"

#include <cstring>

#include "cpyext/internal.h"
#include "gc_bridge/bridge.h"
#include "proxies/proxy.h"

namespace ferry {

namespace {

// A float as from_host makes it: the live proxy of the same bits, else a new
// one (its managed copy is made when it crosses back).
PyObject *float_proxy(double d) {
    if (PyObject *known = bridge::float_identity_lookup(d))
        return found_again(known);
    PyObject *o = PyFloat_FromDouble(d);
    if (o)
        bridge::float_identity_register(o, d);
    return o;
}

} // namespace

PyObject *item_for(PyObject *old, host::Handle h, int64_t str_hash, int64_t id, PyTypeObject *exact) {
    host::Handle known = old ? handle_of(old) : host::Handle{};
    if (known && host::is(known, h)) {
        host::close(h);
        return Py_NewRef(old);
    }
    if (old && !known)
        PyErr_Clear();
    PyObject *o = str_hash != -1 ? from_host_str(h, str_hash)
                  : exact        ? from_host_exact(h, exact, id)
                  : id           ? from_host_with_id(h, id)
                                 : from_host(h);
    host::close(h);
    return o;
}

Scan &Scan::operator=(Scan &&other) noexcept {
    if (this != &other) {
        host::close(others_);
        kinds_ = std::move(other.kinds_);
        words_ = std::move(other.words_);
        other_at_ = std::move(other.other_at_);
        others_ = other.others_;
        other.others_ = {};
    }
    return *this;
}

bool Scan::read(host::Handle packed) {
    host::Handle buf = host::exact_item(packed, 0);
    ptrdiff_t nb = -1;
    const char *data = buf ? host::bytes_data(buf, &nb) : nullptr;
    bool ok = data && nb % 9 == 1;
    if (ok) {
        size_t n = static_cast<size_t>(nb / 9);
        // Other Python code may have run meanwhile (finalizers, as the host
        // collected; other threads): C's copies of containers may be stale.
        if (data[9 * n] || several_threads())
            ++host::code_epoch;
        words_.resize(n);
        if (n)   // (an empty vector's data() may be null, which memcpy must not get)
            std::memcpy(words_.data(), data, 8 * n);
        kinds_.assign(data + 8 * n, n);
        other_at_.resize(n);
        uint32_t next = 1;   // (others follow the packed bytes)
        for (size_t i = 0; i < n; i++)
            other_at_[i] = held(kinds_[i]) ? next++ : 0;
        host::close(others_);
        others_ = packed;
    } else {
        host::close(packed);
        if (!PyErr_Occurred()) {
            if (host::err_occurred())
                move_host_error_to_c();
            else
                PyErr_SetString(PyExc_SystemError, "ferry: a malformed scan of a container");
        }
    }
    host::close(buf);
    return ok;
}

double Scan::float_at(size_t i) const {
    double d;
    std::memcpy(&d, &words_[i], sizeof d);
    return d;
}

bool Scan::same(size_t i, PyObject *old) {
    if (!old)
        return false;
    switch (kinds_[i]) {
    case int_: {
        if (!PyLong_CheckExact(old))
            return false;
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(old, &overflow);
        return !overflow && v == int_at(i);
    }
    case float_:
        return PyFloat_CheckExact(old) &&
               std::memcmp(&reinterpret_cast<PyFloatObject *>(old)->ob_fval, &words_[i], sizeof(double)) == 0;
    case none: return old == Py_None;
    case true_: return old == Py_True;
    case false_: return old == Py_False;
    default: {
        host::Handle known = handle_of(old);
        if (!known) {
            PyErr_Clear();
            return false;
        }
        host::Handle now = host::exact_item(others_, other_at_[i]);
        bool is = now && host::is(known, now);
        if (!now)
            host::err_clear();
        host::close(now);
        return is;
    }
    }
}

PyObject *Scan::item(size_t i, PyObject *old) {
    switch (kinds_[i]) {
    case int_: return same(i, old) ? Py_NewRef(old) : api_long_from_int64(int_at(i));
    case float_: return same(i, old) ? Py_NewRef(old) : float_proxy(float_at(i));
    case none: return Py_NewRef(Py_None);
    case true_: return Py_NewRef(Py_True);
    case false_: return Py_NewRef(Py_False);
    default: {
        host::Handle h = host::exact_item(others_, other_at_[i]);
        PyTypeObject *exact = kinds_[i] == dict    ? &PyDict_Type
                              : kinds_[i] == list  ? &PyList_Type
                              : kinds_[i] == tuple ? &PyTuple_Type
                                                   : nullptr;
        return h ? item_for(old, h, kinds_[i] == str ? int_at(i) : -1, kinds_[i] == str ? 0 : int_at(i), exact)
                 : null_with_host_error();
    }
    }
}

} // namespace ferry
