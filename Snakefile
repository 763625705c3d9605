# qifgap: QIF networks with chemical and electrical synapses, their exact mean field,
# bifurcation analysis and network <-> mean-field comparison (MPR15, P19).
#   snakemake --cores all                          # the default config: the paper reproduction
#   snakemake --cores 2 --configfile config/test.yaml
#   snakemake --report results/report.html

from snakemake.utils import min_version

min_version("9.0")


# the default config, unless config files are given on the command line (--configfile): a
# test or user config then stands alone instead of being merged into the default one
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/network.smk"
include: "workflow/rules/bifurcation.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/clusters.smk"
include: "workflow/rules/asymmetry.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/claims.smk"


# The targets of the default run: every figure, table and data file of the config, and the
# claims table that checks them.
rule all:
    input:
        all_targets(),
        rules.claims.output.table,
    default_target: True
