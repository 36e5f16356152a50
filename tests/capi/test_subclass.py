"""Types of C whose base is a builtin type: dict, list, float, int, str,
bytes, Exception (static types) and ValueError (PyType_FromSpecWithBases).
PyType_Ready's inheritance (Objects/typeobject.c), the builtins' own slots
called by a subclass, the concrete macros on the instances, Python
subclasses of the types, and exceptions of these types raised and caught on
either side.

C side: tests/capi/ext/subclass.c. The types are not readied at import:
ft.subclass_type(name) readies one, ft.subclass_types() all of them.
"""
import gc
import pickle
import unittest

import _ferrytest as ft

NULL = ft.NULL

# The order of ft.c_checks: PyDict_Check, PyList_Check, PyLong_Check,
# PyUnicode_Check, PyBytes_Check, PyFloat_Check, PyExceptionInstance_Check
# (and of ft.c_exact_checks, without the last).
CHECKS = ("dict", "list", "int", "str", "bytes", "float", "exception")

NO_EXACT = (False,) * 6    # ft.c_exact_checks of any subclass instance

NAMES = ("CountingDict", "Stack", "Celsius", "Flag", "Name", "Blob", "AppError", "SpecError",
         "Magic", "MagicInt", "Binder")


def checks(*which):
    return tuple(name in which for name in CHECKS)


def collect():
    for _ in range(3):
        gc.collect()


def inherited(t, base):
    """The slots t shares with base, and those it has of its own (C view)."""
    slots = ft.c_inherited(t, base)
    return ({k for k, v in slots.items() if v}, {k for k, v in slots.items() if not v})


class SubclassTestCase(unittest.TestCase):
    """Readies the types of the class's `uses` in setUpClass."""
    uses = ()

    @classmethod
    def setUpClass(cls):
        for name in cls.uses:
            setattr(cls, name, ft.subclass_type(name))


class TestReady(unittest.TestCase):

    def test_types(self):
        types = ft.subclass_types()
        self.assertEqual(sorted(types), sorted(NAMES))
        bases = {"CountingDict": dict, "Stack": list, "Celsius": float, "Flag": int,
                 "Name": str, "Blob": bytes, "AppError": Exception, "SpecError": ValueError,
                 "Magic": object, "MagicInt": int, "Binder": object}
        for name, t in types.items():
            self.assertIsInstance(t, type)
            self.assertIs(ft.subclass_type(name), t)       # readied once
            self.assertIs(getattr(ft, name), t)            # published on the module
            self.assertEqual(t.__name__, name)
            self.assertEqual(t.__qualname__, name)
            self.assertEqual(t.__module__, "_ferrytest")
            self.assertIs(t.__base__, bases[name])
            self.assertEqual(t.__bases__, (bases[name],))
            self.assertEqual(t.__mro__, (t,) + bases[name].__mro__)
            self.assertTrue(issubclass(t, bases[name]))
            self.assertFalse(issubclass(bases[name], t))
            flags = ft.c_type_flags(t)
            self.assertTrue(flags["ready"], name)
            self.assertTrue(flags["basetype"], name)
            self.assertEqual(flags["heaptype"], name == "SpecError")
        self.assertIs(ft.subclass_types()["Flag"], types["Flag"])
        with self.assertRaises(KeyError):
            ft.subclass_type("Nope")

    def test_docs_and_dicts(self):
        types = ft.subclass_types()
        self.assertEqual(types["CountingDict"].__doc__, "A dict that counts the put() calls.")
        self.assertEqual(types["SpecError"].__doc__, "A ValueError with a detail.")
        self.assertEqual(types["CountingDict"].put.__doc__,
                         "put(key, value): self[key] = value through PyDict_SetItem, counted.")
        # The type's own dict: what C defines, and the slots it overrides.
        own = {name: set(t.__dict__) - {"__doc__", "__module__"} for name, t in types.items()}
        self.assertEqual(own["CountingDict"], {"__init__", "put", "count", "size", "c_get", "last"})
        self.assertEqual(own["Stack"], {"push", "top", "pushes"})
        self.assertEqual(own["Celsius"], {"__new__", "__repr__", "kelvin", "scale"})
        self.assertEqual(own["Flag"], {"__repr__", "twice"})
        self.assertEqual(own["Name"], {"shout", "length"})
        self.assertEqual(own["Blob"], {"first"})
        self.assertEqual(own["AppError"], {"__init__", "code"})
        self.assertTrue({"detail", "info"} <= own["SpecError"])
        self.assertNotIn("__init__", own["SpecError"])
        self.assertNotIn("__new__", own["SpecError"])

    def test_inherited_new_and_init(self):
        types = ft.subclass_types()
        CountingDict, Stack, Flag, Name = (types[n] for n in ("CountingDict", "Stack", "Flag", "Name"))
        self.assertIs(CountingDict.__new__, dict.__new__)
        self.assertIs(Stack.__new__, list.__new__)
        self.assertIs(Stack.__init__, list.__init__)
        self.assertIs(Flag.__new__, int.__new__)
        self.assertIs(Name.__new__, str.__new__)
        self.assertIs(types["Blob"].__new__, bytes.__new__)
        self.assertIs(types["AppError"].__new__, Exception.__new__)
        self.assertIs(types["SpecError"].__init__, ValueError.__init__)
        self.assertIsNot(types["Celsius"].__new__, float.__new__)
        self.assertIsNot(CountingDict.__init__, dict.__init__)


