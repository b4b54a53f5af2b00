"""Lesson 04: walk the latent plane of a 2-D VAE, and slide the weight of its KL term."""

from __future__ import annotations

import math

import numpy as np

from gan_course.plotting import tile_images
from gan_course.widgets.base import Dashboard, slider

CLASS_COLORS = "tab10"


def _device(model):
    return next(model.parameters()).device


def _encode(model, x):
    import torch

    with torch.no_grad():
        return model.encode(torch.as_tensor(x).to(_device(model)))[0].cpu().numpy()


def _decode(model, z):
    import torch

    z = torch.as_tensor(np.asarray(z, dtype=np.float32)).reshape(-1, 2).to(_device(model))
    return model.images(z).cpu().numpy()


def _reconstruct(model, x):
    return _decode(model, _encode(model, x))


def _check_2d(model):
    if getattr(model, "latent_dim", None) != 2:
        raise ValueError(f"model must be a VAE with a 2-D latent (latent_dim=2), got latent_dim="
                         f"{getattr(model, 'latent_dim', None)}")


class LatentExplorer(Dashboard):
    """Move z over the latent plane of a 2-D VAE and watch the decoded digit.

    Left: the encoded means of held-out digits, coloured by class, and the current z
    (the sliders move it: a click would land elsewhere on a canvas shrunk to fit the
    screen, since ipympl maps clicks by CSS pixels). Right: the digit decoded
    from z. Below: the straight path in latent space from held-out digit ``start``
    to digit ``end``, decoded in ``steps`` images.

    The window is square, at least +-4 and wide enough for every encoded digit; z starts at
    ``z`` or, by default, at digit ``start``'s code (rounded to the sliders' 0.05 grid), so
    the explorer opens on a digit the decoder draws, not in a hole of the prior.
    """

    LIM = 4.0  # the smallest half-width of the window

    def __init__(self, model, x, y, *, z=None, start: int = 0, end: int = 1, steps: int = 10,
                 live: bool = True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        _check_2d(model)
        self.model, self.x, self.y, self.steps = model, x, np.asarray(y), steps
        for name, index in (("start", start), ("end", end)):
            if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(x):
                raise ValueError(f"{name}={index!r} must be the index of a held-out image, 0 .. {len(x) - 1}")
        self.mu = _encode(model, x)
        self.lim = max(self.LIM, math.ceil(1.05 * float(np.abs(self.mu).max()) * 2) / 2)
        z = np.round(self.mu[start] / 0.05) * 0.05 if z is None else z
        self.z1 = slider("z₁", float(z[0]), -self.lim, self.lim, 0.05)
        self.z2 = slider("z₂", float(z[1]), -self.lim, self.lim, 0.05)
        self.start = w.BoundedIntText(value=start, min=0, max=len(x) - 1, description="path from held-out #")
        self.end = w.BoundedIntText(value=end, min=0, max=len(x) - 1, description="to #")
        for box in (self.start, self.end):
            box.style.description_width = "initial"
        fig = Figure(figsize=(8.4, 4.6), layout="constrained")
        grid = fig.add_gridspec(2, 2, height_ratios=[3, 0.9], width_ratios=[1.4, 1])
        ax_map, ax_digit, ax_path = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, :])
        points = ax_map.scatter(*self.mu.T, c=np.asarray(y), cmap=CLASS_COLORS, vmin=-0.5, vmax=9.5, s=5, alpha=0.6)
        fig.colorbar(points, ax=ax_map, ticks=range(10), label="digit")
        (self.path_line,) = ax_map.plot([], [], "k-o", lw=1.5, ms=4)
        (self.marker,) = ax_map.plot([], [], "X", color="k", mec="w", ms=14)
        ax_map.set(xlim=(-self.lim, self.lim), ylim=(-self.lim, self.lim), aspect="equal", xlabel="z₁", ylabel="z₂",
                   title="held-out digits, encoded (means)")
        self.digit = ax_digit.imshow(np.zeros((28, 28)), cmap="gray", vmin=0, vmax=1)
        ax_digit.set_axis_off()
        self.digit_title = ax_digit.set_title("")
        self.path_image = ax_path.imshow(np.zeros((32, 30 * steps + 2)), cmap="gray", vmin=0, vmax=1, aspect="equal")
        ax_path.set_axis_off()
        self.path_title = ax_path.set_title("")
        dynamic = [self.marker, self.digit, self.digit_title]  # the path is redrawn in full, and only when it moves
        super().__init__(fig, [self.z1, self.z2, self.start, self.end], dynamic=dynamic, live=live)

    def path(self) -> np.ndarray:
        """The ``steps`` latent points from digit ``start``'s mean to digit ``end``'s, shape (steps, 2)."""
        t = np.linspace(0, 1, self.steps)[:, None]
        return (1 - t) * self.mu[self.start.value] + t * self.mu[self.end.value]

    def _update(self) -> dict:
        z = np.array([self.z1.value, self.z2.value])
        self.marker.set_data([z[0]], [z[1]])
        self.digit.set_data(_decode(self.model, z)[0, 0])
        self.digit_title.set_text(f"decoded from z = ({z[0]:.2f}, {z[1]:.2f})")
        path = self.path()
        a, b = self.start.value, self.end.value
        if getattr(self, "_path_ends", None) != (a, b):  # decode the path only when its ends move
            self._path_ends = (a, b)
            self.invalidate()  # the path is not blitted: the next refresh draws all
            self.path_line.set_data(path[:, 0], path[:, 1])
            self.path_image.set_data(tile_images(_decode(self.model, path), nrow=self.steps))
            self.path_title.set_text(f"the straight path from held-out image #{a} (a {self.y[a]}) to #{b} (a {self.y[b]})")
        return {"z₁": float(z[0]), "z₂": float(z[1]), "path length": float(np.linalg.norm(path[-1] - path[0]))}


