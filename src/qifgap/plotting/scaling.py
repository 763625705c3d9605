"""Scaling figures: the network–mean-field error against N and against the threshold V_p."""

from __future__ import annotations

import numpy as np

from .style import MF, NET, figure, panel_label, styled

__all__ = ["finite_size_figure"]


def _fit_curve(ax, N, fit, color, label):
    if np.isfinite(fit["slope"]):
        x = np.geomspace(N.min(), N.max(), 100)
        ax.loglog(x, fit["prefactor"] * x ** fit["slope"] + fit["bias"], color=color, lw=0.7,
                  label=label)  # fmt: skip


@styled
def finite_size_figure(tables, fits):
    """(a) Asynchronous state: error of the mean rate and relative fluctuations against N;
    (b) oscillation: errors of period and amplitude against N, with fits a N^s (+ bias);
    (c) the finite-threshold bias: errors at large N against V_p = −V_r."""
    fig, axes = figure(1, 3, figsize=(6.8, 2.5), gridspec_kw={"wspace": 0.42})
    a, b, c = axes
    t = tables["async"]
    a.loglog(t.N, t.abs_err_mean_r, "o", color=NET, ms=3.5, label="|⟨r⟩ − r*| / r*")
    a.loglog(t.N, t.rel_std_r, "s", mfc="none", color=MF, ms=4, label="std r(t) / r*")
    f = fits.loc["async_abs_err_mean_r"]
    _fit_curve(a, t.N, f, NET, f"N^{f['slope']:.2f} + {f['bias']:.1e}")
    f = fits.loc["async_rel_std_r"]
    _fit_curve(a, t.N, f, MF, f"slope {f['slope']:.2f} ± {f['slope_stderr']:.2f}")
    a.set_xlabel("N")
    a.set_ylabel("relative error")
    a.set_title("asynchronous state", loc="left")
    a.legend(fontsize=5.5)
    o = tables["oscillation"]
    b.loglog(o.N, o.abs_err_period, "o", color=NET, ms=3.5, label="period")
    b.loglog(o.N, o.abs_err_amplitude, "s", mfc="none", color=MF, ms=4, label="amplitude of v")
    for key, color in (("osc_abs_err_period", NET), ("osc_abs_err_amplitude", MF)):
        f = fits.loc[key]
        _fit_curve(b, o.N, f, color, f"N^{f['slope']:.2f} + {f['bias']:.1e}")
    b.set_xlabel("N")
    b.set_title("collective oscillation", loc="left")
    b.legend(fontsize=5.5)
    va, vo = tables["v_peak_async"], tables["v_peak_oscillation"]
    c.plot(va.v_peak, 100 * va.rel_err_mean_r, "o-", color=NET, ms=3.5, label="⟨r⟩, asynchronous")
    c.plot(vo.v_peak, 100 * vo.rel_err_amplitude, "s-", mfc="none", color=MF, ms=4,
           label="amplitude, oscillation")  # fmt: skip
    c.axhline(0, color="0.5", lw=0.5)
    c.set_xscale("log")
    c.set_xticks(va.v_peak, [f"{v:g}" for v in va.v_peak])
    c.minorticks_off()
    c.set_xlabel("V_p = −V_r")
    c.set_ylabel("relative error (%)")
    c.set_title(f"N = {int(va.N.iloc[0]):,}", loc="left")
    c.legend(fontsize=5.5)
    for ax, letter in zip(axes, "abc", strict=True):
        panel_label(ax, letter)
    return fig
