"""Threads and the interpreter: PyEval_SaveThread / PyEval_RestoreThread (and
Py_BEGIN/END_ALLOW_THREADS), PyGILState_Ensure / Release / Check from native
threads, PyEval_Get*, PyThreadState_GetDict, PyRun_String, Py_CompileString
and PyEval_EvalCode (Python/ceval.c, pystate.c, pythonrun.c).

C side: tests/capi/ext/eval.c. All waits are bounded: a layer that keeps the
GIL makes these tests fail, not hang.
"""
import threading
import time
import unittest

import _ferrytest as ft

NULL = ft.NULL


class TestReleaseGIL(unittest.TestCase):

    def test_other_thread_runs_while_released(self):
        ft.eval_clear_flag()

        def setter():
            time.sleep(0.05)
            ft.eval_set_flag()
        t = threading.Thread(target=setter)
        t.start()
        try:
            seen = ft.eval_wait_without_gil(10000)
        finally:
            t.join()
        self.assertIs(seen, True)

    def test_wait_times_out(self):
        ft.eval_clear_flag()
        self.assertIs(ft.eval_wait_without_gil(20), False)

    def test_allow_threads_macros(self):
        progress = []

        def worker():
            for i in range(5):
                progress.append(i)
        t = threading.Thread(target=worker)
        t.start()
        ft.eval_allow_threads_sleep(50)
        t.join()
        self.assertEqual(progress, [0, 1, 2, 3, 4])

    def test_parallel_sleepers(self):
        # Four threads sleeping 200 ms each without the GIL overlap.
        start = time.monotonic()
        threads = [threading.Thread(target=ft.eval_allow_threads_sleep, args=(200,))
                   for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertLess(time.monotonic() - start, 0.7)

    def test_threadstate_roundtrip(self):
        self.assertEqual(ft.eval_threadstate_roundtrip(), (1, 1))


class TestGILState(unittest.TestCase):

    def test_native_threads_call_python(self):
        results = ft.gilstate_threads(lambda i: ("ran", i, threading.current_thread()
                                                 is not threading.main_thread()), 4)
        self.assertEqual(len(results), 4)
        for i, (value, before, inside, nested_locked) in enumerate(results):
            self.assertEqual(value, ("ran", i, True))
            self.assertEqual(before, 0)
            self.assertEqual(inside, 1)
            self.assertEqual(nested_locked, 1)

    def test_native_thread_exception(self):
        def fail(i):
            raise KeyError("from thread %d" % i)
        (value, _, _, _), = ft.gilstate_threads(fail, 1)
        self.assertIsInstance(value, KeyError)
        self.assertEqual(value.args, ("from thread 0",))

    def test_native_threads_share_objects(self):
        shared = []
        lock = threading.Lock()

        def append(i):
            with lock:
                shared.append(i)
            return len(shared)
        ft.gilstate_threads(append, 8)
        self.assertEqual(sorted(shared), list(range(8)))

    def test_ensure_on_main_thread(self):
        check, locked, same = ft.gilstate_nested_main()
        self.assertEqual(check, 1)
        self.assertEqual(locked, 1)
        self.assertEqual(same, 1)


class TestEvalAccessors(unittest.TestCase):

    def test_builtins(self):
        import builtins
        b = ft.eval_getbuiltins()
        self.assertIs(b, builtins.__dict__)

    def test_globals(self):
        self.assertIs(ft.eval_getglobals(), globals())

        def inner():
            return ft.eval_getglobals()
        self.assertIs(inner(), globals())
        ns = {"ft": ft}
        exec("r = ft.eval_getglobals()", ns)
        self.assertIs(ns["r"], ns)

    def test_funcname(self):
        def pyfunc():
            pass
        self.assertEqual(ft.eval_getfuncname(len), ("len", "()"))
        self.assertEqual(ft.eval_getfuncname(pyfunc), ("pyfunc", "()"))
        # Classes are plain objects here: the name is that of their type.
        self.assertEqual(ft.eval_getfuncname(int), ("type", " object"))
        self.assertEqual(ft.eval_getfuncname(1), ("int", " object"))

    def test_threadstate_dict(self):
        d = ft.threadstate_getdict()
        self.assertIsInstance(d, dict)
        self.assertIs(ft.threadstate_getdict(), d)
        other = []
        t = threading.Thread(target=lambda: other.append(ft.threadstate_getdict()))
        t.start()
        t.join()
        self.assertIsNot(other[0], d)

    def test_run_string(self):
        g = {}
        self.assertEqual(ft.run_string("1 + 2", "eval", g, None), 3)
        self.assertIsNone(ft.run_string("x = 5\ny = x * 2", "exec", g, None))
        self.assertEqual((g["x"], g["y"]), (5, 10))
        self.assertIn("__builtins__", g)
        loc = {}
        ft.run_string("z = 1", "exec", g, loc)
        self.assertEqual(loc, {"z": 1})
        self.assertEqual(ft.run_string("'caf\xe9' + '\U0001f40d'", "eval", g, None),
                         "caf\xe9\U0001f40d")

    def test_run_string_errors(self):
        with self.assertRaises(SyntaxError):
            ft.run_string("1 +", "eval", {}, None)
        with self.assertRaisesRegex(NameError, "name 'undefined_name' is not defined"):
            ft.run_string("undefined_name", "eval", {}, None)
        with self.assertRaises(ZeroDivisionError):
            ft.run_string("1 / 0", "exec", {}, None)

    def test_compile_and_eval(self):
        self.assertEqual(ft.compile_and_eval("a * 2", {"a": 21}), 42)
        with self.assertRaises(SyntaxError):
            ft.compile_and_eval("a *", {})



class TestMoreEval(unittest.TestCase):

    def test_callobjectwithkeywords(self):
        f = lambda *a, **k: (a, k)
        self.assertEqual(ft.eval_callobjectwithkeywords(f, (1,), {"x": 2}),
                         ((1,), {"x": 2}))
        self.assertEqual(ft.eval_callobjectwithkeywords(f, None, None), ((), {}))
        self.assertEqual(ft.eval_callobjectwithkeywords(len, ("ab",), None), 2)
        with self.assertRaisesRegex(TypeError, "^argument list must be a tuple$"):
            ft.eval_callobjectwithkeywords(len, [1], None)
        with self.assertRaisesRegex(TypeError, "^keyword list must be a dictionary$"):
            ft.eval_callobjectwithkeywords(len, ("ab",), [1])
        with self.assertRaisesRegex(ZeroDivisionError, "division by zero"):
            ft.eval_callobjectwithkeywords(lambda: 1 / 0, None, None)

    def test_threadstate_uncheckedget(self):
        # (same as PyThreadState_Get with the GIL, NULL without it)
        self.assertEqual(ft.eval_threadstate_uncheckedget(), (1, 1))


if __name__ == "__main__":
    unittest.main()
