"""Spiking verification of the mean-field phase diagram, attractor by attractor.

At each (η̄, J) point of a grid (time in units of τ, τ = 1):

1. the attractors of the mean field there (:func:`attractors`): its stable fixed points (closed
   form, :func:`qifgap.bifurcation.fixed_points`) and its stable limit cycles, found by
   integrating the firing-rate equations from every unstable fixed point (perturbed), along both
   branches of the saddle's unstable manifold and from a high-activity start;
2. one network run of ``hold`` τ from each attractor: the voltages start as a Lorentzian with
   the attractor's centre v and half-width π τ r (:func:`lorentzian_voltages`), so the network's
   (r, v) starts on it;
3. the second half of each run is classified (:func:`classify_run`): an oscillation if the
   oscillation amplitude of v (2√2 std) exceeds ``osc_threshold``, otherwise the stable fixed
   point nearest in ln r; the run *stays* if it ends in the attractor it started in;
4. the point's class is the set of end states (:func:`combine`): a cycle and a fixed point →
   "oscillation + fixed point", a cycle alone → "oscillation", two fixed points → "bistable",
   one → "one stable state": the region labels of :func:`qifgap.bifurcation.phase_diagram`.

The same protocol run on the mean field itself (:func:`meanfield_starts`) must reproduce the
phase diagram's labels: a protocol that cannot see a region in the exact model is a bug.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate as val
from . import bifurcation, network
from .metrics import rms_amplitude
from .model import jacobian, rhs

__all__ = [
    "Attractor",
    "grid_points",
    "attractors",
    "attractors_grid",
    "lorentzian_voltages",
    "window_state",
    "classify_run",
    "combine",
    "verify_points",
    "meanfield_starts",
    "classes_from_starts",
    "diagram_from_tables",
    "compare_classes",
]

OSCILLATION = "oscillation"
COEXISTENCE = ("bistable", "oscillation + fixed point")
CYCLE_THRESHOLD = 1e-3  # amplitude of v that counts as a cycle in the (noise-free) mean field


@dataclass(frozen=True)
class Attractor:
    """An attractor of the mean field: ``kind`` ("fixed point" when it is the only stable one,
    else "fixed point low"/"fixed point high", or "oscillation"); (r, v) the state a run starts
    from (the fixed point, or a point on the cycle); r_min, r_max the range of r on it."""

    kind: str
    r: float
    v: float
    r_min: float
    r_max: float


def grid_points(eta, J) -> pd.DataFrame:
    """All (η̄, J) points of the grid given as {"min", "max", "n"} mappings, η̄ fastest."""
    etas = np.linspace(eta["min"], eta["max"], eta["n"])
    Js = np.linspace(J["min"], J["max"], J["n"])
    E, JJ = np.meshgrid(etas, Js)
    return pd.DataFrame({"eta_bar": E.ravel(), "J": JJ.ravel()})


def _rk4(r, v, *, eta_bar, J, g, delta, t_end, dt, t_record):
    """Classical RK4 of :func:`qifgap.model.rhs` for many states at once (arrays broadcast),
    from t = 0 to t_end; returns (r, v) sampled every ~0.02 τ on [t_end − t_record, t_end],
    shape (n_samples, n_states). Diverging states become NaN."""
    r = np.array(r, dtype=float)
    v = np.array(v, dtype=float)
    eta_bar, J = np.broadcast_to(eta_bar, r.shape), np.broadcast_to(J, r.shape)
    n = int(round(t_end / dt))
    start = n - int(round(t_record / dt))
    stride = max(1, int(round(0.02 / dt)))
    kw = {"eta_bar": eta_bar, "delta": delta, "J": J, "g": g}
    rs, vs = [], []
    with np.errstate(all="ignore"):
        for k in range(n + 1):
            if k >= start and (k - start) % stride == 0:
                rs.append(r.copy())
                vs.append(v.copy())
            if k == n:
                break
            k1 = rhs(r, v, **kw)
            k2 = rhs(r + 0.5 * dt * k1[0], v + 0.5 * dt * k1[1], **kw)
            k3 = rhs(r + 0.5 * dt * k2[0], v + 0.5 * dt * k2[1], **kw)
            k4 = rhs(r + dt * k3[0], v + dt * k3[1], **kw)
            r = r + dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
            v = v + dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
            bad = ~np.isfinite(r) | ~np.isfinite(v) | (np.abs(v) > 1e6)
            r[bad], v[bad] = np.nan, np.nan
    return np.array(rs), np.array(vs)


def _cycle_starts(fps, *, J, g) -> list[tuple[float, float]]:
    """Starts from which the flow reaches any stable cycle: the unstable fixed points (perturbed
    by 5 % in r), both branches of the saddle's unstable manifold, and a high-activity state."""
    starts = []
    for fp in fps:
        if fp.stability == "saddle":
            lam, vec = np.linalg.eig(jacobian(fp.r, fp.v, J=J, g=g))
            u = np.real(vec[:, int(np.argmax(lam.real))])
            u = u / np.hypot(*u)
            step = 0.05 * fp.r
            starts += [(fp.r + s * step * u[0], fp.v + s * step * u[1]) for s in (1, -1)]
        elif not fp.stable:
            starts.append((1.05 * fp.r, fp.v))
    starts.append((3.0 * max(f.r for f in fps), 0.0))
    return [(max(r, 1e-6), v) for r, v in starts]


