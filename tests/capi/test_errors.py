"""Exceptions: PyErr_* (Python/errors.c), PyException_* (Objects/exceptions.c),
warnings (Python/_warnings.c) and the PyExc_* objects.

C side: tests/capi/ext/errors.c.
"""
import builtins
import errno
import io
import os
import sys
import unittest
import warnings

import _ferrytest as ft

NULL = ft.NULL
ERRNO = ft.errno_values()


class MyError(Exception):
    pass


class TestSet(unittest.TestCase):

    def test_setstring(self):
        with self.assertRaises(ValueError) as cm:
            ft.err_setstring(ValueError, b"plain message")
        self.assertEqual(cm.exception.args, ("plain message",))
        with self.assertRaises(MyError) as cm:
            ft.err_setstring(MyError, "caf\xe9 \U0001f40d".encode())
        self.assertEqual(str(cm.exception), "caf\xe9 \U0001f40d")

    def test_setstring_empty(self):
        with self.assertRaises(KeyError) as cm:
            ft.err_setstring(KeyError, b"")
        self.assertEqual(cm.exception.args, ("",))

    def test_setstring_bad_utf8(self):
        # The message cannot be decoded: the exception is still raised.
        with self.assertRaises(ValueError):
            ft.err_setstring(ValueError, b"\xff")

    def test_setobject(self):
        with self.assertRaises(ValueError) as cm:
            ft.err_setobject(ValueError, 42)
        self.assertEqual(cm.exception.args, (42,))
        with self.assertRaises(ValueError) as cm:
            ft.err_setobject(ValueError, [1, 2])
        self.assertEqual(cm.exception.args, ([1, 2],))

    def test_setobject_tuple_is_args(self):
        with self.assertRaises(ValueError) as cm:
            ft.err_setobject(ValueError, (1, "two"))
        self.assertEqual(cm.exception.args, (1, "two"))
        with self.assertRaises(ValueError) as cm:
            ft.err_setobject(ValueError, ())
        self.assertEqual(cm.exception.args, ())

    def test_setobject_null_value(self):
        with self.assertRaises(ValueError) as cm:
            ft.err_setobject(ValueError, None)
        self.assertEqual(cm.exception.args, ())

    def test_setobject_instance(self):
        exc = MyError("instance")
        with self.assertRaises(MyError) as cm:
            ft.err_setobject(MyError, exc)
        self.assertIs(cm.exception, exc)
        # An instance of a subclass is used as it is.
        sub = KeyError("sub")
        with self.assertRaises(KeyError) as cm:
            ft.err_setobject(LookupError, sub)
        self.assertIs(cm.exception, sub)

    def test_setobject_not_an_exception(self):
        with self.assertRaisesRegex(
                SystemError,
                "_PyErr_SetObject: exception 1 is not a BaseException subclass"):
            ft.err_setobject(1, "x")
        with self.assertRaisesRegex(SystemError, "is not a BaseException subclass"):
            ft.err_setobject(int, "x")

    def test_setobject_keyerror_args(self):
        with self.assertRaises(KeyError) as cm:
            ft.err_setobject(KeyError, "missing")
        self.assertEqual(str(cm.exception), "'missing'")

    def test_setnone(self):
        with self.assertRaises(StopIteration) as cm:
            ft.err_setnone(StopIteration)
        self.assertEqual(cm.exception.args, ())
        self.assertIsNone(cm.exception.value)

    def test_context_is_chained(self):
        # An exception raised while another is handled gets __context__.
        try:
            raise KeyError("first")
        except KeyError as first:
            with self.assertRaises(ValueError) as cm:
                ft.err_setstring(ValueError, b"second")
            self.assertIs(cm.exception.__context__, first)

    def test_nomemory(self):
        with self.assertRaises(MemoryError) as cm:
            ft.err_nomemory()
        self.assertEqual(cm.exception.args, ())

    def test_badargument(self):
        with self.assertRaisesRegex(TypeError,
                                    "^bad argument type for built-in operation$"):
            ft.err_badargument()

    def test_badinternalcall(self):
        with self.assertRaisesRegex(SystemError,
                                    r"errors\.c:\d+: bad argument to internal function$"):
            ft.err_badinternalcall()


