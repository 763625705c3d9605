"""Helpers of the Snakemake workflow: config validation and the code hashes of its rules.

Kept in the package (not in the Snakefile) so that they are tested like the rest of the code.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import math
from collections.abc import Mapping
from pathlib import Path

from . import experiments
from .defaults import NETWORK

__all__ = [
    "validate_config",
    "module_closure",
    "code_hash",
    "numba_code_hash",
    "NOT_HASHED",
    "ConfigError",
]

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
    _check_figure_references(config.get("figures", {}), runs, config.get("sweeps", {}))
    _check_sparse_synchrony(config.get("figures", {}), runs)
    _check_verification(config.get("verification"), config["bifurcation"])
    return runs


def _check_verification(verification: Mapping | None, bif: Mapping) -> None:
    """Every verified g has a phase diagram (bifurcation.g), every zoom a verified g."""
    if not verification:
        return
    for i, g in enumerate(verification["g"]):
        if g not in bif["g"]:
            raise ConfigError(f"verification.g[{i}]: {g} is not one of bifurcation.g {bif['g']}")
    for i, zoom in enumerate(verification.get("zoom", [])):
        if zoom["g"] not in verification["g"]:
            raise ConfigError(
                f"verification.zoom[{i}].g: {zoom['g']} is not one of verification.g "
                f"{verification['g']}"
            )


def _check_sparse_synchrony(figures: Mapping, runs: Mapping) -> None:
    """The run of the sparse-synchrony figure records spikes: its single-neuron statistics
    need a raster (network.raster_neurons >= 1)."""
    name = figures.get("sparse_synchrony")
    if name is None:
        return
    if not runs[name].get("network", {}).get("raster_neurons", NETWORK["raster_neurons"]):
        raise ConfigError(
            f"figures.sparse_synchrony: run {name!r} records no spikes "
            "(network.raster_neurons must be >= 1)"
        )


# what each entry of the config's figures section names: runs or sweeps
_FIGURE_REFERENCES = {
    "protocols": "run",
    "coupling": "run",
    "onset": "sweep",
    "hysteresis.sweep": "sweep",
    "hysteresis.fast_sweep": "sweep",
    "asymmetry": "run",
    "finite_size": "sweep",
    "ei_gap": "sweep",
    "sparse_synchrony": "run",
}


# figures drawn for any model; ei_gap needs population runs, all others one population
_ANY_MODEL = {"protocols"}
_POPULATION_FIGURES = {"ei_gap"}


def _check_model_kind(where: str, key: str, kind: str, name: str, runs: Mapping) -> None:
    """A figure's runs have the model it draws: one population, or populations (ei_gap)."""
    head = key.partition(".")[0]
    if head in _ANY_MODEL:
        return
    named = [name] if kind == "run" else [r for r in runs if r.startswith(f"{name}/")]
    want = head in _POPULATION_FIGURES
    for run in named:
        if experiments.is_population_run(runs[run]) != want:
            need = "a population experiment" if want else "one-population runs"
            raise ConfigError(f"figures.{where}: {kind} {name!r}: this figure needs {need}")


def _check_figure_references(figures: Mapping, runs: Mapping, sweeps: Mapping) -> None:
    """Every run or sweep that the figures section names exists (else a job would fail) and
    has the model its figure draws."""
    known = {"run": runs, "sweep": sweeps}
    for key, kind in _FIGURE_REFERENCES.items():
        head, _, leaf = key.partition(".")
        if head not in figures or (leaf and leaf not in figures[head]):
            continue
        value = figures[head][leaf] if leaf else figures[head]
        if isinstance(value, Mapping):  # {panel: [runs]} or {table: sweep}
            named = [(f"{key}.{k}", v) for k, v in value.items()]
        else:
            named = [(key, value)]
        for path, names in named:
            for i, name in enumerate([names] if isinstance(names, str) else names):
                where = path if isinstance(names, str) else f"{path}[{i}]"
                if name not in known[kind]:
                    raise ConfigError(f"figures.{where}: unknown {kind} {name!r}")
                _check_model_kind(where, key, kind, name, runs)


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


