"""Importing from C: PyImport_* (Python/import.c).

C side: tests/capi/ext/import.c.
"""
import importlib
import os
import sys
import types
import unittest

import _ferrytest as ft

NULL = ft.NULL


class TestImport(unittest.TestCase):

    def tearDown(self):
        for name in ("ferry_added", "ferry_added_obj", "ferry_exec",
                     "ferry_exec_bad", "ferry_exec_syntax"):
            sys.modules.pop(name, None)

    def test_importmodule(self):
        import json
        self.assertIs(ft.import_importmodule(b"json"), json)
        self.assertIs(ft.import_importmodulenoblock(b"json"), json)
        # A dotted name returns the submodule itself.
        self.assertIs(ft.import_importmodule(b"os.path"), os.path)
        self.assertIs(ft.import_importmodule(b"_ferrytest"), ft)

    def test_importmodule_imports(self):
        sys.modules.pop("colorsys", None)
        m = ft.import_importmodule(b"colorsys")
        self.assertIs(sys.modules["colorsys"], m)
        self.assertTrue(hasattr(m, "rgb_to_hsv"))

    def test_importmodule_errors(self):
        with self.assertRaisesRegex(ModuleNotFoundError,
                                    "^No module named 'no_such_ferry_mod'$") as cm:
            ft.import_importmodule(b"no_such_ferry_mod")
        self.assertEqual(cm.exception.name, "no_such_ferry_mod")
        with self.assertRaisesRegex(ModuleNotFoundError,
                                    "^No module named 'json.nope'") as cm:
            ft.import_importmodule(b"json.nope")
        self.assertEqual(cm.exception.name, "json.nope")
        with self.assertRaisesRegex(ValueError, "^Empty module name$"):
            ft.import_importmodule(b"")

    def test_import(self):
        self.assertIs(ft.import_import("os.path"), os.path)
        with self.assertRaisesRegex(ModuleNotFoundError,
                                    "^No module named 'no_such_ferry_mod'$"):
            ft.import_import("no_such_ferry_mod")

    def test_import_uses_builtins_import(self):
        import builtins
        seen = []
        real = builtins.__import__

        def hook(name, *args, **kwargs):
            seen.append(name)
            return real(name, *args, **kwargs)
        builtins.__import__ = hook
        try:
            ft.import_import("json")
        finally:
            builtins.__import__ = real
        self.assertIn("json", seen)

    def test_importmodulelevel(self):
        # Without a fromlist the top-level package comes back.
        self.assertIs(ft.import_importmodulelevel(b"os.path", None, None, 0), os)
        self.assertIs(ft.import_importmodulelevel(b"os.path", None, ["join"], 0),
                      os.path)
        self.assertIs(ft.import_importmodulelevelobject("os.path", None, None, 0), os)
        with self.assertRaisesRegex(ValueError, "^level must be >= 0$"):
            ft.import_importmodulelevel(b"x", None, None, -1)
        with self.assertRaisesRegex(ValueError, "^Empty module name$"):
            ft.import_importmodulelevelobject("", None, None, 0)
        with self.assertRaisesRegex(TypeError, "^module name must be a string$"):
            ft.import_importmodulelevelobject(1, None, None, 0)

    def test_importmodulelevel_relative_without_package(self):
        with self.assertRaises(KeyError):
            ft.import_importmodulelevel(b"x", {}, None, 1)

    def test_getmodule(self):
        self.assertIs(ft.import_getmodule("sys"), sys)
        self.assertIs(ft.import_getmodule("_ferrytest"), ft)
        self.assertIs(ft.import_getmodule("never_imported_ferry_mod"), NULL)

    def test_getmoduledict(self):
        self.assertIs(ft.import_getmoduledict(), sys.modules)

    def test_addmodule(self):
        m = ft.import_addmodule(b"ferry_added")
        self.assertIsInstance(m, types.ModuleType)
        self.assertIs(sys.modules["ferry_added"], m)
        self.assertEqual(m.__name__, "ferry_added")
        # Existing modules are returned, not replaced.
        self.assertIs(ft.import_addmodule(b"ferry_added"), m)
        self.assertIs(ft.import_addmodule(b"sys"), sys)
        m2 = ft.import_addmoduleobject("ferry_added_obj")
        self.assertIs(sys.modules["ferry_added_obj"], m2)

    def test_reloadmodule(self):
        import colorsys
        colorsys.ferry_marker = 1
        r = ft.import_reloadmodule(colorsys)
        self.assertIs(r, colorsys)
        with self.assertRaisesRegex(TypeError, "^reload\\(\\) argument must be a module$"):
            ft.import_reloadmodule(1)

    def test_execcodemodule(self):
        m = ft.import_execcodemodule(b"ferry_exec", "X = 1\nY = __name__\n")
        self.assertIs(sys.modules["ferry_exec"], m)
        self.assertEqual((m.X, m.Y), (1, "ferry_exec"))

    def test_execcodemodule_failure_removes_module(self):
        with self.assertRaises(KeyError):
            ft.import_execcodemodule(b"ferry_exec_bad", "raise KeyError(1)")
        self.assertNotIn("ferry_exec_bad", sys.modules)
        with self.assertRaises(SyntaxError):
            ft.import_execcodemodule(b"ferry_exec_syntax", "def (")



