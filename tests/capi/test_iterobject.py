"""Iterators (Objects/iterobject.c): PySeqIter_New.

C side: tests/capi/ext/iterobject.c.
"""
import pickle
import sys
import types
import unittest

import _ferrytest as ft


class Seq:
    """__getitem__ only, ending with IndexError."""

    def __init__(self, n):
        self.n = n
        self.asked = []

    def __getitem__(self, i):
        self.asked.append(i)
        if i >= self.n:
            raise IndexError(i)
        return i * 10


class StopSeq:
    def __getitem__(self, i):
        if i == 2:
            raise StopIteration
        return i


class FailingSeq:
    def __getitem__(self, i):
        if i == 1:
            raise ValueError("boom")
        return i


class ListWithIter(list):
    def __iter__(self):
        return iter(["not", "used"])


class Grows(list):
    pass


class TestSeqIter(unittest.TestCase):

    def test_type(self):
        it = ft.seqiter_new([1])
        t = type(it)
        self.assertEqual(t.__name__, "iterator")
        self.assertEqual(t.__module__, "builtins")
        self.assertIs(iter(it), it)
        with self.assertRaisesRegex(TypeError, "^cannot create 'iterator' instances$"):
            t([1])

    def test_sequences(self):
        self.assertEqual(list(ft.seqiter_new([1, 2, 3])), [1, 2, 3])
        self.assertEqual(list(ft.seqiter_new((1, "a"))), [1, "a"])
        self.assertEqual(list(ft.seqiter_new("ab\xe9")), ["a", "b", "\xe9"])
        self.assertEqual(list(ft.seqiter_new(b"ab")), [97, 98])
        self.assertEqual(list(ft.seqiter_new(range(3))), [0, 1, 2])
        self.assertEqual(list(ft.seqiter_new([])), [])

    def test_getitem_until_indexerror(self):
        s = Seq(3)
        self.assertEqual(list(ft.seqiter_new(s)), [0, 10, 20])
        self.assertEqual(s.asked, [0, 1, 2, 3])

    def test_stopiteration_ends(self):
        self.assertEqual(list(ft.seqiter_new(StopSeq())), [0, 1])

    def test_ignores_iter(self):
        self.assertEqual(list(ft.seqiter_new(ListWithIter([1, 2]))), [1, 2])

    def test_from_c(self):
        self.assertEqual(ft.seqiter_collect([4, 5]), [4, 5])
        self.assertEqual(ft.seqiter_collect(Seq(2)), [0, 10])
        with self.assertRaisesRegex(ValueError, "boom"):
            ft.seqiter_collect(FailingSeq())

    def test_error_propagates_and_iteration_goes_on(self):
        it = ft.seqiter_new(FailingSeq())
        self.assertEqual(next(it), 0)
        with self.assertRaisesRegex(ValueError, "boom"):
            next(it)
        with self.assertRaisesRegex(ValueError, "boom"):   # same index again
            next(it)

    def test_exhausted_stays_exhausted(self):
        seq = Grows([1])
        it = ft.seqiter_new(seq)
        self.assertEqual(list(it), [1])
        seq.append(2)
        self.assertEqual(list(it), [])
        with self.assertRaises(StopIteration):
            next(it)

    def test_sees_changes_before_the_end(self):
        seq = [1, 2]
        it = ft.seqiter_new(seq)
        self.assertEqual(next(it), 1)
        seq.append(3)
        self.assertEqual(list(it), [2, 3])

    def test_not_a_sequence(self):
        # PySequence_Check must hold (dicts are not sequences).
        for o in (5, {0: "a"}, {1}, None, object(), types.MappingProxyType({})):
            with self.subTest(o=o):
                with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
                    ft.seqiter_new(o)
                with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
                    ft.seqiter_collect(o)

    def test_sequence_that_fails_later(self):
        class Gone:
            def __getitem__(self, i):
                return i
        it = ft.seqiter_new(Gone())
        self.assertEqual(next(it), 0)
        del Gone.__getitem__
        with self.assertRaises(TypeError):
            next(it)

    def test_length_hint(self):
        it = ft.seqiter_new([1, 2, 3])
        self.assertEqual(it.__length_hint__(), 3)
        next(it)
        self.assertEqual(it.__length_hint__(), 2)
        list(it)
        self.assertEqual(it.__length_hint__(), 0)
        self.assertIs(ft.seqiter_new(Seq(3)).__length_hint__(), NotImplemented)

    def test_reduce(self):
        seq = [1, 2, 3]
        it = ft.seqiter_new(seq)
        next(it)
        f, args, state = it.__reduce__()
        self.assertIs(f, iter)
        self.assertEqual(len(args), 1)
        self.assertIs(args[0], seq)
        self.assertEqual(state, 1)
        list(it)
        self.assertEqual(it.__reduce__(), (iter, ((),)))

    def test_pickle(self):
        it = ft.seqiter_new([1, 2, 3])
        next(it)
        self.assertEqual(list(pickle.loads(pickle.dumps(it))), [2, 3])

    def test_setstate(self):
        it = ft.seqiter_new([1, 2, 3])
        it.__setstate__(2)
        self.assertEqual(list(it), [3])
        it = ft.seqiter_new([1, 2, 3])
        it.__setstate__(-5)
        self.assertEqual(list(it), [1, 2, 3])


