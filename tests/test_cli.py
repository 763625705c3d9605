"""The command line: a network and a mean field written as the workflow's npz files."""

import numpy as np

from qifgap.cli import main
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