class TestInheritedSlots(unittest.TestCase):
    """What PyType_Ready copies from the builtin, seen from C."""

    @classmethod
    def setUpClass(cls):
        cls.types = ft.subclass_types()

    def check(self, name, base, same, own):
        got_same, got_own = inherited(self.types[name], base)
        self.assertEqual(same - got_same, set(), "not inherited")
        self.assertEqual(own - got_own, set(), "inherited")

    def test_dict(self):
        self.check("CountingDict", dict,
                   {"tp_new", "tp_hash", "tp_richcompare", "tp_iter", "tp_repr", "tp_free",
                    "tp_getattro", "mp_length", "mp_subscript", "mp_ass_subscript", "sq_contains"},
                   {"tp_init", "tp_alloc", "tp_dealloc", "tp_traverse", "tp_clear"})
        self.assertEqual(ft.c_type_flags(self.types["CountingDict"])["gc"], True)

    def test_list(self):
        # Nothing of its own but methods: every slot is list's, GC included.
        same, own = inherited(self.types["Stack"], list)
        self.assertEqual(own, set())
        self.assertTrue({"tp_new", "tp_init", "tp_dealloc", "tp_traverse", "tp_clear", "tp_alloc",
                         "tp_free", "tp_repr", "tp_richcompare", "tp_iter", "sq_item",
                         "sq_length", "sq_concat", "mp_subscript", "mp_ass_subscript"} <= same)
        self.assertEqual(ft.c_type_flags(self.types["Stack"])["gc"], True)

    def test_float(self):
        self.check("Celsius", float,
                   {"tp_hash", "tp_richcompare", "tp_dealloc", "tp_alloc", "tp_free", "tp_str",
                    "nb_add", "nb_bool", "nb_int", "nb_float"},
                   {"tp_new", "tp_repr"})
        self.assertEqual(ft.c_type_flags(self.types["Celsius"])["gc"], False)

    def test_int(self):
        self.check("Flag", int,
                   {"tp_new", "tp_hash", "tp_richcompare", "tp_dealloc", "tp_str", "tp_alloc",
                    "nb_add", "nb_index", "nb_int", "nb_bool"},
                   {"tp_repr"})
        self.assertEqual(ft.c_type_flags(self.types["Flag"])["gc"], False)

    def test_str_bytes(self):
        for name, base in (("Name", str), ("Blob", bytes)):
            same, own = inherited(self.types[name], base)
            self.assertEqual(own, set(), name)
            self.assertTrue({"tp_new", "tp_hash", "tp_richcompare", "tp_repr", "tp_str",
                             "tp_dealloc", "tp_iter", "sq_item", "sq_length", "mp_subscript",
                             "sq_contains"} <= same, name)
        self.assertIn("bf_getbuffer", inherited(self.types["Blob"], bytes)[0])

    def test_exceptions(self):
        self.check("AppError", Exception,
                   {"tp_new", "tp_repr", "tp_str", "tp_getattro", "tp_setattro", "tp_free"},
                   {"tp_init", "tp_dealloc", "tp_traverse", "tp_clear"})
        self.check("SpecError", ValueError,
                   {"tp_new", "tp_init", "tp_repr", "tp_str", "tp_getattro"},
                   {"tp_dealloc", "tp_traverse", "tp_clear"})

    def test_sizes(self):
        # No extra fields: tp_basicsize 0 takes the base's, and tp_itemsize
        # (int's digits, bytes' characters) comes along.
        for name, base in (("Flag", int), ("Name", str), ("Blob", bytes)):
            self.assertEqual(ft.c_type_sizes(self.types[name]), ft.c_type_sizes(base), name)
        self.assertNotEqual(ft.c_type_sizes(int)[1], 0)
        self.assertNotEqual(ft.c_type_sizes(bytes)[1], 0)
        for name, base in (("CountingDict", dict), ("Stack", list), ("Celsius", float),
                           ("AppError", Exception), ("SpecError", ValueError)):
            size, item = ft.c_type_sizes(self.types[name])
            self.assertGreater(size, ft.c_type_sizes(base)[0], name)
            self.assertEqual(item, 0, name)


class TestCountingDict(SubclassTestCase):
    uses = ("CountingDict",)

    def test_isinstance(self):
        CountingDict = self.CountingDict
        d = CountingDict()
        self.assertIs(type(d), CountingDict)
        self.assertIsInstance(d, dict)
        self.assertIsInstance(d, CountingDict)
        self.assertNotIsInstance({}, CountingDict)
        self.assertEqual(ft.c_type_name(d), "_ferrytest.CountingDict")
        self.assertEqual(ft.c_checks(d), checks("dict"))
        self.assertEqual(ft.c_exact_checks(d), NO_EXACT)

    def test_dict_behaviour(self):
        d = self.CountingDict({"a": 1}, b=2)
        self.assertEqual(d, {"a": 1, "b": 2})
        self.assertEqual(len(d), 2)
        self.assertEqual(list(d), ["a", "b"])
        self.assertIn("a", d)
        self.assertEqual(d.get("c", 3), 3)
        d["c"] = 3
        del d["a"]
        self.assertEqual(d.pop("b"), 2)
        self.assertEqual(d.setdefault("e", 5), 5)
        d.update(f=6)
        self.assertEqual(sorted(d.items()), [("c", 3), ("e", 5), ("f", 6)])
        self.assertEqual(repr(d), "{'c': 3, 'e': 5, 'f': 6}")
        self.assertEqual(str(d), "{'c': 3, 'e': 5, 'f': 6}")
        self.assertIs(type(d.copy()), dict)
        self.assertEqual(d.copy(), d)
        self.assertIs(type(d | {"g": 7}), dict)
        self.assertEqual(d, dict(d))
        self.assertNotEqual(d, self.CountingDict())
        with self.assertRaises(KeyError):
            d["missing"]
        with self.assertRaises(TypeError):
            hash(d)
        d.clear()
        self.assertEqual(d, {})
        self.assertEqual(d.count(), 0)

    def test_put_seen_by_python(self):
        d = self.CountingDict()
        value = ["v"]
        self.assertIsNone(d.put("k", value))
        self.assertIs(d["k"], value)
        self.assertEqual(d, {"k": ["v"]})
        self.assertIs(d.last, value)
        self.assertEqual(d.count(), 1)
        self.assertEqual(len(d), 1)
        self.assertEqual(ft.dict_next_all(d), [("k", value)])

    def test_python_seen_by_c(self):
        d = self.CountingDict()
        self.assertEqual(d.size(), 0)
        d["a"] = 1
        d[2] = "two"
        self.assertEqual(d.size(), 2)
        self.assertEqual(d.c_get("a"), 1)
        self.assertEqual(d.c_get(2), "two")
        self.assertIs(d.c_get("missing"), NULL)
        with self.assertRaises(TypeError):
            d.c_get([])
        self.assertEqual(ft.c_value(d), 2)
        self.assertEqual(ft.dict_next_all(d), [("a", 1), (2, "two")])
        self.assertEqual(d.count(), 0)      # Python's stores are not put()
        del d["a"]
        self.assertIs(d.c_get("a"), NULL)
        self.assertEqual(d.size(), 1)

    def test_fields_survive(self):
        d = self.CountingDict(x=0)
        first, second = object(), ["second"]
        d.put("a", first)
        d.put("b", second)
        self.assertEqual(d.count(), 2)
        # Growing the table, shrinking it, clearing it: the C fields stay.
        for i in range(1000):
            d[i] = i
        self.assertEqual((d.count(), d.size()), (2, 1003))
        for i in range(1000):
            del d[i]
        self.assertEqual(d.count(), 2)
        self.assertIs(d.last, second)
        d.clear()
        self.assertEqual(d.count(), 2)
        self.assertIs(d.last, second)
        collect()
        self.assertEqual(d.count(), 2)
        self.assertIs(d.last, second)
        self.assertEqual(d.size(), 0)
        d.put("c", 3)
        self.assertEqual((d.count(), d.size(), d.last), (3, 1, 3))

    def test_init(self):
        d = self.CountingDict()
        d.put("a", 1)
        self.assertEqual(d.count(), 1)
        d.__init__({"b": 2}, c=3)     # dict's __init__ updates, the count restarts
        self.assertEqual(d, {"a": 1, "b": 2, "c": 3})
        self.assertEqual(d.count(), 0)
        self.assertEqual(d.last, 1)
        with self.assertRaises(TypeError):
            self.CountingDict(1, 2)
        d = dict.__new__(self.CountingDict)
        self.assertIs(type(d), self.CountingDict)
        self.assertEqual((d, d.count(), d.last), ({}, 0, None))

    def test_last_member(self):
        d = self.CountingDict()
        self.assertIsNone(d.last)
        d.last = "set"
        self.assertEqual(d.last, "set")
        del d.last
        self.assertIsNone(d.last)
        self.assertEqual(d, {})

    def test_put_errors(self):
        d = self.CountingDict()
        with self.assertRaises(TypeError):
            d.put([], 1)
        self.assertEqual((d.count(), d.last, d), (0, None, {}))
        with self.assertRaisesRegex(TypeError, r"^put\(\) takes exactly 2 arguments \(1 given\)$"):
            d.put("k")
        with self.assertRaises(TypeError):
            self.CountingDict.put({}, "k", "v")   # a plain dict is no CountingDict

    def test_identity(self):
        d = self.CountingDict(a=1)
        ft.keep(d)
        d["b"] = 2
        d.put("c", 3)
        self.assertIs(ft.kept(), d)
        self.assertTrue(ft.is_same(d, d))
        self.assertTrue(ft.is_same(d, ft.kept()))
        self.assertFalse(ft.is_same(d, dict(d)))
        self.assertFalse(ft.is_same(d, self.CountingDict(d)))
        collect()
        self.assertIs(ft.kept(True), d)
        self.assertIs(ft.kept(), NULL)
        d.put("self", d)
        self.assertIs(d["self"], d)
        self.assertIs(d.last, d)
        self.assertIs(d.c_get("self"), d)

    def test_python_subclass(self):
        CountingDict = self.CountingDict

        class Doubling(CountingDict):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.tag = "init"

            def put(self, k, v):
                super().put(k, 2 * v)
                self.puts = getattr(self, "puts", 0) + 1

        d = Doubling(a=1)
        self.assertIsInstance(d, CountingDict)
        self.assertIsInstance(d, dict)
        self.assertEqual(ft.c_type_name(d), "Doubling")
        self.assertEqual(ft.c_checks(d), checks("dict"))
        self.assertEqual(ft.c_exact_checks(d), NO_EXACT)
        d.put("b", 2)
        self.assertEqual(d, {"a": 1, "b": 4})
        self.assertEqual((d.count(), d.last, d.puts), (1, 4, 1))
        ft.c_put(d, "c", 3)                    # C's put, not the override
        self.assertEqual(d["c"], 3)
        self.assertEqual((d.count(), d.last, d.puts), (2, 3, 1))
        self.assertEqual(d.__dict__, {"tag": "init", "puts": 1})
        self.assertEqual(d.size(), 3)
        self.assertEqual(d.c_get("b"), 4)
        collect()
        self.assertEqual((d.count(), d.size(), d.tag), (2, 3, "init"))
        ft.keep(d)
        self.assertIs(ft.kept(True), d)

        class Plain(CountingDict):
            pass
        p = Plain([("k", "v")])
        self.assertEqual((p, p.count()), ({"k": "v"}, 0))
        p.put("k", "w")
        self.assertEqual((p["k"], p.count()), ("w", 1))