def _fixed_point_attractors(fps) -> list[Attractor]:
    stable = [f for f in fps if f.stable]
    if len(stable) == 1:
        names = ["fixed point"]
    else:
        names = ["fixed point low", "fixed point high"][: len(stable)]
    return [Attractor(n, f.r, f.v, f.r, f.r) for n, f in zip(names, stable, strict=True)]


def attractors_grid(points: pd.DataFrame, *, g, delta, t_find=100.0, dt=5e-3) -> list:
    """:func:`attractors` at every (η̄, J) row of ``points`` (one vectorised integration)."""
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    t_find = val.positive("t_find", t_find)
    dt = val.positive("dt", dt)
    fps_all, owner, starts = [], [], []
    for k, p in enumerate(points.itertuples(index=False)):
        fps = bifurcation.fixed_points(eta_bar=p.eta_bar, J=p.J, g=g, delta=delta)
        fps_all.append(fps)
        for s in _cycle_starts(fps, J=p.J, g=g):
            owner.append(k)
            starts.append((p.eta_bar, p.J, *s))
    found: list[list[Attractor]] = [_fixed_point_attractors(f) for f in fps_all]
    if not starts:
        return found
    eta, Jv, r0, v0 = (np.array(c) for c in zip(*starts, strict=True))
    t_record = min(40.0, 0.5 * t_find)
    rs, vs = _rk4(r0, v0, eta_bar=eta, J=Jv, g=g, delta=delta, t_end=t_find, dt=dt,
                  t_record=t_record)  # fmt: skip
    half = rs.shape[0] // 2
    for j, k in enumerate(owner):
        r, v = rs[:, j], vs[:, j]
        if not np.all(np.isfinite(r)):
            continue
        amp_early, amp_late = rms_amplitude(v[:half]), rms_amplitude(v[half:])
        if amp_late < CYCLE_THRESHOLD or amp_late < 0.9 * amp_early:
            continue  # converged to (or still decaying towards) a fixed point
        cycle = Attractor(OSCILLATION, float(r[-1]), float(v[-1]), float(r.min()), float(r.max()))
        if not any(
            a.kind == OSCILLATION and abs(a.r_max - cycle.r_max) < 0.02 * cycle.r_max
            for a in found[k]
        ):
            found[k].append(cycle)
    return found


def attractors(*, eta_bar, J, g, delta, t_find=100.0, dt=5e-3) -> list[Attractor]:
    """The attractors of the mean field at (η̄, J, g, Δ): stable fixed points (closed form) and
    stable cycles (RK4 with step ``dt`` for ``t_find`` τ from the starts of the module
    docstring; a start whose oscillation amplitude of v over the last 20 τ is above 10⁻³ and
    not decaying lies on a cycle)."""
    eta_bar = val.finite("eta_bar", eta_bar)
    J = val.finite("J", J)
    points = pd.DataFrame({"eta_bar": [eta_bar], "J": [J]})
    return attractors_grid(points, g=g, delta=delta, t_find=t_find, dt=dt)[0]


