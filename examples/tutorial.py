# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # qifgap tutorial: spiking networks with gap junctions and their exact mean field
#
# Networks of quadratic integrate-and-fire (QIF) neurons with chemical (J) and electrical
# (g, gap-junction) synapses obey exact low-dimensional firing-rate equations (Montbrió, Pazó &
# Roxin 2015; Pietras et al. 2019). This notebook shows, in a few minutes on two cores:
#
# 1. one population: a spiking network against its mean field, in the synchronous state of
#    Pietras et al. (2019) (P19) that only gap junctions create;
# 2. the (η̄, J) phase diagram at g = 1 with its closed-form curves;
# 3. an E–I model with gap junctions among the inhibitory cells (mean field and a small network);
# 4. how to add an experiment to the pipeline's config and rebuild one target with Snakemake.
#
# Time is in units of the membrane time constant τ throughout.
#
# `QUICK` (the environment variable `QIFGAP_QUICK`, set by the test suite) shrinks every size
# so that the notebook runs in seconds; leave it unset for the real thing.

# %%
import os

from qifgap import Model, bifurcation, meanfield, metrics, network, plotting

QUICK = bool(os.environ.get("QIFGAP_QUICK"))
N = 1_000 if QUICK else 10_000  # neurons of the one-population network
N_EI = 500 if QUICK else 4_000  # neurons per population of the E–I network
T_END = 12.0 if QUICK else 40.0  # simulated time (τ)
GRID = 31 if QUICK else 101  # phase-diagram grid (GRID × GRID points)

# %%
# the figures below are matplotlib Figure objects; show them inline
# %matplotlib inline

# %% [markdown]
# ## 1. One population: network against mean field (P19, synchronous state)
#
# With electrical coupling only (J = 0, g = 1) the asynchronous state loses stability in a
# Hopf bifurcation at η̄_H = 4/g² − g²/16 = 3.9375 (Δ = 1). Beyond it, at η̄ = 5, the
# neurons synchronise: the population rate r(t), the mean voltage v(t) and the Kuramoto order
# parameter |Z(t)| oscillate. The network (N QIF neurons, Euler with dt = 10⁻⁴) and the exact
# mean field
#
# $$\dot r = \frac{\Delta}{\pi} + r\,(2v - g), \qquad
#   \dot v = v^2 + \bar\eta + J r - (\pi r)^2 + I(t)$$
#
# are run with the same parameters and compared on the same time grid.

# %%
P19_SYNC = dict(eta_bar=5.0, delta=1.0, J=0.0, g=1.0, t_start=0.0, t_end=T_END)
print("Hopf value of eta_bar at J = 0, g = 1:", bifurcation.hopf_eta(J=0.0, g=1.0))

net = network.simulate(N=N, threads=2, **P19_SYNC)
mf = meanfield.integrate(t_eval=net.t, **P19_SYNC)

late = net.t >= T_END / 2  # after the transient
f_net, _ = metrics.spectral_peak(net.t[late], net.r[late])
f_mf, _ = metrics.spectral_peak(mf.t[late], mf.r[late])
print(f"period (spectral peak): network {1 / f_net:.3f} τ, mean field {1 / f_mf:.3f} τ")
print(f"mean rate: network {net.r[late].mean():.4f}, mean field {mf.r[late].mean():.4f}")

# %%
plotting.protocol_figure(net, mf, title=f"P19: J = 0, g = 1, η̄ = 5 (N = {N})")

# %% [markdown]
# ## 2. The (η̄, J) phase diagram at g = 1
#
# The fixed points, saddle-node (fold) curves, cusp, Hopf line and Takens–Bogdanov point have
# closed forms (`qifgap.bifurcation`); the homoclinic curve is continued numerically. Regions
# are labelled by the stable states found on a grid. With g > 0 oscillations replace most of
# the bistable wedge that MPR15 found at g = 0.

# %%
print("cusp (eta_bar, J):", bifurcation.cusp(g=1.0))
print("Takens-Bogdanov (eta_bar, J):", bifurcation.takens_bogdanov(g=1.0))
diagram = bifurcation.phase_diagram(g=1.0, eta_range=(-12.0, 6.0), J_range=(-5.0, 20.0), n=GRID)
print("label at (eta_bar, J) = (5, 0):", diagram.label(5.0, 0.0))
diagram.points

# %%
with plotting.style():  # the package's figure style, for this figure only
    fig, ax = plotting.figure(figsize=(5.0, 4.0))
    plotting.plot_phase_diagram(ax, diagram.tables())
    ax.set_title("g = 1", loc="left")
fig

