"""Object protocol: PyObject_* (Objects/object.c, Objects/call.c), direct
type-slot calls, the singletons and the Py*_Check macros; finalizers
(PyObject_CallFinalizer, PyObject_CallFinalizerFromDealloc,
PyObject_GC_IsFinalized, the heap types' default dealloc).

C side: tests/capi/ext/object.c. Runs unchanged on CPython 3.11 (the oracle)
and on PyPy through ferry.
"""
import gc
import sys
import traceback
import types
import unittest
import weakref

import _ferrytest as ft

NULL = ft.NULL
LT, LE, EQ, NE, GT, GE = ft.compare_ops()

BADCALL = "bad argument to internal function"
NULLARG = "null argument to internal routine"

LATIN1 = "caf\xe9"
BMP = "\u20ac uro \u4e2d"
ASTRAL = "snake \U0001f40d"


class Plain:
    """A Python class whose instances carry a __dict__."""

    class_attr = "on the class"

    def __init__(self):
        self.attr = 1

    def method(self, *args, **kwargs):
        return ("method", args, kwargs)


class Raising:
    def __repr__(self):
        raise ZeroDivisionError("repr failed")

    def __str__(self):
        raise ZeroDivisionError("str failed")

    def __bool__(self):
        raise ZeroDivisionError("bool failed")

    def __len__(self):
        raise ZeroDivisionError("len failed")

    def __hash__(self):
        raise ZeroDivisionError("hash failed")

    @property
    def prop(self):
        raise ZeroDivisionError("property failed")

    def __getitem__(self, key):
        raise ZeroDivisionError("getitem failed")


class BadReturns:
    def __repr__(self):
        return 42

    def __str__(self):
        return b"bytes"

    def __bool__(self):
        return 1

    def __len__(self):
        return -1


def echo(*args, **kwargs):
    return (args, kwargs)


class TestStrRepr(unittest.TestCase):

    def test_repr(self):
        self.assertEqual(ft.object_repr(1), "1")
        self.assertEqual(ft.object_repr("abc"), "'abc'")
        self.assertEqual(ft.object_repr(""), "''")
        for s in (LATIN1, BMP, ASTRAL):
            self.assertEqual(ft.object_repr(s), repr(s))
        self.assertEqual(ft.object_repr([1, "x"]), "[1, 'x']")
        self.assertEqual(ft.object_repr(-0.0), "-0.0")
        self.assertEqual(ft.object_repr(2**100), str(2**100))

    def test_repr_of_numbers(self):
        class F(float):
            def __repr__(self):
                return "F!"
        numbers = [0.0, 1.0, -2.5, 0.1, 1e16, 1e-5, 123456789.125, 1e300, 5e-324, 2.0**63,
                   float("inf"), float("-inf"), float("nan"), 0, -1, 7, 2**63 - 1, -2**63, 2**64,
                   -2**100, True, F(1.5)]
        for x in numbers:
            self.assertEqual(ft.object_repr(x), repr(x))
            self.assertEqual(ft.object_str(x), str(x))

    def test_print(self):
        self.assertEqual(ft.object_print("a\u20acb", 0), "'a\u20acb'".encode())
        self.assertEqual(ft.object_print("a\u20acb", 1), "a\u20acb".encode())
        self.assertEqual(ft.object_print([1, "x"], 0), b"[1, 'x']")
        self.assertEqual(ft.object_print("\udc80", 1), b"\\udc80")   # lone surrogate escaped
        self.assertEqual(ft.object_print(None, 0), b"<nil>")            # NULL

        class Bad:
            def __repr__(self):
                raise ZeroDivisionError("no repr")
        with self.assertRaises(ZeroDivisionError):
            ft.object_print(Bad(), 0)

    def test_repr_str_of_none(self):
        self.assertEqual(ft.object_repr_str_none(), ("None", "None"))

    def test_repr_null(self):
        self.assertEqual(ft.object_repr(None), "<NULL>")

    def test_repr_errors(self):
        with self.assertRaisesRegex(ZeroDivisionError, "repr failed"):
            ft.object_repr(Raising())
        with self.assertRaisesRegex(TypeError,
                                    r"__repr__ returned non-string \(type int\)"):
            ft.object_repr(BadReturns())

    def test_str(self):
        self.assertEqual(ft.object_str(1), "1")
        self.assertEqual(ft.object_str("abc"), "abc")
        self.assertEqual(ft.object_str(b"x"), "b'x'")
        self.assertEqual(ft.object_str(ASTRAL), ASTRAL)
        self.assertEqual(ft.object_str(None), "<NULL>")
        with self.assertRaisesRegex(ZeroDivisionError, "str failed"):
            ft.object_str(Raising())
        with self.assertRaisesRegex(TypeError,
                                    r"__str__ returned non-string \(type bytes\)"):
            ft.object_str(BadReturns())

    def test_str_subclass_kept(self):
        class S(str):
            pass
        s = S("sub")
        # Only an exact str is returned unchanged; a subclass goes through
        # str.__str__, which returns an exact str.
        r = ft.object_str(s)
        self.assertEqual(r, "sub")
        self.assertIs(type(r), str)
        exact = "exact"
        self.assertIs(ft.object_str(exact), exact)

    def test_ascii(self):
        self.assertEqual(ft.object_ascii("abc"), "'abc'")
        self.assertEqual(ft.object_ascii(LATIN1), "'caf\\xe9'")
        self.assertEqual(ft.object_ascii(BMP), ascii(BMP))
        self.assertEqual(ft.object_ascii(ASTRAL), "'snake \\U0001f40d'")
        self.assertEqual(ft.object_ascii(None), "<NULL>")

    def test_bytes(self):
        b = b"bytes"
        self.assertIs(ft.object_bytes(b), b)
        self.assertEqual(ft.object_bytes(bytearray(b"ba")), b"ba")
        self.assertEqual(ft.object_bytes([1, 2, 255]), b"\x01\x02\xff")
        self.assertEqual(ft.object_bytes(memoryview(b"mv")), b"mv")
        self.assertEqual(ft.object_bytes(None), b"<NULL>")

        class WithBytes:
            def __bytes__(self):
                return b"dunder"
        self.assertEqual(ft.object_bytes(WithBytes()), b"dunder")

    def test_bytes_errors(self):
        # Unlike bytes(3), the C API does not make zero-filled bytes from int.
        with self.assertRaises(TypeError):
            ft.object_bytes(3)
        with self.assertRaises(TypeError):
            ft.object_bytes("str")


