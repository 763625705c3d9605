"""Every claim of the report's captions and of the README's figure table as a number that can
fail.

A claim is one :class:`Claim` of :data:`CLAIMS`: the figure, the claim's text, a function that
computes (value, threshold) from the tables in ``results/`` (thresholds may depend on the
run's N, read from the same tables) and the comparison value ``<=`` or ``>=`` threshold.
:func:`evaluate` gives one row per claim (figure, claim, value, comparison, threshold, status):
status "pass", "fail", or "untested" when the tables it needs are absent or hold too few points
(a config without that figure). :func:`main` is ``qifgap claims RESULTS``: it writes
``RESULTS/claims.tsv`` and exits with 1 when a claim fails (also on "untested" with ``--strict``).
Runs and sweeps named by the config's ``figures:`` section (coupling panels, onset sweep)
are found through ``--configfile``.

Time in units of τ; Δ, J, g, η̄ as in the tables.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import analysis, bifurcation
from .results import atomic_path, load_timeseries, write_table

__all__ = ["Claim", "CLAIMS", "NotAvailable", "Results", "evaluate", "write", "write_html", "main"]

SQRT3 = math.sqrt(3.0)
MIN_INTERVALS = 6  # periods of transient synchrony needed to measure the period it tends to
SMALL_G = 0.7  # at J = 15 the persistent range widens below it, collapses above (science.md §3)
G_STAR = 1.2794  # above it the low fold has a SNIC part between SNSL points (science.md §3)
# smallest N at which the sparse-synchrony network is held to the mean field within 3 %
SPARSE_MIN_N = 10_000


class NotAvailable(LookupError):
    """The numbers a claim needs are not in the results directory."""


class Results:
    """Read access to a results directory; a missing file raises :class:`NotAvailable`.

    ``figures`` is the config's ``figures:`` mapping (names of the runs and sweeps of each
    figure), needed only by the claims about those figures.
    """

    def __init__(self, root, figures: Mapping | None = None):
        self.root = Path(root)
        self.figures = dict(figures or {})

    def path(self, rel: str) -> Path:
        p = self.root / rel
        if not p.is_file():
            raise NotAvailable(f"{rel} is missing")
        return p

    def table(self, rel: str) -> pd.DataFrame:
        p = self.path(rel)
        return pd.read_csv(p, sep="\t" if p.suffix == ".tsv" else ",")

    def series(self, rel: str):
        return load_timeseries(self.path(rel))

    def figure(self, key: str):
        if key not in self.figures:
            raise NotAvailable(f"figures.{key} is not configured")
        return self.figures[key]

    def glob(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))


@dataclass(frozen=True)
class Claim:
    """One claim: ``compute(results) -> (value, threshold)`` or ``(value, threshold, note)``
    (the numbers behind the value, for the table's note), passed iff value ``comparison``
    threshold ("<=" or ">=")."""

    figure: str
    text: str
    compute: Callable[[Results], tuple[float, float]]
    comparison: str


def _finite_size(N) -> float:
    """Tolerance of a relative network–mean-field error at N neurons: a 2 % finite-threshold
    bias plus 2/√N fluctuations (science.md §2; compare/finite_size_*.tsv)."""
    return 0.02 + 2.0 / math.sqrt(float(N))


def _row(res: Results, rel: str) -> pd.Series:
    return res.table(rel).iloc[0]


# MPR15 ------------------------------------------------------------------------------------


def _cusp_g0(res):
    c = res.table("bifurcation/g=0/points.csv").set_index("name").loc["cusp"]
    return max(abs(c.eta_bar + SQRT3), abs(c.J - 7.79622)), 1e-4


def _folds_J15(res):
    t = res.table("bifurcation/bistable_range_J=15.csv").set_index("g")
    if 0.0 not in t.index:
        raise NotAvailable("no g = 0 row in bistable_range_J=15.csv")
    return max(abs(t.loc[0.0, "eta_min"] + 5.74353), abs(t.loc[0.0, "eta_max"] + 3.13613)), 0.02


def _step_runs(res):
    net, mf = res.series("network/mpr15_step.npz"), res.series("meanfield/mpr15_step.npz")
    p = mf.params
    current = p["current"]
    if current.get("kind") != "step":
        raise NotAvailable("mpr15_step is not a step protocol")
    return net, mf, p, current


def _step_mean_rate(res):
    row = _row(res, "compare/runs/mpr15_step.tsv")
    return abs(row.rel_err_mean_r), _finite_size(row.N)


def _step_focus_period(p, current):
    return analysis.focus_period(eta_bar=p["eta_bar"] + current["amplitude"], J=p["J"], g=p["g"],
                                 delta=p["delta"])  # fmt: skip


def _step_period(res, which):
    net, mf, p, current = _step_runs(res)
    T = _step_focus_period(p, current)
    window = {"t_min": current["t_on"], "t_max": current["t_off"]}
    n_mf = analysis.transient_period(mf.t, mf.r, **window)["n_intervals"]
    if n_mf < MIN_INTERVALS or not math.isfinite(T):
        raise NotAvailable(
            f"the step is too short: {n_mf} periods of transient synchrony in the mean field "
            f"(at least {MIN_INTERVALS} needed to see the period the oscillation tends to)"
        )
    ts, smooth = (net, 0.1) if which == "net" else (mf, 0.0)
    period = analysis.transient_period(ts.t, ts.r, **window, smooth=smooth)["period"]
    threshold = 0.01 if which == "mf" else _finite_size(net.params["N"])
    note = f"period {period:.4f}, 2π/Im λ = {T:.4f}"
    return (abs(period / T - 1) if math.isfinite(period) else math.inf), threshold, note


def _step_persistent(res):
    net, _, p, current = _step_runs(res)
    after = net.t >= current["t_off"] + 0.75 * (net.t[-1] - current["t_off"])
    stable = [f for f in bifurcation.fixed_points(eta_bar=p["eta_bar"], J=p["J"], g=p["g"],
                                                  delta=p["delta"]) if f.stable]  # fmt: skip
    if len(stable) < 2 or not after.any():
        raise NotAvailable("no high state after the step")
    return abs(float(net.r[after].mean()) / stable[-1].r - 1), 0.25


def _sine_switches(res):
    net = res.series("network/mpr15_sine.npz")
    p = net.params
    current = p["current"]
    if current.get("kind") != "sinusoid":
        raise NotAvailable("mpr15_sine is not a sinusoidal protocol")
    periods = math.floor((p["t_end"] - p["t_start"]) * current["omega"] / (2 * math.pi) + 1e-9)
    saddles = [
        f
        for f in bifurcation.fixed_points(
            eta_bar=p["eta_bar"], J=p["J"], g=p["g"], delta=p["delta"]
        )
        if f.stability == "saddle"
    ]
    if periods < 1 or not saddles:
        raise NotAvailable("fewer than one forcing period, or no bistability at η̄")
    dt = float(np.mean(np.diff(net.t)))
    r = analysis.moving_average(net.r, max(1, int(round(0.5 / dt))))
    high, low = saddles[0].r, 0.5 * saddles[0].r  # a Schmitt trigger around the saddle rate
    ups = downs = 0
    state = r[0] > high
    for x in r:
        if not state and x > high:
            state, ups = True, ups + 1
        elif state and x < low:
            state, downs = False, downs + 1
    return min(ups, downs) / periods, 1.0


# P19 --------------------------------------------------------------------------------------


def _coupling_rows(res):
    runs = [run for panel in res.figure("coupling").values() for run in panel]
    return pd.concat([res.table(f"compare/runs/{run}.tsv") for run in runs], ignore_index=True)


def _coupling_rate(res):
    rows = _coupling_rows(res)
    excess = rows.rel_err_mean_r.abs() - rows.N.map(_finite_size)
    k = int(np.argmax(excess))
    return abs(rows.rel_err_mean_r.iloc[k]), _finite_size(rows.N.iloc[k])


# With gap junctions the network's oscillation amplitude of v is biased low by a finite-threshold
# term ∝ 1/V_p that does not shrink with N (default config, η̄ = 5, g = 1, N = 10⁵: −29, −14,
# −6.7, −2.6 % at V_p = 25, 50, 100, 200; −6.5 … −6.8 % for N = 10⁴ … 10⁶ at V_p = 100):
# ≈ 7/V_p, written into the amplitude claims' tolerance as 7.5/V_p.
AMPLITUDE_VP_BIAS = 7.5


def _amplitude_error(rows):
    """Worst relative error of the network's oscillation amplitude (rms of v) against the mean
    field's, and its tolerance: 0.02 + 2/√N, plus AMPLITUDE_VP_BIAS/V_p where g > 0."""
    ratio = rows.rms_amplitude_v_net / rows.rms_amplitude_v_mf - 1
    tol = rows.N.map(_finite_size)
    if "v_peak" in rows and "g" in rows:
        tol = tol + np.where(rows.g > 0, AMPLITUDE_VP_BIAS / rows.v_peak, 0.0)
    k = int(np.argmax(ratio.abs() - tol))
    return abs(ratio.iloc[k]), float(tol.iloc[k])


def _coupling_amplitude(res):
    rows = _coupling_rows(res)
    rows = rows[rows.rms_amplitude_v_mf > 0.5]  # oscillating runs
    if rows.empty:
        raise NotAvailable("no oscillating run among the coupling figures")
    return _amplitude_error(rows)


def _onset_rows(res, margin=0.25):
    rows = res.table(f"compare/sweeps/{res.figure('onset')}.tsv")
    keys = list(zip(rows.eta_bar, rows.J, rows.delta, strict=True))
    g_h = {key: analysis.hopf_coupling(*key) for key in set(keys)}
    rows = rows.assign(g_H=[g_h[key] for key in keys])
    return rows[np.abs(rows.g - rows.g_H) > margin]


def _onset_switch(res):
    rows = _onset_rows(res)
    above, below = rows[rows.g > rows.g_H], rows[rows.g < rows.g_H]
    if above.empty or below.empty:
        raise NotAvailable("the onset sweep needs points on both sides of g_H")
    return below.rms_amplitude_v_net.max() / above.rms_amplitude_v_net.min(), 0.25


def _onset_amplitude(res):
    rows = _onset_rows(res)
    rows = rows[rows.g > rows.g_H]
    if rows.empty:
        raise NotAvailable("no onset-sweep point above g_H")
    return _amplitude_error(rows)


def _hopf_exponent_fit(res):
    paths = res.glob("bifurcation/limit_cycles_J=*_g=*.csv")
    if not paths:
        raise NotAvailable("no limit-cycle branch")
    c = pd.read_csv(paths[0])
    eta_h = bifurcation.hopf_eta(c.J.iloc[0], c.g.iloc[0], c.delta.iloc[0])
    d = c.eta_bar - eta_h
    near = (d > 0) & (d <= 1.0)
    if near.sum() < 5:
        raise NotAvailable("fewer than 5 cycles within 1 of the Hopf point")
    return analysis.onset_exponent_fit(d[near], c.amplitude[near])


def _hopf_exponent(res):
    fit = _hopf_exponent_fit(res)
    note = (f"β = {fit['exponent']:.4f}, 95 % interval [{fit['exponent_low']:.4f}, "
            f"{fit['exponent_high']:.4f}]")  # fmt: skip
    return abs(fit["exponent"] - 0.5), 0.5 * (fit["exponent_high"] - fit["exponent_low"]), note


def _hopf_exponent_width(res):
    fit = _hopf_exponent_fit(res)
    return 0.5 * (fit["exponent_high"] - fit["exponent_low"]), 0.25


def _cycles_stable(res):
    paths = res.glob("bifurcation/limit_cycles_J=*_g=*.csv")
    if not paths:
        raise NotAvailable("no limit-cycle branch")
    return float(pd.read_csv(paths[0]).stable.astype(bool).mean()), 1.0


def _persistent_widths(res):
    t = res.table("bifurcation/bistable_range_J=15.csv").set_index("g")
    if 0.0 not in t.index:
        raise NotAvailable("no g = 0 row in bistable_range_J=15.csv")
    return t


def _persistent_collapse(res):
    t = _persistent_widths(res)
    if 1.0 not in t.index:
        raise NotAvailable("no g = 1 row in bistable_range_J=15.csv")
    w0, w1 = t.loc[0.0, "width"], t.loc[1.0, "width"]
    return w1 / w0, 0.25, f"width {w1:.3g} at g = 1, {w0:.3g} at g = 0"


def _persistent_widening(res):
    t = _persistent_widths(res)
    small = t[(t.index > 0) & (t.index < SMALL_G)]
    if small.empty:
        raise NotAvailable(f"no 0 < g < {SMALL_G} row in bistable_range_J=15.csv")
    widest = small.width.idxmax()
    note = f"width {small.width.max():.3g} at g = {widest:g}, {t.loc[0.0, 'width']:.3g} at g = 0"
    return small.width.max() / t.loc[0.0, "width"], 1.05, note


def _ramp_overshoot(res):
    static = _persistent_widths(res)
    ramps = res.table("compare/hysteresis.tsv").set_index("g")
    if 0.0 not in ramps.index:
        raise NotAvailable("no g = 0 ramp")
    ramp, width = ramps.loc[0.0, "width_mf"], static.loc[0.0, "width"]
    return ramp - width, 0.0, f"ramp width {ramp:.3g}, static width {width:.3g} at g = 0"


def _speed_pairs(res) -> pd.DataFrame:
    """Per g with two ramp speeds: the mean-field widths at the slowest and the fastest ramp
    (compare/hysteresis_speeds.tsv), columns g, slow, fast, speed_slow, speed_fast."""
    t = res.table("compare/hysteresis_speeds.tsv")
    rows = []
    for g, at in t.groupby("g"):
        if at.speed.round(6).nunique() < 2:
            continue
        slow, fast = at.loc[at.speed.idxmin()], at.loc[at.speed.idxmax()]
        rows.append({"g": g, "slow": slow.width_mf, "fast": fast.width_mf,
                     "speed_slow": slow.speed, "speed_fast": fast.speed})  # fmt: skip
    return pd.DataFrame(rows, columns=["g", "slow", "fast", "speed_slow", "speed_fast"])


def _speed_note(rows) -> str:
    return "; ".join(f"g = {r.g:g}: width {r.fast:.3g} at {r.speed_fast:.3g}/τ, {r.slow:.3g} at "
                     f"{r.speed_slow:.3g}/τ" for r in rows.itertuples())  # fmt: skip


def _ramp_speed_overshoot(res):
    pairs = _speed_pairs(res)
    fixed = pairs[pairs.g < SMALL_G]  # the high-activity state is a fixed point
    if fixed.empty:
        raise NotAvailable(f"no g < {SMALL_G} with two ramp speeds")
    return float((fixed.fast - fixed.slow).min()), 0.05, _speed_note(fixed)


def _ramp_speed_oscillating(res):
    pairs = _speed_pairs(res)
    at1 = pairs[pairs.g == 1.0]
    if at1.empty:
        raise NotAvailable("no g = 1 with two ramp speeds")
    return float((at1.fast - at1.slow).iloc[0]), 0.0, _speed_note(at1)


def _ramp_agreement(res):
    ramps = res.table("compare/hysteresis.tsv")
    return float((ramps.width_net - ramps.width_mf).abs().max()), 0.6


def _bistable_area(res):
    shares = {}
    for g in ("0", "1"):
        regions = res.table(f"bifurcation/g={g}/regions.csv")
        shares[g] = float((regions.label == "bistable").mean())
    if shares["0"] == 0:
        raise NotAvailable("no bistable region at g = 0 in the window")
    return shares["1"] / shares["0"], 0.5


def _snsl_threshold(res):
    t = res.table("bifurcation/codim2_vs_g.csv")
    t = t[(t.g - G_STAR).abs() > 0.05]
    return float((t.snsl_J.notna() != (t.g > G_STAR)).sum()), 0.0


def _verification(res, key):
    """(value, threshold) of the worst g: the one with the smallest value − threshold."""
    pairs = []
    for path in res.glob("verification/g=*/summary.json"):
        summary = json.loads(path.read_text())
        if key == "agreement_coexistence" and not summary.get("coexistence_points"):
            continue
        N = int(pd.read_csv(path.with_name("classes.tsv"), sep="\t").N.iloc[0])
        pairs.append((summary[key], 0.9 if N >= 10_000 else 0.6))
    if not pairs:
        raise NotAvailable(f"no verification summary with {key}")
    return min(pairs, key=lambda p: p[0] - p[1])


def _asymmetry(res):
    t = res.table("compare/asymmetry.tsv").set_index("v_reset")
    if -50.0 not in t.index:
        raise NotAvailable("no V_r = -50 network")
    return abs(t.loc[-50.0, "err_mp20"]) / abs(t.loc[-50.0, "err_p19"]), 0.5


def _fluctuation_slope(res):
    fits = res.table("compare/finite_size_fits.tsv").set_index("name")
    return abs(fits.loc["async_rel_std_r", "slope"] + 0.5), 0.2


def _ei_rows(res):
    """The E–I sweep of figure ei_gap (science.md §6), one row per point and population: the
    point with the largest coupling of its dotted sweep key and the point where it is 0."""
    table = res.table(f"compare/sweeps/{res.figure('ei_gap')}.tsv")
    key = next(c for c in table.columns if c.startswith(("g.", "J.", "populations.")))
    last = list(dict.fromkeys(table.population))[-1]  # the model's last population (I)
    rows = table[table.population == last].sort_values(key, kind="stable")
    if rows[key].iloc[0] != 0:
        raise NotAvailable(f"the sweep of figure ei_gap has no point with {key} = 0")
    return rows.iloc[-1], rows.iloc[0]


def _ei_period(res):
    with_gaps, _ = _ei_rows(res)
    error = abs(with_gaps.spectral_peak_net / with_gaps.spectral_peak_mf - 1)
    return (
        error,
        0.03,
        f"period net {1 / with_gaps.spectral_peak_net:.4g}, mf "
        f"{1 / with_gaps.spectral_peak_mf:.4g}",
    )


def _ei_stationary(res):
    _, without = _ei_rows(res)
    return without.std_r_mf, 0.02


def _ei_asynchronous(res):
    with_gaps, without = _ei_rows(res)
    return without.rms_amplitude_v_net / with_gaps.rms_amplitude_v_net, 0.3


def _sparse_row(res):
    """The row of compare/sparse_synchrony.tsv (qifgap.comparison.compare_sparse_synchrony)."""
    return _row(res, "compare/sparse_synchrony.tsv")


def _sparse_rate_per_cycle(res):
    row = _sparse_row(res)
    note = f"ν {row.neuron_rate:.4g}, f {row.frequency_net:.4g}, {row.n_neurons:.0f} neurons"
    return row.rate_per_cycle, 0.25, note


def _sparse_isi_cv(res):
    return _sparse_row(res).isi_cv, 0.5


def _sparse_agreement(res, key, tolerance):
    """Relative network–mean-field error of ``key`` (r or period) at N ≥ SPARSE_MIN_N."""
    row = _sparse_row(res)
    if row.N < SPARSE_MIN_N:
        raise NotAvailable(
            f"N = {row.N:.0f} < {SPARSE_MIN_N}: the finite-size error of the strongly inhibitory "
            "network exceeds the band (⟨r⟩ +5 to +12 % at N = 2000, up to +41 % at N = 500)"
        )
    net, mf = row[f"{key}_net"], row[f"{key}_mf"]
    note = f"{key} net {net:.4g}, mf {mf:.4g} (Δ + γ = {row.delta + row.noise:g})"
    return abs(net / mf - 1), tolerance, note


def _rhythm_tables(res, name):
    paths = res.glob(f"bifurcation/rhythms/*/{name}.csv")
    if not paths:
        raise NotAvailable(f"no bifurcation/rhythms/*/{name}.csv")
    return pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)


