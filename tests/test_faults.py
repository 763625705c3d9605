"""Faults and bad input, through the real ``snakemake`` on temporary copies of the workflow.

- determinism: the same config gives the same bytes in every file under results/ (benchmarks
  and the numba cache aside) across a rerun from scratch, a different numba thread count and a
  different ``--cores`` (default suite: a few files of every kind, both settings changed at
  once; slow suite: the whole DAG, each setting alone);
- a SIGKILL of the whole Snakemake process group in the middle of a network job leaves no
  half-written output, and ``--rerun-incomplete`` then completes with the bytes of an
  uninterrupted run;
- a numeric guard that trips only at run time (a diverging network) reaches the user as one
  line naming the rule, the run and the cause, with the traceback kept in the job's log;
- malformed configs are refused by ``snakemake -n`` before any job, in one ``config error:``
  line naming the key.

All copies import the session's one copy of the package (isolated from edits to the checkout
while the tests run) and share its numba cache with every workflow test (tests/conftest.py), so
the kernels are compiled once per test session.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from workflow_copy import SNAKEMAKE, copy_workflow, snakemake

from qifgap.results import load_timeseries

FAULTS = Path(__file__).with_name("data") / "faults.yaml"
BASE = yaml.safe_load(FAULTS.read_text())
CONFIG = ("--configfile", "config/faults.yaml")
# not results: timings, and the compiled kernels (and warm-up flag) of numba
NOT_RESULTS = ("benchmarks", ".numba-cache")


@pytest.fixture(scope="module")
def env(package_env):
    """Environment of every snakemake call: the session's package copy and numba cache."""
    return package_env


def workflow_with(dest: Path, config: dict | None = None) -> Path:
    """A copy of the workflow with ``config`` (default: tests/data/faults.yaml) as
    config/faults.yaml."""
    wd = copy_workflow(dest)
    (wd / "config" / "faults.yaml").write_text(yaml.safe_dump(config or BASE, sort_keys=False))
    return wd


def single_experiment(name: str, spec: dict, **top) -> dict:
    """The faults config reduced to one experiment (no figure of it)."""
    config = {**BASE, "experiments": {name: spec}, "figures": {"protocols": []}}
    config.update(top)
    return config