class TestTypeSlots(unittest.TestCase):

    def test_tp_repr_and_tp_str(self):
        self.assertEqual(ft.type_slot_repr(12), "12")
        self.assertEqual(ft.type_slot_repr("s"), "'s'")
        self.assertEqual(ft.type_slot_repr(Plain()).split(" object at ")[0],
                         "<%s.Plain" % __name__)
        self.assertEqual(ft.type_slot_str(b"b"), "b'b'")
        self.assertEqual(ft.type_slot_str(3.5), "3.5")

    def test_tp_getattro(self):
        p = Plain()
        self.assertEqual(ft.type_slot_getattro(p, "attr"), 1)
        self.assertEqual(ft.type_slot_getattro(p, "class_attr"), "on the class")
        self.assertEqual(ft.type_slot_getattro("abc", "upper")(), "ABC")
        with self.assertRaises(AttributeError):
            ft.type_slot_getattro(p, "missing")

    def test_tp_hash(self):
        self.assertEqual(ft.type_slot_hash("key"), hash("key"))
        self.assertEqual(ft.type_slot_hash(-1), -2)
        self.assertEqual(ft.type_slot_hash((1, 2)), hash((1, 2)))

    def test_tp_call(self):
        self.assertEqual(ft.type_slot_call(len, ("abcd",)), 4)
        self.assertEqual(ft.type_slot_call(echo, (1,), {"k": 2}),
                         ((1,), {"k": 2}))
        self.assertIsNone(ft.type_slot_call(1, ()))  # int has no tp_call

    def test_tp_richcompare(self):
        self.assertIs(ft.type_slot_richcompare(1, 2, LT), True)
        self.assertIs(ft.type_slot_richcompare("b", "a", GT), True)
        self.assertIs(ft.type_slot_richcompare(1, "a", LT), NotImplemented)

    def test_tp_iter(self):
        it = ft.type_slot_iter([1, 2])
        self.assertEqual(list(it), [1, 2])
        self.assertIsNone(ft.type_slot_iter(1))

    def test_tp_name(self):
        self.assertEqual(ft.type_name(1), "int")
        self.assertEqual(ft.type_name(True), "bool")
        self.assertEqual(ft.type_name({}), "dict")
        self.assertEqual(ft.type_name(Plain()), "Plain")

    def test_tp_flags(self):
        f = ft.type_flags(1)
        self.assertTrue(f["long"])
        self.assertFalse(f["list"] or f["tuple"] or f["bytes"] or f["unicode"]
                         or f["dict"] or f["exception"] or f["type"])
        self.assertFalse(f["heaptype"])
        self.assertTrue(f["basetype"])
        self.assertTrue(f["ready"])
        self.assertTrue(ft.type_flags(True)["long"])
        self.assertFalse(ft.type_flags(True)["basetype"])
        self.assertTrue(ft.type_flags([])["list"])
        self.assertTrue(ft.type_flags(())["tuple"])
        self.assertTrue(ft.type_flags(b"")["bytes"])
        self.assertTrue(ft.type_flags("")["unicode"])
        self.assertTrue(ft.type_flags({})["dict"])
        self.assertTrue(ft.type_flags(ValueError())["exception"])
        self.assertTrue(ft.type_flags(int)["type"])
        plain = ft.type_flags(Plain())
        self.assertTrue(plain["heaptype"])
        self.assertTrue(plain["basetype"])
        self.assertFalse(plain["long"])

        class MyList(list):
            pass
        self.assertTrue(ft.type_flags(MyList())["list"])
        self.assertTrue(ft.type_flags(MyList())["heaptype"])

    def test_check_macros(self):
        c = ft.type_checks(True)
        self.assertEqual((c["PyLong_Check"], c["PyLong_CheckExact"],
                          c["PyBool_Check"]), (1, 0, 1))
        c = ft.type_checks(5)
        self.assertEqual((c["PyLong_Check"], c["PyLong_CheckExact"],
                          c["PyBool_Check"], c["PyFloat_Check"]), (1, 1, 0, 0))
        c = ft.type_checks(1.5)
        self.assertEqual((c["PyFloat_Check"], c["PyFloat_CheckExact"],
                          c["PyComplex_Check"]), (1, 1, 0))
        self.assertEqual(ft.type_checks(1j)["PyComplex_Check"], 1)
        c = ft.type_checks("s")
        self.assertEqual((c["PyUnicode_Check"], c["PyUnicode_CheckExact"],
                          c["PyBytes_Check"]), (1, 1, 0))
        c = ft.type_checks(bytearray())
        self.assertEqual((c["PyByteArray_Check"], c["PyBytes_Check"]), (1, 0))
        c = ft.type_checks((1,))
        self.assertEqual((c["PyTuple_Check"], c["PyTuple_CheckExact"],
                          c["PyList_Check"]), (1, 1, 0))
        c = ft.type_checks({})
        self.assertEqual((c["PyDict_Check"], c["PyDict_CheckExact"],
                          c["PyIter_Check"]), (1, 1, 0))
        c = ft.type_checks(frozenset())
        self.assertEqual((c["PyAnySet_Check"], c["PyFrozenSet_Check"]), (1, 1))
        c = ft.type_checks(set())
        self.assertEqual((c["PyAnySet_Check"], c["PyFrozenSet_Check"]), (1, 0))
        c = ft.type_checks(KeyError)
        self.assertEqual((c["PyType_Check"], c["PyExceptionClass_Check"],
                          c["PyExceptionInstance_Check"], c["PyCallable_Check"]),
                         (1, 1, 0, 1))
        c = ft.type_checks(KeyError())
        self.assertEqual((c["PyExceptionClass_Check"],
                          c["PyExceptionInstance_Check"]), (0, 1))
        self.assertEqual(ft.type_checks(iter([]))["PyIter_Check"], 1)
        self.assertEqual(ft.type_checks(slice(1))["PySlice_Check"], 1)

    def test_check_macros_subclasses(self):
        class MyStr(str):
            pass

        class MyDict(dict):
            pass

        class MyInt(int):
            pass
        c = ft.type_checks(MyStr("x"))
        self.assertEqual((c["PyUnicode_Check"], c["PyUnicode_CheckExact"]), (1, 0))
        c = ft.type_checks(MyDict())
        self.assertEqual((c["PyDict_Check"], c["PyDict_CheckExact"]), (1, 0))
        c = ft.type_checks(MyInt(3))
        self.assertEqual((c["PyLong_Check"], c["PyLong_CheckExact"]), (1, 0))

    def test_object_type(self):
        self.assertIs(ft.object_type(1), int)
        self.assertIs(ft.object_type(Plain()), Plain)
        self.assertIs(ft.object_type(int), type)
        self.assertIs(ft.py_type_macro("x"), str)
        self.assertIs(ft.py_type_macro(None), type(None))
        with self.assertRaisesRegex(SystemError, NULLARG):
            ft.object_type(None)


class TestSingletons(unittest.TestCase):

    def test_returned_singletons(self):
        self.assertIs(ft.get_none(), None)
        self.assertIs(ft.get_true(), True)
        self.assertIs(ft.get_false(), False)
        self.assertIs(ft.get_notimplemented(), NotImplemented)
        self.assertIs(ft.get_ellipsis(), Ellipsis)

    def test_received_singletons(self):
        self.assertEqual(ft.which_singleton(None), "None")
        self.assertEqual(ft.which_singleton(True), "True")
        self.assertEqual(ft.which_singleton(False), "False")
        self.assertEqual(ft.which_singleton(NotImplemented), "NotImplemented")
        self.assertEqual(ft.which_singleton(...), "Ellipsis")
        self.assertEqual(ft.which_singleton(0), "other")
        self.assertEqual(ft.which_singleton(1 == 1), "True")
        self.assertEqual(ft.which_singleton(bool(0)), "False")
        self.assertEqual(ft.which_singleton([].sort()), "None")

    def test_is_functions(self):
        self.assertEqual(ft.is_functions(None), (1, 0, 0, 0))
        self.assertEqual(ft.is_functions(True), (0, 1, 0, 0))
        self.assertEqual(ft.is_functions(False), (0, 0, 1, 0))
        self.assertEqual(ft.is_functions(...), (0, 0, 0, 1))
        self.assertEqual(ft.is_functions(0), (0, 0, 0, 0))

    def test_singleton_types(self):
        self.assertEqual(ft.singleton_types(),
                         (type(None), bool, type(NotImplemented), type(...)))


