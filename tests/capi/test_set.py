"""set and frozenset objects: PySet_* / PyFrozenSet_* (Objects/setobject.c).

C side: tests/capi/ext/set.c.
"""
import unittest

import _ferrytest as ft

BADCALL = "bad argument to internal function"


class TestSet(unittest.TestCase):

    def test_new(self):
        self.assertEqual(ft.set_new(None), set())
        self.assertIs(type(ft.set_new(None)), set)
        self.assertEqual(ft.set_new([1, 2, 2]), {1, 2})
        self.assertEqual(ft.set_new("ab\U0001f40d"), {"a", "b", "\U0001f40d"})
        self.assertEqual(ft.set_new(x for x in range(3)), {0, 1, 2})
        with self.assertRaisesRegex(TypeError, "'int' object is not iterable"):
            ft.set_new(1)
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.set_new([[]])

    def test_frozenset_new(self):
        f = ft.frozenset_new([1, 2])
        self.assertEqual(f, frozenset({1, 2}))
        self.assertIs(type(f), frozenset)
        self.assertEqual(ft.frozenset_new(None), frozenset())

    def test_size(self):
        self.assertEqual(ft.set_size(set()), 0)
        self.assertEqual(ft.set_size({1, 2, 3}), 3)
        self.assertEqual(ft.set_size(frozenset("ab")), 2)
        self.assertEqual(ft.set_get_size_macro({1}), 1)
        self.assertEqual(ft.set_get_size_macro(frozenset()), 0)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_size([1])

    def test_contains(self):
        s = {1, "a", (2, 3)}
        self.assertEqual(ft.set_contains(s, 1), 1)
        self.assertEqual(ft.set_contains(s, (2, 3)), 1)
        self.assertEqual(ft.set_contains(s, 2), 0)
        self.assertEqual(ft.set_contains(frozenset([1]), 1), 1)
        with self.assertRaisesRegex(TypeError, "unhashable type: 'list'"):
            ft.set_contains(s, [])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_contains([1], 1)

    def test_add(self):
        s = set()
        self.assertEqual(ft.set_add(s, 1), 0)
        self.assertEqual(ft.set_add(s, 1), 0)
        self.assertEqual(ft.set_add(s, "\xe9"), 0)
        self.assertEqual(s, {1, "\xe9"})
        with self.assertRaisesRegex(TypeError, "unhashable type: 'dict'"):
            ft.set_add(s, {})
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_add([], 1)

    def test_discard(self):
        s = {1, 2}
        self.assertEqual(ft.set_discard(s, 1), 1)
        self.assertEqual(ft.set_discard(s, 1), 0)
        self.assertEqual(s, {2})
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_discard(frozenset([2]), 2)

    def test_pop(self):
        s = {"only"}
        self.assertEqual(ft.set_pop(s), "only")
        self.assertEqual(s, set())
        with self.assertRaisesRegex(KeyError, "pop from an empty set"):
            ft.set_pop(s)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_pop(frozenset([1]))

    def test_clear(self):
        s = {1, 2}
        self.assertEqual(ft.set_clear(s), 0)
        self.assertEqual(s, set())
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.set_clear([1])



class Keyed:
    """A key whose hash and equality are its own (not the host's ints')."""

    def __init__(self, k):
        self.k = k

    def __hash__(self):
        return hash(("Keyed", self.k))

    def __eq__(self, other):
        return isinstance(other, Keyed) and other.k == self.k

    def __repr__(self):
        return "Keyed(%r)" % (self.k,)


class TestNextEntry(unittest.TestCase):
    """_PySet_NextEntry: every key once, in the set's order, borrowed, with
    the key's hash (Cython's `for x in a_set`)."""

    def check_walk(self, s):
        walked = ft.set_nextentry_all(s)
        self.assertEqual([k for k, _ in walked], list(set.__iter__(s) if isinstance(s, set)
                                                      else frozenset.__iter__(s)))
        for k, h in walked:
            self.assertEqual(h, hash(k))
        return walked

    def test_keys_and_hashes(self):
        self.assertEqual(self.check_walk(set()), [])
        self.check_walk({1, 2, 3})
        self.check_walk({-1, 2 ** 70, 0.5, None, True, "a", "\U0001f40d", (1, "x"), b"b"})
        self.check_walk(frozenset(range(100)))
        self.check_walk({Keyed(i) for i in range(20)})
        self.check_walk(set(str(i) for i in range(500)))

    def test_identity(self):
        objs = [Keyed(i) for i in range(5)] + [(i, "t") for i in range(5)]
        walked = ft.set_nextentry_all(set(objs))
        by_id = {id(o) for o in objs}
        self.assertTrue(all(id(k) in by_id for k, _ in walked))

    def test_subclass_walks_its_own_keys(self):
        class S(set):
            def __iter__(self):
                return iter(["not", "these"])
        s = S({1, 2})
        self.assertEqual(sorted(k for k, _ in ft.set_nextentry_all(s)), [1, 2])

        class F(frozenset):
            pass
        self.assertEqual(sorted(k for k, _ in ft.set_nextentry_all(F("ab"))), ["a", "b"])

    def test_nested(self):
        s = {1, "a", (2,)}
        order = list(s)
        self.assertEqual(ft.set_nextentry_nested(s), [(a, b) for a in order for b in order])

    def test_restart_sees_changes(self):
        s = {1, 2, 3}
        first, second = ft.set_nextentry_restart(s, 2)
        self.assertEqual(first, list(s)[:2])
        self.assertEqual(second, list(s))
        s.add(4)
        s.discard(1)
        self.assertEqual(ft.set_nextentry_restart(s, 0), ([], list(s)))

    def test_not_a_set(self):
        for o in ([1], {1: 2}, "ab", None):
            with self.assertRaisesRegex(SystemError, BADCALL):
                ft.set_nextentry_all(o)


if __name__ == "__main__":
    unittest.main()
