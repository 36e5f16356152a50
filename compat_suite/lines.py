"""The lines the differential checks print (compat_suite/run.py compare
compares them between CPython and ferry)."""


def show(label, value):
    print('%s: %r' % (label, value))


def error(label, f, catch=Exception):
    """Calls f: the error it raises (of catch's kinds), or 'no error'."""
    try:
        f()
    except catch as e:
        show(label, (type(e).__name__, str(e)))
    else:
        show(label, 'no error')