class TestExecCodeModule(unittest.TestCase):

    def setUp(self):
        self.names = []

    def tearDown(self):
        for name in self.names:
            sys.modules.pop(name, None)

    def name(self, suffix):
        name = "_ferrytest_exec_" + suffix
        self.names.append(name)
        sys.modules.pop(name, None)
        return name

    def test_execcodemoduleex(self):
        name = self.name("ex")
        co = compile("x = 1\ny = __name__\n", "/src/exec_ex.py", "exec")
        mod = ft.import_execcodemoduleex(name.encode(), co, "/src/exec_ex_path.py")
        self.assertIs(sys.modules[name], mod)
        self.assertEqual((mod.x, mod.y, mod.__name__), (1, name, name))
        self.assertEqual(mod.__file__, "/src/exec_ex_path.py")
        # pathname NULL: __file__ is the code object's file name.
        name2 = self.name("ex2")
        mod2 = ft.import_execcodemoduleex(name2.encode(), co)
        self.assertEqual(mod2.__file__, "/src/exec_ex.py")

    def test_execcodemoduleex_error(self):
        name = self.name("ex_error")
        co = compile("x = 1\nraise KeyError('in module')\n", "<exec>", "exec")
        with self.assertRaisesRegex(KeyError, "in module"):
            ft.import_execcodemoduleex(name.encode(), co, None)
        # A module that failed to execute is removed from sys.modules.
        self.assertNotIn(name, sys.modules)

    def test_execcodemodulewithpathnames(self):
        name = self.name("pathnames")
        co = compile("z = [1, 2]\n", "<exec>", "exec")
        mod = ft.import_execcodemodulewithpathnames(name.encode(), co, "/src/p.py", None)
        self.assertIs(sys.modules[name], mod)
        self.assertEqual((mod.z, mod.__file__), ([1, 2], "/src/p.py"))
        # Executing again into the existing module reuses it.
        co2 = compile("w = z + [3]\n", "<exec>", "exec")
        again = ft.import_execcodemodulewithpathnames(name.encode(), co2, "/src/p.py", None)
        self.assertIs(again, mod)
        self.assertEqual(mod.w, [1, 2, 3])

    def test_execcodemoduleobject(self):
        name = self.name("object")
        co = compile("import sys as _s\nv = 'object'\n", "/src/obj.py", "exec")
        mod = ft.import_execcodemoduleobject(name, co, "/src/o.py", None)
        self.assertIs(sys.modules[name], mod)
        self.assertEqual((mod.v, mod.__file__, mod.__name__), ("object", "/src/o.py", name))
        self.assertIn("__builtins__", vars(mod))
        name2 = self.name("object2")
        mod2 = ft.import_execcodemoduleobject(name2, co, None, None)
        self.assertEqual(mod2.__file__, "/src/obj.py")
        name3 = self.name("object3")
        with self.assertRaisesRegex(ZeroDivisionError, "division by zero"):
            ft.import_execcodemoduleobject(name3, compile("1/0", "<e>", "exec"), None, None)
        self.assertNotIn(name3, sys.modules)


if __name__ == "__main__":
    unittest.main()