class TestAttributes(unittest.TestCase):

    def test_getattr(self):
        p = Plain()
        self.assertEqual(ft.object_getattr(p, "attr"), 1)
        self.assertEqual(ft.object_getattr(p, "class_attr"), "on the class")
        self.assertEqual(ft.object_getattr(1, "real"), 1)
        with self.assertRaisesRegex(AttributeError, "missing"):
            ft.object_getattr(p, "missing")
        with self.assertRaisesRegex(TypeError,
                                    "attribute name must be string, not 'int'"):
            ft.object_getattr(p, 1)
        with self.assertRaisesRegex(ZeroDivisionError, "property failed"):
            ft.object_getattr(Raising(), "prop")

    def test_getattr_repeated_misses(self):
        # The same failing lookup many times (the layer answers repeated
        # misses another way): same errors, and a value once there is one.
        class Lazy:
            def __getattr__(self, name):
                if name == "made":
                    return 42
                raise AttributeError("no %s here" % name)

        class Flaky:
            calls = 0

            @property
            def v(self):
                Flaky.calls += 1
                if Flaky.calls < 4:
                    raise AttributeError("not yet")
                raise ValueError("flaky")

        p = Plain()
        for _ in range(3):
            with self.assertRaisesRegex(AttributeError, "has no attribute 'missing'"):
                ft.object_getattr(p, "missing")
            with self.assertRaisesRegex(AttributeError, "has no attribute 'missing'"):
                ft.object_getattrstring(p, b"missing")
        p.missing = 5
        self.assertEqual(ft.object_getattr(p, "missing"), 5)
        self.assertEqual(ft.object_getattrstring(p, b"missing"), 5)
        for _ in range(3):
            try:
                ft.object_getattr(Lazy(), "x")
            except AttributeError as e:
                self.assertEqual(str(e), "no x here")
                names = [f.name for f in traceback.extract_tb(e.__traceback__)]
                self.assertEqual(names[-1], "__getattr__")
                self.assertEqual(names.count("__getattr__"), 1)
            else:
                self.fail("no AttributeError")
        self.assertEqual(ft.object_getattr(Lazy(), "made"), 42)
        for _ in range(3):
            with self.assertRaisesRegex(AttributeError, "not yet"):
                ft.object_getattr(Flaky(), "v")
        with self.assertRaisesRegex(ValueError, "flaky"):
            ft.object_getattr(Flaky(), "v")

    def test_getattr_repeated_misses_on_builtins(self):
        # (markupsafe asks every str for __html__, simplejson every list for
        # _asdict) CPython's generic message each time, and what exists found.
        for o in ("s", 1, 1.5, True, None, [], (1,), {}, b"b", {1}, frozenset(), 1j, bytearray()):
            for _ in range(5):
                for f, n in ((ft.object_getattr, "zz"), (ft.object_getattrstring, b"zz"),
                             (ft.object_getattr, "z\u20ac"), (ft.object_getattrstring, "z\u20ac".encode())):
                    with self.assertRaises(AttributeError) as cm:
                        f(o, n)
                    self.assertEqual(str(cm.exception), "'%s' object has no attribute '%s'"
                                     % (type(o).__name__, n if isinstance(n, str) else n.decode()))
        self.assertEqual(ft.object_getattr("ab", "upper")(), "AB")
        self.assertEqual(ft.object_getattrstring([3], b"count")(3), 1)
        for name in ("zz", "z", "zzz", "_asdict", "for_json"):
            for _ in range(5):
                self.assertFalse(ft.object_hasattrstring([], name.encode()))
            self.assertEqual(ft.object_getattr("ab", "upper")(), "AB")
        self.assertEqual(ft.object_getattrstring([3], b"index")(3), 0)

    def test_getattr_nonascii_name(self):
        p = Plain()
        for name in (LATIN1, BMP, ASTRAL):
            setattr(p, name, name)
            self.assertEqual(ft.object_getattr(p, name), name)
            self.assertEqual(ft.object_getattrstring(p, name.encode()), name)

    def test_getattrstring_reused_buffer(self):
        # The same char buffer holding other names in turn (a cache of names
        # by address must look at the text).
        p = Plain()
        p.a, p.bb = "A", "BB"
        got = ft.object_getattrstring_reused(p, ("a", "bb", "a", "zz", "bb", "a"))
        self.assertEqual(got, [("A", 1), ("BB", 1), ("A", 1), (NULL, 0), ("BB", 1), ("A", 1)])

    def test_getattrstring(self):
        p = Plain()
        self.assertEqual(ft.object_getattrstring(p, b"attr"), 1)
        with self.assertRaises(AttributeError):
            ft.object_getattrstring(p, b"missing")
        with self.assertRaises(UnicodeDecodeError):
            ft.object_getattrstring(p, b"\xff")

    def test_hasattr(self):
        p = Plain()
        self.assertEqual(ft.object_hasattr(p, "attr"), 1)
        self.assertEqual(ft.object_hasattr(p, "method"), 1)
        self.assertEqual(ft.object_hasattr(p, "missing"), 0)
        # Errors other than AttributeError are swallowed too.
        self.assertEqual(ft.object_hasattr(Raising(), "prop"), 0)
        self.assertEqual(ft.object_hasattr(p, 1), 0)

    def test_hasattrstring(self):
        p = Plain()
        self.assertEqual(ft.object_hasattrstring(p, b"attr"), 1)
        self.assertEqual(ft.object_hasattrstring(p, b"missing"), 0)
        self.assertEqual(ft.object_hasattrstring(Raising(), b"prop"), 0)
        self.assertEqual(ft.object_hasattrstring(p, b"\xff"), 0)

    def test_setattr(self):
        p = Plain()
        self.assertEqual(ft.object_setattr(p, "new", [1]), 0)
        self.assertEqual(p.new, [1])
        self.assertEqual(ft.object_setattrstring(p, b"other", "v"), 0)
        self.assertEqual(p.other, "v")
        with self.assertRaises(AttributeError):
            ft.object_setattr(1, "real", 2)
        with self.assertRaises(AttributeError):
            ft.object_setattr(object(), "x", 2)
        with self.assertRaisesRegex(TypeError,
                                    "attribute name must be string, not 'bytes'"):
            ft.object_setattr(p, b"x", 2)

    def test_setattr_null_deletes(self):
        p = Plain()
        self.assertEqual(ft.object_setattr(p, "attr", None), 0)
        self.assertFalse(hasattr(p, "attr"))
        p.attr = 2
        self.assertEqual(ft.object_setattrstring(p, b"attr", None), 0)
        self.assertFalse(hasattr(p, "attr"))
        with self.assertRaises(AttributeError):
            ft.object_setattr(p, "attr", None)

    def test_delattr(self):
        p = Plain()
        self.assertEqual(ft.object_delattr(p, "attr"), 0)
        self.assertFalse(hasattr(p, "attr"))
        with self.assertRaises(AttributeError):
            ft.object_delattr(p, "attr")
        p.x = 1
        self.assertEqual(ft.object_delattrstring(p, b"x"), 0)
        with self.assertRaises(AttributeError):
            ft.object_delattrstring(p, b"x")

    def test_generic_getattr_setattr(self):
        p = Plain()
        self.assertEqual(ft.object_genericgetattr(p, "attr"), 1)
        with self.assertRaises(AttributeError):
            ft.object_genericgetattr(p, "nope")
        self.assertEqual(ft.object_genericsetattr(p, "g", 5), 0)
        self.assertEqual(p.g, 5)
        self.assertEqual(ft.object_genericsetattr(p, "g", None), 0)
        self.assertFalse(hasattr(p, "g"))

    def test_generic_getattr_setattr_bad_name(self):
        p = Plain()
        with self.assertRaisesRegex(TypeError, "attribute name must be string, not 'int'"):
            ft.object_genericgetattr(p, 1)
        with self.assertRaisesRegex(TypeError, "attribute name must be string, not 'int'"):
            ft.object_genericsetattr(p, 1, 2)

    def test_dir(self):
        names = ft.object_dir(Plain())
        self.assertIsInstance(names, list)
        self.assertIn("attr", names)
        self.assertIn("method", names)
        self.assertEqual(names, sorted(names))
        # A tuple is the one object, not the arguments.
        self.assertEqual(ft.object_dir((1, 2)), dir((1, 2)))
        self.assertEqual(ft.object_dir(()), dir(()))


