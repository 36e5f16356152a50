"""list objects: PyList_* (Objects/listobject.c) and its macros.

C side: tests/capi/ext/list.c.
"""
import sys
import unittest

import _ferrytest as ft

BADCALL = "bad argument to internal function"
ITEMS = (1, "two", None, 2**100, (3,), [4])


class MyList(list):
    pass


class TestList(unittest.TestCase):

    def test_new_set_item_macro(self):
        lst = ft.list_new_fill(ITEMS)
        self.assertEqual(lst, list(ITEMS))
        self.assertIs(type(lst), list)
        self.assertIs(lst[5], ITEMS[5])
        self.assertEqual(ft.list_new_fill(()), [])
        # The new list is an ordinary list: it can grow.
        lst.append("more")
        self.assertEqual(len(lst), 7)

    def test_new(self):
        self.assertEqual(ft.list_new(0), [])
        self.assertEqual(ft.list_new(2), [None, None])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_new(-1)
        with self.assertRaises(MemoryError):
            ft.list_new(sys.maxsize)

    def test_append(self):
        lst = []
        for i in range(100):
            self.assertEqual(ft.list_append(lst, i), 0)
        self.assertEqual(lst, list(range(100)))
        ml = MyList()
        self.assertEqual(ft.list_append(ml, "x"), 0)
        self.assertEqual(ml, ["x"])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_append((), 1)

    def test_insert(self):
        lst = [1, 2]
        self.assertEqual(ft.list_insert(lst, 0, "a"), 0)
        self.assertEqual(ft.list_insert(lst, 100, "z"), 0)
        self.assertEqual(ft.list_insert(lst, -1, "m"), 0)
        self.assertEqual(lst, ["a", 1, 2, "m", "z"])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_insert((), 0, 1)

    def test_size(self):
        self.assertEqual(ft.list_size([]), 0)
        self.assertEqual(ft.list_size(list(range(7))), 7)
        self.assertEqual(ft.list_size(MyList([1])), 1)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_size((1,))

    def test_getitem(self):
        lst = list(ITEMS)
        for i, item in enumerate(ITEMS):
            self.assertIs(ft.list_getitem(lst, i), item)
        with self.assertRaisesRegex(IndexError, "list index out of range"):
            ft.list_getitem(lst, len(lst))
        with self.assertRaisesRegex(IndexError, "list index out of range"):
            ft.list_getitem(lst, -1)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_getitem((1,), 0)

    def test_setitem(self):
        lst = [1, 2, 3]
        self.assertEqual(ft.list_setitem(lst, 1, "b"), 0)
        self.assertEqual(lst, [1, "b", 3])
        with self.assertRaisesRegex(IndexError,
                                    "list assignment index out of range"):
            ft.list_setitem(lst, 3, 0)
        with self.assertRaisesRegex(IndexError,
                                    "list assignment index out of range"):
            ft.list_setitem(lst, -1, 0)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_setitem((1,), 0, 0)

    def test_macros(self):
        lst = ["a", "b", "c"]
        self.assertEqual(ft.list_macros(lst, 1, "B"), (3, "b"))
        self.assertEqual(lst, ["a", "B", "c"])
        ml = MyList([1])
        self.assertEqual(ft.list_macros(ml, 0, 2), (1, 1))
        self.assertEqual(ml, [2])

    def test_getslice(self):
        lst = list(range(10))
        self.assertEqual(ft.list_getslice(lst, 2, 5), [2, 3, 4])
        self.assertEqual(ft.list_getslice(lst, 5, 2), [])
        self.assertEqual(ft.list_getslice(lst, 0, 100), lst)
        self.assertEqual(ft.list_getslice(lst, -5, 2), [0, 1])
        copy = ft.list_getslice(lst, 0, 10)
        self.assertIsNot(copy, lst)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_getslice((), 0, 1)

    def test_setslice(self):
        lst = list(range(5))
        self.assertEqual(ft.list_setslice(lst, 1, 3, ["a", "b", "c"]), 0)
        self.assertEqual(lst, [0, "a", "b", "c", 3, 4])
        self.assertEqual(ft.list_setslice(lst, 0, 2, None), 0)   # delete
        self.assertEqual(lst, ["b", "c", 3, 4])
        self.assertEqual(ft.list_setslice(lst, 100, 100, (9,)), 0)
        self.assertEqual(lst, ["b", "c", 3, 4, 9])
        self.assertEqual(ft.list_setslice(lst, 0, 100, "xy"), 0)
        self.assertEqual(lst, ["x", "y"])
        self.assertEqual(ft.list_setslice(lst, 0, 0, lst), 0)   # self-insertion
        self.assertEqual(lst, ["x", "y", "x", "y"])
        with self.assertRaisesRegex(TypeError, "can only assign an iterable"):
            ft.list_setslice(lst, 0, 1, 5)
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_setslice((), 0, 1, None)

    def test_setslice_fresh_list(self):
        # A list made in C, never seen by Python before the slices are set.
        items = (0, 1, 2, 3, 4)
        cases = [
            [(1, 3, ["a", "b", "c"])],
            [(0, 2, None)],
            [(1, 4, ())],
            [(100, 100, (9,))],
            [(-5, 2, "xy")],
            [(3, 1, ["z"])],
            [(0, 0, "self")],
            [(1, 2, "self")],
            [(0, 100, None), (0, 0, [7, 8]), (1, 1, range(3))],
        ]
        for ops in cases:
            expected = list(items)
            for lo, hi, v in ops:
                n = len(expected)
                lo = min(max(lo, 0), n)
                hi = min(max(hi, lo), n)
                if v is None:
                    del expected[lo:hi]
                else:
                    expected[lo:hi] = list(expected) if v == "self" else v
            self.assertEqual(ft.list_setslice_fresh(items, ops), expected, ops)
        with self.assertRaisesRegex(TypeError, "can only assign an iterable"):
            ft.list_setslice_fresh(items, [(0, 1, 5)])

    def test_sort(self):
        lst = [3, 1, 2]
        self.assertEqual(ft.list_sort(lst), 0)
        self.assertEqual(lst, [1, 2, 3])
        lst = ["\U0001f40d", "b", "\xe9", "a"]
        self.assertEqual(ft.list_sort(lst), 0)
        self.assertEqual(lst, sorted(lst))
        with self.assertRaisesRegex(
                TypeError, "'<' not supported between instances of 'str' and 'int'"):
            ft.list_sort([1, "a"])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_sort((2, 1))

    def test_reverse(self):
        lst = [1, 2, 3]
        self.assertEqual(ft.list_reverse(lst), 0)
        self.assertEqual(lst, [3, 2, 1])
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_reverse((1,))

    def test_astuple(self):
        self.assertEqual(ft.list_astuple([1, "a"]), (1, "a"))
        self.assertEqual(ft.list_astuple([]), ())
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.list_astuple((1,))

    def test_long_lists_of_numbers(self):
        # (ferry reads lists of 16 items or more that start with a number in
        # one host call: every kind of item must come through as it is.)
        marker = object()
        items = [0, 1, -5, 256, 257, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 2**100,
                 0.5, -0.0, float("inf"), float("nan"), None, True, False, "s",
                 marker, (1, 2), [3], 7.25, 10**18, -1]
        for l in (items, [float(i) for i in range(40)], list(range(-20, 20)),
                  [1.5] + ["x"] * 20):
            t = ft.list_astuple(l)
            self.assertEqual(len(t), len(l))
            for a, b in zip(t, l):
                self.assertIs(type(a), type(b))
                if isinstance(b, float):
                    self.assertEqual(repr(a), repr(b))
                elif isinstance(b, int):
                    self.assertEqual(a, b)
                else:
                    self.assertIs(a, b)

    def test_deeply_nested(self):
        # CPython hands C the list as it is. ferry builds each nested list's C
        # side as it crosses, and stops with RecursionError before the host's
        # C stack runs out (the process must survive, and work on).
        deep = []
        for _ in range(100000):
            deep = [deep]
        try:
            t = ft.list_astuple(deep)
        except RecursionError:
            pass
        else:
            self.assertIs(t[0], deep[0])
        self.assertEqual(ft.list_astuple([[1], [2]]), ([1], [2]))



