// FlatMap (gc_bridge/flat_map.h), the identity maps' table, against
// std::unordered_map under random inserts, lookups and erases.
#include <catch2/catch.hpp>

#include <random>
#include <unordered_map>

#include "gc_bridge/flat_map.h"

TEST_CASE("FlatMap behaves as a map under random operations", "[flat_map]") {
    ferry::FlatMap<int> map;
    std::unordered_map<int64_t, int> model;
    std::mt19937_64 rng(42);
    for (int step = 0; step < 200000; step++) {
        // Keys as the host gives them: aligned addresses, bit patterns of
        // floats, hashes (0 and negative ones too), from a range small
        // enough that most operations meet a present key.
        int64_t key = static_cast<int64_t>(rng() % 3000) * 16 - 8000;
        switch (rng() % 3) {
        case 0: {
            auto [v, fresh] = map.insert(key);
            REQUIRE(fresh == (model.count(key) == 0));
            if (fresh)
                *v = step;
            model.emplace(key, step);
            REQUIRE(*v == model[key]);
            break;
        }
        case 1: {
            int *v = map.find(key);
            auto it = model.find(key);
            REQUIRE((v != nullptr) == (it != model.end()));
            if (v)
                REQUIRE(*v == it->second);
            break;
        }
        default:
            map.erase(key);
            model.erase(key);
            break;
        }
        REQUIRE(map.size() == model.size());
    }
    for (auto &[k, v] : model)
        REQUIRE(*map.find(k) == v);
}
