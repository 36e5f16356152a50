"""FERRY_DEBUG=1: the layer reports misuse of objects as it happens (on
stderr); at exit this module prints the leak report. See docs/lifetime.md,
"Debug and stress modes"."""
import atexit
import gc
import sys


def enable():
    import ferry
    atexit.register(_at_exit, ferry._host())


def leaks(host=None):
    """The leak report now (after collecting garbage), '' when there is none."""
    if host is None:
        import ferry
        host = ferry._host()
    for _ in range(3):   # wrappers die, their native objects are released
        gc.collect()
    return host.debug('leaks')


def errors(host=None):
    """How many misuses the layer reported so far."""
    if host is None:
        import ferry
        host = ferry._host()
    return host.debug('errors')


def _at_exit(host):
    text = leaks(host)
    if text:
        sys.stderr.write(text)
    n = host.debug('errors')
    if n:
        sys.stderr.write('ferry debug: %d misuse report(s) during the run\n' % n)
    sys.stderr.flush()
