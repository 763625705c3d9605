"""MkDocs hooks: pages generated at build time from the files that hold the facts.

* ``configuration.md`` from ``config/schema.yaml`` (every key: type, default, constraints,
  description), with the library's defaults (:mod:`qifgap.defaults`, descriptions from its
  comments) where the schema leaves a run option to them;
* ``gallery.md`` from ``FIGURE_REGISTRY`` (``workflow/rules/figures.smk``, read with ``ast``):
  every entry with its caption (``workflow/report/figure_<name>.rst``), the claim the caption
  states, the rows of :data:`qifgap.claims.CLAIMS` that check it, and its image if ``docs/``
  has one;
* the README's sections that a page includes with ``<!-- include README.md "<heading>" -->``
  (the getting-started commands are written once, in the README).

Nothing here is a copy: edit the schema, the defaults table, the registry, a caption or the
README and rebuild.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "config" / "schema.yaml"
DEFAULTS = ROOT / "src" / "qifgap" / "defaults.py"
REGISTRY = ROOT / "workflow" / "rules" / "figures.smk"
CAPTIONS = ROOT / "workflow" / "report"
README = ROOT / "README.md"
DOCS = ROOT / "docs"

# schema sections whose keys are run options with a library default (qifgap.defaults tables)
_LIBRARY_TABLE = {"network": "NETWORK", "meanfield": "MEANFIELD", "options": "MODEL",
                  "experiment": "MODEL", "population": "MODEL"}  # fmt: skip
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
NAME_PATTERN = "^[A-Za-z0-9_-]+$"  # a name the user chooses: shown as <name>


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
        if not hasattr(getattr(defaults, table), "items"):
            continue  # a constant, not a table
        out[table] = {}
        for key, value in getattr(defaults, table).items():
            line = next(
                (k for k, x in enumerate(text.splitlines(), 1) if x.strip().startswith(f'"{key}"')),
                None,
            )
            out[table][key] = (value, comments.get(line, ""))
    return out


def _resolve(node: dict, schema: dict) -> tuple[dict, str | None]:
    """(node with its $ref followed, name of the $defs entry or None); keys next to the $ref
    (a description of this use) win over the referenced entry's."""
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


def _constraints(node: dict, required: bool) -> str:
    parts = [fmt.format(node[k]) for k, fmt in _CONSTRAINTS.items() if k in node]
    if required:
        parts.insert(0, "**required**")
    return ", ".join(parts)


def _text(value) -> str:
    """Plain text as Markdown: brackets outside code spans escaped (``J[post][pre]`` is not a
    reference link)."""
    parts = re.split(r"(`[^`]*`)", str(value))
    return "".join(
        part if part.startswith("`") else part.replace("[", "\\[").replace("]", "\\]")
        for part in parts
    )


def _cell(value) -> str:
    return _text(value).replace("|", "\\|").replace("\n", " ")


def config_rows(schema: dict, library: dict) -> list[tuple[str, str, str, str, str]]:
    """One row per key of the schema: (dotted key, type, default, constraints, description).

    The walk follows ``$ref``, ``properties``, ``patternProperties`` (a name chosen by the user
    appears as ``<name>``, another pattern as ``<pattern>``), array ``items`` (``key[].child``),
    the variants of a ``oneOf`` (``key.child (kind)``) and the keys that only an ``if``/``then``
    or ``else`` branch adds. A key's description is its ``description`` in the schema or, for a
    run option whose default is in :mod:`qifgap.defaults`, the comment of that default."""
    rows: dict[str, tuple[str, str, str, str, str]] = {}

    def row(node, key, section, required):
        shown = "" if "default" not in node else f"`{node['default']}`"
        description = node.get("description", "")
        leaf = key.split(" (")[0].rsplit(".", 1)[-1]
        table = _LIBRARY_TABLE.get(section)
        if table and leaf in library.get(table, {}):
            lib_default, comment = library[table][leaf]
            shown = shown or f"`{lib_default!r}` (`qifgap.defaults.{table}`)"
            description = description or comment
        rows.setdefault(key, (key, _type(node), _cell(shown), _constraints(node, required),
                              _cell(" ".join(str(description).split()))))  # fmt: skip

    def walk(node, key, section, required=False):
        node, name = _resolve(node, schema)
        section = name or section
        row(node, key, section, required)
        children(node, key, section)

    def children(node, key, section, skip=()):
        def sub(child):
            return f"{key}.{child}".lstrip(".")

        required = set(node.get("required", []))
        for child, spec in node.get("properties", {}).items():
            if child not in skip:
                walk(spec, sub(child), section, child in required)
        for pattern, spec in node.get("patternProperties", {}).items():
            walk(spec, sub("<name>" if pattern == NAME_PATTERN else f"<{pattern}>"), section)
        items = node.get("items")
        if isinstance(items, dict):
            items, name = _resolve(items, schema)
            children(items, f"{key}[]", name or section)
        for variant in node.get("oneOf", []):
            variant, _ = _resolve(variant, schema)
            kind = variant.get("properties", {}).get("kind", {}).get("const", "")
            req = set(variant.get("required", []))
            for child, spec in variant.get("properties", {}).items():
                if child != "kind":
                    walk(spec, f"{sub(child)} ({kind})" if kind else sub(child), section,
                         child in req)  # fmt: skip
        for branch in ("then", "else"):
            if isinstance(node.get(branch), dict):
                part, name = _resolve(node[branch], schema)
                children(part, key, name or section, skip=set(node.get("properties", {})))

    children(schema, "", None)
    return list(rows.values())


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
    lines += ["| " + " | ".join((f"`{key}`", *rest)) + " |" for key, *rest in rows]
    return "\n".join(lines) + "\n"