class BetaDashboard(Dashboard):
    """Choose the KL weight beta among VAEs trained with it: reconstructions and the latent codes.

    ``runs`` maps beta to a trained 2-D VAE. Left: held-out digits ``x_show``, 8 per row,
    each row followed by its reconstructions. Right: the encoded means of ``x``, coloured by ``y``, over the
    prior's 1, 2 and 3 sigma circles; codes beyond the axes are pinned to the edge.
    The readout gives the held-out reconstruction term, the KL and the negative ELBO
    (at beta = 1, the true bound), in nats per image.
    """

    LIM = 6.0

    def __init__(self, runs: dict, x_show, x, y, *, beta=None, live: bool = True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        from gan_course.elbo import evaluate

        if not runs:
            raise ValueError("runs must map at least one beta to a trained VAE")
        for model in runs.values():
            _check_2d(model)
        self.betas = sorted(runs)
        self.runs, self.x_show = runs, x_show
        self.codes = {b: np.clip(_encode(m, x), -self.LIM, self.LIM) for b, m in runs.items()}
        self.recons = {b: self._pairs(np.asarray(x_show), _reconstruct(m, x_show)) for b, m in runs.items()}
        self.scores = {b: evaluate(m, x) for b, m in runs.items()}
        self.beta = w.SelectionSlider(options=self.betas, value=beta if beta is not None else self.betas[0],
                                      description="KL weight β", style={"description_width": "initial"})
        fig = Figure(figsize=(10, 4.4), layout="constrained")
        ax_rec, ax_lat = fig.subplots(1, 2, width_ratios=[1.5, 1])
        self.recon_image = ax_rec.imshow(self.recons[self.betas[0]], cmap="gray", vmin=0, vmax=1)
        ax_rec.set_axis_off()
        ax_rec.set_title("held-out digits, each row followed by its reconstructions")
        theta = np.linspace(0, 2 * np.pi, 200)
        for r in (1, 2, 3):
            ax_lat.plot(r * np.cos(theta), r * np.sin(theta), color="gray", lw=0.7, ls=":")
        self.points = ax_lat.scatter(*self.codes[self.betas[0]].T, c=np.asarray(y), cmap=CLASS_COLORS,
                                     vmin=-0.5, vmax=9.5, s=5, alpha=0.6)
        ax_lat.set(xlim=(-self.LIM, self.LIM), ylim=(-self.LIM, self.LIM), aspect="equal", xlabel="z₁", ylabel="z₂",
                   title="codes (means); circles: prior's 1, 2, 3σ")
        super().__init__(fig, [self.beta], dynamic=[self.recon_image, self.points], live=live)

    @staticmethod
    def _pairs(originals, recons, per_row: int = 8):
        """Rows of ``per_row`` originals, each followed by a row of their reconstructions (black fill)."""
        rows = []
        for i in range(0, len(originals), per_row):
            for block in (originals[i:i + per_row], recons[i:i + per_row]):
                rows += [block, np.zeros((per_row - len(block), *block.shape[1:]), dtype=block.dtype)]
        return tile_images(np.concatenate(rows), nrow=per_row)

    def _update(self) -> dict:
        beta = self.beta.value
        self.recon_image.set_data(self.recons[beta])
        self.points.set_offsets(self.codes[beta])
        s = self.scores[beta]
        return {"β": float(beta), "reconstruction": s["recon"], "KL": s["kl"], "−ELBO": s["neg_elbo"]}