class TestCountingDictGC(SubclassTestCase):
    """Counted in C: instances made by dict's tp_new through CountingDict's
    tp_alloc and not freed yet (ft.counting_dict_live), and the calls of
    CountingDict's tp_dealloc (ft.counting_dict_deallocs)."""
    uses = ("CountingDict",)
    N = 20000

    def counters(self):
        return ft.counting_dict_live(), ft.counting_dict_deallocs()

    def test_counters(self):
        collect()
        live, deallocs = self.counters()
        d = self.CountingDict()
        self.assertEqual(self.counters(), (live + 1, deallocs))
        del d
        collect()
        self.assertEqual(ft.counting_dict_deallocs(), deallocs + 1)
        self.assertEqual(ft.counting_dict_live(), live)

    def test_python_subclass_not_counted(self):
        # A Python subclass allocates with PyType_GenericAlloc (type_new sets
        # it), and still ends in CountingDict's tp_dealloc.
        class Sub(self.CountingDict):
            pass
        collect()
        live, deallocs = self.counters()
        s = Sub(a=1)
        s.put("self", s)
        self.assertEqual(self.counters(), (live, deallocs))
        del s
        collect()
        self.assertEqual(self.counters(), (live, deallocs + 1))

    def test_cycles_collected(self):
        collect()
        live, deallocs = self.counters()
        ds = []
        for i in range(self.N):
            d = self.CountingDict(i=i)
            d.put("self", d)       # a cycle through the dict and through `last`
            ds.append(d)
        del d
        self.assertEqual(ft.counting_dict_deallocs(), deallocs)
        self.assertEqual(ft.counting_dict_live(), live + self.N)
        self.assertEqual((ds[0].count(), ds[-1].count()), (1, 1))
        self.assertIs(ds[-1].last, ds[-1])
        self.assertEqual(ds[-1]["i"], self.N - 1)
        del ds
        collect()
        self.assertEqual(ft.counting_dict_deallocs(), deallocs + self.N)
        self.assertEqual(ft.counting_dict_live(), live)

    def test_cycle_through_c_field_only(self):
        collect()
        live, deallocs = self.counters()
        ds = []
        for i in range(self.N):
            d = self.CountingDict()
            d.put("self", d)
            del d["self"]          # only `last` holds it now
            ds.append(d)
        del d
        self.assertEqual(ft.counting_dict_deallocs(), deallocs)
        self.assertEqual(ft.counting_dict_live(), live + self.N)
        del ds
        collect()
        self.assertEqual(ft.counting_dict_deallocs(), deallocs + self.N)
        self.assertEqual(ft.counting_dict_live(), live)

    def test_c_field_keeps_alive(self):
        collect()
        live, deallocs = self.counters()
        outer = self.CountingDict()
        inner = self.CountingDict(name="inner")
        inner.put("payload", ["p"])
        outer.put("x", inner)
        del outer["x"]
        inner.clear()
        del inner                  # only outer's `last` holds it now
        collect()
        self.assertEqual(ft.counting_dict_deallocs(), deallocs)
        self.assertEqual(outer.last.count(), 1)
        self.assertEqual(outer.last.last, ["p"])
        self.assertEqual(outer.last, {})
        self.assertEqual(ft.counting_dict_live(), live + 2)
        del outer
        collect()
        self.assertEqual(ft.counting_dict_deallocs(), deallocs + 2)
        self.assertEqual(ft.counting_dict_live(), live)