class TestCompare(unittest.TestCase):

    def test_ops_values(self):
        self.assertEqual((LT, LE, EQ, NE, GT, GE), (0, 1, 2, 3, 4, 5))

    def test_richcompare(self):
        cases = [(1, 2), (2, 1), (1, 1), ("a", "b"), (1.5, 1), ((1, 2), (1, 3))]
        for a, b in cases:
            self.assertEqual(ft.object_richcompare(a, b, LT), a < b)
            self.assertEqual(ft.object_richcompare(a, b, LE), a <= b)
            self.assertEqual(ft.object_richcompare(a, b, EQ), a == b)
            self.assertEqual(ft.object_richcompare(a, b, NE), a != b)
            self.assertEqual(ft.object_richcompare(a, b, GT), a > b)
            self.assertEqual(ft.object_richcompare(a, b, GE), a >= b)

    def test_richcompare_non_bool_result(self):
        class Weird:
            def __eq__(self, other):
                return "weird"
        self.assertEqual(ft.object_richcompare(Weird(), 1, EQ), "weird")
        self.assertEqual(ft.object_richcomparebool(Weird(), 1, EQ), 1)

    def test_richcompare_errors(self):
        with self.assertRaisesRegex(
                TypeError,
                "'<' not supported between instances of 'int' and 'str'"):
            ft.object_richcompare(1, "a", LT)
        with self.assertRaisesRegex(
                TypeError,
                "'>=' not supported between instances of 'list' and 'int'"):
            ft.object_richcomparebool([], 1, GE)
        # == and != fall back to identity.
        self.assertIs(ft.object_richcompare(1, "a", EQ), False)
        self.assertIs(ft.object_richcompare(1, "a", NE), True)

    def test_richcomparebool(self):
        self.assertEqual(ft.object_richcomparebool(1, 2, LT), 1)
        self.assertEqual(ft.object_richcomparebool(1, 2, GT), 0)
        self.assertEqual(ft.object_richcomparebool(2**64, 2**64, EQ), 1)

    def test_richcomparebool_identity(self):
        # Identity implies equality for EQ/NE in RichCompareBool only.
        nan = float("nan")
        self.assertEqual(ft.object_richcomparebool(nan, nan, EQ), 1)
        self.assertEqual(ft.object_richcomparebool(nan, nan, NE), 0)
        self.assertIs(ft.object_richcompare(nan, nan, EQ), False)
        other = float("nan")
        # PyPy's floats are the same object when their bits are equal
        # (`nan is float("nan")` there), so this is about the host, not the C API.
        expected = 1 if nan is other else 0
        self.assertEqual(ft.object_richcomparebool(nan, other, EQ), expected)

    def test_identity_kept(self):
        # Equal strs that are distinct objects (more than share one hash
        # bucket), objects hashing by identity, tuples and lists: each crossing
        # again gives C the same pointer, and distinct objects distinct ones.
        strs = ["".join(["k", "ey"]) for _ in range(12)]
        class Never:
            def __eq__(self, other):
                return False
            __hash__ = object.__hash__
        items = strs + [Never() for _ in range(6)] + [(i, "t") for i in range(3)] + [[i] for i in range(3)]
        self.assertEqual(ft.object_identity_kept(items), [True] * len(items))
        for n in (12, 3, 12):   # again, once the crowded ones of that hash died
            strs = ["".join(["k", "ey"]) for _ in range(n)]
            self.assertEqual(ft.object_identity_kept(strs), [True] * n)
        a, b = Never(), Never()
        self.assertEqual(ft.object_richcomparebool(a, a, EQ), 1)
        self.assertEqual(ft.object_richcomparebool(a, b, EQ), 0)

    def test_richcomparebool_error_from_bool(self):
        class Bad:
            def __eq__(self, other):
                return Raising()
        with self.assertRaisesRegex(ZeroDivisionError, "bool failed"):
            ft.object_richcomparebool(Bad(), 1, EQ)


class TestHashTruth(unittest.TestCase):

    def test_hash(self):
        for v in (0, 1, -1, 2**63, "", "key", ASTRAL, b"b", (1, "a"), 1.5,
                  -0.0, None, True, frozenset({1})):
            self.assertEqual(ft.object_hash(v), hash(v))
        self.assertEqual(ft.object_hash(-1), -2)

    def test_hash_errors(self):
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.object_hash([])
        with self.assertRaisesRegex(TypeError, "unhashable type: 'dict'"):
            ft.object_hash({})
        with self.assertRaisesRegex(ZeroDivisionError, "hash failed"):
            ft.object_hash(Raising())

    def test_hashnotimplemented(self):
        with self.assertRaisesRegex(TypeError, "unhashable type: 'int'"):
            ft.object_hashnotimplemented(1)
        with self.assertRaisesRegex(TypeError, "unhashable type: 'Plain'"):
            ft.object_hashnotimplemented(Plain())

    def test_istrue(self):
        for v in (0, 1, -1, 0.0, -0.0, float("nan"), "", "x", b"", [], [0],
                  {}, None, True, False, Plain(), (), (None,), 2**100):
            self.assertEqual(ft.object_istrue(v), int(bool(v)))
            self.assertEqual(ft.object_not(v), int(not v))

    def test_istrue_via_len(self):
        class L:
            def __init__(self, n):
                self.n = n

            def __len__(self):
                return self.n
        self.assertEqual(ft.object_istrue(L(0)), 0)
        self.assertEqual(ft.object_istrue(L(3)), 1)

    def test_istrue_errors(self):
        with self.assertRaisesRegex(ZeroDivisionError, "bool failed"):
            ft.object_istrue(Raising())
        with self.assertRaisesRegex(ZeroDivisionError, "bool failed"):
            ft.object_not(Raising())
        with self.assertRaisesRegex(TypeError,
                                    "__bool__ should return bool, returned int"):
            ft.object_istrue(BadReturns())


class TestInstanceSubclass(unittest.TestCase):

    def test_isinstance(self):
        self.assertEqual(ft.object_isinstance(1, int), 1)
        self.assertEqual(ft.object_isinstance(True, int), 1)
        self.assertEqual(ft.object_isinstance(1, str), 0)
        self.assertEqual(ft.object_isinstance(1, (str, int)), 1)
        self.assertEqual(ft.object_isinstance(1, (str, (bytes, int))), 1)
        self.assertEqual(ft.object_isinstance(1, ()), 0)
        self.assertEqual(ft.object_isinstance(Plain(), object), 1)

    def test_isinstance_classes_of_type(self):
        # Classes whose metaclass is type: the MRO answers, then __class__.
        class Sub(dict):
            pass

        class Other:
            pass

        class Disguised:
            __class__ = property(lambda self: dict)
        self.assertEqual(ft.object_isinstance({}, Plain), 0)
        self.assertEqual(ft.object_isinstance(1, bool), 0)
        self.assertEqual(ft.object_isinstance(False, bool), 1)
        self.assertEqual(ft.object_isinstance(KeyError(), LookupError), 1)
        self.assertEqual(ft.object_isinstance(KeyError(), ValueError), 0)
        self.assertEqual(ft.object_isinstance(Sub(), dict), 1)
        self.assertEqual(ft.object_isinstance({}, Sub), 0)
        self.assertEqual(ft.object_isinstance(Plain(), Other), 0)
        self.assertEqual(ft.object_isinstance(Disguised(), dict), 1)
        self.assertEqual(ft.object_isinstance(Disguised(), Disguised), 1)
        self.assertEqual(ft.object_isinstance(Disguised(), list), 0)
        self.assertEqual(ft.type_issubtype(dict, Sub), False)
        self.assertEqual(ft.type_issubtype(bool, Plain), False)

    def test_isinstance_hooks(self):
        class Meta(type):
            def __instancecheck__(cls, inst):
                return inst == "yes"

        class Anything(metaclass=Meta):
            pass
        self.assertEqual(ft.object_isinstance("yes", Anything), 1)
        self.assertEqual(ft.object_isinstance("no", Anything), 0)

    def test_isinstance_errors(self):
        with self.assertRaisesRegex(
                TypeError,
                r"isinstance\(\) arg 2 must be a type, a tuple of types, "
                r"or a union"):
            ft.object_isinstance(1, 1)

    def test_issubclass(self):
        self.assertEqual(ft.object_issubclass(bool, int), 1)
        self.assertEqual(ft.object_issubclass(int, bool), 0)
        self.assertEqual(ft.object_issubclass(KeyError, (ValueError, LookupError)), 1)
        self.assertEqual(ft.object_issubclass(Plain, object), 1)
        with self.assertRaisesRegex(TypeError, r"issubclass\(\) arg 1 must be a class"):
            ft.object_issubclass(1, int)

    def test_type_issubtype(self):
        self.assertEqual(ft.type_issubtype(bool, int), True)
        self.assertEqual(ft.type_issubtype(int, bool), False)
        self.assertEqual(ft.type_issubtype(int, int), True)
        self.assertEqual(ft.type_issubtype(KeyError, BaseException), True)
        self.assertEqual(ft.type_issubtype(Plain, object), True)

    def test_typecheck(self):
        self.assertTrue(ft.object_typecheck(True, int))
        self.assertFalse(ft.object_typecheck(1, bool))
        self.assertTrue(ft.object_typecheck(Plain(), object))

    def test_callable_check(self):
        self.assertEqual(ft.callable_check(len), 1)
        self.assertEqual(ft.callable_check(int), 1)
        self.assertEqual(ft.callable_check(Plain().method), 1)
        self.assertEqual(ft.callable_check(lambda: 0), 1)
        self.assertEqual(ft.callable_check(1), 0)
        self.assertEqual(ft.callable_check(Plain()), 0)
        self.assertEqual(ft.callable_check(None), 0)   # NULL


