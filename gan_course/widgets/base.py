"""The dashboard base class and the live-canvas plumbing every dashboard shares."""

from __future__ import annotations

import base64
import functools
import io
import math
import sys
import textwrap


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


# How every dashboard fits its screen (set once for the course, carried by each dashboard's view):
# the controls wrap onto more rows in a narrow output area, the readout is large enough for a
# projector, and the figure's canvas shrinks to the output area's width and to the window's height
# less room for the controls, keeping its aspect ratio (ipympl draws a fixed-size canvas: 900-1000 px
# would be cut off at 1280 x 720 and 150% zoom; its drawing is scaled into the box, left-aligned).
# So no dashboard reads mouse clicks: ipympl maps a click by CSS pixels, and on a shrunk canvas a
# click would land elsewhere.
FIT_CSS = """<style>
.gc-dashboard .gc-row { flex-wrap: wrap; }
.gc-dashboard .gc-readout { font-size: 15px; line-height: 1.5; }
.gc-dashboard img { max-width: 100%; height: auto; }
.gc-dashboard .jupyter-matplotlib-figure, .gc-dashboard .jupyter-matplotlib-canvas-container { max-width: 100%; }
.gc-dashboard .jupyter-matplotlib-canvas-div { max-width: 100%; height: auto !important; }
.gc-dashboard .jupyter-matplotlib-canvas-div > canvas { object-fit: contain; object-position: left top; }
.gc-dashboard .jupyter-matplotlib-canvas-div > canvas:first-child {
    position: relative !important; max-width: 100%; height: auto !important; max-height: var(--gc-max-height); }
.gc-dashboard .jupyter-matplotlib-canvas-div > canvas:last-child { width: 100% !important; height: 100% !important; }
"""
# The figure's height: at most the window's, less the room that the cell's code and the dashboard's
# lines of controls and readout take (about 34 px a line; ``gc-lines-n`` on a dashboard with n lines).
FIT_CSS += "".join(f".gc-lines-{n} {{ --gc-max-height: calc(100vh - {140 + 34 * n}px); }}\n" for n in range(1, 9))
FIT_CSS += "</style>"
MIN_FONT_PT = 9  # no text in a dashboard's figure is smaller (legends were 7-8 pt)


class Dashboard:
    """Base class of the dashboards: a figure, its controls, a readout, and a live canvas or an image.

    A subclass builds its figure, its controls and whatever ``_update`` reads, then calls
    ``super().__init__(fig, controls, dynamic=..., live=...)``, which lays the figure out
    once (a step only moves artists), wires every control to :meth:`refresh` and
    draws the first state. Subclasses implement ``_update() -> dict``: move the
    artists to the controls' current values and return the numbers shown in the
    readout (``self.values``).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The dashboard's figure (not a pyplot one).
    controls : sequence of ipywidgets
        Shown two per row above the readout; a change of any ``value`` refreshes.
    dynamic : sequence of matplotlib artists
        The artists ``_update`` moves. On a live canvas they are blitted: drawn over a
        saved background of everything else, so a step redraws a few lines, not the
        axes, ticks and labels. An update that changes anything else calls
        :meth:`invalidate`.
    live : bool
        An ipympl canvas that updates in place where ipympl is installed; with
        ``False``, or without ipympl, an image widget redrawn at every step.
    """

    def __init__(self, fig, controls, *, dynamic=(), live: bool = True):
        import ipywidgets as w

        self.fig = fig
        self.controls = list(controls)
        self.dynamic = list(dynamic)
        self._background = None
        self._printing = False
        _readable(fig)
        fig.draw_without_rendering()  # lay the figure out once, then keep it: a step only moves artists
        fig.set_layout_engine("none")
        self.readout = w.HTML()
        self.readout.add_class("gc-readout")
        canvas = _live_canvas(fig) if live else None
        self.image = None if canvas is not None else w.Image(format="png")
        if canvas is not None and self.dynamic:
            for artist in self.dynamic:
                artist.set_animated(True)
            canvas.mpl_connect("draw_event", self._on_draw)
        rows = [w.HBox(self.controls[i:i + 2]) for i in range(0, len(self.controls), 2)]
        for row in rows:
            row.add_class("gc-row")
        self.view = w.VBox([w.HTML(FIT_CSS), *rows, self.readout, canvas or self.image])
        self.view.add_class("gc-dashboard")
        for control in self.controls:
            control.observe(lambda change: self.refresh(), names="value")
        self.refresh()
        # the lines of controls and readout, which the figure leaves room for (a readout line holds
        # about 75 characters in a 700 px output area)
        lines = len(rows) + math.ceil(len(" ".join(f"{k} = {v}" for k, v in _shown(self.values))) / 75)
        self.view.add_class(f"gc-lines-{min(lines, 8)}")

    @property
    def blitting(self) -> bool:
        """True when the next refresh blits the dynamic artists over a saved background;
        False before the first full draw, after :meth:`invalidate` and with the image fallback."""
        return self._background is not None

    def invalidate(self):
        """Drop the saved background: the next refresh draws the whole figure (and saves a new one).

        Call it from ``_update`` when something that is not a dynamic artist changed
        (axis limits, a static image, a title).
        """
        self._background = None

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
        self.readout.value = "&nbsp;&nbsp; ".join(  # a line may wrap between items, never inside one
            f'<span style="white-space: nowrap"><b>{k}</b> = {v}</span>' for k, v in _shown(self.values))
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

    def png(self, caption: bool = False) -> bytes:
        """The figure in its current state as PNG bytes, blitted artists included; with
        ``caption``, the controls' settings and the readout written above it (the saved
        picture that GitHub and static pages show in place of the live dashboard)."""
        self._printing = True
        for artist in self.dynamic:
            artist.set_animated(False)
        text = None
        if caption:  # wrapped by hand: matplotlib's own wrapping confuses the tight bounding box
            chars = int(self.fig.get_figwidth() * 72 / (9 * 0.6))
            items = [item.replace(" ", "\u00a0") for item in self.caption().split("   ")]  # break between items only
            text = self.fig.text(0.01, 1.0, textwrap.fill("   ".join(items), chars), va="bottom", fontsize=9)
        try:
            buf = io.BytesIO()
            self.fig.savefig(buf, format="png", dpi=self.fig.dpi, bbox_inches="tight" if caption else None)
            return buf.getvalue()
        finally:
            if text is not None:
                text.remove()
            for artist in self.dynamic:
                artist.set_animated(self.image is None)
            self._printing = False

    def caption(self) -> str:
        """The controls' settings, then the readout, as one line of text."""
        settings = [(c.description, getattr(c, "label", None) or c.value) for c in self.controls
                    if c.description and not isinstance(getattr(c, "value", None), (bool, type(None)))
                    and c.description.split()[0] not in self.values]  # "a (gap)" when the readout has no "a"
        return "   ".join(f"{k} = {v}" for k, v in [*settings, *_shown(self.values)])

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.view._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.png(caption=True)).decode("ascii")
        return bundle


