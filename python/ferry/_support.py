"""Python-level helpers the layer calls for what HPy 0.0.4 lacks.

Every name listed in host/helpers.def and host/builtins.def must exist here;
the layer binds them once at start-up (host::bind_support).
"""
import builtins as _builtins
import gc as _gc
import operator as _operator
import struct as _struct
import sys as _sys
import types as _types
import weakref as _weakref
import _thread

import _ferry_host
from __pypy__ import identity_dict as _identity_dict

NativeObject = _ferry_host.NativeObject


class builtin_function_or_method:
    """A function defined by an extension's PyMethodDef (PyCFunction_Type).

    PyPy's own builtin function type cannot be instantiated or subclassed
    and its __self__ is always None, so extension functions are instances
    of this class: __self__ is the module (module functions) or the object
    they are bound to, as in CPython."""
    __slots__ = ('_def', '_self', '_by_address', '_bound', '_direct', '_arity', '__name__',
                 '__qualname__', '__dict__', '__weakref__')

    def __call__(self, *args, **kwargs):
        # _direct: the host function calling the C function directly, taking
        # _arity positional arguments (-1: any, and keywords; -2: any, the
        # keywords' count first and their names and values last); other calls
        # (a wrong count: CPython's message) take the general path.
        direct = self._direct
        if direct is not None:
            arity = self._arity
            if arity == -2:   # METH_FASTCALL|METH_KEYWORDS: keywords flattened
                if kwargs:
                    return direct(len(kwargs), *args, *kwargs, *kwargs.values())
                return direct(0, *args)
            if arity < 0:
                return direct(*args, **kwargs)
            if not kwargs and len(args) == arity:
                return direct(*args)
        if self._by_address:
            return _ferry_host.call_function(self._def, self._self, *args, **kwargs)
        return _ferry_host.call_method(self._def, self._self, *args, **kwargs)

    @property
    def __self__(self):
        return self._bound

    def __repr__(self):
        s = self._bound
        if s is None or _builtins.isinstance(s, _types.ModuleType):
            return '<built-in function %s>' % self.__name__
        return '<built-in method %s of %s object at 0x%016x>' % (
            self.__name__, builtin_function_or_method._tp_name(type(s)), id(s) % (1 << 64))

    @property
    def __signature__(self):
        # inspect.signature() of a builtin: from __text_signature__ as in
        # CPython (inspect._signature_from_builtin); None lets inspect go on.
        sig = self.__dict__.get('__text_signature__')
        if not sig:
            return None
        import inspect
        try:
            return inspect._signature_fromstr(inspect.Signature, self, sig, True)
        except Exception:
            return None

    def __reduce__(self):
        s = self._bound
        if s is None or _builtins.isinstance(s, _types.ModuleType):
            return self.__qualname__
        return (_builtins.getattr, (s, self.__name__))

    @staticmethod
    def _tp_name(t):
        # CPython's tp_name: dotted for extension types, bare for classes.
        mod = _builtins.getattr(t, '__module__', None)
        if _builtins.issubclass(t, NativeObject) and mod and mod != 'builtins':
            return '%s.%s' % (mod, t.__name__)
        return t.__name__

    @staticmethod
    def _split_doc(name, doc):
        """(__doc__, __text_signature__) from an ml_doc that may start with
        "name(sig)\n--\n\n" (Objects/typeobject.c, find_signature)."""
        if doc is None:
            return None, None
        sig = None
        name = name.rpartition('.')[2]
        if doc.startswith(name + '('):
            marker = ')\n--\n\n'
            start = len(name)
            i = start
            while i < len(doc):
                if doc.startswith(marker, i):
                    sig = doc[start:i + 1]
                    doc = doc[i + len(marker):]
                    break
                if doc.startswith('\n\n', i):
                    break
                i += 1
        return (doc or None), sig


_METH_METHOD = 0x200


class builtin_method(builtin_function_or_method):
    """A METH_METHOD function made by PyCMethod_New (PyCMethod_Type)."""
    __slots__ = ()


class PyCapsule(NativeObject):
    __slots__ = ()
    _ferry_type = 0   # the address of PyCapsule_Type, set by the layer at start-up

    def __repr__(self):
        return _ferry_host.call_slot(4, self._ferry_type, self)   # 4: NativeSlot::repr


class method_descriptor:
    """PyMethodDescr_Type's class. Methods of extension types are host
    functions (make_native_type), so nothing is an instance of it
    (cpyext/descrobject.cpp)."""
    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'method_descriptor' instances")


class _method_of_none:
    """A method C bound to None (PyMethod_New(func, Py_None)), which
    types.MethodType refuses on PyPy: it has the method's attributes and calls
    func with None first, as CPython's; its class is not types.MethodType
    (cpyext/classobject.cpp)."""
    __slots__ = ('__func__',)
    __self__ = None

    def __call__(self, *args, **kwargs):
        return self.__func__(None, *args, **kwargs)

    def __get__(self, obj, objtype=None):
        return self

    def __eq__(self, other):
        if type(other) is not _method_of_none:
            return NotImplemented
        return self.__func__ == other.__func__

    def __hash__(self):
        return hash((None, self.__func__))

    def __repr__(self):
        name = getattr(self.__func__, '__qualname__', None) or getattr(self.__func__, '__name__', '?')
        return '<bound method %s of None>' % name

    def __getattr__(self, name):   # __name__, __doc__, ...: the function's
        return getattr(self.__func__, name)


def method_of_none(func):
    m = object.__new__(_method_of_none)
    m.__func__ = func
    return m


class iterator:
    """The iterator PySeqIter_New makes (CPython's seqiterobject, whose type
    is named 'iterator'): seq[0], seq[1], ... until IndexError or
    StopIteration, whatever __iter__ seq has (cpyext/iterobject.cpp)."""
    __slots__ = ('_seq', '_index')

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'iterator' instances")

    def __iter__(self):
        return self

    def __next__(self):
        seq = self._seq
        if seq is None:
            raise StopIteration
        i = self._index
        try:
            item = seq[i]
        except (IndexError, StopIteration):
            item = _ITER_END
        if item is _ITER_END:
            self._seq = None
            raise StopIteration
        self._index = i + 1
        return item

    def __length_hint__(self):
        seq = self._seq
        if seq is None:
            return 0
        if not hasattr(type(seq), '__len__'):
            return NotImplemented
        n = len(seq) - self._index
        return n if n >= 0 else 0

    def __reduce__(self):
        if self._seq is None:
            return (iter, ((),))
        return (iter, (self._seq,), self._index)

    def __setstate__(self, state):
        index = _operator.index(state)
        if self._seq is not None:
            self._index = index if index >= 0 else 0


iterator.__module__ = 'builtins'
_ITER_END = object()


def seq_iter(seq):
    it = object.__new__(iterator)
    it._seq = seq
    it._index = 0
    return it


class _seq_iterator_class:
    """The classes of PyListIter_Type and PyTupleIter_Type. PyPy iterates
    lists, tuples and strs with one type (sequenceiterator), which C must not
    take for either (their C structs are read); the iterators C makes cross as
    the host's own (iterobject.cpp), so these are never instantiated."""
    __slots__ = ()

    def __iter__(self):
        return self

    def __next__(self):
        raise TypeError("ferry: a placeholder iterator")


class wrapper_descriptor:
    """PyWrapperDescr_Type's class. PyPy 7.3.11 has no wrapper_descriptor:
    the slot wrappers of its types (object.__init__, int.__add__) are plain
    functions. C that finds one reads its struct (Cython swaps d_base to set
    the docs of special methods after an exact type check), so no host object
    may pass for one: this placeholder is never instantiated."""
    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'wrapper_descriptor' instances")


wrapper_descriptor.__module__ = 'builtins'


