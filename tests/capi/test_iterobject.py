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


if __name__ == "__main__":
    unittest.main()
