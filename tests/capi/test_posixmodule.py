"""PyOS_FSPath (Modules/posixmodule.c): os.fspath in C.

C side: tests/capi/ext/posixmodule.c.
"""
import pathlib
import unittest

import _ferrytest as ft


class Path:
    def __init__(self, value):
        self.value = value

    def __fspath__(self):
        return self.value


class Raising:
    def __fspath__(self):
        raise KeyError("inside")


class InstanceOnly:
    pass


class StrSub(str):
    pass


class TestFSPath(unittest.TestCase):

    def test_str_and_bytes_as_they_are(self):
        for o in ("a/b", b"a/b", "", StrSub("s")):
            self.assertIs(ft.os_fspath(o), o)

    def test_pathlike(self):
        self.assertEqual(ft.os_fspath(pathlib.PurePosixPath("/x/y")), "/x/y")
        self.assertEqual(ft.os_fspath(Path("p")), "p")
        self.assertEqual(ft.os_fspath(Path(b"q")), b"q")
        s = StrSub("sub")
        self.assertIs(ft.os_fspath(Path(s)), s)

    def test_not_pathlike(self):
        for o, name in ((1, "int"), (None, "NoneType"), ([], "list"), (bytearray(b"x"), "bytearray"),
                        (InstanceOnly(), "InstanceOnly")):
            with self.subTest(o=o):
                with self.assertRaisesRegex(TypeError, "^expected str, bytes or os.PathLike object, "
                                                       "not %s$" % name):
                    ft.os_fspath(o)

    def test_looked_up_on_the_type(self):
        o = InstanceOnly()
        o.__fspath__ = lambda: "nope"
        with self.assertRaisesRegex(TypeError, "not InstanceOnly$"):
            ft.os_fspath(o)

    def test_bad_result(self):
        with self.assertRaisesRegex(TypeError, r"^expected Path.__fspath__\(\) to return str or "
                                               "bytes, not int$"):
            ft.os_fspath(Path(3))
        with self.assertRaisesRegex(TypeError, r"^expected Path.__fspath__\(\) to return str or "
                                               "bytes, not Path$"):
            ft.os_fspath(Path(Path("x")))

    def test_raising(self):
        with self.assertRaisesRegex(KeyError, "inside"):
            ft.os_fspath(Raising())


if __name__ == "__main__":
    unittest.main()
