"""PyOS_strtoul and PyOS_strtol (Python/mystrtoul.c).

C side: tests/capi/ext/mystrtoul.c. Each call answers (value, characters
consumed, errno == ERANGE).
"""
import unittest

import _ferrytest as ft

ULONG_MAX = 2**64 - 1
LONG_MAX = 2**63 - 1
LONG_MIN = -2**63


class TestStrtoul(unittest.TestCase):

    def check(self, s, base, expected):
        self.assertEqual(ft.os_strtoul(s, base), expected, (s, base))
        self.assertEqual(ft.os_strtoul(s, base, False), (expected[0], None, expected[2]))

    def test_decimal(self):
        self.check(b"123", 10, (123, 3, 0))
        self.check(b"\t\n 7", 10, (7, 4, 0))
        self.check(b"123abc", 10, (123, 3, 0))
        self.check(b"", 10, (0, 0, 0))
        self.check(b"x", 10, (0, 0, 0))
        self.check(b"000123", 10, (123, 6, 0))

    def test_no_sign(self):
        self.check(b"-42", 0, (0, 0, 0))
        self.check(b"+42", 10, (0, 0, 0))

    def test_base_zero_prefixes(self):
        self.check(b"0x1F", 0, (31, 4, 0))
        self.check(b"0X1f", 0, (31, 4, 0))
        self.check(b"0o17", 0, (15, 4, 0))
        self.check(b"0O7", 0, (7, 3, 0))
        self.check(b"0b101", 0, (5, 5, 0))
        self.check(b"0B1", 0, (1, 3, 0))
        self.check(b"42", 0, (42, 2, 0))
        self.check(b"1_000", 0, (1, 1, 0))

    def test_prefix_without_digit(self):
        # 0 is read, the conversion stops at the prefix's letter.
        self.check(b"0x", 0, (0, 1, 0))
        self.check(b"0xg", 16, (0, 1, 0))
        self.check(b"0o8", 0, (0, 1, 0))
        self.check(b"0b2", 2, (0, 1, 0))
        self.check(b"0b2", 0, (0, 1, 0))

    def test_leading_zero_in_base_zero(self):
        # Only zeros may follow a leading 0 (no old-style octal); whitespace
        # after them is consumed too.
        self.check(b"012", 0, (0, 1, 0))
        self.check(b"00  ", 0, (0, 4, 0))
        self.check(b"0", 0, (0, 1, 0))
        self.check(b"0 1", 0, (0, 2, 0))

    def test_explicit_bases(self):
        self.check(b"0x10", 16, (16, 4, 0))
        self.check(b"ff", 16, (255, 2, 0))
        self.check(b"777", 8, (511, 3, 0))
        self.check(b"08", 8, (0, 1, 0))
        self.check(b"0o7", 8, (7, 3, 0))
        self.check(b"0b11", 2, (3, 4, 0))
        self.check(b"zz", 36, (1295, 2, 0))
        self.check(b"ZZ", 36, (1295, 2, 0))
        self.check(b"19", 9, (1, 1, 0))

    def test_bad_bases(self):
        for base in (1, 37, -1, 100):
            with self.subTest(base=base):
                self.check(b"12", base, (0, 0, 0))
        self.check(b"  12", 1, (0, 2, 0))

    def test_overflow(self):
        self.check(b"18446744073709551615", 10, (ULONG_MAX, 20, 0))
        self.check(b"18446744073709551616", 10, (ULONG_MAX, 20, 1))
        self.check(b"99999999999999999999999x", 10, (ULONG_MAX, 23, 1))
        self.check(b"0x" + b"f" * 16, 0, (ULONG_MAX, 18, 0))
        self.check(b"0x1" + b"0" * 16, 0, (ULONG_MAX, 19, 1))
        self.check(b"1" * 64, 2, (ULONG_MAX, 64, 0))
        self.check(b"1" * 65 + b"2", 2, (ULONG_MAX, 65, 1))
        self.check(b"0" * 30 + b"18446744073709551615", 10, (ULONG_MAX, 50, 0))
        self.check(b"3w5e11264sgsg", 36, (ULONG_MAX, 13, 1))
        self.check(b"3w5e11264sgsf", 36, (ULONG_MAX, 13, 0))


class TestStrtol(unittest.TestCase):

    def check(self, s, base, expected):
        self.assertEqual(ft.os_strtol(s, base), expected, (s, base))
        self.assertEqual(ft.os_strtol(s, base, False), (expected[0], None, expected[2]))

    def test_signs(self):
        self.check(b"  -42xyz", 0, (-42, 5, 0))
        self.check(b"+17", 10, (17, 3, 0))
        self.check(b"-0x10", 0, (-16, 5, 0))
        # Whitespace after the sign is skipped by strtoul.
        self.check(b"+ 5", 10, (5, 3, 0))
        self.check(b"- 5", 10, (-5, 3, 0))
        # A sign alone: consumed, value 0.
        self.check(b"-", 10, (0, 1, 0))
        self.check(b"", 10, (0, 0, 0))
        self.check(b"--5", 10, (0, 1, 0))

    def test_limits(self):
        self.check(b"9223372036854775807", 10, (LONG_MAX, 19, 0))
        self.check(b"-9223372036854775808", 10, (LONG_MIN, 20, 0))
        self.check(b"-9223372036854775807", 10, (-LONG_MAX, 20, 0))

    def test_overflow(self):
        # LONG_MAX whatever the sign.
        self.check(b"9223372036854775808", 10, (LONG_MAX, 19, 1))
        self.check(b"-9223372036854775809", 10, (LONG_MAX, 20, 1))
        self.check(b"18446744073709551615", 10, (LONG_MAX, 20, 1))
        self.check(b"-99999999999999999999", 10, (LONG_MAX, 21, 1))

    def test_bases(self):
        self.check(b"0b101", 0, (5, 5, 0))
        self.check(b"-777", 8, (-511, 4, 0))
        self.check(b"-zz", 36, (-1295, 3, 0))
        self.check(b"12", 1, (0, 0, 0))
        self.check(b"012", 0, (0, 1, 0))

    def test_errno_untouched_without_overflow(self):
        self.assertEqual(ft.os_strtol_keeps_errno(b"12"), (12, 12, 1))
        self.assertEqual(ft.os_strtol_keeps_errno(b"junk"), (0, 0, 1))


if __name__ == "__main__":
    unittest.main()
