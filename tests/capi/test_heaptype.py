"""Heap types and type dictionaries: PyType_FromSpec, PyType_FromSpecWithBases,
PyType_FromModuleAndSpec, PyType_GetSlot, PyType_GetModule,
PyType_GetModuleState, PyType_GetModuleByDef, PyType_GetName,
PyType_GetQualName, PyType_Modified, _PyType_Lookup, _PyObject_GetDictPtr,
_PyObject_GenericGetAttrWithDict; types of several bases (PyType_FromSpecWithBases
with a tuple, PyType_Ready with tp_bases).

C side: tests/capi/ext/heaptype.c.
"""
import gc
import sys
import types
import unittest
import warnings
import weakref

import _ferrytest as ft

NULL = ft.NULL
Widget, Gadget, Gizmo, Plain, NoNew = ft.Widget, ft.Gadget, ft.Gizmo, ft.Plain, ft.NoNew
MixA, MixB, MixC, Both, Duo = ft.MixA, ft.MixB, ft.MixC, ft.Both, ft.Duo
StaticMixA, StaticMixB = ft.StaticMixA, ft.StaticMixB
ON_FERRY = sys.implementation.name == "pypy"

# typeslots.h
Py_nb_add, Py_nb_subtract, Py_sq_length = 7, 36, 45
Py_tp_base, Py_tp_doc, Py_tp_getattro, Py_tp_new, Py_tp_repr = 48, 56, 58, 65, 66
Py_tp_methods, Py_tp_members, Py_am_send = 64, 72, 81


def deallocs():
    for _ in range(3):
        gc.collect()
    return ft.heaptype_deallocs()


