"""memoryview objects: PyMemoryView_FromMemory, PyMemoryView_FromObject,
PyMemoryView_GetContiguous (Objects/memoryobject.c) and PyBuffer_IsContiguous (Objects/abstract.c).

C side: tests/capi/ext/memoryobject.c.
"""
import array
import sys
import unittest

import _ferrytest as ft

PYPY = sys.implementation.name == "pypy"


class TestMemoryView(unittest.TestCase):

    def setUp(self):
        ft.memoryview_memory(True)

    def test_frommemory_read(self):
        m = ft.memoryview_frommemory(5, False)
        self.assertIs(type(m), memoryview)
        self.assertTrue(m.readonly)
        self.assertEqual((m.format, m.itemsize, m.ndim, m.shape), ("B", 1, 1, (5,)))
        self.assertEqual(bytes(m), b"ferry")
        with self.assertRaises(TypeError):
            m[0] = 1
        self.assertEqual(bytes(ft.memoryview_frommemory(0, False)), b"")
        # A view of the C memory, not a copy.
        m2 = ft.memoryview_frommemory(16, False)
        self.assertEqual(bytes(m2), ft.memoryview_memory())

    def test_frommemory_write(self):
        if PYPY:
            # ferry supports PyBUF_READ only.
            with self.assertRaisesRegex(SystemError, "PyMemoryView_FromMemory"):
                ft.memoryview_frommemory(5, True)
            return
        m = ft.memoryview_frommemory(5, True)
        self.assertFalse(m.readonly)
        m[0] = ord("F")
        m[1:3] = b"ER"
        self.assertEqual(ft.memoryview_memory()[:5], b"FERry")
        self.assertEqual(bytes(m), b"FERry")

    def test_fromobject(self):
        b = b"abcdef"
        m = ft.memoryview_fromobject(b)
        self.assertIs(type(m), memoryview)
        self.assertIs(m.obj, b)
        self.assertTrue(m.readonly)
        self.assertEqual(m.tobytes(), b)
        ba = bytearray(b"xyz")
        mb = ft.memoryview_fromobject(ba)
        self.assertFalse(mb.readonly)
        mb[0] = ord("X")
        self.assertEqual(ba, bytearray(b"Xyz"))
        # Of a memoryview: a new view of the same memory.
        m2 = ft.memoryview_fromobject(m[1:3])
        self.assertIsNot(m2, m)
        self.assertEqual(m2.tobytes(), b"bc")
        with self.assertRaisesRegex(TypeError, "^memoryview: a bytes-like object is "
                                               "required, not 'int'$"):
            ft.memoryview_fromobject(1)


class TestMemoryViewStruct(unittest.TestCase):
    # A memoryview C makes, read with PyMemoryView_GET_BUFFER (numpy's
    # np.asarray of one, matplotlib's savefig through it).

    def test_of_bytes(self):
        self.assertEqual(ft.memoryview_view(b"abc"),
                         (3, 1, (3,), 1, 1, "B", b"abc", True, True, False))

    def test_of_a_type_of_c(self):
        p = ft.Pixels()
        self.assertEqual(ft.memoryview_view(p),
                         (6, 2, (2, 3), 1, 0, "B", bytes([0, 10, 20, 30, 40, 50]), True, True, True))
        self.assertEqual(ft.memoryview_fromobject(p).tolist(), [[0, 10, 20], [30, 40, 50]])


class TestBuffer(unittest.TestCase):

    def test_iscontiguous(self):
        # (C, F, A)
        self.assertEqual(ft.buffer_iscontiguous(b"abc"), (1, 1, 1))
        self.assertEqual(ft.buffer_iscontiguous(b""), (1, 1, 1))
        self.assertEqual(ft.buffer_iscontiguous(memoryview(b"abcdef")[::2]), (0, 0, 0))
        self.assertEqual(ft.buffer_iscontiguous(memoryview(bytes(6)).cast("B", (2, 3))),
                         (1, 0, 1))
        self.assertEqual(ft.buffer_iscontiguous(memoryview(bytes(6)).cast("B", (1, 6))),
                         (1, 1, 1))
        with self.assertRaisesRegex(TypeError, "^a bytes-like object is required, "
                                               "not 'int'$"):
            ft.buffer_iscontiguous(1)



def described(m):
    """What the tests compare of a memoryview."""
    return (m.tobytes(), m.format, m.itemsize, m.shape, m.strides, m.readonly,
            m.c_contiguous, m.f_contiguous)


NOT_WRITABLE = "^underlying buffer is not writable$"
NOT_CONTIGUOUS = "^writable contiguous buffer requested for a non-contiguous object\\.$"


