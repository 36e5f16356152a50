"""Argument parsing: PyArg_ParseTuple, PyArg_ParseTupleAndKeywords, PyArg_Parse,
PyArg_UnpackTuple, PyArg_ValidateKeywordArguments (Python/getargs.c), in both
ABIs: with PY_SSIZE_T_CLEAN (the _SizeT symbols) and without (legacy).

C side: tests/capi/ext/getargs.c and legacy.c. Error messages are compared
exactly: they are produced by the parser, not by the objects.
"""
import pathlib
import unittest

import _ferrytest as ft

NULL = ft.NULL
NOT_INT = "'%s' object cannot be interpreted as an integer"
TOO_LARGE_LONG = "Python int too large to convert to C long"


class Index:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


class TestIntegerUnits(unittest.TestCase):

    def test_b(self):
        for v in (0, 1, 255):
            self.assertEqual(ft.getargs_b(v), v)
        self.assertEqual(ft.getargs_b(Index(7)), 7)
        with self.assertRaisesRegex(OverflowError,
                                    "^unsigned byte integer is less than minimum$"):
            ft.getargs_b(-1)
        with self.assertRaisesRegex(OverflowError,
                                    "^unsigned byte integer is greater than maximum$"):
            ft.getargs_b(256)
        with self.assertRaisesRegex(OverflowError, TOO_LARGE_LONG):
            ft.getargs_b(2**64)
        with self.assertRaisesRegex(TypeError, NOT_INT % "float"):
            ft.getargs_b(1.5)

    def test_B_masks(self):
        self.assertEqual(ft.getargs_B(255), 255)
        self.assertEqual(ft.getargs_B(-1), 255)
        self.assertEqual(ft.getargs_B(300), 44)
        self.assertEqual(ft.getargs_B(2**64), 0)
        with self.assertRaisesRegex(TypeError, NOT_INT % "str"):
            ft.getargs_B("1")

    def test_h(self):
        for v in (-32768, -1, 0, 32767):
            self.assertEqual(ft.getargs_h(v), v)
        with self.assertRaisesRegex(OverflowError,
                                    "^signed short integer is greater than maximum$"):
            ft.getargs_h(32768)
        with self.assertRaisesRegex(OverflowError,
                                    "^signed short integer is less than minimum$"):
            ft.getargs_h(-32769)

    def test_H_masks(self):
        self.assertEqual(ft.getargs_H(-1), 65535)
        self.assertEqual(ft.getargs_H(65536 + 3), 3)
        self.assertEqual(ft.getargs_H(2**64), 0)

    def test_i(self):
        for v in (-2**31, -1, 0, 2**31 - 1):
            self.assertEqual(ft.getargs_i(v), v)
        self.assertEqual(ft.getargs_i(True), 1)
        self.assertEqual(ft.getargs_i(Index(-3)), -3)
        with self.assertRaisesRegex(OverflowError,
                                    "^signed integer is greater than maximum$"):
            ft.getargs_i(2**31)
        with self.assertRaisesRegex(OverflowError,
                                    "^signed integer is less than minimum$"):
            ft.getargs_i(-2**31 - 1)
        with self.assertRaisesRegex(OverflowError, TOO_LARGE_LONG):
            ft.getargs_i(2**63)
        with self.assertRaisesRegex(TypeError, NOT_INT % "str"):
            ft.getargs_i("1")
        with self.assertRaisesRegex(TypeError, NOT_INT % "NoneType"):
            ft.getargs_i(None)

    def test_I_masks(self):
        self.assertEqual(ft.getargs_I(-1), 2**32 - 1)
        self.assertEqual(ft.getargs_I(2**31), 2**31)
        self.assertEqual(ft.getargs_I(2**63), 0)

    def test_l(self):
        for v in (-2**63, -1, 0, 2**63 - 1):
            self.assertEqual(ft.getargs_l(v), v)
        with self.assertRaisesRegex(OverflowError, TOO_LARGE_LONG):
            ft.getargs_l(2**63)
        with self.assertRaisesRegex(TypeError, NOT_INT % "float"):
            ft.getargs_l(0.0)

    def test_k_masks_and_requires_int(self):
        self.assertEqual(ft.getargs_k(-1), 2**64 - 1)
        self.assertEqual(ft.getargs_k(2**64 + 1), 1)
        self.assertEqual(ft.getargs_k(2**63), 2**63)
        with self.assertRaisesRegex(TypeError, "^argument 1 must be int, not float$"):
            ft.getargs_k(1.5)
        with self.assertRaisesRegex(TypeError, "^argument 1 must be int, not Index$"):
            ft.getargs_k(Index(1))

    def test_L(self):
        for v in (-2**63, 0, 2**63 - 1):
            self.assertEqual(ft.getargs_L(v), v)
        with self.assertRaisesRegex(OverflowError, "^int too big to convert$"):
            ft.getargs_L(2**63)
        with self.assertRaisesRegex(TypeError, NOT_INT % "str"):
            ft.getargs_L("1")

    def test_K_masks(self):
        self.assertEqual(ft.getargs_K(-1), 2**64 - 1)
        self.assertEqual(ft.getargs_K(2**64), 0)
        with self.assertRaisesRegex(TypeError, "^argument 1 must be int, not str$"):
            ft.getargs_K("1")

    def test_n(self):
        for v in (-2**63, 0, 2**63 - 1):
            self.assertEqual(ft.getargs_n(v), v)
        self.assertEqual(ft.getargs_n(Index(5)), 5)
        with self.assertRaisesRegex(OverflowError,
                                    "Python int too large to convert to C ssize_t"):
            ft.getargs_n(2**63)
        with self.assertRaisesRegex(TypeError, NOT_INT % "float"):
            ft.getargs_n(1.0)

    def test_p(self):
        for v, expected in ((0, 0), (1, 1), ([], 0), ([0], 1), ("", 0), (None, 0),
                            (2**100, 1), (0.0, 0)):
            self.assertEqual(ft.getargs_p(v), expected)

        class Bad:
            def __bool__(self):
                raise ZeroDivisionError("bool")
        with self.assertRaises(ZeroDivisionError):
            ft.getargs_p(Bad())


