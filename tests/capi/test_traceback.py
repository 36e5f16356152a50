"""code objects, frames and tracebacks: PyCode_NewEmpty and code.replace
with CPython 3.11's keywords (Objects/codeobject.c), PyFrame_New (Objects/frameobject.c),
PyTraceBack_Here (Python/traceback.c), used as Cython's __Pyx_AddTraceback
uses them.

C side: tests/capi/ext/traceback.c.
"""
import sys
import traceback
import unittest

import _ferrytest as ft

NULL = ft.NULL
BADCALL = "bad argument to internal function"
PYPY = sys.implementation.name == "pypy"


def caught(f, *args):
    """The exception f raises, its traceback kept (assertRaises drops it)."""
    try:
        f(*args)
    except BaseException as e:
        return e
    raise AssertionError("nothing raised")


def last_entries(exc, n):
    return [(f.filename, f.lineno, f.name) for f in traceback.extract_tb(exc.__traceback__)[-n:]]


class TestCode(unittest.TestCase):

    def test_new_empty(self):
        c = ft.code_new_empty(b"pkg/mod.pyx", b"func", 12)
        self.assertEqual((c.co_filename, c.co_name, c.co_firstlineno), ("pkg/mod.pyx", "func", 12))
        self.assertEqual((c.co_argcount, c.co_kwonlyargcount, c.co_flags), (0, 0, 0))
        self.assertEqual(c.co_varnames, ())
        self.assertEqual(ft.code_fields(c), ("pkg/mod.pyx", "func", "func", 12, 0, 0, 0))
        # Running it raises AssertionError, as CPython 3.11's does.
        with self.assertRaises(AssertionError):
            exec(c, {})

    def test_new_empty_errors(self):
        # The function name is UTF-8; the file name is decoded as file names are.
        with self.assertRaises(UnicodeDecodeError):
            ft.code_new_empty(b"x.pyx", b"\xff", 1)
        self.assertEqual(ft.code_new_empty(b"\xff.pyx", b"f", 1).co_filename, "\udcff.pyx")

    def test_fields_of_python_code(self):
        def f(a, b, *, c):
            pass
        fields = ft.code_fields(f.__code__)
        self.assertEqual(fields[:2], (f.__code__.co_filename, "f"))
        self.assertEqual(fields[3:6], (f.__code__.co_firstlineno, 2, 1))


class TestCodeReplace(unittest.TestCase):
    """What Cython 0.29 does on 3.11: PyCode_NewEmpty(...).replace(**kw)."""

    def cython_code(self, *args, linetable=b"", extra=None):
        return ft.code_replace_cython(*(args + (linetable, extra)))

    def test_cython_keywords(self):
        # def func(a, b, *, c) in pkg/m.pyx, line 7 (CO_OPTIMIZED | CO_NEWLOCALS).
        c = self.cython_code("pkg/m.pyx", "func", 7, 2, 0, 1, 3, ("a", "b", "c"))
        self.assertEqual((c.co_name, c.co_filename, c.co_firstlineno), ("func", "pkg/m.pyx", 7))
        self.assertEqual((c.co_argcount, c.co_posonlyargcount, c.co_kwonlyargcount), (2, 0, 1))
        self.assertEqual((c.co_varnames, c.co_nlocals, c.co_flags), (("a", "b", "c"), 3, 3))
        self.assertEqual((c.co_code, c.co_consts, c.co_names), (b"", (), ()))
        self.assertEqual((c.co_freevars, c.co_cellvars), ((), ()))
        self.assertEqual(ft.code_fields(c), ("pkg/m.pyx", "func", "func", 7, 2, 1, 3))

    def test_posonly(self):
        c = self.cython_code("m.pyx", "f", 1, 2, 1, 0, 3, ("a", "b"))
        self.assertEqual((c.co_argcount, c.co_posonlyargcount), (2, 1))

    def test_traceback_entry(self):
        # The code object as Cython caches it, then PyFrame_New and
        # PyTraceBack_Here for an exception raised at line 9.
        c = self.cython_code("pkg/m.pyx", "func", 7, 0, 0, 0, 3, ())
        e = caught(ft.raise_with_code, ValueError, "boom", c, 9)
        self.assertIsInstance(e, ValueError)
        self.assertEqual(str(e), "boom")
        tb = e.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        self.assertEqual((tb.tb_frame.f_code.co_filename, tb.tb_lineno, tb.tb_frame.f_code.co_name),
                         ("pkg/m.pyx", 9, "func"))
        self.assertEqual(ft.traceback_check(e), True)

    def test_more_keywords(self):
        c = self.cython_code("m.pyx", "f", 1, 0, 0, 0, 0, (),
                             extra={"co_qualname": "Q.f", "co_exceptiontable": b"",
                                    "co_firstlineno": 4, "co_name": "g"})
        self.assertEqual((c.co_name, c.co_firstlineno), ("g", 4))
        c = ft.code_replace_call((), {"co_name": "h", "co_filename": "h.pyx"})
        self.assertEqual((c.co_name, c.co_filename, c.co_firstlineno), ("h", "h.pyx", 1))
        c = ft.code_replace_call((), None)
        self.assertEqual((c.co_name, c.co_filename), ("f", "replace.pyx"))

    def test_errors(self):
        with self.assertRaisesRegex(TypeError, "^replace\\(\\) takes no positional arguments$"):
            ft.code_replace_call((1,), None)
        with self.assertRaisesRegex(TypeError, "^'co_bogus' is an invalid keyword argument "
                                               "for replace\\(\\)$"):
            ft.code_replace_call((), {"co_bogus": 1})
        with self.assertRaisesRegex(TypeError, "^'str' object cannot be interpreted as an integer$"):
            ft.code_replace_call((), {"co_argcount": "x"})
        with self.assertRaisesRegex(TypeError, "^replace\\(\\) argument 'co_varnames' must be "
                                               "tuple, not list$"):
            ft.code_replace_call((), {"co_varnames": ["a"]})
        with self.assertRaisesRegex(TypeError, "^replace\\(\\) argument 'co_name' must be str, "
                                               "not int$"):
            ft.code_replace_call((), {"co_name": 5})
        with self.assertRaisesRegex(TypeError, "^replace\\(\\) argument 'co_code' must be bytes, "
                                               "not str$"):
            ft.code_replace_call((), {"co_code": ""})
        # Arguments without names for them.
        with self.assertRaisesRegex(ValueError, "^code: co_varnames is too small$"):
            self.cython_code("m.pyx", "f", 1, 3, 0, 0, 0, ())
        with self.assertRaisesRegex(ValueError, "^code: co_varnames is too small$"):
            self.cython_code("m.pyx", "f", 1, 1, 0, 1, 0, ("a",))
        with self.assertRaisesRegex(SystemError, BADCALL):
            self.cython_code("m.pyx", "f", 1, 1, 2, 0, 0, ("a", "b"))

    def test_linetable(self):
        if PYPY:
            # ferry cannot give a CPython 3.11 line table to the host's code
            # objects and refuses it (python/ferry/_support.py code_replace).
            with self.assertRaisesRegex(ValueError, "co_linetable"):
                self.cython_code("m.pyx", "f", 1, 0, 0, 0, 0, (), linetable=b"\x80\x00")
            return
        c = self.cython_code("m.pyx", "f", 1, 0, 0, 0, 0, (), linetable=b"\x80\x00")
        self.assertEqual((c.co_name, c.co_linetable), ("f", b"\x80\x00"))


