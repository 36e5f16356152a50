"""Static extension types: PyType_Ready, PyType_GenericAlloc/GenericNew,
PyType_GetFlags, _PyObject_New[Var], PyObject_Init[Var], _PyObject_GC_New[Var],
PyObject_GC_Track/UnTrack/IsTracked/Del, PyObject_IS_GC, PyMember_GetOne/SetOne
and _PyObject_NextNotImplemented, through three static types; cycles through
C fields collected by gc.collect(). A metaclass of C (Meta, based on type) and
a static type of it (Described).

C side: tests/capi/ext/type.c.
"""
import copy
import gc
import pickle
import unittest

import _ferrytest as ft

NULL = ft.NULL
Point, VarBox, GCBox = ft.Point, ft.VarBox, ft.GCBox


class Holder:
    def __init__(self, obj):
        self.obj = obj


def collect():
    for _ in range(3):
        gc.collect()


def deallocs():
    collect()
    return ft.type_deallocs()


class TestReady(unittest.TestCase):

    def test_type_ready(self):
        self.assertIsInstance(Point, type)
        self.assertEqual(Point.__name__, "Point")
        self.assertEqual(Point.__module__, "_ferrytest")
        self.assertEqual(Point.__doc__, "Point(i=0, d=0.0)")
        self.assertIs(Point.__base__, object)
        self.assertEqual(Point.__mro__, (Point, object))
        self.assertEqual(VarBox.__name__, "VarBox")

    def test_getflags(self):
        # (ready, basetype, heaptype, have_gc)
        self.assertEqual(ft.type_getflags(Point), (1, 1, 0, 0))
        self.assertEqual(ft.type_getflags(VarBox), (1, 0, 0, 0))
        self.assertEqual(ft.type_getflags(GCBox), (1, 0, 0, 1))

        class Sub(Point):
            pass
        self.assertEqual(ft.type_getflags(Sub), (1, 1, 1, 1))


class TestFastcallKeywordsMethod(unittest.TestCase):

    def test_calls(self):
        p = Point(7)
        self.assertEqual(p.fastkw(), (7, (), None, ()))
        self.assertEqual(p.fastkw(1, 2), (7, (1, 2), None, ()))
        self.assertEqual(p.fastkw(1, b=2, c=3), (7, (1,), ("b", "c"), (2, 3)))
        self.assertEqual(p.fastkw(**{"\xe9": [1]}), (7, (), ("\xe9",), ([1],)))
        self.assertEqual(Point.fastkw(p, 0, k=None), (7, (0,), ("k",), (None,)))
        bound = p.fastkw
        self.assertEqual(bound(*range(20), **{"k%d" % i: i for i in range(20)}),
                         (7, tuple(range(20)), tuple("k%d" % i for i in range(20)), tuple(range(20))))
        with self.assertRaises(TypeError):
            Point.fastkw(1, a=2)   # not a Point


class TestBasesAndMro(unittest.TestCase):
    # tp_bases and tp_mro read from the struct (Cython's subclass checks walk
    # tp_mro): the same tuples as __bases__ and __mro__.

    def check(self, cls):
        bases, mro = ft.type_bases_mro(cls)
        self.assertEqual(bases, cls.__bases__, cls)
        self.assertEqual(mro, cls.__mro__, cls)

    def test_builtin_and_extension_types(self):
        for cls in (object, int, bool, str, dict, ValueError, KeyError, OSError, Point, VarBox):
            self.check(cls)

    def test_python_classes(self):
        class A:
            pass

        class B(A):
            pass

        class C(A):
            pass

        class D(B, C):
            pass

        class Mixin:
            pass

        class E(Mixin, ValueError):
            pass

        class Sub(Mixin, Point):
            pass
        for cls in (A, B, C, D, E, Sub):
            self.check(cls)


