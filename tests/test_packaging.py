"""The two ways in (pip via the Makefile, conda via environment.yml) agree, and CI runs the README's command."""

import re
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_pyproject_declares_what_the_lessons_need():
    deps = {re.split(r"[<>=!\[ ]", d)[0].lower() for d in PYPROJECT["project"]["dependencies"]}
    assert {"torch", "torchvision", "numpy", "scipy", "matplotlib", "ipywidgets", "jupyterlab",
            "tqdm", "mlxtend", "ipympl", "ipykernel"} <= deps
    assert "jupyterlab>=4.5" in PYPROJECT["project"]["dependencies"]
    assert PYPROJECT["project"]["requires-python"] == ">=3.10"
    test_deps = {re.split(r"[<>=!\[ ]", d)[0].lower() for d in PYPROJECT["project"]["optional-dependencies"]["test"]}
    assert {"pytest", "nbval"} <= test_deps


def test_environment_yml_installs_the_package_from_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    # conda supplies only Python (same bound as pyproject) and pip; packages come from pyproject
    assert conda == ["python" + PYPROJECT["project"]["requires-python"], "pip"]
    assert len(pip) == 1 and len(pip[0]["pip"]) == 1
    match = re.fullmatch(r"-e \.\[([a-z,]+)\]", pip[0]["pip"][0])
    assert match, pip[0]["pip"]
    assert set(match.group(1).split(",")) <= set(PYPROJECT["project"]["optional-dependencies"])


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    head = readme[:1500]
    assert "make lab" in head and "make test" in head
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)
    makefile = (ROOT / "Makefile").read_text()
    assert "GAN_COURSE_BUDGET=quick" in makefile and "--nbval-lax" in makefile
