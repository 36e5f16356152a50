"""bytearray objects: PyByteArray_* (Objects/bytearrayobject.c).

C side: tests/capi/ext/bytearray.c.
"""
import sys
import unittest

import _ferrytest as ft


class TestByteArray(unittest.TestCase):

    def test_fromstringandsize(self):
        r = ft.bytearray_fromstringandsize(b"abc", 2)
        self.assertEqual(r, bytearray(b"ab"))
        self.assertIs(type(r), bytearray)
        self.assertEqual(ft.bytearray_fromstringandsize(b"a\0", 2), bytearray(b"a\0"))
        self.assertEqual(ft.bytearray_fromstringandsize(None, 3), bytearray(b"xxx"))
        self.assertEqual(ft.bytearray_fromstringandsize(None, 0), bytearray())
        with self.assertRaisesRegex(
                SystemError, "^Negative size passed to PyByteArray_FromStringAndSize$"):
            ft.bytearray_fromstringandsize(b"", -1)

    def test_fromobject(self):
        self.assertEqual(ft.bytearray_fromobject(b"x"), bytearray(b"x"))
        self.assertEqual(ft.bytearray_fromobject([1, 2]), bytearray(b"\x01\x02"))
        self.assertEqual(ft.bytearray_fromobject(3), bytearray(3))
        ba = bytearray(b"copy")
        r = ft.bytearray_fromobject(ba)
        self.assertEqual(r, ba)
        self.assertIsNot(r, ba)
        with self.assertRaisesRegex(TypeError, "^string argument without an encoding$"):
            ft.bytearray_fromobject("x")
        with self.assertRaisesRegex(ValueError, r"^byte must be in range\(0, 256\)$"):
            ft.bytearray_fromobject([1, 256])

    def test_asstring(self):
        self.assertEqual(ft.bytearray_asstring(bytearray(b"abc")), b"abc")
        self.assertEqual(ft.bytearray_asstring(bytearray(b"a\0b")), b"a")
        # An empty bytearray still gives a valid, NUL-terminated pointer.
        self.assertEqual(ft.bytearray_asstring(bytearray()), b"")

    def test_size(self):
        for b in (bytearray(), bytearray(b"ab"), bytearray(1000)):
            self.assertEqual(ft.bytearray_size(b), len(b))

    def test_macros(self):
        self.assertEqual(ft.bytearray_macros(bytearray(b"q\0")), (2, b"q\0"))
        self.assertEqual(ft.bytearray_macros(bytearray()), (0, b""))

        class BA(bytearray):
            pass
        self.assertEqual(ft.bytearray_macros(BA(b"s")), (1, b"s"))

    def test_concat(self):
        r = ft.bytearray_concat(bytearray(b"a"), b"b")
        self.assertEqual(r, bytearray(b"ab"))
        self.assertIs(type(r), bytearray)
        self.assertEqual(ft.bytearray_concat(b"a", b"b"), bytearray(b"ab"))
        self.assertEqual(ft.bytearray_concat(memoryview(b"m"), bytearray(b"n")),
                         bytearray(b"mn"))
        with self.assertRaisesRegex(TypeError, "^can't concat str to bytes$"):
            ft.bytearray_concat(b"a", "b")

    def test_resize(self):
        ba = bytearray(b"abcdef")
        self.assertEqual(ft.bytearray_resize(ba, 2), 0)
        self.assertEqual(ba, bytearray(b"ab"))
        self.assertEqual(ft.bytearray_resize(ba, 100), 0)
        self.assertEqual(len(ba), 100)
        self.assertEqual(ba[:2], bytearray(b"ab"))
        self.assertEqual(ft.bytearray_resize(ba, 0), 0)
        self.assertEqual(ba, bytearray())

    @unittest.skipIf(sys.implementation.name == "pypy",
                     "PyPy's bytearray does not count memoryview exports: the host allows the "
                     "resize (exports taken from C are counted and refuse it, see test_resize)")
    def test_resize_exported(self):
        ba = bytearray(b"abc")
        m = memoryview(ba)
        try:
            with self.assertRaisesRegex(
                    BufferError, "^Existing exports of data: object cannot be re-sized$"):
                ft.bytearray_resize(ba, 10)
        finally:
            m.release()

    def test_write_through_pointer(self):
        ba = bytearray(b"abc")
        self.assertIs(ft.bytearray_write(ba, 1, ord("Z")), ba)
        self.assertEqual(ba, bytearray(b"aZc"))

    def test_wrappers_refuse_other_types(self):
        for f in (ft.bytearray_asstring, ft.bytearray_size):
            with self.assertRaisesRegex(TypeError, "test needs a bytearray"):
                f(b"x")


if __name__ == "__main__":
    unittest.main()
