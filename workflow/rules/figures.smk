# Stage 5: figures (PDF and PNG) flagged for the report, one rule per entry of FIGURE_REGISTRY.
#
# An entry "<name>" makes rule figure_<name>, which shows its PNG in the report with the
# caption workflow/report/figure_<name>.rst. It runs workflow/scripts/figure_<name>.py, or,
# if the entry names a plotting function (plot="..."), the generic workflow/scripts/figure.py:
# qifgap.plotting.<plot>(**inputs read by their suffix, **params). Fields:
#   file         the file name without suffix under results/figures/ (may hold wildcards)
#   label        the report's "figure" label (wildcards of `file` are added as labels)
#   category     the report's (category, subcategory)
#   input        named inputs; params: named parameters (the code hash and the package
#                version are added to every figure)
#   targets      a function: the file names (wildcards filled in) that the config asks for
#   plot         (optional) the qifgap.plotting function of the generic script


def configured(key, stem):
    """Targets of a figure made once if the config's figures section has ``key``."""
    return lambda: [stem] if key in FIGURES else []


FIGURE_REGISTRY = {
    # Network against mean field over time for one experiment: raster, r, v, |Z|.
    "protocol": dict(
        file="protocol_{experiment}",
        label="protocol",
        category=("MPR15", "Network against mean field"),
        input=dict(
            network=rules.simulate_network.output.network.replace("{run}", "{experiment}"),
            meanfield=rules.compare_run.output.meanfield.replace("{run}", "{experiment}"),
            metrics=rules.compare_run.output.table.replace("{run}", "{experiment}"),
        ),
        params=dict(run=lambda wildcards: RUNS[wildcards.experiment]),
        targets=lambda: [f"protocol_{e}" for e in FIGURES.get("protocols", [])],
    ),
    # MPR15: phase diagram with the bistable wedge, r* and v* against eta_bar, phase portrait.
    "mpr15_bifurcation": dict(
        file="mpr15_bifurcation",
        label="mpr15_bifurcation",
        category=("MPR15", "Bifurcations"),
        input=dict(
            saddle_nodes=f"{RESULTS}/bifurcation/g=0/saddle_nodes.csv",
            points=f"{RESULTS}/bifurcation/g=0/points.csv",
            branch=f"{RESULTS}/bifurcation/branch_J={fmt(BRANCH['J'])}_g={fmt(BRANCH['g'])}.csv",
            portrait=(
                f"{RESULTS}/bifurcation/portrait_eta={fmt(PORTRAIT['eta_bar'])}"
                f"_J={fmt(PORTRAIT['J'])}_g={fmt(PORTRAIT['g'])}.npz"
            ),
        ),
        params=dict(branch=BRANCH, portrait=PORTRAIT, eta_range=BIF["eta_range"]),
        targets=lambda: ["mpr15_bifurcation"],
    ),
    # P19: network against mean field, one column per run of a coupling panel (figures 1, 4).
    "p19_coupling": dict(
        file="p19_coupling_{panel}",
        label="coupling",
        category=("P19", "Network against mean field"),
        input=dict(
            networks=lambda wildcards: expand(
                rules.simulate_network.output.network, run=FIGURES["coupling"][wildcards.panel]
            ),
            meanfields=lambda wildcards: expand(
                rules.compare_run.output.meanfield,
                run=FIGURES["coupling"][wildcards.panel],
            ),
            tables=lambda wildcards: expand(
                rules.compare_run.output.table, run=FIGURES["coupling"][wildcards.panel]
            ),
        ),
        params=dict(
            runs=lambda wildcards: {r: RUNS[r] for r in FIGURES["coupling"][wildcards.panel]}
        ),
        targets=lambda: [f"p19_coupling_{panel}" for panel in FIGURES.get("coupling", {})],
    ),
    # P19: electrical coupling switches synchrony on (amplitude and frequency against g).
    "p19_onset": dict(
        file="p19_onset",
        label="onset",
        category=("P19", "Synchrony"),
        input=dict(
            table=lambda wildcards: rules.compare_sweep.output.table.format(
                sweep=FIGURES["onset"]
            ),
        ),
        params=dict(base=lambda wildcards: RUNS[SWEEPS[FIGURES["onset"]][0]]),
        targets=configured("onset", "p19_onset"),
    ),
    # P19: persistent states under slow ramps for several g, against the mean-field range, and
    # the widths under the faster ramp (figures.hysteresis.fast_sweep) when configured.
    "p19_hysteresis": dict(
        file="p19_hysteresis",
        label="hysteresis",
        category=("P19", "Persistent states"),
        input=dict(
            table=rules.compare_hysteresis.output.table,
            speeds=lambda wildcards: (
                [rules.compare_hysteresis_speeds.output.table]
                if "fast_sweep" in FIGURES["hysteresis"] else []
            ),
            ranges=lambda wildcards: rules.bifurcation_bistable_range.output.table.format(
                J=fmt(hysteresis_J())
            ),
            networks=lambda wildcards: sweep_files("network", FIGURES["hysteresis"]["sweep"]),
            meanfields=lambda wildcards: sweep_files("meanfield", FIGURES["hysteresis"]["sweep"]),
        ),
        params=dict(
            runs=lambda wildcards: [RUNS[r] for r in SWEEPS[FIGURES["hysteresis"]["sweep"]]]
        ),
        targets=configured("hysteresis", "p19_hysteresis"),
    ),
    # MP20: asymmetric spikes against the P19 and the corrected mean field.
    "mp20_asymmetry": dict(
        file="mp20_asymmetry",
        label="asymmetry",
        category=("MP20", "Spike asymmetry"),
        input=dict(
            table=rules.compare_asymmetry.output.table,
            networks=lambda wildcards: expand(
                rules.simulate_network.output.network, run=FIGURES["asymmetry"]
            ),
            meanfields=lambda wildcards: expand(
                rules.compare_run.output.meanfield, run=asymmetry_runs()
            ),
        ),
        params=dict(
            runs=lambda wildcards: {r: RUNS[r] for r in asymmetry_runs()},
            network_runs=FIGURES.get("asymmetry", []),
        ),
        targets=configured("asymmetry", "mp20_asymmetry"),
    ),
    # Several populations (science.md 6): E-I with and without gap junctions among the I cells,
    # one column per point of a sweep of a population experiment.
    "ei_gap": dict(
        file="ei_gap",
        label="ei_gap",
        category=("Populations", "Network against mean field"),
        input=dict(
            networks=lambda wildcards: sweep_files("network", FIGURES["ei_gap"]),
            meanfields=lambda wildcards: sweep_files("meanfield", FIGURES["ei_gap"]),
            table=lambda wildcards: rules.compare_sweep.output.table.format(
                sweep=FIGURES["ei_gap"]
            ),
        ),
        params=dict(runs=lambda wildcards: {r: RUNS[r] for r in SWEEPS[FIGURES["ei_gap"]]}),
        targets=configured("ei_gap", "ei_gap"),
        plot="population_sweep_figure",
    ),
    # Sparse synchrony (science.md 7): identical noisy neurons (Delta = 0, noise gamma) with gap
    # junctions; the rhythm of network and mean field (Delta + gamma), a raster, and each
    # neuron's rate against the rhythm's frequency and its ISI CV.
    "sparse_synchrony": dict(
        file="sparse_synchrony",
        label="sparse_synchrony",
        category=("Noise", "Sparse synchrony"),
        input=dict(
            network=lambda wildcards: rules.simulate_network.output.network.format(
                run=FIGURES["sparse_synchrony"]
            ),
            meanfield=lambda wildcards: rules.compare_run.output.meanfield.format(
                run=FIGURES["sparse_synchrony"]
            ),
            table=rules.compare_sparse_synchrony.output.table,
        ),
        params=dict(run=lambda wildcards: RUNS[FIGURES["sparse_synchrony"]]),
        targets=configured("sparse_synchrony", "sparse_synchrony"),
        plot="sparse_synchrony_figure",
    ),
    # Finite-size scaling of the network-mean-field error, and the finite-threshold bias.
    "finite_size": dict(
        file="finite_size",
        label="finite_size",
        category=("P19", "Finite-size scaling"),
        input=dict(rules.compare_finite_size.output.items()),
        targets=configured("finite_size", "finite_size"),
    ),
    # P19: (eta_bar, J) phase diagrams for every configured g, with regions shaded.
    "p19_phase_diagrams": dict(
        file="p19_phase_diagrams",
        label="phase_diagrams",
        category=("P19", "Bifurcations"),
        input=dict(
            tables=expand(
                f"{RESULTS}/bifurcation/g={{g}}/{{table}}.csv",
                g=[fmt(g) for g in BIF["g"]],
                table=PHASE_TABLES,
            ),
        ),
        params=dict(g=BIF["g"], tables=PHASE_TABLES),
        targets=lambda: ["p19_phase_diagrams"],
    ),
    # P19: the codimension-2 points against g.
    "p19_codim2": dict(
        file="p19_codim2",
        label="codim2",
        category=("P19", "Bifurcations"),
        input=dict(table=rules.bifurcation_codim2.output.table),
        targets=lambda: ["p19_codim2"],
    ),
    # P19: period and amplitude of the limit-cycle branch born at the Hopf point.
    "p19_limit_cycles": dict(
        file="p19_limit_cycles",
        label="limit_cycles",
        category=("P19", "Bifurcations"),
        input=dict(
            table=rules.bifurcation_limit_cycles.output.table.format(
                J=fmt(LC["J"]), g=fmt(LC["g"])
            ),
        ),
        params=dict(cycle=LC, delta=DELTA),
        targets=lambda: ["p19_limit_cycles"],
    ),
    # P19: spiking verification drawn on the mean-field phase diagram of the same g.
    "p19_verification": dict(
        file="p19_verification_g={g}",
        label="verification",
        category=("P19", "Spiking verification"),
        input=dict(
            classes=rules.compare_verification.output.table,
            summary=rules.compare_verification.output.summary,
            tables=expand(
                f"{RESULTS}/bifurcation/g={{{{g}}}}/{{table}}.csv", table=PHASE_TABLES
            ),
        ),
        params=dict(settings=canonical(VERIFY) if VERIFY else {}, tables=PHASE_TABLES),
        targets=lambda: [f"p19_verification_g={g}" for g in VERIFY_G],
    ),
    # Rhythm of a population model (config rhythms): equilibrium branch with the Hopf onset,
    # cycle std and frequency against the parameter, and the spiking networks of the entry's
    # sweep (rhythms.<name>.network; the table of rule compare_rhythm) on top.
    "rhythm_onset": dict(
        file="rhythm_onset_{rhythm}",
        label="rhythm_onset",
        category=("Rhythms", "Onset"),
        input=dict(
            branch=rules.bifurcation_rhythm_onset.output.branch,
            hopf=rules.bifurcation_rhythm_onset.output.hopf,
            cycles=rules.bifurcation_rhythm_onset.output.cycles,
            network=lambda wildcards: rhythm_network_table(wildcards.rhythm),
        ),
        params=dict(entry=lambda wildcards: rhythm_model_entry(wildcards.rhythm)),
        targets=lambda: [f"rhythm_onset_{name}" for name in RHYTHMS],
        plot="rhythm_onset_figure",
    ),
    # Rhythm onset (Hopf curves) in two parameters, frequency as colour.
    "rhythm_curves": dict(
        file="rhythm_curves_{rhythm}",
        label="rhythm_curves",
        category=("Rhythms", "Onset curves"),
        input=dict(
            curves=lambda wildcards: [
                rules.bifurcation_rhythm_curve.output.table.format(rhythm=wildcards.rhythm, key=k)
                for k in RHYTHMS[wildcards.rhythm].get("curves", {})
            ],
            hopf=rules.bifurcation_rhythm_onset.output.hopf,
            # spiking verification marks (config rhythms.<name>.verification), one per key
            verification=lambda wildcards: [
                rules.compare_rhythm_verification.output.table.format(
                    rhythm=wildcards.rhythm, key=k
                )
                for k in rhythm_verification_keys(wildcards.rhythm)
            ],
            network=lambda wildcards: rhythm_network_table(wildcards.rhythm),
        ),
        params=dict(
            entry=lambda wildcards: RHYTHMS[wildcards.rhythm],
            curve_keys=lambda wildcards: list(RHYTHMS[wildcards.rhythm].get("curves", {})),
            verified_keys=lambda wildcards: rhythm_verification_keys(wildcards.rhythm),
        ),
        targets=lambda: [f"rhythm_curves_{n}" for n, e in RHYTHMS.items() if e.get("curves")],
        plot="rhythm_curves_figure",
    ),
    # Two inhibitory clusters (config clusters): coexistence range from continuation and a
    # pulse experiment, network against mean field, flipping between the two states.
    "two_clusters": dict(
        file="two_clusters_{cluster}",
        label="two_clusters",
        category=("Rhythms", "Bistability"),
        input=dict(
            branch=rules.bifurcation_coexistence.output.branch,
            hopf=rules.bifurcation_coexistence.output.hopf,
            cycles=rules.bifurcation_coexistence.output.cycles,
            range=rules.bifurcation_coexistence.output.range,
            classes=rules.compare_pulse.output.table,
            network=lambda wildcards: cluster_file("network", wildcards),
            meanfield=lambda wildcards: cluster_file("meanfield", wildcards),
        ),
        params=dict(
            entry=lambda wildcards: CLUSTERS[wildcards.cluster],
            run=cluster_run,
        ),
        targets=lambda: [f"two_clusters_{name}" for name in CLUSTERS],
        plot="two_clusters_figure",
    ),
    # MP20 with populations (config asymmetric_onset): the onset against the reset with and
    # without the κ term, and the network's rhythm amplitude against both mean fields.
    "mp20_populations": dict(
        file="mp20_populations_{asym}",
        label="mp20_populations",
        category=("MP20", "Populations"),
        input=dict(
            onsets=rules.bifurcation_asymmetric_onset.output.table,
            runs=rules.compare_asymmetric_onset.output.runs,
            estimates=rules.compare_asymmetric_onset.output.onsets,
        ),
        params=dict(
            entry=lambda wildcards: ASYM_ONSET[wildcards.asym],
            rhythm=lambda wildcards: RHYTHMS[ASYM_ONSET[wildcards.asym]["rhythm"]],
        ),
        targets=lambda: [f"mp20_populations_{name}" for name in ASYM_ONSET],
        plot="mp20_populations_figure",
    ),
}