class TestGetContiguous(unittest.TestCase):

    def test_bytes(self):
        b = b"abcdef"
        for order in "CFA":
            with self.subTest(order=order):
                m = ft.memoryview_getcontiguous(b, False, order)
                self.assertIs(type(m), memoryview)
                self.assertIs(m.obj, b)   # contiguous: a view, not a copy
                self.assertEqual(described(m), (b, "B", 1, (6,), (1,), True, True, True))
                with self.assertRaisesRegex(BufferError, NOT_WRITABLE):
                    ft.memoryview_getcontiguous(b, True, order)

    def test_bytearray(self):
        ba = bytearray(b"abcdef")
        for write in (False, True):
            for order in "CFA":
                with self.subTest(write=write, order=order):
                    m = ft.memoryview_getcontiguous(ba, write, order)
                    self.assertIs(m.obj, ba)
                    self.assertEqual(described(m), (bytes(ba), "B", 1, (6,), (1,), False, True, True))
        m = ft.memoryview_getcontiguous(ba, True, "C")
        m[0] = ord("X")
        self.assertEqual(ba, bytearray(b"Xbcdef"))
        m.release()

    def test_empty(self):
        m = ft.memoryview_getcontiguous(b"", False, "C")
        self.assertEqual(described(m), (b"", "B", 1, (0,), (1,), True, True, True))
        # Empty is contiguous in any order, even when strided.
        m = ft.memoryview_getcontiguous(memoryview(bytearray(b"abc"))[::2][:0], True, "F")
        self.assertEqual(m.tobytes(), b"")
        self.assertFalse(m.readonly)

    def test_non_contiguous_copy(self):
        src = memoryview(b"abcdef")[::2]
        for order in "CFA":
            with self.subTest(order=order):
                m = ft.memoryview_getcontiguous(src, False, order)
                self.assertEqual(described(m), (b"ace", "B", 1, (3,), (1,), True, True, True))
                self.assertIsNot(m.obj, src.obj)
        # A copy, read-only even when the source is writable.
        ba = bytearray(b"abcdef")
        m = ft.memoryview_getcontiguous(memoryview(ba)[::2], False, "C")
        self.assertEqual(described(m), (b"ace", "B", 1, (3,), (1,), True, True, True))
        ba[0] = ord("X")
        self.assertEqual(m.tobytes(), b"ace")

    def test_non_contiguous_typed(self):
        a = array.array("d", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
        m = ft.memoryview_getcontiguous(memoryview(a)[::-2], False, "A")
        self.assertEqual((m.format, m.itemsize, m.shape, m.strides, m.readonly), ("d", 8, (3,), (8,), True))
        self.assertEqual(m.tolist(), [5.0, 3.0, 1.0])
        ints = array.array("i", range(6))
        m = ft.memoryview_getcontiguous(ints, False, "C")
        self.assertIs(m.obj, ints)
        self.assertEqual((m.format, m.shape, m.tolist()), ("i", (6,), list(range(6))))

    def test_non_contiguous_write(self):
        for src in (memoryview(bytearray(b"abcdef"))[::2],
                    memoryview(array.array("d", [1.0, 2.0, 3.0]))[::-1]):
            for order in "CFA":
                with self.subTest(src=src, order=order):
                    with self.assertRaisesRegex(BufferError, NOT_CONTIGUOUS):
                        ft.memoryview_getcontiguous(src, True, order)
        # Read-only is reported first.
        with self.assertRaisesRegex(BufferError, NOT_WRITABLE):
            ft.memoryview_getcontiguous(memoryview(b"abcdef")[::2], True, "C")

    def test_multi_dimensional(self):
        ba = bytearray(range(24))
        cube = memoryview(ba).cast("B", (2, 3, 4))
        for write in (False, True):
            for order in "CA":
                with self.subTest(write=write, order=order):
                    m = ft.memoryview_getcontiguous(cube, write, order)
                    self.assertEqual(described(m), (bytes(ba), "B", 1, (2, 3, 4), (12, 4, 1),
                                                    False, True, False))
                    self.assertEqual(m.tolist(), cube.tolist())
        # Not Fortran-contiguous: writable refused.
        with self.assertRaisesRegex(BufferError, NOT_CONTIGUOUS):
            ft.memoryview_getcontiguous(cube, True, "F")
        ints = memoryview(ba).cast("i", (2, 3))
        m = ft.memoryview_getcontiguous(ints, False, "C")
        self.assertEqual((m.format, m.shape, m.strides, m.tolist()), ("i", (2, 3), (12, 4), ints.tolist()))

    @unittest.skipIf(PYPY, "ferry refuses a Fortran-order copy of a multi-dimensional buffer "
                           "with SystemError (cpyext/buffer.cpp PyMemoryView_GetContiguous)")
    def test_multi_dimensional_fortran_copy(self):
        ba = bytearray(range(24))
        cube = memoryview(ba).cast("B", (2, 3, 4))
        m = ft.memoryview_getcontiguous(cube, False, "F")
        self.assertEqual(described(m), (bytes(ba), "B", 1, (2, 3, 4), (1, 2, 6), True, False, True))
        self.assertEqual(m.tolist(), cube.tolist())

    def test_no_buffer(self):
        for o in (5, "str", None, [1]):
            for write in (False, True):
                with self.subTest(o=o, write=write):
                    with self.assertRaisesRegex(TypeError, "^memoryview: a bytes-like object is "
                                                           "required, not '%s'$" % type(o).__name__):
                        ft.memoryview_getcontiguous(o, write, "C")


if __name__ == "__main__":
    unittest.main()