class TestStack(SubclassTestCase):
    uses = ("Stack",)

    def test_isinstance(self):
        s = self.Stack()
        self.assertIsInstance(s, list)
        self.assertIsInstance(s, self.Stack)
        self.assertNotIsInstance([], self.Stack)
        self.assertEqual(ft.c_type_name(s), "_ferrytest.Stack")
        self.assertEqual(ft.c_checks(s), checks("list"))
        self.assertEqual(ft.c_exact_checks(s), NO_EXACT)

    def test_list_behaviour(self):
        s = self.Stack(range(3))
        self.assertEqual(s, [0, 1, 2])
        self.assertEqual(len(s), 3)
        self.assertEqual((s[0], s[-1]), (0, 2))
        self.assertEqual(s[1:], [1, 2])
        self.assertIs(type(s[1:]), list)
        self.assertEqual(list(iter(s)), [0, 1, 2])
        s.append(3)
        s.extend([4, 5])
        s[0] = 10
        del s[1]
        self.assertEqual(s, [10, 2, 3, 4, 5])
        self.assertEqual(s.pop(), 5)
        s.sort(reverse=True)
        self.assertEqual(s, [10, 4, 3, 2])
        self.assertEqual(s.index(3), 2)
        self.assertIn(4, s)
        self.assertIs(type(s + [1]), list)
        self.assertIs(type(s * 2), list)
        t = s
        t += [0]
        self.assertIs(t, s)
        self.assertEqual(s, [10, 4, 3, 2, 0])
        self.assertEqual(repr(s), "[10, 4, 3, 2, 0]")
        self.assertEqual(s, [10, 4, 3, 2, 0])
        self.assertLess(s, [11])
        with self.assertRaises(TypeError):
            hash(s)
        with self.assertRaises(IndexError):
            s[10]
        self.assertEqual(s.pushes, 0)

    def test_push_top(self):
        s = self.Stack()
        with self.assertRaisesRegex(IndexError, "^top of an empty stack$"):
            s.top()
        x = object()
        self.assertIsNone(s.push(x))
        self.assertIs(s[-1], x)
        self.assertIs(s.top(), x)
        self.assertEqual(s.pushes, 1)
        s.append("py")                     # not a push
        self.assertEqual(s.top(), "py")
        self.assertEqual(s.pushes, 1)
        for i in range(100):
            s.push(i)
        self.assertEqual((s.pushes, len(s), s.top()), (101, 102, 99))
        self.assertEqual(ft.c_value(s), tuple(s))
        self.assertEqual(ft.list_getitem(s, 1), "py")
        del s[:]
        self.assertEqual(s.pushes, 101)
        with self.assertRaises(IndexError):
            s.top()
        collect()
        self.assertEqual(s.pushes, 101)

    def test_pushes_readonly(self):
        s = self.Stack()
        with self.assertRaises(AttributeError):
            s.pushes = 3
        with self.assertRaises(AttributeError):
            s.other = 3
        self.assertEqual(s.pushes, 0)

    def test_identity_and_cycle(self):
        s = self.Stack([1])
        ft.keep(s)
        s.push(s)
        self.assertIs(s.top(), s)
        self.assertEqual(repr(s), "[1, [...]]")
        self.assertIs(ft.kept(True), s)
        self.assertTrue(ft.is_same(s, s[1]))
        self.assertFalse(ft.is_same(s, list(s)))

    def test_python_subclass(self):
        Stack = self.Stack

        class Tagged(Stack):
            def top(self):
                return ("top", super().top())

        t = Tagged("ab")
        t.label = "l"
        self.assertEqual(t, ["a", "b"])
        self.assertEqual(t.top(), ("top", "b"))
        self.assertEqual(Stack.top(t), "b")
        t.push("c")
        ft.c_push(t, "d")
        self.assertEqual((t.pushes, t[2], t[3]), (2, "c", "d"))
        self.assertEqual(ft.c_type_name(t), "Tagged")
        self.assertEqual(ft.c_checks(t), checks("list"))
        self.assertEqual(ft.c_value(t), ("a", "b", "c", "d"))
        self.assertEqual(t.__dict__, {"label": "l"})
        collect()
        self.assertEqual((t.pushes, t.label, len(t)), (2, "l", 4))


class TestCelsius(SubclassTestCase):
    uses = ("Celsius",)

    def test_isinstance(self):
        c = self.Celsius(21.5)
        self.assertIsInstance(c, float)
        self.assertEqual(ft.c_type_name(c), "_ferrytest.Celsius")
        self.assertEqual(ft.c_checks(c), checks("float"))
        self.assertEqual(ft.c_exact_checks(c), NO_EXACT)

    def test_new(self):
        Celsius = self.Celsius
        self.assertEqual(Celsius(21.5), 21.5)
        self.assertEqual(Celsius("1.5"), 1.5)
        self.assertEqual(Celsius(3), 3.0)
        self.assertEqual(Celsius(), 0.0)
        for c in (Celsius(21.5), Celsius("1.5"), Celsius()):
            self.assertIs(type(c), Celsius)
            self.assertEqual(c.scale, 100)
        with self.assertRaises(TypeError):
            Celsius(x=1)
        with self.assertRaises(ValueError):
            Celsius("hot")
        # float.__new__ would skip Celsius's tp_new.
        with self.assertRaises(TypeError):
            float.__new__(Celsius, 1.0)

    def test_float_behaviour(self):
        c = self.Celsius(21.5)
        self.assertEqual(c, 21.5)
        self.assertEqual(hash(c), hash(21.5))
        self.assertEqual(c + 1, 22.5)
        self.assertIs(type(c + 1), float)
        self.assertIs(type(-c), float)
        self.assertEqual(c * 2, 43.0)
        self.assertEqual(int(c), 21)
        self.assertIs(type(float(c)), float)
        self.assertEqual(round(c), 22)
        self.assertFalse(c.is_integer())
        self.assertEqual(c.hex(), (21.5).hex())
        self.assertTrue(self.Celsius(0.5))
        self.assertFalse(self.Celsius(0.0))
        self.assertEqual(format(c, ".2f"), "21.50")
        self.assertEqual("%.1f" % c, "21.5")
        self.assertEqual(ft.c_value(c), 21.5)
        self.assertEqual(ft.float_asdouble(c), 21.5)

    def test_c_parts(self):
        c = self.Celsius(21.5)
        self.assertAlmostEqual(c.kelvin(), 294.65)
        self.assertIs(type(c.kelvin()), float)
        self.assertAlmostEqual(self.Celsius.kelvin(self.Celsius(-273.15)), 0.0)
        self.assertEqual(c.scale, 100)
        c.scale = 5
        self.assertEqual(c.scale, 5)
        with self.assertRaises(TypeError):
            c.scale = "x"
        self.assertEqual(c.scale, 5)
        collect()
        self.assertEqual((c.scale, c), (5, 21.5))

    def test_repr_str(self):
        c = self.Celsius(21.5)
        self.assertEqual(repr(c), "Celsius(21.5)")
        # float has no tp_str of its own: object's calls the type's tp_repr.
        self.assertEqual(str(c), "Celsius(21.5)")
        self.assertEqual("%s" % c, "Celsius(21.5)")
        self.assertEqual(format(c, ""), "Celsius(21.5)")
        self.assertEqual(repr(self.Celsius(1e100)), "Celsius(1e+100)")
        self.assertEqual(repr([c]), "[Celsius(21.5)]")

    def test_identity(self):
        c = self.Celsius(2.0)
        ft.keep(c)
        self.assertIs(ft.kept(True), c)
        self.assertTrue(ft.is_same(c, c))
        self.assertFalse(ft.is_same(c, self.Celsius(2.0)))

    def test_python_subclass(self):
        Celsius = self.Celsius

        class Fahrenheit(Celsius):
            def kelvin(self):
                return (self - 32) * 5 / 9 + 273.15

        f = Fahrenheit(212.0)
        f.note = "boiling"
        self.assertIs(type(f), Fahrenheit)
        self.assertEqual(f.scale, 100)         # Celsius's tp_new ran
        self.assertAlmostEqual(f.kelvin(), 373.15)
        self.assertAlmostEqual(Celsius.kelvin(f), 485.15)
        self.assertEqual(repr(f), "Celsius(212.0)")
        self.assertEqual(f + 1, 213.0)
        self.assertEqual(ft.c_type_name(f), "Fahrenheit")
        self.assertEqual(ft.c_checks(f), checks("float"))
        self.assertEqual(ft.c_value(f), 212.0)
        self.assertEqual(f.__dict__, {"note": "boiling"})


