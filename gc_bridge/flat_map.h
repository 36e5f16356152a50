// A hash map from 64-bit keys for the identity maps (bridge.cpp): open
// addressing with linear probing in one array, deletion by backward shift (no
// tombstones). Every crossing looks up or forgets a key; std::unordered_map's
// node per entry and its prime-modulo bucket index cost 5-10% of a call such
// as strlen(s) (perf). Keys need not be well spread (host ids are aligned
// addresses): they are mixed by a multiplication.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

namespace ferry {

template <typename V>
class FlatMap {
public:
    FlatMap() { slots_.resize(kInitial); }

    V *find(int64_t key) {
        for (size_t i = ideal(key);; i = next(i)) {
            Slot &s = slots_[i];
            if (!s.used)
                return nullptr;
            if (s.key == key)
                return &s.value;
        }
    }

    // The value of key, inserted (value-initialized) when absent; second:
    // whether it was inserted.
    std::pair<V *, bool> insert(int64_t key) {
        if (2 * (size_ + 1) > slots_.size())
            grow();
        size_t i = ideal(key);
        for (; slots_[i].used; i = next(i))
            if (slots_[i].key == key)
                return {&slots_[i].value, false};
        slots_[i] = Slot{key, V{}, true};
        size_++;
        return {&slots_[i].value, true};
    }

    void erase(int64_t key) {
        size_t i = ideal(key);
        for (; slots_[i].used; i = next(i))
            if (slots_[i].key == key)
                break;
        if (!slots_[i].used)
            return;
        // Backward shift: each later entry of the run that may sit at the hole
        // (its ideal slot is not between the hole and it) moves into it.
        for (size_t j = next(i);; j = next(j)) {
            if (!slots_[j].used)
                break;
            size_t k = ideal(slots_[j].key);
            bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                slots_[i] = std::move(slots_[j]);
                i = j;
            }
        }
        slots_[i] = Slot{};
        size_--;
    }

    size_t size() const { return size_; }

private:
    struct Slot {
        int64_t key = 0;
        V value{};
        bool used = false;
    };
    static constexpr size_t kInitial = 64;

    size_t ideal(int64_t key) const {
        uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull;
        return static_cast<size_t>(h >> 32) & (slots_.size() - 1);
    }
    size_t next(size_t i) const { return (i + 1) & (slots_.size() - 1); }

    void grow() {
        std::vector<Slot> old(slots_.size() * 2);
        old.swap(slots_);
        size_ = 0;
        for (Slot &s : old)
            if (s.used)
                *insert(s.key).first = std::move(s.value);
    }

    std::vector<Slot> slots_;
    size_t size_ = 0;
};

// The records a FlatMap<T *> holds per key, kept for reuse when their key
// goes (up to `max`): a record per call then allocates nothing.
template <typename T>
class Spares {
public:
    explicit Spares(size_t max) : max_(max) {}

    T *take() {
        if (free_.empty())
            return new T;
        T *t = free_.back();
        free_.pop_back();
        return t;
    }

    // t, emptied by the caller; freed instead when it grew large.
    void give(T *t, bool small) {
        if (small && free_.size() < max_)
            free_.push_back(t);
        else
            delete t;
    }

private:
    std::vector<T *> free_;
    size_t max_;
};

} // namespace ferry
