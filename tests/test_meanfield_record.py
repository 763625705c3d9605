"""What qifgap.meanfield.integrate records and refuses: the parameter record of a run equals its
arguments, every bad argument is refused by name before any work, and a run that blows up
raises with the interval and the model (found by mutation testing, mutation/README.md).
Short runs (t ≤ 1, a few output points); time in units of τ."""

import numpy as np
import pytest

from qifgap import __version__, meanfield

TWO = {
    "populations": {"E": {"eta_bar": -1.0, "tau_syn": 0.5}, "I": {"eta_bar": 0.5}},
    "J": {"E": {"I": -2.0}, "I": {"E": 3.0}},
    "g": {"I": {"I": 0.5}},
}
KW = {"eta_bar": -1.0, "delta": 0.5, "J": 2.0, "g": 0.25}


def test_keyword_run_records_its_arguments():
    run = meanfield.integrate(**KW, tau=2.0, kappa=0.125, noise=0.5, r0=0.25, v0=-0.5,
                              t_start=0.5, t_end=1.0, dt_out=0.25, rtol=1e-9, atol=1e-11,
                              current=0.75)  # fmt: skip
    assert run.params == {
        "model": "meanfield",
        "eta_bar": -1.0, "delta": 0.5, "J": 2.0, "g": 0.25, "tau": 2.0, "kappa": 0.125,
        "noise": 0.5,
        "t_start": 0.5, "t_end": 1.0, "dt_out": 0.25, "rtol": 1e-9, "atol": 1e-11,
        "r0": 0.25, "v0": -0.5,
        "current": {"kind": "constant", "value": 0.75},
        "qifgap_version": __version__,
    }  # fmt: skip
    np.testing.assert_array_equal(run.t, [0.5, 0.75, 1.0])
    assert run.r.shape == run.v.shape == run.Z.shape == (3,)
    assert (run.r[0], run.v[0]) == (0.25, -0.5)


def test_keyword_run_without_noise_records_no_noise_and_the_defaults():
    run = meanfield.integrate(**KW, t_end=0.5)
    assert "noise" not in run.params
    assert (run.params["kappa"], run.params["r0"], run.params["v0"]) == (0.0, 0.0, 0.0)
    assert (run.params["rtol"], run.params["atol"], run.params["dt_out"]) == (1e-10, 1e-12, 0.01)
    assert run.params["current"] == {"kind": "constant", "value": 0.0}
    assert len(run.t) == 51


def test_population_run_records_its_model_state_and_currents():
    run = meanfield.integrate(model=TWO, t_end=1.0, t_eval=[0.0, 0.5, 1.0],
                              y0=[0.1, 0.2, -1.0, 0.5, 0.3], current={"E": 0.5},
                              kappa=[0.25, -0.5])  # fmt: skip
    pop = {"delta": 1.0, "tau": 1.0, "v_peak": 100.0, "v_reset": -100.0}
    assert run.params == {
        "model": "meanfield",
        "populations": {"E": {"eta_bar": -1.0, **pop, "tau_syn": 0.5},
                        "I": {"eta_bar": 0.5, **pop, "tau_syn": 0.0}},
        "J": {"E": {"I": -2.0}, "I": {"E": 3.0}},
        "g": {"I": {"I": 0.5}},
        "kappa": [0.25, -0.5],
        "y0": [0.1, 0.2, -1.0, 0.5, 0.3],
        "t_start": 0.0, "t_end": 1.0, "dt_out": None, "rtol": 1e-10, "atol": 1e-12,
        "current": {"E": {"kind": "constant", "value": 0.5},
                    "I": {"kind": "constant", "value": 0.0}},
        "qifgap_version": __version__,
    }  # fmt: skip
    assert run.populations == ("E", "I")
    np.testing.assert_array_equal(run.r[0], [0.1, 0.2])
    np.testing.assert_array_equal(run.v[0], [-1.0, 0.5])
    assert run.r.shape == (3, 2) and run.r.flags.c_contiguous and run.v.flags.c_contiguous


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"delta": 1.0, "J": 0.0}, r"^eta_bar, g: required without a model$"),
        ({"eta_bar": 1.0, "delta": 1.0, "g": 0.0}, r"^J: required without a model$"),
        ({"eta_bar": 1.0, "J": 0.0, "g": 0.0}, r"^delta: required without a model$"),
    ],
)
def test_keyword_run_names_the_missing_parameters(given, message):
    with pytest.raises(ValueError, match=message):
        meanfield.integrate(t_end=1.0, **given)