class TestListAndTupleIterators(unittest.TestCase):
    """PyObject_GetIter on lists and tuples: list_iterator and tuple_iterator."""

    def test_walk_in_c(self):
        self.assertEqual(ft.seqiter_walk([1, 2, 3], 10, 0)[:4], (1, 0, 1, [1, 2, 3]))
        self.assertEqual(ft.seqiter_walk((1, "a", None), 10, 0)[:4], (0, 1, 1, [1, "a", None]))
        self.assertEqual(ft.seqiter_walk([], 10, 0)[:4], (1, 0, 1, []))
        self.assertEqual(ft.seqiter_walk((), 10, 0)[:4], (0, 1, 1, []))

    def test_sees_items_appended_while_walking(self):
        self.assertEqual(ft.seqiter_walk([1, 2], 10, 1)[3], [1, 2, -1, -2, -(-1), -(-2)])

    def test_handed_to_python_halfway(self):
        for seq in ([1, 2, 3, 4], (1, 2, 3, 4)):
            *_, taken, it = ft.seqiter_walk(seq, 2, 0)
            self.assertEqual(taken, [1, 2])
            self.assertIs(iter(it), it)
            self.assertEqual(list(it), [3, 4])
            self.assertEqual(list(it), [])

    def test_handed_to_python_exhausted_or_untouched(self):
        *_, taken, it = ft.seqiter_walk([1, 2], 5, 0)
        self.assertEqual((taken, list(it)), ([1, 2], []))
        *_, taken, it = ft.seqiter_walk((5, 6), 0, 0)
        self.assertEqual((taken, next(it), list(it)), ([], 5, [6]))

    def test_iterator_made_by_python(self):
        # (ferry: PyPy iterates lists, tuples and strs with one type, which C
        # does not take for list_iterator, whose struct it may read.)
        self.assertIs(ft.seqiter_is_list_iterator(iter("ab")), False)
        self.assertIs(ft.seqiter_is_list_iterator(iter((1,))), False)
        self.assertEqual(ft.seqiter_walk(iter([1, 2]), 5, 0)[2:4], (1, [1, 2]))

    def test_list_from_python(self):
        for seq in ([1, "b", None], [], (4, 5), "xy", list(range(40))):
            self.assertEqual(ft.iter_collect(seq), list(seq))

    # (ferry: C reads the items the list had when it crossed; these check
    # that it sees what Python code it calls does to the list meanwhile.)
    def test_python_changes_the_list_while_c_walks_it(self):
        for n in (3, 30):   # (30: the list crosses packed)
            seq = list(range(n))
            items, _ = ft.iter_call_each(seq, lambda x: seq.append(-x) if len(seq) < n + 3 else None, 99)
            self.assertEqual(items, list(range(n)) + [0, -1, -2])

            seq = list(range(n))
            seen = []
            def replace_next(x):
                seen.append(x)
                if len(seen) < len(seq):
                    seq[len(seen)] = str(len(seen))
            items, _ = ft.iter_call_each(seq, replace_next, 99)
            self.assertEqual(items, [0] + [str(i) for i in range(1, n)])

            seq = list(range(n))
            items, _ = ft.iter_call_each(seq, lambda x: seq.pop(), 99)
            self.assertEqual(items, list(range((n + 1) // 2)))

            seq = list(range(n))
            items, _ = ft.iter_call_each(seq, lambda x: seq.clear(), 99)
            self.assertEqual(items, [0])

            seq = list(range(n))
            items, _ = ft.iter_call_each(seq, lambda x: seq.insert(0, "new"), 4)
            self.assertEqual(items, [0, 0, 0, 0])

            seq = list(range(n))
            items, _ = ft.iter_call_each(seq, lambda x: None, 99)
            self.assertEqual(items, seq)

    def test_list_from_python_handed_back_halfway(self):
        seq = [1, 2, 3, 4]
        items, it = ft.iter_call_each(seq, lambda x: None, 2)
        self.assertEqual(items, [1, 2])
        seq.append(5)
        self.assertIs(iter(it), it)
        self.assertEqual(list(it), [3, 4, 5])
        self.assertEqual(list(it), [])
        self.assertEqual(seq, [1, 2, 3, 4, 5])


if __name__ == "__main__":
    unittest.main()
