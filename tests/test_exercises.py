import json
import os
from pathlib import Path

import numpy as np
import pytest

from gan_course import exercises
from gan_course.exercises import check_inverse_cdf_sampler

SLERP = "calls gan_course.latents.slerp, which does the exercise for you"
FEEDBACK = Path(__file__).with_name("exercise_feedback.json")
RECORD = os.environ.get("GAN_COURSE_RECORD_FEEDBACK") == "1"
_recording = {}


@pytest.fixture(autouse=True)
def feedback_as_recorded(request, monkeypatch):
    """Every verdict a test's checks print must be the one recorded for that test in exercise_feedback.json,
    word for word: the feedback is what a learner reads (which hint an answer gets, and its numbers). The
    checkers' fresh cases come from a fixed seed here, so the verdicts repeat; tests marked ``fresh_draws``
    keep them fresh and are not compared. After changing feedback on purpose, record the whole module again,
    on one worker, and read the diff: ``GAN_COURSE_RECORD_FEEDBACK=1 pytest tests/test_exercises.py -n 0``."""
    if request.node.get_closest_marker("fresh_draws"):
        yield
        return
    monkeypatch.setattr(exercises, "_fresh_rng", lambda: np.random.default_rng(20261206))
    said, verdict = [], exercises._verdict
    monkeypatch.setattr(exercises, "_verdict", lambda ok, message: said.append(
        ("Correct! " if ok else "Not yet: ") + message) or verdict(ok, message))
    yield
    if RECORD:
        assert "PYTEST_XDIST_WORKER" not in os.environ, "record on one worker: -n 0"
        _recording[request.node.name] = said
        FEEDBACK.write_text(json.dumps(_recording, indent=1, ensure_ascii=False) + "\n")
    else:
        recorded = json.loads(FEEDBACK.read_text()).get(request.node.name)
        assert said == recorded, f"the feedback differs from {FEEDBACK.name}: {said}"


def rejects(check, fn, reason, capsys):
    assert check(fn) == False  # noqa: E712 (a verdict, not None)
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and reason in out, out


def test_inverse_cdf_checker_accepts_right_answers(capsys):
    assert check_inverse_cdf_sampler(lambda u, rate: -np.log1p(-u) / rate)
    assert check_inverse_cdf_sampler(lambda u, rate: -np.log(u) / rate)  # 1 - U is uniform too
    assert capsys.readouterr().out.startswith("Correct!")


def test_inverse_cdf_checker_rejects_wrong_answers(capsys):
    wrong = [
        (lambda u, rate: None, "returned None"),
        (lambda u, rate: np.log1p(-u) / rate, "never negative"),
        (lambda u, rate: -np.log1p(-u) * rate, "mean"),  # rate used as a scale
        (lambda u, rate: u, "mean"),
        (lambda u, rate: -np.log1p(-u[:10]) / rate, "shape"),
        (lambda u, rate: 1 / 0, "ZeroDivisionError"),
        (lambda u, rate: np.where(u > 0.999, np.nan, -np.log1p(-u) / rate), "NaN or infinite"),
        (lambda u, rate: -np.log(u - u.min()) / rate, "NaN or infinite"),  # +inf at the smallest u
    ]
    for fn, reason in wrong:
        rejects(check_inverse_cdf_sampler, fn, reason, capsys)


def test_js_checker_accepts_the_formula_and_names_mistakes(capsys):
    from gan_course.divergences import kl
    from gan_course.exercises import check_js_from_kl

    def right(p, q):
        m = (p + q) / 2
        return 0.5 * kl(p, m) + 0.5 * kl(q, m)

    assert check_js_from_kl(right)
    assert capsys.readouterr().out.startswith("Correct!")
    mistakes = [
        (lambda p, q: np.sqrt(right(p, q)), "square root"),
        (lambda p, q: 2 * right(p, q), "twice JS"),
        (lambda p, q: 0.5 * kl(p, q) + 0.5 * kl(q, p), "symmetrized KL"),
        (lambda p, q: kl(p, (p + q) / 2), "compare with the formula"),
        (lambda p, q: None, "returned None"),
    ]
    for fn, reason in mistakes:
        rejects(check_js_from_kl, fn, reason, capsys)


def test_optimal_discriminator_checker(capsys):
    from gan_course.exercises import check_optimal_discriminator

    assert check_optimal_discriminator(lambda p, q: p / (p + q))
    assert capsys.readouterr().out.startswith("Correct!")
    for fn, reason in [(lambda p, q: q / (p + q), "1 - D*"), (lambda p, q: p / q, "maximize"),
                       (lambda p, q: None, "returned None"), (lambda p, q: p[:3], "one value per point")]:
        rejects(check_optimal_discriminator, fn, reason, capsys)


def test_w1_by_sorting_checker(capsys):
    from gan_course.exercises import check_w1_by_sorting

    assert check_w1_by_sorting(lambda x, y: np.abs(np.sort(x) - np.sort(y)).mean())
    assert capsys.readouterr().out.startswith("Correct!")
    for fn, reason in [(lambda x, y: np.abs(x - y).mean(), "sort both"),
                       (lambda x, y: np.mean((np.sort(x) - np.sort(y)) ** 2), "W2 squared"),
                       (lambda x, y: abs(x.mean() - y.mean()), "only the means"),
                       (lambda x, y: None, "returned None")]:
        rejects(check_w1_by_sorting, fn, reason, capsys)


def test_generator_loss_checker(capsys):
    import torch

    from gan_course import losses
    from gan_course.exercises import check_generator_loss

    assert check_generator_loss(lambda d: torch.nn.functional.softplus(-d).mean())
    assert check_generator_loss(lambda d: -torch.nn.functional.logsigmoid(d).mean())
    assert capsys.readouterr().out.startswith("Correct!")
    for fn, reason in [(lambda d: -torch.log(torch.sigmoid(d)).mean(), "underflows"),  # inf at logit -120
                       (lambda d: losses.Minimax().d_terms(d, d)["real"], "calls gan_course.losses.Minimax.d_terms"),
                       (lambda d: -losses.Minimax().g_terms(-d)["fake"], "calls gan_course.losses.Minimax.g_terms")]:
        rejects(check_generator_loss, fn, reason, capsys)
    for fn, reason in [(lambda d: -torch.nn.functional.softplus(d).mean(), "saturating"),
                       (lambda d: -torch.nn.functional.softplus(-d).mean(), "sign"),
                       (lambda d: torch.nn.functional.softplus(-d).sum(), "average"),
                       (lambda d: 1.0, "scalar torch tensor"),
                       (lambda d: None, "returned None")]:
        rejects(check_generator_loss, fn, reason, capsys)


def test_gaussian_kl_checker(capsys):
    import torch

    from gan_course.exercises import check_gaussian_kl
    from gan_course.elbo import gaussian_kl

    assert check_gaussian_kl(lambda m, lv: -0.5 * torch.sum(1 + lv - m ** 2 - lv.exp(), dim=1))
    assert capsys.readouterr().out.startswith("Correct!")
    for fn, reason in [(lambda m, lv: 0.5 * (m ** 2 + lv.exp() - 1 - lv), "sum over the latent"),
                       (lambda m, lv: (m ** 2 + lv.exp() - 1 - lv).sum(1), "factor 1/2"),
                       (lambda m, lv: 0.5 * (m ** 2 + lv ** 2 - 1 - lv).sum(1), "not logvar^2"),
                       (lambda m, lv: 0.5 * (m ** 2 + (lv / 2).exp() - 1 - lv / 2).sum(1), "sigma where sigma^2"),
                       (lambda m, lv: -0.5 * (m ** 2 + lv.exp() - 1 - lv).sum(1), "sign"),
                       (lambda m, lv: [0.0], "torch tensor"),
                       (lambda m, lv: m.sum(1), "compare with"),
                       (lambda m, lv: None, "returned None"),
                       (gaussian_kl, "calls gan_course.elbo.gaussian_kl"),
                       (lambda m, lv: gaussian_kl(m, lv) * (1 + 1e-4), "calls gan_course.elbo.gaussian_kl")]:
        rejects(check_gaussian_kl, fn, reason, capsys)