class TestFormat(unittest.TestCase):

    def check(self, case, expected, obj=None, exc=ValueError):
        with self.assertRaises(exc) as cm:
            ft.err_format(exc, case, obj)
        self.assertEqual(str(cm.exception), expected)
        self.assertEqual(cm.exception.args, (expected,))

    def test_plain(self):
        self.check("plain", "no directives")
        self.check("percent", "100% sure")
        self.check("plain", "no directives", exc=MyError)

    def test_strings(self):
        self.check("s", "bad value: caf\xe9 \U0001f40d")
        self.check("s_precision", "str object is not callable")
        self.check("s_truncated", "[tru]")
        self.check("width", "[    7][   ab]")

    def test_integers(self):
        self.check("d", "-3 items, 2147483647 left")
        self.check("u", "4294967295")
        self.check("ld", "%d/%d" % (-2**63, 2**64 - 1))
        self.check("lld", "%d/%d" % (-2**63, 2**64 - 1))
        self.check("zd", "index -1 out of range (size 10)")
        self.check("x", "0xcafe")
        self.check("c", "char A and \U0001f40d")

    def test_objects(self):
        obj = "na\xefve\u20ac"
        self.check("U", "name " + obj, obj)
        self.check("S", "str [1, 'a']", [1, "a"])
        self.check("R", "repr 'x'", "x")
        self.check("R", "repr %r" % obj, obj)
        self.check("A", "ascii %a" % obj, obj)
        self.check("V", "%s and fallback" % obj, obj)
        self.check("tp_name", "'str' object has no attribute '%s'" % obj, obj)

    def test_pointer(self):
        with self.assertRaises(ValueError) as cm:
            ft.err_format(ValueError, "p")
        self.assertEqual(str(cm.exception).lower(), "0xabcdef")

    def test_formatv(self):
        with self.assertRaisesRegex(OSError, "^formatv 5 done$"):
            ft.err_formatv(OSError, 5)

    def test_format_keyerror(self):
        with self.assertRaises(KeyError) as cm:
            ft.err_format(KeyError, "plain")
        self.assertEqual(cm.exception.args, ("no directives",))

    def test_format_oserror_is_not_split(self):
        # A single string argument: no errno/strerror.
        with self.assertRaises(OSError) as cm:
            ft.err_format(OSError, "plain")
        self.assertIsNone(cm.exception.errno)


class TestFormatFromCause(unittest.TestCase):
    """_PyErr_FormatFromCause: the error set now becomes the cause (and the
    context) of the formatted one."""

    def raise_it(self, *args):
        with self.assertRaises(BaseException) as cm:
            ft.err_formatfromcause(*args)
        return cm.exception

    def test_cause_from_type_and_value(self):
        e = self.raise_it(RuntimeError, KeyError, "k", None, "lookup failed", [1])
        self.assertIs(type(e), RuntimeError)
        self.assertEqual(e.args, ("lookup failed (42) [1]",))
        self.assertIs(type(e.__cause__), KeyError)
        self.assertEqual(e.__cause__.args, ("k",))
        self.assertIs(e.__context__, e.__cause__)
        self.assertTrue(e.__suppress_context__)
        self.assertIsNone(e.__cause__.__traceback__)
        self.assertIsNone(e.__cause__.__cause__)

    def test_cause_normalized(self):
        # A type alone, a tuple of arguments: instances once chained.
        e = self.raise_it(ValueError, MyError, None, None, "x", None)
        self.assertIs(type(e.__cause__), MyError)
        self.assertEqual(e.__cause__.args, ())
        e = self.raise_it(TypeError, OSError, (2, "gone"), None, "y", "\u20ac")
        self.assertEqual(str(e), "y (42) '\u20ac'")
        self.assertIsInstance(e.__cause__, FileNotFoundError)
        self.assertEqual((e.__cause__.errno, e.__cause__.strerror), (2, "gone"))

    def test_cause_instance_keeps_identity(self):
        inst = MyError("mine")
        e = self.raise_it(KeyError, MyError, inst, None, "z", 1)
        self.assertIs(e.__cause__, inst)
        self.assertEqual(e.args, ("z (42) 1",))

    def test_cause_raised_by_python_code(self):
        def fail():
            raise ZeroDivisionError("deep")
        e = self.raise_it(LookupError, None, None, fail, "wrapped", None)
        self.assertIs(type(e), LookupError)
        self.assertIs(type(e.__cause__), ZeroDivisionError)
        self.assertIs(e.__context__, e.__cause__)
        tb = e.__cause__.__traceback__
        self.assertIsNotNone(tb)
        while tb.tb_next is not None:
            tb = tb.tb_next
        self.assertEqual(tb.tb_frame.f_code.co_name, "fail")

    def test_format_failure(self):
        # The formatted exception's own class fails: its error replaces it,
        # still chained to the cause.
        class Picky(Exception):
            def __init__(self, *args):
                raise MyError("no")
        e = self.raise_it(Picky, KeyError, "k", None, "m", None)
        self.assertIs(type(e), MyError)
        self.assertIs(type(e.__cause__), KeyError)


