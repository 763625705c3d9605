"""The package as it was before the P-population kernel (commit fde9525), loaded from git as a
separate package ``qifgap_fde9525``: the baseline of the bit-identity test and of the speed
comparison in ``benchmarks/kernel.py``.

It is extracted once into a persistent directory, so that numba caches its kernels like the
package's. Round-off: LLVM compiles the same Euler update of the vectorised chunk loop into
different FMA groupings in the two kernels (and numba's cached code differs from a fresh
compilation of the same kernel), so v and Z agree to ~1e-14, spikes and rates exactly.
"""

from __future__ import annotations

import getpass
import importlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

COMMIT = "fde9525"
NAME = f"qifgap_{COMMIT}"
ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = Path(tempfile.gettempdir()) / f"{NAME}-{getpass.getuser()}"


def extract(directory: Path = DIRECTORY) -> Path:
    """Extract ``src/qifgap`` of the commit to ``directory/qifgap_<commit>`` (once); return
    ``directory``. RuntimeError when git or the commit is not available."""
    if (directory / NAME / "__init__.py").exists():
        return directory
    try:
        tar = subprocess.run(
            ["git", "-C", str(ROOT), "archive", COMMIT, "src/qifgap"],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"cannot read commit {COMMIT} from git: {exc}") from None
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=directory))
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        tf.extractall(staging, filter="data")
    try:
        os.replace(staging / "src" / "qifgap", directory / NAME)
    except OSError:  # another process extracted it meanwhile
        if not (directory / NAME / "__init__.py").exists():
            raise
    return directory


def load(directory: Path = DIRECTORY):
    """Import the package of commit ``COMMIT`` as ``qifgap_<commit>`` and return it."""
    if NAME not in sys.modules:
        path = str(extract(directory))
        sys.path.insert(0, path)
        try:
            importlib.import_module(NAME)
        finally:
            sys.path.remove(path)
    return sys.modules[NAME]