class TestFloatUnits(unittest.TestCase):

    def test_f(self):
        self.assertEqual(ft.getargs_f(1.5), 1.5)
        self.assertEqual(ft.getargs_f(3), 3.0)
        self.assertEqual(ft.getargs_f(1e300), float("inf"))   # float overflow
        with self.assertRaisesRegex(TypeError, "^must be real number, not str$"):
            ft.getargs_f("x")

    def test_d(self):
        for v in (0.0, -0.0, 1e308, float("inf"), -float("inf")):
            self.assertEqual(ft.getargs_d(v), v)
        self.assertTrue(str(ft.getargs_d(-0.0)).startswith("-"))
        nan = ft.getargs_d(float("nan"))
        self.assertNotEqual(nan, nan)
        self.assertEqual(ft.getargs_d(2**53), 2.0**53)
        self.assertEqual(ft.getargs_d(Index(4)), 4.0)
        with self.assertRaisesRegex(OverflowError, "int too large to convert to float"):
            ft.getargs_d(2**2000)
        with self.assertRaisesRegex(TypeError, "^must be real number, not NoneType$"):
            ft.getargs_d(None)

    def test_D(self):
        self.assertEqual(ft.getargs_D(1 + 2j), 1 + 2j)
        self.assertEqual(ft.getargs_D(1), 1 + 0j)
        self.assertEqual(ft.getargs_D(2.5), 2.5 + 0j)
        with self.assertRaisesRegex(TypeError, "^must be real number, not str$"):
            ft.getargs_D("x")


class TestCharUnits(unittest.TestCase):

    def test_c(self):
        self.assertEqual(ft.getargs_c(b"a"), 97)
        self.assertEqual(ft.getargs_c(b"\xff"), 255)
        self.assertEqual(ft.getargs_c(bytearray(b"z")), 122)
        with self.assertRaisesRegex(
                TypeError,
                "^argument 1 must be a byte string of length 1, not bytes$"):
            ft.getargs_c(b"ab")
        with self.assertRaisesRegex(
                TypeError, "^argument 1 must be a byte string of length 1, not str$"):
            ft.getargs_c("a")

    def test_C(self):
        for ch in ("a", "\xe9", "\u20ac", "\U0001f40d"):
            self.assertEqual(ft.getargs_C(ch), ord(ch))
        with self.assertRaisesRegex(
                TypeError, "^argument 1 must be a unicode character, not str$"):
            ft.getargs_C("ab")
        with self.assertRaisesRegex(
                TypeError, "^argument 1 must be a unicode character, not bytes$"):
            ft.getargs_C(b"a")


