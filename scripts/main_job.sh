#!/usr/bin/env bash
# The main job: Debian's CPython-built markupsafe, ujson, simplejson, xxhash,
# brotli, kiwisolver, PIL and dbus on PyPy through ferry, compared line by line
# with CPython 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3.11 compat_suite/run.py first-light "$PWD/build"
