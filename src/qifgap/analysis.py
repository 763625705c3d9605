"""Analyses behind the P19/MP20 figures: hysteresis under ramps, finite-size scaling fits,
and the persistent-activity range of the mean field against g. Time in units of τ.

:mod:`qifgap.bifurcation` (scipy.optimize, numba: ~1 s to import) is imported by the functions
that use it, so that a figure job that needs only the time-series analyses does not load it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .metrics import upward_crossings

__all__ = [
    "PERSISTENT",
    "moving_average",
    "hysteresis",
    "ramp_overshoot",
    "power_law_fit",
    "power_law_with_bias_fit",
    "bistable_range",
    "hopf_coupling",
    "hopf_onset",
    "asymmetry_table",
    "meanfield_variants",
    "finite_size_tables",
]


def moving_average(x, window: int) -> np.ndarray:
    """Centred moving average over ``window`` samples (shorter at the ends)."""
    x = np.asarray(x, dtype=float)
    if window <= 1:
        return x.copy()
    kernel = np.ones(window)
    num = np.convolve(x, kernel, mode="same")
    den = np.convolve(np.ones_like(x), kernel, mode="same")
    return num / den


def hysteresis(t, r, drive, *, threshold: float, smooth: float = 2.0) -> dict:
    """Switch-on and switch-off points of r under a ramp of the drive η̄ + I(t) up, then down.

    r is smoothed over ``smooth`` τ (longer than any oscillation period, so an oscillating
    high-activity state stays above threshold). On the rising part of the ramp the switch-on
    point is the drive at the first upward crossing of ``threshold``; on the falling part the
    switch-off point is the drive at the last downward crossing. Returns a dict with eta_on,
    eta_off, width = eta_on − eta_off (> 0: hysteresis, i.e. persistent activity) and NaN for
    crossings that do not happen.
    """
    t, r, drive = (np.asarray(a, dtype=float) for a in (t, r, drive))
    dt = float(np.mean(np.diff(t)))
    rs = moving_average(r, max(1, int(round(smooth / dt))))
    top = int(np.argmax(drive))
    up, down = slice(0, top + 1), slice(top, None)
    above = rs > threshold

    def first_up(mask, d):
        k = np.where(~mask[:-1] & mask[1:])[0]
        return float(d[k[0] + 1]) if k.size else float("nan")

    def last_down(mask, d):
        k = np.where(mask[:-1] & ~mask[1:])[0]
        return float(d[k[-1] + 1]) if k.size else float("nan")

    eta_on = first_up(above[up], drive[up])
    eta_off = last_down(above[down], drive[down])
    return {"eta_on": eta_on, "eta_off": eta_off, "width": eta_on - eta_off}


def ramp_overshoot(speeds, ranges) -> pd.DataFrame:
    """The overshoot of each ramp: its mean-field hysteresis width minus the static persistent
    width at the same g (interpolated in ``ranges``, columns g, width). ``speeds`` has columns
    g, speed, width_net, width_mf (compare/hysteresis_speeds.tsv); adds overshoot_mf and
    overshoot_net."""
    static = ranges.sort_values("g")
    out = speeds.copy()
    width = np.interp(out.g, static.g, static.width)
    out["overshoot_mf"] = out.width_mf - width
    out["overshoot_net"] = out.width_net - width
    return out


def power_law_fit(x, y) -> dict:
    """Least-squares fit of log y = log a + s log x: returns slope s, prefactor a and its
    standard error of the slope."""
    lx, ly = np.log(np.asarray(x, dtype=float)), np.log(np.asarray(y, dtype=float))
    (s, b), cov = np.polyfit(lx, ly, 1, cov=True) if lx.size > 2 else (np.polyfit(lx, ly, 1), None)
    stderr = float(np.sqrt(cov[0, 0])) if cov is not None else float("nan")
    return {"slope": float(s), "prefactor": float(np.exp(b)), "slope_stderr": stderr}


PERSISTENT = ("bistable", "oscillation + fixed point")


def bistable_range(J: float, g_values, delta: float = 1.0, *, eta_range=(-12.0, 6.0),
                   n_eta: int = 2001) -> pd.DataFrame:  # fmt: skip
    """Range of η̄ with persistent activity in the mean field at fixed J, against g.

    Persistent activity is the coexistence of the low-activity state with a high-activity
    attractor: a second stable fixed point ("bistable") or a limit cycle, from the Hopf line
    or the large cycle bounded by the homoclinic curve ("oscillation + fixed point"), read off
    :func:`qifgap.bifurcation.phase_diagram`'s region labels on a fine η̄ grid. Columns: g,
    eta_min, eta_max (the extreme η̄ with persistent activity, NaN if none) and width (the
    total length in η̄ of the persistent set; 0 without it).
    """
    from . import bifurcation

    etas = np.linspace(eta_range[0], eta_range[1], n_eta)
    step = etas[1] - etas[0]
    rows = []
    for g in g_values:
        diagram = bifurcation.phase_diagram(g, delta, eta_range=eta_range,
                                            J_range=(J - 1.0, J + 1.0), n=2)  # fmt: skip
        persistent = np.isin(diagram.label(etas, np.full_like(etas, J)), PERSISTENT)
        inside = etas[persistent]
        rows.append({
            "g": float(g),
            "eta_min": float(inside.min()) if inside.size else np.nan,
            "eta_max": float(inside.max()) if inside.size else np.nan,
            "width": float(persistent.sum() * step),
        })  # fmt: skip
    return pd.DataFrame(rows)


def hopf_coupling(eta_bar: float, J: float, delta: float = 1.0, g_max: float = 20.0) -> float:
    """The gap-junction strength g_H at which (η̄, J) lies on the Hopf line (NaN if none in
    (0, g_max]): the root of η̄_H(J, g) = η̄, with oscillations for g > g_H."""
    from scipy.optimize import brentq

    from . import bifurcation

    g_grid = np.linspace(1e-3, g_max, 4000)
    f = np.array([bifurcation.hopf_eta(J, g, delta) for g in g_grid]) - eta_bar
    ok = np.isfinite(f)
    sign_change = np.where(ok[:-1] & ok[1:] & (np.sign(f[:-1]) != np.sign(f[1:])))[0]
    if not sign_change.size:
        return float("nan")
    k = sign_change[0]
    return float(brentq(lambda g: bifurcation.hopf_eta(J, g, delta) - eta_bar, g_grid[k],
                        g_grid[k + 1], xtol=1e-12))  # fmt: skip


def hopf_onset(eta_bar: float, J: float, delta: float = 1.0) -> tuple[float, float]:
    """(g_H, ω_H): the gap-junction strength at which (η̄, J) lies on the Hopf line
    (:func:`hopf_coupling`) and the onset angular frequency there. ω_H is evaluated at
    g_H + 10⁻⁹, on the oscillating side, so that a root at the end of the Hopf line (ω → 0, where
    rounding can put g_H just outside it) still gives a number. (NaN, NaN) without a Hopf point.
    """
    from . import bifurcation

    g_hopf = hopf_coupling(eta_bar, J, delta)
    if not np.isfinite(g_hopf):
        return float("nan"), float("nan")
    return g_hopf, float(bifurcation.hopf_frequency(J, g_hopf + 1e-9, delta))


def asymmetry_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Error of the P19 (κ = 0) and MP20 (κ = ln(V_p/|V_r|)) mean fields against networks with
    asymmetric spikes, from compare rows (columns run, network_run, v_reset, kappa,
    rel_err_mean_r). One row per network: v_reset, kappa, err_p19, err_mp20."""
    out = []
    for net_run, group in rows.groupby("network_run", sort=False):
        p19 = group[group.kappa == 0]
        corrected = group[group.kappa != 0]
        v_reset = float(group.v_reset.iloc[0])
        kappa = float(np.log(group.v_peak.iloc[0] / abs(v_reset)))
        err_p19 = float(p19.rel_err_mean_r.iloc[0]) if len(p19) else np.nan
        # for V_r = −V_p the corrected mean field is the P19 one
        err_mp20 = float(corrected.rel_err_mean_r.iloc[0]) if len(corrected) else err_p19
        out.append({"network_run": net_run, "v_reset": v_reset, "kappa": kappa,
                    "err_p19": err_p19, "err_mp20": err_mp20})  # fmt: skip
    return pd.DataFrame(out).sort_values("v_reset").reset_index(drop=True)


