"""Figures in one consistent publication style (matplotlib, Agg backend).

Every function returns a matplotlib Figure built from result objects or tables; :func:`save`
writes it as PDF and PNG with fixed metadata (same data → same bytes) and atomically.
Colours: network in black/grey, mean field in red, unstable/auxiliary sets dashed.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.patches  # noqa: E402
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


def save(fig, *paths, provenance: dict | None = None) -> None:
    """Save ``fig`` to each path (format from the suffix), atomically, then close it.

    ``provenance`` (the parameters and package version that made the figure) is embedded as
    JSON: the PDF's Subject, the PNG's "qifgap" text chunk.
    """
    text = json.dumps(provenance, sort_keys=True, default=str) if provenance else None
    for path in paths:
        path = Path(path)
        fmt = path.suffix.lstrip(".")
        if fmt == "pdf":
            meta = {"CreationDate": None, "Creator": "qifgap", "Subject": text}
        elif fmt == "png":
            meta = {"qifgap": text} if text else {}
        else:
            meta = {}
        with atomic_path(path, suffix=f".tmp.{fmt}") as tmp:
            fig.savefig(tmp, format=fmt, metadata=meta)
    plt.close(fig)


def _label(ax, letter):
    ax.text(-0.12, 1.02, letter, transform=ax.transAxes, fontweight="bold", va="bottom")


def protocol_figure(net, mf, *, current=None, title="", max_raster=200):
    """Network against mean field over time: I(t) (omitted if ``current`` is None), then the
    raster, r(t), v(t) and |Z(t)| of :func:`_timeseries_column`.

    ``net`` is a NetworkResult, ``mf`` a TimeSeries on the same grid, ``current`` a
    :mod:`qifgap.inputs` current.
    """
    heights = [1.3, 1.0, 1.0, 0.7]
    if current is not None:
        heights.insert(0, 0.5)
    fig, axes = figure(
        len(heights), 1, figsize=(6.8, 6.0), sharex=True,
        gridspec_kw={"height_ratios": heights, "hspace": 0.12},
    )  # fmt: skip
    if current is not None:
        axes[0].plot(net.t, current(net.t), color=NET)
        axes[0].set_ylabel("I(t)")
    _timeseries_column(axes[-4:], net, mf, max_raster=max_raster)
    for ax, label in zip(axes[-4:], ("neuron", "r(t)", "v(t)", "|Z(t)|"), strict=True):
        ax.set_ylabel(label)
    axes[-3].legend(loc="upper right", ncol=2)
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


def _timeseries_column(axes, net, mf, *, metrics=None, title="", max_raster=150, t_min=None):
    """Raster, r, v and |Z| of one run in a column of four axes."""
    ids = np.asarray(net.raster_neurons)[:max_raster]
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


def comparison_grid(columns):
    """Figure with one column per run: ``columns`` = list of dicts with net, mf, metrics,
    title and t_min (see _timeseries_column); rows raster, r, v, |Z|."""
    n = len(columns)
    fig, axes = figure(
        4, n, figsize=(3.4 * n, 5.2), sharex="col", squeeze=False,
        gridspec_kw={"height_ratios": [1.2, 1, 1, 0.7], "hspace": 0.12, "wspace": 0.25},
    )  # fmt: skip
    for k, col in enumerate(columns):
        _timeseries_column(axes[:, k], **col)
    for ax, label in zip(axes[:, 0], ("neuron", "r(t)", "v(t)", "|Z(t)|"), strict=True):
        ax.set_ylabel(label)
    axes[1, 0].legend(loc="upper left", ncol=2)
    return fig


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
        _label(ax, letter)
    a.legend(loc="upper left")
    b.legend(loc="upper right")
    a.set_title(f"η̄ = {eta_bar}, J = {J}", loc="right")
    return fig


def hysteresis_figure(ramps, ranges, *, J):
    """(a) r against the drive η̄ + I(t) under slow up/down ramps, network and mean field, one
    row per g; (b) the persistent-activity range against g: mean-field prediction (lines) and
    the hysteresis widths measured under the ramps (markers)."""
    n = len(ramps)
    fig = plt.figure(figsize=(6.8, 1.3 * n + 1.0))
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
            _label(ax, "a")
    ax = fig.add_subplot(grid[:, 1])
    ax.plot(ranges.g, ranges.width, color=COLORS["saddle-node"], label="mean field (static)")
    ax.plot([r["g"] for r in ramps], [r["hysteresis_net"]["width"] for r in ramps], "o",
            color=NET, ms=4, label="network ramp")  # fmt: skip
    ax.plot([r["g"] for r in ramps], [r["hysteresis_mf"]["width"] for r in ramps], "s",
            mfc="none", color=MF, ms=5, label="mean-field ramp")  # fmt: skip
    ax.set_xlabel("g / √Δ")
    ax.set_ylabel("persistent-activity range in η̄")
    ax.set_title(f"J = {J}", loc="right")
    ax.legend(loc="upper right")
    _label(ax, "b")
    return fig


def asymmetry_figure(rows, columns):
    """MP20: (a) time series of the asymmetric-spike networks against the P19 mean field and
    the mean field with the virtual synapse g κ; (b) the error of each against V_r."""
    fig = plt.figure(figsize=(6.8, 4.2))
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
            _label(ax, "a")
    ax = fig.add_subplot(grid[1, :])
    ax.plot(rows.v_reset, 100 * rows.err_p19, "o-", color=MF, label="P19 mean field (κ = 0)")
    ax.plot(rows.v_reset, 100 * rows.err_mp20, "s-", color=COLORS["homoclinic"],
            label="MP20 mean field (g κ)")  # fmt: skip
    ax.axhline(0, color="0.5", lw=0.5)
    ax.set_xlabel("V_r (V_p = 100)")
    ax.set_ylabel("error of ⟨r⟩ (%)")
    ax.legend()
    _label(ax, "b")
    return fig


def _fit_curve(ax, N, fit, color, label):
    if np.isfinite(fit["slope"]):
        x = np.geomspace(N.min(), N.max(), 100)
        ax.loglog(x, fit["prefactor"] * x ** fit["slope"] + fit["bias"], color=color, lw=0.7,
                  label=label)  # fmt: skip


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
        _label(ax, letter)
    return fig


REGION_COLORS = {
    "one stable state": "#ffffff",
    "bistable": "#9ecae1",
    "oscillation": "#fdd0a2",
    "oscillation + fixed point": "#c7a4d8",
}


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
        _label(ax, letter)
    a.legend()
    return fig


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
        _label(ax, letter)
    a.set_title(f"J = {J:g}, g = {g:g}", loc="right")
    return fig


VERIFICATION_MARKERS = {
    "one stable state": "o",
    "bistable": "s",
    "oscillation": "^",
    "oscillation + fixed point": "D",
}


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
    ax.set_title(
        f"g = {settings['g']:g}, N = {settings['N']:,}: agreement "
        f"{100 * summary['agreement_away']:.0f}% of {summary['points_away_from_curves']} points "
        f"away from the curves ({100 * summary['agreement_all']:.0f}% of all)",
        loc="left", fontsize=7,
    )  # fmt: skip
    ax.legend(handles=_diagram_handles([ax]), loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=6)  # fmt: skip
    return fig