def _rhythm_supercritical(res):
    hopf = _rhythm_tables(res, "hopf")
    return float(hopf.l1.max()), 0.0, f"{len(hopf)} Hopf points"


def _rhythm_cycles_stable(res):
    cycles = _rhythm_tables(res, "cycles")
    return float(cycles.stable.astype(bool).mean()), 1.0


def _rhythm_verification(res, key, threshold):
    """(value, threshold, note) of the worst verified window (rhythm and curve key) of
    results/verification/rhythms/<name>/<key>/summary.json; ``threshold`` a number or a
    function of the run's N."""
    worst = None
    for path in res.glob("verification/rhythms/*/*/summary.json"):
        summary = json.loads(path.read_text())
        value = summary.get(key)
        if value is None or not summary.get("points_away_from_curves", 1):
            continue
        t = threshold(summary["N"]) if callable(threshold) else threshold
        window = f"{path.parent.parent.name} {path.parent.name}"
        if worst is None or value - t < worst[0] - worst[1]:
            worst = (value, t, f"{window}: {summary['points']} points, "
                     f"{summary['points_away_from_curves']} away from the curve")  # fmt: skip
    if worst is None:
        raise NotAvailable("no verification/rhythms/*/*/summary.json")
    return worst


# |max Re μ| (1/τ) of the equilibrium below which a network is "near onset": the runs start
# their window at t_min = 10 τ, and a transient decays (or a rhythm settles) only where
# |max Re μ| t_min ≥ 1 (the E–I mean-field runs at g_II = 0.6 and 0.95, max Re μ = −0.083 and
# 0.055, are 0.04 and 11 % away from their attractors' std at t = 10 to 20)
RHYTHM_BAND = 0.1
# networks smaller than this are left out of the claims on the size of a rhythm: the shot noise
# of their counted rate, sqrt(⟨r⟩/(N b)) = 0.24 at N = 500, is as large as the E–I rhythm
RHYTHM_MIN_N = 5000


