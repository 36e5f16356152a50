"""Descriptors: PyDescr_IsData, PyMethodDescr_Type (with
PyMethodDescr_Check), PyDictProxy_Type, PyGetSetDescr_Type and
PyMemberDescr_Type, from Objects/descrobject.c.

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


class TestDescrTypes(unittest.TestCase):
    """PyDictProxy_Type, PyGetSetDescr_Type and PyMemberDescr_Type: the
    host's mappingproxy, getset_descriptor and member_descriptor (PyPy has
    CPython's two descriptor types, not one)."""

    def test_types(self):
        proxy, getset, member, mapping = ft.descr_types()
        self.assertIs(proxy, types.MappingProxyType)
        self.assertIs(getset, types.GetSetDescriptorType)
        self.assertIs(member, types.MemberDescriptorType)
        self.assertIsNot(getset, member)
        self.assertEqual((proxy.__name__, getset.__name__, member.__name__),
                         ("mappingproxy", "getset_descriptor", "member_descriptor"))
        self.assertEqual(mapping, 1)

    def test_checks(self):
        self.assertEqual(ft.descr_type_checks(type.__dict__), (1, 0, 0))
        self.assertEqual(ft.descr_type_checks(types.MappingProxyType({"a": 1})), (1, 0, 0))
        self.assertEqual(ft.descr_type_checks(ft.dictproxy_new({})), (1, 0, 0))
        self.assertEqual(ft.descr_type_checks(type.__dict__["__dict__"]), (0, 1, 0))
        self.assertEqual(ft.descr_type_checks(types.FunctionType.__dict__["__code__"]), (0, 1, 0))
        self.assertEqual(ft.descr_type_checks(Slotted.__dict__["a"]), (0, 0, 1))
        for o in ({}, property(), SetOnly(), str.join, 1, None, Slotted()):
            with self.subTest(o=o):
                self.assertEqual(ft.descr_type_checks(o), (0, 0, 0))

    def test_getset_fields(self):
        for d in (type.__dict__["__dict__"], types.FunctionType.__dict__["__name__"],
                  types.FunctionType.__dict__["__code__"]):
            with self.subTest(d=d):
                objclass, name, cname, doc = ft.descr_fields(d)
                self.assertIs(objclass, d.__objclass__)
                self.assertEqual(name, d.__name__)
                self.assertEqual(cname, d.__name__)
                self.assertEqual(doc, d.__doc__)

    def test_member_fields(self):
        d = Slotted.__dict__["a"]
        self.assertEqual(ft.descr_fields(d), (Slotted, "a", "a", None))
        self.assertEqual(d.__doc__, None)
        with self.assertRaisesRegex(TypeError, "not a getset or member descriptor"):
            ft.descr_fields(property())

    def test_getset_get_and_set(self):
        def f():
            pass
        d = types.FunctionType.__dict__["__name__"]
        self.assertEqual(ft.getset_get(d, f), "f")
        self.assertEqual(ft.getset_set(d, f, "g"), 0)
        self.assertEqual(f.__name__, "g")
        self.assertEqual(ft.getset_get(d, f), "g")
        with self.assertRaises(TypeError):
            ft.getset_set(d, f, 5)
        self.assertEqual(f.__name__, "g")
        dd = types.FunctionType.__dict__["__dict__"]
        f.x = 1
        self.assertEqual(ft.getset_get(dd, f), {"x": 1})

    def test_add_doc_to_member(self):
        # numpy's add_docstring: d_member->doc set when there is none.
        class Fresh:
            __slots__ = ("b",)
        self.assertEqual(ft.member_add_doc(Fresh.__dict__["b"], "the b"), "the b")


if __name__ == "__main__":
    unittest.main()
