"""Abstract protocols (Objects/abstract.c): PyNumber_*, PySequence_*,
PyMapping_*.

C side: tests/capi/ext/abstract.c.
"""
import collections
import operator
import sys
import unittest

import _ferrytest as ft

NULLARG = "null argument to internal routine"
HUGE = 3**300


class Index:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


class Matrix:
    def __matmul__(self, other):
        return ("matmul", other)

    def __rmatmul__(self, other):
        return ("rmatmul", other)


class InPlace:
    """Records which in-place slot was used."""

    def __init__(self):
        self.ops = []

    def __iadd__(self, other):
        self.ops.append("iadd")
        return self

    def __add__(self, other):
        return "add"


BINARY = [
    ("number_add", operator.add), ("number_subtract", operator.sub),
    ("number_multiply", operator.mul), ("number_floordivide", operator.floordiv),
    ("number_truedivide", operator.truediv), ("number_remainder", operator.mod),
    ("number_divmod", divmod), ("number_lshift", operator.lshift),
    ("number_rshift", operator.rshift), ("number_and", operator.and_),
    ("number_xor", operator.xor), ("number_or", operator.or_),
]
INPLACE = [
    ("number_inplaceadd", operator.iadd), ("number_inplacesubtract", operator.isub),
    ("number_inplacemultiply", operator.imul),
    ("number_inplacefloordivide", operator.ifloordiv),
    ("number_inplacetruedivide", operator.itruediv),
    ("number_inplaceremainder", operator.imod),
    ("number_inplacelshift", operator.ilshift),
    ("number_inplacershift", operator.irshift), ("number_inplaceand", operator.iand),
    ("number_inplacexor", operator.ixor), ("number_inplaceor", operator.ior),
]
INT_PAIRS = [(7, 3), (-7, 3), (7, -3), (0, 5), (2**64, 3), (HUGE, 2**70), (1, 64),
             (-1, 1)]


