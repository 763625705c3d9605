"""Network against mean field over time: protocols, comparison grids, ramps, spike asymmetry.

Time in units of τ. ``net`` arguments are :class:`qifgap.network.NetworkResult` objects,
``mf`` ones :class:`qifgap.meanfield.TimeSeries` (anything with t, r, v, Z and, for a network,
the raster fields). Results of several populations (``populations`` set) are drawn as one block
of rows per population: its raster, r, v and |Z|.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..analysis import ramp_overshoot
from .style import COLORS, MF, NET, figure, panel_label, styled

__all__ = [
    "protocol_figure",
    "comparison_grid",
    "population_sweep_figure",
    "hysteresis_figure",
    "asymmetry_figure",
]

_ROWS = ("neuron", "r(t)", "v(t)", "|Z(t)|")
_HEIGHTS = (1.3, 1.0, 1.0, 0.7)


def _blocks(net, mf) -> list[tuple[str | None, object, object]]:
    """(population name, network view, mean-field view) per population; one block (name None)
    for a one-population result."""
    names = tuple(getattr(net, "populations", ()))
    if tuple(getattr(mf, "populations", ())) != names:
        raise ValueError(
            f"network and mean field have different populations: {names} and "
            f"{tuple(getattr(mf, 'populations', ()))}"
        )
    if not names:
        return [(None, net, mf)]
    return [(name, net.population(name), mf.population(name)) for name in names]


def _row_labels(names) -> list[str]:
    """Y labels of the rows of a column: raster, r, v, |Z| per population."""
    return [label if name is None else f"{name}: {label}" for name in names for label in _ROWS]


@styled
def protocol_figure(net, mf, *, current=None, title="", max_raster=200):
    """Network against mean field over time: I(t) (omitted if ``current`` is None), then the
    raster, r(t), v(t) and |Z(t)| of :func:`_timeseries_column`, a block of these rows per
    population for a result of several populations.

    ``net`` is a NetworkResult, ``mf`` a TimeSeries on the same grid, ``current`` a
    :mod:`qifgap.inputs` current or a mapping {population: current}.
    """
    names = [name for name, _, _ in _blocks(net, mf)]
    heights = list(_HEIGHTS) * len(names)
    if current is not None:
        heights.insert(0, 0.5)
    fig, axes = figure(
        len(heights), 1, figsize=(6.8, 6.0 + 4.5 * (len(names) - 1)), sharex=True,
        gridspec_kw={"height_ratios": heights, "hspace": 0.12},
    )  # fmt: skip
    if current is not None:
        currents = current if isinstance(current, dict) else {None: current}
        for k, (name, I) in enumerate(currents.items()):
            axes[0].plot(net.t, I(net.t), color=NET, ls=("-", "--", ":", "-.")[k % 4], label=name)
        if len(currents) > 1:
            axes[0].legend(loc="upper right", ncol=len(currents))
        axes[0].set_ylabel("I(t)")
    rows = axes[len(axes) - 4 * len(names) :]
    _run_column(rows, net, mf, max_raster=max_raster)
    for ax, label in zip(rows, _row_labels(names), strict=True):
        ax.set_ylabel(label)
    rows[1].legend(loc="upper right", ncol=2)
    if title:
        axes[0].set_title(title, loc="left")
    return fig


def _run_column(axes, net, mf, *, metrics=None, title="", max_raster=150, t_min=None):
    """The rows of one run: :func:`_timeseries_column` per population (4 axes each).

    ``metrics``: a row of the run's comparison table, or for several populations the table
    (a DataFrame with a ``population`` column), whose row of each population is shown."""
    blocks = _blocks(net, mf)
    if len(axes) != 4 * len(blocks):
        raise ValueError(f"need {4 * len(blocks)} axes for {len(blocks)} population(s)")
    for k, (name, n, m) in enumerate(blocks):
        row = metrics
        if name is not None and metrics is not None:
            row = metrics[metrics["population"] == name].iloc[0]
        _timeseries_column(
            axes[4 * k : 4 * k + 4], n, m, metrics=row, title=title if k == 0 else "",
            max_raster=max_raster, t_min=t_min, last=k == len(blocks) - 1,
        )  # fmt: skip


def _timeseries_column(
    axes, net, mf, *, metrics=None, title="", max_raster=150, t_min=None, last=True
):
    """Raster, r, v and |Z| of one run (or one population of it) in a column of four axes;
    ``last``: the bottom block of the column, which carries the time axis label. The raster
    shows at most ``max_raster`` of the recorded neurons, evenly spread over them."""
    ids = np.asarray(net.raster_neurons)
    if ids.size > max_raster:
        ids = ids[np.unique(np.round(np.linspace(0, ids.size - 1, max_raster)).astype(int))]
    keep = np.isin(net.spike_ids, ids)
    axes[0].plot(net.spike_times[keep], np.searchsorted(ids, net.spike_ids[keep]), "|",
                 ms=1.0, mew=0.3, color=NET)  # fmt: skip
    axes[0].set_ylim(-1, max(len(ids), 1))
    for ax, key in zip(axes[1:3], ("r", "v"), strict=True):
        ax.plot(net.t, getattr(net, key), color=NET, lw=0.5, label="network")
        ax.plot(mf.t, getattr(mf, key), color=MF, lw=0.9, ls="--", label="mean field")
    axes[3].plot(net.t, np.abs(net.Z), color=NET, lw=0.5)
    axes[3].plot(mf.t, np.abs(mf.Z), color=MF, lw=0.9, ls="--")
    axes[3].set_ylim(0, 1)
    if last:
        axes[3].set_xlabel("time (τ)")
    axes[3].set_xlim(net.t[0], net.t[-1])
    if t_min is not None:
        for ax in axes[1:]:
            ax.axvspan(net.t[0], t_min, color="0.93", lw=0)
    if title:
        axes[0].set_title(title, loc="left")
    if metrics is not None:
        axes[1].text(
            0.99, 0.97,
            f"⟨r⟩ err {100 * metrics['rel_err_mean_r']:+.1f}%   "
            f"rel. RMSE r {metrics['rel_rmse_r']:.2f}, v {metrics['rel_rmse_v']:.2f}",
            transform=axes[1].transAxes, ha="right", va="top", fontsize=6,
        )  # fmt: skip


@styled
def comparison_grid(columns):
    """Figure with one column per run: ``columns`` = list of dicts with net, mf, metrics,
    title and t_min (see :func:`_run_column`); rows raster, r, v, |Z| (per population: every
    column must have the same populations)."""
    n = len(columns)
    names = [name for name, _, _ in _blocks(columns[0]["net"], columns[0]["mf"])]
    fig, axes = figure(
        4 * len(names), n, figsize=(3.4 * n, 1.0 + 4.2 * len(names)), sharex="col",
        squeeze=False,
        gridspec_kw={"height_ratios": [1.2, 1, 1, 0.7] * len(names), "hspace": 0.12,
                     "wspace": 0.25},
    )  # fmt: skip
    for k, col in enumerate(columns):
        _run_column(axes[:, k], **col)
    for ax, label in zip(axes[:, 0], _row_labels(names), strict=True):
        ax.set_ylabel(label)
    axes[1, 0].legend(loc="upper left", ncol=2)
    return fig


def population_sweep_figure(networks, meanfields, table, runs):
    """:func:`comparison_grid` of the points of a sweep of a population experiment, one column
    per point (in the order of ``runs``, {run name: resolved run}), each titled with its sweep
    keys; ``table`` is the sweep's comparison table (one row per population and point)."""
    columns = []
    for (name, run), net, mf in zip(runs.items(), networks, meanfields, strict=True):
        point = run.get("sweep", {}).get("point", {})
        columns.append({
            "net": net, "mf": mf, "metrics": table[table["run"] == name],
            "title": ", ".join(f"{k} = {v:g}" for k, v in point.items()) or name,
            "t_min": run.get("compare", {}).get("t_min"),
        })  # fmt: skip
    return comparison_grid(columns)


