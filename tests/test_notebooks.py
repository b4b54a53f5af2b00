"""Hygiene of the committed lessons: what a learner sees on GitHub must be complete and clean.

``make test`` re-executes the lessons (nbval, or the browser tests, which compare the checked cells as nbval
does); these checks read the committed files.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_there_are_lessons():
    assert [p.name for p in NOTEBOOKS][:1] == ["00_generative_models.ipynb"]


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb_path(request):
    return request.param


def test_valid_and_names_the_course_kernel(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "gan-course"


def test_executed_top_to_bottom_without_errors(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    for cell in code:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source[:80]
        for out in cell.outputs:
            assert not (out.output_type == "stream" and out.name == "stderr" and "Traceback" in out.text)


def test_no_widget_state_and_pictures_are_saved(nb_path):
    raw = json.loads(nb_path.read_text())
    assert "widgets" not in raw["metadata"]
    outputs = [o for c in raw["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if WIDGET_VIEW in o.get("data", {})], "widget views cannot render on GitHub"
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3, "a lesson is read as pictures"
    assert nb_path.stat().st_size < 3 * 2**20


def test_lesson_shape(nb_path):
    """Goals and time at the top, checked claims, a try-it exercise with a checker, a summary."""
    nb = nbformat.read(nb_path, as_version=4)
    first = nb.cells[0].source
    assert first.startswith("# ") and re.search(r"\d+ minutes", first) and "You will learn" in first
    code = [c for c in nb.cells if c.cell_type == "code"]
    checked = [c for c in code if "nbval-check-output" in c.metadata.get("tags", [])]
    assert checked and all(c.outputs for c in checked)
    assert not [c for c in code if "NBVAL" in c.source], "test markers go in cell tags, out of the learner's sight"
    assert any("assert " in c.source for c in code)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Try it" in text and "## Summary" in text
    assert any("check_" in c.source for c in code)


def test_readme_lists_every_lesson():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme, path.name


def _slide_tools():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import slide_metadata

    return slide_metadata


def test_slide_metadata(nb_path):
    """Every lesson is a deck (live in JupyterLab with jupyterlab-deck; ``make slides``): every cell has a slide type, headings and
    dashboards start slides, a dashboard stands alone, the deck hides no result.
    (``tools/slide_metadata.py`` writes it; the heights are checked in tests/test_site.py.)"""
    tools = _slide_tools()
    nb = nbformat.read(nb_path, as_version=4)
    kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert set(kinds) <= {"slide", "-", "skip"}, "every cell needs a slide type (tools/slide_metadata.py)"
    assert kinds[0] == "slide"
    dashboards = 0
    for i, (cell, kind) in enumerate(zip(nb.cells, kinds)):
        rule = tools.structural_type(cell, nb.cells[i - 1] if i else None)
        if rule is not None and i:
            assert kind == rule, (i, cell.source[:60])
        if cell.cell_type == "markdown" and re.match(r"#{1,3} ", cell.source):
            assert kind == "slide", cell.source[:60]
        if tools.is_dashboard(cell):
            dashboards += 1
            assert kind == "slide" and kinds[i + 1] == "slide", "a dashboard has a slide of its own"
        if kind == "skip":
            assert cell.cell_type == "code" and not cell.outputs, "the deck hides no output"
        if "slides-hide-input" in cell.metadata.get("tags", []):
            assert cell.outputs, "only code that shows something loses its input in the deck"
    uses = sum(bool(tools._DASHBOARD.search(c.source)) for c in nb.cells if c.cell_type == "code")
    assert dashboards == uses, "every dashboard a lesson makes is shown, with its saved picture"


def test_dashboard_list_is_complete():
    """The slide tool knows every dashboard class the package has."""
    import inspect

    import gan_course.widgets as widgets
    from gan_course.widgets.base import Dashboard

    classes = {n for n, c in vars(widgets).items() if inspect.isclass(c) and issubclass(c, Dashboard) and c is not Dashboard}
    assert classes == set(_slide_tools().DASHBOARDS)


def test_a_run_made_in_the_browser_is_checked_as_nbval_would():
    """The browser tests check the lessons they run with nbval's own comparison (and make test leaves
    those lessons out of nbval): a changed digit in a tagged cell is caught, an untagged cell is not
    compared, and outputs split into lines (as JupyterLab may hand them) still match."""
    import copy

    from browser_helpers import checked_outputs_differ

    lesson = ROOT / "notebooks" / "01_kl_vs_js.ipynb"
    code = [c for c in nbformat.read(lesson, as_version=4).cells if c.cell_type == "code"]
    ran = [[json.loads(json.dumps(o)) for o in c.outputs] for c in code]
    assert checked_outputs_differ(lesson, ran) == ""
    tagged = next(i for i, c in enumerate(code) if "nbval-check-output" in c.metadata.get("tags", [])
                  and c.outputs[0].output_type == "stream")
    split = copy.deepcopy(ran)
    split[tagged][0]["text"] = split[tagged][0]["text"].splitlines(keepends=True)
    assert checked_outputs_differ(lesson, split) == ""
    changed = copy.deepcopy(ran)
    changed[tagged][0]["text"] = re.sub(r"\d(?=\D*$)", lambda m: str((int(m.group()) + 1) % 10), ran[tagged][0]["text"])
    assert f"code cell {tagged}" in checked_outputs_differ(lesson, changed)
    untagged = next(i for i, c in enumerate(code) if "nbval-check-output" not in c.metadata.get("tags", []) and c.outputs)
    changed = copy.deepcopy(ran)
    changed[untagged] = [{"output_type": "stream", "name": "stdout", "text": "anything\n"}]
    assert checked_outputs_differ(lesson, changed) == ""
    with pytest.raises(AssertionError, match="code cells ran"):
        checked_outputs_differ(lesson, ran[:-1])
