"""bytes objects: PyBytes_* (Objects/bytesobject.c) and the buffer protocol
on bytes (PyObject_GetBuffer / PyBuffer_Release, Objects/abstract.c).

C side: tests/capi/ext/bytes.c.
"""
import unittest

import _ferrytest as ft

BUF = ft.buffer_flags()
BADCALL = "bad argument to internal function"


class TestBytes(unittest.TestCase):

    def test_fromstringandsize(self):
        self.assertEqual(ft.bytes_fromstringandsize(b"abc", 2), b"ab")
        self.assertEqual(ft.bytes_fromstringandsize(b"a\0b", 3), b"a\0b")
        self.assertEqual(ft.bytes_fromstringandsize(b"", 0), b"")
        r = ft.bytes_fromstringandsize(b"\xff\x00", 2)
        self.assertIs(type(r), bytes)

    def test_fromstringandsize_null_then_write(self):
        # NULL data: a fresh buffer the extension fills through AS_STRING.
        self.assertEqual(ft.bytes_fromstringandsize(None, 5), b"xxxxx")
        self.assertEqual(ft.bytes_fromstringandsize(None, 0), b"")
        self.assertEqual(ft.bytes_fromstringandsize(None, 1), b"x")

    def test_fromstringandsize_errors(self):
        with self.assertRaisesRegex(
                SystemError, "^Negative size passed to PyBytes_FromStringAndSize$"):
            ft.bytes_fromstringandsize(b"", -1)

    def test_fromstring(self):
        self.assertEqual(ft.bytes_fromstring(b"abc"), b"abc")
        self.assertEqual(ft.bytes_fromstring(b""), b"")
        self.assertEqual(ft.bytes_fromstring("caf\xe9".encode()), b"caf\xc3\xa9")

    def test_fromobject(self):
        b = b"same"
        self.assertIs(ft.bytes_fromobject(b), b)
        self.assertEqual(ft.bytes_fromobject(bytearray(b"ba")), b"ba")
        self.assertEqual(ft.bytes_fromobject(memoryview(b"mv")), b"mv")
        self.assertEqual(ft.bytes_fromobject([1, 2, 255]), b"\x01\x02\xff")
        self.assertEqual(ft.bytes_fromobject((0,)), b"\x00")
        self.assertEqual(ft.bytes_fromobject(iter([65])), b"A")
        with self.assertRaisesRegex(TypeError, "^cannot convert 'str' object to bytes$"):
            ft.bytes_fromobject("x")
        with self.assertRaisesRegex(TypeError, "^cannot convert 'int' object to bytes$"):
            ft.bytes_fromobject(1)
        with self.assertRaises(ValueError):
            ft.bytes_fromobject([256])

    def test_crossing_again(self):
        # The same bytes cross again and again (ferry keeps a while the
        # proxies of bytes C let go, up to a budget of their data): each is
        # read as it is, large ones and more of them than fit the budget too.
        values = [bytes([i % 251 + 1]) * n for i, n in enumerate(
            [0, 1, 7, 64, 1000, 70000, 1 << 20, (1 << 20) + 1, 5 << 20])]
        values += [b"%d" % i for i in range(600)]
        values += [bytes([i + 1]) * (1 << 20) for i in range(20)]
        for _ in range(3):
            for v in values:
                self.assertEqual(ft.bytes_macros(v), (len(v), v))
                self.assertIs(ft.bytes_fromobject(v), v)
        # One found again and then held by C outlives the call, and is let go.
        for v in (b"abc", values[6], values[-1]):
            ft.bytes_macros(v)
            ft.keep(v)
            for w in values[:40]:
                ft.bytes_macros(w)
            self.assertIs(ft.kept(True), v)

    def test_asstring(self):
        self.assertEqual(ft.bytes_asstring(b"abc"), b"abc")
        self.assertEqual(ft.bytes_asstring(b"a\0b"), b"a")   # C string view
        self.assertEqual(ft.bytes_asstring(b""), b"")

        class B(bytes):
            pass
        self.assertEqual(ft.bytes_asstring(B(b"sub")), b"sub")
        with self.assertRaisesRegex(TypeError, "^expected bytes, str found$"):
            ft.bytes_asstring("x")
        with self.assertRaisesRegex(TypeError, "^expected bytes, bytearray found$"):
            ft.bytes_asstring(bytearray(b"x"))

    def test_asstringandsize(self):
        self.assertEqual(ft.bytes_asstringandsize(b"a\0b"), (b"a\0b", 3))
        self.assertEqual(ft.bytes_asstringandsize(b""), (b"", 0))
        self.assertEqual(ft.bytes_asstringandsize(b"ab", False), (b"ab", None))
        with self.assertRaisesRegex(ValueError, "^embedded null byte$"):
            ft.bytes_asstringandsize(b"a\0b", False)
        with self.assertRaisesRegex(TypeError, "^expected bytes, str found$"):
            ft.bytes_asstringandsize("x")

    def test_size(self):
        for b in (b"", b"a", b"\0" * 1000):
            self.assertEqual(ft.bytes_size(b), len(b))
        with self.assertRaisesRegex(TypeError, "^expected bytes, str found$"):
            ft.bytes_size("x")

    def test_macros(self):
        self.assertEqual(ft.bytes_macros(b"x\0yz"), (4, b"x\0yz"))
        self.assertEqual(ft.bytes_macros(b""), (0, b""))

    def test_concat(self):
        self.assertEqual(ft.bytes_concat(b"a", b"b"), b"ab")
        self.assertEqual(ft.bytes_concat(b"", b""), b"")
        self.assertEqual(ft.bytes_concat(b"a", bytearray(b"c")), b"ac")
        self.assertEqual(ft.bytes_concat(b"a", memoryview(b"m")), b"am")
        with self.assertRaisesRegex(TypeError, "^can't concat str to bytes$"):
            ft.bytes_concat(b"a", "b")
        self.assertEqual(ft.bytes_concatanddel(b"x", b"y"), b"xy")
        with self.assertRaisesRegex(TypeError, "^can't concat int to bytes$"):
            ft.bytes_concatanddel(b"a", 1)

    def test_resize(self):
        self.assertEqual(ft.bytes_resize(b"abc", 5), b"abc..")
        self.assertEqual(ft.bytes_resize(b"abc", 1), b"a")
        self.assertEqual(ft.bytes_resize(b"abc", 0), b"")
        self.assertEqual(ft.bytes_resize(b"", 3), b"...")
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.bytes_resize(b"abc", -1)

    def test_fromformat(self):
        self.assertEqual(ft.bytes_fromformat("ints"),
                         b"-1|%d|%d|7|%d|0|3|ff" % (-2**63, 2**63 - 1, 2**64 - 1))
        self.assertEqual(ft.bytes_fromformat("str"), b"[abc][xy][q]")
        self.assertEqual(ft.bytes_fromformat("percent"), b"100%")

    def test_repr(self):
        self.assertEqual(ft.bytes_repr(b"a'b", True), 'b"a\'b"')
        self.assertEqual(ft.bytes_repr(b"a'b", False), "b'a\\'b'")
        self.assertEqual(ft.bytes_repr(b"\x00\xff\n", True), "b'\\x00\\xff\\n'")