def test_slerp_checker_accepts_the_formula_and_names_mistakes(capsys):
    import functools
    import importlib

    import numpy as np
    import torch

    from gan_course import latents
    from gan_course.exercises import check_slerp

    def mine(z0, z1, t):
        theta = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
        return (torch.sin((1 - t) * theta) * z0 + torch.sin(t * theta) * z1) / torch.sin(theta)

    def in_numpy(z0, z1, t):
        a, b = z0.numpy(), z1.numpy()
        theta = np.arccos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1))
        return (np.sin((1 - t) * theta) * a + np.sin(t * theta) * b) / np.sin(theta)

    def rescaled_line(z0, z1, t):
        line = (1 - t) * z0 + t * z1
        return line / line.norm() * ((1 - t) * z0.norm() + t * z1.norm())

    def quaternion_style(z0, z1, t):  # flips z1 when the ends make an obtuse angle
        return mine(z0, -z1 if z0 @ z1 < 0 else z1, t)

    def normalizes_in_place(z0, z1, t):
        z0 /= z0.norm()
        z1 /= z1.norm()
        return mine(z0, z1, t)

    class Borrower:
        def __call__(self, a, b, t):
            return latents.slerp(a, b, [t])[0]

    def helper(a, b, t):
        return latents.slerp(a, b, [t])[0]

    for right in (mine, in_numpy, lambda a, b, t: mine(b, a, 1 - t), lambda a, b, t: mine(a, b, t).tolist()):
        assert check_slerp(right)
        assert capsys.readouterr().out.startswith("Correct!")
    for fn, reason in [(lambda a, b, t: (1 - t) * a + t * b, "straight line (lerp)"),
                       (rescaled_line, "rescaled straight line"),
                       (quaternion_style, "obtuse angle you flip z1"),
                       (lambda a, b, t: mine(a, b, 1 - t), "swapped"),
                       (lambda a, b, t: a, "returns z0"),
                       (lambda a, b, t: b, "returns z1"),
                       (lambda a, b, t: mine(a, b, t) * 1.001, "off by up to"),
                       (normalizes_in_place, "changed its inputs in place"),
                       (latents.slerp, SLERP),
                       (lambda a, b, t: latents.slerp(a, b, [t])[0], SLERP),
                       (Borrower(), SLERP),
                       (lambda a, b, t: helper(a, b, t), SLERP),
                       (functools.partial(lambda a, b, t, f=latents.slerp: f(a, b, [t])[0]), SLERP),
                       (lambda a, b, t: importlib.import_module("gan_course.latents").slerp(a, b, [t])[0], SLERP),
                       (lambda a, b, t: mine(a, b, t)[None], "shape of z0"),
                       (lambda a, b, t: "slerp", "not str"),
                       (lambda a, b, t: 1 / 0, "raised ZeroDivisionError"),
                       (lambda a, b, t: None, "returned None")]:
        rejects(check_slerp, fn, reason, capsys)
    # the package's slerp works again after a check
    assert torch.allclose(latents.slerp(torch.ones(2), torch.tensor([1.0, 0.0]), [0.0])[0], torch.ones(2))


# Answers that skip the task: a library call that does the exercise, a result that ignores the
# inputs, a value written in for the case the notebook shows; and near misses.
def _fixed_answers():
    """What a learner could copy from a checker's fixed case (the fresh cases differ at each call)."""
    import torch
    from scipy import stats

    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 2, 500), rng.exponential(1.5, 500) - 1
    rng = np.random.default_rng(0)
    p = np.append(0.99 * rng.dirichlet(np.ones(8)), [0.01 - 1e-6, 1e-6])
    q = np.append(0.99 * rng.dirichlet(np.ones(8)), [1e-6, 0.01 - 1e-6])
    logits = torch.tensor([[-6.0], [-1.0], [0.0], [2.5]])
    gen = torch.Generator().manual_seed(0)
    mu, logvar = torch.randn(4, 3, generator=gen), torch.randn(4, 3, generator=gen)
    return {"w1": stats.wasserstein_distance(x, y), "d_star": p / (p + q),
            "g_loss": torch.nn.functional.softplus(-logits).mean().item(),
            "kl": 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1)}


def _skipping_answers():
    import torch
    from scipy import stats
    from scipy.spatial.distance import jensenshannon

    from gan_course import divergences, elbo, exercises, transport

    fixed = _fixed_answers()
    js_table = {}
    for a, b in [([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]), ([0.2, 0.8], [0.2, 0.8]), ([1, 1, 0, 0], [0, 0, 1, 3]),
                 ([0.1, 0.6, 0.3], [0.5, 0.0, 0.5])]:
        a, b = np.asarray(a, float) / np.sum(a), np.asarray(b, float) / np.sum(b)
        js_table[(tuple(np.round(a, 6)), tuple(np.round(b, 6)))] = divergences.js(a, b)

    def js_memorized(p, q):  # right on the notebook's fixed cases only
        return js_table.get((tuple(np.round(p, 6)), tuple(np.round(q, 6))), 0.3)

    def right_js(p, q):
        m = (p + q) / 2
        return 0.5 * divergences.kl(p, m) + 0.5 * divergences.kl(q, m)

    sort_w1 = lambda x, y: np.abs(np.sort(x) - np.sort(y)).mean()  # noqa: E731
    return [
        (exercises.check_inverse_cdf_sampler, lambda u, rate: np.random.default_rng(1).exponential(1 / rate, u.shape),
         "not made from the uniforms"),
        (exercises.check_inverse_cdf_sampler, lambda u, rate: -np.log1p(-u) / 2.0, "is the rate written"),
        (exercises.check_inverse_cdf_sampler, lambda u, rate: -np.log1p(-u) / rate * 1.001, "not made from the uniforms"),
        (exercises.check_js_from_kl, lambda p, q: jensenshannon(p, q) ** 2, "calls scipy.spatial.distance.jensenshannon"),
        (exercises.check_js_from_kl, lambda p, q: divergences.js(p, q), "calls gan_course.divergences.js"),
        (exercises.check_js_from_kl, js_memorized, "compare with the formula"),
        (exercises.check_js_from_kl, lambda p, q: right_js(p, q) * (1 + 1e-4), "compare with the formula"),
        (exercises.check_optimal_discriminator, divergences.optimal_discriminator,
         "calls gan_course.divergences.optimal_discriminator"),
        (exercises.check_optimal_discriminator, lambda p, q: fixed["d_star"], "second one drawn at random"),
        (exercises.check_optimal_discriminator, lambda p, q: p / (p + q) + 1e-6, "at point"),
        (exercises.check_w1_by_sorting, stats.wasserstein_distance, "calls scipy.stats.wasserstein_distance"),
        (exercises.check_w1_by_sorting, lambda x, y: divergences.wasserstein_1d(x, y),
         "calls gan_course.divergences.wasserstein_1d"),
        (exercises.check_w1_by_sorting, lambda x, y: transport.match_points(x, y)[1],
         "calls gan_course.transport.match_points"),
        (exercises.check_w1_by_sorting, lambda x, y: fixed["w1"], "second one drawn at random"),
        (exercises.check_w1_by_sorting, lambda x, y: sort_w1(x, y) * (1 + 1e-4), "compare with the formula"),
        (exercises.check_generator_loss, lambda d: torch.tensor(fixed["g_loss"], requires_grad=True),
         "gradient with respect to d_fake"),
        (exercises.check_generator_loss, lambda d: torch.nn.functional.softplus(-d).mean() * (1 + 1e-4),
         "compare with"),
        (exercises.check_gaussian_kl, lambda m, lv: fixed["kl"].clone(), "drawn at random"),
        (exercises.check_gaussian_kl, lambda m, lv: elbo.gaussian_kl(m, lv),
         "calls gan_course.elbo.gaussian_kl"),
        (exercises.check_gaussian_kl, lambda m, lv: torch.distributions.kl_divergence(
            torch.distributions.Normal(m, (lv / 2).exp()), torch.distributions.Normal(0.0, 1.0)).sum(1),
         "calls torch.distributions.kl.kl_divergence"),
    ]


@pytest.mark.parametrize("check, fn, reason", _skipping_answers(), ids=lambda v: v if isinstance(v, str) else "")
def test_checkers_reject_answers_that_skip_the_task(check, fn, reason, capsys):
    rejects(check, fn, reason, capsys)


