# Stage 6: the claims table (qifgap.claims): every claim of the captions and of the README's
# figure table as a number with its threshold, pass / fail / untested. It reads the tables
# behind the figures, so it runs after every other target of the config (all_targets) and
# the runs of the protocol figures (their time series).
#
# A failed claim does not fail this rule: the table and its HTML page are results to read
# (the report shows them first, failures in red); `qifgap claims results/` exits 1 and the
# test suite fails on them.
rule claims:
    input:
        targets=all_targets(),
        protocols=expand(
            f"{RESULTS}/{{kind}}/{{run}}.npz",
            kind=("network", "meanfield"),
            run=FIGURES.get("protocols", []),
        ),
    output:
        table=f"{RESULTS}/claims.tsv",
        html=report(
            f"{RESULTS}/claims.html",
            caption="../report/claims.rst",
            category="Claims",  # sorted first in the report's menu (before MP20, MPR15, P19)
            labels={"table": "claims"},
        ),
    params:
        figures=canonical(FIGURES),
        code=script_code("claims"),
        version=QIFGAP_VERSION,
    resources:
        mem_mb=800,
        runtime=5,
    log:
        f"{LOGS}/claims.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/claims.py"
