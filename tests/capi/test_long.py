"""int objects: PyLong_* and PyBool_FromLong (Objects/longobject.c).

C side: tests/capi/ext/long.c.
"""
import math
import re
import sys
import unittest

import _ferrytest as ft

LIMITS = ft.long_limits()
LONG_MIN, LONG_MAX = LIMITS["LONG_MIN"], LIMITS["LONG_MAX"]
ULONG_MAX = LIMITS["ULONG_MAX"]
LLONG_MIN, LLONG_MAX = LIMITS["LLONG_MIN"], LIMITS["LLONG_MAX"]
ULLONG_MAX = LIMITS["ULLONG_MAX"]
PY_SSIZE_T_MAX = LIMITS["PY_SSIZE_T_MAX"]
PY_SSIZE_T_MIN = -PY_SSIZE_T_MAX - 1

BADCALL = "bad argument to internal function"
HUGE = 7**200

SIGNED_EDGES = [0, 1, -1, 2**31 - 1, -2**31, 2**31, 2**32, 2**62,
                LONG_MAX, LONG_MIN]


class Index:
    """Has __index__ only: accepted by PyLong_As* since 3.10."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


class IntOnly:
    """Has __int__ but not __index__: rejected by PyLong_As* in 3.10+."""

    def __int__(self):
        return 5


class FloatOnly:
    def __float__(self):
        return 2.5


class TestLimits(unittest.TestCase):

    def test_lp64(self):
        self.assertEqual(LONG_MAX, 2**63 - 1)
        self.assertEqual(LONG_MIN, -2**63)
        self.assertEqual(ULONG_MAX, 2**64 - 1)
        self.assertEqual(LLONG_MAX, 2**63 - 1)
        self.assertEqual(ULLONG_MAX, 2**64 - 1)
        self.assertEqual(PY_SSIZE_T_MAX, 2**63 - 1)


class TestFromC(unittest.TestCase):

    def test_fromlong(self):
        for v in SIGNED_EDGES:
            r = ft.long_fromlong(v)
            self.assertEqual(r, v)
            self.assertIs(type(r), int)

    def test_fromunsignedlong(self):
        for v in (0, 1, 2**32, 2**63, ULONG_MAX):
            self.assertEqual(ft.long_fromunsignedlong(v), v)

    def test_fromssize_t(self):
        for v in (0, -1, PY_SSIZE_T_MAX, PY_SSIZE_T_MIN, 2**40):
            self.assertEqual(ft.long_fromssize_t(v), v)

    def test_fromsize_t(self):
        for v in (0, 1, 2**63, 2**64 - 1):
            self.assertEqual(ft.long_fromsize_t(v), v)

    def test_fromlonglong(self):
        for v in (0, -1, LLONG_MAX, LLONG_MIN, 2**40, -2**40):
            self.assertEqual(ft.long_fromlonglong(v), v)

    def test_fromunsignedlonglong(self):
        for v in (0, 1, 2**63, ULLONG_MAX):
            self.assertEqual(ft.long_fromunsignedlonglong(v), v)

    def test_fromdouble(self):
        self.assertEqual(ft.long_fromdouble(0.0), 0)
        self.assertEqual(ft.long_fromdouble(-0.0), 0)
        self.assertEqual(ft.long_fromdouble(1.9), 1)
        self.assertEqual(ft.long_fromdouble(-1.9), -1)
        self.assertEqual(ft.long_fromdouble(1e20), 100000000000000000000)
        self.assertEqual(ft.long_fromdouble(2.0**63), 2**63)
        self.assertEqual(ft.long_fromdouble(-2.0**64), -2**64)
        self.assertEqual(ft.long_fromdouble(1e300), int(1e300))

    def test_fromdouble_errors(self):
        with self.assertRaisesRegex(OverflowError,
                                    "cannot convert float infinity to integer"):
            ft.long_fromdouble(math.inf)
        with self.assertRaisesRegex(OverflowError,
                                    "cannot convert float infinity to integer"):
            ft.long_fromdouble(-math.inf)
        with self.assertRaisesRegex(ValueError,
                                    "cannot convert float NaN to integer"):
            ft.long_fromdouble(math.nan)

    def test_bool_type_sizes(self):
        # As Cython's import-time check reads them: basicsize is
        # sizeof(PyLongObject), itemsize int's (inherited).
        same, itemsize, basicsize = ft.bool_type_sizes()
        self.assertEqual((same, itemsize, basicsize), (1, 4, 32))

    def test_bool_fromlong(self):
        self.assertIs(ft.bool_fromlong(0), False)
        self.assertIs(ft.bool_fromlong(1), True)
        self.assertIs(ft.bool_fromlong(-1), True)
        self.assertIs(ft.bool_fromlong(LONG_MIN), True)


class TestMany(unittest.TestCase):

    def test_rounds_of_the_same_values(self):
        # More values than ferry's table of recent ints, made and kept, then
        # made again in the other order: each keeps its value.
        for base in (1000, -(2**40), 2**62):
            self.assertEqual(ft.long_rounds(base, 300, 3),
                             [base + i for i in range(300)] + [base + i for i in reversed(range(300))]
                             + [base + i for i in range(300)])

    def test_passed_back_and_forth(self):
        values = [12345, -12345, 2**63 - 1, -2**63, 10**6]
        for _ in range(3):
            self.assertEqual([ft.long_fromlong(v) for v in values], values)


class TestFromString(unittest.TestCase):

    def test_decimal(self):
        self.assertEqual(ft.long_fromstring(b"0", 10), (0, 1))
        self.assertEqual(ft.long_fromstring(b"-17", 10), (-17, 3))
        self.assertEqual(ft.long_fromstring(b"  +42  ", 10), (42, 7))
        self.assertEqual(ft.long_fromstring(b"1_000", 10), (1000, 5))
        big = str(HUGE).encode()
        self.assertEqual(ft.long_fromstring(big, 10), (HUGE, len(big)))

    def test_bases(self):
        self.assertEqual(ft.long_fromstring(b"ff", 16), (255, 2))
        self.assertEqual(ft.long_fromstring(b"0xff", 16), (255, 4))
        self.assertEqual(ft.long_fromstring(b"0o17", 0), (15, 4))
        self.assertEqual(ft.long_fromstring(b"0b101", 0), (5, 5))
        self.assertEqual(ft.long_fromstring(b"0x_1f", 0), (31, 5))
        self.assertEqual(ft.long_fromstring(b"z", 36), (35, 1))
        self.assertEqual(ft.long_fromstring(b"-ZZ", 36), (-1295, 3))
        self.assertEqual(ft.long_fromstring(b"0", 0), (0, 1))
        self.assertEqual(ft.long_fromstring(b"00", 0), (0, 2))

    def test_pend_null(self):
        self.assertEqual(ft.long_fromstring_noend(b"123", 10), 123)
        with self.assertRaises(ValueError):
            ft.long_fromstring_noend(b"12x", 10)

    def test_errors(self):
        with self.assertRaisesRegex(
                ValueError, r"invalid literal for int\(\) with base 10: 'abc'"):
            ft.long_fromstring(b"abc", 10)
        with self.assertRaisesRegex(
                ValueError, r"invalid literal for int\(\) with base 10: ''"):
            ft.long_fromstring(b"", 10)
        with self.assertRaisesRegex(
                ValueError, r"invalid literal for int\(\) with base 0: '010'"):
            ft.long_fromstring(b"010", 0)
        with self.assertRaisesRegex(
                ValueError, r"invalid literal for int\(\) with base 10: '1__0'"):
            ft.long_fromstring(b"1__0", 10)
        with self.assertRaisesRegex(
                ValueError, "int\\(\\) arg 2 must be >= 2 and <= 36"):
            ft.long_fromstring(b"1", 37)
        with self.assertRaisesRegex(
                ValueError, "int\\(\\) arg 2 must be >= 2 and <= 36"):
            ft.long_fromstring(b"1", 1)

    def test_trailing_garbage(self):
        # The whole string must be a number even when pend is given.
        with self.assertRaises(ValueError):
            ft.long_fromstring(b"12 34", 10)

    def test_fromunicodeobject(self):
        self.assertEqual(ft.long_fromunicodeobject("123", 10), 123)
        self.assertEqual(ft.long_fromunicodeobject(" -7 ", 10), -7)
        # Unicode decimal digits are accepted.
        self.assertEqual(ft.long_fromunicodeobject("\u0661\u0662", 10), 12)
        self.assertEqual(ft.long_fromunicodeobject("\uff11\uff10", 10), 10)
        self.assertEqual(ft.long_fromunicodeobject("7f", 16), 127)
        with self.assertRaisesRegex(
                ValueError, r"invalid literal for int\(\) with base 10: 'caf\xe9'"):
            ft.long_fromunicodeobject("caf\xe9", 10)
        with self.assertRaises(ValueError):
            ft.long_fromunicodeobject("\U0001f40d", 10)
        for text, base, value in [("0", 10, 0), ("+0012", 10, 12), ("1_000", 10, 1000), ("0x1F", 16, 31),
                                  ("0x1f", 0, 31), ("0b101", 0, 5), ("0o17", 8, 15), ("z", 36, 35),
                                  ("\t-98765432109876543210\n", 10, -98765432109876543210),
                                  ("9" * 4300, 10, int("9" * 4300))]:
            self.assertEqual(ft.long_fromunicodeobject(text, base), value, text)
        for text, base in [("", 10), ("  ", 10), ("1 2", 10), ("1__0", 10), ("_1", 10), ("1_", 10),
                           ("12\x00", 10), ("0x", 16), ("08", 0), ("2", 2), ("1.5", 10), ("x" * 300, 10),
                           ("\x1c5", 10), ("5\x1f", 10)]:
            with self.assertRaisesRegex(ValueError, "^invalid literal for int\\(\\) with base %d: %s$"
                                        % (base, re.escape(repr(text)[:200]))):
                ft.long_fromunicodeobject(text, base)
        with self.assertRaisesRegex(ValueError, "^int\\(\\) arg 2 must be >= 2 and <= 36$"):
            ft.long_fromunicodeobject("1", 37)
        with self.assertRaisesRegex(ValueError, "Exceeds the limit"):
            ft.long_fromunicodeobject("9" * 4301, 10)


class TestAsLong(unittest.TestCase):

    def test_aslong(self):
        for v in SIGNED_EDGES[:3] + [2**31, LONG_MAX, LONG_MIN]:
            self.assertEqual(ft.long_aslong(v), v)
        self.assertEqual(ft.long_aslong(True), 1)
        self.assertEqual(ft.long_aslong(Index(-9)), -9)

    def test_aslong_overflow(self):
        for v in (LONG_MAX + 1, LONG_MIN - 1, 2**64, HUGE, -HUGE):
            with self.assertRaisesRegex(OverflowError,
                                        "Python int too large to convert to C long"):
                ft.long_aslong(v)

    def test_aslong_type_errors(self):
        with self.assertRaisesRegex(TypeError,
                                    "'float' object cannot be interpreted as an integer"):
            ft.long_aslong(1.0)
        with self.assertRaisesRegex(TypeError,
                                    "'str' object cannot be interpreted as an integer"):
            ft.long_aslong("1")
        with self.assertRaises(TypeError):
            ft.long_aslong(IntOnly())
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.long_aslong(None)

    def test_aslong_index_errors(self):
        with self.assertRaisesRegex(TypeError,
                                    r"__index__ returned non-int \(type str\)"):
            ft.long_aslong(Index("x"))

        class Raises:
            def __index__(self):
                raise KeyError("index")
        with self.assertRaises(KeyError):
            ft.long_aslong(Raises())

    def test_aslongandoverflow(self):
        self.assertEqual(ft.long_aslongandoverflow(5), (5, 0))
        self.assertEqual(ft.long_aslongandoverflow(-1), (-1, 0))
        self.assertEqual(ft.long_aslongandoverflow(LONG_MAX), (LONG_MAX, 0))
        self.assertEqual(ft.long_aslongandoverflow(LONG_MIN), (LONG_MIN, 0))
        self.assertEqual(ft.long_aslongandoverflow(LONG_MAX + 1), (-1, 1))
        self.assertEqual(ft.long_aslongandoverflow(LONG_MIN - 1), (-1, -1))
        self.assertEqual(ft.long_aslongandoverflow(HUGE), (-1, 1))
        self.assertEqual(ft.long_aslongandoverflow(-HUGE), (-1, -1))
        self.assertEqual(ft.long_aslongandoverflow(Index(2**70)), (-1, 1))
        with self.assertRaises(TypeError):
            ft.long_aslongandoverflow(1.5)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.long_aslongandoverflow(None)

    def test_aslonglong(self):
        for v in (0, -1, LLONG_MAX, LLONG_MIN, 2**40):
            self.assertEqual(ft.long_aslonglong(v), v)
        self.assertEqual(ft.long_aslonglong(Index(3)), 3)
        with self.assertRaisesRegex(OverflowError,
                                    "int too big to convert"):
            ft.long_aslonglong(2**63)
        with self.assertRaises(OverflowError):
            ft.long_aslonglong(-2**63 - 1)
        with self.assertRaises(TypeError):
            ft.long_aslonglong(1.0)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.long_aslonglong(None)

    def test_aslonglongandoverflow(self):
        self.assertEqual(ft.long_aslonglongandoverflow(LLONG_MAX), (LLONG_MAX, 0))
        self.assertEqual(ft.long_aslonglongandoverflow(LLONG_MAX + 1), (-1, 1))
        self.assertEqual(ft.long_aslonglongandoverflow(LLONG_MIN - 1), (-1, -1))
        self.assertEqual(ft.long_aslonglongandoverflow(0), (0, 0))

    def test_asunsignedlong(self):
        for v in (0, 1, 2**63, ULONG_MAX):
            self.assertEqual(ft.long_asunsignedlong(v), v)
        with self.assertRaisesRegex(OverflowError,
                                    "can't convert negative value to unsigned int"):
            ft.long_asunsignedlong(-1)
        with self.assertRaisesRegex(
                OverflowError,
                "Python int too large to convert to C unsigned long"):
            ft.long_asunsignedlong(2**64)
        # Only int (no __index__) is accepted.
        with self.assertRaisesRegex(TypeError, "an integer is required"):
            ft.long_asunsignedlong(Index(1))
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.long_asunsignedlong(None)

    def test_asunsignedlonglong(self):
        for v in (0, 1, 2**63, ULLONG_MAX):
            self.assertEqual(ft.long_asunsignedlonglong(v), v)
        with self.assertRaisesRegex(OverflowError,
                                    "can't convert negative int to unsigned"):
            ft.long_asunsignedlonglong(-1)
        with self.assertRaisesRegex(OverflowError, "int too big to convert"):
            ft.long_asunsignedlonglong(2**64)
        with self.assertRaises(TypeError):
            ft.long_asunsignedlonglong(1.0)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.long_asunsignedlonglong(None)

    def test_asunsignedlongmask(self):
        self.assertEqual(ft.long_asunsignedlongmask(-1), ULONG_MAX)
        self.assertEqual(ft.long_asunsignedlongmask(2**64 + 5), 5)
        self.assertEqual(ft.long_asunsignedlongmask(-2**64 - 1), ULONG_MAX)
        self.assertEqual(ft.long_asunsignedlongmask(Index(-2)), ULONG_MAX - 1)
        self.assertEqual(ft.long_asunsignedlongmask(HUGE), HUGE % 2**64)
        self.assertEqual(ft.long_asunsignedlonglongmask(-HUGE), -HUGE % 2**64)
        self.assertEqual(ft.long_asunsignedlonglongmask(2**64), 0)
        with self.assertRaises(TypeError):
            ft.long_asunsignedlongmask(1.0)

    def test_asssize_t(self):
        for v in (0, -1, PY_SSIZE_T_MAX, PY_SSIZE_T_MIN):
            self.assertEqual(ft.long_asssize_t(v), v)
        with self.assertRaisesRegex(
                OverflowError, "Python int too large to convert to C ssize_t"):
            ft.long_asssize_t(PY_SSIZE_T_MAX + 1)
        with self.assertRaises(OverflowError):
            ft.long_asssize_t(PY_SSIZE_T_MIN - 1)
        # Only int (no __index__) is accepted.
        with self.assertRaisesRegex(TypeError, "an integer is required"):
            ft.long_asssize_t(Index(1))
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.long_asssize_t(None)

    def test_assize_t(self):
        for v in (0, 2**63, 2**64 - 1):
            self.assertEqual(ft.long_assize_t(v), v)
        with self.assertRaisesRegex(OverflowError,
                                    "can't convert negative value to size_t"):
            ft.long_assize_t(-1)
        with self.assertRaisesRegex(
                OverflowError, "Python int too large to convert to C size_t"):
            ft.long_assize_t(2**64)
        with self.assertRaises(TypeError):
            ft.long_assize_t(Index(1))

    def test_asdouble(self):
        self.assertEqual(ft.long_asdouble(0), 0.0)
        self.assertEqual(ft.long_asdouble(-3), -3.0)
        self.assertEqual(ft.long_asdouble(2**53 + 1), float(2**53 + 1))
        self.assertEqual(ft.long_asdouble(10**308), 1e308)
        with self.assertRaisesRegex(OverflowError,
                                    "int too large to convert to float"):
            ft.long_asdouble(10**400)
        with self.assertRaisesRegex(TypeError, "an integer is required"):
            ft.long_asdouble(1.5)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.long_asdouble(None)


class TestPointers(unittest.TestCase):

    def test_roundtrip(self):
        self.assertEqual(ft.long_voidptr_roundtrip(), (1, 1))

    def test_fromvoidptr(self):
        self.assertEqual(ft.long_fromvoidptr(0), 0)
        self.assertEqual(ft.long_fromvoidptr(0x1000), 0x1000)
        # Addresses are unsigned.
        self.assertEqual(ft.long_fromvoidptr(2**64 - 8), 2**64 - 8)

    def test_asvoidptr(self):
        self.assertEqual(ft.long_asvoidptr(0x1000), 0x1000)
        self.assertEqual(ft.long_asvoidptr(2**64 - 8), 2**64 - 8)
        # Negative values are accepted as signed addresses.
        self.assertEqual(ft.long_asvoidptr(-8), 2**64 - 8)
        with self.assertRaises(OverflowError):
            ft.long_asvoidptr(2**64)
        with self.assertRaises(TypeError):
            ft.long_asvoidptr(1.5)


class TestPrivateHelpers(unittest.TestCase):

    def test_sign(self):
        self.assertEqual(ft.long_sign(0), 0)
        self.assertEqual(ft.long_sign(5), 1)
        self.assertEqual(ft.long_sign(-HUGE), -1)
        self.assertEqual(ft.long_sign(False), 0)

    def test_numbits(self):
        for v in (0, 1, -1, 255, 256, -256, 2**63, HUGE):
            self.assertEqual(ft.long_numbits(v), v.bit_length())

    def test_asbytearray(self):
        self.assertEqual(ft.long_asbytearray(1, 4, True, False), b"\x01\0\0\0")
        self.assertEqual(ft.long_asbytearray(1, 4, False, False), b"\0\0\0\x01")
        self.assertEqual(ft.long_asbytearray(-1, 3, True, True), b"\xff\xff\xff")
        self.assertEqual(ft.long_asbytearray(HUGE, 80, True, False),
                         HUGE.to_bytes(80, "little"))
        with self.assertRaisesRegex(OverflowError, "int too big to convert"):
            ft.long_asbytearray(256, 1, True, False)
        with self.assertRaisesRegex(OverflowError,
                                    "can't convert negative int to unsigned"):
            ft.long_asbytearray(-1, 4, True, False)

    def test_frombytearray(self):
        self.assertEqual(ft.long_frombytearray(b"\x01\x02", True, False), 0x201)
        self.assertEqual(ft.long_frombytearray(b"\x01\x02", False, False), 0x102)
        self.assertEqual(ft.long_frombytearray(b"\xff\xff", True, True), -1)
        self.assertEqual(ft.long_frombytearray(b"", True, True), 0)
        data = HUGE.to_bytes(80, "big")
        self.assertEqual(ft.long_frombytearray(data, False, False), HUGE)

    def test_getinfo(self):
        info = ft.long_getinfo()
        self.assertEqual(tuple(info)[:2], tuple(__import__("sys").int_info)[:2])



class TestPrivateLong(unittest.TestCase):

    def test_asint_private(self):
        self.assertEqual(ft.long_asint_private(2**31 - 1), 2**31 - 1)
        self.assertEqual(ft.long_asint_private(-2**31), -2**31)
        self.assertEqual(ft.long_asint_private(True), 1)

        class Idx:
            def __index__(self):
                return 7
        self.assertEqual(ft.long_asint_private(Idx()), 7)
        for v in (2**31, -2**31 - 1, 2**100):
            with self.assertRaisesRegex(OverflowError,
                                        "^Python int too large to convert to C int$"):
                ft.long_asint_private(v)
        with self.assertRaisesRegex(TypeError,
                                    "^'float' object cannot be interpreted as an integer$"):
            ft.long_asint_private(1.5)

    def test_copy(self):
        # The copy is an exact int of the same value.
        self.assertEqual(ft.long_copy(True), (1, 1))
        self.assertEqual(ft.long_copy(2**100), (2**100, 1))
        self.assertEqual(ft.long_copy(-5), (-5, 1))
        self.assertEqual(ft.long_copy(0), (0, 1))

        class MyInt(int):
            pass
        c, exact = ft.long_copy(MyInt(-2**70))
        self.assertEqual((c, exact, type(c)), (-2**70, 1, int))

    def test_new(self):
        # Digits are 30 bits, least significant first.
        self.assertEqual(ft.long_new_digits(()), 0)
        self.assertEqual(ft.long_new_digits((5,)), 5)
        self.assertEqual(ft.long_new_digits((1, 2)), 1 + (2 << 30))
        self.assertEqual(ft.long_new_digits((1, 2), True), -(1 + (2 << 30)))
        self.assertIsNone(ft.long_new_size(0))
        with self.assertRaisesRegex(OverflowError, "^too many digits in integer$"):
            ft.long_new_size(sys.maxsize)


if __name__ == "__main__":
    unittest.main()
