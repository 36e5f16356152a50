"""The measuring side of bench/run.py: runs in one configuration (CPython 3.11,
PyPy + cpyext, PyPy + ferry, or plain PyPy) and times the named benchmarks.

  worker.py --config NAME [--ext-dir DIR] [--warmup S] [--repeats N]
            [--target S] BENCH...

Prints one line `RESULT {json}` per benchmark: ns/op of each repeat (after a
warm-up of at least --warmup seconds), the iterations per repeat, a digest of
the benchmark's result (compared across configurations by run.py) and the file
of the C extension that did the work. A failing benchmark gives
`{"error": ...}` and the others go on.

Also imported by run.py for BENCHMARKS, the table of cases: so nothing here
imports an extension at module level, and the syntax stays Python 3.9 (PyPy).
"""
import gc
import hashlib
import os
import sys
import time

# ---------------------------------------------------------------------------
# The cases. Each is timed like timeit: `setup` runs, then `stmt` in a loop of
# n iterations; ns/op = elapsed / n. `prep` runs once per process (module-level
# data, imports); `check` is evaluated once and its digest compared across
# configurations; `impl` names the file of the C code that does the work
# (checked by run.py: a pure-Python fallback must not be measured).
# configs: where the case runs; the others show n/a.

MICRO = ('cpython', 'cpyext', 'ferry')
PACKAGE = ('cpython', 'ferry')          # Debian's builds: CPython ABI only
PREP_B = 'import _ferrybench as B'
IMPL_B = 'B.__file__'

BENCHMARKS = []


def case(name, group, stmt, setup='', prep=PREP_B, check=None, impl=IMPL_B,
         configs=MICRO, doc=''):
    BENCHMARKS.append(dict(name=name, group=group, stmt=stmt, setup=setup, prep=prep,
                           check=check, impl=impl, configs=configs, doc=doc))


# -- the C API boundary, one kind of traffic per case (bench/ext/_ferrybench.c)
case('noargs()', 'micro', 'f()', 'f = B.noargs', check='B.noargs()',
     doc='METH_NOARGS, returns None')
case('add1(i)', 'micro', 'f(x)', 'f = B.add1; x = 12345', check='B.add1(41)',
     doc='METH_O, int in and out')
case('concat3(a, b, c)', 'micro', 'f(a, b, c)', 'f = B.concat3; a = 1; b = "two"; c = 3.0',
     check='B.concat3(1, "two", 3.0)', doc='METH_VARARGS, returns a tuple')
case('strlen(s)', 'micro', 'f(s)', 'f = B.strlen; s = "hello, ferry!"',
     check='B.strlen("h\\u00e9llo \\U0001F600")', doc='PyUnicode_GET_LENGTH')
case('sum_list(100 ints)', 'micro', 'f(lst)', 'f = B.sum_list; lst = LIST100',
     prep=PREP_B + '\nLIST100 = list(range(100))', check='B.sum_list(LIST100)',
     doc='PyList_GET_ITEM + PyLong_AsLong')
case('make_list(100)', 'micro', 'f(100)', 'f = B.make_list', check='B.make_list(100)',
     doc='PyList_New + PyList_SET_ITEM(PyLong_FromLong)')
case('getattr_x(obj)', 'micro', 'f(o)', 'f = B.getattr_x; o = OBJ',
     prep=PREP_B + '\nclass Obj(object):\n    def __init__(self):\n        self.x = 7\nOBJ = Obj()',
     check='B.getattr_x(OBJ)', doc='PyObject_GetAttrString(obj, "x"), a Python object')
case('Point(x, y)', 'micro', 'P(1.5, 2.5)', 'P = B.Point', check='B.Point(3.0, 4.0).x',
     doc='static type: tp_new + tp_init with two doubles')
case('Point.norm()', 'micro', 'p.norm()', 'p = B.Point(3.0, 4.0)',
     check='B.Point(3.0, 4.0).norm()', doc='METH_NOARGS method of a static type')
case('kw(1, b=5, c=4)', 'micro', 'f(1, b=5, c=4)', 'f = B.kw',
     check='(B.kw(1), B.kw(1, 5), B.kw(1, b=5, c=4), B.kw(a=1, c=10))',
     doc='METH_FASTCALL|METH_KEYWORDS, parsed by hand')
case('build_dict(100)', 'micro', 'f(100)', 'f = B.build_dict', check='B.build_dict(100)',
     doc='PyDict_New + 100 PyDict_SetItem of str -> int')
case('dict_sum(100 items)', 'micro', 'f(d)', 'f = B.dict_sum; d = DICT100',
     prep=PREP_B + '\nDICT100 = dict(("k%d" % i, i) for i in range(100))',
     check='B.dict_sum(DICT100)', doc='PyDict_Next')
