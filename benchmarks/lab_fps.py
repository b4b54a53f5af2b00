"""Frames per second of the live GAN lab (lesson 05) while it trains, against training alone.

    python benchmarks/lab_fps.py [--frames 40]

A frame is ``steps_per_frame`` training steps plus one redraw (recompute the views,
blit the moving artists, encode the PNG diff that ipympl sends; a full redraw when the
loss axes have to grow). Medians over frames.
"""

from __future__ import annotations

import argparse
import statistics
import time

from gan_course.widgets import GANLabDashboard


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args(argv)
    for loss in ("non-saturating", "wgan-gp"):
        lab = GANLabDashboard(loss=loss, d_steps=5 if loss == "wgan-gp" else 1)
        lab.fig.canvas.draw()  # the first full draw, as when JupyterLab shows the canvas
        start = time.perf_counter()
        lab.trainer.run(200, progress=False)
        train_rate = 200 / (time.perf_counter() - start)
        for per_frame in (1, 10, 25):
            lab.steps_per_frame = per_frame
            frames, redraws = [], []
            for _ in range(args.frames):
                t0 = time.perf_counter()
                lab.trainer.run(per_frame, progress=False)
                t1 = time.perf_counter()
                lab.refresh()
                if not lab.blitting:  # the loss axes grew: JupyterLab asks for a full redraw
                    lab.fig.canvas.draw()
                frames.append(time.perf_counter() - t0)
                redraws.append(time.perf_counter() - t1)
            frame = statistics.median(frames)
            print(f"{loss:>15}, {per_frame:2d} steps/frame: {1 / frame:5.1f} frames/s, {per_frame / frame:6.1f} steps/s "
                  f"(training alone {train_rate:6.1f} steps/s), redraw {1000 * statistics.median(redraws):5.1f} ms")


if __name__ == "__main__":
    main()