def meanfield_variants(runs: dict, network_run: str) -> tuple[str, str | None]:
    """The mean-field runs compared with the network of ``network_run``: (P19, MP20).

    ``runs``: resolved run parameters by name; a run belongs to ``network_run`` if it is that run
    or names it in ``network_from``. The P19 mean field is the one with κ = 0, the MP20 one the
    one with κ ≠ 0 (the virtual chemical synapse g κ of asymmetric spikes); None when there is
    none (V_r = −V_p, where the two coincide).
    """
    variants = {r: p for r, p in runs.items() if p.get("network_from", r) == network_run}
    p19 = next(r for r, p in variants.items() if p["meanfield"]["kappa"] == 0)
    mp20 = next((r for r, p in variants.items() if p["meanfield"]["kappa"] != 0), None)
    return p19, mp20


SLOPE_BOUND = 5.0  # |slope| of power_law_with_bias_fit


def power_law_with_bias_fit(x, y) -> dict:
    """Fit y = a xˢ + b (a > 0, b ≥ 0) by least squares on log y: a power law that levels off
    at a bias b (here: the error of a finite threshold, which no N removes). Returns slope s,
    prefactor a, bias b and the standard error of s. The slope is bounded to
    [−SLOPE_BOUND, SLOPE_BOUND]: data steeper than that give s at the bound."""
    from scipy.optimize import least_squares

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    start = power_law_fit(x, y)
    start_slope = min(max(start["slope"], -SLOPE_BOUND), SLOPE_BOUND)  # a feasible start

    def residuals(p):
        log_a, slope, bias = p
        return np.log(np.exp(log_a) * x**slope + bias) - np.log(y)

    lower, upper = [-np.inf, -SLOPE_BOUND, 0.0], [np.inf, SLOPE_BOUND, np.inf]
    fit = least_squares(residuals, [np.log(start["prefactor"]), start_slope, 0.1 * y.min()],
                        bounds=(lower, upper))  # fmt: skip
    dof = max(len(x) - 3, 1)
    cov = np.linalg.pinv(fit.jac.T @ fit.jac) * (2 * fit.cost / dof)
    return {"slope": float(fit.x[1]), "prefactor": float(np.exp(fit.x[0])),
            "bias": float(fit.x[2]), "slope_stderr": float(np.sqrt(cov[1, 1]))}  # fmt: skip


