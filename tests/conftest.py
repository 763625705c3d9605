"""Session fixtures of the workflow tests: one package copy and one numba cache for every
``snakemake`` run of the suite, and one finished run of config/test.yaml that test files share.

The kernels compile once per package copy (numba keys its cache by the source file's path), so
every workflow test of both xdist workers imports the same copy, made and compiled once (under
xdist before any test, :func:`compiled_once`); every run loads them. The copy also isolates the
runs from edits to the checkout while the tests run, and nothing edits it: tests that edit
package modules edit a copy of their own (tests/test_workflow.py).

Under xdist the checkout the tests import is compiled once as well, by one worker while the
other compiles the package copy, instead of both compiling the same functions at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys

import pytest
from workflow_copy import REPO, TEST_CONFIG, copy_tree, copy_workflow, snakemake


@contextlib.contextmanager
def _exclusive(path, *, wait=True):
    """Hold an exclusive lock on the file ``path`` (POSIX ``flock``: the xdist workers); yields
    False without waiting if ``wait`` is False and another process holds it."""
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
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


def _package(root):
    """The package copy in ``root``: (its environment for snakemake, the function that makes
    it)."""
    base = root / "package"

    def copy():
        shutil.rmtree(base, ignore_errors=True)  # a worker that failed half-way
        copy_tree(REPO / "src", base / "src")

    return {"PYTHONPATH": str(base / "src"), "NUMBA_CACHE_DIR": str(base / "numba-cache")}, copy


def _compiled_once(root, name, env, prepare=None, *, wait=True):
    """Run :data:`WARM_UP` with ``env`` once per session (under the lock ``name``.lock in
    ``root``; ``prepare()`` first): the first worker compiles, the others find the cache. With
    ``wait`` False, return at once if another worker is at it."""
    with _exclusive(root / f"{name}.lock", wait=wait) as locked:
        ready = root / f"{name}.ready"
        if locked and not ready.exists():
            if prepare is not None:
                prepare()
            subprocess.run([sys.executable, "-c", WARM_UP], env={**os.environ, **env}, check=True)
            ready.write_text("numba functions compiled\n")


@pytest.fixture(scope="session", autouse=True)
def compiled_once(request, tmp_path_factory):
    """Under xdist, before any test: the numba functions of the package the tests import
    ("checkout") and, if the session runs workflow tests, of the package copy they run
    ("package") are compiled once each, the two workers taking one each at the same time (each
    compilation takes one core for ~20 s from a clean clone); then each worker waits for the
    other's. Without this both workers compiled the same functions at once."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    root = _session_root(tmp_path_factory)
    jobs = [(root, "checkout", {}, None)]
    if any("package_env" in item.fixturenames for item in request.session.items):
        jobs.append((root, "package", *_package(root)))
    for job in jobs:  # whichever no other worker has started
        _compiled_once(*job, wait=False)
    for job in jobs:  # then the other's, done or under way
        _compiled_once(*job)


@pytest.fixture(scope="session")
def package_env(tmp_path_factory) -> dict[str, str]:
    """Environment of every snakemake call: ``PYTHONPATH`` of one copy of the package's
    ``src/`` and one ``NUMBA_CACHE_DIR`` (the workflow keeps a user's cache dir), shared by the
    xdist workers (in the directory above theirs); no test edits the source. Every numba
    function is in the cache before the first workflow run (:data:`WARM_UP`, what the
    workflow's jobs compile)."""
    root = _session_root(tmp_path_factory)
    env, copy = _package(root)
    _compiled_once(root, "package", env, prepare=copy)
    return env


@pytest.fixture(scope="session")
def test_config_run(tmp_path_factory, package_env):
    """A copy of the workflow after the whole DAG of config/test.yaml (``--cores 2``): shared
    by every test that reads its results; a test that changes results works on a copy."""
    wd = copy_workflow(tmp_path_factory.mktemp("workflow"))
    snakemake(wd, "--cores", "2", *TEST_CONFIG, env=package_env)
    return wd
