"""Network classes of a rhythm's verification grid against the mean-field attractors, the same
protocol on the mean field (its agreement is the test of the threshold and the hold), and the
agreement away from a band around the Hopf curve (qifgap.verification.compare_model_classes)."""

import pandas as pd

from qifgap.harness import script_harness
from qifgap.populations import Model
from qifgap.results import write_json, write_table
from qifgap.verification import compare_model_classes, meanfield_model_starts

with script_harness(snakemake) as sm:  # noqa: F821
    e = sm.params.entry
    s = e["verification"]
    key = sm.wildcards.key
    keys = [e["parameter"], key]
    scale = [e["range"][1] - e["range"][0], e["curves"][key][1] - e["curves"][key][0]]
    starts = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.chunks], ignore_index=True)
    curve = pd.read_csv(sm.input.curve)
    points = starts[keys].drop_duplicates(ignore_index=True)
    mf_starts = meanfield_model_starts(
        Model.from_dict(e["model"]), points, hold=s["hold"], threshold=s["threshold"],
        kick=s["kick"], population=e.get("population"),
    )  # fmt: skip
    mf_table, mf_summary = compare_model_classes(mf_starts, curve, keys=keys, scale=scale,
                                                 band=s["band"])  # fmt: skip
    table, summary = compare_model_classes(starts, curve, keys=keys, scale=scale, band=s["band"])
    summary["protocol_agreement"] = mf_summary["agreement_all"]
    summary["protocol_points"] = mf_summary["points"]
    summary["threshold"] = s["threshold"]
    summary["hold"] = s["hold"]
    print(summary)
    write_table(sm.output.table, table)
    write_table(sm.output.meanfield, mf_table)
    write_table(sm.output.starts, starts)
    write_json(sm.output.summary, summary)
