"""Runs the differential C API tests (tests/capi/test_*.py) on CPython 3.11
natively (--cpython) or on PyPy through ferry (--ferry), with the test
extensions from BUILDDIR/tests/capi on sys.path."""
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
mode, builddir = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(builddir, 'tests', 'capi'))
if mode == '--ferry':
    import ferry
    ferry.install()
suite = unittest.defaultTestLoader.discover(os.path.join(here, 'capi'), top_level_dir=os.path.join(here, 'capi'))


def known_failures():
    """tests/capi/ferry_known_failures.txt: test id, then the reason."""
    with open(os.path.join(here, 'capi', 'ferry_known_failures.txt')) as f:
        return {line.split()[0] for line in f if line.strip() and not line.startswith('#')}


def mark_expected(suite, ids):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            mark_expected(test, ids)
        elif test.id() in ids:
            method = getattr(test, test._testMethodName)
            setattr(test, test._testMethodName, unittest.expectedFailure(lambda: method()))


def known_leaks():
    """tests/capi/ferry_known_leaks.txt: a substring of a leak line | the reason."""
    with open(os.path.join(here, 'capi', 'ferry_known_leaks.txt')) as f:
        return [line.split(' | ')[0].strip() for line in f if line.strip() and not line.startswith('#')]


def debug_findings():
    """FERRY_DEBUG: the misuse reports and the leaks the suite left (known
    leaks aside); a list of problems, empty when there are none."""
    import atexit
    from ferry import _debug
    atexit.unregister(_debug._at_exit)   # reported here instead
    problems = []
    n = _debug.errors()
    if n:
        problems.append('%d misuse report(s) from the debug mode (see above)' % n)
    lines = [l for l in _debug.leaks().splitlines()[1:] if not l.startswith('  ... and')]
    known = known_leaks()
    seen = set()
    for l in lines:
        match = [k for k in known if k in l]
        seen.update(match)
        if not match:
            problems.append('leak: ' + l.strip())
    for k in known:
        if k not in seen:
            problems.append('a known leak no longer appears (remove it from ferry_known_leaks.txt): ' + k)
    return problems


if mode == '--ferry':
    mark_expected(suite, known_failures())
result = unittest.TextTestRunner(verbosity=1).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
print('%d passed, %d failed, %d skipped' % (
    result.testsRun - failed - len(result.skipped) - len(result.expectedFailures), failed,
    len(result.skipped) + len(result.expectedFailures)))
ok = result.wasSuccessful()
if mode == '--ferry' and os.environ.get('FERRY_DEBUG', '0') not in ('', '0'):
    problems = debug_findings()
    for p in problems:
        print('FERRY_DEBUG: ' + p)
    print('debug mode: %d problem(s)' % len(problems))
    ok = ok and not problems
sys.exit(0 if ok else 1)
