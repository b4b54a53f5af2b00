import base64
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, stats

from gan_course.distributions import warp
from gan_course.widgets import DivergenceDashboard, KLFitDashboard, PushforwardDashboard

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("live", [True, False])
def test_slider_moves_update_values_and_artists_in_place(live):
    dash = PushforwardDashboard(live=live)
    hist, line = dash.hist, dash.density_line
    dash.a_slider.value = 0.0
    assert dash.values["modes"] == 1
    assert dash.values["std"] == pytest.approx(1.0, abs=0.02)
    dash.a_slider.value = 2.0
    assert dash.values["modes"] == 2
    # x = z + 2 tanh(3 z): the std grows by about the gap
    x = warp(dash.z, 2.0, 3.0)[0]
    assert dash.values["std"] == pytest.approx(x.std())
    assert "modes</b> = 2" in dash.readout.value
    assert dash.hist is hist and dash.density_line is line  # same artists, moved
    np.testing.assert_allclose(dash.hist.get_data().values, np.histogram(x, bins=dash.edges, density=True)[0])


def test_histogram_agrees_with_the_formula_and_not_with_a_wrong_one():
    dash = PushforwardDashboard(a=2.0, b=4.0)
    assert dash.values["TV(hist, exact)"] < 0.03
    # forgetting the 1/g'(z) factor puts the mass in the wrong place
    g, _ = warp(dash.z_grid, 2.0, 4.0)
    wrong = stats.norm.pdf(dash.z_grid)
    wrong_cdf = integrate.cumulative_trapezoid(wrong, g, initial=0) / integrate.trapezoid(wrong, g)
    freq = np.histogram(warp(dash.z, 2.0, 4.0)[0], bins=dash.edges)[0] / len(dash.z)
    tv_wrong = 0.5 * np.abs(freq - np.diff(np.interp(dash.edges, g, wrong_cdf))).sum()
    assert tv_wrong > 5 * dash.values["TV(hist, exact)"]


def test_display_bundle_carries_a_static_png_with_its_settings_and_readout():
    import io

    from matplotlib.image import imread

    dash = PushforwardDashboard(a=0.7, b=4.5)
    bundle = dash._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    saved = base64.b64decode(bundle["image/png"])
    assert saved.startswith(b"\x89PNG")
    caption = dash.caption()
    assert caption.startswith(f"a = 0.7   b = 4.5   mean = {dash.values['mean']:.4g}")  # "a (gap)" is in the readout
    assert "modes = 2" in caption and "TV(hist, exact) = " in caption
    texts = len(dash.fig.texts)
    plain, captioned = imread(io.BytesIO(dash.png())), imread(io.BytesIO(saved))
    assert captioned.shape[0] > plain.shape[0] + 10  # a line of text above the figure
    assert len(dash.fig.texts) == texts and dash.png() == dash.png(caption=False)  # the live figure is untouched


def test_readout_keeps_each_value_with_its_label_and_hides_rounding_noise():
    dash = KLFitDashboard(gap=6.5, live=False)
    assert abs(dash.values["forward mean"]) < 1e-12  # a symmetric p: the mean is 0 up to rounding
    html = dash.readout.value
    assert '<span style="white-space: nowrap"><b>forward mean</b> = 0</span>' in html
    assert html.count("white-space: nowrap") == len(dash.values)


def test_a_live_dashboard_leaves_the_pyplot_backend_alone():
    code = ("import matplotlib.pyplot as plt\n"
            "plt.switch_backend('svg')\n"
            "import gan_course\n"
            "from gan_course.widgets import PushforwardDashboard\n"
            "d = PushforwardDashboard()\n"
            "print(gan_course.__file__)\n"
            "print(type(d.fig.canvas).__module__, plt.get_backend())\n")
    # the tree under test, not whatever copy of the package the interpreter has installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True).stdout.splitlines()
    assert Path(out[0]).resolve() == ROOT / "gan_course" / "__init__.py"
    assert out[1].split() == ["ipympl.backend_nbagg", "svg"]


