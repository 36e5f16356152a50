// Containers cross into C in one host call (_support._scan): exact ints of
// 64 bits, floats, None, True and False come packed as bytes; the other items
// (exact strs marked as such, with their hash, so neither is asked; the others
// with their id(), which C would otherwise ask one host call each for) come in
// a list of their own and cross one by one. Used for lists and PyDict_Next's snapshots.
#pragma once
#include <Python.h>

#include <cstdint>
#include <string>
#include <vector>

#include "host/host.h"

namespace ferry {

// The proxy for an item of a container read again: the old one when it still
// stands for the same managed object (C may hold it as a borrowed reference,
// which CPython keeps valid while the container is unchanged), else a new
// one. str_hash: when not -1, h is known to be an exact str of that hash (a
// str's hash is never -1); id: when not 0, h's id(); exact: when not null, h
// is known to be exactly of that type. h: consumed.
PyObject *item_for(PyObject *old, host::Handle h, int64_t str_hash = -1, int64_t id = 0,
                   PyTypeObject *exact = nullptr);

class Scan {
public:
    Scan() = default;
    Scan(const Scan &) = delete;
    Scan &operator=(const Scan &) = delete;
    Scan(Scan &&other) noexcept { *this = std::move(other); }
    Scan &operator=(Scan &&other) noexcept;
    ~Scan() { host::close(others_); }
    // Empty again, its storage kept for the next read.
    void clear() {
        host::close(others_);
        others_ = {};
        kinds_.clear();
        words_.clear();
        other_at_.clear();
    }

    // Takes _scan's result (owned): false with the C error set.
    bool read(host::Handle packed);
    size_t size() const { return kinds_.size(); }
    size_t capacity() const { return words_.capacity(); }
    // Whether item i is an exact str, an int of 64 bits, a float, None, True
    // or False (their hash and == are builtin).
    bool builtin(size_t i) const { return kinds_[i] != other && kinds_[i] <= str; }
    // _scan's result (borrowed), for a helper that reads it again.
    host::Handle packed() const { return others_; }
    // Whether old (a proxy of a previous read, or null) stands for item i: a
    // number of the same value, the same singleton, the same managed object.
    bool same(size_t i, PyObject *old);
    // A new reference for item i: old when it stands for it, else a new proxy.
    PyObject *item(size_t i, PyObject *old);

private:
    enum Kind : char {
        other = 0, int_ = 1, float_ = 2, none = 3, true_ = 4, false_ = 5, str = 6,
        dict = 7, list = 8, tuple = 9,   // exact ones: their type is not asked
    };
    // Whether an item of this kind is one of others_ (its index: other_at_).
    static bool held(char kind) { return kind == other || kind >= str; }
    int64_t int_at(size_t i) const { return words_[i]; }
    double float_at(size_t i) const;

    std::string kinds_;
    std::vector<int64_t> words_;   // per item: an int, a float's bits, a str's hash or an id()
    std::vector<uint32_t> other_at_;   // per item: its index in others_
    host::Handle others_;              // owned: _scan's list, [packed, *others]
};

} // namespace ferry