def result_files(workdir: Path, *, ignore_hidden_tmp: bool = False) -> dict[str, str]:
    """{path under results/: sha256} of every result file."""
    root = workdir / "results"
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or rel.parts[0] in NOT_RESULTS:
            continue
        if ignore_hidden_tmp and path.name.startswith(".") and ".tmp" in path.name:
            continue
        files[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def assert_same_files(expected: dict, actual: dict, what: str) -> None:
    assert expected, "no result files to compare"
    differ = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    detail = [
        f"{k} ({'missing' if k not in actual else 'extra' if k not in expected else 'bytes'})"
        for k in differ
    ]
    assert not differ, f"{what}: {len(differ)} of {len(expected)} result files differ: {detail}"


def network_log_threads(workdir: Path, run: str) -> int:
    first = (workdir / "logs" / "simulate_network" / f"{run}.log").read_text().splitlines()[0]
    return int(first.rsplit("threads", 1)[1])


# --- 1. determinism ------------------------------------------------------------------------

# The default suite reruns the smallest DAG that holds every kind of output: the experiment's
# network (N = 50 000, on 2 threads in the reference), mean field, comparison and protocol
# figure, and one bifurcation stage; the slow suite reruns the whole DAG of the faults config.
FEW_TARGETS = (
    "results/network/gap_step.npz",
    "results/meanfield/gap_step.npz",
    "results/compare/runs/gap_step.tsv",
    "results/figures/protocol_gap_step.png",
    "results/bifurcation/g=0/points.csv",
)


def _reference(dest: Path, env, targets: tuple[str, ...]):
    """The reference run of ``targets`` (all: the whole DAG): ``--cores 2``, threads 2 from
    the config (the N = 50 000 network uses 2); (workdir, {path: sha256})."""
    wd = workflow_with(dest)
    snakemake(wd, *targets, "--cores", "2", *CONFIG, env=env)
    assert network_log_threads(wd, "gap_step") == 2
    reference = result_files(wd)
    # every kind of output is there: network and mean-field npz, tables, figures
    suffixes = {Path(p).suffix for p in reference}
    assert {".npz", ".tsv", ".csv", ".pdf", ".png"} <= suffixes, sorted(reference)
    return wd, reference


@pytest.fixture(scope="module")
def few_files_run(tmp_path_factory, env):
    """The reference of :data:`FEW_TARGETS` (a few files of every kind)."""
    return _reference(tmp_path_factory.mktemp("faults-determinism"), env, FEW_TARGETS)


@pytest.fixture(scope="module")
def whole_dag_run(tmp_path_factory, env):
    """The reference of the whole DAG of the faults config (slow tests only)."""
    return _reference(tmp_path_factory.mktemp("faults-determinism-all"), env, ())


# Each rerun starts from an empty results/ in the reference's copy. "threads=1" differs from
# the reference only in the thread count, "--cores 1" from it only in --cores (one job at a
# time instead of two), so equal bytes show that neither setting, nor rerunning, matters.
RERUNS = {
    "rerun with --cores 1 (1 thread)": (("--cores", "1"), 1),
    "rerun with threads=1": (("--cores", "2", "--config", "threads=1"), 1),
    "rerun with threads=1, --cores 1": (("--cores", "1", "--config", "threads=1"), 1),
}


def _rerun_from_scratch(run, env, rerun, targets=()):
    wd, reference = run
    args, threads = RERUNS[rerun]
    shutil.rmtree(wd / "results")
    shutil.rmtree(wd / "logs")
    snakemake(wd, *targets, *args, *CONFIG, env=env)
    assert network_log_threads(wd, "gap_step") == threads
    assert_same_files(reference, result_files(wd), rerun)


def test_rerun_from_scratch_gives_the_same_bytes(few_files_run, env):
    """Proves: a rerun from scratch with ``--cores 1`` (Snakemake caps the network job's 2
    threads at the 1 core, and runs one job at a time instead of two) writes the bytes of the
    reference in every file: network, mean field, comparison table, figure (png and pdf) and a
    bifurcation stage's tables. Neither setting, nor rerunning, changes a result."""
    _rerun_from_scratch(few_files_run, env, "rerun with --cores 1 (1 thread)", FEW_TARGETS)


@pytest.mark.slow
@pytest.mark.parametrize("rerun", RERUNS)
def test_rerun_of_the_whole_dag_gives_the_same_bytes(whole_dag_run, env, rerun):
    """Slow (the faults config's whole DAG, four times): every result file, claims table and
    every figure included, has the reference's bytes after a rerun from scratch that changes
    only the thread count, only ``--cores``, or both."""
    _rerun_from_scratch(whole_dag_run, env, rerun)


# --- 2. SIGKILL in the middle of a network job ---------------------------------------------

LONG = {
    "eta_bar": -5.0,
    "J": 15.0,
    "g": 0.0,
    "t_start": 0.0,
    "t_end": 60.0,  # N = 20 000 for 60 τ: 1.2e10 neuron-steps, several seconds on one thread
    "current": {"kind": "step", "amplitude": 3.0, "t_on": 10.0, "t_off": 30.0},
    "network": {"N": 20000},
}
LONG_TARGET = "results/network/long.npz"


def _live_members(pgid: int) -> list[int]:
    """Processes of group ``pgid`` that are still alive (zombies do not count)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        state, _ppid, group = text.rsplit(")", 1)[1].split()[:3]
        if int(group) == pgid and state != "Z":
            pids.append(int(stat.parent.name))
    return pids


def _start(workdir: Path, args, env, log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen(
            [SNAKEMAKE, *args],
            cwd=workdir,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, jobs included
        )


def test_sigkill_mid_network_job_then_rerun_incomplete(tmp_path, env):
    """Proves, on the smallest DAG that shows it (one network job, long enough to be killed
    while it runs): a SIGKILL of Snakemake's whole process group leaves no process behind and
    no half-written file at the output's path, and ``--unlock`` then ``--rerun-incomplete``
    write the bytes of an uninterrupted run of the same job (run alongside on the other core)."""
    config = single_experiment("long", LONG, threads=1)
    killed = workflow_with(tmp_path / "killed", config)
    reference = workflow_with(tmp_path / "reference", config)
    args = (LONG_TARGET, "--cores", "1", *CONFIG)  # targets first: --configfile takes 1+
    # the uninterrupted run, on the other core meanwhile
    ref_proc = _start(reference, args, env, tmp_path / "reference.out")
    try:
        proc = _start(killed, args, env, tmp_path / "killed.out")
        pgid = os.getpgid(proc.pid)
        assert pgid == proc.pid
        job_log = killed / "logs" / "simulate_network" / "long.log"
        output = killed / LONG_TARGET
        deadline = time.monotonic() + 300
        while not job_log.exists():  # the script harness opens it after the imports
            assert proc.poll() is None, (tmp_path / "killed.out").read_text()
            assert time.monotonic() < deadline, "the network job did not start"
            time.sleep(0.05)
        time.sleep(2.0)  # past loading the cached kernels, inside the simulation
        assert proc.poll() is None and not output.exists(), (
            "the network job finished before it could be killed: raise LONG['t_end']"
        )
        members = _live_members(pgid)
        assert len(members) >= 2, f"snakemake and its job should run in group {pgid}"
        os.killpg(pgid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _live_members(pgid):
            assert time.monotonic() < deadline, f"survivors of SIGKILL: {_live_members(pgid)}"
            time.sleep(0.1)

        # nothing half-written at the final path: absent, or a complete result
        if output.exists():
            result = load_timeseries(output)
            assert len(result.t) == 6000 and result.params["t_end"] == 60.0
        leftovers = sorted(p.name for p in output.parent.iterdir() if p.name != output.name)
        assert all(n.startswith(".long.npz.") and ".tmp" in n for n in leftovers), leftovers
        assert not (killed / "results" / "benchmarks" / "simulate_network" / "long.tsv").exists()

        # the killed run left its lock; unlock, then complete the incomplete job
        if any((killed / ".snakemake" / "locks").glob("*")):
            snakemake(killed, "--unlock", *CONFIG, env=env)
        rerun = snakemake(killed, *args, "--rerun-incomplete", env=env)
        assert "rule simulate_network:" in rerun.stderr + rerun.stdout, "the job did not rerun"
    except BaseException:
        if ref_proc.poll() is None:  # our own reference run's process group, nothing else
            os.killpg(ref_proc.pid, signal.SIGKILL)
        raise
    finally:
        ref_proc.wait(timeout=600)
    assert ref_proc.returncode == 0, (tmp_path / "reference.out").read_text()[-4000:]
    expected = result_files(reference)
    assert list(expected) == ["network/long.npz"]
    assert_same_files(expected, result_files(killed, ignore_hidden_tmp=True), "after the kill")
    assert len(load_timeseries(killed / LONG_TARGET).t) == 6000


# --- 3. a run-time numeric guard -----------------------------------------------------------

DIVERGE = {
    "eta_bar": -5.0,
    "J": 15.0,
    "g": 0.0,
    "t_start": 0.0,
    "t_end": 1.0,
    "current": {"kind": "constant", "value": -1.0e20},  # a valid config that diverges at once
}
DIVERGE_TARGET = "results/network/diverge.npz"


@pytest.fixture(scope="module")
def diverged(tmp_path_factory, env):
    """A run of the diverging experiment's network job: (workdir, snakemake's output)."""
    config = single_experiment("diverge", DIVERGE)
    wd = workflow_with(tmp_path_factory.mktemp("faults-diverge"), config)
    proc = snakemake(wd, DIVERGE_TARGET, "--cores", "1", *CONFIG, check=False, env=env)
    assert proc.returncode != 0
    return wd, proc.stdout + proc.stderr


def test_diverging_network_fails_in_one_line_with_traceback_in_log(diverged):
    """Proves, on one tiny network job: a guard that trips at run time reaches the user as one
    line naming the rule, the run, the cause and the log; the traceback is in the log, and no
    output or temporary file of the failed job remains."""
    wd, out = diverged
    assert "config error" not in out  # the config passed validation; the job failed
    errors = [line for line in out.splitlines() if line.startswith("error in rule")]
    assert len(errors) == 1, out
    line = errors[0]
    assert line.startswith("error in rule simulate_network (run=diverge): SimulationDiverged:")
    for part in ("network state diverged at step 0", "(t = 0.0001)", "dt = 0.0001", "[log: "):
        assert part in line, line
    log = (wd / "logs" / "simulate_network" / "diverge.log").read_text()
    assert "Traceback (most recent call last)" in log and "SimulationDiverged" in log
    # neither the output nor a temporary file of it remains
    assert not (wd / DIVERGE_TARGET).exists()
    network_dir = wd / "results" / "network"
    left = sorted(p.name for p in network_dir.iterdir()) if network_dir.exists() else []
    assert left == [], f"files of the failed job remain: {left}"


def test_diverging_network_prints_no_traceback(diverged):
    """Proves: the user's terminal gets no traceback from the failed job (same run)."""
    _, out = diverged
    assert "Traceback" not in out, out


