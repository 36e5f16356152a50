"""bitarray's shipped tests (bitarray.test(): test_bitarray and test_util);
prints COUNTS as JSON for compat_suite/run.py."""
import json

import bitarray
import bitarray._bitarray

assert bitarray._bitarray.__file__.endswith('.so'), 'the C extension is not in use'
result = bitarray.test(verbosity=1)
print('COUNTS ' + json.dumps({'run': result.testsRun, 'failures': len(result.failures),
                              'errors': len(result.errors), 'skipped': len(result.skipped)},
                             sort_keys=True))