class TestPoint(unittest.TestCase):

    def test_new_init_from_python(self):
        p = Point(3, d=1.5)
        self.assertIs(type(p), Point)
        self.assertEqual((p.i, p.d), (3, 1.5))
        self.assertEqual(ft.type_point_fields(p), (3, 1.5, NULL, 0))
        self.assertEqual(Point().i, 0)
        with self.assertRaisesRegex(TypeError, "^Point\\(\\) takes at most 2 arguments "
                                               "\\(3 given\\)$"):
            Point(1, 2.0, 3)

    def test_dealloc_counted(self):
        before = deallocs()[0]
        p = Point(1)
        del p
        self.assertEqual(deallocs()[0], before + 1)

    def test_repr_hash_compare(self):
        self.assertEqual(repr(Point(4)), "Point(i=4)")
        self.assertEqual(hash(Point(4)), 4)
        self.assertEqual(hash(Point(-1)), -2)
        self.assertTrue(Point(1) < Point(2))
        self.assertTrue(Point(2) == Point(2))
        self.assertFalse(Point(2) != Point(2))
        self.assertTrue(Point(3) >= Point(2))
        self.assertFalse(Point(1) == 1)
        with self.assertRaises(TypeError):
            Point(1) < 1
        self.assertEqual(len({Point(1), Point(1), Point(2)}), 2)

    def test_iter(self):
        p = Point(3)
        self.assertIs(iter(p), p)
        self.assertEqual(list(p), [0, 1, 2])
        self.assertEqual(list(p), [])   # exhausted
        self.assertEqual(list(Point(0)), [])

    def test_call(self):
        p = Point(5)
        self.assertEqual(p(), (5, (), None))
        self.assertEqual(p(1, k=2), (5, (1,), {"k": 2}))

    def test_methods(self):
        p = Point(5, 2.0)
        self.assertEqual(p.get_i(), 5)
        self.assertEqual(Point.get_i.__doc__, "Return i.")
        self.assertEqual(p.add(10), 15)
        self.assertEqual(p.scale(3), 6.0)
        self.assertEqual(p.scale(3, offset=1), 7.0)
        with self.assertRaisesRegex(TypeError, "takes no arguments \\(1 given\\)"):
            p.get_i(1)
        with self.assertRaisesRegex(TypeError, "takes at most 1 positional argument"):
            p.scale(1, 2)
        self.assertEqual(Point.get_i(p), 5)
        self.assertEqual(Point.add(p, 1), 6)
        self.assertEqual(Point.scale(p, 2, offset=1), 5.0)

    def test_method_wrong_self(self):
        # The method descriptor checks self's type before C sees it.
        p = Point(5, 2.0)
        for m, args in ((Point.get_i, ()), (Point.add, (1,)), (Point.scale, (2,))):
            name = m.__name__
            with self.assertRaisesRegex(TypeError, "^descriptor '%s' for '_ferrytest.Point' objects "
                                        "doesn't apply to a 'int' object$" % name):
                m(7, *args)
        class Sub(Point):
            pass
        self.assertEqual(Point.get_i(Sub(3)), 3)
        self.assertEqual(p.get_i(), 5)

    def test_classmethod_staticmethod(self):
        q = Point.make(9)
        self.assertIs(type(q), Point)
        self.assertEqual(q.i, 9)

        class Sub(Point):
            pass
        s = Sub.make(4)
        self.assertIs(type(s), Sub)
        self.assertEqual(Point(1).make(2).i, 2)
        # METH_STATIC: self is NULL.
        self.assertEqual(Point.static_sum(2, 3), (None, 5))
        self.assertEqual(Point(0).static_sum(2, 3), (None, 5))

    def test_python_subclasses_two_levels_down(self):
        class Sub(Point):
            pass

        class SubSub(Sub):
            def get_i(self):
                return -super().get_i()

        class Third(SubSub):
            pass
        for cls in (SubSub, Third):
            o = cls(6)
            self.assertIs(type(o), cls)
            self.assertEqual((o.i, o.get_i(), Point.get_i(o)), (6, -6, 6))
            self.assertEqual(cls.__mro__[-3:], (Sub, Point, object))
        self.assertIs(type(Third.make(2)), Third)

    def test_members(self):
        p = Point(1, 2.5)
        p.i = 7
        p.d = -0.25
        self.assertEqual((p.i, p.d), (7, -0.25))
        self.assertEqual(ft.type_point_fields(p)[:2], (7, -0.25))
        with self.assertRaisesRegex(TypeError,
                                    "^'str' object cannot be interpreted as an integer$"):
            p.i = "x"
        # Beyond C int but within C long: a warning, then truncation.
        with self.assertWarnsRegex(RuntimeWarning, "^Truncation of value to int$"):
            p.i = 2**32 + 5
        self.assertEqual(p.i, 5)
        with self.assertRaises(OverflowError):
            p.i = 2**70
        p.i = 7
        with self.assertRaisesRegex(TypeError, "^must be real number, not str$"):
            p.d = "x"
        # T_OBJECT: NULL reads as None; deleting sets NULL.
        self.assertIsNone(p.obj)
        o = object()
        p.obj = o
        self.assertIs(p.obj, o)
        self.assertIs(ft.type_point_fields(p)[2], o)
        del p.obj
        self.assertIsNone(p.obj)
        self.assertIs(ft.type_point_fields(p)[2], NULL)
        # T_OBJECT_EX: NULL raises AttributeError.
        with self.assertRaisesRegex(AttributeError, "obj_ex"):
            p.obj_ex
        p.obj_ex = [1]
        self.assertEqual(p.obj_ex, [1])
        del p.obj_ex
        with self.assertRaises(AttributeError):
            p.obj_ex
        with self.assertRaises(AttributeError):
            del p.obj_ex
        # READONLY
        self.assertEqual(p.ro, 99)
        with self.assertRaisesRegex(AttributeError, "readonly attribute"):
            p.ro = 1
        # T_BOOL
        self.assertIs(p.flag, False)
        p.flag = True
        self.assertIs(p.flag, True)
        with self.assertRaisesRegex(TypeError, "^attribute value type must be bool$"):
            p.flag = 1
        # T_STRING: read-only even without READONLY.
        self.assertEqual(p.str, "static text")
        with self.assertRaisesRegex(TypeError, "^readonly attribute$"):
            p.str = "x"

    def test_member_getone_setone(self):
        p = Point(1, 2.5)
        self.assertEqual(ft.type_member_getone(p, "i"), 1)
        self.assertEqual(ft.type_member_getone(p, "d"), 2.5)
        self.assertEqual(ft.type_member_getone(p, "str"), "static text")
        self.assertIsNone(ft.type_member_getone(p, "obj"))
        with self.assertRaisesRegex(AttributeError, "obj_ex"):
            ft.type_member_getone(p, "obj_ex")
        self.assertEqual(ft.type_member_setone(p, "i", 42), 0)
        self.assertEqual(p.i, 42)
        self.assertEqual(ft.type_member_setone(p, "obj_ex", "v"), 0)
        self.assertEqual(p.obj_ex, "v")
        self.assertEqual(ft.type_member_setone(p, "obj_ex", None), 0)   # NULL: delete
        with self.assertRaises(AttributeError):
            p.obj_ex
        with self.assertRaisesRegex(AttributeError, "readonly attribute"):
            ft.type_member_setone(p, "ro", 1)
        with self.assertRaisesRegex(TypeError, "^readonly attribute$"):
            ft.type_member_setone(p, "str", "x")
        with self.assertRaisesRegex(TypeError,
                                    "^'float' object cannot be interpreted as an integer$"):
            ft.type_member_setone(p, "i", 1.5)

    def test_getset(self):
        p = Point()
        self.assertEqual(p.tag, "untagged")   # from the closure
        p.tag = "t"
        self.assertEqual(p.tag, "t")
        with self.assertRaisesRegex(TypeError, "^tag must be a str$"):
            p.tag = 1
        with self.assertRaisesRegex(TypeError, "^cannot delete tag$"):
            del p.tag
        self.assertEqual(Point.tag.__doc__, "a str")

    def test_subclass(self):
        class Sub(Point):
            def get_i(self):
                return -super().get_i()
        s = Sub(6)
        self.assertIsInstance(s, Point)
        self.assertEqual((s.i, s.get_i()), (6, -6))
        s.extra = 1   # a __dict__
        self.assertEqual(ft.type_point_fields(s)[0], 6)
        before = deallocs()[0]
        del s
        self.assertEqual(deallocs()[0], before + 1)

    def test_subclass_with_a_builtin_laid_out_otherwise(self):
        # CPython refuses such a class (the host made it, then crashed making
        # or using its instances).
        for bases in ((Point, float), (float, Point), (Point, ValueError), (Point, dict)):
            with self.assertRaisesRegex(TypeError, "^multiple bases have instance lay-out conflict$"):
                type("Both", bases, {})

        class Sub(Point):
            pass
        with self.assertRaisesRegex(TypeError, "^multiple bases have instance lay-out conflict$"):
            class Both(Sub, int):
                pass

    def test_descriptor_names(self):
        for name in ("__new__", "__init__", "__repr__", "__lt__", "__call__", "get_i"):
            attr = getattr(Point, name)
            self.assertEqual((attr.__name__, attr.__qualname__), (name, "Point." + name))

    def test_descriptors_refuse_another_self(self):
        # C would read the other object's memory as a Point's.
        other = "^descriptor '%s' for '_ferrytest.Point' objects doesn't apply to a 'float' object$"
        wrapper = "^descriptor '%s' requires a '_ferrytest.Point' object but received a 'float'$"
        cases = [
            (other % "i", lambda: Point.i.__get__(1.5)),
            (other % "i", lambda: Point.i.__set__(1.5, 2)),
            (other % "tag", lambda: Point.tag.__get__(1.5)),
            (other % "tag", lambda: Point.tag.__set__(1.5, "t")),
            (other % "get_i", lambda: Point.get_i(1.5)),
            (wrapper % "__init__", lambda: Point.__init__(1.5, 3)),
            (wrapper % "__repr__", lambda: Point.__repr__(1.5)),
            (wrapper % "__lt__", lambda: Point.__lt__(1.5, Point(1))),
            (wrapper % "__call__", lambda: Point.__call__(1.5)),
        ]
        for message, call in cases:
            with self.assertRaisesRegex(TypeError, message):
                call()

    def test_object_new_refused(self):
        # CPython refuses object.__new__(Point); the host makes the object
        # (without its C part), which C then refuses to use.
        message = (r"^object\.__new__\(_ferrytest\.Point\) is not safe, "
                   r"use _ferrytest\.Point\.__new__\(\)$")
        with self.assertRaisesRegex(TypeError, message):
            object.__new__(Point).get_i()
        with self.assertRaisesRegex(TypeError, message):
            repr(object.__new__(Point))

    def test_pickle_refused(self):
        # CPython's object.__reduce_ex__ refuses an object with C fields whose
        # class does not say how to pickle it (the host's kept its __dict__
        # and lost the fields).
        p = Point(3, d=1.5)
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            name = "Point" if proto < 2 else "_ferrytest.Point"
            with self.assertRaisesRegex(TypeError, "^cannot pickle '%s' object$" % name):
                pickle.dumps(p, proto)
        for make in (copy.copy, copy.deepcopy):
            with self.assertRaisesRegex(TypeError, "^cannot pickle '_ferrytest.Point' object$"):
                make(p)
        with self.assertRaisesRegex(TypeError, "^cannot pickle '_ferrytest.VarBox' object$"):
            pickle.dumps(ft.type_varbox("new", (1, 2)), 2)

        class Sub(Point):
            pass
        with self.assertRaisesRegex(TypeError, "^cannot pickle 'Sub' object$"):
            copy.copy(Sub(1))

    def test_pickle_said_by_the_class(self):
        global PickledByReduce, PickledByArgs

        class PickledByReduce(Point):
            def __reduce__(self):
                return (PickledByReduce, (self.i, self.d))

        class PickledByArgs(Point):
            def __getnewargs__(self):
                return (self.i,)
        try:
            q = pickle.loads(pickle.dumps(PickledByReduce(4, d=2.5)))
            self.assertEqual((type(q), q.i, q.d), (PickledByReduce, 4, 2.5))
            self.assertEqual(copy.copy(PickledByReduce(5)).i, 5)
            # __new__ gets the arguments; __init__ is not called (point_new
            # leaves i at 0).
            q = pickle.loads(pickle.dumps(PickledByArgs(6), 2))
            self.assertEqual((type(q), q.i), (PickledByArgs, 0))
        finally:
            del PickledByReduce, PickledByArgs

    def test_subclass_init_subclass_goes_on(self):
        seen = []

        class Mixin:
            def __init_subclass__(cls, **kwargs):
                seen.append((cls.__name__, kwargs))

        class Sub(Point, Mixin, flag=1):
            pass
        self.assertEqual(seen, [("Sub", {"flag": 1})])
        self.assertEqual(Sub(3).i, 3)
        with self.assertRaisesRegex(TypeError, "__init_subclass__"):
            class Bad(Point, flag=1):
                pass