@pytest.mark.parametrize(
    ("given", "names"),
    [({"J": 1.0, "noise": 0.1}, "J, noise"), ({"eta_bar": 1.0, "delta": 1.0, "g": 0.0},
                                              "eta_bar, delta, g")],
)  # fmt: skip
def test_model_run_refuses_keyword_parameters_by_name(given, names):
    with pytest.raises(ValueError, match=rf"^{names}: give the model's parameters in model, not"):
        meanfield.integrate(model=TWO, t_end=1.0, **given)


def test_keyword_noise_is_extra_width():
    """Cauchy noise γ enters the firing-rate equations as Δ + γ (science.md §7)."""
    noisy = meanfield.integrate(**{**KW, "delta": 0.25}, noise=0.25, r0=0.1, t_end=0.5)
    wide = meanfield.integrate(**KW, r0=0.1, t_end=0.5)
    np.testing.assert_allclose(noisy.r, wide.r, rtol=1e-12, atol=0)
    assert (
        abs(noisy.r[-1] - meanfield.integrate(**{**KW, "delta": 0.25}, r0=0.1, t_end=0.5).r[-1])
        > 1e-3
    )


def test_keyword_run_refuses_a_mapping_of_populations_as_current():
    """A keyword run has one current: {"pop": ...} (its population's name) is not a spec."""
    msg = r"^current: expected a mapping with a 'kind' key, got \{'pop': 0.5\}$"
    with pytest.raises(ValueError, match=msg):
        meanfield.integrate(**KW, t_end=1.0, current={"pop": 0.5})


def test_kuramoto_order_parameter_uses_tau():
    """Z = (1 − W̄)/(1 + W̄), W = π τ r + i v (science.md §2), here with τ = 2."""
    run = meanfield.integrate(**KW, tau=2.0, r0=0.25, v0=-0.5, t_end=0.5)
    w_bar = np.pi * 2.0 * run.r - 1j * run.v
    np.testing.assert_allclose(run.Z, (1 - w_bar) / (1 + w_bar), rtol=1e-14, atol=1e-15)
    assert run.Z[0] == pytest.approx(
        (1 - (np.pi * 0.5 + 0.5j)) / (1 + np.pi * 0.5 + 0.5j), rel=1e-14
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"noise": -0.1}, r"^noise must be >= 0, got -0.1$"),
        ({"kappa": float("nan")}, r"^kappa must be finite"),
        ({"r0": -0.1}, r"^r0 must be >= 0, got -0.1$"),
        ({"v0": float("inf")}, r"^v0 must be finite"),
        ({"rtol": 0.0}, r"^rtol must be > 0, got 0.0$"),
        ({"atol": -1.0}, r"^atol must be > 0, got -1.0$"),
        ({"dt_out": 0.0}, r"^dt_out must be > 0, got 0.0$"),
        ({"t_eval": [[0.0, 0.5]]}, r"^t_eval must be a one-dimensional, strictly increasing"),
        ({"t_eval": [0.0, 0.5, 0.5]}, r"^t_eval must be a one-dimensional, strictly increasing"),
        ({"t_eval": [-0.1, 0.5]}, r"^t_eval must lie inside \[t_start, t_end\] = \[0.0, 1.0\]$"),
        (
            {"t_eval": [0.5, 0.7, 1.1]},
            r"^t_eval must lie inside \[t_start, t_end\] = \[0.0, 1.0\]$",
        ),
    ],
)
def test_keyword_run_refuses_bad_arguments_by_name(given, message):
    with pytest.raises(ValueError, match=message):
        meanfield.integrate(**KW, t_end=1.0, **given)


def test_a_valid_t_eval_on_the_interval_edges_is_the_output_grid():
    """Whole numbers are output times like any others: float64."""
    run = meanfield.integrate(**KW, t_end=1.0, t_eval=[0, 1])
    np.testing.assert_array_equal(run.t, [0.0, 1.0])
    assert run.t.dtype == np.float64
    assert run.params["dt_out"] is None