class TestFromSpec(unittest.TestCase):

    def test_widget(self):
        self.assertIsInstance(Widget, type)
        self.assertEqual(Widget.__name__, "Widget")
        self.assertEqual(Widget.__qualname__, "Widget")
        self.assertEqual(Widget.__module__, "_ferrytest")
        self.assertEqual(Widget.__doc__, "A widget made from a spec.")
        self.assertIs(Widget.__base__, object)
        self.assertEqual(Widget.__mro__, (Widget, object))

    def test_instances(self):
        w = Widget(5)
        self.assertIs(type(w), Widget)
        self.assertEqual((w.value, w.get_value()), (5, 5))
        self.assertEqual(Widget.get_value.__doc__, "Return the value.")
        self.assertEqual(repr(w), "<_ferrytest.Widget 5>")
        self.assertEqual(w + 2, 7)
        self.assertEqual(len(w), 5)
        w.value = 9
        self.assertEqual(w.get_value(), 9)
        self.assertIsNone(w.tag)
        w.tag = "t"
        self.assertEqual(w.tag, "t")
        with self.assertRaisesRegex(TypeError, "^Widget\\(\\) takes at most 1 argument \\(2 given\\)$"):
            Widget(1, 2)
        before = deallocs()
        del w
        self.assertEqual(deallocs(), before + 1)

    def test_special_members(self):
        # __dictoffset__ and __weaklistoffset__ are the type's offsets, not
        # attributes; __vectorcalloffset__ stays a member.
        self.assertNotIn("__dictoffset__", Widget.__dict__)
        self.assertNotIn("__weaklistoffset__", Widget.__dict__)
        self.assertIn("__vectorcalloffset__", Widget.__dict__)
        self.assertIn("value", Widget.__dict__)
        w = Widget(1)
        r = weakref.ref(w)
        self.assertIs(r(), w)
        self.assertIs(ft.weakref_newref(w, None)(), w)
        # Without __weaklistoffset__, C cannot make one (PyWeakref_NewRef).
        with self.assertRaisesRegex(TypeError, "^cannot create weak reference to "
                                               "'_ferrytest.Plain' object$"):
            ft.weakref_newref(Plain(), None)

    def test_bases_as_type_and_tuple(self):
        g = Gadget(4)
        self.assertIs(Gadget.__base__, Widget)
        self.assertIsInstance(g, Widget)
        self.assertEqual((g.twice(), g.get_value(), g + 1, len(g)), (8, 4, 5, 4))
        self.assertEqual(repr(g), "<_ferrytest.Gadget 4>")
        self.assertEqual(Gizmo.__mro__, (Gizmo, Widget, object))
        self.assertEqual(Gizmo.__module__, "_ferrytest.sub")
        self.assertEqual(Gizmo(3).get_value(), 3)
        before = deallocs()
        del g
        self.assertEqual(deallocs(), before + 1)

    def test_python_subclass(self):
        class Sub(Widget):
            def get_value(self):
                return -super().get_value()
        s = Sub(6)
        self.assertIsInstance(s, Widget)
        self.assertEqual((s.value, s.get_value(), s + 1), (6, -6, 7))
        s.extra = 1
        self.assertEqual(s.extra, 1)
        self.assertTrue(s.module_is_ours())
        before = deallocs()
        del s
        self.assertEqual(deallocs(), before + 1)

    def test_not_a_base_type(self):
        with self.assertRaisesRegex(TypeError, "^type '_ferrytest.Gadget' is not an acceptable base type$"):
            class Sub(Gadget):
                pass
        with self.assertRaisesRegex(TypeError, "^type '_ferrytest.Gadget' is not an acceptable base type$"):
            ft.heaptype_from_spec("withbases", Gadget)

    def test_plain_inherits_object_new(self):
        p = Plain()
        self.assertIs(type(p), Plain)
        self.assertEqual(Plain.__doc__, "A plain heap type.")
        with self.assertRaisesRegex(TypeError, "^_ferrytest.Plain\\(\\) takes no arguments$"):
            Plain(1)
        with self.assertRaisesRegex(TypeError, "^_ferrytest.Plain\\(\\) takes no arguments$"):
            Plain(k=1)

        class WithInit(Plain):
            def __init__(self, x):
                self.x = x
        self.assertEqual(WithInit(3).x, 3)

    def test_disallow_instantiation(self):
        with self.assertRaisesRegex(TypeError, "^cannot create '_ferrytest.NoNew' instances$"):
            NoNew()
        self.assertIs(ft.heaptype_getslot(NoNew, Py_tp_new), NULL)

    def test_made_at_run_time(self):
        t = ft.heaptype_from_spec("plain")
        self.assertEqual((t.__name__, t.__module__), ("Made", "_ferrytest"))
        self.assertIs(type(t()), t)
        t2 = ft.heaptype_from_spec("withbases", Widget)
        self.assertEqual(t2.__mro__, (t2, Widget, object))
        self.assertEqual(t2(7).get_value(), 7)
        t3 = ft.heaptype_from_spec("withbases", (Widget,))
        self.assertIs(t3.__base__, Widget)
        t4 = ft.heaptype_from_spec("module", None)
        self.assertIs(ft.heaptype_getmodule(t4), ft)
        self.assertIs(t4.__base__, object)

    def test_bases_and_mro_in_the_struct(self):
        made = ft.heaptype_from_spec("withbases", Widget)
        again = ft.heaptype_from_spec("withbases", made)
        for t in (Widget, Gadget, Gizmo, made, again):
            self.assertEqual(ft.type_bases_mro(t), (t.__bases__, t.__mro__))

    def test_errors(self):
        with self.assertRaisesRegex(SystemError, "^Type spec does not define the name field\\.$"):
            ft.heaptype_from_spec("noname")
        with self.assertRaisesRegex(RuntimeError, "^invalid slot offset$"):
            ft.heaptype_from_spec("badslot")
        with self.assertRaisesRegex(RuntimeError, "^invalid slot offset$"):
            ft.heaptype_from_spec("negslot")
        with self.assertRaisesRegex(TypeError, "^bases must be types$"):
            ft.heaptype_from_spec("withbases", (1,))
        with self.assertRaisesRegex(TypeError, "^bases must be types$"):
            ft.heaptype_from_spec("withbases", 5)

    def test_no_module_in_name(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with self.assertRaisesRegex(DeprecationWarning,
                                        "^builtin type NoDot has no __module__ attribute$"):
                ft.heaptype_from_spec("nodot")
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            t = ft.heaptype_from_spec("nodot")
        self.assertEqual(t.__name__, "NoDot")
        self.assertEqual([str(x.message) for x in w], ["builtin type NoDot has no __module__ attribute"])


class TestSeveralBases(unittest.TestCase):
    """Types of C with several bases: MixA adds no fields, MixB and MixC one
    each; Both (a spec's) and Duo (readied with tp_bases) are MixA + MixB."""

    def test_bases_and_mro(self):
        for t, a, b in ((Both, MixA, MixB), (Duo, StaticMixA, StaticMixB)):
            self.assertEqual(t.__bases__, (a, b))
            self.assertEqual(t.__mro__, (t, a, b, object))
            self.assertEqual(ft.type_bases_mro(t), (t.__bases__, t.__mro__))

    def test_base_is_the_layout_base(self):
        # best_base: MixB's fields make it the solid base; a static type's
        # tp_base is the one C set.
        self.assertIs(Both.__base__, MixB)
        self.assertIs(Duo.__base__, StaticMixB)

    def test_instances(self):
        for t, a, b in ((Both, MixA, MixB), (Duo, StaticMixA, StaticMixB)):
            x = t()
            # tp_new and the layout come from MixB (tp_base); repr from MixA,
            # first in the MRO; nb_negative from MixB, the only one with it.
            self.assertEqual(x.b, 42)
            x.b = 7
            self.assertEqual((x.which_a(), x.which_b(), x.shared()), ("a", "b", "a"))
            self.assertEqual(repr(x), "<MixA %s>" % t.__name__.join(["_ferrytest.", ""]))
            self.assertEqual(-x, -7)
            self.assertEqual(ft.heaptype_mix_slots(x), (repr(x), -7))
            self.assertIsInstance(x, a)
            self.assertIsInstance(x, b)
            self.assertIs(ft.object_typecheck(x, a), True)
            self.assertIs(ft.type_issubtype(t, a), True)
            self.assertIs(ft.type_issubtype(t, b), True)
            self.assertIs(ft.type_issubtype(b, a), False)
            self.assertIs(ft.type_issubtype(a, t), False)

    def test_python_subclass(self):
        class P(Both):
            def which_a(self):
                return "p"
        p = P()
        self.assertEqual((p.b, p.which_a(), p.shared(), -p), (42, "p", "a", -42))
        self.assertEqual(ft.heaptype_mix_slots(p), ("<MixA P>", -42))
        self.assertIs(ft.type_issubtype(P, MixA), True)
        self.assertIs(ft.type_issubtype(P, MixB), True)

    def test_python_class_of_two_types_of_c(self):
        # Laid out as MixB and made by its tp_new, as in CPython, though
        # MixA comes first; its slots follow the MRO.
        class Q(MixA, MixB):
            pass
        q = Q()
        self.assertEqual((q.b, q.shared(), repr(q), -q), (42, "a", "<MixA Q>", -42))
        self.assertEqual(ft.heaptype_mix_slots(q), ("<MixA Q>", -42))
        self.assertIs(ft.type_issubtype(Q, MixB), True)
        self.assertIs(ft.object_typecheck(q, MixB), True)
        with self.assertRaisesRegex(TypeError, "^multiple bases have instance lay-out conflict$"):
            class R(MixB, MixC):
                pass
            R()   # (ferry's host accepts the class; C refuses it when it first meets it)

    def test_made_at_run_time(self):
        t = ft.heaptype_from_spec("withbases", (Both, MixA))
        self.assertEqual(t.__mro__, (t, Both, MixA, MixB, object))
        self.assertIs(t.__base__, Both)
        self.assertEqual((t().b, t().shared()), (42, "a"))

    def test_errors(self):
        with self.assertRaisesRegex(TypeError, "^multiple bases have instance lay-out conflict$"):
            ft.heaptype_from_spec("withbases", (MixB, MixC))
        with self.assertRaisesRegex(TypeError, "^Cannot create a consistent method resolution\n"
                                               "order \\(MRO\\) for bases MixA, Both$"):
            ft.heaptype_from_spec("withbases", (MixA, Both))
        with self.assertRaisesRegex(TypeError, "^duplicate base class MixA$"):
            ft.heaptype_from_spec("withbases", (MixA, MixA))
        with self.assertRaisesRegex(TypeError, "^bases must be types$"):
            ft.heaptype_from_spec("withbases", (MixA, 1))
        with self.assertRaisesRegex(TypeError, "^type '_ferrytest.Gadget' is not an acceptable base type$"):
            ft.heaptype_from_spec("withbases", (MixA, Gadget))
        with self.assertRaises(SystemError):   # (CPython's sets no exception)
            ft.heaptype_from_spec("withbases", ())

    def test_static_type_readied_with_bases(self):
        # tp_base (the last base here) gives tp_new: StaticMixA has none.
        t = ft.heaptype_ready_with_bases((StaticMixB, StaticMixA))
        self.assertEqual(t.__mro__, (t, StaticMixB, StaticMixA, object))
        with self.assertRaisesRegex(TypeError, "^cannot create '_ferrytest.Readied' instances$"):
            t()
        with self.assertRaisesRegex(TypeError, "^duplicate base class StaticMixA$"):
            ft.heaptype_ready_with_bases((StaticMixA, StaticMixA))
        with self.assertRaisesRegex(TypeError, "^type '_ferrytest.Readied' is not dynamically allocated "
                                               "but its base type '_ferrytest.MixA' is dynamically allocated$"):
            ft.heaptype_ready_with_bases((MixA, StaticMixB))

    def test_builtin_among_several_bases(self):
        # numpy's float64: (floating, float), laid out as float
        # (test_subclass.TestDouble has more).
        t = ft.heaptype_ready_with_bases((StaticMixA, float))
        self.assertEqual(t.__mro__, (t, StaticMixA, float, object))
        x = t(2.5)
        self.assertEqual((type(x), x, x.which_a()), (t, 2.5, "a"))


class TestGetSlot(unittest.TestCase):

    def test_heap_types(self):
        self.assertIs(ft.heaptype_getslot(Widget, Py_nb_add), True)
        self.assertIs(ft.heaptype_getslot(Widget, Py_sq_length), True)
        self.assertIs(ft.heaptype_getslot(Widget, Py_tp_methods), True)
        self.assertIs(ft.heaptype_getslot(Widget, Py_tp_members), True)
        self.assertIs(ft.heaptype_getslot(Widget, Py_nb_subtract), NULL)
        self.assertIs(ft.heaptype_getslot(Widget, Py_am_send), NULL)
        self.assertEqual(ft.heaptype_getslot(Widget, Py_tp_doc),
                         "Widget(value=0)\n--\n\nA widget made from a spec.")
        self.assertIs(ft.heaptype_getslot(Widget, Py_tp_base), object)
        # Inherited from the base.
        self.assertIs(ft.heaptype_getslot(Gadget, Py_tp_base), Widget)
        self.assertIs(ft.heaptype_getslot(Gadget, Py_nb_add), True)
        self.assertIs(ft.heaptype_getslot(Gadget, Py_tp_new), True)
        self.assertIs(ft.heaptype_getslot(Gadget, Py_tp_doc), NULL)

    def test_static_types(self):
        self.assertIs(ft.heaptype_getslot(ft.Point, Py_tp_repr), True)
        self.assertIs(ft.heaptype_getslot(ft.Point, Py_tp_base), object)
        self.assertIs(ft.heaptype_getslot(ft.Point, Py_nb_add), NULL)
        self.assertIs(ft.heaptype_getslot(int, Py_nb_add), True)
        self.assertIs(ft.heaptype_getslot(object, Py_nb_add), NULL)

    def test_bad_slot(self):
        for slot in (0, -1, Py_am_send + 1, 1000):
            with self.assertRaises(SystemError):
                ft.heaptype_getslot(Widget, slot)


class TestModule(unittest.TestCase):

    def test_getmodule(self):
        self.assertIs(ft.heaptype_getmodule(Widget), ft)
        with self.assertRaisesRegex(TypeError, "^PyType_GetModule: Type '_ferrytest.Gadget' "
                                               "has no associated module$"):
            ft.heaptype_getmodule(Gadget)
        with self.assertRaisesRegex(TypeError, "^PyType_GetModule: Type '_ferrytest.Point' "
                                               "is not a heap type$"):
            ft.heaptype_getmodule(ft.Point)
        with self.assertRaisesRegex(TypeError, "^PyType_GetModule: Type 'int' is not a heap type$"):
            ft.heaptype_getmodule(int)

        class Local:
            pass
        with self.assertRaisesRegex(TypeError, "^PyType_GetModule: Type 'Local' has no "
                                               "associated module$"):
            ft.heaptype_getmodule(Local)

    def test_getmodulestate(self):
        self.assertIs(ft.heaptype_getmodulestate(Widget), True)
        with self.assertRaisesRegex(TypeError, "is not a heap type$"):
            ft.heaptype_getmodulestate(ft.Point)
        with self.assertRaisesRegex(TypeError, "has no associated module$"):
            ft.heaptype_getmodulestate(Gizmo)

    def test_getmodulebydef(self):
        self.assertIs(ft.heaptype_getmodulebydef(Widget), ft)
        self.assertIs(ft.heaptype_getmodulebydef(Gadget), ft)   # through the MRO

        class Sub(Widget):
            pass

        class Mixed(int):
            pass
        self.assertIs(ft.heaptype_getmodulebydef(Sub), ft)
        self.assertTrue(Gadget(1).module_is_ours())
        with self.assertRaisesRegex(TypeError, "^PyType_GetModuleByDef: No superclass of "
                                               "'_ferrytest.Point' has the given module$"):
            ft.heaptype_getmodulebydef(ft.Point)
        with self.assertRaisesRegex(TypeError, "^PyType_GetModuleByDef: No superclass of "
                                               "'Mixed' has the given module$"):
            ft.heaptype_getmodulebydef(Mixed)


class TestNames(unittest.TestCase):

    def test_names(self):
        self.assertEqual(ft.heaptype_getname(Widget), "Widget")
        self.assertEqual(ft.heaptype_getqualname(Widget), "Widget")
        self.assertEqual(ft.heaptype_getname(Gizmo), "Gizmo")
        self.assertEqual(ft.heaptype_getname(ft.Point), "Point")
        self.assertEqual(ft.heaptype_getqualname(ft.Point), "Point")
        self.assertEqual(ft.heaptype_getname(int), "int")
        self.assertEqual(ft.heaptype_getqualname(int), "int")

        class Outer:
            class Inner:
                pass
        self.assertEqual(ft.heaptype_getname(Outer.Inner), "Inner")
        self.assertEqual(ft.heaptype_getqualname(Outer.Inner),
                         "TestNames.test_names.<locals>.Outer.Inner")


class TestTypeDict(unittest.TestCase):

    def test_contents(self):
        get = ft.heaptype_dict_get
        self.assertEqual(get(Widget, "__doc__"), "A widget made from a spec.")
        self.assertEqual(get(Widget, "__module__"), "_ferrytest")
        self.assertIs(get(Widget, "get_value"), Widget.__dict__["get_value"])
        self.assertIs(get(Widget, "value"), Widget.__dict__["value"])
        self.assertIs(get(Widget, "__dictoffset__"), NULL)
        self.assertIs(get(Gadget, "get_value"), NULL)   # Widget's, not Gadget's own
        self.assertIs(get(Gadget, "twice"), Gadget.__dict__["twice"])
        self.assertIs(get(ft.Point, "get_i"), ft.Point.__dict__["get_i"])

    def test_written_before_first_use(self):
        # Cython's __pyx_vtable__: into tp_dict right after PyType_Ready.
        capsule = ft.Reducible.__pyx_vtable__
        self.assertTrue(ft.heaptype_vtable_ok(capsule))
        self.assertIs(ft.heaptype_dict_get(ft.Reducible, "__pyx_vtable__"), capsule)

    def test_setup_reduce(self):
        r = ft.Reducible
        self.assertIn("__reduce_cython__", r.__dict__)
        ft.heaptype_setup_reduce(r)
        self.assertNotIn("__reduce_cython__", r.__dict__)
        self.assertFalse(hasattr(r, "__reduce_cython__"))
        self.assertIs(ft.heaptype_dict_get(r, "__reduce_cython__"), NULL)
        self.assertEqual(r(4).__reduce__(), (r, (4,)))

    def test_modified(self):
        class Sub(Widget):
            pass
        ft.heaptype_dict_set(Widget, "answer", 42)
        ft.heaptype_modified(Widget)
        try:
            self.assertEqual(Widget.answer, 42)
            self.assertEqual(Widget(1).answer, 42)
            self.assertEqual(Sub.answer, 42)
            self.assertEqual(Gadget(1).answer, 42)
            ft.heaptype_dict_set(Widget, "answer", "changed")
            ft.heaptype_modified(Widget)
            self.assertEqual(Sub().answer, "changed")
        finally:
            ft.heaptype_dict_set(Widget, "answer")   # deleted
            ft.heaptype_modified(Widget)
        self.assertFalse(hasattr(Widget, "answer"))
        self.assertFalse(hasattr(Sub, "answer"))
        with self.assertRaises(KeyError):
            ft.heaptype_dict_set(Widget, "answer")

    def test_modified_static(self):
        ft.heaptype_dict_set(ft.Point, "origin", (0, 0))
        ft.heaptype_modified(ft.Point)
        try:
            self.assertEqual(ft.Point.origin, (0, 0))
            self.assertEqual(ft.Point(1).origin, (0, 0))
        finally:
            ft.heaptype_dict_set(ft.Point, "origin")
            ft.heaptype_modified(ft.Point)
        self.assertFalse(hasattr(ft.Point, "origin"))

    def test_modified_other_types(self):
        class Local:
            pass
        ft.heaptype_modified(Local)   # nothing to do, never fails
        ft.heaptype_modified(int)


class TestLookup(unittest.TestCase):

    def test_native(self):
        lookup = ft.heaptype_lookup
        self.assertIs(lookup(Widget, "get_value"), Widget.__dict__["get_value"])
        self.assertIs(lookup(Gadget, "get_value"), Widget.__dict__["get_value"])
        self.assertIs(lookup(Gadget, "twice"), Gadget.__dict__["twice"])
        self.assertIs(lookup(Widget, "__init__"), object.__dict__["__init__"])
        self.assertIs(lookup(Widget, "missing"), NULL)
        self.assertIs(lookup(ft.Point, "get_i"), ft.Point.__dict__["get_i"])

    def test_python_classes(self):
        class A:
            x = 1

            def f(self):
                pass

        class B(A):
            y = "b"
        self.assertEqual(ft.heaptype_lookup(B, "x"), 1)
        self.assertEqual(ft.heaptype_lookup(B, "y"), "b")
        self.assertIs(ft.heaptype_lookup(B, "f"), A.__dict__["f"])
        self.assertIs(ft.heaptype_lookup(B, "missing"), NULL)
        self.assertIs(ft.heaptype_lookup(B, 1), NULL)     # no str, no exception
        self.assertIs(ft.heaptype_lookup(B, []), NULL)    # unhashable: no exception either
        A.x = 2
        self.assertEqual(ft.heaptype_lookup(B, "x"), 2)   # the class as it is now
        # Not through the metaclass: type's own attributes are not found.
        self.assertIs(ft.heaptype_lookup(B, "mro"), NULL)


class TestDictPtr(unittest.TestCase):

    def test_instances(self):
        class A:
            pass
        a = A()
        a.x = 1
        d = ft.heaptype_dictptr("get", a)
        self.assertIs(d, a.__dict__)
        self.assertEqual(d, {"x": 1})

        def f():
            pass
        f.attr = 2
        self.assertIs(ft.heaptype_dictptr("get", f), f.__dict__)
        self.assertIs(ft.heaptype_dictptr("get", types), vars(types))
        e = ValueError("v")
        e.note = 3
        self.assertEqual(ft.heaptype_dictptr("get", e), {"note": 3})

    def test_no_dict(self):
        class Slotted:
            __slots__ = ("a",)
        for o in (1, "s", 1.5, None, object(), [], (), Slotted()):
            self.assertIs(ft.heaptype_dictptr("get", o), NULL, o)

    def test_write_reaches_the_object(self):
        class A:
            pass
        a = A()
        a.x = 1
        ft.heaptype_dictptr("replace", a, "y", 2)
        self.assertEqual(a.__dict__, {"y": 2})
        self.assertEqual(a.y, 2)
        self.assertFalse(hasattr(a, "x"))
        ft.heaptype_dictptr("clear", a)
        self.assertFalse(hasattr(a, "y"))
        a.z = 3
        self.assertEqual(ft.heaptype_dictptr("get", a), {"z": 3})

    def test_python_subclass_of_native(self):
        class Sub(ft.Point):
            pass
        s = Sub(1)
        s.extra = "e"
        self.assertEqual(ft.heaptype_dictptr("get", s), {"extra": "e"})

    def test_native_dictoffset(self):
        # The slot in the C struct (tp_dictoffset), NULL until C stores a dict.
        w = Widget(1)
        self.assertIsNone(ft.heaptype_dictptr("get", w))
        ft.heaptype_dictptr("replace", w, "k", "v")
        self.assertEqual(ft.heaptype_dictptr("get", w), {"k": "v"})
        ft.heaptype_dictptr("clear", w)
        self.assertIsNone(ft.heaptype_dictptr("get", w))
        self.assertIs(ft.heaptype_dictptr("get", Plain()), NULL)

    def test_types(self):
        d = ft.heaptype_dictptr("get", Widget)
        self.assertIs(d["get_value"], Widget.__dict__["get_value"])


class TestGenericGetAttrWithDict(unittest.TestCase):

    def test_lookup_order(self):
        class D:
            def __get__(self, obj, tp):
                return "data"

            def __set__(self, obj, v):
                pass

        class N:
            def __get__(self, obj, tp):
                return "nondata"

        class A:
            data = D()
            nondata = N()
            plain = "class"

            def method(self):
                return self
        a = A()
        a.__dict__.update(data="inst", nondata="inst", plain="inst", own="own")
        get = ft.heaptype_generic_getattr
        self.assertEqual(get(a, "data", None, 0), "data")
        self.assertEqual(get(a, "nondata", None, 0), "inst")
        self.assertEqual(get(a, "plain", None, 0), "inst")
        self.assertEqual(get(a, "own", None, 0), "own")
        self.assertIs(get(a, "method", None, 0)(), a)
        # An explicit dict instead of the instance's.
        self.assertEqual(get(a, "nondata", {}, 0), "nondata")
        self.assertEqual(get(a, "plain", {"plain": "given"}, 0), "given")
        self.assertEqual(get(a, "data", {"data": "given"}, 0), "data")
        self.assertEqual(get(a, "only", {"only": 1}, 0), 1)

    def test_missing(self):
        class A:
            pass
        get = ft.heaptype_generic_getattr
        with self.assertRaisesRegex(AttributeError, "^'A' object has no attribute 'nope'$"):
            get(A(), "nope", None, 0)
        self.assertIs(get(A(), "nope", None, 1), NULL)
        with self.assertRaisesRegex(AttributeError,
                                    "^'_ferrytest.Widget' object has no attribute 'nope'$"):
            get(Widget(1), "nope", None, 0)
        with self.assertRaisesRegex(TypeError, "^attribute name must be string, not 'int'$"):
            get(A(), 1, None, 0)

    def test_descriptor_errors(self):
        class Raising:
            @property
            def p(self):
                raise AttributeError("inner")

            @property
            def q(self):
                raise KeyError("k")
        get = ft.heaptype_generic_getattr
        with self.assertRaisesRegex(AttributeError, "^inner$"):
            get(Raising(), "p", None, 0)
        self.assertIs(get(Raising(), "p", None, 1), NULL)
        with self.assertRaises(KeyError):
            get(Raising(), "q", None, 1)

    def test_native(self):
        w = Widget(3)
        get = ft.heaptype_generic_getattr
        self.assertEqual(get(w, "value", None, 0), 3)
        self.assertEqual(get(w, "get_value", None, 0)(), 3)


if __name__ == "__main__":
    unittest.main()
