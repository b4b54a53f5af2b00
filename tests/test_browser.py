"""A real browser: open lessons 00-05 in JupyterLab (served by `make lab`, quick budget), run each top
to bottom, move a slider or press the lab's buttons, and check the numbers and the picture the
learner sees. The image lessons are in ``test_browser_images.py``; the shared parts in ``browser_helpers.py``.
"""

import re
import time

from browser_helpers import (ARTIFACTS, PROJECTOR, ROOT, assert_redrawn, lessons_stay_unchanged, page,  # noqa: F401
                             run_all, step_first_slider)


def test_lesson_00_runs_top_to_bottom_and_its_slider_answers(lab, page):
    from playwright.sync_api import expect

    from gan_course.widgets import PushforwardDashboard

    lesson = ROOT / "notebooks" / "00_generative_models.ipynb"
    panel = run_all(page, lab[0], lesson)
    # The dashboard rendered, its readout shows a = 1.5; five steps right make a = 2.0.
    readout = panel.locator(".gc-readout").first
    expect(readout).to_contain_text("a = 1.5", timeout=30_000)
    figure, picture = step_first_slider(page, panel, 5)
    expected = PushforwardDashboard(a=2.0, b=3.0, live=False).values
    expect(readout).to_contain_text("a = 2", timeout=30_000)
    expect(readout).to_contain_text(f"std = {expected['std']:.4g}")
    expect(readout).to_contain_text(f"modes = {expected['modes']}")
    assert_redrawn(page, figure, picture, lesson)


def test_lesson_01_runs_and_moving_q_changes_kl_to_the_right_value(lab, page):
    from playwright.sync_api import expect

    from gan_course.widgets import DivergenceDashboard

    lesson = ROOT / "notebooks" / "01_kl_vs_js.ipynb"
    panel = run_all(page, lab[0], lesson)
    readout = panel.locator(".gc-readout").first
    start = DivergenceDashboard(q_mean=2.0, q_std=0.6, live=False).values
    expect(readout).to_contain_text(f"KL(p||q) = {start['KL(p||q)']:.4g}", timeout=30_000)
    figure, picture = step_first_slider(page, panel, 5)  # q mean 2.0 -> 2.5
    expected = DivergenceDashboard(q_mean=2.5, q_std=0.6, live=False).values
    assert f"{expected['KL(p||q)']:.4g}" != f"{start['KL(p||q)']:.4g}"
    for key in ("KL(p||q)", "KL(q||p)", "JS"):
        expect(readout).to_contain_text(f"{key} = {expected[key]:.4g}", timeout=30_000)
    assert_redrawn(page, figure, picture, lesson)

    # As live slides on a projector (1280 x 720 at 150% zoom): from the title slide, forward to the
    # dashboard's slide, where the slider still drives the readout and the picture.
    page.set_viewport_size(PROJECTOR)
    try:
        page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0")
        page.evaluate("window.jupyterapp.commands.execute('deck:start')")
        slide_dashboard = panel.locator(".jp-deck-mod-visible .gc-dashboard")
        for _ in range(5):
            if slide_dashboard.count():
                break
            page.evaluate("window.jupyterapp.commands.execute('deck:forward')")  # the remote's arrow
            page.wait_for_timeout(500)
        expect(slide_dashboard).to_have_count(1)
        figure = slide_dashboard.locator(".jupyter-matplotlib-canvas-div canvas").first
        before = figure.screenshot()
        slide_dashboard.locator(".noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")  # q mean 2.5 -> 2.6
        later = DivergenceDashboard(q_mean=2.6, q_std=0.6, live=False).values
        expect(slide_dashboard.locator(".gc-readout")).to_contain_text(f"JS = {later['JS']:.4g}", timeout=30_000)
        page.wait_for_timeout(500)
        assert figure.screenshot() != before, "the slide's figure did not redraw"
        page.screenshot(path=str(ARTIFACTS / "01_kl_vs_js_live_slide.png"))
    finally:
        page.evaluate("window.jupyterapp.commands.execute('deck:stop')")
        page.set_viewport_size({"width": 1400, "height": 1000})