class classmethod_descriptor:
    # What PyDescr_NewClassMethod makes (cpyext/descrobject.cpp), CPython's
    # classmethod_descriptor: _func is the def's function bound to
    # __objclass__; __get__ and __call__ bind it to the class they are given,
    # with CPython's checks and messages.
    __slots__ = ('_func', '_tp_name', '__objclass__', '__name__', '__qualname__', '__dict__',
                 '__weakref__')

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'classmethod_descriptor' instances")

    def __get__(self, obj, type=None):
        if type is None:
            if obj is None:
                raise TypeError("descriptor '%s' for type '%s' needs either an object or a type"
                                % (self.__name__, self._tp_name))
            type = _builtins.type(obj)
        if not _builtins.isinstance(type, _builtins.type):
            raise TypeError("descriptor '%s' for type '%s' needs a type, not a '%s' as arg 2"
                            % (self.__name__, self._tp_name,
                               builtin_function_or_method._tp_name(_builtins.type(type))))
        if not _builtins.issubclass(type, self.__objclass__):
            raise TypeError("descriptor '%s' requires a subtype of '%s' but received '%s'"
                            % (self.__name__, self._tp_name,
                               builtin_function_or_method._tp_name(type)))
        f = self._func
        if type is self.__objclass__:
            return f
        g = make_function(f._def, type, False, f.__name__, None, f.__module__, type,
                          _METH_METHOD if _builtins.isinstance(f, builtin_method) else 0)
        g.__doc__, g.__text_signature__ = f.__doc__, f.__text_signature__
        return g

    def __call__(self, *args, **kwargs):
        if not args:
            raise TypeError("descriptor '%s' of '%s' object needs an argument"
                            % (self.__name__, self._tp_name))
        return self.__get__(None, args[0])(*args[1:], **kwargs)

    def __repr__(self):
        return "<method '%s' of '%s' objects>" % (self.__name__, self._tp_name)


classmethod_descriptor.__module__ = 'builtins'


def classmethod_descriptor_new(func, cls, tp_name):
    d = object.__new__(classmethod_descriptor)
    d._func = func
    d._tp_name = tp_name   # (the C type's tp_name, as CPython's messages name it)
    d.__objclass__ = cls
    d.__name__ = func.__name__
    d.__qualname__ = '%s.%s' % (cls.__qualname__, func.__name__)
    d.__doc__, d.__text_signature__ = func.__doc__, func.__text_signature__
    return d


class list_iterator(_seq_iterator_class):
    __slots__ = ()


class tuple_iterator(_seq_iterator_class):
    __slots__ = ()


BUILTINS = dict(vars(_builtins))
BUILTINS.update({
    'builtins': _builtins,
    'NoneType': type(None),
    'NotImplementedType': type(NotImplemented),
    'ellipsis': type(Ellipsis),
    'module': _types.ModuleType,
    'function': _types.FunctionType,
    'method': _types.MethodType,
    'builtin_function_or_method': type(len),
    'ferry_function': builtin_function_or_method,
    'builtin_method': builtin_method,
    'PyCapsule': PyCapsule,
    'method_descriptor': method_descriptor,
    'NativeObject': NativeObject,
    'code': _types.CodeType,
    'frame': _types.FrameType,
    'traceback': _types.TracebackType,
    'generator': _types.GeneratorType,
    'coroutine': _types.CoroutineType,
    'async_generator': _types.AsyncGeneratorType,
    'mappingproxy': _types.MappingProxyType,
    'tuple_iterator': tuple_iterator,
    'list_iterator': list_iterator,
    'dict_keyiterator': type(iter({})),
    'wrapper_descriptor': wrapper_descriptor,   # (a placeholder: PyPy has none)
    # PyPy 7.3.11 has CPython's two descriptor types: type.__dict__['__dict__']
    # is a getset_descriptor, a __slots__ member a member_descriptor.
    'getset_descriptor': _types.GetSetDescriptorType,
    'member_descriptor': _types.MemberDescriptorType,
    'getrecursionlimit': _sys.getrecursionlimit,
    'setrecursionlimit': _sys.setrecursionlimit,
})


# Exceptions CPython 3.11 has and a Python 3.9 host lacks: distinct classes
# with the 3.11 bases, so PyExc_* never aliases another exception.
if 'BaseExceptionGroup' not in BUILTINS:
    class BaseExceptionGroup(BaseException):
        def __init__(self, message, exceptions):
            if not isinstance(message, str):
                raise TypeError('argument 1 must be str, not %s' % type(message).__name__)
            exceptions = tuple(exceptions)
            if not exceptions:
                raise ValueError('second argument (exceptions) must be a non-empty sequence')
            super().__init__(message, exceptions)
            self.message, self.exceptions = message, exceptions
    BUILTINS['BaseExceptionGroup'] = BaseExceptionGroup
if 'EncodingWarning' not in BUILTINS:
    class EncodingWarning(Warning):
        pass
    BUILTINS['EncodingWarning'] = EncodingWarning


_BUILTIN_CODE = type(len.__code__) if hasattr(len, '__code__') else None


def is_builtin_method(m):
    """A bound method of a host builtin ([].append on PyPy): C sees it as a
    PyCFunction, as CPython's builtin methods are."""
    try:
        return type(m.__func__.__code__) is _BUILTIN_CODE
    except AttributeError:
        return False


def builtin(name):
    return BUILTINS[name]


# ---------------------------------------------------------------- errors

class _FetchSentinel:
    # PyPy's HPyErr_WriteUnraisable passes repr(obj) inside err_msg rather
    # than obj itself, so the hook recognizes this text.
    def __repr__(self):
        return '<ferry: fetch pending error>'


FETCH_SENTINEL = _FetchSentinel()
BUILTINS['FETCH_SENTINEL'] = FETCH_SENTINEL
BUILTINS['list_extend'] = list.extend
_fetched = []
_previous_hook = _sys.unraisablehook


def _unraisable_hook(args):
    if args.object is FETCH_SENTINEL or repr(FETCH_SENTINEL) in (args.err_msg or ''):
        _fetched.append((args.exc_type, args.exc_value, args.exc_traceback))
    else:
        _previous_hook(args)


_sys.unraisablehook = _unraisable_hook


def fetch_error():
    return _fetched.pop()


def raise_with_traceback(tp, value, tb):
    if value is None:
        value = tp()
    elif not isinstance(value, BaseException):
        value = tp(*value) if isinstance(value, tuple) else tp(value)
    if tb is not None:
        raise value.with_traceback(tb)
    raise value


class UnraisableHookArgs:
    """What sys.unraisablehook receives (CPython's sys.UnraisableHookArgs)."""
    __slots__ = ('exc_type', 'exc_value', 'exc_traceback', 'err_msg', 'object')

    def __init__(self, exc_type, exc_value, exc_traceback, err_msg, obj):
        self.exc_type, self.exc_value, self.exc_traceback = exc_type, exc_value, exc_traceback
        self.err_msg, self.object = err_msg, obj


def write_unraisable(exc_type, exc_value, tb, obj):
    args = UnraisableHookArgs(exc_type, exc_value, tb, None, obj)
    try:
        _sys.unraisablehook(args)
    except BaseException:
        _sys.__unraisablehook__(args)


def print_exception(tp, value, tb, set_last):
    """PyErr_PrintEx: SystemExit ends the process (after atexit, as Py_Exit
    does); else sys.last_* and sys.excepthook, with CPython's fallback."""
    if isinstance(value, SystemExit):
        code = value.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code
        else:
            print(code, file=_sys.stderr)
            status = 1
        import atexit, os
        atexit._run_exitfuncs()
        _sys.stdout.flush()
        _sys.stderr.flush()
        os._exit(status)
    if set_last:
        _sys.last_type, _sys.last_value, _sys.last_traceback = tp, value, tb
    try:
        _sys.excepthook(tp, value, tb)
    except BaseException as e:
        print('Error in sys.excepthook:', file=_sys.stderr)
        _sys.__excepthook__(type(e), e, e.__traceback__)
        print('\nOriginal exception was:', file=_sys.stderr)
        _sys.__excepthook__(tp, value, tb)


def set_exc_info(tp, value, tb):
    try:
        import __pypy__
    except ImportError:
        raise SystemError('PyErr_SetExcInfo: this host cannot set the handled exception')
    if value is None:
        __pypy__.set_exc_info(None, None)
    else:
        __pypy__.set_exc_info(tp, value, tb)


def exception_matches(given, exc):
    return issubclass(given, exc)


# ---------------------------------------------------------------- objects

