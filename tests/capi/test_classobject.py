"""Bound methods: PyMethod_New, PyMethod_Function, PyMethod_Self and the
macros PyMethod_Check, PyMethod_GET_FUNCTION, PyMethod_GET_SELF, from
Objects/classobject.c, used as Cython unpacks `obj.meth` before calling.

C side: tests/capi/ext/classobject.c.
"""
import types
import unittest

import _ferrytest as ft

NULL = ft.NULL
BADCALL = "bad argument to internal function"


class C:
    def meth(self, x=0, *, k=None):
        return (self, x, k)

    @classmethod
    def cm(cls, x):
        return (cls, x)

    @staticmethod
    def sm(x):
        return x


def plain(*args, **kwargs):
    return (args, kwargs)


class TestMacros(unittest.TestCase):

    def test_bound_method(self):
        o = C()
        check, func, self_, same_func, same_self = ft.method_macros(o.meth)
        self.assertEqual(check, 1)
        self.assertIs(func, C.meth)
        self.assertIs(self_, o)
        self.assertEqual((same_func, same_self), (1, 1))

    def test_classmethod(self):
        check, func, self_, _, _ = ft.method_macros(C.cm)
        self.assertEqual(check, 1)
        self.assertIs(func, C.__dict__["cm"].__func__)
        self.assertIs(self_, C)

    def test_not_methods(self):
        for o in (C.meth, C.sm, plain, lambda: 0, 5, None, C, C()):
            with self.subTest(o=o):
                self.assertEqual(ft.method_macros(o), (0,))


class TestFunctionSelf(unittest.TestCase):

    def test_of_bound_method(self):
        o = C()
        m = o.meth
        self.assertIs(ft.method_function(m), C.meth)
        self.assertIs(ft.method_self(m), o)
        self.assertIs(ft.method_function(C.cm), C.__dict__["cm"].__func__)
        self.assertIs(ft.method_self(C.cm), C)

    def test_not_a_method(self):
        for o in (C.meth, plain, 5, None):
            with self.subTest(o=o):
                with self.assertRaisesRegex(SystemError, BADCALL):
                    ft.method_function(o)
                with self.assertRaisesRegex(SystemError, BADCALL):
                    ft.method_self(o)


class TestNew(unittest.TestCase):

    def test_new(self):
        o = C()
        m = ft.method_new(C.meth, o)
        self.assertIs(type(m), types.MethodType)
        self.assertIs(m.__func__, C.meth)
        self.assertIs(m.__self__, o)
        self.assertEqual(m, o.meth)
        self.assertEqual(hash(m), hash(o.meth))
        self.assertIs(ft.method_function(m), C.meth)
        self.assertIs(ft.method_self(m), o)
        check, func, self_, _, _ = ft.method_macros(m)
        self.assertEqual(check, 1)
        self.assertIs(func, C.meth)
        self.assertIs(self_, o)

    def test_call_from_python(self):
        o = C()
        m = ft.method_new(C.meth, o)
        self.assertEqual(m(), (o, 0, None))
        self.assertEqual(m(1, k=2), (o, 1, 2))
        m2 = ft.method_new(plain, "self")
        self.assertEqual(m2(1, a=2), (("self", 1), {"a": 2}))
        # Any callable: a builtin gets self as its first argument.
        self.assertEqual(ft.method_new(len, "abcd")(), 4)
        with self.assertRaisesRegex(TypeError, r"meth\(\) takes from 1 to 2 positional "
                                               r"arguments but 4 were given"):
            m(1, 2, 3)

    def test_call_from_c(self):
        o = C()
        self.assertEqual(ft.method_new_call(C.meth, o, (4,), {"k": 5}), (o, 4, 5))
        self.assertEqual(ft.method_new_call(C.meth, o, (), None), (o, 0, None))
        self.assertEqual(ft.method_new_call(len, "abc", (), None), 3)
        self.assertEqual(ft.method_new_call(plain, 1, (2,), {"z": 3}), ((1, 2), {"z": 3}))
        with self.assertRaisesRegex(TypeError, "'int' object is not callable"):
            ft.method_new_call(5, o, (), None)

    def test_not_callable_func(self):
        # PyMethod_New does not check its function; calling the method fails.
        m = ft.method_new(5, "s")
        self.assertIs(type(m), types.MethodType)
        with self.assertRaisesRegex(TypeError, "'int' object is not callable"):
            m()

    def test_none_self(self):
        # C may bind None (types.MethodType refuses it).
        m = ft.method_new(plain, None)
        self.assertIsNone(m.__self__)
        self.assertIs(m.__func__, plain)
        self.assertEqual(m(1), ((None, 1), {}))
        self.assertEqual(m(1, k=2), ((None, 1), {"k": 2}))
        self.assertEqual(m.__name__, "plain")
        self.assertEqual(repr(m), "<bound method plain of None>")
        m2 = ft.method_new(plain, None)
        self.assertEqual(m, m2)
        self.assertEqual(hash(m), hash(m2))
        self.assertNotEqual(m, ft.method_new(plain, 0))

    def test_null_self(self):
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.method_new_null(plain)


class TestCythonCall(unittest.TestCase):
    """The function called with self first, as Cython calls `obj.meth(...)`."""

    def test_unpacked(self):
        o = C()
        self.assertEqual(ft.method_unpack_call(o.meth, (3,)), (1, (o, 3, None)))
        self.assertEqual(ft.method_unpack_call(C.cm, (4,)), (1, (C, 4)))
        self.assertEqual(ft.method_unpack_call(ft.method_new(plain, o), ()), (1, ((o,), {})))

    def test_not_unpacked(self):
        self.assertEqual(ft.method_unpack_call(len, ("ab",)), (0, 2))
        self.assertEqual(ft.method_unpack_call(C.sm, (5,)), (0, 5))
        o = C()
        self.assertEqual(ft.method_unpack_call(C.meth, (o, 6)), (0, (o, 6, None)))

    def test_errors_propagate(self):
        o = C()
        with self.assertRaisesRegex(TypeError, r"meth\(\) takes from 1 to 2 positional "
                                               r"arguments but 3 were given"):
            ft.method_unpack_call(o.meth, (1, 2))


if __name__ == "__main__":
    unittest.main()
