"""The tutorial notebook: in sync with its jupytext script, and it runs top to bottom.

It runs with ``QIFGAP_QUICK=1`` (reduced sizes, set at its top); the numbers checked are those
that do not depend on the sizes (the E–I mean field, science.md §6) and the figures shown inline.
"""

import os
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPT, NOTEBOOK = EXAMPLES / "tutorial.py", EXAMPLES / "tutorial.ipynb"


def _cells(notebook):
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_notebook_is_the_script():
    """examples/tutorial.ipynb has the cells of examples/tutorial.py (regenerate it with
    ``jupytext --to ipynb examples/tutorial.py``)."""
    script = jupytext.read(SCRIPT)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert _cells(notebook) == _cells(script)


def execute(*, quick: bool):
    """The notebook after running every cell (CellExecutionError on the first error)."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    saved = os.environ.pop("QIFGAP_QUICK", None)
    if quick:
        os.environ["QIFGAP_QUICK"] = "1"  # the kernel inherits the environment
    try:
        client = nbclient.NotebookClient(
            notebook, timeout=600, kernel_name="python3",
            resources={"metadata": {"path": str(EXAMPLES)}},
        )  # fmt: skip
        client.execute()
    finally:
        os.environ.pop("QIFGAP_QUICK", None)
        if saved is not None:
            os.environ["QIFGAP_QUICK"] = saved
    return notebook


@pytest.fixture(scope="module")
def executed():
    return execute(quick=True)


def _outputs(notebook, kind):
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            if kind == "text" and out.get("name") == "stdout":
                yield out["text"]
            elif kind == "png" and "image/png" in out.get("data", {}):
                yield out["data"]["image/png"]


def test_notebook_runs_and_shows_its_figures(executed):
    # three figures inline: network vs mean field, phase diagram, E–I rates
    assert len(list(_outputs(executed, "png"))) == 3
    text = "".join(_outputs(executed, "text"))
    assert "Hopf value of eta_bar at J = 0, g = 1: 3.9375" in text


def test_notebook_ei_rhythm_needs_the_gap_junctions(executed):
    """science.md §6: ⟨r_I⟩ = 0.319, std r_I = 0.312 with g_II = 1.5; without gap junctions
    std r_I < 1e-3 and ⟨r_I⟩ = 0.286 (an independent simulation's mean field). The period is
    the mean field's true one, 2.834 τ (science.md's 2.857 is an FFT bin, 0.8 % away), to 0.3 %
    (crossings of 7 cycles of a deterministic solution); without gap junctions there is none."""
    text = "".join(_outputs(executed, "text"))
    number = r"([-+0-9.enan]+)"
    found = dict(
        (name, tuple(float(x) for x in values))
        for name, *values in re.findall(
            rf"mean field, (g_II = [0-9.]+): <r_I> = {number}, std r_I = {number}, "
            rf"period {number}",
            text,
        )
    )
    mean, std, period = found["g_II = 1.5"]
    assert abs(period / 2.834 - 1) < 0.003
    assert abs(mean - 0.319) < 0.005 and abs(std - 0.312) < 0.005
    mean, std, period = found["g_II = 0"]
    assert std < 1e-3 and abs(mean - 0.286) < 0.005 and period != period  # nan: no rhythm
    # the E–I section runs the spiking network against the mean field (populations E and I)
    assert re.search(r"E–I network: <r_E> = [0-9.]+, <r_I> = [0-9.]+, period of v_I", text)
    assert re.search(r"E–I mean field: <r_E> = [0-9.]+, <r_I> = [0-9.]+, period of v_I", text)


@pytest.mark.slow
def test_notebook_at_default_sizes_network_follows_mean_field():
    """At its default sizes (N = 10⁴, 40 τ) the network's P19 oscillation has the mean field's
    period (spectral peak, 2 %) and mean rate (2 %; measured 0.7156 against 0.7167); the E–I
    network (4000 per population) has the mean field's period of v_I (2 %) and ⟨r_I⟩ (3 %:
    the heavy-tail bias of science.md §6, 0.316 against 0.319)."""
    text = "".join(_outputs(execute(quick=False), "text"))
    number = r"([0-9.]+)"
    ((p_net, p_mf),) = re.findall(rf"network {number} τ, mean field {number} τ", text)
    ((r_net, r_mf),) = re.findall(rf"mean rate: network {number}, mean field {number}", text)
    assert abs(float(p_net) / float(p_mf) - 1) < 0.02
    assert abs(float(r_net) / float(r_mf) - 1) < 0.02
    ei = {
        label: (float(r_i), float(period))
        for label, r_i, period in re.findall(
            rf"E–I (network|mean field): <r_E> = {number}, <r_I> = {number}, "
            rf"period of v_I {number} τ".replace(f"<r_E> = {number}", "<r_E> = [0-9.]+"),
            text,
        )
    }
    (r_net, p_net), (r_mf, p_mf) = ei["network"], ei["mean field"]
    assert abs(p_net / p_mf - 1) < 0.02 and abs(r_net / r_mf - 1) < 0.03
