"""PyPy's nursery where PyPy misreads the L2 cache.

PyPy sizes its nursery from the "cache size" line of /proc/cpuinfo, which it
takes for the L2 cache: half of it past 2 MB, else 1 MB
(rpython/memory/gc/env.py). A virtual machine may show its host's L3 there:
this project's machine says 491520 KB, and PyPy took a nursery of 240 MB, so
that every minor collection walked fresh pages and PyPy ran 10-60% slower
(docs/architecture.md, "Findings about the host"). Pure Python: bench/run.py
imports it on CPython too.
"""
import os
import re


def sys_l2_cache():
    """The smallest L2 cache of the CPUs in /sys, in bytes (None if unknown)."""
    sizes = []
    base = '/sys/devices/system/cpu'
    cpus = sorted(os.listdir(base)) if os.path.isdir(base) else []
    for cpu in cpus:
        cache = os.path.join(base, cpu, 'cache')
        if not re.fullmatch(r'cpu\d+', cpu) or not os.path.isdir(cache):
            continue
        for index in os.listdir(cache):
            try:
                with open(os.path.join(cache, index, 'level')) as f:
                    level = f.read().strip()
                with open(os.path.join(cache, index, 'type')) as f:
                    kind = f.read().strip()
                with open(os.path.join(cache, index, 'size')) as f:
                    size = f.read().strip()
            except OSError:
                continue
            m = re.fullmatch(r'(\d+)K', size)
            if level == '2' and kind in ('Unified', 'Data') and m:
                sizes.append(int(m.group(1)) * 1024)
    return min(sizes) if sizes else None


def cpuinfo_cache():
    """The smallest "cache size" of /proc/cpuinfo, in bytes, as PyPy reads it."""
    try:
        with open('/proc/cpuinfo') as f:
            text = f.read()
    except OSError:
        return None
    sizes = [int(m.group(1)) * 1024
             for m in re.finditer(r'^cache size\s*:\s*(\d+)\s*[kK]', text, re.M)]
    return min(sizes) if sizes else None


def corrected_nursery(environ=os.environ):
    """PYPY_GC_NURSERY as PyPy's rule gives it for the L2 cache of /sys, where
    /proc/cpuinfo says otherwise; None where PyPy reads it right, where it is
    unknown, or where the caller set PYPY_GC_NURSERY."""
    if 'PYPY_GC_NURSERY' in environ:
        return None
    l2, seen = sys_l2_cache(), cpuinfo_cache()
    if not l2 or seen == l2:
        return None
    return str(l2 // 2 if l2 > 2 * 1024 * 1024 else 1024 * 1024)
