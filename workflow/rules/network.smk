# Stage 1: spiking network simulations (qifgap.network.simulate).


# Compiles the numba kernels once into the workflow's cache before parallel jobs start.
rule numba_warm_up:
    output:
        flag=f"{RESULTS}/.numba-cache/warm-up.{CODE['network']}.done",
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
        code=CODE["network"],
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
