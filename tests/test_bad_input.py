"""Every public function that takes numbers refuses NaN and infinity with a ValueError that
names the argument, instead of returning nan or a silently wrong number. (Loss terms inside
a training step, such as ``elbo.gaussian_kl``, are left to the loop, which stops on a
non-finite loss with the step number.)"""

import math

import numpy as np
import pytest
import torch

from gan_course import divergences as dv
from gan_course import distributions as ds
from gan_course import latents, metrics, transport
from gan_course.judge import to_judge_scale
from gan_course.plotting import tile_images

NAN, INF = math.nan, math.inf
X = np.linspace(-3, 3, 7)
P = np.array([1, 2, 3, 4, 3, 2, 1], float)
Q = np.array([1, 1, 1, 1, 1, 1, 1], float)


def with_bad(values, bad, at=2):
    out = np.array(values, dtype=float, copy=True)
    out.flat[at] = bad
    return out


IMAGES = -torch.ones(4, 1, 28, 28)  # a GAN's background
BAD_IMAGES = IMAGES.clone()
BAD_IMAGES[1, 0, 3, 3] = NAN
POINTS = np.random.default_rng(0).normal(size=(20, 2))

CASES = {
    # name of the argument: a call that passes a NaN or infinity in it
    "kl p": ("p", lambda b: dv.kl(with_bad(P, b), Q)),
    "js q": ("q", lambda b: dv.js(P, with_bad(Q, b))),
    "tv p": ("p", lambda b: dv.tv(with_bad(P, b), Q)),
    "kl x": ("x", lambda b: dv.kl(P, Q, x=with_bad(X, b))),
    "wasserstein_1d u_values": ("u_values", lambda b: dv.wasserstein_1d(with_bad(X, b), X)),
    "wasserstein_1d v_values": ("v_values", lambda b: dv.wasserstein_1d(X, with_bad(X, b))),
    "wasserstein_1d u_weights": ("u_weights", lambda b: dv.wasserstein_1d(X, X, with_bad(P, b), Q)),
    "kl_gaussian mu_p": ("mu_p", lambda b: dv.kl_gaussian(b, 1.0, 0.0, 1.0)),
    "kl_gaussian mu_q": ("mu_q", lambda b: dv.kl_gaussian(0.0, 1.0, b, 1.0)),
    "kl_gaussian sigma_p": ("sigma_p", lambda b: dv.kl_gaussian(0.0, b, 0.0, 1.0)),
    "kl_gaussian sigma_q": ("sigma_q", lambda b: dv.kl_gaussian(0.0, 1.0, 0.0, b)),
    "wasserstein_1d v_weights": ("v_weights", lambda b: dv.wasserstein_1d(X, X, P, with_bad(Q, b))),
    "fit_gaussian x": ("x", lambda b: dv.fit_gaussian(P, with_bad(X, b))),
    "fit_gaussian p": ("p", lambda b: dv.fit_gaussian(with_bad(P, b), X, "reverse")),
    "optimal_discriminator p": ("p", lambda b: dv.optimal_discriminator(with_bad(P, b), Q)),
    "optimal_discriminator q": ("q", lambda b: dv.optimal_discriminator(P, with_bad(Q, b))),
    "chi2 q": ("q", lambda b: dv.chi2(P, with_bad(Q, b))),
    "least_squares_discriminator p": ("p", lambda b: dv.least_squares_discriminator(with_bad(P, b), Q, a=-1, b=1)),
    "least_squares_discriminator q": ("q", lambda b: dv.least_squares_discriminator(P, with_bad(Q, b), a=-1, b=1)),
    "least_squares_discriminator a": ("a", lambda b: dv.least_squares_discriminator(P, Q, a=b, b=1)),
    "least_squares_discriminator b": ("b", lambda bad: dv.least_squares_discriminator(P, Q, a=-1, b=bad)),
    "least_squares_value d": ("d", lambda b: dv.least_squares_value(P, Q, with_bad(np.zeros(7), b), c=0)),
    "least_squares_value c": ("c", lambda b: dv.least_squares_value(P, Q, np.zeros(7), c=b)),
    "gan_value logit": ("logit", lambda b: dv.gan_value(P, Q, with_bad(np.zeros(7), b))),
    "all_distances x": ("x", lambda b: dv.all_distances(with_bad(X, b), P, Q)),
    "parallel_lines_distances theta": ("theta", lambda b: dv.parallel_lines_distances(b)),
    "gaussian_on_grid x": ("x", lambda b: ds.gaussian_on_grid(with_bad(X, b), 0.0, 1.0)),
    "gaussian_on_grid mu": ("mu", lambda b: ds.gaussian_on_grid(X, b, 1.0)),
    "two_mode_density x": ("x", lambda b: ds.two_mode_density(with_bad(X, b), 2.0)),
    "warp z": ("z", lambda b: ds.warp(with_bad(X, b), 1.0, 1.0)),
    "shifted_pair x": ("x", lambda b: ds.shifted_pair(with_bad(X, b), 1.0, "gaussian")),
    "pile mean": ("mean", lambda b: ds.pile(b, 1.0)),
    "cost_matrix x": ("x", lambda b: transport.cost_matrix(with_bad(POINTS, b), POINTS)),
    "cost_matrix y": ("y", lambda b: transport.cost_matrix(POINTS, with_bad(POINTS, b))),
    "cost_matrix p": ("p", lambda b: transport.cost_matrix(POINTS, POINTS, p=b)),
    "match_points x": ("x", lambda b: transport.match_points(with_bad(POINTS, b), POINTS)),
    "transport_plan a": ("a", lambda b: transport.transport_plan(with_bad(P, b), P, np.ones((7, 7)))),
    "transport_plan cost": ("cost", lambda b: transport.transport_plan(P, P, with_bad(np.ones((7, 7)), b))),
    "reference_plans b": ("b", lambda b: transport.reference_plans(P, with_bad(P, b))),
    "mode_coverage samples": ("samples", lambda b: metrics.mode_coverage(with_bad(POINTS, b), ds.ring_centers(), 0.02)),
    "mode_coverage centers": ("centers", lambda b: metrics.mode_coverage(POINTS, with_bad(ds.ring_centers(), b), 0.02)),
    "to_judge_scale images": ("images", lambda b: to_judge_scale(BAD_IMAGES, (-1, 1))),
    "memorization fake": ("fake", lambda b: metrics.memorization(BAD_IMAGES, IMAGES, IMAGES + 0.5)),
    "memorization train": ("train", lambda b: metrics.memorization(IMAGES, BAD_IMAGES, IMAGES + 0.5)),
    "tile_images images": ("images", lambda b: tile_images(BAD_IMAGES)),
    "kl_torch p": ("p", lambda b: dv.kl_torch(torch.tensor([b, 1.0, 1.0]), torch.ones(3))),
    "js_torch q": ("q", lambda b: dv.js_torch(torch.ones(3), torch.tensor([1.0, b, 1.0]))),
    "lerp z0": ("z0", lambda b: latents.lerp(torch.full((3,), b), torch.ones(3), 0.5)),
    "slerp z1": ("z1", lambda b: latents.slerp(torch.ones(3), torch.full((3,), b), 0.5)),
    "slerp t": ("t", lambda b: latents.slerp(torch.ones(3), -torch.ones(3), b)),
}


