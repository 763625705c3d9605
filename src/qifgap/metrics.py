"""Comparison metrics between time series (network against mean field) and oscillation measures.

All functions take plain arrays on a regular time grid (time in units of τ).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "rmse",
    "relative_rmse",
    "upward_crossings",
    "crossing_period",
    "spectral_peak",
    "oscillation_amplitude",
    "rms_amplitude",
    "compare",
    "COLUMNS",
]


def rmse(a, b) -> float:
    """sqrt(mean((a − b)²))."""
    a, b = np.asarray(a), np.asarray(b)
    return float(np.sqrt(np.mean(np.abs(a - b) ** 2)))


def relative_rmse(a, b) -> float:
    """RMSE(a, b) / RMS(b): the error of ``a`` relative to the size of the reference ``b``."""
    ref = float(np.sqrt(np.mean(np.abs(np.asarray(b)) ** 2)))
    return rmse(a, b) / ref if ref > 0 else float("nan")


def upward_crossings(t, y, *, h: float) -> np.ndarray:
    """Times where y crosses 0 upwards (linear interpolation), each counted only after y has
    been below −h since the previous one (a hysteresis that keeps noise from adding
    crossings)."""
    t, y = np.asarray(t, dtype=float), np.asarray(y, dtype=float)
    crossings = []
    armed = False
    for k in range(y.size - 1):
        if y[k] < -h:
            armed = True
        if armed and y[k] < 0 <= y[k + 1]:
            crossings.append(t[k] - y[k] * (t[k + 1] - t[k]) / (y[k + 1] - y[k]))
            armed = False
    return np.array(crossings)


def crossing_period(t, x, *, hysteresis: float = 0.25) -> float:
    """Mean period from the upward crossings of x through its mean (linear interpolation).

    A crossing counts only after x has been below mean − h since the last one, with
    h = ``hysteresis`` × std(x), so that noise (a finite network) does not add crossings.
    For sustained oscillations; NaN if fewer than two crossings.
    """
    y = np.asarray(x, dtype=float) - np.mean(x)
    crossings = upward_crossings(t, y, h=hysteresis * y.std())
    if len(crossings) < 2:
        return float("nan")
    return float(np.diff(crossings).mean())


def spectral_peak(t, x, *, pad: int = 16) -> tuple[float, float]:
    """(frequency, power share) of the largest non-zero peak of the spectrum of x(t).

    The signal is detrended (linear), Hann-windowed and zero-padded ``pad`` times; the peak is
    refined by parabolic interpolation of the log power. Frequencies in cycles per τ; the
    power share is the peak bin's fraction of the total power (1 for a pure sine, ~0 for
    noise). Works for damped oscillations as well, where crossings fail.
    """
    t, x = np.asarray(t, dtype=float), np.asarray(x, dtype=float)
    if t.size < 8:
        return float("nan"), float("nan")
    dt = float(np.mean(np.diff(t)))
    y = x - np.polyval(np.polyfit(t - t[0], x, 1), t - t[0])
    y = y * np.hanning(y.size)
    n = int(2 ** np.ceil(np.log2(y.size * pad)))
    power = np.abs(np.fft.rfft(y, n)) ** 2
    freq = np.fft.rfftfreq(n, dt)
    total = power[1:].sum()
    if total <= 0:
        return float("nan"), 0.0
    k = int(np.argmax(power[1:-1])) + 1
    a, b, c = np.log(power[k - 1 : k + 2] + 1e-300)
    shift = 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) != 0 else 0.0
    f_peak = freq[k] + shift * (freq[1] - freq[0])
    share = float(power[max(k - pad, 1) : k + pad + 1].sum() / total)
    return float(f_peak), share


def oscillation_amplitude(x) -> float:
    """Peak-to-peak amplitude max(x) − min(x)."""
    x = np.asarray(x)
    return float(x.max() - x.min()) if x.size else float("nan")


def rms_amplitude(x) -> float:
    """2√2 · std(x): the peak-to-peak amplitude of a sinusoid with the same variance.

    Unlike max − min it averages over the window, so finite-size noise inflates it little.
    """
    x = np.asarray(x, dtype=float)
    return float(2 * np.sqrt(2) * x.std()) if x.size else float("nan")


COLUMNS = {
    "rmse_r": "RMSE of r(t), network against mean field",
    "rmse_v": "RMSE of the network's mean voltage ⟨V⟩(t) against the mean field's v + κ τ r "
    "(κ = kappa_v): the arithmetic mean of voltages between V_r and V_p, not the Lorentzian "
    "centre v, when V_p ≠ −V_r",
    "rel_rmse_r": "RMSE of r relative to the RMS of the mean field's r",
    "rel_rmse_v": "RMSE of ⟨V⟩ relative to the RMS of the mean field's v + κ τ r",
    "rmse_Z": "RMSE of the Kuramoto order parameter Z(t)",
    "kappa_v": "κ = ln(V_p/|V_r|) of the network's spikes, used for the voltage: v + κ τ r",
    "mean_v_mf": "time average of the mean field's v + κ τ r (the network's ⟨V⟩ in the theory)",
}


def compare(net, mf, *, t_min=None, t_max=None, kappa=0.0, tau=1.0) -> dict:
    """Metrics of a network time series against the mean field on the same time grid.

    Both are :class:`qifgap.results.TimeSeries` (or objects with t, r, v, Z); the window
    [t_min, t_max] restricts the comparison (e.g. to skip an initial transient). Voltages are
    compared like with like: the network reports the arithmetic mean ⟨V⟩ = v + κ τ r of its
    integrating neurons (science.md §2, κ = ln(V_p/|V_r|) of the network's spikes, ``kappa``),
    so every voltage metric of the mean field uses v + κ τ r (see :data:`COLUMNS`).
    """
    if net.t.shape != mf.t.shape or not np.allclose(net.t, mf.t):
        raise ValueError("net and mf must be sampled on the same time grid")
    if not np.isfinite(kappa):
        raise ValueError(f"kappa must be finite, got {kappa!r}")
    if not tau > 0:
        raise ValueError(f"tau must be > 0, got {tau!r}")
    w = np.ones(net.t.shape, dtype=bool)
    if t_min is not None:
        w &= net.t >= t_min
    if t_max is not None:
        w &= net.t <= t_max
    if w.sum() < 2:
        raise ValueError("the comparison window [t_min, t_max] holds fewer than two samples")
    t = net.t[w]
    voltage = {"net": net.v[w], "mf": mf.v[w] + kappa * tau * mf.r[w]}
    out = {
        "t_min": float(t[0]),
        "t_max": float(t[-1]),
        "kappa_v": float(kappa),
        "rmse_r": rmse(net.r[w], mf.r[w]),
        "rmse_v": rmse(voltage["net"], voltage["mf"]),
        "rel_rmse_r": relative_rmse(net.r[w], mf.r[w]),
        "rel_rmse_v": relative_rmse(voltage["net"], voltage["mf"]),
        "rmse_Z": rmse(net.Z[w], mf.Z[w]),
    }
    for name, ts in (("net", net), ("mf", mf)):
        r, v, z = ts.r[w], voltage[name], np.abs(ts.Z[w])
        f, share = spectral_peak(t, v)
        out.update(
            {
                f"mean_r_{name}": float(r.mean()),
                f"mean_v_{name}": float(v.mean()),
                f"std_r_{name}": float(r.std()),
                f"amplitude_r_{name}": oscillation_amplitude(r),
                f"amplitude_v_{name}": oscillation_amplitude(v),
                f"rms_amplitude_v_{name}": rms_amplitude(v),
                f"period_{name}": crossing_period(t, v),
                f"spectral_peak_{name}": f,
                f"spectral_share_{name}": share,
                f"mean_absZ_{name}": float(z.mean()),
                f"std_absZ_{name}": float(z.std()),
            }
        )
    out["rel_err_mean_r"] = out["mean_r_net"] / out["mean_r_mf"] - 1
    out["rel_err_period"] = out["period_net"] / out["period_mf"] - 1
    return out