@pytest.mark.parametrize("factory, slider, value", [
    (PushforwardDashboard, "a_slider", 2.7),
    (DivergenceDashboard, "q_mean", -3.0),
    (KLFitDashboard, "gap", 3.0),
])
def test_a_blitted_step_paints_the_same_pixels_as_a_full_redraw(factory, slider, value):
    dash = factory()
    canvas = dash.fig.canvas
    assert not dash.blitting
    canvas.draw()  # the first full draw keeps the background
    assert dash.blitting
    getattr(dash, slider).value = value  # a step: restore the background, draw the moved artists, blit
    blitted = np.asarray(canvas.buffer_rgba()).copy()
    canvas.draw()
    np.testing.assert_array_equal(blitted, np.asarray(canvas.buffer_rgba()))
    # and the static picture shows the moved artists too
    png = dash.png()
    fresh = factory(live=False)
    getattr(fresh, slider).value = value
    assert png == fresh.png()
    dash.invalidate()  # no background: the next step asks for a full draw, which keeps a new one
    assert not dash.blitting
    getattr(dash, slider).value = 0.5 * value
    assert not dash.blitting
    canvas.draw()
    assert dash.blitting


def test_divergence_dashboard_reports_the_package_values():
    from gan_course.divergences import js, kl, tv

    dash = DivergenceDashboard(live=False)
    dash.q_mean.value, dash.q_std.value = 1.3, 0.7
    p, q = dash.densities()
    x = dash.x
    assert dash.values == {"KL(p||q)": kl(p, q, x=x), "KL(q||p)": kl(q, p, x=x), "JS": js(p, q, x=x),
                           "TV": tv(p, q, x=x)}
    assert dash.values["KL(p||q)"] != dash.values["KL(q||p)"]  # asymmetric
    # the plotted integrand of KL(p||q) integrates (trapezoid) to the readout value
    assert integrate.trapezoid(dash.kl_pq_line.get_ydata(), x) == pytest.approx(dash.values["KL(p||q)"], rel=1e-3)
    # q equal to one mode of a one-mode p: everything is zero
    dash.p_gap.value, dash.q_mean.value, dash.q_std.value = 0.0, 0.0, DivergenceDashboard.P_STD
    assert dash.values["JS"] == pytest.approx(0, abs=1e-12) and dash.values["KL(p||q)"] == pytest.approx(0, abs=1e-12)


def test_kl_fit_dashboard_shows_covering_and_seeking():
    dash = KLFitDashboard(gap=8.0, live=False)
    assert dash.values["forward mean"] == pytest.approx(0, abs=1e-9)
    assert dash.values["forward std"] == pytest.approx(math.sqrt(1 + 16), rel=1e-6)
    assert abs(dash.values["reverse mean"]) == pytest.approx(4, abs=0.01)
    dash.gap.value = 0.0
    assert dash.values["reverse std"] == pytest.approx(1, abs=1e-3)


def test_saturation_dashboard_moves_markers_and_swaps_curves():
    from gan_course.distributions import shifted_pair
    from gan_course.divergences import all_distances
    from gan_course.widgets import SaturationDashboard

    dash = SaturationDashboard(theta=0.5, shape="box", live=False)
    assert dash.values == {"θ": 0.5, **all_distances(dash.x, *shifted_pair(dash.x, 0.5, "box"))}
    assert "+∞" in dash.kl_text.get_text()
    dash.theta.value = 2.0
    xs, ys = dash.markers.get_data()
    assert list(xs) == [2.0] * 4 and ys[0] == pytest.approx(math.log(2))  # JS marker sits at log 2
    box_js = dash.curve_lines["JS"].get_ydata().copy()
    dash.shape.value = "gaussian"
    assert dash.kl_text.get_text() == ""
    assert not np.allclose(dash.curve_lines["JS"].get_ydata(), box_js)
    assert dash.values["KL(p||q)"] == pytest.approx(6 * 2.0**2, rel=1e-6)  # theta^2 / (2 sigma^2), sigma^2 = 1/12
    assert dash.values == {"θ": 2.0, **all_distances(dash.x, *shifted_pair(dash.x, 2.0, "gaussian"))}


