"""MkDocs hooks: pages generated at build time from the files that hold the facts.

* ``configuration.md`` from ``config/schema.yaml`` (every key: type, default, constraints,
  description), with the library's defaults (:mod:`qifgap.defaults`, descriptions from its
  comments) where the schema leaves a run option to them;
* ``gallery.md`` from the figure captions ``workflow/report/figure_*.rst`` (the claim each
  figure tests) and the images in ``docs/``.

Nothing here is a copy: edit the schema, the defaults table or a caption and rebuild.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "config" / "schema.yaml"
DEFAULTS = ROOT / "src" / "qifgap" / "defaults.py"
CAPTIONS = ROOT / "workflow" / "report"
DOCS = ROOT / "docs"

# schema sections whose keys are run options with a library default (qifgap.defaults tables)
_LIBRARY_TABLE = {"network": "NETWORK", "meanfield": "MEANFIELD", "options": "MODEL",
                  "experiment": "MODEL"}  # fmt: skip
_CONSTRAINTS = {
    "minimum": "≥ {}",
    "exclusiveMinimum": "> {}",
    "maximum": "≤ {}",
    "exclusiveMaximum": "< {}",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "minProperties": "at least {} entries",
    "pattern": "matches `{}`",
}


# --- configuration reference -------------------------------------------------------------


def library_defaults(path=DEFAULTS) -> dict[str, dict[str, tuple[object, str]]]:
    """{table: {key: (default, comment)}} of the ``MappingProxyType({...})`` tables of
    ``qifgap/defaults.py``, read with tokenize (the comment after each entry describes it)."""
    from qifgap import defaults

    text = Path(path).read_text()
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("# ").strip()
    out: dict[str, dict[str, tuple[object, str]]] = {}
    for table in defaults.__all__:
        out[table] = {}
        for key, value in getattr(defaults, table).items():
            line = next(
                (k for k, x in enumerate(text.splitlines(), 1) if x.strip().startswith(f'"{key}"')),
                None,
            )
            out[table][key] = (value, comments.get(line, ""))
    return out


def _resolve(node: dict, schema: dict) -> tuple[dict, str | None]:
    """(node with its $ref followed, name of the $defs entry or None)."""
    ref = node.get("$ref")
    if ref is None:
        return node, None
    name = ref.rsplit("/", 1)[-1]
    return {**schema["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}, name


def _type(node: dict) -> str:
    if "enum" in node:
        return " \\| ".join(f"`{x}`" for x in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    if "oneOf" in node and "type" not in node:
        return " or ".join(_type(x) for x in node["oneOf"] if "properties" not in x) or "object"
    kind = node.get("type", "object" if "properties" in node else "")
    kinds = kind if isinstance(kind, list) else [kind]
    text = " or ".join(str(k) for k in kinds if k)
    if "items" in node and isinstance(node["items"], dict):
        text += f" of {_type(node['items'])}"
    return text


def _constraints(node: dict) -> str:
    parts = [fmt.format(node[k]) for k, fmt in _CONSTRAINTS.items() if k in node]
    if node.get("_required"):
        parts.insert(0, "**required**")
    return ", ".join(parts)


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def config_rows(schema: dict, library: dict) -> list[tuple[str, str, str, str, str]]:
    """One row per key of the schema: (dotted key, type, default, constraints, description).
    Names chosen by the user (experiments, sweeps, …) appear as ``<name>``."""
    rows: list[tuple[str, str, str, str, str]] = []

    def walk(node, key, section):
        node, name = _resolve(node, schema)
        section = name or section
        if key:
            shown = "" if "default" not in node else f"`{node['default']}`"
            description = node.get("description", "")
            leaf = key.rsplit(".", 1)[-1]
            table = _LIBRARY_TABLE.get(section)
            if table and leaf in library.get(table, {}):
                lib_default, comment = library[table][leaf]
                shown = shown or f"`{lib_default!r}` (`qifgap.defaults.{table}`)"
                description = description or comment
            rows.append((f"`{key}`", _type(node), _cell(shown), _constraints(node),
                         _cell(description)))  # fmt: skip
        required = set(node.get("required", []))
        for child, sub in node.get("properties", {}).items():
            walk({**sub, "_required": child in required}, f"{key}.{child}".lstrip("."), section)
        for pattern, sub in node.get("patternProperties", {}).items():
            placeholder = "<name>" if pattern == "^[A-Za-z0-9_-]+$" else f"<{pattern}>"
            walk(sub, f"{key}.{placeholder}".lstrip("."), section)
        for variant in node.get("oneOf", []):
            if "properties" in variant:
                kind = variant["properties"].get("kind", {}).get("const", "")
                for child, sub in variant["properties"].items():
                    if child != "kind":
                        req = child in variant.get("required", [])
                        walk({**sub, "_required": req}, f"{key}.{child} ({kind})", section)

    walk(schema, "", None)
    return rows


def configuration_page(schema_path=SCHEMA) -> str:
    """The configuration reference (Markdown)."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    rows = config_rows(schema, library_defaults())
    lines = [
        "# Configuration reference",
        "",
        "Generated from `config/schema.yaml` when the docs are built (do not edit by hand). "
        f"{schema.get('description', '')}",
        "",
        "A config is validated against this schema and by the library's own parameter checks "
        "before any job runs. `<name>` stands for a name you choose (an experiment, a sweep, "
        "a figure panel). A run's model and stage options not given in the experiment come "
        "from the config's `defaults:`, and those not given there from `qifgap.defaults` "
        "(shown as the default). `current` is one of the kinds shown in brackets.",
        "",
        "| key | type | default | constraints | description |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# --- figure gallery ------------------------------------------------------------------------


def claim(caption: str) -> str:
    """The claim a caption states (its "Claim tested: …" paragraph), template syntax removed."""
    text = re.sub(r"\{%.*?%\}", "", caption, flags=re.S)
    text = re.sub(r"\{\{\s*snakemake\.[\w.]+\s*\}\}", "…", text)
    match = re.search(r"Claims?\s+tested:\s*(.+?)(?:\n\s*\n|$)", text, flags=re.S)
    if not match:
        return ""
    return " ".join(match.group(1).split()).replace("\\|", "|")


def gallery_page(captions=CAPTIONS, docs=DOCS) -> str:
    """One section per figure caption: the claim the caption states, the claims of
    :data:`qifgap.claims.CLAIMS` checked on that figure's tables, and the image if ``docs/``
    has one."""
    from qifgap.claims import CLAIMS

    images = {p.stem: p.name for p in Path(docs).glob("*.png")}
    lines = [
        "# Figure gallery",
        "",
        "Every figure of the pipeline (`results/figures/`) with the claim it tests: the claim "
        "its report caption states (`workflow/report/figure_<name>.rst`) and the claims that "
        "`qifgap claims` checks as numbers on its tables (`qifgap.claims.CLAIMS`). The report "
        "(`snakemake --report results/report.html`) shows each figure with its full caption "
        "and parameters.",
        "",
    ]
    for path in sorted(Path(captions).glob("figure_*.rst")):
        name = path.stem.removeprefix("figure_")
        lines += [f"## `{name}`", ""]
        stated = claim(path.read_text())
        if stated:
            lines += [f"**Claim:** {stated}", ""]
        checked = [c for c in CLAIMS if c.figure == name or c.figure.startswith(name + "_")]
        if checked:
            lines += ["Checked by `qifgap claims`:", ""]
            lines += [f"- `{c.figure}`: {c.text}" for c in checked] + [""]
        for stem in sorted(s for s in images if s == name or s.startswith(name + "_")):
            lines += [f"![{stem}]({images[stem]})", ""]
    return "\n".join(lines)


# --- mkdocs hook ---------------------------------------------------------------------------

GENERATED = {"configuration.md": configuration_page, "gallery.md": gallery_page}


def on_files(files, config):
    """Add the generated pages to the build (they are not files in docs/)."""
    from mkdocs.structure.files import File

    for name, make in GENERATED.items():
        files.append(File.generated(config, name, content=make()))
    return files


_ROLE = re.compile(r":(?:func|class|mod|meth|data|attr|exc|obj):(?=<code>)")


def on_post_page(output, page, config):
    """Drop the Sphinx roles of the docstrings (``:func:`x``` renders as ``:func:<code>x``)."""
    return _ROLE.sub("", output)
