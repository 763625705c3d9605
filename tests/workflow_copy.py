"""Run the real Snakemake workflow on a temporary copy of the repository (shared by tests)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
WORKFLOW_FILES = ("Snakefile", "workflow", "config", "profiles", "envs")


def copy_workflow(dest: Path, source: Path = REPO, *, with_package: bool = False) -> Path:
    """Copy the workflow of ``source`` (and, with ``with_package``, the package source, which
    :func:`snakemake` then puts first on PYTHONPATH) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", ".snakemake", "*.pyc", "*.egg-info")
    for name in (*WORKFLOW_FILES, "src") if with_package else WORKFLOW_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


def snakemake(workdir: Path, *args, check=True, env=None, timeout=900):
    """Run snakemake in ``workdir``; with a package copy there, import qifgap from it."""
    full_env = dict(os.environ)
    if (workdir / "src").is_dir():
        full_env["PYTHONPATH"] = str(workdir / "src")
    full_env.update(env or {})
    proc = subprocess.run(
        [SNAKEMAKE, *args],
        cwd=workdir,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"snakemake {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n"
            f"{proc.stderr[-6000:]}"
        )
    return proc


def planned_jobs(workdir: Path, *args) -> dict[str, int]:
    """{rule: count} of the jobs a dry run plans (empty if nothing is to be done)."""
    proc = snakemake(workdir, "-n", *args)
    out = proc.stdout + proc.stderr
    if "Nothing to be done" in out:
        return {}
    stats = out.split("Job stats:")[1]
    jobs = {}
    for line in stats.splitlines()[3:]:
        m = re.match(r"^(\w+)\s+(\d+)$", line.strip())
        if not m:
            break
        if m.group(1) != "total":
            jobs[m.group(1)] = int(m.group(2))
    return jobs
