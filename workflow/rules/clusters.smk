# Two inhibitory clusters (config section clusters): the coexistence range of a synchronous and
# an asynchronous state by continuation, and the state of a pulse experiment in each window.

# keys sorted (canonical), as those of the rhythms section
CLUSTERS = canonical(config.get("clusters", {}))

# each entry's experiment, model and parameter, checked once (one line naming the key)
for _name, _entry in CLUSTERS.items():
    try:
        from qifgap.experiments import run_model

        if _entry["experiment"] not in RUNS:
            raise ValueError(f"experiment: unknown experiment {_entry['experiment']!r}")
        _model = run_model(RUNS[_entry["experiment"]])
        if _entry["parameter"] != "drive":
            _model.get(_entry["parameter"])
        _model.index(_entry["population"])
        if _entry["range"][0] == _entry["range"][1]:
            raise ValueError("range: low and high must differ")
    except ValueError as exc:
        sys.stderr.write(f"config error: clusters.{_name}: {exc}\n")
        sys.exit(1)


wildcard_constraints:
    cluster=r"[A-Za-z0-9_-]+",


# Equilibria, Hopf points, cycles and the coexistence range [low, high] of a stable equilibrium
# and a stable cycle in the entry's parameter (qifgap.bifurcation.bistability.coexistence).
rule bifurcation_coexistence:
    output:
        branch=f"{RESULTS}/bifurcation/clusters/{{cluster}}/branch.csv",
        hopf=f"{RESULTS}/bifurcation/clusters/{{cluster}}/hopf.csv",
        cycles=f"{RESULTS}/bifurcation/clusters/{{cluster}}/cycles.csv",
        range=f"{RESULTS}/bifurcation/clusters/{{cluster}}/range.csv",
    params:
        entry=lambda wildcards: CLUSTERS[wildcards.cluster],
        run=cluster_run,
        code=script_code("bifurcation_coexistence"),
    log:
        f"{LOGS}/bifurcation_coexistence/{{cluster}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bifurcation_coexistence/{{cluster}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_coexistence.py"


# The class (sync / async) of the entry's population in each window of the pulse experiment,
# network and mean field.
rule compare_pulse:
    input:
        network=lambda wildcards: cluster_file("network", wildcards),
        meanfield=lambda wildcards: cluster_file("meanfield", wildcards),
    output:
        table=f"{RESULTS}/compare/clusters/{{cluster}}.tsv",
    params:
        entry=lambda wildcards: CLUSTERS[wildcards.cluster],
        code=script_code("compare_pulse"),
    log:
        f"{LOGS}/compare_pulse/{{cluster}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_pulse.py"