class TestStaticObjects(unittest.TestCase):
    # Objects C defines statically, of a type of C (numpy's builtin dtypes
    # and its np.True_): no allocator made them, and the memory before one is
    # another's (static_points[1] follows static_points[0]).

    def test_identity_and_use(self):
        a, b = ft.type_static_point(0), ft.type_static_point(1)
        self.assertIs(type(b), Point)
        self.assertIs(ft.type_static_point(1), b)
        self.assertIsNot(a, b)
        self.assertEqual((a.i, a.d, b.i, b.d), (11, 1.5, 22, 2.5))
        self.assertEqual((a.get_i(), b.get_i()), (11, 22))
        self.assertEqual(repr(b), "Point(i=22)")
        self.assertEqual(ft.type_point_fields(b)[:2], (22, 2.5))
        self.assertTrue(ft.type_static_points_intact())

    def test_many_crossings(self):
        held = [ft.type_static_point(k % 2) for k in range(2000)]
        d = {ft.type_static_point(1): "one"}
        self.assertEqual(d[ft.type_static_point(1)], "one")
        self.assertEqual(sum(p.get_i() for p in held), 1000 * (11 + 22))
        del held, d
        gc.collect()
        gc.collect()
        self.assertEqual(ft.type_static_point(0).get_i(), 11)
        self.assertTrue(ft.type_static_points_intact())

    def test_attribute_written(self):
        b = ft.type_static_point(1)
        b.d = 7.25
        self.assertEqual(ft.type_static_point(1).d, 7.25)
        self.assertEqual(ft.type_point_fields(ft.type_static_point(1))[1], 7.25)
        b.d = 2.5
        self.assertTrue(ft.type_static_points_intact())