def test_earth_mover_dashboard_plan_is_optimal_and_beats_the_others():
    from gan_course.transport import transport_plan
    from gan_course.widgets import EarthMoverDashboard
    from gan_course.distributions import PILE_BINS
    from gan_course.transport import reference_plans

    dash = EarthMoverDashboard(live=False)
    for p_mean, q_mean in [(4.0, 6.5), (2.0, 9.0), (5.0, 5.0)]:
        dash.p_mean.value, dash.q_mean.value = p_mean, q_mean
        a, b = dash.piles()
        v = dash.values
        assert v["W1 (optimal plan)"] == pytest.approx(stats.wasserstein_distance(PILE_BINS, PILE_BINS, a, b), abs=1e-9)
        assert v["W1 (optimal plan)"] == pytest.approx(transport_plan(a, b, dash.cost).cost, abs=1e-9)
        for name, plan in reference_plans(a, b).items():
            assert v[f"cost ({name} plan)"] == pytest.approx(np.sum(plan * dash.cost), abs=1e-12)
            assert v[f"cost ({name} plan)"] >= v["W1 (optimal plan)"] - 1e-12
    # the plan on screen is monotone: mass never moves left past mass moving right
    moves = np.argwhere(dash.matrix.get_array() > 1e-9)
    assert all(np.diff(moves[np.argsort(moves[:, 0], kind="stable"), 1]) >= 0)


def test_gan_lab_trains_redraws_and_obeys_its_controls():
    import asyncio

    import torch

    from gan_course.plotting import critic_field
    from gan_course.widgets import GANLabDashboard
    from gan_course.widgets.lab import EXTENT

    lab = GANLabDashboard(target="ring", loss="non-saturating", steps_per_frame=5, live=False)
    assert lab.values["step"] == 0 and lab.values["modes"].endswith("/8")
    lab.train(30)
    assert lab.values["step"] == 30 and len(lab.trainer.history["d_loss"]) == 30
    # the drawn points are the generator's samples of the fixed latent batch
    with torch.no_grad():
        expected = lab.trainer.G(lab.z_view).numpy()
    np.testing.assert_allclose(np.stack(lab.fake_pts.get_data(), 1), expected, rtol=1e-6)
    # the heat map is D's field over the view, the curves are the history
    np.testing.assert_allclose(lab.heat.get_array(), critic_field(lab.trainer.D, EXTENT, lab.HEAT)[2])
    np.testing.assert_array_equal(lab.d_curve.get_xydata(), np.c_[range(1, 31), lab.trainer.history["d_loss"]])
    # step D alone moves D and not G
    g_before = [p.detach().clone() for p in lab.trainer.G.parameters()]
    d_before = [p.detach().clone() for p in lab.trainer.D.parameters()]
    lab.buttons["step D"].click()
    assert lab.values["step"] == 30 and lab.values["D / G updates"] == "31 / 30"
    assert lab.values["D loss"] == lab.trainer.last["d_loss"] != lab.trainer.history["d_loss"][-1]
    assert all(torch.equal(a, b) for a, b in zip(g_before, lab.trainer.G.parameters()))
    assert not all(torch.equal(a, b) for a, b in zip(d_before, lab.trainer.D.parameters()))
    # learning rates and D steps reach the running trainer
    lab.lr_g.value, lab.d_steps.value = 1e-3, 3
    assert lab.trainer.opt_g.param_groups[0]["lr"] == pytest.approx(1e-3) and lab.trainer.settings.d_steps == 3
    # a new loss or target starts over
    lab.target.value = "grid"
    assert lab.values["step"] == 0 and lab.values["modes"].endswith("/25")
    lab.loss_name.value = "wgan"
    assert lab.trainer.settings.optimizer == "rmsprop"

    labels = []

    async def play_for_a_moment():
        lab.play_button.value = True
        labels.append(lab.play_button.description)
        await asyncio.sleep(0.3)
        lab.play_button.value = False
        labels.append(lab.play_button.description)
        while lab._task is not None:
            await asyncio.sleep(0.01)

    asyncio.run(play_for_a_moment())
    assert lab.trainer.steps_done > 0 and lab.trainer.steps_done % 5 == 0
    assert labels == ["pause", "play"]  # the button says what a press will do