class TestDouble(SubclassTestCase):
    # numpy's float64(floating, float): a type of C laid out as float, whose
    # tp_base is a type of C without fields; its instances made by a tp_alloc
    # of its own, the value set after.
    uses = ("Double",)

    def check(self, d, value, cls=None):
        self.assertIs(type(d), cls or self.Double)
        self.assertIsInstance(d, float)
        self.assertIsInstance(d, ft.Floating)
        self.assertEqual(d, value)
        self.assertEqual(float(d), value)
        self.assertEqual(d.half(), value / 2)
        self.assertEqual(repr(d), "Floating(%r)" % value)
        self.assertEqual(str(d), "Floating(%r)" % value)
        self.assertEqual(ft.c_value(d), value)
        self.assertEqual(ft.c_checks(d), checks("float"))

    def test_bases(self):
        Double = self.Double
        self.assertEqual(Double.__mro__, (Double, ft.Floating, float, object))
        self.assertEqual(Double.__bases__, (ft.Floating, float))

    def test_made_from_python(self):
        for value in (2.5, -0.0, 1e300):
            self.check(self.Double(value), value)
        self.check(self.Double(), 0.0)
        with self.assertRaises(TypeError):
            self.Double("1.5")

    def test_made_in_c(self):
        for value in (4.5, -3.25, float("inf")):
            self.check(ft.double_make(value), value)
        values = [ft.double_make(i) for i in range(500)]
        collect()
        self.assertEqual([float(d) for d in values], [float(i) for i in range(500)])
        self.assertEqual(sum(d.half() for d in values), sum(range(500)) / 2)

    def test_identity(self):
        d = ft.double_make(7.5)
        ft.keep(d)
        self.assertIs(ft.kept(True), d)
        self.assertTrue(ft.is_same(d, d))

    def test_python_subclass(self):
        class Sub(self.Double):
            def twice(self):
                return float(self) * 2
        s = Sub(3.0)
        self.check(s, 3.0, Sub)
        self.assertEqual(s.twice(), 6.0)

    def test_slots_from_tp_base_first(self):
        # CPython fills the slots Double lacks from its MRO in order: from
        # Floating (object's hash, no number or order slots) before float.
        d = self.Double(2.5)
        self.assertNotEqual(hash(d), hash(2.5))
        with self.assertRaises(TypeError):
            d + 1
        with self.assertRaises(TypeError):
            d < 3
        self.assertIs(self.Double.__base__, ft.Floating)

    def test_layout_conflict(self):
        with self.assertRaises(TypeError):   # (the host's words for two builtins')
            type("Both", (self.Double, int), {})


class TestPair(SubclassTestCase):
    # A type of C based on tuple whose instances C makes by tp_alloc(type, 2)
    # and then fills.
    uses = ("Pair",)

    def test_made_by_tp_alloc_then_filled(self):
        o = object()
        p = ft.pair_make(1, o)
        self.assertIs(type(p), self.Pair)
        self.assertEqual((len(p), p[0]), (2, 1))
        self.assertIs(p[1], o)
        self.assertEqual(p.swap(), (o, 1))
        self.assertEqual(tuple(p), (1, o))
        pairs = [ft.pair_make(i, str(i)) for i in range(300)]
        self.assertEqual([tuple(q) for q in pairs], [(i, str(i)) for i in range(300)])

    def test_made_from_python(self):
        p = self.Pair((3, 4))
        self.assertEqual((type(p), p, p.swap()), (self.Pair, (3, 4), (4, 3)))


class TestText(SubclassTestCase):
    # numpy's str_(str, character): tp_base str, then a type of C with a
    # remainder of its own; str's comes first in the MRO.
    uses = ("Text",)

    def test_str_operators_first(self):
        t = self.Text("ab")
        self.assertEqual(self.Text.__mro__, (self.Text, str, ft.Character, object))
        self.assertEqual(("%s" % t, t + "c", t * 2), ("ab", "abc", "abab"))
        self.assertEqual(self.Text("<%s>") % 5, "<5>")
        with self.assertRaisesRegex(TypeError, "not all arguments converted"):
            t % 5
        self.assertIsInstance(t, ft.Character)