class TestObjectInRawMemory(unittest.TestCase):
    # PyMem_RawMalloc, then PyObject_Init (numpy's iterators).

    def test_use_and_death(self):
        before = deallocs()[0]
        points = [ft.type_raw_point(i) for i in range(200)]
        self.assertEqual([p.get_i() for p in points], list(range(200)))
        self.assertIs(type(points[7]), Point)
        self.assertEqual(repr(points[3]), "Point(i=3)")
        self.assertEqual(ft.type_point_fields(points[5])[0], 5)
        del points
        for _ in range(3):
            gc.collect()
        self.assertEqual(deallocs()[0], before + 200)


class TestVectorcallType(unittest.TestCase):
    # A type of C whose tp_call is PyVectorcall_Call (numpy's ufuncs).

    def test_calls(self):
        c = ft.Caller()
        self.assertEqual(c(), ((), None, ()))
        self.assertEqual(c(1, "a"), ((1, "a"), None, ()))
        self.assertEqual(c(1, k=2), ((1,), ("k",), (2,)))
        self.assertEqual(ft.vectorcall_call(c, (3,), {"x": 4, "y": 5}),
                         ((3,), ("x", "y"), (4, 5)))
        self.assertEqual(ft.vectorcall_call(c, (3,)), ((3,), None, ()))
        self.assertEqual(c.calls(), 5)
        c.forget()
        with self.assertRaisesRegex(TypeError, "^'_ferrytest.Caller' object does not support vectorcall$"):
            c()