def test_the_lab_plays_at_the_pace_of_its_page():
    """A frame goes out only once the page has asked for a draw after the last one; while playing,
    such a request makes no full draw of a frame already blitted; after pause it draws as usual."""
    import asyncio

    from gan_course.widgets import GANLabDashboard

    lab = GANLabDashboard(target="ring", loss="non-saturating", steps_per_frame=5)
    canvas = lab.fig.canvas
    full_draws = []
    canvas.mpl_connect("draw_event", lambda event: full_draws.append(lab.trainer.steps_done))
    canvas.draw()  # the page's first draw: from here on frames are blitted
    lab.train(100)  # past the loss axes' first growth
    canvas.draw()
    start, requests = lab.trainer.steps_done, []

    def page_asks_for_a_draw():
        requests.append((lab.blitting, len(full_draws)))
        canvas.handle_event({"type": "draw"})  # as ipympl's page sends it
        requests[-1] += (len(full_draws),)

    async def play():
        lab.play_button.value = True
        await asyncio.sleep(0.5)
        frames = [lab.trainer.steps_done - start]  # no page yet: one frame, then it waits
        for _ in range(3):
            page_asks_for_a_draw()
            await asyncio.sleep(0.2)
            frames.append(lab.trainer.steps_done - start)
        lab.play_button.value = False
        while lab._task is not None:
            await asyncio.sleep(0.01)
        return frames

    frames = asyncio.run(play())
    assert frames == [5, 10, 15, 20]
    assert all(after == before for blitted, before, after in requests if blitted) and requests[0][0]
    n = len(full_draws)
    canvas.handle_event({"type": "draw"})  # paused: a request is drawn in full
    assert len(full_draws) == n + 1


def test_the_labs_clicks_from_another_thread_wait_for_the_frame_in_progress():
    """JupyterLab may deliver widget messages on a kernel subshell's thread: a pause or a step D
    pressed during a frame must act after it, not in the middle of the trainer's step."""
    import asyncio
    import threading

    from gan_course.widgets import GANLabDashboard

    lab = GANLabDashboard(target="ring", loss="non-saturating", steps_per_frame=5, live=False)
    events, clicks = [], []
    run = lab.trainer.run

    def a_frame_with_clicks(steps, **kwargs):
        events.append("frame starts")
        for press in (lambda: setattr(lab.play_button, "value", False), lab.buttons["step D"].click):
            clicks.append(threading.Thread(target=lambda press=press: (press(), events.append("click done"))))
            clicks[-1].start()
        for click in clicks:
            click.join(0.3)  # a click acting at once would be done by now
        events.append(f"frame ends, label {lab.play_button.description}")
        return run(steps, **kwargs)

    async def press_play_then_run_a_frame():
        lab.play_button.value = True  # the play loop starts at the first await; the test runs the frame
        lab.train(5)
        for click in clicks:
            click.join()
        await asyncio.sleep(0.05)  # the play loop sees the pause and ends without a frame

    lab.trainer.run = a_frame_with_clicks
    asyncio.run(press_play_then_run_a_frame())
    assert lab._task is None
    assert events == ["frame starts", "frame ends, label pause", "click done", "click done"]
    assert lab.play_button.description == "play" and lab.trainer.steps_done == 5
    assert lab.values["D / G updates"] == "6 / 5"  # step D ran after the frame, and the readout shows it


def test_the_labs_blitted_frame_matches_a_full_redraw_colour_bar_included():
    from gan_course.widgets import GANLabDashboard

    lab = GANLabDashboard(target="grid", loss="non-saturating", steps_per_frame=5)
    canvas = lab.fig.canvas
    lab.train(40)  # the loss axes grow: this frame asks for a full redraw
    canvas.draw()
    clim = lab.heat.get_clim()
    lab.train(5)  # a blitted frame; D's outputs change range, and the colour bar must follow
    assert lab.blitting and lab.heat.get_clim() != clim
    blitted = np.asarray(canvas.buffer_rgba()).copy()
    canvas.draw()
    np.testing.assert_array_equal(blitted, np.asarray(canvas.buffer_rgba()))
    lo, hi = lab.heat.get_clim()
    assert lab.colorbar.ax.get_ylim() == pytest.approx((lo, hi))
    legend = lab.real_pts.axes.get_legend().get_window_extent()
    assert legend.y1 <= lab.real_pts.axes.get_window_extent().y0  # below the plane, off every mode


