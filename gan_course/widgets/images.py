"""Lesson 06: scrub through a GAN's training record, and walk its latent space (lerp against slerp)."""

from __future__ import annotations

import numpy as np

from gan_course.plotting import tile_images
from gan_course.widgets.base import Dashboard, slider

RECORD_KEYS = ("step", "images", "shares", "fid", "inception_score", "classes")


class SnapshotScrubber(Dashboard):
    """A slider over the snapshots of a training record (``python -m gan_course reproduce dcgan``
    writes one): the fixed-noise sample grid at that step, the judge's class shares of 1,000
    samples, and the judge's FID and IS over training with the current step marked.

    ``record`` maps ``step`` (k,), ``images`` (k, n, 1, 28, 28) uint8, ``shares`` (k, 10),
    ``fid`` (k,), ``inception_score`` (k,), ``classes`` (k,) to arrays or tensors.
    ``real_is`` (optional) draws the real held-out digits' IS as a reference line.
    """

    def __init__(self, record: dict, *, index: int = -1, real_is=None, live: bool = True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        missing = [k for k in RECORD_KEYS if k not in record]
        if missing:
            raise ValueError(f"record lacks {missing}; it needs {list(RECORD_KEYS)}")
        self.record = {k: np.asarray(record[k]) for k in RECORD_KEYS}
        steps = self.record["step"]
        if len(steps) == 0 or any(len(self.record[k]) != len(steps) for k in RECORD_KEYS):
            raise ValueError("record must hold at least one snapshot, and as many of each entry as of 'step'")
        if self.record["images"].dtype != np.uint8:
            raise ValueError(f"record['images'] must be uint8 grey levels (0-255), got {self.record['images'].dtype}")
        if not -len(steps) <= index < len(steps):
            raise ValueError(f"index={index} must pick one of the {len(steps)} snapshots (negative counts from the end)")
        self.steps = [int(s) for s in steps]
        self.step = w.SelectionSlider(options=self.steps, value=self.steps[index], description="training step",
                                      style={"description_width": "initial"}, continuous_update=True,
                                      layout={"width": "420px"})
        images = self.record["images"]
        fig = Figure(figsize=(9.5, 4.4), layout="constrained")
        grid = fig.add_gridspec(2, 2, width_ratios=[1, 1.25])
        ax_img, ax_bar, ax_fid = fig.add_subplot(grid[:, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 1])
        self.grid = ax_img.imshow(tile_images(images[0], nrow=int(np.sqrt(images.shape[1]))), cmap="gray",
                                  vmin=0, vmax=255, interpolation="nearest")  # no resampling filter: cheaper frames
        ax_img.set_axis_off()
        self.title = ax_img.set_title("64 fixed latent vectors, step 0")  # a placeholder the layout makes room for
        self.bars = ax_bar.bar(range(10), self.record["shares"][0], color="tab:blue")
        ax_bar.axhline(0.1, color="k", ls=":", lw=1, label="uniform (0.1)")
        top = max(0.3, 1.05 * float(self.record["shares"][1:].max(initial=0)))  # the untrained start may be off the chart
        ax_bar.set(xticks=range(10), ylim=(0, top), xlabel="digit (the judge's label)", ylabel="share of the samples")
        ax_bar.legend(loc="upper right", fontsize=8)
        ax_fid.plot(steps, self.record["fid"], "o-", ms=3, color="tab:red", label="judge FID (left)")
        ax_fid.set(yscale="log", xlabel="training step", ylabel="FID (log)")
        ax_is = ax_fid.twinx()
        ax_is.plot(steps, self.record["inception_score"], "s-", ms=3, color="tab:green", label="judge IS (right)")
        if real_is is not None:
            ax_is.axhline(float(real_is), color="tab:green", ls=":", lw=1, label=f"real digits' IS ({float(real_is):.2f})")
        ax_is.set(ylim=(0, 10.5), ylabel="IS")
        handles = [*ax_fid.get_legend_handles_labels()[0], *ax_is.get_legend_handles_labels()[0]]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8)
        self.cursor = ax_fid.axvline(steps[0], color="k", lw=1)
        super().__init__(fig, [self.step], dynamic=[self.grid, self.title, *self.bars, self.cursor], live=live)

    def _update(self) -> dict:
        i = self.steps.index(self.step.value)
        images = self.record["images"][i]
        self.grid.set_data(tile_images(images, nrow=int(np.sqrt(len(images)))))
        self.title.set_text(f"{len(images)} fixed latent vectors, step {self.steps[i]}")
        for bar, share in zip(self.bars, self.record["shares"][i]):
            bar.set_height(share)
        self.cursor.set_xdata([self.steps[i]])
        return {"step": self.steps[i], "classes": int(self.record["classes"][i]),
                "IS": float(self.record["inception_score"][i]), "FID": float(self.record["fid"][i])}


