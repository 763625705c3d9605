"""The harness every workflow script runs in: its log file and its number of numba threads.

It changes no number in any output (only where messages go and how many threads share the
work), so the workflow's code hashes leave it out (see ``qifgap.workflow.NOT_HASHED``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from pathlib import Path

__all__ = ["script_harness"]


@contextlib.contextmanager
def script_harness(snakemake):
    """Run a workflow script: log to its ``log:`` file, use exactly its ``threads``.

    Standard output and error (and the ``logging`` root logger) go to the job's log. An
    exception is written there with its traceback and reported on the terminal as one line
    (rule, wildcards, message); the script then exits with status 1, so that Snakemake marks
    the job failed and removes its outputs.
    """
    log_path = Path(snakemake.log[0]) if len(snakemake.log) else None
    stream = open(log_path, "w") if log_path else sys.stderr  # noqa: SIM115
    threads = int(getattr(snakemake, "threads", 1) or 1)
    # numba (~0.2 s to import) only where a job uses it: the package's one parallel kernel runs
    # in network.simulate, which sets numba's thread count from its ``threads`` (the job's);
    # a script that loaded numba before the harness gets it capped here as well
    if "numba" in sys.modules:
        from . import kernels

        kernels.set_threads(min(threads, kernels.numba.config.NUMBA_NUM_THREADS))
    logging.basicConfig(stream=stream, level=logging.INFO, force=True)
    try:
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            print(
                f"rule {snakemake.rule}, wildcards {dict(snakemake.wildcards)}, threads {threads}"
            )
            print(f"NUMBA_CACHE_DIR={os.environ.get('NUMBA_CACHE_DIR')}")
            yield snakemake
    except Exception as exc:
        stream.write(traceback.format_exc())
        stream.flush()
        # one clear line for the user; the traceback stays in the log
        where = ", ".join(f"{k}={v}" for k, v in dict(snakemake.wildcards).items())
        sys.stderr.write(
            f"error in rule {snakemake.rule} ({where}): {type(exc).__name__}: {exc}"
            f"{f' [log: {log_path}]' if log_path else ''}\n"
        )
        raise SystemExit(1) from None
    finally:
        if stream is not sys.stderr:
            stream.close()