class TestItems(unittest.TestCase):

    def test_getitem(self):
        self.assertEqual(ft.object_getitem([1, 2, 3], 1), 2)
        self.assertEqual(ft.object_getitem([1, 2, 3], -1), 3)
        self.assertEqual(ft.object_getitem({"a": 1}, "a"), 1)
        self.assertEqual(ft.object_getitem("abc", slice(1, None)), "bc")
        with self.assertRaises(KeyError):
            ft.object_getitem({}, "a")
        with self.assertRaises(IndexError):
            ft.object_getitem([], 0)
        with self.assertRaisesRegex(TypeError, "'int' object is not subscriptable"):
            ft.object_getitem(1, 0)
        with self.assertRaisesRegex(SystemError, NULLARG):
            ft.object_getitem(None, 0)
        with self.assertRaisesRegex(SystemError, NULLARG):
            ft.object_getitem([], None)

    def test_getitem_class_getitem(self):
        alias = ft.object_getitem(list, int)
        self.assertEqual(alias, list[int])

    def test_setitem(self):
        d = {}
        self.assertEqual(ft.object_setitem(d, "k", "v"), 0)
        self.assertEqual(d, {"k": "v"})
        lst = [1, 2]
        self.assertEqual(ft.object_setitem(lst, 0, "x"), 0)
        self.assertEqual(lst, ["x", 2])
        with self.assertRaises(IndexError):
            ft.object_setitem(lst, 5, 0)
        with self.assertRaisesRegex(TypeError,
                                    "'tuple' object does not support item assignment"):
            ft.object_setitem((1,), 0, 0)
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.object_setitem({}, [], 0)
        with self.assertRaisesRegex(SystemError, NULLARG):
            ft.object_setitem(d, "k", None)

    def test_delitem(self):
        d = {"k": 1}
        self.assertEqual(ft.object_delitem(d, "k"), 0)
        self.assertEqual(d, {})
        with self.assertRaises(KeyError):
            ft.object_delitem(d, "k")
        lst = [1, 2, 3]
        self.assertEqual(ft.object_delitem(lst, slice(0, 2)), 0)
        self.assertEqual(lst, [3])
        with self.assertRaisesRegex(TypeError,
                                    "'str' object doesn't support item deletion"):
            ft.object_delitem("abc", 0)
        with self.assertRaisesRegex(SystemError, NULLARG):
            ft.object_delitem(None, 0)

    def test_size(self):
        for o in ([], [1, 2], "", ASTRAL, {1: 2}, b"abc", range(10), set([1])):
            self.assertEqual(ft.object_size(o), len(o))
            self.assertEqual(ft.object_length(o), len(o))
        with self.assertRaisesRegex(TypeError, "object of type 'int' has no len()"):
            ft.object_size(1)
        with self.assertRaisesRegex(ZeroDivisionError, "len failed"):
            ft.object_size(Raising())
        with self.assertRaisesRegex(ValueError, r"__len__\(\) should return >= 0"):
            ft.object_length(BadReturns())
        with self.assertRaisesRegex(SystemError, NULLARG):
            ft.object_size(None)

    def test_lengthhint(self):
        self.assertEqual(ft.object_lengthhint([1, 2, 3], 7), 3)
        self.assertEqual(ft.object_lengthhint(iter([1, 2]), 7), 2)
        self.assertEqual(ft.object_lengthhint((x for x in ()), 7), 7)

        class Hint:
            def __length_hint__(self):
                return 11
        self.assertEqual(ft.object_lengthhint(Hint(), 0), 11)

    def test_format(self):
        self.assertEqual(ft.object_format(1.5, ".3f"), "1.500")
        self.assertEqual(ft.object_format(255, "x"), "ff")
        self.assertEqual(ft.object_format("s", ">3"), "  s")
        self.assertEqual(ft.object_format(42, None), "42")
        self.assertEqual(ft.object_format(ASTRAL, ""), ASTRAL)
        with self.assertRaises(ValueError):
            ft.object_format(1, "q")
        with self.assertRaisesRegex(SystemError,
                                    "Format specifier must be a string, not int"):
            ft.object_format(1, 5)


class TestIteration(unittest.TestCase):

    def test_getiter(self):
        self.assertEqual(list(ft.object_getiter([1, 2])), [1, 2])
        self.assertEqual(list(ft.object_getiter("ab")), ["a", "b"])
        it = iter([1])
        self.assertIs(ft.object_getiter(it), it)
        with self.assertRaisesRegex(TypeError, "'int' object is not iterable"):
            ft.object_getiter(1)

    def test_getiter_sequence_protocol(self):
        class Seq:
            def __getitem__(self, i):
                if i >= 3:
                    raise IndexError
                return i * 10
        self.assertEqual(list(ft.object_getiter(Seq())), [0, 10, 20])

    def test_iter_check(self):
        self.assertEqual(ft.iter_check(iter([])), 1)
        self.assertEqual(ft.iter_check(x for x in ()), 1)
        self.assertEqual(ft.iter_check([]), 0)
        self.assertEqual(ft.iter_check(1), 0)

    def test_iter_next(self):
        it = iter([1, "two"])
        self.assertEqual(ft.iter_next(it), 1)
        self.assertEqual(ft.iter_next(it), "two")
        self.assertIs(ft.iter_next(it), NULL)
        self.assertIs(ft.iter_next(it), NULL)

    def test_iter_next_stopiteration_value_cleared(self):
        def gen():
            yield 1
            return "value"
        g = gen()
        self.assertEqual(ft.iter_next(g), 1)
        self.assertIs(ft.iter_next(g), NULL)

    def test_iter_next_error(self):
        def gen():
            yield 1
            raise KeyError("in generator")
        g = gen()
        self.assertEqual(ft.iter_next(g), 1)
        with self.assertRaises(KeyError):
            ft.iter_next(g)

    def test_iter_next_python_iterator(self):
        # tp_iternext is the class's __next__ (inherited here), not an
        # instance attribute; a StopIteration it raises ends the iteration.
        class Base:
            def __init__(self):
                self.left = [1, 2]
            def __next__(self):
                if not self.left:
                    raise StopIteration
                return self.left.pop(0)
        class Counter(Base):
            pass
        c = Counter()
        c.__next__ = lambda: "instance attribute"
        self.assertEqual(ft.iter_next(c), 1)
        self.assertEqual(ft.iter_next(c), 2)
        self.assertIs(ft.iter_next(c), NULL)
        self.assertIs(ft.iter_next(c), NULL)

    def test_iter_next_same_iterator_many_calls(self):
        it = iter(range(1000))
        self.assertEqual([ft.iter_next(it) for _ in range(1000)], list(range(1000)))
        self.assertIs(ft.iter_next(it), NULL)

    def test_iterate_to_list(self):
        self.assertEqual(ft.iterate_to_list(range(5)), [0, 1, 2, 3, 4])
        self.assertEqual(ft.iterate_to_list({"a": 1, "b": 2}), ["a", "b"])
        self.assertEqual(ft.iterate_to_list(""), [])
        self.assertEqual(ft.iterate_to_list(ASTRAL + BMP), list(ASTRAL + BMP))

        def gen():
            yield 1
            raise ValueError("stop here")
        with self.assertRaisesRegex(ValueError, "stop here"):
            ft.iterate_to_list(gen())

    def test_selfiter(self):
        it = iter([])
        self.assertIs(ft.object_selfiter(it), it)
        p = Plain()
        self.assertIs(ft.object_selfiter(p), p)

    def test_iter_send(self):
        def gen():
            x = yield 1
            yield x * 2
            return "done"
        g = gen()
        self.assertEqual(ft.iter_send(g, None), ("next", 1))
        self.assertEqual(ft.iter_send(g, 21), ("next", 42))
        self.assertEqual(ft.iter_send(g, None), ("return", "done"))

    def test_iter_send_plain_iterator(self):
        it = iter([5])
        self.assertEqual(ft.iter_send(it, None), ("next", 5))
        self.assertEqual(ft.iter_send(it, None), ("return", None))


