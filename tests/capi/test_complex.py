"""complex objects: PyComplex_* (Objects/complexobject.c).

C side: tests/capi/ext/complex.c.
"""
import math
import unittest

import _ferrytest as ft


class WithComplex:
    def __complex__(self):
        return 1 + 2j


class BadComplex:
    def __complex__(self):
        return 5


class Floaty:
    def __float__(self):
        return 4.5


class TestComplex(unittest.TestCase):

    def test_fromdoubles(self):
        self.assertEqual(ft.complex_fromdoubles(1.0, 2.0), 1 + 2j)
        c = ft.complex_fromdoubles(-0.0, math.inf)
        self.assertIs(type(c), complex)
        self.assertEqual(math.copysign(1, c.real), -1)
        self.assertEqual(c.imag, math.inf)
        self.assertTrue(math.isnan(ft.complex_fromdoubles(math.nan, 0).real))

    def test_fromccomplex(self):
        self.assertEqual(ft.complex_fromccomplex(3 - 4j), 3 - 4j)
        self.assertEqual(ft.complex_fromccomplex(2), 2 + 0j)

    def test_realasdouble(self):
        self.assertEqual(ft.complex_realasdouble(3 + 4j), 3.0)
        self.assertEqual(ft.complex_realasdouble(3), 3.0)
        self.assertEqual(ft.complex_realasdouble(Floaty()), 4.5)
        with self.assertRaisesRegex(TypeError, "^must be real number, not str$"):
            ft.complex_realasdouble("x")
        # __complex__ is not consulted for the real part in 3.11.
        with self.assertRaisesRegex(TypeError, "^must be real number, not WithComplex$"):
            ft.complex_realasdouble(WithComplex())

    def test_imagasdouble(self):
        self.assertEqual(ft.complex_imagasdouble(3 + 4j), 4.0)
        self.assertEqual(ft.complex_imagasdouble(3), 0.0)
        # Anything that is not complex has imaginary part 0.0, without error.
        self.assertEqual(ft.complex_imagasdouble("x"), 0.0)

    def test_asccomplex(self):
        self.assertEqual(ft.complex_asccomplex(1 + 2j), (1.0, 2.0))
        self.assertEqual(ft.complex_asccomplex(2), (2.0, 0.0))
        self.assertEqual(ft.complex_asccomplex(2.5), (2.5, 0.0))
        self.assertEqual(ft.complex_asccomplex(WithComplex()), (1.0, 2.0))
        self.assertEqual(ft.complex_asccomplex(Floaty()), (4.5, 0.0))
        with self.assertRaisesRegex(TypeError, "^must be real number, not str$"):
            ft.complex_asccomplex("x")
        with self.assertRaisesRegex(
                TypeError, r"__complex__ returned non-complex \(type int\)"):
            ft.complex_asccomplex(BadComplex())


if __name__ == "__main__":
    unittest.main()
