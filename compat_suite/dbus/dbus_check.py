"""Differential check of dbus-python's C _dbus_bindings: its types are
extension types whose bases are builtins (int, float, str, bytes, list, tuple,
dict). The same lines on CPython 3.11 and through ferry (compat_suite/run.py
compare). No D-Bus daemon: the types, and messages of dbus.lowlevel built and
read back in the process."""
import copy
import gc
import os
import pickle
import re

import dbus
import dbus.exceptions
import dbus.lowlevel
import dbus.types
import _dbus_bindings

from dbus.lowlevel import Message, MethodCallMessage, SignalMessage

ADDRESS = re.compile(r' at 0x[0-9a-f]+')

# Known differences of ferry (docs/architecture.md, "Findings about the host"):
# the lines whose label ends so print the reason on both sides instead of the
# value. Classes made on PyPy are heap types there: __flags__ has
# Py_TPFLAGS_HEAPTYPE and lacks the *_SUBCLASS bits, so copyreg's protocol 0
# and 1 pickle a dbus type by its builtin base where CPython refuses a static
# type. PyPy's own messages name a type by __name__ ('Double'), CPython's by
# tp_name ('dbus.Double'): an attribute a type without a tp_getattro of its
# own lacks, hash() of an unhashable one.
KNOWN = {
    'type flags': 'classes are heap types on PyPy',
    'pickle 0': 'classes are heap types on PyPy',
    'pickle 1': 'classes are heap types on PyPy',
}
for _name in ('String', 'Double', 'Array', 'Dictionary'):   # (no tp_getattro of their own)
    KNOWN[_name + ' missing attribute'] = "PyPy's message names the type by __name__"
for _label in ('array unhashable', 'dict unhashable'):
    KNOWN[_label] = "PyPy's message names the type by __name__"


def show(label, fn):
    """label: repr(value), or label: ExceptionType: message."""
    for ending, reason in KNOWN.items():
        if label.endswith(ending):
            print('%s: known difference: %s' % (label, reason))
            return
    try:
        value = fn()
    except Exception as exc:
        print('%s: %s: %s' % (label, type(exc).__name__, ADDRESS.sub('', str(exc))))
    else:
        print('%s: %s' % (label, ADDRESS.sub('', repr(value))))