class TestCythonStack(unittest.TestCase):
    """A list C keeps and changes as Cython does (appends through the API,
    pops shrinking ob_size in place, or calling list.pop when the list is at
    most half full): what C pops, and what Python sees after."""

    def test_pops(self):
        for ops, popped, left in (("pppopooo", [102, 103, 101, 100], []),
                                  ("ppoppoo", [101, 103, 102], [100]),
                                  ("pppppoooooppoo", [104, 103, 102, 101, 100, 106, 105], []),
                                  ("popopo", [100, 101, 102], [])):
            lst = []
            self.assertEqual(ft.list_cython_stack(lst, ops), popped)
            self.assertEqual(lst, left)

    def test_list_from_python(self):
        lst = [1, 2, 3]
        self.assertEqual(ft.list_cython_stack(lst, "opo"), [3, 100])
        self.assertEqual(lst, [1, 2])
        self.assertEqual(ft.list_cython_stack(lst, "pop"), [100])
        self.assertEqual(lst, [1, 2, 101])


class Thing:
    pass


class TestIdentity(unittest.TestCase):
    """The objects a list holds keep their identity in C, short lists (read
    item by item) and long ones (read in one host call, ids included)."""

    def test_same_object_twice(self):
        for n in (3, 40):
            for obj, twin in (({"k": 1}, {"k": 1}), ([1, 2], [1, 2]), ((1, "x"), (1, "x".upper())),
                              (Thing(), Thing()), ("".join(["str", "ing"]), None),
                              (bytes(range(10)), bytes(range(10)))):
                lst = [obj] + [i for i in range(n - 2)] + [obj]
                self.assertEqual(ft.list_identities(lst, 0, n - 1, obj), (True, True))
                if twin is not None:   # (equal strs may or may not be one object)
                    lst = [obj] + ["pad%d" % i for i in range(n - 2)] + [twin]
                    self.assertEqual(ft.list_identities(lst, 0, n - 1, obj), (False, True))


