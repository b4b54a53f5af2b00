import math

import numpy as np
import pytest
import torch
from scipy import integrate, stats
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr

from gan_course.divergences import (as_distribution, js, js_torch, kl, kl_gaussian, kl_torch, tv,
                                    wasserstein_1d)

LOG2 = math.log(2)


def random_pairs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        k = rng.integers(2, 12)
        p, q = rng.dirichlet(np.ones(k) * 0.5), rng.dirichlet(np.ones(k) * 0.5)
        p[rng.uniform(size=k) < 0.2] = 0  # some empty bins
        if p.sum() == 0:
            p[0] = 1
        yield p, q


def test_against_scipy_on_random_distributions():
    for p, q in random_pairs():
        pn, qn = p / p.sum(), q / q.sum()
        assert kl(p, q) == pytest.approx(rel_entr(pn, qn).sum(), abs=1e-12)
        assert kl(p, q) == pytest.approx(stats.entropy(pn, qn), abs=1e-12)
        assert js(p, q) == pytest.approx(jensenshannon(pn, qn) ** 2, abs=1e-12)
        assert js(p, q, base=2) == pytest.approx(jensenshannon(pn, qn, base=2) ** 2, abs=1e-12)
        assert tv(p, q) == pytest.approx(0.5 * np.abs(pn - qn).sum())


def test_properties():
    for p, q in random_pairs(seed=1):
        assert kl(p, q) >= 0 and kl(p, p) == 0
        assert js(p, q) == pytest.approx(js(q, p), abs=1e-15)
        assert 0 <= js(p, q) <= LOG2
        assert 0 <= tv(p, q) <= 1
        # JS <= TV log 2 (Lin 1991 bound) and Pinsker: TV <= sqrt(KL / 2)
        assert js(p, q) <= tv(p, q) * LOG2 + 1e-12
        assert tv(p, q) <= math.sqrt(kl(p, q) / 2) + 1e-12


def test_the_classic_five_bin_example():
    p, q = [1, 2, 3, 4, 5], [5, 4, 3, 2, 1]
    assert round(kl(p, q), 4) == 0.5216 and round(js(p, q), 4) == 0.1197
    assert round(kl(p, [1e-12, 4, 3, 2, 1]), 4) == 2.0655 and round(js(p, [1e-12, 4, 3, 2, 1]), 4) == 0.0985
    assert round(kl(p, [5, 4, 3, 2, 1e-12]), 4) == 9.6630 and round(js(p, [5, 4, 3, 2, 1e-12]), 4) == 0.1940
    assert round(kl([1e-12, 2, 3, 4, 5], q), 4) == 0.7428
    assert round(kl([1, 2, 3, 4, 1e-12], q), 4) == 0.3832


def test_disjoint_supports_kl_is_inf_js_is_log2_tv_is_one():
    p, q = [1, 1, 0, 0], [0, 0, 3, 1]
    assert kl(p, q) == math.inf and kl(q, p) == math.inf
    assert js(p, q) == pytest.approx(LOG2) and js(p, q, base=2) == pytest.approx(1.0)
    assert tv(p, q) == 1.0
    assert not np.isnan(kl([1, 0], [0, 1]))


def test_densities_on_a_grid_match_closed_forms():
    x = np.linspace(-12, 12, 4001)
    p, q = stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 1.5, 2)
    assert kl(p, q, x=x) == pytest.approx(kl_gaussian(0, 1, 1.5, 2), abs=1e-6)
    assert kl(q, p, x=x) == pytest.approx(kl_gaussian(1.5, 2, 0, 1), abs=1e-5)
    # TV between the two densities, by quadrature
    exact_tv = 0.5 * integrate.quad(lambda t: abs(stats.norm.pdf(t, 0, 1) - stats.norm.pdf(t, 1.5, 2)), -30, 30,
                                    points=[-2.3, 0.8], limit=200)[0]
    assert tv(p, q, x=x) == pytest.approx(exact_tv, abs=1e-6)


