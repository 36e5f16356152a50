"""The sys module from C: PySys_GetObject (Python/sysmodule.c).

C side: tests/capi/ext/sysmodule.c.
"""
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


if __name__ == "__main__":
    unittest.main()