class TestCalledFromC(unittest.TestCase):
    # Instances of static types of C called by C (numpy calls its ufuncs so),
    # through every calling API: the type's own call, as in CPython, its
    # keywords as a dict for tp_call and as names for vectorcall.

    def test_tp_call(self):
        p = Point(4)
        self.assertEqual(ft.object_call(p, (1, 2)), (4, (1, 2), None))
        self.assertEqual(ft.object_call(p, (1,), {"k": 2}), (4, (1,), {"k": 2}))
        self.assertEqual(ft.object_callobject(p, ()), (4, (), None))
        self.assertEqual(ft.object_callnoargs(p), (4, (), None))
        self.assertEqual(ft.object_callonearg(p, "x"), (4, ("x",), None))
        self.assertEqual(ft.object_callfunction(p, "ints"), (4, (1, 2, 3), None))
        self.assertEqual(ft.object_callfunction(p, "tuple"), (4, (4, 5), None))
        self.assertEqual(ft.object_callfunction(p, "null"), (4, (), None))
        self.assertEqual(ft.object_callfunctionobjargs(p, 1, 2), (4, (1, 2), None))
        self.assertEqual(ft.object_vectorcall(p, (1, 2, 3), ("a", "b")), (4, (1,), {"a": 2, "b": 3}))
        self.assertEqual(ft.object_vectorcalldict(p, (1,), {"z": 0}), (4, (1,), {"z": 0}))

    def test_vectorcall(self):
        c = ft.Caller()
        self.assertEqual(ft.object_call(c, (1,), {"k": 2}), ((1,), ("k",), (2,)))
        self.assertEqual(ft.object_callnoargs(c), ((), None, ()))
        self.assertEqual(ft.object_callfunctionobjargs(c, 1, 2), ((1, 2), None, ()))
        self.assertEqual(ft.object_callfunction(c, "int"), ((7,), None, ()))
        self.assertEqual(ft.object_vectorcall(c, (1, 2), ("a",)), ((1,), ("a",), (2,)))
        self.assertEqual(ft.object_vectorcalldict(c, (), {"x": 1}), ((), ("x",), (1,)))
        self.assertEqual(c.calls(), 6)
        c.forget()   # (tp_call is PyVectorcall_Call, which refuses)
        with self.assertRaisesRegex(TypeError, "^'_ferrytest.Caller' object does not support vectorcall$"):
            ft.object_callnoargs(c)

    def test_python_subclass_call(self):
        # A Python class's own __call__ is what C calls.
        class Sub(Point):
            def __call__(self, *args, **kw):
                return ("sub", args, kw)
        s = Sub(1)
        self.assertEqual(ft.object_callonearg(s, 5), ("sub", (5,), {}))
        self.assertEqual(ft.object_call(s, (), {"k": 1}), ("sub", (), {"k": 1}))

    def test_not_callable(self):
        with self.assertRaisesRegex(TypeError, "'_ferrytest.Reducible' object is not callable"):
            ft.object_callnoargs(ft.Reducible())


class TestFromC(unittest.TestCase):

    def test_object_new(self):
        p = ft.type_point_from_c("new", 11)
        self.assertIs(type(p), Point)
        self.assertEqual((p.i, p.d, p.ro, p.flag, p.str), (11, 0.5, 7, True, "from C"))
        before = deallocs()[0]
        del p
        self.assertEqual(deallocs()[0], before + 1)

    def test_object_init(self):
        p = ft.type_point_from_c("init", 12)
        self.assertIs(type(p), Point)
        self.assertEqual((p.i, p.str), (12, "from C"))
        before = deallocs()[0]
        del p
        self.assertEqual(deallocs()[0], before + 1)

    def test_generic_new(self):
        # PyType_GenericNew allocates zeroed memory and runs neither tp_new
        # nor tp_init.
        p = ft.type_point_from_c("generic", 13)
        self.assertEqual((p.i, p.d, p.ro, p.flag), (13, 0.0, 0, False))
        self.assertIsNone(p.str)   # T_STRING NULL reads as None
        self.assertIsNone(p.obj)

    def test_identity(self):
        p = Point(1)
        ft.type_stash(p)
        try:
            self.assertIs(ft.type_stashed(), p)
            self.assertIs(ft.type_stashed(), ft.type_stashed())
            c = ft.type_point_from_c("new", 2)
            ft.type_stash(c)
            self.assertIs(ft.type_stashed(), c)
            # Changes made in C are seen from Python, and back.
            ft.type_point_set_i(c, 77)
            self.assertEqual(c.i, 77)
            c.i = 78
            self.assertEqual(ft.type_point_fields(ft.type_stashed())[0], 78)
            # A C-created object kept only by C survives and keeps its identity.
            ft.type_stash(ft.type_point_from_c("new", 3))
            collect()
            first = ft.type_stashed()
            self.assertEqual(first.i, 3)
            first.obj = "attached"
            del first
            collect()
            self.assertEqual(ft.type_stashed().obj, "attached")
            self.assertIs(ft.type_stashed(), ft.type_stashed())
        finally:
            ft.type_stash(None)