def test_kl_gaussian_matches_torch():
    for mp, sp, mq, sq in [(0, 1, 0, 1), (0, 1, 2, 1), (-1, 0.5, 2, 3), (3, 2, 3, 0.1)]:
        expected = torch.distributions.kl_divergence(torch.distributions.Normal(float(mp), float(sp)),
                                                     torch.distributions.Normal(float(mq), float(sq)))
        assert kl_gaussian(mp, sp, mq, sq) == pytest.approx(expected.item(), rel=1e-6)
    with pytest.raises(ValueError, match="sigma_q=0"):
        kl_gaussian(0, 1, 0, 0)


def test_wasserstein_matches_scipy():
    rng = np.random.default_rng(0)
    for _ in range(20):
        u, v = rng.normal(size=rng.integers(1, 40)), rng.normal(1, 2, size=rng.integers(1, 40))
        uw, vw = rng.uniform(size=len(u)), rng.uniform(size=len(v))
        assert wasserstein_1d(u, v) == pytest.approx(stats.wasserstein_distance(u, v), abs=1e-12)
        assert wasserstein_1d(u, v, uw, vw) == pytest.approx(stats.wasserstein_distance(u, v, uw, vw), abs=1e-12)
    assert wasserstein_1d([0.0], [3.5]) == 3.5


@pytest.mark.parametrize("bad, match", [
    ([1, -1, 2], "p has negative weights"),
    ([1, np.nan], "p contains NaN"),
    ([0, 0, 0], "p is all zeros"),
    ([], "p must be a non-empty"),
])
def test_bad_weights_are_named(bad, match):
    with pytest.raises(ValueError, match=match):
        kl(bad, [1, 1, 1])


def test_bad_pairs_and_grids():
    with pytest.raises(ValueError, match="q has negative"):
        js([1, 1], [1, -1])
    with pytest.raises(ValueError, match="same shape"):
        tv([1, 1], [1, 1, 1])
    with pytest.raises(ValueError, match="strictly increasing"):
        kl([1, 1, 1], [1, 2, 1], x=[0, 2, 1])
    with pytest.raises(ValueError, match="one point per weight"):
        kl([1, 1, 1], [1, 2, 1], x=[0, 1])
    with pytest.raises(ValueError, match="base=1"):
        kl([1, 2], [2, 1], base=1)


def test_torch_twins_agree_and_differentiate():
    for p, q in random_pairs(20, seed=2):
        pt = torch.tensor(p, requires_grad=True)
        qt = torch.tensor(q, requires_grad=True)
        assert kl_torch(pt, qt).item() == pytest.approx(kl(p, q), abs=1e-12)
        value = js_torch(pt, qt)
        assert value.item() == pytest.approx(js(p, q), abs=1e-12)
        value.backward()
        assert torch.isfinite(pt.grad).all() and torch.isfinite(qt.grad).all()
    # gradient of KL(p || q_theta) in the mean of a Gaussian q, against the closed form
    x = torch.linspace(-12, 12, 4001, dtype=torch.float64)
    theta = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    p = torch.exp(-x**2 / 2)
    q = torch.exp(-(x - theta) ** 2 / 2)
    kl_torch(p, q).backward()
    assert theta.grad.item() == pytest.approx(0.7, abs=1e-6)  # d/dtheta theta^2 / 2
    assert kl_torch(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])).item() == math.inf


def test_as_distribution_accepts_tensors_and_counts():
    np.testing.assert_allclose(as_distribution("p", torch.tensor([1.0, 3.0])), [0.25, 0.75])
    np.testing.assert_allclose(as_distribution("p", [2, 2, 4]), [0.25, 0.25, 0.5])