class TestNumberBinary(unittest.TestCase):

    def test_int_operations(self):
        for name, op in BINARY + INPLACE:
            f = getattr(ft, name)
            for a, b in INT_PAIRS:
                if "shift" in name and not 0 <= b < 1000:
                    continue
                self.assertEqual(f(a, b), op(a, b), (name, a, b))

    def test_float_operations(self):
        for name, op in BINARY[:8] + INPLACE[:6]:
            if "shift" in name:
                continue
            f = getattr(ft, name)
            for a, b in ((1.5, 0.5), (-2.0, 3), (1e308, 10.0), (3, 0.25)):
                self.assertEqual(f(a, b), op(a, b), (name, a, b))

    def test_sequence_operands(self):
        self.assertEqual(ft.number_add([1], [2]), [1, 2])
        self.assertEqual(ft.number_add("a", "\U0001f40d"), "a\U0001f40d")
        self.assertEqual(ft.number_multiply("ab", 3), "ababab")
        self.assertEqual(ft.number_multiply(2, (1,)), (1, 1))
        self.assertEqual(ft.number_remainder("%s-%d", ("x", 1)), "x-1")

    def test_mixed_types(self):
        self.assertEqual(ft.number_add(1, 2.5), 3.5)
        self.assertEqual(ft.number_add(True, True), 2)
        self.assertEqual(ft.number_multiply(2, 1j), 2j)
        self.assertEqual(ft.number_and(True, False), False)
        self.assertIs(type(ft.number_and(True, False)), bool)

    def test_errors(self):
        with self.assertRaisesRegex(
                TypeError, r"unsupported operand type\(s\) for \+: 'int' and 'str'"):
            ft.number_add(1, "a")
        with self.assertRaisesRegex(
                TypeError, r"unsupported operand type\(s\) for -: 'str' and 'str'"):
            ft.number_subtract("a", "b")
        with self.assertRaisesRegex(
                TypeError, r"unsupported operand type\(s\) for <<: 'float' and 'int'"):
            ft.number_lshift(1.0, 1)
        with self.assertRaisesRegex(
                TypeError, r"unsupported operand type\(s\) for \+=: 'int' and 'str'"):
            ft.number_inplaceadd(1, "a")
        with self.assertRaisesRegex(TypeError, "can't multiply sequence by non-int"):
            ft.number_multiply("a", 1.5)
        with self.assertRaises(ZeroDivisionError):
            ft.number_truedivide(1, 0)
        with self.assertRaises(ZeroDivisionError):
            ft.number_floordivide(1, 0)
        with self.assertRaises(ZeroDivisionError):
            ft.number_remainder(1, 0)
        with self.assertRaises(ZeroDivisionError):
            ft.number_divmod(1, 0)
        with self.assertRaisesRegex(ValueError, "negative shift count"):
            ft.number_lshift(1, -1)

    def test_lshift_edges(self):
        self.assertEqual(ft.number_lshift(1, 0), 1)
        self.assertEqual(ft.number_lshift(1, 63), 2**63)
        self.assertEqual(ft.number_lshift(1, 64), 2**64)
        self.assertEqual(ft.number_lshift(-1, 100), -2**100)
        self.assertEqual(ft.number_lshift(0, 10**6), 0)
        self.assertEqual(ft.number_rshift(-1, 1000), -1)
        self.assertEqual(ft.number_rshift(2**64, 64), 1)

    def test_matmul(self):
        m = Matrix()
        self.assertEqual(ft.number_matrixmultiply(m, 1), ("matmul", 1))
        self.assertEqual(ft.number_matrixmultiply(1, m), ("rmatmul", 1))
        self.assertEqual(ft.number_inplacematrixmultiply(m, 2), ("matmul", 2))
        with self.assertRaisesRegex(TypeError, r"unsupported operand type\(s\) for @"):
            ft.number_matrixmultiply(1, 2)

    def test_inplace_slot_used(self):
        x = InPlace()
        self.assertIs(ft.number_inplaceadd(x, 1), x)
        self.assertEqual(x.ops, ["iadd"])
        lst = [1]
        r = ft.number_inplaceadd(lst, [2])
        self.assertIs(r, lst)
        self.assertEqual(lst, [1, 2])
        r = ft.number_inplacemultiply(lst, 2)
        self.assertIs(r, lst)
        self.assertEqual(lst, [1, 2, 1, 2])
        t = (1,)
        self.assertEqual(ft.number_inplaceadd(t, (2,)), (1, 2))
        self.assertEqual(t, (1,))

    def test_power(self):
        self.assertEqual(ft.number_power(2, 10), 1024)
        self.assertEqual(ft.number_power(2, 10, None), 1024)
        self.assertEqual(ft.number_power(2, 10, 1000), 24)
        self.assertEqual(ft.number_power(2, -1), 0.5)
        self.assertEqual(ft.number_power(3, -1, 7), 5)
        self.assertEqual(ft.number_power(2.0, 0.5), 2 ** 0.5)
        self.assertEqual(ft.number_power(HUGE, 2, 10**9 + 7), pow(HUGE, 2, 10**9 + 7))
        self.assertEqual(ft.number_inplacepower(5, 3), 125)
        with self.assertRaisesRegex(ValueError,
                                    r"pow\(\) 3rd argument cannot be 0"):
            ft.number_power(2, 3, 0)
        with self.assertRaisesRegex(
                TypeError,
                r"pow\(\) 3rd argument not allowed unless all arguments are integers"):
            ft.number_power(2.0, 3, 5)
        with self.assertRaises(ZeroDivisionError):
            ft.number_power(0, -1)


