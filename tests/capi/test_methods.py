"""Calling conventions of C functions (METH_NOARGS, METH_O, METH_VARARGS,
METH_VARARGS|METH_KEYWORDS, METH_FASTCALL, METH_FASTCALL|METH_KEYWORDS,
METH_METHOD|METH_FASTCALL|METH_KEYWORDS), PyCFunction_NewEx / PyCMethod_New
and the PyCFunction accessors (Objects/methodobject.c, Objects/call.c).

C side: tests/capi/ext/methods.c. Every function answers (self, what it got).
"""
import sys
import unittest

import _ferrytest as ft

NULL = ft.NULL
FLAGS = ft.meth_flags()


def call_styles(f, *args, **kwargs):
    """The same call through the paths an interpreter may take."""
    yield f(*args, **kwargs)
    yield (lambda: f(*args, **kwargs))()
    yield f.__call__(*args, **kwargs)
    yield ft.object_call(f, args, kwargs)


class TestConventions(unittest.TestCase):

    def test_noargs(self):
        for r in call_styles(ft.meth_noargs):
            self.assertEqual(r, (ft, 1))
        with self.assertRaisesRegex(
                TypeError,
                r"^_ferrytest\.meth_noargs\(\) takes no arguments \(1 given\)$"):
            ft.meth_noargs(1)
        with self.assertRaisesRegex(
                TypeError, r"meth_noargs\(\) takes no keyword arguments$"):
            ft.meth_noargs(a=1)

    def test_o(self):
        o = object()
        for r in call_styles(ft.meth_o, o):
            self.assertEqual(r, (ft, o))
            self.assertIs(r[1], o)
        for n in (0, 2):
            with self.assertRaisesRegex(
                    TypeError,
                    r"^_ferrytest\.meth_o\(\) takes exactly one argument "
                    r"\(%d given\)$" % n):
                ft.meth_o(*range(n))
        with self.assertRaisesRegex(TypeError,
                                    r"meth_o\(\) takes no keyword arguments$"):
            ft.meth_o(a=1)

    def test_varargs(self):
        for r in call_styles(ft.meth_varargs, 1, "two"):
            self.assertEqual(r, (ft, (1, "two")))
            self.assertIs(type(r[1]), tuple)
        self.assertEqual(ft.meth_varargs(), (ft, ()))
        self.assertEqual(ft.meth_varargs(*range(50)), (ft, tuple(range(50))))
        with self.assertRaisesRegex(
                TypeError, r"meth_varargs\(\) takes no keyword arguments$"):
            ft.meth_varargs(a=1)

    def test_varargs_keywords(self):
        for r in call_styles(ft.meth_varargs_keywords, 1, a=2):
            self.assertEqual(r, (ft, (1,), {"a": 2}))
        self.assertEqual(ft.meth_varargs_keywords(1), (ft, (1,), None))
        # With an empty ** the dict may be passed on as it is (CPython does).
        self.assertIn(ft.meth_varargs_keywords(**{})[2], (None, {}))
        kw = {"caf\xe9": 1, "\U0001f40d": 2}
        self.assertEqual(ft.meth_varargs_keywords(**kw), (ft, (), kw))

    def test_varargs_keywords_gets_a_copy(self):
        kw = {"k": 1}
        r = ft.meth_varargs_keywords(**kw)
        r[2]["k"] = 2
        self.assertEqual(kw, {"k": 1})

    def test_fastcall(self):
        for r in call_styles(ft.meth_fastcall, 1, 2):
            self.assertEqual(r, (ft, (1, 2)))
        self.assertEqual(ft.meth_fastcall(), (ft, ()))
        self.assertEqual(ft.meth_fastcall(*range(30)), (ft, tuple(range(30))))
        with self.assertRaisesRegex(
                TypeError, r"meth_fastcall\(\) takes no keyword arguments$"):
            ft.meth_fastcall(a=1)

    def test_fastcall_keywords(self):
        for r in call_styles(ft.meth_fastcall_keywords, 1, b=2, c=3):
            self.assertEqual(r, (ft, (1,), ("b", "c"), (2, 3)))
        self.assertEqual(ft.meth_fastcall_keywords(), (ft, (), None, ()))
        self.assertEqual(ft.meth_fastcall_keywords(1, 2), (ft, (1, 2), None, ()))
        r = ft.meth_fastcall_keywords(**{"\xe9": 1})
        self.assertEqual(r, (ft, (), ("\xe9",), (1,)))

    def test_fastcall_keywords_names_change(self):
        # One call site, other names (same count, other order, other count)
        # from one call to the next: C sees each call's own.
        f = ft.meth_fastcall_keywords
        cases = [{"b": 2, "c": 3}, {"c": 3, "b": 2}, {"b": 2, "d": 3}, {"b": 2},
                 {"b": 2, "c": 3}, {"x" * 40: 1, "b": 2}, {"b": 2, "c": 3}]
        for _ in range(3):
            for kw in cases:
                self.assertEqual(f(1, **kw), (ft, (1,), tuple(kw), tuple(kw.values())))
        # names made anew at each call (not the interned ones of a call site)
        for i in range(50):
            name = "k%d" % (i % 3)
            self.assertEqual(f(**{name: i}), (ft, (), (name,), (i,)))

    def test_vectorcall_into_fastcall(self):
        self.assertEqual(ft.object_vectorcall(ft.meth_fastcall_keywords, (1, 2, 3),
                                              ("k",)),
                         (ft, (1, 2), ("k",), (3,)))
        self.assertEqual(ft.object_vectorcall(ft.meth_o, ("x",)), (ft, "x"))


