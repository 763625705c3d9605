"""The §6 E–I firing-rate equations written out by hand (science.md §6), the plain twin that the
continuation and rhythm tests check qifgap.model against: τ = Δ = 1, η̄ = (1, 2),
τ_s = (0, τ_s,I), J = [[5, −10], [10, −10]], g_II the only gap junction."""

import numpy as np

PI = np.pi


def ei_rhs(y, g_ii, tau_s=0.5):
    """d/dt of y = (r_E, r_I, v_E, v_I, s_I)."""
    r_e, r_i, v_e, v_i, s_i = y
    return np.array(
        [
            1 / PI + r_e * 2 * v_e,
            1 / PI + r_i * (2 * v_i - g_ii),
            v_e * v_e + 1.0 - (PI * r_e) ** 2 + 5 * r_e - 10 * s_i,
            v_i * v_i + 2.0 - (PI * r_i) ** 2 + 10 * r_e - 10 * s_i,
            (r_i - s_i) / tau_s,
        ]
    )
