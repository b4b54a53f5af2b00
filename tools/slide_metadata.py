"""Give every lesson its slide metadata, for RISE in JupyterLab and for ``make slides``.

    python tools/slide_metadata.py notebooks/*.ipynb     # rewrites the metadata in place

The rules (``tests/test_notebooks.py`` checks what they promise):

- a ``#`` or ``##`` heading starts a slide; a ``###`` heading, a dashboard, the cell after a
  dashboard, and an exercise's folded solution start a subslide (a slide below the current
  one), so a dashboard stands on a slide of its own;
- code that prints nothing and is 8 lines or more (imports, helper definitions) is skipped
  in the deck (it still runs: run all cells before presenting);
- code that shows something but would not fit on a slide with its output is tagged
  ``slides-hide-input``: the static deck shows its output only (RISE shows the code, on a
  slide that scrolls);
- any other cell continues the current slide, unless that would make it taller than a
  1280 x 720 slide: then it starts a subslide. Heights are measured, not guessed: the lesson
  is rendered one cell per slide by ``tools/build_site.py`` and measured in Chromium.

A markdown cell taller than a slide is split in two at the paragraph break nearest its
middle (the text is unchanged); any other cell taller than a slide is reported.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_site  # noqa: E402

SLIDE_HEIGHT = 720  # a slide's height in reveal's units (1280 x 720)
BUDGET = 690        # what the cells of one slide may fill: the rest is reveal's padding
DASHBOARDS = ("PushforwardDashboard", "DivergenceDashboard", "KLFitDashboard", "SaturationDashboard",
              "EarthMoverDashboard", "ParallelLinesDashboard", "LatentExplorer", "BetaDashboard",
              "GANLabDashboard", "SnapshotScrubber", "LatentWalk", "CodeDashboard", "DigitDashboard")
_DASHBOARD = re.compile(r"\b(%s)\(" % "|".join(DASHBOARDS))
RISE_SETTINGS = {"scroll": True, "transition": "none", "slideNumber": "c/t", "enable_chalkboard": False}


def is_dashboard(cell) -> bool:
    """A code cell that makes one of the course's dashboards and shows it (its saved picture)."""
    return (cell.cell_type == "code" and bool(_DASHBOARD.search(cell.source))
            and any("image/png" in out.get("data", {}) for out in cell.get("outputs", [])))


def shows_something(cell) -> bool:
    return cell.cell_type == "code" and bool(cell.get("outputs"))


def structural_type(cell, previous) -> str | None:
    """The slide type a cell must have whatever the heights: "slide", "subslide", "skip" or None (free)."""
    text = cell.source.lstrip()
    lines = len(cell.source.splitlines())
    if cell.cell_type == "markdown":
        if re.match(r"#{1,2}\s", text):
            return "slide"
        if text.startswith("### ") or text.startswith("<details>"):
            return "subslide"
        return "subslide" if previous is not None and is_dashboard(previous) else None
    if is_dashboard(cell) or (previous is not None and is_dashboard(previous)):
        return "subslide"
    if not shows_something(cell) and lines >= 8:
        return "skip"
    return None


def split_markdown(cell):
    """Two markdown cells from ``cell``, cut at the blank line nearest the middle (never inside
    a ``$$`` block, a code fence or HTML), else before the list item nearest the middle; None
    when there is neither."""
    lines = cell.source.split("\n")
    if cell.source.lstrip().startswith("<"):
        return None
    blanks, items, fenced, size, total = [], [], False, 0, len(cell.source)
    for i, line in enumerate(lines):
        if line.strip().startswith(("$$", "```")) and line.strip().count("$$") != 2:
            fenced = not fenced
        if not fenced and 0 < i < len(lines) - 1 and not line.strip():
            blanks.append((abs(size - total / 2), i))
        if not fenced and i > 0 and re.match(r"(- |\* |\d+\. )", line):
            items.append((abs(size - total / 2), i))
        size += len(line) + 1
    if not blanks and not items:
        return None
    cut = min(blanks or items)[1]
    head = nbformat.v4.new_markdown_cell("\n".join(lines[:cut]).rstrip(), id=cell.get("id"))
    tail = nbformat.v4.new_markdown_cell("\n".join(lines[cut:]).strip("\n"),
                                         id=f"{cell['id'][:60]}-cut" if cell.get("id") else None)
    return head, tail


