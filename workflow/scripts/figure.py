"""Figure of a registry entry that names its plotting function (``plot``, see figures.smk):
``qifgap.plotting.<plot>(**inputs, **params)``, each input read by its suffix
(``qifgap.results.read_output``; a list of files gives a list), every parameter but ``plot``,
``code`` and ``version`` passed by name."""

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.results import provenance, read_output

with script_harness(snakemake) as sm:  # noqa: F821
    inputs = {
        name: read_output(paths) if isinstance(paths, str) else [read_output(p) for p in paths]
        for name, paths in sm.input.items()
    }
    params = {k: v for k, v in sm.params.items() if k not in ("plot", "code", "version")}
    fig = getattr(plotting, sm.params.plot)(**inputs, **params)
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
