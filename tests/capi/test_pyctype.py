"""Locale-independent character classes: Py_IS* of pyctype.h, which read the
exported table _Py_ctype_table (Python/pyctype.c).

C side: tests/capi/ext/pyctype.c.
"""
import string
import unittest

import _ferrytest as ft


def expected(c):
    ch = chr(c)
    out = ""
    if ch in string.ascii_lowercase:
        out += "l"
    if ch in string.ascii_uppercase:
        out += "u"
    if ch in string.ascii_letters:
        out += "a"
    if ch in string.digits:
        out += "d"
    if ch in string.hexdigits:
        out += "x"
    if ch in string.ascii_letters + string.digits:
        out += "n"
    if ch in " \t\n\r\x0b\x0c":
        out += "s"
    return out


class TestCtype(unittest.TestCase):

    def test_ctype_table(self):
        got = ft.ctype_classes()
        self.assertEqual(len(got), 256)
        for c in range(256):
            with self.subTest(c=c):
                self.assertEqual(got[c], expected(c))
        # Non-ASCII bytes are in no class, whatever the locale.
        self.assertEqual(set(got[128:]), {""})


if __name__ == "__main__":
    unittest.main()