class TestMethodsCalledFromC(unittest.TestCase):
    """PyObject_CallMethod & co. on instances of a static type of C (ferry
    finds such methods in C: typeobject.cpp, static_type_method)."""

    def test_each_convention(self):
        p = Point(3, 1.5)
        self.assertEqual(ft.object_callmethod(p, "get_i", "null"), 3)
        self.assertEqual(ft.object_callmethod(p, "add", "int"), 10)
        self.assertEqual(ft.object_callmethod(p, "scale", "obj", 2.0), 3.0)
        self.assertEqual(ft.object_callmethodobjargs(p, "add", 5), 8)
        self.assertEqual(ft.object_callmethodobjargs(p, "fastkw", 1, "two"), (3, (1, "two"), None, ()))
        self.assertEqual(ft.object_callmethodnoargs(p, "get_i"), 3)
        self.assertEqual(ft.object_callmethodonearg(p, "add", 1), 4)
        self.assertEqual(ft.object_callmethodonearg(p, "scale", 4.0), 6.0)

    def test_errors(self):
        p = Point(3, 1.5)
        with self.assertRaisesRegex(TypeError, r"^Point.get_i\(\) takes no arguments \(1 given\)$"):
            ft.object_callmethod(p, "get_i", "int")
        with self.assertRaisesRegex(TypeError, r"^Point.add\(\) takes exactly one argument \(2 given\)$"):
            ft.object_callmethodobjargs(p, "add", 1, 2)
        with self.assertRaisesRegex(TypeError, "^'str' object cannot be interpreted as an integer$"):
            ft.object_callmethod(p, "add", "obj", "x")
        with self.assertRaisesRegex(TypeError, r"^Point.add\(\) takes exactly one argument \(2 given\)$"):
            ft.object_callmethod(p, "add", "strs")
        for _ in range(3):   # (ferry: the first miss, then the known ones)
            with self.assertRaisesRegex(AttributeError, "^'_ferrytest.Point' object has no attribute 'nope'$"):
                ft.object_callmethod(p, "nope", "null")
        with self.assertRaisesRegex(TypeError, "^'int' object is not callable$|^attribute of type 'int' is not callable$"):
            ft.object_callmethod(p, "i", "null")

    def test_missing_attribute_message(self):
        # CPython's PyObject_GenericGetAttr names the type by tp_name, and so
        # does an unset T_OBJECT_EX member.
        p = Point(3, 1.5)
        for _ in range(3):
            with self.assertRaisesRegex(AttributeError, "^'_ferrytest.Point' object has no attribute 'nope'$"):
                ft.object_getattr(p, "nope")
            with self.assertRaisesRegex(AttributeError, "^'_ferrytest.Point' object has no attribute 'nope2'$"):
                ft.object_getattrstring(p, b"nope2")
            with self.assertRaisesRegex(AttributeError, "^'_ferrytest.Point' object has no attribute 'obj_ex'$"):
                ft.object_getattr(p, "obj_ex")

    def test_what_is_not_a_plain_method(self):
        p = Point(3, 1.5)
        made = ft.object_callmethod(p, "make", "int")   # METH_CLASS
        self.assertIs(type(made), Point)
        self.assertEqual(made.i, 7)
        self.assertEqual(ft.object_callmethodobjargs(p, "static_sum", 1, 2), (None, 3))   # METH_STATIC
        self.assertEqual(ft.object_callmethodnoargs(p, "__repr__"), repr(p))

    def test_python_subclass_overrides(self):
        class Sub(Point):
            def get_i(self):
                return -1
        self.assertEqual(ft.object_callmethod(Sub(3), "get_i", "null"), -1)
        self.assertEqual(ft.object_callmethodnoargs(Sub(3), "get_i"), -1)
        self.assertEqual(ft.object_callmethod(Sub(3), "add", "int"), 10)