class TestNumberUnary(unittest.TestCase):

    def test_unary(self):
        for v in (0, 5, -5, 2**64, -HUGE, True):
            self.assertEqual(ft.number_negative(v), -v)
            self.assertEqual(ft.number_positive(v), +v)
            self.assertEqual(ft.number_absolute(v), abs(v))
            self.assertEqual(ft.number_invert(v), ~v)
        self.assertEqual(ft.number_absolute(-2.5), 2.5)
        self.assertEqual(ft.number_absolute(3 + 4j), 5.0)
        self.assertEqual(str(ft.number_negative(0.0)), "-0.0")
        with self.assertRaisesRegex(TypeError, "bad operand type for unary -: 'str'"):
            ft.number_negative("a")
        with self.assertRaisesRegex(TypeError, "bad operand type for unary ~: 'float'"):
            ft.number_invert(1.0)
        with self.assertRaisesRegex(TypeError, "bad operand type for abs\\(\\): 'str'"):
            ft.number_absolute("a")

    def test_long(self):
        self.assertEqual(ft.number_long(5), 5)
        self.assertEqual(ft.number_long(-2.9), -2)
        self.assertEqual(ft.number_long("  42 "), 42)
        self.assertEqual(ft.number_long(b"17"), 17)
        self.assertEqual(ft.number_long(True), 1)
        self.assertIs(type(ft.number_long(True)), int)
        self.assertEqual(ft.number_long(Index(3)), 3)
        with self.assertRaisesRegex(
                ValueError, r"invalid literal for int\(\) with base 10: 'x'"):
            ft.number_long("x")
        with self.assertRaisesRegex(
                TypeError,
                r"int\(\) argument must be a string, a bytes-like object or a real "
                r"number, not 'list'"):
            ft.number_long([])
        with self.assertRaises(OverflowError):
            ft.number_long(float("inf"))
        with self.assertRaises(ValueError):
            ft.number_long(float("nan"))

    def test_float(self):
        self.assertEqual(ft.number_float(1), 1.0)
        self.assertEqual(ft.number_float(" -1.5 "), -1.5)
        self.assertEqual(ft.number_float("inf"), float("inf"))
        self.assertEqual(ft.number_float(Index(2)), 2.0)
        self.assertIs(type(ft.number_float(1.5)), float)
        with self.assertRaisesRegex(ValueError,
                                    "could not convert string to float: 'x'"):
            ft.number_float("x")
        with self.assertRaisesRegex(
                TypeError,
                "float\\(\\) argument must be a string or a real number, not 'list'"):
            ft.number_float([])
        with self.assertRaises(OverflowError):
            ft.number_float(10**400)

    def test_index(self):
        self.assertEqual(ft.number_index(7), 7)
        self.assertEqual(ft.number_index(Index(-7)), -7)
        # Since 3.10 the result is always an exact int.
        self.assertIs(type(ft.number_index(True)), int)
        with self.assertRaisesRegex(
                TypeError, "'float' object cannot be interpreted as an integer"):
            ft.number_index(1.0)
        with self.assertRaisesRegex(TypeError,
                                    r"__index__ returned non-int \(type str\)"):
            ft.number_index(Index("x"))

    def test_checks(self):
        for v, num, idx in ((1, 1, 1), (1.5, 1, 0), (1j, 1, 0), ("1", 0, 0),
                            (Index(1), 1, 1), ([], 0, 0), (True, 1, 1)):
            self.assertEqual(ft.number_check(v), num, v)
            self.assertEqual(ft.index_check(v), idx, v)

    def test_tobase(self):
        for n in (0, 1, -1, 255, -255, 2**64, -HUGE):
            self.assertEqual(ft.number_tobase(n, 2), bin(n))
            self.assertEqual(ft.number_tobase(n, 8), oct(n))
            self.assertEqual(ft.number_tobase(n, 10), str(n))
            self.assertEqual(ft.number_tobase(n, 16), hex(n))
        self.assertEqual(ft.number_tobase(Index(10), 16), "0xa")
        with self.assertRaisesRegex(SystemError,
                                    "PyNumber_ToBase: base must be 2, 8, 10 or 16"):
            ft.number_tobase(10, 3)
        with self.assertRaises(TypeError):
            ft.number_tobase(1.5, 10)

    def test_asssize_t(self):
        self.assertEqual(ft.number_asssize_t(5, OverflowError), 5)
        self.assertEqual(ft.number_asssize_t(Index(-5), None), -5)
        self.assertEqual(ft.number_asssize_t(2**100, None), sys.maxsize)
        self.assertEqual(ft.number_asssize_t(-2**100, None), -sys.maxsize - 1)
        with self.assertRaisesRegex(
                OverflowError,
                "cannot fit 'int' into an index-sized integer"):
            ft.number_asssize_t(2**100, OverflowError)
        with self.assertRaisesRegex(IndexError,
                                    "cannot fit 'int' into an index-sized integer"):
            ft.number_asssize_t(2**100, IndexError)
        with self.assertRaisesRegex(
                TypeError, "'str' object cannot be interpreted as an integer"):
            ft.number_asssize_t("1", None)