@pytest.mark.parametrize(
    ("y0", "message"),
    [
        ([0.1, 0.2, 0.0, 0.0], r"^y0 must hold 2P \+ \(populations with tau_syn > 0\) = 5 numbers, "
                               r"got shape \(4,\)$"),
        ([0.1, 0.2, 0.0, np.nan, 0.0], r"^y0 must be finite, got \[0.1, 0.2, 0.0, nan, 0.0\]$"),
        ([0.1, -0.2, 0.0, 0.0, 0.0], r"^y0: the rates y0\[:2\] must be >= 0, got \[ 0.1 -0.2\]$"),
    ],
)  # fmt: skip
def test_a_bad_initial_state_is_refused(y0, message):
    with pytest.raises(ValueError, match=message):
        meanfield.integrate(model=TWO, t_end=1.0, y0=y0)


def test_a_negative_synaptic_state_is_allowed():
    """Only the rates must be ≥ 0: a synaptic state s may start below 0."""
    run = meanfield.integrate(model=TWO, t_end=0.5, y0=[0.1, 0.2, 0.0, 0.0, -0.1])
    assert run.params["y0"][-1] == -0.1


def test_zero_rates_are_a_valid_initial_state():
    run = meanfield.integrate(model=TWO, t_end=0.5, y0=[0, 0, 0, 0, 0])
    np.testing.assert_array_equal(run.r[0], [0.0, 0.0])
    assert [type(x) for x in run.params["y0"]] == [float] * 5


def test_an_initial_state_as_text_is_converted_like_every_number():
    as_text = meanfield.integrate(model=TWO, t_end=0.5, y0=["0.1", "0.2", "0", "0", "0"])
    assert as_text.params["y0"] == [0.1, 0.2, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("current", "message"),
    [
        ({"X": 0.5}, r"^current\.X: unknown population 'X' \(known: \('E', 'I'\)\)$"),
        ({"E": "big"}, r"^current\.E: current: expected None, a number, a dict"),
        ({"I": {"kind": "step", "amplitude": 1.0, "t_on": 1.0, "t_off": 0.5}},
         r"^current\.I: t_off \(0.5\) must be larger than t_on \(1.0\)$"),
    ],
)  # fmt: skip
def test_a_bad_current_per_population_is_refused_by_name(current, message):
    with pytest.raises(ValueError, match=message):
        meanfield.integrate(model=TWO, t_end=1.0, current=current)


def test_an_empty_current_mapping_is_read_as_a_spec_and_refused():
    """{} is not a mapping of populations: as_current reads it as a spec and refuses it."""
    msg = r"^current: expected a mapping with a 'kind' key, got \{\}$"
    with pytest.raises(ValueError, match=msg):
        meanfield.integrate(model=TWO, t_end=1.0, current={})


def test_a_blow_up_raises_with_the_interval_and_the_parameters():
    """Δ = 0 and r = 0: τ dv/dt = v², which from v0 = 10 reaches infinity at t = 0.1 (loose
    tolerances: the failure is the same, found in fewer steps)."""
    msg = (r"^mean-field integration failed on t in \[0.0, 1.0\] "
           r"\(eta_bar=0.0, J=0.0, g=0.0, delta=0.0\): Required step size")  # fmt: skip
    with pytest.raises(RuntimeError, match=msg):
        meanfield.integrate(eta_bar=0.0, delta=0.0, J=0.0, g=0.0, v0=10.0, t_end=1.0, rtol=1e-3)


def test_a_blow_up_after_a_step_names_its_segment_and_the_model():
    """A step of 100 at t = 0.5 (Δ = 0 in A, r = v = 0): τ dv/dt = v² + 100 reaches infinity
    at t = 0.5 + π/20, inside the segment [0.5, 1.0] of the step's breakpoint."""
    model = {"populations": {"A": {"eta_bar": 0.0, "delta": 0.0}, "B": {"eta_bar": 0.0}}}
    step = {"kind": "step", "amplitude": 100.0, "t_on": 0.5, "t_off": 2.0}
    msg = (r"^mean-field integration failed on t in \[0.5, 1.0\] \(model \{'populations': "
           r"\{'A': \{'eta_bar': 0.0, 'delta': 0.0, ")  # fmt: skip
    with pytest.raises(RuntimeError, match=msg):
        meanfield.integrate(model=model, t_end=1.0, current={"A": step}, rtol=1e-3, atol=1e-3)