def test_lesson_03_dashboards_keep_the_values_code_gave_them(lab, page):
    """After Run All, the parallel-lines dashboard shows the theta its last cell set from code
    (0.5, after a loop through -0.5, 0, 0.1, 1): no slider view sends a stale value back
    (a FloatSlider did, ending at 0.1); then its slider still answers the keyboard."""
    from playwright.sync_api import expect

    from gan_course.widgets import ParallelLinesDashboard

    lesson = ROOT / "notebooks" / "03_wasserstein.ipynb"
    panel = run_all(page, lab[0], lesson)
    readout = panel.locator(".gc-readout").nth(1)
    expect(readout).to_contain_text("θ = 0.5", timeout=30_000)
    page.wait_for_timeout(3000)  # a value sent back by the page would land by now
    expect(readout).to_contain_text("θ = 0.5")
    figure, picture = step_first_slider(page, panel, 2, slider=4, figure=1)  # θ 0.5 -> 0.6
    expected = ParallelLinesDashboard(theta=0.6, live=False).values
    expect(readout).to_contain_text(f"θ = 0.6   W1 = {expected['W1']:.4g}", timeout=30_000)
    assert_redrawn(page, figure, picture, lesson)


def test_lesson_04_runs_and_the_latent_explorer_follows_its_slider(lab, page):
    from playwright.sync_api import expect

    from gan_course.checkpoints import pretrained
    from gan_course.data import load_mnist, train_heldout_split
    from gan_course.widgets import LatentExplorer

    x, y = load_mnist("subset", value_range=(0, 1))
    _, _, x_held, y_held = train_heldout_split(x, y, seed=0)
    first = {d: int((y_held == d).nonzero()[0]) for d in (0, 1)}
    start = LatentExplorer(pretrained("vae-z2"), x_held, y_held, start=first[1], end=first[0], live=False).values
    lesson = ROOT / "notebooks" / "04_vae.ipynb"
    panel = run_all(page, lab[0], lesson)
    readout = panel.locator(".gc-readout").first  # the explorer's: z1 is the lesson's first slider
    expect(readout).to_contain_text(f"z₁ = {start['z₁']:.4g}", timeout=30_000)  # it opens on a 1's code
    figure, picture = step_first_slider(page, panel, 5)  # 5 steps of 0.05
    expect(readout).to_contain_text(f"z₁ = {round(start['z₁'] + 0.25, 2):.4g}", timeout=30_000)
    expect(readout).to_contain_text(f"z₂ = {start['z₂']:.4g}")
    assert_redrawn(page, figure, picture, lesson)


def test_lesson_05_lab_plays_pauses_and_steps_in_the_browser(lab, page):
    import inspect

    from playwright.sync_api import expect

    from gan_course.widgets import GANLabDashboard

    lesson = ROOT / "notebooks" / "05_gan_2d_lab.ipynb"
    panel = run_all(page, lab[0], lesson)
    readout = panel.locator(".gc-readout").first
    expect(readout).to_contain_text("step = 10", timeout=30_000)  # lab.train(10) in the quick budget

    def step():
        return int(re.search(r"step = (\d+)", readout.inner_text()).group(1))

    figure = panel.locator(".jupyter-matplotlib-figure canvas").first
    figure.scroll_into_view_if_needed()
    before = figure.screenshot()
    panel.locator("button", has_text="step D").first.click()
    panel.locator("button", has_text="step G").first.click()
    expect(readout).to_contain_text("D / G updates = 11 / 11", timeout=30_000)
    assert step() == 10  # lone D and G updates are not training steps
    play = panel.locator("button.widget-toggle-button").first  # the button's text changes: find it by kind
    expect(play).to_have_text("play")
    play.click()
    expect(play).to_have_text("pause", timeout=20_000)  # it says what the next press does
    deadline = time.monotonic() + 60
    while step() < 40 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert step() >= 40, "play did not keep training"
    at_click = step()
    play.click()  # pause
    # the lab sends a frame only once the page has the one before (GANLabDashboard._page_caught_up), so
    # the label comes right after the last frame, the count it shows then is final, and it is at most
    # two frames past the count on the page at the click: the one in flight, the one training
    per_frame = inspect.signature(GANLabDashboard).parameters["steps_per_frame"].default  # the lesson's lab
    expect(play).to_have_text("play", timeout=20_000)
    paused = step()
    page.wait_for_timeout(3000)
    assert step() == paused, f"training went on after pause ({paused} -> {step()})"
    assert paused - at_click <= 2 * per_frame, f"the page lagged: {at_click} at the click, {paused} at pause"
    page.wait_for_timeout(500)
    assert figure.screenshot() != before, "the lab's figure did not redraw while training"
    page.screenshot(path=str(ARTIFACTS / f"{lesson.stem}_after_play.png"))
