"""Static, offline copies of the lessons: reveal.js decks (``make slides``) and a site (``make html``).

    python tools/build_site.py slides          # site/slides/NN_*.slides.html
    python tools/build_site.py html            # site/index.html and site/lessons/NN_*.html
    python tools/build_site.py slides html --out DIR notebooks/01_kl_vs_js.ipynb

The lessons are rendered as committed (executed, figures in; a dashboard shows its saved
picture). Nothing is loaded from the network when a page is viewed: reveal.js 4.6.1 and
MathJax 3.2.2 (SVG output, no font files) are copied from ``tools/site/vendor`` into
``site/_static``, and the templates in ``tools/site/templates`` drop nbconvert's CDN scripts
(require.js, jQuery, Mermaid, widget manager). Progress bars (stderr) are left out. Open
``site/index.html`` from disk or serve it.

In a deck, a cell tagged ``slides-hide-input`` shows its output only (long plotting code),
and the slide types are the lesson's slide metadata (``tools/slide_metadata.py``).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.preprocessors import TagRemovePreprocessor

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "site"
HIDE_INPUT_TAG = "slides-hide-input"


def lesson_info(nb) -> dict:
    """Title (the first heading, without its number) and time line of a lesson, from its first cell."""
    first = nb.cells[0].source
    heading = re.search(r"^#\s+(.*)$", first, re.M)
    if heading is None:
        raise ValueError("a lesson's first cell must start with a '# NN · title' heading")
    title = re.sub(r"^\d+\s*·\s*", "", heading.group(1)).strip()
    time = re.search(r"^\*(About [^*]*)\*", first, re.M)
    return {"title": title, "time": time.group(1) if time else ""}


def copy_static(out: Path) -> None:
    shutil.copytree(SITE / "vendor", out / "_static", dirs_exist_ok=True)


def _without_stderr(nb):
    """A copy of ``nb`` without stderr streams (progress bars: a full-budget run saved 201 of them)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    return nb


def _exporter(kind: str):
    templates = {"extra_template_basedirs": [str(SITE / "templates")],  # the two templates' folders
                 "extra_loaders": [jinja2.FileSystemLoader(SITE / "templates")]}  # their shared macro
    if kind == "slides":
        exporter = SlidesExporter(template_name="course-slides", reveal_url_prefix="../_static/reveal.js",
                                  reveal_theme="white", **templates)
        exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={HIDE_INPUT_TAG}), enabled=True)
    else:
        exporter = HTMLExporter(template_name="course-page", **templates)
    exporter.exclude_anchor_links = kind == "slides"
    return exporter


def build(kinds, notebooks, out: Path) -> list[Path]:
    """Render ``notebooks`` as ``kinds`` ("slides", "html") under ``out``; return the files written."""
    kinds = list(kinds)
    for kind in kinds:
        if kind not in ("slides", "html"):
            raise ValueError(f"kinds: {kind!r} is neither 'slides' nor 'html'")
    notebooks = sorted(Path(p) for p in notebooks)
    if not notebooks:
        raise ValueError("notebooks: no lesson given")
    copy_static(out)
    written = []
    lessons = []
    for i, path in enumerate(notebooks):
        nb = nbformat.read(path, as_version=4)
        lessons.append((path.stem, lesson_info(nb)))
        for kind in kinds:
            sub, suffix = ("slides", ".slides.html") if kind == "slides" else ("lessons", ".html")
            course = {"static": "../_static", "index": "../index.html",
                      "slides": f"../slides/{path.stem}.slides.html",
                      "prev": f"{notebooks[i - 1].stem}.html" if i > 0 else "",
                      "next": f"{notebooks[i + 1].stem}.html" if i + 1 < len(notebooks) else ""}
            body, _ = _exporter(kind).from_notebook_node(_without_stderr(nb), resources={"course": course})
            target = out / sub / f"{path.stem}{suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            written.append(target)
    if "html" in kinds:
        index = out / "index.html"
        index.write_text(index_page(lessons, slides=(out / "slides").is_dir()), encoding="utf-8")
        written.append(index)
    return written


def _inline_code(text: str) -> str:
    """``text`` as HTML, its `backticks` as <code>."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(text))


def index_page(lessons, slides: bool) -> str:
    rows = "\n".join(
        f'<tr><td><a href="lessons/{stem}.html">{html.escape(stem[:2])} · {html.escape(info["title"])}</a></td>'
        f'<td>{_inline_code(info["time"])}</td>'
        + (f'<td><a href="slides/{stem}.slides.html">slides</a></td>' if slides else "") + "</tr>"
        for stem, info in lessons)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gan-course: lessons</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 17px/1.5 sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ text-align: left; padding: 6px 10px; border-bottom: 1px solid #ddd; }}
</style></head>
<body>
<h1>gan-course</h1>
<p>An interactive course on generative models. These pages are the executed lessons as
saved: figures are in, and each dashboard shows the picture of its saved state. To move the
sliders, run the lessons in JupyterLab (<code>make lab</code>).</p>
<table><thead><tr><th>lesson</th><th>time</th>{"<th>deck</th>" if slides else ""}</tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="+", help="slides and/or html, then the lessons (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    args = parser.parse_args(argv)
    kinds = [a for a in args.what if a in ("slides", "html")]
    notebooks = [Path(a) for a in args.what if a not in kinds] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not kinds:
        parser.error("say what to build: slides, html or both")
    for path in build(kinds, notebooks, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