def lorentzian_voltages(*, N, r, v, tau=1.0, v_peak=100.0, v_reset=-100.0) -> np.ndarray:
    """N voltages from the Lorentzian with centre v and half-width π τ r, the state of the mean
    field (r, v): quantiles V_k = v + π τ r tan[(π/2)(2k − N − 1)/(N + 1)], clipped to
    [V_r, V_p).

    The quantiles are dealt to the neurons in a scrambled order (k = 1 + (j·s mod N) with s
    coprime to N near 0.618 N), so the voltages are uncorrelated with the excitabilities (which
    increase with j): every η̄ slice has the same Lorentzian, a state on the Ott–Antonsen
    manifold, from which the mean field is exact.
    """
    N = val.positive_int("N", N)
    r = val.positive("r", r)
    v = val.finite("v", v)
    tau = val.positive("tau", tau)
    k = np.arange(1, N + 1)
    quantiles = v + math.pi * tau * r * np.tan(0.5 * math.pi * (2 * k - N - 1) / (N + 1))
    s = max(1, int(round(0.6180339887 * N)))
    while math.gcd(s, N) != 1:
        s += 1
    order = (np.arange(N) * s) % N
    return np.clip(quantiles[order], v_reset, np.nextafter(v_peak, -np.inf))


def window_state(t, r, v, *, t_min) -> dict:
    """Mean rate and oscillation amplitude of v (2√2 std) of a run on t ≥ t_min."""
    t, r, v = (np.asarray(a, dtype=float) for a in (t, r, v))
    w = t >= t_min
    if w.sum() < 2:
        raise ValueError(f"t_min ({t_min}) leaves fewer than two samples")
    return {"mean_r": float(r[w].mean()), "amp_v": rms_amplitude(v[w])}


def classify_run(t, r, v, *, found, start, osc_threshold=0.3, rate_tolerance=0.5) -> dict:
    """Classify the second half of a run started in the attractor ``start`` (a kind of
    ``found``, the mean-field attractors of its point).

    End state: "oscillation" if the oscillation amplitude of v exceeds ``osc_threshold``; else
    the fixed point of ``found`` nearest in ln r, if within ``rate_tolerance`` of it, else
    "other fixed point". The run stays if it ends in ``start``.
    """
    t = np.asarray(t, dtype=float)
    state = window_state(t, r, v, t_min=0.5 * (t[0] + t[-1]))
    fixed = [a for a in found if a.kind != OSCILLATION]
    if state["amp_v"] > osc_threshold:
        end = OSCILLATION
    elif not fixed or not state["mean_r"] > 0:
        end = "other fixed point"
    else:
        dist = [abs(math.log(state["mean_r"] / a.r)) for a in fixed]
        k = int(np.argmin(dist))
        end = fixed[k].kind if dist[k] < rate_tolerance else "other fixed point"
    return {"end": end, "stays": end == start, **state}


def combine(ends) -> str:
    """The region label of a set of end states (see the module docstring)."""
    ends = set(ends)
    cycle = OSCILLATION in ends
    n_fixed = len(ends - {OSCILLATION})
    if cycle:
        return "oscillation + fixed point" if n_fixed else "oscillation"
    return "bistable" if n_fixed >= 2 else "one stable state"


def _start_row(p, g, delta, N, a: Attractor, run: dict) -> dict:
    return {"eta_bar": p.eta_bar, "J": p.J, "g": g, "delta": delta, "N": N, "start": a.kind,
            "start_r": a.r, "start_v": a.v, "start_r_min": a.r_min, "start_r_max": a.r_max,
            **run}  # fmt: skip