def _rhythm_networks(res):
    """The network tables of every rhythm entry (results/rhythms/<name>.tsv), with ``rhythm``."""
    paths = res.glob("rhythms/*.tsv")
    if not paths:
        raise NotAvailable("no rhythms/*.tsv (no rhythm entry with networks)")
    return pd.concat(
        [pd.read_csv(p, sep="\t").assign(rhythm=p.stem) for p in paths], ignore_index=True
    )


def _large_networks(res):
    t = _rhythm_networks(res)
    t = t[t.N >= RHYTHM_MIN_N]
    if t.empty:
        raise NotAvailable(f"no rhythm network with N ≥ {RHYTHM_MIN_N}")
    return t


def _rhythm_switch(res):
    """Worst entry: largest std r of the networks where the equilibrium is stable over the
    smallest where it is unstable, points with |growth| ≥ RHYTHM_BAND and N ≥ RHYTHM_MIN_N."""
    t = _large_networks(res)
    worst, notes = -math.inf, []
    for name, e in t.groupby("rhythm"):
        stable = e[e.growth <= -RHYTHM_BAND]
        unstable = e[e.growth >= RHYTHM_BAND]
        if stable.empty or unstable.empty:
            continue
        ratio = stable.std_r_net.max() / unstable.std_r_net.min()
        notes.append(f"{name}: {stable.std_r_net.max():.3g}/{unstable.std_r_net.min():.3g}")
        worst = max(worst, ratio)
    if not notes:
        raise NotAvailable("no rhythm entry has networks on both sides of its onset")
    return worst, 0.25, "; ".join(notes)


