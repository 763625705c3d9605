"""Command line: simulate a network or integrate the mean field without writing a config.

    qifgap simulate --N 1000000 --eta-bar -5 --J 15 --g 0 --t-end 100 --threads 2 -o net.npz
    qifgap meanfield --eta-bar -5 --J 15 --g 0 --t-end 100 -o mf.npz

The network run shows its progress when standard error is a terminal. Outputs are the same
``.npz`` files the workflow writes (``qifgap.results.load_timeseries``).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

from . import meanfield, network
from .inputs import Constant


def _model_args(parser):
    parser.add_argument("--eta-bar", type=float, required=True, help="centre η̄ of the Lorentzian")
    parser.add_argument("--delta", type=float, default=1.0, help="half-width Δ (default 1)")
    parser.add_argument("--J", type=float, required=True, help="chemical coupling J")
    parser.add_argument("--g", type=float, required=True, help="gap-junction coupling g")
    parser.add_argument("--tau", type=float, default=1.0, help="membrane time constant τ")
    parser.add_argument("--t-start", type=float, default=0.0)
    parser.add_argument("--t-end", type=float, required=True)
    parser.add_argument("--current", type=float, default=0.0, help="constant input current I")
    parser.add_argument("-o", "--output", required=True, help="output .npz file")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="qifgap", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sim = sub.add_parser("simulate", help="simulate the spiking network")
    _model_args(sim)
    sim.add_argument("--N", type=int, required=True, help="number of neurons")
    sim.add_argument("--dt", type=float, default=1e-4)
    sim.add_argument("--v-peak", type=float, default=100.0)
    sim.add_argument("--v-reset", type=float, default=-100.0)
    sim.add_argument("--reset", choices=["flight", "instant"], default="flight")
    sim.add_argument("--heterogeneity", choices=["quantiles", "random"], default="quantiles")
    sim.add_argument("--seed", type=int, default=None)
    sim.add_argument("--v-init", type=float, default=0.0)
    sim.add_argument("--rate-bin", type=float, default=1e-2)
    sim.add_argument("--raster-neurons", type=int, default=100)
    sim.add_argument("--threads", type=int, default=1)
    mf = sub.add_parser("meanfield", help="integrate the firing-rate equations")
    _model_args(mf)
    mf.add_argument("--kappa", type=float, default=0.0, help="spike-asymmetry term κ")
    mf.add_argument("--dt-out", type=float, default=1e-2)
    args = parser.parse_args(argv)

    common = dict(
        eta_bar=args.eta_bar, delta=args.delta, J=args.J, g=args.g, tau=args.tau,
        t_start=args.t_start, t_end=args.t_end, current=Constant(args.current),
    )  # fmt: skip
    started = time.perf_counter()
    try:
        if args.command == "simulate":
            result = network.simulate(
                **common, N=args.N, dt=args.dt, v_peak=args.v_peak, v_reset=args.v_reset,
                reset=args.reset, heterogeneity=args.heterogeneity, seed=args.seed,
                v_init=args.v_init, rate_bin=args.rate_bin, raster_neurons=args.raster_neurons,
                threads=args.threads, progress=sys.stderr.isatty(),
            )  # fmt: skip
        else:
            result = meanfield.integrate(**common, kappa=args.kappa, dt_out=args.dt_out)
    except (ValueError, FloatingPointError) as exc:
        print(f"qifgap {args.command}: {exc}", file=sys.stderr)
        return 2
    result.save(args.output)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"qifgap {args.command}: wrote {args.output} ({time.perf_counter() - started:.1f} s, "
          f"peak RSS {rss_mb:.0f} MB)", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
