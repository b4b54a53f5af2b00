"""Lesson 09: turn an InfoGAN's codes by hand."""

from __future__ import annotations

import numpy as np

from gan_course.plotting import tile_images
from gan_course.widgets.base import Dashboard, slider


class CodeDashboard(Dashboard):
    """Pick the categorical code, move the continuous codes, and watch the digit redrawn.

    Left: ``G(z, c)`` for the chosen category and code values, large. Right, from the same z:
    every category at the current continuous codes (top row), then the current category with
    the first continuous code swept over [-2, 2] and with the second swept (the sliders' range
    [-1, 1] is where training drew the codes; the sweeps go twice as far, where G was never fed).
    ``z`` comes from the seed ``noise``. With ``judge`` the readout gives the judge's label of
    the large digit and its probability; ``names`` (category -> text, e.g. the matched digit)
    labels the categories. The first two continuous codes get sliders; any further ones stay at 0.

    Parameters
    ----------
    G : generator ``G(z, c)`` with ``z_dim`` and ``cond_dim = n_cat + n_cont``, in eval mode
    codes : gan_course.latents.InfoCodes, the sampler G was trained with
    """

    def __init__(self, G, codes, *, judge=None, names=None, category: int = 0, noise: int = 0,
                 n_sweep: int = 9, live: bool = True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        n_cat, n_cont = getattr(codes, "n_cat", None), getattr(codes, "n_cont", None)
        if n_cat is None or n_cont is None:
            raise ValueError(f"codes must be an InfoCodes sampler (with n_cat and n_cont), got {type(codes).__name__}")
        if n_cont < 1:
            raise ValueError(f"codes has n_cont={n_cont}; the dashboard needs at least one continuous code")
        if getattr(G, "cond_dim", None) != n_cat + n_cont or getattr(G, "z_dim", None) != codes.shape[0]:
            raise ValueError(f"G must take z of {codes.shape[0]} values and a code of {n_cat + n_cont} "
                             f"(n_cat + n_cont), got z_dim={getattr(G, 'z_dim', None)}, cond_dim={getattr(G, 'cond_dim', None)}")
        if getattr(G, "training", False):
            raise ValueError("G is in training mode: its batch norm would normalize over the dashboard's few "
                             "images; call G.eval() first")
        if not isinstance(category, int) or not 0 <= category < n_cat:
            raise ValueError(f"category={category!r} must be an int in 0 .. {n_cat - 1}")
        if not isinstance(n_sweep, int) or n_sweep < 2:
            raise ValueError(f"n_sweep={n_sweep!r} must be an int >= 2")
        names = names or {}
        self.G, self.codes, self.judge, self.n_sweep = G, codes, judge, n_sweep
        labels = [f"{k}" + (f" ({names[k]})" if k in names else "") for k in range(n_cat)]
        self.category = w.Dropdown(options=list(zip(labels, range(n_cat))), value=category, description="category c1",
                                   style={"description_width": "initial"})
        self.cont = [slider(f"c{i + 2}", 0.0, -1.0, 1.0, 0.1) for i in range(min(n_cont, 2))]
        self.noise = w.BoundedIntText(value=noise, min=0, max=10**6, description="noise z (seed)",
                                      style={"description_width": "initial"})
        fig = Figure(figsize=(8.4, 3.6), layout="constrained")
        grid = fig.add_gridspec(3, 2, width_ratios=[1, 2.6])
        ax_big = fig.add_subplot(grid[:, 0])
        self.big = ax_big.imshow(np.zeros((28, 28)), cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
        ax_big.set_axis_off()
        ax_big.set_title("G(z, c)")
        self.rows = []
        titles = ["every category at these c2, c3", *[f"c{i + 2} from -2 to 2 (training drew -1 to 1)"
                                                        for i in range(len(self.cont))]]
        for r, title in enumerate(titles):
            ax = fig.add_subplot(grid[r, 1])
            width = n_cat if r == 0 else n_sweep
            self.rows.append(ax.imshow(tile_images(np.zeros((width, 1, 28, 28)), nrow=width), cmap="gray",
                                       vmin=-1, vmax=1, interpolation="nearest"))
            ax.set_axis_off()
            ax.set_title(title, fontsize=9)
        super().__init__(fig, [self.category, *self.cont, self.noise], dynamic=[self.big, *self.rows], live=live)

    def condition(self, category, cont):
        """The code vectors (n, n_cat + n_cont) for categories ``category`` (n,) and values ``cont`` (n, n_cont)."""
        import torch

        one_hot = torch.nn.functional.one_hot(torch.as_tensor(category), self.codes.n_cat).float()
        return torch.cat([one_hot, torch.as_tensor(cont, dtype=torch.float32)], dim=1)

    def _update(self) -> dict:
        import torch

        n_cat, n_cont = self.codes.n_cat, self.codes.n_cont
        z = torch.randn(1, self.codes.shape[0], generator=torch.Generator().manual_seed(int(self.noise.value)))
        cont = torch.zeros(1, n_cont)
        for i, s in enumerate(self.cont):
            cont[0, i] = float(s.value)
        k = int(self.category.value)
        cats, conts = [k], [cont[0]]
        cats += list(range(n_cat))
        conts += [cont[0]] * n_cat
        sweep = torch.linspace(-2, 2, self.n_sweep)
        for i in range(len(self.cont)):
            for v in sweep:
                c = cont[0].clone()
                c[i] = v
                cats.append(k)
                conts.append(c)
        device = next(self.G.parameters()).device
        with torch.no_grad():
            images = self.G(z.expand(len(cats), -1).to(device), self.condition(cats, torch.stack(conts)).to(device)).cpu()
        self.big.set_data(images[0, 0].numpy())
        self.rows[0].set_data(tile_images(images[1:1 + n_cat], nrow=n_cat))
        for i, row in enumerate(self.rows[1:]):
            start = 1 + n_cat + i * self.n_sweep
            row.set_data(tile_images(images[start:start + self.n_sweep], nrow=self.n_sweep))
        values = {"category": k, **{s.description: float(s.value) for s in self.cont}}
        if self.judge is not None:
            judge_device = next(self.judge.parameters()).device
            with torch.no_grad():
                p = torch.softmax(self.judge.eval()(images[:1].to(judge_device)), dim=1)[0].cpu()
            values.update({"judge reads": int(p.argmax()), "with probability": float(p.max())})
        return values