def _rhythm_frequency(res):
    """Worst relative error of the network's frequency against the cycle of the continuation,
    oscillating points (growth ≥ RHYTHM_BAND) on the continuation's line."""
    t = _rhythm_networks(res)
    t = t[t.on_branch.astype(bool) & (t.growth >= RHYTHM_BAND) & (t.reference == "cycle")]
    if t.empty:
        raise NotAvailable("no oscillating network on a continuation's line")
    k = t.rel_err_frequency.abs().idxmax()
    return abs(t.rel_err_frequency[k]), 0.03, f"{len(t)} networks; worst {t.run[k]}"


def _rhythm_frequency_off_line(res):
    """Worst relative error of the network's frequency against the mean-field run, oscillating
    points off the continuation's line (e.g. another g)."""
    t = _rhythm_networks(res)
    t = t[~t.on_branch.astype(bool) & (t.growth >= RHYTHM_BAND)]
    if t.empty:
        raise NotAvailable("no oscillating network off a continuation's line")
    k = t.rel_err_frequency.abs().idxmax()
    return abs(t.rel_err_frequency[k]), 0.03, f"{len(t)} networks; worst {t.run[k]}"


def _rhythm_std(res):
    """Worst relative error of the network's std r against the cycle's (oscillating points on
    the continuation's line, N ≥ RHYTHM_MIN_N); threshold 0.02 + 2/√N at the smallest N."""
    t = _large_networks(res)
    t = t[t.on_branch.astype(bool) & (t.growth >= RHYTHM_BAND) & (t.reference == "cycle")]
    if t.empty:
        raise NotAvailable("no oscillating network on a continuation's line")
    err = (t.std_r_net / t.std_r_cycle - 1).abs()
    k = err.idxmax()
    return err[k], _finite_size(t.N.min()), f"{len(t)} networks; worst {t.run[k]}"


