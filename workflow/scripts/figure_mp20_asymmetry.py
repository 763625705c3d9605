"""Figure: asymmetric spikes against the P19 and MP20 mean fields (MP20)."""

import pandas as pd

from qifgap import plotting
from qifgap.analysis import meanfield_variants
from qifgap.harness import script_harness
from qifgap.results import load_timeseries, provenance

with script_harness(snakemake) as sm:  # noqa: F821
    table = pd.read_csv(sm.input.table, sep="\t")
    mf_files = dict(zip(sm.params.runs, sm.input.meanfields, strict=True))
    net_files = dict(zip(sm.params.network_runs, sm.input.networks, strict=True))
    columns = []
    for net_run in table.network_run:
        p19, mp20 = meanfield_variants(sm.params.runs, net_run)
        row = table[table.network_run == net_run].iloc[0]
        columns.append({
            "net": load_timeseries(net_files[net_run]),
            "p19": load_timeseries(mf_files[p19]),
            "mp20": load_timeseries(mf_files[mp20]) if mp20 else None,
            "v_reset": row.v_reset, "kappa": row.kappa,
        })  # fmt: skip
    plotting.save(
        plotting.asymmetry_figure(table, columns),
        sm.output.pdf,
        sm.output.png,
        provenance=provenance(sm),
    )