# --- figure gallery ------------------------------------------------------------------------


def figure_registry(path=REGISTRY) -> dict[str, dict]:
    """The entries of ``FIGURE_REGISTRY`` in ``workflow/rules/figures.smk``, read with ``ast``
    (the file is Snakemake, not Python, but the registry is a Python dict literal):
    ``{name: {"about": comment above the entry, "file", "label", "category", "plot"}}`` with
    the fields that are literals (``file`` and ``category`` are)."""
    lines = Path(path).read_text().splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("FIGURE_REGISTRY = {"))
    end = next(i for i in range(start, len(lines)) if lines[i].rstrip() == "}")
    (statement,) = ast.parse("\n".join(lines[start : end + 1])).body
    entries: dict[str, dict] = {}
    for key, value in zip(statement.value.keys, statement.value.values, strict=True):
        fields: dict = {}
        for keyword in getattr(value, "keywords", []):
            try:
                fields[keyword.arg] = ast.literal_eval(keyword.value)
            except (ValueError, TypeError, SyntaxError):  # a lambda, a rule's output: not needed
                pass
        about, k = [], start + key.lineno - 2  # the comment lines just above the entry
        while k > start and lines[k].strip().startswith("#"):
            about.insert(0, lines[k].strip().lstrip("#").strip())
            k -= 1
        entries[ast.literal_eval(key)] = {"about": " ".join(about), **fields}
    return entries


