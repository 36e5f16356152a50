"""The C API of tracemalloc (Modules/_tracemalloc.c): PyTraceMalloc_Track and
PyTraceMalloc_Untrack.

C side: tests/capi/ext/tracemalloc.c. Both answer -2 when tracemalloc is
not tracing; through ferry nothing is ever traced (PyPy has no tracemalloc).
"""
import sys
import unittest

import _ferrytest as ft

try:
    import tracemalloc
except ImportError:
    tracemalloc = None


class TestNotTracing(unittest.TestCase):

    def setUp(self):
        if tracemalloc is not None and tracemalloc.is_tracing():
            self.skipTest("tracemalloc is tracing")

    def test_track(self):
        self.assertEqual(ft.tracemalloc_track(0, 0x1000, 16), -2)
        self.assertEqual(ft.tracemalloc_track(12345, 0xdeadbeef, 0), -2)
        self.assertEqual(ft.tracemalloc_track(2**32 - 1, 2**64 - 1, 2**40), -2)

    def test_untrack(self):
        self.assertEqual(ft.tracemalloc_untrack(0, 0x1000), -2)
        self.assertEqual(ft.tracemalloc_untrack(12345, 0xdeadbeef), -2)


@unittest.skipIf(tracemalloc is None, "the host has no tracemalloc (%s)" % sys.implementation.name)
class TestTracing(unittest.TestCase):
    """On CPython only: what the functions do when tracemalloc traces."""

    def test_track_and_untrack(self):
        tracemalloc.start()
        try:
            self.assertEqual(ft.tracemalloc_track(4242, 0x10000, 123), 0)
            snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.DomainFilter(True, 4242)])
            self.assertEqual(sum(t.size for t in snap.traces), 123)
            self.assertEqual(ft.tracemalloc_untrack(4242, 0x10000), 0)
            snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.DomainFilter(True, 4242)])
            self.assertEqual(len(snap.traces), 0)
        finally:
            tracemalloc.stop()
        self.assertEqual(ft.tracemalloc_track(4242, 0x10000, 123), -2)


if __name__ == "__main__":
    unittest.main()
