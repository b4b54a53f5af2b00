"""Kernel time per slider step for each dashboard: median and p95 over many steps.

    python benchmarks/widget_latency.py [--steps 60]

Three figures per dashboard:
- live (blit): what a step costs on an ipympl canvas in JupyterLab: recompute, move
  the artists, blit them over the saved background, encode the PNG diff for the page
  (the canvas is told, as the page tells it, that a front end is showing it: without one,
  ipympl also re-encodes the whole figure into a data URL at every frame, which doubled
  the PNG work in earlier runs of this script);
- live (full redraw): the same step followed by a full Agg redraw, which is what a
  step would cost without blitting (the baseline);
- image fallback: recompute and re-encode the whole figure into an image widget
  (where ipympl is not installed).
Goal (DESIGN.md): live median <= 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from gan_course.widgets import (CodeDashboard, DigitDashboard, DivergenceDashboard, EarthMoverDashboard, KLFitDashboard, LatentExplorer,
                                LatentWalk, ParallelLinesDashboard, PushforwardDashboard, SaturationDashboard, SnapshotScrubber)


def latent_explorer(live):
    """Lesson 04's explorer on the shipped 2-D VAE and the 1,000 held-out digits (a step decodes z)."""
    from gan_course.data import load_mnist, train_heldout_split
    from gan_course.checkpoints import pretrained

    _, _, x_held, y_held = train_heldout_split(*load_mnist("subset", value_range=(0, 1)), seed=0)
    return LatentExplorer(pretrained("vae-z2"), x_held, y_held, live=live)


def latent_walk(live):
    """Lesson 06's walk on the shipped DCGAN's generator (a step decodes one lerp and one slerp point)."""
    from gan_course.checkpoints import pretrained

    return LatentWalk(pretrained("dcgan")["G"], live=live)


def snapshot_scrubber(live):
    """Lesson 06's scrubber over the shipped DCGAN's training record (a step swaps a grid and ten bars)."""
    from gan_course.checkpoints import load_checkpoint

    return SnapshotScrubber({k: v.numpy() for k, v in load_checkpoint("dcgan-record").items()}, live=live)


def code_dashboard(live):
    """Lesson 09's codes on the shipped InfoGAN (a step draws 1 + 10 + 2 x 9 digits and asks the judge about one)."""
    from gan_course.checkpoints import pretrained
    from gan_course.recipes import RECIPES

    G = pretrained("infogan")["G"]
    codes = RECIPES["infogan"].make_latent(z_dim=G.z_dim, n_cont=G.cond_dim - 10)
    return CodeDashboard(G, codes, judge=pretrained("judge"), live=live)


def digit_dashboard(live):
    """Lesson 10's conditional GAN (a step draws 1 + 10 + 10 digits and asks the judge about all 21)."""
    from gan_course.checkpoints import pretrained

    return DigitDashboard(pretrained("cgan")["G"].eval(), judge=pretrained("judge"), live=live)


# dashboard factory, the slider to move, and the values it sweeps through
DASHBOARDS = {
    "PushforwardDashboard": (PushforwardDashboard, "a_slider", np.linspace(0.0, 3.0, 31)),
    "DivergenceDashboard": (DivergenceDashboard, "q_mean", np.linspace(-5.0, 5.0, 41)),
    "KLFitDashboard": (KLFitDashboard, "gap", np.linspace(0.0, 8.0, 33)),
    "SaturationDashboard": (SaturationDashboard, "theta", np.linspace(0.0, 3.0, 61)),
    "EarthMoverDashboard": (EarthMoverDashboard, "q_mean", np.linspace(0.0, 11.0, 23)),
    "ParallelLinesDashboard": (ParallelLinesDashboard, "theta", np.linspace(-1.0, 1.0, 41)),
    "LatentExplorer": (latent_explorer, "z1", np.linspace(-3.0, 3.0, 31)),
    "LatentWalk": (latent_walk, "t", np.linspace(0.0, 1.0, 51)),
    "SnapshotScrubber": (snapshot_scrubber, "step", None),  # sweeps the record's steps
    "CodeDashboard": (code_dashboard, "cont.0", np.linspace(-1.0, 1.0, 21)),  # its first continuous code, c2
    "DigitDashboard": (digit_dashboard, "walk", np.linspace(0.0, 1.0, 21)),
}


def time_steps(dash, slider_name, values, steps, full_redraw=False):
    slider = dash
    for part in slider_name.split("."):  # "cont.0": the first of the list dash.cont
        slider = slider[int(part)] if part.isdigit() else getattr(slider, part)
    if values is None:  # a selection slider: its own options
        values = list(slider.options)
    times = []
    for i in range(steps):
        start = time.perf_counter()
        value = values[i % len(values)]
        slider.value = value if isinstance(value, (int, np.integer)) else float(value)
        if full_redraw:
            dash.fig.canvas.draw()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times):
    return f"median {statistics.median(times):6.1f} ms, p95 {np.percentile(times, 95):6.1f} ms"


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--only", nargs="*", choices=sorted(DASHBOARDS), help="time these dashboards alone")
    args = parser.parse_args(argv)
    for name, (factory, slider, values) in DASHBOARDS.items():
        if args.only and name not in args.only:
            continue
        live, fallback = factory(live=True), factory(live=False)
        # what JupyterLab's canvas view says once it is shown: from then on ipympl stops re-encoding
        # the whole figure into a PNG data URL (kept for front-end-less runs) at every frame
        live.fig.canvas._handle_message(live.fig.canvas, {"type": "initialized"}, [])
        live.fig.canvas.draw()  # the first full draw, as when JupyterLab shows the canvas
        time_steps(live, slider, values, 5)  # warm up
        blit = time_steps(live, slider, values, args.steps)
        full = time_steps(live, slider, values, args.steps, full_redraw=True)
        image = time_steps(fallback, slider, values, args.steps)
        print(f"{name} ({args.steps} steps of {slider})")
        print(f"  live (blit)          {summary(blit)}")
        print(f"  live (full redraw)   {summary(full)}   blit speed-up x{statistics.median(full) / statistics.median(blit):.1f}")
        print(f"  image fallback       {summary(image)}")


if __name__ == "__main__":
    main()