def _type_lookup(tp, name):
    """The attribute as the type's slots see it: found in the MRO's own
    dicts, never through the metaclass (type.__call__ is not int's tp_call)."""
    for klass in tp.__mro__:
        d = vars(klass)
        if name in d:
            return d[name]
    raise AttributeError(name)


_MISSING = object()


def type_features(tp, names):
    bits = 0
    for i, name in enumerate(names.split(',')[:-1]):
        if name == '__hash__ is None':
            present = _lookup_or_missing(tp, '__hash__') is None
        elif name == "__hash__ is object's":
            present = _lookup_or_missing(tp, '__hash__') is _OBJECT_HASH
        elif '.' in name:   # exactly this class of a module already imported
            module, _, cls = name.partition('.')
            present = tp is getattr(_sys.modules.get(module), cls, None)
        else:
            present = _lookup_or_missing(tp, name) not in (_MISSING, None)
        if present:
            bits |= 1 << i
    return bits


_OBJECT_HASH = object.__dict__['__hash__']


def _lookup_or_missing(tp, name):
    try:
        return _type_lookup(tp, name)
    except AttributeError:
        return _MISSING


def call_dunder(o, name, *args):
    """type(o).name(o, *args): how CPython's slots call a Python-level method."""
    if o is None:   # (PyPy's NoneType has plain functions, which __get__(None) leaves unbound)
        return _builtins.getattr(o, name)(*args)
    return _type_lookup(type(o), name).__get__(o, type(o))(*args)


def text_checked(o, name):
    """repr(o) or str(o) as PyObject_Repr/Str: the type's method, and a
    non-str result is CPython's TypeError."""
    r = call_dunder(o, name)
    if not isinstance(r, str):
        raise TypeError('%s returned non-string (type %s)' % (name, type(r).__name__))
    return r


def truth(o):
    """PyObject_IsTrue: __bool__ must return a bool (CPython's message), else __len__."""
    f = _lookup_or_missing(type(o), '__bool__')
    if f is not _MISSING and f is not None:
        r = f(o)
        if type(r) is not bool:
            raise TypeError('__bool__ should return bool, returned %s' % type(r).__name__)
        return r
    return bool(o)


def has_dunder(o, name):
    return _lookup_or_missing(type(o), name) is not _MISSING


def type_lookup(tp, name):
    """_PyType_Lookup: (value,) from the first dict of the MRO that has the
    name, () when none has."""
    for klass in tp.__mro__:
        d = vars(klass)
        if name in d:
            return (d[name],)
    return ()


def instance_dict(o):
    """The object's own __dict__ as object attribute lookup finds it (never
    through o's __getattribute__); None when it has none that is a dict."""
    tp = type(o)
    descr = _lookup_or_missing(tp, '__dict__')
    if descr is _MISSING or _lookup_or_missing(type(descr), '__get__') is _MISSING:
        return None
    try:
        d = descr.__get__(o, tp)
    except AttributeError:
        return None
    return d if type(d) is dict else None


def set_instance_dict(o, d):
    """A dict C stored through _PyObject_GetDictPtr becomes o's __dict__
    (through the descriptor, never o's __setattr__)."""
    _type_lookup(type(o), '__dict__').__set__(o, d)
    return True