class TestObjectUnits(unittest.TestCase):

    def test_O(self):
        o = object()
        self.assertIs(ft.getargs_O(o), o)
        self.assertIs(ft.getargs_O(None), None)

    def test_S_U_Y(self):
        b = b"bytes"
        self.assertIs(ft.getargs_S(b), b)
        s = "caf\xe9"
        self.assertIs(ft.getargs_U(s), s)
        ba = bytearray(b"x")
        self.assertIs(ft.getargs_Y(ba), ba)
        with self.assertRaisesRegex(TypeError, "^argument 1 must be bytes, not str$"):
            ft.getargs_S("x")
        with self.assertRaisesRegex(TypeError, "^argument 1 must be str, not bytes$"):
            ft.getargs_U(b"x")
        with self.assertRaisesRegex(TypeError,
                                    "^argument 1 must be bytearray, not bytes$"):
            ft.getargs_Y(b"x")

    def test_S_U_subclasses(self):
        class S(str):
            pass
        s = S("sub")
        self.assertIs(ft.getargs_U(s), s)

    def test_O_bang(self):
        self.assertEqual(ft.getargs_O_bang(int, 5), 5)
        self.assertIs(ft.getargs_O_bang(int, True), True)   # subclass accepted
        with self.assertRaisesRegex(TypeError, "^argument 1 must be int, not str$"):
            ft.getargs_O_bang(int, "x")
        with self.assertRaisesRegex(TypeError,
                                    "^argument 1 must be dict, not list$"):
            ft.getargs_O_bang(dict, [])

    def test_O_amp(self):
        self.assertEqual(ft.getargs_O_amp(21), 42)
        with self.assertRaisesRegex(TypeError, NOT_INT % "str"):
            ft.getargs_O_amp("x")

    def test_fsconverter(self):
        self.assertEqual(ft.getargs_fsconverter("caf\xe9"), b"caf\xc3\xa9")
        self.assertEqual(ft.getargs_fsconverter(b"raw"), b"raw")
        self.assertEqual(ft.getargs_fsconverter(pathlib.PurePosixPath("/x")), b"/x")
        with self.assertRaisesRegex(
                TypeError, "expected str, bytes or os.PathLike object, not int"):
            ft.getargs_fsconverter(1)
        with self.assertRaisesRegex(
                TypeError, "expected str, bytes or os.PathLike object, not tuple"):
            ft.getargs_fsconverter(("a",))
        with self.assertRaisesRegex(ValueError, "embedded null byte"):
            ft.getargs_fsconverter("a\0b")

    def test_fsdecoder(self):
        self.assertEqual(ft.getargs_fsdecoder(b"\xff"), "\udcff")
        self.assertEqual(ft.getargs_fsdecoder("s"), "s")
        with self.assertRaisesRegex(
                TypeError, "expected str, bytes or os.PathLike object, not int"):
            ft.getargs_fsdecoder(1)