NOT_HASHED = {
    "qifgap.harness": "the job's log file and numba thread count: changes no number in any output",
}
"""Package modules left out of the code hashes (and not followed further), with the reason."""


def _module_file(module: str, package_dir: Path) -> Path | None:
    """The source file of a package module (``qifgap.a.b`` → ``a/b.py`` or ``a/b/__init__.py``)."""
    parts = module.split(".")[1:]
    base = package_dir.joinpath(*parts)
    for candidate in (base / "__init__.py", base.with_suffix(".py") if parts else None):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _imported_modules(source: Path, module: str | None, package: str) -> frozenset[str]:
    """The ``package`` modules that the file ``source`` (module name ``module``, ``None`` for a
    script) imports anywhere in its body, functions included. ``from X import y`` counts
    ``X.y`` too (kept by the caller only if it is a module); importing a submodule imports
    its parents. Parsed once per file version (a workflow hashes ~40 scripts that share the
    package's modules: 5.9 s unmemoised, every snakemake start)."""
    stat = source.stat()
    return _parsed_imports(str(source), stat.st_mtime_ns, stat.st_size, module, package)


@functools.lru_cache(maxsize=1024)
def _parsed_imports(
    source: str, mtime_ns: int, size: int, module: str | None, package: str
) -> frozenset[str]:
    """:func:`_imported_modules` of one version (``mtime_ns``, ``size``) of a file."""
    source = Path(source)
    tree = ast.parse(source.read_bytes(), filename=str(source))
    is_package = source.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if module is None:
                    continue
                parts = module.split(".")
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join(parts[:keep] + ([node.module] if node.module else []))
            else:
                base = node.module
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == package:
                found.update(".".join(parts[: k + 1]) for k in range(len(parts)))
    return frozenset(found)


def _closure(starts, package_dir: Path) -> dict[str, Path]:
    """The package modules imported, at any depth, from the files ``starts`` (pairs of a
    source file and its module name, ``None`` for a script)."""
    package = package_dir.name
    closure: dict[str, Path] = {}
    todo = list(starts)
    while todo:
        source, module = todo.pop()
        for name in _imported_modules(source, module, package):
            if name in closure or name in NOT_HASHED:
                continue
            path = _module_file(name, package_dir)
            if path is not None:  # else a name imported from a module, not a module
                closure[name] = path
                todo.append((path, name))
    return dict(sorted(closure.items()))


def module_closure(script, package_dir=PACKAGE_DIR) -> dict[str, Path]:
    """Every module of the package in ``package_dir`` that ``script`` imports, directly or
    through other package modules, at any depth (imports inside functions count): ``{module
    name: source file}``. A package counts with its ``__init__``; :data:`NOT_HASHED` modules
    are left out and not followed."""
    return _closure([(Path(script), None)], Path(package_dir))


def _hash(closure: Mapping[str, Path]) -> str:
    """SHA-256 (first 16 hex digits) of the module names and source files of a closure."""
    h = hashlib.sha256()
    for name, path in closure.items():
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def code_hash(script, package_dir=PACKAGE_DIR) -> str:
    """SHA-256 (first 16 hex digits) of the source files of :func:`module_closure`.

    Snakemake's code trigger sees only the script file itself; each rule gets this hash as a
    parameter, so it reruns exactly when package code its script runs changes.
    """
    return _hash(module_closure(script, package_dir))


def numba_code_hash(package_dir=PACKAGE_DIR) -> str:
    """Hash of every package module that compiles numba functions and of the modules they
    import, at any depth: the key of a numba cache directory.

    numba keys a cached function by its own file only (path, mtime, size), so a function
    that inlines code of another module (the network kernel inlines the noise generator of
    noise.py) would load stale machine code after an edit of that other module alone; a cache
    directory named by this hash starts empty whenever any of that code changes.
    """
    package_dir = Path(package_dir)
    starts = []
    for path in sorted(package_dir.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "import numba" in text or "from numba" in text:
            parts = path.relative_to(package_dir).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            starts.append((path, ".".join((package_dir.name, *parts))))
    closure = _closure(starts, package_dir)
    closure.update({module: path for path, module in starts})
    return _hash(dict(sorted(closure.items())))
