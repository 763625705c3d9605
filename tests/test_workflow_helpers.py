"""The workflow's helpers in the package: import closures and code hashes, the table writer."""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from workflow_copy import REPO, copy_tree, imported_package_modules

from qifgap import results
from qifgap.workflow import NOT_HASHED, code_hash, module_closure, numba_code_hash

SCRIPTS = sorted((REPO / "workflow" / "scripts").glob("*.py"))


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def package(tmp_path):
    """A package ``qifgap`` that uses every form of import the closure must follow."""
    src = tmp_path / "src"
    _write(
        src / "qifgap",
        {
            "__init__.py": "from ._version import v\n",
            "_version.py": "v = 1\n",
            "a.py": "from . import b\nfrom .sub import c\n",  # relative, into a subpackage
            "b.py": "import math\n",
            "sub/__init__.py": "from .d import D\n",  # a package imports its own modules
            "sub/c.py": "def f():\n    from ..lazy import g\n    return g\n",  # lazy import
            "sub/d.py": "D = 1\n",
            "lazy.py": "import qifgap.deep.e\n",  # absolute, dotted
            "deep/__init__.py": "",
            "deep/e.py": "x = 1\n",
            "unused.py": "import qifgap.a\n",  # imports a lot, imported by nobody
            "plot/__init__.py": "from .f import figure\n",  # a package instead of a module
            "plot/f.py": "def figure():\n    pass\n",
            "harness.py": "import qifgap.unused\n",  # left out, and not followed
        },
    )
    return src / "qifgap"


def _closure(package, script_text, tmp_path):
    script = tmp_path / "script.py"
    script.write_text(script_text)
    return set(module_closure(script, package)), script


def test_closure_follows_every_form_of_import(package, tmp_path):
    found, _ = _closure(package, "from qifgap.a import b\n", tmp_path)
    assert found == {
        "qifgap", "qifgap._version", "qifgap.a", "qifgap.b", "qifgap.sub", "qifgap.sub.c",
        "qifgap.sub.d", "qifgap.lazy", "qifgap.deep", "qifgap.deep.e",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("import qifgap.b\n", {"qifgap", "qifgap._version", "qifgap.b"}),
        ("from qifgap import b\n", {"qifgap", "qifgap._version", "qifgap.b"}),
        ("from qifgap.b import math\n", {"qifgap", "qifgap._version", "qifgap.b"}),
        # a name from the package's __init__, not a module
        ("from qifgap import v\n", {"qifgap", "qifgap._version"}),
        ("from qifgap import plot\n",
         {"qifgap", "qifgap._version", "qifgap.plot", "qifgap.plot.f"}),
        ("def main():\n    import qifgap.deep.e\n",
         {"qifgap", "qifgap._version", "qifgap.deep", "qifgap.deep.e"}),
        # the harness is not hashed and its imports are not followed
        ("from qifgap.harness import x\n", {"qifgap", "qifgap._version"}),
        ("import numpy\n", set()),
    ],
)  # fmt: skip
def test_closure_of_one_import(package, tmp_path, line, expected):
    assert "qifgap.harness" in NOT_HASHED
    found, _ = _closure(package, line, tmp_path)
    assert found == expected


def test_hash_follows_the_closure_and_nothing_else(package, tmp_path):
    _, script = _closure(package, "from qifgap.a import b\n", tmp_path)
    before = code_hash(script, package)
    assert len(before) == 16 and int(before, 16) >= 0
    # files outside the closure: no change
    for name in ("unused.py", "harness.py", "plot/f.py"):
        (package / name).write_text((package / name).read_text() + "y = 2\n")
        assert code_hash(script, package) == before, name
    # any file inside it, however deep: a change
    hashes = {before}
    for name in ("_version.py", "sub/d.py", "deep/e.py", "lazy.py", "deep/__init__.py"):
        (package / name).write_text((package / name).read_text() + "y = 2\n")
        new = code_hash(script, package)
        assert new not in hashes, name
        hashes.add(new)


def test_numba_cache_key_follows_the_code_numba_compiles_and_only_it(tmp_path):
    """The workflow's numba cache directory is named by numba_code_hash: an edit of noise.py
    alone (inlined into the kernel, whose own file numba's cache checks) or of the model a
    numba integrator calls changes it; an edit of plotting or of the claims does not."""
    src = tmp_path / "qifgap"
    copy_tree(REPO / "src" / "qifgap", src)
    key = numba_code_hash(src)
    assert key == numba_code_hash(src)
    for module, changes in (("noise", True), ("bifurcation/field", True), ("kernels", True),
                            ("plotting/style", False), ("claims", False)):  # fmt: skip
        path = src / f"{module}.py"
        text = path.read_text()
        path.write_text(text + "\n_EDITED = 1\n")
        assert (numba_code_hash(src) != key) is changes, module
        path.write_text(text)
    assert numba_code_hash(src) == key


