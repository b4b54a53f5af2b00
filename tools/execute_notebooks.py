"""Execute lessons top to bottom and save them clean (``make notebooks``).

    python tools/execute_notebooks.py notebooks/*.ipynb     # full budget, saved in place

Timings: ``benchmarks/notebook_times.py``.

Saved notebooks keep every output a reader needs (text, images) and drop what
GitHub cannot render: saved widget state and widget views (a dashboard's bundle
keeps its static ``image/png``; a widget with no picture, such as a progress bar, goes).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNEL = "gan-course"


def execute(path: Path, budget: str, timeout: int = 4 * 3600):
    """Run the notebook at ``path`` in a fresh kernel; return (notebook, seconds). ``timeout`` is per cell
    (lesson 05's mode-collapse table runs 20 to 70 minutes in the full budget, by machine)."""
    nb = nbformat.read(path, as_version=4)
    os.environ["GAN_COURSE_BUDGET"] = budget
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start


def clean(nb):
    """Drop widget state and widget views; keep every other output."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            data = out.get("data", {})
            widget = data.pop(WIDGET_VIEW, None)
            if widget is not None and "image/png" not in data:
                continue  # a widget without a picture (a progress bar): its text is its state when first shown
            if out.output_type in ("display_data", "execute_result") and not data:
                continue
            kept.append(out)
        cell.outputs = kept
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--budget", choices=("full", "quick"), default="full")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        nb, seconds = execute(path, args.budget)
        nbformat.write(clean(nb), path)
        print(f"{path}: executed in {seconds:.1f} s ({args.budget} budget) and saved", flush=True)


if __name__ == "__main__":
    sys.exit(main())
