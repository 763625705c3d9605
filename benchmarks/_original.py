"""The package as it was before the P-population kernel (commit fde9525), loaded from git as a
separate package ``qifgap_fde9525``: the baseline of the bit-identity test and of the speed
comparison in ``benchmarks/kernel.py``."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

COMMIT = "fde9525"
NAME = f"qifgap_{COMMIT}"
ROOT = Path(__file__).resolve().parents[1]


def load(cache_dir=None):
    """Import the package of commit ``COMMIT`` as ``qifgap_<commit>`` and return it; raise
    RuntimeError when git or the commit is not available."""
    if NAME in sys.modules:
        return sys.modules[NAME]
    try:
        tar = subprocess.run(
            ["git", "-C", str(ROOT), "archive", COMMIT, "src/qifgap"],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"cannot read commit {COMMIT} from git: {exc}") from None
    target = Path(cache_dir or tempfile.mkdtemp(prefix="qifgap_original_"))
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        tf.extractall(target, filter="data")
    package = target / "src" / "qifgap"
    package.rename(target / NAME)
    sys.path.insert(0, str(target))
    try:
        return importlib.import_module(NAME)
    finally:
        sys.path.remove(str(target))
