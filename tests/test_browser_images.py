"""A real browser on the image lessons (06-10): run each top to bottom in JupyterLab, move a
dashboard's control, and check the readout against the same dashboard built outside the browser.
Shared parts: ``browser_helpers.py``.
"""

import re

from browser_helpers import ROOT, assert_redrawn, lessons_stay_unchanged, page, run_all, step_first_slider  # noqa: F401


def test_lesson_06_runs_and_the_latent_walk_follows_its_slider(lab, page):
    from playwright.sync_api import expect

    from gan_course.checkpoints import pretrained
    from gan_course.widgets import LatentWalk

    lesson = ROOT / "notebooks" / "06_dcgan.ipynb"
    panel = run_all(page, lab[0], lesson)
    scrubber, walk = panel.locator(".gc-readout").nth(0), panel.locator(".gc-readout").nth(1)
    expect(scrubber).to_contain_text("step = 2800", timeout=30_000)
    expect(walk).to_contain_text("t = 0.5", timeout=30_000)
    # the walk's t is the lesson's second slider (the scrubber's step is the first), its figure the second
    figure, picture = step_first_slider(page, panel, 5, slider=1, figure=1)  # 5 steps of 0.01
    expected = LatentWalk(pretrained("dcgan")["G"], pair=5, t=0.55, live=False).values  # as in the lesson
    expect(walk).to_contain_text("t = 0.55", timeout=30_000)
    for key in ("‖z‖ lerp", "‖z‖ slerp"):
        expect(walk).to_contain_text(f"{key} = {expected[key]:.4g}")
    assert_redrawn(page, figure, picture, lesson)


def test_lesson_09_runs_and_a_code_slider_changes_the_digit(lab, page):
    from playwright.sync_api import expect

    from gan_course.checkpoints import pretrained
    from gan_course.recipes import RECIPES
    from gan_course.widgets import CodeDashboard

    lesson = ROOT / "notebooks" / "09_infogan.ipynb"
    panel = run_all(page, lab[0], lesson)
    readout = panel.locator(".gc-readout").first
    expect(readout).to_contain_text("c2 = 0.8", timeout=30_000)  # the lesson's cell set it from code
    category = int(re.search(r"category = (\d+)", readout.text_content()).group(1))  # the matching is the budget's
    figure, picture = step_first_slider(page, panel, 2)  # c2 is the first slider, steps of 0.1
    G = pretrained("infogan")["G"].eval()
    codes = RECIPES["infogan"].make_latent(z_dim=G.z_dim, n_cont=G.cond_dim - 10)
    expected = CodeDashboard(G, codes, judge=pretrained("judge"), category=category, noise=3, live=False)
    expected.cont[0].value = 1.0
    expect(readout).to_contain_text("c2 = 1", timeout=30_000)
    expect(readout).to_contain_text(f"judge reads = {expected.values['judge reads']}")
    expect(readout).to_contain_text(f"with probability = {expected.values['with probability']:.4g}")
    assert_redrawn(page, figure, picture, lesson)


def test_lesson_10_runs_and_the_digit_dashboard_answers_its_walk_and_its_digit(lab, page):
    from playwright.sync_api import expect

    from gan_course.checkpoints import pretrained
    from gan_course.widgets import DigitDashboard

    lesson = ROOT / "notebooks" / "10_conditional_and_evaluation.ipynb"
    panel = run_all(page, lab[0], lesson)
    readout = panel.locator(".gc-readout").first
    expect(readout).to_contain_text("digit = 7", timeout=30_000)  # the lesson's cell set digit 7, walk 0.5
    figure, picture = step_first_slider(page, panel, 2)  # z walk, steps of 0.05: 0.5 -> 0.6
    expected = DigitDashboard(pretrained("cgan")["G"].eval(), judge=pretrained("judge"), digit=7, noise=0, live=False)
    expected.walk.value = 0.6
    expect(readout).to_contain_text(f"with probability = {expected.values['with probability']:.4g}", timeout=30_000)
    assert_redrawn(page, figure, picture, lesson)
    panel.locator(".widget-dropdown select").first.select_option(label="2")  # ask for a 2 instead
    expected.digit.value = 2
    expect(readout).to_contain_text(f"digit = 2   judge reads = {expected.values['judge reads']}   with probability = "
                                    f"{expected.values['with probability']:.4g}", timeout=30_000)