def claim(caption: str) -> str:
    """The claim a caption states (its "Claim tested: …" paragraph), template syntax removed."""
    text = re.sub(r"\{%.*?%\}", "", caption, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", "…", text, flags=re.S)
    match = re.search(r"Claims?\s+tested:\s*(.+?)(?:\n\s*\n|$)", text, flags=re.S)
    if not match:
        return ""
    return " ".join(match.group(1).split()).replace("\\|", "|")


def caption_text(caption: str) -> str:
    """A caption as Markdown, its template rendered without a run: every value that comes from
    the run (``{{ snakemake.… }}``) shows as "…", the branch for one population is taken, and
    the closing "Made by qifgap …" line is dropped."""
    import jinja2

    class Unknown(jinja2.ChainableUndefined):
        def __str__(self):
            return "…"

        def __iter__(self):
            return iter(())

        def __call__(self, *args, **kwargs):
            return self

        def __float__(self):
            return 0.0

        def __int__(self):
            return 0

    try:
        text = jinja2.Environment(undefined=Unknown).from_string(caption).render()
    except jinja2.TemplateError:
        text = re.sub(r"\{\{.*?\}\}", "…", re.sub(r"\{%.*?%\}", "", caption, flags=re.S))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    kept = [p for p in paragraphs if p and not p.startswith("*Made by")]
    return "\n\n".join(kept).replace("``", "`").replace("\\|", "|")


def gallery_page(registry=REGISTRY, captions=CAPTIONS, docs=DOCS) -> str:
    """One section per entry of ``FIGURE_REGISTRY``: what it shows, the claim its caption
    states, its caption, the claims of :data:`qifgap.claims.CLAIMS` checked on its tables, and
    the image if ``docs/`` has one."""
    from qifgap.claims import CLAIMS

    images = {p.stem: p.name for p in Path(docs).glob("*.png")}
    lines = [
        "# Figure gallery",
        "",
        "Every figure of the pipeline (an entry of `FIGURE_REGISTRY` in "
        "`workflow/rules/figures.smk`, made as `results/figures/<file>.pdf` and `.png`) with the "
        "claim it tests: the claim its report caption states (`workflow/report/figure_<name>.rst`;"
        " values that come from the run show as …) and the claims that `qifgap claims` checks as "
        "numbers on its tables (`qifgap.claims.CLAIMS`, the claims table `results/claims.tsv`). "
        "The report (`snakemake --report results/report.html`) shows each figure with its full "
        "caption and parameters.",
        "",
    ]
    entries = figure_registry(registry)
    for name, entry in entries.items():
        lines += [f"## `{name}`", ""]
        category = " › ".join(entry.get("category", ()))
        lines += [f"{_text(entry['about'])} File `results/figures/{entry.get('file', name)}.png`"
                  + (f", report category {category}." if category else "."), ""]  # fmt: skip
        path = Path(captions) / f"figure_{name}.rst"
        caption = path.read_text() if path.is_file() else ""
        stated = claim(caption)
        if stated:
            lines += [f"**Claim (caption):** {_text(stated)}", ""]
        text = caption_text(caption) if caption else f"(no caption: `{path.name}` is missing)"
        text = re.split(r"\s*Claims?\s+tested:", text)[0] if stated else text  # shown above
        lines += ["> " + _text(line) if line else ">" for line in text.splitlines()] + [""]
        checked = [c for c in CLAIMS if _claim_figure(c.figure, entries) == name]
        if checked:
            lines += ["Checked by `qifgap claims`:", ""]
            lines += [f"- `{c.figure}`: {_text(c.text)}" for c in checked] + [""]
        else:
            lines += ["No row of the claims table checks this figure.", ""]
        for stem in sorted(s for s in images if s == name or s.startswith(name + "_")):
            lines += [f"![{stem}]({images[stem]})", ""]
    return "\n".join(lines)


def _claim_figure(figure: str, entries: dict[str, dict]) -> str | None:
    """The registry entry a claim's figure belongs to: the entry of that name, else the one
    whose file pattern (wildcards as ``.+``) matches it, else the longest name it starts with."""
    if figure in entries:
        return figure
    for name, entry in entries.items():
        pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(entry.get("file", name)))
        if re.fullmatch(pattern, figure):
            return name
    prefixes = [n for n in entries if figure.startswith(n + "_")]
    return max(prefixes, key=len) if prefixes else None


# --- README sections included in pages -----------------------------------------------------

INCLUDE = re.compile(r'<!--\s*include README\.md "(?P<heading>[^"]+)"\s*-->')


def readme_section(heading: str, path=README) -> str:
    """The body of the README section ``## <heading>`` (up to the next heading of level 1 or
    2); links to the README's own anchors become plain text. KeyError if there is none."""
    text = Path(path).read_text()
    match = re.search(rf"^##\s+{re.escape(heading)}\s*\n(.*?)(?=^#{{1,2}}\s|\Z)", text,
                      flags=re.S | re.M)  # fmt: skip
    if not match:
        raise KeyError(f'README.md has no section "## {heading}" (included by the docs)')
    return re.sub(r"\[([^\]]+)\]\(#[^)]*\)", r"\1", match.group(1)).strip() + "\n"


# --- mkdocs hooks --------------------------------------------------------------------------

GENERATED = {"configuration.md": configuration_page, "gallery.md": gallery_page}


def on_files(files, config):
    """Add the generated pages to the build (they are not files in docs/)."""
    from mkdocs.structure.files import File

    for name, make in GENERATED.items():
        files.append(File.generated(config, name, content=make()))
    return files


def on_page_markdown(markdown, page, config, files):
    """Replace each ``<!-- include README.md "<heading>" -->`` by that README section."""
    return INCLUDE.sub(lambda m: readme_section(m.group("heading")), markdown)


_ROLE = re.compile(r":(?:func|class|mod|meth|data|attr|exc|obj):(?=<code>)")


def on_post_page(output, page, config):
    """Drop the Sphinx roles of the docstrings (``:func:`x``` renders as ``:func:<code>x``)."""
    return _ROLE.sub("", output)
