"""Compare two results/ trees made from the same config by two versions of qifgap.

    python benchmarks/compare_outputs.py OLD/results NEW/results

For every file present in both (benchmarks/, logs and the numba cache left out):
* ``.npz``: every array bit for bit, and the JSON ``params`` entry equal but for the version;
* ``.csv``/``.tsv``: same rows, every old column in the new table with numbers within a
  relative 1e-9 (tables are written with ten significant digits since 0.2.0, with twelve or
  full precision before) and equal text; columns the new version adds are listed, not judged;
* ``.json``: equal but for ``version`` keys; numbers within a relative 1e-9;
* figures (``.pdf``/``.png``) and other files: bytes compared, reported, not judged.
Prints one line per file (``identical``, ``equal`` = within the tolerance, or what differs) and
a summary; exit status 1 if a table, array or JSON file differs beyond the tolerance.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

RTOL = 1e-9
SKIP = ("benchmarks/", ".numba-cache/", "logs/", ".snakemake")


def _close(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float):
        return a == b
    if not isinstance(b, int | float):
        return False
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) or a == b


def _json_equal(a, b, path="") -> list[str]:
    """Differences of two JSON values, ``version`` keys ignored."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k in ("version", "qifgap_version"):
                continue
            if k not in a or k not in b:
                out.append(f"{path}/{k}: only in {'new' if k in b else 'old'}")
            else:
                out += _json_equal(a[k], b[k], f"{path}/{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: length {len(a)} vs {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _json_equal(x, y, f"{path}[{i}]")
        ]
    return [] if _close(a, b) else [f"{path}: {a!r} vs {b!r}"]


def _table(old: Path, new: Path) -> str | None:
    sep = "\t" if old.suffix == ".tsv" else ","
    a, b = pd.read_csv(old, sep=sep), pd.read_csv(new, sep=sep)
    gone = [c for c in a.columns if c not in b.columns]
    if gone:
        return f"columns removed: {gone}"
    if len(a) != len(b):
        return f"rows {len(a)} vs {len(b)}"
    worst = 0.0
    for c in a.columns:
        x, y = a[c], b[c]
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            x, y = x.to_numpy(float), y.to_numpy(float)
            same_nan = np.isnan(x) == np.isnan(y)
            if not same_nan.all():
                return f"column {c}: NaN pattern differs"
            ok = ~np.isnan(x)
            scale = np.maximum(np.abs(x[ok]), np.abs(y[ok]))
            err = np.abs(x[ok] - y[ok]) / np.where(scale > 0, scale, 1.0)
            worst = max(worst, float(err.max(initial=0.0)))
        elif not x.astype(str).equals(y.astype(str)):
            return f"column {c}: text differs"
    if worst > RTOL:
        return f"max relative difference {worst:.3g}"
    added = [c for c in b.columns if c not in a.columns]
    return ("", f"equal, columns added: {added}") if added else None


def _npz(old: Path, new: Path) -> str | None:
    with np.load(old, allow_pickle=False) as a, np.load(new, allow_pickle=False) as b:
        if set(a.files) != set(b.files):
            return f"arrays {sorted(a.files)} vs {sorted(b.files)}"
        for k in a.files:
            if k == "params":
                d = _json_equal(json.loads(str(a[k])), json.loads(str(b[k])))
                if d:
                    return f"params: {'; '.join(d[:3])}"
            elif a[k].shape != b[k].shape:
                return f"array {k}: shape {a[k].shape} vs {b[k].shape}"
            elif a[k].tobytes() != b[k].tobytes():
                x, y = a[k].astype(float), b[k].astype(float)
                err = np.abs(x - y) / np.maximum(np.maximum(np.abs(x), np.abs(y)), 1e-300)
                return f"array {k} differs: max relative difference {np.nanmax(err):.3g}"
    return None


def compare(old_root: Path, new_root: Path):
    files = lambda root: {  # noqa: E731
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
        and not any(s in str(p.relative_to(root)) + ("/" if p.is_dir() else "") for s in SKIP)
    }  # fmt: skip
    old, new = files(old_root), files(new_root)
    rows = []
    for rel in sorted(old & new):
        a, b = old_root / rel, new_root / rel
        if a.read_bytes() == b.read_bytes():
            rows.append((rel, "identical", False))
            continue
        suffix = a.suffix
        if suffix in (".csv", ".tsv"):
            d = _table(a, b)
        elif suffix == ".npz":
            d = _npz(a, b)
        elif suffix == ".json":
            diffs = _json_equal(json.loads(a.read_text()), json.loads(b.read_text()))
            d = "; ".join(diffs[:3]) or None
        else:
            rows.append((rel, "bytes differ (not judged)", False))
            continue
        if isinstance(d, tuple):  # equal on the old columns; new columns noted, not judged
            rows.append((rel, d[1], False))
        else:
            rows.append((rel, "equal" if d is None else d, d is not None))
    return rows, sorted(old - new), sorted(new - old)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    args = ap.parse_args()
    rows, only_old, only_new = compare(args.old, args.new)
    for rel, what, _ in rows:
        print(f"{rel}: {what}")
    counts = {k: sum(w.startswith(k) for _, w, _ in rows) for k in ("identical", "equal")}
    failed = [r for r in rows if r[2]]
    print(
        f"\n{len(rows)} files in both: {counts['identical']} identical, {counts['equal']} equal "
        f"within {RTOL:g}, {len(failed)} different, "
        f"{sum('not judged' in w for _, w, _ in rows)} figures/other with other bytes; "
        f"only old: {len(only_old)}, only new: {len(only_new)}"
    )
    for rel in only_old:
        print(f"only old: {rel}")
    for rel in only_new:
        print(f"only new: {rel}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