def _cluster_tables(res, pattern):
    paths = res.glob(pattern)
    if not paths:
        raise NotAvailable(f"no {pattern}")
    return paths


def _coexistence_width(res):
    """Smallest relative width of the coexistence range over the clusters entries."""
    worst, notes = math.inf, []
    for path in _cluster_tables(res, "bifurcation/clusters/*/range.csv"):
        t = pd.read_csv(path).iloc[0]
        rel = float(t["relative_width"]) if math.isfinite(t["relative_width"]) else 0.0
        notes.append(f"{path.parent.name}: [{t['low']:.4g}, {t['high']:.4g}]")
        worst = min(worst, rel)
    return worst, 0.1, "; ".join(notes)


def _pulse_mismatches(res, who):
    bad, n = 0, 0
    for path in _cluster_tables(res, "compare/clusters/*.tsv"):
        t = pd.read_csv(path, sep="\t")
        bad += int((t[who] != t["expected"]).sum())
        n += len(t)
    return bad, 0, f"{n} windows"


def _onset_shift(res):
    """Smallest |corrected − uncorrected| onset over the resets of every asymmetric_onset entry."""
    paths = _cluster_tables(res, "bifurcation/asymmetric_onset/*.csv")
    t = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
    note = ", ".join(f"V_r {r.v_reset:g}: {r.onset_corrected:.4f}" for r in t.itertuples())
    return float(t["shift"].abs().min()), 0.05, f"{note}; P19 {t.onset_uncorrected.iloc[0]:.4f}"


