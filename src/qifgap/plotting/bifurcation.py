"""Bifurcation figures: (η̄, J) phase diagrams, fixed-point branches, phase portraits,
codimension-2 points, limit-cycle branches, the Hopf onset in g and the spiking verification.

Every η̄ is in units of Δ, J and g in units of √Δ (the axis labels say so).
"""

from __future__ import annotations

import math

import matplotlib.colors
import matplotlib.patches
import numpy as np

from .style import COLORS, MF, NET, figure, panel_label, styled

__all__ = [
    "REGION_COLORS",
    "VERIFICATION_MARKERS",
    "plot_saddle_nodes",
    "plot_branch",
    "plot_portrait",
    "plot_phase_diagram",
    "mpr15_bifurcation_figure",
    "phase_diagrams_figure",
    "codim2_figure",
    "limit_cycles_figure",
    "onset_figure",
    "verification_figure",
]


@styled
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


@styled
def plot_branch(ax, branch, quantity, *, color=NET):
    """Fixed-point branch (closed_form.fixed_point_branch): stable solid, unstable dashed."""
    stable = branch.stable.to_numpy()
    y = branch[quantity].to_numpy()
    ax.plot(branch.eta_bar, np.where(stable, y, np.nan), color=color, lw=1.2, label="stable")
    ax.plot(branch.eta_bar, np.where(~stable, y, np.nan), color=color, lw=0.9, ls="--",
            label="unstable")  # fmt: skip


@styled
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


@styled
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
        panel_label(ax, letter)
    return fig


REGION_COLORS = {
    "one stable state": "#ffffff",
    "bistable": "#9ecae1",
    "oscillation": "#fdd0a2",
    "oscillation + fixed point": "#c7a4d8",
}


@styled
def plot_phase_diagram(ax, tables, *, legend=True):
    """One (η̄, J) phase diagram from the tables of bifurcation.phase_diagram: shaded regions,
    saddle-node (SNIC part purple), Hopf and homoclinic curves, cusp/TB/SNSL points."""
    regions = tables["regions"]
    etas = np.sort(regions.eta_bar.unique())
    Js = np.sort(regions.J.unique())
    codes = {label: k for k, label in enumerate(REGION_COLORS)}
    grid = (
        regions.assign(code=regions.label.map(codes))
        .pivot(index="J", columns="eta_bar", values="code")
        .reindex(index=Js, columns=etas)
        .to_numpy()
    )
    cmap = matplotlib.colors.ListedColormap(list(REGION_COLORS.values()))
    ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, vmin=-0.5, vmax=len(codes) - 0.5,
              extent=(etas[0], etas[-1], Js[0], Js[-1]), interpolation="nearest")  # fmt: skip
    sn = tables["saddle_nodes"]
    for branch in ("low", "high"):
        b = sn[sn.branch == branch].sort_values("J")
        ax.plot(b.eta_bar, b.J, color=COLORS["saddle-node"], lw=1.0,
                label="saddle-node" if branch == "low" else None)  # fmt: skip
        if "snic" in b and b.snic.any():
            ax.plot(b.eta_bar.where(b.snic), b.J.where(b.snic), color=COLORS["snic"], lw=2.0,
                    label="SNIC" if branch == "low" else None)  # fmt: skip
    hopf = tables["hopf"]
    if len(hopf):
        ax.plot(hopf.eta_bar, hopf.J, color=COLORS["hopf"], lw=1.0, label="Hopf")
    hom = tables["homoclinic"]
    if len(hom):
        for k, curve in hom.groupby("curve"):
            ax.plot(curve.eta_bar, curve.J, color=COLORS["homoclinic"], lw=1.0,
                    label="homoclinic" if k == hom.curve.min() else None)  # fmt: skip
    markers = {"cusp": "o", "TB": "s", "SNSL": "D"}
    for row in tables["points"].itertuples():
        ax.plot(row.eta_bar, row.J, markers.get(row.name, "o"), color="k", ms=3.5,
                label=row.name)  # fmt: skip
    ax.set_xlim(etas[0], etas[-1])
    ax.set_ylim(Js[0], Js[-1])
    ax.set_xlabel("η̄ / Δ")
    ax.set_ylabel("J / √Δ")
    if legend:
        ax.legend(handles=_diagram_handles([ax]), loc="upper right", fontsize=5.5)


