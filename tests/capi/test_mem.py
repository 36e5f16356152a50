"""Memory interfaces: PyMem_*, PyMem_Raw*, PyObject_Malloc/Calloc/Realloc/Free
(Objects/obmalloc.c) and the PyMem_New / PyMem_Resize macros.

C side: tests/capi/ext/mem.c. Every check runs in C; a wrapper answers True
or raises AssertionError naming the broken property.
"""
import unittest

import _ferrytest as ft

DOMAINS = ("mem", "raw", "object")
SIZES = (1, 7, 8, 16, 100, 512, 513, 4096, 1 << 20)


class TestAllocators(unittest.TestCase):

    def test_roundtrip(self):
        for domain in DOMAINS:
            for size in SIZES:
                with self.subTest(domain=domain, size=size):
                    self.assertIs(ft.mem_roundtrip(domain, size), True)

    def test_edge_cases(self):
        for domain in DOMAINS:
            with self.subTest(domain=domain):
                self.assertIs(ft.mem_edge_cases(domain), True)

    def test_too_large(self):
        for domain in DOMAINS:
            with self.subTest(domain=domain):
                self.assertIs(ft.mem_too_large(domain), True)

    def test_typed_macros(self):
        self.assertIs(ft.mem_typed_macros(), True)

    def test_block_survives_python_code(self):
        junk = []

        def churn():
            for i in range(1000):
                junk.append(str(i) * 3)
            return len(junk)
        self.assertIs(ft.mem_survives_call(churn), True)

    def test_external_memory_of_dropped_objects_is_freed(self):
        # Each object owns 1 MB from malloc or PyMem_Malloc, which the host's
        # collector does not see unless told: CPython frees each at once;
        # through ferry the layer runs the host's collector as that memory
        # grows (without it, all 3000 stayed until the host's heap grew).
        for pymem in (False, True):
            with self.subTest(pymem=pymem):
                peak = 0
                for i in range(3000):
                    ft.mem_bigblock(1 << 20, pymem)
                    peak = max(peak, ft.mem_bigblocks_live())
                self.assertLess(peak, 300)

    def test_unknown_domain(self):
        with self.assertRaisesRegex(ValueError, "unknown domain"):
            ft.mem_roundtrip("gpu", 1)


if __name__ == "__main__":
    unittest.main()
