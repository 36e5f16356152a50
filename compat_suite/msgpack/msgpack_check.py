"""Differential check of msgpack's Cython extension (msgpack._cmsgpack): the
same lines on CPython 3.11 and through ferry (compat_suite/run.py compare)."""
import array
import datetime
import gc
import io
import os
import sys

import msgpack
from msgpack import ExtType, Timestamp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lines import error, show  # noqa: E402 (compat_suite/lines.py)
assert msgpack.Packer is msgpack._cmsgpack.Packer, 'the C extension is not in use'


value = {'int': [0, 1, -1, 127, 128, -32, -33, 2**16, 2**32, -2**63, 2**64 - 1],
         'float': [0.0, 1.5, -2.25, float('inf')], 'str': ['', 'a', 'caf\u00e9', 'x' * 40, 'y' * 70000],
         'bytes': [b'', b'\x00\xff', b'z' * 300], 'none': None, 'bools': [True, False],
         'nested': {'a': [{'b': [1, [2, [3]]]}]}, 'tuple': (1, 2)}
packed = msgpack.packb(value)
show('packb', (len(packed), packed[:40]))
show('unpackb', msgpack.unpackb(packed) == value)
show('tuple as list', msgpack.unpackb(msgpack.packb((1, (2, 3))), use_list=False))
show('raw', msgpack.unpackb(msgpack.packb('caf\u00e9'), raw=True))
show('bin type off', msgpack.packb(b'ab', use_bin_type=False))
show('single float', msgpack.packb(1.5, use_single_float=True))
show('int keys', msgpack.unpackb(msgpack.packb({1: 2}), strict_map_key=False))
show('from memoryview', msgpack.unpackb(memoryview(packed)) == value)
show('from bytearray', msgpack.unpackb(bytearray(packed)) == value)
# (Not checked: a non-contiguous buffer. msgpack 1.0.3 releases its contiguous
# copy twice there, which CPython reports as a SystemError.)
show('from array', msgpack.unpackb(array.array('b', msgpack.packb([1, 2]))))

show('ext', msgpack.unpackb(msgpack.packb(ExtType(5, b'data'))))


def default(o):
    if isinstance(o, set):
        return ExtType(1, msgpack.packb(sorted(o)))
    raise TypeError('cannot pack %r' % (o,))


def ext_hook(code, data):
    return set(msgpack.unpackb(data)) if code == 1 else ExtType(code, data)


show('default/ext_hook', sorted(msgpack.unpackb(msgpack.packb({3, 1, 2}, default=default), ext_hook=ext_hook)))
show('object_hook', msgpack.unpackb(msgpack.packb({'a': 1}), object_hook=lambda d: sorted(d.items())))
show('object_pairs_hook', msgpack.unpackb(msgpack.packb({'a': 1, 'b': 2}), object_pairs_hook=list))
show('list_hook', msgpack.unpackb(msgpack.packb([1, [2]]), list_hook=tuple))

utc = datetime.timezone.utc
when = datetime.datetime(2026, 11, 21, 10, 20, 30, 123456, tzinfo=utc)
p = msgpack.packb(when, datetime=True)
show('datetime', (p, msgpack.unpackb(p, timestamp=3), msgpack.unpackb(p), msgpack.unpackb(p, timestamp=1),
                  msgpack.unpackb(p, timestamp=2)))
east = datetime.timezone(datetime.timedelta(hours=5, minutes=30), 'IST')
show('datetime tz', msgpack.unpackb(msgpack.packb(when.astimezone(east), datetime=True), timestamp=3))
show('old datetime', msgpack.unpackb(msgpack.packb(datetime.datetime(1900, 1, 1, tzinfo=utc), datetime=True),
                                     timestamp=3))
show('timestamp', msgpack.unpackb(msgpack.packb(Timestamp(1, 2))))
error('naive datetime', lambda: msgpack.packb(datetime.datetime(2020, 1, 1), datetime=True))
error('datetime off', lambda: msgpack.packb(when))
error('date', lambda: msgpack.packb(datetime.date(2020, 1, 1), datetime=True))

packer = msgpack.Packer(autoreset=False)
packer.pack(1)
packer.pack([2, 3])
show('packer buffer', bytes(packer.getbuffer()))
packer.reset()
show('packer map/array headers', (packer.pack_array_header(2), packer.pack_map_header(1)))
show('packer map pairs', msgpack.Packer().pack_map_pairs([(1, 2), ('a', 'b')]))

unpacker = msgpack.Unpacker()
for chunk in (packed[:10], packed[10:100], packed[100:]):
    unpacker.feed(chunk)
show('unpacker feed', [o == value for o in unpacker])
unpacker = msgpack.Unpacker(io.BytesIO(msgpack.packb([1, 2]) + msgpack.packb({'k': 'v'})), read_size=3)
show('unpacker stream', list(unpacker))
unpacker = msgpack.Unpacker()
unpacker.feed(msgpack.packb([1, [2, 3], {'a': 4}]))
show('unpacker read headers', (unpacker.read_array_header(), unpacker.unpack(), unpacker.skip(),
                               unpacker.read_map_header(), unpacker.unpack(), unpacker.tell()))
unpacker.feed(b'\x93\x01')
error('out of data', lambda: unpacker.unpack())

error('incomplete', lambda: msgpack.unpackb(b'\x91'))
error('extra data', lambda: msgpack.unpackb(b'\x01\x02'))
error('bad type', lambda: msgpack.packb(object.__new__(type('Opaque', (), {'__repr__': lambda s: '<o>'}))))
deep = []
for _ in range(600):
    deep = [deep]
error('too deep', lambda: msgpack.packb(deep))
error('max_bin_len', lambda: msgpack.unpackb(msgpack.packb(b'x' * 10), max_bin_len=5))
error('str key required', lambda: msgpack.unpackb(msgpack.packb({1: 2})))
error('reserved code', lambda: msgpack.unpackb(b'\xc1'))

big = [{'id': i, 'name': 'n%d' % i, 'tags': list(range(i % 5))} for i in range(20000)]
data = msgpack.packb(big)
show('big', (len(data), msgpack.unpackb(data) == big))
for _ in range(3):
    gc.collect()
show('after collect', msgpack.unpackb(msgpack.packb([1])))
