"""Shared fixtures: a JupyterLab server started by `make lab`, as a learner would; and which lessons nbval
leaves to the browser tests."""

import fcntl
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(config, items):
    """A lesson that a browser test runs top to bottom is checked there as nbval would check it
    (``browser_helpers.checked_outputs_differ``), so its second run, through nbval, is left out; not when
    Chromium is missing, which skips the browser tests, nor when its browser test is not collected."""
    from browser_helpers import CHROMIUM

    if not Path(CHROMIUM).exists():
        return
    in_browser = {m.group(1) for item in items if item.path.name.startswith("test_browser")
                  and (m := re.match(r"test_lesson_(\d\d)_", item.name))}
    keep, left = [], []
    for item in items:
        (left if item.path.suffix == ".ipynb" and item.path.name[:2] in in_browser else keep).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = keep


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """Start `make lab` exactly as a learner would, plus test-only flags; stop it afterwards."""
    port = free_port()
    log = tmp_path_factory.mktemp("lab") / "lab.log"
    args = (f"--port={port} --no-browser --IdentityProvider.token= --ServerApp.password= "
            "--ServerApp.shutdown_no_activity_timeout=600 "
            "--LabApp.expose_app_in_browser=True")
    # Own config, settings and workspaces; autosave off so running lessons never rewrites notebooks/.
    settings = log.parent / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(log.parent / "config"),
           "JUPYTERLAB_SETTINGS_DIR": str(log.parent / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(log.parent / "workspaces"), "GAN_COURSE_BUDGET": "quick"}
    # Two pytest workers may each start one (the browser tests are in two modules), and `make lab` installs
    # JupyterLab's settings file into the venv: the starts take turns, under a lock file.
    lock = open(Path(tempfile.gettempdir()) / "gan-course-lab-start.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    with open(log, "w") as fh:
        proc = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=ROOT, stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(f"{base}/api/status", timeout=2)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"JupyterLab did not start:\n{log.read_text()}")
                    time.sleep(0.5)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()
        yield base, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
