"""The raster and the binned rate count the same spikes at the same times.

A spike emitted during Euler step s (from t_s to t_s + dt) is counted in the rate bin of step s
and recorded at the end of that step, t_s + dt: so the recorded times of all neurons,
histogrammed in bins closed on the right, (t_k, t_k + bin], give back r · N · bin exactly."""

import numpy as np
import pytest

from qifgap import network


@pytest.mark.parametrize("reset", ["flight", "instant"])
def test_raster_of_every_neuron_reproduces_the_binned_rate(reset):
    N, rate_bin = 300, 1e-2
    res = network.simulate(
        N=N, eta_bar=3.0, delta=0.5, J=3.0, g=0.5, t_start=-0.5, t_end=4.0, reset=reset,
        raster_neurons=N, rate_bin=rate_bin,
    )  # fmt: skip
    assert res.spike_times.size > 800
    edges = np.append(res.t - rate_bin / 2, res.t[-1] + rate_bin / 2)
    # right-closed bins: count a time t in bin k if edges[k] < t <= edges[k + 1] (to round-off)
    k = np.ceil((res.spike_times - edges[0]) / rate_bin - 1e-6).astype(int) - 1
    counts = np.bincount(k, minlength=res.t.size)
    np.testing.assert_array_equal(counts, np.round(res.r * N * rate_bin).astype(int))
