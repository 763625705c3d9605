"""Simulate the network of one run and save it (npz with parameters and version)."""

from qifgap import experiments
from qifgap.harness import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    result = experiments.run_network(sm.params.run, threads=sm.threads)
    result.save(sm.output.network)
