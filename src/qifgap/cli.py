"""Command line: a network, a mean field or a phase diagram without writing a config.

    qifgap simulate --N 1000000 --eta-bar -5 --J 15 --g 0 --t-end 100 --threads 2 -o net.npz
    qifgap meanfield --eta-bar -5 --J 15 --g 0 --t-end 100 -o mf.npz
    qifgap meanfield --model ei.yaml --t-end 40 -o mf.npz
    qifgap phase-diagram --g 1 --out fig.png

``--model`` reads a model declaration (YAML or JSON, the mapping of
:meth:`qifgap.populations.Model.from_dict`: ``populations``, ``J``, ``g``) instead of the
one-population options. Defaults come from :mod:`qifgap.defaults`. The network run shows its
progress when standard error is a terminal. Outputs are the same ``.npz`` files the workflow
writes (``qifgap.results.load_timeseries``). Time is in units of τ.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import meanfield, network
from .defaults import MEANFIELD, MODEL, NETWORK
from .inputs import Constant
from .populations import Model

# one-population options that a model file replaces; their defaults (None: required) are applied
# only without --model
_SINGLE = {"eta_bar": None, "J": None, "g": None, "delta": MODEL["delta"], "tau": MODEL["tau"]}


def _model_args(parser):
    parser.add_argument("--model", help="model file (YAML or JSON: populations, J, g)")
    parser.add_argument("--eta-bar", type=float, help="centre η̄ of the Lorentzian")
    parser.add_argument("--delta", type=float, help=f"half-width Δ (default {MODEL['delta']})")
    parser.add_argument("--J", type=float, help="chemical coupling J")
    parser.add_argument("--g", type=float, help="gap-junction coupling g")
    parser.add_argument(
        "--tau", type=float, help=f"membrane time constant τ (default {MODEL['tau']})"
    )
    parser.add_argument("--t-start", type=float, default=0.0)
    parser.add_argument("--t-end", type=float, required=True)
    parser.add_argument("--current", type=float, default=0.0,
                        help="constant input current I (every population)")  # fmt: skip
    parser.add_argument("-o", "--output", required=True, help="output .npz file")


def load_model(path) -> Model:
    """:meth:`Model.from_file`, its errors prefixed with the option (``--model ei.yaml: …``)."""
    try:
        return Model.from_file(path)
    except ValueError as exc:
        raise ValueError(f"--model {exc}") from None


def _model_kwargs(args) -> dict:
    """``{"model": Model}`` with --model, else the keyword API's η̄, Δ, J, g, τ."""
    given = {k: getattr(args, k) for k in _SINGLE if getattr(args, k) is not None}
    if args.model is not None:
        if given:
            options = ", ".join("--" + k.replace("_", "-") for k in given)
            raise ValueError(f"{options}: the model file declares the model; drop these options")
        return {"model": load_model(args.model)}
    kw = {**_SINGLE, **given}
    missing = ["--" + k.replace("_", "-") for k, x in kw.items() if x is None]
    if missing:
        raise ValueError(f"{', '.join(missing)}: required (or --model)")
    return kw


def _simulate_args(parser):
    _model_args(parser)
    parser.add_argument(
        "--N", type=int, help="number of neurons (a model file gives N per population)"
    )
    parser.add_argument("--dt", type=float, default=NETWORK["dt"])
    parser.add_argument("--v-peak", type=float, help=f"threshold (default {NETWORK['v_peak']})")
    parser.add_argument("--v-reset", type=float, help=f"reset (default {NETWORK['v_reset']})")
    parser.add_argument("--reset", choices=["flight", "instant"], default=NETWORK["reset"])
    parser.add_argument("--heterogeneity", choices=["quantiles", "random"],
                        default=NETWORK["heterogeneity"])  # fmt: skip
    parser.add_argument("--seed", type=int, default=NETWORK["seed"])
    parser.add_argument("--v-init", type=float, default=NETWORK["v_init"])
    parser.add_argument("--rate-bin", type=float, default=NETWORK["rate_bin"])
    parser.add_argument("--raster-neurons", type=int, default=NETWORK["raster_neurons"])
    parser.add_argument("--threads", type=int, default=NETWORK["threads"])


def _simulate(args) -> None:
    result = network.simulate(
        **_common_kwargs(args), **_network_kwargs(args), progress=sys.stderr.isatty()
    )
    result.save(args.output)


def _meanfield_args(parser):
    _model_args(parser)
    parser.add_argument("--kappa", type=float, default=None,
                        help="spike-asymmetry term κ (default: ln(V_p/|V_r|) of each population, "
                             "0 without a model file)")  # fmt: skip
    parser.add_argument("--dt-out", type=float, default=MEANFIELD["dt_out"])


def _meanfield(args) -> None:
    result = meanfield.integrate(**_common_kwargs(args), kappa=args.kappa, dt_out=args.dt_out)
    result.save(args.output)