INFINITY_IS_LEGAL = {"gan_value logit"}  # D* = 0 or 1 has logit -inf or +inf


def test_torch_divergences_refuse_negative_weights():
    with pytest.raises(ValueError, match="q must hold finite weights >= 0"):
        dv.kl_torch(torch.ones(3), torch.tensor([1.0, -0.5, 1.0]))


NEGATIVE = {
    # name of the argument: a call that passes a negative weight, density or mass in it
    "kl q": ("q", lambda: dv.kl(P, with_bad(Q, -1.0))),
    "fit_gaussian p": ("p", lambda: dv.fit_gaussian(with_bad(P, -1.0), X, "reverse")),
    "optimal_discriminator p": ("p", lambda: dv.optimal_discriminator(with_bad(P, -1.0), Q)),
    "optimal_discriminator q": ("q", lambda: dv.optimal_discriminator(P, with_bad(Q, -1.0), logit=True)),
    "least_squares_discriminator p": ("p", lambda: dv.least_squares_discriminator(with_bad(P, -1.0), Q, a=-1, b=1)),
    "least_squares_discriminator q": ("q", lambda: dv.least_squares_discriminator(P, with_bad(Q, -1.0), a=-1, b=1)),
    "js_torch p": ("p", lambda: dv.js_torch(torch.tensor([1.0, -0.5]), torch.ones(2))),
    "transport_plan b": ("b", lambda: transport.transport_plan([1.0, 1.0], [3.0, -1.0], np.ones((2, 2)))),
}


@pytest.mark.parametrize("case", NEGATIVE)
def test_negative_weights_are_refused_by_name(case):
    name, call = NEGATIVE[case]
    with pytest.raises(ValueError, match=rf"^{name} (has negative|must hold finite).*>= 0"):
        call()


@pytest.mark.parametrize("case, bad", [(case, bad) for case in CASES for bad in (NAN, INF)
                                       if not (bad == INF and case in INFINITY_IS_LEGAL)])
def test_non_finite_input_is_refused_by_name(case, bad):
    name, call = CASES[case]
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call(bad)
