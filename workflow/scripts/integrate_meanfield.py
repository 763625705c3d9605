"""Integrate the mean field of one run on the network's time grid and save it."""

from qifgap import experiments
from qifgap.harness import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    experiments.run_meanfield(sm.params.run).save(sm.output.meanfield)
