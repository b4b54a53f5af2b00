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

from gan_course.widgets.base import Dashboard
from gan_course.widgets.conditional import DigitDashboard
from gan_course.widgets.divergence import DivergenceDashboard, KLFitDashboard
from gan_course.widgets.images import LatentWalk, SnapshotScrubber
from gan_course.widgets.infogan import CodeDashboard
from gan_course.widgets.lab import GANLabDashboard
from gan_course.widgets.pushforward import PushforwardDashboard
from gan_course.widgets.vae import BetaDashboard, LatentExplorer
from gan_course.widgets.saturation import SaturationDashboard
from gan_course.widgets.wasserstein import EarthMoverDashboard, ParallelLinesDashboard

__all__ = ["BetaDashboard", "CodeDashboard", "Dashboard", "DigitDashboard", "DivergenceDashboard", "EarthMoverDashboard", "GANLabDashboard",
           "KLFitDashboard", "LatentExplorer", "LatentWalk", "ParallelLinesDashboard", "PushforwardDashboard",
           "SaturationDashboard", "SnapshotScrubber"]
