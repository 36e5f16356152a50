"""regex's shipped tests (regex/test_regex.py); prints COUNTS as JSON for
compat_suite/run.py."""
import json
import unittest

import regex._regex
import regex.test_regex

assert regex._regex.__file__.endswith('.so'), 'the C extension is not in use'
suite = unittest.defaultTestLoader.loadTestsFromModule(regex.test_regex)
result = unittest.TextTestRunner(verbosity=1).run(suite)
print('COUNTS ' + json.dumps({'run': result.testsRun, 'failures': len(result.failures),
                              'errors': len(result.errors), 'skipped': len(result.skipped)},
                             sort_keys=True))
