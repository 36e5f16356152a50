"""Generators (Objects/genobject.c): PyGen_Type, PyCoro_Type,
PyAsyncGen_Type (with PyGen_Check and co.) and _PyGen_SetStopIterationValue.

C side: tests/capi/ext/genobject.c.
"""
import types
import unittest

import _ferrytest as ft


def gen():
    yield 1


async def coro():
    pass


async def agen():
    yield 1


class GenLike:
    def __iter__(self):
        return self

    def __next__(self):
        raise StopIteration

    def send(self, value):
        raise StopIteration

    def throw(self, *args):
        raise StopIteration


class TestTypes(unittest.TestCase):

    def test_types(self):
        g, c, a = ft.gen_types()
        self.assertIs(g, types.GeneratorType)
        self.assertIs(c, types.CoroutineType)
        self.assertIs(a, types.AsyncGeneratorType)
        self.assertEqual((g.__name__, c.__name__, a.__name__),
                         ("generator", "coroutine", "async_generator"))

    def test_generator(self):
        g = gen()
        self.assertEqual(ft.gen_checks(g), (1, 1, 0, 0))
        self.assertEqual(next(g), 1)   # still the host's generator
        self.assertEqual(ft.gen_checks(g), (1, 1, 0, 0))
        self.assertEqual(ft.gen_checks(x for x in ()), (1, 1, 0, 0))

    def test_coroutine(self):
        c = coro()
        try:
            self.assertEqual(ft.gen_checks(c), (0, 0, 1, 0))
        finally:
            c.close()

    def test_async_generator(self):
        a = agen()
        self.assertEqual(ft.gen_checks(a), (0, 0, 0, 1))

    def test_others(self):
        for o in (GenLike(), iter([]), gen, coro, agen, None, 1, types.GeneratorType):
            with self.subTest(o=o):
                self.assertEqual(ft.gen_checks(o), (0, 0, 0, 0))


class TestSetStopIterationValue(unittest.TestCase):

    def stop(self, value):
        with self.assertRaises(StopIteration) as cm:
            ft.gen_setstopiterationvalue(value)
        self.assertIs(type(cm.exception), StopIteration)
        return cm.exception

    def test_plain_values(self):
        e = self.stop(5)
        self.assertEqual(e.value, 5)
        self.assertEqual(e.args, (5,))
        e = self.stop("s")
        self.assertEqual(e.value, "s")
        e = self.stop([1, 2])
        self.assertEqual(e.value, [1, 2])
        self.assertEqual(e.args, ([1, 2],))

    def test_null_and_none(self):
        e = self.stop(None)   # NULL
        self.assertIsNone(e.value)
        self.assertEqual(e.args, ())

    def test_tuple_kept_whole(self):
        e = self.stop((1, 2))
        self.assertEqual(e.value, (1, 2))
        self.assertEqual(e.args, ((1, 2),))
        e = self.stop(())
        self.assertEqual(e.value, ())
        e = self.stop((None,))
        self.assertEqual(e.value, (None,))

    def test_exception_value(self):
        exc = ValueError("x")
        e = self.stop(exc)
        self.assertIs(e.value, exc)
        self.assertEqual(e.args, (exc,))
        inner = StopIteration(3)
        e = self.stop(inner)
        self.assertIsNot(e, inner)
        self.assertIs(e.value, inner)

    def test_as_generator_return(self):
        # What a C coroutine does when it returns: the value reaches the
        # delegating generator.
        def delegate(value):
            r = yield from _Wrap(value)
            return r

        class _Wrap:
            def __init__(self, value):
                self.value = value

            def __iter__(self):
                return self

            def __next__(self):
                ft.gen_setstopiterationvalue(self.value)

        for value in (5, (1, 2), ValueError("v"), None):
            with self.subTest(value=value):
                g = delegate(value)
                with self.assertRaises(StopIteration) as cm:
                    next(g)
                self.assertIs(cm.exception.value, value)


if __name__ == "__main__":
    unittest.main()