def _errors(table: pd.DataFrame) -> pd.DataFrame:
    t = table.copy()
    t["rel_err_mean_r"] = t.mean_r_net / t.mean_r_mf - 1
    t["abs_err_mean_r"] = t.rel_err_mean_r.abs()
    t["rel_std_r"] = t.std_r_net / t.mean_r_mf
    t["rel_err_period"] = t.period_net / t.period_mf - 1
    t["abs_err_period"] = t.rel_err_period.abs()
    t["rel_err_amplitude"] = t.rms_amplitude_v_net / t.rms_amplitude_v_mf - 1
    t["abs_err_amplitude"] = t.rel_err_amplitude.abs()
    return t


def finite_size_tables(*, async_, oscillation, v_peak_async, v_peak_oscillation):
    """Error columns of the finite-size sweeps (relative errors of the mean rate, period and
    amplitude, relative fluctuations std r / ⟨r⟩_mf) and their fits against N.

    The fluctuations are fitted with a pure power law (N^(−1/2) expected); the errors of
    time-averaged quantities with a power law plus a bias (:func:`power_law_with_bias_fit`),
    the part no N removes, which the V_p sweeps show to come from the finite threshold.
    Returns ({"async", "oscillation", "v_peak_async", "v_peak_oscillation"} tables, fits).
    """
    tables = {
        "async": _errors(async_).sort_values("N"),
        "oscillation": _errors(oscillation).sort_values("N"),
        "v_peak_async": _errors(v_peak_async).sort_values("v_peak"),
        "v_peak_oscillation": _errors(v_peak_oscillation).sort_values("v_peak"),
    }
    nan = {"slope": np.nan, "prefactor": np.nan, "bias": np.nan, "slope_stderr": np.nan}
    fits = []
    for name, table, col, with_bias in (
        ("async_rel_std_r", tables["async"], "rel_std_r", False),
        ("async_abs_err_mean_r", tables["async"], "abs_err_mean_r", True),
        ("osc_abs_err_period", tables["oscillation"], "abs_err_period", True),
        ("osc_abs_err_amplitude", tables["oscillation"], "abs_err_amplitude", True),
    ):
        ok = np.isfinite(table[col]) & (table[col] > 0)
        if ok.sum() < (4 if with_bias else 2):
            fit = nan
        elif with_bias:
            fit = power_law_with_bias_fit(table.N[ok], table[col][ok])
        else:
            fit = {**power_law_fit(table.N[ok], table[col][ok]), "bias": 0.0}
        fits.append({"name": name, **fit})
    return tables, pd.DataFrame(fits)


def _onset_fit(d, A, corrections: int):
    """Least squares of ln A = ln a + β ln d + ln(1 + c₁ d + … + c_k d^k): (parameters, cov)."""
    from scipy.optimize import least_squares

    start = power_law_fit(d, A)

    def residuals(p):
        poly = 1 + sum(p[2 + k] * d ** (k + 1) for k in range(corrections))
        return p[0] + p[1] * np.log(d) + np.log(np.maximum(poly, 1e-12)) - np.log(A)

    x0 = [np.log(start["prefactor"]), start["slope"]] + [0.0] * corrections
    fit = least_squares(residuals, x0)
    dof = max(d.size - len(x0), 1)
    return fit.x, np.linalg.pinv(fit.jac.T @ fit.jac) * (2 * fit.cost / dof), dof


