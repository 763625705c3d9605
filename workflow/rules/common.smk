# Shared helpers and config validation; included first.
import functools
import os
import re
import sys
from pathlib import Path

from qifgap import __version__ as QIFGAP_VERSION
from qifgap.experiments import canonical, fmt, neuron_count
from qifgap.workflow import ConfigError, code_hash, validate_config

RESULTS = "results"
LOGS = "logs"

try:
    RUNS = validate_config(config, workflow.source_path("../../config/schema.yaml"))
except ConfigError as exc:
    sys.stderr.write(f"config error: {exc}\n")
    sys.exit(1)

# one numba cache for the whole workflow, filled once by rule numba_warm_up (set here, so
# every job inherits it, unless the user chose one)
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(RESULTS, ".numba-cache").resolve()))

SCRIPTS = Path(workflow.basedir, "workflow", "scripts")


@functools.cache
def script_code(script):
    """Hash of the package modules that workflow/scripts/<script>.py imports, transitively
    (qifgap.workflow.code_hash): a rule's ``code`` parameter, so that it reruns when package
    code it runs changes (Snakemake's own code trigger sees only the script file)."""
    return code_hash(SCRIPTS / f"{script}.py")


EXPERIMENTS = [name for name in RUNS if "/" not in name]
SWEEPS = {name: [run for run in RUNS if run.startswith(f"{name}/")] for name in config["sweeps"]}
THREADS = config["threads"]


wildcard_constraints:
    run=r"[A-Za-z0-9_-]+(/[A-Za-z0-9_.=+-]+)?",
    experiment=r"[A-Za-z0-9_-]+",
    sweep=r"[A-Za-z0-9_-]+",
    g=r"[0-9.]+",
    chunk=r"[0-9]+",


FIGURES = config["figures"]
VERIFY = config.get("verification")
BIF = config["bifurcation"]
DELTA = config["defaults"]["delta"]  # the Δ of the bifurcation analysis
FINITE_SIZE_TABLES = ("async", "oscillation", "v_peak_async", "v_peak_oscillation")
PHASE_TABLES = ("saddle_nodes", "hopf", "homoclinic", "points", "regions")
LC = canonical(BIF["limit_cycles"])
BRANCH = canonical(BIF["branch"])
PORTRAIT = canonical(BIF["portrait"])


def run_params(wildcards):
    """The resolved parameters of the run named by the wildcard (defaults merged)."""
    return RUNS[wildcards.run]


def network_file(wildcards):
    """The network simulation a run is compared with (its own, or that of network_from)."""
    source = RUNS[wildcards.run].get("network_from", wildcards.run)
    return f"{RESULTS}/network/{source}.npz"


def network_threads(wildcards):
    """config threads for large networks; one thread below N = 50 000 (all populations), where
    a step is too short to share between threads and parallel jobs use the cores better."""
    return THREADS if neuron_count(RUNS[wildcards.run]) >= 50_000 else 1


def network_resources(wildcards, threads):
    from qifgap.experiments import network_resources as estimate

    return estimate(RUNS[wildcards.run], threads=threads)


def all_targets():
    """Every table and figure of the config (figures: see FIGURE_REGISTRY in figures.smk)."""
    return [
        f"{RESULTS}/compare/summary.tsv",
        *expand(f"{RESULTS}/compare/sweeps/{{sweep}}.tsv", sweep=list(SWEEPS)),
        *(f"{RESULTS}/figures/{stem}.pdf" for fig in FIGURE_REGISTRY.values()
          for stem in fig["targets"]()),
        *([f"{RESULTS}/compare/hysteresis_speeds.tsv"]
          if "fast_sweep" in FIGURES.get("hysteresis", {}) else []),
    ]


# the verified couplings by their wildcard value (results/verification/g=<fmt(g)>/)
VERIFY_G = {fmt(g): g for g in VERIFY["g"]} if VERIFY else {}


def verification_points(g):
    """The (η̄, J) points verified at g: the eta x J grid and the zooms of that g."""
    import pandas as pd
    from qifgap.verification import grid_points

    grids = [(VERIFY["eta"], VERIFY["J"])]
    grids += [(z["eta"], z["J"]) for z in VERIFY.get("zoom", []) if z["g"] == g]
    points = pd.concat([grid_points(eta, J) for eta, J in grids], ignore_index=True)
    return points.drop_duplicates(ignore_index=True)


@functools.cache
def verification_chunks(g_name):
    """The verification points of g (its wildcard value) in jobs of ``chunk`` points."""
    points = verification_points(VERIFY_G[g_name])
    size = VERIFY["chunk"]
    return [points.iloc[k : k + size] for k in range(0, len(points), size)]


def sweep_files(kind, sweep):
    return expand(f"{RESULTS}/{kind}/{{run}}.npz", run=SWEEPS[sweep])


def hysteresis_J():
    return RUNS[SWEEPS[FIGURES["hysteresis"]["sweep"]][0]]["J"]


def ramp_speed_runs():
    """The runs of the hysteresis sweep and of its faster twin (figures.hysteresis)."""
    return [r for key in ("sweep", "fast_sweep") for r in SWEEPS[FIGURES["hysteresis"][key]]]


def asymmetry_runs():
    """The runs of the spike-asymmetry figure (its networks and their mean-field variants),
    sorted: their order must not depend on the order of the YAML."""
    return sorted(r for r in RUNS if RUNS[r].get("network_from", r) in FIGURES["asymmetry"])


# two inhibitory clusters (clusters.smk) and MP20 with populations (asymmetry.smk)
def cluster_file(kind, wildcards):
    """The network or mean-field file of a clusters entry's pulse experiment."""
    return f"{RESULTS}/{kind}/{CLUSTERS[wildcards.cluster]['experiment']}.npz"


def cluster_run(wildcards):
    """The resolved pulse experiment of a clusters entry."""
    return RUNS[CLUSTERS[wildcards.cluster]["experiment"]]


def asym_runs(wildcards):
    """The resolved runs of an asymmetric_onset entry's sweep, by name."""
    return {run: RUNS[run] for run in SWEEPS[ASYM_ONSET[wildcards.asym]["sweep"]]}
