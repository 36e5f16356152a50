"""struct sequences: PyStructSequence_* (Objects/structseq.c).

C side: tests/capi/ext/structseq.c. SeqPoint has fields x, y, an unnamed one
(visible), then label and weight (hidden); SeqPair (a NewType heap type) has
two visible fields.
"""
import copy
import pickle
import unittest

import _ferrytest as ft

BADCALL = "bad argument to internal function"


class TestStructSeq(unittest.TestCase):

    def test_made_in_c(self):
        p = ft.structseq_new_point(1, "two", 3, "lab", 4.5)
        self.assertIsInstance(p, tuple)
        self.assertIs(type(p), ft.SeqPoint)
        self.assertEqual(len(p), 3)
        self.assertEqual(tuple(p), (1, "two", 3))
        self.assertEqual(p[1], "two")
        self.assertEqual(p[-1], 3)
        self.assertEqual(p[:2], (1, "two"))
        self.assertEqual((p.x, p.y, p.label, p.weight), (1, "two", "lab", 4.5))
        self.assertEqual(p, (1, "two", 3))
        self.assertEqual(hash(p), hash((1, "two", 3)))
        x, y, z = p
        self.assertEqual(z, 3)

    def test_repr(self):
        p = ft.structseq_new_point(1, "two", [3], None, None)
        # The unnamed visible field takes the next member's name, as in CPython.
        self.assertEqual(repr(p), "_ferrytest.SeqPoint(x=1, y='two', label=[3])")
        self.assertEqual(repr(ft.structseq_new_pair(1, (2,))), "_ferrytest.SeqPair(first=1, second=(2,))")
        self.assertEqual(repr(ft.structseq_make_one("v")), "_ferrytest.SeqOne(only='v')")
        self.assertEqual(str(ft.structseq_make_one(1)), "_ferrytest.SeqOne(only=1)")

    def test_type(self):
        P = ft.SeqPoint
        self.assertEqual((P.n_sequence_fields, P.n_fields, P.n_unnamed_fields), (3, 5, 1))
        self.assertEqual(P.__match_args__, ("x", "y"))
        self.assertEqual((ft.SeqPair.n_sequence_fields, ft.SeqPair.n_fields, ft.SeqPair.n_unnamed_fields),
                         (2, 2, 0))
        self.assertEqual(ft.SeqPair.__match_args__, ("first", "second"))
        self.assertEqual((P.__name__, P.__qualname__, P.__module__), ("SeqPoint", "SeqPoint", "_ferrytest"))
        self.assertEqual((ft.SeqPair.__name__, ft.SeqPair.__module__), ("SeqPair", "_ferrytest"))
        self.assertEqual(P.__doc__, "A point, as a struct sequence.")
        self.assertEqual(P.x.__doc__, "the x coordinate")
        self.assertEqual(P.label.__doc__, "a hidden field")
        self.assertTrue(issubclass(P, tuple))
        self.assertEqual(P.__mro__, (P, tuple, object))
        with self.assertRaisesRegex(TypeError, "is not an acceptable base type"):
            class Sub(P):
                pass

    def test_c_view(self):
        name, basic, item, base_is_tuple, tuple_flag, members = ft.structseq_type_info()
        self.assertEqual((name, basic, item, base_is_tuple, tuple_flag), ("_ferrytest.SeqPoint", 24, 8, 1, 1))
        # Named fields only, at their item's offset, read-only.
        self.assertEqual(members, [("x", 24, 1), ("y", 32, 1), ("label", 48, 1), ("weight", 56, 1)])

    def test_read_in_c(self):
        p = ft.structseq_new_point(1, 2, 3, "lab", 4.5)
        self.assertEqual(ft.structseq_read(p), (3, 1, [1, 2, 3, "lab", 4.5]))
        # Made on the Python side, then seen from C: hidden fields included.
        self.assertEqual(ft.structseq_read(ft.SeqPoint((1, 2, 3))), (3, 1, [1, 2, 3, None, None]))
        self.assertEqual(ft.structseq_read(ft.SeqPoint((1, 2, 3, "a"), {"weight": 9, "x": 0})),
                         (3, 1, [1, 2, 3, "a", 9]))

    def test_constructor(self):
        P = ft.SeqPoint
        p = P([1, 2, 3, 4, 5])
        self.assertEqual((tuple(p), p.label, p.weight), ((1, 2, 3), 4, 5))
        self.assertEqual(P(range(3), {"label": "L"}).label, "L")
        self.assertEqual(P(sequence=(1, 2, 3), dict={"weight": 1}).weight, 1)
        with self.assertRaisesRegex(TypeError, r"^_ferrytest.SeqPoint\(\) takes an at least 3-sequence \(2-sequence given\)$"):
            P((1, 2))
        with self.assertRaisesRegex(TypeError, r"^_ferrytest.SeqPoint\(\) takes an at most 5-sequence \(6-sequence given\)$"):
            P(range(6))
        with self.assertRaisesRegex(TypeError, r"^_ferrytest.SeqPair\(\) takes a 2-sequence \(3-sequence given\)$"):
            ft.SeqPair((1, 2, 3))
        with self.assertRaisesRegex(TypeError, "^constructor requires a sequence$"):
            P(5)
        with self.assertRaisesRegex(TypeError, r"^_ferrytest.SeqPoint\(\) takes a dict as second arg, if any$"):
            P((1, 2, 3), [])
        with self.assertRaisesRegex(TypeError, r"^_ferrytest.SeqPoint\(\) takes a dict as second arg, if any$"):
            P((1, 2, 3), None)
        with self.assertRaisesRegex(TypeError, r"^structseq\(\) missing required argument 'sequence' \(pos 1\)$"):
            P()
        with self.assertRaisesRegex(TypeError, r"^structseq\(\) takes at most 2 arguments \(3 given\)$"):
            P((1, 2, 3), {}, 1)
        with self.assertRaisesRegex(TypeError, r"^'foo' is an invalid keyword argument for structseq\(\)$"):
            P((1, 2, 3), foo=1)

    def test_readonly(self):
        p = ft.structseq_new_point(1, 2, 3, "lab", 4.5)
        for name in ("x", "label"):
            with self.assertRaisesRegex(AttributeError, "^readonly attribute$"):
                setattr(p, name, 0)
            with self.assertRaisesRegex(AttributeError, "^readonly attribute$"):
                delattr(p, name)
        with self.assertRaises(AttributeError):
            p.other = 1
        self.assertFalse(hasattr(p, "__dict__"))

    def test_pickle_and_copy(self):
        p = ft.structseq_new_point(1, [2], 3, "lab", 4.5)
        self.assertEqual(p.__reduce__(), (ft.SeqPoint, ((1, [2], 3), {"label": "lab", "weight": 4.5})))
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            q = pickle.loads(pickle.dumps(p, proto))
            self.assertIs(type(q), ft.SeqPoint)
            self.assertEqual((q, q.label, q.weight), (p, "lab", 4.5))
        q = copy.copy(p)
        self.assertEqual((q, q.weight), (p, 4.5))
        q = copy.deepcopy(p)
        self.assertEqual(q.y, [2])
        self.assertIsNot(q.y, p.y)

    def test_errors(self):
        # Initializing a type a second time.
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.structseq_init_again()
        # A type that is no struct sequence has no n_fields.
        with self.assertRaisesRegex(SystemError, BADCALL):
            ft.structseq_new_of(int)


if __name__ == "__main__":
    unittest.main()
