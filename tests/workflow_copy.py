"""Run the real Snakemake workflow on a temporary copy of the repository (shared by tests)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
WORKFLOW_FILES = ("Snakefile", "workflow", "config", "profiles", "envs")
TEST_CONFIG = ("--configfile", "config/test.yaml")


def copy_tree(source: Path, dest: Path) -> Path:
    """Copy the directory ``source`` to ``dest`` without caches and build leftovers (bytecode,
    a compiled numba cache, .snakemake, egg-info): what a fresh checkout has."""
    ignore = shutil.ignore_patterns("__pycache__", ".snakemake", "*.pyc", "*.egg-info")
    shutil.copytree(source, dest, ignore=ignore)
    return dest


def copy_workflow(dest: Path, source: Path = REPO, *, with_package: bool = False) -> Path:
    """Copy the workflow of ``source`` (and, with ``with_package``, the package source, which
    :func:`snakemake` then puts first on PYTHONPATH) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in (*WORKFLOW_FILES, "src") if with_package else WORKFLOW_FILES:
        src = source / name
        if src.is_dir():
            copy_tree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def snakemake(workdir: Path, *args, check=True, env=None, timeout=2400):
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


def planned_jobs(workdir: Path, *args, env=None) -> dict[str, int]:
    """{rule: count} of the jobs a dry run plans (empty if nothing is to be done)."""
    proc = snakemake(workdir, "-n", *args, env=env)
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


_RULE_GRAPH = r"""
import contextlib, io, json, sys
from collections import Counter
from pathlib import Path
from snakemake.api import SnakemakeApi
from snakemake.settings.types import ConfigSettings, DAGSettings, OutputSettings, ResourceSettings

configfiles, edits = [Path(p) for p in json.loads(sys.argv[1])], json.loads(sys.argv[2])


def build(forceall):
    # the workflow parsed afresh (its code hashes too) and its DAG built, as `snakemake -n` does
    with SnakemakeApi(OutputSettings()) as api:
        wapi = api.workflow(
            resource_settings=ResourceSettings(),
            config_settings=ConfigSettings(configfiles=configfiles),
            snakefile=Path("Snakefile"),
            workdir=Path.cwd(),
        )
        with contextlib.redirect_stdout(io.StringIO()):
            wapi.dag(dag_settings=DAGSettings(forceall=forceall)).printrulegraph()
        return wapi._workflow


wf = build(forceall=True)
upstream = {}
for job in wf.dag.jobs:
    deps = upstream.setdefault(job.rule.name, set())
    deps.update(dep.rule.name for dep in wf.dag.dependencies[job])
scripts = {
    r.name: str((Path(r.snakefile).parent / r.script).resolve()) if r.script else None
    for r in wf.rules
}
jobs = Counter(job.rule.name for job in wf.dag.jobs)
plans = []
for files in edits:
    originals = {Path(f): Path(f).read_bytes() for f in files}
    try:
        for path, original in originals.items():
            # a real statement, not a comment: the bytes of the module change
            path.write_bytes(original + b"\n_qifgap_probe = 1\n")
        plans.append(Counter(job.rule.name for job in build(forceall=False).dag.needrun_jobs()))
    finally:
        for path, original in originals.items():
            path.write_bytes(original)
print("RULE_GRAPH " + json.dumps(
    {"scripts": scripts, "upstream": {k: sorted(v) for k, v in upstream.items()},
     "jobs": jobs, "plans": plans}
))
"""


def rule_graph(workdir: Path, *configfiles, env=None, edits=()) -> dict:
    """The workflow's rules as Snakemake sees them (all jobs of the config, forced):
    ``{"scripts": {rule: script path or None}, "upstream": {rule: [rules it reads]},
    "jobs": {rule: number of jobs}, "plans": [...]}``; ``env`` as in :func:`snakemake`.

    ``edits`` lists groups of source files: for each group, the files are edited together
    (a statement appended), the workflow is parsed afresh and its DAG built as by a dry run,
    and the files are restored; ``plans`` holds each group's ``{rule: jobs to run}``. One
    Python process answers every group (a snakemake start each would cost ~1 s more)."""
    full_env = dict(os.environ)
    if (workdir / "src").is_dir():
        full_env["PYTHONPATH"] = str(workdir / "src")
    full_env.update(env or {})
    args = [
        json.dumps([str(c) for c in configfiles]),
        json.dumps([list(map(str, g)) for g in edits]),
    ]
    proc = subprocess.run(
        [sys.executable, "-c", _RULE_GRAPH, *args],
        cwd=workdir, env=full_env, capture_output=True, text=True, timeout=3600, check=False,
    )  # fmt: skip
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RULE_GRAPH ")]
    if proc.returncode != 0 or not lines:
        raise AssertionError(f"rule graph failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("RULE_GRAPH "))


def imported_package_modules(script: Path, src: Path, *, excludes=()) -> set[str]:
    """The ``qifgap`` modules that ``script`` imports, transitively, found by the standard
    library's modulefinder (bytecode of every function included) on the package in ``src``:
    an independent count of what :func:`qifgap.workflow.module_closure` reads with ``ast``."""
    import modulefinder

    finder = modulefinder.ModuleFinder(path=[str(src)], excludes=list(excludes))
    finder.run_script(str(script))
    return {name for name in finder.modules if name.split(".")[0] == "qifgap"}