class TestNodeStack(unittest.TestCase):
    """lxml's parser node stack: a list made and kept in C, pushed to and
    popped as Cython does (in place while there is room, else PyList_Append
    and the cached unbound list.pop called with the list, through tp_call or
    vectorcall), which Python reads too: what C pops and sees, and what
    Python sees, after each step."""

    SEQUENCES = (
        "pppopoopoo",   # iterparse's end events on <a><b><c/><d/></b><e/></a>
        "pppppoooooppoo",
        "popopo",
        "ppppppppoppoooooooo",
        "ppppppppppppppppppoooooooooooooooooo",
        "ppppppoppppoppoppppooooooooooooo",
    )

    def expected(self, ops, first=100):
        model, out, nxt = [], [], first
        for op in ops:
            if op == "p":
                model.append(nxt)
                nxt += 1
            elif op == "o":
                out.append(model.pop())
            else:
                out.append(tuple(model))
        return out, model

    def test_one_call(self):
        for how in ("tp_call", "vectorcall"):
            for ops in self.SEQUENCES:
                with self.subTest(how=how, ops=ops):
                    ft.list_node_stack_reset()
                    popped, left = self.expected(ops)
                    self.assertEqual(ft.list_node_stack_ops(ops, how, 100), popped)
                    self.assertEqual(ft.list_node_stack(), left)

    def test_step_by_step(self):
        # Python reads the list after each step (held: the same list
        # object all along; or fetched anew each time), or only at the end.
        for how in ("tp_call", "vectorcall"):
            for reads in ("held", "fetched", "end"):
                for ops in self.SEQUENCES:
                    with self.subTest(how=how, reads=reads, ops=ops):
                        ft.list_node_stack_reset()
                        held = ft.list_node_stack() if reads == "held" else None
                        done, nxt = "", 100
                        for op in ops:
                            got = ft.list_node_stack_ops(op + "s", how, nxt)
                            before = self.expected(done)[1]
                            done += op
                            model = self.expected(done)[1]
                            if op == "p":
                                nxt += 1
                                self.assertEqual(got, [tuple(model)])
                            else:
                                self.assertEqual(got, [before[-1], tuple(model)])
                            if reads == "held":
                                self.assertEqual(held, model)
                                self.assertIs(ft.list_node_stack(), held)
                            elif reads == "fetched":
                                self.assertEqual(ft.list_node_stack(), model)
                        self.assertEqual(ft.list_node_stack(), self.expected(ops)[1])


