"""Runs the compatibility checks of the corpus through ferry and compares them
with CPython 3.11 on the same machine.

  run.py first-light BUILDDIR   the main job: identical output on both
  run.py compare SCRIPT BUILDDIR  any differential script: identical output on both
  run.py suite NAME BUILDDIR    a package's own test suite: identical counts
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CPYTHON = '/usr/bin/python3.11'
SITE = '/usr/lib/python3/dist-packages'


def run_cpython(args):
    return subprocess.run([CPYTHON] + args, capture_output=True, text=True, cwd='/tmp')


def run_ferry(args, builddir):
    env = dict(os.environ, FERRY_LIBDIR=os.path.abspath(builddir),
               PYTHONPATH=os.path.join(ROOT, 'python'))
    r = subprocess.run(['pypy3', '-m', 'ferry', 'run', '--site', SITE] + args,
                       capture_output=True, text=True, env=env, cwd='/tmp')
    debug_findings.extend(l for l in r.stderr.splitlines()
                          if l.startswith('ferry debug:') or l.startswith('  '))
    return r


# FERRY_DEBUG: what the layer reported on the ferry runs' stderr (misuse,
# leaks); a run with findings fails.
debug_findings = []


def debug_verdict(status):
    if os.environ.get('FERRY_DEBUG', '0') in ('', '0'):
        return status
    findings = [l for l in debug_findings if l.startswith('ferry debug:') or
                (l.startswith('  ') and ' made by ' in l)]
    for l in findings:
        print(l)
    print('debug mode: %d report line(s)' % len(findings))
    return status or (1 if findings else 0)


def first_light(builddir):
    return compare(os.path.join(HERE, 'first_light.py'), builddir)


def compare(script, builddir):
    """Runs script on CPython and through ferry: the output must be the same."""
    native, ferried = run_cpython([script]), run_ferry([script], builddir)
    for name, r in (('CPython', native), ('ferry', ferried)):
        if r.returncode:
            print('%s failed:\n%s%s' % (name, r.stdout, r.stderr))
            return 1
    a, b = native.stdout.splitlines(), ferried.stdout.splitlines()
    same = sum(x == y for x, y in zip(a, b))
    for x, y in zip(a, b):
        if x != y:
            print('differs:\n  CPython: %s\n  ferry:   %s' % (x, y))
    if len(a) != len(b):
        print('line counts differ: CPython %d, ferry %d' % (len(a), len(b)))
    print(ferried.stdout, end='')
    print('%d passed, %d failed' % (same, max(len(a), len(b)) - same))
    return 0 if a == b else 1


def suite(name, builddir):
    with open(os.path.join(HERE, name, 'manifest.json')) as f:
        manifest = json.load(f)
    runner = os.path.join(HERE, name, manifest['runner'])
    results, runs = {}, {}
    for label, r in (('CPython', run_cpython([runner])), ('ferry', run_ferry([runner], builddir))):
        runs[label] = r
        lines = [l for l in r.stdout.splitlines() if l.startswith('COUNTS ')]
        if not lines:
            print('%s run gave no counts:\n%s%s' % (label, r.stdout[-3000:], r.stderr[-3000:]))
            return 1
        results[label] = json.loads(lines[-1][len('COUNTS '):])
        print('%s: %s' % (label, results[label]))
    # Tests the package itself leaves out on PyPy (documented in the manifest).
    omitted = manifest.get('host_omitted', {}).get('count', 0)
    expected = dict(results['CPython'], run=results['CPython']['run'] - omitted)
    ok = expected == results['ferry']
    note = ' (%d left out by the package on PyPy)' % omitted if omitted else ''
    print('%s: %s%s' % (name, 'same counts' if ok else 'counts differ', note))
    if not ok:   # what the test runners said (failures and errors are on stderr)
        for label, r in runs.items():
            if results[label]['failures'] or results[label]['errors']:
                print('--- %s stderr (end) ---\n%s' % (label, r.stderr[-6000:]))
    return 0 if ok else 1


if __name__ == '__main__':
    if sys.argv[1] == 'first-light':
        sys.exit(debug_verdict(first_light(sys.argv[2])))
    if sys.argv[1] == 'compare':
        sys.exit(debug_verdict(compare(os.path.abspath(sys.argv[2]), sys.argv[3])))
    sys.exit(debug_verdict(suite(sys.argv[2], sys.argv[3])))