class TestInspect(unittest.TestCase):

    def test_occurred_nothing(self):
        self.assertIsNone(ft.err_occurred())

    def test_occurred(self):
        self.assertIs(ft.err_occurred_after(KeyError), KeyError)
        self.assertIs(ft.err_occurred_after(MyError), MyError)

    def test_clear(self):
        self.assertIsNone(ft.err_clear())

    def test_exceptionmatches(self):
        self.assertEqual(ft.err_exceptionmatches(KeyError, KeyError), 1)
        self.assertEqual(ft.err_exceptionmatches(KeyError, LookupError), 1)
        self.assertEqual(ft.err_exceptionmatches(KeyError, Exception), 1)
        self.assertEqual(ft.err_exceptionmatches(KeyError, BaseException), 1)
        self.assertEqual(ft.err_exceptionmatches(KeyError, ValueError), 0)
        self.assertEqual(ft.err_exceptionmatches(LookupError, KeyError), 0)
        self.assertEqual(ft.err_exceptionmatches(KeyError, (ValueError, KeyError)), 1)
        self.assertEqual(ft.err_exceptionmatches(KeyError, (ValueError, (TypeError,
                                                                         KeyError))), 1)
        self.assertEqual(ft.err_exceptionmatches(KeyError, ()), 0)
        self.assertEqual(ft.err_exceptionmatches(MyError, Exception), 1)
        self.assertEqual(ft.err_exceptionmatches(SystemExit, Exception), 0)

    def test_givenexceptionmatches(self):
        self.assertEqual(ft.err_givenexceptionmatches(KeyError, LookupError), 1)
        self.assertEqual(ft.err_givenexceptionmatches(KeyError("i"), LookupError), 1)
        self.assertEqual(ft.err_givenexceptionmatches(KeyError("i"), ValueError), 0)
        self.assertEqual(ft.err_givenexceptionmatches(KeyError, (ValueError,
                                                                 KeyError)), 1)
        self.assertEqual(ft.err_givenexceptionmatches(None, KeyError), 0)  # NULL
        # Not exception classes: compared by identity.
        self.assertEqual(ft.err_givenexceptionmatches(int, int), 1)
        self.assertEqual(ft.err_givenexceptionmatches(bool, int), 0)


