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
    def find_spec(self, fullname, path=None, target=None):
        tail = fullname.rpartition('.')[2]
        for entry in (path if path is not None else sys.path):
            if not isinstance(entry, str):
                continue
            for suffix in SUFFIXES:
                candidate = os.path.join(entry or '.', tail + suffix)
                if os.path.isfile(candidate):
                    loader = ExtensionLoader(fullname, candidate)
                    return importlib.machinery.ModuleSpec(fullname, loader, origin=candidate)
        return None


_finder = ExtensionFinder()


def install():
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
