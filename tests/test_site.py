"""The offline copies: ``make slides`` and ``make html`` from the committed lessons, opened in
Chromium with the network cut off. Every deck advances, no slide is taller than a 1280 x 720
screen, maths is typeset, every figure (and every dashboard's saved picture) shows, and no
page asks the network for anything. Screenshots go to test-artifacts/.
"""

import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from browser_helpers import ARTIFACTS, chromium

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# Per slide, visited in turn (reveal hides slides far from the current one): its height on screen,
# whether every picture on it has loaded, and the start of its text.
SLIDES_JS = """() => Reveal.getSlides().map(s => {
    const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v);
    const imgs = Array.from(s.querySelectorAll('img'));
    return {h: s.scrollHeight * Reveal.getScale(), imgs: imgs.length,
            loaded: imgs.filter(im => im.complete && im.naturalWidth > 0).length,
            text: s.innerText.slice(0, 300)};
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(["make", "-s", "html", f"SITE={out}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def offline_page():
    """A 1280 x 720 page with the network cut off; ``page.remote`` lists what it asked of the network."""
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True).new_page()
        page.remote, page.errors = [], []
        page.on("request", lambda r: r.url.startswith(("file:", "data:", "blob:")) or page.remote.append(r.url))
        page.on("requestfailed", lambda r: page.errors.append(f"failed: {r.url}"))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        yield page


def typeset(page):
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    return page.locator("mjx-container").count()


def expected(lesson: Path):
    nb = nbformat.read(lesson, as_version=4)
    kinds = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
    shown = [c for c, k in zip(nb.cells, kinds) if k != "skip"]
    pictures = sum("image/png" in o.get("data", {}) for c in shown if c.cell_type == "code" for o in c.outputs)
    has_math = any("$" in c.source for c in shown if c.cell_type == "markdown")
    return kinds.count("slide"), pictures, has_math


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem[:2])
def test_deck_offline(site, offline_page, lesson):
    page = offline_page
    page.goto((site / "slides" / f"{lesson.stem}.slides.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    n_slides, pictures, has_math = expected(lesson)
    assert typeset(page) > 0 or not has_math
    raw = page.evaluate("Array.from(document.querySelectorAll('.jp-MarkdownCell')).some(c => c.textContent.includes('$$'))")
    assert not raw, "maths left as raw LaTeX"
    slides = page.evaluate(SLIDES_JS)
    assert len(slides) == n_slides
    tall = [(i, round(s["h"]), s["text"][:60]) for i, s in enumerate(slides) if s["h"] > 720]
    assert not tall, f"slides taller than a 1280 x 720 screen: {tall}"
    assert sum(s["imgs"] for s in slides) == pictures
    assert all(s["loaded"] == s["imgs"] for s in slides), "a picture did not load"
    dashboards = [s for s in slides if re.search(r"\b[A-Z]\w*(Dashboard|Explorer|Walk|Scrubber)\(", s["text"])]
    assert all(s["loaded"] >= 1 for s in dashboards), "a dashboard slide shows no picture"
    page.evaluate("Reveal.slide(0, 0)")
    page.keyboard.press("Space")  # a lecturer's clicker sends Space or an arrow key
    assert page.evaluate("Reveal.getIndices().h") == 1, "the deck does not advance"
    if dashboards:
        first = next(i for i, s in enumerate(slides) if s in dashboards)
        page.evaluate(f"(() => {{ const i = Reveal.getIndices(Reveal.getSlides()[{first}]); Reveal.slide(i.h, i.v); }})()")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"deck-{lesson.stem[:2]}-dashboard.png"))
    assert page.remote == [] and page.errors == []


def test_site_offline(site, offline_page):
    page = offline_page
    page.goto((site / "index.html").as_uri())
    links = page.locator("table a")
    assert links.count() == 2 * len(LESSONS)  # a page and a deck per lesson
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-index.png"))
    page.locator("table a").first.click()
    for lesson in LESSONS:
        page.wait_for_url(f"**/lessons/{lesson.stem}.html")
        _, pictures, has_math = expected(lesson)
        assert typeset(page) > 0 or not has_math
        images = page.evaluate("Array.from(document.images).map(im => im.complete && im.naturalWidth > 0)")
        assert len(images) >= pictures and all(images), lesson.name  # the page shows every cell
        assert page.locator("h1").first.inner_text().startswith(lesson.stem[:2])
        if lesson == LESSONS[1]:
            page.screenshot(path=str(ARTIFACTS / f"site-{lesson.stem[:2]}.png"))
        if lesson != LESSONS[-1]:
            page.locator(".course-nav a", has_text="next").click()
    assert page.remote == [] and page.errors == []
