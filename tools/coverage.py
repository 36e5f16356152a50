#!/usr/bin/python3.11
"""Generate docs/coverage.md, ferry's C API coverage table, from the machine.

Every column is measured, none is kept by hand:

  implemented  Py*/_Py* symbols the built layer exports
               (nm -D --defined-only BUILDDIR/libferry.so, --layer)
  tested       Py*/_Py* symbols imported by the test extensions
               (nm -D --undefined-only on every *.so under BUILDDIR/tests/capi, --tests)
  corpus       Py*/_Py* symbols imported by the extension modules of Debian's
               corpus packages (dpkg -L, then nm -D --undefined-only), per package
  cpython      Py*/_Py* symbols exported by Debian's libpython3.11

Usage:
  tools/coverage.py [--layer SO] [--tests DIR] [--output docs/coverage.md]
  tools/coverage.py --check      # exit 1 when the output file is stale

A missing layer or test directory counts as an empty set and is noted in the
document (so the table can be produced before the first build). A corpus
package that is not installed is reported in the document, not fatal.
The output is sorted throughout, so it only changes when the inputs do.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST_PACKAGES = Path("/usr/lib/python3/dist-packages")
LIBPYTHON = Path("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0")
EXTENSION_SUFFIXES = (".cpython-311-x86_64-linux-gnu.so", ".abi3.so")

# The Debian packages whose extension modules ferry must load (the design's corpus).
CORPUS = (
    "python3-markupsafe",
    "python3-ujson",
    "python3-simplejson",
    "python3-xxhash",
    "python3-brotli",
    "python3-bitarray",
    "python3-pyrsistent",
    "python3-regex",
    "python3-msgpack",
    "python3-yaml",
    "python3-bcrypt",
    "python3-dbus",
    "python3-kiwisolver",
    "python3-pil",
    "python3-numpy",
)

COMMAND = "tools/coverage.py --layer BUILDDIR/libferry.so --tests BUILDDIR/tests/capi --output docs/coverage.md"


class Failure(Exception):
    """A problem that stops generation; main() prints it and exits 2."""


def is_api(name: str) -> bool:
    return name.startswith("Py") or name.startswith("_Py")


def dynamic_symbols(path: Path, defined: bool) -> set[str]:
    """The Py*/_Py* dynamic symbols `path` defines (or imports), version suffixes dropped."""
    flag = "--defined-only" if defined else "--undefined-only"
    try:
        run = subprocess.run(["nm", "-D", flag, str(path)], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise Failure("nm not found: install binutils") from None
    if run.returncode != 0:
        raise Failure(f"nm -D {flag} {path} failed: {run.stderr.strip()}")
    names = set()
    for line in run.stdout.splitlines():
        fields = line.split()
        if not fields:
            continue
        name = fields[-1].split("@", 1)[0]
        if is_api(name):
            names.add(name)
    return names


@dataclass
class Package:
    name: str
    version: str | None = None  # None: not installed
    modules: list[str] = field(default_factory=list)  # paths relative to dist-packages
    imports: set[str] = field(default_factory=set)

    @property
    def short(self) -> str:
        return self.name.removeprefix("python3-")


def dpkg_version(package: str) -> str | None:
    run = subprocess.run(["dpkg-query", "-W", "-f=${Status}\t${Version}", package],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return None
    status, _, version = run.stdout.partition("\t")
    return version if status.endswith(" installed") else None


def corpus_package(name: str) -> Package:
    package = Package(name, dpkg_version(name))
    if package.version is None:
        return package
    listing = subprocess.run(["dpkg", "-L", name], capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        raise Failure(f"dpkg -L {name} failed: {listing.stderr.strip()}")
    for line in sorted(set(listing.stdout.splitlines())):
        path = Path(line)
        if (path.is_relative_to(DIST_PACKAGES) and line.endswith(EXTENSION_SUFFIXES)
                and path.is_file()):
            package.modules.append(str(path.relative_to(DIST_PACKAGES)))
            package.imports |= dynamic_symbols(path, defined=False)
    return package


@dataclass
class Inputs:
    implemented: set[str]
    tested: set[str]
    cpython: set[str]
    packages: list[Package]
    notes: list[str]


def gather(layer: Path, tests: Path) -> Inputs:
    notes = []
    if layer.is_file():
        implemented = dynamic_symbols(layer, defined=True)
    else:
        implemented = set()
        notes.append("The layer (`libferry.so`) was not found when this file was generated: "
                     "the *implemented* column is empty.")
    tested = set()
    # The bad-input fixtures (tests/capi/bad) are not extensions that exercise the API.
    test_modules = sorted(p for p in tests.rglob("*.so") if "bad" not in p.relative_to(tests).parts) \
        if tests.is_dir() else []
    for module in test_modules:
        tested |= dynamic_symbols(module, defined=False)
    if not test_modules:
        notes.append("No test extensions (`tests/capi/**/*.so` in the build directory) were found "
                     "when this file was generated: the *tested* column is empty.")
    if not LIBPYTHON.is_file():
        raise Failure(f"{LIBPYTHON} not found: install libpython3.11")
    cpython = dynamic_symbols(LIBPYTHON, defined=True)
    packages = [corpus_package(name) for name in CORPUS]
    for p in packages:
        if p.version is None:
            notes.append(f"`{p.name}` is not installed: its imports are missing from the table.")
        elif not p.modules:
            notes.append(f"`{p.name}` is installed but ships no CPython 3.11 extension module.")
    return Inputs(implemented, tested, cpython, packages, notes)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def render(inputs: Inputs) -> str:
    implemented, tested, cpython = inputs.implemented, inputs.tested, inputs.cpython
    importers: dict[str, list[str]] = {}
    for p in inputs.packages:
        for name in p.imports:
            importers.setdefault(name, []).append(p.short)
    corpus = set(importers)
    public = {n for n in cpython if n.startswith("Py")}
    private = cpython - public

    out = [
        "# C API coverage",
        "",
        "<!-- Generated file: do not edit. -->",
        f"Generated by `{COMMAND}`; do not edit by hand. "
        "`tools/coverage.py --check` fails when this file is stale.",
        "",
        "Every column is measured: *implemented* is what `libferry.so` exports "
        "(`nm -D --defined-only`), *tested* is what the test extensions under `tests/capi` "
        "import, *imported by* lists the corpus packages (`python3-<name>`) whose extension "
        "modules import the symbol (`nm -D --undefined-only`). Only `Py*` and `_Py*` symbols "
        "are counted.",
        "",
    ]
    if inputs.notes:
        out += ["## Notes", ""] + [f"* {n}" for n in inputs.notes] + [""]

    covered = corpus & implemented
    out += [
        "## Summary",
        "",
        "| measure | count |",
        "|---|---:|",
        f"| implemented | {len(implemented)} |",
        f"| implemented and tested | {len(implemented & tested)} |",
        f"| tested but not implemented | {len(tested - implemented)} |",
        f"| corpus symbols implemented | {len(covered)} / {len(corpus)} ({percent(len(covered), len(corpus))}) |",
        f"| CPython 3.11 `Py*` symbols implemented | {len(implemented & public)} / {len(public)} |",
        f"| CPython 3.11 `_Py*` symbols implemented | {len(implemented & private)} / {len(private)} |",
        "",
        f"CPython 3.11 is Debian's `{LIBPYTHON.name}`: {len(public)} `Py*` and "
        f"{len(private)} `_Py*` exported symbols.",
        "",
    ]
    foreign = sorted(corpus - cpython)
    if foreign:
        out += ["Corpus imports that libpython3.11 does not export: "
                + ", ".join(f"`{n}`" for n in foreign) + ".", ""]
    extra = sorted(implemented - cpython)
    if extra:
        out += ["Exported by the layer but not by libpython3.11: "
                + ", ".join(f"`{n}`" for n in extra) + ".", ""]

    out += [
        "## Corpus packages",
        "",
        "A package can load when nothing it imports is missing.",
        "",
        "| package | version | modules | imported | implemented | missing | loads |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for p in inputs.packages:
        if p.version is None:
            out.append(f"| {p.name} | not installed | | | | | |")
            continue
        missing = p.imports - implemented
        loads = "yes" if p.modules and not missing else "no"
        out.append(f"| {p.name} | {p.version} | {len(p.modules)} | {len(p.imports)} | "
                   f"{len(p.imports & implemented)} | {len(missing)} | {loads} |")
    out.append("")
    for p in inputs.packages:
        missing = sorted(p.imports - implemented)
        if missing:
            out += [f"**{p.name}** misses {len(missing)}: " + ", ".join(f"`{n}`" for n in missing), ""]

    out += [
        "## Symbols",
        "",
        "One row per symbol that the corpus imports or the layer implements.",
        "",
        "| symbol | implemented | tested | imported by |",
        "|---|---|---|---|",
    ]
    for name in sorted(corpus | implemented):
        out.append(f"| `{name}` | {'yes' if name in implemented else ''} | "
                   f"{'yes' if name in tested else ''} | {', '.join(importers.get(name, []))} |")
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layer", type=Path, default=ROOT / "build" / "libferry.so",
                        help="the built layer (default: build/libferry.so)")
    parser.add_argument("--tests", type=Path, default=ROOT / "build" / "tests" / "capi",
                        help="directory holding the built test extensions (default: build/tests/capi)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "coverage.md",
                        help="the document to write or check (default: docs/coverage.md)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when --output differs from what would be generated")
    args = parser.parse_args(argv)

    try:
        text = render(gather(args.layer, args.tests))
    except Failure as e:
        print(f"coverage.py: {e}", file=sys.stderr)
        return 2

    if args.check:
        current = args.output.read_text() if args.output.is_file() else ""
        if current == text:
            return 0
        state = "is stale" if args.output.is_file() else "does not exist"
        print(f"coverage.py: {args.output} {state}; regenerate it with\n  {COMMAND}", file=sys.stderr)
        diff = difflib.unified_diff(current.splitlines(), text.splitlines(),
                                    str(args.output), "generated", lineterm="", n=0)
        for i, line in enumerate(diff):
            if i == 40:
                print("  ...", file=sys.stderr)
                break
            print(line, file=sys.stderr)
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
