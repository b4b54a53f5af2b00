"""Time every lesson top to bottom in a fresh kernel; print the median of several runs.

    python benchmarks/notebook_times.py [--budget quick] [--repeat 3] [notebooks ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from execute_notebooks import execute  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--budget", choices=("full", "quick"), default="quick")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(Path(__file__).resolve().parents[1].glob("notebooks/*.ipynb"))
    for path in paths:
        times = [execute(path, args.budget)[1] for _ in range(args.repeat)]
        print(f"{path.name}: {args.budget} budget, median {statistics.median(times):.1f} s over "
              f"{len(times)} runs (min {min(times):.1f}, max {max(times):.1f})", flush=True)


if __name__ == "__main__":
    main()
