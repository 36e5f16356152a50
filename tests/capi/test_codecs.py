"""The codec registry: PyCodec_Encode, PyCodec_Decode, PyCodec_LookupError
(Python/codecs.c).

C side: tests/capi/ext/codecs.c.
"""
import codecs
import unittest

import _ferrytest as ft


class TestCodecs(unittest.TestCase):

    def test_encode(self):
        self.assertEqual(ft.codec_encode("a\u20ac", "utf-8"), b"a\xe2\x82\xac")
        self.assertEqual(ft.codec_encode("\u20ac", "ascii", "replace"), b"?")
        # Any codec, not only text encodings: str -> str and bytes -> bytes.
        self.assertEqual(ft.codec_encode("abc", "rot13"), "nop")
        self.assertEqual(ft.codec_encode(b"ab", "hex"), b"6162")
        with self.assertRaisesRegex(UnicodeEncodeError,
                                    "'ascii' codec can't encode character '\\\\u20ac' in "
                                    "position 0: ordinal not in range\\(128\\)"):
            ft.codec_encode("\u20ac", "ascii")
        with self.assertRaisesRegex(LookupError, "^unknown encoding: nope$"):
            ft.codec_encode("a", "nope")
        with self.assertRaises(TypeError):
            ft.codec_encode(1, "utf-8")

    def test_decode(self):
        self.assertEqual(ft.codec_decode(b"a\xe2\x82\xac", "utf-8"), "a\u20ac")
        self.assertEqual(ft.codec_decode(b"6162", "hex"), b"ab")
        self.assertEqual(ft.codec_decode(b"\xff", "utf-8", "ignore"), "")
        with self.assertRaisesRegex(UnicodeDecodeError,
                                    "'utf-8' codec can't decode byte 0xff in position 0: "
                                    "invalid start byte"):
            ft.codec_decode(b"\xff", "utf-8")
        with self.assertRaisesRegex(LookupError, "^unknown encoding: nope$"):
            ft.codec_decode(b"a", "nope")

    def test_lookuperror(self):
        self.assertIs(ft.codec_lookuperror("ignore"), codecs.lookup_error("ignore"))
        self.assertIs(ft.codec_lookuperror("replace"), codecs.lookup_error("replace"))
        # NULL means "strict".
        self.assertIs(ft.codec_lookuperror(None), codecs.lookup_error("strict"))
        with self.assertRaisesRegex(LookupError, "^unknown error handler name 'nope'$"):
            ft.codec_lookuperror("nope")

        def handler(exc):
            return ("?", exc.end)
        codecs.register_error("_ferrytest.handler", handler)
        self.assertIs(ft.codec_lookuperror("_ferrytest.handler"), handler)


if __name__ == "__main__":
    unittest.main()