def test_forward_fit_is_moment_matching_and_the_true_minimizer():
    from scipy.optimize import minimize

    from gan_course.distributions import gaussian_on_grid, two_mode_density
    from gan_course.divergences import fit_gaussian

    x = np.linspace(-30, 30, 6001)  # wide enough that no fitted q loses tail mass off the grid
    for gap, weight in [(0.0, 0.5), (3.0, 0.5), (6.0, 0.3)]:
        p = two_mode_density(x, gap, weight)
        mu, sigma = fit_gaussian(p, x, "forward")
        mean = (1 - 2 * weight) * gap / 2
        assert mu == pytest.approx(mean, abs=1e-9)
        assert sigma == pytest.approx(math.sqrt(1 + gap**2 / 4 - mean**2), abs=1e-6)
        numeric = minimize(lambda t: kl(p, gaussian_on_grid(x, t[0], math.exp(t[1])), x=x), [1.0, 0.0],
                           method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-12})
        assert numeric.x[0] == pytest.approx(mu, abs=1e-3) and math.exp(numeric.x[1]) == pytest.approx(sigma, abs=1e-3)
        assert kl(p, gaussian_on_grid(x, mu, sigma), x=x) <= numeric.fun + 1e-10  # no better fit exists


def test_reverse_fit_seeks_one_mode_when_they_are_far_apart():
    from gan_course.distributions import gaussian_on_grid, two_mode_density
    from gan_course.divergences import fit_gaussian

    x = np.linspace(-14, 14, 2801)
    mu, sigma = fit_gaussian(two_mode_density(x, 0.0), x, "reverse")
    assert mu == pytest.approx(0, abs=1e-3) and sigma == pytest.approx(1, abs=1e-3)
    p = two_mode_density(x, 8.0, 0.3)
    mu, sigma = fit_gaussian(p, x, "reverse")
    assert mu == pytest.approx(4.0, abs=0.01) and sigma == pytest.approx(1.0, abs=0.01)  # the heavier mode
    # KL(q || p) there is about -log(0.7): q sits on a mode that holds 70% of p's mass
    assert kl(gaussian_on_grid(x, mu, sigma), p, x=x) == pytest.approx(-math.log(0.7), abs=1e-3)
    with pytest.raises(ValueError, match="direction='sideways'"):
        fit_gaussian(p, x, "sideways")


def test_reverse_fit_breaks_the_tie_of_equal_modes_the_same_way_at_every_separation():
    """With equal weights both modes fit equally well (KL(q || p) = log 2 each): the fit must
    not hop from one to the other as the separation changes, as a dashboard slider moves it."""
    from gan_course.distributions import gaussian_on_grid, two_mode_density
    from gan_course.divergences import fit_gaussian

    x = np.linspace(-12, 12, 1201)
    for gap in np.arange(5.75, 8.01, 0.25):
        p = two_mode_density(x, gap)
        mu, sigma = fit_gaussian(p, x, "reverse")
        assert mu == pytest.approx(-gap / 2, abs=0.3), gap
        mirrored = fit_gaussian(p[::-1].copy(), x, "reverse")  # the same density: still the left mode
        assert mirrored[0] == pytest.approx(mu, abs=1e-3)
    assert kl(gaussian_on_grid(x, mu, sigma), p, x=x) == pytest.approx(math.log(2), abs=1e-3)


def test_value_at_the_optimal_discriminator_is_minus_log4_plus_2js():
    from gan_course.divergences import gan_value, optimal_discriminator

    rng = np.random.default_rng(5)
    for p, q in random_pairs(100, seed=3):
        pn, qn = p / p.sum(), q / q.sum()
        logit = optimal_discriminator(pn, qn, logit=True)
        best = gan_value(p, q, logit)
        assert best == pytest.approx(-math.log(4) + 2 * js(p, q), abs=1e-12)
        with np.errstate(divide="ignore"):  # the same value from D* itself, where it is not 0 or 1
            d = optimal_discriminator(pn, qn)
            direct = np.sum(np.where(pn > 0, pn * np.log(np.where(pn > 0, d, 1)), 0)) + np.sum(
                np.where(qn > 0, qn * np.log(np.where(qn > 0, 1 - d, 1)), 0))
        assert best == pytest.approx(direct, abs=1e-12)
        # any other discriminator does no better (Goodfellow et al. 2014, Prop. 1)
        finite = np.clip(logit, -30, 30)
        for _ in range(5):
            assert gan_value(p, q, finite + rng.normal(0, 0.5, finite.shape)) <= best + 1e-12
    same = np.array([0.2, 0.3, 0.5])
    np.testing.assert_allclose(optimal_discriminator(same, same), 0.5)
    assert gan_value(same, same, optimal_discriminator(same, same, logit=True)) == pytest.approx(-math.log(4))
    disjoint_p, disjoint_q = np.array([1.0, 0, 0]), np.array([0, 0.5, 0.5])
    assert gan_value(disjoint_p, disjoint_q, optimal_discriminator(disjoint_p, disjoint_q, logit=True)) == 0.0
    # far-apart Gaussians: D* rounds to exactly 1 on part of q's support, the logit does not
    x = np.linspace(-5, 10, 3001)
    p, q = stats.norm.pdf(x, 0, 0.3), stats.norm.pdf(x, 2.5, 0.3)
    assert (optimal_discriminator(p, q)[q > 0] == 1).any()
    assert gan_value(p, q, optimal_discriminator(p, q, logit=True), x=x) == pytest.approx(
        -math.log(4) + 2 * js(p, q, x=x), abs=1e-9)
    with pytest.raises(ValueError, match="logit must hold"):
        gan_value(same, same, [0.5, 0.5])


