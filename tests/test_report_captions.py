"""The report's captions (workflow/report/*.rst) are valid reStructuredText.

``snakemake --report`` renders each caption with Jinja2 and then docutils; docutils turns what it
cannot parse into a red "System Message" inside the report (``|V_r|`` read as an undefined
substitution put one into the MP20-populations caption, 2026-11-30). Here the text of every
caption, each template value replaced by a word and the template's tags removed, must parse
without a message. What the template values insert at run time is checked on the built report
by tests/test_report_browser.py (marker ``browser``).
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pytest
from docutils.core import publish_parts

WORKFLOW = Path(__file__).parents[1] / "workflow"
CAPTIONS = sorted((WORKFLOW / "report").glob("*.rst"))


@functools.cache
def report_links() -> str:
    """The link targets Snakemake appends to every caption: its two panels and a category of
    each ``category=`` of the rules (the first entry where a tuple names a subcategory too)."""
    rules = "".join(p.read_text() for p in (WORKFLOW / "rules").glob("*.smk"))
    categories = set(re.findall(r"category=\(?\"([^\"]+)\"", rules))
    names = ["Workflow", "Statistics", *sorted(categories)]
    return "\n\n" + "\n".join(f".. _{name}: javascript:void(0)" for name in names) + "\n"


def rst_messages(text: str) -> list[str]:
    """docutils' warnings and errors on ``text``, rendered to HTML as the report renders a
    caption (the report would show each as a "System Message")."""
    stream = io.StringIO()
    publish_parts(
        text,
        writer="html",
        settings_overrides={"report_level": 2, "halt_level": 5, "warning_stream": stream},
    )
    return re.findall(r"\((?:WARNING|ERROR|SEVERE)/\d\) .*", stream.getvalue())


def static_text(path: Path) -> str:
    """The caption's text with each ``{{ value }}`` replaced by a word and each ``{% tag %}``
    (loops, conditions: every branch is kept) removed."""
    text = re.sub(r"\{\{.*?\}\}", "value", path.read_text(), flags=re.S)
    return re.sub(r"\{%.*?%\}", "", text, flags=re.S) + report_links()


def test_every_caption_of_the_workflow_is_checked():
    assert len(CAPTIONS) >= 15
    assert Path(CAPTIONS[0].parent, "workflow.rst") in CAPTIONS
    assert {"Claims", "Populations", "MP20"} <= set(re.findall(r"_(\w+):", report_links()))


@pytest.mark.parametrize("path", CAPTIONS, ids=lambda p: p.name)
def test_caption_is_valid_restructured_text(path):
    assert rst_messages(static_text(path)) == []


def test_the_check_sees_an_unescaped_absolute_value():
    messages = rst_messages("κ = ln(V_p/|V_r|) (science.md §2)")
    assert any('Undefined substitution referenced: "V_r"' in m for m in messages), messages
    assert rst_messages(r"κ = ln(V_p/\|V_r\|) (science.md §2)") == []
