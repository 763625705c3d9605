"""Result containers and their files: named fields, parameters and package version as metadata.

Files are written atomically: to a temporary file in the target directory, then renamed, so a
final path never holds a half-written result.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "TimeSeries",
    "NetworkResult",
    "atomic_path",
    "write_json",
    "write_npz",
    "load_timeseries",
]


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def atomic_path(path, suffix: str | None = None):
    """Yield a temporary path next to ``path``; rename it onto ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=suffix or "".join(path.suffixes) + ".tmp"
    )
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual mode
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_npz(path, arrays: dict) -> None:
    """Write arrays as a compressed ``.npz`` with fixed zip timestamps, atomically.

    ``numpy.savez_compressed`` stamps each member with the current time, so two identical
    results would differ in their bytes; this writer does not.
    """
    with atomic_path(path, suffix=".tmp.npz") as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, array in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.asarray(array), allow_pickle=False)
                zf.writestr(info, buf.getvalue())


def write_json(path, obj) -> None:
    """Write ``obj`` as indented JSON, atomically."""
    with atomic_path(path, suffix=".json.tmp") as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True, default=_json_default) + "\n")


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    raise TypeError(f"cannot serialise {type(obj)} to JSON")


@dataclass
class TimeSeries:
    """Population time series: rate r, mean voltage v and Kuramoto order parameter Z at times t.

    ``params`` holds every input of the run that made it and the package version.
    ``populations`` empty: one population, 1-D ``r``, ``v``, ``Z``; otherwise they are
    (time × P) arrays in that order and :meth:`population` gives one column.
    (Minimal per-population fields written on branch h3b-kernel; h3-populations owns this.)
    """

    t: np.ndarray
    r: np.ndarray
    v: np.ndarray
    Z: np.ndarray
    params: dict = field(default_factory=dict)
    populations: tuple[str, ...] = ()

    _arrays = ("t", "r", "v", "Z")

    def _column(self, name: str) -> int:
        if name not in self.populations:
            raise ValueError(f"unknown population {name!r} (known: {self.populations})")
        return self.populations.index(name)

    def population(self, name: str) -> TimeSeries:
        """The one-population view of population ``name`` (1-D ``r``, ``v``, ``Z``)."""
        k = self._column(name)
        return TimeSeries(
            t=self.t, r=self.r[:, k], v=self.v[:, k], Z=self.Z[:, k], params=self.params
        )

    def save(self, path) -> None:
        """Save as ``.npz`` (arrays plus a JSON ``params`` entry), atomically and reproducibly:
        the same result gives the same bytes."""
        arrays = {name: np.asarray(getattr(self, name)) for name in self._arrays}
        if self.populations:
            arrays["populations"] = np.array(self.populations, dtype=str)
            offsets = getattr(self, "population_offsets", None)
            if offsets is not None and len(offsets):
                arrays["population_offsets"] = np.asarray(offsets)
        arrays["params"] = np.array(json.dumps(self.params, sort_keys=True, default=_json_default))
        arrays["kind"] = np.array(type(self).__name__)
        write_npz(path, arrays)


@dataclass
class NetworkResult(TimeSeries):
    """Network time series (binned) plus the spikes of the recorded neurons.

    ``spike_times[k]`` is the emission time of the k-th recorded spike, ``spike_ids[k]`` the
    global index (0..N−1) of the neuron that fired it; ``raster_neurons`` lists the recorded
    indices. With populations, population k owns the global indices
    ``population_offsets[k] … population_offsets[k + 1] − 1``.
    """

    spike_times: np.ndarray = field(default_factory=lambda: np.empty(0))
    spike_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    raster_neurons: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    population_offsets: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    _arrays = ("t", "r", "v", "Z", "spike_times", "spike_ids", "raster_neurons")

    def population(self, name: str) -> NetworkResult:
        """The one-population view of ``name``, its spikes re-indexed to local indices."""
        k = self._column(name)
        lo, hi = self.population_offsets[k], self.population_offsets[k + 1]
        mine = (self.spike_ids >= lo) & (self.spike_ids < hi)
        watched = self.raster_neurons[(self.raster_neurons >= lo) & (self.raster_neurons < hi)]
        return NetworkResult(
            t=self.t, r=self.r[:, k], v=self.v[:, k], Z=self.Z[:, k], params=self.params,
            spike_times=self.spike_times[mine], spike_ids=self.spike_ids[mine] - lo,
            raster_neurons=watched - lo,
        )  # fmt: skip


def load_timeseries(path) -> TimeSeries:
    """Load a file written by :meth:`TimeSeries.save` (network or mean field)."""
    with np.load(path, allow_pickle=False) as data:
        kind = str(data["kind"]) if "kind" in data else "TimeSeries"
        cls = NetworkResult if kind == "NetworkResult" else TimeSeries
        arrays = {name: data[name] for name in cls._arrays}
        params = json.loads(str(data["params"]))
        if "populations" in data:
            arrays["populations"] = tuple(str(n) for n in data["populations"])
        if "population_offsets" in data:
            arrays["population_offsets"] = data["population_offsets"]
    return cls(**arrays, params=params)