def test_library_functions_answer_again_after_a_check(capsys):
    from scipy import stats
    from scipy.spatial.distance import jensenshannon

    from gan_course import divergences, exercises

    exercises.check_w1_by_sorting(stats.wasserstein_distance)
    exercises.check_js_from_kl(jensenshannon)
    assert stats.wasserstein_distance([0.0], [2.0]) == 2.0
    assert np.isclose(jensenshannon([1, 0], [0, 1]) ** 2, np.log(2))
    assert np.isclose(divergences.js([1, 0], [0, 1]), np.log(2))


def test_a_forbidden_function_with_a_closure_is_switched_off_and_back_on():
    """A decorated library function holds a closure; Python swaps its code only for one with as
    many free variables, so the tripwire is built to fit (and reads none of them)."""
    import functools

    from gan_course.exercises import _TRIPWIRE, _forbidden

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args):
            return fn(*args)
        return wrapper

    @decorate
    def library_js(p, q):
        return 0.25

    scale, empty = 2.0, None

    def closure(x):
        return scale * x + (empty or 0)

    def plain(x):
        return x

    for f, n in ((library_js, 1), (closure, 2), (plain, 0)):
        assert len(f.__code__.co_freevars) == n
        before = f.__code__
        with _forbidden([f]):
            with pytest.raises(RuntimeError) as raised:
                f(1.0, 2.0)  # any arguments: it raises before reading them
        assert str(raised.value).startswith(_TRIPWIRE) and str(raised.value).endswith(f.__qualname__)
        assert f.__code__ is before
    assert library_js(1.0, 2.0) == 0.25 and closure(3.0) == 6.0 and plain(4.0) == 4.0


def test_checkers_leave_the_global_random_state_alone(capsys):
    import torch

    from gan_course import exercises

    np.random.seed(5)
    torch.manual_seed(5)
    before = (np.random.rand(), torch.rand(()).item())
    np.random.seed(5)
    torch.manual_seed(5)
    exercises.check_slerp(lambda a, b, t: a)
    exercises.check_w1_by_sorting(lambda x, y: np.abs(np.sort(x) - np.sort(y)).mean())
    exercises.check_js_from_kl(lambda p, q: 0.0)
    assert (np.random.rand(), torch.rand(()).item()) == before


class Lazy:
    """A result that computes itself only when the checker reads it."""

    def __init__(self, compute):
        self.compute = compute

    def __float__(self):
        return float(self.compute())

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.compute(), dtype=dtype)


def _in_place(array_or_tensor, value):
    import torch

    with torch.no_grad():
        array_or_tensor[...] = value


def _attacks():
    """Answers an expert reader found to pass earlier checkers (and correct ones they refused)."""
    import inspect

    import torch
    import torch.nn.functional as F
    from scipy import stats
    from scipy.stats import _stats_py

    from gan_course import divergences, exercises, latents, losses, transport

    def frame_formula(a, b, t):  # reach into the checker's frames for its own answer
        frame = inspect.currentframe().f_back
        while frame is not None and "_slerp_formula" not in frame.f_globals:
            frame = frame.f_back
        return frame.f_globals["_slerp_formula"](a, b, t).float()

    def sampler_rewriting_u(u, rate):
        x = np.random.default_rng(3).exponential(1 / rate, u.shape)
        u[:] = -np.expm1(-rate * x)  # so that x = F^-1(u) afterwards
        return x

    return [
        (exercises.check_js_from_kl, lambda p, q: (_in_place(q, p), 0.0)[1], "changed its inputs in place"),
        (exercises.check_w1_by_sorting, lambda x, y: (_in_place(y, x), 0.0)[1], "changed its inputs in place"),
        (exercises.check_optimal_discriminator, lambda p, q: (_in_place(p, 3 * q), np.full_like(p, 0.75))[1],
         "changed its inputs in place"),
        (exercises.check_gaussian_kl, lambda m, lv: (_in_place(m, 0), _in_place(lv, 0), torch.zeros(len(m)))[2],
         "changed its inputs in place"),
        (exercises.check_generator_loss, lambda d: (_in_place(d, 0), F.softplus(-d).mean())[1],
         "changed its inputs in place"),
        (exercises.check_inverse_cdf_sampler, sampler_rewriting_u, "changed its inputs in place"),
        (exercises.check_js_from_kl, lambda p, q: Lazy(lambda: divergences.js(p, q)), "calls gan_course.divergences.js"),
        (exercises.check_w1_by_sorting, lambda x, y: Lazy(lambda: stats.wasserstein_distance(x, y)),
         "calls scipy.stats.wasserstein_distance"),
        (exercises.check_optimal_discriminator, lambda p, q: Lazy(lambda: divergences.optimal_discriminator(p, q)),
         "calls gan_course.divergences.optimal_discriminator"),
        (exercises.check_slerp, lambda a, b, t: Lazy(lambda: latents.slerp(a, b, [t])[0]), "calls gan_course.latents.slerp"),
        (exercises.check_w1_by_sorting, lambda x, y: _stats_py._cdf_distance(1, x, y), "calls scipy.stats._cdf_distance"),
        (exercises.check_w1_by_sorting, lambda x, y: stats.wasserstein_distance_nd(x[:, None], y[:, None]),
         "calls scipy.stats.wasserstein_distance_nd"),
        (exercises.check_w1_by_sorting, lambda x, y: float(np.sum(transport.transport_plan(
            np.full(len(x), 1 / len(x)), np.full(len(y), 1 / len(y)), np.abs(x[:, None] - y[None])).cost)),
         "calls gan_course.transport."),
        (exercises.check_gaussian_kl, lambda m, lv: torch.distributions.kl._kl_normal_normal(
            torch.distributions.Normal(m, (lv / 2).exp()), torch.distributions.Normal(0.0, 1.0)).sum(1),
         "calls torch.distributions.kl._kl_normal_normal"),
        (exercises.check_generator_loss, lambda d: losses.NonSaturating().g_terms(d)["fake"],
         "calls gan_course.losses.NonSaturating.g_terms"),
        (exercises.check_inverse_cdf_sampler, lambda u, rate: stats.expon.ppf(u, scale=1 / rate),
         "calls scipy.stats.rv_continuous.ppf"),
        (exercises.check_slerp, frame_formula, "calls gan_course.exercises._slerp_formula"),
        (exercises.check_generator_loss, lambda d: F.softplus(-d).mean().detach() + 0 * d.sum(),
         "gradient with respect to d_fake"),
        (exercises.check_js_from_kl, lambda p, q: [0.1, 0.2], "return a number"),
        (exercises.check_w1_by_sorting, lambda x, y: "W1", "return a number"),
        (exercises.check_inverse_cdf_sampler, lambda u, rate: "samples", "return an array of samples"),
    ]


@pytest.mark.parametrize("check, fn, reason", _attacks(), ids=lambda v: v if isinstance(v, str) else "")
def test_checkers_refuse_what_an_expert_reader_tried(check, fn, reason, capsys):
    rejects(check, fn, reason, capsys)


