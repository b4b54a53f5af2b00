"""Give every lesson its slide metadata, for live slides in JupyterLab (jupyterlab-deck) and ``make slides``.

    python tools/slide_metadata.py notebooks/*.ipynb     # rewrites the metadata in place

The rules (``tests/test_notebooks.py`` checks what they promise):

- a heading, a dashboard, the cell after a dashboard, and an exercise's folded solution start
  a slide, so a dashboard stands on a slide of its own. Every new slide is a "slide", never a
  "subslide": jupyterlab-deck 0.2.0 skips a subslide that follows another subslide;
- code that prints nothing and is 8 lines or more (imports, helper definitions) is skipped
  in the deck (it still runs: run all cells before presenting);
- code that shows something but would not fit on a slide with its output is tagged
  ``slides-hide-input``: the static deck shows its output only (the live deck in JupyterLab
  shows the code, on a slide that scrolls);
- any other cell continues the current slide, unless that would make it taller than a
  1280 x 720 slide: then it starts a slide. Heights are measured, not guessed: the lesson
  is rendered one cell per slide by ``tools/build_site.py`` and measured in Chromium.

A markdown cell taller than a slide is split in two before the heading or at the paragraph
break nearest its middle (the text is unchanged); any other cell taller than a slide is
reported. Needs Chromium and Playwright (the test extra), like the browser tests; run it after
editing a lesson, then ``make test``.
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


def is_dashboard(cell) -> bool:
    """A code cell that makes one of the course's dashboards and shows it (its saved picture)."""
    return (cell.cell_type == "code" and bool(_DASHBOARD.search(cell.source))
            and any("image/png" in out.get("data", {}) for out in cell.get("outputs", [])))


def shows_something(cell) -> bool:
    return cell.cell_type == "code" and bool(cell.get("outputs"))


def structural_type(cell, previous) -> str | None:
    """The slide type a cell must have whatever the heights: "slide", "skip" or None (free)."""
    text = cell.source.lstrip()
    lines = len(cell.source.splitlines())
    if cell.cell_type == "markdown":
        if re.match(r"#{1,3}\s", text) or text.startswith("<details>"):
            return "slide"
        return "slide" if previous is not None and is_dashboard(previous) else None
    if is_dashboard(cell) or (previous is not None and is_dashboard(previous)):
        return "slide"
    if not shows_something(cell) and lines >= 8:
        return "skip"
    return None


def split_markdown(cell, taken=()):
    """Two markdown cells from ``cell``, cut before the heading nearest its middle, else at the
    blank line nearest the middle, else before the list item nearest the middle (never inside a
    ``$$`` block, a code fence or HTML); None when there is no such place. The second cell's id
    is the first's with a suffix, unique among ``taken``."""
    lines = cell.source.split("\n")
    if cell.source.lstrip().startswith("<"):
        return None
    cuts = {"heading": [], "blank": [], "item": []}
    fenced, size, total = False, 0, len(cell.source)
    for i, line in enumerate(lines):
        if line.strip().startswith(("$$", "```")) and line.strip().count("$$") != 2:
            fenced = not fenced
        if not fenced and 0 < i < len(lines) - 1:
            kind = ("heading" if line.startswith("#") else "blank" if not line.strip()
                    else "item" if re.match(r"(- |\* |\d+\. )", line) else None)
            if kind:
                cuts[kind].append((abs(size - total / 2), i))
        size += len(line) + 1
    found = cuts["heading"] or cuts["blank"] or cuts["item"]
    if not found:
        return None
    cut = min(found)[1]
    head = nbformat.v4.new_markdown_cell("\n".join(lines[:cut]).rstrip(), id=cell.get("id"))
    tail_id = None
    if cell.get("id"):
        tail_id = next(f"{cell['id'][:56]}-{k}" for k in range(1, 1000) if f"{cell['id'][:56]}-{k}" not in taken)
    tail = nbformat.v4.new_markdown_cell("\n".join(lines[cut:]).strip("\n"), id=tail_id)
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
            kind = "slide" if filled + height > BUDGET else "-"
        filled = height if kind == "slide" else filled + height
        cell.metadata["slideshow"] = {"slide_type": kind}
        previous = cell
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
            taken = {c.get("id") for c in nb.cells}
            parts = {}
            for i in tall:
                parts[i] = split_markdown(nb.cells[i], taken)
                taken |= {p.get("id") for p in parts[i] or ()}
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
        print(f"{path.name}: {kinds.count('slide')} slides, "
              f"{kinds.count('skip')} skipped" + (f"; taller than a slide: cells {too_tall}" if too_tall else ""))
        status |= bool(too_tall)
    return status


if __name__ == "__main__":
    sys.exit(main())
