"""Lesson 01: KL, JS and TV between two distributions; forward vs reverse KL fits."""

from __future__ import annotations

import numpy as np
from scipy.special import rel_entr

from gan_course.distributions import gaussian_on_grid, two_mode_density
from gan_course.divergences import fit_gaussian, js, kl, tv
from gan_course.widgets.base import Dashboard, slider


class DivergenceDashboard(Dashboard):
    """KL both ways, JS and TV between a two-mode p and a Gaussian q, with their pointwise integrands.

    p = ``two_mode_density(x, p_gap, p_weight, 0.6)``; q = N(q_mean, q_std^2). The
    integrands are the terms whose integrals are the divergences:
    :math:`p \\log(p/q)`, :math:`q \\log(q/p)` and
    :math:`\\tfrac12 p \\log(p/m) + \\tfrac12 q \\log(q/m)`.
    """

    P_STD = 0.6

    def __init__(self, q_mean=0.0, q_std=1.0, p_gap=4.0, p_weight=0.5, live=True):
        from matplotlib.figure import Figure

        self.x = np.linspace(-10, 10, 2001)
        self.q_mean = slider("q mean", q_mean, -6, 6, 0.1)
        self.q_std = slider("q std", q_std, 0.2, 4, 0.1)
        self.p_gap = slider("p gap", p_gap, 0, 8, 0.1)
        self.p_weight = slider("p left weight", p_weight, 0, 1, 0.05)
        fig = Figure(figsize=(9, 3.3), layout="constrained")
        ax_d, ax_i = fig.subplots(1, 2)
        (self.p_line,) = ax_d.plot(self.x, self.x * 0, color="tab:blue", lw=2, label="p")
        (self.q_line,) = ax_d.plot(self.x, self.x * 0, color="tab:orange", lw=2, label="q")
        ax_d.set(title="densities", xlim=(-8, 8), ylim=(0, 1.0), xlabel="x")
        ax_d.legend(loc="upper right")
        (self.kl_pq_line,) = ax_i.plot(self.x, self.x * 0, color="tab:blue", label="$p\\,\\log(p/q)$ → KL(p‖q)")
        (self.kl_qp_line,) = ax_i.plot(self.x, self.x * 0, color="tab:orange", label="$q\\,\\log(q/p)$ → KL(q‖p)")
        (self.js_line,) = ax_i.plot(self.x, self.x * 0, color="k", lw=2, label="JS integrand")
        ax_i.axhline(0, color="gray", lw=0.5)
        ax_i.set(title="pointwise integrands (area = divergence)", xlim=(-8, 8), ylim=(-0.5, 2.0),
                 xlabel="x (curves clipped at 2)")
        ax_i.legend(loc="upper right", fontsize=8)
        super().__init__(fig, [self.q_mean, self.q_std, self.p_gap, self.p_weight],
                         dynamic=[self.p_line, self.q_line, self.kl_pq_line, self.kl_qp_line, self.js_line], live=live)

    def densities(self):
        p = two_mode_density(self.x, self.p_gap.value, self.p_weight.value, self.P_STD)
        return p, gaussian_on_grid(self.x, self.q_mean.value, self.q_std.value)

    def _update(self) -> dict:
        p, q = self.densities()
        m = (p + q) / 2
        self.p_line.set_ydata(p)
        self.q_line.set_ydata(q)
        self.kl_pq_line.set_ydata(rel_entr(p, q))
        self.kl_qp_line.set_ydata(rel_entr(q, p))
        self.js_line.set_ydata(0.5 * rel_entr(p, m) + 0.5 * rel_entr(q, m))
        x = self.x
        return {"KL(p||q)": kl(p, q, x=x), "KL(q||p)": kl(q, p, x=x), "JS": js(p, q, x=x), "TV": tv(p, q, x=x)}


class KLFitDashboard(Dashboard):
    """Fit one Gaussian to a two-mode p by forward KL (mode covering) and reverse KL (mode seeking)."""

    def __init__(self, gap=6.5, weight=0.5, live=True):
        from matplotlib.figure import Figure

        self.x = np.linspace(-12, 12, 1201)
        self.gap = slider("mode separation", gap, 0, 8, 0.25)
        self.weight = slider("left mode weight", weight, 0.05, 0.95, 0.05)
        fig = Figure(figsize=(7, 3.4), layout="constrained")
        ax = fig.subplots()
        (self.p_line,) = ax.plot(self.x, self.x * 0, color="gray", lw=3, alpha=0.6, label="p (two modes)")
        (self.fwd_line,) = ax.plot(self.x, self.x * 0, color="tab:blue", lw=2, label="argmin KL(p‖q): covers")
        (self.rev_line,) = ax.plot(self.x, self.x * 0, "--", color="tab:red", lw=2, label="argmin KL(q‖p): seeks")
        ax.set(xlim=(-8, 8), ylim=(0, 0.45), xlabel="x", ylabel="density", title="one Gaussian q fitted to p")
        fig.legend(loc="outside lower center", ncol=3, fontsize=8)  # below the axes: a fit may peak anywhere
        super().__init__(fig, [self.gap, self.weight], dynamic=[self.p_line, self.fwd_line, self.rev_line], live=live)

    def _update(self) -> dict:
        p = two_mode_density(self.x, self.gap.value, self.weight.value)
        (mf, sf), (mr, sr) = fit_gaussian(p, self.x, "forward"), fit_gaussian(p, self.x, "reverse")
        q_fwd, q_rev = gaussian_on_grid(self.x, mf, sf), gaussian_on_grid(self.x, mr, sr)
        self.p_line.set_ydata(p)
        self.fwd_line.set_ydata(q_fwd)
        self.rev_line.set_ydata(q_rev)
        return {"forward mean": mf, "forward std": sf, "KL(p||q_fwd)": kl(p, q_fwd, x=self.x),
                "reverse mean": mr, "reverse std": sr, "KL(q_rev||p)": kl(q_rev, p, x=self.x)}
