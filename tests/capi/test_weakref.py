"""Weak references: PyWeakref_NewRef, PyWeakref_NewProxy, PyWeakref_GetObject,
PyObject_ClearWeakRefs (Objects/weakrefobject.c).

C side: tests/capi/ext/weakref.c. Collection is forced with gc.collect() (the
host may collect later than CPython's refcounting; CPython is done at once).
"""
import gc
import unittest
import weakref

import _ferrytest as ft


def collect():
    for _ in range(3):
        gc.collect()


class Plain:
    pass


class TestNewRef(unittest.TestCase):

    def test_ref_to_managed(self):
        o = Plain()
        r = ft.weakref_newref(o)
        self.assertIsInstance(r, weakref.ref)
        self.assertIs(r(), o)
        # Without a callback the basic weakref is shared.
        self.assertIs(ft.weakref_newref(o), r)
        self.assertIs(ft.weakref_newref(o, None), r)
        self.assertIs(weakref.ref(o), r)

    def test_callback(self):
        calls = []
        o = Plain()
        r = ft.weakref_newref(o, calls.append)
        self.assertIsNot(r, weakref.ref(o))
        del o
        collect()
        self.assertEqual(calls, [r])
        self.assertIsNone(r())

    def test_ref_to_native(self):
        b = ft.WeakBox(7)
        r = ft.weakref_newref(b)
        self.assertIs(r(), b)
        self.assertEqual(r().tag, 7)

    def test_not_weakly_referenceable(self):
        with self.assertRaisesRegex(TypeError, "cannot create weak reference to 'int' object"):
            ft.weakref_newref(5)
        with self.assertRaisesRegex(TypeError, "cannot create weak reference to 'tuple' object"):
            ft.weakref_newref((Plain(),))
        with self.assertRaisesRegex(
                TypeError, "cannot create weak reference to '_ferrytest.NoWeakBox' object"):
            ft.weakref_newref(ft.NoWeakBox())


class TestNewProxy(unittest.TestCase):

    def test_proxy(self):
        o = Plain()
        o.x = 3
        p = ft.weakref_newproxy(o)
        self.assertIn(type(p), weakref.ProxyTypes)
        self.assertEqual(p.x, 3)
        self.assertIs(ft.weakref_newproxy(o), p)
        calls = []
        p2 = ft.weakref_newproxy(o, calls.append)
        del o
        collect()
        self.assertEqual(len(calls), 1)
        with self.assertRaises(ReferenceError):
            p.x
        del p2

    def test_proxy_to_native(self):
        b = ft.WeakBox(9)
        self.assertEqual(ft.weakref_newproxy(b).tag, 9)

    def test_not_weakly_referenceable(self):
        with self.assertRaisesRegex(TypeError, "cannot create weak reference to 'int' object"):
            ft.weakref_newproxy(5)
        with self.assertRaisesRegex(TypeError, "cannot create weak reference to 'tuple' object"):
            ft.weakref_newproxy((Plain(),))
        with self.assertRaisesRegex(
                TypeError, "cannot create weak reference to '_ferrytest.NoWeakBox' object"):
            ft.weakref_newproxy(ft.NoWeakBox())


class TestGetObject(unittest.TestCase):

    def test_live_and_dead(self):
        o = Plain()
        r = weakref.ref(o)
        self.assertIs(ft.weakref_getobject(r), o)
        del o
        collect()
        self.assertIsNone(ft.weakref_getobject(r))

    def test_native(self):
        b = ft.WeakBox(3)
        r = weakref.ref(b)
        self.assertIs(ft.weakref_getobject(r), b)
        del b
        collect()
        self.assertIsNone(ft.weakref_getobject(r))

    def test_roundtrip_in_c(self):
        self.assertTrue(ft.weakref_roundtrip(Plain()))
        self.assertTrue(ft.weakref_roundtrip(ft.WeakBox()))

    def test_not_a_weakref(self):
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.weakref_getobject(Plain())
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.weakref_getobject(5)


class TestClearWeakRefs(unittest.TestCase):

    def test_live_object_refused(self):
        # CPython's checks: the object must be dying (refcount 0).
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.weakref_clear_live(ft.WeakBox())
        with self.assertRaisesRegex(SystemError, "bad argument to internal function"):
            ft.weakref_clear_live(None)

    def test_dealloc_clears_and_calls_back(self):
        collect()   # boxes of earlier tests go first
        deallocs, errors = ft.weakref_weakbox_stats()
        calls = []
        b = ft.WeakBox(1)
        r = weakref.ref(b, calls.append)
        r2 = ft.weakref_newref(b, lambda ref: calls.append('c'))
        plain = weakref.ref(b)
        del b
        collect()
        self.assertIsNone(r())
        self.assertIsNone(r2())
        self.assertIsNone(plain())
        self.assertEqual(sorted(map(str, calls)), sorted(map(str, [r, 'c'])))
        self.assertEqual(ft.weakref_weakbox_stats(), (deallocs + 1, errors))

    def test_dealloc_without_weakrefs(self):
        collect()   # boxes of earlier tests go first
        deallocs, errors = ft.weakref_weakbox_stats()
        b = ft.WeakBox(2)
        del b
        collect()
        self.assertEqual(ft.weakref_weakbox_stats(), (deallocs + 1, errors))

    def test_many_boxes(self):
        collect()   # boxes of earlier tests go first
        deallocs, errors = ft.weakref_weakbox_stats()
        boxes = [ft.WeakBox(i) for i in range(200)]
        refs = [weakref.ref(b) for b in boxes[::2]]
        del boxes
        collect()
        self.assertTrue(all(r() is None for r in refs))
        self.assertEqual(ft.weakref_weakbox_stats(), (deallocs + 200, errors))


if __name__ == '__main__':
    unittest.main()
