"""Slider dashboards. Each is a class that owns its widgets, its figure and its readout.

A test (or a learner) can drive one without a browser::

    dash = PushforwardDashboard()
    dash.a_slider.value = 2.0
    dash.values["modes"]        # numbers recomputed by the last update

Updates change artists in place and call ``draw_idle``. The figure is an ipympl
canvas when ipympl is installed (it updates in place in JupyterLab), otherwise an
image widget that is redrawn. Displayed, a dashboard's bundle also carries an
``image/png`` of its current state, so GitHub, nbviewer and HTML exports show a
picture where widgets cannot run. ipywidgets is imported here only, never by
``import gan_course``.
"""

from __future__ import annotations

import base64
import io
import sys

import numpy as np
from scipy import stats


def _restore_backend(backend) -> None:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is not None and backend in ("inline", "module://matplotlib_inline.backend_inline"):
        shell.run_line_magic("matplotlib", "inline")  # also re-registers inline figure display
    elif "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].switch_backend(backend)
    else:
        import matplotlib

        dict.__setitem__(matplotlib.rcParams, "backend", backend)


def _live_canvas(fig):
    """An ipympl canvas widget showing ``fig``, or None where ipympl is not installed."""
    import matplotlib

    backend = dict.__getitem__(matplotlib.rcParams, "backend")
    try:
        from ipympl.backend_nbagg import Canvas, FigureManager
    except ImportError:
        return None
    finally:  # importing ipympl makes it pyplot's backend; put the learner's back
        if dict.__getitem__(matplotlib.rcParams, "backend") != backend:
            _restore_backend(backend)
    canvas = Canvas(fig)
    FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    return canvas


class Dashboard:
    """Base class: subclasses build ``self.fig`` and their controls, then call ``_setup``.

    Subclasses implement ``_update() -> dict``: move the artists to the controls'
    current values and return the numbers shown in the readout (``self.values``).
    The artists that ``_update`` moves are passed to ``_setup`` as ``dynamic``: on a
    live canvas they are blitted (drawn over a saved background of everything else),
    so a slider step redraws a few lines, not the axes, ticks and labels.
    """

    def _setup(self, controls, dynamic=(), live: bool = True):
        import ipywidgets as w

        self.controls = list(controls)
        self.dynamic = list(dynamic)
        self._background = None
        self._printing = False
        self.fig.draw_without_rendering()  # lay the figure out once, then keep it: a step only moves artists
        self.fig.set_layout_engine("none")
        self.readout = w.HTML()
        self.readout.add_class("gc-readout")
        canvas = _live_canvas(self.fig) if live else None
        self.image = None if canvas is not None else w.Image(format="png")
        if canvas is not None and self.dynamic:
            for artist in self.dynamic:
                artist.set_animated(True)
            canvas.mpl_connect("draw_event", self._on_draw)
        rows = [w.HBox(self.controls[i:i + 2]) for i in range(0, len(self.controls), 2)]
        self.view = w.VBox([*rows, self.readout, canvas or self.image])
        for control in self.controls:
            control.observe(lambda change: self.refresh(), names="value")
        self.refresh()

    def _on_draw(self, event):
        """After a full draw (which skips animated artists): keep the background, add the artists."""
        if self._printing:
            return
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        for artist in self.dynamic:
            self.fig.draw_artist(artist)

    def refresh(self) -> dict:
        """Recompute from the controls, update the artists and the readout, redraw."""
        self.values = self._update()
        self.readout.value = "&nbsp;&nbsp; ".join(
            f"<b>{k}</b> = {v:.4g}" if isinstance(v, float) else f"<b>{k}</b> = {v}"
            for k, v in self.values.items())
        canvas = self.fig.canvas
        if self.image is not None:
            self.image.value = self.png()
        elif self._background is None:
            canvas.draw_idle()
        else:
            canvas.restore_region(self._background)
            for artist in self.dynamic:
                self.fig.draw_artist(artist)
            canvas.blit(self.fig.bbox)
        return self.values

    def _update(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def png(self) -> bytes:
        """The figure in its current state as PNG bytes, blitted artists included."""
        self._printing = True
        for artist in self.dynamic:
            artist.set_animated(False)
        try:
            buf = io.BytesIO()
            self.fig.savefig(buf, format="png", dpi=self.fig.dpi)
            return buf.getvalue()
        finally:
            for artist in self.dynamic:
                artist.set_animated(self.image is None)
            self._printing = False

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.view._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        return bundle


def warp(z, a: float, b: float):
    """The 1-D generator of lesson 00: :math:`g(z) = z + a \\tanh(b z)`, and its slope.

    For a, b >= 0, :math:`g'(z) = 1 + a b\\, \\mathrm{sech}^2(b z) \\ge 1`, so g is
    increasing and the change of variables gives the density of x = g(z):
    :math:`p_x(g(z)) = p_z(z) / g'(z)`.
    """
    z = np.asarray(z, dtype=float)
    return z + a * np.tanh(b * z), 1 + a * b / np.cosh(b * z) ** 2


class PushforwardDashboard(Dashboard):
    """Noise z ~ N(0, 1) pushed through ``warp(z, a, b)``: histogram of x against the exact density.

    Readout: the sample mean and std of x, the number of modes of the exact
    density, and the total variation between the histogram and the exact bin
    probabilities (small when the change-of-variables formula is right).
    """

    def __init__(self, a: float = 1.5, b: float = 3.0, n: int = 20_000, seed: int = 0, live: bool = True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        self.z = np.random.default_rng(seed).standard_normal(n)
        self.z_grid = np.linspace(-4.5, 4.5, 3001)
        self.edges = np.linspace(-8, 8, 81)
        style = {"description_width": "initial"}
        self.a_slider = w.FloatSlider(value=a, min=0.0, max=3.0, step=0.1, description="a (gap)", style=style)
        self.b_slider = w.FloatSlider(value=b, min=0.5, max=8.0, step=0.5, description="b (sharpness)",
                                      style=style)
        self.fig = Figure(figsize=(9, 3), layout="constrained")
        ax_z, ax_g, ax_x = self.fig.subplots(1, 3)
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
        self._setup([self.a_slider, self.b_slider], [self.map_line, self.hist, self.density_line], live=live)

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
                "modes": int(inner.sum()), "tv_hist_vs_formula": float(0.5 * np.abs(freq - np.diff(cdf)).sum())}


def _slider(w, description, value, lo, hi, step):
    return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         style={"description_width": "initial"}, continuous_update=True)


