"""Two inhibitory clusters: the coexistence of a synchronous and an asynchronous state and the
pulses that flip between them.

Built from the tables of :func:`qifgap.bifurcation.bistability.coexistence` and the network and
mean-field time series of the pulse experiment (time in units of τ).
"""

from __future__ import annotations

import numpy as np

from .style import COLORS, MF, NET, figure, panel_label, styled

__all__ = ["two_clusters_figure", "mp20_populations_figure"]

P19 = "0.55"  # the uncorrected (κ = 0) mean field


def _axis_label(parameter: str) -> str:
    return "common drive I" if parameter == "drive" else parameter


@styled
def two_clusters_figure(
    branch,
    hopf,
    cycles,
    range,
    classes,
    network,
    meanfield,
    *,
    entry,
    run,  # noqa: A002
):
    """(a) r of the entry's population against the parameter: equilibria (solid stable, dashed
    unstable), the stable cycles' min and max, the coexistence range shaded, the experiment's
    value marked; (b), (c) r of each population over time, network against mean field, with the
    pulses shaded and each window's expected class with the network's and the mean field's
    (``classes``: :func:`qifgap.bifurcation.bistability.pulse_classes`). ``entry``: the
    clusters config entry; ``run``: the resolved pulse experiment."""
    p, a = entry["parameter"], entry["population"]
    r = f"r.{a}"
    names = list(network.populations)
    grid = {"wspace": 0.35, "width_ratios": [1] + [1.4] * len(names)}
    fig, axes = figure(1, 1 + len(names), figsize=(7.2, 2.5), gridspec_kw=grid)
    ax0, series = axes[0], axes[1:]
    low, high = float(range["low"].iloc[0]), float(range["high"].iloc[0])
    if np.isfinite(low):
        ax0.axvspan(low, high, color=COLORS["hopf"], alpha=0.15, lw=0, label="coexistence")
    for stable, ls in ((True, "-"), (False, "--")):
        ax0.plot(branch[p], branch[r].where(branch.stable == stable), ls, color=NET,
                 label="equilibrium" + ("" if stable else " (unstable)"))  # fmt: skip
    if len(cycles):
        for _, c in cycles.groupby("hopf"):
            sel = c.where(c.stable.astype(bool))
            ax0.plot(sel[p], sel[f"{r}_max"], "-", color=MF, lw=0.9, label="cycle max, min")
            ax0.plot(sel[p], sel[f"{r}_min"], "-", color=MF, lw=0.9)
    ax0.axvline(0.0 if p == "drive" else run_value(run, p), color="k", lw=0.6, ls=":")
    ax0.set_xlabel(_axis_label(p))
    ax0.set_ylabel(f"r_{a}")
    ax0.legend(loc="upper left", fontsize=6)
    currents = run.get("current", {})
    for ax, name in zip(series, names, strict=True):
        k = names.index(name)
        ax.plot(network.t, network.r[:, k], color=NET, lw=0.5, label="network")
        ax.plot(meanfield.t, meanfield.r[:, k], color=MF, lw=0.9, label="mean field")
        for w in classes.itertuples(index=False):
            ax.axvspan(w.t_min, w.t_max, ymin=0.9, ymax=1.0, lw=0, alpha=0.3,
                       color=MF if w.expected == "sync" else NET)  # fmt: skip
            ax.text(0.5 * (w.t_min + w.t_max), 0.99, f"{w.expected}\nnet {w.network}\nmf "
                    f"{w.meanfield}", transform=ax.get_xaxis_transform(), ha="center",
                    va="top", fontsize=5)  # fmt: skip
        for t0, t1 in _pulses(currents.get(name)):
            ax.axvspan(t0, t1, color="0.8", lw=0)
        ax.set_xlabel("time (τ)")
        ax.set_ylabel(f"r_{name}")
    series[0].legend(loc="center right", fontsize=6)
    for ax, letter in zip(axes, "abcdefg", strict=False):
        panel_label(ax, letter)
    fig.suptitle(f"coexistence for {_axis_label(p)} in [{low:.3f}, {high:.3f}]", x=0.98,
                 ha="right", fontsize=8)  # fmt: skip
    return fig


def run_value(run, parameter):
    """The value of a dotted key in a resolved population run (the model's own)."""
    from ..experiments import run_model

    return run_model(run).get(parameter)


def _pulses(spec) -> list[tuple[float, float]]:
    """The intervals where a step or piecewise-constant current is non-zero."""
    if not spec:
        return []
    if spec.get("kind") == "step":
        return [(spec["t_on"], spec["t_off"])]
    if spec.get("kind") == "piecewise" and not spec.get("interpolate", False):
        times, values = list(spec["times"]), list(spec["values"])
        return [(t0, t1) for t0, t1, v in zip(times, times[1:], values, strict=False) if v != 0]
    return []


@styled
def mp20_populations_figure(onsets, runs, estimates, *, entry, rhythm):
    """(a) The Hopf onset of the rhythm's parameter against the reset V_r of the population,
    corrected (κ term) and uncorrected (P19); (b) the rhythm amplitude (std of the population's
    rate) of each network run against the corrected and the P19 mean field, per reset, with
    the lines through A² that extrapolate the onsets (``estimates``)."""
    p, pop = rhythm["parameter"], entry["population"]
    fig, (ax0, ax1) = figure(1, 2, figsize=(7.2, 2.7), gridspec_kw={"wspace": 0.3})
    o = onsets.sort_values("v_reset")
    ax0.plot(o.v_reset, o.onset_corrected, "o-", color=MF, label="corrected (κ)")
    ax0.plot(o.v_reset, o.onset_uncorrected, "s--", color=P19, label="uncorrected (P19)")
    ax0.set_xlabel(f"V_r of {pop}")
    ax0.set_ylabel(f"onset {p}*")
    ax0.legend(loc="best", fontsize=6)
    markers = ("o", "s", "^", "v", "D")
    for i, (v_reset, part) in enumerate(runs.groupby("v_reset", sort=False)):
        m = markers[i % len(markers)]
        part = part.sort_values(p)
        ax1.plot(part[p], part.amplitude_net, m, color=NET, ms=4,
                 label=f"network, V_r = {v_reset:g}")  # fmt: skip
        ax1.plot(part[p], part.amplitude_mf, m + "-", color=MF, mfc="none", lw=0.9,
                 label="corrected" if i == 0 else None)  # fmt: skip
        ax1.plot(part[p], part.amplitude_p19, m + "--", color=P19, mfc="none", lw=0.9,
                 label="P19 (κ = 0)" if i == 0 else None)  # fmt: skip
        row = o[np.isclose(o.v_reset, v_reset)]
        if len(row):
            ax1.axvline(float(row.onset_corrected.iloc[0]), color=MF, lw=0.5, ls=":")
    ax1.axvline(float(o.onset_uncorrected.iloc[0]), color=P19, lw=0.5, ls=":")
    ax1.set_xlabel(p)
    ax1.set_ylabel(f"rhythm amplitude (std r_{pop})")
    ax1.set_ylim(bottom=0)
    ax1.legend(loc="upper left", fontsize=5)
    for ax, letter in zip((ax0, ax1), "ab", strict=True):
        panel_label(ax, letter)
    est = "; ".join(
        f"V_r {r.v_reset:g}: net {r.onset_net:.3f}, mf {r.onset_mf:.3f}, P19 {r.onset_p19:.3f}"
        for r in estimates.itertuples()
    )
    fig.suptitle(f"extrapolated onsets — {est}", x=0.98, ha="right", fontsize=6)
    return fig
