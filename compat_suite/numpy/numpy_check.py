"""Differential check of numpy's C core (numpy.core._multiarray_umath and
friends): the same lines on CPython 3.11 and through ferry (compat_suite/run.py
compare). numpy defines its builtin dtypes and np.True_/np.False_ statically,
float64 as a type of C based on (floating, float), and calls its ufuncs
through PyVectorcall_Call."""
import gc
import os
import pickle
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lines import error, show  # noqa: E402 (compat_suite/lines.py)

warnings.simplefilter('ignore')   # (add_newdoc's about the layer's methods: docs/architecture.md)
import numpy as np  # noqa: E402

a = np.arange(12, dtype=np.float64).reshape(3, 4)
show('array', a)
show('sum axis 0', a.sum(axis=0))
show('matmul', a.T @ a)
show('inv', np.linalg.inv(np.array([[2.0, 1.0], [1.0, 3.0]])))
show('sort', np.sort(np.array([3, 1, 2])))
show('argsort', np.argsort(np.array([3.5, -1.0, 2.0])))
show('float64', (np.float64(2.5) * 2, type(np.float64(2.5) * 2).__name__))
show('float64 is float', (isinstance(np.float64(1), float), np.float64.__mro__))
show('strings', np.array(['a', 'bc']))
show('bytes array', (np.array([b'ab', b'c'])[0], np.array([b'ab']).astype('S3'), np.array([b'12']).astype(float)))
show('string casts', (np.array([b'ab', b'c']).astype('U'), np.array([1.5]).astype('S'), np.char.decode(np.array([b'ab']))))
show('datetime64', (np.arange('2024-01', '2024-04', dtype='datetime64[M]'),
                    np.datetime_as_string(np.datetime64('2024-03-05T10:20'))))
show('bytes_', (np.bytes_(b'ab'), isinstance(np.bytes_(b'ab'), bytes)))
show('str_', (np.str_('ab') + 'c', isinstance(np.str_('x'), str)))
show('complex', np.array([1 + 2j]) * 2)
show('complex128', (np.complex128(1 + 2j) * 2, isinstance(np.complex128(1j), complex)))
show('mean', np.mean(a))
show('dtypes', [str(np.dtype(c)) for c in 'bhilqfdgFD?SUO'])
show('dtype identity', np.dtype('f8') is np.dtype(np.float64))
show('zeros int32', np.zeros(3, dtype=np.int32))
show('unique', np.unique([3, 3, 1]))
show('mask', a[a > 5])
show('bool ops', np.array([True, False]) & True)
show('bools', (np.bool_(True), np.True_ is np.bool_(1), bool(np.False_)))
show('concatenate', np.concatenate([a, a]).shape)
show('random', np.random.default_rng(0).integers(0, 10, 5))
show('ufunc', (np.add(1, 2), np.log(2.0), np.add.reduce([1, 2, 3]), np.sqrt(np.array([4.0, 9.0]))))
show('ufunc out', np.multiply(np.arange(3), 2, out=np.empty(3, dtype=np.int64)))
show('broadcast', (np.ones((2, 1)) + np.arange(3)).tolist())
show('structured', np.zeros(2, dtype=[('x', 'i4'), ('y', 'f8')]))
show('fromiter', np.fromiter(range(5), dtype=np.int16))
show('tolist', a.tolist())
show('item', (a[1, 2].item(), type(a[1, 2]).__name__))
show('pickle', pickle.loads(pickle.dumps(a)).tolist() == a.tolist())
show('buffer', bytes(memoryview(np.arange(3, dtype=np.uint8))))
show('view', np.frombuffer(b'\x01\x00\x02\x00', dtype='<u2'))
show('cumsum', np.cumsum(np.arange(5)))
show('where', np.where(a > 4, a, -1).tolist())
show('einsum', np.einsum('ij,ij->i', a, a))
show('nan', (np.nan == np.nan, np.isnan(np.array([np.nan, 1.0]))))
error('shape mismatch', lambda: np.ones(3) + np.ones(4))
error('bad dtype', lambda: np.dtype('nope'))
error('index', lambda: np.arange(3)[5])

# Arrays made and dropped: their buffers go back.
total = 0
for i in range(2000):
    total += int(np.arange(i % 50).sum())
gc.collect()
show('made and dropped', total)
