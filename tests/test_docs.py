"""The docs: every key of config/schema.yaml has a description, the gallery lists every entry of
FIGURE_REGISTRY with its caption's claim, the getting-started page includes the README's
commands (not a copy); ``mkdocs build --strict`` passes and a broken link fails it.

The pages are made by docs/hooks.py; the tests of its functions run in the default suite, the
builds only with the ``docs`` extra (``pip install -e '.[docs]'``; skipped without it).
"""

import html
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "config" / "schema.yaml"


def _load_hooks():
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hooks = _load_hooks()


def _property_names(node):
    """Every name under a ``properties`` anywhere in the schema, found without the walk of
    docs/hooks.py (no $ref followed): the keys that walk has to reach."""
    if isinstance(node, dict):
        for name, sub in node.items():
            if name == "properties" and isinstance(sub, dict):
                yield from sub
            yield from _property_names(sub)
    elif isinstance(node, list):
        for sub in node:
            yield from _property_names(sub)


def _leaf(key: str) -> str:
    return key.split(" (")[0].rsplit(".", 1)[-1]


@pytest.fixture(scope="module")
def rows():
    return hooks.config_rows(yaml.safe_load(SCHEMA.read_text()), hooks.library_defaults())


# --- without mkdocs (default suite) -------------------------------------------------------


def test_every_schema_key_has_a_description(rows):
    """A key's description is its ``description`` in config/schema.yaml or, for a run option
    whose default is in qifgap.defaults, the comment of that default (the same rule as the
    generated configuration reference)."""
    missing = [key for key, *_, description in rows if not description.strip()]
    assert not missing, "\n".join(
        f"config/schema.yaml: key {key} has no description (add `description:` to it)"
        for key in missing
    )


def test_the_walk_reaches_every_key_of_the_schema(rows):
    """Every property of the schema (array items, oneOf variants, if/then/else branches
    included) is a row of the reference; ``kind`` is shown as the bracket of each current."""
    schema = yaml.safe_load(SCHEMA.read_text())
    shown = {_leaf(key) for key, *_ in rows}
    missing = sorted(set(_property_names(schema)) - shown - {"kind"})
    assert not missing, f"config/schema.yaml: keys missing from the reference: {missing}"
    assert len(rows) == len({key for key, *_ in rows})  # one row per key
    keys = {key for key, *_ in rows}
    assert {"verification.zoom[].g", "experiments.<name>.current.t_on (step)",
            "experiments.<name>.populations.<name>.tau_syn"} <= keys  # fmt: skip


KEYWORDS = {
    "$schema", "$ref", "$defs", "title", "description", "type", "default", "enum", "const",
    "properties", "patternProperties", "additionalProperties", "propertyNames", "required",
    "minProperties", "items", "prefixItems", "minItems", "maxItems", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "pattern", "oneOf", "anyOf", "if", "then", "else",
}  # fmt: skip


def _unknown_keywords(node, path=()):
    """(path, word) of every word of a schema node that is no JSON-Schema keyword used here:
    a comma in a flow-style description (``{description: a, b}``) makes ``b`` one."""
    if isinstance(node, list):
        for k, sub in enumerate(node):
            yield from _unknown_keywords(sub, (*path, str(k)))
    elif isinstance(node, dict):
        names = path and path[-1] in ("properties", "patternProperties", "$defs")
        for word, sub in node.items():
            if not names and word not in KEYWORDS:
                yield ".".join(path), word
            yield from _unknown_keywords(sub, (*path, word))


def test_schema_words_are_keywords():
    unknown = list(_unknown_keywords(yaml.safe_load(SCHEMA.read_text())))
    assert not unknown, (
        f"config/schema.yaml: not a schema keyword (quote the description?): {unknown}"
    )


def test_a_key_without_description_is_reported():
    """The check can fail: a key added without a description is named."""
    schema = yaml.safe_load(SCHEMA.read_text())
    schema["properties"]["verification"]["properties"]["new_option"] = {"type": "number"}
    rows = hooks.config_rows(schema, hooks.library_defaults())
    empty = [key for key, *_, description in rows if not description.strip()]
    assert empty == ["verification.new_option"]