@styled
def hysteresis_figure(ramps, ranges, *, J, speeds=None):
    """(a) r against the drive η̄ + I(t) under slow up/down ramps, network and mean field, one
    row per g; (b) the persistent-activity range against g: mean-field prediction (line) and
    the hysteresis widths measured under the ramps (markers), at every ramp speed of
    ``speeds`` (compare/hysteresis_speeds.tsv: g, speed, width_net, width_mf) if given, with
    the mean field's overshoot beyond the static range at the smallest g."""
    n = len(ramps)
    fig = Figure(figsize=(6.8, 1.3 * n + 1.0))
    grid = fig.add_gridspec(n, 2, width_ratios=[1.4, 1], wspace=0.3, hspace=0.15)
    for k, ramp in enumerate(ramps):
        ax = fig.add_subplot(grid[k, 0])
        ax.plot(ramp["drive"], ramp["net"].r, color=NET, lw=0.4)
        ax.plot(ramp["drive"], ramp["mf"].r, color=MF, lw=0.9, ls="--")
        for key, ls in (("net", "-"), ("mf", "--")):
            h = ramp[f"hysteresis_{key}"]
            for eta in (h["eta_on"], h["eta_off"]):
                ax.axvline(eta, color=NET if key == "net" else MF, lw=0.5, ls=ls)
        ax.set_ylabel("r")
        ax.text(0.02, 0.85, f"g = {ramp['g']}", transform=ax.transAxes)
        if k < n - 1:
            ax.tick_params(labelbottom=False)
        else:
            ax.set_xlabel("η̄ + I(t)")
        if k == 0:
            panel_label(ax, "a")
    ax = fig.add_subplot(grid[:, 1])
    ax.plot(ranges.g, ranges.width, color=COLORS["saddle-node"], label="mean field (static)")
    if speeds is None or speeds.empty:
        speeds = pd.DataFrame({
            "g": [r["g"] for r in ramps], "speed": math.nan,
            "width_net": [r["hysteresis_net"]["width"] for r in ramps],
            "width_mf": [r["hysteresis_mf"]["width"] for r in ramps],
        })  # fmt: skip
    markers = ("o", "^", "v", "D")
    for k, (speed, rows) in enumerate(speeds.groupby("speed", sort=True, dropna=False)):
        at = "" if math.isnan(speed) else f", {speed:.2g}/τ"
        m = markers[k % len(markers)]
        ax.plot(rows.g, rows.width_net, m, color=NET, ms=4, label=f"network ramp{at}")
        ax.plot(rows.g, rows.width_mf, m, mfc="none", color=MF, ms=6,
                label=f"mean-field ramp{at}")  # fmt: skip
    if speeds.speed.notna().any():
        over = ramp_overshoot(speeds, ranges)
        first = over[over.g == over.g.min()].sort_values("speed")
        text = ", ".join(f"{o:+.2f} at {s:.2g}/τ" for o, s in
                         zip(first.overshoot_mf, first.speed, strict=True))  # fmt: skip
        ax.text(0.03, 0.03, f"mean-field overshoot at g = {first.g.iloc[0]:g}:\n{text}",
                transform=ax.transAxes, fontsize=6, va="bottom")  # fmt: skip
    ax.set_xlabel("g / √Δ")
    ax.set_ylabel("persistent-activity range in η̄")
    ax.set_title(f"J = {J}", loc="right")
    ax.legend(loc="upper right", fontsize=6)
    panel_label(ax, "b")
    return fig