case('fmt(i)', 'micro', 'f(i)', 'f = B.fmt; i = 42', check='B.fmt(-7)',
     doc='PyUnicode_FromFormat("item-%d")')
case('bytes_roundtrip(64 B)', 'micro', 'f(b)', 'f = B.bytes_roundtrip; b = BYTES64',
     prep=PREP_B + '\nBYTES64 = bytes(range(64))', check='B.bytes_roundtrip(BYTES64)',
     doc='PyBytes_AsStringAndSize + PyBytes_FromStringAndSize')
case('raise_catch()', 'micro', 'f()', 'f = B.raise_catch', check='B.raise_catch()',
     doc='PyErr_SetString + PyErr_ExceptionMatches + PyErr_Clear')
case('iter_sum(100 ints)', 'micro', 'f(lst)', 'f = B.iter_sum; lst = LIST100',
     prep=PREP_B + '\nLIST100 = list(range(100))', check='B.iter_sum(LIST100)',
     doc='PyObject_GetIter + PyIter_Next over a list')
case('call_norm(p)', 'micro', 'f(p)', 'f = B.call_norm; p = B.Point(3.0, 4.0)',
     check='B.call_norm(B.Point(3.0, 4.0))', doc='PyObject_CallMethod(p, "norm", NULL) from C')

# -- real packages: Debian's CPython builds
DOC_PREP = r'''
def make_doc(n):
    """A JSON document of about 100 KB (n = 400 records)."""
    out = []
    for i in range(n):
        out.append({
            "id": i, "name": "user-%05d" % i, "email": "user%d@example.org" % i,
            "active": i % 3 != 0, "score": i * 1.25 + 0.5, "nothing": None,
            "tags": ["t%d" % (i % 7), "g%d" % (i % 11), "caf\u00e9"],
            "address": {"street": "%d Long Street" % i, "zip": "%05d" % (i * 37 % 100000),
                        "geo": [48.85 + i / 1000.0, 2.35 - i / 1000.0]},
            "bio": "Lorem ipsum dolor sit amet, consectetur adipiscing elit " * 2,
        })
    return {"version": 1, "items": out}
DOC = make_doc(400)
'''
case('ujson.dumps(100 KB)', 'package', 'dumps(doc)', 'dumps = ujson.dumps; doc = DOC',
     prep='import ujson' + DOC_PREP, check='(len(ujson.dumps(DOC)), ujson.dumps(DOC))',
     impl='ujson.__file__', configs=PACKAGE)
case('ujson.loads(100 KB)', 'package', 'loads(text)', 'loads = ujson.loads; text = TEXT',
     prep='import ujson' + DOC_PREP + 'TEXT = ujson.dumps(DOC)', check='ujson.loads(TEXT) == DOC',
     impl='ujson.__file__', configs=PACKAGE)
SJ_IMPL = ('(simplejson._speedups.__file__ if simplejson._import_c_make_encoder() is not None '
           'and simplejson.decoder.c_scanstring is not None else "pure Python")')
case('simplejson.dumps(100 KB)', 'package', 'dumps(doc)', 'dumps = simplejson.dumps; doc = DOC',
     prep='import simplejson, simplejson._speedups' + DOC_PREP,
     check='(len(simplejson.dumps(DOC)), simplejson.dumps(DOC))', impl=SJ_IMPL, configs=PACKAGE)
case('simplejson.loads(100 KB)', 'package', 'loads(text)', 'loads = simplejson.loads; text = TEXT',
     prep='import simplejson, simplejson._speedups' + DOC_PREP + 'TEXT = simplejson.dumps(DOC)',
     check='simplejson.loads(TEXT) == DOC', impl=SJ_IMPL, configs=PACKAGE)
MS_PREP = ('import markupsafe, markupsafe._speedups\n'
           'SHORT = \'<a href="x">Tom & Jerry\\\'s</a>\'\n'
           'LONG = (\'<script>alert("x")</script> & plain text without specials, \' * 200)[:10000]\n')
MS_IMPL = ('markupsafe._speedups.__file__ if markupsafe.escape is markupsafe._speedups.escape '
           'else "pure Python"')
case('markupsafe.escape(short)', 'package', 'escape(s)', 'escape = markupsafe.escape; s = SHORT',
     prep=MS_PREP, check='str(markupsafe.escape(SHORT))', impl=MS_IMPL, configs=PACKAGE)
case('markupsafe.escape(10k chars)', 'package', 'escape(s)', 'escape = markupsafe.escape; s = LONG',
     prep=MS_PREP, check='str(markupsafe.escape(LONG))', impl=MS_IMPL, configs=PACKAGE)
