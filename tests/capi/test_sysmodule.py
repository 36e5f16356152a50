"""The process from C: PySys_GetObject (Python/sysmodule.c), Py_GetVersion,
PyOS_snprintf, PyInterpreterState_GetID.

C side: tests/capi/ext/sysmodule.c.
"""
import codecs
import sys
import unittest

import _ferrytest as ft

NULL = ft.NULL


class TestSys(unittest.TestCase):

    def test_getobject(self):
        self.assertIs(ft.sys_getobject("path"), sys.path)
        self.assertIs(ft.sys_getobject("modules"), sys.modules)
        self.assertEqual(ft.sys_getobject("maxsize"), sys.maxsize)
        # Missing: NULL without an exception.
        self.assertIs(ft.sys_getobject("_ferrytest_missing_attr"), NULL)
        self.assertIs(ft.sys_getobject(""), NULL)
        # It sees attributes set from Python.
        sys._ferrytest_attr = [1]
        try:
            self.assertIs(ft.sys_getobject("_ferrytest_attr"), sys._ferrytest_attr)
        finally:
            del sys._ferrytest_attr
        self.assertIs(ft.sys_getobject("_ferrytest_attr"), NULL)


class TestFileSystemEncoding(unittest.TestCase):

    def test_globals(self):
        enc, errors, has = ft.fs_default_encoding()
        self.assertEqual(codecs.lookup(enc).name, codecs.lookup(sys.getfilesystemencoding()).name)
        self.assertEqual(errors, sys.getfilesystemencodeerrors())
        self.assertEqual(has, 0)


class TestProcess(unittest.TestCase):

    def test_initialized_and_optimize(self):
        self.assertEqual(ft.process_state(), (1, sys.flags.optimize))

    def test_getversion(self):
        # The C API version the extension runs against, whatever the host.
        version = ft.sys_getversion()
        self.assertRegex(version, r"^3\.11\.\d+")
        if sys.implementation.name == "cpython":
            self.assertEqual(version, sys.version)

    def test_snprintf(self):
        for va in (False, True):
            f = lambda size, s, i: ft.os_snprintf(size, s, i, va)
            self.assertEqual(f(64, "ab", 12), (5, b"ab-12"))
            # Truncated, always NUL-terminated; the result is the untruncated length.
            self.assertEqual(f(4, "ab", 12), (5, b"ab-"))
            self.assertEqual(f(1, "ab", 12), (5, b""))
            self.assertEqual(f(6, "ab", -7), (5, b"ab--7"))

    def test_interpreter_id(self):
        self.assertEqual(ft.interpreter_id(), 0)
        with self.assertRaisesRegex(RuntimeError, "^no interpreter provided$"):
            ft.interpreter_id_null()


if __name__ == "__main__":
    unittest.main()
