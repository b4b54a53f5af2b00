import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import gan_course
from gan_course.runtime import BUDGET_ENV

ROOT = Path(__file__).resolve().parents[1]


def test_budget_defaults_to_full_and_reads_the_environment(monkeypatch):
    monkeypatch.delenv(BUDGET_ENV, raising=False)
    assert gan_course.budget_mode() == "full"
    assert gan_course.by_budget(full=1000, quick=10) == 1000
    monkeypatch.setenv(BUDGET_ENV, "quick")
    assert gan_course.budget_mode() == "quick"
    assert gan_course.by_budget(full=1000, quick=10) == 10
    monkeypatch.setenv(BUDGET_ENV, " FULL ")
    assert gan_course.budget_mode() == "full"


def test_unknown_budget_names_the_variable(monkeypatch):
    monkeypatch.setenv(BUDGET_ENV, "tiny")
    with pytest.raises(ValueError, match=f"{BUDGET_ENV}='tiny'.*'full', 'quick'"):
        gan_course.budget_mode()


def test_device_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert gan_course.get_device() == torch.device("cpu")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert gan_course.get_device() == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert gan_course.get_device() == torch.device("cuda")
    assert gan_course.get_device("cpu") == torch.device("cpu")


def test_device_errors(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="'cuda'.*not available"):
        gan_course.get_device("cuda")
    with pytest.raises(ValueError, match="prefer='gpu'"):
        gan_course.get_device("gpu")


def test_seed_everything_makes_every_generator_repeat():
    def draw(gen):
        return random.random(), np.random.rand(), torch.rand(1).item(), torch.rand(1, generator=gen).item()

    first = draw(gan_course.seed_everything(123))
    assert draw(gan_course.seed_everything(123)) == first
    assert draw(gan_course.seed_everything(124)) != first
    for bad in (-1, 1.5, "1", 2**32):
        with pytest.raises(ValueError, match="seed="):
            gan_course.seed_everything(bad)


def test_import_is_light():
    """`import gan_course` pulls in no widgets, no pyplot, no torch, and sets no backend: the tree under test,
    not whatever copy of the package the interpreter has installed."""
    code = ("import sys, gan_course, gan_course.data, gan_course.distributions, gan_course.plotting\n"
            "heavy = [m for m in ('ipywidgets', 'matplotlib.pyplot', 'torch') if m in sys.modules]\n"
            "import matplotlib\n"
            "print(gan_course.__file__)\n"
            "print(heavy, matplotlib.rcParams._get_backend_or_none())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, check=True).stdout.splitlines()
    assert Path(out[0]).resolve() == ROOT / "gan_course" / "__init__.py"
    assert out[1:] == ["[] None"]