class Seq:
    """A sequence defined only by __len__ and __getitem__."""

    def __init__(self, *items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


class TestSequence(unittest.TestCase):

    def test_check(self):
        for v, expected in (([], 1), ((), 1), ("", 1), (b"", 1), (range(1), 1),
                            (Seq(), 1), ({}, 0), (set(), 0), (1, 0),
                            (collections.OrderedDict(), 0)):
            self.assertEqual(ft.sequence_check(v), expected, v)

    def test_size(self):
        for v in ([1, 2], "abc", (), Seq(1, 2, 3)):
            self.assertEqual(ft.sequence_size(v), len(v))
            self.assertEqual(ft.sequence_length(v), len(v))
        with self.assertRaisesRegex(TypeError, "dict is not a sequence"):
            ft.sequence_size({})
        with self.assertRaisesRegex(TypeError, "object of type 'int' has no len()"):
            ft.sequence_size(1)
        with self.assertRaisesRegex(SystemError, NULLARG):
            ft.sequence_size(None)

    def test_concat_repeat(self):
        self.assertEqual(ft.sequence_concat([1], [2]), [1, 2])
        self.assertEqual(ft.sequence_concat("\xe9", "\U0001f40d"), "\xe9\U0001f40d")
        self.assertEqual(ft.sequence_repeat((1,), 3), (1, 1, 1))
        self.assertEqual(ft.sequence_repeat("ab", 0), "")
        self.assertEqual(ft.sequence_repeat("ab", -1), "")
        with self.assertRaisesRegex(TypeError, "'int' object can't be concatenated"):
            ft.sequence_concat(1, 2)
        with self.assertRaisesRegex(TypeError, "'dict' object can't be repeated"):
            ft.sequence_repeat({}, 2)
        lst = [1]
        self.assertIs(ft.sequence_inplaceconcat(lst, [2]), lst)
        self.assertIs(ft.sequence_inplacerepeat(lst, 2), lst)
        self.assertEqual(lst, [1, 2, 1, 2])
        self.assertEqual(ft.sequence_inplaceconcat((1,), (2,)), (1, 2))

    def test_getitem(self):
        self.assertEqual(ft.sequence_getitem([1, 2, 3], 0), 1)
        self.assertEqual(ft.sequence_getitem([1, 2, 3], -1), 3)
        self.assertEqual(ft.sequence_getitem("abc", -3), "a")
        self.assertEqual(ft.sequence_getitem(Seq("x", "y"), 1), "y")
        with self.assertRaisesRegex(IndexError, "list index out of range"):
            ft.sequence_getitem([1], 5)
        with self.assertRaisesRegex(IndexError, "list index out of range"):
            ft.sequence_getitem([1], -2)
        with self.assertRaisesRegex(TypeError, "dict is not a sequence"):
            ft.sequence_getitem({}, 0)
        with self.assertRaisesRegex(TypeError, "'int' object does not support indexing"):
            ft.sequence_getitem(1, 0)

    def test_setitem_delitem(self):
        lst = [1, 2, 3]
        self.assertEqual(ft.sequence_setitem(lst, -1, "z"), 0)
        self.assertEqual(lst, [1, 2, "z"])
        self.assertEqual(ft.sequence_setitem(lst, 0, None), 0)   # NULL deletes
        self.assertEqual(lst, [2, "z"])
        self.assertEqual(ft.sequence_delitem(lst, -1), 0)
        self.assertEqual(lst, [2])
        with self.assertRaises(IndexError):
            ft.sequence_delitem(lst, 5)
        with self.assertRaisesRegex(TypeError,
                                    "'tuple' object does not support item assignment"):
            ft.sequence_setitem((1,), 0, 2)
        with self.assertRaisesRegex(TypeError,
                                    "'tuple' object doesn't support item deletion"):
            ft.sequence_delitem((1,), 0)

    def test_slices(self):
        lst = list(range(10))
        self.assertEqual(ft.sequence_getslice(lst, 2, 5), [2, 3, 4])
        self.assertEqual(ft.sequence_getslice(lst, -3, 100), [7, 8, 9])
        self.assertEqual(ft.sequence_getslice("abcdef", 1, -1), "bcde")
        self.assertEqual(ft.sequence_setslice(lst, 0, 8, ["x"]), 0)
        self.assertEqual(lst, ["x", 8, 9])
        self.assertEqual(ft.sequence_setslice(lst, 0, 1, None), 0)
        self.assertEqual(lst, [8, 9])
        self.assertEqual(ft.sequence_delslice(lst, 0, -1), 0)
        self.assertEqual(lst, [9])
        with self.assertRaisesRegex(TypeError, "'int' object is unsliceable"):
            ft.sequence_getslice(1, 0, 1)
        with self.assertRaisesRegex(TypeError,
                                    "'str' object doesn't support slice assignment"):
            ft.sequence_setslice("abc", 0, 1, "x")

    def test_tuple_list(self):
        self.assertEqual(ft.sequence_tuple([1, 2]), (1, 2))
        t = (1,)
        self.assertIs(ft.sequence_tuple(t), t)
        self.assertEqual(ft.sequence_tuple("ab"), ("a", "b"))
        self.assertEqual(ft.sequence_tuple(x for x in range(3)), (0, 1, 2))
        self.assertEqual(ft.sequence_list((1, 2)), [1, 2])
        lst = [1]
        self.assertIsNot(ft.sequence_list(lst), lst)
        self.assertEqual(ft.sequence_list({"k": 1}), ["k"])
        with self.assertRaisesRegex(TypeError, "'int' object is not iterable"):
            ft.sequence_tuple(1)
        with self.assertRaisesRegex(TypeError, "'int' object is not iterable"):
            ft.sequence_list(1)

    def test_fast(self):
        lst = [1, 2]
        self.assertEqual(ft.sequence_fast(lst, "m"), ([1, 2], 1))
        t = (3,)
        self.assertEqual(ft.sequence_fast(t, "m"), ([3], 1))
        self.assertEqual(ft.sequence_fast("ab", "m"), (["a", "b"], 0))
        self.assertEqual(ft.sequence_fast(iter([4]), "m"), ([4], 0))
        with self.assertRaisesRegex(TypeError, "^custom message$"):
            ft.sequence_fast(1, "custom message")

    def test_count_contains_index(self):
        lst = [1, 2, 1, "1"]
        self.assertEqual(ft.sequence_count(lst, 1), 2)
        self.assertEqual(ft.sequence_count(lst, 3), 0)
        self.assertEqual(ft.sequence_contains(lst, "1"), 1)
        self.assertEqual(ft.sequence_contains(lst, 3), 0)
        self.assertEqual(ft.sequence_contains({"k": 1}, "k"), 1)
        self.assertEqual(ft.sequence_contains(iter([1, 2]), 2), 1)
        self.assertEqual(ft.sequence_index(lst, "1"), 3)
        self.assertEqual(ft.sequence_index("abc", "c"), 2)
        with self.assertRaisesRegex(ValueError, "sequence.index\\(x\\): x not in sequence"):
            ft.sequence_index(lst, 3)
        with self.assertRaisesRegex(TypeError, "argument of type 'int' is not iterable"):
            ft.sequence_contains(1, 1)
        nan = float("nan")
        self.assertEqual(ft.sequence_contains([nan], nan), 1)   # identity first


class TestMapping(unittest.TestCase):

    def test_check(self):
        for v, expected in (({}, 1), ([], 1), ("", 1), (Seq(), 1), (1, 0),
                            (set(), 0), (collections.OrderedDict(), 1)):
            self.assertEqual(ft.mapping_check(v), expected, v)

    def test_size(self):
        self.assertEqual(ft.mapping_size({1: 2}), 1)
        self.assertEqual(ft.mapping_length([1, 2]), 2)
        with self.assertRaisesRegex(TypeError, "object of type 'int' has no len()"):
            ft.mapping_size(1)
        with self.assertRaisesRegex(TypeError, "set is not a mapping"):
            ft.mapping_size(set())
        with self.assertRaisesRegex(SystemError, NULLARG):
            ft.mapping_size(None)

    def test_haskey(self):
        d = {"k": None, 1: 2}
        self.assertEqual(ft.mapping_haskey(d, "k"), 1)
        self.assertEqual(ft.mapping_haskey(d, "x"), 0)
        self.assertEqual(ft.mapping_haskey(d, []), 0)          # error swallowed
        self.assertEqual(ft.mapping_haskey([1], 0), 1)
        self.assertEqual(ft.mapping_haskey(1, 0), 0)
        self.assertEqual(ft.mapping_haskeystring(d, b"k"), 1)
        self.assertEqual(ft.mapping_haskeystring(d, b"x"), 0)
        self.assertEqual(ft.mapping_haskeystring(d, b"\xff"), 0)

    def test_getitemstring(self):
        d = {"caf\xe9": 1}
        self.assertEqual(ft.mapping_getitemstring(d, "caf\xe9".encode()), 1)
        with self.assertRaisesRegex(KeyError, "'x'"):
            ft.mapping_getitemstring(d, b"x")
        with self.assertRaises(TypeError):
            ft.mapping_getitemstring([], b"x")

    def test_setitemstring(self):
        d = {}
        self.assertEqual(ft.mapping_setitemstring(d, b"k", 1), 0)
        self.assertEqual(d, {"k": 1})
        od = collections.OrderedDict()
        self.assertEqual(ft.mapping_setitemstring(od, b"\xf0\x9f\x90\x8d", 2), 0)
        self.assertEqual(od, {"\U0001f40d": 2})
        with self.assertRaises(TypeError):
            ft.mapping_setitemstring((), b"k", 1)

    def test_delitem(self):
        d = {"a": 1, "b": 2}
        self.assertEqual(ft.mapping_delitem(d, "a"), 0)
        self.assertEqual(ft.mapping_delitemstring(d, b"b"), 0)
        self.assertEqual(d, {})
        with self.assertRaises(KeyError):
            ft.mapping_delitem(d, "a")
        with self.assertRaises(KeyError):
            ft.mapping_delitemstring(d, b"a")

    def test_keys_values_items(self):
        d = {"a": 1, "b": 2}
        self.assertEqual(ft.mapping_keys(d), ["a", "b"])
        self.assertEqual(ft.mapping_values(d), [1, 2])
        self.assertEqual(ft.mapping_items(d), [("a", 1), ("b", 2)])
        for f in (ft.mapping_keys, ft.mapping_values, ft.mapping_items):
            self.assertIs(type(f(d)), list)

    def test_keys_values_items_generic(self):
        class M:
            def keys(self):
                return iter(["x"])

            def values(self):
                return ("vx",)

            def items(self):
                return [("x", "vx")]
        m = M()
        self.assertEqual(ft.mapping_keys(m), ["x"])
        self.assertEqual(ft.mapping_values(m), ["vx"])
        self.assertEqual(ft.mapping_items(m), [("x", "vx")])
        od = collections.OrderedDict([("z", 1), ("a", 2)])
        self.assertEqual(ft.mapping_keys(od), ["z", "a"])
        with self.assertRaises(AttributeError):
            ft.mapping_keys([])

        class BadKeys:
            def keys(self):
                return 5
        with self.assertRaisesRegex(TypeError,
                                    r"BadKeys.keys\(\) returned a non-iterable \(type int\)"):
            ft.mapping_keys(BadKeys())


if __name__ == "__main__":
    unittest.main()
