# Stage 2: the exact mean field of the same protocols (qifgap.meanfield.integrate).


# Integrates the firing-rate equations of one run on the network's output times.
rule integrate_meanfield:
    output:
        meanfield=f"{RESULTS}/meanfield/{{run}}.npz",
    params:
        run=run_params,
        code=script_code("integrate_meanfield"),
    resources:
        mem_mb=500,
        runtime=10,
    log:
        f"{LOGS}/integrate_meanfield/{{run}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/integrate_meanfield/{{run}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/integrate_meanfield.py"
