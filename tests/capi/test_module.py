"""Modules: single-phase _ferrytest (PyModule_Create, PyModule_Add*, module
state, PyState_FindModule), multi-phase _ferrytest_multiphase (PEP 489:
PyModuleDef_Init, Py_mod_exec, per-module state) and PyModule_* on other
modules (Objects/moduleobject.c, Python/modsupport.c).

C side: tests/capi/ext/_ferrytest.c, module.c, _ferrytest_multiphase.c.
"""
import importlib
import importlib.util
import sys
import types
import unittest

import _ferrytest as ft
import _ferrytest_multiphase as mp

NULL = ft.NULL
BADARG = "bad argument type for built-in operation"
BADCALL = "bad argument to internal function"


class TestSinglePhase(unittest.TestCase):

    def test_identity(self):
        self.assertEqual(ft.__name__, "_ferrytest")
        self.assertEqual(ft.__doc__,
                         "C-API test extension of ferry (built against CPython 3.11).")
        self.assertTrue(ft.__file__.endswith("_ferrytest.cpython-311-x86_64-linux-gnu.so"))
        self.assertEqual(ft.__spec__.name, "_ferrytest")
        self.assertIs(sys.modules["_ferrytest"], ft)
        self.assertIsInstance(ft, types.ModuleType)

    def test_int_constants(self):
        self.assertEqual(ft.INT_CONSTANT, 42)
        self.assertEqual(ft.LONG_MIN_CONSTANT, -2**63)
        self.assertEqual(ft.LONG_MAX_CONSTANT, 2**63 - 1)

    def test_string_constants(self):
        self.assertEqual(ft.STRING_CONSTANT, "ferry")
        self.assertEqual(ft.UTF8_CONSTANT, "caf\xe9 \u20ac \U0001f40d")
        self.assertEqual(ft.EMPTY_STRING_CONSTANT, "")

    def test_added_objects(self):
        self.assertEqual(ft.ADDED_OBJECT, (1, "stolen"))
        self.assertEqual(ft.ADDED_OBJECT_REF, ["kept", "ref"])
        self.assertIs(ft.NONE_CONSTANT, None)

    def test_state(self):
        self.assertTrue(ft.state_magic())
        first = ft.state_increment()
        self.assertEqual(ft.state_increment(), first + 1)

    def test_find_module(self):
        self.assertIs(ft.state_find_module(), ft)

    def test_self_accessors(self):
        self.assertEqual(ft.self_name(), "_ferrytest")
        self.assertIs(ft.self_dict(), ft.__dict__)
        self.assertTrue(ft.self_def_is_ours())

    def test_functions_bound_to_module(self):
        self.assertIs(ft.meth_noargs.__self__, ft)
        self.assertEqual(ft.state_increment.__module__, "_ferrytest")
        self.assertEqual(ft.state_increment.__doc__,
                         "Increment the C counter in the module state and return it.")

    def test_reimport_is_same_module(self):
        self.assertIs(importlib.import_module("_ferrytest"), ft)


class TestMultiPhase(unittest.TestCase):

    def test_exec_slots_ran_in_order(self):
        self.assertEqual(mp.EXEC_ORDER_FIRST, 1)
        self.assertEqual(mp.EXEC_ORDER_SECOND, 2)
        self.assertEqual(mp.GREETING, "multi-phase")
        self.assertIs(mp.SPEC_SEEN_IN_EXEC, mp.__spec__)

    def test_state_zeroed_then_private(self):
        info = mp.state_info()
        self.assertEqual(info["exec_runs"], 2)
        self.assertEqual(info["zeroed"], 1)
        before = info["counter"]
        self.assertEqual(mp.increment(), before + 1)

    def test_identity(self):
        self.assertEqual(mp.__name__, "_ferrytest_multiphase")
        self.assertEqual(mp.__doc__, "Multi-phase initialisation test module of ferry.")
        self.assertIs(mp.bound_module(), mp)
        self.assertEqual(ft.module_hasdef(mp), "_ferrytest_multiphase")
        self.assertTrue(ft.module_hasstate(mp))

    def test_second_instance_has_its_own_state(self):
        spec = importlib.util.find_spec("_ferrytest_multiphase")
        other = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(other)
        self.assertIsNot(other, mp)
        self.assertIs(other.bound_module(), other)
        self.assertEqual(other.state_info(),
                         {"counter": 0, "exec_runs": 2, "zeroed": 1})
        mine = mp.state_info()["counter"]
        self.assertEqual(other.increment(), 1)
        self.assertEqual(other.increment(), 2)
        self.assertEqual(mp.state_info()["counter"], mine)


