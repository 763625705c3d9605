# Stage 3: bifurcation data of the mean field (qifgap.bifurcation), as CSV tables.


# Closed-form saddle-node, Hopf and Takens-Bogdanov sets and the cusp for one g.
rule bifurcation_closed_form:
    output:
        saddle_nodes=f"{RESULTS}/bifurcation/g={{g}}/saddle_nodes.csv",
        hopf=f"{RESULTS}/bifurcation/g={{g}}/hopf.csv",
        points=f"{RESULTS}/bifurcation/g={{g}}/points.csv",
    params:
        g=lambda wildcards: float(wildcards.g),
        delta=config["defaults"].get("delta", 1.0),
        J_range=config["bifurcation"]["J_range"],
        code=CODE["bifurcation"],
    log:
        f"{LOGS}/bifurcation_closed_form/g={{g}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_closed_form.py"


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
        delta=config["defaults"].get("delta", 1.0),
        code=CODE["bifurcation"],
    log:
        f"{LOGS}/bifurcation_bistable_range/J={{J}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_bistable_range.py"