class TestStringUnits(unittest.TestCase):

    def test_s(self):
        for s in ("", "ascii", "caf\xe9", "\u20ac", "\U0001f40d"):
            self.assertEqual(ft.getargs_s(s), s.encode())
        with self.assertRaisesRegex(ValueError, "^embedded null character$"):
            ft.getargs_s("a\0b")
        with self.assertRaisesRegex(TypeError, "^argument 1 must be str, not bytes$"):
            ft.getargs_s(b"x")
        with self.assertRaisesRegex(TypeError, "^argument 1 must be str, not None$"):
            ft.getargs_s(None)
        with self.assertRaisesRegex(UnicodeEncodeError, "surrogates not allowed"):
            ft.getargs_s("\udc80")

    def test_s_hash(self):
        self.assertEqual(ft.getargs_s_hash("a\0b"), b"a\0b")
        self.assertEqual(ft.getargs_s_hash("\U0001f40d"), "\U0001f40d".encode())
        self.assertEqual(ft.getargs_s_hash(b"by\0tes"), b"by\0tes")
        with self.assertRaisesRegex(
                TypeError,
                "^argument 1 must be read-only bytes-like object, not bytearray$"):
            ft.getargs_s_hash(bytearray(b"x"))

    def test_s_star(self):
        self.assertEqual(ft.getargs_s_star("caf\xe9"), (b"caf\xc3\xa9", 1))
        self.assertEqual(ft.getargs_s_star(b"b\0"), (b"b\0", 1))
        self.assertEqual(ft.getargs_s_star(bytearray(b"ab")), (b"ab", 0))
        self.assertEqual(ft.getargs_s_star(memoryview(b"mv")), (b"mv", 1))
        with self.assertRaisesRegex(TypeError,
                                    "a bytes-like object is required, not 'int'"):
            ft.getargs_s_star(1)

    def test_z(self):
        self.assertIsNone(ft.getargs_z(None))
        self.assertEqual(ft.getargs_z("z"), b"z")
        self.assertEqual(ft.getargs_z_hash(None), (None, 0))
        self.assertEqual(ft.getargs_z_hash("a\0"), (b"a\0", 2))
        self.assertIsNone(ft.getargs_z_star(None))
        self.assertEqual(ft.getargs_z_star(b"zz"), (b"zz", 1))
        with self.assertRaisesRegex(TypeError,
                                    "^argument 1 must be str or None, not int$"):
            ft.getargs_z(1)

    def test_y(self):
        self.assertEqual(ft.getargs_y(b"bytes"), b"bytes")
        with self.assertRaisesRegex(ValueError, "^embedded null byte$"):
            ft.getargs_y(b"a\0b")
        with self.assertRaisesRegex(TypeError,
                                    "a bytes-like object is required, not 'str'"):
            ft.getargs_y("x")
        with self.assertRaisesRegex(
                TypeError,
                "^argument 1 must be read-only bytes-like object, not bytearray$"):
            ft.getargs_y(bytearray(b"x"))

    def test_y_hash(self):
        self.assertEqual(ft.getargs_y_hash(b"a\0b"), b"a\0b")
        with self.assertRaisesRegex(TypeError,
                                    "a bytes-like object is required, not 'str'"):
            ft.getargs_y_hash("x")

    def test_y_star(self):
        self.assertEqual(ft.getargs_y_star(b"a\0b"), (b"a\0b", 1))
        self.assertEqual(ft.getargs_y_star(bytearray(b"w")), (b"w", 0))
        self.assertEqual(ft.getargs_y_star(memoryview(b"abcd")[1:3]), (b"bc", 1))
        with self.assertRaisesRegex(TypeError,
                                    "a bytes-like object is required, not 'str'"):
            ft.getargs_y_star("x")

    def test_w_star(self):
        ba = bytearray(b"xy")
        self.assertEqual(ft.getargs_w_star(ba), (b"!y", 0))
        self.assertEqual(ba, bytearray(b"!y"))
        with self.assertRaisesRegex(
                TypeError,
                "^argument 1 must be read-write bytes-like object, not bytes$"):
            ft.getargs_w_star(b"x")

    def test_es(self):
        self.assertEqual(ft.getargs_es("caf\xe9"), b"caf\xc3\xa9")
        self.assertEqual(ft.getargs_es("caf\xe9", "latin-1"), b"caf\xe9")
        with self.assertRaises(UnicodeEncodeError):
            ft.getargs_es("\u20ac", "latin-1")
        with self.assertRaisesRegex(TypeError, "^argument 1 must be str, not bytes$"):
            ft.getargs_es(b"x")
        with self.assertRaisesRegex(
                TypeError,
                "^argument 1 must be encoded string without null bytes, not str$"):
            ft.getargs_es("a\0b")
        with self.assertRaises(LookupError):
            ft.getargs_es("x", "no-such-codec")

    def test_et(self):
        # Bytes pass through unchanged, str is encoded.
        self.assertEqual(ft.getargs_et(b"\xff"), b"\xff")
        self.assertEqual(ft.getargs_et("caf\xe9", "latin-1"), b"caf\xe9")

    def test_es_hash(self):
        self.assertEqual(ft.getargs_es_hash("\xe9abc", "utf-8", -1), b"\xc3\xa9abc")
        self.assertEqual(ft.getargs_es_hash("a\0b", None, -1), b"a\0b")
        self.assertEqual(ft.getargs_es_hash("ab", None, 5), b"ab")
        # A caller buffer of n bytes holds n - 1 plus the NUL.
        with self.assertRaisesRegex(ValueError,
                                    r"^encoded string too long \(3, maximum length 2\)$"):
            ft.getargs_es_hash("abc", None, 3)
        self.assertEqual(ft.getargs_et_hash(b"a\0b", None), b"a\0b")