def _right_answers():
    """One answer written from each checker's formula."""
    import math

    import torch
    import torch.nn.functional as F

    def js(p, q):
        m = (p + q) / 2
        return sum(0.5 * np.sum(a[a > 0] * np.log(a[a > 0] / m[a > 0])) for a in (p, q))

    def slerp(z0, z1, t):
        theta = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
        return (torch.sin((1 - t) * theta) * z0 + torch.sin(t * theta) * z1) / torch.sin(theta)

    def penalty(critic, x_hat):
        x = x_hat.requires_grad_(True)
        (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
        return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()

    def frechet(f_real, f_fake):
        from scipy.linalg import sqrtm

        s_r, s_f = np.cov(f_real, rowvar=False), np.cov(f_fake, rowvar=False)
        return (((f_real.mean(0) - f_fake.mean(0)) ** 2).sum() + np.trace(s_r + s_f - 2 * sqrtm(s_r @ s_f).real))

    return {
        exercises.check_inverse_cdf_sampler: lambda u, rate: -np.log1p(-u) / rate,
        exercises.check_js_from_kl: js,
        exercises.check_optimal_discriminator: lambda p, q: p / (p + q),
        exercises.check_w1_by_sorting: lambda x, y: np.abs(np.sort(x) - np.sort(y)).mean(),
        exercises.check_generator_loss: lambda d: F.softplus(-d).mean(),
        exercises.check_gaussian_kl: lambda m, lv: 0.5 * (m ** 2 + lv.exp() - 1 - lv).sum(1),
        exercises.check_slerp: slerp,
        exercises.check_gradient_penalty: penalty,
        exercises.check_lsgan_losses: lambda r, f, a, b, c: (0.5 * ((r - b) ** 2).mean() + 0.5 * ((f - a) ** 2).mean(),
                                                             0.5 * ((f - c) ** 2).mean()),
        exercises.check_info_bound: lambda logits, c: math.log(logits.shape[1])
        + torch.log_softmax(logits, 1).gather(1, c[:, None]).mean(),
        exercises.check_frechet_distance: frechet,
    }


@pytest.mark.fresh_draws
@pytest.mark.parametrize("check", list(_right_answers()), ids=lambda c: c.__name__)
def test_checkers_accept_right_answers_on_cases_drawn_afresh(check, capsys):
    """The other tests fix the checkers' fresh draws; here they are fresh, three checks in a row."""
    answer = _right_answers()[check]
    for _ in range(3):
        accepts(check, answer, capsys)


@pytest.mark.fresh_draws
def test_each_check_draws_its_fresh_cases_afresh():
    draws = [exercises._fresh_rng().integers(2**62) for _ in range(2)]
    assert draws[0] != draws[1]


def test_checkers_accept_right_answers_in_other_precisions_and_types(capsys):
    import torch
    import torch.nn.functional as F

    from gan_course import exercises

    right = [
        (exercises.check_generator_loss, lambda d: F.softplus(-d.double()).mean()),
        (exercises.check_gaussian_kl, lambda m, lv: 0.5 * (m.double() ** 2 + lv.double().exp() - 1 - lv.double()).sum(1)),
        (exercises.check_w1_by_sorting, lambda x, y: (torch.sort(torch.tensor(x, dtype=torch.float32))[0]
                                                      - torch.sort(torch.tensor(y, dtype=torch.float32))[0]).abs().mean()),
        (exercises.check_inverse_cdf_sampler, lambda u, rate: (-np.log1p(-u) / rate).astype(np.float32)),
        (exercises.check_inverse_cdf_sampler, lambda u, rate: torch.tensor(-np.log1p(-u) / rate, requires_grad=True)),
        (exercises.check_js_from_kl, lambda p, q: np.array([0.5 * (np.sum(p * np.log(np.where(p > 0, 2 * p / (p + q), 1)))
                                                              + np.sum(q * np.log(np.where(q > 0, 2 * q / (p + q), 1))))])),
    ]
    for check, fn in right:
        assert check(fn), capsys.readouterr().out
        assert capsys.readouterr().out.startswith("Correct!")


def test_gradient_penalty_checker(capsys):
    import torch

    from gan_course.exercises import check_gradient_penalty
    from gan_course.losses import gradient_penalty

    def penalty(norms, graph=True):
        def fn(critic, x_hat):
            x_hat = x_hat.requires_grad_(True)
            (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=graph)
            return ((norms(grad) - 1) ** 2).mean()
        return fn

    assert check_gradient_penalty(penalty(lambda g: g.flatten(1).norm(dim=1)))
    assert check_gradient_penalty(penalty(lambda g: g.reshape(len(g), -1).double().norm(dim=1)))
    assert capsys.readouterr().out.startswith("Correct!")
    from gan_course.exercises import _small_critic

    x_fixed = torch.rand(6, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    right = penalty(lambda g: g.flatten(1).norm(dim=1))(_small_critic(0, x_fixed), x_fixed).item()
    memorized = lambda critic, x_hat: right + 0 * critic[0].weight.sum()  # noqa: E731  right on the fixed batch only
    for fn, reason in [(penalty(lambda g: g.norm(2, dim=1)), "over the channel only"),
                       (penalty(lambda g: g.flatten(1).pow(2).sum(1)), "squared norm"),
                       (penalty(lambda g: g.norm().expand(len(g))), "whole batch"),
                       (penalty(lambda g: g.norm(dim=(2, 3))), "one norm per channel"),  # caught on 3 channels
                       (penalty(lambda g: g.flatten(1).norm(dim=1).clamp(max=1)), "one-sided"),  # relu(1 - n)^2
                       (penalty(lambda g: g.flatten(1).norm(dim=1).clamp(min=1)), "slopes above 1 only"),  # relu(n-1)^2
                       (lambda critic, x_hat: 10 * penalty(lambda g: g.flatten(1).norm(dim=1))(critic, x_hat),
                        "lambda = 10 multiplies it in the critic's loss"),
                       (lambda critic, x_hat: len(x_hat) * penalty(lambda g: g.flatten(1).norm(dim=1))(critic, x_hat),
                        "instead of summing"),
                       (penalty(lambda g: g.flatten(1).norm(dim=1).mean().expand(len(g))), "mean norm"),
                       (penalty(lambda g: g.flatten(1).norm(p=1, dim=1)), "the penalty is"),
                       (penalty(lambda g: g.flatten(1).norm(dim=1), graph=False), "create_graph=True"),
                       (lambda critic, x_hat: gradient_penalty(critic, x_hat, x_hat),
                        "calls gan_course.losses.gradient_penalty"),
                       (memorized, "with respect to the critic's weights"),
                       (lambda critic, x_hat: torch.tensor(0.5), "the penalty is"),
                       (lambda critic, x_hat: None, "returned None")]:
        rejects(check_gradient_penalty, fn, reason, capsys)


def test_lsgan_losses_checker(capsys):
    import torch
    import torch.nn.functional as F

    from gan_course.exercises import _lsgan_terms, check_lsgan_losses
    from gan_course.losses import LeastSquares

    def right(r, f, a, b, c):
        return 0.5 * ((r - b) ** 2).mean() + 0.5 * ((f - a) ** 2).mean(), 0.5 * ((f - c) ** 2).mean()

    def with_mse(r, f, a, b, c):
        return (0.5 * F.mse_loss(r, torch.full_like(r, b)) + 0.5 * F.mse_loss(f, torch.full_like(f, a)),
                0.5 * F.mse_loss(f, torch.full_like(f, c)))

    for fn in (right, with_mse):
        assert check_lsgan_losses(fn)
        assert capsys.readouterr().out.startswith("Correct!")
    for fn, reason in [(lambda r, f, a, b, c: right(torch.sigmoid(r), torch.sigmoid(f), a, b, c), "a sigmoid"),
                       (lambda r, f, a, b, c: tuple(2 * t for t in right(r, f, a, b, c)), "factor 1/2"),
                       (lambda r, f, a, b, c: right(r, f, b, a, c), "toward b"),
                       (lambda r, f, a, b, c: right(r, f, a, b, a), "toward c, not a"),
                       (lambda r, f, a, b, c: right(r, f, 0, 1, 1), "not 0, 1, 1"),
                       (lambda r, f, a, b, c: right(r, f, a, b, b), "toward c, not b"),
                       (lambda r, f, a, b, c: (right(r, f, a, b, c)[0] * len(r), right(r, f, a, b, c)[1]), "should be"),
                       (lambda r, f, a, b, c: tuple(torch.tensor(t.item(), requires_grad=True)
                                                    for t in right(r, f, a, b, c)), "gradient of your"),
                       (lambda r, f, a, b, c: (sum(LeastSquares(a=a, b=b, c=c).d_terms(r, f).values()),
                                               LeastSquares(a=a, b=b, c=c).g_terms(f)["fake"]), "does the exercise"),
                       (lambda r, f, a, b, c: _lsgan_terms(r, f, a, b, c), "does the exercise"),
                       (lambda r, f, a, b, c: right(r, f, a, b, c)[0], "a pair"),
                       # a review found these: outputs clipped at +-10 (passed when the random batch stayed inside),
                       # G's loss detached, and gradients moved from one loss to the other (checked only summed)
                       (lambda r, f, a, b, c: right(r.clamp(-10, 10), f.clamp(-10, 10), a, b, c), "random"),
                       (lambda r, f, a, b, c: (right(r, f, a, b, c)[0], right(r, f, a, b, c)[1].detach()), "detach()"),
                       (lambda r, f, a, b, c: (right(r, f, a, b, c)[0] + right(r, f, a, b, c)[1]
                                               - right(r, f, a, b, c)[1].detach(),
                                               right(r, f, a, b, c)[1].detach() + 0 * f.sum()), "gradient of your"),
                       (lambda r, f, a, b, c: (right(r, f, a, b, c)[0].detach(), right(r, f, a, b, c)[1]),
                        "your d_loss carries no gradient"),
                       (lambda r, f, a, b, c: (right(r, f, a, b, c)[0], 1.5 * right(r, f, a, b, c)[1]
                                               - 0.5 * right(r, f, a, b, c)[1].detach()), "gradient of your g_loss")]:
        rejects(check_lsgan_losses, fn, reason, capsys)


def test_info_bound_checker(capsys):
    import math

    import torch
    import torch.nn.functional as F

    from gan_course.exercises import check_info_bound
    from gan_course.latents import InfoCodes
    from gan_course.losses import InfoGAN

    def right(logits, c):
        return math.log(logits.shape[1]) - F.cross_entropy(logits, c)

    def by_hand(logits, c):
        log_q = logits - torch.logsumexp(logits, dim=1, keepdim=True)
        return math.log(logits.shape[1]) + log_q[torch.arange(len(c)), c].mean()

    for fn in (right, by_hand):
        assert check_info_bound(fn)
        assert capsys.readouterr().out.startswith("Correct!")

    def package(logits, c):
        loss = InfoGAN(None, torch.nn.Identity(), InfoCodes(2, logits.shape[1], 0))
        return math.log(logits.shape[1]) - loss.code_terms(logits, F.one_hot(c, logits.shape[1]).float())["info_cat"]

    for fn, reason in [(lambda lg, c: right(torch.softmax(lg, 1), c), "one softmax"),
                       (lambda lg, c: -F.cross_entropy(lg, c), "add H(c)"),
                       (lambda lg, c: F.cross_entropy(lg, c), "the cross-entropy"),
                       (lambda lg, c: -right(lg, c), "sign"),
                       (lambda lg, c: right(lg, c) / math.log(2), "nats"),
                       (lambda lg, c: math.log(lg.shape[1]) - F.cross_entropy(lg, c, reduction="sum"), "summing"),
                       (lambda lg, c: math.log(10) - F.cross_entropy(lg, c), "not log 10"),
                       (lambda lg, c: math.log(3) - F.cross_entropy(lg, c), "drawn at random"),
                       (lambda lg, c: math.log(lg.shape[1]) + torch.log(torch.softmax(lg, 1) + 1e-8)[
                           torch.arange(len(c)), c].mean(), "log_softmax"),
                       (lambda lg, c: right(lg.clamp(-10, 10), c), "drawn at random"),
                       (lambda lg, c: right(lg, c).detach(), "no gradient"),
                       (lambda lg, c: right(lg, c).detach() + 0 * lg.sum(), "gradient"),
                       (lambda lg, c: right(lg, c).reshape(1).repeat(2), "one number"),
                       (package, "does the exercise"),
                       # found by review: H(c) from the categories present, clamps, a tensor made from numpy
                       (lambda lg, c: math.log(len(c.unique())) - F.cross_entropy(lg, c), "log K"),
                       (lambda lg, c: math.log(int(c.max()) + 1) - F.cross_entropy(lg, c), "log K"),
                       (lambda lg, c: math.log(lg.shape[1]) + torch.log(torch.softmax(lg, 1).clamp_min(1e-12))[
                           torch.arange(len(c)), c].mean(), "log_softmax"),
                       (lambda lg, c: right(lg.clamp(-20, 20), c), "log_softmax"),
                       (lambda lg, c: torch.tensor(right(lg, c).item(), requires_grad=True), "no gradient")]:
        rejects(check_info_bound, fn, reason, capsys)


def test_frechet_distance_checker(capsys):
    import torch
    from scipy.linalg import sqrtm

    from gan_course.exercises import check_frechet_distance

    def parts(a, b, ddof=1):
        return ((a.mean(0) - b.mean(0)) ** 2).sum(), np.cov(a, rowvar=False, ddof=ddof), np.cov(b, rowvar=False, ddof=ddof)

    def right(a, b):
        m, s1, s2 = parts(a, b)
        return m + np.trace(s1 + s2 - 2 * sqrtm(s1 @ s2).real)

    def with_torch(a, b):  # float32 tensors and the eigenvalue route
        a, b = torch.tensor(a, dtype=torch.float32), torch.tensor(b, dtype=torch.float32)
        s1, s2 = torch.cov(a.T), torch.cov(b.T)
        return ((a.mean(0) - b.mean(0)) ** 2).sum() + s1.trace() + s2.trace() \
            - 2 * torch.linalg.eigvals(s1 @ s2).sqrt().real.sum()

    for fn in (right, with_torch):
        assert check_frechet_distance(fn)
        assert capsys.readouterr().out.startswith("Correct!")

    def library(a, b):
        from gan_course.metrics import _frechet_of
        return _frechet_of(torch.tensor(a), torch.tensor(b))

    def torchmetrics_fid(a, b):
        from torchmetrics.image.fid import _compute_fid
        t = lambda x: torch.tensor(x)  # noqa: E731
        return _compute_fid(t(a.mean(0)), t(np.cov(a, rowvar=False)), t(b.mean(0)), t(np.cov(b, rowvar=False)))

    def biased(a, b):
        m, s1, s2 = parts(a, b, ddof=0)
        return m + np.trace(s1 + s2 - 2 * sqrtm(s1 @ s2).real)

    def split_roots(a, b):
        m, s1, s2 = parts(a, b)
        return m + np.trace(s1 + s2 - 2 * (sqrtm(s1) @ sqrtm(s2)).real)

    def elementwise(a, b):
        m, s1, s2 = parts(a, b)
        return m + np.trace(s1) + np.trace(s2) - 2 * np.trace(np.sqrt(np.abs(s1 * s2)))

    def unsquared_mean(a, b):
        m, s1, s2 = parts(a, b)
        return np.sqrt(m) + np.trace(s1 + s2 - 2 * sqrtm(s1 @ s2).real)

    def near_miss(a, b):  # 1% off: ten times the checker's tolerance
        return right(a, b) * (1 + 1e-2)

    fixed_value = [None]

    def written_in(a, b):  # the fixed case's answer, whatever the input
        fixed_value[0] = fixed_value[0] or right(a, b)
        return fixed_value[0]

    def checker_own(a, b):
        from gan_course.exercises import _frechet
        return _frechet(a, b)

    real_isclose = np.isclose

    def loosened(a, b):  # replaces numpy.isclose to make every comparison pass
        np.isclose = lambda *args, **kwargs: True
        return 42.0

    try:
        assert not check_frechet_distance(loosened)
    finally:
        np.isclose = real_isclose
    assert "should be" in capsys.readouterr().out
    for fn, reason in [(library, "does the exercise for you"), (torchmetrics_fid, "does the exercise for you"),
                       (checker_own, "does the exercise for you"),
                       (biased, "n - 1"), (split_roots, "commute"), (elementwise, "element-wise"),
                       (lambda a, b: np.sqrt(right(a, b)), "square root"), (unsquared_mean, "squared distance"),
                       (near_miss, "compare with the formula"), (written_in, "drawn at random"),
                       (lambda a, b: right(a, b) + 0.01, "compare with the formula"), (lambda a, b: None, "None"),
                       (lambda a, b: np.ones(2), "one number"), (lambda a, b: str(right(a, b)), "text"),
                       (lambda a, b: np.complex128(right(a, b) + 7j), "complex"), (lambda a, b: (a.sort(0), right(a, b))[1], "in place")]:
        rejects(check_frechet_distance, fn, reason, capsys)


class _Edges:
    """A stand-in for a check's fresh generator that draws every integer, and every choice, at one end of its range
    (``integers`` as numpy reads it: ``integers(high)`` is ``[0, high)``); its other draws are a seeded generator's."""

    def __init__(self, top: bool):
        self.top, self.rng = top, np.random.default_rng(7)

    def integers(self, low, high=None, size=None):
        low, high = (0, low) if high is None else (low, high)
        return np.full(size, high - 1 if self.top else low) if size else high - 1 if self.top else low

    def choice(self, options):
        return options[-1] if self.top else options[0]

    def __getattr__(self, name):
        return getattr(self.rng, name)


def _fresh_arguments(check, answer, top, monkeypatch):
    """The arguments of each call a check makes to a right answer, its fresh cases drawn at their ends."""
    monkeypatch.setattr(exercises, "_fresh_rng", lambda: _Edges(top))
    calls = []
    assert check(lambda *args: calls.append(args) or answer(*args)) is True
    return calls


@pytest.mark.fresh_draws
@pytest.mark.parametrize("top", [False, True], ids=["smallest", "largest"])
def test_fresh_cases_are_never_too_small_to_test(top, monkeypatch, capsys):
    """A fresh case is what catches an answer written for the fixed one; an empty one would pass anything."""
    answers = _right_answers()
    check = lambda c: _fresh_arguments(c, answers[c], top, monkeypatch)  # noqa: E731
    assert len(check(exercises.check_inverse_cdf_sampler)[1][0]) == (499 if top else 50)
    assert len(check(exercises.check_w1_by_sorting)[1][0]) == (299 if top else 20)
    logits = check(exercises.check_generator_loss)[2][0]
    assert logits.shape == ((199 if top else 5), 1)
    if top:  # N(0, 3^2) logits: some far out on both sides
        assert abs(logits.mean()) < 0.6 and 2.5 < logits.std() < 3.5, (logits.mean(), logits.std())
    mu, logvar = check(exercises.check_gaussian_kl)[1]
    assert mu.shape == logvar.shape and mu.dim() == 2, (mu.shape, logvar.shape)
    assert check(exercises.check_gradient_penalty)[1][1].shape == ((19 if top else 3), 3, 28, 28)
    for outputs in check(exercises.check_lsgan_losses)[2][:2]:  # N(0, 4^2) outputs, and one beyond -10 and +10
        assert len(outputs) == (99 if top else 5) + 2 and outputs.min() < -10 and outputs.max() > 10
    assert check(exercises.check_info_bound)[1][0].shape == ((79, 12) if top else (20, 5))
    f_real, f_fake = check(exercises.check_frechet_distance)[1]
    assert f_real.shape == ((59, 7) if top else (30, 4)) and f_fake.shape == ((89, 7) if top else (60, 4))


def test_feedback_shows_numbers_with_the_digits_that_tell_them_apart():
    assert exercises._differ(2.0219, 0.5) == ("2.0219", "0.50000")  # five significant digits at least
    assert exercises._differ(0.11968768, 0.1196876) == ("0.1196877", "0.1196876")  # seven: they differ there
    assert exercises._differ(0.119688, 0.1196876) == ("0.1196880", "0.1196876")  # trailing zeros kept
    assert exercises._differ(5e-9, 0.0) == ("5.0000e-09", "0.0000")
    assert exercises._differ(1.0, 1 + 3e-12) == ("1.00000000000", "1.00000000000")  # at most twelve digits


# Tolerances: each checker's near miss (a few times its tolerance, but inside numpy's or torch's default
# tolerance where a mutant falls back to it) must fail, and an answer just inside it must pass. Where a
# checker has a fixed case and a fresh one, `_later` keeps the answer right on the fixed case(s), so that
# the fresh case's own tolerance is what decides.

def accepts(check, fn, capsys):
    assert check(fn) is True, capsys.readouterr().out
    out = capsys.readouterr().out
    assert out.startswith("Correct!"), out
    return out


def _later(exact, off, after=1):
    """An answer that is ``exact`` on its first ``after`` calls and ``off`` from then on."""
    calls = []

    def answer(*args):
        calls.append(None)
        return (exact if len(calls) <= after else off)(*args)
    return answer


def test_inverse_cdf_checker_tolerance(capsys):
    right = lambda u, rate: -np.log1p(-u) / rate  # noqa: E731
    # _inverse_cdf_of: np.allclose(x, want, rtol=1e-5, atol=1e-7)
    accepts(check_inverse_cdf_sampler, lambda u, rate: right(u, rate) * (1 + 2e-6), capsys)  # 0.2 rtol
    # half of atol: numpy's default atol 1e-8 would refuse it for the samples below 4e-3
    accepts(check_inverse_cdf_sampler, lambda u, rate: right(u, rate) + 5e-8, capsys)
    near = lambda u, rate: right(u, rate) * (1 + 5e-5)  # noqa: E731  5 rtol; the KS test cannot see it
    rejects(check_inverse_cdf_sampler, near, "not made from the uniforms", capsys)
    rejects(check_inverse_cdf_sampler, _later(right, near), "is the rate written", capsys)
    rejects(check_inverse_cdf_sampler, _later(right, lambda u, rate: None), "None; return an array of samples", capsys)
    # samples below 5e-4 rounded to 0: not negative, so not the sign's message (x <= 0 would give it)
    rejects(check_inverse_cdf_sampler, lambda u, rate: np.where(u < 1e-3, 0.0, right(u, rate)),
            "not made from the uniforms", capsys)


def test_js_checker_tolerance(capsys):
    from gan_course.divergences import kl
    from gan_course.exercises import check_js_from_kl

    def right(p, q):
        m = (p + q) / 2
        return 0.5 * kl(p, m) + 0.5 * kl(q, m)

    # np.isclose(got, want, rtol=1e-5, atol=3e-7)
    accepts(check_js_from_kl, lambda p, q: right(p, q) * (1 + 2e-6), capsys)  # 0.2 rtol
    accepts(check_js_from_kl, lambda p, q: right(p, q) + 6e-8, capsys)  # 0.2 atol
    rejects(check_js_from_kl, lambda p, q: right(p, q) * (1 + 3e-5), "compare with the formula", capsys)  # 3 rtol
    # 5 atol where p = q (JS = 0): there every named mistake is 0 too, so the hint must not name one (with
    # numpy's default atol it did)
    rejects(check_js_from_kl, lambda p, q: right(p, q) + (1.5e-6 if np.array_equal(p, q) else 0.0),
            "q = [0.2 0.8] you return 1.5000e-06, JS is 0.0000; compare with the formula", capsys)
    rejects(check_js_from_kl, lambda p, q: right(p, q) / np.log(2), "in bits", capsys)
    # a hint names a mistake within the checker's own tolerance of it
    rejects(check_js_from_kl, lambda p, q: np.sqrt(right(p, q)) * (1 + 3e-5), "compare with the formula", capsys)
    rejects(check_js_from_kl, lambda p, q: np.sqrt(right(p, q)) * (1 + 3e-6), "square root", capsys)


def test_optimal_discriminator_checker_tolerance_and_report(capsys):
    import re

    from gan_course.exercises import check_optimal_discriminator

    right = lambda p, q: p / (p + q)  # noqa: E731
    # np.allclose(d, want, rtol=1e-6, atol=1e-9); numpy's defaults are rtol=1e-5, atol=1e-8
    out = accepts(check_optimal_discriminator, lambda p, q: right(p, q) * (1 + 2e-7), capsys)  # 0.2 rtol
    value, formula = re.search(r"V\(D\*, G\) = (\S+) = -log 4 \+ 2 JS = (\S+)", out).groups()
    assert value == formula, out
    accepts(check_optimal_discriminator, lambda p, q: right(p, q).astype(np.float32), capsys)  # float32 rounding
    accepts(check_optimal_discriminator, lambda p, q: list(right(p, q)), capsys)  # any array-like, on both cases
    rejects(check_optimal_discriminator, lambda p, q: right(p, q) * (1 + 5e-6), "at point", capsys)  # 5 rtol
    rejects(check_optimal_discriminator, _later(right, lambda p, q: right(p, q) * (1 + 5e-6)),
            "second one drawn at random", capsys)
    # all of rtol and 5 atol more: numpy's default atol 1e-8 would take it, on either case
    edge = lambda p, q: right(p, q) * (1 + 1e-6) + 5e-9  # noqa: E731
    rejects(check_optimal_discriminator, edge, "at point", capsys)
    rejects(check_optimal_discriminator, _later(right, edge), "second one drawn at random", capsys)
    rejects(check_optimal_discriminator, _later(right, lambda p, q: None), "returned None; return an array", capsys)
    # the fixed case has D* = 0.9999 and 1e-4 at its last two points: a clipped D is refused there
    for clip in (0.01, 1e-3):
        rejects(check_optimal_discriminator, lambda p, q: np.clip(right(p, q), clip, 1 - clip), "at point", capsys)

    def off_at_smallest(p, q):  # the message names the point that is off, not the largest D*
        d = right(p, q)
        d[np.argmin(d)] += 1e-3
        return d

    point = int(np.argmin(_fixed_answers()["d_star"]))
    rejects(check_optimal_discriminator, off_at_smallest, f"at point {point} D*", capsys)


def test_w1_checker_tolerance(capsys):
    import torch

    from gan_course.exercises import check_w1_by_sorting

    right = lambda x, y: np.abs(np.sort(x) - np.sort(y)).mean()  # noqa: E731
    # np.isclose(got, want, rtol=1e-5)
    accepts(check_w1_by_sorting, lambda x, y: right(x, y) * (1 + 2e-6), capsys)  # 0.2 rtol
    # a tensor that requires grad: numpy cannot read it, the checker goes through detach()
    accepts(check_w1_by_sorting, lambda x, y: (torch.tensor(np.sort(x), requires_grad=True)
                                               - torch.tensor(np.sort(y))).abs().mean(), capsys)
    rejects(check_w1_by_sorting, lambda x, y: right(x, y) * (1 + 5e-5), "compare with the formula", capsys)  # 5 rtol
    rejects(check_w1_by_sorting, _later(right, lambda x, y: right(x, y) * (1 + 5e-5)),
            "second one drawn at random", capsys)


def test_generator_loss_checker_tolerance_and_report(capsys):
    import torch.nn.functional as F

    from gan_course.exercises import check_generator_loss

    right = lambda d: F.softplus(-d).mean()  # noqa: E731

    def grad_scaled(k):  # the same value, its gradient times 1 + k
        def fn(d):
            loss = right(d)
            return loss + k * (loss - loss.detach())
        return fn

    # value: torch.isclose(value, want, rtol=1e-5); gradient: torch.allclose(rtol=1e-4, atol=1e-7)
    out = accepts(check_generator_loss, lambda d: right(d) * (1 + 2e-6), capsys)  # 0.2 rtol
    # the fixed logits [-6, -1, 0, 2.5]: mean softplus(-l) = 2.0219, gradient -sigmoid(6) / 4 at -6
    assert "loss 2.0219" in out and "is -0.2494" in out, out
    accepts(check_generator_loss, grad_scaled(2e-5), capsys)  # 0.2 of the gradient's rtol, twice torch's default
    # half the gradient's atol: torch's default 1e-8 would refuse it where a fresh logit is large (gradient ~1e-6)
    accepts(check_generator_loss, lambda d: right(d) + 5e-8 * (d - d.detach()).sum(), capsys)
    rejects(check_generator_loss, _later(right, lambda d: right(d) * 1.01, after=2), "wrong on one drawn at random",
            capsys)
    rejects(check_generator_loss, lambda d: right(d) * (1 + 5e-5), "compare with", capsys)  # 5 rtol
    rejects(check_generator_loss, grad_scaled(5e-4), "gradient with respect to d_fake", capsys)  # 5 rtol
    rejects(check_generator_loss, lambda d: F.softplus(-d), "scalar torch tensor", capsys)  # one loss per logit
    rejects(check_generator_loss, lambda d: right(d).detach(), "so that it has a gradient", capsys)


def test_gaussian_kl_checker_tolerance(capsys):
    import torch

    from gan_course.exercises import check_gaussian_kl

    right = lambda m, lv: 0.5 * (m ** 2 + lv.exp() - 1 - lv).sum(1)  # noqa: E731
    # torch.allclose(got, want, rtol=1e-5), on both the fixed and the fresh inputs
    torch.manual_seed(5)
    before = torch.rand(())
    torch.manual_seed(5)
    accepts(check_gaussian_kl, lambda m, lv: right(m, lv) * (1 + 2e-6), capsys)  # 0.2 rtol
    assert torch.rand(()) == before  # the fresh inputs come from the checker's own generator
    near = lambda m, lv: right(m, lv) * (1 + 5e-5)  # noqa: E731  5 rtol
    rejects(check_gaussian_kl, near, "compare with", capsys)
    rejects(check_gaussian_kl, _later(right, near), "drawn at random", capsys)
    rejects(check_gaussian_kl, _later(right, lambda m, lv: right(m, lv).numpy()), "drawn at random", capsys)
    rejects(check_gaussian_kl, _later(right, lambda m, lv: None), "returned None; return a tensor of shape", capsys)
    from gan_course.elbo import gaussian_kl  # switched off on the fresh inputs too
    rejects(check_gaussian_kl, _later(right, gaussian_kl), "calls gan_course.elbo.gaussian_kl", capsys)
    # torch's own errors are RuntimeErrors too: reported as raised, not as a library doing the exercise
    rejects(check_gaussian_kl, lambda m, lv: m @ lv, "raised RuntimeError", capsys)


def test_slerp_checker_tolerance(capsys):
    import re

    import torch

    from gan_course.exercises import check_slerp

    def off_by(c):  # c times the checker's allowance 1e-4 * (1 + max|want|), in the first coordinate
        def fn(z0, z1, t):
            z0, z1 = z0.double(), z1.double()
            theta = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
            exact = (torch.sin((1 - t) * theta) * z0 + torch.sin(t * theta) * z1) / torch.sin(theta)
            return exact + c * 1e-4 * (1 + exact.abs().max()) * (torch.arange(len(exact)) == 0)
        return fn

    out = accepts(check_slerp, off_by(0.2), capsys)
    assert float(re.search(r"largest error (\S+)\)", out).group(1)) < 1e-3, out
    # max|want| is about 4 here: an allowance of 1e-4 * (2 + max|want|) would take 1.1 times this one
    rejects(check_slerp, off_by(1.1), "check the sines", capsys)
    rejects(check_slerp, off_by(3), "check the sines", capsys)
    # the ends are checked: t = 0 and t = 1 themselves
    rejects(check_slerp, lambda z0, z1, t: z1 if t == 0 else off_by(0)(z0, z1, t), "at t = 0.00", capsys)
    rejects(check_slerp, lambda z0, z1, t: z0 if t == 1 else off_by(0)(z0, z1, t), "at t = 1.00", capsys)
    # the checker's own float64 formula, written out: exact (an error of 0 is reported, not compared with t)
    assert "largest error 0.0e+00" in accepts(check_slerp, off_by(0), capsys)


def test_gradient_penalty_checker_tolerance_and_report(capsys):
    import torch

    from gan_course.exercises import _penalty_and_grad, _small_critic, check_gradient_penalty

    def right(critic, x_hat):
        x = x_hat.requires_grad_(True)
        (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
        return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()

    def value_off(c):  # c times the value's allowance 1e-8 + 1e-4 |want| (torch.isclose with rtol=1e-4)
        return lambda critic, x_hat: (lambda p: p + c * (1e-8 + 1e-4 * p.item()))(right(critic, x_hat))

    def weight_grad_off(scale, shift):  # the same value; the weights' gradient g -> (1 + scale) g + a constant
        def fn(critic, x_hat):  # whose norm is shift |g|
            g = _penalty_and_grad(critic, x_hat, lambda g: g.flatten(1).norm(dim=1))[1]
            p, w = right(critic, x_hat), critic[0].weight
            return p + scale * (p - p.detach()) + shift * (g.norm() / g.numel() ** 0.5).item() * (w - w.detach()).sum()
        return fn

    def eps_under_the_root(eps):  # as popular code writes it
        def fn(critic, x_hat):
            x = x_hat.requires_grad_(True)
            (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
            return ((torch.sqrt((grad.flatten(1) ** 2).sum(1) + eps) - 1) ** 2).mean()
        return fn

    x_fixed = torch.rand(6, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    fixed = right(_small_critic(0, x_fixed), x_fixed).item()  # 3.7e-4: its allowance, 4.7e-8, is mostly atol
    out = accepts(check_gradient_penalty, value_off(0.5), capsys)  # rtol 1e-5 instead would allow 1.4e-8
    assert f"penalty {fixed:.4g} on the fixed batch" in out, out
    # the weights' gradient g (|g| <= 1.3e-3) within 1e-3 |g| as a whole: half of it passes, three times fails,
    # scaled or shifted (with an atol of 1e-6 per element, as before, a shift of 3e-3 |g| passed)
    accepts(check_gradient_penalty, weight_grad_off(5e-4, 0.0), capsys)
    accepts(check_gradient_penalty, weight_grad_off(0.0, 5e-4), capsys)
    rejects(check_gradient_penalty, weight_grad_off(3e-3, 0.0), "critic's weights is not", capsys)
    rejects(check_gradient_penalty, weight_grad_off(0.0, 3e-3), "critic's weights is not", capsys)
    rejects(check_gradient_penalty, _later(right, weight_grad_off(0.0, 3e-3)), "critic's weights is not", capsys)
    rejects(check_gradient_penalty, value_off(3), "the penalty is", capsys)
    for eps in (1e-12, 1e-8, 1e-6):  # under the square root: 1e-6 moves the weights' gradient by about 4e-4 |g|
        accepts(check_gradient_penalty, eps_under_the_root(eps), capsys)
    rejects(check_gradient_penalty, _later(right, value_off(3)), "three-channel batch drawn at random", capsys)
    rejects(check_gradient_penalty, lambda critic, x_hat: None, "returned None; return a scalar tensor", capsys)
    rejects(check_gradient_penalty, lambda critic, x_hat: right(critic, x_hat) * torch.ones(len(x_hat)),
            "scalar torch tensor", capsys)


def test_lsgan_checker_tolerance_and_report(capsys):
    from gan_course.exercises import check_lsgan_losses

    def right(r, f, a, b, c):
        return 0.5 * ((r - b) ** 2).mean() + 0.5 * ((f - a) ** 2).mean(), 0.5 * ((f - c) ** 2).mean()

    def grads_off(scale, shift=0.0):  # the same values; gradients times 1 + scale, g_loss's d_real one + shift
        def fn(r, f, a, b, c):
            d, g = right(r, f, a, b, c)
            return d + scale * (d - d.detach()), g + scale * (g - g.detach()) + shift * (r - r.detach()).sum()
        return fn

    # values: torch.isclose(rtol=1e-5, atol=1e-8); gradients: torch.allclose(rtol=1e-4, atol=1e-7)
    rejects(check_lsgan_losses, lambda r, f, a, b, c: None, "returned None; return a pair (d_loss, g_loss)", capsys)
    out = accepts(check_lsgan_losses, lambda *args: tuple(t * (1 + 2e-6) for t in right(*args)), capsys)
    # the fixed outputs with a, b, c = 0, 1, 1: d_loss 0.5 * 0.62 + 0.5 * 3.315, g_loss 0.5 * 3.515
    assert "d_loss 1.9675 and g_loss 1.7575" in out, out
    # 0.2 of the gradients' rtol (twice torch's default), and half of their atol on g_loss's zero gradient
    accepts(check_lsgan_losses, grads_off(2e-5, 5e-8), capsys)
    rejects(check_lsgan_losses, lambda *args: tuple(t * (1 + 5e-5) for t in right(*args)),
            "compare with the formula above", capsys)  # 5 rtol
    rejects(check_lsgan_losses, grads_off(5e-4), "gradient of your", capsys)  # 5 rtol
    rejects(check_lsgan_losses, lambda r, f, a, b, c: (right(r, f, a, b, c)[0], 0.5 * (f - c) ** 2), "a pair", capsys)
    summed = "average over the batch instead of summing"
    summed_d = lambda r, f, a, b, c: (0.5 * ((r - b) ** 2).sum() + 0.5 * ((f - a) ** 2).sum(),  # noqa: E731
                                      right(r, f, a, b, c)[1])
    rejects(check_lsgan_losses, _later(right, summed_d), summed, capsys)  # met with a, b, c = -1, 1, 0 (a != 0)
    rejects(check_lsgan_losses, lambda r, f, a, b, c: (right(r, f, a, b, c)[0], 0.5 * ((f - c) ** 2).sum()),
            summed, capsys)


def test_info_bound_checker_tolerance_and_hints(capsys):
    import math

    import torch
    import torch.nn.functional as F

    from gan_course.exercises import check_info_bound

    right = lambda lg, c: math.log(lg.shape[1]) - F.cross_entropy(lg.double(), c)  # noqa: E731  float64: no noise

    def off(rel, shift=0.0, grad=0.0):  # value v -> v (1 + rel) + shift (away from 0); gradient also times 1 + grad
        def fn(lg, c):
            v = right(lg, c)
            return v * (1 + rel) + math.copysign(shift, v.item()) + grad * (v - v.detach())
        return fn

    # value: torch.isclose(rtol=1e-5, atol=1e-7); gradient: torch.allclose(rtol=1e-4, atol=1e-7)
    out = accepts(check_info_bound, off(2e-6), capsys)  # 0.2 rtol
    fixed = right(torch.tensor([[2.0, 0.5, -1.0], [0.0, 3.0, 0.0], [1.0, 1.0, 1.0], [-2.0, 0.0, 4.0]]),
                  torch.tensor([0, 1, 2, 2])).item()
    assert f"L_I = {fixed:.4f} nats on the fixed batch" in out, out
    accepts(check_info_bound, off(1e-5, 5e-8), capsys)  # all of rtol and half of atol: torch's atol 1e-8 refuses it
    accepts(check_info_bound, off(0.0, grad=2e-5), capsys)  # 0.2 of the gradient's rtol, twice torch's default
    rejects(check_info_bound, off(5e-5), "compare with the formula above", capsys)  # 5 rtol
    rejects(check_info_bound, off(0.0, grad=5e-4), "gradient with respect to the logits", capsys)  # 5 rtol
    # the gradient shifted by half its atol: torch's default atol 1e-8 refuses it where Q is sure (gradients ~1e-9)
    accepts(check_info_bound, lambda lg, c: right(lg, c) + 5e-8 * (lg - lg.detach()).sum(), capsys)
    rejects(check_info_bound, lambda lg, c: None, "returned None; return a scalar tensor: L_I in nats", capsys)
    # a slip met first on the fresh batch, then first on the K = 6 batch, keeps its own hint
    no_entropy = lambda lg, c: -F.cross_entropy(lg, c)  # noqa: E731
    rejects(check_info_bound, _later(right, no_entropy, after=1), "add H(c)", capsys)
    rejects(check_info_bound, _later(right, no_entropy, after=2), "add H(c)", capsys)
    rejects(check_info_bound, lambda lg, c: math.log(lg.shape[1]) + torch.log(torch.softmax(lg, 1) + 1e-8)[
        torch.arange(len(c)), c].mean(), "a small constant added inside log(softmax)", capsys)


def test_frechet_checker_tolerance_and_hints(capsys):
    from scipy.linalg import sqrtm

    from gan_course.exercises import check_frechet_distance

    def right(a, b):
        s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        return ((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(s1 + s2 - 2 * sqrtm(s1 @ s2).real)

    def atol(a, b):  # the checker's: 1e-4 of Tr(S_r) + Tr(S_f), 1e-3 of it for a set against itself
        scale = np.trace(np.cov(a, rowvar=False)) + np.trace(np.cov(b, rowvar=False))
        return (1e-3 if np.array_equal(a, b) else 1e-4) * scale

    def inside(a, b):  # half the allowance: numpy's rtol, or 1e-4 of the traces for a set against itself, refuse it
        answers.append(right(a, b) + 0.5 * (1e-3 * abs(right(a, b)) + atol(a, b)))
        return answers[-1]

    # np.isclose(got, want, rtol=1e-3, atol=atol); the fixed case has want 3.61 and Tr S_r + Tr S_f 3.38
    answers = []
    out = accepts(check_frechet_distance, inside, capsys)
    assert out.startswith(f"Correct! {answers[0]:.4f} on the fixed 3-D sets"), out
    # all of rtol and 3 atol more: refused on the fixed sets, where an atol of 1e-3 of the traces would take it
    rejects(check_frechet_distance, lambda a, b: right(a, b) + 1e-3 * abs(right(a, b)) + 3 * atol(a, b),
            "compare with the formula above", capsys)
    rejects(check_frechet_distance, lambda a, b: right(a, b) + 3 * atol(a, b) * np.array_equal(a, b),
            "a set against itself must give 0", capsys)
    rejects(check_frechet_distance, lambda a, b: max(right(a, b), 0.1), "a set against itself must give 0", capsys)
    rejects(check_frechet_distance, lambda a, b: right(a, b) + np.trace(sqrtm(np.cov(a, rowvar=False) @ np.cov(
        b, rowvar=False)).real), "the cross term is -2 Tr", capsys)
