"""Thread and interpreter states (Python/pystate.c): PyInterpreterState_Main
and PyThreadState_GetFrame.

C side: tests/capi/ext/pystate.c.
"""
import sys
import threading
import types
import unittest

import _ferrytest as ft

NULL = ft.NULL


class TestInterpreterStateMain(unittest.TestCase):

    def test_main(self):
        # The main interpreter has id 0; this thread's state belongs to it.
        self.assertEqual(ft.interp_main(), (0, 1))

    def test_main_from_another_thread(self):
        out = []
        t = threading.Thread(target=lambda: out.append(ft.interp_main()))
        t.start()
        t.join()
        self.assertEqual(out, [(0, 1)])


class TestGetFrame(unittest.TestCase):

    def test_calling_frame(self):
        f = ft.threadstate_getframe()
        self.assertIsInstance(f, types.FrameType)
        self.assertIs(f.f_code, TestGetFrame.test_calling_frame.__code__)
        self.assertIs(f, sys._getframe())
        self.assertIs(f.f_globals, globals())

    def test_nested(self):
        def inner():
            return ft.threadstate_getframe(), sys._getframe()
        f, expected = inner()
        self.assertIs(f, expected)
        self.assertEqual(f.f_code.co_name, "inner")
        self.assertEqual(f.f_back.f_code.co_name, "test_nested")

    def test_in_a_python_thread(self):
        out = []

        def worker():
            out.append((ft.threadstate_getframe(), sys._getframe()))

        t = threading.Thread(target=worker)
        t.start()
        t.join()
        self.assertIs(out[0][0], out[0][1])
        self.assertEqual(out[0][0].f_code.co_name, "worker")

    def test_c_thread_without_python_code(self):
        self.assertEqual(ft.threadstate_getframe_c_thread(), 0)

    def test_frame_of_another_thread(self):
        ready = threading.Event()
        done = threading.Event()
        states = []

        def waiting_worker():
            states.append(ft.threadstate_current())
            ready.set()
            done.wait(30)

        t = threading.Thread(target=waiting_worker)
        t.start()
        try:
            self.assertTrue(ready.wait(30))
            f = ft.threadstate_getframe_of(states[0])
            self.assertIsInstance(f, types.FrameType)
            names = []
            while f is not None:
                names.append(f.f_code.co_name)
                f = f.f_back
            # Inside Event.wait, called from the worker.
            self.assertIn("waiting_worker", names)
            self.assertLess(names.index("wait"), names.index("waiting_worker"))
        finally:
            done.set()
            t.join()

    def test_own_state_through_capsule(self):
        f = ft.threadstate_getframe_of(ft.threadstate_current())
        self.assertIs(f, sys._getframe())


if __name__ == "__main__":
    unittest.main()