def _readable(fig) -> None:
    """Raise every text of ``fig`` smaller than ``MIN_FONT_PT`` to it (tick labels are 10 pt already)."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        if text.get_fontsize() < MIN_FONT_PT:
            text.set_fontsize(MIN_FONT_PT)


def _shown(values: dict):
    """``(name, text)`` pairs of a readout: floats to 4 significant digits, rounding noise
    (``abs(v) < 1e-12``, such as a mean of 4.4e-19 for a symmetric density) shown as 0."""
    return [(k, f"{0.0 if abs(v) < 1e-12 else v:.4g}" if isinstance(v, float) else v) for k, v in values.items()]


def slider(description, value, lo, hi, step, *, log=False):
    """A slider over the grid ``lo, lo + step, ..., hi`` (``10**lo, ...`` with ``log=True``),
    its full description visible.

    It is a selection slider over exact, rounded grid values: the browser moves an integer
    index, so it never sends back a value of its own. (A ``FloatSlider`` snaps a value set
    from code to ``lo + k * step`` in floating point, 0.1 becoming 0.10000000000000009, and
    sends that back after the kernel has moved on: a cell that set 0.1 and then 0.5 ended
    with the slider at 0.1.) A value set from code snaps to the nearest grid point; one
    off the grid by more than half a step is an error naming the slider.
    """
    import numpy as np

    decimals = max(_decimals(lo), _decimals(step))  # 0.25 needs two, 0.5 one
    grid = np.round(lo + step * np.arange(round((hi - lo) / step) + 1), decimals)
    values = [float(10.0**g) if log else float(g) for g in grid]
    labels = [f"1e{g:g}" if log else f"{g:.{decimals}f}" for g in grid]
    return _grid_slider()(options=list(zip(labels, values)), value=value, description=description,
                          style={"description_width": "initial"}, continuous_update=True,
                          equals=lambda a, b: a == b or _near(a, b, step, log))


def _decimals(x: float) -> int:
    """The fewest decimals that write ``x`` exactly (up to 1e-12), at most 12."""
    return next((d for d in range(13) if abs(round(x, d) - x) < 1e-12), 12)


def _near(a, b, step, log) -> bool:
    """True when ``b`` lies within half a grid step of ``a`` (in log10 units with ``log``)."""
    import math

    try:
        a, b = (math.log10(a), math.log10(b)) if log else (a, b)
        return abs(a - b) <= step / 2 * (1 + 1e-9)  # a value half way between two points is near both
    except (TypeError, ValueError):
        return False


@functools.cache
def _grid_slider():
    """The class of :func:`slider` (made on first use: ipywidgets is imported lazily)."""
    import ipywidgets as w
    from traitlets import TraitError, validate

    class GridSlider(w.SelectionSlider):
        @validate("value")
        def _validate_value(self, proposal):
            try:
                return super()._validate_value(proposal)
            except TraitError:
                first, last = self.options[0][0], self.options[-1][0]
                raise ValueError(f"{self.description} = {proposal.value!r} is off the slider's grid "
                                 f"({first} to {last}, {len(self.options)} values)") from None

    return GridSlider
