"""dict objects: PyDict_* (Objects/dictobject.c).

C side: tests/capi/ext/dict.c. Lookups that return NULL without an exception
answer the sentinel _ferrytest.NULL.
"""
import gc
import sys
import threading
import types
import unittest
import weakref

import _ferrytest as ft

ON_FERRY = sys.implementation.name == "pypy"
NULL = ft.NULL
BADCALL = "bad argument to internal function"
KEYS = [0, -1, 2**64, "", "caf\xe9", "\u20ac", "\U0001f40d", b"b", (1, 2), None,
        1.5, frozenset({1})]


class MyDict(dict):
    pass


class BadEq:
    """Hashes like 1 and raises on comparison."""

    def __hash__(self):
        return 1

    def __eq__(self, other):
        raise ZeroDivisionError("eq failed")


class TestDict(unittest.TestCase):

    def test_new(self):
        d = ft.dict_new()
        self.assertEqual(d, {})
        self.assertIs(type(d), dict)
        self.assertTrue(ft.dict_type_exact(d))
        self.assertFalse(ft.dict_type_exact(MyDict()))

    def test_build_and_setitem(self):
        items = []
        for i, k in enumerate(KEYS):
            items += [k, i]
        d = ft.dict_build(tuple(items))
        self.assertEqual(d, {k: i for i, k in enumerate(KEYS)})
        # Insertion order is kept.
        self.assertEqual(list(d), KEYS)

    def test_setitem(self):
        d = {}
        self.assertEqual(ft.dict_setitem(d, "k", "v"), 0)
        self.assertEqual(ft.dict_setitem(d, "k", "w"), 0)
        self.assertEqual(d, {"k": "w"})
        md = MyDict()
        self.assertEqual(ft.dict_setitem(md, 1, 2), 0)
        self.assertEqual(md, {1: 2})
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.dict_setitem(d, [], 1)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_setitem([], 1, 2)

    def test_setitem_knownhash(self):
        d = {}
        self.assertEqual(ft.dict_setitem_knownhash(d, "k", "v"), 0)
        self.assertEqual(ft.dict_setitem_knownhash(d, 2.0, "two"), 0)
        self.assertEqual(ft.dict_setitem_knownhash(d, 2, "int two"), 0)   # the same key
        self.assertEqual(d, {"k": "v", 2.0: "int two"})
        md = MyDict()
        self.assertEqual(ft.dict_setitem_knownhash(md, "a", 1), 0)
        self.assertEqual(md, {"a": 1})
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_setitem_knownhash([], 1, 2)

    def test_setitemstring(self):
        d = {}
        self.assertEqual(ft.dict_setitemstring(d, b"key", 1), 0)
        self.assertEqual(ft.dict_setitemstring(d, "caf\xe9".encode(), 2), 0)
        self.assertEqual(d, {"key": 1, "caf\xe9": 2})
        with self.assertRaises(UnicodeDecodeError):
            ft.dict_setitemstring(d, b"\xff", 1)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_setitemstring([], b"k", 1)

    def test_getitem(self):
        d = {k: i for i, k in enumerate(KEYS)}
        for i, k in enumerate(KEYS):
            self.assertEqual(ft.dict_getitem(d, k), i)
        self.assertIs(ft.dict_getitem(d, "missing"), NULL)
        value = []
        self.assertIs(ft.dict_getitem({"v": value}, "v"), value)

    def test_getitem_many_in_one_call(self):
        # Borrowed values stay alive until C is done with the dict, each
        # looked up any number of times.
        d = {"k%d" % i: [i] for i in range(100)}
        d.update({i: i * 1.5 for i in range(50)})
        keys = tuple(d) + tuple(d)[::3] + ("missing",)
        self.assertEqual(ft.dict_getitem_each(d, keys), [d.get(k) for k in keys])

    def test_getitem_swallows_errors(self):
        self.assertIs(ft.dict_getitem({}, []), NULL)         # unhashable
        self.assertIs(ft.dict_getitem({1: 1}, BadEq()), NULL)
        self.assertIs(ft.dict_getitem([], 1), NULL)          # not a dict

    def test_getitem_equal_keys(self):
        d = {1: "int"}
        self.assertEqual(ft.dict_getitem(d, 1.0), "int")
        self.assertEqual(ft.dict_getitem(d, True), "int")

    def test_getitemwitherror(self):
        d = {"a": 1}
        self.assertEqual(ft.dict_getitemwitherror(d, "a"), 1)
        self.assertIs(ft.dict_getitemwitherror(d, "b"), NULL)
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.dict_getitemwitherror(d, [])
        with self.assertRaisesRegex(ZeroDivisionError, "eq failed"):
            ft.dict_getitemwitherror({1: 1}, BadEq())
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_getitemwitherror([], 1)

    def test_getitemstring(self):
        d = {"a": 1, "\U0001f40d": 2}
        self.assertEqual(ft.dict_getitemstring(d, b"a"), 1)
        self.assertEqual(ft.dict_getitemstring(d, "\U0001f40d".encode()), 2)
        self.assertIs(ft.dict_getitemstring(d, b"b"), NULL)
        self.assertIs(ft.dict_getitemstring(d, b"\xff"), NULL)

    def test_getitemstringwitherror(self):
        d = {"a": 1, "\U0001f40d": 2}
        self.assertEqual(ft.dict_getitemstringwitherror(d, b"a"), 1)
        self.assertEqual(ft.dict_getitemstringwitherror(d, "\U0001f40d".encode()), 2)
        self.assertIs(ft.dict_getitemstringwitherror(d, b"b"), NULL)
        self.assertIs(ft.dict_getitemstringwitherror(MyDict(a=3), b"a"), 3)
        self.assertIs(ft.dict_getitemstringwitherror({}, b""), NULL)
        with self.assertRaises(UnicodeDecodeError):
            ft.dict_getitemstringwitherror(d, b"\xff")
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_getitemstringwitherror([], b"a")
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_getitemstringwitherror(types.MappingProxyType(d), b"a")

        class S(str):
            def __eq__(self, other):
                raise ZeroDivisionError("eq failed")
            __hash__ = str.__hash__
        with self.assertRaisesRegex(ZeroDivisionError, "eq failed"):
            ft.dict_getitemstringwitherror({S("a"): 1}, b"a")

    def test_newpresized(self):
        for n in (-1, 0, 1, 5, 100, 10**6):   # (CPython caps its preallocation)
            with self.subTest(n=n):
                d = ft.dict_newpresized(n)
                self.assertIs(type(d), dict)
                self.assertEqual(d, {})
                d["x"] = 1
                self.assertEqual(d, {"x": 1})

    def test_delitem(self):
        d = {"a": 1, "b": 2}
        self.assertEqual(ft.dict_delitem(d, "a"), 0)
        self.assertEqual(d, {"b": 2})
        with self.assertRaisesRegex(KeyError, "'a'"):
            ft.dict_delitem(d, "a")
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.dict_delitem(d, [])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_delitem([], 1)
        self.assertEqual(ft.dict_delitemstring(d, b"b"), 0)
        self.assertEqual(d, {})
        with self.assertRaises(KeyError):
            ft.dict_delitemstring(d, b"b")

    def test_contains(self):
        d = {"a": 1, 2: None}
        self.assertEqual(ft.dict_contains(d, "a"), 1)
        self.assertEqual(ft.dict_contains(d, 2), 1)
        self.assertEqual(ft.dict_contains(d, "b"), 0)
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.dict_contains(d, [])
        with self.assertRaisesRegex(ZeroDivisionError, "eq failed"):
            ft.dict_contains({1: 1}, BadEq())

    def test_size(self):
        self.assertEqual(ft.dict_size({}), 0)
        self.assertEqual(ft.dict_size(dict.fromkeys(range(50))), 50)
        self.assertEqual(ft.dict_size(MyDict(a=1)), 1)
        self.assertEqual(ft.dict_get_size_macro({1: 2, 3: 4}), 2)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_size([])

    def test_keys_values_items(self):
        d = {k: i for i, k in enumerate(KEYS)}
        keys = ft.dict_keys(d)
        self.assertIs(type(keys), list)
        self.assertEqual(keys, KEYS)
        self.assertEqual(ft.dict_values(d), list(range(len(KEYS))))
        items = ft.dict_items(d)
        self.assertIs(type(items), list)
        self.assertEqual(items, list(d.items()))
        self.assertEqual(ft.dict_items({}), [])
        for f in (ft.dict_keys, ft.dict_values, ft.dict_items):
            with self.assertRaisesRegex(SystemError, BADCALL):
                f([])

    def test_keys_values_items_are_new_lists_of_the_objects(self):
        value, key = [1], ("k", 2)
        d = {key: value, "n": 1.5, "big": 2**70}
        items = ft.dict_items(d)
        self.assertIs(items[0][0], key)
        self.assertIs(items[0][1], value)
        self.assertIs(ft.dict_keys(d)[0], key)
        self.assertIs(ft.dict_values(d)[0], value)
        items.append(None)
        ft.dict_keys(d).clear()
        self.assertEqual(d, {key: value, "n": 1.5, "big": 2**70})
        self.assertEqual(ft.dict_items(d), list(d.items()))

    def test_keys_values_items_of_subclass(self):
        # A dict subclass's own storage, whatever its methods say.
        class Odd(dict):
            def keys(self):
                return ["overridden"]

            def values(self):
                return ["overridden"]

            def items(self):
                return [("overridden", 0)]
        d = Odd(a=1, b=2)
        self.assertEqual(ft.dict_keys(d), ["a", "b"])
        self.assertEqual(ft.dict_values(d), [1, 2])
        self.assertEqual(ft.dict_items(d), [("a", 1), ("b", 2)])

    def test_next(self):
        d = {k: i for i, k in enumerate(KEYS)}
        self.assertEqual(ft.dict_next_all(d), list(d.items()))
        self.assertEqual(ft.dict_next_all({}), [])
        d = {1: 1, 2: 2, 3: 3}
        del d[2]
        self.assertEqual(ft.dict_next_all(d), [(1, 1), (3, 3)])
        self.assertEqual(ft.dict_next_nondict([1]), 0)

    def test_next_mixed_values(self):
        # Every kind of value a large dict's snapshot packs or passes on.
        class S(str):
            pass
        nan = float("nan")
        values = [1, -2**63, 2**63 - 1, 2**63, -2**63 - 1, 2**100, 1.5, -0.0, nan,
                  float("inf"), None, True, False, "s", S("sub"), b"b", [1], (2,),
                  {"k": 3}, 1 + 2j, object()]
        d = {"k%d" % i: v for i, v in enumerate(values)}
        d[S("subkey")] = 1
        d[7] = "int key"
        d[2.5] = "float key"
        d[None] = "none key"
        for _ in range(3):   # again: proxies kept for unchanged items
            got = ft.dict_next_all(d)
            self.assertEqual(len(got), len(d))
            for (k, v), (ek, ev) in zip(got, d.items()):
                self.assertIs(type(k), type(ek))
                self.assertEqual(k, ek)
                self.assertIs(type(v), type(ev))
                if isinstance(ev, (int, float)) and not isinstance(ev, bool):
                    self.assertTrue(v == ev or (v != v and ev != ev))
                else:
                    self.assertIs(v, ev)
        d["k0"] = 2
        d["k10"] = "changed"
        self.assertEqual(ft.dict_next_all(d)[0], ("k0", 2))
        self.assertEqual(ft.dict_next_all(d)[10], ("k10", "changed"))

    def test_next_dict_subclass(self):
        # The dict's own items, whatever its items() says (large and small).
        class Odd(dict):
            def items(self):
                return [("overridden", 0)]
        for n in (3, 30):
            d = Odd(("k%d" % i, i) for i in range(n))
            self.assertEqual(ft.dict_next_all(d), [("k%d" % i, i) for i in range(n)])

    def test_next_nested(self):
        keys = [object(), "a", 7, (1, 2)]
        d = {k: [i] for i, k in enumerate(keys)}
        rows = ft.dict_next_nested(d)
        self.assertEqual(len(rows), 16)
        for n, (k1, k2, v1) in enumerate(rows):
            self.assertIs(k1, keys[n // 4])
            self.assertIs(k2, keys[n % 4])
            self.assertIs(v1, d[k1])
        # an unchanged dict iterated again gives the same objects
        self.assertEqual(ft.dict_next_all(d), list(d.items()))
        self.assertEqual(ft.dict_next_nested(d), rows)

    def test_clear(self):
        d = {"a": 1}
        self.assertIsNone(ft.dict_clear(d))
        self.assertEqual(d, {})
        lst = [1]
        self.assertIsNone(ft.dict_clear(lst))    # not a dict: ignored
        self.assertEqual(lst, [1])

    def test_copy(self):
        inner = []
        d = {"a": inner}
        c = ft.dict_copy(d)
        self.assertEqual(c, d)
        self.assertIsNot(c, d)
        self.assertIs(c["a"], inner)
        self.assertIs(type(ft.dict_copy(MyDict(a=1))), dict)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_copy([])

    def test_update_merge(self):
        d = {"a": 1}
        self.assertEqual(ft.dict_update(d, {"a": 2, "b": 3}), 0)
        self.assertEqual(d, {"a": 2, "b": 3})
        self.assertEqual(ft.dict_merge(d, {"a": 9, "c": 4}, 0), 0)
        self.assertEqual(d, {"a": 2, "b": 3, "c": 4})
        self.assertEqual(ft.dict_merge(d, {"a": 9}, 1), 0)
        self.assertEqual(d["a"], 9)
        # Any mapping with keys() works.
        self.assertEqual(ft.dict_update(d, types.MappingProxyType({"m": 1})), 0)
        self.assertEqual(d["m"], 1)
        with self.assertRaisesRegex(AttributeError, "keys"):
            ft.dict_update(d, [("x", 1)])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.dict_update([], {})

    def test_mergefromseq2(self):
        d = {"a": 1}
        self.assertEqual(ft.dict_mergefromseq2(d, [("a", 2), ("b", 3)], 0), 0)
        self.assertEqual(d, {"a": 1, "b": 3})
        self.assertEqual(ft.dict_mergefromseq2(d, [("a", 2)], 1), 0)
        self.assertEqual(d["a"], 2)
        with self.assertRaisesRegex(
                ValueError,
                "dictionary update sequence element #0 has length 3; 2 is required"):
            ft.dict_mergefromseq2(d, [(1, 2, 3)], 1)
        with self.assertRaisesRegex(
                TypeError,
                "cannot convert dictionary update sequence element #0 to a sequence"):
            ft.dict_mergefromseq2(d, [1], 1)

    def test_setdefault(self):
        d = {"a": 1}
        self.assertEqual(ft.dict_setdefault(d, "a", 2), 1)
        default = []
        self.assertIs(ft.dict_setdefault(d, "b", default), default)
        self.assertIs(d["b"], default)
        with self.assertRaises(TypeError):
            ft.dict_setdefault(d, [], 1)

    def test_dictproxy(self):
        d = {"a": 1}
        p = ft.dictproxy_new(d)
        self.assertIs(type(p), types.MappingProxyType)
        self.assertEqual(p["a"], 1)
        d["b"] = 2
        self.assertEqual(p["b"], 2)
        with self.assertRaises(TypeError):
            p["c"] = 3
        with self.assertRaisesRegex(
                TypeError, "mappingproxy\\(\\) argument must be a mapping, not list"):
            ft.dictproxy_new([])
        with self.assertRaisesRegex(
                TypeError, "mappingproxy\\(\\) argument must be a mapping, not tuple"):
            ft.dictproxy_new(({},))



class StrKey(str):
    pass


class TestDictsMadeInC(unittest.TestCase):
    """A dict PyDict_New made, written and read by C before it crosses (ferry
    keeps such a dict in C until then: dictobject.cpp's pending dicts)."""

    def script(self, *ops):
        return ft.dict_script(list(ops))

    def test_set_get_replace_keep_order_and_first_key(self):
        k1 = "k" + str(1)
        k1_again = "k" + "1"
        log, d = self.script(("set", k1, 1), ("set", "k2", 2), ("set", 3, "three"),
                             ("set", k1_again, 10), ("get", "k1"), ("get", 3), ("get", "nope"),
                             ("has", "k2"), ("has", 4), ("size",), ("next",))
        self.assertEqual(log, [None, None, None, None, 10, "three", NULL, 1, 0, (3, 3),
                               [("k1", 10), ("k2", 2), (3, "three")]])
        self.assertEqual(d, {"k1": 10, "k2": 2, 3: "three"})
        self.assertEqual(list(d), ["k1", "k2", 3])
        self.assertIs(next(iter(d)), k1)   # the first key object stays

    def test_keys_of_every_kind(self):
        # strs of each width, made apart, are one key; ints of 64 bits and
        # beyond; keys C cannot compare (floats equal to ints, bools, a str
        # subclass, tuples) after some it can.
        wide = "\u20ac" + "x"
        ops = [("set", "caf\xe9", 1), ("set", "".join(["caf", "\xe9"]), 2), ("set", wide, 3),
               ("set", "\u20acx", 4), ("set", "\U0001f40d", 5), ("set", 2**63 - 1, 6),
               ("set", -2**63, 7), ("set", 2**64, 8), ("set", 1, 9), ("set", 1.0, 10),
               ("set", True, 11), ("set", StrKey("caf\xe9"), 12), ("set", (1, 2), 13),
               ("get", 2**64), ("get", 1.0), ("get", "caf\xe9"), ("size",)]
        log, d = self.script(*ops)
        self.assertEqual(log[-4:], [8, 11, 12, (8, 8)])
        self.assertEqual(d, {"caf\xe9": 12, "\u20acx": 4, "\U0001f40d": 5, 2**63 - 1: 6, -2**63: 7,
                             2**64: 8, 1: 11, (1, 2): 13})
        self.assertIs(type(list(d)[0]), str)
        self.assertIs(type(list(d)[6]), int)

    def test_many_keys(self):
        ops = [("set", "k%d" % (i % 300), i) for i in range(900)]
        ops += [("set", i, -i) for i in range(100)]
        ops += [("get", "k7"), ("get", 99), ("has", "k300"), ("size",)]
        log, d = self.script(*ops)
        self.assertEqual(log[-4:], [607, -99, 0, (400, 400)])
        expected = {"k%d" % i: 600 + i for i in range(300)}
        expected.update({i: -i for i in range(100)})
        self.assertEqual(d, expected)
        self.assertEqual(list(d), list(expected))

    def test_unhashable_key_and_delete(self):
        log, d = self.script(("set", "a", 1), ("set", [1], 2), ("del", "a"), ("del", "a"),
                             ("set", "b", 2), ("size",), ("next",))
        self.assertEqual(log, [None, "TypeError", None, "KeyError", None, (1, 1), [("b", 2)]])
        self.assertEqual(d, {"b": 2})

    def test_clear_and_keys(self):
        log, d = self.script(("set", "a", [1]), ("set", "b", 2), ("keys",), ("clear",), ("size",),
                             ("set", "c", 3), ("get", "a"), ("next",))
        self.assertEqual(log, [None, None, ["a", "b"], None, (0, 0), None, NULL, [("c", 3)]])
        self.assertEqual(d, {"c": 3})

    def test_views_copy_setdefault_delete(self):
        shared = []
        log, d = self.script(("set", "a", shared), ("set", 2, "b"), ("setdefault", "a", 0),
                             ("setdefault", "c", 3), ("values",), ("items",), ("copy",), ("del", 2),
                             ("del", 2), ("del", 2.0), ("setstr", "é", 4), ("keys",), ("size",))
        self.assertEqual(log, [None, None, [], 3, [[], "b", 3], [("a", []), (2, "b"), ("c", 3)],
                               {"a": [], 2: "b", "c": 3, "in-copy": None}, None, "KeyError", "KeyError",
                               None, ["a", "c", "é"], (3, 3)])
        self.assertIs(log[2], shared)
        self.assertIs(log[4][0], shared)
        self.assertIs(log[6]["a"], shared)
        self.assertEqual(d, {"a": [], "c": 3, "é": 4})
        # Many keys, deleted in C: past 64 the host's dict takes over.
        ops = [("set", i, i) for i in range(100)] + [("del", i) for i in range(0, 100, 3)]
        ops += [("size",), ("next",)]
        log, d = self.script(*ops)
        self.assertEqual(log[-2], (66, 66))
        self.assertEqual([k for k, v in log[-1]], [i for i in range(100) if i % 3])
        ops = [("set", i, i) for i in range(30)] + [("del", i) for i in range(0, 30, 3)]
        ops += [("get", 4), ("get", 3), ("has", 29), ("size",)]
        log, d = self.script(*ops)
        self.assertEqual(log[-4:], [4, NULL, 1, (20, 20)])
        self.assertEqual(list(d), [i for i in range(30) if i % 3])

    def test_crossing_halfway(self):
        seen = []

        def look(d):
            seen.append(dict(d))
            d["py"] = "added"
            return len(d)

        log, d = self.script(("set", "a", 1), ("set", 2, "b"), ("call", look), ("get", "py"),
                             ("set", "c", 3), ("size",), ("next",), ("get", "a"))
        self.assertEqual(seen, [{"a": 1, 2: "b"}])
        self.assertEqual(log, [None, None, 3, "added", None, (4, 4),
                               [("a", 1), (2, "b"), ("py", "added"), ("c", 3)], 1])
        self.assertEqual(d, {"a": 1, 2: "b", "py": "added", "c": 3})

    def test_next_goes_on_after_the_dict_crossed(self):
        calls = []
        log, d = self.script(("set", "a", 1), ("set", "b", 2), ("set", "c", 3), ("call", calls.append),
                             ("next",))
        self.assertEqual(log[-1], [("a", 1), ("b", 2), ("c", 3)])
        self.assertIs(calls[0], d)

    def test_borrowed_value_after_the_dict_crossed(self):
        seen = []
        d = ft.dict_borrowed_after_crossing(seen.append)
        self.assertEqual(d, {"list": [1]})
        self.assertIs(seen[0], d)
        self.assertEqual(ft.dict_borrowed_after_crossing(None), {"list": [1]})

    def test_shared_items_keep_their_identity(self):
        for holds_itself in (False, True):
            d, k, v = ft.dict_with_shared(holds_itself)
            self.assertIs(next(iter(d)), k)
            self.assertIs(d["shared"], v)
            v.append(1)
            self.assertEqual(d["shared"], [1])
            if holds_itself:
                self.assertIs(d["self"], d)
                self.assertEqual(len(d), 2)

    def test_argument_identity(self):
        # A dict or list crossing as an argument is one object in C however
        # it arrives in the call: twice as an argument, as an item of another
        # argument, as what a Python function C calls returns; and again
        # after C kept it.
        for make in (dict, list):
            x = make()
            self.assertTrue(ft.object_is(x, x))
            self.assertFalse(ft.object_is(x, make()))
            self.assertEqual(ft.dict_identity_paths(x, [x], lambda: x), (True, 1))
            self.assertEqual(ft.dict_identity_paths(x, {"k": x}, None), (True, -1))
            self.assertEqual(ft.dict_identity_paths(x, [make()], make), (False, 0))
            holder = [x]
            self.assertEqual(ft.dict_identity_paths(x, holder, lambda: holder[0]), (True, 1))
            ft.keep(x)
            self.assertTrue(ft.is_same(x, ft.kept()))
            self.assertEqual(ft.dict_identity_paths(x, [x], lambda: x), (True, 1))
            self.assertIs(ft.kept(True), x)
            self.assertEqual(ft.dict_identity_paths(x, [x], lambda: x), (True, 1))
        # many at once, past the few told apart without id()
        xs = [make() for make in (dict, list) * 10]
        self.assertTrue(ft.object_is(xs[-1], xs[-1]))
        self.assertEqual(ft.dict_identity_paths(xs[3], xs, None), (False, -1))
        self.assertEqual(ft.dict_identity_paths(xs[0], xs, None), (True, -1))

    def test_nested_result(self):
        d = ft.dict_decoded(50)
        self.assertEqual(d["version"], 1)
        self.assertEqual(len(d["items"]), 50)
        for i, item in enumerate(d["items"]):
            self.assertEqual(item, {"n": i * 1000003, "name": "item-%d" % i, "tags": ["a", "b\xe9"],
                                    "sub": {"x": 1.5 + i, "none": None}})
            self.assertEqual(list(item), ["n", "name", "tags", "sub"])
        d["items"][3]["tags"].append("c")
        self.assertEqual(d["items"][3]["tags"], ["a", "b\xe9", "c"])

    def test_many_results(self):
        # Items only the result holds cross without identity entries and die
        # with it: many results, each whole.
        for _ in range(200):
            d = ft.dict_decoded(20)
            self.assertEqual(d["items"][19]["name"], "item-19")
        gc.collect()


class TestKeyIterator(unittest.TestCase):
    """PyObject_GetIter of a dict and PyIter_Next on it (ujson walks dicts so)."""

    def test_walk(self):
        for d in ({}, {"a": 1}, {"x": 1.5, 2: "two", None: [3], (4,): 4}, {str(i): i for i in range(100)}):
            pairs, it = ft.dict_iter_each(d, lambda k: None, 1000)
            self.assertEqual(pairs, list(d.items()))
            self.assertIs(ft.dict_is_keyiterator(iter(d)), True)
            self.assertEqual(list(it), [])
        self.assertIs(ft.dict_is_keyiterator(iter([])), False)
        self.assertIs(ft.dict_is_keyiterator({}.values()), False)
        self.assertEqual(ft.iter_collect({"k": 1, "l": 2}), ["k", "l"])

    def test_keys_are_the_dicts(self):
        k = "".join(["ke", "y"])
        d = {k: 1}
        (pair,), _ = ft.dict_iter_each(d, lambda k: None, 10)
        self.assertIs(pair[0], k)

    def test_handed_to_python_halfway(self):
        d = {i: -i for i in range(6)}
        pairs, it = ft.dict_iter_each(d, lambda k: None, 2)
        self.assertEqual(pairs, [(0, 0), (1, -1)])
        self.assertEqual(type(it), type(iter({})))
        self.assertIs(iter(it), it)
        self.assertEqual(list(it), [2, 3, 4, 5])
        self.assertEqual(list(it), [])

    def test_python_changes_the_dict_while_c_walks_it(self):
        d = {"a": 1, "b": 2, "c": 3}
        with self.assertRaisesRegex(RuntimeError, "^dictionary changed size during iteration$"):
            ft.dict_iter_each(d, lambda k: d.setdefault("new", 0), 10)
        d = {"a": 1, "b": 2, "c": 3}
        with self.assertRaisesRegex(RuntimeError, "^dictionary changed size during iteration$"):
            ft.dict_iter_each(d, lambda k: d.pop("c"), 10)
        d = {"a": 1, "b": 2, "c": 3}
        def set_next(k):
            d["b"] = 20
            d["c"] = 30
        pairs, _ = ft.dict_iter_each(d, set_next, 10)
        self.assertEqual(pairs, [("a", 1), ("b", 20), ("c", 30)])
        d = {"a": 1}
        with self.assertRaisesRegex(RuntimeError, "changed size"):   # (seen after the last key too)
            ft.dict_iter_each(d, lambda k: d.clear(), 10)
        d = {"a": 1}
        pairs, _ = ft.dict_iter_each(d, lambda k: d.clear(), 1)
        self.assertEqual(pairs, [("a", 1)])

    def test_python_changes_the_keys_but_not_the_size(self):
        d = {"a": 1, "b": 2, "c": 3}
        def move_a(k):
            if k == "a":
                d["a"] = d.pop("a")   # (to the end)
        with self.assertRaisesRegex(RuntimeError, "^dictionary keys changed during iteration$"):
            ft.dict_iter_each(d, move_a, 10)
        # One key replaced by another: CPython gives the new key in its place
        # in the table; ferry walks the keys taken at the start and says so at
        # the end (docs/lifetime.md).
        d = {"a": 1, "b": 2, "c": 3}
        def replace_b(k):
            if k == "a":
                del d["b"]
                d["z"] = 26
        if ON_FERRY:
            with self.assertRaisesRegex(RuntimeError, "^dictionary keys changed during iteration$"):
                ft.dict_iter_each(d, replace_b, 10)
        else:
            pairs, _ = ft.dict_iter_each(d, replace_b, 10)
            self.assertEqual(pairs, [("a", 1), ("c", 3), ("z", 26)])

    def test_lookups_between_steps(self):
        # Lookups that run no Python code (str, int, float, bytes keys in an
        # exact dict) and one that does (a key's __eq__ that changes the dict).
        d = {"s": 1, 2: 2, 3.5: 3, b"b": 4}
        pairs, _ = ft.dict_iter_each(d, d.__contains__, 10)
        self.assertEqual(pairs, list(d.items()))
        self.assertEqual(ft.dict_getitem_each(d, tuple(d)), list(d.values()))
        class Grows:
            def __hash__(self):
                return 1
            def __eq__(self, other):
                d["grown"] = True
                return False
        d = {Grows(): "g", 1: "one", 2: "two"}
        with self.assertRaisesRegex(RuntimeError, "^dictionary changed size during iteration$"):
            ft.dict_iter_each(d, lambda k: None, 10)

    def test_values_of_keys_looked_up_at_their_step(self):
        # ujson's walk: each key looked up right after its step. Values of
        # every kind; C writing the dict between the step and the lookup; an
        # equal key made anew; a second walk of the same dict in between.
        obj = object()
        d = {"s": "str", 1: 2, 2.5: 3.5, None: True, "f": False, "n": None, "o": obj,
             "big": 1 << 70, "l": [1], ("t",): "tuple key", "u\u20ac": "\u20ac"}
        pairs = ft.dict_walk_lookups(d, 0, None)
        self.assertEqual(pairs, list(d.items()))
        self.assertIs(dict(pairs)["o"], obj)
        self.assertIs(dict(pairs)["l"], d["l"])
        for op in (2, 3):
            self.assertEqual(ft.dict_walk_lookups(d, op, None), list(d.items()))
        pairs = ft.dict_walk_lookups(d, 1, "new")
        self.assertEqual(pairs, [(k, "new") for k in d])
        self.assertEqual(set(d.values()), {"new"})
        big = {"k%d" % i: i for i in range(200)}
        self.assertEqual(ft.dict_walk_lookups(big, 0, None), list(big.items()))
        self.assertEqual(ft.dict_walk_lookups({}, 0, None), [])

    def test_finalizers_during_walks(self):
        # Python finalizers that write the dict may run while C walks it
        # (on PyPy whenever the host collects, which its scan may make it
        # do): each value C gets is the key's, before or after the write.
        d = {"k%d" % i: i for i in range(300)}
        class Changer:
            def __del__(self):
                d["k5"] = -5
        for _ in range(100):
            for _ in range(50):
                Changer()
            pairs = ft.dict_walk_lookups(d, 0, None)
            self.assertEqual(len(pairs), 300)
            for k, v in pairs:
                self.assertIn(v, (int(k[1:]), -int(k[1:])), k)
            d["k5"] = 5

    def test_another_thread_writes_during_walks(self):
        # Another thread writes the dict while C walks it (the host may
        # switch threads during C's calls into it): each value C gets is the
        # key's, before or after a write.
        d = {"k%d" % i: i for i in range(300)}
        done = threading.Event()
        def writer():
            while not done.is_set():
                d["k5"] = -5
                d["k5"] = 5
        t = threading.Thread(target=writer)
        t.start()
        try:
            for _ in range(100):
                pairs = ft.dict_walk_lookups(d, 0, None)
                self.assertEqual(len(pairs), 300)
                for k, v in pairs:
                    self.assertIn(v, (int(k[1:]), -int(k[1:])), k)
        finally:
            done.set()
            t.join()

    def test_changed_size_keeps_raising(self):
        d = {"a": 1, "b": 2}
        it = iter(d)
        self.assertEqual(next(it), "a")
        d["c"] = 3
        for _ in range(2):
            with self.assertRaisesRegex(RuntimeError, "changed size"):
                ft.iter_collect(it)


class Value:
    pass


class TestBorrowedLifetime(unittest.TestCase):

    def test_values_a_kept_dict_let_go_are_freed(self):
        # A borrowed reference is valid while the dict holds its object: a
        # dict C keeps and clears at every call (a scanner's memo) must not
        # keep what it held (ferry's dict proxies held every value they ever
        # handed out until the dict died). 200 rounds of 10 values.
        refs = []
        for _ in range(200):
            values = [Value() for _ in range(10)]
            refs.extend(weakref.ref(v) for v in values)
            self.assertIs(ft.dict_memo_round(tuple(("k%d" % i, v) for i, v in enumerate(values))), True)
            del values
        for _ in range(3):
            gc.collect()
        alive = sum(r() is not None for r in refs)
        self.assertLess(alive, 200)   # of 2000 (CPython: 0)


class TestPrivateDict(unittest.TestCase):

    def test_getitemwitherror_private(self):
        d = {"a": 1, 2: "two"}
        self.assertEqual(ft.dict_getitemwitherror_private(d, "a"), 1)
        self.assertEqual(ft.dict_getitemwitherror_private(d, 2), "two")
        self.assertIs(ft.dict_getitemwitherror_private(d, "b"), NULL)
        with self.assertRaisesRegex(TypeError, "^unhashable type: 'list'$"):
            ft.dict_getitemwitherror_private(d, [])
        with self.assertRaisesRegex(SystemError, "bad argument to internal function$"):
            ft.dict_getitemwitherror_private([], "a")

    def test_getitem_knownhash(self):
        d = {"a": 1, 2: "two", (1, "x"): None}
        self.assertEqual(ft.dict_getitem_knownhash(d, "a"), 1)
        self.assertEqual(ft.dict_getitem_knownhash(d, 2.0), "two")
        self.assertIs(ft.dict_getitem_knownhash(d, (1, "x")), None)
        self.assertIs(ft.dict_getitem_knownhash(d, "b"), NULL)
        with self.assertRaisesRegex(ZeroDivisionError, "eq failed"):
            ft.dict_getitem_knownhash({1: 1}, BadEq())
        with self.assertRaisesRegex(SystemError, "bad argument to internal function$"):
            ft.dict_getitem_knownhash([], "a")


class TestVersionTag(unittest.TestCase):
    """ma_version_tag, read from the struct as Cython's dict-version caches do."""

    def test_unique(self):
        dicts = [{}, {}, {"a": 1}, dict.fromkeys(range(10)), globals()]
        tags = ft.dict_versions(dicts)
        self.assertEqual(len(set(tags)), len(dicts))
        self.assertNotIn(0, tags)

    def test_python_write(self):
        d = {"a": 1}
        before, = ft.dict_versions([d])
        d["a"] = 2
        after, = ft.dict_versions([d])
        self.assertNotEqual(before, after)

    def test_api_writes(self):
        d = {"x": 0}
        rows = ft.dict_version_writes(d)
        self.assertEqual([name for name, _ in rows],
                         ["SetItem", "SetItemString", "DelItem", "DelItemString", "SetDefault",
                          "Update", "Merge", "MergeFromSeq2", "ObjectSetItem", "ObjectDelItem",
                          "Clear"])
        self.assertEqual([name for name, changed in rows if not changed], [])
        self.assertEqual(d, {})

    def test_cached_global(self):
        ft.cached_global_x = 1
        self.assertEqual(ft.dict_cached_global("cached_global_x"), 1)
        self.assertEqual(ft.dict_cached_global("cached_global_x"), 1)
        # Written by Python code between two calls.
        ft.cached_global_x = 2
        self.assertEqual(ft.dict_cached_global("cached_global_x"), 2)
        vars(ft)["cached_global_x"] = 3
        self.assertEqual(ft.dict_cached_global("cached_global_x"), 3)
        del ft.cached_global_x
        self.assertIs(ft.dict_cached_global("cached_global_x"), ft.NULL)
        ft.cached_global_x = 4
        self.assertEqual(ft.dict_cached_global("cached_global_x"), 4)
        del ft.cached_global_x

    def test_cache_hit(self):
        # Nothing written between two lookups of one call: the cache answers.
        ft.cached_global_y = "y"
        self.assertEqual(ft.dict_cached_global_twice("cached_global_y"), ("y", "y", 1))
        del ft.cached_global_y

    def test_cached_global_written_by_callback(self):
        ft.cached_global_z = 1

        def change():
            ft.cached_global_z = 2
        self.assertEqual(ft.dict_cached_global_around("cached_global_z", change), (1, 2))

        def change_dict():
            vars(ft)["cached_global_z"] = 3
        self.assertEqual(ft.dict_cached_global_around("cached_global_z", change_dict), (2, 3))
        self.assertEqual(ft.dict_cached_global_around("cached_global_z", lambda: None), (3, 3))
        del ft.cached_global_z

    def test_cached_global_written_in_c(self):
        ft.cached_global_w = 1
        self.assertEqual(ft.dict_cached_global_set_in_c("cached_global_w", 2, False), (1, 2))
        self.assertEqual(ft.dict_cached_global_set_in_c("cached_global_w", 3, True), (2, 3))
        self.assertEqual(ft.cached_global_w, 3)
        del ft.cached_global_w


if __name__ == "__main__":
    unittest.main()
