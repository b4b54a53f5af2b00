"""What the browser tests share (``test_browser.py``: lessons 00-05; ``test_browser_images.py``: the
image lessons, a second module so that the two workers of ``make test`` run them side by side): a
headless Chromium page on the JupyterLab of ``conftest.lab``, a guard that no committed lesson is
rewritten, and helpers to run a lesson (checking its outputs as nbval would, so that ``conftest`` can
leave out that lesson's second run through nbval), move a slider and check the redraw.

Needs Debian's chromium (``.ci/run`` installs it). Elsewhere the tests are skipped
when no chromium is found; in CI (``CI=true``) a missing browser is a failure.
"""

import contextlib
import hashlib
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("GAN_COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]

# code cells of the open notebook: [execution count, [output types]], read from JupyterLab's model
CELLS_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model || !panel.sessionContext.session) return null;
  return Array.from(panel.content.model.cells).filter(c => c.type === 'code')
    .map(c => [c.executionCount, c.outputs.toJSON().map(o => o.output_type)]);
}"""
# the outputs of the open notebook's code cells, as nbformat JSON
OUTPUTS_JS = """() => Array.from(window.jupyterapp.shell.currentWidget.content.model.cells)
  .filter(c => c.type === 'code').map(c => c.outputs.toJSON())"""
# what nbval (0.11) leaves out of a comparison without --nbdime: IPyNbFile.skip_compare
NBVAL_SKIP = ("metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
              "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg")
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"  # the file make test gives nbval


@contextlib.contextmanager
def chromium():
    """A headless Chromium browser (the test is skipped without one; in CI that is a failure)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM}; .ci/run installs it")
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page(lab):
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1400, "height": 1000})


@pytest.fixture(autouse=True)
def lessons_stay_unchanged():
    """Running lessons in the browser must never rewrite the committed notebooks."""
    def digests():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "notebooks").glob("*.ipynb")}

    before = digests()
    yield
    assert digests() == before, "a committed lesson was rewritten"


