# Stage 3: bifurcation data of the mean field (qifgap.bifurcation), as CSV tables.


# (eta_bar, J) phase diagram for one g: saddle-node, Hopf and homoclinic curves, cusp, TB and
# SNSL points, and region labels on a grid (closed forms plus numerical continuation).
rule bifurcation_phase_diagram:
    output:
        saddle_nodes=f"{RESULTS}/bifurcation/g={{g}}/saddle_nodes.csv",
        hopf=f"{RESULTS}/bifurcation/g={{g}}/hopf.csv",
        homoclinic=f"{RESULTS}/bifurcation/g={{g}}/homoclinic.csv",
        points=f"{RESULTS}/bifurcation/g={{g}}/points.csv",
        regions=f"{RESULTS}/bifurcation/g={{g}}/regions.csv",
    params:
        g=lambda wildcards: float(wildcards.g),
        delta=config["defaults"].get("delta", 1.0),
        eta_range=config["bifurcation"]["eta_range"],
        J_range=config["bifurcation"]["J_range"],
        n=config["bifurcation"].get("grid", 101),
        code=CODE["bifurcation"],
    log:
        f"{LOGS}/bifurcation_phase_diagram/g={{g}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bifurcation_phase_diagram/g={{g}}.tsv"
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_phase_diagram.py"


# Cusp, Takens-Bogdanov and SNSL points against g.
rule bifurcation_codim2:
    output:
        table=f"{RESULTS}/bifurcation/codim2_vs_g.csv",
    params:
        g=config["bifurcation"].get("codim2_g", [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]),
        delta=config["defaults"].get("delta", 1.0),
        code=CODE["bifurcation"],
    log:
        f"{LOGS}/bifurcation_codim2.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_codim2.py"


# The limit-cycle branch born at the Hopf point, at fixed (J, g): period, extrema, Floquet.
rule bifurcation_limit_cycles:
    output:
        table=f"{RESULTS}/bifurcation/limit_cycles_J={{J}}_g={{g}}.csv",
    params:
        J=lambda wildcards: float(wildcards.J),
        g=lambda wildcards: float(wildcards.g),
        delta=config["defaults"].get("delta", 1.0),
        code=CODE["bifurcation"],
    log:
        f"{LOGS}/bifurcation_limit_cycles/J={{J}}_g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_limit_cycles.py"


# Fixed points r*, v* against eta_bar at fixed (J, g), with their stability.
rule bifurcation_branch:
    output:
        branch=f"{RESULTS}/bifurcation/branch_J={{J}}_g={{g}}.csv",
    params:
        J=lambda wildcards: float(wildcards.J),
        g=lambda wildcards: float(wildcards.g),
        delta=config["defaults"].get("delta", 1.0),
        code=CODE["bifurcation"],
    log:
        f"{LOGS}/bifurcation_branch/J={{J}}_g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_branch.py"


# Vector field, nullclines, fixed points and orbits in the (r, v) plane.
rule bifurcation_portrait:
    output:
        portrait=f"{RESULTS}/bifurcation/portrait_eta={{eta}}_J={{J}}_g={{g}}.npz",
    params:
        eta_bar=lambda wildcards: float(wildcards.eta),
        J=lambda wildcards: float(wildcards.J),
        g=lambda wildcards: float(wildcards.g),
        delta=config["defaults"].get("delta", 1.0),
        code=CODE["bifurcation"],
    log:
        f"{LOGS}/bifurcation_portrait/eta={{eta}}_J={{J}}_g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_portrait.py"


# Range of eta_bar with persistent activity (bistability) against g at fixed J.
rule bifurcation_bistable_range:
    output:
        table=f"{RESULTS}/bifurcation/bistable_range_J={{J}}.csv",
    params:
        J=lambda wildcards: float(wildcards.J),
        g=config["bifurcation"].get("bistable_g", [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0]),
        delta=config["defaults"].get("delta", 1.0),
        eta_range=config["bifurcation"]["eta_range"],
        code=CODE["bifurcation"],
    log:
        f"{LOGS}/bifurcation_bistable_range/J={{J}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_bistable_range.py"
