"""The API docs: ``mkdocs build --strict`` passes, the configuration reference has every key of
config/schema.yaml, the gallery every figure caption; a broken link fails the build.

Skipped without the ``docs`` extra (``pip install -e '.[docs]'``).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip("mkdocs")
pytest.importorskip("mkdocstrings")

pytestmark = pytest.mark.docs
ROOT = Path(__file__).resolve().parent.parent


def _build(root: Path, site: Path):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
         str(root / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1",
                                                         "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def _keys(node, defs):
    """Every property name of the schema (following $ref, oneOf variants)."""
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    for name, sub in node.get("properties", {}).items():
        yield name
        yield from _keys(sub, defs)
    for sub in node.get("patternProperties", {}).values():
        yield from _keys(sub, defs)
    for variant in node.get("oneOf", []):
        yield from _keys(variant, defs)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    done = _build(ROOT, out)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_configuration_reference_has_every_key(site):
    schema = yaml.safe_load((ROOT / "config" / "schema.yaml").read_text())
    page = (site / "configuration" / "index.html").read_text()
    keys = set(_keys(schema, schema["$defs"])) - {"kind"}
    shown = (".{}</code>", ">{}</code>", ".{} (")  # nested, top-level, a current's kind
    missing = [k for k in sorted(keys) if not any(f.format(k) in page for f in shown)]
    assert not missing
    # a library default and its description reach the table (qifgap.defaults.NETWORK)
    assert "threshold V_p" in page and "qifgap.defaults.NETWORK" in page


def test_gallery_has_every_figure_and_its_images(site):
    page = (site / "gallery" / "index.html").read_text()
    for caption in (ROOT / "workflow" / "report").glob("figure_*.rst"):
        assert f"<code>{caption.stem.removeprefix('figure_')}</code>" in page
    for image in (ROOT / "docs").glob("*.png"):
        assert f'src="../{image.name}"' in page and (site / image.name).exists()
    assert "Checked by" in page


def test_api_pages_render_docstrings(site):
    page = (site / "api" / "network" / "index.html").read_text()
    assert "simulate" in page and "check_parameters" in page
    meanfield = (site / "api" / "meanfield" / "index.html").read_text()
    assert "<code>qifgap.model.rhs</code>" in meanfield and ":func:" not in meanfield


def test_broken_link_fails_the_strict_build(tmp_path):
    for part in ("mkdocs.yml", "docs", "config", "src", "workflow/report"):
        src, dst = ROOT / part, tmp_path / part
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    with (tmp_path / "docs" / "model.md").open("a") as f:
        f.write("\nSee [the missing page](missing.md).\n")
    done = _build(tmp_path, tmp_path / "site")
    assert done.returncode != 0 and "missing.md" in done.stderr
