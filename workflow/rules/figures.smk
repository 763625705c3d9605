# Stage 5: figures (PDF and PNG) flagged for the report.

BRANCH = canonical(config["bifurcation"]["branch"])
PORTRAIT = canonical(config["bifurcation"]["portrait"])


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
    log:
        f"{LOGS}/figure_mpr15_bifurcation.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/figure_mpr15_bifurcation.py"