class TestFetchRestore(unittest.TestCase):

    def test_fetch_unnormalized(self):
        # 3.11 keeps the value as given until someone normalizes it.
        t, v, tb = ft.err_set_and_fetch(ValueError, "raw")
        self.assertIs(t, ValueError)
        self.assertEqual(v, "raw")
        self.assertIs(tb, NULL)

    def test_fetch_instance(self):
        exc = KeyError("k")
        t, v, tb = ft.err_set_and_fetch(KeyError, exc)
        self.assertIs(t, KeyError)
        self.assertIs(v, exc)

    def test_fetch_nothing(self):
        self.assertEqual(ft.err_fetch_nothing(), (NULL, NULL, NULL))

    def test_normalize_after_fetch(self):
        t, v, tb = ft.err_set_fetch_normalize(ValueError, "raw")
        self.assertIs(t, ValueError)
        self.assertIsInstance(v, ValueError)
        self.assertEqual(v.args, ("raw",))
        t, v, tb = ft.err_set_fetch_normalize(ValueError, (1, 2))
        self.assertEqual(v.args, (1, 2))
        t, v, tb = ft.err_set_fetch_normalize(ValueError, None)
        self.assertIsInstance(v, ValueError)
        self.assertEqual(v.args, ())

    def test_normalize(self):
        t, v, tb = ft.err_normalize(MyError, "m")
        self.assertIs(t, MyError)
        self.assertIsInstance(v, MyError)
        self.assertEqual(v.args, ("m",))
        self.assertIs(tb, NULL)
        exc = KeyError("k")
        t, v, tb = ft.err_normalize(LookupError, exc)
        # An instance of a subclass: the type follows the instance.
        self.assertIs(t, KeyError)
        self.assertIs(v, exc)

    def test_normalize_failing_constructor(self):
        class Picky(Exception):
            def __init__(self, *args):
                raise TypeError("no thanks")
        t, v, tb = ft.err_normalize(Picky, "x")
        self.assertIs(t, TypeError)
        self.assertEqual(v.args, ("no thanks",))

    def test_restore(self):
        with self.assertRaises(KeyError) as cm:
            ft.err_restore(KeyError, "restored", None)
        self.assertEqual(cm.exception.args, ("restored",))
        exc = MyError("inst")
        with self.assertRaises(MyError) as cm:
            ft.err_restore(MyError, exc, None)
        self.assertIs(cm.exception, exc)

    def test_restore_with_traceback(self):
        try:
            raise ValueError("with tb")
        except ValueError as e:
            exc, tb = e, e.__traceback__
        try:
            ft.err_restore(ValueError, exc, tb)
        except ValueError as e:
            self.assertIs(e, exc)
            self.assertIsNotNone(e.__traceback__)
        else:
            self.fail("nothing raised")

    def test_restore_nothing(self):
        # Restoring NULLs clears; returning NULL without an error is then a
        # SystemError raised by the call machinery.
        with self.assertRaises(SystemError):
            ft.err_restore(None, None, None)

    def test_fetch_restore_roundtrip(self):
        exc = ValueError("round")

        def raiser():
            raise exc
        try:
            ft.err_fetch_restore_roundtrip(raiser)
        except ValueError as e:
            self.assertIs(e, exc)
            tb = e.__traceback__
        else:
            self.fail("nothing raised")
        self.assertIsNotNone(tb)
        names = []
        while tb is not None:
            names.append(tb.tb_frame.f_code.co_name)
            tb = tb.tb_next
        self.assertIn("raiser", names)
        self.assertEqual(ft.err_fetch_restore_roundtrip(lambda: 7), 7)


class TestHandled(unittest.TestCase):

    def test_getexcinfo_outside_except(self):
        self.assertEqual(ft.err_getexcinfo(), (None, None, None))

    def test_getexcinfo_inside_except(self):
        try:
            raise KeyError("handled")
        except KeyError as e:
            t, v, tb = ft.err_getexcinfo()
            self.assertIs(t, KeyError)
            self.assertIs(v, e)
            self.assertIs(tb, e.__traceback__)
            self.assertIs(ft.err_gethandledexception(), e)
        self.assertIs(ft.err_gethandledexception(), NULL)

    def test_setexcinfo(self):
        exc = MyError("set")
        try:
            raise KeyError("outer")
        except KeyError:
            ft.err_setexcinfo(MyError, exc, None)
            self.assertIs(sys.exc_info()[1], exc)

    def test_along_one_call(self):
        # What C sees does not change while Python code it calls runs, nor
        # after; what it sets is seen, by Python code it calls too.
        exc = MyError("set")
        def seen_inside():
            return ft.err_getexcinfo()[1]
        self.assertEqual(ft.err_excinfo_sequence(seen_inside, exc),
                         (None, None, None, exc, exc, None))
        self.assertEqual(sys.exc_info(), (None, None, None))
        def handling():
            try:
                raise ValueError("inner")
            except ValueError as inner:
                return ft.err_getexcinfo()[1] is inner and ft.err_gethandledexception() is inner
        self.assertEqual(ft.err_excinfo_sequence(handling, exc), (None, True, None, exc, True, None))
        try:
            raise KeyError("outer")
        except KeyError as e:
            self.assertEqual(ft.err_excinfo_sequence(seen_inside, exc), (e, e, e, exc, exc, e))
            self.assertIs(sys.exc_info()[1], e)
            self.assertEqual(ft.err_excinfo_sequence(handling, exc), (e, True, e, exc, True, e))
            self.assertIs(ft.err_getexcinfo()[1], e)
        self.assertEqual(ft.err_getexcinfo(), (None, None, None))


