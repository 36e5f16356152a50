"""memoryview objects: PyMemoryView_FromMemory, PyMemoryView_FromObject
(Objects/memoryobject.c) and PyBuffer_IsContiguous (Objects/abstract.c).

C side: tests/capi/ext/memoryobject.c.
"""
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


if __name__ == "__main__":
    unittest.main()
