# Stage 5: figures (PDF and PNG) flagged for the report.

# Network against mean field over time for one experiment: raster, r, v, |Z|.
rule figure_protocol:
    input:
        network=rules.simulate_network.output.network.replace("{run}", "{experiment}"),
        meanfield=rules.integrate_meanfield.output.meanfield.replace("{run}", "{experiment}"),
        metrics=rules.compare_run.output.table.replace("{run}", "{experiment}"),
    output:
        pdf=f"{RESULTS}/figures/protocol_{{experiment}}.pdf",
        png=report(
            f"{RESULTS}/figures/protocol_{{experiment}}.png",
            caption="../report/figure_protocol.rst",
            category="MPR15",
            subcategory="Network against mean field",
            labels={"figure": "protocol", "experiment": "{experiment}"},
        ),
    params:
        run=lambda wildcards: RUNS[wildcards.experiment],
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_protocol/{{experiment}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_protocol.py"


# MPR15: phase diagram with the bistable wedge, r* and v* against eta_bar, phase portrait.
rule figure_mpr15_bifurcation:
    input:
        saddle_nodes=f"{RESULTS}/bifurcation/g=0/saddle_nodes.csv",
        points=f"{RESULTS}/bifurcation/g=0/points.csv",
        branch=f"{RESULTS}/bifurcation/branch_J={fmt(BRANCH['J'])}_g={fmt(BRANCH['g'])}.csv",
        portrait=(
            f"{RESULTS}/bifurcation/portrait_eta={fmt(PORTRAIT['eta_bar'])}"
            f"_J={fmt(PORTRAIT['J'])}_g={fmt(PORTRAIT['g'])}.npz"
        ),
    output:
        pdf=f"{RESULTS}/figures/mpr15_bifurcation.pdf",
        png=report(
            f"{RESULTS}/figures/mpr15_bifurcation.png",
            caption="../report/figure_mpr15_bifurcation.rst",
            category="MPR15",
            subcategory="Bifurcations",
            labels={"figure": "mpr15_bifurcation"},
        ),
    params:
        branch=BRANCH,
        portrait=PORTRAIT,
        eta_range=config["bifurcation"]["eta_range"],
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_mpr15_bifurcation.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_mpr15_bifurcation.py"


# P19: network against mean field, one column per run of a coupling panel (figures 1 and 4).
rule figure_p19_coupling:
    input:
        networks=lambda wildcards: expand(f"{RESULTS}/network/{{run}}.npz",
                                          run=FIGURES["coupling"][wildcards.panel]),
        meanfields=lambda wildcards: expand(f"{RESULTS}/meanfield/{{run}}.npz",
                                            run=FIGURES["coupling"][wildcards.panel]),
        tables=lambda wildcards: expand(f"{RESULTS}/compare/runs/{{run}}.tsv",
                                        run=FIGURES["coupling"][wildcards.panel]),
    output:
        pdf=f"{RESULTS}/figures/p19_coupling_{{panel}}.pdf",
        png=report(
            f"{RESULTS}/figures/p19_coupling_{{panel}}.png",
            caption="../report/figure_p19_coupling.rst",
            category="P19",
            subcategory="Network against mean field",
            labels={"figure": "coupling", "panel": "{panel}"},
        ),
    params:
        runs=lambda wildcards: {r: RUNS[r] for r in FIGURES["coupling"][wildcards.panel]},
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_p19_coupling/{{panel}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_p19_coupling.py"


# P19: electrical coupling switches synchrony on (amplitude and frequency against g).
rule figure_p19_onset:
    input:
        table=lambda wildcards: f"{RESULTS}/compare/sweeps/{FIGURES['onset']}.tsv",
    output:
        pdf=f"{RESULTS}/figures/p19_onset.pdf",
        png=report(
            f"{RESULTS}/figures/p19_onset.png",
            caption="../report/figure_p19_onset.rst",
            category="P19",
            subcategory="Synchrony",
            labels={"figure": "onset"},
        ),
    params:
        base=lambda wildcards: RUNS[SWEEPS[FIGURES["onset"]][0]],
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_p19_onset.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_p19_onset.py"


# P19: persistent states under slow ramps for several g, against the mean-field range.
rule figure_p19_hysteresis:
    input:
        table=rules.compare_hysteresis.output.table,
        ranges=lambda wildcards: f"{RESULTS}/bifurcation/bistable_range_J={fmt(hysteresis_J())}.csv",
        networks=lambda wildcards: sweep_files("network", FIGURES["hysteresis"]["sweep"]),
        meanfields=lambda wildcards: sweep_files("meanfield", FIGURES["hysteresis"]["sweep"]),
    output:
        pdf=f"{RESULTS}/figures/p19_hysteresis.pdf",
        png=report(
            f"{RESULTS}/figures/p19_hysteresis.png",
            caption="../report/figure_p19_hysteresis.rst",
            category="P19",
            subcategory="Persistent states",
            labels={"figure": "hysteresis"},
        ),
    params:
        runs=lambda wildcards: [RUNS[r] for r in SWEEPS[FIGURES["hysteresis"]["sweep"]]],
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_p19_hysteresis.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_p19_hysteresis.py"


# MP20: asymmetric spikes against the P19 and the corrected mean field.
rule figure_mp20_asymmetry:
    input:
        table=rules.compare_asymmetry.output.table,
        networks=lambda wildcards: expand(f"{RESULTS}/network/{{run}}.npz",
                                          run=FIGURES["asymmetry"]),
        meanfields=lambda wildcards: expand(
            f"{RESULTS}/meanfield/{{run}}.npz",
            run=asymmetry_runs(),
        ),
    output:
        pdf=f"{RESULTS}/figures/mp20_asymmetry.pdf",
        png=report(
            f"{RESULTS}/figures/mp20_asymmetry.png",
            caption="../report/figure_mp20_asymmetry.rst",
            category="MP20",
            subcategory="Spike asymmetry",
            labels={"figure": "asymmetry"},
        ),
    params:
        runs=lambda wildcards: {r: RUNS[r] for r in asymmetry_runs()},
        network_runs=FIGURES.get("asymmetry", []),
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_mp20_asymmetry.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_mp20_asymmetry.py"


# Finite-size scaling of the network-mean-field error, and the finite-threshold bias.
rule figure_finite_size:
    input:
        **rules.compare_finite_size.output,
    output:
        pdf=f"{RESULTS}/figures/finite_size.pdf",
        png=report(
            f"{RESULTS}/figures/finite_size.png",
            caption="../report/figure_finite_size.rst",
            category="P19",
            subcategory="Finite-size scaling",
            labels={"figure": "finite_size"},
        ),
    params:
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_finite_size.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_finite_size.py"


# P19: (eta_bar, J) phase diagrams for every configured g, with regions shaded.
rule figure_p19_phase_diagrams:
    input:
        tables=expand(f"{RESULTS}/bifurcation/g={{g}}/{{table}}.csv",
                      g=[fmt(g) for g in BIF["g"]], table=PHASE_TABLES),
    output:
        pdf=f"{RESULTS}/figures/p19_phase_diagrams.pdf",
        png=report(
            f"{RESULTS}/figures/p19_phase_diagrams.png",
            caption="../report/figure_p19_phase_diagrams.rst",
            category="P19",
            subcategory="Bifurcations",
            labels={"figure": "phase_diagrams"},
        ),
    params:
        g=BIF["g"],
        tables=PHASE_TABLES,
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_p19_phase_diagrams.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_p19_phase_diagrams.py"


# P19: the codimension-2 points against g.
rule figure_p19_codim2:
    input:
        table=rules.bifurcation_codim2.output.table,
    output:
        pdf=f"{RESULTS}/figures/p19_codim2.pdf",
        png=report(
            f"{RESULTS}/figures/p19_codim2.png",
            caption="../report/figure_p19_codim2.rst",
            category="P19",
            subcategory="Bifurcations",
            labels={"figure": "codim2"},
        ),
    params:
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_p19_codim2.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_p19_codim2.py"


# P19: period and amplitude of the limit-cycle branch born at the Hopf point.
rule figure_p19_limit_cycles:
    input:
        table=f"{RESULTS}/bifurcation/limit_cycles_J={fmt(LC['J'])}_g={fmt(LC['g'])}.csv",
    output:
        pdf=f"{RESULTS}/figures/p19_limit_cycles.pdf",
        png=report(
            f"{RESULTS}/figures/p19_limit_cycles.png",
            caption="../report/figure_p19_limit_cycles.rst",
            category="P19",
            subcategory="Bifurcations",
            labels={"figure": "limit_cycles"},
        ),
    params:
        cycle=LC,
        delta=config["defaults"].get("delta", 1.0),
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_p19_limit_cycles.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_p19_limit_cycles.py"


# P19: spiking verification drawn on the mean-field phase diagram of the same g.
rule figure_p19_verification:
    input:
        classes=f"{RESULTS}/verification/g={{g}}/classes.tsv",
        summary=f"{RESULTS}/verification/g={{g}}/summary.json",
        tables=expand(f"{RESULTS}/bifurcation/g={{{{g}}}}/{{table}}.csv", table=PHASE_TABLES),
    output:
        pdf=f"{RESULTS}/figures/p19_verification_g={{g}}.pdf",
        png=report(
            f"{RESULTS}/figures/p19_verification_g={{g}}.png",
            caption="../report/figure_p19_verification.rst",
            category="P19",
            subcategory="Spiking verification",
            labels={"figure": "verification", "g": "{g}"},
        ),
    params:
        settings=canonical(VERIFY) if VERIFY else {},
        tables=PHASE_TABLES,
        code=CODE["plotting"],
        version=QIFGAP_VERSION,
    log:
        f"{LOGS}/figure_p19_verification/g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_p19_verification.py"
