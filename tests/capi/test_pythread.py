"""Locks and thread identities: PyThread_* (Python/thread_pthread.h).

C side: tests/capi/ext/pythread.c.
"""
import threading
import unittest

import _ferrytest as ft

PY_LOCK_FAILURE, PY_LOCK_ACQUIRED, PY_LOCK_INTR = 0, 1, 2


class TestLock(unittest.TestCase):

    def test_allocate_acquire_release(self):
        lock = ft.thread_lock_new()
        self.assertEqual(ft.thread_lock_acquire(lock, 1), 1)
        self.assertEqual(ft.thread_lock_acquire(lock, 0), 0)   # held: a try fails
        ft.thread_lock_release(lock)
        self.assertEqual(ft.thread_lock_acquire(lock, 0), 1)
        ft.thread_lock_release(lock)
        del lock   # PyThread_free_lock in the capsule's destructor

    def test_release_unlocked_is_unchecked(self):
        # A semaphore: a second release lets two acquires through.
        lock = ft.thread_lock_new()
        ft.thread_lock_release(lock)
        self.assertEqual(ft.thread_lock_acquire(lock, 0), 1)
        self.assertEqual(ft.thread_lock_acquire(lock, 0), 1)
        self.assertEqual(ft.thread_lock_acquire(lock, 0), 0)

    def test_acquire_timed(self):
        lock = ft.thread_lock_new()
        self.assertEqual(ft.thread_lock_acquire_timed(lock, -1, 0)[0], PY_LOCK_ACQUIRED)
        status, waited = ft.thread_lock_acquire_timed(lock, 0, 0)
        self.assertEqual(status, PY_LOCK_FAILURE)
        status, waited = ft.thread_lock_acquire_timed(lock, 30000, 0)
        self.assertEqual(status, PY_LOCK_FAILURE)
        self.assertGreaterEqual(waited, 0.025)
        self.assertLess(waited, 5)
        ft.thread_lock_release(lock)
        self.assertEqual(ft.thread_lock_acquire_timed(lock, 30000, 1)[0], PY_LOCK_ACQUIRED)
        ft.thread_lock_release(lock)
        # A timeout too large for nanoseconds is clamped, not an error.
        self.assertEqual(ft.thread_lock_acquire_timed(lock, 2**62, 0)[0], PY_LOCK_ACQUIRED)

    def test_release_from_other_thread(self):
        self.assertEqual(ft.thread_lock_cross_release(), (1, 1, 0))

    def test_lock_in_threads(self):
        lock = ft.thread_lock_new()
        counter = [0]

        def work():
            for _ in range(200):
                ft.thread_lock_acquire(lock, 1)
                counter[0] += 1
                ft.thread_lock_release(lock)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(counter[0], 800)


class TestIdent(unittest.TestCase):

    def test_get_thread_ident(self):
        self.assertEqual(ft.thread_get_ident(), threading.get_ident())
        seen = {}

        def record():
            seen['c'] = ft.thread_get_ident()
            seen['py'] = threading.get_ident()

        t = threading.Thread(target=record)
        t.start()
        t.join()
        self.assertEqual(seen['c'], seen['py'])
        self.assertNotEqual(seen['c'], ft.thread_get_ident())

    def test_get_thread_native_id(self):
        self.assertEqual(ft.thread_get_native_id(), threading.get_native_id())
        seen = {}

        def record():
            seen['c'] = ft.thread_get_native_id()
            seen['py'] = threading.get_native_id()

        t = threading.Thread(target=record)
        t.start()
        t.join()
        self.assertEqual(seen['c'], seen['py'])


if __name__ == '__main__':
    unittest.main()