class TestBuffer(unittest.TestCase):

    def test_flag_values(self):
        self.assertEqual(BUF, {"PyBUF_SIMPLE": 0, "PyBUF_WRITABLE": 1,
                               "PyBUF_FORMAT": 4, "PyBUF_ND": 8,
                               "PyBUF_STRIDES": 24, "PyBUF_FULL_RO": 284,
                               "PyBUF_CONTIG": 9})

    def test_bytes_simple(self):
        self.assertEqual(ft.object_getbuffer(b"abc", BUF["PyBUF_SIMPLE"]),
                         (b"abc", 3, 1, 1, None, 1, None, None, 1))
        self.assertEqual(ft.object_getbuffer(b"", BUF["PyBUF_SIMPLE"]),
                         (b"", 0, 1, 1, None, 1, None, None, 1))

    def test_bytes_requests(self):
        self.assertEqual(ft.object_getbuffer(b"abc", BUF["PyBUF_FORMAT"]),
                         (b"abc", 3, 1, 1, "B", 1, None, None, 1))
        self.assertEqual(ft.object_getbuffer(b"abc", BUF["PyBUF_ND"]),
                         (b"abc", 3, 1, 1, None, 1, (3,), None, 1))
        self.assertEqual(ft.object_getbuffer(b"abc", BUF["PyBUF_FULL_RO"]),
                         (b"abc", 3, 1, 1, "B", 1, (3,), (1,), 1))

    def test_bytes_not_writable(self):
        with self.assertRaisesRegex(BufferError, "^Object is not writable.$"):
            ft.object_getbuffer(b"abc", BUF["PyBUF_WRITABLE"])
        with self.assertRaisesRegex(BufferError, "^Object is not writable.$"):
            ft.object_getbuffer_write(b"abc", b"X")

    def test_bytearray(self):
        self.assertEqual(ft.object_getbuffer(bytearray(b"xy"), BUF["PyBUF_WRITABLE"]),
                         (b"xy", 2, 0, 1, None, 1, None, None, 1))
        self.assertEqual(ft.object_getbuffer(bytearray(), BUF["PyBUF_FULL_RO"]),
                         (b"", 0, 0, 1, "B", 1, (0,), (1,), 1))
        ba = bytearray(b"abc")
        self.assertIsNone(ft.object_getbuffer_write(ba, b"XY"))
        self.assertEqual(ba, bytearray(b"XYc"))

    def test_export_blocks_resize(self):
        # After PyBuffer_Release the bytearray can be resized again.
        ba = bytearray(b"abc")
        ft.object_getbuffer(ba, BUF["PyBUF_SIMPLE"])
        ba.extend(b"def")
        self.assertEqual(ba, bytearray(b"abcdef"))

    def test_not_a_buffer(self):
        for o in ("str", 1, None, [1]):
            with self.assertRaisesRegex(
                    TypeError, "^a bytes-like object is required, not '%s'$"
                    % type(o).__name__):
                ft.object_getbuffer(o, BUF["PyBUF_SIMPLE"])

    def test_checkbuffer(self):
        self.assertEqual(ft.object_checkbuffer(b""), 1)
        self.assertEqual(ft.object_checkbuffer(bytearray()), 1)
        self.assertEqual(ft.object_checkbuffer(memoryview(b"")), 1)
        self.assertEqual(ft.object_checkbuffer("x"), 0)
        self.assertEqual(ft.object_checkbuffer(1), 0)

    def test_fillinfo(self):
        self.assertEqual(ft.buffer_fillinfo(True, BUF["PyBUF_SIMPLE"]), (5, 1, 1))
        self.assertEqual(ft.buffer_fillinfo(False, BUF["PyBUF_WRITABLE"]), (5, 0, 1))
        with self.assertRaisesRegex(BufferError, "^Object is not writable.$"):
            ft.buffer_fillinfo(True, BUF["PyBUF_WRITABLE"])



