"""Figures in one consistent publication style (matplotlib, Agg backend).

Every function returns a matplotlib Figure built from result objects or tables; :func:`save`
writes it as PDF and PNG with fixed metadata (same data → same bytes) and atomically.
Colours: network in black/grey, mean field in red, unstable/auxiliary sets dashed.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .results import atomic_path  # noqa: E402

NET = "0.15"
MF = "#d62728"
COLORS = {
    "saddle-node": "#1f77b4",
    "hopf": "#d62728",
    "homoclinic": "#2ca02c",
    "snic": "#9467bd",
}

STYLE = {
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "axes.linewidth": 0.6,
    "lines.linewidth": 1.0,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "pdf.fonttype": 42,
    "svg.hashsalt": "qifgap",
}


plt.rcParams.update(STYLE)


def figure(*args, **kwargs):
    """plt.subplots in the project style."""
    return plt.subplots(*args, **kwargs)


def save(fig, *paths) -> None:
    """Save ``fig`` to each path (format from the suffix), atomically, then close it."""
    for path in paths:
        path = Path(path)
        fmt = path.suffix.lstrip(".")
        meta = {"CreationDate": None, "Creator": "qifgap"} if fmt == "pdf" else {}
        with atomic_path(path, suffix=f".tmp.{fmt}") as tmp:
            fig.savefig(tmp, format=fmt, metadata=meta)
    plt.close(fig)


def _label(ax, letter):
    ax.text(-0.12, 1.02, letter, transform=ax.transAxes, fontweight="bold", va="bottom")


def protocol_figure(net, mf, *, current=None, title="", max_raster=200, mf_extra=None):
    """Network against mean field over time: I(t), raster, r(t), v(t), |Z(t)|.

    ``net`` is a NetworkResult, ``mf`` a TimeSeries on the same grid; ``current`` a
    :mod:`qifgap.inputs` current (panel omitted if None); ``mf_extra`` an optional
    ``{label: TimeSeries}`` of further mean fields drawn dotted.
    """
    rows = ["I", "raster", "r", "v", "Z"] if current is not None else ["raster", "r", "v", "Z"]
    heights = {"I": 0.5, "raster": 1.3, "r": 1.0, "v": 1.0, "Z": 0.7}
    fig, axes = figure(
        len(rows), 1, figsize=(6.8, 6.0), sharex=True,
        gridspec_kw={"height_ratios": [heights[k] for k in rows], "hspace": 0.12},
    )  # fmt: skip
    ax = dict(zip(rows, axes, strict=True))
    t = net.t
    if current is not None:
        ax["I"].plot(t, current(t), color=NET)
        ax["I"].set_ylabel("I(t)")
    ids = np.asarray(net.raster_neurons)[:max_raster]
    keep = np.isin(net.spike_ids, ids)
    rank = np.searchsorted(ids, net.spike_ids[keep])
    ax["raster"].plot(net.spike_times[keep], rank, "|", ms=1.2, mew=0.4, color=NET)
    ax["raster"].set_ylabel("neuron")
    ax["raster"].set_ylim(-1, max(len(ids), 1))
    for key, ylabel in (("r", "r(t)"), ("v", "v(t)")):
        ax[key].plot(t, getattr(net, key), color=NET, lw=0.6, label="network")
        ax[key].plot(t, getattr(mf, key), color=MF, lw=1.0, ls="--", label="mean field")
        for label, extra in (mf_extra or {}).items():
            ax[key].plot(extra.t, getattr(extra, key), lw=1.0, ls=":", label=label)
        ax[key].set_ylabel(ylabel)
    ax["r"].legend(loc="upper right", ncol=2 + len(mf_extra or {}))
    ax["Z"].plot(t, np.abs(net.Z), color=NET, lw=0.6)
    ax["Z"].plot(t, np.abs(mf.Z), color=MF, lw=1.0, ls="--")
    ax["Z"].set_ylabel("|Z(t)|")
    ax["Z"].set_ylim(0, 1)
    axes[-1].set_xlabel("time (τ)")
    axes[-1].set_xlim(t[0], t[-1])
    if title:
        axes[0].set_title(title, loc="left")
    return fig


def plot_saddle_nodes(ax, saddle_nodes, *, shade=True, label="saddle-node"):
    """Both fold branches (table of closed_form.saddle_node_curve) and the bistable wedge."""
    lo = saddle_nodes[saddle_nodes.branch == "low"].sort_values("J")
    hi = saddle_nodes[saddle_nodes.branch == "high"].sort_values("J")
    ax.plot(lo.eta_bar, lo.J, color=COLORS["saddle-node"], label=label)
    ax.plot(hi.eta_bar, hi.J, color=COLORS["saddle-node"])
    if shade:
        J = np.linspace(max(lo.J.min(), hi.J.min()), min(lo.J.max(), hi.J.max()), 300)
        ax.fill_betweenx(
            J, np.interp(J, hi.J, hi.eta_bar), np.interp(J, lo.J, lo.eta_bar),
            color=COLORS["saddle-node"], alpha=0.15, lw=0, label="bistable",
        )  # fmt: skip


def plot_branch(ax, branch, quantity, *, color=NET):
    """Fixed-point branch (closed_form.fixed_point_branch): stable solid, unstable dashed."""
    stable = branch.stable.to_numpy()
    y = branch[quantity].to_numpy()
    ax.plot(branch.eta_bar, np.where(stable, y, np.nan), color=color, lw=1.2, label="stable")
    ax.plot(branch.eta_bar, np.where(~stable, y, np.nan), color=color, lw=0.9, ls="--",
            label="unstable")  # fmt: skip


def plot_portrait(ax, portrait):
    """Phase portrait arrays of bifurcation.portrait.phase_portrait."""
    speed = np.hypot(portrait["dr"], portrait["dv"])
    ax.streamplot(
        portrait["r"], portrait["v"], portrait["dr"] / (speed + 1e-12),
        portrait["dv"] / (speed + 1e-12), color="0.8", density=0.9, linewidth=0.5, arrowsize=0.6,
    )  # fmt: skip
    rn = portrait["nullcline_r"]
    ax.plot(rn, portrait["r_nullcline"], color=COLORS["saddle-node"], lw=0.9, label="ṙ = 0")
    ax.plot(rn, portrait["v_nullcline_upper"], color=COLORS["homoclinic"], lw=0.9, label="v̇ = 0")
    ax.plot(rn, portrait["v_nullcline_lower"], color=COLORS["homoclinic"], lw=0.9)
    k = 0
    while f"orbit_{k}" in portrait:
        orbit = portrait[f"orbit_{k}"]
        ax.plot(orbit[:, 1], orbit[:, 2], color=NET, lw=0.7)
        k += 1
    for r, v, stable in portrait["fixed_points"]:
        ax.plot(r, v, "o", ms=4, mec="k", mfc="k" if stable else "w", zorder=5)
    ax.set_xlim(portrait["r"][0], portrait["r"][-1])
    ax.set_ylim(portrait["v"][0], portrait["v"][-1])
    ax.set_xlabel("r")
    ax.set_ylabel("v")


def mpr15_bifurcation_figure(
    *, saddle_nodes, cusp, branch, portrait, J_branch, eta_portrait, eta_range=(-12.0, 4.0)
):
    """MPR15: (a) (η̄/Δ, J/√Δ) diagram with the bistable wedge and the cusp; (b) r* and (c) v*
    against η̄ at J = J_branch; (d) the phase portrait at (η̄, J) = (eta_portrait, J_branch)."""
    fig, axes = figure(2, 2, figsize=(6.8, 5.2), gridspec_kw={"hspace": 0.38, "wspace": 0.3})
    (a, b), (c, d) = axes
    plot_saddle_nodes(a, saddle_nodes)
    a.plot(*cusp, "ko", ms=3, label="cusp")
    a.axhline(J_branch, color="0.5", lw=0.5, ls=":")
    a.set_xlabel("η̄ / Δ")
    a.set_ylabel("J / √Δ")
    a.set_xlim(*eta_range)
    a.set_ylim(0, saddle_nodes.J.max())
    a.legend(loc="lower left")
    window = (branch.eta_bar > eta_range[0]) & (branch.eta_bar < eta_range[1])
    for ax, q, label in ((b, "r", "r*"), (c, "v", "v*")):
        plot_branch(ax, branch[window], q)
        ax.set_xlim(*eta_range)
        ax.set_xlabel("η̄ / Δ")
        ax.set_ylabel(label)
        ax.axvline(eta_portrait, color="0.5", lw=0.5, ls=":")
    b.legend(loc="upper left")
    plot_portrait(d, portrait)
    d.legend(loc="upper right")
    for ax, letter in zip((a, b, c, d), "abcd", strict=True):
        _label(ax, letter)
    return fig
