"""The trashcan: Py_TRASHCAN_BEGIN/END over _PyTrash_begin, _PyTrash_end and
_PyTrash_cond (Objects/object.c).

C side: tests/capi/ext/trashcan.c.
"""
import unittest

import _ferrytest as ft


def expected_order_digest(n, level=50):
    """CPython's deallocation order of a chain 0 -> 1 -> ... -> n-1 freed from
    its head: bodies nest up to `level` deep; the node met at that depth is
    set aside, and the set-aside nodes are freed last-in first-out once the
    outermost body ends."""
    digest = 0
    order = []
    # Each round frees `level` nodes in a row from its start; the node after
    # them is set aside and starts the next round (one at a time: the chain
    # is linear).
    start = 0
    while start < n:
        for i in range(start, min(start + level, n)):
            order.append(i)
        start += level
    for i in order:
        digest = (digest * 1000003 + i) & 0xFFFFFFFFFFFFFFFF
    return digest


class TestTrashcan(unittest.TestCase):

    def test_short_chain_not_deferred(self):
        freed, max_depth, digest = ft.trashcan_chain(10)
        self.assertEqual(freed, 10)
        self.assertEqual(max_depth, 10)
        self.assertEqual(digest, expected_order_digest(10))

    def test_long_chain_bounded_depth(self):
        n = 100000
        freed, max_depth, digest = ft.trashcan_chain(n)
        self.assertEqual(freed, n)
        self.assertEqual(max_depth, 50)
        self.assertEqual(digest, expected_order_digest(n))

    def test_chain_at_limit(self):
        for n in (49, 50, 51, 101):
            freed, max_depth, digest = ft.trashcan_chain(n)
            self.assertEqual((freed, max_depth), (n, min(n, 50)))
            self.assertEqual(digest, expected_order_digest(n))

    def test_cond(self):
        self.assertEqual(ft.trashcan_cond(), (1, 0))


if __name__ == '__main__':
    unittest.main()
