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
result = unittest.TextTestRunner(verbosity=1).run(suite)
print('%d passed, %d failed' % (result.testsRun - len(result.failures) - len(result.errors) - len(result.skipped),
                                len(result.failures) + len(result.errors)))
sys.exit(0 if result.wasSuccessful() else 1)