def two_mode_density(x, gap: float, weight: float = 0.5, std: float = 1.0):
    """``weight * N(-gap/2, std^2) + (1 - weight) * N(gap/2, std^2)`` at the points ``x``."""
    from gan_course.divergences import gaussian_on_grid

    return weight * gaussian_on_grid(x, -gap / 2, std) + (1 - weight) * gaussian_on_grid(x, gap / 2, std)


class DivergenceDashboard(Dashboard):
    """KL both ways, JS and TV between a two-mode p and a Gaussian q, with their pointwise integrands.

    p = ``two_mode_density(x, p_gap, p_weight, 0.6)``; q = N(q_mean, q_std^2). The
    integrands are the terms whose integrals are the divergences:
    :math:`p \\log(p/q)`, :math:`q \\log(q/p)` and
    :math:`\\tfrac12 p \\log(p/m) + \\tfrac12 q \\log(q/m)`.
    """

    P_STD = 0.6

    def __init__(self, q_mean=0.0, q_std=1.0, p_gap=4.0, p_weight=0.5, live=True):
        import ipywidgets as w
        from matplotlib.figure import Figure

        self.x = np.linspace(-10, 10, 2001)
        self.q_mean = _slider(w, "q mean", q_mean, -6, 6, 0.1)
        self.q_std = _slider(w, "q std", q_std, 0.2, 4, 0.1)
        self.p_gap = _slider(w, "p gap", p_gap, 0, 8, 0.1)
        self.p_weight = _slider(w, "p left weight", p_weight, 0, 1, 0.05)
        self.fig = Figure(figsize=(9, 3.3), layout="constrained")
        ax_d, ax_i = self.fig.subplots(1, 2)
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
        self._setup([self.q_mean, self.q_std, self.p_gap, self.p_weight],
                    [self.p_line, self.q_line, self.kl_pq_line, self.kl_qp_line, self.js_line], live=live)

    def densities(self):
        from gan_course.divergences import gaussian_on_grid

        p = two_mode_density(self.x, self.p_gap.value, self.p_weight.value, self.P_STD)
        return p, gaussian_on_grid(self.x, self.q_mean.value, self.q_std.value)

    def _update(self) -> dict:
        from scipy.special import rel_entr

        from gan_course.divergences import js, kl, tv

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
        import ipywidgets as w
        from matplotlib.figure import Figure

        self.x = np.linspace(-12, 12, 1201)
        self.gap = _slider(w, "mode separation", gap, 0, 8, 0.25)
        self.weight = _slider(w, "left mode weight", weight, 0.05, 0.95, 0.05)
        self.fig = Figure(figsize=(7, 3.4), layout="constrained")
        ax = self.fig.subplots()
        (self.p_line,) = ax.plot(self.x, self.x * 0, color="gray", lw=3, alpha=0.6, label="p (two modes)")
        (self.fwd_line,) = ax.plot(self.x, self.x * 0, color="tab:blue", lw=2, label="argmin KL(p‖q): covers")
        (self.rev_line,) = ax.plot(self.x, self.x * 0, "--", color="tab:red", lw=2, label="argmin KL(q‖p): seeks")
        ax.set(xlim=(-8, 8), ylim=(0, 0.45), xlabel="x", title="one Gaussian q fitted to p")
        ax.legend(loc="upper right", fontsize=8)
        self._setup([self.gap, self.weight], [self.p_line, self.fwd_line, self.rev_line], live=live)

    def _update(self) -> dict:
        from gan_course.divergences import fit_gaussian, gaussian_on_grid, kl

        p = two_mode_density(self.x, self.gap.value, self.weight.value)
        (mf, sf), (mr, sr) = fit_gaussian(p, self.x, "forward"), fit_gaussian(p, self.x, "reverse")
        q_fwd, q_rev = gaussian_on_grid(self.x, mf, sf), gaussian_on_grid(self.x, mr, sr)
        self.p_line.set_ydata(p)
        self.fwd_line.set_ydata(q_fwd)
        self.rev_line.set_ydata(q_rev)
        return {"forward mean": mf, "forward std": sf, "KL(p||q_fwd)": kl(p, q_fwd, x=self.x),
                "reverse mean": mr, "reverse std": sr, "KL(q_rev||p)": kl(q_rev, p, x=self.x)}
