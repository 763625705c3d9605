"""Apply each semantic mutant of mutation/kernel_mutants.yaml to a scratch copy of the repository
and run the listed tests there; print a table (mutant, killed by, time).

    python mutation/run_kernel_mutants.py [--table FILE] [--only NAME ...] [--keep]

``--table mutation/issue14_mutants.yaml`` runs the planted bugs of issue 14 that live outside
the kernel (κ sign, frozen current, Gaussian heterogeneity, Kuramoto map) the same way.

Exit status 0 if every mutant is killed; 1 if one survives; 2 if a search pattern no longer
matches the source (the table must be updated after a rewrite of the kernel), or if the
unmutated copy fails its tests. The copies are made one after the other at the same path and
share one numba cache: a module whose source is unchanged (same path, size and mtime, which
``copy2`` keeps) loads its compiled code from the cache, and a mutated one (new mtime) is
compiled afresh. Mutants of network.py thus skip the kernel's compilation.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "mutation" / "kernel_mutants.yaml"
COPIED = ("src", "tests", "pyproject.toml")


class PatternError(RuntimeError):
    """A mutant's search text does not occur in the source as the table says."""


def apply_edits(root: Path, mutant: dict) -> None:
    """Replace each edit's ``search`` by its ``replace`` in the copy; the search must occur
    exactly ``count`` times (default 1)."""
    for edit in mutant["edits"]:
        path = root / edit["file"]
        text = path.read_text()
        found = text.count(edit["search"])
        expected = edit.get("count", 1)
        if found != expected:
            raise PatternError(
                f"mutant {mutant['name']}: {edit['file']}: search text found {found} times, "
                f"expected {expected}: {edit['search']!r}"
            )
        path.write_text(text.replace(edit["search"], edit["replace"]))


def check_patterns(mutants: list[dict]) -> list[str]:
    """Every pattern error of the table against the repository's current source."""
    errors = []
    for mutant in mutants:
        for edit in mutant["edits"]:
            text = (REPO / edit["file"]).read_text()
            found = text.count(edit["search"])
            if found != edit.get("count", 1):
                errors.append(
                    f"{mutant['name']}: {edit['file']}: search text found {found} times: "
                    f"{edit['search']!r}"
                )
    return errors


def scratch_copy(dest: Path) -> None:
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(
                src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc")
            )
        else:
            shutil.copy2(src, dest / name)


def run_tests(root: Path, tests: list[str], cache: Path) -> tuple[int, str]:
    """Run pytest in the copy, importing the copy's package and using the numba cache
    ``cache``; (exit code, first failed test)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root / "src")
    env["NUMBA_CACHE_DIR"] = str(cache)
    # in one process (-n 0): a few fast tests, each xdist worker would compile the mutant again
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:cacheprovider", "-rf"]
    cmd += tests
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    failed = re.findall(r"^FAILED (\S+)", out, flags=re.M)
    return proc.returncode, failed[0] if failed else (out.strip().splitlines() or [""])[-1]


def imported_from(root: Path) -> str:
    """Where the copy's Python finds qifgap (must be the copy, not the installed package)."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    code = "import os, qifgap; print(os.path.dirname(qifgap.__file__))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    ).stdout.strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=TABLE, help="mutant table (YAML)")
    parser.add_argument("--only", nargs="*", help="run only these mutants")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies")
    args = parser.parse_args(argv)
    table = yaml.safe_load(args.table.read_text())
    tests, mutants = table["tests"], table["mutants"]
    if args.only:
        unknown = set(args.only) - {m["name"] for m in mutants}
        if unknown:
            parser.error(f"unknown mutants: {sorted(unknown)}")
        mutants = [m for m in mutants if m["name"] in args.only]
    errors = check_patterns(mutants)
    if errors:
        print("search patterns that no longer match the source:", *errors, sep="\n  ")
        return 2

    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="qifgap-mutants-") as tmp:
        cache = Path(tmp) / ".numba_cache"
        for mutant in [{"name": "(unmutated)", "edits": []}, *mutants]:
            root = Path(tmp) / "copy"  # one path for all: the numba cache is keyed by it
            shutil.rmtree(root, ignore_errors=True)
            scratch_copy(root)
            apply_edits(root, mutant)
            if not mutant["edits"] and imported_from(root) != str(root / "src" / "qifgap"):
                print(f"the copy imports qifgap from {imported_from(root)!r}, not the copy")
                return 2
            t0 = time.perf_counter()
            code, first = run_tests(root, tests, cache)
            elapsed = time.perf_counter() - t0
            if mutant["edits"]:
                status = {0: "SURVIVED", 1: "killed"}.get(code, f"error (pytest exit {code})")
            else:
                status = "passes" if code == 0 else f"FAILS (pytest exit {code})"
            rows.append((mutant["name"], status, first if code else "", elapsed))
            print(f"{mutant['name']:34s} {status:10s} {elapsed:6.1f} s  {first if code else ''}",
                  flush=True)  # fmt: skip
            if not mutant["edits"] and code != 0:
                print("the unmutated copy fails its tests: fix them first")
                return 2
            if args.keep:
                shutil.copytree(root, Path(tmp) / "kept" / mutant["name"].strip("()"))
        if args.keep:
            kept = Path(tempfile.mkdtemp(prefix="qifgap-mutants-kept-"))
            shutil.copytree(Path(tmp) / "kept", kept, dirs_exist_ok=True)
            print(f"scratch copies kept in {kept}")

    survived = [r[0] for r in rows[1:] if r[1] != "killed"]
    total = time.perf_counter() - started
    print(
        f"\n{len(rows) - 1 - len(survived)}/{len(rows) - 1} mutants killed in {total:.0f} s"
        + (f"; not killed: {', '.join(survived)}" if survived else "")
    )
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