def int_to_bytes(n):
    mag = abs(n)
    return (n < 0, mag.to_bytes((mag.bit_length() + 7) // 8 or 1, 'little'))


def int_from_bytes(mag, negative):
    v = int.from_bytes(mag, 'little')
    return -v if negative else v


def decode_ucs(value):
    if isinstance(value, str):
        return value.encode('utf-32-le', 'surrogatepass')
    return bytes(value).decode('utf-32-le', 'surrogatepass')


def new_module(name, doc):
    m = _types.ModuleType(name, doc)
    return m


def make_function(defaddr, self, by_address, name, doc, module, bound=None, flags=0,
                  direct=None, arity=-1):
    # builtin_method only once the layer maps it to PyCMethod_Type (BUILTINS).
    cls = builtin_function_or_method
    if flags & _METH_METHOD and 'builtin_method' in BUILTINS:
        cls = builtin_method
    f = cls.__new__(cls)
    f._def = defaddr
    f._self = self
    f._by_address = by_address
    f._bound = bound
    f._direct = direct
    f._arity = arity
    f.__name__ = name
    if bound is None or _builtins.isinstance(bound, _types.ModuleType):
        f.__qualname__ = name
    else:
        t = bound if _builtins.isinstance(bound, type) else type(bound)
        f.__qualname__ = '%s.%s' % (t.__qualname__, name)
    f.__doc__, f.__text_signature__ = builtin_function_or_method._split_doc(name, doc)
    f.__module__ = module
    return f


def release_link_callback(ref, _release=_ferry_host.release, _id=_builtins.id):
    """The callback of every release link (gc_bridge/bridge.h): the target
    died, the layer drops the reference the link stands for."""
    _release(_id(ref))


# Release links of fresh wrappers (bridge::link_later) are weakrefs without a
# callback: PyPy keeps an object with a weakref callback through its minor
# collections (callbacks run as finalizers do, after major ones), and most
# wrappers made from Python die young. Before links are made, if a minor
# collection happened since the last time (a canary, a young object nothing
# holds, died), and after the host's collections the layer starts, the young
# links whose wrapper died release their object, and the others get a
# callback link (their wrapper is old now). A link's key is the id() of its
# first weakref, which the callback link holds so that the id stays its own.
# (Not a gc.hooks.on_gc_minor hook: it runs at any safe point, also at the
# recursion limit, where calling it raises into the code it interrupted.)
_young_links = []
_old_links = {}


class _Link(_weakref.ref):
    __slots__ = ('key', 'first')


class _Canary:
    __slots__ = ('__weakref__',)


_canary = [None]


def _old_link_died(link, _pop=_old_links.pop, _release=_ferry_host.release):
    _pop(link.key, None)
    _release(link.key)


def sweep_links(_young=_young_links, _old=_old_links, _Link=_Link, _died=_old_link_died,
                _release=_ferry_host.release, _id=_builtins.id):
    if not _young:
        return
    links = _young[:]   # a release may run C code, which may make links
    del _young[:]
    for r in links:
        w = r()
        key = _id(r)
        if w is None:
            _release(key)
        else:
            link = _Link(w, _died)
            link.key = key
            link.first = r
            _old[key] = link


def make_links(wrappers, _ref=_weakref.ref, _id=_builtins.id, _young=_young_links,
               _canary=_canary, _Canary=_Canary):
    """Release links for fresh wrappers, made together:
    [ref0, id(ref0), ref1, id(ref1), ...]."""
    c = _canary[0]
    if c is None or c() is None:   # a minor collection since the last links
        _canary[0] = _ref(_Canary())
        sweep_links()
    out = []
    for w in wrappers:
        r = _ref(w)
        _young.append(r)
        out.append(r)
        out.append(_id(r))
    return out


try:
    from __pypy__ import add_memory_pressure as _add_memory_pressure
except ImportError:   # a host without it: the advice is dropped
    def _add_memory_pressure(estimate):
        pass


def relieve_memory(grown):
    """C's memory outside the host's heap grew by `grown` bytes
    (gc_bridge/pressure.cpp): a step of the host's collector now (a minor
    collection and a slice of a major one), the young links swept, and the
    next major collection sooner."""
    _gc.collect_step()
    sweep_links()
    _add_memory_pressure(grown)


class _Cell:
    """Holds a managed object for a wrapper during a boundary collection
    (gc_bridge/cycles.cpp); the layer keeps a weakref to it."""
    __slots__ = ('obj', 'held', '__weakref__')


def cells_for(objects, _Cell=_Cell, _ref=_weakref.ref):
    """(cells, weakrefs to them), one of each per object."""
    cells = []
    refs = []
    for o in objects:
        c = _Cell()
        c.obj = o
        cells.append(c)
        refs.append(_ref(c))
    return cells, refs


def cells_hold(cells, helds):
    """Each cell holds what the C side of its proxy reaches (None: nothing)."""
    for c, held in zip(cells, helds):
        c.held = held
    return True


def cells_objects(refs):
    """The object of each weakref's cell, None where the cell died."""
    out = []
    for r in refs:
        c = r()
        out.append(None if c is None else c.obj)
    return out


_host_collect = _gc.collect


def host_collect():
    n = _host_collect()
    sweep_links()
    return n


def collect(*args, **kwargs):
    """gc.collect while ferry is installed: the host's collection, then the
    boundary collection (cycles through C fields of extension objects).
    Returns what the host's gc.collect returns (PyPy: None)."""
    _ferry_host.collect(True)   # fresh wrappers' release links first
    n = _host_collect(*args, **kwargs)
    sweep_links()
    found = _ferry_host.collect()
    return n + found if _builtins.isinstance(n, int) else n


BUILTINS['weakref_ref'] = _weakref.ref
BUILTINS['release_link_callback'] = release_link_callback


def gc_stress():
    # FERRY_STRESS: one incremental step of the host's collector, which starts
    # with a minor collection (every young object moves).
    _gc.collect_step()
    sweep_links()


def delattr(o, name):
    _builtins.delattr(o, name)


def delitem(o, key):
    del o[key]


iter = _builtins.iter


# PyIter_Next calls next(it, ITER_DONE): one object C tells by handle
# comparison (no tuple to build and read per item).
ITER_DONE = object()
BUILTINS['ITER_DONE'] = ITER_DONE
BUILTINS['EMPTY_TUPLE'] = ()


def next_method(it):
    """type(it).__next__ bound to it, as tp_iternext finds it (not an instance
    attribute); None when the type has none (next() gives the error)."""
    cls = type(it)
    for k in cls.__mro__:
        f = vars(k).get('__next__')
        if f is not None:
            return f.__get__(it, cls)
    return None


class AttributeMiss(object):
    """getattr_or_miss's answer for an AttributeError: the error, its traceback
    without the helper's frame."""
    __slots__ = ('error',)


BUILTINS['AttributeMiss'] = AttributeMiss


def getattr_or_miss(o, name, _getattr=_builtins.getattr, _Miss=AttributeMiss):
    """getattr(o, name), an AttributeError answered instead of raised (the
    layer fetches a raised one at a high cost: cpyext/object.cpp)."""
    try:
        return _getattr(o, name)
    except AttributeError as e:
        tb = e.__traceback__
        e.__traceback__ = tb.tb_next if tb is not None else None
        miss = _Miss()
        miss.error = e
        return miss


def generic_getattr(o, name, tp_name, _getattribute=object.__getattribute__):
    """PyObject_GenericGetAttr: object's own lookup, never the type's
    __getattr__ (a C tp_getattro that falls back on the generic one is that
    __getattr__). A name found nowhere is CPython's AttributeError, which
    names the type by its tp_name."""
    try:
        return _getattribute(o, name)
    except AttributeError:
        d = instance_dict(o)
        if _lookup_or_missing(type(o), name) is not _MISSING or (d is not None and name in d):
            raise
    raise AttributeError("'%s' object has no attribute '%s'" % (tp_name, name))


isinstance = _builtins.isinstance
issubclass = _builtins.issubclass
format = _builtins.format


def kw_flat(kw):
    """Keyword arguments as (names..., values...) for METH_FASTCALL|METH_KEYWORDS."""
    return tuple(kw) + tuple(kw.values())


# (From sys.maxsize: computed as -(1 << 63) and (1 << 63) - 1 they are PyPy
# big ints, and each comparison with them took the big-int path: a 10-key
# dict's scan 1.2 -> 0.86 us.)
_INT64_MIN, _INT64_MAX = -_sys.maxsize - 1, _sys.maxsize


# (struct.pack_into in a loop, which PyPy's JIT turns into stores; array's
# frombytes/tolist and struct.pack(fmt, *items) cost microseconds per
# hundred items.)
_pack_q = _struct.Struct('q').pack_into
_pack_d = _struct.Struct('d').pack_into
_unpack_q = _struct.Struct('q').unpack_from
_unpack_d = _struct.Struct('d').unpack_from


def _scan_put(x, i, n, buf, others):
    """Item x at place i of a scan of n items in buf (_scan)."""
    t = type(x)
    if t is int and _INT64_MIN <= x <= _INT64_MAX:
        buf[8 * n + i] = 1
        _pack_q(buf, 8 * i, x)
    elif t is float:
        buf[8 * n + i] = 2
        _pack_d(buf, 8 * i, x)
    elif t is str:
        buf[8 * n + i] = 6
        _pack_q(buf, 8 * i, hash(x))
        others.append(x)
    elif x is None:
        buf[8 * n + i] = 3
    elif x is True:
        buf[8 * n + i] = 4
    elif x is False:
        buf[8 * n + i] = 5
    else:
        if t is dict:
            buf[8 * n + i] = 7
        elif t is list:
            buf[8 * n + i] = 8
        elif t is tuple:
            buf[8 * n + i] = 9
        xid = id(x)   # (PyPy's ids of value objects may not fit: 0, C asks)
        if _INT64_MIN <= xid <= _INT64_MAX:
            _pack_q(buf, 8 * i, xid)
        others.append(x)


# A young object that dies at the host's next collection: a scan that finds
# it dead at its end ran while the host collected, and so maybe while Python
# finalizers ran, which may have changed any container (C then treats its
# copies as stale: host::code_epoch, scan.cpp). So may other threads, which
# the host may switch to during a scan.
_scan_canary = [None]


def _scan_others_ran(canary, _count=_thread._count):
    return canary() is None or _count() > 0


def _scan_begin():
    c = _scan_canary[0]
    if c is None or c() is None:
        c = _scan_canary[0] = _weakref.ref(_Canary())
    return c


def _scan(items):
    """Items for C in one call (proxies/scan.h): a list [packed, *others],
    packed 9 bytes per item: first 8 each (a word), then 1 each (a kind: 1: an
    exact int of 64 bits, in its word; 2: an exact float, in its word; 3 None,
    4 True, 5 False; 6: an exact str, the next of others, its hash in its
    word; 7, 8, 9: an exact dict, list or tuple, and 0: anything else, the
    next of others, its id() in its word when it fits); then one byte, 1 if
    other Python code may have run meanwhile (_scan_canary).
    (One bytes object and one list: C reads the scan in two host calls.)"""
    c = _scan_begin()
    n = len(items)
    buf = bytearray(9 * n + 1)
    others = [None]
    for i in range(n):
        _scan_put(items[i], i, n, buf, others)
    buf[9 * n] = _scan_others_ran(c)
    others[0] = bytes(buf)
    return others


def dict_iter_at(d, n):
    """A key iterator of d (of {} when d is None) that has given n keys
    (one C began: dictobject.cpp)."""
    it = iter({} if d is None else d)
    for _ in range(n):
        next(it, None)
    return it


def dict_keys_kept(d, scan, _is=_operator.is_):
    """Whether d's keys are still those of scan (dict_scan's), in their order
    (a walk C made while Python code ran: dictobject.cpp)."""
    buf = scan[0]
    n = len(buf) // 9
    keys = []
    j = 1
    for i in range(n):
        kind = buf[8 * n + i]
        if kind == 0 or kind >= 6:
            x = scan[j]
            j += 1
        elif kind == 1:
            x = _unpack_q(buf, 8 * i)[0]
        elif kind == 2:
            x = _unpack_d(buf, 8 * i)[0]
        else:
            x = (None, True, False)[kind - 3]
        if i % 2 == 0:
            keys.append(x)
    return len(d) == len(keys) and all(map(_is, d, keys))


def list_scan(lst):
    """_scan of a list's items (listobject.cpp: a list of 16 or more)."""
    return _scan(list(lst))


def dict_scan(d, _items=dict.items):
    """A dict's own items for C (PyDict_Next's snapshot, its key iterator,
    PyDict_Keys & co.): _scan of [k0, v0, k1, v1, ...] (dict.items: not an
    overridden one). Its items taken at once, by one call that runs no Python
    code: a finalizer run between taking its keys and its values could have
    paired them wrongly. (And faster than keys and values apart: 100 str keys
    with int values 3.0 -> 1.5 us, 3 items 180 -> 120 ns.)"""
    c = _scan_begin()
    items = list(_items(d))
    n = 2 * len(items)
    buf = bytearray(9 * n + 1)
    others = [None]
    i = 0
    for k, v in items:
        _scan_put(k, i, n, buf, others)
        _scan_put(v, i + 1, n, buf, others)
        i += 2
    buf[9 * n] = _scan_others_ran(c)
    others[0] = bytes(buf)
    return others


def set_scan(s, _set_iter=set.__iter__, _frozenset_iter=frozenset.__iter__):
    """A set's own keys for C (_PySet_NextEntry's snapshot): _scan of them in
    the set's order (set.__iter__: not an overridden __iter__)."""
    it = _set_iter if _builtins.isinstance(s, set) else _frozenset_iter
    return _scan(list(it(s)))


def dict_holds(d, objs):
    """Which of objs d holds as a key or a value (by identity): bytes of 0/1.
    d may be a set or frozenset too (its keys)."""
    held = _identity_dict()
    if _builtins.isinstance(d, (set, frozenset)):
        for k in (set.__iter__ if _builtins.isinstance(d, set) else frozenset.__iter__)(d):
            held[k] = None
    else:
        for k, v in dict.items(d):
            held[k] = held[v] = None
    return bytes([o in held for o in objs])


def getattr_default(o, name, default=None):
    return _builtins.getattr(o, name, default)


def complex_parts(c):
    return (c.real, c.imag)


def complex_new(real, imag):
    return complex(real, imag)


def call_method(o, name, *args):
    return _builtins.getattr(o, name)(*args)


def import_module(name):
    __import__(name)
    return _sys.modules[name]


def sort(lst):
    lst.sort()


def set_slice(o, lo, hi, v):
    if v is None:
        del o[lo:hi]
    else:
        o[lo:hi] = v


def get_slice(o, lo, hi):
    return o[lo:hi]


def slice_new(start, stop, step):
    return slice(start, stop, step)


def slice_parts(s):
    return (s.start, s.stop, s.step)


# ---------------------------------------------------------------- native types

# Must match cpyext/native_slots.h.
_SLOT_NEW, _SLOT_INIT, _SLOT_CALL, _SLOT_REPR, _SLOT_STR, _SLOT_HASH = 1, 2, 3, 4, 5, 6
_SLOT_ITER, _SLOT_NEXT, _SLOT_LEN, _SLOT_GETITEM, _SLOT_SETITEM = 7, 8, 9, 10, 11
_SLOT_DELITEM, _SLOT_CONTAINS, _SLOT_RICHCMP, _SLOT_BOOL = 12, 13, 14, 15
_SLOT_GETATTR, _SLOT_SETATTR, _SLOT_DELATTR = 16, 17, 18
_SLOT_DESCR_GET, _SLOT_DESCR_SET, _SLOT_DESCR_DELETE = 19, 20, 21
_SLOT_NOT_ITERABLE = 22   # (a mapping's __getitem__ alone: iter() refuses, as CPython's)
_SLOT_SEQUENCE_ITERABLE = 23   # (sq_item without tp_iter: iter() walks the items)


def _sequence_iter(self):
    """iter() of a sequence of C without tp_iter whose base's class is not
    iterable: its items until IndexError (CPython's sequence iterator)."""
    i = 0
    while True:
        try:
            item = self[i]
        except (IndexError, StopIteration):
            return
        yield item
        i += 1


_RICHCMP = (('__lt__', 0), ('__le__', 1), ('__eq__', 2), ('__ne__', 3), ('__gt__', 4), ('__ge__', 5))


# What _ferry_host.direct makes (cpyext/entry.cpp, enum class Direct).
_CALL_SLOT, _GET_MEMBER, _SET_MEMBER, _GET_GETSET, _SET_GETSET = 0, 1, 2, 3, 4


def _direct(what, t, index, one=False):
    """A host function with a C entry of its own for a slot, member or getset
    access of the C type t (one: it takes exactly one argument, self)."""
    return _ferry_host.direct(what, t, index, one)


def _slot_methods(t):
    # The arguments go as they are (handles in C, no tuple made here); the C
    # side answers None for the slots that return a status.
    def new_(d):
        def new(cls, *args, **kw):
            return d(cls, *args, **kw)
        return staticmethod(new)

    def varargs(d):
        def method(self, *args, **kw):
            return d(self, *args, **kw)
        return method

    def unary(d):
        return lambda self: d(self)

    def binary(d):
        return lambda self, other: d(self, other)

    def ternary(d):
        return lambda self, a, b: d(self, a, b)

    def richcmp(d, op):
        return lambda self, other: d(self, other, op)

    def descr_get(d):
        return lambda self, obj, type=None: d(self, obj, type)

    # sid -> [(dunder, maker of the method from a direct function, takes self
    # only, the slot id the direct function calls)]
    table = {
        _SLOT_NEW: [('__new__', new_, False, _SLOT_NEW)],
        _SLOT_INIT: [('__init__', varargs, False, _SLOT_INIT)],
        _SLOT_CALL: [('__call__', varargs, False, _SLOT_CALL)],
        _SLOT_REPR: [('__repr__', unary, True, _SLOT_REPR)],
        _SLOT_STR: [('__str__', unary, True, _SLOT_STR)],
        _SLOT_HASH: [('__hash__', unary, True, _SLOT_HASH)],
        _SLOT_ITER: [('__iter__', unary, True, _SLOT_ITER)],
        _SLOT_NEXT: [('__next__', unary, True, _SLOT_NEXT)],
        _SLOT_LEN: [('__len__', unary, True, _SLOT_LEN)],
        _SLOT_GETITEM: [('__getitem__', binary, False, _SLOT_GETITEM)],
        _SLOT_SETITEM: [('__setitem__', ternary, False, _SLOT_SETITEM),
                        ('__delitem__', binary, False, _SLOT_DELITEM)],
        _SLOT_CONTAINS: [('__contains__', binary, False, _SLOT_CONTAINS)],
        _SLOT_RICHCMP: [(name, (lambda op: lambda d: richcmp(d, op))(op), False, _SLOT_RICHCMP)
                        for name, op in _RICHCMP],
        _SLOT_BOOL: [('__bool__', unary, True, _SLOT_BOOL)],
        _SLOT_GETATTR: [('__getattr__', binary, False, _SLOT_GETATTR)],
        _SLOT_SETATTR: [('__setattr__', ternary, False, _SLOT_SETATTR),
                        ('__delattr__', binary, False, _SLOT_DELATTR)],
        _SLOT_DESCR_GET: [('__get__', descr_get, False, _SLOT_DESCR_GET)],
        _SLOT_DESCR_SET: [('__set__', ternary, False, _SLOT_DESCR_SET),
                          ('__delete__', binary, False, _SLOT_DESCR_DELETE)],
    }

    def dunders(sid):
        return [(dunder, make(_direct(_CALL_SLOT, t, s, one))) for dunder, make, one, s in table.get(sid, ())]
    return dunders


_METH_CLASS, _METH_STATIC = 0x10, 0x20


def _method(defaddr, flags, name, doc, direct, arity):
    call = _ferry_host.call_method

    if direct is None:
        def m(self, *args, **kw):
            return call(defaddr, self, *args, **kw)
    elif arity == -2:   # METH_FASTCALL|METH_KEYWORDS: keywords flattened
        def m(self, *args, **kw):
            if kw:
                return direct(len(kw), self, *args, *kw, *kw.values())
            return direct(0, self, *args)
    elif arity < 0:
        def m(self, *args, **kw):
            return direct(self, *args, **kw)
    else:   # METH_NOARGS: self only (arguments: the general path's message)
        def m(self, *args, **kw):
            if not args and not kw:
                return direct(self)
            return call(defaddr, self, *args, **kw)
    m.__name__ = m.__qualname__ = name
    doc, sig = builtin_function_or_method._split_doc(name, doc)
    m.__doc__ = doc
    m.__text_signature__ = sig
    if flags & _METH_CLASS:
        return classmethod(m)
    if flags & _METH_STATIC:
        def s(*args, **kw):
            return call(defaddr, None, *args, **kw)
        s.__name__ = s.__qualname__ = name
        s.__doc__ = doc
        s.__text_signature__ = sig
        return staticmethod(s)
    return m


_REFLECTED = 1 << 16   # cpyext/native_slots.h kReflected


def _operator_methods(t, sid, name, rname, arity):
    """The dunders of a C operator slot; the C slot answers NotImplemented
    itself when it does not handle the other operand."""
    d = _direct(_CALL_SLOT, t, sid, arity == 1)
    r = _direct(_CALL_SLOT, t, sid | _REFLECTED, False) if rname and arity != 1 else None
    if arity == 1:
        return {name: lambda self: d(self)}
    if arity == 3:
        methods = {name: lambda self, other, mod=None: d(self, other, mod)}
        if rname:
            methods[rname] = lambda self, other, mod=None: r(self, other, mod)
        return methods
    methods = {name: lambda self, other: d(self, other)}
    if rname:
        methods[rname] = lambda self, other: r(self, other)
    return methods


def _member(t, index, readonly, doc):
    """A PyMemberDef: the C side answers sets and deletes, read-only ones too
    (with CPython's messages)."""
    get = _direct(_GET_MEMBER, t, index, True)
    put = _direct(_SET_MEMBER, t, index)
    return property(lambda self: get(self), lambda self, v: put(self, v), lambda self: put(self), doc)


def _getset(t, index, has_set, doc):
    """A PyGetSetDef: deleting calls the setter with NULL, as in CPython."""
    get = _direct(_GET_GETSET, t, index, True)
    put = _direct(_SET_GETSET, t, index)
    return property(lambda self: get(self), lambda self, v: put(self, v), lambda self: put(self), doc)


def make_native_type(spec):
    """Fills cls, the managed class of an extension's type (made by the layer
    as a handle-ABI type of its own), with the type's slots, methods, members
    and getsets, and returns it. A type based on a builtin (a hybrid type)
    comes with cls None and hybrid_bases its bases' classes: its class is a
    Python subclass of that, made here (with an instance __dict__ only when
    the C type has one: has_dict)."""
    (cls, name, module, doc, t, slots, methods, members, getsets, basetype, tp_dict,
     hybrid_bases, has_dict, has_fields, pickle_refused) = spec
    if cls is None:
        cls = _hybrid_class(name, module, hybrid_bases, has_dict)
    elif type(cls) is type:   # (not meta_class's: its storage is its base)
        _STORAGE.add(cls)
    if doc is not None:   # without its "Name(sig)\n--\n\n" (typeobject.c type_dict_set_doc)
        doc = builtin_function_or_method._split_doc(name, doc)[0] or ''
    ns = {'__module__': module, '__doc__': doc}
    dunders = _slot_methods(t)
    for sid in slots:
        if isinstance(sid, tuple):   # an operator: (id, dunder, reflected dunder, arity)
            ns.update(_operator_methods(t, *sid))
            continue
        if sid == _SLOT_NOT_ITERABLE:   # (the host would iterate through __getitem__)
            ns['__iter__'] = None
            continue
        if sid == _SLOT_SEQUENCE_ITERABLE:
            if any(vars(k).get('__iter__', 0) is None for k in cls.__mro__[1:]):
                ns['__iter__'] = lambda self: _sequence_iter(self)   # (named per class below)
            continue
        for dunder, fn in dunders(sid):
            ns[dunder] = fn
    for mname, defaddr, flags, mdoc, direct, arity in methods:
        ns[mname] = _method(defaddr, flags, mname, mdoc, direct, arity)
    for k, v in ns.items():   # (the slots' and methods': named as CPython's descriptors)
        _name_function(v, k, '%s.%s' % (name, k))
    for mname, index, readonly, mdoc in members:
        ns[mname] = _member(t, index, readonly, mdoc)
    for gname, index, has_set, gdoc in getsets:
        ns[gname] = _getset(t, index, has_set, gdoc)
    if tp_dict:
        ns.update(tp_dict)   # written by C after PyType_Ready: they win, as in CPython
    # (With several bases, a base's __new__ is not the type's: the tp_new it
    # has comes from tp_base, and the layer lists it.)
    if _SLOT_NEW not in slots and (len(cls.__bases__) > 1 or
                                   not any('__new__' in vars(k) for k in cls.__mro__[1:-1])):
        def no_new(cls, *args, **kw):
            raise TypeError("cannot create '%s.%s' instances" % (module, name))
        ns['__new__'] = staticmethod(no_new)
    if not basetype:
        # Without Py_TPFLAGS_BASETYPE CPython refuses subclasses; the host's
        # handle-ABI types do not check the flag, so the class does.
        qualified = '%s.%s' % (module, name) if module != 'builtins' else name

        def __init_subclass__(sub, **kwargs):
            raise TypeError("type '%s' is not an acceptable base type" % qualified)
        ns['__init_subclass__'] = classmethod(__init_subclass__)
    elif hybrid_bases is None:
        _NATIVE_FIELDS[cls] = has_fields
        if '__init_subclass__' not in ns:
            ns['__init_subclass__'] = classmethod(_native_init_subclass(cls))
    if hybrid_bases is None and pickle_refused and '__reduce_ex__' not in ns:
        qualified = '%s.%s' % (module, name) if module != 'builtins' else name
        ns['__reduce_ex__'] = _native_reduce_ex(cls, qualified)
    if hybrid_bases is not None and '__repr__' in ns and '__str__' not in ns and \
            issubclass(cls, _STR_IS_REPR):
        ns['__str__'] = object.__str__   # (CPython's int, float, ... have no tp_str of their own)
    # A member or getset named as one of type's own data descriptors
    # (__name__, __dict__, __qualname__: Cython's function type has them)
    # cannot be set on a class: its instances reach it through the class's
    # __getattribute__.
    hidden = {}
    for k, v in ns.items():
        try:
            setattr(cls, k, v)
        except (TypeError, AttributeError):
            if _lookup_or_missing(type(cls), k) is _MISSING:
                raise
            hidden[k] = v
    if hidden:
        _hide_attributes(cls, hidden)
    if cls in _PENDING_IMMUTABLE:
        _PENDING_IMMUTABLE.remove(cls)
        _IMMUTABLE.add(cls)
    if tp_dict is not None:
        # tp_dict is the C view of the class's namespace (PyType_Modified
        # brings C's later writes back, sync_type_dict).
        for k, v in vars(cls).items():
            if k not in tp_dict:
                tp_dict[k] = v
        _TYPE_DICT_KEYS[cls] = set(tp_dict)
    return cls


# The classes of types of C whose instances the layer makes (handle-ABI
# storage), and whether the type has fields of its own (CPython's solid base
# is not object).
_NATIVE_FIELDS = _weakref.WeakKeyDictionary()
_MAKING_HYBRID = False
_HYBRIDS = _weakref.WeakSet()   # the classes _hybrid_class made with several bases
_LAYOUT_BUILTINS = (int, float, complex, str, bytes, bytearray, tuple, list, dict, set, frozenset,
                    BaseException, type)


def _native_init_subclass(cls):
    """__init_subclass__ of a class of a type of C: a Python class that
    also derives from a builtin laid out otherwise (`class F(Point, float)`)
    is refused as CPython refuses it; the host makes such a class, but not
    its instances (whose storage the type of C reads: PyPy crashed)."""
    def __init_subclass__(sub, **kwargs):
        if _MAKING_HYBRID:
            return super(cls, sub).__init_subclass__(**kwargs)
        mro = sub.__mro__
        builtins = [k for k in mro if k.__module__ == 'builtins' and _builtins.issubclass(k, _LAYOUT_BUILTINS)]
        hybrids = [h for h in mro if h in _HYBRIDS]   # (their bases were checked)
        for k in mro:
            fields = _NATIVE_FIELDS.get(k)
            if fields is None:
                continue
            for b in builtins:
                if b not in k.__mro__ and not any(k in h.__mro__ and b in h.__mro__ for h in hybrids):
                    if fields:
                        raise TypeError("multiple bases have instance lay-out conflict")
                    raise TypeError("ferry: a class based on the type of C '%s' and on '%s' "
                                    "(laid out as the latter): not supported yet"
                                    % (k.__name__, b.__name__))
        super(cls, sub).__init_subclass__(**kwargs)
    return __init_subclass__


def _native_reduce_ex(cls, tp_name):
    """__reduce_ex__ of a class of a type of C with fields (pickle_refused in
    typeobject.cpp): CPython's object.__reduce_ex__ refuses to pickle (or
    copy) its instances unless their class says how (__reduce__,
    __getnewargs(_ex)__, __getstate__); the host's saved an instance's
    __dict__ and lost its C fields (a copy of Point(1, 2) was Point(0, 0))."""
    def __reduce_ex__(self, protocol):
        t = type(self)
        if t.__reduce__ is not object.__reduce__:
            return self.__reduce__()
        if protocol < 2 and t is cls or not (_builtins.hasattr(t, '__getnewargs_ex__') or
                                            _builtins.hasattr(t, '__getnewargs__') or
                                            _builtins.hasattr(t, '__getstate__')):
            # (copyreg's words below protocol 2, object_getstate's from it)
            raise TypeError("cannot pickle %r object" %
                            (t.__name__ if protocol < 2 or t is not cls else tp_name))
        return object.__reduce_ex__(self, protocol)
    return __reduce_ex__


def _name_function(obj, name, qualname):
    """A function the layer made for a type of C (maybe a classmethod or a
    staticmethod) named as CPython names the descriptor it stands for."""
    f = obj.__func__ if isinstance(obj, (staticmethod, classmethod)) else obj
    if isinstance(f, _types.FunctionType):
        f.__name__ = name
        f.__qualname__ = qualname


def _hide_attributes(cls, hidden):
    """Instances of cls reach the descriptors `hidden` by name through the
    class's __getattribute__ (the rest as before: a lookup the class's own
    does, then its __getattr__ if that fails)."""
    lookup = cls.__getattribute__

    def __getattribute__(self, name):
        d = hidden.get(name)
        if d is not None:
            return d.__get__(self, type(self))
        return lookup(self, name)
    cls.__getattribute__ = __getattribute__


# The builtins whose str() is their repr in CPython (no tp_str): a type of C
# based on one that defines tp_repr alone has that repr as its str.
_STR_IS_REPR = (int, float, complex, list, tuple, dict, set, frozenset)

# The slot in which a hybrid's managed object holds what the boundary
# collection gives it to hold (gc_bridge/cycles.cpp), per hybrid class;
# _IN_DICT for a class whose instances hold it in their __dict__.
_HOLD = {}
_IN_DICT = object()


def _hybrid_class(name, module, bases, has_dict):
    """The managed class of a type of C based on a builtin (a hybrid type,
    proxies/proxy.h): a Python subclass of its bases' classes (the builtin's
    line, and types of C without fields: numpy's float64(floating, float))
    with one hidden slot (its descriptor is kept here, not in the class), and
    an instance __dict__ only when the C type has one. When the base's
    instances have a __dict__ already (exceptions), no slot: the class keeps
    its base's layout, as the C type does when it adds no fields in CPython,
    so that a Python class may also derive from another builtin of its own
    layout (lxml's LxmlSyntaxError(LxmlError, SyntaxError), LxmlError a type
    of C based on Exception); what the boundary collection gives such an
    object to hold is kept in its __dict__ while the collection runs."""
    global _MAKING_HYBRID
    base = next(b for b in bases if b not in _NATIVE_FIELDS)   # (the builtin's line)
    if issubclass(base, type):   # a metaclass of C: its instances are types, no hybrids
        def __setattr__(cls, attr, value):
            _check_mutable(cls, attr)
            base.__setattr__(cls, attr, value)

        def __delattr__(cls, attr):
            _check_mutable(cls, attr)
            base.__delattr__(cls, attr)
        return type(base)(name, (base,), {'__module__': module, '__setattr__': __setattr__,
                                          '__delattr__': __delattr__})
    _MAKING_HYBRID = True   # (the other bases' __init_subclass__ lets it be)
    try:
        if any('__dict__' in vars(k) for k in base.__mro__):   # (the base has a __dict__)
            cls = type(base)(name, bases, {'__module__': module, '__slots__': ()})
            _HOLD[cls] = _IN_DICT
        else:
            slots = ('_ferry_hold', '__dict__') if has_dict else ('_ferry_hold',)
            cls = type(base)(name, bases, {'__module__': module, '__slots__': slots})
            _HOLD[cls] = vars(cls)['_ferry_hold']
            _builtins.delattr(cls, '_ferry_hold')
    finally:
        _MAKING_HYBRID = False
    if len(bases) > 1:
        _HYBRIDS.add(cls)
    _builtins.delattr(cls, '__slots__')
    return cls


# The handle-ABI classes of types of C (host::native_class): what gives an
# instance its C object (make_native_type, meta_class).
_STORAGE = _weakref.WeakSet()


def add_storage_base(cls):
    """PyPy's HPy_New looks for the handle-ABI class among a class's direct
    bases only: a Python class deriving from a Python subclass of a type of C
    gets that class as a last base of its own (its MRO stays the same)."""
    if cls in _STORAGE or any(b in _STORAGE for b in cls.__bases__):
        return
    for k in cls.__mro__:
        if k in _STORAGE:
            cls.__bases__ = cls.__bases__ + (k,)
            return


# Classes of static types of C whose metatype is a metaclass of C: immutable,
# as in CPython (the metaclass's class checks; other classes of static types
# of C stay mutable on the host: docs/architecture.md).
_IMMUTABLE = _weakref.WeakSet()


def _check_mutable(cls, attr):
    if cls in _IMMUTABLE:
        raise TypeError("cannot set %r attribute of immutable type '%s.%s'"
                        % (attr, cls.__module__, cls.__qualname__))


def meta_class(meta, name, module, storage, immutable):
    """The class of a type of C whose metatype is a metaclass of C (meta's
    class): made by type.__new__, so none of meta's C code runs (the type's
    C struct exists already), over `storage`, the handle-ABI class that gives
    its instances their C object. make_native_type fills it."""
    _STORAGE.add(storage)
    cls = type.__new__(meta, name, (storage,), {'__module__': module})
    if immutable:   # (once make_native_type has filled it)
        _PENDING_IMMUTABLE.append(cls)
    return cls


_PENDING_IMMUTABLE = []


def hybrid_hold(o, held):
    """Makes o (a hybrid's managed object) hold `held` (None: nothing)."""
    for k in type(o).__mro__:
        d = _HOLD.get(k)
        if d is _IN_DICT:
            if held is None:
                o.__dict__.pop('_ferry_hold', None)
            else:
                o.__dict__['_ferry_hold'] = held
            return
        if d is not None:
            d.__set__(o, held)
            return


def builtin_new(base, cls, args, kw):
    """tp_new of a builtin as C calls it (cpyext/typeobject.cpp builtin_new)."""
    return base.__new__(cls, *(args or ()), **(kw or {}))


def builtin_init(base, self, args, kw):
    """tp_init of a builtin as C calls it."""
    base.__init__(self, *(args or ()), **(kw or {}))


# The keys of each native type's tp_dict when the class last took them.
_TYPE_DICT_KEYS = {}


def sync_type_dict(cls, tp_dict):
    """PyType_Modified: entries C wrote into tp_dict (added, replaced or
    deleted since the last sync) reach the class."""
    own = vars(cls)
    # (type's own setattr: C writes the dict of an immutable type too)
    for k, v in list(tp_dict.items()):
        if own.get(k, _MISSING) is not v:
            type.__setattr__(cls, k, v)
    for k in _TYPE_DICT_KEYS.get(cls, ()):
        if k not in tp_dict and k in own:
            type.__delattr__(cls, k)
    _TYPE_DICT_KEYS[cls] = set(tp_dict)
    return True


# ---------------------------------------------------------------- struct sequences

def structseq_type(tp_name, doc, names, docs, n_in_sequence):
    """The managed class of a struct sequence (Objects/structseq.c): a tuple
    subclass whose tuple is the visible fields; the hidden ones (after them)
    live in a slot. names has one entry per field, None for an unnamed one."""
    module, _, name = tp_name.rpartition('.')
    module = module or 'builtins'
    n_fields = len(names)
    n_visible = n_in_sequence
    n_unnamed = sum(1 for n in names if n is None)
    members = [n for n in names if n is not None]

    def __new__(cls, *args, **kwargs):
        if len(args) + len(kwargs) > 2:
            raise TypeError('structseq() takes at most 2 arguments (%d given)'
                            % (len(args) + len(kwargs)))
        for k in kwargs:
            if k not in ('sequence', 'dict'):
                raise TypeError("'%s' is an invalid keyword argument for structseq()" % k)
        params = dict(zip(('sequence', 'dict'), args))
        for k, v in kwargs.items():
            if k in params:
                raise TypeError("argument for structseq() given by name ('%s') and position (%d)"
                                % (k, 1 if k == 'sequence' else 2))
            params[k] = v
        if 'sequence' not in params:
            raise TypeError("structseq() missing required argument 'sequence' (pos 1)")
        seq, d = params['sequence'], params.get('dict', _MISSING)
        try:
            seq = seq if type(seq) in (list, tuple) else list(seq)
        except TypeError:
            raise TypeError('constructor requires a sequence') from None
        if d is not _MISSING and not _builtins.isinstance(d, dict):
            raise TypeError('%.500s() takes a dict as second arg, if any' % tp_name)
        n = len(seq)
        if n_visible != n_fields:
            if n < n_visible:
                raise TypeError('%.500s() takes an at least %d-sequence (%d-sequence given)'
                                % (tp_name, n_visible, n))
            if n > n_fields:
                raise TypeError('%.500s() takes an at most %d-sequence (%d-sequence given)'
                                % (tp_name, n_fields, n))
        elif n != n_visible:
            raise TypeError('%.500s() takes a %d-sequence (%d-sequence given)'
                            % (tp_name, n_visible, n))
        items = list(seq)
        for i in range(n, n_fields):
            items.append(d.get(members[i - n_unnamed]) if d is not _MISSING else None)
        return _structseq_make(cls, items)

    def __repr__(self):
        parts = []
        for i in range(n_visible):
            if i >= len(members):
                raise SystemError('In structseq_repr(), member %d name is NULL for type %.500s'
                                  % (i, tp_name))
            parts.append('%s=%r' % (members[i], tuple.__getitem__(self, i)))
        return '%s(%s)' % (tp_name, ', '.join(parts))

    def __reduce__(self):
        hidden = object.__getattribute__(self, '_ferry_hidden')
        d = {}
        for i in range(n_visible, n_fields):
            d[members[i - n_unnamed]] = hidden[i - n_visible]
        return (cls, (tuple(self), d))

    def __setattr__(self, name, value):
        if name in members:
            raise AttributeError('readonly attribute')
        raise AttributeError("'%s' object has no attribute '%s'" % (tp_name, name))

    def __delattr__(self, name):
        __setattr__(self, name, None)

    def __init_subclass__(sub, **kwargs):
        raise TypeError("type '%s' is not an acceptable base type" % tp_name)

    def field(i, doc):
        if i < n_visible:
            return property(lambda self: tuple.__getitem__(self, i), doc=doc)
        return property(lambda self: object.__getattribute__(self, '_ferry_hidden')[i - n_visible],
                        doc=doc)

    ns = {'__slots__': ('_ferry_hidden',), '__module__': module, '__doc__': doc,
          '__new__': __new__, '__repr__': __repr__, '__reduce__': __reduce__,
          '__setattr__': __setattr__, '__delattr__': __delattr__,
          'n_sequence_fields': n_visible, 'n_fields': n_fields, 'n_unnamed_fields': n_unnamed,
          '__match_args__': tuple(n for n in names[:n_visible] if n is not None)}
    for i, (fname, fdoc) in enumerate(zip(names, docs)):
        if fname is not None:
            ns[fname] = field(i, fdoc)
    cls = type(name, (tuple,), ns)
    cls.__init_subclass__ = classmethod(__init_subclass__)
    cls._ferry_visible = n_visible
    return cls


def _structseq_make(cls, items):
    n = cls._ferry_visible
    self = tuple.__new__(cls, items[:n])
    object.__setattr__(self, '_ferry_hidden', tuple(items[n:]))
    return self


def structseq_make(cls, items):
    """An instance from all its fields (a C struct sequence crossing over)."""
    return _structseq_make(cls, list(items))


def structseq_items(o):
    """All the fields of an instance, visible then hidden."""
    return tuple(o) + object.__getattribute__(o, '_ferry_hidden')


# ---------------------------------------------------------------- code, frames, tracebacks

def code_new_empty(filename, funcname, firstlineno):
    """PyCode_NewEmpty: as in CPython 3.11, a code object that raises
    AssertionError when run, with the given names and first line."""
    code = compile('raise AssertionError', filename, 'exec')
    return code.replace(co_name=funcname, co_firstlineno=firstlineno, co_flags=0)


# code.replace's keywords in CPython 3.11, by the type each must have.
_CODE_REPLACE_KINDS = dict(
    [(f, int) for f in ('co_argcount', 'co_posonlyargcount', 'co_kwonlyargcount', 'co_nlocals',
                        'co_stacksize', 'co_flags', 'co_firstlineno')] +
    [(f, bytes) for f in ('co_code', 'co_linetable', 'co_exceptiontable')] +
    [(f, tuple) for f in ('co_consts', 'co_names', 'co_varnames', 'co_freevars', 'co_cellvars')] +
    [(f, str) for f in ('co_filename', 'co_name', 'co_qualname')])


def code_replace(code):
    """code.replace as CPython 3.11 takes it (Cython builds its code objects
    with PyCode_NewEmpty(...).replace(..., co_linetable=b'')). The host's code
    objects predate 3.11's fields: empty line and exception tables are the
    host's own empty tables; a 3.11-format table cannot be translated and is
    refused; co_qualname has no place to go (C reads co_name there)."""
    def replace(*args, **kw):
        if args:
            raise TypeError("replace() takes no positional arguments")
        for field, value in kw.items():
            kind = _CODE_REPLACE_KINDS.get(field)
            if kind is int:
                kw[field] = _operator.index(value)
            elif kind is not None and not isinstance(value, kind):
                raise TypeError("replace() argument '%s' must be %s, not %s"
                                % (field, kind.__name__, type(value).__name__))
        def final(field):
            return kw[field] if field in kw else getattr(code, field)
        if final('co_posonlyargcount') > final('co_argcount'):
            raise SystemError("bad argument to internal function")
        flags = final('co_flags')
        if (len(final('co_varnames')) - final('co_argcount') - final('co_kwonlyargcount')
                - bool(flags & 0x04) - bool(flags & 0x08)) < 0:   # CO_VARARGS, CO_VARKEYWORDS
            raise ValueError("code: co_varnames is too small")
        for field in ('co_linetable', 'co_exceptiontable'):
            table = kw.pop(field, None)
            if table is not None and len(table):
                raise ValueError("ferry: code.replace(%s=...): a CPython 3.11 table "
                                 "cannot be given to this host's code objects" % field)
        kw.pop('co_qualname', None)
        return code.replace(**kw)
    replace.__name__ = replace.__qualname__ = 'replace'
    replace.__doc__ = type(code).replace.__doc__
    return replace


def datetime_fields(o):
    """The fields of a datetime object as datetimemodule.cpp reads them."""
    import datetime
    if isinstance(o, datetime.datetime):
        return (o.year, o.month, o.day, o.hour, o.minute, o.second, o.microsecond, o.fold, o.tzinfo)
    if isinstance(o, datetime.date):
        return (o.year, o.month, o.day)
    if isinstance(o, datetime.time):
        return (o.hour, o.minute, o.second, o.microsecond, o.fold, o.tzinfo)
    return (o.days, o.seconds, o.microseconds)


def frame_new(code, globals, locals):
    """A frame of `code`'s file and name, with these globals: PyPy makes
    frames only by running code, so the frame is that of a code object of the
    same names that raises at once, run with the globals and caught here."""
    try:
        runnable = compile('raise AssertionError', code.co_filename, 'exec').replace(
            co_name=code.co_name, co_firstlineno=code.co_firstlineno, co_flags=0)
        if '__builtins__' not in globals:
            # exec would add it to the dict C gave; CPython's frame does not.
            globals = dict(globals, __builtins__=_builtins)
        if locals is None:
            exec(runnable, globals)
        else:
            exec(runnable, globals, locals)
    except AssertionError as e:
        tb = e.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        return tb.tb_frame
    raise SystemError('PyFrame_New: the frame could not be made')


def traceback_new(tb_next, frame, lasti, lineno):
    return _types.TracebackType(tb_next, frame, lasti, lineno)
