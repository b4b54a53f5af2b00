"""Kernel time per slider step for each dashboard: median and p95 over many steps.

    python benchmarks/widget_latency.py [--steps 60]

Three figures per dashboard:
- update: recompute and move the artists (what a slider step costs before drawing);
- live draw: update plus the Agg render that an ipympl canvas does when JupyterLab asks
  for the new frame (the in-place path, `%matplotlib widget` not needed);
- image fallback: update plus PNG encoding into an image widget (no ipympl).
Goal (DESIGN.md): live draw median <= 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from gan_course.widgets import PushforwardDashboard

# dashboard factory, the slider to move, and the values it sweeps through
DASHBOARDS = {
    "PushforwardDashboard": (PushforwardDashboard, "a_slider", np.linspace(0.0, 3.0, 31)),
}


def time_steps(dash, slider_name, values, steps, draw):
    slider = getattr(dash, slider_name)
    times = []
    for i in range(steps):
        start = time.perf_counter()
        slider.value = float(values[i % len(values)])
        if draw:
            dash.fig.canvas.draw()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times):
    return f"median {statistics.median(times):6.1f} ms, p95 {np.percentile(times, 95):6.1f} ms"


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args(argv)
    for name, (factory, slider, values) in DASHBOARDS.items():
        live = factory(live=True)
        fallback = factory(live=False)
        time_steps(live, slider, values, 5, draw=True)  # warm up
        print(f"{name} ({args.steps} steps of {slider})")
        print(f"  update only     {summary(time_steps(live, slider, values, args.steps, draw=False))}")
        print(f"  live draw       {summary(time_steps(live, slider, values, args.steps, draw=True))}")
        print(f"  image fallback  {summary(time_steps(fallback, slider, values, args.steps, draw=False))}")


if __name__ == "__main__":
    main()