# lesson 02's grid: points at bin centres (k + 1/2) 0.01, so box edges fall between them
SHIFT_GRID = -1.5 + (np.arange(650) + 0.5) * 0.01


@pytest.mark.parametrize("theta", [0.0, 0.05, 0.3, 0.95, 1.0, 1.5, 3.0])
def test_all_distances_of_shifted_boxes_are_the_closed_forms(theta):
    from gan_course.distributions import shifted_pair
    from gan_course.divergences import all_distances

    v = all_distances(SHIFT_GRID, *shifted_pair(SHIFT_GRID, theta, "box"))
    overlap_lost = min(theta, 1.0)
    assert v["JS"] == pytest.approx(overlap_lost * math.log(2), abs=1e-12)
    assert v["TV"] == pytest.approx(overlap_lost, abs=1e-12)
    assert v["W1"] == pytest.approx(theta, abs=1e-9)
    assert v["KL(p||q)"] == (math.inf if theta > 0 else 0.0)
    assert v["V(D*,G)"] == pytest.approx(-math.log(4) + 2 * v["JS"], abs=1e-12)


@pytest.mark.parametrize("theta", [0.0, 0.4, 1.0, 2.0])
def test_all_distances_of_shifted_gaussians_are_the_closed_forms(theta):
    from gan_course.distributions import BOX_STD, shifted_pair
    from gan_course.divergences import all_distances

    v = all_distances(SHIFT_GRID, *shifted_pair(SHIFT_GRID, theta, "gaussian"))
    assert v["KL(p||q)"] == pytest.approx(kl_gaussian(0.5, BOX_STD, 0.5 + theta, BOX_STD), abs=1e-6)
    # |p - q| has a kink where the densities cross: the 0.01 grid gets TV to about 2e-5
    assert v["TV"] == pytest.approx(2 * stats.norm.cdf(theta / (2 * BOX_STD)) - 1, abs=1e-4)
    assert v["W1"] == pytest.approx(theta, abs=1e-6)

    def js_term(t):
        p, q = stats.norm.pdf(t, 0.5, BOX_STD), stats.norm.pdf(t, 0.5 + theta, BOX_STD)
        m = (p + q) / 2
        return 0.5 * (p * np.log(p / m) if p > 0 else 0) + 0.5 * (q * np.log(q / m) if q > 0 else 0)

    assert v["JS"] == pytest.approx(integrate.quad(js_term, -4, 4 + theta, limit=200)[0], abs=1e-6)
    assert v["V(D*,G)"] == pytest.approx(-math.log(4) + 2 * v["JS"], abs=1e-9)


@pytest.mark.parametrize("theta", [-1.0, -0.35, 0.0, 0.05, 0.8])
def test_parallel_lines_match_the_paper(theta):
    """Arjovsky et al. 2017, Example 1: W = |theta|; JS = log 2, KL = inf, TV = 1 for theta != 0."""
    from gan_course.divergences import parallel_lines_distances

    v = parallel_lines_distances(theta)
    assert v["W1"] == pytest.approx(abs(theta), abs=1e-12)
    if theta == 0:
        assert v["JS"] == 0 and v["KL(P0||Pθ)"] == 0 and v["TV"] == 0
    else:
        assert v["JS"] == pytest.approx(math.log(2)) and v["KL(P0||Pθ)"] == math.inf
        assert v["TV"] == pytest.approx(1.0)