class TestSignatures(unittest.TestCase):

    def test_exact_count(self):
        self.assertEqual(ft.getargs_ii(1, 2), (1, 2))
        for args in ((), (1,), (1, 2, 3)):
            with self.assertRaisesRegex(
                    TypeError,
                    r"^function takes exactly 2 arguments \(%d given\)$" % len(args)):
                ft.getargs_ii(*args)

    def test_named(self):
        self.assertEqual(ft.getargs_named(1, "s"), (1, "s", -1.5))
        self.assertEqual(ft.getargs_named(1, "s", 2), (1, "s", 2.0))
        with self.assertRaisesRegex(
                TypeError, r"^named\(\) takes at least 2 arguments \(1 given\)$"):
            ft.getargs_named(1)
        with self.assertRaisesRegex(
                TypeError, r"^named\(\) takes at most 3 arguments \(4 given\)$"):
            ft.getargs_named(1, "a", 2.0, 4)
        with self.assertRaisesRegex(
                TypeError, r"^named\(\) argument 2 must be str, not int$"):
            ft.getargs_named(1, 2)

    def test_semicolon_message(self):
        self.assertEqual(ft.getargs_semicolon(3), 3)
        with self.assertRaisesRegex(TypeError, "^expected one small int$"):
            ft.getargs_semicolon()

    def test_nested(self):
        self.assertEqual(ft.getargs_nested((1, 2), ("s", (3, 4))), (1, 2, "s", 3, 4))
        self.assertEqual(ft.getargs_nested([1, 2], ["s", [3, 4]]), (1, 2, "s", 3, 4))
        with self.assertRaisesRegex(
                TypeError,
                r"^nested\(\) argument 1 must be sequence of length 2, not 3$"):
            ft.getargs_nested((1, 2, 3), ("s", (3, 4)))
        with self.assertRaisesRegex(
                TypeError, r"^nested\(\) argument 1 must be 2-item sequence, not int$"):
            ft.getargs_nested(1, ("s", (3, 4)))
        with self.assertRaisesRegex(
                TypeError,
                r"^nested\(\) argument 2, item 1 must be 2-item sequence, not int$"):
            ft.getargs_nested((1, 2), ("s", 5))

    def test_empty(self):
        self.assertIsNone(ft.getargs_empty())
        with self.assertRaisesRegex(
                TypeError, r"^empty\(\) takes exactly 0 arguments \(1 given\)$"):
            ft.getargs_empty(1)

    def test_arg_parse(self):
        self.assertEqual(ft.arg_parse(5), 5)
        with self.assertRaisesRegex(TypeError, NOT_INT % "tuple"):
            ft.arg_parse((5,))