class TestModuleObjects(unittest.TestCase):

    def test_new(self):
        m = ft.module_new(b"fresh")
        self.assertIs(type(m), types.ModuleType)
        self.assertEqual(m.__name__, "fresh")
        self.assertIsNone(m.__doc__)
        self.assertIsNone(m.__spec__)
        self.assertIsNone(m.__loader__)
        self.assertIsNone(m.__package__)
        self.assertEqual(ft.module_new("caf\xe9".encode()).__name__, "caf\xe9")
        self.assertEqual(ft.module_newobject("\U0001f40d").__name__, "\U0001f40d")

    def test_getdict(self):
        m = types.ModuleType("m")
        self.assertIs(ft.module_getdict(m), m.__dict__)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.module_getdict(1)

    def test_getname(self):
        m = types.ModuleType("caf\xe9")
        self.assertEqual(ft.module_getname(m), "caf\xe9")
        self.assertEqual(ft.module_getnameobject(m), "caf\xe9")
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.module_getname(1)
        del m.__name__
        with self.assertRaisesRegex(SystemError, "^nameless module$"):
            ft.module_getname(m)
        m.__name__ = 5
        with self.assertRaisesRegex(SystemError, "^nameless module$"):
            ft.module_getnameobject(m)

    def test_getfilenameobject(self):
        self.assertEqual(ft.module_getfilenameobject(ft), ft.__file__)
        with self.assertRaisesRegex(SystemError, "^module filename missing$"):
            ft.module_getfilenameobject(types.ModuleType("nofile"))
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.module_getfilenameobject(1)

    def test_getdef_getstate(self):
        m = types.ModuleType("plain")
        self.assertIs(ft.module_hasdef(m), NULL)
        self.assertFalse(ft.module_hasstate(m))
        self.assertEqual(ft.module_hasdef(ft), "_ferrytest")
        self.assertTrue(ft.module_hasstate(ft))
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.module_hasdef(1)
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.module_hasstate(1)

    def test_setdocstring(self):
        m = types.ModuleType("d")
        self.assertEqual(ft.module_setdocstring(m, "caf\xe9".encode()), 0)
        self.assertEqual(m.__doc__, "caf\xe9")

    def test_addobjectref(self):
        m = types.ModuleType("a")
        v = [1]
        self.assertEqual(ft.module_addobjectref(m, b"v", v), 0)
        self.assertIs(m.v, v)
        with self.assertRaisesRegex(
                SystemError,
                r"^PyModule_AddObjectRef\(\) must be called with an exception "
                r"raised if value is NULL$"):
            ft.module_addobjectref(m, b"n", None)
        with self.assertRaisesRegex(
                TypeError,
                r"^PyModule_AddObjectRef\(\) first argument must be a module$"):
            ft.module_addobjectref(1, b"v", v)

    def test_addobject(self):
        m = types.ModuleType("a")
        v = {"x": 1}
        self.assertEqual(ft.module_addobject(m, b"v", v), 0)
        self.assertIs(m.v, v)
        with self.assertRaisesRegex(
                TypeError,
                r"^PyModule_AddObjectRef\(\) first argument must be a module$"):
            ft.module_addobject(1, b"v", v)

    def test_add_constants(self):
        m = types.ModuleType("c")
        self.assertEqual(ft.module_addintconstant(m, b"I", -5), 0)
        self.assertEqual(ft.module_addintconstant(m, b"BIG", 2**63 - 1), 0)
        self.assertEqual(ft.module_addstringconstant(m, b"S", "\U0001f40d".encode()), 0)
        self.assertEqual((m.I, m.BIG, m.S), (-5, 2**63 - 1, "\U0001f40d"))
        with self.assertRaises(UnicodeDecodeError):
            ft.module_addstringconstant(m, b"S2", b"\xff")
        with self.assertRaisesRegex(TypeError, "first argument must be a module"):
            ft.module_addintconstant(1, b"I", 1)

    def test_addfunctions(self):
        m = types.ModuleType("funcs")
        self.assertEqual(ft.module_addfunctions(m), 0)
        self.assertIs(m.added_self(), m)
        self.assertEqual(m.added_self.__module__, "funcs")
        self.assertEqual(m.added_self.__doc__, "Return self.")
        with self.assertRaisesRegex(TypeError, BADARG):
            ft.module_addfunctions(1)

    def test_check(self):
        self.assertEqual(ft.module_type(types.ModuleType("x")), (types.ModuleType, 1, 1))

        class Sub(types.ModuleType):
            pass
        self.assertEqual(ft.module_type(Sub("s")), (types.ModuleType, 1, 0))
        self.assertEqual(ft.module_type(1), (types.ModuleType, 0, 0))



