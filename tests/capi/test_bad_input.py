"""Extensions that must not load, or must fail cleanly while loading.

The fixtures are built into <build>/tests/capi/bad (tests/capi/bad/*.c); that
directory is put on sys.path only for the duration of each test, so nothing
else can import them by accident.

On CPython each one fails the way CPython fails; through ferry the same
exception type must come out, and where ferry says more (the file name and
every missing symbol, where CPython's dlopen names only the first) the extra
assertions run on PyPy only.
"""
import importlib
import os
import sys
import unittest

import _ferrytest

BAD_DIR = os.path.join(os.path.dirname(os.path.abspath(_ferrytest.__file__)), "bad")
SUFFIX = ".cpython-311-x86_64-linux-gnu.so"
ON_PYPY = sys.implementation.name == "pypy"


class BadImportTest(unittest.TestCase):

    def setUp(self):
        self.assertTrue(os.path.isdir(BAD_DIR), BAD_DIR)
        sys.path.insert(0, BAD_DIR)
        importlib.invalidate_caches()

    def tearDown(self):
        sys.path.remove(BAD_DIR)
        for name in ("notelf", "noinit", "needsmissing", "initfails", "initnull",
                     "otherver"):
            sys.modules.pop(name, None)

    def import_fails(self, name, exc_type):
        with self.assertRaises(exc_type) as cm:
            importlib.import_module(name)
        self.assertNotIn(name, sys.modules)
        return cm.exception

    def fixture(self, name):
        path = os.path.join(BAD_DIR, name + SUFFIX)
        self.assertTrue(os.path.exists(path), path)
        return path


class TestNotLoadable(BadImportTest):

    def test_not_elf(self):
        path = self.fixture("notelf")
        with open(path, "rb") as f:
            self.assertNotEqual(f.read(4), b"\x7fELF")
        e = self.import_fails("notelf", ImportError)
        self.assertIn("notelf" + SUFFIX, str(e))
        self.assertEqual(e.name, "notelf")

    def test_no_init_function(self):
        self.fixture("noinit")
        e = self.import_fails("noinit", ImportError)
        self.assertIn("PyInit_noinit", str(e))
        self.assertEqual(e.name, "noinit")
        if ON_PYPY:
            self.assertIn("noinit" + SUFFIX, str(e))

    def test_other_python_version(self):
        # Built against symbols that CPython 3.11 removed.
        self.fixture("otherver")
        e = self.import_fails("otherver", ImportError)
        message = str(e)
        self.assertTrue("PyUnicode_EncodeUTF8" in message
                        or "PyFrame_BlockSetup" in message, message)
        self.assertEqual(e.name, "otherver")
        if ON_PYPY:
            self.assertIn("otherver" + SUFFIX, message)
            self.assertIn("PyUnicode_EncodeUTF8", message)
            self.assertIn("PyFrame_BlockSetup", message)

    def test_failed_import_leaves_interpreter_usable(self):
        self.import_fails("notelf", ImportError)
        self.import_fails("otherver", ImportError)
        self.assertEqual(_ferrytest.meth_o(1), (_ferrytest, 1))
        # And a second attempt fails the same way.
        self.import_fails("notelf", ImportError)


class TestInitFailures(BadImportTest):

    def test_init_raises(self):
        self.fixture("initfails")
        e = self.import_fails("initfails", RuntimeError)
        self.assertEqual(str(e), "initfails: refusing to initialise")

    def test_init_returns_null_without_exception(self):
        self.fixture("initnull")
        e = self.import_fails("initnull", SystemError)
        self.assertIn("initialization of initnull failed without raising an exception",
                      str(e))


class TestMissingSymbols(BadImportTest):
    """Real CPython 3.11 API that ferry deliberately leaves out."""

    def test_needs_missing(self):
        self.fixture("needsmissing")
        if ON_PYPY:
            e = self.import_fails("needsmissing", ImportError)
            message = str(e)
            self.assertIn("needsmissing" + SUFFIX, message)
            self.assertIn("PyEval_GetFrame", message)
            self.assertIn("PyFrame_GetLineNumber", message)
            self.assertIn("needs 2 C API symbol(s)", message)   # PyCode_NewEmpty is there
            self.assertEqual(e.name, "needsmissing")
        else:
            m = importlib.import_module("needsmissing")
            first_line, caller_line = m.empty_code_line()
            self.assertEqual(first_line, 7)
            self.assertGreater(caller_line, 0)


if __name__ == "__main__":
    unittest.main()