class LatentWalk(Dashboard):
    """Walk from one latent vector to another, the straight way (lerp) and along the sphere (slerp).

    Top: the two paths decoded by ``G`` in ``n_steps`` images each. Bottom left: the norm of z
    along each path, beside the shell where a d-dimensional standard Gaussian's draws lie
    (norm about sqrt(d)). Bottom right: the digits at the slider's position on each path.
    ``pair`` (a number) draws the two ends, from its own seed.
    """

    def __init__(self, G, *, pair: int = 0, n_steps: int = 9, t: float = 0.5, live: bool = True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        if not isinstance(getattr(G, "z_dim", None), int):
            raise ValueError(f"G must be a generator with an int z_dim (e.g. pretrained('dcgan')['G']), "
                             f"got {type(G).__name__}")
        if getattr(G, "training", False):
            raise ValueError("G is in training mode: its batch norm would normalize over the walk's few points "
                             "and update its running statistics; call G.eval() first")
        if not isinstance(n_steps, int) or n_steps < 2:
            raise ValueError(f"n_steps={n_steps!r} must be an int >= 2 (the path's ends and what lies between)")
        self.G, self.n_steps = G, n_steps
        self.z_dim = G.z_dim
        self.t = slider("position on the path t", t, 0.0, 1.0, 0.01)
        self.pair = w.BoundedIntText(value=pair, min=0, max=10**6, description="pair of ends (seed)",
                                     style={"description_width": "initial"})
        fig = Figure(figsize=(8.6, 4.3), layout="constrained")
        grid = fig.add_gridspec(2, 3, height_ratios=[1.1, 1], width_ratios=[2.4, 1, 1])
        ax_strips = fig.add_subplot(grid[0, :])
        ax_norm, ax_lerp, ax_slerp = (fig.add_subplot(grid[1, i]) for i in range(3))
        blank = np.zeros((2 * 30 + 2, n_steps * 30 + 2))
        self.strips = ax_strips.imshow(blank, cmap="gray", vmin=-1, vmax=1)
        ax_strips.set_axis_off()
        ax_strips.set_title("top row: lerp (straight line); bottom row: slerp (constant angular speed)")
        self.t_grid = np.linspace(0, 1, 101)
        (self.norm_lerp,) = ax_norm.plot([], [], color="tab:orange", label="lerp")
        (self.norm_slerp,) = ax_norm.plot([], [], color="tab:blue", label="slerp")
        ax_norm.axhline(np.sqrt(self.z_dim), color="k", ls=":", lw=1, label=r"$\sqrt{d}$")
        (self.dots,) = ax_norm.plot([], [], "ko", ms=5)
        self.cursor = ax_norm.axvline(t, color="k", lw=1)
        ax_norm.set(xlim=(0, 1), ylim=(0, 1.35 * np.sqrt(self.z_dim)), xlabel="t", ylabel="‖z‖")
        ax_norm.legend(loc="lower left", fontsize=8)
        self.digits = {}
        for name, ax in (("lerp", ax_lerp), ("slerp", ax_slerp)):
            self.digits[name] = ax.imshow(np.zeros((28, 28)), cmap="gray", vmin=-1, vmax=1)
            ax.set_axis_off()
            ax.set_title(f"G({name}(t))")  # t and the norms are in the readout
        dynamic = [self.digits["lerp"], self.digits["slerp"], self.cursor, self.dots]
        super().__init__(fig, [self.t, self.pair], dynamic=dynamic, live=live)

    def ends(self):
        """The two latent vectors of the current pair (seed ``pair``), each of shape (d,)."""
        import torch

        z = torch.randn(2, self.z_dim, generator=torch.Generator().manual_seed(int(self.pair.value)))
        return z[0], z[1]

    def _decode(self, z):
        import torch

        device = next(self.G.parameters()).device
        with torch.no_grad():
            return self.G(z.to(device)).cpu().numpy()

    def _update(self) -> dict:
        import torch

        from gan_course.latents import lerp, slerp

        z0, z1 = self.ends()
        if getattr(self, "_pair", None) != self.pair.value:  # new ends: redraw the strips and norm curves
            self._pair = self.pair.value
            self.invalidate()
            t = torch.linspace(0, 1, self.n_steps)
            self.strips.set_data(tile_images(self._decode(torch.cat([lerp(z0, z1, t), slerp(z0, z1, t)])),
                                             nrow=self.n_steps))
            self.norm_lerp.set_data(self.t_grid, lerp(z0, z1, self.t_grid).norm(dim=1).numpy())
            self.norm_slerp.set_data(self.t_grid, slerp(z0, z1, self.t_grid).norm(dim=1).numpy())
        t = float(self.t.value)
        points = torch.cat([lerp(z0, z1, [t]), slerp(z0, z1, [t])])
        images = self._decode(points)
        norms = points.norm(dim=1).numpy()
        for name, image in zip(("lerp", "slerp"), images):
            self.digits[name].set_data(image[0])
        self.cursor.set_xdata([t])
        self.dots.set_data([t, t], norms)
        return {"t": t, "‖z‖ lerp": float(norms[0]), "‖z‖ slerp": float(norms[1]),
                "√d": float(np.sqrt(self.z_dim))}