def run_all(page, base, lesson: Path):
    """Open ``lesson`` in JupyterLab, clear it, run every cell; assert a clean 1..n run.

    Returns a locator of the lesson's panel, so later look-ups stay inside it.
    """
    page.goto(f"{base}/lab/tree/{lesson.name}?reset")  # ?reset: a fresh workspace, only this lesson
    page.wait_for_function(f"({CELLS_JS})() !== null", timeout=60_000)
    page.locator("#jp-main-statusbar >> text=Idle").first.wait_for(state="attached", timeout=60_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(f"(() => {{ const c = ({CELLS_JS})(); return c && c.every(x => x[0] !== null); }})()",
                           timeout=300_000, polling=500)
    cells = page.evaluate(f"({CELLS_JS})()")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{lesson.stem}_after_run_all.png"), full_page=True)
    assert [count for count, _ in cells] == list(range(1, len(cells) + 1))
    assert not [types for _, types in cells if "error" in types]
    difference = checked_outputs_differ(lesson, page.evaluate(f"({OUTPUTS_JS})()"))
    assert not difference, difference
    assert_dashboards_fit(page, lesson)
    return page.locator("#" + page.evaluate("window.jupyterapp.shell.currentWidget.id"))


def checked_outputs_differ(lesson: Path, ran) -> str:
    """What nbval --nbval-lax checks of ``lesson``, on a run made elsewhere: the outputs of the cells tagged
    ``nbval-check-output`` against the committed ones, compared by nbval's own code (its sanitize patterns
    from the file make test gives it, the keys it skips). ``ran``: each code cell's outputs, nbformat JSON.
    Returns nbval's account of the first difference, or "" when there is none."""
    import nbformat
    from nbval import plugin

    committed = [c for c in nbformat.read(lesson, as_version=4).cells if c.cell_type == "code"]
    assert len(ran) == len(committed), f"{len(ran)} code cells ran, the lesson has {len(committed)}"
    cell = SimpleNamespace(colors=plugin.nocolors, config=None, parent=SimpleNamespace(
        skip_compare=NBVAL_SKIP, sanitize_patterns=dict(plugin.get_sanitize_patterns(SANITIZE.read_text()))),
        ihook=SimpleNamespace(pytest_assertrepr_compare=lambda **_: []))  # nbval's plain account of a difference
    for name in ("compare_outputs", "sanitize", "format_output_compare"):  # as methods of that stand-in
        setattr(cell, name, getattr(plugin.IPyNbCell, name).__get__(cell))
    joined = lambda v: "".join(v) if isinstance(v, list) else v  # noqa: E731  multiline strings, as nbformat reads them
    for index, (reference, outputs) in enumerate(zip(committed, ran)):
        if "nbval-check-output" in reference.metadata.get("tags", []):
            test = [nbformat.from_dict({k: ({m: joined(x) for m, x in v.items()} if k == "data" else joined(v))
                                        for k, v in o.items()}) for o in outputs]
            if not cell.compare_outputs(plugin.coalesce_streams(test), plugin.coalesce_streams(reference.outputs)):
                return f"{lesson.name}, code cell {index}: " + "\n".join(cell.comparison_traceback)
    return ""


# indices of the open notebook's cells that show a dashboard
DASHBOARD_CELLS_JS = """() => Array.from(window.jupyterapp.shell.currentWidget.content.widgets)
  .map((w, i) => w.node.querySelector('.gc-dashboard') ? i : -1).filter(i => i >= 0)"""
# the box of a dashboard (and of its figure) in the current page: [left, top, right, bottom]
BOX_JS = """(selector) => Array.from(document.querySelectorAll(selector)).map(d => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const fig = d.querySelector('.jupyter-matplotlib-canvas-div > canvas, img');
  return {view: box(d), figure: fig && box(fig), area: box(d.closest('.jp-OutputArea-output'))};
})"""
PROJECTOR = {"width": 853, "height": 480}  # 1280 x 720 at 150% zoom, in CSS pixels


def assert_dashboards_fit(page, lesson: Path):
    """Every dashboard of the open lesson fits its screen. In the notebook (the page's window, file
    browser open) its figure stays inside the output area. As a live slide (jupyterlab-deck) at
    1280 x 720 and 150% zoom, its controls, readout and figure are on screen together, the figure
    at least 100 px tall. Screenshots of those slides go to test-artifacts/."""
    window = page.viewport_size
    panel = "#" + page.evaluate("window.jupyterapp.shell.currentWidget.id")
    for dash in page.evaluate(BOX_JS, f"{panel} .gc-dashboard"):
        assert dash["figure"][2] <= dash["area"][2] + 1, f"a dashboard's figure is cut off: {dash}"
    page.set_viewport_size(PROJECTOR)
    try:
        page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0")
        page.evaluate("window.jupyterapp.commands.execute('deck:start')")
        for n, index in enumerate(page.evaluate(DASHBOARD_CELLS_JS)):
            page.evaluate(f"""(() => {{ const notebook = window.jupyterapp.shell.currentWidget.content;
                notebook.activeCellIndex = {index};  // its slide
                notebook.activeCell.node.scrollIntoView({{block: 'start'}}); }})()""")  # size, not scrolling, is checked
            page.wait_for_timeout(800)
            shown = page.evaluate(BOX_JS, f"{panel} .jp-deck-mod-visible .gc-dashboard")
            page.screenshot(path=str(ARTIFACTS / f"{lesson.stem}_slide_dashboard_{n}.png"))
            assert len(shown) == 1, f"cell {index}: {len(shown)} dashboards on its slide"
            left, top, right, _ = shown[0]["view"]  # its controls at the top ...
            bottom = shown[0]["figure"][3]  # ... to its figure's bottom edge
            assert left >= 0 and top >= 0 and right <= PROJECTOR["width"] + 1 and bottom <= PROJECTOR["height"] + 1, \
                f"cell {index}: the dashboard spans {shown[0]} on a {PROJECTOR} slide"
            assert shown[0]["figure"][3] - shown[0]["figure"][1] >= 100, f"cell {index}: {shown[0]}"
    finally:
        page.evaluate("window.jupyterapp.commands.execute('deck:stop')")
        page.set_viewport_size(window)


def step_first_slider(page, panel, steps: int, *, slider: int = 0, figure: int = 0):
    """Press ArrowRight ``steps`` times on the panel's first slider (or its ``slider``-th); return
    the first figure (or the ``figure``-th) and its picture before."""
    handle = panel.locator(".noUi-handle").nth(slider)
    handle.scroll_into_view_if_needed()
    figure = panel.locator(".jupyter-matplotlib-figure").nth(figure).locator("canvas").first  # (each has two)
    before = figure.screenshot()
    handle.focus()
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    return figure, before


def assert_redrawn(page, figure, before, lesson: Path):
    page.wait_for_timeout(500)  # the blitted frame travels to the page after the readout
    assert figure.screenshot() != before, "the figure did not redraw after the slider moved"
    page.screenshot(path=str(ARTIFACTS / f"{lesson.stem}_slider_moved.png"))