def set_tag(cell, tag: str, on: bool) -> None:
    tags = [t for t in cell.metadata.get("tags", []) if t != tag] + ([tag] if on else [])
    if tags:
        cell.metadata["tags"] = tags
    else:
        cell.metadata.pop("tags", None)


def assign(nb, heights) -> list[int]:
    """Set every cell's ``slideshow.slide_type`` from the rules and the measured ``heights``
    (one per cell, in slide units; None for a skipped cell). Return the cells taller than a slide."""
    if len(heights) != len(nb.cells):
        raise ValueError(f"heights: {len(heights)} values for {len(nb.cells)} cells")
    too_tall, filled, previous = [], 0.0, None
    for i, cell in enumerate(nb.cells):
        kind = "slide" if i == 0 else structural_type(cell, previous)
        if kind == "skip":
            cell.metadata["slideshow"] = {"slide_type": "skip"}
            continue
        height = heights[i] or 0.0
        if height > BUDGET:
            too_tall.append(i)
        if kind is None:
            kind = "subslide" if filled + height > BUDGET else "-"
        filled = height if kind in ("slide", "subslide") else filled + height
        cell.metadata["slideshow"] = {"slide_type": kind}
        previous = cell
    nb.metadata["rise"] = dict(RISE_SETTINGS)
    return too_tall


# Each slide's height in slide units, visited in turn (reveal hides slides far from the current one).
SLIDE_HEIGHTS = """() => Reveal.getSlides().map(s => {
    const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v); return s.scrollHeight; })"""


def measure(nb) -> list[float | None]:
    """Each cell's rendered height in a deck (slide units), every cell on a slide of its own."""
    from playwright.sync_api import sync_playwright

    probe = nbformat.reads(nbformat.writes(nb), as_version=4)
    shown = []
    for i, cell in enumerate(probe.cells):
        skipped = i > 0 and structural_type(cell, probe.cells[i - 1]) == "skip"
        cell.metadata["slideshow"] = {"slide_type": "skip" if skipped else "slide"}
        if not skipped:
            shown.append(i)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probe.ipynb"
        nbformat.write(probe, path)
        deck = build_site.build(["slides"], [path], Path(tmp) / "site")[0]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": SLIDE_HEIGHT})
            page.goto(deck.as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady() && window.MathJax && MathJax.startup"
                                   " && MathJax.startup.promise")
            page.evaluate("MathJax.startup.promise")
            sizes = page.evaluate(SLIDE_HEIGHTS)
            browser.close()
    if len(sizes) != len(shown):
        raise RuntimeError(f"the probe deck has {len(sizes)} slides for {len(shown)} shown cells")
    heights: list[float | None] = [None] * len(nb.cells)
    for i, size in zip(shown, sizes):
        heights[i] = float(size)
    return heights


def main(argv=None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    status = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            set_tag(cell, build_site.HIDE_INPUT_TAG, False)
        heights = measure(nb)
        for _ in range(3):  # a long markdown cell may need more than one cut
            tall = [i for i, h in enumerate(heights) if nb.cells[i].cell_type == "markdown" and (h or 0) > BUDGET]
            parts = {i: split_markdown(nb.cells[i]) for i in tall}
            if not any(parts.values()):
                break
            for i in sorted(parts, reverse=True):
                if parts[i]:
                    nb.cells[i:i + 1] = list(parts[i])
            heights = measure(nb)
        tall_code = [c for c, h in zip(nb.cells, heights) if shows_something(c) and (h or 0) > BUDGET]
        for cell in tall_code:
            set_tag(cell, build_site.HIDE_INPUT_TAG, True)
        too_tall = assign(nb, measure(nb) if tall_code else heights)
        nbformat.write(nb, path)
        kinds = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
        print(f"{path.name}: {kinds.count('slide')} slides, {kinds.count('subslide')} subslides, "
              f"{kinds.count('skip')} skipped" + (f"; taller than a slide: cells {too_tall}" if too_tall else ""))
        status |= bool(too_tall)
    return status


if __name__ == "__main__":
    sys.exit(main())
