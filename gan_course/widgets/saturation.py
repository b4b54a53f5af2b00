"""Lesson 02: as q moves off p, JS saturates at log 2 while W1 keeps growing."""

from __future__ import annotations

import math

import numpy as np

from gan_course.distributions import SHAPES, shifted_pair
from gan_course.divergences import all_distances, optimal_discriminator
from gan_course.widgets.base import Dashboard, slider


class SaturationDashboard(Dashboard):
    """Slide q away from p: its density and the optimal discriminator on the left, the distances
    against the shift on the right with a marker at the slider.

    The grid points sit at bin centres ``(k + 1/2) * 0.01``, so box edges fall between
    them and the box values are exact for shifts in steps of 0.01.
    """

    KL_CLIP = 3.0

    def __init__(self, theta: float = 0.5, shape: str = "box", live: bool = True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        self.x = -1.5 + (np.arange(650) + 0.5) * 0.01
        self.thetas = np.round(np.arange(0, 3.001, 0.05), 2)
        self.curves = {s: self._sweep(s) for s in SHAPES}
        self.theta = slider("shift θ", theta, 0, 3, 0.05)
        self.shape = w.ToggleButtons(options=SHAPES, value=shape, description="shape")
        fig = Figure(figsize=(9, 3.3), layout="constrained")
        ax_d, ax_c = fig.subplots(1, 2)
        (self.p_line,) = ax_d.plot(self.x, self.x * 0, color="tab:blue", lw=2, label="p (real)")
        (self.q_line,) = ax_d.plot(self.x, self.x * 0, color="tab:orange", lw=2, label="q (generated)")
        (self.d_line,) = ax_d.plot(self.x, self.x * 0, "k--", lw=1.5, label="D*(x) = p / (p + q)")
        ax_d.set(xlim=(-1, 5), ylim=(0, 1.6), xlabel="x", title="densities and the optimal discriminator")
        ax_d.legend(loc="upper right", fontsize=8)
        ax_c.axhline(math.log(2), color="k", lw=0.5, ls=":")
        ax_c.text(3.0, math.log(2) + 0.04, "log 2", ha="right", fontsize=8)
        styles = {"JS": "k", "TV": "tab:green", "W1": "tab:purple", "KL(p||q)": "tab:red"}
        self.curve_lines = {k: ax_c.plot([], [], color=c, lw=2, label=k)[0] for k, c in styles.items()}
        (self.markers,) = ax_c.plot([], [], "o", color="k", ms=6)
        self.kl_text = ax_c.text(0.15, 2.75, "", color="tab:red", fontsize=9)
        ax_c.set(xlim=(0, 3), ylim=(0, self.KL_CLIP), xlabel="shift θ", title="distance from p to q vs shift")
        ax_c.legend(loc="center right", fontsize=8)
        dynamic = [self.p_line, self.q_line, self.d_line, *self.curve_lines.values(), self.markers, self.kl_text]
        super().__init__(fig, [self.theta, self.shape], dynamic=dynamic, live=live)

    def _sweep(self, shape: str) -> dict:
        rows = [all_distances(self.x, *shifted_pair(self.x, t, shape)) for t in self.thetas]
        return {k: np.array([r[k] for r in rows]) for k in rows[0]}

    def _update(self) -> dict:
        theta, shape = self.theta.value, self.shape.value
        p, q = shifted_pair(self.x, theta, shape)
        values = {"θ": theta, **all_distances(self.x, p, q)}
        self.p_line.set_ydata(p)
        self.q_line.set_ydata(q)
        self.d_line.set_ydata(optimal_discriminator(p, q))
        curves = self.curves[shape]
        for key, line in self.curve_lines.items():
            line.set_data(self.thetas, np.minimum(curves[key], self.KL_CLIP))
        shown = [values[k] for k in self.curve_lines]
        self.markers.set_data([theta] * len(shown), np.minimum(shown, self.KL_CLIP))
        self.kl_text.set_text("KL(p||q) = +∞ for every θ > 0" if shape == "box" else "")
        return values