class TestFrame(unittest.TestCase):

    def test_new(self):
        g = {"__name__": "frames", "__builtins__": {}}
        is_frame, lineno, frame = ft.frame_new("fn", 5, g, None)
        self.assertEqual((is_frame, lineno), (1, 6))
        self.assertEqual((frame.f_code.co_name, frame.f_code.co_filename), ("fn", "frames.pyx"))
        self.assertEqual(frame.f_globals["__name__"], "frames")

    def test_bad_globals(self):
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.frame_new("fn", 5, [], None)

    def test_pending_error(self):
        # With an exception pending, globals without __builtins__ fail (the
        # builtins cannot be told from a missing key), the exception unchanged.
        with self.assertRaisesRegex(ValueError, "^pending$"):
            ft.frame_new("fn", 5, {}, None, True)
        self.assertIsNone(ft.frame_new("fn", 5, {"__builtins__": {}}, None, True))


class TestTraceBack(unittest.TestCase):

    def test_entries(self):
        e = caught(ft.raise_with_entries, ValueError, "boom", "pkg/x.pyx",
                   [("inner", 12), ("outer", 30)])
        self.assertIs(type(e), ValueError)
        # Innermost last, as the exception went out through them.
        self.assertEqual(last_entries(e, 2), [("pkg/x.pyx", 30, "outer"), ("pkg/x.pyx", 12, "inner")])
        text = "".join(traceback.format_exception(type(e), e, e.__traceback__))
        self.assertTrue(text.endswith('  File "pkg/x.pyx", line 30, in outer\n'
                                      '  File "pkg/x.pyx", line 12, in inner\n'
                                      'ValueError: boom\n'), text)
        # The first entry is this test's frame.
        self.assertEqual(traceback.extract_tb(e.__traceback__)[0].name, "caught")
        tb = e.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        self.assertEqual((tb.tb_lineno, tb.tb_lasti), (12, 0))
        self.assertEqual(tb.tb_frame.f_code.co_name, "inner")
        self.assertEqual(tb.tb_frame.f_globals["__name__"], "_ferrytest")
        self.assertIs(ft.traceback_check(e), True)

    def test_line_from_code(self):
        # f_lineno left 0: the code's first line.
        e = caught(ft.raise_with_entries, KeyError, "k", "y.pyx", [("f", 7)], False)
        self.assertIs(type(e), KeyError)
        self.assertEqual(last_entries(e, 1), [("y.pyx", 7, "f")])

    def test_no_pending_error(self):
        self.assertEqual(ft.traceback_here_no_error(), (0, 0))


if __name__ == "__main__":
    unittest.main()
