"""pypy3 -m ferry run [--site DIR]... (script.py | -m module | -c code) [args...]"""
import os
import runpy
import sys

USAGE = __doc__


def main(argv):
    if not argv or argv[0] != 'run':
        print('usage: ' + USAGE, file=sys.stderr)
        return 2
    argv = argv[1:]
    sites = []
    while argv and argv[0] == '--site':
        if len(argv) < 2:
            print('usage: ' + USAGE, file=sys.stderr)
            return 2
        sites.append(os.path.abspath(argv[1]))
        argv = argv[2:]
    if not argv:
        print('usage: ' + USAGE, file=sys.stderr)
        return 2
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
