"""Session fixtures of the workflow tests: one package copy and one numba cache for every
``snakemake`` run of the suite, and one finished run of config/test.yaml that test files share.

The kernels compile once per package copy (numba keys its cache by the source file's path), so
every workflow test of both xdist workers imports the same copy, made and compiled by the first
worker that needs it (the other waits on a lock instead of compiling the same kernels on the
other core); every later run loads them. The copy also isolates the runs from edits to the
checkout while the tests run, and nothing edits it: tests that edit package modules edit a
copy of their own (tests/test_workflow.py).

The same holds for the checkout the tests import: under xdist the first worker compiles its
numba functions while the other waits, instead of both compiling them at once.
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


# every numba function of the package (one signature each, as the workflow of config/test.yaml
# compiles them): the network kernel and noise generator, the mean-field flow of bifurcation
WARM_UP = (
    "from qifgap import bifurcation, kernels; kernels.warm_up(); "
    "bifurcation.phase_diagram(1.0, eta_range=(-8.0, 4.0), J_range=(-2.0, 16.0), n=5)"
)


def _session_root(tmp_path_factory):
    """The session's temporary directory, above every xdist worker's own."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def _compiled_once(root, name, env, prepare=None):
    """Run :data:`WARM_UP` with ``env`` once per session (under the lock ``name``.lock in
    ``root``; ``prepare()`` first): the first worker compiles, the others find the cache."""
    with _exclusive(root / f"{name}.lock"):
        ready = root / f"{name}.ready"
        if not ready.exists():
            if prepare is not None:
                prepare()
            subprocess.run([sys.executable, "-c", WARM_UP], env={**os.environ, **env}, check=True)
            ready.write_text("numba functions compiled\n")


@pytest.fixture(scope="session", autouse=True)
def checkout_compiled(tmp_path_factory):
    """Under xdist, the numba functions of the package the tests import are compiled by one
    worker before any test (the other waits on the lock, then loads them from the cache)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _compiled_once(_session_root(tmp_path_factory), "checkout", {})


@pytest.fixture(scope="session")
def package_env(tmp_path_factory) -> dict[str, str]:
    """Environment of every snakemake call: ``PYTHONPATH`` of one copy of the package's
    ``src/`` and one ``NUMBA_CACHE_DIR`` (the workflow keeps a user's cache dir), shared by the
    xdist workers (in the directory above theirs); no test edits the source. Every numba
    function is in the cache before the first workflow run (:data:`WARM_UP`, what the
    workflow's jobs compile)."""
    base = _session_root(tmp_path_factory) / "package"
    env = {"PYTHONPATH": str(base / "src"), "NUMBA_CACHE_DIR": str(base / "numba-cache")}

    def copy():
        shutil.rmtree(base, ignore_errors=True)  # a worker that failed half-way
        shutil.copytree(REPO / "src", base / "src", ignore=shutil.ignore_patterns("__pycache__"))

    _compiled_once(base.parent, "package", env, prepare=copy)
    return env


@pytest.fixture(scope="session")
def test_config_run(tmp_path_factory, package_env):
    """A copy of the workflow after the whole DAG of config/test.yaml (``--cores 2``): shared
    by every test that reads its results; a test that changes results works on a copy."""
    wd = copy_workflow(tmp_path_factory.mktemp("workflow"))
    snakemake(wd, "--cores", "2", *TEST_CONFIG, env=package_env)
    return wd
