"""str objects: PyUnicode_* (Objects/unicodeobject.c), across the three PEP 393
kinds (latin-1, BMP, astral), including in-place writes after PyUnicode_New.

C side: tests/capi/ext/unicode.c.
"""
import sys
import unittest

import _ferrytest as ft

KIND1, KIND2, KIND4 = ft.unicode_kinds()
LT, LE, EQ, NE, GT, GE = ft.compare_ops()

ASCII = "ascii text"
LATIN1 = "caf\xe9 \xff"
BMP = "\u20ac uro \u4e2d\uffff"
ASTRAL = "snake \U0001f40d \U0010ffff"
SAMPLES = ["", ASCII, LATIN1, BMP, ASTRAL]
BADARG = "bad argument type for built-in operation"
BADCALL = "bad argument to internal function"


def native(s, kind):
    """The canonical buffer of `s` for `kind`, in native byte order."""
    codec = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}[kind]
    data = s.encode(codec)
    if sys.byteorder == "big" and kind > 1:
        data = s.encode(codec.replace("le", "be"))
    return data


class TestNew(unittest.TestCase):

    def test_kinds(self):
        self.assertEqual((KIND1, KIND2, KIND4), (1, 2, 4))

    def test_new_and_write(self):
        for s in SAMPLES:
            maxchar = max(map(ord, s), default=0)
            r = ft.unicode_new_write([ord(c) for c in s], maxchar)
            self.assertEqual(r, s)
            self.assertIs(type(r), str)

    def test_new_and_write_wider_maxchar(self):
        # A larger maxchar than needed is allowed (the string is then not
        # canonical, so only its code points are compared, not equality).
        r = ft.unicode_new_write([97, 98], 0x10FFFF)
        self.assertEqual(len(r), 2)
        self.assertEqual(ft.unicode_inspect(r)[3], [97, 98])
        r = ft.unicode_new_write([0xe9], 0xFFFF)
        self.assertEqual(ft.unicode_inspect(r)[3], [0xe9])

    def test_new_shape(self):
        self.assertEqual(ft.unicode_new_shape(0, 0), (0, KIND1, 1))
        self.assertEqual(ft.unicode_new_shape(3, 0x7F), (3, KIND1, 1))
        self.assertEqual(ft.unicode_new_shape(3, 0xFF), (3, KIND1, 0))
        self.assertEqual(ft.unicode_new_shape(3, 0x100), (3, KIND2, 0))
        self.assertEqual(ft.unicode_new_shape(3, 0xFFFF), (3, KIND2, 0))
        self.assertEqual(ft.unicode_new_shape(3, 0x10000), (3, KIND4, 0))
        self.assertEqual(ft.unicode_new_shape(3, 0x10FFFF), (3, KIND4, 0))

    def test_new_errors(self):
        with self.assertRaisesRegex(
                SystemError, "invalid maximum character passed to PyUnicode_New"):
            ft.unicode_new_shape(1, 0x110000)
        with self.assertRaisesRegex(SystemError,
                                    "Negative size passed to PyUnicode_New"):
            ft.unicode_new_shape(-1, 0x7F)
        with self.assertRaises(MemoryError):
            ft.unicode_new_shape(sys.maxsize, 0x10FFFF)

    def test_fromkindanddata(self):
        for s in SAMPLES:
            for kind in (KIND1, KIND2, KIND4):
                if s and max(map(ord, s)) >= {1: 0x100, 2: 0x10000, 4: 0x110000}[kind]:
                    continue
                r = ft.unicode_fromkindanddata(kind, native(s, kind))
                self.assertEqual(r, s)
                # The result is canonical: its kind fits its content.
                self.assertEqual(ft.unicode_inspect(r)[1],
                                 ft.unicode_inspect(s)[1])

    def test_fromkindanddata_errors(self):
        with self.assertRaisesRegex(SystemError, "invalid kind"):
            ft.unicode_fromkindanddata(3, b"abc")
        with self.assertRaisesRegex(SystemError, "invalid kind"):
            ft.unicode_fromkindanddata(0, b"x")
        # Code points above 0x10FFFF in a UCS4 buffer.
        with self.assertRaisesRegex(
                SystemError, "invalid maximum character passed to PyUnicode_New"):
            ft.unicode_fromkindanddata(4, (0x110000).to_bytes(4, sys.byteorder))

    def test_fromordinal(self):
        for cp in (0, 0x41, 0xe9, 0xff, 0x100, 0x20ac, 0xffff, 0x10000, 0x10ffff):
            self.assertEqual(ft.unicode_fromordinal(cp), chr(cp))
        for bad in (-1, 0x110000, 2**31 - 1):
            with self.assertRaisesRegex(ValueError,
                                        r"chr\(\) arg not in range\(0x110000\)"):
                ft.unicode_fromordinal(bad)

    def test_fromstring(self):
        self.assertEqual(ft.unicode_fromstring(b""), "")
        for s in SAMPLES:
            self.assertEqual(ft.unicode_fromstring(s.encode()), s)
        with self.assertRaises(UnicodeDecodeError):
            ft.unicode_fromstring(b"\xff")
        with self.assertRaises(UnicodeDecodeError):
            ft.unicode_fromstring(b"\xed\xa0\x80")   # encoded surrogate

    def test_fromstringandsize(self):
        self.assertEqual(ft.unicode_fromstringandsize(b"abcdef", 3), "abc")
        self.assertEqual(ft.unicode_fromstringandsize(b"a\0b", 3), "a\0b")
        self.assertEqual(ft.unicode_fromstringandsize(b"", 0), "")
        self.assertEqual(ft.unicode_fromstringandsize(None, 0), "")
        data = ASTRAL.encode()
        self.assertEqual(ft.unicode_fromstringandsize(data, len(data)), ASTRAL)
        with self.assertRaises(UnicodeDecodeError):
            # cut in the middle of the 4-byte sequence
            ft.unicode_fromstringandsize(b"\xf0\x9f\x90\x8d", 2)
        with self.assertRaisesRegex(
                SystemError, "Negative size passed to PyUnicode_FromStringAndSize"):
            ft.unicode_fromstringandsize(b"abc", -1)

    def test_intern(self):
        for s in ("interned", "caf\xe9", "\u20ac\u20ac", "\U0001f40d", ""):
            r = ft.unicode_internfromstring(s.encode())
            self.assertEqual(r, s)
            self.assertTrue(ft.unicode_intern_identity(s.encode()))
        a = ft.unicode_internfromstring(b"ferry_interned_name")
        b = ft.unicode_internfromstring(b"ferry_interned_name")
        self.assertIs(a, b)
        self.assertIs(a, sys.intern("ferry_interned_name"))

    def test_fromobject(self):
        self.assertEqual(ft.unicode_fromobject("s"), "s")

        class S(str):
            pass
        r = ft.unicode_fromobject(S("sub"))
        self.assertEqual(r, "sub")
        self.assertIs(type(r), str)
        with self.assertRaisesRegex(TypeError, "Can't convert 'int' object to str implicitly"):
            ft.unicode_fromobject(1)

    def test_fromencodedobject(self):
        self.assertEqual(ft.unicode_fromencodedobject(b"caf\xc3\xa9"), "caf\xe9")
        self.assertEqual(ft.unicode_fromencodedobject(b"caf\xe9", "latin-1"),
                         "caf\xe9")
        self.assertEqual(ft.unicode_fromencodedobject(bytearray(b"ab")), "ab")
        self.assertEqual(ft.unicode_fromencodedobject(b"a\xffb", "utf-8", "replace"),
                         "a\ufffdb")
        with self.assertRaisesRegex(TypeError, "decoding str is not supported"):
            ft.unicode_fromencodedobject("str")
        with self.assertRaisesRegex(
                TypeError, "decoding to str: need a bytes-like object, int found"):
            ft.unicode_fromencodedobject(1)
        with self.assertRaises(LookupError):
            ft.unicode_fromencodedobject(b"x", "no-such-codec")

    def test_fromwidechar(self):
        for s in SAMPLES:
            self.assertEqual(ft.unicode_fromwidechar([ord(c) for c in s]), s)
        with self.assertRaisesRegex(ValueError,
                                    r"character U\+110000 is not in range"):
            ft.unicode_fromwidechar([0x110000])


