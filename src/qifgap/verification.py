"""Spiking verification of the mean-field phase diagram: classify (η̄, J) points from the
network alone and compare with the mean-field regions.

Protocol at each point (one network run, time in units of τ):

1. *down*: a strong inhibitory current I = −10 for 3 τ, released over 3 τ, then I = 0 for
   ``hold`` τ: the network relaxes to its low-activity attractor (if there are several);
2. *up*: a pulse I = +10 for 1 τ, then I = 0 for ``hold`` τ: the network is pushed to its
   high-activity attractor.

The second half of each hold is classified as a fixed point or an oscillation (oscillation
amplitude of v, 2√2 std, above ``osc_threshold``). The two states give the class: both
oscillating → "oscillation"; exactly one → "oscillation + fixed point"; neither, with mean rates
that differ → "bistable"; otherwise "one stable state" — the labels of
:func:`qifgap.bifurcation.phase_diagram`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import bifurcation, network
from .inputs import Piecewise
from .metrics import rms_amplitude

__all__ = ["protocol", "grid_points", "classify_point", "verify_points", "compare_classes"]

KICK = 10.0


def protocol(hold: float) -> tuple[Piecewise, dict[str, tuple[float, float]]]:
    """The down/up current and the two classification windows {"down": (t0, t1), "up": …}."""
    t_down = 6.0 + hold
    t_up = t_down + 1.0 + hold
    eps = 1e-2
    current = Piecewise(
        times=(0.0, 3.0, 6.0, t_down, t_down + eps, t_down + 1.0, t_down + 1.0 + eps, t_up),
        values=(-KICK, -KICK, 0.0, 0.0, KICK, KICK, 0.0, 0.0),
        interpolate=True,
    )
    windows = {"down": (t_down - hold / 2, t_down), "up": (t_up - hold / 2, t_up)}
    return current, windows


def grid_points(eta, J) -> pd.DataFrame:
    """All (η̄, J) points of the grid given as {"min", "max", "n"} mappings, η̄ fastest."""
    etas = np.linspace(eta["min"], eta["max"], eta["n"])
    Js = np.linspace(J["min"], J["max"], J["n"])
    E, JJ = np.meshgrid(etas, Js)
    return pd.DataFrame({"eta_bar": E.ravel(), "J": JJ.ravel()})


def _state(result, window, osc_threshold):
    w = (result.t >= window[0]) & (result.t < window[1])
    amplitude = rms_amplitude(result.v[w])
    return {
        "mean_r": float(result.r[w].mean()),
        "amp_v": amplitude,
        "oscillating": bool(amplitude > osc_threshold),
    }


def classify_point(result, windows, *, osc_threshold=0.3, rate_contrast=0.25) -> dict:
    """Class of one network run of :func:`protocol` (see the module docstring)."""
    down = _state(result, windows["down"], osc_threshold)
    up = _state(result, windows["up"], osc_threshold)
    if down["oscillating"] and up["oscillating"]:
        label = "oscillation"
    elif down["oscillating"] or up["oscillating"]:
        label = "oscillation + fixed point"
    else:
        hi = max(down["mean_r"], up["mean_r"])
        differ = abs(up["mean_r"] - down["mean_r"]) > max(0.05, rate_contrast * hi)
        label = "bistable" if differ else "one stable state"
    return {
        "label_net": label,
        **{f"{k}_down": v for k, v in down.items()},
        **{f"{k}_up": v for k, v in up.items()},
    }


def verify_points(points: pd.DataFrame, *, g, delta=1.0, N=10_000, hold=12.0, dt=1e-4,
                  threads=1, osc_threshold=0.3) -> pd.DataFrame:  # fmt: skip
    """Run the protocol at every (η̄, J) row of ``points``; one row of classes per point."""
    current, windows = protocol(hold)
    t_end = max(w[1] for w in windows.values())
    rows = []
    for p in points.itertuples(index=False):
        result = network.simulate(
            N=N, eta_bar=p.eta_bar, delta=delta, J=p.J, g=g, t_end=t_end, dt=dt,
            current=current, raster_neurons=0, threads=threads,
        )  # fmt: skip
        rows.append({"eta_bar": p.eta_bar, "J": p.J, "g": g, "N": N,
                     **classify_point(result, windows, osc_threshold=osc_threshold)})  # fmt: skip
    return pd.DataFrame(rows)


def _curve_points(diagram) -> np.ndarray:
    parts = [diagram.saddle_nodes[["eta_bar", "J"]].to_numpy()]
    if len(diagram.hopf):
        # the Hopf line is straight: resample it densely
        h = diagram.hopf.sort_values("J")
        Js = np.linspace(h.J.min(), h.J.max(), 2000)
        parts.append(np.column_stack([np.interp(Js, h.J, h.eta_bar), Js]))
    if len(diagram.homoclinic):
        hom = diagram.homoclinic[["eta_bar", "J"]].to_numpy()
        dense = [np.linspace(a, b, 20) for a, b in zip(hom[:-1], hom[1:], strict=True)]
        parts.append(np.vstack(dense) if dense else hom)
    return np.vstack(parts)


def compare_classes(classes: pd.DataFrame, *, g, delta=1.0, band=0.75) -> tuple[pd.DataFrame, dict]:
    """Add the mean-field label and the distance to the nearest bifurcation curve to each
    point; return the table and a summary with the share of points whose network class
    agrees with the mean-field region, away from a band of width ``band`` (in units of Δ and
    √Δ) around the curves."""
    eta_range = (classes.eta_bar.min() - 1.0, classes.eta_bar.max() + 1.0)
    J_range = (classes.J.min() - 1.0, classes.J.max() + 1.0)
    diagram = bifurcation.phase_diagram(g, delta, eta_range=eta_range, J_range=J_range, n=2)
    out = classes.copy()
    out["label_mf"] = diagram.label(out.eta_bar.to_numpy(), out.J.to_numpy())
    curves = _curve_points(diagram)
    xy = out[["eta_bar", "J"]].to_numpy()
    dist = np.sqrt(((xy[:, None, :] - curves[None, :, :]) ** 2).sum(-1)).min(axis=1)
    out["distance"] = dist
    out["agree"] = out.label_net == out.label_mf
    away = out[out.distance > band]
    summary = {
        "g": g,
        "points": int(len(out)),
        "points_away_from_curves": int(len(away)),
        "band": band,
        "agreement_away": float(away.agree.mean()) if len(away) else math.nan,
        "agreement_all": float(out.agree.mean()),
        "confusion": {
            f"{mf} -> {net}": int(n)
            for (mf, net), n in away.groupby(["label_mf", "label_net"]).size().items()
        },
    }
    return out, summary