class TestErrorProtocol(unittest.TestCase):

    def test_exception_propagates(self):
        with self.assertRaisesRegex(ValueError, "^3$"):
            ft.raise_value_error(3)

    def test_null_without_exception(self):
        # The caller turns it into SystemError (the message depends on the
        # call path in CPython).
        with self.assertRaises(SystemError):
            ft.return_null_without_error()
        with self.assertRaises(SystemError):
            ft.object_callnoargs(ft.return_null_without_error)

    def test_result_with_exception(self):
        # CPython reports either the stray exception or a SystemError caused
        # by it, depending on the call path; never a silent success.
        with self.assertRaises((SystemError, ValueError)):
            ft.return_result_with_error()
        with self.assertRaises((SystemError, ValueError)):
            ft.object_callnoargs(ft.return_result_with_error)
        # Nothing is left behind for the next call.
        self.assertEqual(ft.meth_noargs(), (ft, 1))


class TestFunctionObjects(unittest.TestCase):

    def test_attributes(self):
        f = ft.meth_o
        self.assertEqual(f.__name__, "meth_o")
        self.assertEqual(f.__qualname__, "meth_o")
        self.assertEqual(f.__module__, "_ferrytest")
        self.assertIs(f.__self__, ft)
        self.assertEqual(repr(f), "<built-in function meth_o>")

    def test_docstrings_and_signatures(self):
        self.assertEqual(ft.meth_noargs.__doc__, "Takes no arguments.")
        self.assertEqual(ft.meth_noargs.__text_signature__, "($module, /)")
        self.assertEqual(ft.meth_o.__doc__, "Takes one argument.")
        self.assertEqual(ft.meth_o.__text_signature__, "($module, arg, /)")
        self.assertEqual(ft.meth_varargs.__doc__, "Positional arguments as a tuple.")
        self.assertIsNone(ft.meth_varargs.__text_signature__)
        self.assertIsNone(ft.meth_varargs_keywords.__doc__)
        # A signature with an empty body leaves no docstring.
        self.assertIsNone(ft.meth_fastcall.__doc__)
        self.assertEqual(ft.meth_fastcall.__text_signature__, "($module, /, *args)")

    def test_newex(self):
        f = ft.cfunction_newex("meth_o", "SELF", "some.module")
        self.assertEqual(f("x"), ("SELF", "x"))
        self.assertEqual(f.__self__, "SELF")
        self.assertEqual(f.__module__, "some.module")
        self.assertEqual(f.__name__, "meth_o")
        self.assertTrue(repr(f).startswith("<built-in method meth_o of str object"))

    def test_newex_null_self_and_module(self):
        f = ft.cfunction_newex("meth_varargs", None, None)
        self.assertEqual(f(1), (None, (1,)))
        self.assertIsNone(f.__self__)
        self.assertIsNone(f.__module__)
        self.assertEqual(repr(f), "<built-in function meth_varargs>")
        self.assertIs(ft.cfunction_getself(f), NULL)

    def test_newex_every_convention(self):
        s = "bound"
        self.assertEqual(ft.cfunction_newex("meth_noargs", s, None)(), (s, 1))
        self.assertEqual(ft.cfunction_newex("meth_varargs_keywords", s, None)(1, k=2),
                         (s, (1,), {"k": 2}))
        self.assertEqual(ft.cfunction_newex("meth_fastcall", s, None)(1), (s, (1,)))
        self.assertEqual(ft.cfunction_newex("meth_fastcall_keywords", s, None)(k=1),
                         (s, (), ("k",), (1,)))

    def test_new(self):
        lst = [1]
        f = ft.cfunction_new("meth_varargs", lst)
        self.assertEqual(f(2), (lst, (2,)))
        self.assertIs(f.__self__, lst)
        self.assertIsNone(f.__module__)

    def test_cmethod(self):
        class Owner:
            pass
        m = ft.cmethod_new("method", "S", "mod", Owner)
        self.assertEqual(m(1, k=2), ("S", Owner, (1,), ("k",), (2,)))
        self.assertEqual(m(), ("S", Owner, (), None, ()))
        self.assertEqual(m.__self__, "S")
        self.assertEqual(ft.cfunction_check(m), (1, 0))
        self.assertEqual(ft.cfunction_getflags(m),
                         FLAGS["METH_METHOD"] | FLAGS["METH_FASTCALL"]
                         | FLAGS["METH_KEYWORDS"])
        self.assertEqual(ft.cfunction_getfunction(m), "meth_method")

    def test_cmethod_plain(self):
        f = ft.cmethod_new("meth_o", "S", None, None)
        self.assertEqual(f(1), ("S", 1))
        self.assertEqual(ft.cfunction_check(f), (1, 1))

    def test_cmethod_errors(self):
        with self.assertRaisesRegex(
                SystemError,
                "^attempting to create PyCMethod with a METH_METHOD flag but no class$"):
            ft.cmethod_new("method", "S", None, None)
        with self.assertRaisesRegex(
                SystemError,
                "^attempting to create PyCFunction with class but no METH_METHOD flag$"):
            ft.cmethod_new("meth_o", "S", None, int)

    def test_getfunction(self):
        for name in ("meth_noargs", "meth_o", "meth_varargs", "meth_varargs_keywords",
                     "meth_fastcall", "meth_fastcall_keywords"):
            self.assertEqual(ft.cfunction_getfunction(getattr(ft, name)), name)
        self.assertIsNone(ft.cfunction_getfunction(len))
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.cfunction_getfunction(lambda: 0)

    def test_getself(self):
        self.assertIs(ft.cfunction_getself(ft.meth_o), ft)
        lst = []
        self.assertIs(ft.cfunction_getself(lst.append), lst)
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.cfunction_getself(1)

    def test_getflags(self):
        self.assertEqual(ft.cfunction_getflags(ft.meth_noargs), FLAGS["METH_NOARGS"])
        self.assertEqual(ft.cfunction_getflags(ft.meth_o), FLAGS["METH_O"])
        self.assertEqual(ft.cfunction_getflags(ft.meth_varargs), FLAGS["METH_VARARGS"])
        self.assertEqual(ft.cfunction_getflags(ft.meth_varargs_keywords),
                         FLAGS["METH_VARARGS"] | FLAGS["METH_KEYWORDS"])
        self.assertEqual(ft.cfunction_getflags(ft.meth_fastcall), FLAGS["METH_FASTCALL"])
        self.assertEqual(ft.cfunction_getflags(ft.meth_fastcall_keywords),
                         FLAGS["METH_FASTCALL"] | FLAGS["METH_KEYWORDS"])
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.cfunction_getflags(1)

    def test_flag_values(self):
        self.assertEqual(FLAGS, {"METH_VARARGS": 1, "METH_KEYWORDS": 2,
                                 "METH_NOARGS": 4, "METH_O": 8, "METH_CLASS": 16,
                                 "METH_STATIC": 32, "METH_FASTCALL": 128,
                                 "METH_METHOD": 512})

    def test_check_and_type(self):
        t = ft.cfunction_type()
        self.assertIs(t, type(len))
        if sys.implementation.name != "pypy":
            # PyPy's builtin function type cannot be instantiated or subclassed,
            # so ferry's functions are a class of their own on the host; C sees
            # both as PyCFunction_Type (checked below).
            self.assertIs(type(ft.meth_o), t)
        self.assertEqual(ft.cfunction_check(ft.meth_o), (1, 1))
        self.assertEqual(ft.cfunction_check(len), (1, 1))
        self.assertEqual(ft.cfunction_check([].append), (1, 1))
        self.assertEqual(ft.cfunction_check(lambda: 0), (0, 0))
        self.assertEqual(ft.cfunction_check(str.upper), (0, 0))



class TestCFunctionFunctions(unittest.TestCase):
    # The exported PyCFunction_New / PyCFunction_NewEx (not the macros).

    def test_newex_function(self):
        f = ft.cfunction_newex_function("meth_o", "SELF", "some.module")
        self.assertEqual(f("x"), ("SELF", "x"))
        self.assertEqual((f.__self__, f.__module__, f.__name__),
                         ("SELF", "some.module", "meth_o"))
        g = ft.cfunction_newex_function("meth_varargs", None, None)
        self.assertEqual(g(1), (None, (1,)))
        self.assertIsNone(g.__module__)
        self.assertIs(ft.cfunction_getself(g), NULL)
        self.assertEqual(ft.cfunction_check(g), (1, 1))

    def test_new_function(self):
        lst = [1]
        f = ft.cfunction_new_function("meth_varargs", lst)
        self.assertEqual(f(2), (lst, (2,)))
        self.assertIs(f.__self__, lst)
        self.assertIsNone(f.__module__)
        self.assertEqual(ft.cfunction_new_function("meth_noargs", "s")(), ("s", 1))


if __name__ == "__main__":
    unittest.main()
