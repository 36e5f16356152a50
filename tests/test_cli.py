"""The command line and the ways of switching ferry on, driven from outside:
`pypy3 -m ferry run` with a script, -m and -c, subprocesses that inherit it,
and `enable`/`disable` for every PyPy process (tested with --user in a
temporary PYTHONUSERBASE)."""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE = '/usr/lib/python3/dist-packages'
ENV = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'python'), FERRY_LIBDIR=os.path.abspath(sys.argv[1]))


def pypy(*args, env=ENV, input=None):
    return subprocess.run(['pypy3'] + list(args), capture_output=True, text=True, env=env,
                          cwd=tempfile.gettempdir(), input=input)


class TestRun(unittest.TestCase):

    def test_code(self):
        r = pypy('-m', 'ferry', 'run', '--site', SITE, '-c',
                 'import sys, ujson; print(ujson.dumps(sys.argv))', 'a', 'b')
        self.assertEqual(r.stdout.strip(), '["-c","a","b"]', r.stderr)

    def test_module(self):
        r = pypy('-m', 'ferry', 'run', '--site', SITE, '-m', 'json.tool', input='{"a": 1}')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"a": 1', r.stdout)

    def test_script_and_subprocess(self):
        with tempfile.NamedTemporaryFile('w', suffix='.py', delete=False) as f:
            f.write('import subprocess, sys\n'
                    'import xxhash\n'
                    'print(xxhash.xxh32(b"a").hexdigest())\n'
                    'print(subprocess.run([sys.executable, "-c", "import brotli; print(brotli.__name__)"],'
                    ' capture_output=True, text=True).stdout.strip())\n')
        try:
            r = pypy('-m', 'ferry', 'run', '--site', SITE, f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(r.stdout.split(), ['550d7456', 'brotli'], r.stderr)

    def test_host_settings(self):
        # `ferry run` switches PyPy's pinning off and sizes its nursery from
        # the L2 cache where PyPy misreads it; a caller's settings are kept.
        sys.path.insert(0, os.path.join(ROOT, 'python'))
        from ferry import _nursery
        show = 'import os; print(os.environ.get("PYPY_GC_MAX_PINNED"), os.environ.get("PYPY_GC_NURSERY"))'
        env = {k: v for k, v in ENV.items() if k not in ('PYPY_GC_MAX_PINNED', 'PYPY_GC_NURSERY')}
        r = pypy('-m', 'ferry', 'run', '-c', show, env=env)
        self.assertEqual(r.stdout.split(), ['0', str(_nursery.corrected_nursery(env))], r.stderr)
        r = pypy('-m', 'ferry', 'run', '-c', show,
                 env=dict(env, PYPY_GC_MAX_PINNED='5', PYPY_GC_NURSERY='64k'))
        self.assertEqual(r.stdout.split(), ['5', '64k'], r.stderr)
        l2 = _nursery.sys_l2_cache()
        if l2 and _nursery.cpuinfo_cache() != l2:
            self.assertEqual(_nursery.corrected_nursery({}),
                             str(l2 // 2 if l2 > 2 << 20 else 1 << 20))
        self.assertIsNone(_nursery.corrected_nursery({'PYPY_GC_NURSERY': '4M'}))

    def test_usage(self):
        r = pypy('-m', 'ferry', 'frobnicate')
        self.assertEqual(r.returncode, 2)
        self.assertIn('usage', r.stderr)

    def test_help(self):
        for args in (['--help'], ['-h'], ['run', '--help']):
            r = pypy('-m', 'ferry', *args)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn('pypy3 -m ferry run', r.stdout)


class TestImportPrecedence(unittest.TestCase):
    """CPython's order: builtins first, then the first sys.path entry holding the name; within
    one entry, extension modules before source."""

    def run_code(self, code):
        r = pypy('-m', 'ferry', 'run', '--site', SITE, '-c', code)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def test_host_builtin_not_shadowed(self):
        # dist-packages holds a CPython build of _cffi_backend; PyPy's own must win.
        out = self.run_code('import _cffi_backend, hashlib; print(_cffi_backend.__spec__.origin)')
        self.assertEqual(out, 'built-in')

    def test_earlier_path_entry_wins(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, 'ujson.py'), 'w') as f:
                f.write('WHERE = "source"\n')
            out = self.run_code('import sys; sys.path.insert(0, %r); import ujson; print(ujson.WHERE)' % d)
        self.assertEqual(out, 'source')

    def test_extension_before_source_in_one_entry(self):
        so = 'ujson.cpython-311-x86_64-linux-gnu.so'
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, 'ujson.py'), 'w') as f:
                f.write('WHERE = "source"\n')
            os.symlink(os.path.join(SITE, so), os.path.join(d, so))
            out = self.run_code('import sys; sys.path.insert(0, %r); import ujson; '
                                'print(ujson.__file__.endswith(%r), hasattr(ujson, "WHERE"))' % (d, so))
        self.assertEqual(out, 'True False')


class TestStats(unittest.TestCase):

    def test_stats_json(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'stats.json')
            r = pypy('-m', 'ferry', 'run', '--site', SITE, '--stats-json', path, '-c',
                     'import ujson\nfor i in range(10): ujson.dumps([i, "x"])')
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn('ferry statistics', r.stderr)
            import json
            with open(path) as f:
                data = json.load(f)
        self.assertEqual(data['modules']['ujson']['calls'], 10)
        self.assertGreaterEqual(data['materialized']['list']['count'], 10)
        self.assertGreater(data['host_calls'], 0)
        self.assertGreater(data['api_families']['longobject']['calls'], 0)
        self.assertLessEqual(data['modules']['ujson']['layer_ns'], data['modules']['ujson']['total_ns'])

    def test_stats_off_by_default(self):
        r = pypy('-m', 'ferry', 'run', '--site', SITE, '-c', 'import ujson; ujson.dumps(1)')
        self.assertNotIn('ferry statistics', r.stderr)


class TestEnable(unittest.TestCase):

    def test_enable_disable_user(self):
        with tempfile.TemporaryDirectory() as base:
            env = dict(ENV, PYTHONUSERBASE=base)
            r = pypy('-m', 'ferry', 'enable', '--user', '--site', SITE, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            plain = dict(env)
            del plain['PYTHONPATH']
            r = pypy('-c', 'import ujson; print(ujson.dumps({"k": 1}))', env=plain)
            self.assertEqual(r.stdout.strip(), '{"k":1}', r.stderr)
            pypy('-m', 'ferry', 'disable', '--user', env=env)
            r = pypy('-c', 'import ujson', env=plain)
            self.assertNotEqual(r.returncode, 0)


if __name__ == '__main__':
    result = unittest.main(argv=sys.argv[:1], exit=False).result
    print('%d passed, %d failed' % (result.testsRun - len(result.failures) - len(result.errors),
                                    len(result.failures) + len(result.errors)))
    sys.exit(0 if result.wasSuccessful() else 1)
