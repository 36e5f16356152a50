#!/usr/bin/env bash
# The test command CI runs: set up, build, run the default suites.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
meson test -C build --suite unit --suite capi-cpython --suite capi-ferry --suite compat --print-errorlogs
