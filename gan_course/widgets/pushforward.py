"""Lesson 00: noise pushed through a generator, histogram against the change-of-variables density."""

from __future__ import annotations

import numpy as np
from scipy import stats

from gan_course.distributions import warp
from gan_course.widgets.base import Dashboard, slider


class PushforwardDashboard(Dashboard):
    """Noise z ~ N(0, 1) pushed through ``warp(z, a, b)``: histogram of x against the exact density.

    Readout: the sample mean and std of x, the number of modes of the exact
    density, and the total variation between the histogram and the exact bin
    probabilities (small when the change-of-variables formula is right).
    """

    def __init__(self, a: float = 1.5, b: float = 3.0, n: int = 20_000, seed: int = 0, live: bool = True):
        from matplotlib.figure import Figure

        self.z = np.random.default_rng(seed).standard_normal(n)
        self.z_grid = np.linspace(-4.5, 4.5, 3001)
        self.edges = np.linspace(-8, 8, 81)
        self.a_slider = slider("a (gap)", a, 0.0, 3.0, 0.1)
        self.b_slider = slider("b (sharpness)", b, 0.5, 8.0, 0.5)
        fig = Figure(figsize=(9, 3), layout="constrained")
        ax_z, ax_g, ax_x = fig.subplots(1, 3)
        ax_z.stairs(np.histogram(self.z, bins=self.edges, density=True)[0], self.edges, fill=True, color="tab:gray")
        ax_z.plot(self.z_grid, stats.norm.pdf(self.z_grid), "k")
        ax_z.set(title="noise z ~ N(0, 1)", xlim=(-4.5, 4.5), xlabel="z")
        (self.map_line,) = ax_g.plot([], [], "tab:purple")
        ax_g.set(title="generator x = g(z)", xlim=(-4.5, 4.5), ylim=(-8, 8), xlabel="z", ylabel="x")
        ax_g.grid(alpha=0.3)
        self.hist = ax_x.stairs(np.zeros(len(self.edges) - 1), self.edges, fill=True, color="tab:blue",
                                alpha=0.6, label="histogram of g(z)")
        (self.density_line,) = ax_x.plot([], [], "k", label="$p_z(z)/g'(z)$")
        ax_x.set(title="output x = g(z)", xlim=(-8, 8), ylim=(0, 0.8), xlabel="x")
        ax_x.legend(loc="upper right", fontsize=8)
        super().__init__(fig, [self.a_slider, self.b_slider], dynamic=[self.map_line, self.hist, self.density_line],
                         live=live)

    def _update(self) -> dict:
        a, b = self.a_slider.value, self.b_slider.value
        x = warp(self.z, a, b)[0]
        g, slope = warp(self.z_grid, a, b)
        density = stats.norm.pdf(self.z_grid) / slope
        freq = np.histogram(x, bins=self.edges)[0] / len(x)
        self.hist.set_data(freq / np.diff(self.edges))
        self.map_line.set_data(self.z_grid, g)
        self.density_line.set_data(g, density)
        # exact bin probabilities: P(x in [e0, e1]) = Phi(g^-1(e1)) - Phi(g^-1(e0))
        cdf = stats.norm.cdf(np.interp(self.edges, g, self.z_grid, left=-np.inf, right=np.inf))
        inner = (density[1:-1] > density[:-2]) & (density[1:-1] > density[2:])
        return {"a": a, "b": b, "mean": float(x.mean()), "std": float(x.std()),
                "modes": int(inner.sum()), "TV(hist, exact)": float(0.5 * np.abs(freq - np.diff(cdf)).sum())}