class TestSliceThroughSlot(unittest.TestCase):
    """A slice set or deleted through the type's mp_ass_subscript (Cython's
    `del lst[:]`): C's view through the macros follows."""

    def test_delete_all(self):
        l = [1, "a", None]
        self.assertEqual(ft.list_ass_slice_via_slot(l, None, None, None), (0, ()))
        self.assertEqual(l, [])

    def test_delete_part_and_assign(self):
        l = list(range(6))
        self.assertEqual(ft.list_ass_slice_via_slot(l, 1, 4, None), (3, (0, 4, 5)))
        self.assertEqual(ft.list_ass_slice_via_slot(l, 0, 1, ["x", "y"]), (4, ("x", "y", 4, 5)))
        self.assertEqual(l, ["x", "y", 4, 5])


if __name__ == "__main__":
    unittest.main()


class TestListExtendPrivate(unittest.TestCase):
    """_PyList_Extend (list.extend for C callers)."""

    def test_extend(self):
        l = [1]
        self.assertIsNone(ft.list_extend_private(l, [2, 3]))
        self.assertEqual(l, [1, 2, 3])
        ft.list_extend_private(l, (4,))
        ft.list_extend_private(l, iter([5, 6]))
        ft.list_extend_private(l, 'ab')
        ft.list_extend_private(l, {7: 0})
        self.assertEqual(l, [1, 2, 3, 4, 5, 6, 'a', 'b', 7])

    def test_extend_with_itself(self):
        l = [1, 2]
        ft.list_extend_private(l, l)
        self.assertEqual(l, [1, 2, 1, 2])

    def test_made_in_c_deeply_nested(self):
        # A list C made 200 deep crosses (the sanitizer build's frames reach
        # the stack limit before 600 levels); one far deeper: CPython's
        # crosses, ferry's brings it over by recursion and stops with
        # RecursionError before the host's stack limit, and frees it without
        # a deep recursion (the trashcan).
        l = ft.list_nested(200)
        for _ in range(200):
            self.assertEqual(len(l), 1)
            l = l[0]
        self.assertEqual(l, [])
        for depth in (100000, 1000000):
            if sys.implementation.name == "pypy":
                with self.assertRaisesRegex(RecursionError, "bringing a nested object to the host"):
                    ft.list_nested(depth)
            else:
                self.assertEqual(len(ft.list_nested(depth)), 1)

    def test_made_in_c_holding_itself(self):
        # A list C made that holds itself crosses once, short and long.
        for n in (0, 3, 20):
            l = ft.list_self(n)
            self.assertEqual(len(l), n + 1)
            self.assertIs(l[-1], l)
            self.assertEqual(l[:n], list(range(n)))
            self.assertTrue(repr(l).endswith("[...]]"))

    def test_extend_new_list(self):
        self.assertEqual(ft.list_extend_new(range(3)), (None, ['first', 0, 1, 2]))
        self.assertEqual(ft.list_extend_new([]), (None, ['first']))

    def test_generator_sees_growth(self):
        l = [0]

        def gen():
            yield len(l)
            yield len(l)

        ft.list_extend_private(l, gen())
        self.assertEqual(l, [0, 1, 2])

    def test_errors(self):
        l = [1]
        with self.assertRaisesRegex(TypeError, "'int' object is not iterable"):
            ft.list_extend_private(l, 5)

        def failing():
            yield 'kept'
            raise ValueError('boom')

        with self.assertRaisesRegex(ValueError, 'boom'):
            ft.list_extend_private(l, failing())
        self.assertEqual(l, [1, 'kept'])

        class BadLen:
            def __iter__(self):
                return iter([1])

            def __len__(self):
                raise RuntimeError('len failed')

        with self.assertRaisesRegex(RuntimeError, 'len failed'):
            ft.list_extend_private(l, BadLen())
        self.assertEqual(l, [1, 'kept'])

    def test_subclass_target(self):
        class L(list):
            def extend(self, other):
                raise AssertionError('not called')

        l = L([1])
        ft.list_extend_private(l, [2])
        self.assertEqual(list(l), [1, 2])
