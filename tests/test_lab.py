"""`make lab` serves JupyterLab on 127.0.0.1 with the course kernel and the lessons."""

import json
import re
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)


def test_lab_listens_on_loopback_and_serves_the_lessons(lab):
    base, log = lab
    assert re.search(r"http://127\.0\.0\.1:\d+/lab", log.read_text())
    listing = get_json(f"{base}/api/contents")
    names = {item["name"] for item in listing["content"]}
    assert "00_generative_models.ipynb" in names  # the server's root is notebooks/
    with urllib.request.urlopen(f"{base}/lab/tree/00_generative_models.ipynb", timeout=10) as resp:
        assert resp.status == 200 and b"JupyterLab" in resp.read()


def test_lab_offers_the_course_kernel(lab):
    base, _ = lab
    specs = get_json(f"{base}/api/kernelspecs")["kernelspecs"]
    assert specs["gan-course"]["spec"]["display_name"] == "Python (gan-course)"
    assert Path(specs["gan-course"]["spec"]["argv"][0]) == ROOT / ".venv" / "bin" / "python"


def test_lab_stays_quiet_offline_and_culls_idle_kernels(lab):
    """No news or update pop-ups (the course's overrides), and idle kernels are shut down."""
    base, _ = lab
    schema = get_json(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification")["schema"]
    defaults = {k: v["default"] for k, v in schema["properties"].items()}  # overrides land as defaults
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False
    assert get_json(f"{base}/lab/api/news") == {"news": []}
    config = (ROOT / "Makefile").read_text()
    assert "--MappingKernelManager.cull_idle_timeout=3600" in config and "cull_connected=True" in config


def test_lab_presents_lessons_as_live_slides(lab):
    """`make lab` brings jupyterlab-deck (live slides whose widgets work) and renders every cell of a
    notebook, which its slides scroll by; not jupyterlab-rise, whose slideshow shows no ipywidgets 8 view."""
    base, _ = lab
    plugins = {s["id"] for s in get_json(f"{base}/lab/api/settings")["settings"]}
    assert "@deathbeds/jupyterlab-deck:plugin" in plugins
    assert not [p for p in plugins if p.startswith("jupyterlab-rise")]
    schema = get_json(f"{base}/lab/api/settings/@jupyterlab/notebook-extension:tracker")["schema"]
    assert schema["properties"]["windowingMode"]["default"] == "none"
