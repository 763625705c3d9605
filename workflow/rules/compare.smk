# Stages 2 and 4: the exact mean field of each run (qifgap.meanfield.integrate) and the
# network <-> mean-field comparison metrics (qifgap.metrics).


# Integrates the mean field of one run (qifgap.meanfield, on the network's output times) and
# compares the network with it: a one-row table of error metrics (RMSE, relative errors,
# periods, |Z|, spectra). One job per run: the mean field is cheap and only used next to this.
rule compare_run:
    input:
        network=network_file,
    output:
        meanfield=f"{RESULTS}/meanfield/{{run}}.npz",
        table=f"{RESULTS}/compare/runs/{{run}}.tsv",
    params:
        run=run_params,
        code=script_code("compare_run"),
    resources:
        mem_mb=500,
        runtime=10,
    log:
        f"{LOGS}/compare_run/{{run}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/compare_run/{{run}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_run.py"


# Summary table of all named experiments.
rule compare_summary:
    input:
        tables=expand(f"{RESULTS}/compare/runs/{{run}}.tsv", run=EXPERIMENTS),
    output:
        table=report(
            f"{RESULTS}/compare/summary.tsv",
            caption="../report/compare_summary.rst",
            category="Summary",
        ),
    params:
        code=script_code("concat_tables"),
    log:
        f"{LOGS}/compare_summary.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/concat_tables.py"


# Table of one sweep: a row per grid point.
rule compare_sweep:
    input:
        tables=lambda wildcards: expand(f"{RESULTS}/compare/runs/{{run}}.tsv",
                                        run=SWEEPS[wildcards.sweep]),
    output:
        table=f"{RESULTS}/compare/sweeps/{{sweep}}.tsv",
    params:
        code=script_code("concat_tables"),
    log:
        f"{LOGS}/compare_sweep/{{sweep}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/concat_tables.py"


# Switch-on/off points and hysteresis width of network and mean field under slow ramps.
rule compare_hysteresis:
    input:
        networks=lambda wildcards: sweep_files("network", FIGURES["hysteresis"]["sweep"]),
        meanfields=lambda wildcards: sweep_files("meanfield", FIGURES["hysteresis"]["sweep"]),
    output:
        table=f"{RESULTS}/compare/hysteresis.tsv",
    params:
        runs=lambda wildcards: [RUNS[r] for r in SWEEPS[FIGURES["hysteresis"]["sweep"]]],
        threshold=FIGURES.get("hysteresis", {}).get("threshold"),
        code=script_code("compare_hysteresis"),
    log:
        f"{LOGS}/compare_hysteresis.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_hysteresis.py"


# The hysteresis widths at two ramp speeds (the sweep and its fast twin), one row per run: the
# difference shows the ramp overshoot beyond the static persistent range.
rule compare_hysteresis_speeds:
    input:
        networks=lambda wildcards: expand(rules.simulate_network.output.network,
                                          run=ramp_speed_runs()),
        meanfields=lambda wildcards: expand(rules.compare_run.output.meanfield,
                                            run=ramp_speed_runs()),
    output:
        table=f"{RESULTS}/compare/hysteresis_speeds.tsv",
    params:
        runs=lambda wildcards: [RUNS[r] for r in ramp_speed_runs()],
        threshold=FIGURES.get("hysteresis", {}).get("threshold"),
        code=script_code("compare_hysteresis"),
    log:
        f"{LOGS}/compare_hysteresis_speeds.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_hysteresis.py"


# Errors of the P19 and MP20 mean fields against networks with asymmetric spikes.
rule compare_asymmetry:
    input:
        tables=lambda wildcards: expand(
            f"{RESULTS}/compare/runs/{{run}}.tsv",
            run=asymmetry_runs(),
        ),
    output:
        table=f"{RESULTS}/compare/asymmetry.tsv",
    params:
        code=script_code("compare_asymmetry"),
    log:
        f"{LOGS}/compare_asymmetry.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_asymmetry.py"


