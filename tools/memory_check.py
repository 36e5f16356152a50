"""Resident memory over many extension-type instances, through ferry on PyPy
(or natively on CPython): makes and drops `--count` objects per scenario in
rounds and reports RSS after each round; the check passes when RSS after the
warm-up round stays within 10%.

  pypy3 -m ferry run tools/memory_check.py [--count N] [--scenario NAME]...
  /usr/bin/python3.11 tools/memory_check.py ...

Scenarios use the benchmark extension (bench/: _ferrybench.Point) and
Debian's bitarray, pyrsistent and dbus: plain instances, instances held by
Python containers, instances in a cycle through a Python object, a Python
subclass whose __dict__ refers to itself, a cycle through a C field (a PVector
holding a list that holds it), instances of types based on builtins (dbus's
Int32, String, Array, Dictionary; an Array containing itself), and
make_list(100) / sum_list calls.
"""
import argparse
import gc
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def rss_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS'):
                return int(line.split()[1]) / 1024.0
    return 0.0


def scenarios():
    import bitarray
    import dbus
    import pyrsistent
    import _ferrybench as fb

    class Holder:
        pass

    class SubBits(bitarray.bitarray):
        pass

    def plain():
        fb.Point(3.0, 4.0).norm()

    def held():
        h = Holder()
        h.items = [fb.Point(1.0, 2.0), bitarray.bitarray(64)]

    def cycle_through_python():
        h = Holder()
        b = SubBits(32)
        b.owner = h        # the instance's __dict__ -> Python object
        h.bits = b         # -> back to the instance

    def self_dict():
        b = SubBits(16)
        b.me = b

    def c_field_cycle():
        lst = [1.5]
        vec = pyrsistent.pvector([lst, 'x'])   # C's PVector -> the list
        lst.append(vec)                        # -> back to the PVector

    def make_and_sum():
        fb.sum_list(fb.make_list(100))

    def builtin_based():
        a = dbus.Array([dbus.Int32(1, variant_level=1), dbus.String('s')], signature='v')
        d = dbus.Dictionary({'a': a}, signature='sv', variant_level=2)
        a.append(a)        # an Array (a list) containing itself
        d['d'] = d

    return {'plain': plain, 'held': held, 'cycle': cycle_through_python,
            'self-dict': self_dict, 'c-field-cycle': c_field_cycle, 'lists': make_and_sum,
            'builtin-based': builtin_based}


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument('--count', type=int, default=1000000)
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--scenario', action='append')
    p.add_argument('--benchdir', default=os.path.join(HERE, '..', 'build', 'bench', 'cpython'))
    args = p.parse_args(argv)
    sys.path.insert(0, os.path.abspath(args.benchdir))
    table = scenarios()
    names = args.scenario or list(table)
    ok = True
    per_round = max(1, args.count // args.rounds)
    for name in names:
        fn = table[name]
        readings = []
        for _ in range(args.rounds):
            for _ in range(per_round):
                fn()
            gc.collect()
            readings.append(rss_mb())
        warm = readings[1] if len(readings) > 1 else readings[0]
        growth = (readings[-1] - warm) / warm if warm else 0.0
        flat = growth <= 0.10
        ok &= flat
        print('%-10s %s  growth after warm-up %+.1f%%  %s' % (
            name, ' '.join('%.0f' % r for r in readings), 100 * growth, 'flat' if flat else 'GROWS'))
    print('memory check: %s' % ('flat' if ok else 'grows'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
