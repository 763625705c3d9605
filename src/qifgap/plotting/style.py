"""The house style of every figure, applied in a context (no global state), and saving.

Importing the package changes neither matplotlib's backend nor its global ``rcParams``:
figures are plain :class:`matplotlib.figure.Figure` objects (no pyplot), built and saved inside
:func:`style`, so they work the same in a script, a workflow job and a notebook.
Colours: network in black/grey, mean field in red, unstable/auxiliary sets dashed.
"""

from __future__ import annotations

import functools
import json
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from ..results import atomic_path

__all__ = ["NET", "MF", "COLORS", "STYLE", "style", "styled", "figure", "save", "panel_label"]

NET = "0.15"
MF = "#d62728"
COLORS = {
    "saddle-node": "#1f77b4",
    "hopf": "#d62728",
    "homoclinic": "#2ca02c",
    "snic": "#9467bd",
}

STYLE = {
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "axes.linewidth": 0.6,
    "lines.linewidth": 1.0,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "pdf.fonttype": 42,
    "svg.hashsalt": "qifgap",
}


@contextmanager
def style():
    """The house style (:data:`STYLE`) for the figures made and saved inside the block."""
    with matplotlib.rc_context(STYLE):
        yield


def styled(func):
    """Run a figure function inside :func:`style`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with style():
            return func(*args, **kwargs)

    return wrapper


@styled
def figure(nrows=1, ncols=1, *, figsize=None, **kwargs):
    """(Figure, axes) like ``plt.subplots``, in the house style, without pyplot."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def save(fig, *paths, provenance: dict | None = None) -> None:
    """Save ``fig`` to each path (format from the suffix), atomically, in the house style.

    ``provenance`` (the parameters and package version that made the figure) is embedded as
    JSON: the PDF's Subject, the PNG's "qifgap" text chunk. Same data → same bytes.
    """
    text = json.dumps(provenance, sort_keys=True, default=str) if provenance else None
    with style():
        for path in paths:
            path = Path(path)
            fmt = path.suffix.lstrip(".")
            if fmt == "pdf":
                meta = {"CreationDate": None, "Creator": "qifgap", "Subject": text}
            elif fmt == "png":
                meta = {"qifgap": text} if text else {}
            else:
                meta = {}
            with atomic_path(path, suffix=f".tmp.{fmt}") as tmp:
                fig.savefig(tmp, format=fmt, metadata=meta)


def panel_label(ax, letter):
    """The bold panel letter above the top-left corner of ``ax``."""
    ax.text(-0.12, 1.02, letter, transform=ax.transAxes, fontweight="bold", va="bottom")
