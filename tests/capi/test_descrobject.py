"""Descriptors: PyDescr_IsData and PyMethodDescr_Type (with
PyMethodDescr_Check), from Objects/descrobject.c.

C side: tests/capi/ext/descrobject.c.
"""
import sys
import types
import unittest

import _ferrytest as ft

PYPY = sys.implementation.name == "pypy"


class SetOnly:
    def __set__(self, obj, value):
        pass


class DeleteOnly:
    def __delete__(self, obj):
        pass


class GetOnly:
    def __get__(self, obj, owner=None):
        return 1


class SetSub(SetOnly):
    pass


class PropertySub(property):
    pass


class Slotted:
    __slots__ = ("a",)


class TestIsData(unittest.TestCase):

    def test_data_descriptors(self):
        self.assertIs(ft.descr_isdata(property()), True)
        self.assertIs(ft.descr_isdata(property(lambda self: 1)), True)   # read-only: still data
        self.assertIs(ft.descr_isdata(PropertySub()), True)
        self.assertIs(ft.descr_isdata(SetOnly()), True)
        self.assertIs(ft.descr_isdata(DeleteOnly()), True)
        self.assertIs(ft.descr_isdata(SetSub()), True)   # __set__ inherited

    def test_member_and_getset_descriptors(self):
        member = Slotted.__dict__["a"]
        self.assertIsInstance(member, types.MemberDescriptorType)
        self.assertIs(ft.descr_isdata(member), True)
        getset = types.FunctionType.__dict__["__code__"]
        self.assertIsInstance(getset, types.GetSetDescriptorType)
        self.assertIs(ft.descr_isdata(getset), True)

    def test_non_data(self):
        for o in (GetOnly(), lambda: 0, len, 5, "s", None, classmethod(len),
                  staticmethod(len), object(), SetOnly):
            with self.subTest(o=o):
                self.assertIs(ft.descr_isdata(o), False)

    def test_instance_attribute_does_not_count(self):
        # Only the type's __set__ counts.
        g = GetOnly()
        g.__set__ = lambda obj, value: None
        self.assertIs(ft.descr_isdata(g), False)

    def test_set_added_to_class_later(self):
        class Late:
            pass
        late = Late()
        self.assertIs(ft.descr_isdata(late), False)
        Late.__set__ = lambda self, obj, value: None
        self.assertIs(ft.descr_isdata(late), True)
        del Late.__set__
        self.assertIs(ft.descr_isdata(late), False)


class TestMethodDescrType(unittest.TestCase):

    def test_type(self):
        t, name, has_flag = ft.methoddescr_type()
        self.assertEqual(name, "method_descriptor")
        self.assertEqual(t.__name__, "method_descriptor")
        self.assertIsInstance(t, type)
        self.assertEqual(has_flag, 1)   # Py_TPFLAGS_METHOD_DESCRIPTOR
        with self.assertRaisesRegex(TypeError, "^cannot create 'method_descriptor' instances$"):
            t()

    def test_check_false(self):
        def f():
            pass
        for o in (f, lambda: 0, 5, None, property(), types.FunctionType, ft.descr_isdata):
            with self.subTest(o=o):
                self.assertEqual(ft.methoddescr_check(o), (0, 0))

    @unittest.skipIf(PYPY, "through ferry, methods of extension and builtin types are host "
                           "functions, so PyMethodDescr_Check is false for them "
                           "(documented in cpyext/descrobject.cpp)")
    def test_check_methods_of_types(self):
        self.assertEqual(ft.methoddescr_check(str.join), (1, 1))
        self.assertEqual(ft.methoddescr_check(ft.Point.__dict__["get_i"]), (1, 1))
        self.assertIs(ft.methoddescr_type()[0], type(str.join))


if __name__ == "__main__":
    unittest.main()