@pytest.fixture(scope="module")
def small_vaes():
    import torch

    from gan_course.models.vae import VAE

    torch.manual_seed(0)
    x = torch.rand(40, 1, 28, 28)
    y = torch.arange(40) % 10
    return {0.5: VAE(2, hidden=16), 4.0: VAE(2, hidden=16)}, x, y


def test_latent_explorer_decodes_z_and_the_path_between_two_digits(small_vaes):
    import torch

    from gan_course.plotting import tile_images
    from gan_course.widgets import LatentExplorer

    model, x, y = small_vaes[0][0.5], small_vaes[1], small_vaes[2]
    dash = LatentExplorer(model, x, y, start=3, end=7, steps=6)
    dash.z1.value, dash.z2.value = 1.5, -2.0
    np.testing.assert_allclose(dash.digit.get_array(), model.images(torch.tensor([[1.5, -2.0]]))[0, 0].numpy())
    assert dash.values["z₁"] == 1.5 and dash.values["z₂"] == -2.0
    mu = model.encode(x)[0].detach().numpy()
    path = dash.path()
    np.testing.assert_allclose(path[[0, -1]], mu[[3, 7]], rtol=1e-6)
    np.testing.assert_allclose(dash.path_line.get_xydata(), path)
    strip = tile_images(model.images(torch.as_tensor(path, dtype=torch.float32)), nrow=6)
    np.testing.assert_allclose(dash.path_image.get_array(), strip)
    dash.end.value = 9
    assert dash.path_title.get_text().endswith("#3 (a 3) to #9 (a 9)")
    np.testing.assert_allclose(dash.path()[-1], mu[9], rtol=1e-6)
    # it opens on digit start's code, in a window that holds every code
    fresh = LatentExplorer(model, x, y, start=5, end=2, live=False)
    assert abs(fresh.values["z₁"] - mu[5, 0]) <= 0.025 and abs(fresh.values["z₂"] - mu[5, 1]) <= 0.025
    assert fresh.lim >= max(4.0, np.abs(mu).max()) and fresh.path_line.axes.get_xlim() == (-fresh.lim, fresh.lim)
    for bad in (len(x), -1, 2.0):
        with pytest.raises(ValueError, match="start="):
            LatentExplorer(model, x, y, start=bad)
    with pytest.raises(ValueError, match="latent_dim=2"):
        from gan_course.models.vae import VAE

        LatentExplorer(VAE(3, hidden=8), x, y)


def test_beta_dashboard_swaps_reconstructions_codes_and_scores(small_vaes):
    import torch

    from gan_course.elbo import evaluate
    from gan_course.widgets import BetaDashboard

    runs, x, y = small_vaes
    dash = BetaDashboard(runs, x[:5], x, y, live=False)
    for beta, model in runs.items():
        dash.beta.value = beta
        codes = np.clip(model.encode(x)[0].detach().numpy(), -dash.LIM, dash.LIM)
        np.testing.assert_allclose(dash.points.get_offsets(), codes)
        recon = model.images(model.encode(x[:5])[0]).numpy()
        np.testing.assert_allclose(dash.recon_image.get_array()[32:60, 2:30], recon[0, 0])  # row 2: reconstructions
        np.testing.assert_allclose(dash.recon_image.get_array()[2:30, 2:30], x[0, 0].numpy())
        assert dash.recon_image.get_array().shape == (2 * 30 + 2, 8 * 30 + 2)  # 5 digits fill one row of 8
        assert dash.values["−ELBO"] == pytest.approx(evaluate(model, x)["neg_elbo"])
        assert dash.values["−ELBO"] == pytest.approx(dash.values["reconstruction"] + dash.values["KL"])
    assert "<b>β</b> = 4</span>" in dash.readout.value  # the last beta chosen
    opened = BetaDashboard(runs, x[:5], x, y, beta=4.0, live=False)  # opens on the beta asked for, not the first
    assert opened.values == dash.values and "<b>β</b> = 4</span>" in opened.readout.value
    np.testing.assert_allclose(opened.points.get_offsets(), dash.points.get_offsets())
    np.testing.assert_allclose(opened.recon_image.get_array(), dash.recon_image.get_array())
    with pytest.raises(ValueError, match="runs"):
        BetaDashboard({}, x[:5], x, y)


