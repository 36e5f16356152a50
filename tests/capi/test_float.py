"""float objects: PyFloat_* (Objects/floatobject.c) and the PyOS_ number
conversions (Python/pystrtod.c).

C side: tests/capi/ext/float.c.
"""
import math
import re
import struct
import sys
import unittest

import _ferrytest as ft

INF, NAN = math.inf, math.nan
EDGES = [0.0, -0.0, 1.0, -1.5, 0.1, 1e-320, 5e-324, sys.float_info.max,
         sys.float_info.min, INF, -INF]
FLAGS = ft.os_double_to_string_flags()


class Index:
    def __index__(self):
        return 7


class Floaty:
    def __float__(self):
        return 2.5


class BadFloat:
    def __float__(self):
        return "nope"


def same(a, b):
    """Equal including the sign of zero and NaN-ness."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1, a) == math.copysign(1, b)


class TestFloat(unittest.TestCase):

    def test_fromdouble(self):
        for v in EDGES:
            r = ft.float_fromdouble(v)
            self.assertIs(type(r), float)
            self.assertTrue(same(r, v), v)
        self.assertTrue(math.isnan(ft.float_fromdouble(NAN)))

    def test_asdouble(self):
        for v in EDGES:
            self.assertTrue(same(ft.float_asdouble(v), v), v)
        self.assertEqual(ft.float_asdouble(3), 3.0)
        self.assertEqual(ft.float_asdouble(True), 1.0)
        self.assertEqual(ft.float_asdouble(2**53 + 1), float(2**53 + 1))
        self.assertEqual(ft.float_asdouble(Floaty()), 2.5)
        self.assertEqual(ft.float_asdouble(Index()), 7.0)

    def test_asdouble_errors(self):
        with self.assertRaisesRegex(TypeError, "^must be real number, not str$"):
            ft.float_asdouble("1.5")
        with self.assertRaisesRegex(OverflowError, "int too large to convert to float"):
            ft.float_asdouble(2**2000)
        with self.assertRaisesRegex(TypeError,
                                    r"BadFloat.__float__ returned non-float \(type str\)"):
            ft.float_asdouble(BadFloat())
        with self.assertRaisesRegex(TypeError, "bad argument type for built-in operation"):
            ft.float_asdouble(None)

    def test_as_double_macro(self):
        for v in EDGES:
            self.assertTrue(same(ft.float_as_double_macro(v), v), v)

        class F(float):
            pass
        self.assertEqual(ft.float_as_double_macro(F(1.25)), 1.25)

    def test_crossing_again(self):
        # The same values cross again and again (ferry keeps a while the
        # proxies of floats C let go, more of them than it keeps): each is
        # read as it is, 0.0 and -0.0 and nans of other bits apart.
        nan2 = struct.unpack("<d", struct.pack("<Q", 0x7ff8000000000001))[0]
        values = EDGES + [NAN, nan2] + [i / 7 for i in range(600)]
        bits = lambda x: struct.pack("<d", x)
        for _ in range(3):
            for v in values:
                self.assertEqual(bits(ft.float_as_double_macro(v)), bits(v), v)
        # One found again and then held by C outlives the call, and is let go.
        for v in (1.5, -0.0, 2 / 7):
            ft.float_as_double_macro(v)
            ft.keep(v)
            for w in values:
                ft.float_as_double_macro(w)
            self.assertEqual(bits(ft.kept(True)), bits(v))

    def test_fromstring(self):
        self.assertEqual(ft.float_fromstring("1.5"), 1.5)
        self.assertEqual(ft.float_fromstring(" -2e3 "), -2000.0)
        self.assertEqual(ft.float_fromstring(b"2"), 2.0)
        self.assertEqual(ft.float_fromstring(bytearray(b"3")), 3.0)
        self.assertEqual(ft.float_fromstring("1_0.5"), 10.5)
        self.assertEqual(ft.float_fromstring("\u0661.5"), 1.5)
        self.assertEqual(ft.float_fromstring("-inf"), -INF)
        self.assertTrue(math.isnan(ft.float_fromstring("nan")))
        self.assertTrue(same(ft.float_fromstring("-0"), -0.0))
        self.assertEqual(ft.float_fromstring("\t+1.25e-2\n\x0b\x0c\r "), 0.0125)
        self.assertEqual(ft.float_fromstring(" Infinity"), INF)
        self.assertEqual(ft.float_fromstring("-iNF "), -INF)
        self.assertTrue(math.isnan(ft.float_fromstring("-NaN")))
        self.assertEqual(ft.float_fromstring("1e999"), INF)
        self.assertTrue(same(ft.float_fromstring("-1e-999"), -0.0))
        self.assertEqual(ft.float_fromstring(".5"), 0.5)
        self.assertEqual(ft.float_fromstring("5."), 5.0)
        self.assertEqual(ft.float_fromstring(b" 7.5e1 "), 75.0)
        self.assertEqual(ft.float_fromstring("0.1"), 0.1)
        self.assertEqual(ft.float_fromstring("2.2250738585072014e-308"), 2.2250738585072014e-308)
        self.assertEqual(ft.float_fromstring("\uff11.\uff15"), 1.5)

    def test_fromstring_errors(self):
        with self.assertRaisesRegex(ValueError,
                                    "^could not convert string to float: 'x'$"):
            ft.float_fromstring("x")
        with self.assertRaisesRegex(ValueError,
                                    "^could not convert string to float: ''$"):
            ft.float_fromstring("")
        for bad in ("   ", "1.5\x00", "1.5 x", "1e", "e5", "--1", "0x10", "in f", "nan(1)", "1__0",
                    "_1", b"", b" ", b"1,5", "1.5\xa0x", "\x1c1.5", "1.5\x1f"):
            with self.assertRaisesRegex(ValueError,
                                        "^could not convert string to float: %s$" % re.escape(repr(bad))):
                ft.float_fromstring(bad)
        with self.assertRaisesRegex(
                TypeError,
                r"^float\(\) argument must be a string or a real number, not 'int'$"):
            ft.float_fromstring(1)

    def test_limits_and_info(self):
        self.assertEqual(ft.float_limits(), (sys.float_info.max, sys.float_info.min))
        self.assertEqual(tuple(ft.float_getinfo()), tuple(sys.float_info))

    def test_pack_unpack(self):
        for size, fmt in ((2, "e"), (4, "f"), (8, "d")):
            for v in (0.0, -0.0, 1.5, -2.25, INF, -INF, 65504.0 if size == 2 else 1e30):
                for le in (True, False):
                    packed = ft.float_pack(size, v, le)
                    expected = struct.pack(("<" if le else ">") + fmt, v)
                    self.assertEqual(packed, expected, (size, v, le))
                    back = struct.unpack(("<" if le else ">") + fmt, expected)[0]
                    self.assertTrue(same(ft.float_unpack(packed, le), back))
            nan = ft.float_unpack(ft.float_pack(size, NAN, True), True)
            self.assertTrue(math.isnan(nan))

    def test_pack_overflow(self):
        with self.assertRaisesRegex(OverflowError,
                                    "float too large to pack with e format"):
            ft.float_pack(2, 1e10, True)
        with self.assertRaisesRegex(OverflowError,
                                    "float too large to pack with f format"):
            ft.float_pack(4, 1e300, False)


class TestPyOSConversions(unittest.TestCase):

    def test_flag_values(self):
        self.assertEqual(FLAGS, {"Py_DTSF_SIGN": 1, "Py_DTSF_ADD_DOT_0": 2,
                                 "Py_DTSF_ALT": 4, "Py_DTSF_NO_NEG_0": 8,
                                 "Py_DTST_FINITE": 0, "Py_DTST_INFINITE": 1,
                                 "Py_DTST_NAN": 2})

    def test_double_to_string_repr(self):
        for v in (1.5, 0.1, 1e22, 1e-7, 123456789.0, 2**0.5):
            self.assertEqual(ft.os_double_to_string(v, "r", 0, FLAGS["Py_DTSF_ADD_DOT_0"]),
                             (repr(v), 0))
        self.assertEqual(ft.os_double_to_string(-0.0, "r", 0, 0), ("-0", 0))
        self.assertEqual(ft.os_double_to_string(-0.0, "r", 0, FLAGS["Py_DTSF_NO_NEG_0"]),
                         ("0", 0))
        self.assertEqual(ft.os_double_to_string(1.0, "r", 0,
                                                FLAGS["Py_DTSF_SIGN"]
                                                | FLAGS["Py_DTSF_ADD_DOT_0"]),
                         ("+1.0", 0))

    def test_double_to_string_formats(self):
        self.assertEqual(ft.os_double_to_string(1 / 3, "g", 6, 0), ("0.333333", 0))
        self.assertEqual(ft.os_double_to_string(1 / 3, "e", 3, 0), ("3.333e-01", 0))
        self.assertEqual(ft.os_double_to_string(1234.5, "f", 2, 0), ("1234.50", 0))
        self.assertEqual(ft.os_double_to_string(2.5, "f", 0, 0), ("2", 0))
        self.assertEqual(ft.os_double_to_string(1.0, "g", 5, FLAGS["Py_DTSF_ALT"]),
                         ("1.0000", 0))

    def test_double_to_string_special(self):
        self.assertEqual(ft.os_double_to_string(INF, "r", 0, 0), ("inf", 1))
        self.assertEqual(ft.os_double_to_string(-INF, "f", 2, 0), ("-inf", 1))
        self.assertEqual(ft.os_double_to_string(NAN, "r", 0, 0), ("nan", 2))

    def test_double_to_string_bad_code(self):
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.os_double_to_string(1.0, "x", 0, 0)

    def test_string_to_double(self):
        self.assertEqual(ft.os_string_to_double(b"1.5", None, False), (1.5, -1))
        self.assertEqual(ft.os_string_to_double(b"1.5xyz", None, True), (1.5, 3))
        self.assertEqual(ft.os_string_to_double(b"-inf", None, False), (-INF, -1))
        self.assertEqual(ft.os_string_to_double(b"0x10", None, True), (0.0, 1))
        v, n = ft.os_string_to_double(b"nan", None, False)
        self.assertTrue(math.isnan(v))

    def test_string_to_double_overflow(self):
        self.assertEqual(ft.os_string_to_double(b"1e500", None, False), (INF, -1))
        self.assertEqual(ft.os_string_to_double(b"-1e500", None, True), (-INF, 6))
        with self.assertRaisesRegex(OverflowError,
                                    "^value too large to convert to float: '1e500'$"):
            ft.os_string_to_double(b"1e500", OverflowError, False)

    def test_string_to_double_errors(self):
        for data, use_end in ((b"1.5xyz", False), (b"", True), (b"  1.5", True)):
            with self.assertRaisesRegex(ValueError,
                                        "^could not convert string to float: "):
                ft.os_string_to_double(data, None, use_end)


class TestHashDouble(unittest.TestCase):

    def test_matches_hash(self):
        values = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 1e-300, 5e-324, 1e300, -1.7976931348623157e308,
                  math.pi, 2.0 ** 61 - 1, 2.0 ** 61, 2.0 ** 62 + 2 ** 10, 1 / 3,
                  float("inf"), float("-inf")]
        for x in values:
            self.assertEqual(ft.float_hashdouble(x), hash(x), x)
        # hash() never gives -1 (the error value): -1.0 hashes to -2.
        self.assertEqual(ft.float_hashdouble(-1.0), -2)
        # Equal numbers hash alike across types.
        self.assertEqual(ft.float_hashdouble(2.0 ** 70), hash(2 ** 70))

    def test_nan_hashes_by_identity(self):
        self.assertIs(ft.float_hashdouble_nan(float("nan")), True)
        self.assertIs(ft.float_hashdouble_nan(object()), True)


if __name__ == "__main__":
    unittest.main()