class TestFlag(SubclassTestCase):
    uses = ("Flag",)

    def test_isinstance(self):
        f = self.Flag(5)
        self.assertIsInstance(f, int)
        self.assertNotIsInstance(f, bool)
        self.assertEqual(ft.c_type_name(f), "_ferrytest.Flag")
        self.assertEqual(ft.c_checks(f), checks("int"))
        self.assertEqual(ft.c_exact_checks(f), NO_EXACT)

    def test_new(self):
        Flag = self.Flag
        for f, v in ((Flag(5), 5), (Flag(), 0), (Flag("ff", 16), 255), (Flag(True), 1),
                     (Flag(-7), -7), (Flag(2.9), 2), (Flag(2 ** 70), 2 ** 70)):
            self.assertIs(type(f), Flag)
            self.assertEqual(f, v)
        with self.assertRaises(ValueError):
            Flag("x")

    def test_int_behaviour(self):
        f = self.Flag(5)
        self.assertEqual(f, 5)
        self.assertEqual(hash(f), hash(5))
        self.assertEqual({5: "five"}[f], "five")
        self.assertEqual(f + 1, 6)
        self.assertIs(type(f + 1), int)
        self.assertIs(type(-f), int)
        self.assertEqual(f * f, 25)
        self.assertEqual(f << 2, 20)
        self.assertEqual(f & 4, 4)
        self.assertIs(type(int(f)), int)
        self.assertEqual(int(f), 5)
        self.assertEqual(f.bit_length(), 3)
        self.assertEqual(list(range(self.Flag(3))), [0, 1, 2])
        self.assertEqual([10, 20, 30][self.Flag(1)], 20)
        self.assertTrue(f)
        self.assertFalse(self.Flag(0))
        self.assertEqual(ft.c_value(f), 5)
        self.assertEqual(ft.long_aslong(f), 5)
        big = self.Flag(2 ** 70)
        self.assertEqual(big + 1, 2 ** 70 + 1)
        self.assertEqual(big, 2 ** 70)

    def test_c_parts(self):
        self.assertEqual(self.Flag(5).twice(), 10)
        self.assertEqual(self.Flag(-3).twice(), -6)
        self.assertIs(type(self.Flag(5).twice()), int)
        self.assertEqual(self.Flag.twice(self.Flag(4)), 8)
        with self.assertRaises(OverflowError):
            self.Flag(2 ** 70).twice()

    def test_repr_str(self):
        f = self.Flag(5)
        self.assertEqual(repr(f), "Flag(5)")
        # int has no tp_str of its own either: str() is the repr too, while
        # the numeric formats read the value.
        self.assertEqual(str(f), "Flag(5)")
        self.assertEqual(format(f, ""), "Flag(5)")
        self.assertEqual(format(f, "d"), "5")
        self.assertEqual("%d" % f, "5")
        self.assertEqual(repr(self.Flag(-2 ** 70)), "Flag(-1180591620717411303424)")

    def test_identity(self):
        f = self.Flag(7)
        ft.keep(f)
        self.assertIs(ft.kept(True), f)
        self.assertTrue(ft.is_same(f, f))
        self.assertFalse(ft.is_same(f, self.Flag(7)))

    def test_python_subclass(self):
        Flag = self.Flag

        class Bits(Flag):
            def twice(self):
                return "twice"

        b = Bits(3)
        b.name = "three"
        self.assertIsInstance(b, Flag)
        self.assertEqual(b.twice(), "twice")
        self.assertEqual(Flag.twice(b), 6)
        self.assertEqual(repr(b), "Flag(3)")
        self.assertEqual(b + 1, 4)
        self.assertEqual(ft.c_type_name(b), "Bits")
        self.assertEqual(ft.c_checks(b), checks("int"))
        self.assertEqual(ft.c_value(b), 3)
        self.assertEqual(b.__dict__, {"name": "three"})
        collect()
        self.assertEqual((b, b.name), (3, "three"))


class TestName(SubclassTestCase):
    uses = ("Name",)

    def test_isinstance(self):
        n = self.Name("abc")
        self.assertIsInstance(n, str)
        self.assertEqual(ft.c_type_name(n), "_ferrytest.Name")
        self.assertEqual(ft.c_checks(n), checks("str"))
        self.assertEqual(ft.c_exact_checks(n), NO_EXACT)

    def test_str_behaviour(self):
        Name = self.Name
        n = Name("abc")
        self.assertEqual(n, "abc")
        self.assertEqual(hash(n), hash("abc"))
        self.assertEqual({"abc": 1}[n], 1)
        self.assertEqual(len(n), 3)
        self.assertEqual(n[0], "a")
        self.assertIs(type(n[0]), str)
        self.assertIs(type(n + "x"), str)
        self.assertEqual(n * 2, "abcabc")
        self.assertIn("b", n)
        self.assertIs(type(n.upper()), str)
        self.assertEqual(n.split("b"), ["a", "c"])
        self.assertEqual(repr(n), "'abc'")
        self.assertIs(type(str(n)), str)
        self.assertEqual(str(n), "abc")
        self.assertEqual("%s!" % n, "abc!")
        self.assertEqual(f"{n}", "abc")
        for v, expected in ((Name(), ""), (Name(5), "5"), (Name(b"ab", "ascii"), "ab")):
            self.assertIs(type(v), Name)
            self.assertEqual(v, expected)

    def test_c_parts(self):
        Name = self.Name
        self.assertEqual(Name("abc").shout(), "ABC!")
        self.assertIs(type(Name("abc").shout()), str)
        self.assertEqual(Name("abc").length(), 3)
        self.assertEqual(Name("").length(), 0)
        s = "caf\xe9 \u20ac \U0001f40d"
        self.assertEqual(Name(s).length(), 8)
        self.assertEqual(Name(s).shout(), s.upper() + "!")
        self.assertEqual(ft.c_value(Name(s)), s)
        self.assertEqual(ft.unicode_getlength(Name(s)), 8)

    def test_identity(self):
        n = self.Name("id")
        ft.keep(n)
        self.assertIs(ft.kept(True), n)
        self.assertTrue(ft.is_same(n, n))
        self.assertFalse(ft.is_same(n, self.Name("id")))

    def test_python_subclass(self):
        Name = self.Name

        class Loud(Name):
            def upper(self):
                return "LOUD"

        s = Loud("quiet")
        s.volume = 11
        self.assertEqual(s.shout(), "LOUD!")   # PyObject_CallMethod finds the override
        self.assertEqual(s.length(), 5)
        self.assertEqual(s, "quiet")
        self.assertEqual(ft.c_type_name(s), "Loud")
        self.assertEqual(ft.c_checks(s), checks("str"))
        self.assertEqual(ft.c_value(s), "quiet")
        self.assertEqual(s.__dict__, {"volume": 11})