# Network-mean-field errors against N and V_p, with power-law fits.
rule compare_finite_size:
    input:
        **{
            key: f"{RESULTS}/compare/sweeps/{sweep}.tsv"
            for key, sweep in FIGURES.get("finite_size", {}).items()
        },
    output:
        **{key: f"{RESULTS}/compare/finite_size_{key}.tsv" for key in FINITE_SIZE_TABLES},
        fits=f"{RESULTS}/compare/finite_size_fits.tsv",
    params:
        code=script_code("compare_finite_size"),
    log:
        f"{LOGS}/compare_finite_size.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_finite_size.py"


# Network classes of the verification grid against the mean-field regions: the share of points
# that agree away from the bifurcation curves.
rule compare_verification:
    input:
        chunks=lambda wildcards: expand(
            f"{RESULTS}/verification/g={{g}}/chunk_{{chunk}}.tsv",
            g=wildcards.g, chunk=range(len(verification_chunks(wildcards.g))),
        ),
        tables=expand(f"{RESULTS}/bifurcation/g={{{{g}}}}/{{table}}.csv", table=PHASE_TABLES),
    output:
        table=f"{RESULTS}/verification/g={{g}}/classes.tsv",
        summary=f"{RESULTS}/verification/g={{g}}/summary.json",
        starts=f"{RESULTS}/verification/g={{g}}/starts.tsv",
    params:
        settings=canonical(VERIFY) if VERIFY else {},
        delta=DELTA,
        tables=PHASE_TABLES,
        code=script_code("compare_verification"),
    log:
        f"{LOGS}/compare_verification/g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_verification.py"


# Network classes of a rhythm's verification grid against the mean-field attractors, the same
# protocol on the mean field itself, and the agreement away from a band around the Hopf curve.
rule compare_rhythm_verification:
    input:
        chunks=lambda wildcards: expand(
            rules.simulate_rhythm_verification.output.table,
            rhythm=wildcards.rhythm,
            key=wildcards.key,
            chunk=range(len(rhythm_verification_chunks(wildcards.rhythm, wildcards.key))),
        ),
        curve=rules.bifurcation_rhythm_curve.output.table,
    output:
        table=f"{RESULTS}/verification/rhythms/{{rhythm}}/{{key}}/classes.tsv",
        summary=f"{RESULTS}/verification/rhythms/{{rhythm}}/{{key}}/summary.json",
        starts=f"{RESULTS}/verification/rhythms/{{rhythm}}/{{key}}/starts.tsv",
        meanfield=f"{RESULTS}/verification/rhythms/{{rhythm}}/{{key}}/meanfield_classes.tsv",
    params:
        entry=lambda wildcards: RHYTHMS[wildcards.rhythm],
        code=script_code("compare_rhythm_verification"),
    log:
        f"{LOGS}/compare_rhythm_verification/{{rhythm}}/{{key}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_rhythm_verification.py"


# Sparse synchrony (science.md 7): the rhythm of network and mean field (Delta + gamma), the
# single-neuron rate against the rhythm's frequency and the ISI CV of the run of the figure.
rule compare_sparse_synchrony:
    input:
        network=lambda wildcards: rules.simulate_network.output.network.format(
            run=FIGURES["sparse_synchrony"]
        ),
        meanfield=lambda wildcards: rules.compare_run.output.meanfield.format(
            run=FIGURES["sparse_synchrony"]
        ),
    output:
        table=f"{RESULTS}/compare/sparse_synchrony.tsv",
    params:
        name=FIGURES.get("sparse_synchrony"),
        run=lambda wildcards: RUNS[FIGURES["sparse_synchrony"]],
        code=script_code("compare_sparse_synchrony"),
    resources:
        mem_mb=500,
        runtime=5,
    log:
        f"{LOGS}/compare_sparse_synchrony.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_sparse_synchrony.py"