class TestErrno(unittest.TestCase):

    def test_setfromerrno(self):
        with self.assertRaises(FileNotFoundError) as cm:
            ft.err_setfromerrno(OSError, ERRNO["ENOENT"])
        e = cm.exception
        self.assertEqual(e.errno, errno.ENOENT)
        self.assertEqual(e.strerror, os.strerror(errno.ENOENT))
        self.assertIsNone(e.filename)
        with self.assertRaises(PermissionError):
            ft.err_setfromerrno(OSError, ERRNO["EACCES"])
        with self.assertRaises(BrokenPipeError):
            ft.err_setfromerrno(OSError, ERRNO["EPIPE"])

    def test_setfromerrno_other_class(self):
        # A class that is not OSError gets (errno, strerror) as its args.
        with self.assertRaises(ValueError) as cm:
            ft.err_setfromerrno(ValueError, ERRNO["EEXIST"])
        self.assertEqual(cm.exception.args,
                         (errno.EEXIST, os.strerror(errno.EEXIST)))

    def test_setfromerrno_zero(self):
        with self.assertRaises(OSError) as cm:
            ft.err_setfromerrno(OSError, 0)
        self.assertEqual(cm.exception.args[0], 0)
        self.assertEqual(cm.exception.strerror, "Error")

    def test_with_filename(self):
        with self.assertRaises(FileNotFoundError) as cm:
            ft.err_setfromerrnowithfilename(OSError, ERRNO["ENOENT"],
                                            "caf\xe9.txt")
        self.assertEqual(cm.exception.filename, "caf\xe9.txt")
        self.assertIn("caf\xe9.txt", str(cm.exception))
        with self.assertRaises(FileNotFoundError) as cm:
            ft.err_setfromerrnowithfilename(OSError, ERRNO["ENOENT"], None)
        self.assertIsNone(cm.exception.filename)

    def test_with_filename_object(self):
        with self.assertRaises(FileExistsError) as cm:
            ft.err_setfromerrnowithfilenameobject(OSError, ERRNO["EEXIST"], b"/b")
        self.assertEqual(cm.exception.filename, b"/b")
        with self.assertRaises(FileExistsError) as cm:
            ft.err_setfromerrnowithfilenameobjects(OSError, ERRNO["EEXIST"],
                                                   "src", "dst")
        self.assertEqual((cm.exception.filename, cm.exception.filename2),
                         ("src", "dst"))
        self.assertEqual(str(cm.exception),
                         "[Errno %d] %s: 'src' -> 'dst'"
                         % (errno.EEXIST, os.strerror(errno.EEXIST)))


class TestNewException(unittest.TestCase):

    def test_newexception(self):
        E = ft.err_newexception(b"ferrymod.CustomError", None, None)
        self.assertTrue(issubclass(E, Exception))
        self.assertEqual(E.__bases__, (Exception,))
        self.assertEqual(E.__name__, "CustomError")
        self.assertEqual(E.__qualname__, "CustomError")
        self.assertEqual(E.__module__, "ferrymod")
        self.assertIsNone(E.__doc__)
        with self.assertRaises(E):
            ft.err_setstring(E, b"raised")

    def test_dotted_module(self):
        E = ft.err_newexception(b"pkg.sub.Deep", None, None)
        self.assertEqual(E.__module__, "pkg.sub")
        self.assertEqual(E.__name__, "Deep")

    def test_base_and_dict(self):
        E = ft.err_newexception(b"m.E", KeyError, {"extra": 1})
        self.assertEqual(E.__bases__, (KeyError,))
        self.assertEqual(E.extra, 1)
        E2 = ft.err_newexception(b"m.E2", (ValueError, MyError), None)
        self.assertEqual(E2.__bases__, (ValueError, MyError))
        self.assertTrue(issubclass(E2, MyError))

    def test_name_without_dot(self):
        with self.assertRaisesRegex(
                SystemError, "PyErr_NewException: name must be module.class"):
            ft.err_newexception(b"NoDot", None, None)

    def test_with_doc(self):
        E = ft.err_newexceptionwithdoc(b"m.Documented", "The docs.", None, None)
        self.assertEqual(E.__doc__, "The docs.")
        E = ft.err_newexceptionwithdoc(b"m.Undocumented", None, ValueError, None)
        self.assertIsNone(E.__doc__)
        self.assertEqual(E.__bases__, (ValueError,))