XX_PREP = 'import xxhash, xxhash._xxhash\nKB = bytes(range(256)) * 4\nMB = KB * 1024\n'
case('xxhash.xxh64(1 KB)', 'package', 'h(data)', 'h = xxhash.xxh64_intdigest; data = KB',
     prep=XX_PREP, check='(xxhash.xxh64_intdigest(KB), xxhash.xxh64(KB).hexdigest())',
     impl='xxhash._xxhash.__file__', configs=PACKAGE)
case('xxhash.xxh64(1 MB)', 'package', 'h(data)', 'h = xxhash.xxh64_intdigest; data = MB',
     prep=XX_PREP, check='(xxhash.xxh64_intdigest(MB), xxhash.xxh64(MB).hexdigest())',
     impl='xxhash._xxhash.__file__', configs=PACKAGE)
BR_PREP = ('import brotli, sys, json' + DOC_PREP +
           'RAW = json.dumps(DOC, sort_keys=True).encode()\nPACKED = brotli.compress(RAW, quality=5)\n')
case('brotli.compress(100 KB, q=5)', 'package', 'c(raw, quality=5)', 'c = brotli.compress; raw = RAW',
     prep=BR_PREP, check='(len(RAW), brotli.compress(RAW, quality=5))',
     impl='sys.modules["_brotli"].__file__', configs=PACKAGE)
case('brotli.decompress(100 KB)', 'package', 'd(packed)', 'd = brotli.decompress; packed = PACKED',
     prep=BR_PREP, check='brotli.decompress(PACKED) == RAW',
     impl='sys.modules["_brotli"].__file__', configs=PACKAGE)

# -- the mixed workload: pure-Python N-body steps that also call extensions
NBODY_PREP = r'''
import math
def make_step(add1, dumps):
    PI = math.pi
    SOLAR_MASS = 4 * PI * PI
    DAYS_PER_YEAR = 365.24
    bodies = [
        ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0], SOLAR_MASS),
        ([4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01],
         [1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
          -6.90460016972063023e-05 * DAYS_PER_YEAR], 9.54791938424326609e-04 * SOLAR_MASS),
        ([8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01],
         [-2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
          2.30417297573763929e-05 * DAYS_PER_YEAR], 2.85885980666130812e-04 * SOLAR_MASS),
        ([1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01],
         [2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
          -2.96589568540237556e-05 * DAYS_PER_YEAR], 4.36624404335156298e-05 * SOLAR_MASS),
        ([1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01],
         [2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
          -9.51592254519715870e-05 * DAYS_PER_YEAR], 5.15138902046611451e-05 * SOLAR_MASS),
    ]
    pairs = [(bodies[i], bodies[j]) for i in range(5) for j in range(i + 1, 5)]
    state = [0]

    def step(dt=0.01):
        for (([x1, y1, z1], v1, m1), ([x2, y2, z2], v2, m2)) in pairs:
            dx = x1 - x2
            dy = y1 - y2
            dz = z1 - z2
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
            b1m = m1 * mag
            b2m = m2 * mag
            v1[0] -= dx * b2m
            v1[1] -= dy * b2m
            v1[2] -= dz * b2m
            v2[0] += dx * b1m
            v2[1] += dy * b1m
            v2[2] += dz * b1m
        for (r, [vx, vy, vz], m) in bodies:
            r[0] += dt * vx
            r[1] += dt * vy
            r[2] += dt * vz
        if add1 is not None:
            state[0] = add1(add1(add1(state[0])))
        if dumps is not None:
            dumps({"step": state[0], "x": bodies[1][0][0], "ok": True})

    def energy():
        e = 0.0
        for (((x1, y1, z1), v1, m1), ((x2, y2, z2), v2, m2)) in pairs:
            dx = x1 - x2
            dy = y1 - y2
            dz = z1 - z2
            e -= (m1 * m2) / ((dx * dx + dy * dy + dz * dz) ** 0.5)
        for (r, [vx, vy, vz], m) in bodies:
            e += m * (vx * vx + vy * vy + vz * vz) / 2.
        return e
    step.energy = energy
    step.state = state
    return step

def check_run(step, n=200):
    for _ in range(n):
        step()
    return (repr(step.energy()), step.state[0])
'''
MIXED_EXT_PREP = ('if CONFIG == "pypy":\n    ADD1 = None\nelse:\n'
                  '    import _ferrybench as B\n    ADD1 = B.add1\nDUMPS = None\n')
MIXED_UJSON_PREP = ('if CONFIG == "pypy":\n    ADD1 = DUMPS = None\nelse:\n'
                    '    import _ferrybench as B, ujson\n    ADD1 = B.add1\n    DUMPS = ujson.dumps\n')
