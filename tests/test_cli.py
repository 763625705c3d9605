"""The command line: a network and a mean field written as the workflow's npz files."""

import matplotlib.image
import numpy as np
import pytest

from qifgap.cli import COMMANDS, main
from qifgap.results import load_timeseries


def test_simulate_and_meanfield(tmp_path, capsys):
    net_path, mf_path = tmp_path / "net.npz", tmp_path / "mf.npz"
    args = ["--eta-bar", "2", "--J", "0", "--g", "1", "--t-end", "4"]
    assert main(["simulate", "--N", "2000", *args, "-o", str(net_path)]) == 0
    assert main(["meanfield", *args, "--dt-out", "0.01", "-o", str(mf_path)]) == 0
    net, mf = load_timeseries(net_path), load_timeseries(mf_path)
    assert net.params["N"] == 2000 and mf.params["model"] == "meanfield"
    late = net.t > 2
    assert abs(net.r[late].mean() / np.interp(net.t[late], mf.t, mf.r).mean() - 1) < 0.05
    assert "peak RSS" in capsys.readouterr().err


def test_bad_argument_is_one_line(tmp_path, capsys):
    code = main(["simulate", "--N", "10", "--eta-bar", "0", "--J", "0", "--g", "-1",
                 "--t-end", "1", "-o", str(tmp_path / "x.npz")])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["qifgap simulate: g must be >= 0, got -1.0"]
    assert not (tmp_path / "x.npz").exists()


def test_help_lists_every_subcommand_with_one_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    names = [command.name for command in COMMANDS]
    assert names[:3] == ["simulate", "meanfield", "phase-diagram"]
    for command in COMMANDS:
        assert "\n" not in command.help and command.help
        # argparse puts a long name on a line of its own and may wrap the help
        assert f" {command.name} {command.help} " in " ".join(out.split()) + " "


def test_phase_diagram_draws_one_diagram(tmp_path, capsys):
    out = tmp_path / "fig.png"
    assert main(["phase-diagram", "--g", "1", "--n", "21", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    image = matplotlib.image.imread(out)
    assert image.ndim == 3 and min(image.shape[:2]) > 200
    # a drawn diagram, not a blank canvas: shaded regions and curves make many distinct colours
    colours = np.unique(image[..., :3].reshape(-1, 3).round(2), axis=0)
    assert len(colours) > 20


def test_phase_diagram_bad_arguments_name_the_option(tmp_path, capsys):
    out = tmp_path / "fig.txt"
    assert main(["phase-diagram", "--g", "1", "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"qifgap phase-diagram: --out {out}: the suffix must be .png, .pdf or .svg"
    )
    assert main(["phase-diagram", "--g", "-1", "--out", str(tmp_path / "f.png")]) == 2
    assert capsys.readouterr().err.strip() == "qifgap phase-diagram: g must be >= 0, got -1.0"
    assert not list(tmp_path.iterdir())
