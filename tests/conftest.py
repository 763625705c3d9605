"""Session fixtures of the workflow tests: one package copy and one numba cache for every
``snakemake`` run of the suite, and one finished run of config/test.yaml that test files share.

The kernels compile once per package copy (numba keys its cache by the source file's path), so
every workflow test of both xdist workers imports the same copy, made and compiled by the first
worker that needs it (the other waits on a lock instead of compiling the same kernels on the
other core); every later run loads them. The copy also isolates the runs from edits to the
checkout while the tests run, and nothing edits it: tests that edit package modules edit a
copy of their own (tests/test_workflow.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys

import pytest
from workflow_copy import REPO, TEST_CONFIG, copy_workflow, snakemake


@contextlib.contextmanager
def _exclusive(path):
    """Hold an exclusive lock on the file ``path`` (POSIX ``flock``: the xdist workers)."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def package_env(tmp_path_factory) -> dict[str, str]:
    """Environment of every snakemake call: ``PYTHONPATH`` of one copy of the package's
    ``src/`` and one ``NUMBA_CACHE_DIR`` (the workflow keeps a user's cache dir), shared by the
    xdist workers (in the directory above theirs); no test edits the source. The network
    kernels are in the cache before the first workflow run (``kernels.warm_up``, as the
    workflow's ``numba_warm_up`` job compiles them); the runs add what else they compile."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the session's directory, above every worker's own
    base = root / "package"
    env = {"PYTHONPATH": str(base / "src"), "NUMBA_CACHE_DIR": str(base / "numba-cache")}
    with _exclusive(root / "package.lock"):
        if not (base / "ready").exists():
            shutil.rmtree(base, ignore_errors=True)  # a worker that failed half-way
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(REPO / "src", base / "src", ignore=ignore)
            warm = "from qifgap import kernels; kernels.warm_up()"
            subprocess.run([sys.executable, "-c", warm], env={**os.environ, **env}, check=True)
            (base / "ready").write_text("package copied, network kernels compiled\n")
    return env


@pytest.fixture(scope="session")
def test_config_run(tmp_path_factory, package_env):
    """A copy of the workflow after the whole DAG of config/test.yaml (``--cores 2``): shared
    by every test that reads its results; a test that changes results works on a copy."""
    wd = copy_workflow(tmp_path_factory.mktemp("workflow"))
    snakemake(wd, "--cores", "2", *TEST_CONFIG, env=package_env)
    return wd
