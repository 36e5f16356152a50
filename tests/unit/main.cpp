// main.cpp — the one Catch2 main for all of ferry's unit tests (suite `unit`).
// Each tests/unit/test_*.cpp holds TEST_CASEs only and is linked with this file.

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
