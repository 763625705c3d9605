"""Voltage compared like with like (science.md §2): a network with asymmetric spikes reports
the arithmetic mean ⟨V⟩ = v + κ τ r, κ = ln(V_p/|V_r|), so the mean field's voltage is v + κ τ r
in every voltage metric."""

import math

import numpy as np
import pytest

from qifgap import comparison, experiments, metrics
from qifgap.results import TimeSeries


def _series(t, r, v):
    return TimeSeries(t=t, r=r, v=v, Z=np.zeros_like(t, dtype=complex))


def test_compare_uses_v_plus_kappa_tau_r():
    """Constructed: a network whose ⟨V⟩ is exactly v + κ τ r has no voltage error with κ, and
    the error κ τ rms(r) without it."""
    t = np.linspace(0.0, 10.0, 1001)
    r = 0.5 + 0.2 * np.sin(t)
    v = -0.3 + 0.1 * np.cos(t)
    kappa, tau = math.log(2.0), 1.0
    net, mf = _series(t, r, v + kappa * tau * r), _series(t, r, v)
    like = metrics.compare(net, mf, kappa=kappa, tau=tau)
    unlike = metrics.compare(net, mf)
    assert like["rmse_v"] == pytest.approx(0.0, abs=1e-12)
    assert like["mean_v_mf"] == pytest.approx(like["mean_v_net"], abs=1e-12)
    assert like["kappa_v"] == kappa and unlike["kappa_v"] == 0.0
    assert unlike["rmse_v"] == pytest.approx(kappa * np.sqrt(np.mean(r**2)), rel=1e-12)
    assert "v + κ τ r" in metrics.COLUMNS["rmse_v"]
    with pytest.raises(ValueError, match="kappa"):
        metrics.compare(net, mf, kappa=float("nan"))


def test_network_voltage_error_drops_by_the_known_offset_at_reset_minus_50():
    """A network with V_p = 100, V_r = −50 (κ = ln 2) against the corrected mean field: the
    voltage error of the comparison (v + κ τ r) is a small fraction of the offset κ ⟨r⟩ that
    the uncorrected comparison (v) shows."""
    params = {
        "eta_bar": 1.0, "delta": 1.0, "J": 0.0, "g": 0.5, "tau": 1.0, "t_start": 0.0,
        "t_end": 20.0, "current": None, "compare": {"t_min": 5.0},
        "network": {"N": 4000, "dt": 1e-4, "v_peak": 100.0, "v_reset": -50.0},
        "meanfield": {"kappa": "auto"},
    }  # fmt: skip
    net = experiments.run_network(params)
    mf = comparison.run_meanfield(params)
    row = comparison.compare_run("asym", params, net, mf).iloc[0]
    assert row.kappa == row.kappa_v == pytest.approx(math.log(2.0))
    unlike = metrics.compare(net, mf, t_min=5.0)
    offset = math.log(2.0) * row.mean_r_mf
    assert unlike["rmse_v"] == pytest.approx(offset, rel=0.25)  # dominated by the offset
    assert row.rmse_v < 0.25 * unlike["rmse_v"]
    assert abs(row.mean_v_net - row.mean_v_mf) < 0.1 * offset
