"""The main job: Debian's CPython-built markupsafe, ujson, simplejson, xxhash,
brotli, kiwisolver, PIL and dbus, used through their normal Python APIs. Prints one line per check;
compat_suite/run.py runs it on CPython 3.11 and on PyPy through ferry and
requires identical output."""
import sys


def show(label, value):
    print('%s: %r' % (label, value))


import markupsafe
from markupsafe import _speedups
show('markupsafe speedups in use', markupsafe.escape is _speedups.escape)
show('escape', str(markupsafe.escape('<a href="x">&\'é\U0001F600</a>')))
show('escape Markup', markupsafe.escape(markupsafe.Markup('<b>')))
show('escape int', str(markupsafe.escape(42)))
show('escape_silent None', markupsafe.escape_silent(None))
show('soft_str', markupsafe.soft_str('x'))
show('Markup format', str(markupsafe.Markup('<em>%s</em>') % '<&>'))
show('escape long', len(markupsafe.escape('<&>"\'' * 2000)))

import ujson
doc = {'a': [1, 2.5, 'x', None, True, False], 'b': {'c': 'é\u20ac\U0001F600', 'd': -2 ** 63},
       'e': [[], {}, ''], 'f': 1e300, 'g': 2 ** 64 - 1}
show('ujson dumps', ujson.dumps(doc, sort_keys=True))
show('ujson loads', ujson.loads(ujson.dumps(doc)) == doc)
show('ujson indent', ujson.dumps([1, {'k': 'v'}], indent=2))
show('ujson escape', ujson.dumps('<script>', escape_forward_slashes=False, encode_html_chars=True))
for bad in ('[1,', '{"a" 1}', 'nul', '"\\uZZZZ"'):
    try:
        ujson.loads(bad)
    except ValueError as e:
        show('ujson error', (bad, type(e).__name__, str(e)))
class Opaque:
    def __repr__(self):
        return '<opaque>'


try:
    ujson.dumps(Opaque())
except TypeError as e:
    show('ujson TypeError', str(e))

import simplejson
from simplejson import _speedups as sj_speedups
show('simplejson speedups', simplejson._import_c_make_encoder() is sj_speedups.make_encoder)
show('simplejson c_scanstring', simplejson.decoder.c_scanstring is sj_speedups.scanstring)
show('simplejson dumps', simplejson.dumps(doc, sort_keys=True))
show('simplejson loads', simplejson.loads(simplejson.dumps(doc)) == doc)
show('simplejson indent', simplejson.dumps({'x': [1, 2]}, indent='  ', sort_keys=True))
show('simplejson decimal', simplejson.loads('1.1', use_decimal=True))
try:
    simplejson.loads('[1, 2')
except simplejson.JSONDecodeError as e:
    show('simplejson error', (e.msg, e.pos, e.lineno, e.colno))

import xxhash
for name in ('xxh32', 'xxh64', 'xxh3_64', 'xxh3_128'):
    h = getattr(xxhash, name)(b'hello', seed=7)
    h.update(b' world')
    c = h.copy()
    c.update(b'!')
    show(name, (h.hexdigest(), h.intdigest(), c.hexdigest(), h.digest_size, h.block_size))
show('xxh64_intdigest', xxhash.xxh64_intdigest('ünïcode'))

import brotli
data = b'ferry carries extensions across. ' * 500
packed = brotli.compress(data, quality=5)
show('brotli roundtrip', brotli.decompress(packed) == data)
show('brotli size', len(packed))
d = brotli.Decompressor()
show('brotli stream', d.process(packed[:100]) + d.process(packed[100:]) == data)
c = brotli.Compressor(quality=3)
show('brotli compressor', brotli.decompress(c.process(data) + c.finish()) == data)
try:
    brotli.decompress(b'not brotli')
except brotli.error as e:
    show('brotli error', str(e))

import kiwisolver
x, y, w = kiwisolver.Variable('x'), kiwisolver.Variable('y'), kiwisolver.Variable('w')
solver = kiwisolver.Solver()
for c in (x + y == 10, x - y == 2, w >= 3, (w <= 1) | 'weak'):
    solver.addConstraint(c)
solver.updateVariables()
show('kiwisolver solution', (x.value(), y.value(), w.value()))
show('kiwisolver expression', (str(x + 2 * y - 1), repr(w)))
try:
    solver.addConstraint(x + y == 10)
except kiwisolver.DuplicateConstraint as e:
    show('kiwisolver duplicate', type(e).__name__)

from PIL import Image, ImageChops, ImageFilter
im = Image.new('RGB', (16, 8), (10, 20, 30))
im.putpixel((3, 4), (250, 0, 125))
show('PIL pixels', (im.size, im.mode, im.getpixel((3, 4)), im.getpixel((0, 0))))
show('PIL convert', (im.convert('L').getpixel((3, 4)), im.convert('1').getpixel((0, 0))))
show('PIL resize', im.resize((4, 2), Image.BILINEAR).tobytes()[:12])
show('PIL filter', im.filter(ImageFilter.BoxBlur(1)).getpixel((3, 4)))
show('PIL histogram', (sum(im.histogram()), im.getbbox()))
show('PIL difference', ImageChops.difference(im, Image.new('RGB', (16, 8), (10, 20, 30))).getbbox())
show('PIL bytes roundtrip', Image.frombytes('RGB', (16, 8), im.tobytes()).tobytes() == im.tobytes())

import dbus
msg = dbus.lowlevel.SignalMessage('/org/example/Ferry', 'org.example.Ferry', 'Crossed')
msg.append(dbus.Int32(-5), 'text', [dbus.Byte(1), dbus.Byte(2)], {'k': dbus.Int64(2 ** 40, variant_level=1)},
           dbus.Struct((dbus.Boolean(True), dbus.Double(2.5)), signature='bd'), signature='isaya{sv}(bd)')
show('dbus signature', msg.get_signature())
show('dbus args', msg.get_args_list())
show('dbus types', [(type(a).__name__, isinstance(a, (int, str, list, dict, tuple))) for a in msg.get_args_list()])
show('dbus variant level', dbus.String('s', variant_level=3).variant_level)

import subprocess
child = subprocess.run([sys.executable, '-c', 'import ujson, markupsafe._speedups; print(ujson.dumps([1, "x"]))'],
                       capture_output=True, text=True)
show('subprocess with sys.executable', (child.returncode, child.stdout.strip()))
