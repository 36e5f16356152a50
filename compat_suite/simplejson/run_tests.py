"""simplejson's shipped test suite; prints COUNTS as JSON for compat_suite/run.py.
Fails loudly if the C speedups are not the ones in use."""
import json
import unittest

import simplejson
import simplejson.decoder
import simplejson.tests
from simplejson import _speedups

assert simplejson._import_c_make_encoder() is _speedups.make_encoder, 'C encoder not in use'
assert simplejson.decoder.c_scanstring is _speedups.scanstring, 'C scanstring not in use'
result = unittest.TextTestRunner(verbosity=1).run(simplejson.tests.all_tests_suite())
print('COUNTS ' + json.dumps({'run': result.testsRun, 'failures': len(result.failures),
                              'errors': len(result.errors), 'skipped': len(result.skipped),
                              'speedups': True}, sort_keys=True))
