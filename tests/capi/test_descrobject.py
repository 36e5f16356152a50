"""Descriptors: PyDescr_IsData, PyMethodDescr_Type (with
PyMethodDescr_Check), PyDictProxy_Type, PyGetSetDescr_Type,
PyMemberDescr_Type, PyWrapperDescr_Type and PyDescr_NewClassMethod, from
Objects/descrobject.c.

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



class TestWrapperDescrType(unittest.TestCase):
    """PyWrapperDescr_Type. PyPy has no wrapper_descriptor (its types' slot
    wrappers are plain functions): through ferry the type is a placeholder
    nothing is an instance of, so C never reads a wrapper's struct from a
    host object."""

    def test_type(self):
        t, name, has_flag = ft.wrapperdescr_type()
        self.assertEqual(name, "wrapper_descriptor")
        self.assertEqual(t.__name__, "wrapper_descriptor")
        self.assertIsInstance(t, type)
        self.assertEqual(has_flag, 1)   # Py_TPFLAGS_METHOD_DESCRIPTOR
        with self.assertRaisesRegex(TypeError, "^cannot create 'wrapper_descriptor' instances$"):
            t()

    def test_check_false(self):
        for o in (len, lambda: 0, 5, None, property(), str.join, [].append, object(),
                  ft.Point.__dict__["get_i"], type.__dict__["__dict__"], classmethod(len)):
            with self.subTest(o=o):
                self.assertEqual(ft.wrapperdescr_check(o), (0, 0, None))

    @unittest.skipIf(PYPY, "PyPy has no wrapper_descriptor: object.__init__ is a function")
    def test_check_slot_wrappers(self):
        self.assertEqual(ft.wrapperdescr_check(object.__init__), (1, 1, "__init__"))
        self.assertEqual(ft.wrapperdescr_check(int.__add__), (1, 1, "__add__"))
        self.assertIs(ft.wrapperdescr_type()[0], type(object.__init__))


class Sub(ft.ClassMethHolder):
    pass


class TestNewClassMethod(unittest.TestCase):
    """PyDescr_NewClassMethod: a classmethod_descriptor calling the def with
    the class as self (Cython's classmethods of cdef classes)."""

    Holder = ft.ClassMethHolder

    def test_bound_through_the_descriptor(self):
        d = ft.descr_newclassmethod(self.Holder)
        self.assertEqual(type(d).__name__, "classmethod_descriptor")
        self.assertEqual(d.__name__, "make")
        self.assertEqual(d.__qualname__, "ClassMethHolder.make")
        self.assertIs(d.__objclass__, self.Holder)
        self.assertEqual(d.__doc__, "The class and the arguments.")
        self.assertEqual(d.__text_signature__, "($cls, /, *args, **kwargs)")
        self.assertEqual(repr(d), "<method 'make' of '_ferrytest.ClassMethHolder' objects>")
        self.assertEqual(d.__get__(None, self.Holder)(), (self.Holder, (), None))
        self.assertEqual(d.__get__(self.Holder(), None)(1, k=2), (self.Holder, (1,), {"k": 2}))
        bound = d.__get__(None, Sub)
        self.assertIs(bound.__self__, Sub)
        self.assertEqual(bound("x"), (Sub, ("x",), None))
        self.assertEqual(d.__get__(Sub())(), (Sub, (), None))

    def test_called_directly(self):
        d = ft.descr_newclassmethod(self.Holder)
        self.assertEqual(d(self.Holder, 3), (self.Holder, (3,), None))
        self.assertEqual(d(Sub, a=1), (Sub, (), {"a": 1}))
        with self.assertRaisesRegex(TypeError, "^descriptor 'make' of '_ferrytest.ClassMethHolder' "
                                               "object needs an argument$"):
            d()
        with self.assertRaisesRegex(TypeError, "^descriptor 'make' for type "
                                               "'_ferrytest.ClassMethHolder' needs a type, not a "
                                               "'int' as arg 2$"):
            d(5)

    def test_get_errors(self):
        d = ft.descr_newclassmethod(self.Holder)
        with self.assertRaisesRegex(TypeError, "^descriptor 'make' requires a subtype of "
                                               "'_ferrytest.ClassMethHolder' but received 'int'$"):
            d.__get__(None, int)
        with self.assertRaisesRegex(TypeError, "^descriptor 'make' for type "
                                               "'_ferrytest.ClassMethHolder' needs a type, not a "
                                               "'str' as arg 2$"):
            d.__get__(None, "x")
        with self.assertRaisesRegex(TypeError, "^descriptor 'make' requires a subtype of "
                                               "'_ferrytest.ClassMethHolder' but received 'int'$"):
            d.__get__(5)

    def test_meth_method_gets_its_defining_class(self):
        d = ft.descr_newclassmethod(self.Holder, True)
        self.assertEqual(d.__get__(None, Sub)(1, 2), (Sub, self.Holder, (1, 2)))
        self.assertEqual(d(self.Holder), (self.Holder, self.Holder, ()))

    def test_installed_in_the_type(self):
        ft.descr_install_classmethod(self.Holder, "made")
        self.assertEqual(self.Holder.made(1), (self.Holder, (1,), None))
        self.assertEqual(Sub.made(), (Sub, (), None))
        self.assertEqual(Sub().made(k=0), (Sub, (), {"k": 0}))
        self.assertEqual(type(self.Holder.__dict__["made"]).__name__, "classmethod_descriptor")


if __name__ == "__main__":
    unittest.main()
