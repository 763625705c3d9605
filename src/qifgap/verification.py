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

P populations (science.md §6; the second part of the module): the same steps for a
:class:`qifgap.populations.Model` on a grid in two dotted parameters (``"g.I.I"``,
``"J.I.I"``): attractors by integration and Newton (:func:`model_attractors`), network runs
started on them (:func:`verify_model_points`), classified by the smoothed rates
(:func:`classify_rates`), the protocol on the mean field (:func:`meanfield_model_starts`), and
the agreement away from a band around the Hopf curve (:func:`compare_model_classes`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate as val
from . import bifurcation, network
from .bifurcation.equilibria import equilibrium
from .defaults import RHYTHM_VERIFICATION, VERIFICATION
from .metrics import rms_amplitude
from .model import FiringRateBatch, FiringRateEquations, jacobian, rhs, synaptic
from .populations import Model

__all__ = [
    "Attractor",
    "parameter_grid",
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
    "models_at",
    "model_attractors",
    "rate_amplitudes",
    "classify_rates",
    "verify_model_points",
    "meanfield_model_starts",
    "curve_distance",
    "compare_model_classes",
]

OSCILLATION = "oscillation"
COEXISTENCE = ("bistable", "oscillation + fixed point")
CYCLE_THRESHOLD = 1e-3  # amplitude of v that counts as a cycle in the (noise-free) mean field


@dataclass(frozen=True)
class Attractor:
    """An attractor of the mean field: ``kind`` ("fixed point" when it is the only stable one,
    else "fixed point low"/"fixed point high", or "oscillation"); (r, v) the state a run starts
    from (the fixed point, or a point on the cycle); r_min, r_max the range of r on it. For P
    populations (:func:`model_attractors`) r, v, r_min, r_max are those of the reference
    population and ``y`` is the full state [r_a …, v_a …, s_b …] to start from."""

    kind: str
    r: float
    v: float
    r_min: float
    r_max: float
    y: tuple = ()


def parameter_grid(ranges) -> pd.DataFrame:
    """All points of the grid ``{name: {"min", "max", "n"}}`` (n values from min to max), one
    column per name, the first name varying fastest."""
    names = list(ranges)
    if not names:
        raise ValueError("ranges: a grid needs at least one parameter")
    axes = []
    for name in names:
        spec = ranges[name]
        n = val.positive_int(f"{name}.n", spec["n"])
        axes.append(np.linspace(val.finite(f"{name}.min", spec["min"]),
                                val.finite(f"{name}.max", spec["max"]), n))  # fmt: skip
    mesh = np.meshgrid(*axes[::-1], indexing="ij")[::-1]
    return pd.DataFrame({name: m.ravel() for name, m in zip(names, mesh, strict=True)})


def grid_points(eta, J) -> pd.DataFrame:
    """All (η̄, J) points of the grid given as {"min", "max", "n"} mappings, η̄ fastest."""
    return parameter_grid({"eta_bar": eta, "J": J})


def _rk4(f, y, *, t_end, dt, t_record):
    """Classical RK4 of dy/dt = f(y) for a batch of states y of shape (n, batch) at once, from
    t = 0 to t_end; returns y sampled every ~0.02 τ on [t_end − t_record, t_end], shape
    (n_samples, n, batch). Diverging states (a component not finite or beyond 10⁶) become NaN."""
    y = np.array(y, dtype=float)
    n = int(round(t_end / dt))
    start = n - int(round(t_record / dt))
    stride = max(1, int(round(0.02 / dt)))
    out = []
    with np.errstate(all="ignore"):
        for k in range(n + 1):
            if k >= start and (k - start) % stride == 0:
                out.append(y.copy())
            if k == n:
                break
            k1 = f(y)
            k2 = f(y + 0.5 * dt * k1)
            k3 = f(y + 0.5 * dt * k2)
            k4 = f(y + dt * k3)
            y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            bad = ~np.all(np.isfinite(y) & (np.abs(y) <= 1e6), axis=0)
            y[:, bad] = np.nan
    return np.array(out)


def _rk4_one_population(r, v, *, eta_bar, J, g, delta, t_end, dt, t_record):
    """:func:`_rk4` of :func:`qifgap.model.rhs` (one population, arrays of (η̄, J) per state):
    (r, v) samples, each of shape (n_samples, n_states)."""
    r = np.array(r, dtype=float)
    eta_bar, J = np.broadcast_to(eta_bar, r.shape), np.broadcast_to(J, r.shape)
    kw = {"eta_bar": eta_bar, "delta": delta, "J": J, "g": g}
    ys = _rk4(lambda y: np.array(rhs(y[0], y[1], **kw)), np.array([r, v], dtype=float),
              t_end=t_end, dt=dt, t_record=t_record)  # fmt: skip
    return ys[:, 0], ys[:, 1]


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
    rs, vs = _rk4_one_population(r0, v0, eta_bar=eta, J=Jv, g=g, delta=delta, t_end=t_find,
                                 dt=dt, t_record=t_record)  # fmt: skip
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


def classify_run(t, r, v, *, found, start, osc_threshold=VERIFICATION["osc_threshold"],
                 rate_tolerance=0.5) -> dict:  # fmt: skip
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


def verify_points(points: pd.DataFrame, *, g, delta, N=VERIFICATION["N"],
                  hold=VERIFICATION["hold"], dt=VERIFICATION["dt"], threads=1,
                  osc_threshold=VERIFICATION["osc_threshold"]) -> pd.DataFrame:  # fmt: skip
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


def meanfield_starts(points: pd.DataFrame, *, g, delta, hold=VERIFICATION["hold"], dt=5e-3,
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
    rs, vs = _rk4_one_population(r0, v0, eta_bar=eta, J=Jv, g=g, delta=delta, t_end=hold,
                                 dt=dt, t_record=hold)  # fmt: skip
    t = np.linspace(0.0, hold, rs.shape[0])
    rows = []
    for j, (p, a, found) in enumerate(starts):
        run = classify_run(t, rs[:, j], vs[:, j], found=found, start=a.kind,
                           osc_threshold=osc_threshold)  # fmt: skip
        rows.append(_start_row(p, g, delta, 0, a, run))
    return pd.DataFrame(rows)


def classes_from_starts(starts: pd.DataFrame, by=("eta_bar", "J")) -> pd.DataFrame:
    """One row per point (the columns ``by``) from the per-start table: the mean-field
    attractors started from, the end states, how many runs stayed, and the class ``label``
    (:func:`combine`)."""
    by = list(by)
    rows = []
    for key, group in starts.groupby(by, sort=False):
        point = dict(zip(by, key, strict=True))
        if "g" in group and "g" not in by:
            point["g"] = group.g.iloc[0]
        rows.append({
            **point, "N": group.N.iloc[0],
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


def compare_classes(starts: pd.DataFrame, tables, *, g, delta, band=VERIFICATION["band"],
                    coexistence_band=VERIFICATION["coexistence_band"],
                    ) -> tuple[pd.DataFrame, dict]:  # fmt: skip
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
    coex = out[out.label_mf.isin(COEXISTENCE) & (out.distance > coexistence_band)]
    summary = {
        "g": float(g),
        "delta": float(delta),
        **_agreement(out, starts, band),
        "coexistence_band": coexistence_band,
        "coexistence_points": int(len(coex)),
        "agreement_coexistence": _share(coex.agree),
    }
    return out, summary


def _agreement(out, starts, band) -> dict:
    """The agreement summary of a verification grid: shares of the points whose network class
    agrees with the mean field's (all; farther than ``band`` from a curve; per mean-field
    region), of the runs that stayed in their start, and the confusion counts mf -> net."""
    away = out[out.distance > band]
    return {
        "points": int(len(out)),
        "agreement_all": _share(out.agree),
        "band": band,
        "points_away_from_curves": int(len(away)),
        "agreement_away": _share(away.agree),
        "starts": int(len(starts)),
        "stayed": _share(starts.stays.astype(bool)),
        "regions": {
            label: {
                "points": int(len(grp)),
                "agreement": _share(grp.agree),
                "points_away": int((grp.distance > band).sum()),
                "agreement_away": _share(grp.agree[grp.distance > band]),
            }
            for label, grp in out.groupby("label_mf")
        },
        "confusion": {
            f"{mf} -> {net}": int(n)
            for (mf, net), n in out.groupby(["label_mf", "label_net"]).size().items()
        },
    }


# --- P populations: a grid in two parameters of a Model (science.md §6) -----------------------
#
# The same protocol for a :class:`qifgap.populations.Model` and a grid in dotted parameters
# ("g.I.I", "J.I.I", "populations.I.tau_syn"): the mean-field attractors of every point
# (:func:`model_attractors`), one network run of ``hold`` τ from each (every population's
# voltages a Lorentzian with its r_a, v_a; synaptic traces at their s_b), the second half of
# each run classified by the amplitude of the smoothed rates (:func:`classify_rates`): an
# oscillation if the largest over the populations exceeds ``threshold``. The same
# classification of the mean field's own runs, from the attractors kicked by ``kick``
# (:func:`meanfield_model_starts`), must reproduce the mean-field labels: the threshold and the
# hold are shown on the exact model first.

RATE_SMOOTHING = RHYTHM_VERIFICATION["smoothing"]  # τ: boxcar averaging rates before amplitudes
START_RATES = ((0.05, -1.0), (0.3, 0.0), (1.0, -0.5), (2.5, 0.5))  # (r, v) of every population


def models_at(model: Model, points: pd.DataFrame) -> list[Model]:
    """The model at every row of ``points`` (columns: dotted keys of ``model``)."""
    if not isinstance(model, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(model).__name__}")
    for key in points.columns:
        model.get(key)  # the key exists (ValueError naming it otherwise)
    out = []
    for row in points.to_dict("records"):
        m = model
        for key, value in row.items():
            m = m.set(key, float(value))
        out.append(m)
    return out


def _equations(m: Model) -> FiringRateEquations:
    return FiringRateEquations(eta_bar=m.eta_bar, delta=m.width, tau=m.tau, tau_syn=m.tau_syn,
                               J=m.J, g=m.g, kappa=m.kappa)  # fmt: skip


def _stable_equilibrium(m: Model, x0):
    """The equilibrium of m's firing-rate equations that Newton finds from x0, if it converges
    to one with positive rates and is stable (all eigenvalues with Re μ < 0); else None."""
    system = bifurcation.from_model(m)
    try:
        x = equilibrium(system, x0)
    except (RuntimeError, np.linalg.LinAlgError):
        return None
    if not np.all(np.isfinite(x)) or np.any(x[: m.P] <= 0):
        return None
    mu = np.linalg.eigvals(system.jacobian(x, system.params))
    return x if mu.real.max() < 0 else None


def model_attractors(models, *, population=None, t_find=60.0, dt=5e-3) -> list[list[Attractor]]:
    """The attractors of the firing-rate equations of every model of ``models`` (one grid): RK4
    (step ``dt``) for ``t_find`` τ from the starts :data:`START_RATES` (every population at that
    (r, v), s = r). A run whose rate amplitude (largest over the populations) over the last
    quarter of the run is above 10⁻³ and not below 0.9 of that over the quarter before lies on
    a stable cycle; from the mean of the last quarter of every run (for a cycle: a stable
    equilibrium inside it) Newton gives an equilibrium, kept if stable. Duplicates are merged;
    fixed points are named as in :func:`attractors` (by the total rate); the reference
    population (``population``, default the last) gives r, v."""
    models = list(models)
    t_find = val.positive("t_find", t_find)
    dt = val.positive("dt", dt)
    if not models:
        return []
    batch = FiringRateBatch([_equations(m) for m in models] * len(START_RATES))
    P, n = models[0].P, batch.n
    y0 = np.full((n, batch.size), np.nan)  # a column no start fills is a NaN run, not garbage
    for j, (r0, v0) in enumerate(START_RATES):
        cols = slice(j * len(models), (j + 1) * len(models))
        y0[:P, cols], y0[P : 2 * P, cols], y0[2 * P :, cols] = r0, v0, r0
    t_record = min(40.0, 0.5 * t_find)
    ys = _rk4(batch.rhs, y0, t_end=t_find, dt=dt, t_record=t_record)
    half = ys.shape[0] // 2
    out = []
    for k, m in enumerate(models):
        ref = m.index(m.reference(population))
        fixed, cycles = [], []
        for j in range(len(START_RATES)):
            y = ys[:, :, j * len(models) + k]
            if not np.all(np.isfinite(y)):
                continue
            amp_early = max(rms_amplitude(y[:half, a]) for a in range(P))
            amp_late = max(rms_amplitude(y[half:, a]) for a in range(P))
            if amp_late >= CYCLE_THRESHOLD and amp_late >= 0.9 * amp_early:
                r, end = y[half:, ref], tuple(map(float, y[-1]))
                cycle = Attractor(OSCILLATION, end[ref], end[P + ref], float(r.min()),
                                  float(r.max()), end)  # fmt: skip
                cycles.append(cycle)
            x = _stable_equilibrium(m, y[half:].mean(axis=0))
            if x is not None:
                fixed.append(x)
        out.append(_merge(fixed, cycles, P, ref))
    return out


def _merge(fixed, cycles, P, ref) -> list[Attractor]:
    """Distinct stable equilibria (named by total rate) and distinct cycles (by max r)."""
    unique = []
    for x in sorted(fixed, key=lambda x: x[:P].sum()):
        if not any(np.max(np.abs(x - u)) < 1e-6 * (1 + np.max(np.abs(u))) for u in unique):
            unique.append(x)
    names = ["fixed point"] if len(unique) == 1 else ["fixed point low", "fixed point high"]
    found = [
        Attractor(name, float(x[ref]), float(x[P + ref]), float(x[ref]), float(x[ref]),
                  tuple(map(float, x)))
        for name, x in zip(names, unique, strict=False)
    ]  # fmt: skip
    for c in cycles:
        if not any(a.kind == OSCILLATION and abs(a.r_max - c.r_max) < 0.02 * c.r_max
                   for a in found):  # fmt: skip
            found.append(c)
    return found


def rate_amplitudes(t, r, *, t_min, smoothing=RATE_SMOOTHING) -> np.ndarray:
    """Per population (columns of r): 2√2 × std over t ≥ t_min of the rate averaged over a
    boxcar of ``smoothing`` τ (the network's shot noise averages out, a rhythm of period ≫
    ``smoothing`` does not)."""
    t = np.asarray(t, dtype=float)
    r = np.asarray(r, dtype=float).reshape(len(t), -1)
    w = t >= t_min
    if w.sum() < 2:
        raise ValueError(f"t_min ({t_min}) leaves fewer than two samples")
    width = max(1, int(round(smoothing / (t[1] - t[0]))))
    kernel = np.ones(width) / width
    amps = []
    for a in range(r.shape[1]):
        x = r[w, a]
        x = np.convolve(x, kernel, mode="valid") if x.size > width else x
        amps.append(rms_amplitude(x))
    return np.array(amps)


def classify_rates(t, r, *, found, start, threshold, smoothing=RATE_SMOOTHING) -> dict:
    """Classify the second half of a P-population run (r: time × P) started in ``start`` (a
    kind of ``found``): "oscillation" if the largest smoothed rate amplitude
    (:func:`rate_amplitudes`) exceeds ``threshold``; else the stable fixed point of ``found``
    nearest in Σ_a |ln r_a| of the mean rates, if within 0.5, else "other fixed point"."""
    t = np.asarray(t, dtype=float)
    r = np.asarray(r, dtype=float).reshape(len(t), -1)
    t_min = 0.5 * (t[0] + t[-1])
    amps = rate_amplitudes(t, r, t_min=t_min, smoothing=smoothing)
    mean_r = r[t >= t_min].mean(axis=0)
    P = r.shape[1]
    fixed = [a for a in found if a.kind != OSCILLATION]
    if amps.max() > threshold:
        end = OSCILLATION
    elif not fixed or not np.all(mean_r > 0):
        end = "other fixed point"
    else:
        dist = [float(np.abs(np.log(mean_r / np.array(a.y[:P]))).sum()) for a in fixed]
        k = int(np.argmin(dist))
        end = fixed[k].kind if dist[k] < 0.5 else "other fixed point"
    return {"end": end, "stays": end == start, "amp_r": float(amps.max()),
            **{f"mean_r{a}": float(x) for a, x in enumerate(mean_r)}}  # fmt: skip


def _model_row(point: dict, N, a: Attractor, run: dict) -> dict:
    return {**point, "N": N, "start": a.kind, "start_r": a.r, "start_v": a.v,
            "start_r_min": a.r_min, "start_r_max": a.r_max,
            "start_y": " ".join(f"{x:.9g}" for x in a.y), **run}  # fmt: skip


def _start_voltages(m: Model, a: Attractor, N: int) -> tuple[dict, dict]:
    """v_init and s_init of a network of N neurons per population started on ``a``."""
    P, syn = m.P, synaptic(m.tau_syn)
    v_init = {
        p.name: lorentzian_voltages(N=N, r=a.y[i], v=a.y[P + i], tau=p.tau, v_peak=p.v_peak,
                                    v_reset=p.v_reset)
        for i, p in enumerate(m.populations)
    }  # fmt: skip
    s_init = {m.names[b]: a.y[2 * P + k] for k, b in enumerate(syn)}
    return v_init, s_init


def _check_protocol(hold, threshold, smoothing):
    return (val.positive("hold", hold), val.positive("threshold", threshold),
            val.positive("smoothing", smoothing))  # fmt: skip


def verify_model_points(model: Model, points: pd.DataFrame, *, N=RHYTHM_VERIFICATION["N"],
                        hold=RHYTHM_VERIFICATION["hold"], dt=RHYTHM_VERIFICATION["dt"],
                        threshold=RHYTHM_VERIFICATION["threshold"], smoothing=RATE_SMOOTHING,
                        population=None,
                        threads=1) -> pd.DataFrame:  # fmt: skip
    """One network run of ``hold`` τ (N neurons per population, step ``dt``) from each
    mean-field attractor of ``model`` at every row of ``points`` (dotted keys), classified by
    :func:`classify_rates`; one row per start (the point, N, the start, the class)."""
    N = val.positive_int("N", N)
    hold, threshold, smoothing = _check_protocol(hold, threshold, smoothing)
    dt = val.positive("dt", dt)
    models = models_at(model, points)
    rows = []
    found_all = model_attractors(models, population=population)
    for point, m, found in zip(points.to_dict("records"), models, found_all, strict=True):
        spec = m.to_dict()
        for entry in spec["populations"].values():
            entry["N"] = N
        sized = Model.from_dict(spec)
        for a in found:
            v_init, s_init = _start_voltages(m, a, N)
            result = network.simulate(model=sized, t_end=hold, dt=dt, v_init=v_init,
                                      s_init=s_init or None, raster_neurons=0,
                                      threads=threads)  # fmt: skip
            run = classify_rates(result.t, result.r, found=found, start=a.kind,
                                 threshold=threshold, smoothing=smoothing)  # fmt: skip
            rows.append(_model_row(point, N, a, run))
    return pd.DataFrame(rows)


def meanfield_model_starts(model: Model, points: pd.DataFrame, *,
                           hold=RHYTHM_VERIFICATION["hold"],
                           threshold=RHYTHM_VERIFICATION["threshold"], smoothing=RATE_SMOOTHING,
                           kick=RHYTHM_VERIFICATION["kick"], population=None,
                           dt=5e-3) -> pd.DataFrame:  # fmt: skip
    """The protocol of :func:`verify_model_points` run on the mean field itself (RK4, step
    ``dt``): each run starts on its attractor with every rate raised by the fraction ``kick``
    (a perturbation in place of the network's finite-size noise, so a weakly damped point must
    settle within the hold), and is classified by the same :func:`classify_rates` with the
    same ``threshold``; N is reported as 0."""
    hold, threshold, smoothing = _check_protocol(hold, threshold, smoothing)
    kick = val.non_negative("kick", kick)
    models = models_at(model, points)
    found_all = model_attractors(models, population=population)
    rows = zip(points.to_dict("records"), models, found_all, strict=True)
    starts = [(point, m, a, found) for point, m, found in rows for a in found]
    if not starts:
        return pd.DataFrame()
    P = models[0].P
    batch = FiringRateBatch([_equations(m) for _, m, _, _ in starts])
    y0 = np.array([a.y for _, _, a, _ in starts], dtype=float).T
    y0[:P] *= 1.0 + kick
    ys = _rk4(batch.rhs, y0, t_end=hold, dt=dt, t_record=hold)
    t = np.linspace(0.0, hold, ys.shape[0])
    rows = []
    for j, (point, _, a, found) in enumerate(starts):
        run = classify_rates(t, ys[:, :P, j], found=found, start=a.kind, threshold=threshold,
                             smoothing=smoothing)  # fmt: skip
        rows.append(_model_row(point, 0, a, run))
    return pd.DataFrame(rows)


def curve_distance(points: pd.DataFrame, curve: pd.DataFrame, *, scale) -> np.ndarray:
    """Distance of every point to the nearest point of ``curve`` (a table of
    :func:`qifgap.bifurcation.rhythm_curve`: its polylines per ``curve`` and ``branch``, each
    segment resampled 20 times) in the plane of the two columns of ``points``, each axis
    divided by its ``scale`` (the grid's span): a fraction of the window. ∞ without a curve."""
    keys = list(points.columns)
    xy = points[keys].to_numpy(dtype=float) / np.asarray(scale, dtype=float)
    if not len(curve):
        return np.full(len(points), np.inf)
    groups = [c for c in ("curve", "branch") if c in curve]
    parts = []
    for _, part in curve.groupby(groups) if groups else [(0, curve)]:
        c = part[keys].to_numpy(dtype=float) / np.asarray(scale, dtype=float)
        dense = [np.linspace(a, b, 20) for a, b in zip(c[:-1], c[1:], strict=True)]
        parts.append(np.vstack(dense) if dense else c)
    dense = np.vstack(parts)
    return np.sqrt(((xy[:, None, :] - dense[None, :, :]) ** 2).sum(-1)).min(axis=1)


def compare_model_classes(starts: pd.DataFrame, curve: pd.DataFrame, *, keys, scale,
                          band=RHYTHM_VERIFICATION["band"],
                          ) -> tuple[pd.DataFrame, dict]:  # fmt: skip
    """Per-point classes (from a per-start table of :func:`verify_model_points` or
    :func:`meanfield_model_starts`) against the mean-field labels (:func:`combine` of the
    attractors started from): label_net, label_mf, the distance to the Hopf ``curve`` (as a
    fraction of the window, :func:`curve_distance`) and agree. The summary gives the agreement
    over all points, away from the band of width ``band`` around the curve, per mean-field
    label, and the confusion counts."""
    band = val.non_negative("band", band)
    keys = list(keys)
    out = classes_from_starts(starts, by=keys).rename(columns={"label": "label_net"})
    groups = starts.groupby(keys, sort=False).start
    out["label_mf"] = [combine(kinds) for _, kinds in groups]
    out["distance"] = curve_distance(out[keys], curve, scale=scale)
    out["agree"] = out.label_net == out.label_mf
    summary = {
        "keys": keys,
        "N": int(out.N.iloc[0]) if len(out) else 0,
        **_agreement(out, starts, band),
    }
    return out, summary