class TestKeywords(unittest.TestCase):

    def test_basic(self):
        self.assertEqual(ft.getargs_kw_basic(1), (1, NULL, NULL))
        self.assertEqual(ft.getargs_kw_basic(1, 2), (1, 2, NULL))
        self.assertEqual(ft.getargs_kw_basic(1, c=3), (1, NULL, 3))
        self.assertEqual(ft.getargs_kw_basic(a=1, b=2), (1, 2, NULL))
        self.assertEqual(ft.getargs_kw_basic(c=3, b=2, a=1), (1, 2, 3))
        self.assertEqual(ft.getargs_kw_basic(1, **{}), (1, NULL, NULL))

    def test_basic_errors(self):
        with self.assertRaisesRegex(
                TypeError, r"^kw_basic\(\) missing required argument 'a' \(pos 1\)$"):
            ft.getargs_kw_basic()
        with self.assertRaisesRegex(
                TypeError, r"^kw_basic\(\) missing required argument 'a' \(pos 1\)$"):
            ft.getargs_kw_basic(b=2)
        with self.assertRaisesRegex(
                TypeError,
                r"^kw_basic\(\) takes at most 2 positional arguments \(3 given\)$"):
            ft.getargs_kw_basic(1, 2, 3)
        with self.assertRaisesRegex(
                TypeError,
                r"^argument for kw_basic\(\) given by name \('a'\) and position \(1\)$"):
            ft.getargs_kw_basic(1, a=2)
        with self.assertRaisesRegex(
                TypeError, r"^'d' is an invalid keyword argument for kw_basic\(\)$"):
            ft.getargs_kw_basic(1, d=2)
        with self.assertRaisesRegex(
                TypeError,
                r"^'caf\xe9' is an invalid keyword argument for kw_basic\(\)$"):
            ft.getargs_kw_basic(1, **{"caf\xe9": 1})
        with self.assertRaisesRegex(
                TypeError, r"^kw_basic\(\) takes at most 3 arguments \(4 given\)$"):
            ft.getargs_kw_basic(1, 2, d=2, e=3)

    def test_positional_only(self):
        self.assertEqual(ft.getargs_kw_posonly(1, 2), (1, 2, NULL))
        self.assertEqual(ft.getargs_kw_posonly(1, 2, z=3), (1, 2, 3))
        self.assertEqual(ft.getargs_kw_posonly(1, 2, 3), (1, 2, 3))
        with self.assertRaisesRegex(
                TypeError,
                r"^kw_posonly\(\) takes at least 2 positional arguments \(1 given\)$"):
            ft.getargs_kw_posonly(1, y=2)

    def test_required_keyword_only(self):
        self.assertEqual(ft.getargs_kw_required_kwonly(1, key=2), (1, 2))
        with self.assertRaisesRegex(
                TypeError,
                r"^kw_required_kwonly\(\) missing required argument 'key' \(pos 2\)$"):
            ft.getargs_kw_required_kwonly(1)
        with self.assertRaisesRegex(
                TypeError,
                r"^kw_required_kwonly\(\) takes exactly 1 positional argument "
                r"\(2 given\)$"):
            ft.getargs_kw_required_kwonly(1, 2)

    def test_typed(self):
        self.assertEqual(ft.getargs_kw_typed(5), (5, "", 0.5, False))
        self.assertEqual(ft.getargs_kw_typed(n=5, s="\U0001f40d", f=2, flag=[1]),
                         (5, "\U0001f40d", 2.0, True))
        with self.assertRaisesRegex(
                TypeError, r"^kw_typed\(\) argument 2 must be str, not int$"):
            ft.getargs_kw_typed(1, s=1)
        with self.assertRaisesRegex(TypeError, "^must be real number, not str$"):
            ft.getargs_kw_typed(1, f="x")

    def test_no_function_name(self):
        self.assertEqual(ft.getargs_kw_noname(1), (1, NULL))
        with self.assertRaisesRegex(
                TypeError, r"^function missing required argument 'a' \(pos 1\)$"):
            ft.getargs_kw_noname()
        with self.assertRaisesRegex(
                TypeError, r"^function takes at most 2 arguments \(3 given\)$"):
            ft.getargs_kw_noname(1, 2, 3)
        with self.assertRaisesRegex(
                TypeError, "^'c' is an invalid keyword argument for this function$"):
            ft.getargs_kw_noname(1, c=2)

    def test_validate_keyword_arguments(self):
        self.assertIs(ft.validate_keyword_arguments({"a": 1, "\xe9": 2}), True)
        with self.assertRaisesRegex(TypeError, "^keywords must be strings$"):
            ft.validate_keyword_arguments({1: 1})
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.validate_keyword_arguments([])