# --- 4. config errors through the CLI ------------------------------------------------------


def _edit(func):
    def text():
        config = yaml.safe_load(FAULTS.read_text())
        func(config)
        return yaml.safe_dump(config, sort_keys=False)

    return text


def _nan_text():
    text = FAULTS.read_text()
    assert text.count("eta_bar: -4.5") == 1
    return text.replace("eta_bar: -4.5", "eta_bar: .nan")


CONFIG_ERRORS = {
    "unknown key": (
        _edit(lambda c: c["experiments"]["gap_step"]["network"].update(Nn=4000)),
        ["experiments.gap_step.network", "Nn"],
    ),
    "NaN": (_nan_text, ["experiments.gap_step.eta_bar", "finite"]),
    "name with /": (
        _edit(lambda c: c["experiments"].update({"a/b": c["experiments"]["gap_step"]})),
        ["experiments", "'a/b'"],
    ),
    "missing key": (
        _edit(lambda c: c["experiments"]["gap_step"].pop("t_end")),
        ["experiments.gap_step", "'t_end'"],
    ),
    "out of range": (
        _edit(lambda c: c["experiments"]["gap_step"]["network"].update(N=0)),
        ["experiments.gap_step.network.N", "minimum"],
    ),
}


@pytest.fixture(scope="module")
def cli_workdir(tmp_path_factory):
    return workflow_with(tmp_path_factory.mktemp("faults-cli"))


