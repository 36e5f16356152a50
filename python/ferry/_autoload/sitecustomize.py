# Put on PYTHONPATH by `pypy3 -m ferry run`: every PyPy process started from
# it (subprocesses with sys.executable included) gets the hook and the sites.
import os
import sys

for _site in filter(None, os.environ.get('FERRY_SITES', '').split(os.pathsep)):
    if _site not in sys.path:
        sys.path.append(_site)
import ferry
ferry.install()