class TestUnpackTuple(unittest.TestCase):

    def test_range(self):
        self.assertEqual(ft.unpack_tuple(1), (1, NULL, NULL))
        self.assertEqual(ft.unpack_tuple(1, 2, 3), (1, 2, 3))
        with self.assertRaisesRegex(
                TypeError, "^unpack expected at least 1 argument, got 0$"):
            ft.unpack_tuple()
        with self.assertRaisesRegex(
                TypeError, "^unpack expected at most 3 arguments, got 4$"):
            ft.unpack_tuple(1, 2, 3, 4)

    def test_exact(self):
        self.assertEqual(ft.unpack_tuple_exact(1, 2), (1, 2))
        with self.assertRaisesRegex(TypeError,
                                    "^unpack_exact expected 2 arguments, got 1$"):
            ft.unpack_tuple_exact(1)

    def test_no_name(self):
        self.assertEqual(ft.unpack_tuple_noname("x"), "x")
        with self.assertRaisesRegex(
                TypeError, "^unpacked tuple should have 1 element, but has 2$"):
            ft.unpack_tuple_noname(1, 2)


class TestLegacyABI(unittest.TestCase):
    """The same parser through the non-_SizeT symbols."""

    def test_parsetuple(self):
        self.assertEqual(ft.legacy_parsetuple(1, "a"), (1, "a", None))
        self.assertEqual(ft.legacy_parsetuple(1, "a", [2]), (1, "a", [2]))
        with self.assertRaisesRegex(
                TypeError,
                r"^legacy_parsetuple\(\) takes at least 2 arguments \(1 given\)$"):
            ft.legacy_parsetuple(1)

    def test_parsetupleandkeywords(self):
        self.assertEqual(ft.legacy_parsetupleandkeywords(1, b=2), (1, 2.0))
        self.assertEqual(ft.legacy_parsetupleandkeywords(a=-1), (-1, 0.25))
        with self.assertRaisesRegex(
                TypeError, r"^legacy_kw\(\) missing required argument 'a' \(pos 1\)$"):
            ft.legacy_parsetupleandkeywords(b=2)

    def test_hash_formats_rejected(self):
        with self.assertRaisesRegex(
                SystemError, "^PY_SSIZE_T_CLEAN macro must be defined for '#' formats$"):
            ft.legacy_parse_hash("abc")

    def test_unpacktuple(self):
        self.assertEqual(ft.legacy_unpacktuple(1), (1, None))
        with self.assertRaisesRegex(
                TypeError, "^legacy_unpack expected at least 1 argument, got 0$"):
            ft.legacy_unpacktuple()

    def test_arg_parse(self):
        self.assertEqual(ft.legacy_arg_parse(2), 2.0)
        with self.assertRaisesRegex(TypeError, "^must be real number, not str$"):
            ft.legacy_arg_parse("x")



class TestVaParse(unittest.TestCase):
    # PyArg_VaParse / PyArg_VaParseTupleAndKeywords under PY_SSIZE_T_CLEAN
    # (the _SizeT symbols); the plain ones are in TestLegacyVaParse.

    def test_vaparse(self):
        self.assertEqual(ft.getargs_vaparse("abc"), ("abc", 3, None))
        self.assertEqual(ft.getargs_vaparse("a\x00c", 1), ("a\x00c", 3, 1))
        with self.assertRaisesRegex(TypeError,
                                    r"^vaparse\(\) takes at least 1 argument \(0 given\)$"):
            ft.getargs_vaparse()
        with self.assertRaisesRegex(TypeError,
                                    r"^vaparse\(\) takes at most 2 arguments \(3 given\)$"):
            ft.getargs_vaparse(1, 2, 3)

    def test_vaparsetupleandkeywords(self):
        f = ft.getargs_vaparsetupleandkeywords
        self.assertEqual(f(1), (1, "default", 0.5))
        self.assertEqual(f(1, None, c=2.5), (1, None, 2.5))
        self.assertEqual(f(1, b="q"), (1, "q", 0.5))
        with self.assertRaisesRegex(TypeError, r"^vaparsekw\(\) takes at most 2 "
                                               r"positional arguments \(3 given\)$"):
            f(1, "x", 3.0)
        with self.assertRaisesRegex(TypeError, r"^vaparsekw\(\) takes at least 1 "
                                               r"positional argument \(0 given\)$"):
            f(a=1)


