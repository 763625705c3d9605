"""The pipeline on a real SLURM cluster, through Snakemake's SLURM executor plugin.

A one-node cluster (slurmctld + slurmd + munged on this machine, tests/slurm/start_cluster.sh)
runs the test configuration with the repository's SLURM profile. The test checks that

- every job that is not a declared local rule went through sbatch and ran inside a SLURM job
  (the plugin's per-job SLURM logs are kept and read back, and squeue confirms that every
  submitted SLURM job of the run COMPLETED), with exactly the job counts of the dry run;
- the outputs equal those of a plain local run (``--cores 2``): byte for byte, except .npz
  files, whose arrays are compared (a zip member's timestamp is not part of the result).

Needs root (the cluster is started as root). Run it with ``pytest -m slurm`` (or .ci/slurm);
it fails, rather than skips, when the cluster cannot be started. Environment:
QIFGAP_SLURM_TEST_CONFIG (default config/test.yaml), QIFGAP_SLURM_TEST_TIMEOUT (seconds per
Snakemake call, default 1800).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import workflow_copy
import yaml

pytestmark = pytest.mark.slurm

REPO = Path(__file__).resolve().parents[1]
CLUSTER_SCRIPTS = REPO / "tests" / "slurm"
CONFIG = os.environ.get("QIFGAP_SLURM_TEST_CONFIG", "config/test.yaml")
PROFILE = "profiles/slurm"
CORES = "2"
# The profile's status-check intervals suit a busy real cluster; this one is local and idle.
FAST_POLLING = (
    "--seconds-between-status-checks",
    "2",
    "--slurm-init-seconds-before-status-checks",
    "2",
)
TIMEOUT = float(os.environ.get("QIFGAP_SLURM_TEST_TIMEOUT", "1800"))

# Output files whose content is measured rather than computed.
NOT_COMPARED = (re.compile(r"(^|/)benchmarks?/"),)


# --- helpers -------------------------------------------------------------------------------


def copy_workflow(dest: Path, source: Path = REPO) -> Path:
    """The workflow with the package source (the shared helper of the pipeline tests)."""
    return workflow_copy.copy_workflow(dest, source, with_package=True)


def snakemake_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    if (workdir / "src").is_dir():
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(workdir / "src"), env.get("PYTHONPATH")) if p
        )
    # the venv's python and scripts first, for the submitting process and (--export=ALL) the jobs
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # reproducible PDF/SVG metadata, so that figures compare byte for byte across the two runs
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    for var in ("SNAKEMAKE_PROFILE", "SLURM_JOB_ID", "SLURM_CONF"):
        env.pop(var, None)
    return env


def tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


def run_snakemake(workdir: Path, *args: str, log_name: str, timeout: float = TIMEOUT) -> str:
    """Run Snakemake in ``workdir``; its combined output goes to ``workdir/log_name``."""
    log_path = workdir / log_name
    cmd = [sys.executable, "-m", "snakemake", *args]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=workdir,
            env=snakemake_env(workdir),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            rc = proc.wait(timeout=timeout)
            problem = f"failed (exit {rc})" if rc else ""
        except subprocess.TimeoutExpired:
            # Snakemake can hang while it terminates: kill it and everything it started
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            problem = f"did not finish within {timeout:.0f} s"
    text = log_path.read_text(errors="replace")
    if problem:
        queue = ""
        run_id = slurm_run_id(text)
        if run_id:  # leave no job of a failed run behind on the cluster
            queue = f"squeue:\n{squeue_text(run_id)}\n"
            subprocess.run(["scancel", "--name", run_id], check=False)
        pytest.fail(
            f"snakemake {' '.join(args)} {problem}\n{queue}--- {log_path} ---\n{tail(text)}"
        )
    return text


def slurm_run_id(log_text: str) -> str | None:
    """The plugin's run id: the SLURM job name of every job this run submitted."""
    m = re.search(r"^SLURM run ID: (\S+)", log_text, re.M)
    return m.group(1) if m else None


