#!/usr/bin/env bash
# Installs what ferry needs from Debian 12 and builds it. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q meson ninja-build pkg-config g++ catch2 libffi-dev libmimalloc-dev \
  python3.11-dev pypy3 pypy3-lib pypy3-dev \
  python3-markupsafe python3-ujson python3-simplejson python3-xxhash python3-brotli \
  python3-bitarray python3-pyrsistent python3-regex python3-yaml python3-msgpack python3-bcrypt python3-matplotlib python3-dbus python3-kiwisolver python3-pil python3-lxml
[ -d build ] || meson setup build
ninja -C build
