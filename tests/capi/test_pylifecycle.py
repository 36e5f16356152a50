"""PyOS_setsig (Python/pylifecycle.c): a C signal handler installed with
sigaction, the old one returned.

C side: tests/capi/ext/pylifecycle.c.
"""
import signal
import unittest

import _ferrytest as ft


class TestSetsig(unittest.TestCase):

    def test_roundtrip(self):
        flags = ft.os_sa_flags()
        for sig in (signal.SIGUSR1, signal.SIGUSR2):
            with self.subTest(sig=sig):
                before = signal.getsignal(sig)
                self.assertEqual(before, signal.SIG_DFL)
                # (was SIG_DFL, was SIG_IGN, handled, put back returned the
                # C handler, sa_flags, restored)
                self.assertEqual(ft.os_setsig_roundtrip(sig),
                                 (1, 0, 1, 1, flags["SA_ONSTACK"], 1))
                self.assertEqual(signal.getsignal(sig), signal.SIG_DFL)

    def test_old_handler_ignored(self):
        old = signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        try:
            self.assertEqual(ft.os_setsig_roundtrip(signal.SIGUSR1)[:4], (0, 1, 1, 1))
            self.assertEqual(signal.getsignal(signal.SIGUSR1), signal.SIG_IGN)
        finally:
            signal.signal(signal.SIGUSR1, old)

    def test_invalid_signals(self):
        for sig in (0, -1, 100000, signal.SIGKILL, signal.SIGSTOP):
            with self.subTest(sig=sig):
                self.assertEqual(ft.os_setsig_invalid(sig), (1, 1))


if __name__ == "__main__":
    unittest.main()
