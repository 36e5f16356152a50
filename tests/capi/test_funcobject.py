"""PyClassMethod_New (Objects/funcobject.c).

C side: tests/capi/ext/funcobject.c.
"""
import unittest

import _ferrytest as ft


def who(cls, *args):
    return (cls, args)


class TestClassMethodNew(unittest.TestCase):

    def test_python_function(self):
        cm = ft.func_classmethod_new(who)
        self.assertIs(type(cm), classmethod)
        self.assertIs(cm.__func__, who)

        class A:
            m = cm

        class B(A):
            pass
        self.assertEqual(A.m(1), (A, (1,)))
        self.assertEqual(B.m(), (B, ()))
        self.assertEqual(B().m(2, 3), (B, (2, 3)))
        self.assertEqual(cm.__get__(None, int)(), (int, ()))

    def test_builtin_and_extension_functions(self):
        cm = ft.func_classmethod_new(ft.func_classmethod_new)
        self.assertIs(cm.__func__, ft.func_classmethod_new)
        cm2 = cm.__get__(None, str)()   # classmethod of the class itself
        self.assertIs(type(cm2), classmethod)
        self.assertIs(cm2.__func__, str)

    def test_not_callable(self):
        # Accepted as by classmethod(); calling it fails.
        cm = ft.func_classmethod_new(5)
        self.assertEqual(cm.__func__, 5)

        class C:
            m = cm
        with self.assertRaisesRegex(TypeError, "'int' object is not callable"):
            C.m()


if __name__ == "__main__":
    unittest.main()