def _amplitude_corrected(res):
    """Worst ratio |A_net − A_mf| / |A_net − A_P19| over the network runs."""
    paths = _cluster_tables(res, "compare/asymmetric_onset/*_runs.tsv")
    t = pd.concat([pd.read_csv(p, sep="\t") for p in paths], ignore_index=True)
    ratio = (t.amplitude_net - t.amplitude_mf).abs() / (t.amplitude_net - t.amplitude_p19).abs()
    return float(ratio.max()), 0.5, f"{len(t)} runs"


def _onset_estimate(res):
    """Worst ratio |onset_net − onset_mf| / |onset_net − onset_P19| of the extrapolated onsets."""
    paths = _cluster_tables(res, "compare/asymmetric_onset/*_onsets.tsv")
    t = pd.concat([pd.read_csv(p, sep="\t") for p in paths], ignore_index=True)
    ratio = (t.onset_net - t.onset_mf).abs() / (t.onset_net - t.onset_p19).abs()
    note = "; ".join(f"V_r {r.v_reset:g}: net {r.onset_net:.3f}, mf {r.onset_mf:.3f}, "
                     f"P19 {r.onset_p19:.3f}" for r in t.itertuples())  # fmt: skip
    return float(ratio.max()), 1.0, note


CLAIMS: tuple[Claim, ...] = (
    Claim("mpr15_bifurcation", "the two fold curves meet at the cusp (η̄, J) = (−√3, 7.796) "
          "(value: distance)", _cusp_g0, "<="),
    Claim("mpr15_bifurcation", "at J = 15 the low and high states coexist between the folds "
          "η̄ = −5.744 and −3.136 (value: largest deviation)", _folds_J15, "<="),
    Claim("protocol_mpr15_step", "network and mean field agree: relative error of the mean "
          "rate (threshold 0.02 + 2/√N)", _step_mean_rate, "<="),
    Claim("protocol_mpr15_step", "transient synchrony: during the step the mean field's damped "
          "oscillation has the period 2π/Im λ of the focus at η̄ + I (1.0896 at −2, J = 15) "
          "(value: relative error)", lambda res: _step_period(res, "mf"), "<="),
    Claim("protocol_mpr15_step", "the network's transient synchrony has the focus period "
          "2π/Im λ (value: relative error; threshold 0.02 + 2/√N)",
          lambda res: _step_period(res, "net"), "<="),
    Claim("protocol_mpr15_step", "persistent activity: after the step the network stays on the "
          "high state (value: relative deviation of r from the focus)", _step_persistent, "<="),
    Claim("protocol_mpr15_sine", "sinusoidal forcing switches the network between the low and "
          "the high state each period (value: min(up, down switches) per forcing period)",
          _sine_switches, ">="),
    Claim("p19_coupling", "the firing-rate equations describe the network with chemical, "
          "electrical and mixed synapses: relative error of the mean rate, worst run "
          "(threshold 0.02 + 2/√N)", _coupling_rate, "<="),
    Claim("p19_coupling", "… and the amplitude of the collective oscillation (2√2 std v), worst "
          "oscillating run (threshold 0.02 + 2/√N, + 7.5/V_p with gap junctions: a "
          "finite-threshold bias that does not shrink with N, −6.7 % at V_p = 100)",
          _coupling_amplitude, "<="),
    Claim("p19_onset", "electrical coupling switches synchrony on at the Hopf value g_H of the "
          "mean field: the network's oscillation amplitude below g_H is under a quarter of the "
          "smallest above it (points farther than 0.25 from g_H; value: ratio)",
          _onset_switch, "<="),
    Claim("p19_onset", "above g_H the network's oscillation amplitude is the mean field's "
          "(value: worst relative error; threshold 0.02 + 2/√N + 7.5/V_p, the finite-threshold "
          "bias of the amplitude under gap junctions)", _onset_amplitude, "<="),
    Claim("p19_limit_cycles", "the Hopf bifurcation is supercritical: the cycle amplitude grows "
          "as (η̄ − η̄_H)^β with β = ½ inside the 95 % interval of a free fit (value: |β − ½|; "
          "threshold: the interval's half-width)", _hopf_exponent, "<="),
    Claim("p19_limit_cycles", "the fit can tell ½ from 1: half-width of the exponent's 95 % "
          "interval", _hopf_exponent_width, "<="),
    Claim("p19_limit_cycles", "all cycles of the Hopf branch are stable (value: share)",
          _cycles_stable, ">="),
    Claim("p19_hysteresis", "at J = 15 electrical coupling eventually removes most persistent "
          "states: the mean-field persistent range at g = 1 is below a quarter of that at g = 0 "
          "(value: ratio of widths, 0.36/2.60 expected)", _persistent_collapse, "<="),
    Claim("p19_hysteresis", "… but not monotonically: for small g (0 < g < 0.7) the persistent "
          "range first widens (value: widest / width at g = 0; 3.13/2.60 expected)",
          _persistent_widening, ">="),
    Claim("p19_hysteresis", "ramps overshoot the static range: the mean field's hysteresis "
          "width under the ramp exceeds the static persistent width at g = 0 (value: "
          "difference)", _ramp_overshoot, ">="),
    Claim("p19_hysteresis", "… and the overshoot grows with the ramp speed where the high-"
          "activity state is a fixed point: at every g < 0.7 the mean field's width under the "
          "faster ramp exceeds that under the slower one (value: smallest difference)",
          _ramp_speed_overshoot, ">="),
    Claim("p19_hysteresis", "… but not at g = 1, where the high-activity state oscillates: the "
          "faster ramp leaves it earlier and its loop is no wider (value: width fast − slow)",
          _ramp_speed_oscillating, "<="),
    Claim("p19_hysteresis", "network and mean field switch at the same drive under the ramps "
          "(value: largest difference of hysteresis widths)", _ramp_agreement, "<="),
    Claim("p19_phase_diagrams", "oscillations replace most bistability: the bistable share of "
          "the (η̄, J) window at g = 1 is below half of that at g = 0 (value: ratio)",
          _bistable_area, "<="),
    Claim("p19_codim2", "the SNSL point exists exactly for g above g* ≈ 1.28 (value: codim-2 "
          "rows farther than 0.05 from g* that violate it)", _snsl_threshold, "<="),
    Claim("p19_verification", "spiking networks started in every mean-field attractor reproduce "
          "the phase diagram: agreement over all grid points, worst g (threshold 0.9 at "
          "N ≥ 10⁴, else 0.6)", lambda res: _verification(res, "agreement_all"), ">="),
    Claim("p19_verification", "… including the coexistence regions (bistable, oscillation + "
          "fixed point) away from the curves, worst g (threshold 0.9 at N ≥ 10⁴, else 0.6)",
          lambda res: _verification(res, "agreement_coexistence"), ">="),
    Claim("mp20_asymmetry", "the MP20 mean field (virtual chemical coupling g κ) removes most "
          "of the P19 error of the mean rate at V_r = −50 (value: |err MP20| / |err P19|)",
          _asymmetry, "<="),
    Claim("finite_size", "the rate fluctuations of the asynchronous state fall as N^(−1/2) "
          "(value: |slope + ½|)", _fluctuation_slope, "<="),
    Claim("ei_gap", "with gap junctions among the I cells the E–I network has the mean field's "
          "rhythm: relative error of the spectral period, I population", _ei_period, "<="),
    Claim("ei_gap", "without them the mean field is stationary (value: std r_I after the "
          "transient)", _ei_stationary, "<="),
    Claim("ei_gap", "… and the network is asynchronous: the rms amplitude of v_I without the gap "
          "junctions is below 0.3 of that with them (value: ratio)", _ei_asynchronous, "<="),
    Claim("sparse_synchrony", "sparse synchrony: with noise, identical neurons (Δ = 0) and gap "
          "junctions beyond the Hopf line, a neuron fires in under a quarter of the rhythm's "
          "cycles (value: mean single-neuron rate / the rhythm's frequency)",
          _sparse_rate_per_cycle, "<="),
    Claim("sparse_synchrony", "… and irregularly (value: ISI CV, pooled over the recorded "
          "neurons)", _sparse_isi_cv, ">="),
    Claim("sparse_synchrony", "the network's ⟨r⟩ is that of the mean field with Δ + γ within "
          "5 % (value: relative error; tested at N ≥ 10⁴, where it scatters by ~2 % with the "
          "noise seed)", lambda res: _sparse_agreement(res, "r", 0.05), "<="),
    Claim("sparse_synchrony", "… and its rhythm's period within 3 % (spectral peaks; value: "
          "relative error; tested at N ≥ 10⁴)",
          lambda res: _sparse_agreement(res, "period", 0.03), "<="),
    Claim("rhythm_onset", "every rhythm of the population models starts at a supercritical Hopf "
          "bifurcation (value: largest first Lyapunov coefficient)", _rhythm_supercritical,
          "<="),
    Claim("rhythm_onset", "the cycles continued from the onsets are stable (value: share)",
          _rhythm_cycles_stable, ">="),
    Claim("rhythm_curves", "the verification protocol (start in each attractor, classify the "
          "second half by the smoothed rate amplitude) run on the mean field itself gives its "
          "labels: share of grid points, worst window", lambda res: _rhythm_verification(
              res, "protocol_agreement", 0.99), ">="),
    Claim("rhythm_curves", "spiking networks started in each mean-field attractor oscillate "
          "exactly where the mean field does, away from a band around the Hopf curve: share of "
          "grid points, worst window (threshold 0.9 at N ≥ 2000 per population, else 0.5)",
          lambda res: _rhythm_verification(res, "agreement_away",
                                           lambda N: 0.9 if N >= 2000 else 0.5), ">="),
    Claim("rhythm_onset", "spiking networks oscillate where the continuation's equilibrium is "
          "unstable and not where it is stable: away from the onset (|max Re μ| ≥ 0.1/τ), the "
          "largest std of r among stable points is below ¼ of the smallest among unstable "
          "points, worst entry (N ≥ 5000; value: ratio)", _rhythm_switch, "<="),
    Claim("rhythm_onset", "where they oscillate the networks have the continuation's rhythm: "
          "relative error of the frequency against the cycle, worst network", _rhythm_frequency,
          "<="),
    Claim("rhythm_onset", "… and its size: relative error of the std of r against the cycle's, "
          "worst network (N ≥ 5000; threshold 0.02 + 2/√N)", _rhythm_std, "<="),
    Claim("rhythm_curves", "off the continuation's line (another coupling) the oscillating "
          "networks have the mean field's frequency: relative error against the mean-field "
          "run, worst network", _rhythm_frequency_off_line, "<="),
    Claim("two_clusters", "two inhibitory clusters are bistable: a stable cycle (synchronous) "
          "and a stable equilibrium (asynchronous) coexist over a range of the drive (value: "
          "its width relative to the largest |η̄|, from continuation)", _coexistence_width, ">="),
    Claim("two_clusters", "brief pulses flip the mean field between the asynchronous and the "
          "synchronous state (value: windows not in the expected state)",
          lambda res: _pulse_mismatches(res, "meanfield"), "<="),
    Claim("two_clusters", "… and the spiking network alike (value: windows not in the expected "
          "state)", lambda res: _pulse_mismatches(res, "network"), "<="),
    Claim("mp20_populations", "asymmetric spikes of the I cells shift the onset g_II* of the "
          "E–I rhythm (value: smallest |corrected − uncorrected onset| over the resets, from "
          "continuation)", _onset_shift, ">="),
    Claim("mp20_populations", "the network's rhythm amplitude is the corrected mean field's, "
          "not the P19 one's (value: worst |A_net − A_κ| / |A_net − A_P19| over the runs)",
          _amplitude_corrected, "<="),
    Claim("mp20_populations", "the network's onset (amplitude² extrapolated) is nearer the "
          "corrected mean field's than the P19 one's, extrapolated alike (value: worst ratio of "
          "the distances)", _onset_estimate, "<="),
)  # fmt: skip


