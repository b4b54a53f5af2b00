"""Lesson 03: piles of dirt moved at least cost, and the parallel lines of the WGAN paper."""

from __future__ import annotations

import numpy as np

from gan_course.distributions import PILE_BINS, parallel_lines, pile
from gan_course.divergences import parallel_lines_distances, wasserstein_1d
from gan_course.transport import cost_matrix, reference_plans, transport_plan
from gan_course.widgets.base import Dashboard, slider


class EarthMoverDashboard(Dashboard):
    """Two piles on 12 bins; the optimal plan drawn as flows (top) and as a matrix (right).

    With cost |x - y| optimal plans are rarely unique (any plan that never moves mass
    past other mass going the other way costs the same). The plan shown solves the
    program for |x - y| + 1e-6 |x - y|^2, which picks the monotone one among them; its
    cost is reported with |x - y| alone.
    """

    def __init__(self, p_mean=4.0, p_std=1.2, q_mean=6.5, q_std=2.5, live=True):
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure

        self.p_mean, self.p_std = slider("p centre", p_mean, 0, 11, 0.5), slider("p spread", p_std, 0.4, 4, 0.1)
        self.q_mean, self.q_std = slider("q centre", q_mean, 0, 11, 0.5), slider("q spread", q_std, 0.4, 4, 0.1)
        self.cost = cost_matrix(PILE_BINS, PILE_BINS)
        edges = np.arange(-0.5, 12.5)
        fig = Figure(figsize=(9, 3.4), layout="constrained")
        ax_f, ax_m = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        self.flows = LineCollection([], color="tab:gray", alpha=0.6)
        ax_f.add_collection(self.flows)
        self.p_pile = ax_f.stairs(np.ones(12), edges, baseline=1.0, fill=True, color="tab:blue", label="p (dirt)")
        self.q_pile = ax_f.stairs(np.zeros(12), edges, baseline=0.0, fill=True, color="tab:orange", label="q (holes)")
        ax_f.set(xlim=(-0.5, 11.5), ylim=(-2.6, 3.6), yticks=[], xlabel="bin",
                 title="moving p onto q: line width = mass moved")
        ax_f.legend(loc="upper right", fontsize=8)
        self.matrix = ax_m.imshow(np.zeros((12, 12)), cmap="Greys", origin="lower", vmin=0, vmax=1)
        ax_m.set(xlabel="to bin of q", ylabel="from bin of p", title="the optimal plan γ(i, j)")
        super().__init__(fig, [self.p_mean, self.p_std, self.q_mean, self.q_std],
                         dynamic=[self.flows, self.p_pile, self.q_pile, self.matrix], live=live)

    def piles(self):
        return pile(self.p_mean.value, self.p_std.value), pile(self.q_mean.value, self.q_std.value)

    def _update(self) -> dict:
        a, b = self.piles()
        best = transport_plan(a, b, self.cost + 1e-6 * self.cost**2)
        best = type(best)(best.plan, float(np.sum(best.plan * self.cost)))
        moves = np.argwhere(best.plan > 1e-4)
        self.flows.set_segments([[(PILE_BINS[i], 1.0), (PILE_BINS[j], 0.0)] for i, j in moves])
        self.flows.set_linewidths(best.plan[best.plan > 1e-4] * 40)
        self.p_pile.set_data(1.0 + 6 * a)
        self.q_pile.set_data(-6 * b)
        self.matrix.set_data(best.plan)
        self.matrix.set_clim(0, best.plan.max())
        others = {f"cost ({name} plan)": float(np.sum(plan * self.cost)) for name, plan in reference_plans(a, b).items()}
        return {"W1 (optimal plan)": best.cost, "W1 (CDF formula)": wasserstein_1d(PILE_BINS, PILE_BINS, a, b),
                **others}


class ParallelLinesDashboard(Dashboard):
    """Arjovsky et al. (2017), Example 1: P_0 on {0} x [0, 1] and P_theta on {theta} x [0, 1]."""

    CLIP = 1.5

    def __init__(self, theta=0.5, live=True):
        from matplotlib.figure import Figure

        self.theta = slider("θ", theta, -1, 1, 0.05)
        self.thetas = np.round(np.arange(-1, 1.0001, 0.05), 2)
        rows = [parallel_lines_distances(t) for t in self.thetas]
        self.curves = {k: np.array([r[k] for r in rows]) for k in rows[0]}
        fig = Figure(figsize=(9, 3.3), layout="constrained")
        ax_l, ax_c = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
        p0 = parallel_lines(0.0)[0]
        ax_l.plot(p0[:, 0], p0[:, 1], color="tab:blue", lw=3, label="$P_0$")
        (self.q_line,) = ax_l.plot([], [], color="tab:orange", lw=3, label="$P_\\theta$")
        ax_l.set(xlim=(-1.1, 1.1), ylim=(-0.1, 1.1), title="two parallel segments", xlabel="x")
        ax_l.legend(loc="lower left", fontsize=8)
        colors = {"W1": "tab:purple", "JS": "k", "KL(P0||Pθ)": "tab:red", "TV": "tab:green"}
        for key, color in colors.items():
            style = {"lw": 2} if key == "W1" else {"ls": "none", "marker": "."}  # the others jump at 0
            ax_c.plot(self.thetas, np.minimum(self.curves[key], self.CLIP), color=color, label=key, **style)
        (self.markers,) = ax_c.plot([], [], "ko", ms=6)
        ax_c.set(xlim=(-1, 1), ylim=(0, self.CLIP), xlabel="θ", title="distances against θ (KL = ∞ drawn at the top)")
        ax_c.legend(loc="lower right", fontsize=8)
        super().__init__(fig, [self.theta], dynamic=[self.q_line, self.markers], live=live)

    def _update(self) -> dict:
        theta = self.theta.value
        q = parallel_lines(theta)[1]
        self.q_line.set_data(q[:, 0], q[:, 1])
        values = parallel_lines_distances(theta)
        self.markers.set_data([theta] * 4, np.minimum(list(values.values()), self.CLIP))
        return {"θ": theta, **values}