def typed(value):
    """repr with the type name of every level (repr of a dbus type hides its subclass)."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [typed(v) for v in value], getattr(value, 'variant_level', None),
                getattr(value, 'signature', None))
    if isinstance(value, dict):
        return (type(value).__name__, [(typed(k), typed(v)) for k, v in value.items()],
                getattr(value, 'variant_level', None), getattr(value, 'signature', None))
    return (type(value).__name__, value, getattr(value, 'variant_level', None))


show('c-implemented', lambda: [t for t in ('Int32', 'String', 'Array', 'Dictionary', 'Struct', 'Double',
                                           'ByteArray', 'Boolean', 'Byte', 'ObjectPath', 'Signature')
                               if getattr(dbus, t) is getattr(_dbus_bindings, t)])
show('no UTF8String', lambda: hasattr(dbus, 'UTF8String'))

# --- construction, with and without variant_level; repr, str, variant_level, base
INTS = [('Byte', 7), ('Boolean', 1), ('Int16', -300), ('UInt16', 65535), ('Int32', -2 ** 31),
        ('UInt32', 2 ** 32 - 1), ('Int64', -2 ** 63), ('UInt64', 2 ** 64 - 1)]
BUILT = [(name, getattr(dbus, name), arg) for name, arg in INTS] + [
    ('Double', dbus.Double, 2.5),
    ('String', dbus.String, 'h\xe9llo \u2603'),
    ('ObjectPath', dbus.ObjectPath, '/org/freedesktop/Thing_1'),
    ('Signature', dbus.Signature, 'a{sv}(ii)as'),
    ('ByteArray', dbus.ByteArray, b'\x00\x01ab\xff'),
    ('Array', dbus.Array, [1, 2, 3]),
    ('Struct', dbus.Struct, (1, 'two', 3.0)),
    ('Dictionary', dbus.Dictionary, {'a': 1, 'b': 2}),
]
BASES = {'Byte': int, 'Boolean': int, 'Int16': int, 'UInt16': int, 'Int32': int, 'UInt32': int,
         'Int64': int, 'UInt64': int, 'Double': float, 'String': str, 'ObjectPath': str,
         'Signature': str, 'ByteArray': bytes, 'Array': list, 'Struct': tuple, 'Dictionary': dict}
for name, cls, arg in BUILT:
    for level in (None, 0, 1, 3):
        label = '%s(%r%s)' % (name, arg, '' if level is None else ', variant_level=%d' % level)
        make = (lambda cls=cls, arg=arg: cls(arg)) if level is None else \
            (lambda cls=cls, arg=arg, level=level: cls(arg, variant_level=level))
        show(label + ' repr', lambda: repr(make()))
        show(label + ' str', lambda: str(make()))
        show(label + ' variant_level', lambda: make().variant_level)
    show(name + ' isinstance base', lambda: (isinstance(cls(arg), BASES[name]), issubclass(cls, BASES[name]),
                                             type(cls(arg)) is cls, type(cls(arg)).__name__))
    show(name + ' mro', lambda: [c.__name__ for c in cls.__mro__])
    show(name + ' equal base', lambda: (cls(arg) == BASES[name](cls(arg)), BASES[name](cls(arg)) == cls(arg),
                                        cls(arg, variant_level=2) == cls(arg), cls(arg) != cls(arg)))
    show(name + ' base value', lambda: BASES[name](cls(arg, variant_level=1)))
    show(name + ' negative variant_level', lambda: cls(arg, variant_level=-1))
    show(name + ' variant_level readonly', lambda: setattr(cls(arg), 'variant_level', 5))
    show(name + ' missing attribute', lambda: cls(arg).no_such_attribute)
    show(name + ' hasattr missing', lambda: (hasattr(cls(arg), 'no_such_attribute'),
                                             getattr(cls(arg, variant_level=1), 'no_such', 'default')))
    show(name + ' type flags', lambda: (bool(cls.__flags__ & 1 << 9), bool(cls.__flags__ & 1 << 10),
                                        [bool(cls.__flags__ & 1 << b) for b in range(24, 31)]))
    show(name + ' bool', lambda: (bool(cls(arg)), bool(cls(BASES[name]()) if name not in ('ObjectPath',) else 0)))
    show(name + ' copy', lambda: (copy.copy(cls(arg, variant_level=2)), copy.deepcopy(cls(arg, variant_level=2))))
    for protocol in (0, 1, 2, pickle.HIGHEST_PROTOCOL):
        show('%s pickle %d' % (name, protocol),
             lambda: typed(pickle.loads(pickle.dumps(cls(arg, variant_level=1), protocol))))

# --- ints: arithmetic as int, ranges, hashing
i = dbus.Int32(41, variant_level=1)
show('int arithmetic', lambda: (i + 1, i - 50, i * 2, i // 4, i % 5, i ** 2, -i, abs(dbus.Int32(-4)), ~i,
                                i << 3, i >> 1, i & 12, i | 256, i ^ 1, divmod(i, 6), i / 2))
show('int arithmetic types', lambda: [type(x).__name__ for x in (i + 1, i * i, -i, i / 2, i + 0.5)])
show('int compare', lambda: (i < 42, i > 41, i == 41, i >= dbus.Int64(41), sorted([dbus.Int16(3), 1, dbus.Byte(2)])))
show('int methods', lambda: (i.bit_length(), i.to_bytes(4, 'big'), int(i), float(i), i.real, i.imag,
                             i.numerator, i.denominator, format(i, '08x'), '%d|%x' % (i, i), hex(i), i.__index__()))
show('int index', lambda: ([10, 20, 30][dbus.Byte(1)], 'abcdef'[dbus.UInt32(2):dbus.Int64(4)], range(dbus.Int16(3))))
show('int hash', lambda: [hash(dbus.Int32(v)) == hash(v) for v in (0, 1, -1, 41, -2 ** 31)])
show('int hash values', lambda: [hash(getattr(dbus, n)(v)) for n, v in INTS])
show('int64 hash', lambda: (hash(dbus.UInt64(2 ** 64 - 1)), hash(dbus.Int64(-2 ** 63))))
show('int as dict key', lambda: {dbus.Int32(1): 'a', 1: 'b', dbus.Byte(2): 'c'})
show('bool', lambda: (dbus.Boolean(0), dbus.Boolean([]), dbus.Boolean('x'), dbus.Boolean(True) + 1,
                      str(dbus.Boolean(5)), dbus.Boolean(True) == True, dbus.Boolean(7) == 1))
show('byte from str', lambda: (dbus.Byte('a'), dbus.Byte(b'a')))
show('byte from long str', lambda: dbus.Byte('ab'))
for name, bad in (('Byte', 256), ('Byte', -1), ('Int16', 2 ** 15), ('Int16', -2 ** 15 - 1), ('UInt16', -1),
                  ('UInt16', 2 ** 16), ('Int32', 2 ** 40), ('Int32', 2 ** 31), ('Int32', -2 ** 31 - 1),
                  ('UInt32', -1), ('UInt32', 2 ** 32), ('Int64', 2 ** 63), ('Int64', -2 ** 63 - 1),
                  ('UInt64', -1), ('UInt64', 2 ** 64), ('Int32', 2 ** 100)):
    show('range %s(%d)' % (name, bad), lambda: getattr(dbus, name)(bad))
show('range Int32 from float', lambda: dbus.Int32(3.9))
show('range Int32 from str', lambda: dbus.Int32('12'))
show('range Int32 from bad str', lambda: dbus.Int32('x'))
show('Int32 no args', lambda: dbus.Int32())
show('Int32 bad kw', lambda: dbus.Int32(1, foo=2))
show('Int32 too many args', lambda: dbus.Int32(1, 2, 3))
show('Int32 base arg', lambda: dbus.Int32('ff', 16))

# --- floats
d = dbus.Double(1.25, variant_level=2)
show('double arithmetic', lambda: (d + 1, d * 4, d / 2, d // 1, d % 1, -d, d ** 2, round(d, 1), int(d),
                                   d.is_integer(), d.as_integer_ratio(), d.hex(), format(d, '.3f'), '%g' % d))
show('double arithmetic types', lambda: [type(x).__name__ for x in (d + 1, d * d, -d, abs(d))])
show('double hash', lambda: (hash(d) == hash(1.25), hash(dbus.Double(3.0)) == hash(3), hash(dbus.Double(0.5))))
show('double special', lambda: (dbus.Double(float('inf')), str(dbus.Double(-0.0)), dbus.Double('1e3'),
                                dbus.Double(float('nan')) != dbus.Double(float('nan'))))
show('double from bad str', lambda: dbus.Double('pi'))
show('double from int', lambda: (dbus.Double(3), dbus.Double(2 ** 53 + 1)))

# --- strings
s = dbus.String('Hello, W\xf6rld', variant_level=1)
show('str methods', lambda: (s.upper(), s.split(', '), s[1:4], s[-1], len(s), s + '!', s * 2, 'W' in s,
                             s.encode('utf-8'), s.startswith('He'), s.find('o'), list(s)[:3], '%s|' % s,
                             '{}'.format(s), f'{s!r}', s.replace('l', 'L')))
show('str method types', lambda: [type(x).__name__ for x in (s.upper(), s[1:4], s + '!', str(s), s[0])])
show('str hash', lambda: (hash(s) == hash(str(s)), hash(dbus.ObjectPath('/a')) == hash('/a'),
                          hash(dbus.Signature('i')) == hash('i')))
show('str as key', lambda: {dbus.String('k'): 1, 'k': 2, dbus.ObjectPath('/k'): 3})
show('str compare', lambda: (s == 'Hello, W\xf6rld', s < 'Z', sorted([dbus.String('b'), 'a', dbus.ObjectPath('/')])))
show('String from bytes', lambda: dbus.String(b'abc'))
show('String from int', lambda: dbus.String(12))
show('String with NUL', lambda: dbus.String('a\x00b'))
show('String surrogate', lambda: dbus.String('\ud800'))
show('ObjectPath invalid', lambda: dbus.ObjectPath('no/slash'))
show('ObjectPath trailing slash', lambda: dbus.ObjectPath('/a/'))
show('ObjectPath double slash', lambda: dbus.ObjectPath('//'))
show('ObjectPath root', lambda: dbus.ObjectPath('/'))
show('ObjectPath __dbus_object_path__', lambda: dbus.ObjectPath('/a').__dbus_object_path__)
show('Signature invalid', lambda: dbus.Signature('a{'))
show('Signature invalid char', lambda: dbus.Signature('z'))
show('Signature iterate', lambda: list(dbus.Signature('a{sv}i(ii)aay')))
show('Signature iterate types', lambda: [type(x).__name__ for x in dbus.Signature('sv')])
show('Signature empty', lambda: (dbus.Signature(''), list(dbus.Signature(''))))

# --- bytes
ba = dbus.ByteArray(b'\x01\x02hello', variant_level=1)
show('bytes ops', lambda: (ba[0], ba[2:5], len(ba), ba + b'!', b'll' in ba, ba.decode('ascii', 'replace'),
                           ba.hex(), list(ba)[:3], ba.upper(), ba * 2, bytes(ba), bytearray(ba)))
show('bytes op types', lambda: [type(x).__name__ for x in (ba[2:5], ba + b'!', ba.upper())])
show('bytes hash', lambda: hash(ba) == hash(b'\x01\x02hello'))
show('ByteArray from str', lambda: dbus.ByteArray('abc'))
show('ByteArray from list', lambda: dbus.ByteArray([1, 2]))

# --- lists
a = dbus.Array([dbus.Int32(1), 2, 3], signature='i', variant_level=1)
show('array attrs', lambda: (a.signature, type(a.signature).__name__, a.variant_level, len(a), a[0], a[-1],
                             a[1:], 2 in a, 9 in a, a.index(3), a.count(2)))
show('array slice type', lambda: (type(a[1:]).__name__, type(a + [4]).__name__, type(a * 2).__name__))
show('array equal', lambda: (a == [1, 2, 3], [1, 2, 3] == a, a == dbus.Array([1, 2, 3]), a != [1, 2]))


def mutate():
    b = dbus.Array([3, 1, 2], signature='i')
    b.append(5)
    b.extend([4, 0])
    b.insert(0, 9)
    b.sort()
    b.reverse()
    del b[0]
    b[1] = dbus.Int32(-7, variant_level=1)
    b += [100]
    popped = b.pop()
    b.remove(0)
    return b, popped, b.signature, b.variant_level, len(b)


show('array mutate', mutate)
show('array unhashable', lambda: hash(a))
show('array index error', lambda: a[10])
show('array iter', lambda: [x * 2 for x in a])
show('array no signature', lambda: dbus.Array([]).signature)
show('array bad signature', lambda: dbus.Array([], signature='ii'))
show('array signature obj', lambda: dbus.Array([], signature=dbus.Signature('(is)')))
show('array from generator', lambda: dbus.Array(x for x in range(4)))
show('array kw only', lambda: dbus.Array(signature='s', variant_level=2))

# --- tuples
t = dbus.Struct((1, 'x', dbus.Double(2.0)), signature='isd', variant_level=2)
show('struct attrs', lambda: (t.signature, t.variant_level, len(t), t[1], t[-1], t[:2], 'x' in t,
                              t.index('x'), t.count(1)))
show('struct types', lambda: (type(t[:2]).__name__, type(t + (1,)).__name__))
show('struct equal', lambda: (t == (1, 'x', 2.0), (1, 'x', 2.0) == t, t < (2,)))
show('struct hash', lambda: (hash(t) == hash((1, 'x', 2.0)), hash(dbus.Struct((1, 2))) == hash((1, 2))))
show('struct unpack', lambda: (lambda p, q, r: (p, q, r))(*t))
show('struct empty', lambda: dbus.Struct(()))
show('struct bad signature', lambda: dbus.Struct((1,), signature='a'))
show('struct no args', lambda: dbus.Struct())
show('struct from list', lambda: dbus.Struct([1, 2]))

# --- dicts
dd = dbus.Dictionary({'one': 1, 'two': dbus.Int32(2, variant_level=1)}, signature='sv', variant_level=1)
show('dict attrs', lambda: (dd.signature, dd.variant_level, len(dd), dd['one'], dd.get('three', 3),
                            'two' in dd, sorted(dd), list(dd.items()), list(dd.values())))
show('dict equal', lambda: (dd == {'one': 1, 'two': 2}, {'one': 1, 'two': 2} == dd, dd != {}))


def dmutate():
    e = dbus.Dictionary(signature='si')
    e['a'] = 1
    e.update({'b': 2}, c=3)
    e.setdefault('d', 4)
    del e['a']
    popped = e.pop('b')
    e |= {'z': 26}
    return e, popped, e.signature, dict(e), type(e | {}).__name__, e.copy(), type(e.copy()).__name__


show('dict mutate', dmutate)
show('dict missing', lambda: dd['nope'])
show('dict unhashable', lambda: hash(dd))
show('dict from pairs', lambda: dbus.Dictionary([('k', 'v'), ('l', 'w')]))
show('dict from kwargs', lambda: dbus.Dictionary(a=1))
show('dict bad signature', lambda: dbus.Dictionary({}, signature='s'))
show('dict fromkeys', lambda: dbus.Dictionary.fromkeys('ab', 0))


# --- Python subclasses of the types of C
class MyInt(dbus.Int32):
    def twice(self):
        return self * 2


class MyString(dbus.String):
    extra = 'class attr'

    def shout(self):
        return self.upper() + '!'


class MyArray(dbus.Array):
    def __init__(self, items, tag, **kwargs):
        super().__init__(items, **kwargs)
        self.tag = tag


class MyDict(dbus.Dictionary):
    def __missing__(self, key):
        return 'missing ' + key


class MyStruct(dbus.Struct):
    @property
    def first(self):
        return self[0]


class MyDouble(dbus.Double):
    __slots__ = ()


class MyBytes(dbus.ByteArray):
    pass


mi = MyInt(21, variant_level=1)
show('subclass int setattr', lambda: setattr(mi, 'note', 'instance attr'))
show('subclass int', lambda: (repr(mi), mi.twice(), mi.variant_level, isinstance(mi, int),
                              type(mi + 1).__name__, hash(mi) == hash(21), hasattr(mi, '__dict__')))
show('subclass int range', lambda: MyInt(2 ** 40))
ms = MyString('quiet', variant_level=2)
show('subclass str', lambda: (repr(ms), ms.shout(), ms.extra, ms.variant_level, str(ms), ms == 'quiet'))
ma = MyArray([1, 2], 'T', signature='i', variant_level=1)
ma.append(3)
show('subclass list', lambda: (repr(ma), ma.tag, ma.signature, ma.variant_level, list(ma), len(ma)))
md = MyDict({'x': 1}, signature='si')
show('subclass dict', lambda: (repr(md), md['x'], md['y'], md.signature))
mt = MyStruct((5, 6), variant_level=1)
show('subclass tuple', lambda: (repr(mt), mt.first, mt.variant_level, hash(mt) == hash((5, 6))))
show('subclass float slots', lambda: (repr(MyDouble(0.5)), hasattr(MyDouble(0.5), '__dict__'),
                                      MyDouble(0.5, variant_level=4).variant_level))
show('subclass bytes', lambda: (repr(MyBytes(b'z', variant_level=1)), MyBytes(b'z') + b'y'))
show('subclass mro', lambda: [c.__name__ for c in MyString.__mro__])
for cls in (MyInt, MyString, MyArray, MyDict, MyStruct):
    show('subclass %s pickle' % cls.__name__, lambda: typed(pickle.loads(pickle.dumps(
        cls(*{MyArray: ([1], 'P'), MyDict: ({'a': 1},), MyStruct: ((1,),), MyInt: (3,),
              MyString: ('p',)}[cls]), 2))))


# --- messages: append with explicit signatures, read back
def roundtrip(signature, *args, **kwargs):
    m = SignalMessage('/org/example/Obj', 'org.example.Iface', 'Changed')
    m.append(*args, signature=signature)
    return m.get_signature(), typed(m.get_args_list(**kwargs))


show('msg basic', lambda: roundtrip('ybnqiuxtdsog', 1, True, -2, 3, -4, 5, -6, 7, 8.5, 's', '/p', 'a{sv}'))
show('msg basic reprs', lambda: (lambda m: (m.append(1, True, 2.5, 'z', signature='ybds'), m.get_args_list())[1])(
    SignalMessage('/', 'a.b', 'C')))
show('msg array of structs', lambda: roundtrip('a(isad)', [(1, 'a', [0.5, 1.5]), (2, 'b', []),
                                                           dbus.Struct((3, 'c', [2.0]), variant_level=0)]))
show('msg dict of variants', lambda: roundtrip('a{sv}', {
    'int': dbus.Int32(1), 'str': 'text', 'list': dbus.Array([1, 2], signature='x'),
    'nested': dbus.Dictionary({'k': dbus.Boolean(True)}, signature='sv'),
    'deep': dbus.String('two levels', variant_level=2), 'bytes': dbus.ByteArray(b'ab'),
    'struct': dbus.Struct((1, 'x'), signature='is'), 'path': dbus.ObjectPath('/v'),
    'double': 1.5, 'sig': dbus.Signature('ai')}))
show('msg byte arrays', lambda: roundtrip('ayay', b'\x00\x01\xfe\xff', dbus.ByteArray(b'xyz')))
show('msg byte arrays as ByteArray', lambda: roundtrip('ayaay', b'\x00abc', [b'1', b'22', b''], byte_arrays=True))
show('msg byte array from list', lambda: roundtrip('ay', [1, 2, 255], byte_arrays=True))
show('msg nested arrays', lambda: roundtrip('aai', [[1, 2], [], [3]]))
show('msg dict of dicts', lambda: roundtrip('a{ia{ss}}', {1: {'a': 'b'}, 2: {}}))
show('msg variant levels', lambda: roundtrip('vvv', dbus.Int32(1, variant_level=1), dbus.Int32(1, variant_level=3),
                                             dbus.Array([dbus.String('x', variant_level=2)], signature='v',
                                                        variant_level=2)))
show('msg variant guess', lambda: roundtrip('v', [1, 'x']))
show('msg variant guess struct', lambda: roundtrip('v', (1, 2.5, 'x')))
show('msg guessed signature', lambda: (lambda m: (m.append(1, 'x', [1.5], {'a': (1, True)}, dbus.Byte(3),
                                                           dbus.UInt64(9), dbus.ObjectPath('/o')),
                                                  m.get_signature(), typed(m.get_args_list()))[1:])(
    SignalMessage('/', 'a.b', 'C')))
show('msg guess_signature', lambda: [Message.guess_signature(*args) for args in (
    (1,), ('x', 2.0), ([1],), ({'a': 1},), ((1, 'x'),), (dbus.Array([], signature='s'),),
    (dbus.Dictionary({}, signature='ov'),), (dbus.Boolean(1), dbus.Int16(1), b'b'), (dbus.ByteArray(b'x'),))])
show('msg subclasses', lambda: roundtrip('isaia{si}(ii)', mi, ms, ma, md, mt))
show('msg python subclass of int', lambda: roundtrip('i', type('I', (int,), {})(5)))
show('msg overflow', lambda: roundtrip('y', 256))
show('msg overflow i', lambda: roundtrip('i', 2 ** 31))
show('msg overflow u', lambda: roundtrip('u', -1))
show('msg wrong type', lambda: roundtrip('i', 'text'))
show('msg wrong type s', lambda: roundtrip('s', 1))
show('msg too few args', lambda: roundtrip('ii', 1))
show('msg too many args', lambda: roundtrip('i', 1, 2))
show('msg bad signature', lambda: roundtrip('a', []))
# (an invalid object path for 'o' is libdbus's assertion: the process aborts on both)
show('msg bad struct', lambda: roundtrip('(ii)', (1,)))
show('msg unguessable', lambda: roundtrip(None, object()))
show('msg string with NUL', lambda: roundtrip('s', 'a\x00b'))
show('msg empty', lambda: roundtrip(''))


def headers():
    m = MethodCallMessage('org.example.Dest', '/org/example/Obj', 'org.example.Iface', 'Do')
    m.append(dbus.Array([dbus.Struct((1, 'x'))], signature='(is)'), signature='a(is)')
    m.set_no_reply(True)
    m.set_sender(':1.42')
    m.set_auto_start(False)
    c = m.copy()
    return (repr(m), m.get_type(), m.is_method_call('org.example.Iface', 'Do'), m.is_signal('a.b', 'Do'),
            m.is_error('x.y'), m.get_destination(), m.get_path(), m.get_path_decomposed(), m.get_interface(),
            m.get_member(), m.get_no_reply(), m.get_sender(), m.get_auto_start(), m.get_serial(),
            m.get_reply_serial(), m.has_member('Do'), m.has_path('/x'), m.has_signature('a(is)'),
            m.has_destination('org.example.Dest'), m.has_sender(':1.42'), m.has_interface('other.I'),
            m.get_error_name(), m.get_signature(), type(c).__name__, typed(c.get_args_list()), c.get_member())


show('msg headers', headers)


def signal_headers():
    m = SignalMessage('/a/b', 'org.x.Y', 'Sig')
    m.set_destination('org.other')
    m.set_interface('org.z.W')
    m.set_member('Other')
    m.set_allow_interactive_authorization(True)
    return (repr(m), m.get_type(), m.is_signal('org.z.W', 'Other'), m.get_destination(), m.get_path(),
            m.get_interface(), m.get_member(), m.get_path_decomposed(), m.get_allow_interactive_authorization(),
            m.get_signature(), m.get_args_list())


show('signal headers', signal_headers)
show('signal set_path', lambda: SignalMessage('/a', 'b.c', 'D').set_path('/c'))
show('message type constants', lambda: (dbus.lowlevel.MESSAGE_TYPE_METHOD_CALL, dbus.lowlevel.MESSAGE_TYPE_SIGNAL,
                                        dbus.lowlevel.MESSAGE_TYPE_ERROR, _dbus_bindings.TYPE_VARIANT,
                                        _dbus_bindings.TYPE_STRUCT, _dbus_bindings.DICT_ENTRY_BEGIN))
# (MethodReturnMessage and ErrorMessage need a call with a serial: one of 0 is
# libdbus's assertion, and only a connection gives serials)
show('bad message path', lambda: SignalMessage('nope', 'a.b', 'C'))
show('bad message interface', lambda: SignalMessage('/', 'nodot', 'C'))
show('bad message member', lambda: MethodCallMessage(None, '/', None, '1bad'))
show('bare Message', lambda: Message())
for fn, arg in (('validate_object_path', '/ok/path'), ('validate_object_path', 'bad'),
                ('validate_bus_name', 'org.freedesktop.DBus'), ('validate_bus_name', 'x'),
                ('validate_interface_name', 'a..b'), ('validate_member_name', 'Do'),
                ('validate_member_name', 'a.b'), ('validate_error_name', 'org.x.E')):
    show('%s(%r)' % (fn, arg), lambda: getattr(dbus, fn)(arg))

# --- UnixFd (no fd number printed: it is the process's)
r, w = os.pipe()


def unixfd():
    u = dbus.types.UnixFd(r, variant_level=1)
    v = dbus.types.UnixFd(r)
    fd = v.take()
    os.close(fd)
    fd2 = u.take()
    os.close(fd2)
    return type(u).__name__, u.variant_level, v.variant_level, isinstance(fd, int), fd != r


show('unixfd', unixfd)
show('unixfd repr', lambda: repr(dbus.types.UnixFd(r)))
show('unixfd bad', lambda: dbus.types.UnixFd('x'))
show('unixfd of unixfd', lambda: dbus.types.UnixFd(dbus.types.UnixFd(r)))
show('unixfd pipe object', lambda: (lambda f: (type(dbus.types.UnixFd(f)).__name__, f.close()))(os.fdopen(os.dup(r))))
show('unixfd in message', lambda: (lambda m: (m.append(dbus.types.UnixFd(w), signature='h'), m.get_signature(),
                                              [type(x).__name__ for x in m.get_args_list()])[1:])(
    SignalMessage('/', 'a.b', 'C')))
os.close(r)
os.close(w)

# --- exceptions (dbus.exceptions is Python; the errors raised by the module of C)
E = dbus.exceptions.DBusException
e = E('something broke', 42, name='org.example.Error.Broken')
show('exception', lambda: (str(e), repr(e), e.args, e.get_dbus_name(), e.get_dbus_message(),
                           isinstance(e, Exception)))
show('exception no name', lambda: (str(E('plain')), E('plain').get_dbus_name(), E().get_dbus_message()))
show('exception bad kw', lambda: E('x', bogus=1))
show('exception subclass', lambda: (lambda x: (str(x), x.get_dbus_name(), type(x).__mro__[1].__name__))(
    dbus.exceptions.UnknownMethodException('Frob')))
show('exception subclasses', lambda: [(c.__name__, getattr(c, '_dbus_error_name', None)) for c in (
    dbus.exceptions.UnknownMethodException, dbus.exceptions.NameExistsException,
    dbus.exceptions.ValidationException, dbus.exceptions.IntrospectionParserException,
    dbus.exceptions.MissingErrorHandlerException, dbus.exceptions.MissingReplyHandlerException)])


class MyError(E):
    _dbus_error_name = 'org.example.MyError'


show('exception user subclass', lambda: (str(MyError('m')), MyError('m').get_dbus_name()))


def raise_and_catch():
    try:
        raise MyError('raised')
    except E as exc:
        return type(exc).__name__, exc.get_dbus_name(), str(exc)


show('exception raise', raise_and_catch)
show('exception pickle', lambda: (lambda x: (type(x).__name__, x.args, x.get_dbus_name()))(
    pickle.loads(pickle.dumps(e))))

# --- many objects: lifetime through collections
N = 50000
ints = [dbus.Int32(k - N // 2, variant_level=k % 4) for k in range(N)]
strs = [dbus.String('s%d' % k, variant_level=k % 3) for k in range(N)]
arrs = [dbus.Array([dbus.Int64(k), dbus.String(str(k))], signature='v', variant_level=k % 2) for k in range(N)]
dicts = [dbus.Dictionary({dbus.String('k'): dbus.Double(k / 2)}, signature='sd', variant_level=k // 10 % 5)
         for k in range(0, N, 10)]
structs = [dbus.Struct((dbus.Byte(k % 256), dbus.ObjectPath('/o/%d' % k)), variant_level=k // 10 % 3)
           for k in range(0, N, 10)]
gc.collect()
show('many ints', lambda: (all(v == k - N // 2 and v.variant_level == k % 4 and type(v) is dbus.Int32
                               for k, v in enumerate(ints)), sum(ints), sum(v.variant_level for v in ints)))
show('many strs', lambda: (all(v == 's%d' % k and v.variant_level == k % 3 for k, v in enumerate(strs)),
                           sum(map(len, strs))))
show('many arrays', lambda: (all(v[0] == k and v[1] == str(k) and v.variant_level == k % 2 and v.signature == 'v'
                                 for k, v in enumerate(arrs)), arrs[12345]))
show('many dicts', lambda: (all(v['k'] == k * 5 and v.variant_level == k % 5 for k, v in enumerate(dicts)),
                            dicts[-1]))
show('many structs', lambda: (all(v[0] == (k * 10) % 256 and v[1] == '/o/%d' % (k * 10) and v.variant_level == k % 3
                                  for k, v in enumerate(structs)), structs[777]))
keyed = {v: k for k, v in enumerate(strs[:1000])}
show('many as keys', lambda: (len(keyed), keyed['s999'], keyed[dbus.String('s5')]))
del ints, strs, arrs, dicts, structs, keyed
gc.collect()


def churn():
    total, levels = 0, 0
    for k in range(N):
        m = SignalMessage('/p', 'a.b', 'C')
        if k % 100 == 0:
            m.append(dbus.Array([dbus.Struct((k, dbus.String('x' * (k % 7), variant_level=1)))],
                                signature='(iv)'), signature='a(iv)')
            got = m.get_args_list()[0][0]
            total += got[0]
            levels += got[1].variant_level + len(got[1])
        v = dbus.UInt64(k, variant_level=1) + dbus.Int16(k % 100)
        total += v
    return total, levels


show('churn', churn)
gc.collect()


def cycles():
    out = []
    for k in range(2000):
        a = MyArray([k], 'cyc', signature='v')
        a.append(a)                    # a list of C holding itself
        d = MyDict({'self': None}, signature='sv')
        d['self'] = d
        d['arr'] = a
        out.append(d)
    survivors = [(d['arr'][0], d['self'] is d, d['arr'][1] is d['arr']) for d in out[::500]]
    del out, a, d
    gc.collect()
    return survivors


show('cycles', cycles)
gc.collect()
show('done', lambda: True)
