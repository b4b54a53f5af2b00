"""Hygiene of the committed lessons: what a learner sees on GitHub must be complete and clean.

nbval re-executes the lessons (``make test``); these checks read the committed files.
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