class TestLegacyVaParse(unittest.TestCase):
    # Without PY_SSIZE_T_CLEAN (ext/legacy.c).

    def test_vaparse(self):
        self.assertEqual(ft.legacy_vaparse(1, "s"), (1, "s", None))
        self.assertEqual(ft.legacy_vaparse(1, "s", 3), (1, "s", 3))
        with self.assertRaisesRegex(TypeError, r"^legacy_vaparse\(\) takes at least "
                                               r"2 arguments \(1 given\)$"):
            ft.legacy_vaparse(1)
        with self.assertRaisesRegex(TypeError,
                                    "^'str' object cannot be interpreted as an integer$"):
            ft.legacy_vaparse("x", "s")
        with self.assertRaisesRegex(SystemError,
                                    "^PY_SSIZE_T_CLEAN macro must be defined for '#' formats$"):
            ft.legacy_vaparse_hash("ab")

    def test_vaparsetupleandkeywords(self):
        f = ft.legacy_vaparsetupleandkeywords
        self.assertEqual(f(1), (1, "default"))
        self.assertEqual(f(a=1, b="x"), (1, "x"))
        with self.assertRaisesRegex(TypeError, r"^'c' is an invalid keyword argument "
                                               r"for legacy_vaparsekw\(\)$"):
            f(1, c=2)
        with self.assertRaisesRegex(TypeError, r"^legacy_vaparsekw\(\) missing required "
                                               r"argument 'a' \(pos 1\)$"):
            f()


class TestClinicChecks(unittest.TestCase):
    # The function forms of _PyArg_CheckPositional / _PyArg_NoKeywords /
    # _PyArg_NoPositional (the header macros short-circuit before them).

    def test_checkpositional(self):
        f = ft.getargs_checkpositional
        self.assertEqual(f("f", 1, 1, 1), 1)
        self.assertEqual(f("f", 0, 0, 0), 1)
        self.assertEqual(f("f", 2, 1, 3), 1)
        cases = [
            (("f", 0, 1, 1), "f expected 1 argument, got 0"),
            (("f", 0, 1, 3), "f expected at least 1 argument, got 0"),
            (("f", 4, 1, 3), "f expected at most 3 arguments, got 4"),
            (("f", 2, 1, 1), "f expected 1 argument, got 2"),
            (("f", 1, 2, 3), "f expected at least 2 arguments, got 1"),
            (("f", 5, 2, 2), "f expected 2 arguments, got 5"),
            ((None, 0, 1, 1), "unpacked tuple should have 1 element, but has 0"),
            ((None, 3, 1, 2), "unpacked tuple should have at most 2 elements, but has 3"),
            ((None, 2, 0, 1), "unpacked tuple should have at most 1 element, but has 2"),
        ]
        for args, msg in cases:
            with self.subTest(args=args):
                with self.assertRaisesRegex(TypeError, "^" + msg + "$"):
                    f(*args)

    def test_nokeywords(self):
        self.assertEqual(ft.getargs_nokeywords("f", None), 1)
        self.assertEqual(ft.getargs_nokeywords("f", {}), 1)
        with self.assertRaisesRegex(TypeError, r"^f\(\) takes no keyword arguments$"):
            ft.getargs_nokeywords("f", {"a": 1})
        with self.assertRaisesRegex(SystemError, "bad argument to internal function$"):
            ft.getargs_nokeywords("f", [1])

    def test_nopositional(self):
        self.assertEqual(ft.getargs_nopositional("f", None), 1)
        self.assertEqual(ft.getargs_nopositional("f", ()), 1)
        with self.assertRaisesRegex(TypeError, r"^f\(\) takes no positional arguments$"):
            ft.getargs_nopositional("f", (1,))
        with self.assertRaisesRegex(SystemError, "bad argument to internal function$"):
            ft.getargs_nopositional("f", [1])


if __name__ == "__main__":
    unittest.main()