@styled
def asymmetry_figure(rows, columns):
    """MP20: (a) time series of the asymmetric-spike networks against the P19 mean field and
    the mean field with the virtual synapse g κ; (b) the error of each against V_r.

    ``rows``: :func:`qifgap.analysis.asymmetry_table`; ``columns``: dicts with net, p19, mp20
    (time series; mp20 may be None), v_reset and kappa. V_p is read from the networks' params.
    """
    fig = Figure(figsize=(6.8, 4.2))
    grid = fig.add_gridspec(2, len(columns), height_ratios=[1, 1], hspace=0.45, wspace=0.3)
    for k, col in enumerate(columns):
        ax = fig.add_subplot(grid[0, k])
        ax.plot(col["net"].t, col["net"].r, color=NET, lw=0.4, label="network")
        ax.plot(col["p19"].t, col["p19"].r, color=MF, lw=1.0, ls="--", label="P19 (κ = 0)")
        if col.get("mp20") is not None:
            ax.plot(col["mp20"].t, col["mp20"].r, color=COLORS["homoclinic"], lw=1.0, ls=":",
                    label="MP20 (g κ)")  # fmt: skip
        ax.set_title(f"V_r = {col['v_reset']:g}, κ = {col['kappa']:.3f}", loc="left")
        ax.set_xlabel("time (τ)")
        if k == 0:
            ax.set_ylabel("r(t)")
            ax.legend(loc="upper right", fontsize=6)
            panel_label(ax, "a")
    ax = fig.add_subplot(grid[1, :])
    ax.plot(rows.v_reset, 100 * rows.err_p19, "o-", color=MF, label="P19 mean field (κ = 0)")
    ax.plot(rows.v_reset, 100 * rows.err_mp20, "s-", color=COLORS["homoclinic"],
            label="MP20 mean field (g κ)")  # fmt: skip
    ax.axhline(0, color="0.5", lw=0.5)
    ax.set_xlabel(_reset_axis_label(columns))
    ax.set_ylabel("error of ⟨r⟩ (%)")
    ax.legend()
    panel_label(ax, "b")
    return fig


def _reset_axis_label(columns) -> str:
    """ "V_r (V_p = …)" with the networks' common threshold, or "V_r" if they differ."""
    v_peaks = {col["net"].params.get("v_peak") for col in columns}
    if len(v_peaks) == 1 and None not in v_peaks:
        return f"V_r (V_p = {v_peaks.pop():g})"
    return "V_r"
