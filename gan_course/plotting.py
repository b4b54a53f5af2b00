"""Figures used in more than one place: image grids, toy samples, loss curves, critic fields.

Each ``plot_*`` draws into an Axes (a new one when none is given), labels its axes and
returns it; nothing here picks a matplotlib backend. Where a dashboard moves its artists
in place (``set_data``), it shares the computation instead: :func:`loss_curves` and
:func:`critic_field` return the numbers a ``plot_*`` draws.
"""

from __future__ import annotations

import numpy as np

from gan_course._checks import check_all_finite, check_count, check_positive


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
    arr = check_all_finite("images", images.detach().cpu().numpy() if hasattr(images, "detach") else np.asarray(images))
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
    ax.set(aspect="equal", xlabel="x₁", ylabel="x₂",
           title=title or f"{data.name}: {len(data.centers)} centres, std {data.std:.3g}")
    return ax


def loss_curves(history: dict, last: int | None = None):
    """The steps and both players' losses of a :class:`~gan_course.train.Trainer` history.

    Parameters
    ----------
    history : dict
        ``Trainer.history``: lists under ``"step"``, ``"d_loss"`` and ``"g_loss"``, one entry a step.
    last : int, optional
        Keep only the latest ``last`` steps (a moving window); all of them by default.

    Returns
    -------
    steps, d_loss, g_loss : ndarray, shape (n,)
    """
    missing = [key for key in ("step", "d_loss", "g_loss") if key not in history]
    if missing:
        raise ValueError(f"history must hold the lists 'step', 'd_loss' and 'g_loss' of a Trainer; missing {missing}")
    start = -check_count("last", last, minimum=1) if last is not None else 0
    steps, d_loss, g_loss = (np.asarray(history[key][start:], dtype=float) for key in ("step", "d_loss", "g_loss"))
    if not len(steps) == len(d_loss) == len(g_loss):
        raise ValueError(f"history's lists must have one entry a step, got lengths "
                         f"{len(steps)}, {len(d_loss)}, {len(g_loss)}")
    return steps, d_loss, g_loss


def plot_losses(history: dict, *, ax=None, last: int | None = None, title: str = "losses"):
    """D and G losses against the step, from a :class:`~gan_course.train.Trainer` history
    (the latest ``last`` steps, or all)."""
    steps, d_loss, g_loss = loss_curves(history, last)
    ax = _axes(ax, figsize=(5, 3.5))
    ax.plot(steps, d_loss, label="D loss")
    ax.plot(steps, g_loss, label="G loss")
    ax.set(xlabel="step", ylabel="loss", title=title)
    ax.legend()
    return ax


def critic_field(D, extent: float, n: int = 60):
    """A 2-D -> 1 network (critic or discriminator) evaluated on an n x n grid over
    :math:`[-\\mathrm{extent}, \\mathrm{extent}]^2`.

    ``D`` gets the grid as one float32 tensor of shape (n * n, 2), on the device of its
    parameters, under ``torch.no_grad()``; the values are D's raw outputs (logits for a
    discriminator trained with ``BCEWithLogitsLoss``).

    Returns
    -------
    xs, ys : ndarray, shape (n,)
        The grid's coordinates, ``np.linspace(-extent, extent, n)`` both.
    values : ndarray, shape (n, n)
        ``values[i, j] = D((xs[j], ys[i]))``: rows go up in x₂, as ``imshow(..., origin="lower")`` shows them.
    """
    import torch

    extent, n = check_positive("extent", extent), check_count("n", n, minimum=2)
    xs = np.linspace(-extent, extent, n)
    grid = torch.from_numpy(np.stack(np.meshgrid(xs, xs), -1).reshape(-1, 2).astype(np.float32))
    params = list(D.parameters()) if hasattr(D, "parameters") else []
    with torch.no_grad():
        out = D(grid.to(params[0].device if params else "cpu"))
    if out.numel() != n * n:
        raise ValueError(f"D must map each point of R^2 to one number, got output shape {tuple(out.shape)}")
    return xs, xs.copy(), out.reshape(n, n).cpu().numpy()


def plot_critic_field(D, extent: float, n: int = 120, *, ax=None, title: str = "critic output", cmap: str = "RdBu_r"):
    """Heat map of :func:`critic_field` over :math:`[-\\mathrm{extent}, \\mathrm{extent}]^2` (red high, blue low)."""
    xs, ys, values = critic_field(D, extent, n)
    half = (xs[1] - xs[0]) / 2  # pixel centres sit on the grid points
    ax = _axes(ax)
    ax.imshow(values, extent=(xs[0] - half, xs[-1] + half, ys[0] - half, ys[-1] + half), origin="lower", cmap=cmap)
    ax.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]), xlabel="x₁", ylabel="x₂", title=title, aspect="equal")
    return ax