class TestCalls(unittest.TestCase):

    def test_call(self):
        self.assertEqual(ft.object_call(echo, (1, 2), {"k": 3}),
                         ((1, 2), {"k": 3}))
        self.assertEqual(ft.object_call(echo, ()), ((), {}))
        self.assertEqual(ft.object_call(echo, (), None), ((), {}))
        self.assertEqual(ft.object_call(echo, (), {}), ((), {}))
        self.assertEqual(ft.object_call(len, ("abc",)), 3)
        self.assertEqual(ft.object_call(int, ("ff",), {"base": 16}), 255)
        self.assertEqual(ft.object_call(Plain().method, (1,), {"a": 2}),
                         ("method", (1,), {"a": 2}))

    def test_call_errors(self):
        with self.assertRaisesRegex(TypeError, "'int' object is not callable"):
            ft.object_call(1, ())
        with self.assertRaises(TypeError):
            ft.object_call(len, (), {"bad": 1})

        def boom():
            raise KeyError("boom")
        with self.assertRaises(KeyError):
            ft.object_call(boom, ())

    def test_callobject(self):
        self.assertEqual(ft.object_callobject(echo, (1,)), ((1,), {}))
        self.assertEqual(ft.object_callobject(echo, None), ((), {}))
        self.assertEqual(ft.object_callobject(echo, ()), ((), {}))
        with self.assertRaisesRegex(TypeError, "argument list must be a tuple"):
            ft.object_callobject(echo, [1])

    def test_callnoargs_callonearg(self):
        self.assertEqual(ft.object_callnoargs(echo), ((), {}))
        self.assertEqual(ft.object_callnoargs(list), [])
        self.assertEqual(ft.object_callonearg(echo, (1, 2)), (((1, 2),), {}))
        self.assertEqual(ft.object_callonearg(len, "four"), 4)
        # int(s) and float(s) of a str, called from C (simplejson's parse_int
        # and parse_float).
        self.assertEqual(ft.object_callonearg(int, " -12_3 "), -123)
        self.assertEqual(ft.object_callonearg(float, "2.5e1"), 25.0)
        self.assertEqual(ft.object_callonearg(int, "\uff11\uff12"), 12)
        with self.assertRaisesRegex(ValueError, r"^invalid literal for int\(\) with base 10: '1\.5'$"):
            ft.object_callonearg(int, "1.5")
        with self.assertRaisesRegex(ValueError, r"^could not convert string to float: 'one'$"):
            ft.object_callonearg(float, "one")
        self.assertEqual(ft.object_callonearg(int, 2.75), 2)
        self.assertIs(type(ft.object_callonearg(float, 2)), float)
        with self.assertRaisesRegex(TypeError, "'str' object is not callable"):
            ft.object_callnoargs("x")

    def test_callfunction(self):
        self.assertEqual(ft.object_callfunction(echo, "null"), ((), {}))
        self.assertEqual(ft.object_callfunction(echo, "empty"), ((), {}))
        self.assertEqual(ft.object_callfunction(echo, "int"), ((7,), {}))
        self.assertEqual(ft.object_callfunction(echo, "ints"), ((1, 2, 3), {}))
        self.assertEqual(ft.object_callfunction(echo, "mixed", [1]),
                         ((-1, "txt", 2.5, [1]), {}))
        self.assertEqual(ft.object_callfunction(echo, "sizet"), (("abc",), {}))

    def test_callfunction_tuple_unpacking(self):
        # A format producing one tuple passes its items as the arguments.
        self.assertEqual(ft.object_callfunction(echo, "tuple"), ((4, 5), {}))
        self.assertEqual(ft.object_callfunction(echo, "obj", (8, 9)), ((8, 9), {}))
        self.assertEqual(ft.object_callfunction(echo, "obj", [8, 9]), (([8, 9],), {}))

    def test_callfunctionobjargs(self):
        self.assertEqual(ft.object_callfunctionobjargs(echo), ((), {}))
        self.assertEqual(ft.object_callfunctionobjargs(echo, 1), ((1,), {}))
        self.assertEqual(ft.object_callfunctionobjargs(echo, 1, "a", None),
                         ((1, "a", None), {}))
        self.assertEqual(ft.object_callfunctionobjargs(echo, (1, 2)),
                         (((1, 2),), {}))

    def test_callmethod(self):
        p = Plain()
        self.assertEqual(ft.object_callmethod(p, "method", "null"),
                         ("method", (), {}))
        self.assertEqual(ft.object_callmethod(p, "method", "int"),
                         ("method", (7,), {}))
        self.assertEqual(ft.object_callmethod(p, "method", "strs"),
                         ("method", ("x", "y"), {}))
        self.assertEqual(ft.object_callmethod(p, "method", "obj", (1, 2)),
                         ("method", (1, 2), {}))
        self.assertEqual(ft.object_callmethod("a,b", "split", "obj", ","),
                         ["a", "b"])
        with self.assertRaises(AttributeError):
            ft.object_callmethod(p, "nope", "null")
        with self.assertRaisesRegex(TypeError,
                                    "attribute of type 'int' is not callable"):
            ft.object_callmethod(p, "attr", "null")

    def test_callmethodobjargs(self):
        p = Plain()
        self.assertEqual(ft.object_callmethodobjargs(p, "method"),
                         ("method", (), {}))
        self.assertEqual(ft.object_callmethodobjargs(p, "method", 1, 2),
                         ("method", (1, 2), {}))
        self.assertEqual(ft.object_callmethodobjargs([3, 1], "index", 1), 1)
        with self.assertRaises(AttributeError):
            ft.object_callmethodobjargs(p, "nope")

    def test_callmethod_noargs_onearg(self):
        self.assertEqual(ft.object_callmethodnoargs("abc", "upper"), "ABC")
        self.assertEqual(ft.object_callmethodonearg("a-b", "split", "-"),
                         ["a", "b"])
        self.assertEqual(ft.object_callmethodonearg(Plain(), "method", None),
                         ("method", (None,), {}))

    def test_vectorcall(self):
        self.assertEqual(ft.object_vectorcall(echo, ()), ((), {}))
        self.assertEqual(ft.object_vectorcall(echo, (1, 2)), ((1, 2), {}))
        self.assertEqual(ft.object_vectorcall(echo, (1, 2, 3), ("b", "c")),
                         ((1,), {"b": 2, "c": 3}))
        self.assertEqual(ft.object_vectorcall(echo, (1,), None), ((1,), {}))
        self.assertEqual(ft.object_vectorcall(int, ("7f", 16), ("base",)), 127)
        self.assertEqual(ft.object_vectorcall(Plain().method, ("x",), ()),
                         ("method", ("x",), {}))

    def test_vectorcall_errors(self):
        with self.assertRaisesRegex(TypeError, "'int' object is not callable"):
            ft.object_vectorcall(1, ())
        with self.assertRaises(TypeError):
            ft.object_vectorcall(len, ("abc", 1), ("nope",))

    def test_vectorcalldict(self):
        self.assertEqual(ft.object_vectorcalldict(echo, (1,), {"k": 2}),
                         ((1,), {"k": 2}))
        self.assertEqual(ft.object_vectorcalldict(echo, ()), ((), {}))
        self.assertEqual(ft.object_vectorcalldict(echo, (), None), ((), {}))

    def test_vectorcallmethod(self):
        self.assertEqual(ft.object_vectorcallmethod("split", ("a b c",)),
                         ["a", "b", "c"])
        self.assertEqual(ft.object_vectorcallmethod("split", ("a-b", "-")),
                         ["a", "b"])
        with self.assertRaises(AttributeError):
            ft.object_vectorcallmethod("nope", ("x",))

    def test_vectorcall_nargs(self):
        self.assertEqual(ft.vectorcall_nargs(3, False), 3)
        self.assertEqual(ft.vectorcall_nargs(3, True), 3)
        self.assertEqual(ft.vectorcall_nargs(0, True), 0)

    def test_vectorcall_call(self):
        self.assertEqual(ft.vectorcall_call(len, ("abc",)), 3)
        self.assertEqual(ft.vectorcall_call(echo, (1,), {"k": 2}),
                         ((1,), {"k": 2}))


class TestRecursion(unittest.TestCase):

    def test_nest_within_limit(self):
        self.assertEqual(ft.recursion_nest(0), 0)
        self.assertEqual(ft.recursion_nest(50), 50)

    def test_nest_beyond_limit(self):
        with self.assertRaisesRegex(
                RecursionError,
                "maximum recursion depth exceeded in ferrytest nest"):
            ft.recursion_nest(10**6)
        # The guard is released on the way out: a later call works again.
        self.assertEqual(ft.recursion_nest(50), 50)

    def test_recursive_call_through_python(self):
        depth = []

        def again():
            depth.append(1)
            return ft.recursive_call(again)
        with self.assertRaises(RecursionError):
            ft.recursive_call(again)
        self.assertGreater(len(depth), 10)
        self.assertEqual(ft.recursive_call(lambda: "fine"), "fine")

    def test_repr_enter(self):
        self.assertEqual(ft.repr_enter_twice([]), (0, 1))
        self.assertEqual(ft.repr_enter_twice({}), (0, 1))

    def test_recursive_repr(self):
        lst = [1]
        lst.append(lst)
        self.assertEqual(ft.object_repr(lst), "[1, [...]]")