class TestBlob(SubclassTestCase):
    uses = ("Blob",)

    def test_isinstance(self):
        b = self.Blob(b"xyz")
        self.assertIsInstance(b, bytes)
        self.assertEqual(ft.c_type_name(b), "_ferrytest.Blob")
        self.assertEqual(ft.c_checks(b), checks("bytes"))
        self.assertEqual(ft.c_exact_checks(b), NO_EXACT)

    def test_bytes_behaviour(self):
        Blob = self.Blob
        b = Blob(b"xyz")
        self.assertEqual(b, b"xyz")
        self.assertEqual(hash(b), hash(b"xyz"))
        self.assertEqual(len(b), 3)
        self.assertEqual(b[0], 120)
        self.assertEqual(b[1:], b"yz")
        self.assertIs(type(b[1:]), bytes)
        self.assertIs(type(b + b"!"), bytes)
        self.assertEqual(b.decode(), "xyz")
        self.assertEqual(b.upper(), b"XYZ")
        self.assertIs(type(bytes(b)), bytes)
        self.assertEqual(repr(b), "b'xyz'")
        self.assertEqual(memoryview(b).tobytes(), b"xyz")
        self.assertEqual(memoryview(b)[2], 122)
        self.assertEqual(bytearray(b), bytearray(b"xyz"))
        for v, expected in ((Blob(), b""), (Blob([1, 2]), b"\x01\x02"), (Blob(3), b"\0\0\0"),
                            (Blob("\xe9", "utf-8"), b"\xc3\xa9")):
            self.assertIs(type(v), Blob)
            self.assertEqual(v, expected)
        self.assertEqual(ft.c_value(b), b"xyz")

    def test_c_parts(self):
        self.assertEqual(self.Blob(b"xyz").first(), 120)
        self.assertEqual(self.Blob(b"\xff").first(), 255)
        with self.assertRaisesRegex(ValueError, "^empty blob$"):
            self.Blob().first()
        self.assertEqual(ft.c_value(self.Blob(b"a\0b")), b"a\0b")

    def test_identity(self):
        b = self.Blob(b"id")
        ft.keep(b)
        self.assertIs(ft.kept(True), b)
        self.assertTrue(ft.is_same(b, b))
        self.assertFalse(ft.is_same(b, self.Blob(b"id")))

    def test_python_subclass(self):
        Blob = self.Blob

        class Packet(Blob):
            def first(self):
                return "header"

        p = Packet(b"\x07data")
        p.port = 80
        self.assertEqual(p.first(), "header")
        self.assertEqual(Blob.first(p), 7)
        self.assertEqual(p[1:], b"data")
        self.assertEqual(ft.c_type_name(p), "Packet")
        self.assertEqual(ft.c_checks(p), checks("bytes"))
        self.assertEqual(ft.c_value(p), b"\x07data")
        self.assertEqual(p.__dict__, {"port": 80})

    def test_made_by_tp_alloc_then_written(self):
        # numpy's bytes_ scalars: tp_alloc(type, n), then the bytes written.
        for data in (b"", b"ab", b"\x00xyz" * 100):
            b = ft.blob_make(data)
            self.assertIs(type(b), self.Blob)
            self.assertEqual((b, len(b)), (data, len(data)))
            self.assertEqual(ft.c_value(b), data)
        self.assertEqual(ft.blob_make(b"xy").first(), ft.subclass_type("Blob")(b"xy").first())


class TestAppError(SubclassTestCase):
    uses = ("AppError",)

    def test_class(self):
        AppError = self.AppError
        self.assertTrue(issubclass(AppError, Exception))
        self.assertTrue(issubclass(AppError, BaseException))
        self.assertFalse(issubclass(AppError, ValueError))
        self.assertEqual(AppError.__mro__, (AppError, Exception, BaseException, object))

    def test_instances(self):
        AppError = self.AppError
        e = AppError(3, "boom")
        self.assertIsInstance(e, Exception)
        self.assertEqual(e.args, (3, "boom"))
        self.assertEqual(e.code, 3)
        self.assertEqual(str(e), "(3, 'boom')")
        self.assertEqual(repr(e), "AppError(3, 'boom')")
        self.assertEqual(ft.c_type_name(e), "_ferrytest.AppError")
        self.assertEqual(ft.c_checks(e), checks("exception"))
        self.assertEqual(ft.c_value(e), (3, "boom"))
        one = AppError("only")
        self.assertEqual((one.code, one.args, str(one)), ("only", ("only",), "only"))
        none = AppError()
        self.assertEqual((none.code, none.args, str(none)), (None, (), ""))
        e.code = 5
        self.assertEqual((e.code, e.args), (5, (3, "boom")))
        del e.code
        self.assertIsNone(e.code)
        e.extra = "x"                          # BaseException's instance dict
        self.assertEqual(e.__dict__, {"extra": "x"})
        e.args = ("new",)
        self.assertEqual((str(e), ft.c_value(e)), ("new", ("new",)))
        with self.assertRaisesRegex(TypeError, "takes no keyword arguments"):
            AppError(1, code=2)

    def test_raised_from_python(self):
        AppError = self.AppError
        with self.assertRaises(AppError) as cm:
            raise AppError(9, "py")
        self.assertEqual((cm.exception.code, cm.exception.args), (9, (9, "py")))
        try:
            raise AppError(1, "a") from KeyError("k")
        except Exception as e:
            self.assertIsInstance(e, AppError)
            self.assertEqual(e.code, 1)
            self.assertIsInstance(e.__cause__, KeyError)
        try:
            raise AppError
        except AppError as e:
            self.assertEqual((e.code, e.args), (None, ()))

    def test_raised_from_c(self):
        AppError = self.AppError
        try:
            ft.raise_app_error(7, "from C")
        except AppError as e:
            self.assertIs(type(e), AppError)
            self.assertEqual(e.code, 7)
            self.assertEqual(e.args, (7, "from C"))
            self.assertEqual(str(e), "(7, 'from C')")
            self.assertIsNotNone(e.__traceback__)
        else:
            self.fail("no exception")
        with self.assertRaises(Exception) as cm:
            ft.raise_app_error([1], "list")
        self.assertEqual(cm.exception.code, [1])
        # PyErr_SetString: the instance is made at normalization, through
        # the type's tp_init.
        with self.assertRaises(AppError) as cm:
            ft.raise_app_error_string("lazy")
        self.assertEqual((cm.exception.code, cm.exception.args), ("lazy", ("lazy",)))

    def test_caught_in_c(self):
        AppError = self.AppError
        self.assertEqual(ft.catch_app_error(lambda: ft.raise_app_error(1, "c")),
                         (1, "(1, 'c')", AppError))
        self.assertEqual(ft.catch_app_error(lambda: ft.raise_app_error_string("s")),
                         ("s", "s", AppError))

        def python_raise():
            raise AppError(2, "p")

        def class_raise():
            raise AppError

        self.assertEqual(ft.catch_app_error(python_raise), (2, "(2, 'p')", AppError))
        self.assertEqual(ft.catch_app_error(class_raise), (None, "", AppError))
        self.assertEqual(ft.catch_app_error(lambda: "returned"), "returned")

        def other():
            raise KeyError("other")
        with self.assertRaises(KeyError):
            ft.catch_app_error(other)

    def test_python_subclass(self):
        AppError = self.AppError

        class DbError(AppError):
            def __init__(self, code, msg, table):
                super().__init__(code, msg)
                self.table = table

            def __str__(self):
                return "db: %s" % (self.args[1],)

        def raise_db():
            raise DbError(5, "locked", "users")

        self.assertEqual(ft.catch_app_error(raise_db), (5, "db: locked", DbError))
        try:
            raise_db()
        except AppError as e:
            self.assertEqual((e.code, e.args, e.table), (5, (5, "locked"), "users"))
            self.assertEqual(ft.c_type_name(e), "DbError")
            self.assertEqual(ft.c_checks(e), checks("exception"))
            self.assertEqual(e.__dict__, {"table": "users"})
            self.assertEqual(repr(e), "DbError(5, 'locked')")

        class Quiet(AppError):
            pass
        with self.assertRaises(AppError) as cm:
            raise Quiet(8)
        self.assertEqual((cm.exception.code, str(cm.exception)), (8, "8"))

    def test_pickle(self):
        e = pickle.loads(pickle.dumps(self.AppError(4, "z")))
        self.assertIs(type(e), self.AppError)
        self.assertEqual((e.code, e.args), (4, (4, "z")))

    def test_identity(self):
        e = self.AppError(1)
        ft.keep(e)
        self.assertIs(ft.kept(True), e)
        self.assertTrue(ft.is_same(e, e))
        self.assertFalse(ft.is_same(e, self.AppError(1)))
        e.code = e                             # a cycle through the C field
        self.assertIs(e.code, e)
        del e
        collect()


