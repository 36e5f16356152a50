"""Differential check of pyrsistent's C pvectorc: the same lines on CPython
3.11 and through ferry (compat_suite/run.py compare)."""
import gc
import os
import pickle
import sys

import pyrsistent
import pvectorc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lines import show  # noqa: E402 (compat_suite/lines.py)
assert pyrsistent.pvector is pvectorc.pvector, 'the C pvector is not in use'
pvector, PVector = pvectorc.pvector, pvectorc.PVector


v = pvector(range(10))
show('create', v)
show('len/index', (len(v), v[0], v[-1], v[3:7], v[::3], v[::-2]))
show('append', v.append(10))
show('set', v.set(3, 'x'))
show('set end', v.set(10, 'end'))
show('extend', v.extend(range(100, 105)))
show('mset', v.mset(0, 'a', 9, 'z'))
show('delete', (v.delete(0), v.delete(2, 5)))
show('remove', v.remove(5))
show('count/index', (v.count(3), v.index(7)))
show('compare', (v == pvector(range(10)), v < v.append(1), v != v.set(0, -1)))
show('add/mul', (v[:2] + v[-2:], v[:2] * 3))
show('hash equal', hash(v) == hash(pvector(range(10))))
show('tolist', v.tolist())
show('transform', pvector([pvector([1, 2]), pvector([3])]).transform([0, 1], 20))

e = v.evolver()
e[0] = 'first'
e.append('last')
e.extend([1, 2])
del e[1]
show('evolver', (e.is_dirty(), e.persistent(), len(e), e[0]))
show('evolver set/delete', e.set(0, 'again').delete(0).persistent()[:3])

big = pvector(range(100000))
show('big', (len(big), big[99999], big[12345], sum(big[::1000])))
show('big set', big.set(50000, -1)[49999:50002])
show('big pickle', pickle.loads(pickle.dumps(big)) == big)
show('pickle', pickle.loads(pickle.dumps(v.set(2, 'p'))))

for name, bad in (('index', lambda: v[100]), ('type', lambda: v['a']), ('set', lambda: v.set(100, 1)),
                  ('hash', lambda: hash(pvector([[]])))):
    try:
        bad()
    except Exception as exc:
        show('error ' + name, (type(exc).__name__, str(exc)))


try:   # PVector is final in C (no Py_TPFLAGS_BASETYPE): subclassing must fail the same way
    class Sub(PVector):
        pass
except TypeError as exc:
    show('subclass', str(exc))
show('isinstance', isinstance(v, PVector))

chunks = [pvector(range(i, i + 1000)) for i in range(0, 200000, 1000)]
del chunks
gc.collect()
nested = pvector()
for i in range(2000):
    nested = nested.append(pvector([i, nested[-1] if nested else None]))
show('nested', (len(nested), nested[-1][0], nested[-1][1][0]))
del nested
gc.collect()
show('done', True)
