"""The main job: Debian's CPython-built markupsafe, ujson, simplejson, xxhash
and brotli, used through their normal Python APIs. Prints one line per check;
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

import subprocess
child = subprocess.run([sys.executable, '-c', 'import ujson, markupsafe._speedups; print(ujson.dumps([1, "x"]))'],
                       capture_output=True, text=True)
show('subprocess with sys.executable', (child.returncode, child.stdout.strip()))