def test_latent_explorer_blits_z_steps_and_redraws_all_when_the_path_moves(small_vaes):
    from gan_course.widgets import LatentExplorer

    runs, x, y = small_vaes
    dash = LatentExplorer(runs[0.5], x, y, start=0, end=1)
    canvas = dash.fig.canvas

    def blitted_equals_full_redraw():
        blitted = np.asarray(canvas.buffer_rgba()).copy()
        canvas.draw()
        return np.array_equal(blitted, np.asarray(canvas.buffer_rgba()))

    canvas.draw()
    dash.z1.value = 1.0
    assert dash.blitting and blitted_equals_full_redraw()
    dash.end.value = 5  # the path is not blitted: its move drops the background for a full draw
    assert not dash.blitting
    canvas.draw()
    dash.z2.value = -0.5
    assert blitted_equals_full_redraw()


def test_latent_walk_decodes_both_paths_and_plots_their_norms():
    import torch

    from gan_course.latents import lerp, slerp
    from gan_course.models.dcgan import Generator
    from gan_course.widgets import LatentWalk

    G = Generator(z_dim=16, width=4, seed=0).eval()
    dash = LatentWalk(G, pair=2, n_steps=5)
    canvas = dash.fig.canvas
    canvas.draw()
    dash.t.value = 0.3
    blitted = np.asarray(canvas.buffer_rgba()).copy()
    canvas.draw()
    assert dash.blitting and np.array_equal(blitted, np.asarray(canvas.buffer_rgba()))
    z0, z1 = torch.randn(2, 16, generator=torch.Generator().manual_seed(2))
    assert torch.equal(dash.ends()[0], z0)
    for name, path in (("lerp", lerp), ("slerp", slerp)):
        point = path(z0, z1, [0.3])
        assert dash.values[f"‖z‖ {name}"] == pytest.approx(point.norm().item(), rel=1e-6)
        with torch.no_grad():
            np.testing.assert_allclose(dash.digits[name].get_array(), G(point)[0, 0].numpy(), atol=1e-6)
    np.testing.assert_allclose(dash.norm_lerp.get_ydata()[50], lerp(z0, z1, [0.5]).norm().item(), rtol=1e-6)
    assert dash.values["‖z‖ slerp"] > dash.values["‖z‖ lerp"]
    dash.pair.value = 3  # new ends: strips and curves are redrawn in full
    assert not dash.blitting and not torch.equal(dash.ends()[0], z0)
    with pytest.raises(ValueError, match="G is in training mode"):
        LatentWalk(G.train())
    with pytest.raises(ValueError, match="G must be a generator with an int z_dim"):
        LatentWalk(torch.nn.ModuleDict({"G": G}))
    with pytest.raises(ValueError, match="n_steps=1"):
        LatentWalk(G.eval(), n_steps=1)


def test_snapshot_scrubber_shows_the_chosen_snapshot_and_refuses_a_broken_record():
    from gan_course.widgets import SnapshotScrubber

    rng = np.random.default_rng(0)
    k = 4
    record = {"step": np.arange(k) * 100, "images": rng.integers(0, 256, (k, 16, 1, 28, 28), dtype=np.uint8),
              "shares": rng.dirichlet(np.ones(10), k), "fid": np.linspace(100, 10, k),
              "inception_score": np.linspace(1, 5, k), "classes": np.array([1, 4, 9, 10])}
    dash = SnapshotScrubber(record, index=0, real_is=9.3, live=False)
    assert dash.values == {"step": 0, "classes": 1, "IS": 1.0, "FID": 100.0}
    dash.step.value = 200
    assert dash.values["classes"] == 9 and dash.values["FID"] == pytest.approx(40.0)
    assert [b.get_height() for b in dash.bars] == pytest.approx(record["shares"][2])
    assert np.array_equal(dash.grid.get_array()[2:30, 2:30], record["images"][2, 0, 0])
    with pytest.raises(ValueError, match="record lacks \\['fid'\\]"):
        SnapshotScrubber({k: v for k, v in record.items() if k != "fid"})
    with pytest.raises(ValueError, match="as many of each entry"):
        SnapshotScrubber({**record, "fid": record["fid"][:2]})
    with pytest.raises(ValueError, match="must be uint8"):
        SnapshotScrubber({**record, "images": record["images"] / 255.0})
    with pytest.raises(ValueError, match="index=4"):
        SnapshotScrubber(record, index=4)


