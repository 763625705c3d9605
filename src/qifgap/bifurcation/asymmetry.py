"""How asymmetric spikes shift the onset of a rhythm (MP20 with populations, science.md §2, §6).

A population b whose neurons reset to V_r,b ≠ −V_p,b makes its gap junctions act as a virtual
chemical synapse g_ab κ_b τ_b r_b, κ_b = ln(V_p,b/|V_r,b|), in the voltage equation of every
population a it is coupled to. :func:`asymmetric_onsets` continues the equilibria of a model in
one parameter (e.g. ``g.I.I``) for several resets of one population and reports the Hopf onset
of the corrected equations (with κ_b) and of the uncorrected P19 equations (κ_b = 0, the onset
of the symmetric spike, whatever V_r,b is). Time in units of τ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as val
from ..populations import Model
from .equilibria import equilibria
from .system import from_model

__all__ = [
    "hopf_onset",
    "asymmetric_onsets",
    "rate_amplitude",
    "extrapolated_onset",
    "onset_estimates",
]


def hopf_onset(model: Model, parameter: str, start, stop, *, ds_max=0.05) -> dict:
    """The first Hopf point of ``model``'s equilibrium branch from ``start`` towards ``stop``:
    {parameter value, ω, l1} (ValueError naming the range if there is none)."""
    system = from_model(model, (parameter,))
    eq = equilibria(system, parameter, start, stop, ds_max=ds_max)
    if eq.hopf.empty:
        raise ValueError(f"start, stop: no Hopf point of {parameter} in [{start}, {stop}]")
    first = eq.hopf.iloc[int(np.argmin(np.abs(eq.hopf[parameter] - start)))]
    return {"onset": float(first[parameter]), "omega": float(first["omega"]),
            "l1": float(first["l1"])}  # fmt: skip


def asymmetric_onsets(
    model: Model, parameter: str, *, population: str, v_resets, start, stop, ds_max=0.05
) -> pd.DataFrame:
    """One row per reset V_r of ``population`` (its V_p as in ``model``): ``v_reset``, ``kappa``
    = ln(V_p/|V_r|), the Hopf onset of ``parameter`` of the corrected equations
    (``onset_corrected``, with ``omega``, ``l1``) and of the uncorrected ones
    (``onset_uncorrected``: κ = 0 for that population), and ``shift`` = corrected − uncorrected.
    """
    if not isinstance(model, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(model).__name__}")
    model.index(population)
    start = val.finite("start", start)
    stop = val.finite("stop", stop)
    resets = [val.negative("v_resets", v) for v in np.atleast_1d(v_resets)]
    if not resets:
        raise ValueError("v_resets: give at least one reset")
    key = f"populations.{population}.v_reset"
    symmetric = model.set(key, -model[population].v_peak)
    uncorrected = hopf_onset(symmetric, parameter, start, stop, ds_max=ds_max)["onset"]
    rows = []
    for v_reset in resets:
        m = model.set(key, v_reset)
        h = hopf_onset(m, parameter, start, stop, ds_max=ds_max)
        rows.append({"v_reset": v_reset, "kappa": m[population].kappa,
                     "onset_corrected": h["onset"], "onset_uncorrected": uncorrected,
                     "shift": h["onset"] - uncorrected, "omega": h["omega"],
                     "l1": h["l1"]})  # fmt: skip
    return pd.DataFrame(rows)


def rate_amplitude(t, r, *, t_min, smooth=0.3) -> float:
    """The standard deviation of the rate r(t) for t ≥ t_min after a moving average over
    ``smooth`` (τ): the size of a collective rhythm, with most of a finite network's binning
    noise removed (its variance ≈ r/(N smooth), 0.04² at N = 500; a rhythm of period T loses
    the factor sinc(smooth/T), 0.98 for the E–I period 2.8 τ — the mean field alike)."""
    t = np.asarray(t, dtype=float)
    r = np.asarray(r, dtype=float)
    t_min = val.finite("t_min", t_min)
    late = t >= t_min
    if np.count_nonzero(late) < 2:
        raise ValueError(f"t_min: fewer than 2 samples after {t_min}")
    x = r[late]
    width = int(round(val.non_negative("smooth", smooth) / float(np.median(np.diff(t[late])))))
    if width > 1:
        x = np.convolve(x, np.ones(width) / width, mode="valid")
    return float(np.std(x))


def extrapolated_onset(values, amplitudes) -> float:
    """Where the least-squares line through (λ, A²) crosses A = 0: near a supercritical Hopf
    point A² grows linearly with λ − λ*, so this estimates the onset λ* from rhythms above it
    (biased by the curvature of A² further away; compare estimates made the same way)."""
    lam = np.asarray(values, dtype=float)
    a2 = np.asarray(amplitudes, dtype=float) ** 2
    if lam.size < 2 or np.unique(lam).size < 2:
        raise ValueError("values: give at least two different parameter values")
    slope, intercept = np.polyfit(lam, a2, 1)
    if slope <= 0:
        raise ValueError("amplitudes: A² does not grow with the parameter (no onset below)")
    return float(-intercept / slope)


def onset_estimates(runs: pd.DataFrame, parameter: str, columns=("net", "mf", "p19")):
    """Per ``v_reset`` of ``runs`` (one row per run: v_reset, the parameter and an amplitude
    column ``amplitude_<c>`` per c of ``columns``), the extrapolated onset of each
    (:func:`extrapolated_onset`): columns ``v_reset``, ``onset_<c>``."""
    rows = []
    for v_reset, part in runs.groupby("v_reset", sort=False):
        row = {"v_reset": float(v_reset)}
        for c in columns:
            row[f"onset_{c}"] = extrapolated_onset(part[parameter], part[f"amplitude_{c}"])
        rows.append(row)
    return pd.DataFrame(rows)