def _diagram_handles(axes):
    """Legend handles of the curves and points drawn on ``axes`` (each label once) and of the
    region colours."""
    seen = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(lab, h)
    regions = [matplotlib.patches.Patch(facecolor=c, edgecolor="0.6", label=lab)
               for lab, c in REGION_COLORS.items()]  # fmt: skip
    return list(seen.values()) + regions


@styled
def phase_diagrams_figure(diagrams):
    """(η̄, J) phase diagrams side by side: ``diagrams`` = {g: tables}."""
    n = len(diagrams)
    cols = min(n, 2)
    rows = (n + cols - 1) // cols
    fig, axes = figure(rows, cols, figsize=(6.8, 3.0 * rows), squeeze=False,
                       gridspec_kw={"hspace": 0.35, "wspace": 0.25})  # fmt: skip
    for k, (g, tables) in enumerate(diagrams.items()):
        ax = axes.flat[k]
        plot_phase_diagram(ax, tables, legend=False)
        ax.set_title(f"g = {g:g}", loc="left")
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    fig.legend(handles=_diagram_handles(axes.flat[:n]), loc="lower center", ncol=6,
               bbox_to_anchor=(0.5, -0.02 - 0.04 / rows))  # fmt: skip
    return fig


@styled
def codim2_figure(table):
    """Cusp, Takens–Bogdanov and SNSL points (η̄ and J) against g."""
    fig, (a, b) = figure(1, 2, figsize=(6.8, 2.5), gridspec_kw={"wspace": 0.3})
    for key, marker, label in (("cusp", "o", "cusp"), ("tb", "s", "Takens–Bogdanov"),
                               ("snsl", "D", "SNSL")):  # fmt: skip
        a.plot(table.g, table[f"{key}_eta"], marker + "-", ms=3.5, label=label)
        b.plot(table.g, table[f"{key}_J"], marker + "-", ms=3.5, label=label)
    a.set_ylabel("η̄ / Δ")
    b.set_ylabel("J / √Δ")
    for ax, letter in ((a, "a"), (b, "b")):
        ax.set_xlabel("g / √Δ")
        panel_label(ax, letter)
    a.legend()
    return fig


@styled
def limit_cycles_figure(cycles, *, J, g, eta_hopf):
    """Period and amplitude of the limit-cycle branch against η̄, with the √(η̄ − η̄_H) law."""
    fig, (a, b) = figure(1, 2, figsize=(6.8, 2.5), gridspec_kw={"wspace": 0.3})
    stable = cycles.stable.to_numpy()
    a.plot(cycles.eta_bar, cycles.period, "-", color=NET)
    a.plot(cycles.eta_bar[~stable], cycles.period[~stable], "o", mfc="w", color=NET, ms=3)
    a.set_ylabel("period (τ)")
    b.plot(cycles.eta_bar, cycles.amplitude, "-", color=NET, label="r_max − r_min")
    near = (cycles.eta_bar - eta_hopf) < 0.05 * (cycles.eta_bar.max() - eta_hopf)
    if near.sum() >= 2:
        c = np.mean(cycles.amplitude[near] / np.sqrt(cycles.eta_bar[near] - eta_hopf))
        x = np.linspace(eta_hopf, cycles.eta_bar.max(), 200)
        b.plot(x, c * np.sqrt(x - eta_hopf), ":", color=MF, label="c √(η̄ − η̄_H)")
    b.set_ylabel("amplitude of r")
    b.legend()
    for ax, letter in ((a, "a"), (b, "b")):
        ax.axvline(eta_hopf, color=COLORS["hopf"], lw=0.6, ls=":")
        ax.set_xlabel("η̄ / Δ")
        panel_label(ax, letter)
    a.set_title(f"J = {J:g}, g = {g:g}", loc="right")
    return fig


VERIFICATION_MARKERS = {
    "one stable state": "o",
    "bistable": "s",
    "oscillation": "^",
    "oscillation + fixed point": "D",
}


def _percent(share) -> str:
    return "n/a" if share is None or math.isnan(share) else f"{100 * share:.0f}%"


