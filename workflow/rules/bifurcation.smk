# Stage 3: bifurcation data of the mean field (qifgap.bifurcation), as CSV tables.


# (eta_bar, J) phase diagram for one g: saddle-node, Hopf and homoclinic curves, cusp, TB and
# SNSL points, and region labels on a grid (closed forms plus numerical continuation).
rule bifurcation_phase_diagram:
    output:
        saddle_nodes=f"{RESULTS}/bifurcation/g={{g}}/saddle_nodes.csv",
        hopf=f"{RESULTS}/bifurcation/g={{g}}/hopf.csv",
        homoclinic=f"{RESULTS}/bifurcation/g={{g}}/homoclinic.csv",
        points=f"{RESULTS}/bifurcation/g={{g}}/points.csv",
        regions=f"{RESULTS}/bifurcation/g={{g}}/regions.csv",
    params:
        g=lambda wildcards: float(wildcards.g),
        delta=DELTA,
        eta_range=BIF["eta_range"],
        J_range=BIF["J_range"],
        n=BIF["grid"],
        code=script_code("bifurcation_phase_diagram"),
    log:
        f"{LOGS}/bifurcation_phase_diagram/g={{g}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bifurcation_phase_diagram/g={{g}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_phase_diagram.py"


# Cusp, Takens-Bogdanov and SNSL points against g.
rule bifurcation_codim2:
    output:
        table=f"{RESULTS}/bifurcation/codim2_vs_g.csv",
    params:
        g=BIF["codim2_g"],
        delta=DELTA,
        code=script_code("bifurcation_codim2"),
    log:
        f"{LOGS}/bifurcation_codim2.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_codim2.py"


# The limit-cycle branch born at the Hopf point, at fixed (J, g): period, extrema, Floquet.
rule bifurcation_limit_cycles:
    output:
        table=f"{RESULTS}/bifurcation/limit_cycles_J={{J}}_g={{g}}.csv",
    params:
        J=lambda wildcards: float(wildcards.J),
        g=lambda wildcards: float(wildcards.g),
        delta=DELTA,
        code=script_code("bifurcation_limit_cycles"),
    log:
        f"{LOGS}/bifurcation_limit_cycles/J={{J}}_g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_limit_cycles.py"


# Fixed points r*, v* against eta_bar at fixed (J, g), with their stability.
rule bifurcation_branch:
    output:
        branch=f"{RESULTS}/bifurcation/branch_J={{J}}_g={{g}}.csv",
    params:
        J=lambda wildcards: float(wildcards.J),
        g=lambda wildcards: float(wildcards.g),
        delta=DELTA,
        code=script_code("bifurcation_branch"),
    log:
        f"{LOGS}/bifurcation_branch/J={{J}}_g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_branch.py"


# Vector field, nullclines, fixed points and orbits in the (r, v) plane.
rule bifurcation_portrait:
    output:
        portrait=f"{RESULTS}/bifurcation/portrait_eta={{eta}}_J={{J}}_g={{g}}.npz",
    params:
        eta_bar=lambda wildcards: float(wildcards.eta),
        J=lambda wildcards: float(wildcards.J),
        g=lambda wildcards: float(wildcards.g),
        delta=DELTA,
        code=script_code("bifurcation_portrait"),
    log:
        f"{LOGS}/bifurcation_portrait/eta={{eta}}_J={{J}}_g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_portrait.py"


# Range of eta_bar with persistent activity (bistability) against g at fixed J.
rule bifurcation_bistable_range:
    output:
        table=f"{RESULTS}/bifurcation/bistable_range_J={{J}}.csv",
    params:
        J=lambda wildcards: float(wildcards.J),
        g=BIF["bistable_g"],
        delta=DELTA,
        eta_range=BIF["eta_range"],
        code=script_code("bifurcation_bistable_range"),
    log:
        f"{LOGS}/bifurcation_bistable_range/J={{J}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_bistable_range.py"


# Rhythms of population models (config section rhythms): one entry per model, continued in
# its parameter (equilibria, Hopf onsets, cycle branch) and in two parameters (Hopf curves).
# keys sorted (canonical), so that a parameter's repr does not depend on the YAML's order; the
# populations of a model are then in name order, as those of an experiment
RHYTHMS = canonical(config.get("rhythms", {}))


