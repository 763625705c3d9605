"""Session fixtures of the workflow tests: one package copy and one numba cache for every
``snakemake`` run of the suite, and one finished run of config/test.yaml that test files share.

The kernels compile once per package copy (numba keys its cache by the source file's path), so
every workflow test imports the same copy: the first workflow run compiles them into the shared
cache, every later run loads them. The copy also isolates the runs from edits to the checkout
while the tests run; tests that edit a module of it restore it (tests/test_workflow.py).
"""

from __future__ import annotations

import shutil

import pytest
from workflow_copy import REPO, TEST_CONFIG, copy_workflow, snakemake


@pytest.fixture(scope="session")
def package_env(tmp_path_factory) -> dict[str, str]:
    """Environment of every snakemake call: ``PYTHONPATH`` of one copy of the package's
    ``src/`` and one ``NUMBA_CACHE_DIR`` (the workflow keeps a user's cache dir)."""
    base = tmp_path_factory.mktemp("package")
    shutil.copytree(REPO / "src", base / "src", ignore=shutil.ignore_patterns("__pycache__"))
    return {"PYTHONPATH": str(base / "src"), "NUMBA_CACHE_DIR": str(base / "numba-cache")}


@pytest.fixture(scope="session")
def test_config_run(tmp_path_factory, package_env):
    """A copy of the workflow after the whole DAG of config/test.yaml (``--cores 2``): shared
    by every test that reads its results; a test that changes results works on a copy."""
    wd = copy_workflow(tmp_path_factory.mktemp("workflow"))
    snakemake(wd, "--cores", "2", *TEST_CONFIG, env=package_env)
    return wd
