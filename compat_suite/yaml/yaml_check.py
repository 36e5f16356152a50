"""Differential check of PyYAML's libyaml binding (yaml._yaml, Cython): the
same lines on CPython 3.11 and through ferry (compat_suite/run.py compare)."""
import gc
import io
import os
import sys

import yaml
from yaml import CDumper, CLoader, CSafeDumper, CSafeLoader

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lines import error, show  # noqa: E402 (compat_suite/lines.py)
assert yaml.__with_libyaml__, 'the C binding is not in use'


DOC = """
%YAML 1.1
---
name: ferry
version: 3.11
numbers: [1, -2, 0x1f, 0o17, 1_000, 3.5, .inf, -.inf]
flags: {on: yes, off: no, none: ~}
when: 2026-11-21
stamp: 2026-11-21T10:20:30.5Z
text: |
  literal
   block
folded: >
  folded
  text
anchors:
  base: &base {a: 1, b: 2}
  derived:
    <<: *base
    c: 3
  same: *base
binary: !!binary aGVsbG8=
set: !!set {x, y}
pairs: !!pairs [a: 1, b: 2]
omap: !!omap [one: 1, two: 2]
unicode: "caf\\u00e9 \\U0001F600"
quoted: 'it''s'
...
"""

data = yaml.load(DOC, Loader=CLoader)
data['set'] = sorted(data['set'])   # str hashes differ between runs
show('load', sorted(data.items(), key=lambda kv: kv[0]))
show('safe load', yaml.load('a: [1, 2, {b: c}]', Loader=CSafeLoader))
show('load_all', list(yaml.load_all('--- 1\n--- [2]\n--- {x: 3}\n', Loader=CLoader)))
show('anchor identity', data['anchors']['same'] is data['anchors']['base'])
show('bytes input', yaml.load(b'\xef\xbb\xbfkey: value\n', Loader=CLoader))
show('stream input', yaml.load(io.StringIO('- a\n- b\n'), Loader=CLoader))

show('scan', [type(t).__name__ for t in yaml.scan('a: [1, 2]', Loader=CLoader)])
show('parse', [type(e).__name__ for e in yaml.parse('a: [1, 2]', Loader=CLoader)])
node = yaml.compose('a: [1, !x 2]', Loader=CLoader)
show('compose', (node.tag, [(k.value, v.tag) for k, v in node.value]))
show('compose marks', (node.start_mark.line, node.start_mark.column, node.end_mark.index))

value = {'list': [1, 2.5, None, True, 'text', b'bytes'], 'nested': {'k': [{'a': 1}]},
         'unicode': 'caf\u00e9', 'multiline': 'one\ntwo\n', 'empty': [], 'tuple': (1, 2)}
show('dump', yaml.dump(value, Dumper=CDumper))
show('dump flow', yaml.dump(value, Dumper=CDumper, default_flow_style=True))
show('dump options', yaml.dump(value, Dumper=CDumper, allow_unicode=True, indent=4, width=20,
                               explicit_start=True, explicit_end=True, sort_keys=False))
show('dump canonical', yaml.dump({'a': [1, 2]}, Dumper=CDumper, canonical=True))
show('safe dump', yaml.dump({'a': [1, 'x']}, Dumper=CSafeDumper))
show('dump_all', yaml.dump_all([1, [2], {'x': 3}], Dumper=CDumper))
shared = [1, 2]
show('dump aliases', yaml.dump({'a': shared, 'b': shared}, Dumper=CDumper))
stream = io.StringIO()
yaml.dump({'to': 'stream'}, stream, Dumper=CDumper)
show('dump stream', stream.getvalue())
show('dump bytes', yaml.dump({'e': 'caf\u00e9'}, Dumper=CDumper, encoding='utf-8'))
show('round trip', yaml.load(yaml.dump(value, Dumper=CDumper), Loader=CLoader) == value)


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)


def point_representer(dumper, p):
    return dumper.represent_mapping('!point', {'x': p.x, 'y': p.y})


def point_constructor(loader, node):
    return Point(**loader.construct_mapping(node))


yaml.add_representer(Point, point_representer, Dumper=CDumper)
yaml.add_constructor('!point', point_constructor, Loader=CLoader)
text = yaml.dump([Point(1, 2), Point(3, 4)], Dumper=CDumper)
show('custom dump', text)
show('custom load', [vars(p) for p in yaml.load(text, Loader=CLoader)])

error('scanner error', lambda: yaml.load('a: b: c', Loader=CLoader), yaml.YAMLError)
error('parser error', lambda: yaml.load('[1, 2', Loader=CLoader), yaml.YAMLError)
error('unknown tag', lambda: yaml.load('!nope 1', Loader=CSafeLoader), yaml.YAMLError)
error('unknown alias', lambda: yaml.load('*x', Loader=CLoader), yaml.YAMLError)
error('bad utf-8', lambda: yaml.load(b'a: \xff', Loader=CLoader), yaml.YAMLError)
class Opaque:
    def __repr__(self):
        return '<opaque>'


error('unrepresentable', lambda: yaml.dump(Opaque(), Dumper=CSafeDumper), yaml.YAMLError)

big = {'k%d' % i: list(range(i % 7)) for i in range(2000)}
text = yaml.dump(big, Dumper=CDumper)
show('big dump', (len(text), text[:60]))
show('big round trip', yaml.load(text, Loader=CLoader) == big)
for _ in range(3):
    gc.collect()
show('after collect', yaml.load('[ok]', Loader=CLoader))
