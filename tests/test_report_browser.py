"""The report of config/test.yaml in a real browser (headless Chromium, opt-in: -m browser).

The workflow runs on a copy of the repository, ``snakemake --report`` writes the report, and
Chromium opens a copy of it with a small probe script added: it records console errors and
uncaught exceptions from the first line on, waits for the report's app to render, then loads
the data of every result entry the way the report shows it (an ``<img>`` of its data URI) and
writes what it found into the page, which ``chromium --dump-dom`` returns. Every figure the run
made (``results/figures/*.png``) must be an entry whose image decodes with a non-zero size, and
the page must log no error; the checks are shown to fail on a planted broken image, a planted
console error and a figure left out of the report. ``QIFGAP_SCREENSHOT=1`` also saves the
landing page to ``docs/report.png``. Run by ``.ci/browser``.

``QIFGAP_WORKFLOW_RUN=<dir>`` reuses a finished run of config/test.yaml (CI: the default suite's,
``<basetemp>/workflow0`` of tests/test_workflow.py) instead of running the workflow again:
Snakemake is still run there first, so the report is of an up-to-date run whatever the
directory holds (nothing is planned when it is complete).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from workflow_copy import REPO, copy_workflow, snakemake

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

# runs before the report's own scripts: collect console errors and uncaught exceptions
PROBE_HEAD = """<script>
window.__qifgap = {errors: []};
const __error = console.error.bind(console);
console.error = (...args) => {
  window.__qifgap.errors.push(args.map(String).join(" "));
  __error(...args);
};
window.addEventListener("error", e => window.__qifgap.errors.push("uncaught: " + e.message));
</script>"""

# runs after them: load every entry's data URI as an image and write the findings into the page
PROBE_BODY = """<script>
window.addEventListener("load", () => setTimeout(async () => {
  const entries = Object.entries(typeof results === "undefined" ? {} : results);
  const loaded = await Promise.all(entries.map(([path, entry]) => new Promise(done => {
    const row = {path: path, mime_type: entry.mime_type, caption: (entry.caption || "").length};
    if (!String(entry.mime_type).startsWith("image/")) { done(row); return; }
    const img = new Image();
    img.onload = () => done({...row, width: img.naturalWidth, height: img.naturalHeight});
    img.onerror = () => done({...row, broken: true});
    img.src = entry.data_uri;
  })));
  const app = document.getElementById("app");
  const out = document.createElement("pre");
  out.id = "qifgap-probe";
  out.textContent = JSON.stringify({
    entries: loaded, errors: window.__qifgap.errors,
    app_children: app ? app.children.length : -1, text: document.body.innerText.slice(0, 2000),
  });
  document.body.appendChild(out);
}, 2000));
</script>"""


def chromium(*args, timeout=180):
    # root in a container: no sandbox; software rendering; a fresh profile per run
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-dev-shm-usage", *args],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def probe(report: Path) -> dict:
    """Open a copy of ``report`` with the probe in headless Chromium; the probe's findings."""
    text = report.read_text()
    probed = report.with_name("report_probe.html")
    text = text.replace("<head>", "<head>" + PROBE_HEAD, 1)
    text = text[: text.rindex("</body>")] + PROBE_BODY + text[text.rindex("</body>") :]
    probed.write_text(text)
    done = chromium("--virtual-time-budget=30000", "--dump-dom", probed.as_uri())
    match = re.search(r'<pre id="qifgap-probe">(.*?)</pre>', done.stdout, flags=re.S)
    assert match, (
        f"the probe did not report (chromium exit {done.returncode}):\n{done.stderr[-2000:]}"
    )
    return json.loads(html.unescape(match.group(1)))


def _reused_run() -> Path | None:
    """The finished run of config/test.yaml named by QIFGAP_WORKFLOW_RUN, if it is one."""
    run = os.environ.get("QIFGAP_WORKFLOW_RUN")
    if not run:
        return None
    run = Path(run)
    if (run / "Snakefile").is_file() and (run / "config" / "test.yaml").is_file():
        return run
    print(f"QIFGAP_WORKFLOW_RUN={run} is not a workflow run; running the workflow here")
    return None


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    work = _reused_run() or copy_workflow(tmp_path_factory.mktemp("report"))
    snakemake(work, "--cores", "2", "--configfile", "config/test.yaml", timeout=1800)
    snakemake(work, "--cores", "2", "--configfile", "config/test.yaml",
              "--report", "results/report.html")  # fmt: skip
    return work / "results" / "report.html"