def verify_points(points: pd.DataFrame, *, g, delta, N=10_000, hold=12.0, dt=1e-4, threads=1,
                  osc_threshold=0.3) -> pd.DataFrame:  # fmt: skip
    """One network run of ``hold`` τ from each mean-field attractor of every (η̄, J) row of
    ``points``; one row per start (columns of :func:`classify_run` and the start)."""
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    N = val.positive_int("N", N)
    hold = val.positive("hold", hold)
    osc_threshold = val.positive("osc_threshold", osc_threshold)
    rows = []
    for p, found in zip(points.itertuples(index=False), attractors_grid(points, g=g, delta=delta),
                        strict=True):  # fmt: skip
        for a in found:
            result = network.simulate(
                N=N, eta_bar=p.eta_bar, delta=delta, J=p.J, g=g, t_end=hold, dt=dt,
                v_init=lorentzian_voltages(N=N, r=a.r, v=a.v), raster_neurons=0, threads=threads,
            )  # fmt: skip
            run = classify_run(result.t, result.r, result.v, found=found, start=a.kind,
                               osc_threshold=osc_threshold)  # fmt: skip
            rows.append(_start_row(p, g, delta, N, a, run))
    return pd.DataFrame(rows)


def meanfield_starts(points: pd.DataFrame, *, g, delta, hold=12.0, dt=5e-3,
                     osc_threshold=CYCLE_THRESHOLD * 10) -> pd.DataFrame:  # fmt: skip
    """The protocol of :func:`verify_points` run on the mean field itself (RK4, step ``dt``;
    the start of each run is the attractor's (r, v)); N is reported as 0."""
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    hold = val.positive("hold", hold)
    found_all = attractors_grid(points, g=g, delta=delta)
    starts = [(p, a, found) for p, found in zip(points.itertuples(index=False), found_all,
                                                strict=True) for a in found]  # fmt: skip
    if not starts:
        return pd.DataFrame()
    eta = np.array([p.eta_bar for p, _, _ in starts])
    Jv = np.array([p.J for p, _, _ in starts])
    r0 = np.array([a.r for _, a, _ in starts])
    v0 = np.array([a.v for _, a, _ in starts])
    rs, vs = _rk4(r0, v0, eta_bar=eta, J=Jv, g=g, delta=delta, t_end=hold, dt=dt,
                  t_record=hold)  # fmt: skip
    t = np.linspace(0.0, hold, rs.shape[0])
    rows = []
    for j, (p, a, found) in enumerate(starts):
        run = classify_run(t, rs[:, j], vs[:, j], found=found, start=a.kind,
                           osc_threshold=osc_threshold)  # fmt: skip
        rows.append(_start_row(p, g, delta, 0, a, run))
    return pd.DataFrame(rows)


def classes_from_starts(starts: pd.DataFrame) -> pd.DataFrame:
    """One row per (η̄, J) point from the per-start table: the mean-field attractors started
    from, the end states, how many runs stayed, and the class ``label`` (:func:`combine`)."""
    rows = []
    for (eta, J), group in starts.groupby(["eta_bar", "J"], sort=False):
        rows.append({
            "eta_bar": eta, "J": J, "g": group.g.iloc[0], "N": group.N.iloc[0],
            "attractors_mf": "|".join(group.start), "ends": "|".join(group.end),
            "n_starts": len(group), "n_stayed": int(group.stays.sum()),
            "label": combine(group.end),
        })  # fmt: skip
    return pd.DataFrame(rows)


def _snic_intervals(saddle_nodes: pd.DataFrame) -> list[tuple[float, float]]:
    """J intervals of the low fold marked SNIC in a saddle_nodes table (contiguous runs)."""
    if "snic" not in saddle_nodes or not len(saddle_nodes):
        return []
    low = saddle_nodes[saddle_nodes.branch == "low"].sort_values("J")
    snic = low.snic.astype(str).str.lower().isin(("true", "1")).to_numpy()
    J = low.J.to_numpy()
    out, start = [], None
    for k, on in enumerate(snic):
        if on and start is None:
            start = J[k]
        if not on and start is not None:
            out.append((float(start), float(J[k - 1])))
            start = None
    if start is not None:
        out.append((float(start), float(J[-1])))
    return out