def figure_labels(label, file):
    """The report labels of a figure: its name, and each wildcard of its file name."""
    wildcards = re.findall(r"{(\w+)}", file)
    return {"figure": label, **{w: f"{{{w}}}" for w in wildcards}}


def figure_script(name, fig):
    """The script of a figure: the generic one if the entry names its plotting function."""
    return "figure" if "plot" in fig else f"figure_{name}"


def figure_rule(name, fig):
    """Define rule figure_<name> (in a function, so that the script path, which Snakemake
    evaluates when the job runs, is this entry's and not the loop's last)."""

    rule:
        name:
            f"figure_{name}"
        input:
            **fig["input"],
        output:
            pdf=f"{RESULTS}/figures/{fig['file']}.pdf",
            png=report(
                f"{RESULTS}/figures/{fig['file']}.png",
                caption=f"../report/figure_{name}.rst",
                category=fig["category"][0],
                subcategory=fig["category"][1],
                labels=figure_labels(fig["label"], fig["file"]),
            ),
        params:
            **fig.get("params", {}),
            **({"plot": fig["plot"]} if "plot" in fig else {}),
            code=script_code(figure_script(name, fig)),
            version=QIFGAP_VERSION,
        log:
            f"{LOGS}/figure_{name}/{fig['file']}.log",
        conda:
            "../../envs/qifgap.yaml"
        script:
            f"../scripts/{figure_script(name, fig)}.py"


for name, fig in FIGURE_REGISTRY.items():
    figure_rule(name, fig)
