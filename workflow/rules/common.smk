# Shared helpers and config validation; included first.
import os
import sys
from pathlib import Path

from qifgap import __version__ as QIFGAP_VERSION
from qifgap.experiments import canonical, fmt
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

# rules rerun when the package code they depend on changes (Snakemake's code trigger only
# sees the script files themselves)
CODE = {
    "network": code_hash("kernels.py", "network.py", "inputs.py", "results.py", "experiments.py",
                         "_validate.py"),
    "meanfield": code_hash("meanfield.py", "model.py", "inputs.py", "results.py",
                           "experiments.py", "network.py", "_validate.py"),
    "compare": code_hash("metrics.py", "experiments.py", "results.py"),
    "bifurcation": code_hash("bifurcation", "model.py", "meanfield.py"),
    "plotting": code_hash("plotting", "results.py"),
    "verification": code_hash("verification.py", "metrics.py"),
}

EXPERIMENTS = [name for name in RUNS if "/" not in name]
SWEEPS = {name: [run for run in RUNS if run.startswith(f"{name}/")] for name in config["sweeps"]}
THREADS = config["threads"]


wildcard_constraints:
    run=r"[A-Za-z0-9_-]+(/[A-Za-z0-9_.=+-]+)?",
    experiment=r"[A-Za-z0-9_-]+",
    sweep=r"[A-Za-z0-9_-]+",
    g=r"[0-9.]+",
    chunk=r"[0-9]+",


FIGURES = config.get("figures", {})
VERIFY = config.get("verification")
BIF = config["bifurcation"]
FINITE_SIZE_TABLES = ("async", "oscillation", "v_peak_async", "v_peak_oscillation")
PHASE_TABLES = ("saddle_nodes", "hopf", "homoclinic", "points", "regions")
LC = canonical(BIF.get("limit_cycles", {"J": 0.0, "g": 1.0}))
BRANCH = canonical(config["bifurcation"]["branch"])
PORTRAIT = canonical(config["bifurcation"]["portrait"])


def run_params(wildcards):
    """The resolved parameters of the run named by the wildcard (defaults merged)."""
    return RUNS[wildcards.run]


def network_file(wildcards):
    """The network simulation a run is compared with (its own, or that of network_from)."""
    source = RUNS[wildcards.run].get("network_from", wildcards.run)
    return f"{RESULTS}/network/{source}.npz"


def network_threads(wildcards):
    """config threads for large networks; one thread below N = 50 000, where a step is too
    short to share between threads and parallel jobs use the cores better."""
    return THREADS if RUNS[wildcards.run]["network"]["N"] >= 50_000 else 1


def network_resources(wildcards, threads):
    from qifgap.experiments import network_resources as estimate

    return estimate(RUNS[wildcards.run], threads=threads)


def all_targets():
    targets = [
        f"{RESULTS}/compare/summary.tsv",
        *expand(f"{RESULTS}/compare/sweeps/{{sweep}}.tsv", sweep=list(SWEEPS)),
        *expand(f"{RESULTS}/figures/protocol_{{experiment}}.pdf",
                experiment=config.get("figures", {}).get("protocols", [])),
        f"{RESULTS}/figures/mpr15_bifurcation.pdf",
    ]
    targets += [
        f"{RESULTS}/figures/p19_phase_diagrams.pdf",
        f"{RESULTS}/figures/p19_codim2.pdf",
        f"{RESULTS}/figures/p19_limit_cycles.pdf",
    ]
    if config.get("verification"):
        targets.append(f"{RESULTS}/figures/p19_verification_g={fmt(config['verification']['g'])}.pdf")
    figures = config.get("figures", {})
    targets += expand(f"{RESULTS}/figures/p19_coupling_{{panel}}.pdf",
                      panel=list(figures.get("coupling", {})))
    for key, name in (("onset", "p19_onset"), ("hysteresis", "p19_hysteresis"),
                      ("asymmetry", "mp20_asymmetry"), ("finite_size", "finite_size")):
        if key in figures:
            targets.append(f"{RESULTS}/figures/{name}.pdf")
    return targets


def verification_chunks():
    from qifgap.verification import grid_points

    points = grid_points(VERIFY["eta"], VERIFY["J"])
    size = VERIFY["chunk"]
    return [points.iloc[k : k + size] for k in range(0, len(points), size)]


def sweep_files(kind, sweep):
    return expand(f"{RESULTS}/{kind}/{{run}}.npz", run=SWEEPS[sweep])


def hysteresis_J():
    return RUNS[SWEEPS[FIGURES["hysteresis"]["sweep"]][0]]["J"]


def asymmetry_runs():
    """The runs of the spike-asymmetry figure (its networks and their mean-field variants),
    sorted: their order must not depend on the order of the YAML."""
    return sorted(r for r in RUNS if RUNS[r].get("network_from", r) in FIGURES["asymmetry"])