# each entry's model and parameter keys, checked by the library (one line naming the key); the
# model of an entry that names an experiment is written into the entry, so that every rule and
# figure sees the one model; the cycles are also reported where the networks run
for _name, _entry in RHYTHMS.items():
    try:
        from qifgap.populations import Model

        _entry["model"] = rhythm_model(_name, _entry)
        _model = Model.from_dict(_entry["model"])
        for _key in (_entry["parameter"], *_entry.get("curves", {})):
            _model.get(_key)
        if "population" in _entry:
            _model.index(_entry["population"])
        if _entry["range"][0] == _entry["range"][1]:
            raise ValueError("range: low and high must differ")
        for _key in _entry.get("verification", {}).get("curves", []):
            if _key not in _entry.get("curves", {}):
                raise ValueError(f"verification.curves: {_key} is not one of curves")
        if "network" in _entry:
            _sweep = config.get("sweeps", {}).get(_entry["network"])
            if _sweep is None:
                raise ValueError(f"network: unknown sweep {_entry['network']!r}")
            if _sweep["experiment"] != _entry.get("experiment"):
                raise ValueError(
                    f"network: sweep {_entry['network']} runs experiment {_sweep['experiment']}, "
                    f"not the entry's experiment {_entry.get('experiment')}"
                )
            if not rhythm_network_values(_entry):
                raise ValueError(
                    f"network: sweep {_entry['network']} does not vary {_entry['parameter']}"
                )
            _entry["values"] = sorted({*_entry.get("values", []),
                                       *rhythm_network_values(_entry)})  # fmt: skip
    except ValueError as exc:
        sys.stderr.write(f"config error: rhythms.{_name}: {exc}\n")
        sys.exit(1)


wildcard_constraints:
    rhythm=r"[A-Za-z0-9_-]+",
    key=r"(J|g|populations)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",


# Equilibrium branch, Hopf onsets (frequency, criticality) and cycle branch (period, amplitude
# and mean of each population's rate, stability) in the entry's parameter.
rule bifurcation_rhythm_onset:
    output:
        branch=f"{RESULTS}/bifurcation/rhythms/{{rhythm}}/branch.csv",
        hopf=f"{RESULTS}/bifurcation/rhythms/{{rhythm}}/hopf.csv",
        cycles=f"{RESULTS}/bifurcation/rhythms/{{rhythm}}/cycles.csv",
    params:
        entry=lambda wildcards: rhythm_model_entry(wildcards.rhythm),
        code=script_code("bifurcation_rhythm_onset"),
    log:
        f"{LOGS}/bifurcation_rhythm_onset/{{rhythm}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bifurcation_rhythm_onset/{{rhythm}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_rhythm_onset.py"


# The Hopf curve (rhythm onset) in (the entry's parameter, key), frequency along it.
rule bifurcation_rhythm_curve:
    output:
        table=f"{RESULTS}/bifurcation/rhythms/{{rhythm}}/hopf_curve_{{key}}.csv",
    params:
        entry=lambda wildcards: rhythm_model_entry(wildcards.rhythm),
        key=lambda wildcards: wildcards.key,
        code=script_code("bifurcation_rhythm_curve"),
    log:
        f"{LOGS}/bifurcation_rhythm_curve/{{rhythm}}/{{key}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bifurcation_rhythm_curve/{{rhythm}}/{{key}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_rhythm_curve.py"


# Spiking networks of the entry's sweep against the continuation: per network, the rhythm of
# the entry's population (std of r over whole cycles, frequency), that of the mean-field run,
# the cycle at that value and the growth rate of the equilibrium.
rule compare_rhythm:
    input:
        networks=lambda wildcards: sweep_files("network", RHYTHMS[wildcards.rhythm]["network"]),
        meanfields=lambda wildcards: sweep_files(
            "meanfield", RHYTHMS[wildcards.rhythm]["network"]
        ),
        cycles=rules.bifurcation_rhythm_onset.output.cycles,
    output:
        table=f"{RESULTS}/rhythms/{{rhythm}}.tsv",
    params:
        entry=lambda wildcards: RHYTHMS[wildcards.rhythm],
        runs=lambda wildcards: {r: RUNS[r] for r in SWEEPS[RHYTHMS[wildcards.rhythm]["network"]]},
        code=script_code("compare_rhythm"),
    log:
        f"{LOGS}/compare_rhythm/{{rhythm}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_rhythm.py"