class TestMethodsReplacedInTypeDict(unittest.TestCase):
    """A static type's tp_dict written by C under a method's name wins over
    the method, for calls from C too."""

    def test_before_ready(self):
        s = ft.Shadowed()
        self.assertEqual(s.value, 42)
        with self.assertRaisesRegex(TypeError, "is not callable"):
            ft.object_callmethod(s, "value", "null")
        with self.assertRaisesRegex(TypeError, "is not callable"):
            ft.object_callmethodnoargs(s, "value")

    def test_after_ready(self):
        s = ft.Shadowed()
        if s.other != 7:   # (once per process)
            self.assertEqual(ft.object_callmethodnoargs(s, "other"), 2)
            ft.type_shadow_other()
        self.assertEqual(s.other, 7)
        with self.assertRaisesRegex(TypeError, "is not callable"):
            ft.object_callmethodnoargs(s, "other")
        with self.assertRaisesRegex(TypeError, "is not callable"):
            ft.object_callmethod(s, "other", "null")


class TestVarBox(unittest.TestCase):

    def test_newvar(self):
        b = ft.type_varbox("new", (1, -2, 3))
        self.assertIs(type(b), VarBox)
        self.assertEqual(b.items(), (1, -2, 3))
        self.assertEqual(ft.type_varbox("new", ()).items(), ())
        before = deallocs()[1]
        del b
        self.assertEqual(deallocs()[1], before + 1)

    def test_initvar(self):
        b = ft.type_varbox("init", (5, 6))
        self.assertIs(type(b), VarBox)
        self.assertEqual(b.items(), (5, 6))
        before = deallocs()[1]
        del b
        self.assertEqual(deallocs()[1], before + 1)

    def test_no_python_construction(self):
        with self.assertRaisesRegex(TypeError, "cannot create '_ferrytest.VarBox' instances"):
            VarBox()


class TestGC(unittest.TestCase):

    def test_is_gc(self):
        self.assertTrue(ft.type_is_gc(ft.type_gcbox(1, None)))
        self.assertFalse(ft.type_is_gc(Point()))
        self.assertTrue(ft.type_is_gc([]))
        self.assertFalse(ft.type_is_gc(1))

    def test_gc_new(self):
        o = object()
        b = ft.type_gcbox(o, None)
        self.assertIs(type(b), GCBox)
        self.assertIs(b.value, o)
        self.assertEqual(b.items(), ())
        before = deallocs()[2]
        del b
        self.assertEqual(deallocs()[2], before + 1)

    def test_gc_newvar(self):
        items = ("a", [1], None)
        b = ft.type_gcbox(None, items)
        self.assertEqual(b.items(), items)
        self.assertIs(b.items()[1], items[1])
        before = deallocs()[2]
        del b
        self.assertEqual(deallocs()[2], before + 1)

    def test_gc_cycle_collected(self):
        # A cycle through the C field: only the cycle collector frees it
        # (tp_traverse, tp_clear, PyObject_GC_UnTrack, PyObject_GC_Del).
        before = deallocs()[2]
        b = ft.type_gcbox(None, None)
        b.value = [b]
        del b
        self.assertEqual(deallocs()[2], before + 1)

    def test_gc_cycles_through_containers(self):
        before = deallocs()[2]
        for make in (lambda b: {"me": b}, lambda b: (1, [b], "x"), lambda b: Holder(b),
                     lambda b: ft.type_gcbox(Holder(b), None)):
            b = ft.type_gcbox(None, None)
            b.value = make(b)
            del b
        self.assertEqual(deallocs()[2], before + 5)   # (the last makes two)

    def test_gc_many_cycles(self):
        before = deallocs()[2]
        for i in range(1000):
            b = ft.type_gcbox(None, (i, "item"))
            b.value = [b, i]
        del b
        self.assertEqual(deallocs()[2], before + 1000)

    def test_gc_cycle_kept_by_python(self):
        # The collection must not free what Python still reaches.
        before = deallocs()[2]
        b = ft.type_gcbox(None, None)
        lst = [b, "tail"]
        b.value = lst
        del b
        self.assertEqual(deallocs()[2], before)
        self.assertIs(lst[0].value, lst)
        self.assertEqual(lst[0].value[1], "tail")
        lst[0].value.append(3)
        self.assertEqual(lst, [lst[0], "tail", 3])
        del lst
        self.assertEqual(deallocs()[2], before + 1)

    def test_gc_cycle_kept_by_c(self):
        before = deallocs()[2]
        b = ft.type_gcbox(None, None)
        lst = [b]
        b.value = lst
        ft.type_stash(lst)   # a C static holds the list
        del b, lst
        self.assertEqual(deallocs()[2], before)
        kept = ft.type_stashed()
        self.assertIs(kept[0].value, kept)
        del kept
        ft.type_stash(None)
        self.assertEqual(deallocs()[2], before + 1)

    def test_gc_shared_structure(self):
        # Many objects of C whose C fields reach one list of many tuples,
        # which reaches one of them back: what Python still reaches stays.
        before = deallocs()[2]
        shared = [(i, "t") for i in range(200)]
        boxes = [ft.type_gcbox(None, (shared,)) for _ in range(50)]
        shared.append(boxes[0])
        for b in boxes[1:]:
            b.value = boxes[0]
        keep, mid = shared[5], boxes[25]
        del boxes, shared, b
        self.assertEqual(deallocs()[2], before + 48)
        self.assertEqual(keep, (5, "t"))
        shared = mid.items()[0]
        self.assertEqual(len(shared), 201)
        self.assertIs(mid.value, shared[200])
        self.assertIs(shared[200].items()[0], shared)
        self.assertEqual(shared[199], (199, "t"))
        del mid, shared
        self.assertEqual(deallocs()[2], before + 50)
        self.assertEqual(keep, (5, "t"))

    def test_gc_cycle_only_in_c(self):
        before = deallocs()[2]
        ft.type_gcbox_c_cycle()
        self.assertEqual(deallocs()[2], before + 1)

    def test_gc_cycle_through_a_dict_c_made(self):
        # The dict lives in C (it never crossed): its items are edges too.
        before = deallocs()[2]
        ft.type_gcbox_dict_cycle(False)
        self.assertEqual(deallocs()[2], before + 1)
        b = ft.type_gcbox_dict_cycle(True)
        self.assertIs(b.value["me"], b)
        del b
        self.assertEqual(deallocs()[2], before + 2)
        b = ft.type_gcbox_dict_cycle(True)
        del b
        self.assertEqual(deallocs()[2], before + 3)

    def test_gc_is_tracked(self):
        b = ft.type_gcbox(None, None)
        self.assertTrue(ft.type_gc_is_tracked(b))
        ft.type_gc_set_tracked(b, False)
        self.assertFalse(ft.type_gc_is_tracked(b))
        ft.type_gc_set_tracked(b, True)
        self.assertTrue(ft.type_gc_is_tracked(b))
        self.assertFalse(ft.type_gc_is_tracked(Point()))
        self.assertFalse(ft.type_gc_is_tracked(1))
        self.assertTrue(ft.type_gc_is_tracked([]))


