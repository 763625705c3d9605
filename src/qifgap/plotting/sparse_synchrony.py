"""Sparse synchrony (science.md §7): identical neurons driven by independent Cauchy noise make a
collective rhythm while each fires irregularly and in few of its cycles. Time in units of τ."""

from __future__ import annotations

import numpy as np

from ..sparse_synchrony import interspike_intervals, neuron_isi_cvs, neuron_rates
from .style import MF, NET, figure, panel_label, styled

__all__ = ["sparse_synchrony_figure"]

ZOOM_CYCLES = 8  # rhythm cycles shown in the zoomed rate and raster
MIN_INTERVALS = 5  # intervals of a neuron whose own CV is shown (fewer bias it low)


@styled
def sparse_synchrony_figure(network, meanfield, table, *, run=None, max_raster=100):
    """Left: the population rate r(t) of network and mean field (Δ + γ) over the run, then the
    last ``ZOOM_CYCLES`` cycles of r(t) and the raster of up to ``max_raster`` recorded
    neurons. Right, from t_min: each recorded neuron's rate against the rhythm's frequency f,
    the inter-spike intervals in units of the rhythm's period T, and the ISI CV of each neuron
    with at least ``MIN_INTERVALS`` intervals.

    ``table`` is the run's row of :func:`qifgap.comparison.compare_sparse_synchrony` (t_min,
    period_net, period_mf, neuron_rate, rate_per_cycle, isi_cv, r_net, r_mf); ``run`` the
    resolved run, whose parameters title the figure."""
    row = table.iloc[0]
    net, mf, t_min = network, meanfield, float(row.t_min)
    period, freq = float(row.period_net), 1.0 / float(row.period_net)
    fig, axes = figure(
        3, 2, figsize=(7.2, 6.0),
        gridspec_kw={"width_ratios": [1.6, 1.0], "hspace": 0.45, "wspace": 0.3},
    )  # fmt: skip
    (a, d), (b, e), (c, f) = axes

    a.plot(net.t, net.r, color=NET, lw=0.4, label="network")
    a.plot(mf.t, mf.r, color=MF, lw=0.8, ls="--", label="mean field, Δ + γ")
    a.axvspan(net.t[0], t_min, color="0.93", lw=0)
    a.set_xlim(net.t[0], net.t[-1])
    window = net.t >= t_min  # the start's burst would flatten the rhythm: scale to the window
    a.set_ylim(0, 1.6 * max(np.percentile(net.r[window], 99.5), mf.r[mf.t >= t_min].max()))
    a.set_xlabel("time (τ)")
    a.set_ylabel("r(t)")
    if run is not None:
        a.set_title(
            f"η̄ = {run['eta_bar']:g}, J = {run['J']:g}, g = {run['g']:g}, Δ = {run['delta']:g}, "
            f"γ = {run.get('noise', 0.0):g}, N = {run['network']['N']}", loc="left",
        )  # fmt: skip

    t_end = float(net.t[-1])
    t0 = max(t_min, t_end - ZOOM_CYCLES * float(row.period_mf))
    zoom = net.t >= t0
    b.plot(net.t[zoom], net.r[zoom], color=NET, lw=0.6, label="network")
    keep_mf = mf.t >= t0
    b.plot(mf.t[keep_mf], mf.r[keep_mf], color=MF, lw=0.9, ls="--", label="mean field, Δ + γ")
    b.set_ylabel("r(t)")
    b.legend(loc="upper right", ncol=2)
    b.set_title(f"⟨r⟩ {row.r_net:.3f} (mean field {row.r_mf:.3f}),  period T {period:.3f} "
                f"({row.period_mf:.3f})", loc="left", fontsize=7)  # fmt: skip
    ids = np.asarray(net.raster_neurons)
    if ids.size > max_raster:
        ids = ids[np.unique(np.round(np.linspace(0, ids.size - 1, max_raster)).astype(int))]
    keep = np.isin(net.spike_ids, ids) & (net.spike_times >= t0)
    c.plot(net.spike_times[keep], np.searchsorted(ids, net.spike_ids[keep]), "|", ms=1.5,
           mew=0.4, color=NET)  # fmt: skip
    c.set_ylim(-1, max(len(ids), 1))
    c.set_ylabel("neuron")
    c.set_xlabel("time (τ)")
    for ax in (b, c):
        ax.set_xlim(t0, t_end)

    rates = neuron_rates(net, t_min=t_min)
    d.hist(rates, bins=20, color="0.6")
    d.axvline(float(row.neuron_rate), color=NET, lw=1.0, label=f"mean ν = {row.neuron_rate:.3f}")
    d.axvline(freq, color=MF, lw=1.0, ls="--", label=f"rhythm f = {freq:.3f}")
    d.set_xlim(0, 1.1 * max(freq, rates.max(initial=0.0)))
    d.set_xlabel("single-neuron rate (1/τ)")
    d.set_ylabel("neurons")
    d.legend(loc="upper right", title=f"ν/f = {row.rate_per_cycle:.3f}", title_fontsize=7)

    isi, _ = interspike_intervals(net, t_min=t_min)
    e.hist(isi / period, bins=np.arange(0.0, min(20.0, isi.max(initial=1.0) / period) + 0.25,
                                         0.25), color="0.6")  # fmt: skip
    e.set_xlabel("inter-spike interval / T")
    e.set_ylabel("intervals")
    e.text(0.98, 0.95, f"pooled ISI CV {row.isi_cv:.2f}", transform=e.transAxes, ha="right",
           va="top", fontsize=7)  # fmt: skip

    cvs = neuron_isi_cvs(net, t_min=t_min, min_intervals=MIN_INTERVALS)
    f.hist(cvs, bins=20, color="0.6")
    f.axvline(float(row.isi_cv), color=NET, lw=1.0, label="pooled")
    f.axvline(1.0, color="0.5", lw=0.8, ls=":", label="Poisson")
    f.set_xlabel(f"ISI CV of a neuron (≥ {MIN_INTERVALS} intervals)")
    f.set_ylabel("neurons")
    f.legend(loc="upper left")
    for ax, label in zip((a, b, c, d, e, f), "abcdef", strict=True):
        panel_label(ax, label)
    return fig