# %% [markdown]
# ## 3. E–I with gap junctions among the inhibitory cells
#
# A model with several populations is declared as data (the same mapping a config entry
# has): per population η̄, Δ, τ, the synaptic time constant τ_s of the synapses its spikes
# make, and N; the chemical couplings `J[post][pre]` and the gap junctions `g[post][pre]`.
# Its exact mean field has two equations per population plus one per synapse with τ_s > 0
# (science.md §6). With gap junctions among the inhibitory cells (g_II = 1.5) the model
# oscillates with a period of 2.83 τ (≈ 35 Hz at τ = 10 ms); without them it is stationary
# (no period: "nan").

# %%
ei = Model.from_dict(
    {
        "populations": {
            "E": {"eta_bar": 1.0, "N": N_EI},
            "I": {"eta_bar": 2.0, "tau_syn": 0.5, "N": N_EI},
        },
        "J": {"E": {"E": 5.0, "I": -10.0}, "I": {"E": 10.0, "I": -10.0}},
        "g": {"I": {"I": 1.5}},
    }
)
no_gaps = ei.set("g.I.I", 0.0)

for name, model in (("g_II = 1.5", ei), ("g_II = 0", no_gaps)):
    run = meanfield.integrate(model=model, t_end=40.0).population("I")
    w = run.t >= 20.0
    rhythm = run.r[w].std() > 1e-3  # a stationary state has no period
    period = metrics.crossing_period(run.t[w], run.r[w]) if rhythm else float("nan")
    print(f"mean field, {name}: <r_I> = {run.r[w].mean():.3f}, std r_I = {run.r[w].std():.3f}, "
          f"period {period:.3f}")  # fmt: skip

# %% [markdown]
# The spiking network of the same model (N neurons per population, declared above) against
# its mean field, with the gap junctions: the network has the mean field's rhythm.

# %%
ei_net = network.simulate(model=ei, t_end=T_END, threads=2)
ei_mf = meanfield.integrate(model=ei, t_end=T_END, t_eval=ei_net.t)
late = ei_net.t >= T_END / 2
for label, run in (("network", ei_net), ("mean field", ei_mf)):
    inh = run.population("I")
    print(f"E–I {label}: <r_E> = {run.population('E').r[late].mean():.3f}, "
          f"<r_I> = {inh.r[late].mean():.3f}, "
          f"period of v_I {metrics.crossing_period(inh.t[late], inh.v[late]):.3f} τ")  # fmt: skip

with plotting.style():
    fig, axes = plotting.figure(2, 1, figsize=(6.0, 3.6), sharex=True)
    for ax, name in zip(axes, ei.names, strict=True):
        ax.plot(ei_net.t, ei_net.population(name).r, color=plotting.NET, lw=0.6, label="network")
        ax.plot(ei_mf.t, ei_mf.population(name).r, color=plotting.MF, ls="--", label="mean field")
        ax.set_ylabel(f"r_{name}(t)")
    axes[0].legend(loc="upper right", ncol=2)
    axes[-1].set_xlabel("t / τ")
fig

# %% [markdown]
# ## 4. Add an experiment to the pipeline and rebuild one target
#
# The Snakemake pipeline runs every experiment of `config/config.yaml` as a network, a mean
# field and a comparison, and draws the figures. An experiment is a named entry under
# `experiments:`; whatever it does not give comes from `defaults:` (every key is listed, with
# its type and default, in the configuration reference of the docs). Add, for example:
#
# ```yaml
# experiments:
#   my_gap_oscillation:
#     description: Electrical coupling only, beyond the Hopf line.
#     eta_bar: 5.0
#     J: 0.0
#     g: 1.0
#     t_start: 0.0
#     t_end: 40.0
#     current: {kind: step, amplitude: 2.0, t_on: 10.0, t_off: 20.0}
#     network: {N: 100000}
#     compare: {t_min: 15.0}
# ```
#
# then build only its comparison (network, mean field and metrics; nothing else reruns):
#
# ```bash
# .venv/bin/snakemake --cores all results/compare/runs/my_gap_oscillation.tsv
# ```
#
# and read the outputs back:
#
# ```python
# from qifgap.results import load_timeseries
# net = load_timeseries("results/network/my_gap_oscillation.npz")
# mf = load_timeseries("results/meanfield/my_gap_oscillation.npz")
# ```
#
# Listing it under `figures: protocols:` adds its time-series figure
# (`results/figures/protocol_my_gap_oscillation.png`); `snakemake --report results/report.html`
# collects every figure with its caption. The command line does the same for one run without
# a config: `qifgap simulate --help`, `qifgap meanfield --help`, `qifgap phase-diagram --help`.