def test_sliders_hold_exact_grid_values_that_the_browser_cannot_round():
    """A slider is a selection over rounded grid values: a value set from code snaps to the
    nearest grid point exactly (0.1 stays 0.1, not lo + 22 * step = 0.10000000000000009, the
    float a FloatSlider's page sends back), and a value off the grid is refused by name."""
    from gan_course.widgets.base import slider

    theta = slider("θ", 0.5, -1, 1, 0.05)
    assert len(theta.options) == 41 and theta.options[22] == ("0.10", 0.1)
    assert -1 + 22 * 0.05 != 0.1  # what the page's arithmetic gives
    theta.value = 0.1
    assert theta.value == 0.1 and theta.index == 22
    theta.value = 0.30000000000000004  # np.linspace's 0.3
    assert theta.value == 0.3 and theta.index == 26
    theta.value = 0.124  # nearest grid point
    assert theta.value == 0.1
    gap = slider("mode separation", 5.75, 0, 8, 0.25)  # a step that needs two decimals
    assert gap.value == 5.75 and gap.label == "5.75" and gap.options[1] == ("0.25", 0.25) and len(gap.options) == 33
    assert [v for _, v in slider("lr", 1e-4, -5, -2, 0.25, log=True).options][:2] == [1e-5, 10 ** -4.75]
    q = slider("q mean", 0.0, -6, 6, 0.1)
    q.value = -1.75  # half way between -1.8 and -1.7, each 0.05 away up to rounding: snaps, never refused
    assert q.value in (-1.8, -1.7)
    with pytest.raises(ValueError, match="θ = 1.2 is off"):
        theta.value = 1.2
    lr = slider("lr G", 1e-4, -5, -2, 0.25, log=True)
    assert lr.value == 1e-4 and lr.label == "1e-4" and len(lr.options) == 13
    lr.value = 10 ** -2.5
    assert lr.label == "1e-2.5" and lr.value == 10 ** -2.5
    for bad in (-1.0, 0.0, "fast"):
        with pytest.raises(ValueError, match="lr G"):
            lr.value = bad


def test_code_dashboard_draws_g_at_the_chosen_codes_and_sweeps_each_continuous_code():
    import torch

    from gan_course.latents import InfoCodes
    from gan_course.models.dcgan import Generator
    from gan_course.models.judge import Judge
    from gan_course.widgets import CodeDashboard

    codes = InfoCodes(z_dim=6, n_cat=4, n_cont=2)
    G = Generator(z_dim=6, width=4, cond_dim=6, seed=0).eval()
    judge = Judge(width=4, n_features=8, seed=0).eval()
    dash = CodeDashboard(G, codes, judge=judge, names={2: "a seven"}, category=1, noise=5, n_sweep=3)
    dash.category.value, dash.cont[0].value, dash.cont[1].value = 2, 0.5, -0.3
    z = torch.randn(1, 6, generator=torch.Generator().manual_seed(5))
    c = torch.tensor([[0.0, 0.0, 1.0, 0.0, 0.5, -0.3]])
    with torch.no_grad():
        want = G(z, c)
        np.testing.assert_allclose(dash.big.get_array(), want[0, 0].numpy(), atol=1e-6)
        p = torch.softmax(judge(want), dim=1)[0]
        swept = G(z.expand(3, -1), torch.tensor([[0, 0, 1, 0, v, -0.3] for v in (-2.0, 0.0, 2.0)]))
    assert dash.values == {"category": 2, "c2": 0.5, "c3": -0.3, "judge reads": int(p.argmax()),
                           "with probability": pytest.approx(float(p.max()), rel=1e-5)}
    np.testing.assert_allclose(dash.rows[1].get_array()[2:30, 2:30], swept[0, 0].numpy(), atol=1e-6)  # c2 = -2 first
    assert "2 (a seven)" in [label for label, _ in dash.category.options]
    with pytest.raises(ValueError, match="G is in training mode"):
        CodeDashboard(G.train(), codes)
    with pytest.raises(ValueError, match="code of 6"):
        CodeDashboard(Generator(z_dim=6, width=4, cond_dim=5).eval(), codes)
    with pytest.raises(ValueError, match="category=4"):
        CodeDashboard(G.eval(), codes, category=4)
    with pytest.raises(ValueError, match="codes must be an InfoCodes"):
        CodeDashboard(G, 6)