class TestRefFunctions(unittest.TestCase):
    # The exported functions behind the 3.11 macros / inline functions.

    def test_incref_decref(self):
        o = object()
        self.assertIs(ft.object_incref_decref(o), o)
        self.assertIsNone(ft.object_incref_decref(None))   # NULL accepted

    def test_is(self):
        a = []
        self.assertTrue(ft.object_is(a, a))
        self.assertFalse(ft.object_is(a, []))
        self.assertTrue(ft.object_is(None, None))

    def test_isnone(self):
        self.assertEqual(ft.object_is_singletons(None)[0], 1)
        self.assertEqual(ft.object_is_singletons(0)[0], 0)

    def test_istrue(self):
        self.assertEqual(ft.object_is_singletons(True), (0, 1, 0))
        self.assertEqual(ft.object_is_singletons(1), (0, 0, 0))

    def test_isfalse(self):
        self.assertEqual(ft.object_is_singletons(False), (0, 0, 1))
        self.assertEqual(ft.object_is_singletons(0), (0, 0, 0))

    def test_newref(self):
        o = object()
        self.assertIs(ft.object_newref(o), o)

    def test_xnewref(self):
        o = object()
        self.assertIs(ft.object_xnewref(o), o)
        self.assertIs(ft.object_xnewref(None), NULL)


class TestStaticTypeData(unittest.TestCase):

    def check(self, name, pytype, instance, other):
        self.assertIs(ft.object_static_type(name), pytype)
        self.assertTrue(ft.object_is_static_type(name, instance))
        self.assertFalse(ft.object_is_static_type(name, other))

    def test_function_type(self):
        self.check("PyFunction_Type", types.FunctionType, lambda: 0, len)

    def test_method_type(self):
        class C:
            def m(self):
                pass
        self.check("PyMethod_Type", types.MethodType, C().m, C.m)

    def test_memoryview_type(self):
        self.check("PyMemoryView_Type", memoryview, memoryview(b"x"), b"x")

    def test_property_type(self):
        self.check("PyProperty_Type", property, property(), 1)

    def test_range_type(self):
        self.check("PyRange_Type", range, range(3), [0, 1, 2])

    def test_none_type(self):
        self.check("_PyNone_Type", type(None), None, NotImplemented)

    def test_notimplemented_type(self):
        self.check("_PyNotImplemented_Type", type(NotImplemented), NotImplemented, None)

    def test_moduledef_type(self):
        t = ft.object_static_type("PyModuleDef_Type")
        self.assertIsInstance(t, type)
        self.assertEqual(t.__name__, "moduledef")
        self.assertTrue(ft.object_is_static_type("PyModuleDef_Type", ft.object_moduledef()))
        self.assertFalse(ft.object_is_static_type("PyModuleDef_Type", ft))

    def test_cmethod_type(self):
        class Owner:
            pass
        t = ft.object_static_type("PyCMethod_Type")
        self.assertIsInstance(t, type)
        self.assertEqual(t.__name__, "builtin_method")
        m = ft.cmethod_new("method", "S", "mod", Owner)
        self.assertTrue(ft.object_is_static_type("PyCMethod_Type", m))
        self.assertFalse(ft.object_is_static_type("PyCMethod_Type", len))


class HasFileno:
    def __init__(self, result):
        self.result = result

    def fileno(self):
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result


class FailingLookup:
    def __getattr__(self, name):
        raise KeyError(name)


class TestFileDescriptor(unittest.TestCase):

    def test_int_and_fileno(self):
        self.assertEqual(ft.object_asfiledescriptor(0), 0)
        self.assertEqual(ft.object_asfiledescriptor(7), 7)
        self.assertEqual(ft.object_asfiledescriptor(True), 1)
        self.assertEqual(ft.object_asfiledescriptor(HasFileno(5)), 5)
        with open(__file__, "rb") as f:
            self.assertEqual(ft.object_asfiledescriptor(f), f.fileno())

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, r"^file descriptor cannot be a negative integer \(-3\)$"):
            ft.object_asfiledescriptor(-3)
        with self.assertRaisesRegex(ValueError, r"negative integer \(-1\)$"):
            ft.object_asfiledescriptor(HasFileno(-1))
        with self.assertRaisesRegex(OverflowError, "too large to convert to C int"):
            ft.object_asfiledescriptor(2 ** 40)
        with self.assertRaisesRegex(TypeError, r"^argument must be an int, or have a fileno\(\) method\.$"):
            ft.object_asfiledescriptor(1.5)
        with self.assertRaisesRegex(TypeError, r"^fileno\(\) returned a non-integer$"):
            ft.object_asfiledescriptor(HasFileno("3"))
        with self.assertRaisesRegex(ZeroDivisionError, "inside"):
            ft.object_asfiledescriptor(HasFileno(ZeroDivisionError("inside")))
        with self.assertRaises(KeyError):
            ft.object_asfiledescriptor(FailingLookup())


class TestHashPointer(unittest.TestCase):

    def rotated(self, p):
        bits = 64
        y = ((p >> 4) | (p << (bits - 4))) & (2 ** bits - 1)
        y = y - 2 ** bits if y >= 2 ** (bits - 1) else y
        return -2 if y == -1 else y

    def test_rotation(self):
        for p in (0, 16, 0x7f0012345670, 0x10, 0xf, 2 ** 64 - 16, 0xfffffffffffffff0 | 0xf):
            self.assertEqual(ft.object_hashpointer(p), self.rotated(p), hex(p))
        # The rotation of all ones is -1, the error value: -2 instead.
        self.assertEqual(ft.object_hashpointer(2 ** 64 - 1), -2)

    @unittest.skipUnless(sys.implementation.name == "cpython", "ids are addresses on CPython")
    def test_default_object_hash(self):
        o = object()
        self.assertEqual(ft.object_hashpointer(id(o)), hash(o))



class TestNewReference(unittest.TestCase):
    """_Py_NewReference: an object whose tp_dealloc kept its block (a free
    list of the extension's own, as gi's result tuples) comes back with a
    count of 1 and lives a new life."""

    def setUp(self):
        collect()
        ft.recycled_clear()

    tearDown = setUp

    def drop(self):
        for _ in range(10):
            if ft.recycled_pending():
                break
            collect()
        self.assertTrue(ft.recycled_pending())

    def test_recycled(self):
        a = ft.recycled_make(1)
        self.assertEqual((a.value, a.reused), (1, 0))
        self.assertFalse(ft.recycled_pending())
        del a
        self.drop()
        b = ft.recycled_make(2)
        self.assertFalse(ft.recycled_pending())
        self.assertIs(type(b), ft.Recycled)
        self.assertEqual((b.value, b.reused, b.refcnt_after), (2, 1, 1))
        b.value = 7
        same, value = ft.recycled_roundtrip(b)
        self.assertIs(same, b)
        self.assertEqual(value, 7)
        held = [b]
        del b, same
        collect()
        self.assertFalse(ft.recycled_pending())   # still alive in `held`
        self.assertEqual(held[0].value, 7)
        held.clear()
        self.drop()
        # A third life, and a new object once the list is empty.
        c = ft.recycled_make(3)
        self.assertEqual((c.value, c.reused, c.refcnt_after), (3, 1, 1))
        d = ft.recycled_make(4)
        self.assertEqual((d.value, d.reused), (4, 0))
        self.assertIsNot(c, d)
        self.assertEqual(ft.recycled_roundtrip(c), (c, 3))


if __name__ == "__main__":
    unittest.main()


# --- finalizers ---------------------------------------------------------------
# Through ferry an object dies when the host collects its wrapper, so every
# check of a death collects first (on CPython the objects die at once).

Finalizable, SpecFinalizable, SpecFinalizableNoGC = (
    ft.Finalizable, ft.SpecFinalizable, ft.SpecFinalizableNoGC)


def collect():
    for _ in range(3):
        gc.collect()


def logged():
    """What the finalizers logged: (entry, pending exception type) pairs."""
    collect()
    return list(ft.finalizer_log)