def squeue_text(run_id: str) -> str:
    out = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--name", run_id, "--format=%i|%T|%k"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout + out.stderr


def job_stats(log_text: str) -> Counter[str]:
    """The per-rule job counts of Snakemake's "Job stats" table (the planned jobs)."""
    m = re.search(r"^Job stats:\n(.*?)^total\s+(\d+)", log_text, re.M | re.S)
    assert m, f"no 'Job stats' table in\n{tail(log_text)}"
    counts = Counter()
    for line in m.group(1).splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
    assert sum(counts.values()) == int(m.group(2)), m.group(0)
    return counts


_JOB_BLOCK = re.compile(
    r"^[ \t]*(localrule|rule|checkpoint) (\w+):\n((?:[ \t]+\w[\w ()-]*: .*\n?)*)", re.M
)


def job_blocks(log_text: str) -> list[tuple[str, str, str]]:
    """(kind, rule, key) per job block of a Snakemake log; key = its output/wildcards lines."""
    blocks = []
    for kind, rule, body in _JOB_BLOCK.findall(log_text):
        fields = dict(
            line.strip().split(": ", 1) for line in body.splitlines() if ": " in line.strip()
        )
        key = f"{fields.get('output', '')}|{fields.get('wildcards', '')}"
        blocks.append(("local" if kind == "localrule" else "remote", rule, key))
    return blocks


def _workflow_sources(workdir: Path) -> list[Path]:
    files = [workdir / "Snakefile", workdir / "workflow" / "Snakefile"]
    files += sorted((workdir / "workflow").rglob("*.smk"))
    return [f for f in files if f.is_file()]


_ACTIONS = re.compile(r"^[ \t]+(shell|run|script|notebook|wrapper|cwl|template_engine)\s*:", re.M)


def local_rules(workdir: Path) -> tuple[set[str], set[str]]:
    """(declared local rules, rules without an action) of the workflow's source files.

    Declared: the ``localrules:`` statements and rules with ``localrule: True``. Rules
    without shell/run/script/... (target rules such as ``all``) are never submitted.
    """
    declared: set[str] = set()
    norun: set[str] = set()
    for path in _workflow_sources(workdir):
        text = re.sub(r"#.*", "", path.read_text())
        for m in re.finditer(r"^localrules\s*:(.*(?:\n[ \t]+\S.*)*)", text, re.M):
            declared |= set(re.findall(r"[A-Za-z_]\w*", m.group(1)))
        for m in re.finditer(r"^(?:rule|checkpoint)\s+(\w+)\s*:(.*?)(?=^\S|\Z)", text, re.M | re.S):
            name, body = m.groups()
            if re.search(r"^[ \t]+localrule\s*:\s*True\b", body, re.M):
                declared.add(name)
            if not _ACTIONS.search(body):
                norun.add(name)
    return declared, norun


def group_components(profile_config: Path) -> dict[str, int]:
    """The profile's ``group-components`` (group name -> components per group job)."""
    settings = yaml.safe_load(profile_config.read_text()) or {}
    entries = settings.get("group-components") or []
    if isinstance(entries, str):
        entries = entries.split()
    return {name: int(n) for name, n in (entry.split("=", 1) for entry in entries)}


def summary_outputs(workdir: Path) -> dict[str, str]:
    """Output file -> rule, from ``snakemake --summary`` (logs and benchmarks are not listed)."""
    text = run_snakemake(
        workdir, "--cores", "1", "--configfile", CONFIG, "--summary", log_name="summary.log"
    )
    start = text.index("output_file\t")
    rows = csv.DictReader(io.StringIO(text[start:]), delimiter="\t")
    return {row["output_file"]: row["rule"] for row in rows if row.get("rule")}


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]