class TestRead(unittest.TestCase):

    def test_inspect(self):
        for s, kind in ((ASCII, KIND1), (LATIN1, KIND1), (BMP, KIND2),
                        (ASTRAL, KIND4), ("", KIND1)):
            n, k, is_ascii, a, b, c = ft.unicode_inspect(s)
            cps = [ord(ch) for ch in s]
            self.assertEqual(n, len(s))
            self.assertEqual(k, kind)
            self.assertEqual(is_ascii, int(s.isascii()))
            self.assertEqual(a, cps)
            self.assertEqual(b, cps)
            self.assertEqual(c, cps)

    def test_inspect_subclass(self):
        class S(str):
            pass
        self.assertEqual(ft.unicode_inspect(S(BMP))[3], [ord(c) for c in BMP])

    def test_maxcharvalue(self):
        self.assertEqual(ft.unicode_maxcharvalue(ASCII), 0x7F)
        self.assertEqual(ft.unicode_maxcharvalue(LATIN1), 0xFF)
        self.assertEqual(ft.unicode_maxcharvalue(BMP), 0xFFFF)
        self.assertEqual(ft.unicode_maxcharvalue(ASTRAL), 0x10FFFF)

    def test_readchar(self):
        self.assertEqual(ft.unicode_readchar(ASTRAL, 6), 0x1f40d)
        self.assertEqual(ft.unicode_readchar(LATIN1, 3), 0xe9)
        with self.assertRaisesRegex(IndexError, "string index out of range"):
            ft.unicode_readchar("abc", 3)
        with self.assertRaisesRegex(IndexError, "string index out of range"):
            ft.unicode_readchar("abc", -1)
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.unicode_readchar(b"abc", 0)

    def test_writechar(self):
        self.assertEqual(ft.unicode_writechar("abc", 1, ord("X")), "aXc")
        self.assertEqual(ft.unicode_writechar(BMP, 0, 0x4e2d), "\u4e2d" + BMP[1:])
        self.assertEqual(ft.unicode_writechar(ASTRAL, 0, 0x10000),
                         "\U00010000" + ASTRAL[1:])
        with self.assertRaisesRegex(IndexError, "string index out of range"):
            ft.unicode_writechar("abc", 3, 65)
        with self.assertRaisesRegex(ValueError,
                                    "character out of range"):
            ft.unicode_writechar("abc", 0, 0x20ac)   # wider than the kind

    def test_getlength(self):
        for s in SAMPLES:
            self.assertEqual(ft.unicode_getlength(s), len(s))
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.unicode_getlength(b"abc")

    def test_crossing_again(self):
        # Long strs of every kind cross again and again (ferry keeps a while
        # the proxies of strs C let go, up to a budget of their data): each is
        # read as it is, its UTF-8 too, more of them than fit the budget.
        values = [(base * (n // len(base) + 1))[:n] for base in SAMPLES[1:]
                  for n in (300, 10000, 1 << 20)]
        values += ["%d" % i * 1000 for i in range(40)]
        for _ in range(3):
            for v in values:
                self.assertEqual(ft.unicode_substring(v, 0, len(v)), v)
                self.assertEqual(ft.unicode_asutf8string(v), v.encode())

    def test_substring(self):
        for s in SAMPLES:
            for start, end in ((0, len(s)), (1, 3), (2, 2), (0, 100), (5, 1)):
                self.assertEqual(ft.unicode_substring(s, start, end),
                                 s[start:end])
        with self.assertRaisesRegex(IndexError, "string index out of range"):
            ft.unicode_substring("abc", -1, 2)
        with self.assertRaisesRegex(IndexError, "string index out of range"):
            ft.unicode_substring("abc", 0, -1)

    def test_substring_canonical(self):
        # Slicing an astral string down to ASCII yields a 1-byte kind result.
        r = ft.unicode_substring(ASTRAL, 0, 5)
        self.assertEqual(r, "snake")
        self.assertEqual(ft.unicode_inspect(r)[1], KIND1)


class TestUTF8(unittest.TestCase):

    def test_asutf8(self):
        for s in SAMPLES:
            self.assertEqual(ft.unicode_asutf8(s), s.encode())
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.unicode_asutf8(b"bytes")
        with self.assertRaisesRegex(UnicodeEncodeError, "surrogates not allowed"):
            ft.unicode_asutf8("\ud800")

    def test_asutf8_embedded_nul(self):
        # PyUnicode_AsUTF8 does not reject NUL in 3.11; the C string stops there.
        self.assertEqual(ft.unicode_asutf8("a\0b"), b"a")

    def test_asutf8andsize(self):
        for s in SAMPLES + ["a\0b"]:
            self.assertEqual(ft.unicode_asutf8andsize(s),
                             (s.encode(), len(s.encode())))
        self.assertEqual(ft.unicode_asutf8andsize(ASTRAL, False),
                         (ASTRAL.encode(), None))
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.unicode_asutf8andsize(1)
        with self.assertRaises(UnicodeEncodeError):
            ft.unicode_asutf8andsize("x\udfff")

    def test_asutf8_cached(self):
        for s in SAMPLES:
            self.assertTrue(ft.unicode_asutf8_stable(s + "!"))

    def test_asutf8string(self):
        for s in SAMPLES:
            self.assertEqual(ft.unicode_asutf8string(s), s.encode())
            self.assertEqual(ft.unicode_asutf8string_cached(s + "!"), (s.encode() + b"!",) * 2)
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.unicode_asutf8string(1)
        with self.assertRaises(UnicodeEncodeError):
            ft.unicode_asutf8string("\udc80")

    def test_decodeutf8(self):
        for s in SAMPLES:
            self.assertEqual(ft.unicode_decodeutf8(s.encode()), s)
        self.assertEqual(ft.unicode_decodeutf8(b"a\xffb", "replace"), "a\ufffdb")
        self.assertEqual(ft.unicode_decodeutf8(b"a\xffb", "ignore"), "ab")
        self.assertEqual(ft.unicode_decodeutf8(b"a\xffb", "surrogateescape"),
                         "a\udcffb")
        with self.assertRaisesRegex(
                UnicodeDecodeError,
                "'utf-8' codec can't decode byte 0xff in position 1: "
                "invalid start byte"):
            ft.unicode_decodeutf8(b"a\xffb")
        with self.assertRaises(LookupError):
            ft.unicode_decodeutf8(b"a\xffb", "no-such-handler")

    def test_decodeutf8stateful(self):
        data = ASTRAL.encode()
        self.assertEqual(ft.unicode_decodeutf8stateful(data),
                         (ASTRAL, len(data)))
        # ASCII, and one non-ASCII character at each place of an 8-byte word.
        self.assertEqual(ft.unicode_decodeutf8stateful(b"plain ascii, 17.."), ("plain ascii, 17..", 17))
        for i in range(17):
            data = b"x" * i + "\u00e9".encode() + b"y" * (16 - i)
            self.assertEqual(ft.unicode_decodeutf8stateful(data), (data.decode(), len(data)))
            with self.assertRaises(UnicodeDecodeError):
                ft.unicode_decodeutf8stateful(b"z" * i + b"\x80")
        # An incomplete trailing sequence is left unconsumed.
        self.assertEqual(ft.unicode_decodeutf8stateful(b"ab\xf0\x9f"), ("ab", 2))
        self.assertEqual(ft.unicode_decodeutf8stateful(b"\xe2\x82"), ("", 0))
        with self.assertRaises(UnicodeDecodeError):
            ft.unicode_decodeutf8stateful(b"\xff")


class TestCodecs(unittest.TestCase):

    def test_ascii_latin1(self):
        self.assertEqual(ft.unicode_asasciistring(ASCII), ASCII.encode())
        self.assertEqual(ft.unicode_aslatin1string(LATIN1), LATIN1.encode("latin-1"))
        with self.assertRaisesRegex(
                UnicodeEncodeError,
                "'ascii' codec can't encode character '\\\\xe9' in position 3"):
            ft.unicode_asasciistring(LATIN1)
        with self.assertRaises(UnicodeEncodeError):
            ft.unicode_aslatin1string(BMP)
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.unicode_asasciistring(b"x")
        self.assertEqual(ft.unicode_decodelatin1(b"\xe9\xff"), "\xe9\xff")
        self.assertEqual(ft.unicode_decodeascii(b"abc"), "abc")
        self.assertEqual(ft.unicode_decodeascii(b"a\x80", "replace"), "a\ufffd")
        with self.assertRaisesRegex(
                UnicodeDecodeError,
                "'ascii' codec can't decode byte 0x80 in position 1: "
                "ordinal not in range\\(128\\)"):
            ft.unicode_decodeascii(b"a\x80")

    def test_asencodedstring(self):
        self.assertEqual(ft.unicode_asencodedstring(ASTRAL), ASTRAL.encode())
        self.assertEqual(ft.unicode_asencodedstring(BMP, "utf-16-le"),
                         BMP.encode("utf-16-le"))
        self.assertEqual(ft.unicode_asencodedstring(LATIN1, "latin-1"),
                         LATIN1.encode("latin-1"))
        self.assertEqual(ft.unicode_asencodedstring(BMP, "ascii", "replace"),
                         BMP.encode("ascii", "replace"))
        self.assertEqual(ft.unicode_asencodedstring(BMP, "ascii",
                                                    "backslashreplace"),
                         BMP.encode("ascii", "backslashreplace"))
        self.assertEqual(ft.unicode_asencodedstring("x", "UTF8"), b"x")
        with self.assertRaises(UnicodeEncodeError):
            ft.unicode_asencodedstring(BMP, "ascii")
        with self.assertRaisesRegex(LookupError, "unknown encoding: no-such-codec"):
            ft.unicode_asencodedstring("x", "no-such-codec")
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.unicode_asencodedstring(b"x", "utf-8")

    def test_asencodedstring_nonbytes_codec(self):
        with self.assertRaisesRegex(
                LookupError,
                "'rot13' is not a text encoding; use codecs.encode\\(\\) to "
                "handle arbitrary codecs"):
            ft.unicode_asencodedstring("abc", "rot13")

    def test_decode(self):
        self.assertEqual(ft.unicode_decode(b"caf\xc3\xa9"), "caf\xe9")
        self.assertEqual(ft.unicode_decode(b"caf\xe9", "latin-1"), "caf\xe9")
        self.assertEqual(ft.unicode_decode(BMP.encode("utf-16"), "utf-16"), BMP)
        self.assertEqual(ft.unicode_decode(ASTRAL.encode("utf-32-be"),
                                           "utf-32-be"), ASTRAL)
        self.assertEqual(ft.unicode_decode(b"a\xff", "utf-8", "replace"),
                         "a\ufffd")
        self.assertEqual(ft.unicode_decode(b"", "utf-8"), "")
        with self.assertRaises(UnicodeDecodeError):
            ft.unicode_decode(b"\xff", "utf-8")
        with self.assertRaisesRegex(LookupError, "unknown encoding: no-such-codec"):
            ft.unicode_decode(b"x", "no-such-codec")

    def test_decodeutf16_utf32(self):
        data = BMP.encode("utf-16-le")
        self.assertEqual(ft.unicode_decodeutf16(data, -1), (BMP, -1))
        self.assertEqual(ft.unicode_decodeutf16(BMP.encode("utf-16-be"), 1),
                         (BMP, 1))
        # byteorder 0: a BOM decides and is reported back.
        self.assertEqual(ft.unicode_decodeutf16(b"\xfe\xff\x00A", 0), ("A", 1))
        self.assertEqual(ft.unicode_decodeutf16(b"\xff\xfeA\x00", 0), ("A", -1))
        self.assertEqual(ft.unicode_decodeutf32(ASTRAL.encode("utf-32-le"), -1),
                         (ASTRAL, -1))
        with self.assertRaises(UnicodeDecodeError):
            ft.unicode_decodeutf16(b"\x00", -1)

    def test_fsdefault(self):
        self.assertEqual(sys.getfilesystemencoding(), "utf-8")
        for s in SAMPLES:
            self.assertEqual(ft.unicode_encodefsdefault(s), s.encode())
            self.assertEqual(ft.unicode_decodefsdefault(s.encode()), s)
        self.assertEqual(ft.unicode_decodefsdefault(b"\xff"), "\udcff")
        self.assertEqual(ft.unicode_encodefsdefault("\udcff"), b"\xff")

    def test_widechar(self):
        for s in SAMPLES:
            cps = [ord(c) for c in s]
            self.assertEqual(ft.unicode_aswidecharstring(s), (cps, len(s), 1))
            self.assertEqual(ft.unicode_aswidechar(s, len(s) + 1), (len(s), cps))
        # A short buffer: copies what fits, returns the number written.
        self.assertEqual(ft.unicode_aswidechar("abcdef", 3), (3, [97, 98, 99]))
        # Embedded NULs are copied, not rejected.
        self.assertEqual(ft.unicode_aswidecharstring("a\0b"), ([97, 0, 98], 3, 1))
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.unicode_aswidecharstring(b"x")

    def test_asucs4copy(self):
        for s in SAMPLES:
            self.assertEqual(ft.unicode_asucs4copy(s), ([ord(c) for c in s], 1))


class TestOperations(unittest.TestCase):

    def test_concat(self):
        for a in SAMPLES:
            for b in SAMPLES:
                self.assertEqual(ft.unicode_concat(a, b), a + b)
        with self.assertRaisesRegex(
                TypeError, 'can only concatenate str \\(not "int"\\) to str'):
            ft.unicode_concat("a", 1)
        with self.assertRaisesRegex(TypeError, "must be str, not bytes"):
            ft.unicode_concat(b"a", "b")

    def test_append(self):
        self.assertEqual(ft.unicode_append("ab", ASTRAL), "ab" + ASTRAL)
        self.assertEqual(ft.unicode_appendanddel(LATIN1, BMP), LATIN1 + BMP)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.unicode_append("a", 1)

    def test_join(self):
        self.assertEqual(ft.unicode_join("-", ["a", "b", "c"]), "a-b-c")
        self.assertEqual(ft.unicode_join(BMP, [LATIN1, ASTRAL]),
                         BMP.join([LATIN1, ASTRAL]))
        self.assertEqual(ft.unicode_join("", []), "")
        self.assertEqual(ft.unicode_join("x", ("only",)), "only")
        self.assertEqual(ft.unicode_join(None, ["a", "b"]), "a b")
        self.assertEqual(ft.unicode_join(",", iter(["p", "q"])), "p,q")
        with self.assertRaisesRegex(
                TypeError, "sequence item 1: expected str instance, int found"):
            ft.unicode_join(",", ["a", 1])
        with self.assertRaises(TypeError):
            ft.unicode_join(",", 5)

    def test_split(self):
        self.assertEqual(ft.unicode_split("a b  c", None), ["a", "b", "c"])
        self.assertEqual(ft.unicode_split("a,b,c", ","), ["a", "b", "c"])
        self.assertEqual(ft.unicode_split("a,b,c", ",", 1), ["a", "b,c"])
        self.assertEqual(ft.unicode_split(ASTRAL, " "), ASTRAL.split(" "))
        with self.assertRaisesRegex(ValueError, "empty separator"):
            ft.unicode_split("abc", "")

    def test_splitlines(self):
        self.assertEqual(ft.unicode_splitlines("a\nb\r\nc"), ["a", "b", "c"])
        self.assertEqual(ft.unicode_splitlines("a\nb\u2028c", 1),
                         ["a\n", "b\u2028", "c"])

    def test_replace(self):
        self.assertEqual(ft.unicode_replace("aaa", "a", "b"), "bbb")
        self.assertEqual(ft.unicode_replace("aaa", "a", "b", 2), "bba")
        self.assertEqual(ft.unicode_replace(LATIN1, "\xe9", "\U0001f40d"),
                         LATIN1.replace("\xe9", "\U0001f40d"))
        self.assertEqual(ft.unicode_replace("abc", "", "-"), "-a-b-c-")

    def test_compare(self):
        self.assertEqual(ft.unicode_compare("a", "b"), -1)
        self.assertEqual(ft.unicode_compare("b", "a"), 1)
        self.assertEqual(ft.unicode_compare(ASTRAL, ASTRAL), 0)
        self.assertEqual(ft.unicode_compare("\xff", "\u0100"), -1)
        self.assertEqual(ft.unicode_compare("\U00010000", "\uffff"), 1)
        with self.assertRaisesRegex(TypeError,
                                    "Can't compare str and int"):
            ft.unicode_compare("a", 1)

    def test_comparewithasciistring(self):
        self.assertEqual(ft.unicode_comparewithasciistring("abc", b"abc"), 0)
        self.assertEqual(ft.unicode_comparewithasciistring("abc", b"abd"), -1)
        self.assertEqual(ft.unicode_comparewithasciistring("abd", b"abc"), 1)
        self.assertEqual(ft.unicode_comparewithasciistring("ab", b"abc"), -1)
        self.assertEqual(ft.unicode_comparewithasciistring("abc", b"ab"), 1)
        self.assertEqual(ft.unicode_comparewithasciistring("", b""), 0)
        self.assertEqual(ft.unicode_comparewithasciistring("\xe9", b"e"), 1)
        self.assertEqual(ft.unicode_comparewithasciistring(ASTRAL, b"snake"), 1)

    def test_richcompare(self):
        self.assertIs(ft.unicode_richcompare("a", "b", LT), True)
        self.assertIs(ft.unicode_richcompare("a", "a", EQ), True)
        self.assertIs(ft.unicode_richcompare(BMP, ASTRAL, NE), True)
        self.assertIs(ft.unicode_richcompare("a", 1, EQ), NotImplemented)
        self.assertIs(ft.unicode_richcompare("a", 1, LT), NotImplemented)

    def test_contains(self):
        self.assertEqual(ft.unicode_contains(ASTRAL, "\U0001f40d"), 1)
        self.assertEqual(ft.unicode_contains(BMP, "\xe9"), 0)
        self.assertEqual(ft.unicode_contains("abc", ""), 1)
        with self.assertRaisesRegex(
                TypeError, "'in <string>' requires string as left operand, not int"):
            ft.unicode_contains("abc", 1)

    def test_find(self):
        s = "abcabc" + ASTRAL
        self.assertEqual(ft.unicode_find(s, "c", 0, len(s), 1), 2)
        self.assertEqual(ft.unicode_find(s, "c", 0, len(s), -1), 5)
        self.assertEqual(ft.unicode_find(s, "\U0001f40d", 0, len(s), 1),
                         s.index("\U0001f40d"))
        self.assertEqual(ft.unicode_find(s, "z", 0, len(s), 1), -1)
        self.assertEqual(ft.unicode_find(s, "a", 1, 3, 1), -1)
        self.assertEqual(ft.unicode_find(s, "a", -3, 100, 1), -1)
        self.assertEqual(ft.unicode_findchar(s, ord("b"), 0, len(s), 1), 1)
        self.assertEqual(ft.unicode_findchar(s, ord("b"), 0, len(s), -1), 4)
        self.assertEqual(ft.unicode_findchar(s, 0x10ffff, 0, len(s), 1), len(s) - 1)
        self.assertEqual(ft.unicode_findchar(s, ord("q"), 0, len(s), 1), -1)
        with self.assertRaises(TypeError):
            ft.unicode_find(s, 1, 0, 1, 1)

    def test_count(self):
        self.assertEqual(ft.unicode_count("aaaa", "a", 0, 4), 4)
        self.assertEqual(ft.unicode_count("aaaa", "aa", 0, 4), 2)
        self.assertEqual(ft.unicode_count("aaaa", "a", 1, 3), 2)
        self.assertEqual(ft.unicode_count(ASTRAL, "\U0001f40d", 0, 100), 1)
        self.assertEqual(ft.unicode_count("abc", "", 0, 3), 4)

    def test_tailmatch(self):
        self.assertEqual(ft.unicode_tailmatch("prefix-body", "prefix", 0, 11, -1), 1)
        self.assertEqual(ft.unicode_tailmatch("prefix-body", "body", 0, 11, 1), 1)
        self.assertEqual(ft.unicode_tailmatch("prefix-body", "body", 0, 11, -1), 0)
        self.assertEqual(ft.unicode_tailmatch(ASTRAL, "\U0010ffff", 0, 100, 1), 1)

    def test_format(self):
        self.assertEqual(ft.unicode_format("%s-%d", ("a", 3)), "a-3")
        self.assertEqual(ft.unicode_format("%(k)r", {"k": BMP}), repr(BMP))
        self.assertEqual(ft.unicode_format("%c", 0x1f40d), "\U0001f40d")
        self.assertEqual(ft.unicode_format("%5.1f|%-3s|", (2.25, "x")),
                         "  2.2|x  |")
        with self.assertRaisesRegex(
                TypeError, "not all arguments converted during string formatting"):
            ft.unicode_format("%s", ("a", "b"))
        with self.assertRaisesRegex(TypeError,
                                    "not enough arguments for format string"):
            ft.unicode_format("%s %s", ("a",))


class TestFromFormat(unittest.TestCase):

    def check(self, case, expected, obj=None):
        self.assertEqual(ft.unicode_fromformat(case, obj), expected)

    def test_text(self):
        self.check("empty", "")
        self.check("text", "plain text")
        self.check("percent", "100%")

    def test_chars(self):
        self.check("c", "[a\u20ac]")
        self.check("c_astral", "[\U0001f40d]")

    def test_integers(self):
        self.check("d", "0 -1 2147483647")
        self.check("i", "-2147483648")
        self.check("u", "4294967295")
        self.check("ld", "%d %d" % (-2**63, 2**63 - 1))
        self.check("li", "-42")
        self.check("lu", str(2**64 - 1))
        self.check("lld", "%d %d" % (-2**63, 2**63 - 1))
        self.check("llu", str(2**64 - 1))
        self.check("zd", "%d %d" % (-2**63, 2**63 - 1))
        self.check("zi", "-5")
        self.check("zu", str(2**64 - 1))
        self.check("x", "ff deadbeef")

    def test_width_precision(self):
        self.check("width", "[   42][12345]")
        self.check("zero_pad", "[00042][007]")
        self.check("precision_int", "[0007]")
        self.check("s_precision", "[abc]")
        self.check("s_width", "[     abc]")

    def test_utf8_string(self):
        self.check("s", "[caf\xe9 \u20ac \U0001f40d]")

    def test_objects(self):
        obj = "caf\xe9\U0001f40d"
        self.check("U", "[%s]" % obj, obj)
        self.check("U_precision", "[ca]", obj)
        self.check("V_obj", "[%s]" % obj, obj)
        self.check("V_null", "[fallb\xe4ck]")
        self.check("S", "[%s]" % obj, obj)
        self.check("S", "[[1, 2]]", [1, 2])
        self.check("R", "[%r]" % obj, obj)
        self.check("R", "[b'x']", b"x")
        self.check("A", "[%a]" % obj, obj)
        self.check("S_precision", "[caf]", obj)
        self.check("R_width", "[%10r]" % obj, obj)
        self.check("mixed", "key=3 (%r)" % obj, obj)

    def test_object_errors(self):
        class BadRepr:
            def __repr__(self):
                raise KeyError("repr")
        with self.assertRaises(KeyError):
            ft.unicode_fromformat("R", BadRepr())

    def test_pointer(self):
        r = ft.unicode_fromformat("p")
        self.assertEqual(r.lower(), "0x1234")


class TestCodecsAndFormatV(unittest.TestCase):
    # C side: the "formatting with a va_list, codecs by name, locale" block
    # of ext/unicode.c.

    def test_fromformatv(self):
        self.assertEqual(ft.unicode_fromformatv("mixed", "x\u20ac"),
                         "caf\xe9|-42|7|ff|\u20ac|%|x\u20ac|'x\u20ac'|x\u20ac")
        # 3.11 has no '-' flag: the rest of the format is copied verbatim.
        self.assertEqual(ft.unicode_fromformatv("precision", "abc"),
                         "[abc][   42][%-4d][%.2U]")
        self.assertEqual(ft.unicode_fromformatv("empty", None), "")
        with self.assertRaisesRegex(OverflowError,
                                    r"^character argument not in range\(0x110000\)$"):
            ft.unicode_fromformatv("bad_char", None)

    def test_ascharmapstring(self):
        self.assertEqual(ft.unicode_ascharmapstring("ab", {97: 120, 98: b"YY"}),
                         b"xYY")
        self.assertEqual(ft.unicode_ascharmapstring("", {}), b"")
        with self.assertRaisesRegex(UnicodeEncodeError,
                                    "'charmap' codec can't encode character '\\\\x64' "
                                    "in position 1: character maps to <undefined>"):
            ft.unicode_ascharmapstring("ad", {97: 1})
        with self.assertRaisesRegex(TypeError, "character mapping must return integer, "
                                               "bytes or None, not str"):
            ft.unicode_ascharmapstring("a", {97: "x"})
        # mapping NULL is a bad argument.
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.unicode_ascharmapstring("a", None)

    def test_asrawunicodeescapestring(self):
        self.assertEqual(ft.unicode_asrawunicodeescapestring("a\\\n\u20ac\U0001f40d\xe9"),
                         b"a\\\n\\u20ac\\U0001f40d\xe9")
        self.assertEqual(ft.unicode_asrawunicodeescapestring(""), b"")
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.unicode_asrawunicodeescapestring(1)

    def test_asunicodeescapestring(self):
        self.assertEqual(ft.unicode_asunicodeescapestring("a\\\n\u20ac\U0001f40d\xe9"),
                         b"a\\\\\\n\\u20ac\\U0001f40d\\xe9")
        self.assertEqual(ft.unicode_asunicodeescapestring(""), b"")
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.unicode_asunicodeescapestring(b"x")

    def test_asutf16string(self):
        self.assertEqual(ft.unicode_asutf16string("a\U0001f40d"),
                         b"\xff\xfea\x00=\xd8\r\xdc")
        self.assertEqual(ft.unicode_asutf16string(""), b"\xff\xfe")
        with self.assertRaisesRegex(UnicodeEncodeError,
                                    "'utf-16' codec can't encode character '\\\\ud800' "
                                    "in position 0: surrogates not allowed"):
            ft.unicode_asutf16string("\ud800")
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.unicode_asutf16string(b"x")

    def test_asutf32string(self):
        self.assertEqual(ft.unicode_asutf32string("a\u20ac"),
                         b"\xff\xfe\x00\x00a\x00\x00\x00\xac \x00\x00")
        self.assertEqual(ft.unicode_asutf32string(""), b"\xff\xfe\x00\x00")
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.unicode_asutf32string(1)

    def test_asucs4(self):
        F = 0xFFFF
        self.assertEqual(ft.unicode_asucs4("ab\U0001f40d", 5, True),
                         [97, 98, 0x1F40D, 0, F])
        self.assertEqual(ft.unicode_asucs4("ab", 2, False), [97, 98])
        self.assertEqual(ft.unicode_asucs4("", 1, True), [0])
        with self.assertRaisesRegex(SystemError, "^string is longer than the buffer$"):
            ft.unicode_asucs4("abc", 2, False)
        # The terminating NUL needs room too.
        with self.assertRaisesRegex(SystemError, "^string is longer than the buffer$"):
            ft.unicode_asucs4("abc", 3, True)
        # A non-str would crash CPython: not passed.

    def test_asunicodeandsize(self):
        self.assertEqual(ft.unicode_asunicodeandsize("a\u20acb\U0001f40d"),
                         ("a\u20acb\U0001f40d", 4, 1))
        self.assertEqual(ft.unicode_asunicodeandsize(""), ("", 0, 1))
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.unicode_asunicodeandsize(b"x")

    def test_asunicode(self):
        # (up to the first NUL, the whole buffer, the same buffer each time)
        self.assertEqual(ft.unicode_asunicode("a\u20acb\U0001f40d"),
                         ("a\u20acb\U0001f40d", "a\u20acb\U0001f40d", 1))
        self.assertEqual(ft.unicode_asunicode(""), ("", "", 1))
        self.assertEqual(ft.unicode_asunicode("ab\x00cd"), ("ab", "ab\x00cd", 1))
        s = "".join(chr(c) for c in range(0x3b0, 0x3c0)) * 50
        self.assertEqual(ft.unicode_asunicode(s), (s, s, 1))
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.unicode_asunicode(b"x")
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.unicode_asunicode(None)

    def test_decodecharmap(self):
        self.assertEqual(ft.unicode_decodecharmap(b"\x00\x01\x02", "xyz"), "xyz")
        self.assertEqual(ft.unicode_decodecharmap(b"\x00\x01", {0: "A", 1: 0x20AC}),
                         "A\u20ac")
        # mapping NULL means latin-1.
        self.assertEqual(ft.unicode_decodecharmap(b"\xe9", None), "\xe9")
        with self.assertRaisesRegex(UnicodeDecodeError,
                                    "'charmap' codec can't decode byte 0x05 in position 0: "
                                    "character maps to <undefined>"):
            ft.unicode_decodecharmap(b"\x05", "xyz")
        self.assertEqual(ft.unicode_decodecharmap(b"\x05", "xyz", "replace"), "\ufffd")

    def test_decodefsdefault(self):
        self.assertEqual(ft.unicode_decodefsdefault_nul(b"abc"), "abc")
        self.assertEqual(ft.unicode_decodefsdefault_nul(b""), "")
        self.assertEqual(ft.unicode_decodefsdefault_nul(b"a\xffb"),
                         b"a\xffb".decode(sys.getfilesystemencoding(), "surrogateescape"))

    def test_decodelocale(self):
        self.assertEqual(ft.unicode_decodelocale(b"abc"), "abc")
        self.assertEqual(ft.unicode_decodelocale(b"\xff", "surrogateescape"), "\udcff")
        with self.assertRaisesRegex(ValueError, "^unsupported error handler$"):
            ft.unicode_decodelocale(b"a", "bogus")

    def test_decodelocaleandsize(self):
        self.assertEqual(ft.unicode_decodelocaleandsize(b"abc"), "abc")
        self.assertEqual(ft.unicode_decodelocaleandsize(b""), "")
        with self.assertRaisesRegex(ValueError, "^embedded null byte$"):
            ft.unicode_decodelocaleandsize(b"a\x00b")

    def test_encodelocale(self):
        self.assertEqual(ft.unicode_encodelocale("abc"), b"abc")
        self.assertEqual(ft.unicode_encodelocale("a\udcff", "surrogateescape"), b"a\xff")
        with self.assertRaisesRegex(ValueError, "^embedded null character$"):
            ft.unicode_encodelocale("a\x00b")
        with self.assertRaisesRegex(ValueError, "^unsupported error handler$"):
            ft.unicode_encodelocale("a", "bogus")

    def test_decoderawunicodeescape(self):
        self.assertEqual(ft.unicode_decoderawunicodeescape(b"a\\u20ac\\n\xe9"),
                         "a\u20ac\\n\xe9")
        with self.assertRaisesRegex(UnicodeDecodeError,
                                    "'rawunicodeescape' codec can't decode bytes in "
                                    "position 0-3: truncated \\\\uXXXX escape"):
            ft.unicode_decoderawunicodeescape(b"\\u20")
        self.assertEqual(ft.unicode_decoderawunicodeescape(b"\\u20", "replace"), "\ufffd")

    def test_decodeunicodeescape(self):
        self.assertEqual(ft.unicode_decodeunicodeescape(b"a\\n\\x41\\u20ac\\N{SNAKE}"),
                         "a\nA\u20ac\U0001f40d")
        with self.assertRaisesRegex(UnicodeDecodeError,
                                    "'unicodeescape' codec can't decode bytes in "
                                    "position 0-2: truncated \\\\xXX escape"):
            ft.unicode_decodeunicodeescape(b"\\x4")
        self.assertEqual(ft.unicode_decodeunicodeescape(b"\\x4", "replace"), "\ufffd")

    def test_decodeutf16stateful(self):
        # (str, byteorder after the call, consumed); consumed stays -12345
        # when final (NULL consumed).
        self.assertEqual(ft.unicode_decodeutf16stateful(b"\xff\xfea\x00b\x00c", None,
                                                        None, False), ("ab", 0, 6))
        self.assertEqual(ft.unicode_decodeutf16stateful(b"a\x00", None, 0), ("a", 0, -12345))
        self.assertEqual(ft.unicode_decodeutf16stateful(b"\x00a", None, 1), ("a", 1, -12345))
        # A BOM sets *byteorder.
        self.assertEqual(ft.unicode_decodeutf16stateful(b"\xff\xfea\x00", None, 0),
                         ("a", -1, -12345))
        with self.assertRaisesRegex(UnicodeDecodeError,
                                    "'utf-16-le' codec can't decode byte 0x62 in "
                                    "position 2: truncated data"):
            ft.unicode_decodeutf16stateful(b"a\x00b")
        self.assertEqual(ft.unicode_decodeutf16stateful(b"a\x00b", "replace"),
                         ("a\ufffd", 0, -12345))

    def test_decodeutf32stateful(self):
        self.assertEqual(ft.unicode_decodeutf32stateful(
            b"\xff\xfe\x00\x00a\x00\x00\x00b\x00", None, 0, False), ("a", -1, 8))
        self.assertEqual(ft.unicode_decodeutf32stateful(b"\x00\x00\x00a", None, 1),
                         ("a", 1, -12345))
        with self.assertRaisesRegex(UnicodeDecodeError,
                                    "'utf-32-le' codec can't decode bytes in position "
                                    "0-3: code point not in range\\(0x110000\\)"):
            ft.unicode_decodeutf32stateful(b"\x00\x00\x11\x00", None, -1)

    def test_decodeutf7(self):
        self.assertEqual(ft.unicode_decodeutf7(b"a+IKw-b"), "a\u20acb")
        self.assertEqual(ft.unicode_decodeutf7(b"a+IKw"), "a\u20ac")
        self.assertEqual(ft.unicode_decodeutf7(b""), "")
        with self.assertRaisesRegex(UnicodeDecodeError,
                                    "'utf7' codec can't decode bytes in position 0-1: "
                                    "ill-formed sequence"):
            ft.unicode_decodeutf7(b"+\xff")

    def test_decodeutf7stateful(self):
        self.assertEqual(ft.unicode_decodeutf7stateful(b"a+IKw-b"), ("a\u20acb", 7))
        # An unterminated shift sequence is not consumed.
        self.assertEqual(ft.unicode_decodeutf7stateful(b"a+IKw"), ("a", 1))
        self.assertEqual(ft.unicode_decodeutf7stateful(b"a+IK"), ("a", 1))

    def test_getdefaultencoding(self):
        self.assertEqual(ft.unicode_getdefaultencoding(), "utf-8")

    def test_ready(self):
        self.assertEqual(ft.unicode_ready("abc"), 0)
        self.assertEqual(ft.unicode_ready(""), 0)
        self.assertEqual(ft.unicode_ready("\U0001f40d"), 0)

        class S(str):
            pass
        self.assertEqual(ft.unicode_ready(S("x")), 0)


if __name__ == "__main__":
    unittest.main()


class TestToLowercase(unittest.TestCase):
    """_PyUnicode_ToLowercase (Py_UNICODE_TOLOWER) with CPython 3.11's
    Unicode 14.0.0 database."""

    def test_samples(self):
        cases = {
            'A': 'a', 'Z': 'z', 'a': 'a', '1': '1', '\xc0': '\xe0', '\u0130': 'i',
            '\u03a3': '\u03c3', '\u1e9e': '\xdf', '\u2126': '\u03c9', '\u212a': 'k',
            '\u1f88': '\u1f80', '\u1fbc': '\u1fb3', '\U00010400': '\U00010428',
            # New in Unicode 14.0 (not in 13.0).
            '\u2c2f': '\u2c5f', '\ua7c0': '\ua7c1', '\U00010570': '\U00010597',
            '\U0001e900': '\U0001e922', '\u0100': '\u0101', '\u0101': '\u0101',
        }
        for c, lower in cases.items():
            self.assertEqual(ft.unicode_tolowercase(ord(c)), ord(lower), hex(ord(c)))
        self.assertEqual(ft.unicode_tolowercase(0x110000), 0x110000)
        self.assertEqual(ft.unicode_tolowercase(0xFFFFFFFF), 0xFFFFFFFF)

    def test_whole_table(self):
        # A digest of every code point's mapping, and how many change,
        # as CPython 3.11 computes them.
        self.assertEqual(ft.unicode_tolowercase_digest(), (0x240743EA7104D70, 1433))


WHITESPACE = [0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
              0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
              0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]


class TestWhitespace(unittest.TestCase):
    """_PyUnicode_IsWhitespace and _Py_ascii_whitespace (Py_UNICODE_ISSPACE),
    CPython 3.11's Unicode 14.0.0 database."""

    def test_samples(self):
        for c in (" ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x85", "\xa0",
                  "\u2000", "\u2028", "\u3000"):
            self.assertEqual(ft.unicode_iswhitespace(ord(c)), 1, hex(ord(c)))
        for c in ("a", "0", "\x00", "\x1b", "\x7f", "\u200b", "\ufeff", "\u180e",
                  "\U0001f40d"):
            self.assertEqual(ft.unicode_iswhitespace(ord(c)), 0, hex(ord(c)))
        self.assertEqual(ft.unicode_iswhitespace(0x110000), 0)
        self.assertEqual(ft.unicode_iswhitespace(0xFFFFFFFF), 0)

    def test_every_code_point(self):
        func, macro = ft.unicode_whitespace_all(0x110000 + 16)
        self.assertEqual(func, WHITESPACE)
        self.assertEqual(macro, WHITESPACE)

    def test_ascii_table(self):
        table = ft.unicode_ascii_whitespace()
        self.assertEqual(len(table), 128)
        self.assertEqual([i for i in range(128) if table[i]],
                         [c for c in WHITESPACE if c < 128])
        self.assertEqual(set(table), {0, 1})


# CPython 3.11's _PyUnicode_IsDigit (Unicode 14.0.0): runs of code points.
DIGIT_RUNS = [
    (0x30, 0x39), (0xB2, 0xB3), (0xB9, 0xB9), (0x660, 0x669), (0x6F0, 0x6F9), (0x7C0, 0x7C9),
    (0x966, 0x96F), (0x9E6, 0x9EF), (0xA66, 0xA6F), (0xAE6, 0xAEF), (0xB66, 0xB6F), (0xBE6, 0xBEF),
    (0xC66, 0xC6F), (0xCE6, 0xCEF), (0xD66, 0xD6F), (0xDE6, 0xDEF), (0xE50, 0xE59), (0xED0, 0xED9),
    (0xF20, 0xF29), (0x1040, 0x1049), (0x1090, 0x1099), (0x1369, 0x1371), (0x17E0, 0x17E9),
    (0x1810, 0x1819), (0x1946, 0x194F), (0x19D0, 0x19DA), (0x1A80, 0x1A89), (0x1A90, 0x1A99),
    (0x1B50, 0x1B59), (0x1BB0, 0x1BB9), (0x1C40, 0x1C49), (0x1C50, 0x1C59), (0x2070, 0x2070),
    (0x2074, 0x2079), (0x2080, 0x2089), (0x2460, 0x2468), (0x2474, 0x247C), (0x2488, 0x2490),
    (0x24EA, 0x24EA), (0x24F5, 0x24FD), (0x24FF, 0x24FF), (0x2776, 0x277E), (0x2780, 0x2788),
    (0x278A, 0x2792), (0xA620, 0xA629), (0xA8D0, 0xA8D9), (0xA900, 0xA909), (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9), (0xAA50, 0xAA59), (0xABF0, 0xABF9), (0xFF10, 0xFF19), (0x104A0, 0x104A9),
    (0x10A40, 0x10A43), (0x10D30, 0x10D39), (0x10E60, 0x10E68), (0x11052, 0x1105A),
    (0x11066, 0x1106F), (0x110F0, 0x110F9), (0x11136, 0x1113F), (0x111D0, 0x111D9),
    (0x112F0, 0x112F9), (0x11450, 0x11459), (0x114D0, 0x114D9), (0x11650, 0x11659),
    (0x116C0, 0x116C9), (0x11730, 0x11739), (0x118E0, 0x118E9), (0x11950, 0x11959),
    (0x11C50, 0x11C59), (0x11D50, 0x11D59), (0x11DA0, 0x11DA9), (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9), (0x16B50, 0x16B59), (0x1D7CE, 0x1D7FF), (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9), (0x1E950, 0x1E959), (0x1F100, 0x1F10A), (0x1FBF0, 0x1FBF9),
]


class TestIsDigit(unittest.TestCase):
    """_PyUnicode_IsDigit (Py_UNICODE_ISDIGIT): CPython 3.11's database,
    Unicode 14.0.0, whatever the host's str.isdigit knows."""

    def test_samples(self):
        for c in ("0", "9", "\u00b2", "\u0663", "\u2460", "\u2081", "\uff15",
                  "\U0001d7ce", "\U00016ac0"):   # (the last: a Tangsa digit, new in 14.0)
            self.assertEqual(ft.unicode_isdigit(ord(c)), 1, hex(ord(c)))
        for c in ("a", "/", ":", " ", "\u00bd", "\u2155", "\u4e00", "\u216b", "\U0001f40d"):
            self.assertEqual(ft.unicode_isdigit(ord(c)), 0, hex(ord(c)))
        self.assertEqual(ft.unicode_isdigit(0x110000), 0)
        self.assertEqual(ft.unicode_isdigit(0xFFFFFFFF), 0)

    def test_every_code_point(self):
        runs, macro = ft.unicode_digit_runs(0x110000 + 16)
        self.assertEqual(runs, DIGIT_RUNS)
        self.assertEqual(macro, sum(last - first + 1 for first, last in DIGIT_RUNS))


class TestFastCopyCharacters(unittest.TestCase):
    """_PyUnicode_FastCopyCharacters into a str C is filling."""

    def test_same_kind(self):
        self.assertEqual(ft.unicode_fastcopy("abcdef", 1, "XYZ", 0, 3), "aXYZef")
        self.assertEqual(ft.unicode_fastcopy("abcdef", 0, "XYZ", 1, 2), "YZcdef")
        self.assertEqual(ft.unicode_fastcopy("abcdef", 3, "XYZ", 0, 0), "abcdef")
        self.assertEqual(ft.unicode_fastcopy("\u20ac\u20ac\u20ac", 1, "\u0100\u0101", 0, 2),
                         "\u20ac\u0100\u0101")
        self.assertEqual(ft.unicode_fastcopy("\U0001f40d" * 3, 2, "\U0001f600", 0, 1),
                         "\U0001f40d\U0001f40d\U0001f600")

    def test_widening(self):
        # UCS1 (ASCII and latin-1) into UCS2 and UCS4, UCS2 into UCS4.
        self.assertEqual(ft.unicode_fastcopy("\u20acxyz", 1, "ab", 0, 2), "\u20acabz")
        self.assertEqual(ft.unicode_fastcopy("\u20acxyz", 2, "\xe9\xff", 0, 2), "\u20acx\xe9\xff")
        self.assertEqual(ft.unicode_fastcopy("\U0001f40dxyz", 1, "a\xe9", 0, 2),
                         "\U0001f40da\xe9z")
        self.assertEqual(ft.unicode_fastcopy("\U0001f40dxyz", 3, "\u20ac", 0, 1),
                         "\U0001f40dxy\u20ac")
        self.assertEqual(ft.unicode_fastcopy("\xe9bc", 1, "xy", 0, 2), "\xe9xy")

    def test_narrowing(self):
        # Characters of a wider str that fit the narrower one.
        self.assertEqual(ft.unicode_fastcopy("abcd", 1, "\u20acxy", 1, 2, 0), "axyd")
        self.assertEqual(ft.unicode_fastcopy("\xe9bcd", 0, "\U0001f40d\xe0", 1, 1, 0), "\xe0bcd")
        self.assertEqual(ft.unicode_fastcopy("\u20acbc", 1, "\U0001f40d\u0101", 1, 1, 0),
                         "\u20ac\u0101c")

    def test_within_one_str(self):
        self.assertEqual(ft.unicode_fastcopy("abcdef", 0, None, 3, 3), "defdef")
        self.assertEqual(ft.unicode_fastcopy("\u20acbcdef", 3, None, 0, 2), "\u20acbc\u20acbf")

    def test_result_is_usable(self):
        s = ft.unicode_fastcopy("hello world", 6, "there", 0, 5)
        self.assertEqual(s, "hello there")
        self.assertEqual(hash(s), hash("hello there"))
        self.assertEqual({s: 1}["hello there"], 1)
        self.assertEqual(s.upper(), "HELLO THERE")