def evaluate(results_dir, *, figures: Mapping | None = None, claims=CLAIMS) -> pd.DataFrame:
    """One row per claim: figure, claim, value, comparison, threshold, status ("pass",
    "fail", "untested") and note (why a claim is untested)."""
    res = Results(results_dir, figures)
    rows = []
    for claim in claims:
        if claim.comparison not in ("<=", ">="):
            raise ValueError(f"{claim.figure}: comparison must be '<=' or '>='")
        note, untested = "", False
        try:
            value, threshold, *shown = claim.compute(res)
            value, threshold, note = float(value), float(threshold), "".join(shown)
        except NotAvailable as exc:
            value, threshold, note, untested = math.nan, math.nan, str(exc), True
        if untested:
            status = "untested"
        elif not math.isfinite(value):
            status, note = "fail", "the value is not a finite number"
        elif claim.comparison == "<=":
            status = "pass" if value <= threshold else "fail"
        else:
            status = "pass" if value >= threshold else "fail"
        rows.append({"figure": claim.figure, "claim": claim.text, "value": value,
                     "comparison": claim.comparison, "threshold": threshold, "status": status,
                     "note": note})  # fmt: skip
    return pd.DataFrame(rows)


def write(table: pd.DataFrame, path) -> None:
    """Write the claims table as TSV, atomically (:func:`qifgap.results.write_table`)."""
    write_table(path, table)