def differences(a: Path, b: Path) -> list[str]:
    """Why ``a`` and ``b`` differ (empty if equal): npz by arrays, anything else by bytes."""
    if a.suffix != ".npz":
        return [] if a.read_bytes() == b.read_bytes() else [f"{a.name}: bytes differ"]
    problems = []
    with np.load(a, allow_pickle=False) as za, np.load(b, allow_pickle=False) as zb:
        if sorted(za.files) != sorted(zb.files):
            return [f"{a.name}: arrays {sorted(za.files)} != {sorted(zb.files)}"]
        for key in za.files:
            x, y = za[key], zb[key]
            if x.dtype != y.dtype or x.shape != y.shape:
                problems.append(f"{a.name}[{key}]: {x.dtype}{x.shape} != {y.dtype}{y.shape}")
            elif not np.array_equal(x, y, equal_nan=x.dtype.kind in "fc"):
                problems.append(f"{a.name}[{key}]: values differ")
    return problems


# --- fixtures ------------------------------------------------------------------------------


def _cluster_up() -> bool:
    try:
        ping = subprocess.run(["scontrol", "ping"], capture_output=True, text=True, timeout=10)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return False
    return "is UP" in ping.stdout


@pytest.fixture(scope="session")
def slurm_cluster():
    """A running one-node SLURM cluster; stopped again if this fixture started it."""
    was_up = _cluster_up()
    t0 = time.monotonic()
    start = subprocess.run(
        ["bash", str(CLUSTER_SCRIPTS / "start_cluster.sh")], capture_output=True, text=True
    )
    if start.returncode != 0:
        pytest.fail(
            f"tests/slurm/start_cluster.sh failed (exit {start.returncode}):\n"
            f"{start.stdout}{start.stderr}"
        )
    print(f"SLURM cluster ready in {time.monotonic() - t0:.1f} s")
    yield
    if not was_up:
        subprocess.run(["bash", str(CLUSTER_SCRIPTS / "stop_cluster.sh")], check=False)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """One copy of the repository's workflow and package, the source of both runs' copies."""
    try:
        return copy_workflow(tmp_path_factory.mktemp("snapshot") / "repo")
    except FileNotFoundError as exc:
        pytest.fail(f"no workflow to run: {exc}")


@pytest.fixture(scope="module")
def slurm_run(slurm_cluster, snapshot, tmp_path_factory):
    """The test configuration run on SLURM: (workdir, dry-run log, run log)."""
    workdir = copy_workflow(tmp_path_factory.mktemp("slurm") / "wf", snapshot)
    args = ("--profile", PROFILE, "--cores", CORES, "--configfile", CONFIG)
    dry = run_snakemake(workdir, *args, "--dry-run", log_name="dryrun.log")
    t0 = time.monotonic()
    log = run_snakemake(
        workdir, *args, *FAST_POLLING, "--slurm-keep-successful-logs", log_name="slurm.log"
    )
    print(f"SLURM run of {CONFIG}: {time.monotonic() - t0:.1f} s")
    return workdir, dry, log


@pytest.fixture(scope="module")
def local_run(snapshot, tmp_path_factory):
    """The same configuration run locally: the workdir."""
    workdir = copy_workflow(tmp_path_factory.mktemp("local") / "wf", snapshot)
    t0 = time.monotonic()
    run_snakemake(workdir, "--cores", CORES, "--configfile", CONFIG, log_name="local.log")
    print(f"local run of {CONFIG}: {time.monotonic() - t0:.1f} s")
    return workdir


# --- tests ---------------------------------------------------------------------------------


