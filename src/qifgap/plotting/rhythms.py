"""Rhythms of population models: onset in one parameter and onset curves in two.

Built from the tables of :func:`qifgap.bifurcation.rhythm_onset` and
:func:`qifgap.bifurcation.rhythm_curve` (time in units of τ, frequencies in 1/τ).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection

from ..populations import Model
from .style import COLORS, MF, NET, figure, panel_label, styled

__all__ = ["rhythm_onset_figure", "rhythm_curves_figure", "NETWORK_COLUMNS"]

#: Columns of the optional network table of the figures (one row per spiking network, the
#: table of :func:`qifgap.bifurcation.compare_networks`): the sweep keys, ``on_branch``,
#: ``std_r_net`` (std of r over whole cycles, shot noise removed), ``frequency_net`` (1/τ),
#: ``oscillates_net``.
NETWORK_COLUMNS = ("on_branch", "std_r_net", "frequency_net", "oscillates_net")


def _network(network) -> pd.DataFrame | None:
    """The network table, or None (the figure script passes a list of 0 or 1 tables)."""
    if isinstance(network, list | tuple):
        network = network[0] if network else None
    if network is None or not len(network):
        return None
    missing = [c for c in NETWORK_COLUMNS if c not in network]
    if missing:
        raise ValueError(f"network: the table lacks the columns {missing}")
    return network


def _label(key: str) -> str:
    """Axis label of a dotted key: g.I.I → g_II, populations.I.tau_syn → τ_s,I."""
    kind, a, b = key.split(".")
    if kind in ("g", "J"):
        return f"{kind}_{a}{b}" if len(a) == len(b) == 1 else f"{kind}[{a},{b}]"
    return {"tau_syn": f"τ_s,{a}", "eta_bar": f"η̄_{a}", "delta": f"Δ_{a}", "tau": f"τ_{a}"}.get(
        b, f"{b} ({a})"
    )


def _population(entry) -> str:
    return Model.from_dict(entry["model"]).reference(entry.get("population"))


@styled
def rhythm_onset_figure(branch, hopf, cycles, *, entry, network=None):
    """(a) the equilibrium r_a against the parameter (solid stable, dashed unstable) with the
    cycles' min and max of r_a and the Hopf onsets; (b) the cycles' standard deviation of r_a
    over a period; (c) their frequency 1/T, with ω/2π at each onset. ``entry``: the config entry
    (model, parameter, population); ``network``: optional spiking networks
    (:data:`NETWORK_COLUMNS`; those on the continuation's line): std of r_a on (b), frequency
    on (c) where the network oscillates (filled; open: it does not)."""
    network = _network(network)
    p, a = entry["parameter"], _population(entry)
    r = f"r.{a}"
    fig, axes = figure(1, 3, figsize=(7.2, 2.5), gridspec_kw={"wspace": 0.38})
    ax0, ax1, ax2 = axes
    br = branch.sort_values("s") if "s" in branch else branch
    for stable, ls in ((True, "-"), (False, "--")):
        y = br[r].where(br.stable == stable)
        ax0.plot(br[p], y, ls, color=NET, label="equilibrium" + ("" if stable else " (unstable)"))
    for k, c in cycles.groupby("hopf") if len(cycles) else []:
        for stable, ls in ((True, "-"), (False, "--")):
            sel = c.where(c.stable == stable)
            ax0.plot(sel[p], sel[f"{r}_max"], ls, color=MF, lw=0.9)
            ax0.plot(sel[p], sel[f"{r}_min"], ls, color=MF, lw=0.9)
            ax1.plot(sel[p], sel[f"{r}_std"], ls, color=MF,
                     label="mean field" if stable and k == cycles.hopf.min() else None)  # fmt: skip
            ax2.plot(sel[p], sel["frequency"], ls, color=MF)
    for h in hopf.itertuples(index=False):
        h = dict(zip(hopf.columns, h, strict=True))
        for ax in axes:
            ax.axvline(h[p], color=COLORS["hopf"], lw=0.6, ls=":")
        ax2.plot([h[p]], [h["frequency"]], "x", color=COLORS["hopf"], ms=5)
        ax0.plot([h[p]], [h[r]], "o", color=COLORS["hopf"], ms=3)
    if network is not None:
        on = network[network.on_branch.astype(bool)]
        osc = on.oscillates_net.astype(bool)
        ax1.plot(on[p][osc], on.std_r_net[osc], "o", color=NET, ms=3.5, label="network")
        ax1.plot(on[p][~osc], on.std_r_net[~osc], "o", mfc="none", color=NET, ms=3.5)
        ax2.plot(on[p][osc], on.frequency_net[osc], "o", color=NET, ms=3.5)
    ax0.set_ylabel(f"r_{a} (equilibrium; cycle min, max)")
    ax1.set_ylabel(f"std of r_{a} over the cycle")
    ax2.set_ylabel("frequency (1/τ)")
    for ax, letter in zip(axes, "abc", strict=True):
        ax.set_xlabel(_label(p))
        panel_label(ax, letter)
    onsets = ", ".join(f"{v:.4f}" for v in hopf[p]) or "none"
    fig.suptitle(f"Hopf onset {_label(p)}* = {onsets}", x=0.98, ha="right", fontsize=8)
    if len(cycles) or network is not None:
        ax1.legend(loc="best")
    return fig


@styled
def rhythm_curves_figure(
    curves, hopf, *, entry, curve_keys, network=None, verification=(), verified_keys=()
):
    """Hopf curves (rhythm onset) in (parameter, key) for each key, the frequency ω/2π along the
    curve as colour, codimension-2 points labelled, the model's own point marked. ``curves``:
    tables of :func:`qifgap.bifurcation.rhythm_curve`, one per key of ``curve_keys``;
    ``network``: optional spiking networks (:data:`NETWORK_COLUMNS`) at (parameter, key) — the
    model's value of a key the sweep does not set — filled where they oscillate, open where
    not; ``verification``: per key of ``verified_keys``, the classes table of
    :func:`qifgap.verification.compare_model_classes`, drawn as one mark per grid point (spiking
    network agrees with the mean field, disagrees, or lies in the band around the curve)."""
    network = _network(network)
    p, keys = entry["parameter"], list(curve_keys)
    n = max(1, len(keys))
    fig, axes = figure(1, n, figsize=(3.4 * n + 0.6, 2.8), squeeze=False,
                       gridspec_kw={"wspace": 0.35})  # fmt: skip
    axes = axes[0]
    freq = [c["frequency"].to_numpy() for c in curves if len(c)]
    lo, hi = (np.nanmin(np.concatenate(freq)), np.nanmax(np.concatenate(freq))) if freq else (0, 1)
    lc = None
    for ax, key, c, letter in zip(axes, keys, curves, "abcdef", strict=False):
        groups = ["curve", "branch"] if "curve" in c else ["branch"]
        for _, part in c.groupby(groups) if len(c) else []:
            xy = part[[p, key]].to_numpy()
            seg = np.stack([xy[:-1], xy[1:]], axis=1)
            lc = LineCollection(seg, cmap="viridis", linewidths=2.0)
            lc.set_array(
                0.5 * (part["frequency"].to_numpy()[:-1] + part["frequency"].to_numpy()[1:])
            )
            lc.set_clim(lo, hi)
            ax.add_collection(lc)
        labelled = c.point.fillna("").astype(str) != "" if len(c) else []  # read back: NaN
        for row in c[labelled].to_dict("records") if len(c) else []:
            ax.plot(row[p], row[key], "s", color="k", ms=3)
            ax.annotate(row["point"], (row[p], row[key]), xytext=(3, 3),
                        textcoords="offset points", fontsize=6)  # fmt: skip
        if key in verified_keys:
            _verification_marks(ax, verification[list(verified_keys).index(key)], p, key,
                                entry["verification"]["band"])  # fmt: skip
        model_key = _model_value(entry, key)
        ax.plot(hopf[p], [model_key] * len(hopf), "x", color=COLORS["hopf"], ms=5)
        if network is not None:
            y = network[key] if key in network else pd.Series(model_key, index=network.index)
            osc = network.oscillates_net.astype(bool)
            ax.plot(network[p][osc], y[osc], "o", color=NET, ms=4, label="network oscillates")
            ax.plot(network[p][~osc], y[~osc], "o", mfc="none", color=NET, ms=4,
                    label="network asynchronous")  # fmt: skip
            if letter == "a":
                ax.legend(loc="best", fontsize=6)
        ax.set_xlim(*entry["range"])
        ax.set_ylim(*entry["curves"][key])
        ax.set_xlabel(_label(p))
        ax.set_ylabel(_label(key))
        panel_label(ax, letter)
    if lc is not None:
        fig.colorbar(lc, ax=list(axes), label="frequency ω/2π at onset (1/τ)", shrink=0.9)
    if len(verified_keys):
        axes[0].legend(loc="lower left", fontsize=6, framealpha=0.8)
    return fig


def _verification_marks(ax, table, p, key, band):
    """One mark per verified grid point: filled where the mean field oscillates, open where it
    is stationary; green if the network agrees, red × if not, grey inside the band."""
    away = table.distance > band
    agree = table.agree.astype(str).str.lower().isin(("true", "1"))
    osc = table.label_mf.str.contains("oscillation")
    for sel, color, marker, label in (
        (away & agree, "#1a7f37", "o", "network agrees"),
        (away & ~agree, "#b00000", "X", "network disagrees"),
        (~away, "0.55", "o", "in the band (not scored)"),
    ):
        for fill, face in ((osc, None), (~osc, "none")):
            pts = table[sel & fill]
            if len(pts):
                ax.scatter(pts[p], pts[key], s=14, marker=marker, edgecolors=color,
                           facecolors=color if face is None else face, linewidths=0.8,
                           label=None if label in ax.get_legend_handles_labels()[1] else label,
                           zorder=3, clip_on=False)  # fmt: skip


def _model_value(entry, key):
    """The value of a dotted key in the entry's model mapping (0 for an absent coupling)."""
    from ..populations import Model

    return Model.from_dict(entry["model"]).get(key)
