"""Figures for the lessons. Each ``plot_*`` draws into an Axes (a new one when none is given)
and returns it; nothing here picks a matplotlib backend."""

from __future__ import annotations

import numpy as np

from gan_course._checks import check_count


def _axes(ax, figsize=(4, 4)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def tile_images(images, nrow: int = 10, pad: int = 2) -> np.ndarray:
    """Lay ``images`` (N, 1, H, W) or (N, H, W) out as one 2-D array, ``nrow`` images per row.

    Gaps of ``pad`` pixels are filled with the minimum pixel value (the background);
    empty cells of the last row too.
    """
    arr = images.detach().cpu().numpy() if hasattr(images, "detach") else np.asarray(images)
    if arr.ndim == 4 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 3 or len(arr) == 0:
        raise ValueError(f"images must have shape (N, 1, H, W) or (N, H, W) with N > 0, got {arr.shape}")
    nrow = check_count("nrow", nrow, minimum=1)
    pad = check_count("pad", pad)
    n, h, w = arr.shape
    cols = min(nrow, n)
    rows = -(-n // cols)
    out = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad), arr.min(), dtype=np.float32)
    for i, img in enumerate(arr):
        r, c = divmod(i, cols)
        out[pad + r * (h + pad): pad + r * (h + pad) + h, pad + c * (w + pad): pad + c * (w + pad) + w] = img
    return out


def plot_image_grid(images, nrow: int = 10, *, ax=None, title=None, value_range=(-1, 1)):
    """Show a batch of grey images as one grid (black background, white strokes)."""
    tiled = tile_images(images, nrow)
    ax = _axes(ax, figsize=(nrow * 0.6, tiled.shape[0] / tiled.shape[1] * nrow * 0.6))
    ax.imshow(tiled, cmap="gray", vmin=value_range[0], vmax=value_range[1], interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def plot_toy(data, *, ax=None, title=None, max_points: int = 2000):
    """Scatter a :class:`~gan_course.distributions.ToyData` sample with its mode centres marked."""
    ax = _axes(ax)
    x = data.x[:max_points]
    ax.scatter(x[:, 0], x[:, 1], s=3, alpha=0.5, label="samples")
    if len(data.centers) <= 100:
        ax.scatter(data.centers[:, 0], data.centers[:, 1], marker="x", c="k", s=30, label="mode centres")
    else:
        ax.plot(data.centers[:, 0], data.centers[:, 1], "k-", lw=0.5, label="noise-free roll")
    ax.set_aspect("equal")
    ax.set_title(title or f"{data.name}: {len(data.centers)} centres, std {data.std:.3g}")
    return ax
