"""Benchmarks of the translation cost: the same C code on CPython 3.11, on PyPy
through PyPy's cpyext, and on PyPy through ferry, as ratios from one run.

  /usr/bin/python3.11 bench/run.py [--builddir build] [--quick]
                                   [--json PATH] [--md PATH] [--png PATH]
                                   [--rounds N] [--warmup S] [--repeats N]
                                   [--only REGEX]

Configurations (each benchmark runs in a separate process per configuration,
one process at a time, the order rotating from round to round):
  cpython  /usr/bin/python3.11, bench/cpython/_ferrybench.cpython-311-*.so
  cpyext   pypy3, bench/pypy/_ferrybench.<PyPy's suffix> (PyPy's own cpyext)
  ferry    pypy3 -m ferry run --site /usr/lib/python3/dist-packages, the CPython build
  pypy     pypy3 without the extension calls (the mixed workload only)
Debian's packages (ujson, simplejson, markupsafe, xxhash, brotli) exist as
CPython builds only: cpyext is n/a for them.

ns/op is the median over all repeats of all rounds; each process warms up
first (PyPy's JIT: --warmup seconds, 2 by default). --quick is a smoke run of
a few seconds: one process per configuration, tiny timings, numbers
meaningless; it fails (exit 1) only if a configuration cannot run at all.
A benchmark that fails or crashes under a configuration is reported as an
error and the run goes on.

PyPy sizes its nursery from the "cache size" of /proc/cpuinfo (half of it,
taken for the L2 cache). Where that line says something else than the L2
cache of /sys (a virtual machine may show its host's L3 there: 480 MB, and
PyPy took a nursery of 240 MB, which made every PyPy configuration 10-60%
slower, cpyext's add1 2.5x), every PyPy configuration gets
PYPY_GC_NURSERY as PyPy would have chosen it from the L2 cache of /sys
(python/ferry/_nursery.py, which `pypy3 -m ferry run` applies too); the
results say so. A PYPY_GC_NURSERY of the caller's is kept.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import worker  # noqa: E402  (the table of cases)
sys.path.insert(0, os.path.join(ROOT, 'python'))
from ferry import _nursery  # noqa: E402  (pure Python: PyPy's nursery where it misreads the L2 cache)

CPYTHON = '/usr/bin/python3.11'
PYPY = 'pypy3'
SITE = '/usr/lib/python3/dist-packages'
CONFIGS = ('cpython', 'cpyext', 'ferry', 'pypy')
LABELS = {'cpython': 'CPython 3.11', 'cpyext': 'PyPy + cpyext', 'ferry': 'PyPy + ferry',
          'pypy': 'PyPy, no ext calls'}
COLOURS = {'cpython': '#4C72B0', 'cpyext': '#DD8452', 'ferry': '#55A868', 'pypy': '#8172B3'}


# ---------------------------------------------------------------------------
# Running the workers

class Setup:
    def __init__(self, builddir, benchdir):
        self.builddir = os.path.abspath(builddir)
        self.benchdir = os.path.abspath(benchdir)
        self.cpython_ext = os.path.join(self.benchdir, 'cpython')
        self.pypy_ext = os.path.join(self.benchdir, 'pypy')
        self.nursery = _nursery.corrected_nursery()
        self.pypy_suffix = subprocess.run(
            [PYPY, '-c', 'import importlib.machinery as m; print(m.EXTENSION_SUFFIXES[0])'],
            capture_output=True, text=True).stdout.strip()
        self.missing = {}
        if not os.path.exists(os.path.join(self.cpython_ext,
                                           '_ferrybench.cpython-311-x86_64-linux-gnu.so')):
            self.missing['cpython'] = self.missing['ferry'] = 'no CPython build of _ferrybench'
        if not os.path.exists(os.path.join(self.pypy_ext, '_ferrybench' + self.pypy_suffix)):
            self.missing['cpyext'] = 'no cpyext build of _ferrybench'
        if not os.path.exists(os.path.join(self.builddir, 'libferry.so')):
            self.missing['ferry'] = 'no libferry.so in ' + self.builddir

    def command(self, config):
        script = os.path.join(HERE, 'worker.py')
        env = dict(os.environ)
        for var in ('PYTHONPATH', 'FERRY_LIBDIR', 'PYTHONSTARTUP', 'PYTHONHOME'):
            env.pop(var, None)
        if config != 'cpython' and self.nursery:
            env['PYPY_GC_NURSERY'] = self.nursery
        if config == 'cpython':
            cmd = [CPYTHON, script, '--ext-dir', self.cpython_ext]
        elif config == 'cpyext':
            cmd = [PYPY, script, '--ext-dir', self.pypy_ext]
        elif config == 'ferry':
            cmd = [PYPY, '-m', 'ferry', 'run', '--site', SITE, script,
                   '--ext-dir', self.cpython_ext]
            env['PYTHONPATH'] = os.path.join(ROOT, 'python')
            env['FERRY_LIBDIR'] = self.builddir
        else:
            cmd = [PYPY, script]
        return cmd + ['--config', config], env

    def run(self, config, names, warmup, repeats, target, timeout):
        """{name: result} for the names, run in one process."""
        cmd, env = self.command(config)
        cmd += ['--warmup', str(warmup), '--repeats', str(repeats), '--target', str(target)]
        started = time.time()
        try:
            r = subprocess.run(cmd + list(names), capture_output=True, text=True, env=env,
                               cwd='/tmp', timeout=timeout)
            out, err, rc = r.stdout, r.stderr, r.returncode
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or '')
            err, rc = 'timeout after %ds' % timeout, 'timeout'
        results, info = {}, None
        for line in out.splitlines():
            if line.startswith('RESULT '):
                res = json.loads(line[7:])
                results[res.pop('name')] = res
            elif line.startswith('INFO '):
                info = json.loads(line[5:])
        for name in names:
            if name not in results:
                tail = ' | '.join(err.strip().splitlines()[-3:])[:400]
                results[name] = dict(error='process failed (exit %s): %s' % (rc, tail or '-'))
        for res in results.values():
            res['process'] = dict(info=info, seconds=round(time.time() - started, 2), rc=rc)
        return results


def check_identity(config, spec, res, setup):
    """The work must be done by the intended C code, not a fallback."""
    impl = res.get('impl', '')
    info = res['process'].get('info') or {}
    if config == 'pypy':
        return None
    if config == 'cpyext':
        if info.get('ferry') or not impl.endswith(setup.pypy_suffix):
            return 'not the cpyext build: %s' % impl
    elif config in ('cpython', 'ferry'):
        if 'cpython-311-x86_64-linux-gnu.so' not in impl:
            return 'C extension not in use: %s' % impl
        if config == 'ferry' and not info.get('ferry'):
            return 'ferry not loaded'
    return None


def run_all(setup, specs, args):
    """results[name][config] = {ns, median, ...} or {error} or {na}."""
    results = dict((s['name'], {}) for s in specs)
    plan = []
    for spec in specs:
        for config in CONFIGS:
            if config not in spec['configs']:
                results[spec['name']][config] = dict(na='n/a' if config != 'pypy' else '')
            elif config in setup.missing:
                results[spec['name']][config] = dict(error=setup.missing[config])
            else:
                plan.append((spec, config))

    if args.quick:
        # one process per configuration; a crash is retried case by case
        for config in CONFIGS:
            names = [s['name'] for s, c in plan if c == config]
            if not names:
                continue
            got = setup.run(config, names, args.warmup, args.repeats, args.target, args.timeout)
            for name in names:
                res = got[name]
                if 'error' in res and res['error'].startswith('process failed'):
                    res = setup.run(config, [name], args.warmup, args.repeats, args.target,
                                    args.timeout)[name]
                results[name].setdefault(config, {'rounds': []})['rounds'].append(res)
    else:
        order = list(CONFIGS)
        total = len(plan) * args.rounds
        done = 0
        for rnd in range(args.rounds):
            for spec in specs:
                configs = [c for c in order if (spec, c) in plan]
                for config in configs:
                    done += 1
                    res = setup.run(config, [spec['name']], args.warmup if config != 'cpython'
                                    else min(args.warmup, 0.5), args.repeats, args.target,
                                    args.timeout)[spec['name']]
                    results[spec['name']].setdefault(config, {'rounds': []})['rounds'].append(res)
                    status = res.get('error') or '%s' % fmt_ns(statistics.median(res['ns']))
                    print('[%3d/%d] round %d  %-36s %-8s %s' % (done, total, rnd + 1, spec['name'],
                                                                config, status[:100]), flush=True)
                # alternate: the next benchmark starts with another configuration
                order = order[1:] + order[:1]

    for spec in specs:
        for config, r in results[spec['name']].items():
            if 'rounds' not in r:
                continue
            errors = [x['error'] for x in r['rounds'] if 'error' in x]
            if errors:
                r['error'] = errors[0]
                continue
            ns = [v for x in r['rounds'] for v in x['ns']]
            r['median'] = statistics.median(ns)
            r['min'], r['max'] = min(ns), max(ns)
            r['round_medians'] = [statistics.median(x['ns']) for x in r['rounds']]
            r['impl'] = r['rounds'][0].get('impl')
            r['check'] = r['rounds'][0].get('check')
            bad = check_identity(config, spec, r['rounds'][0], setup)
            if bad:
                r['error'] = bad
        # the same result everywhere (digest of the `check` expression)
        ref = results[spec['name']].get('cpython', {}).get('check')
        for config, r in results[spec['name']].items():
            if ref is not None and r.get('check') is not None and r['check'] != ref:
                r['note'] = 'result differs from CPython: %s vs %s' % (r['check'][:60], ref[:60])
    return results


# ---------------------------------------------------------------------------
# Reporting

def fmt_ns(ns):
    if ns is None:
        return ''
    if ns < 1e3:
        return '%.1f ns' % ns
    if ns < 1e6:
        return '%.2f us' % (ns / 1e3)
    if ns < 1e9:
        return '%.2f ms' % (ns / 1e6)
    return '%.2f s' % (ns / 1e9)


def fmt_ratio(x):
    if x is None:
        return ''
    return ('%.2fx' % x) if x < 10 else ('%.0fx' % x) if x < 1000 else ('%.3gx' % x)


def cell(r):
    if 'median' in r and 'error' not in r:
        return r['median']
    return None


def rows(specs, results):
    out = []
    for spec in specs:
        res = results[spec['name']]
        base = cell(res.get('cpython', {}))
        row = dict(name=spec['name'], group=spec['group'], cells={})
        for config in CONFIGS:
            r = res.get(config, {})
            v = cell(r)
            if v is not None:
                text = fmt_ns(v)
                if config != 'cpython' and base:
                    text += ' (%s)' % fmt_ratio(v / base)
                if r.get('note'):
                    text += ' [!]'
            elif 'na' in r:
                text = r['na']
            else:
                text = 'ERROR'
            row['cells'][config] = text
        f, c = cell(res.get('ferry', {})), cell(res.get('cpyext', {}))
        row['ferry_vs_cpyext'] = fmt_ratio(f / c) if f and c else (
            'n/a' if 'na' in res.get('cpyext', {}) else '')
        out.append(row)
    return out


HEAD = ['benchmark', 'CPython 3.11', 'PyPy + cpyext (/CPython)', 'PyPy + ferry (/CPython)',
        'PyPy, no ext calls (/CPython)', 'ferry / cpyext']


def table_lines(specs, results):
    lines = []
    for row in rows(specs, results):
        lines.append([row['name']] + [row['cells'][c] for c in CONFIGS] + [row['ferry_vs_cpyext']])
    return lines


def print_table(specs, results):
    lines = [HEAD] + table_lines(specs, results)
    widths = [max(len(l[i]) for l in lines) for i in range(len(HEAD))]
    for i, l in enumerate(lines):
        print('  '.join(x.ljust(w) if j == 0 else x.rjust(w) for j, (x, w) in
                        enumerate(zip(l, widths))))
        if i == 0:
            print('  '.join('-' * w for w in widths))
    footnotes(specs, results, print)


def footnotes(specs, results, emit):
    for spec in specs:
        for config in CONFIGS:
            r = results[spec['name']].get(config, {})
            if 'error' in r:
                emit('* ERROR %s, %s: %s' % (spec['name'], LABELS[config], r['error']))
            if r.get('note'):
                emit('* [!] %s, %s: %s' % (spec['name'], LABELS[config], r['note']))


def machine():
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ''
    pypy = subprocess.run([PYPY, '-c', 'import sys; print(sys.version.replace("\\n", " "))'],
                          capture_output=True, text=True).stdout.strip()
    return dict(date=datetime.datetime.now().astimezone().isoformat(timespec='seconds'),
                nproc=sh('nproc'), lscpu=sh('lscpu | head -n 12'),
                kernel=platform.release(), cpython=sys.version.replace('\n', ' '), pypy=pypy,
                git=sh('git -C %s rev-parse --short HEAD' % ROOT))


def write_markdown(path, specs, results, meta, args):
    out = ['# ferry benchmarks: %s' % meta['date'], '',
           'ns/op (median of %s), ratio to CPython in parentheses; lower is better. '
           'Run: `%s`.' % (meta['method'], meta['command']), '',
           'Machine: %s CPUs, kernel %s; CPython %s; PyPy %s; ferry at %s.'
           % (meta['nproc'], meta['kernel'], meta['cpython'].split()[0], meta['pypy'],
              meta['git']), '',
           '```', meta['lscpu'], '```', '']
    if meta.get('pypy_gc_nursery'):
        out += ['PyPy\'s nursery: PYPY_GC_NURSERY=%s for every PyPy configuration, as PyPy sizes '
                'it for an L2 cache of %d KB (/sys); /proc/cpuinfo, where PyPy looks, says '
                '"cache size: %d KB" (bench/run.py).'
                % (meta['pypy_gc_nursery'], meta['l2_cache'] // 1024,
                   meta['cpuinfo_cache'] // 1024), '']
    out.append('| ' + ' | '.join(HEAD) + ' |')
    out.append('|' + '|'.join(['---'] + ['---:'] * (len(HEAD) - 1)) + '|')
    group = None
    for spec, line in zip(specs, table_lines(specs, results)):
        if spec['group'] != group:
            group = spec['group']
            out.append('| **%s** |' % {'micro': 'C API boundary (_ferrybench)',
                                       'package': "Debian's packages (CPython builds)",
                                       'mixed': 'mixed workload'}[group] + ' |' * (len(HEAD) - 1))
        out.append('| ' + ' | '.join(x.replace('|', '\\|') for x in line) + ' |')
    out.append('')
    out.append('n/a: not available in that configuration (Debian ships no PyPy builds of the '
               'packages; "PyPy, no ext calls" is the mixed workload without its extension '
               'calls).')
    spreads = sorted(max(r['round_medians']) / min(r['round_medians']) - 1
                     for s in specs for r in results[s['name']].values()
                     if len(r.get('round_medians', [])) > 1)
    if spreads:
        out.append('')
        out.append('Noise: the median of a configuration moved from one round (process) to '
                   'the next by %.0f%% (median over all cells), at most %.0f%%; the JSON keeps '
                   'every repeat and the median of each round.'
                   % (100 * statistics.median(spreads), 100 * spreads[-1]))
    notes = []
    footnotes(specs, results, notes.append)
    if notes:
        out += [''] + notes
    out.append('')
    out.append('What each micro-benchmark does:')
    out.append('')
    for spec in specs:
        if spec['doc']:
            out.append('* `%s`: %s' % (spec['name'], spec['doc']))
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


def write_png(path, specs, results, meta):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('no PNG: matplotlib is missing (apt-get install python3-matplotlib)',
              file=sys.stderr)
        return False
    # per benchmark, one bar per configuration it runs under (cpyext shown as n/a)
    shown = [[c for c in CONFIGS if c in s['configs'] or c == 'cpyext'] for s in specs]
    n = len(specs)
    slots = sum(len(x) for x in shown)
    fig, ax = plt.subplots(figsize=(12, 1.5 + 0.16 * (slots + n)))
    values = [cell(results[s['name']].get(c, {})) for s in specs for c in CONFIGS]
    known = [v for v in values if v]
    lo = min(known) / 3 if known else 1
    hi = max(known) * 12 if known else 10
    bars = dict((c, ([], [])) for c in CONFIGS)
    ticks, y, group = [], 0.0, None
    for spec, configs in zip(specs, shown):
        if group is not None and spec['group'] != group:
            ax.axhline(y - 0.5, color='grey', linewidth=0.6)
            y += 0.4
        group = spec['group']
        first = y
        base = cell(results[spec['name']].get('cpython', {}))
        for config in configs:
            r = results[spec['name']].get(config, {})
            v = cell(r)
            if v:
                bars[config][0].append(y)
                bars[config][1].append(v)
                label = fmt_ns(v)
                if config != 'cpython' and base:
                    label += '   %s' % fmt_ratio(v / base)
                ax.text(v * 1.08, y, label, va='center', fontsize=7)
            else:
                ax.text(lo * 1.1, y, '%s: %s' % (LABELS[config], 'ERROR' if 'error' in r else 'n/a'),
                        va='center', fontsize=7, color='red' if 'error' in r else 'grey')
            y += 1
        ticks.append(((first + y - 1) / 2, spec['name']))
        y += 0.6
    for config in CONFIGS:
        ys, widths = bars[config]
        if ys or any(config in s['configs'] for s in specs):
            ax.barh(ys, [w - lo for w in widths], left=lo, height=0.85,
                    color=COLOURS[config], label=LABELS[config])
    ax.set_ylim(y - 0.3, -0.9)
    ax.set_xscale('log')
    ax.set_xlim(lo, hi)
    ax.set_yticks([t for t, _ in ticks])
    ax.set_yticklabels([name for _, name in ticks], fontsize=8)
    ax.set_xlabel('ns per operation (log scale, lower is better)')
    ax.grid(axis='x', which='major', alpha=0.3)
    ax.set_title('ferry: CPython 3.11 extensions on PyPy, cost per operation\n%s, %s CPUs, %s'
                 % (meta['date'][:10], meta['nproc'], meta['method']), fontsize=10)
    ax.legend(loc='upper right', fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--builddir', default=os.path.join(ROOT, 'build'),
                   help='Meson build directory (libferry.so, bench/)')
    p.add_argument('--benchdir', help='where bench/cpython and bench/pypy were built '
                   '(default BUILDDIR/bench)')
    p.add_argument('--quick', action='store_true', help='smoke run of a few seconds')
    p.add_argument('--json', help='write the results as JSON')
    p.add_argument('--md', help='write the table as Markdown')
    p.add_argument('--png', help='write a bar chart (matplotlib)')
    p.add_argument('--rounds', type=int, help='processes per benchmark and configuration '
                   '(2; the order of the configurations alternates)')
    p.add_argument('--warmup', type=float, help='seconds of warm-up on PyPy (2.0)')
    p.add_argument('--repeats', type=int, help='timed repeats per process (7)')
    p.add_argument('--target', type=float, help='seconds per timed repeat (0.1)')
    p.add_argument('--timeout', type=int, default=600, help='seconds per process')
    p.add_argument('--only', help='regular expression on the benchmark names')
    args = p.parse_args()
    defaults = dict(rounds=1, warmup=0.0, repeats=3, target=0.002) if args.quick else \
        dict(rounds=2, warmup=2.0, repeats=7, target=0.1)
    for k, v in defaults.items():
        if getattr(args, k) is None:
            setattr(args, k, v)
    if args.quick:
        args.timeout = min(args.timeout, 120)

    specs = [s for s in worker.BENCHMARKS if not args.only or re.search(args.only, s['name'])]
    setup = Setup(args.builddir, args.benchdir or os.path.join(args.builddir, 'bench'))
    meta = machine()
    meta['pypy_gc_nursery'] = setup.nursery
    meta['l2_cache'], meta['cpuinfo_cache'] = _nursery.sys_l2_cache(), _nursery.cpuinfo_cache()
    meta['command'] = ' '.join(['python3.11', 'bench/run.py'] + sys.argv[1:])
    meta['method'] = ('quick smoke run, numbers meaningless' if args.quick else
                      '%d processes x %d repeats of ~%gs, after %gs of warm-up on PyPy'
                      % (args.rounds, args.repeats, args.target, args.warmup))
    for config, why in setup.missing.items():
        print('%s: %s' % (config, why), file=sys.stderr)

    t0 = time.time()
    results = run_all(setup, specs, args)
    meta['seconds'] = round(time.time() - t0, 1)
    print()
    print_table(specs, results)
    print('\n%s; %.0f s' % (meta['method'], meta['seconds']), flush=True)

    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(meta=meta, configs=LABELS, benchmarks=[
                dict(name=s['name'], group=s['group'], doc=s['doc'], results=results[s['name']])
                for s in specs]), f, indent=1)
    if args.md:
        write_markdown(args.md, specs, results, meta, args)
    if args.png:
        write_png(args.png, specs, results, meta)

    # the smoke run fails only if a configuration could not run anything
    broken = []
    for config in CONFIGS:
        ran = [results[s['name']][config] for s in specs if config in s['configs']]
        if ran and all('error' in r for r in ran):
            broken.append(config)
    if broken:
        print('no benchmark ran under: %s' % ', '.join(broken), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
