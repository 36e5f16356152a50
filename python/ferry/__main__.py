"""usage:
  pypy3 -m ferry run [--site DIR]... [--stats] [--stats-json PATH] (script.py | -m module | -c code) [args...]
  pypy3 -m ferry enable [--user] [--site DIR]...   every PyPy process loads CPython extensions
  pypy3 -m ferry disable [--user]"""
import os
import runpy
import sys

USAGE = __doc__


PTH_NAME = 'ferry.pth'


def usage():
    print(USAGE, file=sys.stderr)
    return 2


def take_options(argv, flags=(), values=None):
    """Leading --site DIR options (the given flags, and --name VALUE options
    collected into `values`) off argv."""
    sites, seen = [], set()
    while argv:
        if argv[0] == '--site' and len(argv) > 1:
            sites.append(os.path.abspath(argv[1]))
            argv = argv[2:]
        elif values is not None and argv[0] in values and len(argv) > 1:
            values[argv[0]] = argv[1]
            argv = argv[2:]
        elif argv[0] in flags:
            seen.add(argv[0])
            argv = argv[1:]
        else:
            break
    return sites, seen, argv


def pth_path(user):
    import site
    target = site.getusersitepackages() if user else site.getsitepackages()[0]
    return os.path.join(target, PTH_NAME)


def enable(argv):
    """A .pth file: site imports ferry at start-up in every PyPy process."""
    sites, flags, rest = take_options(argv, ('--user',))
    if rest:
        return usage()
    path = pth_path('--user' in flags)
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('# written by `pypy3 -m ferry enable`; remove with `pypy3 -m ferry disable`\n')
        f.write(package_dir + '\n')
        for s in sites:
            f.write(s + '\n')
        f.write('import ferry; ferry.install()\n')
    print('ferry enabled: %s' % path)
    return 0


def disable(argv):
    _, flags, rest = take_options(argv, ('--user',))
    if rest:
        return usage()
    path = pth_path('--user' in flags)
    if os.path.exists(path):
        os.remove(path)
    print('ferry disabled: %s' % path)
    return 0


def host_settings():
    """Re-executes this command with PyPy's collector set as ferry needs it.

    Object pinning switched off: PyPy 7.3.11's collector was seen freeing a
    live object while strings were pinned (the handle ABI pins a young str or
    bytes whose characters C reads): under a small nursery, a 70 KB bytes
    object was found freed and its memory reused, in about 1 run in 80, and
    in none of 250 unpinned. Unpinned, such reads are copies.
    The nursery sized from the L2 cache where PyPy misreads it (_nursery.py:
    on this project's machine PyPy took 240 MB, and ran 10-60% slower).
    See docs/architecture.md, "Findings about the host"."""
    if sys.implementation.name != 'pypy':
        return
    settings = {}
    if 'PYPY_GC_MAX_PINNED' not in os.environ:
        settings['PYPY_GC_MAX_PINNED'] = '0'
    from ferry import _nursery
    nursery = _nursery.corrected_nursery()
    if nursery:
        settings['PYPY_GC_NURSERY'] = nursery
    if not settings:
        return
    os.environ.update(settings)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, '-m', 'ferry'] + sys.argv[1:])


def main(argv):
    if argv[:1] in (['-h'], ['--help']) or argv[:2] in (['run', '-h'], ['run', '--help']):
        print(USAGE)
        return 0
    if argv and argv[0] == 'enable':
        return enable(argv[1:])
    if argv and argv[0] == 'disable':
        return disable(argv[1:])
    if not argv or argv[0] != 'run':
        return usage()
    host_settings()
    values = {'--stats-json': None}
    sites, flags, argv = take_options(argv[1:], ('--stats',), values)
    if not argv:
        return usage()
    if '--stats' in flags or values['--stats-json']:
        os.environ['FERRY_STATS'] = '1'
        if values['--stats-json']:
            os.environ['FERRY_STATS_JSON'] = os.path.abspath(values['--stats-json'])
    here = os.path.dirname(os.path.abspath(__file__))
    env_sites = [s for s in os.environ.get('FERRY_SITES', '').split(os.pathsep) if s]
    os.environ['FERRY_SITES'] = os.pathsep.join(sites + env_sites)
    pythonpath = [os.path.join(here, '_autoload'), os.path.dirname(here)]
    if os.environ.get('PYTHONPATH'):
        pythonpath.append(os.environ['PYTHONPATH'])
    os.environ['PYTHONPATH'] = os.pathsep.join(pythonpath)
    for s in sites:
        sys.path.append(s)
    import ferry
    ferry.install()
    if argv[0] == '-m':
        sys.argv = argv[1:]
        runpy.run_module(argv[1], run_name='__main__', alter_sys=True)
    elif argv[0] == '-c':
        sys.argv = ['-c'] + argv[2:]
        exec(compile(argv[1], '<string>', 'exec'), {'__name__': '__main__'})
    else:
        sys.argv = argv
        sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
        runpy.run_path(argv[0], run_name='__main__')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
