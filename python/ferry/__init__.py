"""ferry: CPython 3.11 extension modules, unmodified, on PyPy through the HPy universal ABI.

`ferry.install()` adds an import hook that finds `*.cpython-311-x86_64-linux-gnu.so`
and `*.abi3.so` files on sys.path and loads them through the layer.
"""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_layer_ready = False


def libdir():
    """Where the built layer and bootstrap live (FERRY_LIBDIR, else the source tree's build/)."""
    return os.environ.get('FERRY_LIBDIR') or os.path.join(_HERE, '..', '..', 'build')


def _host():
    global _layer_ready
    if not _layer_ready:
        import _hpy_universal
        d = libdir()
        import importlib.machinery
        spec = importlib.machinery.ModuleSpec('_ferry_host', None, origin=os.path.join(d, 'host', '_ferry_host.hpy.so'))
        # FERRY_HPY_DEBUG=1: the host's HPy debug context, which reports a
        # handle used after it was closed (slow; for hunting lifetime bugs).
        hpy_debug = os.environ.get('FERRY_HPY_DEBUG', '0') not in ('', '0')
        host = _hpy_universal.load('_ferry_host', spec.origin, hpy_debug)
        sys.modules['_ferry_host'] = host
        host.open_layer(os.path.join(d, 'libferry.so'))
        from . import _support
        host.init(_support)
        _layer_ready = True
        # Cycles through C fields of extension objects are found by the
        # layer's boundary collection: gc.collect() runs one (the layer also
        # runs one as objects of GC types are made: gc_bridge/cycles.h).
        import gc
        gc.collect = _support.collect
        if os.environ.get('FERRY_STATS'):
            from . import _stats
            _stats.enable()
        if os.environ.get('FERRY_DEBUG', '0') not in ('', '0'):
            from . import _debug
            _debug.enable()
    return sys.modules['_ferry_host']


def load(name, path, spec=None):
    """Load the CPython extension at `path` as module `name`."""
    host = _host()
    if spec is None:
        import importlib.util
        spec = importlib.util.spec_from_file_location(name, path)
    module = host.load(name, path, spec)
    try:
        module.__file__ = path
        module.__spec__ = spec
        module.__loader__ = spec.loader
    except (AttributeError, TypeError):
        pass
    return module


def install():
    from . import _hook
    _hook.install()
    # numpy asks whether each object it documents is written in Python (a
    # function, a property, a class with Py_TPFLAGS_HEAPTYPE in __flags__)
    # and warns if so: the layer's stand-ins for the methods and getsets of
    # types of C are (docs/architecture.md), which made `import numpy` print
    # a warning per documented name.
    import warnings
    warnings.filterwarnings('ignore', message='add_newdoc was used on a pure-python object',
                            category=UserWarning)
