"""What a learner feels: from a key press on a dashboard's slider to the new frame on its canvas,
in a real browser (Chromium through Playwright) against JupyterLab, for every dashboard.

    python benchmarks/browser_latency.py [--presses 30] [--only NAME ...]

It writes a scratch notebook with one cell per dashboard of ``widget_latency.py`` (live ipympl
canvases), serves it with the course's JupyterLab on 127.0.0.1, runs it in headless Chromium,
then presses ArrowRight and ArrowLeft in turn on each dashboard's slider, one press at a
time. The page records when the key went down and when the figure's canvas next drew a
frame (a hook on ``drawImage``, which is how ipympl paints a frame it receives), so a
press's time covers the page sending the new value, the kernel's step (recompute, blit, PNG
encode), the trip back and the paint. Medians and 95th percentiles, in ms. Needs Debian's
``chromium`` (as the browser tests do). Goal (issue: slider latency end to end): <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("GAN_COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]

# every drawImage on the canvas marked as the target is timed
HOOK = """() => {
  if (window.__benchHooked) return;
  window.__benchHooked = true;
  window.__frames = [];
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    if (this.canvas === window.__target) window.__frames.push(performance.now());
    return draw.apply(this, args);
  };
}"""


def write_notebook(folder: Path, names) -> Path:
    import nbformat

    cells = [nbformat.v4.new_code_cell(f"import sys\nsys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
                                       "from widget_latency import DASHBOARDS\ndashes = {}")]
    for name in names:
        cells.append(nbformat.v4.new_code_cell(
            f"factory, slider, _ = DASHBOARDS[{name!r}]\n"
            f"dashes[{name!r}] = dash = factory(live=True)\n"
            f"getattr(dash, slider).add_class('bench-target')\n"
            f"dash"))
    path = folder / "latency.ipynb"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "gan-course", "display_name": "Python (gan-course)", "language": "python"}
    nbformat.write(nb, path)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(folder: Path, port: int):
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder / "config"), "JUPYTERLAB_SETTINGS_DIR": str(folder / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(folder / "workspaces"), "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "jupyter"), "lab", "--ServerApp.ip=127.0.0.1",
                             f"--port={port}", "--no-browser", "--IdentityProvider.token=", "--ServerApp.password=",
                             f"--ServerApp.root_dir={folder}", "--LabApp.news_url=None", "--allow-root",
                             "--LabApp.expose_app_in_browser=True", "--ServerApp.shutdown_no_activity_timeout=300"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("JupyterLab did not start")
            time.sleep(0.5)


def run_all(page, url):
    page.goto(url)
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext.session", timeout=120_000)
    page.locator("#jp-main-statusbar >> text=Idle").first.wait_for(state="attached", timeout=120_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("""() => {
      const cells = Array.from(window.jupyterapp.shell.currentWidget.content.model.cells);
      return cells.every(c => c.type !== 'code' || c.executionCount !== null);
    }""", timeout=600_000, polling=500)


def time_presses(page, cell, presses: int):
    """Press the marked slider of ``cell`` ``presses`` times; ms from key-down to the next frame."""
    handle = cell.locator(".bench-target .noUi-handle").first
    handle.scroll_into_view_if_needed()
    cell.locator(".jupyter-matplotlib-figure canvas").first.evaluate("c => { window.__target = c; }")
    handle.focus()
    page.wait_for_timeout(500)
    times = []
    for i in range(presses):
        key = ("ArrowRight", "ArrowLeft")[i % 2]  # back and forth: at an end of the slider only one press is lost
        start = page.evaluate("() => { window.__frames = []; return performance.now(); }")
        page.keyboard.press(key)
        try:
            page.wait_for_function("t => window.__frames.some(f => f > t)", arg=start, timeout=10_000, polling="raf")
        except Exception:
            continue  # the slider was at its end: no new frame
        first = page.evaluate("t => Math.min(...window.__frames.filter(f => f > t))", start)
        times.append(first - start)
        page.wait_for_timeout(150)  # let the trailing traffic settle before the next press
    return times


def main(argv=None):
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from widget_latency import DASHBOARDS

    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--only", nargs="*", choices=sorted(DASHBOARDS))
    args = parser.parse_args(argv)
    names = [n for n in DASHBOARDS if not args.only or n in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_notebook(folder, names)
        port = free_port()
        lab = start_lab(folder, port)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                run_all(page, f"http://127.0.0.1:{port}/lab/tree/latency.ipynb?reset")
                page.evaluate(HOOK)
                cells = page.locator(".jp-Notebook .jp-CodeCell")
                for i, name in enumerate(names, start=1):
                    times = time_presses(page, cells.nth(i), args.presses)
                    if times:
                        print(f"{name:>24}: median {statistics.median(times):6.1f} ms, "
                              f"p95 {np.percentile(times, 95):6.1f} ms ({len(times)} presses)", flush=True)
                    else:
                        print(f"{name:>24}: no frame arrived", flush=True)
                browser.close()
        finally:
            os.killpg(lab.pid, signal.SIGTERM)


if __name__ == "__main__":
    main()
