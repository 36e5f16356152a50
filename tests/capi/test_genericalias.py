"""Py_GenericAlias (Objects/genericaliasobject.c).

C side: tests/capi/ext/genericalias.c.
"""
import types
import unittest

import _ferrytest as ft


class TestGenericAlias(unittest.TestCase):

    def test_tuple_args(self):
        ga = ft.genericalias_new(list, (int,))
        self.assertIs(type(ga), types.GenericAlias)
        self.assertEqual(ga, list[int])
        self.assertIs(ga.__origin__, list)
        self.assertEqual(ga.__args__, (int,))
        ga = ft.genericalias_new(dict, (str, int))
        self.assertEqual(ga, dict[str, int])
        self.assertEqual(ga.__args__, (str, int))

    def test_single_arg_becomes_tuple(self):
        ga = ft.genericalias_new(list, int)
        self.assertEqual(ga.__args__, (int,))
        self.assertEqual(ga, list[int])
        # No argument is checked.
        self.assertEqual(ft.genericalias_new(5, 'x').__args__, ('x',))
        self.assertEqual(ft.genericalias_new(tuple, ()).__args__, ())

    def test_alias_works(self):
        ga = ft.genericalias_new(list, (int,))
        self.assertEqual(ga([1, 2]), [1, 2])
        self.assertEqual(ga.__parameters__, ())


if __name__ == '__main__':
    unittest.main()