class TestSpecError(SubclassTestCase):
    uses = ("SpecError",)

    def test_class(self):
        SpecError = self.SpecError
        self.assertTrue(issubclass(SpecError, ValueError))
        self.assertEqual(SpecError.__mro__, (SpecError,) + ValueError.__mro__)
        self.assertEqual(SpecError.__name__, "SpecError")
        self.assertEqual(SpecError.__module__, "_ferrytest")
        self.assertEqual(ft.c_type_name(SpecError("x")), "_ferrytest.SpecError")

    def test_instances(self):
        e = self.SpecError("bad")
        self.assertIsNone(e.detail)
        self.assertEqual(e.info, (None, ("bad",)))
        self.assertEqual(str(e), "bad")
        self.assertEqual(repr(e), "SpecError('bad')")
        e.detail = [1]
        self.assertEqual(e.info, ([1], ("bad",)))
        del e.detail
        self.assertIsNone(e.detail)
        with self.assertRaises(AttributeError):
            e.info = 1
        self.assertEqual(ft.c_checks(e), checks("exception"))
        self.assertEqual(ft.c_value(e), ("bad",))

    def test_raised_from_c(self):
        SpecError = self.SpecError
        try:
            ft.raise_spec_error({"k": 1}, "msg")
        except ValueError as e:
            self.assertIs(type(e), SpecError)
            self.assertEqual(e.detail, {"k": 1})
            self.assertEqual(e.args, ("msg",))
            self.assertEqual(str(e), "msg")
        else:
            self.fail("no exception")
        with self.assertRaises(SpecError) as cm:
            ft.raise_spec_error(None, "none")
        self.assertIsNone(cm.exception.detail)

    def test_python_subclass(self):
        SpecError = self.SpecError

        class FieldError(SpecError):
            def __init__(self, field):
                super().__init__("bad field " + field)
                self.detail = field
                self.field = field

        try:
            raise FieldError("name")
        except ValueError as e:
            self.assertEqual((e.detail, e.args), ("name", ("bad field name",)))
            self.assertEqual(e.__dict__, {"field": "name"})
            self.assertEqual(ft.c_type_name(e), "FieldError")
        e = FieldError("cycle")
        e.detail = e
        del e
        collect()


if __name__ == "__main__":
    unittest.main()


class TestGenericAttributes(unittest.TestCase):
    """A type's tp_getattro/tp_setattro that hand names on to
    PyObject_GenericGetAttr/SetAttr (based on object and on int)."""

    @classmethod
    def setUpClass(cls):
        cls.Magic = ft.subclass_type("Magic")
        cls.MagicInt = ft.subclass_type("MagicInt")

    def test_object_based(self):
        m = self.Magic()
        self.assertEqual(m.magic, 42)
        m.x = 5
        self.assertEqual(m.x, 5)
        del m.x
        self.assertFalse(hasattr(m, "x"))
        self.assertEqual(getattr(m, "nope", 7), 7)
        with self.assertRaises(AttributeError) as cm:
            m.nope
        self.assertEqual(str(cm.exception), "'_ferrytest.Magic' object has no attribute 'nope'")
        with self.assertRaisesRegex(AttributeError, "frozen is read-only"):
            m.frozen = 1
        with self.assertRaises(AttributeError):
            del m.never_set
        self.assertEqual(type(m).__name__, "Magic")

    def test_int_based(self):
        i = self.MagicInt(3)
        self.assertEqual((i.magic, i.real, i + 1), (42, 3, 4))
        with self.assertRaises(AttributeError) as cm:
            i.nope
        self.assertEqual(str(cm.exception), "'_ferrytest.MagicInt' object has no attribute 'nope'")
        self.assertFalse(hasattr(i, "nope"))
        with self.assertRaises(AttributeError):
            i.x = 1                           # no instance dict
        with self.assertRaisesRegex(AttributeError, "frozen is read-only"):
            i.frozen = 1

    def test_python_subclass(self):
        class Sub(self.Magic):
            def method(self):
                return "m"
        s = Sub()
        s.y = 1
        self.assertEqual((s.magic, s.y, s.method()), (42, 1, "m"))
        with self.assertRaises(AttributeError):
            s.nope


class TestDescriptorSlots(unittest.TestCase):
    """tp_descr_get/tp_descr_set of a type of C, and getsets named like
    type's own data descriptors (__name__, __dict__: Cython's function type)."""

    @classmethod
    def setUpClass(cls):
        cls.Binder = ft.subclass_type("Binder")

    def test_get(self):
        b = self.Binder()

        class Owner:
            attr = b
        o = Owner()
        self.assertEqual(o.attr, ("get", o, Owner))
        self.assertEqual(Owner.attr, ("get", None, Owner))
        self.assertEqual(b.__get__(o), ("get", o, None))
        self.assertEqual(b.__get__(None, Owner), ("get", None, Owner))
        with self.assertRaisesRegex(TypeError, r"__get__\(None, None\) is invalid"):
            b.__get__(None, None)

    def test_set_delete(self):
        b = self.Binder()

        class Owner:
            attr = b
        o = Owner()
        o.attr = 5
        self.assertEqual(ft.binder_last(), ("set", o, 5))
        del o.attr
        self.assertEqual(ft.binder_last(), ("delete", o))
        self.assertEqual(vars(o), {})

    def test_getsets_named_like_types_own(self):
        b = self.Binder()
        self.assertEqual(b.__name__, "binder")
        self.assertEqual(b.__dict__, {"via": "getset"})
        self.assertEqual(self.Binder.__name__, "Binder")
        with self.assertRaises(AttributeError):
            b.nope
