"""Rhythm amplitude of each network of an asymmetric_onset sweep against the corrected (κ) and
the P19 (κ = 0) mean field, and the onsets extrapolated from each."""

import pandas as pd

from qifgap import meanfield
from qifgap.bifurcation.asymmetry import onset_estimates, rate_amplitude
from qifgap.experiments import run_model
from qifgap.harness import script_harness
from qifgap.results import load_timeseries, write_table

with script_harness(snakemake) as sm:  # noqa: F821
    e, parameter = sm.params.entry, sm.params.rhythm["parameter"]
    pop, t_min = e["population"], e["t_min"]
    rows = []
    for path, (name, run) in zip(sm.input.networks, sm.params.runs.items(), strict=True):
        net = load_timeseries(path)
        model = run_model(run)
        k = model.index(pop)
        t_end = float(run["t_end"])
        series = {"net": net}
        for label, kappa in (("mf", None), ("p19", 0.0)):
            series[label] = meanfield.integrate(model=model, t_end=t_end, kappa=kappa)
        row = {"run": name, "v_reset": model[pop].v_reset, parameter: model.get(parameter)}
        for label, ts in series.items():
            row[f"amplitude_{label}"] = rate_amplitude(ts.t, ts.r[:, k], t_min=t_min)
        rows.append(row)
    runs = pd.DataFrame(rows)
    onsets = onset_estimates(runs, parameter)
    print(runs.to_string())
    print(onsets.to_string())
    write_table(sm.output.runs, runs)
    write_table(sm.output.onsets, onsets)
