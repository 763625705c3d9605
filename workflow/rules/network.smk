# Stage 1: spiking network simulations (qifgap.network.simulate).


# Compiles the numba kernels once into the workflow's cache before parallel jobs start.
rule numba_warm_up:
    output:
        flag=f"{RESULTS}/.numba-cache/warm-up.{script_code('numba_warm_up')}.done",
    log:
        f"{LOGS}/numba_warm_up.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/numba_warm_up.py"


# Simulates the network of one run (experiment or sweep point); binned r, v, Z and spikes.
rule simulate_network:
    input:
        warm_up=rules.numba_warm_up.output.flag,
    output:
        network=f"{RESULTS}/network/{{run}}.npz",
    params:
        run=run_params,
        code=script_code("simulate_network"),
    threads: network_threads
    resources:
        mem_mb=lambda wildcards, threads: network_resources(wildcards, threads)["mem_mb"],
        runtime=lambda wildcards, threads: network_resources(wildcards, threads)["runtime"],
    log:
        f"{LOGS}/simulate_network/{{run}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/simulate_network/{{run}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/simulate_network.py"


# Spiking verification: one network run from each mean-field attractor of every point of one
# chunk of the (eta_bar, J) grid (qifgap.verification; many short jobs: grouped on clusters).
rule simulate_verification:
    input:
        warm_up=rules.numba_warm_up.output.flag,
    output:
        table=f"{RESULTS}/verification/g={{g}}/chunk_{{chunk}}.tsv",
    params:
        points=lambda wildcards: verification_chunks(wildcards.g)[int(wildcards.chunk)].to_dict(
            "list"
        ),
        settings=canonical(VERIFY) if VERIFY else {},
        delta=DELTA,
        code=script_code("simulate_verification"),
    threads: 1
    resources:
        mem_mb=600,
        runtime=lambda wildcards: max(5, int(VERIFY["chunk"] * VERIFY["N"] * 1e-5) + 5),
    group:
        "network_sweep"
    log:
        f"{LOGS}/simulate_verification/g={{g}}/chunk_{{chunk}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/simulate_verification/g={{g}}/chunk_{{chunk}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/simulate_verification.py"


# Spiking verification of a rhythm's Hopf curve (config rhythms.<name>.verification): one
# network run from each mean-field attractor of every point of one chunk of the (parameter,
# key) grid (qifgap.verification.verify_model_points).
rule simulate_rhythm_verification:
    input:
        warm_up=rules.numba_warm_up.output.flag,
    output:
        table=f"{RESULTS}/verification/rhythms/{{rhythm}}/{{key}}/chunk_{{chunk}}.tsv",
    params:
        points=lambda wildcards: rhythm_verification_chunks(wildcards.rhythm, wildcards.key)[
            int(wildcards.chunk)
        ].to_dict("list"),
        entry=lambda wildcards: RHYTHMS[wildcards.rhythm],
        code=script_code("simulate_rhythm_verification"),
    threads: 1
    resources:
        mem_mb=600,
        runtime=lambda wildcards: rhythm_verification_runtime(wildcards.rhythm),
    group:
        "network_sweep"
    log:
        f"{LOGS}/simulate_rhythm_verification/{{rhythm}}/{{key}}/chunk_{{chunk}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/simulate_rhythm_verification/{{rhythm}}/{{key}}/chunk_{{chunk}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/simulate_rhythm_verification.py"
