"""Lesson 10: ask a conditional GAN for a digit, and move its noise."""

from __future__ import annotations

import numpy as np

from gan_course.plotting import tile_images
from gan_course.widgets.base import Dashboard, slider


class DigitDashboard(Dashboard):
    """Choose the digit y, walk the noise z, and watch ``G(z, y)`` redrawn.

    The noise walks along a great circle: ``z = slerp(z0, z1; t)`` (lesson 06) between the
    vectors of the seeds ``noise`` and ``noise + 1``, so the slider ``z walk`` moves one
    writer into another while the digit stays the one asked for. Left: ``G(z, y)``, large.
    Right, top: every digit at this z (the same noise, ten labels); below: the chosen digit
    for ``n_writers`` further noise vectors of the seed. With ``judge`` the readout gives the
    judge's label of the large digit, its probability, and whether it agrees with y.

    Parameters
    ----------
    G : generator ``G(z, y)`` with ``z_dim`` and ``cond_dim`` classes (one-hot), in eval mode
    judge : the digit judge, or None
    """

    def __init__(self, G, *, judge=None, digit: int = 0, noise: int = 0, n_writers: int = 10, live: bool = True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        n_classes = getattr(G, "cond_dim", 0)
        if not n_classes or not isinstance(getattr(G, "z_dim", None), int):
            raise ValueError(f"G must be a conditional generator G(z, y) with z_dim and cond_dim >= 1, "
                             f"got cond_dim={n_classes!r}")
        if getattr(G, "training", False):
            raise ValueError("G is in training mode: its batch norm would normalize over the dashboard's few "
                             "images; call G.eval() first")
        if not isinstance(digit, int) or not 0 <= digit < n_classes:
            raise ValueError(f"digit={digit!r} must be an int in 0 .. {n_classes - 1}")
        if not isinstance(n_writers, int) or n_writers < 1:
            raise ValueError(f"n_writers={n_writers!r} must be an int >= 1")
        self.G, self.judge, self.n_classes, self.n_writers = G, judge, n_classes, n_writers
        self.digit = w.Dropdown(options=list(range(n_classes)), value=digit, description="digit y")
        self.walk = slider("z walk", 0.0, 0.0, 1.0, 0.05)
        self.noise = w.BoundedIntText(value=noise, min=0, max=10**6, description="noise z (seed)",
                                      style={"description_width": "initial"})
        fig = Figure(figsize=(8.4, 2.8), layout="constrained")
        grid = fig.add_gridspec(2, 2, width_ratios=[1, 3.4])
        ax_big = fig.add_subplot(grid[:, 0])
        self.big = ax_big.imshow(np.zeros((28, 28)), cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
        ax_big.set_axis_off()
        ax_big.set_title("G(z, y)")
        self.rows = []
        for r, (width, title) in enumerate(((n_classes, "every digit at this z"),
                                            (n_writers, f"digit y, {n_writers} more z of this seed"))):
            ax = fig.add_subplot(grid[r, 1])
            self.rows.append(ax.imshow(tile_images(np.zeros((width, 1, 28, 28)), nrow=width), cmap="gray",
                                       vmin=-1, vmax=1, interpolation="nearest"))
            ax.set_axis_off()
            ax.set_title(title, fontsize=9)
        super().__init__(fig, [self.digit, self.walk, self.noise], dynamic=[self.big, *self.rows], live=live)

    def noise_vectors(self):
        """The noise of the large digit (1, z_dim), on the walk, and of the further writers (n_writers, z_dim)."""
        import torch

        from gan_course.latents import slerp

        seed = int(self.noise.value)
        z0, z1 = (torch.randn(1, self.G.z_dim, generator=torch.Generator().manual_seed(s))[0] for s in (seed, seed + 1))
        writers = torch.randn(self.n_writers, self.G.z_dim, generator=torch.Generator().manual_seed(seed + 2))
        return slerp(z0, z1, float(self.walk.value)), writers

    def _update(self) -> dict:
        import torch

        y = int(self.digit.value)
        z, writers = self.noise_vectors()
        zs = torch.cat([z, z.expand(self.n_classes, -1), writers])
        labels = torch.tensor([y, *range(self.n_classes), *[y] * self.n_writers])
        device = next(self.G.parameters()).device
        with torch.no_grad():
            c = torch.nn.functional.one_hot(labels, self.n_classes).float()
            images = self.G(zs.to(device), c.to(device)).cpu()
        self.big.set_data(images[0, 0].numpy())
        self.rows[0].set_data(tile_images(images[1:1 + self.n_classes], nrow=self.n_classes))
        self.rows[1].set_data(tile_images(images[1 + self.n_classes:], nrow=self.n_writers))
        values = {"digit": y}
        if self.judge is not None:
            judge_device = next(self.judge.parameters()).device
            with torch.no_grad():
                p = torch.softmax(self.judge.eval()(images.to(judge_device)), dim=1).cpu()
            values.update({"judge reads": int(p[0].argmax()), "with probability": float(p[0].max()),
                           "judge agrees (all shown)": f"{int((p.argmax(1) == labels).sum())} of {len(labels)}"})
        return values