def test_not_hashed_modules_exist_and_give_a_reason():
    for module, reason in NOT_HASHED.items():
        path = REPO / "src" / Path(*module.split(".")).with_suffix(".py")
        assert path.is_file(), module
        assert len(reason) > 20


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_closure_of_each_workflow_script_equals_modulefinder(script):
    """The ast reading agrees with the standard library's bytecode scan on the real package."""
    src = REPO / "src"
    expected = imported_package_modules(script, src, excludes=NOT_HASHED)
    found = module_closure(script, src / "qifgap")
    assert set(found) == expected
    assert "qifgap" in found and all(path.is_file() for path in found.values())


def test_every_script_runs_in_the_harness_and_writes_through_the_package():
    for script in SCRIPTS:
        text = script.read_text()
        assert "with script_harness(snakemake) as sm:" in text, script.name
        # one table writer: no script writes a table itself
        assert ".to_csv(" not in text and "float_format" not in text, script.name


def test_write_table_format_separator_and_atomicity(tmp_path):
    frame = pd.DataFrame({"name": ["a", "b"], "x": [np.pi, 1e-12], "n": [1, 20]})
    results.write_table(tmp_path / "t.tsv", frame)
    results.write_table(tmp_path / "t.csv", frame)
    assert (tmp_path / "t.tsv").read_text() == ("name\tx\tn\na\t3.141592654\t1\nb\t1e-12\t20\n")
    assert (tmp_path / "t.csv").read_text().splitlines()[1] == "a,3.141592654,1"
    back = pd.read_csv(tmp_path / "t.tsv", sep="\t")
    assert back.x.iloc[0] == pytest.approx(np.pi, rel=1e-9)
    assert sorted(os.listdir(tmp_path)) == ["t.csv", "t.tsv"]  # no temporary file left
    with pytest.raises(ValueError, match="path"):
        results.write_table(tmp_path / "t.txt", frame)


def test_write_table_leaves_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("old\n")

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            Path(args[0]).write_text("half")
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        results.write_table(path, Broken({"x": [1.0]}))
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["t.tsv"]


def test_read_output_reads_what_the_package_writes(tmp_path):
    frame = pd.DataFrame({"g": [0.0, 1.0], "x": [0.5, np.e]})
    results.write_table(tmp_path / "t.csv", frame)
    back = results.read_output(tmp_path / "t.csv")
    pd.testing.assert_frame_equal(back, frame, rtol=1e-9, check_dtype=False)
    series = results.TimeSeries(t=np.arange(3.0), r=np.ones(3), v=np.zeros(3), Z=np.zeros(3))
    series.save(tmp_path / "s.npz")
    assert results.read_output(tmp_path / "s.npz").r.tolist() == [1.0, 1.0, 1.0]
    results.write_npz(tmp_path / "a.npz", {"x": np.arange(4)})
    assert results.read_output(tmp_path / "a.npz")["x"].tolist() == [0, 1, 2, 3]
    results.write_json(tmp_path / "j.json", {"a": 1})
    assert results.read_output(tmp_path / "j.json") == {"a": 1}
    with pytest.raises(ValueError, match="path"):
        results.read_output(tmp_path / "x.txt")


def test_generic_figure_script_draws_the_named_plotting_function(tmp_path):
    """A figure entry with ``plot=`` needs no script: figure.py reads the inputs and calls it."""
    import json
    import runpy

    from PIL import Image
    from snakemake.iocontainers import Namedlist

    table = pd.DataFrame(
        {"g": [0.0, 1.0], "cusp_eta": [-1.732, -0.809], "cusp_J": [7.796, 5.629],
         "tb_eta": [np.nan, -3.9375], "tb_J": [np.nan, 12.37], "snsl_eta": [np.nan] * 2,
         "snsl_J": [np.nan] * 2}
    )  # fmt: skip
    results.write_table(tmp_path / "codim2.csv", table)

    class Job:
        rule = "figure_test"
        wildcards = Namedlist()
        threads = 1
        input = Namedlist(fromdict={"table": str(tmp_path / "codim2.csv")})
        output = Namedlist(
            fromdict={"pdf": str(tmp_path / "f.pdf"), "png": str(tmp_path / "f.png")}
        )
        params = Namedlist(fromdict={"plot": "codim2_figure", "code": "0" * 16, "version": "x"})
        log = Namedlist([str(tmp_path / "f.log")])

    script = REPO / "workflow" / "scripts" / "figure.py"
    runpy.run_path(str(script), init_globals={"snakemake": Job()}, run_name="__main__")
    with Image.open(tmp_path / "f.png") as png:
        made = json.loads(png.text["qifgap"])
        pixels = np.asarray(png.convert("L"), dtype=float)
    assert made["rule"] == "figure_test" and made["params"]["plot"] == "codim2_figure"
    assert pixels.std() > 10
    assert (tmp_path / "f.pdf").read_bytes()[:5] == b"%PDF-"
