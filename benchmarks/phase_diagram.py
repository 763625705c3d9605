"""Phase-diagram speed: seconds per (η̄, J) diagram of qifgap.bifurcation.phase_diagram, for
g = 0, 1, 2, 3 (Δ = 1), against the closed-form part alone (folds, Hopf line, cusp, TB and the
fixed-point counts on the same grid), both timed in this run.

    python benchmarks/phase_diagram.py            # default window and grid (n = 101)
    python benchmarks/phase_diagram.py --n 201    # finer region grid

Target (issue): ≤ 10 s for one g on one core. The numba integrator is compiled on the first call
of a fresh install (or loaded from its cache, __pycache__ next to the module): that one-off cost
is timed separately ("JIT") and is not part of the per-g numbers, which are the best of
``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import time

import numpy as np
from _timing import best_of

from qifgap.bifurcation import closed_form as cf
from qifgap.bifurcation import continuation as cont

pdg = importlib.import_module("qifgap.bifurcation.phase_diagram")

ETA_RANGE, J_RANGE = (-12.0, 6.0), (-5.0, 20.0)


def closed_form_part(g, n):
    """The baseline: everything of a phase diagram that has a closed form."""
    cf.saddle_node_curve(g, J_max=J_RANGE[1])
    cf.cusp(g)
    if g > 0:
        cf.takens_bogdanov(g)
        cf.hopf_line(g, J_min=J_RANGE[0])
    E, JJ = np.meshgrid(np.linspace(*ETA_RANGE, n), np.linspace(*J_RANGE, n))
    pdg.fixed_point_counts(E, JJ, g)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=101, help="region grid n × n (default 101)")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    args = ap.parse_args()
    print(f"cpu affinity: {len(os.sched_getaffinity(0))} core(s); window eta {ETA_RANGE}, "
          f"J {J_RANGE}, grid {args.n} x {args.n}")  # fmt: skip

    t0 = time.perf_counter()
    cont.limit_cycle(cf.hopf_eta(10.0, 1.0) + 0.1, 10.0, 1.0)  # compile or load the integrator
    print(f"JIT (compile on a cold cache, else load): {time.perf_counter() - t0:.2f} s\n")

    print(f"{'g':>4} {'closed form':>12} {'phase diagram':>14} {'ratio':>7} {'hom pts':>8} "
          f"{'SNSL (eta, J)':>24}   (seconds, best of {args.repeat})")  # fmt: skip
    for g in (0.0, 1.0, 2.0, 3.0):
        base = best_of(args.repeat, lambda g=g: closed_form_part(g, args.n))
        result = {}

        def full(g=g, result=result):
            result["pd"] = pdg.phase_diagram(g, eta_range=ETA_RANGE, J_range=J_RANGE, n=args.n)

        t = best_of(args.repeat, full)
        p = result["pd"]
        snsl = p.points[p.points.name == "SNSL"]
        where = f"({snsl.eta_bar.iloc[0]:.6f}, {snsl.J.iloc[0]:.6f})" if len(snsl) else "none"
        print(f"{g:4.1f} {base:12.3f} {t:14.3f} {t / base:7.0f} {len(p.homoclinic):8d} "
              f"{where:>24}" + (f"  warnings: {p.warnings}" if p.warnings else ""))  # fmt: skip


if __name__ == "__main__":
    main()