def diagram_from_tables(tables, *, g, delta) -> bifurcation.PhaseDiagram:
    """The :class:`qifgap.bifurcation.PhaseDiagram` of the tables written by the workflow
    (``results/bifurcation/g=<g>/{saddle_nodes,hopf,homoclinic,points,regions}.csv``), so its
    labels and curves are used instead of computed again."""
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    missing = {"saddle_nodes", "hopf", "homoclinic", "points", "regions"} - set(tables)
    if missing:
        raise ValueError(f"tables must hold {sorted(missing)}")
    regions = tables["regions"]
    return bifurcation.PhaseDiagram(
        g=g, delta=delta,
        eta_range=(float(regions.eta_bar.min()), float(regions.eta_bar.max())),
        J_range=(float(regions.J.min()), float(regions.J.max())),
        saddle_nodes=tables["saddle_nodes"], hopf=tables["hopf"],
        homoclinic=tables["homoclinic"], points=tables["points"], regions=regions,
        snic_intervals=_snic_intervals(tables["saddle_nodes"]),
    )  # fmt: skip


def _curve_points(diagram) -> np.ndarray:
    parts = [diagram.saddle_nodes[["eta_bar", "J"]].to_numpy()]
    if len(diagram.hopf):
        # the Hopf line is straight: resample it densely
        h = diagram.hopf.sort_values("J")
        Js = np.linspace(h.J.min(), h.J.max(), 2000)
        parts.append(np.column_stack([np.interp(Js, h.J, h.eta_bar), Js]))
    hom_all = diagram.homoclinic
    groups = hom_all.groupby("curve") if "curve" in hom_all else [(0, hom_all)]
    for _, hom in groups:
        xy = hom[["eta_bar", "J"]].to_numpy()
        dense = [np.linspace(a, b, 20) for a, b in zip(xy[:-1], xy[1:], strict=True)]
        parts.append(np.vstack(dense) if dense else xy)
    return np.vstack(parts)


def _share(mask) -> float:
    return float(np.mean(mask)) if len(mask) else math.nan


def compare_classes(starts: pd.DataFrame, tables, *, g, delta, band=0.75,
                    coexistence_band=0.25) -> tuple[pd.DataFrame, dict]:  # fmt: skip
    """Per-point network classes (from the per-start table of :func:`verify_points`) against
    the mean-field labels of the phase diagram ``tables`` (see :func:`diagram_from_tables`).

    Adds label_net, label_mf, the distance to the nearest bifurcation curve (in units of Δ and
    √Δ) and agree. The summary gives the agreement over all points (the headline), away from a
    band of width ``band`` around the curves, in the coexistence regions ("bistable",
    "oscillation + fixed point") away from ``coexistence_band``, per mean-field region, and the
    confusion counts.
    """
    band = val.non_negative("band", band)
    coexistence_band = val.non_negative("coexistence_band", coexistence_band)
    diagram = diagram_from_tables(tables, g=g, delta=delta)
    out = classes_from_starts(starts).rename(columns={"label": "label_net"})
    out["label_mf"] = diagram.label(out.eta_bar.to_numpy(), out.J.to_numpy())
    curves = _curve_points(diagram)
    xy = out[["eta_bar", "J"]].to_numpy()
    out["distance"] = np.sqrt(((xy[:, None, :] - curves[None, :, :]) ** 2).sum(-1)).min(axis=1)
    out["agree"] = out.label_net == out.label_mf
    away = out[out.distance > band]
    coex = out[out.label_mf.isin(COEXISTENCE) & (out.distance > coexistence_band)]
    summary = {
        "g": float(g),
        "delta": float(delta),
        "points": int(len(out)),
        "agreement_all": _share(out.agree),
        "band": band,
        "points_away_from_curves": int(len(away)),
        "agreement_away": _share(away.agree),
        "coexistence_band": coexistence_band,
        "coexistence_points": int(len(coex)),
        "agreement_coexistence": _share(coex.agree),
        "starts": int(len(starts)),
        "stayed": _share(starts.stays.astype(bool)),
        "regions": {
            label: {
                "points": int(len(grp)),
                "agreement": _share(grp.agree),
                "points_away": int((grp.distance > band).sum()),
                "agreement_away": _share(grp.agree[grp.distance > band]),
            }  # fmt: skip
            for label, grp in out.groupby("label_mf")
        },
        "confusion": {
            f"{mf} -> {net}": int(n)
            for (mf, net), n in out.groupby(["label_mf", "label_net"]).size().items()
        },
    }
    return out, summary