_STATUS_STYLE = {"pass": "color:#1a7f37", "fail": "background:#ffd7d5;color:#b00000;"
                 "font-weight:bold", "untested": "color:#6e7781"}  # fmt: skip


def write_html(table: pd.DataFrame, path) -> None:
    """Write the claims table as an HTML page for the report, atomically: failed claims in
    red (bold, on a red background), untested ones grey, and the counts on top."""
    import html

    counts = table.status.value_counts().to_dict()
    head = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("pass", "fail", "untested"))
    rows = []
    for row in table.itertuples(index=False):
        cells = [row.figure, row.claim, f"{row.value:.4g}", row.comparison,
                 f"{row.threshold:.4g}", row.status, row.note]  # fmt: skip
        tds = "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
        rows.append(f'<tr style="{_STATUS_STYLE.get(row.status, "")}">{tds}</tr>')
    columns = "".join(f"<th>{c}</th>" for c in
                      ("figure", "claim", "value", "", "threshold", "status", "note"))  # fmt: skip
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>qifgap claims</title>'
        "<style>body{font-family:sans-serif;font-size:14px}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}</style>"
        f"</head><body><p><b>Claims: {head}</b></p><table><tr>{columns}</tr>"
        + "\n".join(rows)
        + "</table></body></html>\n"
    )
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``qifgap claims`` (shared by :func:`main` and the ``qifgap`` CLI)."""
    parser.add_argument("results", help="the results directory")
    parser.add_argument("--configfile", help="the config that made it (for figures:)")
    parser.add_argument("--output", help="default: RESULTS/claims.tsv")
    parser.add_argument("--strict", action="store_true", help="untested claims fail too")


def main(argv=None) -> int:
    """``qifgap claims RESULTS [--configfile FILE] [--output FILE] [--strict]``: evaluate,
    write RESULTS/claims.tsv, print the failures; exit 1 if a claim fails."""
    parser = argparse.ArgumentParser(prog="qifgap claims", description=main.__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Evaluate the claims of ``args.results`` (see :func:`main`); 1 if a claim fails."""
    figures = {}
    if args.configfile:
        import yaml

        figures = (yaml.safe_load(Path(args.configfile).read_text()) or {}).get("figures", {})
    table = evaluate(args.results, figures=figures)
    write(table, args.output or Path(args.results) / "claims.tsv")
    bad = table.status.eq("fail") | (args.strict & table.status.eq("untested"))
    for row in table.itertuples(index=False):
        print(f"{row.status:4}  {row.figure}: {row.claim} — value {row.value:.4g} "
              f"{row.comparison} {row.threshold:.4g} {row.note}".rstrip())  # fmt: skip
    counts = table.status.value_counts().to_dict()
    print(f"qifgap claims: {counts.get('pass', 0)} pass, {counts.get('fail', 0)} fail, "
          f"{counts.get('untested', 0)} untested", file=sys.stderr)  # fmt: skip
    return 1 if bad.any() else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