class TestFromFormatV(unittest.TestCase):

    def test_fromformatv(self):
        self.assertEqual(ft.bytes_fromformatv("mixed"),
                         b"caf\xc3\xa9|-42|-1234567890|7|4000000000|ff|Z|%|3")
        # Precision applies to %s; the width of %d is parsed and ignored.
        self.assertEqual(ft.bytes_fromformatv("precision"), b"[abc][42]")
        self.assertEqual(ft.bytes_fromformatv("empty"), b"")
        with self.assertRaisesRegex(OverflowError,
                                    r"^PyBytes_FromFormatV\(\): %c format expects an "
                                    r"integer in range \[0; 255\]$"):
            ft.bytes_fromformatv("bad_char")


if __name__ == "__main__":
    unittest.main()


class TestBytesJoinPrivate(unittest.TestCase):
    """_PyBytes_Join (bytes.join for C callers)."""

    def test_join(self):
        self.assertEqual(ft.bytes_join_private(b'-', [b'a', b'bc', b'']), b'a-bc-')
        self.assertEqual(ft.bytes_join_private(b'', (b'x', b'y')), b'xy')
        self.assertEqual(ft.bytes_join_private(b', ', iter([b'1', b'2'])), b'1, 2')
        self.assertEqual(ft.bytes_join_private(b'-', []), b'')
        self.assertEqual(ft.bytes_join_private(b'-', [b'only']), b'only')

    def test_bytes_like_items(self):
        r = ft.bytes_join_private(b'|', [bytearray(b'a'), memoryview(b'bc'), b'd'])
        self.assertEqual(r, b'a|bc|d')
        self.assertIs(type(r), bytes)
        self.assertEqual(ft.bytes_join_private(b'-', [bytearray(b'z')]), b'z')
        self.assertIs(type(ft.bytes_join_private(b'-', [bytearray(b'z')])), bytes)

    def test_errors(self):
        with self.assertRaisesRegex(TypeError, '^can only join an iterable$'):
            ft.bytes_join_private(b'-', 5)
        with self.assertRaisesRegex(
                TypeError, r'^sequence item 1: expected a bytes-like object, str found$'):
            ft.bytes_join_private(b'-', [b'a', 'b'])
        with self.assertRaisesRegex(
                TypeError, r'^sequence item 0: expected a bytes-like object, int found$'):
            ft.bytes_join_private(b'-', [1])