def onset_exponent_fit(distance, amplitude, *, corrections: int = 2,
                       confidence: float = 0.95) -> dict:  # fmt: skip
    """Fit A = a dᵝ (1 + c₁ d + … + c_k d^k), k = ``corrections``, to an oscillation amplitude A
    against the distance d > 0 to a Hopf point (d = η̄ − η̄_H or g − g_H), with a free exponent
    β, by least squares on ln A. A supercritical Hopf bifurcation has β = ½ (A² analytic in d).

    The ``confidence`` interval of β is the Student-t interval of the fit (n − k − 2 degrees of
    freedom) widened by the truncation error |β_k − β_(k−1)|, the change of β when the last
    correction is dropped: on noise-free (mean-field) data the statistical interval alone only
    measures the neglected terms. Returns exponent, exponent_stderr, exponent_low,
    exponent_high, truncation, prefactor, n, confidence.
    """
    from scipy.stats import t as student_t

    d, A = np.asarray(distance, dtype=float), np.asarray(amplitude, dtype=float)
    ok = np.isfinite(d) & np.isfinite(A) & (d > 0) & (A > 0)
    d, A = d[ok], A[ok]
    if not isinstance(corrections, int | np.integer) or corrections < 1:
        raise ValueError(f"corrections must be a whole number >= 1, got {corrections!r}")
    if d.size < corrections + 3:
        raise ValueError(
            f"need at least {corrections + 3} points with distance > 0 and amplitude > 0, "
            f"got {d.size}"
        )
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    x, cov, dof = _onset_fit(d, A, corrections)
    lower_order = _onset_fit(d, A, corrections - 1)[0]
    beta, se = float(x[1]), float(np.sqrt(cov[1, 1]))
    truncation = abs(beta - float(lower_order[1]))
    half = float(student_t.ppf(0.5 + confidence / 2, dof)) * se + truncation
    return {"exponent": beta, "exponent_stderr": se, "exponent_low": beta - half,
            "exponent_high": beta + half, "truncation": truncation,
            "prefactor": float(np.exp(x[0])), "n": int(d.size),
            "confidence": confidence}  # fmt: skip


def focus_period(*, eta_bar, J, g, delta) -> float:
    """2π/Im λ of the stable focus at (η̄, J, g, Δ) (closed-form fixed points and Jacobian): the
    period of the damped oscillation (transient synchrony) towards it; NaN without one."""
    from . import bifurcation

    foci = [fp for fp in bifurcation.fixed_points(eta_bar=eta_bar, J=J, g=g, delta=delta)
            if fp.stability == "stable focus"]  # fmt: skip
    if not foci:
        return float("nan")
    return float(2 * np.pi / abs(foci[-1].eigenvalues[0].imag))


def transient_period(t, x, *, t_min, t_max, skip: int = 0, floor: float = 0.05,
                     smooth: float = 0.0) -> dict:  # fmt: skip
    """Period of a damped oscillation (transient synchrony) from the spacing of its upward
    crossings of the level it settles at, x on [t_min, t_max].

    The level is the median of the last quarter of the window. A crossing counts after x has
    been below level − h since the last one, h = ``floor`` × the largest excursion, so crossings
    stop where the oscillation has decayed into noise. The first ``skip`` intervals are
    dropped. x may be smoothed by a centred moving average over ``smooth`` τ (a finite
    network's rate). For x = x* + A e^{σt} cos(ωt + φ) the crossings of x* are exactly 2π/ω
    apart; the large first swings are slower (nonlinear), so ``period`` is the mean of the last
    half of the intervals (the period the oscillation tends to) and ``period_all`` the mean of
    all. Also returns n_intervals (NaN periods and 0 without an interval).
    """
    t, x = np.asarray(t, dtype=float), np.asarray(x, dtype=float)
    w = (t >= t_min) & (t <= t_max)
    t, x = t[w], x[w]
    if t.size < 8:
        raise ValueError(f"the window [{t_min}, {t_max}] holds fewer than 8 samples")
    if smooth > 0:
        x = moving_average(x, max(1, int(round(smooth / np.mean(np.diff(t))))))
    y = x - np.median(x[-max(2, x.size // 4) :])
    h = floor * np.abs(y).max()
    intervals = np.diff(upward_crossings(t, y, h=h))[skip:]
    if intervals.size < 1:
        return {"period": float("nan"), "period_all": float("nan"), "n_intervals": 0}
    late = intervals[intervals.size // 2 :]
    return {"period": float(late.mean()), "period_all": float(intervals.mean()),
            "n_intervals": int(intervals.size)}  # fmt: skip