def _common_kwargs(args) -> dict:
    return dict(**_model_kwargs(args), t_start=args.t_start, t_end=args.t_end,
                current=Constant(args.current))  # fmt: skip


def _phase_diagram_args(parser):
    parser.add_argument("--g", type=float, required=True, help="gap-junction coupling g")
    parser.add_argument("--delta", type=float, default=MODEL["delta"],
                        help=f"half-width Δ (default {MODEL['delta']})")  # fmt: skip
    parser.add_argument("--eta-range", type=float, nargs=2, metavar=("LO", "HI"),
                        help="η̄ window (default: that of bifurcation.phase_diagram)")  # fmt: skip
    parser.add_argument("--J-range", type=float, nargs=2, metavar=("LO", "HI"),
                        help="J window (default: that of bifurcation.phase_diagram)")  # fmt: skip
    parser.add_argument("--n", type=int, help="grid of region labels, n × n points")
    parser.add_argument("-o", "--out", "--output", dest="output", required=True,
                        help="figure file (.png, .pdf, .svg)")  # fmt: skip


def _phase_diagram(args) -> None:
    from . import plotting  # matplotlib only for this command
    from .bifurcation import phase_diagram

    if Path(args.output).suffix.lower() not in (".png", ".pdf", ".svg"):
        raise ValueError(f"--out {args.output}: the suffix must be .png, .pdf or .svg")
    given = {"delta": args.delta, "eta_range": args.eta_range, "J_range": args.J_range,
             "n": args.n}  # fmt: skip
    diagram = phase_diagram(g=args.g, **{k: x for k, x in given.items() if x is not None})
    with plotting.style():
        fig, ax = plotting.figure(figsize=(4.5, 3.6))
        plotting.plot_phase_diagram(ax, diagram.tables())
        ax.set_title(f"g = {diagram.g:g}, Δ = {diagram.delta:g}", loc="left")
    plotting.save(fig, args.output)


def _claims():
    from . import claims

    return claims


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, the one line ``qifgap --help`` shows, a function that adds its
    options to its parser and one that runs it. ``run`` raises ValueError for a bad argument
    (reported in one line, exit code 2) and may return an exit code (None: 0); a command with
    an ``output`` option gets the closing "wrote …" line."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int | None]


# the subcommands, in the order of ``qifgap --help``; a new one is one more entry
COMMANDS = (
    Command(
        name="simulate",
        help="simulate the spiking network (one population or a model file)",
        arguments=_simulate_args,
        run=_simulate,
    ),
    Command(
        name="meanfield",
        help="integrate the firing-rate equations (one population or a model file)",
        arguments=_meanfield_args,
        run=_meanfield,
    ),
    Command(
        name="phase-diagram",
        help="draw the (η̄, J) phase diagram at one gap-junction coupling g",
        arguments=_phase_diagram_args,
        run=_phase_diagram,
    ),
    Command(
        name="claims",
        help="check every caption claim against the numbers in a results directory",
        arguments=lambda parser: _claims().add_arguments(parser),
        run=lambda args: _claims().run(args),
    ),
)


def parser() -> argparse.ArgumentParser:
    """The ``qifgap`` parser with one subparser per entry of :data:`COMMANDS`."""
    top = argparse.ArgumentParser(
        prog="qifgap", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.arguments(sub.add_parser(command.name, help=command.help,
                                         description=command.help))  # fmt: skip
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    run = {command.name: command.run for command in COMMANDS}[args.command]
    started = time.perf_counter()
    try:
        code = run(args) or 0
    except (ValueError, FloatingPointError) as exc:
        print(f"qifgap {args.command}: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "output", None) is not None:
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"qifgap {args.command}: wrote {args.output} "
              f"({time.perf_counter() - started:.1f} s, peak RSS {rss_mb:.0f} MB)",
              file=sys.stderr)  # fmt: skip
    return code


def _network_kwargs(args) -> dict:
    """The network options; N, V_p and V_r are per population in a model file."""
    kw = dict(dt=args.dt, reset=args.reset, heterogeneity=args.heterogeneity, seed=args.seed,
              v_init=args.v_init, rate_bin=args.rate_bin, raster_neurons=args.raster_neurons,
              threads=args.threads)  # fmt: skip
    single = {"N": args.N, "v_peak": args.v_peak, "v_reset": args.v_reset}
    if args.model is not None:
        given = ["--" + k.replace("_", "-") for k, x in single.items() if x is not None]
        if given:
            raise ValueError(f"{', '.join(given)}: the model file sets these per population")
        return kw
    if args.N is None:
        raise ValueError("--N: required (or --model)")
    defaults = {"v_peak": NETWORK["v_peak"], "v_reset": NETWORK["v_reset"]}
    return {**kw, **{k: x if x is not None else defaults.get(k) for k, x in single.items()}}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