class TestModuleDefAndState(unittest.TestCase):

    def test_addtype(self):
        mod = types.ModuleType("holder")
        self.assertEqual(ft.module_addtype(mod), 0)
        t = mod.AddedType
        self.assertIsInstance(t, type)
        self.assertEqual(t.__name__, "AddedType")
        self.assertEqual(t.__module__, "_ferrytest")
        self.assertIsInstance(t(), t)
        # Adding again (the type is ready by now) to another module works too.
        mod2 = types.ModuleType("holder2")
        self.assertEqual(ft.module_addtype(mod2), 0)
        self.assertIs(mod2.AddedType, t)
        # Not a module: TypeError.
        with self.assertRaises(TypeError):
            ft.module_addtype(42)

    def test_fromdefandspec2(self):
        spec = types.SimpleNamespace(name="made.by.spec")
        mod = ft.module_fromdefandspec2("ok", spec)
        self.assertIsInstance(mod, types.ModuleType)
        self.assertEqual(mod.__name__, "made.by.spec")
        self.assertEqual(mod.__doc__, "made by PyModule_FromDefAndSpec2")
        self.assertIs(mod.added_self(), mod)
        self.assertTrue(ft.module_getdef_is("ok", mod))
        # Not executed yet: that is PyModule_ExecDef's job.
        self.assertFalse(hasattr(mod, "executed"))
        with self.assertRaises(AttributeError):
            ft.module_fromdefandspec2("ok", types.SimpleNamespace())

    def test_execdef(self):
        mod = ft.module_fromdefandspec2("ok", types.SimpleNamespace(name="exec_ok"))
        self.assertEqual(ft.module_execdef("ok", mod), 0)
        self.assertEqual(mod.executed, 2)   # two exec slots, in order
        bad = ft.module_fromdefandspec2("raise", types.SimpleNamespace(name="exec_raise"))
        with self.assertRaisesRegex(RuntimeError, "^exec slot failed$"):
            ft.module_execdef("raise", bad)
        silent = ft.module_fromdefandspec2("silent",
                                           types.SimpleNamespace(name="exec_silent"))
        with self.assertRaisesRegex(SystemError, "^execution of module exec_silent "
                                                 "failed without setting an exception$"):
            ft.module_execdef("silent", silent)

    def test_state_add_remove(self):
        mod = ft.module_state_create()
        self.assertEqual(mod.__name__, "_ferrytest_state_def")
        self.assertIs(ft.module_state_find(), NULL)
        self.assertEqual(ft.module_state_add(mod), 0)
        self.assertIs(ft.module_state_find(), mod)
        self.assertEqual(ft.module_state_remove(), 0)
        self.assertIs(ft.module_state_find(), NULL)
        # A definition with slots cannot be registered.
        with self.assertRaisesRegex(SystemError,
                                    "^PyState_AddModule called on module with slots$"):
            ft.module_state_add_slots(mod)


if __name__ == "__main__":
    unittest.main()
