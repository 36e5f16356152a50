"""tuple objects: PyTuple_* (Objects/tupleobject.c) and its macros.

C side: tests/capi/ext/tuple.c.
"""
import sys
import unittest

import _ferrytest as ft

NULL = ft.NULL
BADCALL = "bad argument to internal function"
ITEMS = [1, "two", None, 2**100, (3,), [4]]


class TestTuple(unittest.TestCase):

    def test_made_in_c_holding_itself(self):
        # CPython can make a tuple that holds itself; no host tuple can be
        # one, so ferry says so (RecursionError) instead of recursing forever.
        if sys.implementation.name == "pypy":
            with self.assertRaisesRegex(RecursionError, "bringing a nested object to the host"):
                ft.tuple_self()
        else:
            t = ft.tuple_self()
            self.assertIs(t[0], t)

    def test_new_set_item_macro(self):
        t = ft.tuple_new_fill(ITEMS)
        self.assertEqual(t, tuple(ITEMS))
        self.assertIs(type(t), tuple)
        self.assertIs(t[5], ITEMS[5])
        self.assertEqual(ft.tuple_new_fill([]), ())

    def test_new_setitem(self):
        t = ft.tuple_new_setitem(ITEMS)
        self.assertEqual(t, tuple(ITEMS))
        self.assertIs(t[1], ITEMS[1])

    def test_new(self):
        self.assertEqual(ft.tuple_new(0), ())
        self.assertEqual(ft.tuple_new(3), (None, None, None))
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.tuple_new(-1)
        with self.assertRaises(MemoryError):
            ft.tuple_new(sys.maxsize)

    def test_setitem(self):
        self.assertEqual(ft.tuple_setitem_index(3, 0), ("new", 1, 2))
        self.assertEqual(ft.tuple_setitem_index(3, 2), (0, 1, "new"))
        with self.assertRaisesRegex(IndexError, "tuple assignment index out of range"):
            ft.tuple_setitem_index(3, 3)
        with self.assertRaisesRegex(IndexError, "tuple assignment index out of range"):
            ft.tuple_setitem_index(3, -1)

    def test_setitem_not_fresh(self):
        # A tuple that is shared (here: held by this frame) cannot be changed.
        t = (1, 2)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.tuple_setitem_shared(t)
        self.assertEqual(t, (1, 2))
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.tuple_setitem_shared([1])

    def test_pack(self):
        self.assertEqual(ft.tuple_pack(), ())
        self.assertEqual(ft.tuple_pack(1), (1,))
        self.assertEqual(ft.tuple_pack(1, "b"), (1, "b"))
        a = []
        t = ft.tuple_pack(a, None, "c")
        self.assertEqual(t, ([], None, "c"))
        self.assertIs(t[0], a)

    def test_size(self):
        self.assertEqual(ft.tuple_size(()), 0)
        self.assertEqual(ft.tuple_size(tuple(range(100))), 100)

        class T(tuple):
            pass
        self.assertEqual(ft.tuple_size(T((1, 2))), 2)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.tuple_size([1])

    def test_getitem(self):
        t = tuple(ITEMS)
        for i, item in enumerate(ITEMS):
            self.assertIs(ft.tuple_getitem(t, i), item)
        with self.assertRaisesRegex(IndexError, "tuple index out of range"):
            ft.tuple_getitem(t, len(ITEMS))
        # No negative indexing in the C API.
        with self.assertRaisesRegex(IndexError, "tuple index out of range"):
            ft.tuple_getitem(t, -1)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.tuple_getitem([1], 0)

    def test_macros(self):
        t = tuple(ITEMS)
        n, items = ft.tuple_macros(t)
        self.assertEqual(n, len(ITEMS))
        self.assertEqual(items, ITEMS)
        self.assertIs(items[3], ITEMS[3])
        self.assertEqual(ft.tuple_macros(()), (0, []))

        class T(tuple):
            pass
        self.assertEqual(ft.tuple_macros(T("ab")), (2, ["a", "b"]))

    def test_getslice(self):
        t = tuple(range(10))
        self.assertEqual(ft.tuple_getslice(t, 2, 5), (2, 3, 4))
        self.assertEqual(ft.tuple_getslice(t, 5, 2), ())
        self.assertEqual(ft.tuple_getslice(t, 0, 100), t)
        # Negative bounds are clamped to 0, not counted from the end.
        self.assertEqual(ft.tuple_getslice(t, -3, 2), (0, 1))
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.tuple_getslice([1], 0, 1)

    def test_resize(self):
        self.assertEqual(ft.tuple_resize((1, 2, 3), 5), (1, 2, 3, None, None))
        self.assertEqual(ft.tuple_resize((1, 2, 3), 1), (1,))
        self.assertEqual(ft.tuple_resize((1, 2, 3), 0), ())
        self.assertEqual(ft.tuple_resize((), 2), (None, None))


if __name__ == "__main__":
    unittest.main()