def problems(found: dict, figures: list[str]) -> list[str]:
    """What is wrong with the report the probe saw, given the figures (PNG names) the run made:
    a figure without an entry or a caption, an image that does not load, a console error, an
    app that did not render."""
    entries = {Path(e["path"]).name: e for e in found["entries"]}
    out = [f"figure without a report entry: {name}" for name in figures if name not in entries]
    out += [f"figure without a caption: {name}" for name in figures
            if name in entries and not entries[name]["caption"]]  # fmt: skip
    out += [f"entry whose image does not load: {name}" for name, e in entries.items()
            if str(e["mime_type"]).startswith("image/") and (e.get("broken") or not e.get("width"))
            ]  # fmt: skip
    out += [f"console error: {error}" for error in found["errors"]]
    if found["app_children"] <= 0 or "Loading Snakemake Report" in found["text"]:
        out.append("the report's app did not render")
    return out


def made_figures(report: Path) -> list[str]:
    return sorted(p.name for p in (report.parent / "figures").glob("*.png"))


def test_every_figure_entry_loads_without_console_errors(report):
    figures = made_figures(report)
    assert figures, "the test config made no figures"
    assert problems(probe(report), figures) == []


def test_no_caption_shows_a_restructured_text_error(report):
    """docutils renders what it cannot parse in a caption (a template value included) as a
    "System Message" in the report (tests/test_report_captions.py checks the static text)."""
    text = report.read_text(encoding="utf-8")
    found = re.findall(r"System Message: [A-Z]+/\d.{0,300}", text)
    assert not found, found


def test_probe_finds_a_broken_image_and_a_console_error(report, tmp_path):
    """The check can fail: a figure whose data is corrupted and a logged error are reported."""
    text = report.read_text()
    first = re.search(r"data:image/png;[^,\"]*base64,([A-Za-z0-9+/]{40})", text)
    assert first, "no embedded PNG in the report"
    planted = text.replace(first.group(1), "A" * 40, 1)
    end = planted.rindex("</body>")  # the page's own; scripts hold the string too
    planted = planted[:end] + '<script>console.error("planted")</script>' + planted[end:]
    copy = tmp_path / "report.html"
    copy.write_text(planted)
    found = probe(copy)
    assert sum(bool(e.get("broken")) for e in found["entries"]) == 1
    assert found["errors"] == ["planted"]
    found_problems = problems(found, made_figures(report))
    assert len(found_problems) == 2 and found_problems[1] == "console error: planted"
    assert found_problems[0].startswith("entry whose image does not load: ")


def test_probe_finds_a_figure_missing_from_the_report(report, tmp_path):
    """The check can fail: a report built without one of the run's figures (its entry and
    image deleted from the report's ``results`` table) is reported."""
    text = report.read_text()
    start = text.index('var results = {"') + len("var results = ")  # the report's data
    results, end = json.JSONDecoder().raw_decode(text, start)
    figures = made_figures(report)
    gone = next(path for path in results if Path(path).name == figures[0])
    del results[gone]
    copy = tmp_path / "report.html"
    copy.write_text(text[:start] + json.dumps(results) + text[end:])
    assert problems(probe(copy), figures) == [f"figure without a report entry: {figures[0]}"]


def test_landing_page_screenshot(report, tmp_path):
    """The landing page renders to a non-blank image; QIFGAP_SCREENSHOT=1 keeps it in docs/."""
    shot = tmp_path / "report.png"
    chromium("--window-size=1280,900", "--virtual-time-budget=15000",
             f"--screenshot={shot}", report.as_uri())  # fmt: skip
    import matplotlib.image
    import numpy as np

    image = matplotlib.image.imread(shot)
    assert image.shape[:2] == (900, 1280)
    assert len(np.unique(image[..., :3].reshape(-1, 3).round(2), axis=0)) > 10
    if os.environ.get("QIFGAP_SCREENSHOT"):
        shutil.copy(shot, REPO / "docs" / "report.png")