def test_gallery_lists_every_registry_entry_with_its_claims():
    registry = hooks.figure_registry()
    report = ROOT / "workflow" / "report"
    captions = {p.stem.removeprefix("figure_") for p in report.glob("figure_*.rst")}
    # the registry read with ast is the one Snakemake runs: each entry has its caption file
    assert set(registry) == captions, (
        f"captions without an entry of FIGURE_REGISTRY as docs/hooks.py reads it (a dict literal "
        f"in workflow/rules/figures.smk): {sorted(captions - set(registry))}; entries without a "
        f"caption: {sorted(set(registry) - captions)}"
    )
    page = hooks.gallery_page()
    sections = dict(re.findall(r"^## `([^`]+)`\n(.*?)(?=^## `|\Z)", page, flags=re.S | re.M))
    assert list(sections) == list(registry)
    from qifgap.claims import CLAIMS

    for claim in CLAIMS:  # every claims-table row under exactly one figure
        line = f"- `{claim.figure}`: {hooks._text(claim.text)}"
        assert sum(line in s for s in sections.values()) == 1, claim
    # the caption's stated claim, and the caption itself with the run's values as …
    assert "**Claim (caption):** gap junctions among the inhibitory cells" in sections["ei_gap"]
    assert "> P19: network (grey) against the exact mean field" in sections["p19_coupling"]
    assert "{{" not in page and "{%" not in page


def test_a_new_registry_entry_appears_in_the_gallery(tmp_path):
    """A figure added by another branch (an entry and its caption) is in the gallery without
    any edit of the docs."""
    smk = (ROOT / "workflow/rules/figures.smk").read_text()
    entry = """    # A new figure.
    "my_figure": dict(
        file="my_figure_{x}",
        label="mine",
        category=("New", "Figures"),
        input=dict(table=rules.compare_run.output.table),
        targets=lambda: [],
        plot="my_figure",
    ),
}
"""
    (tmp_path / "figures.smk").write_text(smk.replace("\n}\n", "\n" + entry, 1))
    captions = tmp_path / "report"
    shutil.copytree(ROOT / "workflow/report", captions)
    (captions / "figure_my_figure.rst").write_text(
        "A figure of {{ snakemake.wildcards.x }}.\n\nClaim tested: the new thing holds.\n"
    )
    page = hooks.gallery_page(registry=tmp_path / "figures.smk", captions=captions)
    section = page[page.index("## `my_figure`") :]
    assert "A new figure. File `results/figures/my_figure_{x}.png`" in section
    assert "**Claim (caption):** the new thing holds." in section
    assert "> A figure of …." in section


def test_getting_started_includes_the_readme_commands():
    """docs/index.md includes the README's two commands; it does not copy them."""
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^(python3 -m venv .*)$", readme, flags=re.M)
    assert len(commands) == 2
    section = hooks.readme_section("The two commands")
    assert all(c in section for c in commands)
    index = (ROOT / "docs" / "index.md").read_text()
    assert '<!-- include README.md "The two commands" -->' in index
    assert not any(c in index for c in commands), "docs/index.md holds a copy of a command"
    with pytest.raises(KeyError, match="no section"):
        hooks.readme_section("A heading the README does not have")


# --- the built site (docs extra) ----------------------------------------------------------


def _build(root: Path, site: Path):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
         str(root / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1",
                                                         "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    out = tmp_path_factory.mktemp("site")
    done = _build(ROOT, out)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.mark.docs
def test_configuration_reference_has_every_key_with_its_description(site, rows):
    page = (site / "configuration" / "index.html").read_text()
    table = re.findall(r"<tr>\s*<td><code>(.*?)</code></td>(.*?)</tr>", page, flags=re.S)
    assert len(table) == len(rows)
    for (key, cells), row in zip(table, rows, strict=True):
        description = re.findall(r"<td>(.*?)</td>", cells, flags=re.S)[-1]
        assert re.sub(r"<[^>]+>", "", description).strip(), f"{key}: empty description"
        assert key.replace("&lt;", "<").replace("&gt;", ">") == row[0]
    # a library default and its description reach the table (qifgap.defaults.NETWORK)
    assert "threshold V_p" in page and "qifgap.defaults.NETWORK" in page


@pytest.mark.docs
def test_gallery_and_getting_started_pages(site):
    page = (site / "gallery" / "index.html").read_text()
    for name in hooks.figure_registry():
        assert f"<code>{name}</code>" in page
    for image in (ROOT / "docs").glob("*.png"):
        assert f'src="../{image.name}"' in page and (site / image.name).exists()
    assert "Checked by" in page
    index = html.unescape(re.sub(r"<[^>]+>", "", (site / "index.html").read_text()))
    commands = re.findall(r"^(python3 -m venv .*)$", (ROOT / "README.md").read_text(), flags=re.M)
    assert commands and all(c in index for c in commands)
    assert "include README.md" not in index


@pytest.mark.docs
def test_api_pages_render_docstrings(site):
    page = (site / "api" / "network" / "index.html").read_text()
    assert "simulate" in page and "check_parameters" in page
    meanfield = (site / "api" / "meanfield" / "index.html").read_text()
    assert "<code>qifgap.model.rhs</code>" in meanfield and ":func:" not in meanfield


@pytest.mark.docs
def test_broken_link_fails_the_strict_build(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    for part in ("mkdocs.yml", "docs", "config", "src", "workflow/report", "workflow/rules",
                 "README.md"):  # fmt: skip
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
