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


if mode == '--ferry':
    mark_expected(suite, known_failures())
result = unittest.TextTestRunner(verbosity=1).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
print('%d passed, %d failed, %d skipped' % (
    result.testsRun - failed - len(result.skipped) - len(result.expectedFailures), failed,
    len(result.skipped) + len(result.expectedFailures)))
sys.exit(0 if result.wasSuccessful() else 1)
