"""Helpers of the Snakemake workflow: config validation, code hashes, the script harness.

Kept in the package (not in the Snakefile) so that they are tested like the rest of the code.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path

from . import experiments

__all__ = ["validate_config", "code_hash", "script_harness", "provenance", "ConfigError"]

ConfigError = experiments.ConfigError
PACKAGE_DIR = Path(__file__).resolve().parent


def _non_finite(obj, path=""):
    """Yield the key path of every NaN or ±inf number in a nested config."""
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from _non_finite(v, f"{path}.{k}" if path else str(k))
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from _non_finite(v, f"{path}[{i}]")
    elif isinstance(obj, float) and not math.isfinite(obj):
        yield path


def _error_path(error) -> str:
    parts = []
    for p in error.absolute_path:
        parts.append(f"[{p}]" if isinstance(p, int) else ("." if parts else "") + str(p))
    return "".join(parts) or "(top level)"


def _schema_message(error) -> str:
    """One line for a jsonschema error: the key path and what is wrong with it."""
    path = _error_path(error)
    if error.validator == "additionalProperties":
        import re

        patterns = list(error.schema.get("patternProperties", {}))
        extra = sorted(
            k
            for k in set(error.instance) - set(error.schema.get("properties", {}))
            if not any(re.search(p, k) for p in patterns)
        )
        if patterns:
            return f"{path}: invalid name(s) {extra}: names must match {patterns[0]}"
        return f"{path}: unknown key(s) {extra}"
    if error.validator == "anyOf" and all("required" in sub for sub in error.validator_value):
        options = " or ".join(repr(k) for sub in error.validator_value for k in sub["required"])
        return f"{path}: needs {options}"
    return f"{path}: {error.message}"


def validate_config(config: dict, schema_path) -> dict[str, dict]:
    """Validate a workflow config; return its resolved runs (see experiments.resolve_runs).

    Checks, in order: no NaN/inf anywhere, the JSON schema (types, bounds, required and
    unknown keys, name patterns; schema defaults are filled in), then every run with the
    library's own parameter checks. Raises ConfigError with one line naming the key.
    """
    bad = list(_non_finite(config))
    if bad:
        raise ConfigError(f"{bad[0]}: must be a finite number (NaN and infinity are not allowed)")
    import jsonschema
    import yaml

    schema = yaml.safe_load(Path(schema_path).read_text())
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = _with_defaults(validator_cls)(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: (len(e.absolute_path), e.path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ConfigError(_schema_message(best))
    # sweep points are experiments too: the grid values must pass the experiment schema
    point_schema = {"$ref": "#/$defs/experiment", "$defs": schema.get("$defs", {})}
    point_validator = validator_cls(point_schema)
    for sweep_name, sweep in config.get("sweeps", {}).items():
        points = experiments.expand_sweep(sweep_name, sweep, config["experiments"])
        for point_name, spec in points.items():
            spec = {k: v for k, v in spec.items() if k != "sweep"}
            spec.pop("template", None)
            error = jsonschema.exceptions.best_match(point_validator.iter_errors(spec))
            if error is not None:
                raise ConfigError(
                    f"sweeps.{sweep_name}.grid ({point_name}): {_schema_message(error)}"
                )
    runs = experiments.resolve_runs(config)
    for name, params in runs.items():
        experiments.check_run(
            f"experiments.{name}" if "/" not in name else f"sweeps.{name}", params
        )
    return runs


def _with_defaults(validator_cls):
    """A validator class that also fills in the schema's ``default`` values."""
    import jsonschema

    validate_properties = validator_cls.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for key, sub in properties.items():
                if isinstance(sub, dict) and "default" in sub and key not in instance:
                    instance[key] = sub["default"]
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_cls, {"properties": set_defaults})


def code_hash(*modules: str) -> str:
    """SHA-256 (first 16 hex digits) of the named package source files or folders.

    ``code_hash("kernels.py", "bifurcation")``: Snakemake's own code trigger does not see
    imported modules, so each rule gets this as a parameter and reruns when it changes.
    """
    h = hashlib.sha256()
    for name in modules:
        path = PACKAGE_DIR / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        if not files or not all(f.is_file() for f in files):
            raise FileNotFoundError(f"code_hash: no package source {name!r} in {PACKAGE_DIR}")
        for f in files:
            h.update(f.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


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


def provenance(snakemake) -> dict:
    """What made an output: package version, rule, wildcards and parameters (the resolved
    config entries), for embedding in figures."""
    from ._version import __version__

    params = {k: v for k, v in snakemake.params.items()}
    return {
        "qifgap_version": __version__,
        "rule": snakemake.rule,
        "wildcards": dict(snakemake.wildcards),
        "params": params,
    }
