# Stage 4: network <-> mean-field comparison metrics (qifgap.metrics).


# One-row table of error metrics (RMSE, relative errors, periods, |Z|, spectra) for one run.
rule compare_run:
    input:
        network=network_file,
        meanfield=rules.integrate_meanfield.output.meanfield,
    output:
        table=f"{RESULTS}/compare/runs/{{run}}.tsv",
    params:
        run=run_params,
        code=CODE["compare"],
    resources:
        mem_mb=500,
        runtime=5,
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
        code=CODE["compare"],
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
        code=CODE["compare"],
    log:
        f"{LOGS}/compare_sweep/{{sweep}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/concat_tables.py"
