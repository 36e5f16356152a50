"""slice objects: PySlice_* (Objects/sliceobject.c).

C side: tests/capi/ext/slice.c.
"""
import sys
import unittest

import _ferrytest as ft

MAX = sys.maxsize
MIN = -sys.maxsize - 1


class TestSlice(unittest.TestCase):

    def test_types(self):
        self.assertEqual(ft.slice_types(), (slice, Ellipsis))

    def test_new(self):
        self.assertEqual(ft.slice_new(1, 2, 3), slice(1, 2, 3))
        self.assertEqual(ft.slice_new(None, None, None), slice(None))
        self.assertEqual(ft.slice_attributes(ft.slice_new(None, 5, None)),
                         (None, 5, None))
        # Any objects are stored as they are.
        self.assertEqual(ft.slice_attributes(ft.slice_new("a", [], 2**100)),
                         ("a", [], 2**100))

    def test_getindicesex(self):
        cases = [slice(None), slice(2, 8), slice(-3, None), slice(None, None, -1),
                 slice(1, 100, 3), slice(-100, 100), slice(5, 1), slice(8, 2, -2)]
        for s in cases:
            start, stop, step = s.indices(10)
            n = len(range(start, stop, step))
            self.assertEqual(ft.slice_getindicesex(s, 10), (start, stop, step, n))
        self.assertEqual(ft.slice_getindicesex(slice(None), 0), (0, 0, 1, 0))

    def test_getindicesex_huge_bounds(self):
        self.assertEqual(ft.slice_getindicesex(slice(-2**100, 2**100), 5),
                         (0, 5, 1, 5))
        self.assertEqual(ft.slice_getindicesex(slice(None, None, 2**100), 5),
                         (0, 5, MAX, 1))

    def test_getindicesex_errors(self):
        with self.assertRaisesRegex(ValueError, "slice step cannot be zero"):
            ft.slice_getindicesex(slice(None, None, 0), 10)
        with self.assertRaisesRegex(
                TypeError,
                "slice indices must be integers or None or have an __index__ method"):
            ft.slice_getindicesex(slice("a", None), 10)

    def test_unpack(self):
        self.assertEqual(ft.slice_unpack(slice(None)), (0, MAX, 1))
        self.assertEqual(ft.slice_unpack(slice(None, None, -1)), (MAX, MIN, -1))
        self.assertEqual(ft.slice_unpack(slice(1, 2, 3)), (1, 2, 3))
        self.assertEqual(ft.slice_unpack(slice(-2**100, 2**100)), (MIN, MAX, 1))
        # The step is clamped so that -step cannot overflow.
        self.assertEqual(ft.slice_unpack(slice(None, None, -2**100))[2], -MAX)
        with self.assertRaisesRegex(ValueError, "slice step cannot be zero"):
            ft.slice_unpack(slice(None, None, 0))

    def test_adjustindices(self):
        self.assertEqual(ft.slice_adjustindices(10, 0, MAX, 1), (0, 10, 10))
        self.assertEqual(ft.slice_adjustindices(10, -3, MAX, 1), (7, 10, 3))
        self.assertEqual(ft.slice_adjustindices(10, MAX, MIN, -1), (9, -1, 10))
        self.assertEqual(ft.slice_adjustindices(10, 5, 1, 1), (5, 1, 0))
        self.assertEqual(ft.slice_adjustindices(0, 0, MAX, 1), (0, 0, 0))

    def test_getindices_legacy(self):
        self.assertEqual(ft.slice_getindices(slice(1, 5, 2), 10), (1, 5, 2))
        self.assertEqual(ft.slice_getindices(slice(None), 10), (0, 10, 1))
        self.assertEqual(ft.slice_getindices(slice(-2, None), 10), (8, 10, 1))
        # Out of range is -1 without an exception.
        self.assertIsNone(ft.slice_getindices(slice(1, 50), 10))



class TestSliceFunctions(unittest.TestCase):

    def test_getindicesex_function(self):
        for s in [slice(None), slice(2, 8), slice(-3, None), slice(None, None, -1),
                  slice(1, 100, 3), slice(8, 2, -2), slice(-2**100, 2**100)]:
            start, stop, step = s.indices(10)
            n = len(range(start, stop, step))
            self.assertEqual(ft.slice_getindicesex_function(s, 10), (start, stop, step, n))
        with self.assertRaisesRegex(ValueError, "^slice step cannot be zero$"):
            ft.slice_getindicesex_function(slice(None, None, 0), 3)

    def test_fromindices(self):
        s = ft.slice_fromindices(1, 5)
        self.assertEqual(s, slice(1, 5))
        self.assertEqual((s.start, s.stop, s.step), (1, 5, None))
        self.assertEqual(ft.slice_fromindices(-3, MAX), slice(-3, MAX, None))
        self.assertEqual(ft.slice_fromindices(MIN, 0), slice(MIN, 0, None))


if __name__ == "__main__":
    unittest.main()


class TestEvalSliceIndex(unittest.TestCase):
    """_PyEval_SliceIndex (Python/ceval.c)."""

    def test_values(self):
        self.assertEqual(ft.slice_evalindex(None), (1, 12345))
        self.assertEqual(ft.slice_evalindex(7), (1, 7))
        self.assertEqual(ft.slice_evalindex(-3), (1, -3))
        self.assertEqual(ft.slice_evalindex(True), (1, 1))
        self.assertEqual(ft.slice_evalindex(2**100), (1, MAX))
        self.assertEqual(ft.slice_evalindex(-2**100), (1, MIN))

        class Index:
            def __index__(self):
                return 42

        self.assertEqual(ft.slice_evalindex(Index()), (1, 42))

    def test_errors(self):
        with self.assertRaisesRegex(
                TypeError, '^slice indices must be integers or None or have an __index__ method$'):
            ft.slice_evalindex(1.5)
        with self.assertRaisesRegex(
                TypeError, '^slice indices must be integers or None or have an __index__ method$'):
            ft.slice_evalindex('3')

        class Bad:
            def __index__(self):
                raise ValueError('no index')

        with self.assertRaisesRegex(ValueError, 'no index'):
            ft.slice_evalindex(Bad())

    def test_not_none(self):
        self.assertEqual(ft.slice_evalindex(7, True), (1, 7))
        self.assertEqual(ft.slice_evalindex(-2**100, True), (1, MIN))
        for bad in (None, 1.5):
            with self.assertRaisesRegex(
                    TypeError, '^slice indices must be integers or have an __index__ method$'):
                ft.slice_evalindex(bad, True)

        class NotInt:
            def __index__(self):
                return 'x'

        with self.assertRaisesRegex(TypeError, r'__index__ returned non-int \(type str\)'):
            ft.slice_evalindex(NotInt())
