"""κ resolution in qifgap.experiments: ``kappa: auto`` → ln(V_p/|V_r|) (MP20: positive for a tall
spike, negative for a deep reset), numbers pass through, and the resolved κ reaches the mean
field as the virtual chemical coupling g κ."""

import math

import numpy as np
import pytest

from qifgap import comparison, experiments, meanfield

BASE = dict(eta_bar=1.0, delta=1.0, J=2.0, g=1.5, t_start=0.0, t_end=1.0)


def run(meanfield_opts, **network_opts):
    net = dict(N=100, raster_neurons=0, **network_opts)
    return {**BASE, "network": net, "meanfield": meanfield_opts}


@pytest.mark.parametrize(
    ("v_reset", "kappa"),
    [(-50.0, math.log(2.0)), (-200.0, -math.log(2.0)), (-100.0, 0.0), (-25.0, math.log(4.0))],
)
def test_auto_is_log_of_peak_over_reset(v_reset, kappa):
    kw = experiments.meanfield_kwargs(run({"kappa": "auto"}, v_peak=100.0, v_reset=v_reset))
    assert kw["kappa"] == pytest.approx(kappa, abs=1e-15)
    assert math.copysign(1.0, kw["kappa"]) == math.copysign(1.0, kappa) or kappa == 0.0


def test_auto_with_the_network_defaults_is_zero():
    """Defaults V_p = 100, V_r = −100: a symmetric spike has κ = 0 (P19)."""
    assert experiments.meanfield_kwargs(run({"kappa": "auto"}))["kappa"] == 0.0


@pytest.mark.parametrize("kappa", [0.0, 0.3, -1.25])
def test_numbers_pass_through(kappa):
    params = run({"kappa": kappa}, v_peak=100.0, v_reset=-50.0)
    assert experiments.meanfield_kwargs(params)["kappa"] == kappa


def test_absent_kappa_is_zero_whatever_the_spike():
    assert experiments.meanfield_kwargs(run({}, v_reset=-50.0))["kappa"] == 0.0


@pytest.mark.parametrize("v_reset", [-50.0, -200.0])
def test_run_meanfield_uses_the_resolved_kappa(v_reset):
    """The mean field of an ``auto`` run equals the P19 equations with J + g ln(V_p/|V_r|)."""
    params = run({"kappa": "auto"}, v_peak=100.0, v_reset=v_reset, dt=1e-4)
    mf = comparison.run_meanfield(params)
    J_eff = BASE["J"] + BASE["g"] * math.log(100.0 / abs(v_reset))
    ref = meanfield.integrate(eta_bar=1.0, delta=1.0, J=J_eff, g=1.5, t_end=mf.t[-1], t_eval=mf.t)
    np.testing.assert_allclose(mf.r, ref.r, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(mf.v, ref.v, rtol=1e-7, atol=1e-10)


def test_check_run_refuses_a_kappa_that_is_not_a_number():
    with pytest.raises(experiments.ConfigError, match="kappa"):
        experiments.check_run("x", run({"kappa": "big"}))
