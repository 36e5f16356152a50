"""set and frozenset objects: PySet_* / PyFrozenSet_* (Objects/setobject.c).

C side: tests/capi/ext/set.c.
"""
import unittest

import _ferrytest as ft

BADCALL = "bad argument to internal function"


class TestSet(unittest.TestCase):

    def test_new(self):
        self.assertEqual(ft.set_new(None), set())
        self.assertIs(type(ft.set_new(None)), set)
        self.assertEqual(ft.set_new([1, 2, 2]), {1, 2})
        self.assertEqual(ft.set_new("ab\U0001f40d"), {"a", "b", "\U0001f40d"})
        self.assertEqual(ft.set_new(x for x in range(3)), {0, 1, 2})
        with self.assertRaisesRegex(TypeError, "'int' object is not iterable"):
            ft.set_new(1)
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.set_new([[]])

    def test_frozenset_new(self):
        f = ft.frozenset_new([1, 2])
        self.assertEqual(f, frozenset({1, 2}))
        self.assertIs(type(f), frozenset)
        self.assertEqual(ft.frozenset_new(None), frozenset())

    def test_size(self):
        self.assertEqual(ft.set_size(set()), 0)
        self.assertEqual(ft.set_size({1, 2, 3}), 3)
        self.assertEqual(ft.set_size(frozenset("ab")), 2)
        self.assertEqual(ft.set_get_size_macro({1}), 1)
        self.assertEqual(ft.set_get_size_macro(frozenset()), 0)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_size([1])

    def test_contains(self):
        s = {1, "a", (2, 3)}
        self.assertEqual(ft.set_contains(s, 1), 1)
        self.assertEqual(ft.set_contains(s, (2, 3)), 1)
        self.assertEqual(ft.set_contains(s, 2), 0)
        self.assertEqual(ft.set_contains(frozenset([1]), 1), 1)
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.set_contains(s, [])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_contains([1], 1)

    def test_add(self):
        s = set()
        self.assertEqual(ft.set_add(s, 1), 0)
        self.assertEqual(ft.set_add(s, 1), 0)
        self.assertEqual(ft.set_add(s, "\xe9"), 0)
        self.assertEqual(s, {1, "\xe9"})
        with self.assertRaisesRegex(TypeError, "unhashable type: 'dict'"):
            ft.set_add(s, {})
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_add([], 1)

    def test_discard(self):
        s = {1, 2}
        self.assertEqual(ft.set_discard(s, 1), 1)
        self.assertEqual(ft.set_discard(s, 1), 0)
        self.assertEqual(s, {2})
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_discard(frozenset([2]), 2)

    def test_pop(self):
        s = {"only"}
        self.assertEqual(ft.set_pop(s), "only")
        self.assertEqual(s, set())
        with self.assertRaisesRegex(KeyError, "pop from an empty set"):
            ft.set_pop(s)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_pop(frozenset([1]))

    def test_clear(self):
        s = {1, 2}
        self.assertEqual(ft.set_clear(s), 0)
        self.assertEqual(s, set())
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_clear([1])


if __name__ == "__main__":
    unittest.main()
