"""The report of config/test.yaml in a real browser (headless Chromium, opt-in: -m browser).

The workflow runs on a copy of the repository, ``snakemake --report`` writes the report, and
Chromium opens a copy of it with a small probe script added: it records console errors and
uncaught exceptions from the first line on, waits for the report's app to render, then loads
the data of every result entry the way the report shows it (an ``<img>`` of its data URI) and
writes what it found into the page, which ``chromium --dump-dom`` returns. Every figure the run
made (``results/figures/*.png``) must be an entry whose image decodes with a non-zero size, and
the page must log no error. ``QIFGAP_SCREENSHOT=1`` also saves the landing page to
``docs/report.png``. Run by ``.ci/browser``.
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


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    work = copy_workflow(tmp_path_factory.mktemp("report"))
    snakemake(work, "--cores", "2", "--configfile", "config/test.yaml", timeout=1800)
    snakemake(work, "--cores", "2", "--configfile", "config/test.yaml",
              "--report", "results/report.html")  # fmt: skip
    return work / "results" / "report.html"


def test_every_figure_entry_loads_without_console_errors(report):
    found = probe(report)
    figures = sorted(p.name for p in (report.parent / "figures").glob("*.png"))
    assert figures, "the test config made no figures"
    entries = {Path(e["path"]).name: e for e in found["entries"]}
    missing = [name for name in figures if name not in entries]
    assert not missing, f"figures without a report entry: {missing}"
    images = {name: e for name, e in entries.items() if e["mime_type"].startswith("image/")}
    broken = [name for name, e in images.items() if e.get("broken") or not e.get("width")]
    assert not broken, f"entries whose image does not load: {broken}"
    assert all(entries[name]["caption"] > 0 for name in figures), "a figure without a caption"
    assert found["errors"] == []
    assert found["app_children"] > 0 and "Loading Snakemake Report" not in found["text"]


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
