"""Lesson 05: the GAN game on a 2-D toy, live.

The lab owns a :class:`~gan_course.train.Trainer` and draws, in place:
real and generated samples over the discriminator's output as a heat map,
arrows showing where the generator's loss pushes generated points, the
generator's image of a grid of latent vectors (its "manifold"), the loss curves
and the modes-covered counter of :func:`gan_course.metrics.mode_coverage`.

Buttons: play / pause (training runs in chunks as an asyncio task, so the
buttons stay responsive, paced by the page: a frame is sent only once the page
has taken in the one before), step D, step G, reset.

JupyterLab (4.6 here) sends widget messages to a kernel subshell by default, which
ipykernel 7 runs on a thread of its own; a click can then arrive while the play
loop trains on another thread. So everything that touches the trainer or the
figure runs under one lock, a frame at a time.
"""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np

from gan_course.distributions import TOYS
from gan_course.metrics import mode_coverage
from gan_course.plotting import critic_field, loss_curves
from gan_course.widgets.base import Dashboard, slider

LAB_RECIPES = ("minimax", "non-saturating", "wgan", "wgan-gp", "lsgan", "hinge")  # from gan_course.recipes
EXTENT = 5.0  # the view is [-5, 5]^2, wide enough for the grid's modes at +-4


class GANLabDashboard(Dashboard):
    """A live GAN on a 2-D toy. ``steps_per_frame`` training steps run between redraws; the
    networks train on ``device`` (default :func:`gan_course.get_device`)."""

    HEAT = 60  # heat map resolution
    ARROWS = 150
    HISTORY = 2000  # loss curve window, in steps

    def __init__(self, target="ring", loss="non-saturating", lr_g=1e-4, lr_d=1e-4, d_steps=1, seed=0,
                 steps_per_frame=20, device=None, live=True):
        import ipywidgets as w

        from gan_course.runtime import get_device
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure

        style = {"description_width": "initial"}
        self.target = w.Dropdown(options=list(TOYS), value=target, description="target", style=style)
        self.loss_name = w.Dropdown(options=LAB_RECIPES, value=loss, description="loss", style=style)
        self.lr_g = slider("lr G", lr_g, -5, -2, 0.25, log=True)
        self.lr_d = slider("lr D", lr_d, -5, -2, 0.25, log=True)
        self.d_steps = w.IntSlider(value=d_steps, min=1, max=10, description="D steps per G step", style=style)
        self.play_button = w.ToggleButton(description="play", icon="play")
        self.buttons = {name: w.Button(description=name) for name in ("step D", "step G", "reset")}
        self.seed, self.steps_per_frame, self._task = seed, steps_per_frame, None
        self._lock = threading.RLock()  # see the module's docstring
        self.device = get_device() if device is None else device

        fig = Figure(figsize=(10, 4.2), layout="constrained")
        ax, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
        self.heat = ax.imshow(np.zeros((self.HEAT, self.HEAT)), extent=(-EXTENT, EXTENT, -EXTENT, EXTENT),
                              origin="lower", cmap="RdBu_r", alpha=0.6)
        self.manifold = LineCollection([], color="tab:green", lw=0.6, alpha=0.7)
        ax.add_collection(self.manifold)
        (self.real_pts,) = ax.plot([], [], ".", color="k", ms=2, label="real")
        (self.fake_pts,) = ax.plot([], [], ".", color="tab:orange", ms=2, label="generated")
        self.arrows = ax.quiver(np.zeros(self.ARROWS), np.zeros(self.ARROWS), np.zeros(self.ARROWS),
                                np.zeros(self.ARROWS), color="tab:purple", angles="xy", scale_units="xy", scale=1,
                                width=0.003)
        ax.set(xlim=(-EXTENT, EXTENT), ylim=(-EXTENT, EXTENT), aspect="equal", xlabel="x₁", ylabel="x₂",
               title="D(x), samples, G's push and manifold")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, fontsize=7, markerscale=4)  # off the modes
        self.colorbar = fig.colorbar(self.heat, ax=ax, fraction=0.046, pad=0.02)
        self.colorbar.set_label("D's raw output (red: judged real)", fontsize=8)
        (self.d_curve,) = ax_loss.plot([], [], label="D loss")
        (self.g_curve,) = ax_loss.plot([], [], label="G loss")
        ax_loss.set(xlabel="step", ylabel="loss", title="losses")
        ax_loss.legend(loc="upper right", fontsize=8)
        self.ax_loss = ax_loss
        self.reset()
        controls = [self.target, self.loss_name, self.lr_g, self.lr_d, self.d_steps, self.play_button,
                    *self.buttons.values()]
        dynamic = [self.heat, self.manifold, self.real_pts, self.fake_pts, self.arrows, self.d_curve, self.g_curve,
                   self.colorbar.ax]  # the colour bar's range follows D's outputs at every frame
        super().__init__(fig, controls, dynamic=dynamic, live=live)
        # settings act on the trainer; buttons act on training
        def serial(action):
            def handler(_):
                with self._lock:
                    action()
            return handler

        for control in (self.target, self.loss_name):
            control.observe(serial(lambda: (self.reset(), self.refresh())), names="value")
        for control in (self.lr_g, self.lr_d, self.d_steps):
            control.observe(serial(self._apply_settings), names="value")
        self.buttons["step D"].on_click(serial(lambda: (self.trainer.d_step(), self.refresh())))
        self.buttons["step G"].on_click(serial(lambda: (self.trainer.g_step(), self.refresh())))
        self.buttons["reset"].on_click(serial(lambda: (self.reset(), self.refresh())))
        self.play_button.observe(self._on_play, names="value")
        self._page_ready = False
        if self.image is None:  # an ipympl canvas: its page's draw requests pace the play loop
            self._draw_for_page = self.fig.canvas.handle_draw
            self.fig.canvas.handle_draw = self._on_page_draw_request

    def reset(self):
        """New models, optimizers and history for the current target and loss (same seed).

        The loss, optimizer, betas and clipping come from the recipe of that name
        (:data:`gan_course.recipes.RECIPES`); the batch (256), learning rates and D steps
        from the lab's controls.
        """
        import torch

        from gan_course.models.mlp import mlp
        from gan_course.recipes import RECIPES
        from gan_course.train import Trainer

        self.data = TOYS[self.target.value](10_000, seed=self.seed)
        weights = torch.Generator().manual_seed(self.seed)
        G, D = mlp(2, 2, hidden=128, layers=3, seed=weights), mlp(2, 1, hidden=128, layers=3, seed=weights)
        recipe = RECIPES[self.loss_name.value]
        settings = recipe.settings_with(batch_size=256, d_steps=self.d_steps.value, lr_g=self.lr_g.value,
                                        lr_d=self.lr_d.value, seed=self.seed)
        self.trainer = Trainer(G, D, recipe.make_loss(), self.data.x, 2, settings, device=self.device)
        self.z_view = torch.randn(1000, 2, generator=torch.Generator().manual_seed(self.seed + 1)).to(self.device)

    def _apply_settings(self):
        """New learning rates and D steps take effect on the running trainer (no restart)."""
        self.trainer.settings.d_steps = self.d_steps.value
        self.trainer.settings.lr_g, self.trainer.settings.lr_d = self.lr_g.value, self.lr_d.value
        for opt, lr in ((self.trainer.opt_g, self.lr_g.value), (self.trainer.opt_d, self.lr_d.value)):
            for group in opt.param_groups:
                group["lr"] = lr

    def train(self, steps: int):
        """Run ``steps`` training steps, then redraw once."""
        with self._lock:
            self.trainer.run(steps, progress=False)
            return self.refresh()

    def refresh(self) -> dict:
        with self._lock:
            return super().refresh()

    def _on_play(self, change):
        """The button reads what a press will do: "pause" while training runs, "play" while it does not.
        A pause waits for the frame in progress, so the label comes after the last frame."""
        with self._lock:
            self.play_button.description, self.play_button.icon = ("pause",) * 2 if change["new"] else ("play",) * 2
            if change["new"] and self._task is None:
                self._task = asyncio.get_event_loop().create_task(self._play())

    async def _play(self):
        me = asyncio.current_task()
        try:
            while True:
                with self._lock:  # a pause pressed during a frame is seen before the next one
                    if not self.play_button.value:
                        self._task = None  # under the lock: a play pressed from now on starts a new loop
                        return
                    self._page_ready = False
                    self.train(self.steps_per_frame)
                await self._page_caught_up()
        finally:  # after an error
            with self._lock:
                if self._task is me:
                    self._task = None

    async def _page_caught_up(self, timeout: float = 2.0):
        """Wait (handling button clicks meanwhile) until the page has taken in the frame just sent.

        A blitted frame reaches the page at once, whether or not it has drawn the last one; a page
        slower than training would fall behind by more and more frames and show a pause seconds late.
        So after each frame the canvas asks the page to draw; ipympl's page sends that request back
        once it has handled every earlier message (:meth:`_on_page_draw_request`). Without a page the
        loop goes on after ``timeout`` seconds; with the image fallback, which has no such request,
        after 10 ms.
        """
        if self.image is not None:
            await asyncio.sleep(0.01)
            return
        self.fig.canvas.draw_idle()  # after a blit: the request that says the page has it
        deadline = time.monotonic() + timeout
        while not self._page_ready and self.play_button.value and time.monotonic() < deadline:
            await asyncio.sleep(0.005)

    def _on_page_draw_request(self, event):
        """The page asks for a draw: it has taken in every frame sent so far. While playing, a
        blitted frame is already on the page and the next one is on its way, so only the full
        draws that a frame needs (no background saved yet) are made."""
        self._page_ready = True
        with self._lock:
            if self._task is None or not self.blitting:
                self._draw_for_page(event)

    def _update(self) -> dict:
        import torch

        G, D, loss = self.trainer.G, self.trainer.D, self.trainer.loss
        with torch.no_grad():
            x_fake = G(self.z_view)
            lines = G(self._z_grid().to(self.trainer.device)).reshape(2, 21, 41, 2).cpu().numpy()
        heat = critic_field(D, EXTENT, self.HEAT)[2]
        x_push = x_fake[: self.ARROWS].clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(loss.g_terms(D(x_push))["fake"], x_push)
        push = -grad.cpu().numpy()
        push *= 0.5 / (np.abs(push).max() + 1e-12)  # the direction field, scaled to fit the view
        fake = x_fake.cpu().numpy()
        self.heat.set_data(heat)
        self.heat.set_clim(heat.min(), heat.max() + 1e-9)
        self.manifold.set_segments(list(lines.reshape(-1, 41, 2)))
        self.real_pts.set_data(self.data.x[:1000, 0], self.data.x[:1000, 1])
        self.fake_pts.set_data(fake[:, 0], fake[:, 1])
        self.arrows.set_offsets(fake[: self.ARROWS])
        self.arrows.set_UVC(push[:, 0], push[:, 1])
        self._update_curves()
        m = mode_coverage(x_fake, self.data.centers, self.data.std) if self.data.name != "swiss_roll" else None
        values = {"step": self.trainer.steps_done}
        if m:
            values.update({"modes": f"{m['modes']}/{len(self.data.centers)}", "high quality": m["high_quality"],
                           "mode KL": m["mode_kl"]})
        values["D / G updates"] = f"{self.trainer.updates['D']} / {self.trainer.updates['G']}"
        last = self.trainer.last
        values.update({name: last[key] for name, key in (("D loss", "d_loss"), ("G loss", "g_loss")) if key in last})
        return values

    def _z_grid(self):
        """21 lines of constant z1 and 21 of constant z2 across [-2, 2]^2, 41 points each."""
        import torch

        t = torch.linspace(-2, 2, 41)
        levels = torch.linspace(-2, 2, 21)
        rows = torch.stack([torch.stack([t, torch.full_like(t, c)], 1) for c in levels])
        cols = torch.stack([torch.stack([torch.full_like(t, c), t], 1) for c in levels])
        return torch.cat([rows, cols]).reshape(-1, 2)

    def _update_curves(self):
        steps, d_loss, g_loss = loss_curves(self.trainer.history, last=self.HISTORY)
        self.d_curve.set_data(steps, d_loss)
        self.g_curve.set_data(steps, g_loss)
        if len(steps) and (not self.blitting or self._limits_outdated(steps, d_loss, g_loss)):
            lo, hi = float(min(d_loss.min(), g_loss.min())), float(max(d_loss.max(), g_loss.max()))
            pad = 0.1 * (hi - lo) + 1e-3
            self.ax_loss.set(xlim=(steps[0], steps[0] + max(1.25 * (steps[-1] - steps[0]), 100)),  # room to grow
                             ylim=(lo - pad, hi + pad))
            self.invalidate()  # the axes changed: the next redraw is a full one

    def _limits_outdated(self, steps, d_loss, g_loss):
        (x0, x1), (y0, y1) = self.ax_loss.get_xlim(), self.ax_loss.get_ylim()
        return steps[-1] > x1 or steps[0] > x0 + 0.5 * (x1 - x0) or min(d_loss.min(), g_loss.min()) < y0 or \
            max(d_loss.max(), g_loss.max()) > y1