def test_every_job_ran_through_sbatch(slurm_run):
    workdir, dry, log = slurm_run
    planned = job_stats(dry)
    declared, norun = local_rules(workdir)
    exempt = declared | norun

    blocks = job_blocks(log.split("Job stats:", 1)[1])
    ran = Counter(rule for _, rule, _ in blocks)
    assert ran == planned, f"jobs run {dict(ran)} != planned {dict(planned)}"

    local = Counter(rule for kind, rule, _ in blocks if kind == "local")
    assert set(local) <= exempt, (
        f"rules {sorted(set(local) - exempt)} ran on the submitting host but are not declared "
        f"local rules (declared: {sorted(declared)}, without action: {sorted(norun)})"
    )
    remote = {(rule, key) for kind, rule, key in blocks if kind == "remote"}
    assert remote, "no job was submitted to SLURM"
    assert not re.search(r"Falling back to 'sacct'", log), "status checks did not use squeue"

    # inside the SLURM jobs: every remote job ran there (a group job's log holds its members)
    slurm_logs = sorted((workdir / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert slurm_logs, "the SLURM executor left no job logs"
    inside = set()
    for path in slurm_logs:
        text = path.read_text(errors="replace")
        assert "Finished jobid" in text, f"{path} shows no finished job:\n{tail(text)}"
        inside |= {(rule, key) for kind, rule, key in job_blocks(text) if kind == "local"}
    missing = remote - inside
    assert not missing, f"jobs submitted but not found running inside SLURM: {sorted(missing)}"
    per_rule = Counter(rule for rule, _ in inside)
    for rule, count in planned.items():
        if rule not in local:
            assert per_rule[rule] == count, (
                f"{rule}: {per_rule[rule]} ran in SLURM, {count} planned"
            )

    # group jobs: up to `group-components` connected components of a group per SLURM job
    components = group_components(workdir / PROFILE / "config.yaml")
    groups: dict[str, list[int]] = {}  # group -> [SLURM jobs, member jobs]
    for path in slurm_logs:
        text = path.read_text(errors="replace")
        m = re.search(r"Group job (\w+)", text)
        if m:
            counts = groups.setdefault(m.group(1), [0, 0])
            counts[0] += 1
            counts[1] += len({(r, k) for kind, r, k in job_blocks(text) if kind == "local"})
    for group, (n_slurm, n_members) in groups.items():
        per_job = components.get(group, 1)
        assert n_slurm <= math.ceil(n_members / per_job), (
            f"group {group}: {n_members} jobs in {n_slurm} SLURM jobs ({per_job} per job expected)"
        )

    # SLURM's own record: every job this run submitted is known to squeue and COMPLETED
    submitted = set(re.findall(r"has been submitted with SLURM jobid (\d+)", log))
    assert len(submitted) == len(slurm_logs), (submitted, slurm_logs)
    run_id = slurm_run_id(log)
    assert run_id, "no 'SLURM run ID' in the Snakemake log"
    states = dict(
        line.split("|")[:2] for line in squeue_text(run_id).splitlines() if line.count("|") >= 2
    )
    assert set(states) == submitted, f"squeue knows {sorted(states)}, submitted {sorted(submitted)}"
    assert set(states.values()) == {"COMPLETED"}, states


def test_outputs_equal_a_local_run(slurm_run, local_run):
    slurm_dir = slurm_run[0]
    on_slurm, local = summary_outputs(slurm_dir), summary_outputs(local_run)
    assert on_slurm == local, "the two runs produced different output files"
    assert on_slurm, "the workflow produced no output files"
    compared, problems = 0, []
    for name in sorted(on_slurm):
        if any(p.search(name) for p in NOT_COMPARED):
            continue
        a, b = slurm_dir / name, local_run / name
        if not a.exists() and not b.exists():  # temp() outputs, removed after use
            continue
        if a.exists() != b.exists():
            problems.append(f"{name}: exists only in the {'SLURM' if a.exists() else 'local'} run")
            continue
        files_a, files_b = files_under(a), files_under(b)
        rel_a = [p.relative_to(a) for p in files_a] if a.is_dir() else [Path()]
        rel_b = [p.relative_to(b) for p in files_b] if b.is_dir() else [Path()]
        if rel_a != rel_b:
            problems.append(f"{name}: directory contents differ")
            continue
        for fa, fb in zip(files_a, files_b, strict=True):
            problems += [f"{name}: {p}" for p in differences(fa, fb)]
            compared += 1
    assert not problems, "outputs differ from the local run:\n" + "\n".join(problems)
    assert compared