def test_distances_of_bad_input_name_the_argument():
    from gan_course.divergences import all_distances, parallel_lines_distances

    with pytest.raises(ValueError, match="theta=nan"):
        parallel_lines_distances(float("nan"))
    with pytest.raises(ValueError, match="n=0"):
        parallel_lines_distances(0.5, n=0)
    with pytest.raises(ValueError, match="x must be strictly increasing"):
        all_distances(SHIFT_GRID[::-1], np.ones(650), np.ones(650))


def test_chi2_is_scipys_chisquare_statistic_and_the_gaussian_closed_form():
    from gan_course.divergences import chi2

    for p, q in random_pairs(50, seed=3):
        pn, qn = p / p.sum(), q / q.sum()
        assert chi2(p, q) == pytest.approx(stats.chisquare(pn, qn).statistic, rel=1e-10)
    # chi^2(N(m1, s^2) || N(m2, s^2)) = exp((m1 - m2)^2 / s^2) - 1
    x = np.linspace(-12, 12, 4001)
    for shift, s in ((0.5, 1.0), (1.0, 1.5), (2.0, 1.0)):
        p, q = stats.norm.pdf(x, shift, s), stats.norm.pdf(x, 0, s)
        assert chi2(p, q, x=x) == pytest.approx(math.exp(shift**2 / s**2) - 1, rel=1e-4)
    assert chi2([1, 1], [1, 0]) == math.inf and chi2([1, 0], [1, 1]) == pytest.approx(1.0)


def test_lsgan_optimal_d_and_the_generator_objective_of_mao_et_al_theorem_1():
    from gan_course.divergences import chi2, least_squares_discriminator, least_squares_value

    rng = np.random.default_rng(4)
    for p, q in random_pairs(40, seed=5):
        pn, qn = p / p.sum(), q / q.sum()
        for a, b, c in ((-1, 1, 0), (0, 1, 1), (0, 2, 1)):
            d = least_squares_discriminator(pn, qn, a=a, b=b)
            objective = lambda d_: 0.5 * np.sum(pn * (d_ - b) ** 2) + 0.5 * np.sum(qn * (d_ - a) ** 2)
            for _ in range(5):  # D* beats every nearby D
                assert objective(d) <= objective(d + rng.normal(0, 0.3, d.shape)) + 1e-12
            value = least_squares_value(p, q, d, c=c)
            if b - c == 1 and b - a == 2:  # Theorem 1: C = 1/2 int (p - q)^2 / (p + q) = chi2(q || m)
                assert value == pytest.approx(0.5 * np.sum((pn - qn) ** 2 / np.where(pn + qn > 0, pn + qn, 1)))
                assert value == pytest.approx(chi2(qn, (pn + qn) / 2), abs=1e-12)
    # on densities, by quadrature: two Gaussians, and disjoint supports (C = 1 whatever the gap)
    for p_pdf, q_pdf, expect in ((stats.norm(0, 1).pdf, stats.norm(1.5, 0.7).pdf, None),
                                 (stats.uniform(0, 1).pdf, stats.uniform(3, 1).pdf, 1.0),
                                 (stats.uniform(0, 1).pdf, stats.uniform(30, 1).pdf, 1.0)):
        def integrand(t):
            dp, dq = p_pdf(t), q_pdf(t)
            d = least_squares_discriminator(np.array([dp]), np.array([dq]), a=-1, b=1)[0]
            return 0.5 * (dp + dq) * d**2  # c = 0
        value = integrate.quad(integrand, -10, 40, points=[0, 1, 1.5, 3, 4, 30, 31], limit=500)[0]
        x = np.linspace(-10, 40, 200001)
        on_grid = chi2(q_pdf(x), (p_pdf(x) + q_pdf(x)) / 2, x=x)
        assert value == pytest.approx(on_grid, rel=2e-3)
        if expect is not None:
            assert value == pytest.approx(expect, rel=1e-6)