def verification_headline(summary, *, g, N) -> str:
    """The verification figure's title: the agreement over all points first, the one away
    from the band around the curves beside it, the coexistence regions on a line of their own."""
    return (
        f"g = {g:g}, N = {N:,}: agreement {_percent(summary['agreement_all'])} of all "
        f"{summary['points']} points ({_percent(summary['agreement_away'])} of the "
        f"{summary['points_away_from_curves']} farther than {summary['band']:g} from a curve)\n"
        f"coexistence regions: {_percent(summary['agreement_coexistence'])} of "
        f"{summary['coexistence_points']} points farther than "
        f"{summary['coexistence_band']:g} from a curve"
    )


@styled
def verification_figure(tables, classes, summary, *, settings):
    """Network-only classes (markers) on the mean-field phase diagram (background)."""
    fig, ax = figure(figsize=(5.0, 4.4))
    plot_phase_diagram(ax, tables, legend=False)
    for label, marker in VERIFICATION_MARKERS.items():
        sel = classes[classes.label_net == label]
        ax.scatter(sel.eta_bar, sel.J, marker=marker, s=14, facecolor=REGION_COLORS[label],
                   edgecolor="k", linewidth=0.5, label=f"network: {label}", zorder=6)  # fmt: skip
    wrong = classes[~classes.agree]
    ax.scatter(wrong.eta_bar, wrong.J, marker="x", s=24, color="k", linewidth=0.7,
               label="disagrees with mean field", zorder=7)  # fmt: skip
    pad_e = 0.5 * (settings["eta"]["max"] - settings["eta"]["min"]) / max(settings["eta"]["n"], 2)
    pad_j = 0.5 * (settings["J"]["max"] - settings["J"]["min"]) / max(settings["J"]["n"], 2)
    ax.set_xlim(settings["eta"]["min"] - pad_e, settings["eta"]["max"] + pad_e)
    ax.set_ylim(settings["J"]["min"] - pad_j, settings["J"]["max"] + pad_j)
    ax.set_title(verification_headline(summary, g=settings["g"], N=settings["N"]),
                 loc="left", fontsize=7)  # fmt: skip
    ax.legend(handles=_diagram_handles([ax]), loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=6)  # fmt: skip
    return fig


@styled
def onset_figure(sweep, *, g_hopf, eta_bar, J, omega_hopf=float("nan")):
    """Oscillation amplitude (2√2 std v) and frequency against g, network and mean field,
    with the Hopf value g_H of the mean field."""
    sweep = sweep.sort_values("g")
    fig, (a, b) = figure(1, 2, figsize=(6.8, 2.6), gridspec_kw={"wspace": 0.3})
    a.plot(sweep.g, sweep.rms_amplitude_v_net, "o", color=NET, ms=3.5, label="network")
    a.plot(sweep.g, sweep.rms_amplitude_v_mf, "-", color=MF, label="mean field")
    a.set_ylabel("oscillation amplitude of v (2√2 std)")
    # frequencies where the mean field oscillates (amplitude above 5 % of the sweep's largest)
    osc = sweep.rms_amplitude_v_mf > 0.05 * sweep.rms_amplitude_v_mf.max()
    b.plot(sweep.g[osc], sweep.spectral_peak_net[osc], "o", color=NET, ms=3.5, label="network")
    b.plot(sweep.g[osc], sweep.spectral_peak_mf[osc], "-", color=MF, label="mean field")
    if np.isfinite(omega_hopf):
        b.plot([g_hopf], [omega_hopf / (2 * np.pi)], "x", color=COLORS["hopf"], ms=5,
               label="ω_H / 2π at onset")  # fmt: skip
    b.set_ylabel("frequency (1/τ)")
    for ax, letter in ((a, "a"), (b, "b")):
        ax.axvline(g_hopf, color=COLORS["hopf"], lw=0.6, ls=":", label=f"Hopf g = {g_hopf:.3f}")
        ax.set_xlabel("g / √Δ")
        panel_label(ax, letter)
    a.legend(loc="upper left")
    b.legend(loc="upper right")
    a.set_title(f"η̄ = {eta_bar}, J = {J}", loc="right")
    return fig
