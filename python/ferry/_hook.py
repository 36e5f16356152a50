"""The import hook: a path-entry finder for CPython-built extension modules."""
import importlib.abc
import importlib.machinery
import os
import sys

SUFFIXES = ('.cpython-311-x86_64-linux-gnu.so', '.abi3.so')


class ExtensionLoader(importlib.abc.Loader):
    def __init__(self, name, path):
        self.name = name
        self.path = path

    def create_module(self, spec):
        from . import load
        return load(spec.name, self.path, spec)

    def exec_module(self, module):
        pass


class ExtensionFinder(importlib.abc.MetaPathFinder):
    """Finds CPython builds on sys.path with CPython's precedence: the first path entry that has
    the name wins, and within one entry a regular package comes first, then extension modules,
    then source and bytecode. An entry whose match is not ours ends the search, so that the host's
    PathFinder (after us in sys.meta_path) finds the same file; builtins are never shadowed."""

    def find_spec(self, fullname, path=None, target=None):
        tail = fullname.rpartition('.')[2]
        for entry in (path if path is not None else sys.path):
            if not isinstance(entry, str):
                continue
            base = os.path.join(entry or '.', tail)
            if os.path.isdir(base) and any(os.path.isfile(os.path.join(base, '__init__' + s))
                                           for s in _HOST_SUFFIXES + SUFFIXES):
                return None
            for suffix in SUFFIXES:
                if os.path.isfile(base + suffix):
                    loader = ExtensionLoader(fullname, base + suffix)
                    return importlib.machinery.ModuleSpec(fullname, loader, origin=base + suffix)
            if any(os.path.isfile(base + s) for s in _HOST_SUFFIXES):
                return None
        return None


_HOST_SUFFIXES = tuple(importlib.machinery.all_suffixes())
_finder = ExtensionFinder()


def install():
    if _finder not in sys.meta_path:
        # Before the host's PathFinder, after its builtin and frozen importers.
        at = next((i for i, f in enumerate(sys.meta_path)
                   if f is importlib.machinery.PathFinder), len(sys.meta_path))
        sys.meta_path.insert(at, _finder)