# Every case's message names its key in one line in tests/test_config.py (validate_config
# in-process); through the CLI the default suite checks two kinds (a schema error, a value
# check), the slow suite all five.
CLI_DEFAULT = ("unknown key", "NaN")


@pytest.mark.parametrize(
    "case",
    [c if c in CLI_DEFAULT else pytest.param(c, marks=pytest.mark.slow) for c in CONFIG_ERRORS],
)
def test_malformed_config_is_refused_by_the_cli_in_one_line(cli_workdir, env, case):
    """Proves: ``snakemake -n`` refuses the malformed config before planning any job, in one
    ``config error:`` line on stderr that names the key, without a traceback."""
    make_text, keys = CONFIG_ERRORS[case]
    (cli_workdir / "config" / "bad.yaml").write_text(make_text())
    proc = snakemake(cli_workdir, "-n", "--configfile", "config/bad.yaml", check=False, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "Traceback" not in out, out
    errors = [line for line in out.splitlines() if line.startswith("config error:")]
    assert len(errors) == 1, out
    assert errors[0] in proc.stderr.splitlines()
    for key in keys:
        assert key in errors[0], errors[0]
    # refused before any job was planned or run
    assert "Job stats" not in out and "rule " not in out, out
    assert not (cli_workdir / "results").exists() and not (cli_workdir / "logs").exists()
