"""General continuation speed (qifgap.bifurcation.equilibria / curves / periodic) on the
one-population firing-rate equations (Δ = 1), and on the 5-dimensional E–I model of
science.md §6 (finite-difference Jacobian), best of ``--repeat`` runs each:

* equilibrium branch in η̄ at J = 15, g = 0 (two folds), η̄ ∈ [−8, 0];
* fold curve in (η̄, J) at g = 0 through the cusp, J ∈ [0, 20];
* Hopf curve in (η̄, J) at g = 1 from J = 0 to the Takens–Bogdanov point (and down to J = −10);
* cycle branch in η̄ at J = 0, g = 1 from the Hopf point to η̄ = 6;
* E–I: equilibria in g_II ∈ [0, 1.5] and the cycle branch from its Hopf point to g_II = 1.5.

    python benchmarks/continuation.py
    python benchmarks/continuation.py --repeat 1 --skip-ei

Target (issue 12): one two-parameter curve in ≤ 10 s.
"""

from __future__ import annotations

import argparse
import math
import os

import numpy as np
from _timing import best_of

from qifgap.bifurcation.curves import fold_curve, hopf_curve
from qifgap.bifurcation.equilibria import equilibria
from qifgap.bifurcation.periodic import cycles
from qifgap.bifurcation.system import System, one_population


def _ei(y, p):
    """E–I firing-rate equations of science.md §6 (y = r_E, r_I, v_E, v_I, s_I)."""
    g_ii, tau_s = p
    r_e, r_i, v_e, v_i, s_i = y
    return np.array(
        [
            1 / math.pi + r_e * 2 * v_e,
            1 / math.pi + r_i * (2 * v_i - g_ii),
            v_e * v_e + 1.0 - (math.pi * r_e) ** 2 + 5 * r_e - 10 * s_i,
            v_i * v_i + 2.0 - (math.pi * r_i) ** 2 + 10 * r_e - 10 * s_i,
            (r_i - s_i) / tau_s,
        ]
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    ap.add_argument("--skip-ei", action="store_true", help="skip the 5-D E–I cycle branch")
    args = ap.parse_args()
    print(f"cpu affinity: {len(os.sched_getaffinity(0))} core(s)")

    fold_sys = one_population(eta_bar=-8.0, J=15.0, g=0.0)
    hopf_sys = one_population(eta_bar=0.0, J=0.0, g=1.0)
    fold_branch = equilibria(fold_sys, "eta_bar", -8.0, 0.0, x0=[0.03, -5.0])
    hopf_branch = equilibria(hopf_sys, "eta_bar", 0.0, 6.0, x0=[0.5, 0.0])
    cases = {
        "equilibria (eta_bar, J=15, g=0)": lambda: equilibria(
            fold_sys, "eta_bar", -8.0, 0.0, x0=[0.03, -5.0]
        ),
        "fold curve (eta_bar, J), g=0": lambda: fold_curve(
            fold_sys,
            "eta_bar",
            "J",
            start=fold_branch.folds.iloc[0].to_dict(),
            bounds={"eta_bar": (-20.0, 5.0), "J": (0.0, 20.0)},
        ),
        "Hopf curve (eta_bar, J), g=1": lambda: hopf_curve(
            hopf_sys,
            "eta_bar",
            "J",
            start=hopf_branch.hopf.iloc[0].to_dict(),
            bounds={"eta_bar": (-20.0, 20.0), "J": (-10.0, 20.0)},
        ),
        "cycles (eta_bar to 6), J=0, g=1": lambda: cycles(
            hopf_sys, "eta_bar", hopf=hopf_branch.hopf.iloc[0].to_dict(), stop=6.0
        ),
    }
    if not args.skip_ei:
        ei = System(_ei, ("r_E", "r_I", "v_E", "v_I", "s_I"), ("g_II", "tau_s_I"), [0.0, 0.5])
        ei_branch = equilibria(ei, "g_II", 0.0, 1.5, x0=[0.14, 0.29, -1.0, -0.5, 0.29])
        cases["E-I equilibria (g_II)"] = lambda: equilibria(
            ei, "g_II", 0.0, 1.5, x0=[0.14, 0.29, -1.0, -0.5, 0.29]
        )
        cases["E-I cycles (g_II to 1.5)"] = lambda: cycles(
            ei, "g_II", hopf=ei_branch.hopf.iloc[0].to_dict(), stop=1.5
        )
    for name, fn in cases.items():
        result = fn()
        size = len(result.table)
        print(f"{name:36s} {best_of(args.repeat, fn):7.2f} s  ({size} points)")


if __name__ == "__main__":
    main()
