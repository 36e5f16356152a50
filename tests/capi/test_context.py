"""Context variables (Python/context.c): PyContextVar_New, PyContextVar_Get,
PyContextVar_Set.

C side: tests/capi/ext/context.c. contextvar_get answers (status, value),
the value _ferrytest.NULL when there is none.
"""
import contextvars
import unittest

import _ferrytest as ft

NULL = ft.NULL
NOT_A_VAR = "an instance of ContextVar was expected"


class TestNew(unittest.TestCase):

    def test_new(self):
        v = ft.contextvar_new(b"name")
        self.assertIs(type(v), contextvars.ContextVar)
        self.assertEqual(v.name, "name")
        with self.assertRaises(LookupError):
            v.get()
        self.assertEqual(ft.contextvar_new("caf\xe9".encode()).name, "caf\xe9")

    def test_new_with_default(self):
        v = ft.contextvar_new(b"d", 7)
        self.assertEqual(v.get(), 7)
        self.assertIsNone(ft.contextvar_new(b"n", None).get())

    def test_bad_name(self):
        with self.assertRaises(UnicodeDecodeError):
            ft.contextvar_new(b"\xff")


class TestGetSet(unittest.TestCase):

    def test_missing(self):
        v = ft.contextvar_new(b"v")
        self.assertEqual(ft.contextvar_get(v), (0, NULL))
        self.assertEqual(ft.contextvar_get(v, 5), (0, 5))
        self.assertEqual(ft.contextvar_get(v, None), (0, None))

    def test_default_of_the_variable(self):
        v = ft.contextvar_new(b"v", 7)
        self.assertEqual(ft.contextvar_get(v), (0, 7))
        # A default passed wins over the variable's.
        self.assertEqual(ft.contextvar_get(v, 5), (0, 5))

    def test_set_then_get(self):
        v = ft.contextvar_new(b"v", 7)

        def body():
            token = ft.contextvar_set(v, "x")
            self.assertIs(type(token), contextvars.Token)
            self.assertIs(token.var, v)
            self.assertIs(token.old_value, contextvars.Token.MISSING)
            self.assertEqual(ft.contextvar_get(v), (0, "x"))
            self.assertEqual(ft.contextvar_get(v, 5), (0, "x"))
            self.assertEqual(v.get(), "x")   # Python sees it
            token2 = ft.contextvar_set(v, None)
            self.assertEqual(token2.old_value, "x")
            self.assertEqual(ft.contextvar_get(v), (0, None))
            v.reset(token2)
            self.assertEqual(ft.contextvar_get(v), (0, "x"))
            v.reset(token)
            self.assertEqual(ft.contextvar_get(v), (0, 7))

        contextvars.copy_context().run(body)

    def test_contexts_are_separate(self):
        v = ft.contextvar_new(b"v")
        ctx = contextvars.copy_context()
        ctx.run(ft.contextvar_set, v, 1)
        self.assertEqual(ctx[v], 1)
        self.assertEqual(ctx.run(ft.contextvar_get, v), (0, 1))
        self.assertEqual(contextvars.copy_context().run(ft.contextvar_get, v), (0, NULL))

    def test_python_set_seen_by_c(self):
        v = contextvars.ContextVar("py")

        def body():
            v.set([1])
            self.assertEqual(ft.contextvar_get(v), (0, [1]))

        contextvars.copy_context().run(body)

    def test_every_change_seen_by_c(self):
        # C asks again and again while Python changes the value every way it
        # can.
        v = contextvars.ContextVar("again", default=0)
        get = lambda: ft.contextvar_get(v)[1]

        def body():
            for i in range(3):
                self.assertEqual(get(), i)
                v.set(i + 1)
            self.assertEqual(get(), 3)
            token = v.set("s")
            self.assertEqual(get(), "s")
            v.reset(token)
            self.assertEqual(get(), 3)
            ft.contextvar_set(v, 2.5)
            self.assertEqual(get(), 2.5)
            inner = contextvars.copy_context()
            self.assertEqual(inner.run(get), 2.5)
            self.assertEqual(inner.run(lambda: (v.set(b"in"), get())[1]), b"in")
            self.assertEqual(get(), 2.5)   # (left the inner context)
            self.assertEqual(contextvars.Context().run(get), 0)   # the variable's default
            self.assertEqual(ft.contextvar_get(v, "d"), (0, 2.5))
            # a value Python changes in place
            v.set([1])
            self.assertEqual(get(), [1])
            v.get().append(2)
            self.assertEqual(get(), [1, 2])

        contextvars.copy_context().run(body)
        self.assertEqual(get(), 0)
        self.assertEqual(contextvars.Context().run(ft.contextvar_get, v, "d"), (0, "d"))

    def test_threads_have_their_own(self):
        import threading
        v = contextvars.ContextVar("t")
        seen = []

        def in_thread():
            seen.append(ft.contextvar_get(v))
            v.set("thread")
            seen.append(ft.contextvar_get(v))

        def body():
            v.set("main")
            self.assertEqual(ft.contextvar_get(v), (0, "main"))
            t = threading.Thread(target=in_thread)
            t.start()
            t.join()
            self.assertEqual(ft.contextvar_get(v), (0, "main"))

        contextvars.copy_context().run(body)
        self.assertEqual(seen, [(0, NULL), (0, "thread")])

    def test_not_a_var(self):
        class Sub:
            pass
        for o in (None, 1, "v", Sub(), contextvars.copy_context()):
            with self.subTest(o=o):
                with self.assertRaisesRegex(TypeError, "^%s$" % NOT_A_VAR):
                    ft.contextvar_get(o)
                with self.assertRaisesRegex(TypeError, "^%s$" % NOT_A_VAR):
                    ft.contextvar_get(o, 1)
                with self.assertRaisesRegex(TypeError, "^%s$" % NOT_A_VAR):
                    ft.contextvar_set(o, 1)


if __name__ == "__main__":
    unittest.main()