class Token:
    """A Python object whose death a weak reference shows."""


class TestFinalizerStatic(unittest.TestCase):
    """Finalizable: a static GC type whose tp_dealloc calls
    PyObject_CallFinalizerFromDealloc unless PyObject_GC_IsFinalized, as
    Cython's do."""

    def setUp(self):
        collect()
        ft.finalizer_reset()

    tearDown = setUp

    def test_runs_once_at_death(self):
        before = ft.finalizable_deallocs()
        f = Finalizable("a")
        self.assertEqual(ft.gc_isfinalized(f), 0)
        self.assertEqual(logged(), [])
        del f
        self.assertEqual(logged(), [("a", None)])
        self.assertEqual(ft.finalizable_deallocs(), before + 1)
        collect()
        self.assertEqual(logged(), [("a", None)])

    def test_call_finalizer(self):
        before = ft.finalizable_deallocs()
        f = Finalizable("b")
        self.assertIsNone(ft.object_callfinalizer(f))
        self.assertEqual(logged(), [("b", None)])
        self.assertEqual(ft.gc_isfinalized(f), 1)
        # At most once per object, and not again at its death.
        ft.object_callfinalizer(f)
        self.assertEqual(logged(), [("b", None)])
        del f
        self.assertEqual(logged(), [("b", None)])
        self.assertEqual(ft.finalizable_deallocs(), before + 1)

    def test_resurrection(self):
        before = ft.finalizable_deallocs()
        f = Finalizable("r", 1)
        del f
        self.assertEqual(logged(), [("r", None)])
        # The finalizer stored the object: it lives on, finalized.
        self.assertEqual(len(ft.finalizer_keep), 1)
        kept = ft.finalizer_keep[0]
        self.assertIs(type(kept), Finalizable)
        self.assertEqual((kept.name, kept.resurrect), ("r", 0))
        self.assertEqual(ft.gc_isfinalized(kept), 1)
        self.assertEqual(ft.finalizable_deallocs(), before)
        # Dropped again: dies without a second finalizer call.
        del kept
        ft.finalizer_release_kept()
        self.assertEqual(logged(), [("r", None)])
        self.assertEqual(ft.finalizable_deallocs(), before + 1)

    def test_resurrect_then_call_finalizer(self):
        f = Finalizable("rc", 1)
        del f
        collect()
        kept = ft.finalizer_keep[0]
        ft.object_callfinalizer(kept)
        self.assertEqual(logged(), [("rc", None)])

    def test_pending_error_survives_dealloc(self):
        # The object dies with KeyError pending (now on CPython, at the
        # collection through ferry): the error reaches the caller intact.
        with self.assertRaisesRegex(KeyError, "^'pending'$"):
            ft.finalizable_drop_pending(Finalizable, "p")
        self.assertEqual([entry for entry, _ in logged()], ["p"])

    def test_pending_error_survives_call_finalizer(self):
        f = Finalizable("q")
        with self.assertRaisesRegex(KeyError, "^'pending'$"):
            ft.object_callfinalizer_pending(f)
        # The finalizer saw the pending error (and restored it).
        self.assertEqual(logged(), [("q", KeyError)])
        self.assertEqual(ft.gc_isfinalized(f), 1)

    def test_objects_without_finalizer(self):
        for o in (1, "s", [], {}, Token(), Finalizable, SpecFinalizable, None):
            with self.subTest(o=o):
                self.assertIsNone(ft.object_callfinalizer(o))
                self.assertEqual(ft.gc_isfinalized(o), 0)
        self.assertEqual(logged(), [])

    def test_python_del(self):
        # A Python class's __del__ is its tp_finalize: called once, and not
        # again when the object dies.
        log = []

        class WithDel:
            def __del__(self):
                log.append("del")

        d = WithDel()
        ft.object_callfinalizer(d)
        self.assertEqual(log, ["del"])
        self.assertEqual(ft.gc_isfinalized(d), 1)
        ft.object_callfinalizer(d)
        del d
        collect()
        self.assertEqual(log, ["del"])


class TestFinalizerHeapType(unittest.TestCase):
    """SpecFinalizable(NoGC): PyType_FromSpec without Py_tp_dealloc; the
    default dealloc runs Py_tp_finalize, then clears the writable T_OBJECT_EX
    members and the instance dict."""

    def setUp(self):
        collect()
        ft.finalizer_reset()

    tearDown = setUp

    def test_has_default_dealloc(self):
        s = SpecFinalizable("x")
        self.assertEqual(s.name, "x")
        with self.assertRaisesRegex(AttributeError, "^'_ferrytest.SpecFinalizable' object "
                                                    "has no attribute 'ro'$"):
            s.ro
        with self.assertRaisesRegex(AttributeError, "^'_ferrytest.SpecFinalizable' object "
                                                    "has no attribute 'extra'$"):
            s.extra
        del s
        self.assertEqual(logged(), [(("x", 0), None)])

    def test_members_and_dict_cleared(self):
        extra, ro, attr = Token(), Token(), Token()
        refs = [weakref.ref(t) for t in (extra, ro, attr)]
        s = SpecFinalizable("m", ro)
        s.extra = extra
        s.attr = attr
        self.assertIs(s.ro, ro)
        self.assertIs(s.attr, attr)
        del extra, ro, attr
        collect()
        self.assertEqual([r() is None for r in refs], [False] * 3)
        del s
        # The finalizer ran before the members were cleared: it saw them.
        self.assertEqual(logged(), [(("m", 1), None)])
        # extra (T_OBJECT_EX) and the dict's value are released; ro
        # (READONLY) is left alone, as by CPython's subtype_dealloc.
        self.assertEqual([r() is None for r in refs], [True, False, True])

    def test_call_finalizer(self):
        s = SpecFinalizable("c")
        s.extra = 1
        self.assertEqual(ft.gc_isfinalized(s), 0)
        ft.object_callfinalizer(s)
        ft.object_callfinalizer(s)
        self.assertEqual(logged(), [(("c", 1), None)])
        self.assertEqual(ft.gc_isfinalized(s), 1)
        del s
        self.assertEqual(logged(), [(("c", 1), None)])

    def test_resurrection(self):
        s = SpecFinalizable("r", resurrect=1)
        s.extra = "e"
        del s
        self.assertEqual(logged(), [(("r", 1), None)])
        kept = ft.finalizer_keep[0]
        self.assertIs(type(kept), SpecFinalizable)
        # Nothing was cleared: the object is whole.
        self.assertEqual((kept.name, kept.extra), ("r", "e"))
        self.assertEqual(ft.gc_isfinalized(kept), 1)
        token = Token()
        ref = weakref.ref(token)
        kept.extra = token
        del kept, token
        ft.finalizer_release_kept()
        collect()
        # Dies for good: no second finalizer call, members released.
        self.assertEqual(logged(), [(("r", 1), None)])
        self.assertIsNone(ref())

    def test_resurrection_keeps_instance_dict(self):
        s = SpecFinalizable("d", resurrect=1)
        s.attr = "kept"
        del s
        collect()
        kept = ft.finalizer_keep[0]
        self.assertEqual(kept.attr, "kept")

    def test_pending_error_survives_dealloc(self):
        with self.assertRaisesRegex(KeyError, "^'pending'$"):
            ft.finalizable_drop_pending(SpecFinalizable, "p")
        self.assertEqual([entry for entry, _ in logged()], [("p", 0)])

    def test_no_gc(self):
        # Without Py_TPFLAGS_HAVE_GC nothing records that the finalizer ran:
        # PyObject_CallFinalizer runs it each time, PyObject_GC_IsFinalized
        # stays 0, and a resurrected object is finalized again at its death.
        n = SpecFinalizableNoGC("n")
        ft.object_callfinalizer(n)
        ft.object_callfinalizer(n)
        self.assertEqual(ft.gc_isfinalized(n), 0)
        self.assertEqual(logged(), [(("n", 0), None)] * 2)
        ft.finalizer_reset()
        n.resurrect = 1
        del n
        self.assertEqual(logged(), [(("n", 0), None)])
        self.assertEqual(len(ft.finalizer_keep), 1)
        ft.finalizer_release_kept()
        self.assertEqual(logged(), [(("n", 0), None)] * 2)
        self.assertEqual(len(ft.finalizer_keep), 0)
