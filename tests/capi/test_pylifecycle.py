"""PyOS_setsig and PyOS_getsig (Python/pylifecycle.c): a C signal handler
installed with sigaction, the old one returned; the current one read.

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



class TestGetsig(unittest.TestCase):

    def test_roundtrip(self):
        for sig in (signal.SIGUSR1, signal.SIGUSR2):
            with self.subTest(sig=sig):
                self.assertEqual(signal.getsignal(sig), signal.SIG_DFL)
                self.assertEqual(ft.os_getsig_roundtrip(sig), (1, 0, 1, 1, 1))
                self.assertEqual(signal.getsignal(sig), signal.SIG_DFL)

    def test_ignored(self):
        old = signal.signal(signal.SIGUSR2, signal.SIG_IGN)
        try:
            self.assertEqual(ft.os_getsig(signal.SIGUSR2), (0, 0, 0, 1))
            self.assertEqual(ft.os_getsig_roundtrip(signal.SIGUSR2), (0, 1, 1, 1, 1))
        finally:
            signal.signal(signal.SIGUSR2, old)

    def test_default_and_kill(self):
        self.assertEqual(ft.os_getsig(signal.SIGUSR1), (0, 0, 1, 0))
        # SIGKILL cannot be changed but can be read: its default.
        self.assertEqual(ft.os_getsig(signal.SIGKILL), (0, 0, 1, 0))

    def test_python_handler_is_a_c_handler(self):
        # signal.signal installs the interpreter's own C handler: neither
        # SIG_DFL nor SIG_IGN.
        old = signal.signal(signal.SIGUSR1, lambda *a: None)
        try:
            self.assertEqual(ft.os_getsig(signal.SIGUSR1), (0, 0, 0, 0))
        finally:
            signal.signal(signal.SIGUSR1, old)

    def test_invalid_signals(self):
        for sig in (0, -1, 100000):
            with self.subTest(sig=sig):
                self.assertEqual(ft.os_getsig(sig), (1, 1, 0, 0))


if __name__ == "__main__":
    unittest.main()
