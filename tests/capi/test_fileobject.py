"""PyFile_FromFd (Objects/fileobject.c): io.open on a descriptor.

C side: tests/capi/ext/fileobject.c.
"""
import io
import os
import tempfile
import unittest

import _ferrytest as ft


class TestFromFd(unittest.TestCase):

    def setUp(self):
        fd, self.path = tempfile.mkstemp()
        os.close(fd)
        with open(self.path, "wb") as f:
            f.write(b"first\r\nsecond \xc3\xa9\n")

    def tearDown(self):
        os.unlink(self.path)

    def open_fd(self, flags=os.O_RDONLY):
        fd = os.open(self.path, flags)
        self.addCleanup(self.close_quietly, fd)
        return fd

    @staticmethod
    def close_quietly(fd):
        try:
            os.close(fd)
        except OSError:
            pass

    def test_text(self):
        fd = self.open_fd()
        f = ft.file_fromfd(fd, "ignored", "r", -1, "utf-8", None, None, 1)
        self.assertIsInstance(f, io.TextIOWrapper)
        self.assertEqual(f.name, fd)
        self.assertEqual(f.mode, "r")
        self.assertEqual(f.encoding, "utf-8")
        self.assertEqual(f.read(), "first\nsecond \xe9\n")
        f.close()
        with self.assertRaises(OSError):   # closefd: the descriptor went with it
            os.fstat(fd)

    def test_newline_and_errors(self):
        fd = self.open_fd()
        f = ft.file_fromfd(fd, None, "r", -1, "ascii", "replace", "", 1)
        self.assertEqual(f.errors, "replace")
        self.assertEqual(f.readlines(), ["first\r\n", "second \ufffd\ufffd\n"])
        f.close()

    def test_binary_without_closefd(self):
        fd = self.open_fd()
        f = ft.file_fromfd(fd, None, "rb", 0, None, None, None, 0)
        self.assertIsInstance(f, io.FileIO)
        self.assertEqual(f.read(5), b"first")
        f.close()
        os.fstat(fd)   # still open
        f = ft.file_fromfd(fd, None, "rb", -1, None, None, None, 0)
        self.assertIsInstance(f, io.BufferedReader)
        self.assertEqual(f.read(), b"\r\nsecond \xc3\xa9\n")
        f.close()

    def test_write(self):
        fd = self.open_fd(os.O_WRONLY | os.O_TRUNC)
        f = ft.file_fromfd(fd, None, "w", 1, "utf-8", None, "\r\n", 1)
        self.assertEqual(f.line_buffering, True)
        f.write("a\nb\u20ac")
        f.close()
        with open(self.path, "rb") as g:
            self.assertEqual(g.read(), b"a\r\nb\xe2\x82\xac")

    def test_errors(self):
        fd = self.open_fd()
        with self.assertRaisesRegex(ValueError, "^negative file descriptor$"):
            ft.file_fromfd(-3, None, "r", -1, None, None, None, 1)
        with self.assertRaisesRegex(ValueError, "^must have exactly one of create/read/write/append mode$"):
            ft.file_fromfd(fd, None, "rw", -1, None, None, None, 0)
        with self.assertRaisesRegex(ValueError, "^binary mode doesn't take an encoding argument$"):
            ft.file_fromfd(fd, None, "rb", -1, "utf-8", None, None, 0)
        with self.assertRaisesRegex(LookupError, "^unknown encoding: nope$"):
            ft.file_fromfd(fd, None, "r", -1, "nope", None, None, 0)
        with self.assertRaisesRegex(ValueError, "^illegal newline value: "):   # (PyPy quotes it)
            ft.file_fromfd(fd, None, "r", -1, None, None, "x", 0)
        with self.assertRaises(ValueError):   # (CPython quotes the mode, PyPy does not)
            ft.file_fromfd(fd, None, "zz", -1, None, None, None, 0)
        os.fstat(fd)   # none of them took the descriptor
        r, w = os.pipe()
        os.close(r)
        os.close(w)
        with self.assertRaises(OSError) as cm:
            ft.file_fromfd(r, None, "r", -1, None, None, None, 1)
        self.assertEqual(cm.exception.errno, 9)


if __name__ == "__main__":
    unittest.main()