def test_digit_dashboard_draws_the_chosen_digit_on_the_slerp_walk_and_counts_agreement():
    import torch

    from gan_course.latents import slerp
    from gan_course.models.dcgan import Generator
    from gan_course.models.judge import Judge
    from gan_course.widgets import DigitDashboard

    G = Generator(z_dim=6, width=4, cond_dim=10, seed=0).eval()
    judge = Judge(width=4, n_features=8, seed=0).eval()
    dash = DigitDashboard(G, judge=judge, digit=1, noise=5, n_writers=3)
    dash.digit.value, dash.walk.value = 7, 0.25
    z0, z1 = (torch.randn(1, 6, generator=torch.Generator().manual_seed(s))[0] for s in (5, 6))
    z = slerp(z0, z1, 0.25)
    writers = torch.randn(3, 6, generator=torch.Generator().manual_seed(7))
    one_hot = lambda labels: torch.nn.functional.one_hot(torch.tensor(labels), 10).float()  # noqa: E731
    with torch.no_grad():
        want = G(z, one_hot([7]))
        every_digit = G(z.expand(10, -1), one_hot(list(range(10))))
        more = G(writers, one_hot([7] * 3))
        shown = torch.cat([want, every_digit, more])
        p = torch.softmax(judge(shown), dim=1)
    np.testing.assert_allclose(dash.big.get_array(), want[0, 0].numpy(), atol=1e-6)
    np.testing.assert_allclose(dash.rows[0].get_array()[2:30, 2 + 30 * 3:30 + 30 * 3], every_digit[3, 0].numpy(), atol=1e-6)
    np.testing.assert_allclose(dash.rows[1].get_array()[2:30, 32:60], more[1, 0].numpy(), atol=1e-6)
    agree = int((p.argmax(1) == torch.tensor([7, *range(10), 7, 7, 7])).sum())
    assert dash.values == {"digit": 7, "judge reads": int(p[0].argmax()),
                           "with probability": pytest.approx(float(p[0].max()), rel=1e-5),
                           "judge agrees (all shown)": f"{agree} of 14"}
    dash.walk.value = 1.0  # the end of the walk is the next seed's noise
    with torch.no_grad():
        np.testing.assert_allclose(dash.big.get_array(), G(z1[None], one_hot([7]))[0, 0].numpy(), atol=1e-5)
    with pytest.raises(ValueError, match="G is in training mode"):
        DigitDashboard(G.train())
    with pytest.raises(ValueError, match="conditional generator"):
        DigitDashboard(Generator(z_dim=6, width=4).eval())
    with pytest.raises(ValueError, match="digit=10"):
        DigitDashboard(G.eval(), digit=10)
    with pytest.raises(ValueError, match="n_writers=0"):
        DigitDashboard(G, n_writers=0)


def test_every_dashboard_fits_its_screen_the_same_way():
    """The course-wide fit (FIT_CSS, carried by the view): the canvas may shrink to the output area
    and to the window's height less the dashboard's lines of controls and readout, and no figure
    text is below 9 pt (the lab's legend was 7 pt, most legends 8 pt)."""
    from matplotlib.text import Text

    from gan_course.widgets import DivergenceDashboard, GANLabDashboard
    from gan_course.widgets.base import FIT_CSS, MIN_FONT_PT

    div, lab = DivergenceDashboard(live=False), GANLabDashboard(live=False)
    for dash, controls in ((div, 4), (lab, 9)):
        assert dash.view.children[0].value == FIT_CSS and "gc-dashboard" in dash.view._dom_classes
        lines = [c for c in dash.view._dom_classes if c.startswith("gc-lines-")]
        assert lines == [f"gc-lines-{(controls + 1) // 2 + 1}"], lines  # two controls a row, a one-line readout
        assert f".{lines[0]} {{ --gc-max-height: calc(100vh - " in FIT_CSS
        sizes = [t.get_fontsize() for t in dash.fig.findobj(Text) if t.get_text()]
        assert min(sizes) == MIN_FONT_PT
    assert "max-width: 100%" in FIT_CSS and "max-height: var(--gc-max-height)" in FIT_CSS