class TestWarnings(unittest.TestCase):

    def test_warnex(self):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            self.assertEqual(ft.err_warnex(UserWarning, b"careful", 1), 0)
            self.assertEqual(ft.err_warnex(None, b"runtime", 1), 0)
            self.assertEqual(ft.err_warnex(DeprecationWarning,
                                           "caf\xe9".encode(), 1), 0)
        self.assertEqual([(x.category, str(x.message)) for x in w],
                         [(UserWarning, "careful"), (RuntimeWarning, "runtime"),
                          (DeprecationWarning, "caf\xe9")])
        # stacklevel 1 points at the caller of the C function: this file.
        self.assertEqual(os.path.basename(w[0].filename),
                         os.path.basename(__file__))

    def test_warnex_as_error(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with self.assertRaisesRegex(UserWarning, "^now an error$"):
                ft.err_warnex(UserWarning, b"now an error", 1)

    def test_warnex_ignored(self):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("ignore")
            self.assertEqual(ft.err_warnex(UserWarning, b"silent", 1), 0)
        self.assertEqual(w, [])

    def test_warnformat(self):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            self.assertEqual(ft.err_warnformat(FutureWarning, 3), 0)
        self.assertEqual(str(w[0].message), "formatted warning 3 (ferry)")
        self.assertIs(w[0].category, FutureWarning)

    def test_warnexplicit(self):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            self.assertEqual(ft.err_warnexplicit(UserWarning, b"explicit",
                                                 b"somefile.py", 42, "somemod"), 0)
        self.assertEqual((w[0].filename, w[0].lineno, str(w[0].message)),
                         ("somefile.py", 42, "explicit"))


class TestReporting(unittest.TestCase):

    def test_writeunraisable(self):
        seen = []
        old = sys.unraisablehook
        sys.unraisablehook = seen.append
        try:
            marker = object()
            ft.err_writeunraisable(b"lost", marker)
            ft.err_writeunraisable(b"no object", None)
        finally:
            sys.unraisablehook = old
        self.assertEqual(len(seen), 2)
        self.assertIs(seen[0].exc_type, ValueError)
        self.assertEqual(str(seen[0].exc_value), "lost")
        self.assertIs(seen[0].object, marker)
        self.assertIsNone(seen[1].object)

    def test_print(self):
        old = sys.stderr
        sys.stderr = io.StringIO()
        try:
            ft.err_print(b"printed \xc3\xa9")
            out = sys.stderr.getvalue()
        finally:
            sys.stderr = old
        self.assertIn("ValueError: printed \xe9", out)

    def test_checksignals(self):
        self.assertEqual(ft.err_checksignals(), 0)


class TestExceptionObjects(unittest.TestCase):

    def test_parts_fresh(self):
        e = ValueError("x")
        self.assertEqual(ft.exception_getparts(e), (NULL, NULL, NULL, ValueError))

    def test_parts_raised(self):
        inner = KeyError("inner")
        try:
            try:
                raise inner
            except KeyError:
                raise ValueError("outer") from inner
        except ValueError as e:
            tb, cause, context, cls = ft.exception_getparts(e)
            self.assertIs(tb, e.__traceback__)
            self.assertIs(cause, inner)
            self.assertIs(context, inner)
            self.assertIs(cls, ValueError)

    def test_setcause(self):
        e, c = ValueError("e"), KeyError("c")
        ft.exception_setcause(e, c)
        self.assertIs(e.__cause__, c)
        self.assertTrue(e.__suppress_context__)
        ft.exception_setcause(e, None)
        self.assertIsNone(e.__cause__)

    def test_setcontext(self):
        e, c = ValueError("e"), KeyError("c")
        ft.exception_setcontext(e, c)
        self.assertIs(e.__context__, c)
        ft.exception_setcontext(e, None)
        self.assertIsNone(e.__context__)

    def test_settraceback(self):
        try:
            raise ValueError
        except ValueError as caught:
            tb = caught.__traceback__
        e = KeyError()
        self.assertEqual(ft.exception_settraceback(e, tb), 0)
        self.assertIs(e.__traceback__, tb)
        self.assertEqual(ft.exception_settraceback(e, None), 0)
        self.assertIsNone(e.__traceback__)
        with self.assertRaisesRegex(TypeError,
                                    "__traceback__ must be a traceback or None"):
            ft.exception_settraceback(e, 1)

    def test_pyexc_objects(self):
        table = ft.exception_objects()
        self.assertGreater(len(table), 60)
        for name, exc in table.items():
            if hasattr(builtins, name):
                self.assertIs(exc, getattr(builtins, name), name)
            else:
                # A 3.11 exception the host (PyPy 3.9) lacks: a class of its own
                # with CPython's base, never an alias of another exception.
                base = {"BaseExceptionGroup": BaseException, "EncodingWarning": Warning}[name]
                self.assertTrue(issubclass(exc, base) and exc is not base, name)

    def test_exception_aliases(self):
        table = ft.exception_objects()
        self.assertIs(table["EnvironmentError"], OSError)
        self.assertIs(table["IOError"], OSError)



class TestMoreErrors(unittest.TestCase):

    def test_badinternalcall_function(self):
        # The function (not the macro) has no file and line.
        with self.assertRaisesRegex(SystemError, "^bad argument to internal function$"):
            ft.err_badinternalcall_function()

    def test_print(self):
        err = io.StringIO()
        exc = ValueError("printed \xe9")
        old = sys.stderr
        sys.stderr = err
        try:
            ft.err_print_exc(exc)
        finally:
            sys.stderr = old
        self.assertIn("ValueError: printed \xe9", err.getvalue())
        # PyErr_Print sets the sys.last_* variables.
        self.assertIs(sys.last_value, exc)
        self.assertIs(sys.last_type, ValueError)
        for name in ("last_type", "last_value", "last_traceback"):
            if hasattr(sys, name):
                delattr(sys, name)

    def test_setimporterror(self):
        with self.assertRaises(ImportError) as cm:
            ft.err_setimporterror("msg", "name", "path")
        self.assertIs(type(cm.exception), ImportError)
        self.assertEqual(cm.exception.args, ("msg",))
        self.assertEqual((cm.exception.msg, cm.exception.name, cm.exception.path),
                         ("msg", "name", "path"))
        with self.assertRaises(ImportError) as cm:
            ft.err_setimporterror("msg", None, None)
        self.assertEqual((cm.exception.name, cm.exception.path), (None, None))
        with self.assertRaisesRegex(TypeError, "^expected a message argument$"):
            ft.err_setimporterror(None, "name", "path")

    def test_setimporterrorsubclass(self):
        with self.assertRaises(ModuleNotFoundError) as cm:
            ft.err_setimporterrorsubclass(ModuleNotFoundError, "m", "n", None)
        self.assertEqual((cm.exception.msg, cm.exception.name, cm.exception.path),
                         ("m", "n", None))
        with self.assertRaisesRegex(TypeError, "^expected a subclass of ImportError$"):
            ft.err_setimporterrorsubclass(ValueError, "m", "n", None)
        with self.assertRaisesRegex(TypeError, r"^issubclass\(\) arg 1 must be a class$"):
            ft.err_setimporterrorsubclass(1, "m", "n", None)


def run_fatal(with_func):
    """Run err_fatalerror("boom", with_func) in a child process."""
    import subprocess
    code = ("import sys\n"
            "if sys.implementation.name == 'pypy':\n"
            "    import ferry; ferry.install()\n"
            "import _ferrytest\n"
            "_ferrytest.err_fatalerror('boom', %r)\n" % (with_func,))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run([sys.executable, "-c", code], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


class TestFatalError(unittest.TestCase):

    def test_fatalerror(self):
        proc = run_fatal(False)
        self.assertEqual(proc.returncode, -6, proc.stderr)   # SIGABRT
        self.assertIn(b"Fatal Python error: boom\n", proc.stderr)

    def test_fatalerrorfunc(self):
        # Py_FatalError(msg) is _Py_FatalErrorFunc(__func__, msg).
        proc = run_fatal(True)
        self.assertEqual(proc.returncode, -6, proc.stderr)
        self.assertIn(b"Fatal Python error: err_fatalerror: boom\n", proc.stderr)


if __name__ == "__main__":
    unittest.main()
