"""Compile the numba kernels into the workflow's cache (NUMBA_CACHE_DIR) once."""

from qifgap import kernels
from qifgap.harness import script_harness
from qifgap.results import atomic_path

with script_harness(snakemake) as sm:  # noqa: F821
    kernels.warm_up()
    with atomic_path(sm.output.flag) as tmp:
        tmp.write_text("numba kernels compiled\n")
