"""Py_BuildValue and Py_VaBuildValue (Python/modsupport.c), plus the
PyObject_CallFunction / CallMethod format helpers of the legacy (non-_SizeT)
ABI.

C side: tests/capi/ext/buildvalue.c and legacy.c.
"""
import math
import unittest

import _ferrytest as ft


def bv(case, obj=None):
    return ft.buildvalue(case, obj)


class TestScalars(unittest.TestCase):

    def test_empty(self):
        self.assertIsNone(bv("empty"))
        self.assertEqual(bv("empty_tuple"), ())

    def test_integers(self):
        self.assertEqual(bv("i"), -7)
        self.assertEqual(bv("i_limits"), (-2**31, 2**31 - 1))
        self.assertEqual(bv("b"), 200)
        self.assertEqual(bv("B"), 255)
        self.assertEqual(bv("h"), -32768)
        self.assertEqual(bv("H"), 65535)
        self.assertEqual(bv("I"), 2**32 - 1)
        self.assertEqual(bv("l"), (-2**63, 2**63 - 1))
        self.assertEqual(bv("k"), 2**64 - 1)
        self.assertEqual(bv("L"), (-2**63, 2**63 - 1))
        self.assertEqual(bv("K"), 2**64 - 1)
        self.assertEqual(bv("n"), (-2**63, 2**63 - 1))
        for case in ("i", "B", "k", "K"):
            self.assertIs(type(bv(case)), int)

    def test_chars(self):
        self.assertEqual(bv("c"), b"z")
        self.assertEqual(bv("C"), "\U0001f40d")
        self.assertEqual(bv("C_latin1"), "\xe9")
        with self.assertRaisesRegex(ValueError,
                                    r"chr\(\) arg not in range\(0x110000\)"):
            bv("C_too_big")

    def test_floats(self):
        d = bv("d")
        self.assertEqual(d, 0.0)
        self.assertEqual(math.copysign(1, d), -1.0)
        self.assertEqual(bv("d_inf"), (math.inf, -math.inf))
        self.assertEqual(bv("f"), 1.25)
        self.assertEqual(bv("D"), 1.5 - 2j)


class TestStrings(unittest.TestCase):

    def test_s(self):
        self.assertEqual(bv("s"), "caf\xe9 \u20ac \U0001f40d")
        self.assertIsNone(bv("s_null"))
        self.assertEqual(bv("s_hash"), "abc")
        self.assertIsNone(bv("s_hash_null"))
        with self.assertRaisesRegex(
                UnicodeDecodeError,
                "'utf-8' codec can't decode byte 0xff in position 0"):
            bv("s_bad_utf8")

    def test_z_U(self):
        self.assertEqual(bv("z"), "zed")
        self.assertIsNone(bv("z_null"))
        self.assertEqual(bv("z_hash"), "ze")
        self.assertEqual(bv("U"), "unicode")
        self.assertEqual(bv("U_hash"), "uni")

    def test_y(self):
        self.assertEqual(bv("y"), b"bytes")
        self.assertEqual(bv("y_hash"), b"a\0b")
        self.assertIsNone(bv("y_null"))


class TestObjects(unittest.TestCase):

    def test_O_S(self):
        o = [1]
        self.assertIs(bv("O", o), o)
        self.assertIs(bv("S", o), o)
        self.assertIs(bv("O", None), None)

    def test_O_amp(self):
        self.assertEqual(bv("O_amp"), 42)

    def test_N(self):
        self.assertEqual(ft.buildvalue_N("steal"), ([], "stolen"))
        with self.assertRaisesRegex(KeyError, "from N"):
            ft.buildvalue_N("null_with_error")

    def test_null_object(self):
        with self.assertRaisesRegex(SystemError,
                                    "^NULL object passed to Py_BuildValue$"):
            bv("O_null")
        with self.assertRaisesRegex(SystemError,
                                    "^NULL object passed to Py_BuildValue$"):
            bv("tuple_with_null")


class TestContainers(unittest.TestCase):

    def test_tuples(self):
        self.assertEqual(bv("tuple"), (1, "one"))
        self.assertEqual(bv("implicit_tuple"), (1, "one"))
        self.assertEqual(bv("single_in_parens", "x"), ("x",))
        self.assertEqual(bv("whitespace"), (5, "sp"))
        self.assertEqual(bv("colon_comma"), (1, 2))

    def test_list_dict(self):
        o = object()
        lst = bv("list", o)
        self.assertEqual(lst[:2], [1, "two"])
        self.assertIs(lst[2], o)
        self.assertIs(type(lst), list)
        self.assertEqual(bv("empty_list"), [])
        d = bv("dict", o)
        self.assertEqual(list(d), ["a", "b"])
        self.assertIs(d["b"], o)
        self.assertEqual(bv("empty_dict"), {})
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            bv("dict_unhashable", [])

    def test_nested(self):
        self.assertEqual(bv("nested"), ((1, 2), ["x", {"k": (2.5,)}]))

    def test_bad_formats(self):
        with self.assertRaisesRegex(SystemError, "^unmatched paren in format$"):
            bv("unmatched_paren")
        with self.assertRaisesRegex(SystemError, "^unmatched paren in format$"):
            bv("unmatched_bracket")
        with self.assertRaisesRegex(SystemError,
                                    "^bad format char passed to Py_BuildValue$"):
            bv("bad_format")

    def test_vabuildvalue(self):
        self.assertEqual(ft.vabuildvalue(), (3, "ab"))


class TestLegacyABI(unittest.TestCase):

    def test_buildvalue(self):
        self.assertEqual(ft.legacy_buildvalue(), (7, "seven", [7.5], {"k": None}))

    def test_hash_formats_rejected(self):
        with self.assertRaisesRegex(
                SystemError, "^PY_SSIZE_T_CLEAN macro must be defined for '#' formats$"):
            ft.legacy_buildvalue_hash()

    def test_callfunction_callmethod(self):
        self.assertEqual(ft.legacy_callfunction(lambda *a: a), (1, "x"))
        self.assertEqual(ft.legacy_callmethod([1, 2, 2], "count"), 2)



class TestLegacyVaBuildValue(unittest.TestCase):

    def test_vabuildvalue(self):
        self.assertEqual(ft.legacy_vabuildvalue(), (7, "seven", [7.5], {"k": None}))
        with self.assertRaisesRegex(SystemError,
                                    "^PY_SSIZE_T_CLEAN macro must be defined for '#' formats$"):
            ft.legacy_vabuildvalue_hash()


if __name__ == "__main__":
    unittest.main()