class TestNextNotImplemented(unittest.TestCase):

    def test_next_not_implemented(self):
        with self.assertRaisesRegex(TypeError, "^'int' object is not iterable$"):
            ft.type_next_not_implemented(1)
        box = ft.type_varbox("new", (1,))
        with self.assertRaisesRegex(TypeError, "^'_ferrytest.VarBox' object is not iterable$"):
            ft.type_next_not_implemented(box)
        # A type whose tp_iternext is _PyObject_NextNotImplemented is no iterator.
        self.assertFalse(ft.type_iter_check(box))
        self.assertTrue(ft.type_iter_check(iter([])))
        with self.assertRaises(TypeError):
            next(box)



class TestMetaclassOfC(unittest.TestCase):
    """Meta: a type of C based on type, with a field after PyHeapTypeObject;
    Described: a static type whose metatype is Meta (tag 7)."""

    def test_metaclass(self):
        self.assertEqual(ft.Meta.__mro__, (ft.Meta, type, object))
        self.assertIs(type(ft.Described), ft.Meta)
        self.assertIsInstance(ft.Described, type)
        self.assertEqual(ft.type_meta_view(ft.Described), (1, 1, 7))
        self.assertEqual(ft.type_meta_view(int), (0, 0, None))

    def test_getset_and_method_of_the_metaclass(self):
        self.assertEqual(ft.Described.tag, 7)
        self.assertEqual(ft.Described.describe(), "_ferrytest.Described:7")
        with self.assertRaisesRegex(TypeError, "^cannot set 'tag' attribute of immutable type "
                                               "'_ferrytest.Described'$"):
            ft.Described.tag = 9

    def test_instances(self):
        d = ft.Described(5)
        self.assertIs(type(d), ft.Described)
        self.assertEqual(d.value(), 5)

    def test_python_subclass_has_the_metaclass(self):
        class Sub(ft.Described):
            pass
        self.assertIs(type(Sub), ft.Meta)
        self.assertEqual(ft.type_meta_view(Sub), (1, 1, 0))   # (a new class: its field zeroed)
        self.assertEqual((Sub.tag, Sub.describe()), (0, "Sub:0"))
        Sub.tag = 3
        self.assertEqual((Sub.tag, ft.type_meta_view(Sub)), (3, (1, 1, 3)))
        s = Sub(4)
        self.assertIs(type(s), Sub)
        self.assertEqual(s.value(), 4)

    def test_class_made_with_the_metaclass(self):
        class X(metaclass=ft.Meta):
            pass
        self.assertIs(type(X), ft.Meta)
        self.assertEqual(X.tag, 0)
        X.tag = 4
        self.assertEqual((X.describe(), ft.type_meta_view(X)), ("X:4", (1, 1, 4)))
        self.assertIsInstance(X(), X)


if __name__ == "__main__":
    unittest.main()