MIXED_IMPL = '"no extension" if CONFIG == "pypy" else B.__file__'
case('N-body step + 3 add1', 'mixed', 'step()', 'step = make_step(ADD1, DUMPS)',
     prep=MIXED_EXT_PREP + NBODY_PREP, check='check_run(make_step(ADD1, DUMPS))[0]',
     impl=MIXED_IMPL, configs=('cpython', 'cpyext', 'ferry', 'pypy'),
     doc='one step of 5 bodies (pure Python) + add1(add1(add1(n)))')
case('N-body step + 3 add1 + ujson.dumps', 'mixed', 'step()', 'step = make_step(ADD1, DUMPS)',
     prep=MIXED_UJSON_PREP + NBODY_PREP, check='check_run(make_step(ADD1, DUMPS))[0]',
     impl=MIXED_IMPL + ' + " " + (ujson.__file__ if DUMPS else "")',
     configs=('cpython', 'ferry', 'pypy'),
     doc='the issue\'s mixed workload: + ujson.dumps of a small dict per step')

BY_NAME = dict((b['name'], b) for b in BENCHMARKS)


# ---------------------------------------------------------------------------
# Timing

def digest(value):
    text = repr(value)
    if len(text) <= 120:
        return text
    return 'sha1:%s len=%d' % (hashlib.sha1(text.encode('utf-8', 'surrogatepass')).hexdigest(),
                               len(text))


def make_inner(spec, namespace):
    setup = [line for line in spec['setup'].split(';') if line.strip()]
    src = ['def inner(_n, _timer):']
    src += ['    ' + line.strip() for line in setup]
    src += ['    _t0 = _timer()',
            '    for _i in range(_n):',
            '        ' + spec['stmt'],
            '    return _timer() - _t0']
    code = compile('\n'.join(src) + '\n', '<bench %s>' % spec['name'], 'exec')
    exec(code, namespace)
    return namespace['inner']


def measure(spec, config, warmup, repeats, target):
    namespace = {'__name__': '__bench__', 'CONFIG': config}
    exec(compile(spec['prep'], '<prep %s>' % spec['name'], 'exec'), namespace)
    impl = str(eval(spec['impl'], namespace)) if spec['impl'] else ''
    check = digest(eval(spec['check'], namespace)) if spec['check'] else None
    inner = make_inner(spec, namespace)
    timer = time.perf_counter

    # calibrate: n iterations take about `target` seconds
    n = 1
    while True:
        t = inner(n, timer)
        if t >= target / 4 or n >= 1 << 34:
            break
        n = n * 10 if t < target / 100 else n * 2
    n = max(1, int(n * target / max(t, 1e-9)))

    # warm-up (the JIT's), then recalibrate: the compiled loop is faster
    start = timer()
    warm_rounds = 0
    while True:
        t = inner(n, timer)
        warm_rounds += 1
        if timer() - start >= warmup and warm_rounds >= 2:
            break
        if t < target / 2:
            n = max(1, int(n * target / max(t, 1e-9)))
    n = max(1, int(n * target / max(t, 1e-9)))

    times = []
    for _ in range(repeats):
        times.append(inner(n, timer) * 1e9 / n)
    return dict(ns=times, n=n, impl=impl, check=check, warmup_s=round(timer() - start, 3))


def main(argv):
    import json
    config, ext_dir, warmup, repeats, target, names = None, None, 2.0, 7, 0.1, []
    while argv:
        opt = argv.pop(0)
        if opt == '--config':
            config = argv.pop(0)
        elif opt == '--ext-dir':
            ext_dir = argv.pop(0)
        elif opt == '--warmup':
            warmup = float(argv.pop(0))
        elif opt == '--repeats':
            repeats = int(argv.pop(0))
        elif opt == '--target':
            target = float(argv.pop(0))
        else:
            names.append(opt)
    if ext_dir:
        sys.path.insert(0, ext_dir)
    info = dict(config=config, executable=sys.executable, version=sys.version.split()[0],
                implementation=sys.implementation.name, ferry='ferry' in sys.modules,
                pid=os.getpid())
    print('INFO ' + json.dumps(info), flush=True)
    for name in names:
        spec = BY_NAME[name]
        try:
            result = measure(spec, config, warmup, repeats, target)
        except BaseException as e:  # a failing case is a result too
            if isinstance(e, KeyboardInterrupt):
                raise
            result = dict(error='%s: %s' % (type(e).__name__, str(e)[:300]))
        result['name'] = name
        print('RESULT ' + json.dumps(result), flush=True)
        gc.collect()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
