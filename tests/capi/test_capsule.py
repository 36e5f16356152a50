"""Capsules: PyCapsule_* (Objects/capsule.c), including PyCapsule_Import of
the capsule _ferrytest exports, the usual way extensions share a C API.

C side: tests/capi/ext/capsule.c.
"""
import gc
import unittest

import _ferrytest as ft

INVALID = "called with invalid PyCapsule object"


class TestCapsule(unittest.TestCase):

    def test_new(self):
        c = ft.capsule_new("ferry.a")
        self.assertEqual(ft.capsule_type(c), (type(ft.CAPSULE), 1))
        self.assertEqual(type(c).__name__, "PyCapsule")
        self.assertTrue(repr(c).startswith('<capsule object "ferry.a" at '))
        self.assertTrue(repr(ft.capsule_new(None)).startswith("<capsule object NULL at "))
        self.assertEqual(ft.capsule_type(1)[1], 0)

    def test_new_null_pointer(self):
        with self.assertRaisesRegex(ValueError,
                                    "^PyCapsule_New called with null pointer$"):
            ft.capsule_new_nullpointer()

    def test_getpointer(self):
        c = ft.capsule_new("ferry.a")
        self.assertIs(ft.capsule_getpointer(c, "ferry.a"), True)
        with self.assertRaisesRegex(
                ValueError, "^PyCapsule_GetPointer called with incorrect name$"):
            ft.capsule_getpointer(c, "ferry.b")
        with self.assertRaisesRegex(
                ValueError, "^PyCapsule_GetPointer called with incorrect name$"):
            ft.capsule_getpointer(c, None)
        with self.assertRaisesRegex(ValueError, "^PyCapsule_GetPointer " + INVALID):
            ft.capsule_getpointer(1, None)

    def test_unnamed(self):
        n = ft.capsule_new(None)
        self.assertIs(ft.capsule_getpointer(n, None), True)
        self.assertIsNone(ft.capsule_getname(n))
        with self.assertRaisesRegex(
                ValueError, "^PyCapsule_GetPointer called with incorrect name$"):
            ft.capsule_getpointer(n, "ferry.a")

    def test_name_is_compared_by_content(self):
        c = ft.capsule_new("ferry.a")
        # The wrapper passes a different buffer holding the same text.
        self.assertIs(ft.capsule_getpointer(c, "".join(["ferry", ".a"])), True)

    def test_names(self):
        c = ft.capsule_new("ferry.a")
        self.assertEqual(ft.capsule_getname(c), "ferry.a")
        self.assertEqual(ft.capsule_setname(c, "ferry.b"), 0)
        self.assertEqual(ft.capsule_getname(c), "ferry.b")
        self.assertIs(ft.capsule_getpointer(c, "ferry.b"), True)
        self.assertEqual(ft.capsule_setname(c, None), 0)
        self.assertIsNone(ft.capsule_getname(c))
        with self.assertRaisesRegex(ValueError, "^PyCapsule_GetName " + INVALID):
            ft.capsule_getname(1)
        with self.assertRaisesRegex(ValueError, "^PyCapsule_SetName " + INVALID):
            ft.capsule_setname(1, None)

    def test_setpointer(self):
        c = ft.capsule_new("ferry.a")
        self.assertEqual(ft.capsule_setpointer(c, "other"), 0)
        self.assertIs(ft.capsule_pointer_is_other(c, "ferry.a"), True)
        self.assertIs(ft.capsule_getpointer(c, "ferry.a"), False)
        with self.assertRaisesRegex(
                ValueError, "^PyCapsule_SetPointer called with null pointer$"):
            ft.capsule_setpointer(c, "null")
        with self.assertRaisesRegex(ValueError, "^PyCapsule_SetPointer " + INVALID):
            ft.capsule_setpointer(1, "other")

    def test_context(self):
        c = ft.capsule_new("ferry.a")
        self.assertEqual(ft.capsule_getcontext(c), "none")
        self.assertEqual(ft.capsule_setcontext(c), 0)
        self.assertEqual(ft.capsule_getcontext(c), "ours")
        with self.assertRaisesRegex(ValueError, "^PyCapsule_GetContext " + INVALID):
            ft.capsule_getcontext(1)
        with self.assertRaisesRegex(ValueError, "^PyCapsule_SetContext " + INVALID):
            ft.capsule_setcontext(1)

    def test_destructor_accessors(self):
        c = ft.capsule_new("ferry.a")
        self.assertIs(ft.capsule_hasdestructor(c), False)
        self.assertEqual(ft.capsule_setdestructor(c), 0)
        self.assertIs(ft.capsule_hasdestructor(c), True)
        self.assertIs(ft.capsule_hasdestructor(ft.capsule_new("ferry.a", True)), True)
        with self.assertRaisesRegex(ValueError, "^PyCapsule_GetDestructor " + INVALID):
            ft.capsule_hasdestructor(1)

    def test_destructor_runs_in_c(self):
        self.assertEqual(ft.capsule_destroy_in_c(), 1)

    def test_destructor_runs_when_collected(self):
        gc.collect()   # under a tracing GC, capsules of earlier tests die now, not later
        before = ft.capsule_destructor_calls()
        c = ft.capsule_new("ferry.a", True)
        self.assertEqual(ft.capsule_destructor_calls(), before)
        del c
        gc.collect()
        self.assertEqual(ft.capsule_destructor_calls(), before + 1)

    def test_isvalid(self):
        c = ft.capsule_new("ferry.a")
        self.assertEqual(ft.capsule_isvalid(c, "ferry.a"), 1)
        self.assertEqual(ft.capsule_isvalid(c, "ferry.b"), 0)
        self.assertEqual(ft.capsule_isvalid(c, None), 0)
        self.assertEqual(ft.capsule_isvalid(ft.capsule_new(None), None), 1)
        self.assertEqual(ft.capsule_isvalid(1, None), 0)
        self.assertEqual(ft.capsule_isvalid("ferry.a", "ferry.a"), 0)

    def test_import(self):
        self.assertIs(ft.capsule_import(b"_ferrytest.CAPSULE"), True)
        self.assertEqual(ft.capsule_getname(ft.CAPSULE), "_ferrytest.CAPSULE")

    def test_import_errors(self):
        with self.assertRaisesRegex(
                AttributeError,
                '^PyCapsule_Import "_ferrytest.NOT_A_CAPSULE" is not valid$'):
            ft.capsule_import(b"_ferrytest.NOT_A_CAPSULE")
        with self.assertRaisesRegex(AttributeError, "MISSING"):
            ft.capsule_import(b"_ferrytest.MISSING")
        with self.assertRaisesRegex(
                ImportError,
                '^PyCapsule_Import could not import module "no_such_mod_ferry"$'):
            ft.capsule_import(b"no_such_mod_ferry.X")
        with self.assertRaisesRegex(AttributeError,
                                    '^PyCapsule_Import "_ferrytest" is not valid$'):
            ft.capsule_import(b"_ferrytest")


if __name__ == "__main__":
    unittest.main()
