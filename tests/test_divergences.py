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


# an uneven grid and its trapezoid cell widths by hand: half the gap on each side of a point
UNEVEN_X = np.array([0.0, 1.0, 3.0, 7.0, 8.0])
UNEVEN_WIDTHS = np.array([0.5, 0.5 + 1.0, 1.0 + 2.0, 2.0 + 0.5, 0.5])
P_DENSITY = np.array([1.0, 2.0, 0.5, 1.0, 3.0])
Q_DENSITY = np.array([2.0, 1.0, 1.0, 0.5, 1.0])


def uneven_masses():
    pm, qm = P_DENSITY * UNEVEN_WIDTHS, Q_DENSITY * UNEVEN_WIDTHS
    return pm / pm.sum(), qm / qm.sum()


def test_cell_widths_by_hand():
    from gan_course.divergences import cell_widths

    np.testing.assert_array_equal(cell_widths(UNEVEN_X, 5), UNEVEN_WIDTHS)
    np.testing.assert_array_equal(cell_widths([0, 1, 3, 7], 4), [0.5, 1.5, 3.0, 2.0])  # integers too
    np.testing.assert_array_equal(cell_widths([-1.0, 2.0], 2), [1.5, 1.5])  # two points: the smallest grid
    assert as_distribution("p", [1, 1, 1, 1, 1], x=UNEVEN_X) == pytest.approx(UNEVEN_WIDTHS / 8)
    # a density on two points, against the masses by hand (each point holds half the only gap)
    assert kl([1, 3], [3, 1], x=[0.0, 2.0]) == pytest.approx(0.25 * math.log(1 / 3) + 0.75 * math.log(3))


def test_grids_that_are_not_strictly_increasing_or_too_short_are_refused():
    from gan_course.divergences import cell_widths

    for x in ([0.0, 1.0, 1.0, 2.0], [0.0, 2.0, 1.0, 3.0]):  # a repeated point has no cell of its own
        with pytest.raises(ValueError, match=r"^x must be strictly increasing$"):
            kl([1, 1, 1, 1], [1, 2, 1, 1], x=x)
    with pytest.raises(ValueError, match=r"^x must be a 1-D grid with one point per weight \(1\)"):
        cell_widths([0.0], 1)
    with pytest.raises(ValueError, match=r"^p must be 1-D when a grid x is given, got shape \(3, 3\)"):
        kl(np.ones((3, 3)), np.ones((3, 3)), x=[0.0, 1.0, 2.0])


def test_every_divergence_uses_the_cell_masses_of_an_uneven_grid():
    from gan_course.divergences import chi2, gan_value, least_squares_value
    from scipy.special import log_expit

    pm, qm = uneven_masses()
    assert kl(P_DENSITY, Q_DENSITY, x=UNEVEN_X) == pytest.approx(stats.entropy(pm, qm), rel=1e-12)
    assert js(P_DENSITY, Q_DENSITY, x=UNEVEN_X) == pytest.approx(jensenshannon(pm, qm) ** 2, rel=1e-12)
    assert tv(P_DENSITY, Q_DENSITY, x=UNEVEN_X) == pytest.approx(0.5 * np.abs(pm - qm).sum(), rel=1e-12)
    assert chi2(P_DENSITY, Q_DENSITY, x=UNEVEN_X) == pytest.approx(np.sum((pm - qm) ** 2 / qm), rel=1e-12)
    d = np.array([0.3, -0.2, 1.5, 0.0, 0.7])
    assert least_squares_value(P_DENSITY, Q_DENSITY, d, c=0.5, x=UNEVEN_X) == pytest.approx(
        0.5 * np.sum((pm + qm) * (d - 0.5) ** 2), rel=1e-12)
    logit = np.array([0.4, -1.0, 2.0, 0.1, -0.3])
    assert gan_value(P_DENSITY, Q_DENSITY, logit, x=UNEVEN_X) == pytest.approx(
        np.sum(pm * log_expit(logit)) + np.sum(qm * log_expit(-logit)), rel=1e-12)
    # the point values alone, as if the grid were even, give other numbers
    assert abs(js(P_DENSITY, Q_DENSITY) - js(P_DENSITY, Q_DENSITY, x=UNEVEN_X)) > 1e-3


def test_all_distances_on_an_uneven_grid_are_the_closed_forms():
    from gan_course.divergences import all_distances

    x = 12 * np.sinh(np.linspace(-3, 3, 1601)) / np.sinh(3)  # points crowd near 0
    p, q = stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 1.0, 1.5)
    v = all_distances(x, p, q)
    assert v["KL(p||q)"] == pytest.approx(kl_gaussian(0, 1, 1.0, 1.5), abs=1e-5)
    exact_tv = 0.5 * integrate.quad(lambda t: abs(stats.norm.pdf(t, 0, 1) - stats.norm.pdf(t, 1.0, 1.5)), -30, 30,
                                    points=[-1.9, 0.7], limit=200)[0]
    assert v["TV"] == pytest.approx(exact_tv, abs=1e-5)

    def js_term(t):
        a, b = stats.norm.pdf(t, 0, 1), stats.norm.pdf(t, 1.0, 1.5)
        m = (a + b) / 2
        return 0.5 * (a * np.log(a / m) if a > 0 else 0) + 0.5 * (b * np.log(b / m) if b > 0 else 0)

    exact_js = integrate.quad(js_term, -15, 15, limit=200)[0]
    assert v["JS"] == pytest.approx(exact_js, abs=1e-5)
    assert v["V(D*,G)"] == pytest.approx(-math.log(4) + 2 * exact_js, abs=2e-5)
    assert v["W1"] == pytest.approx(stats.wasserstein_distance(x, x, p, q), abs=1e-12)  # p, q as point weights


def test_base_must_be_positive_and_not_one_and_may_be_below_one():
    p, q = [1, 2, 3], [3, 1, 1]
    assert js(p, q, base=10) == pytest.approx(js(p, q) / math.log(10))
    assert kl(p, q, base=0.5) == pytest.approx(-kl(p, q) / math.log(2))  # log base 1/2 = -log base 2
    for base in (0, -2, 1):
        with pytest.raises(ValueError, match=rf"^base={base} must be > 0 and != 1 \(None for nats\)$"):
            kl(p, q, base=base)


def test_js_of_disjoint_supports_is_log2_even_where_the_sum_rounds_above_it():
    rng = np.random.default_rng(0)
    rounded_above = 0
    for _ in range(100):
        n = rng.integers(1, 6)
        p = np.concatenate([rng.dirichlet(np.ones(n)), np.zeros(n)])
        q = np.concatenate([np.zeros(n), rng.dirichlet(np.ones(n))])
        m = (p + q) / 2
        rounded_above += 0.5 * rel_entr(p, m).sum() + 0.5 * rel_entr(q, m).sum() > LOG2
        assert js(p, q) <= LOG2 and js(p, q) == pytest.approx(LOG2, abs=1e-15)
        assert js(p, q, base=2) <= 1.0
    assert rounded_above > 0  # the sum itself overshoots log 2 by a rounding error on some of these pairs


def test_float32_and_tensor_weights_are_computed_in_double_precision():
    rng = np.random.default_rng(7)
    p32, q32 = rng.dirichlet(np.ones(50)).astype(np.float32), rng.dirichlet(np.ones(50)).astype(np.float32)
    p64, q64 = p32.astype(float), q32.astype(float)
    assert kl(p32, q32) == pytest.approx(stats.entropy(p64, q64), rel=1e-13)
    # a generator's output, still attached to its graph (numpy cannot read it without detach)
    pt = torch.tensor(p32, requires_grad=True)
    assert kl(pt, torch.tensor(q32)) == pytest.approx(stats.entropy(p64, q64), rel=1e-13)
    assert js(pt, q32) == pytest.approx(jensenshannon(p64, q64) ** 2, rel=1e-12)
    assert as_distribution("p", pt).dtype == np.float64
    np.testing.assert_allclose(as_distribution("p", torch.tensor([1.0, 3.0], requires_grad=True)), [0.25, 0.75])


def test_exact_fractions_are_read_as_numbers():
    from fractions import Fraction

    from gan_course.divergences import cell_widths

    p, q = [Fraction(1, 4), Fraction(3, 4)], [Fraction(1, 2), Fraction(1, 2)]
    assert kl(p, q) == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5), rel=1e-14)
    np.testing.assert_allclose(cell_widths([Fraction(0), Fraction(1, 3), Fraction(1)], 3), [1 / 6, 1 / 2, 1 / 3])


def test_torch_twins_normalize_counts():
    p = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    q = torch.tensor([4.0, 4.0, 1.0, 1.0], dtype=torch.float64)  # counts: both sum to 10
    pn, qn = p.numpy() / 10, q.numpy() / 10
    assert kl_torch(p, q).item() == pytest.approx(stats.entropy(pn, qn), rel=1e-12)
    assert kl_torch(p, 3 * q).item() == pytest.approx(stats.entropy(pn, qn), rel=1e-12)
    assert js_torch(p, q).item() == pytest.approx(jensenshannon(pn, qn) ** 2, rel=1e-12)
    assert js_torch(p, 3 * q).item() == pytest.approx(jensenshannon(pn, qn) ** 2, rel=1e-12)


def test_forward_is_the_default_direction():
    from gan_course.distributions import two_mode_density
    from gan_course.divergences import fit_gaussian

    x = np.linspace(-14, 14, 2801)
    mu, sigma = fit_gaussian(two_mode_density(x, 4.0, 0.25), x)
    assert mu == pytest.approx(0.5 * 4.0 / 2, abs=1e-9)  # (1 - 2w) gap / 2
    assert sigma == pytest.approx(math.sqrt(1 + 4.0**2 / 4 - 1.0**2), abs=1e-6)


def test_reverse_fit_lands_on_the_heavier_mode_where_a_start_at_the_mean_stalls():
    from scipy.optimize import minimize

    from gan_course.distributions import gaussian_on_grid, two_mode_density
    from gan_course.divergences import fit_gaussian

    x = np.linspace(-12, 12, 1201)
    p = two_mode_density(x, 8.0, 0.4)  # the right mode holds 60% of the mass
    mu, sigma = fit_gaussian(p, x, "reverse")
    assert mu == pytest.approx(4.0, abs=0.01) and sigma == pytest.approx(1.0, abs=0.01)
    assert kl(gaussian_on_grid(x, mu, sigma), p, x=x) == pytest.approx(-math.log(0.6), abs=1e-3)
    # the premise: from the global moments alone, Nelder-Mead stops between the modes, far worse
    alone = minimize(lambda t: kl(gaussian_on_grid(x, t[0], math.exp(t[1])), p, x=x), [0.8, math.log(4.1)],
                     method="Nelder-Mead")
    assert alone.fun > 1.0
    # the same with three modes, the heaviest on the right and tallest, the smallest in the middle
    p3 = 0.3 * gaussian_on_grid(x, -7, 1) + 0.1 * gaussian_on_grid(x, 0, 0.4) + 0.6 * gaussian_on_grid(x, 7, 1)
    mu, sigma = fit_gaussian(p3, x, "reverse")
    assert mu == pytest.approx(7.0, abs=0.01) and sigma == pytest.approx(1.0, abs=0.01)
    # p as a list or as a tensor (even one with autograd) fits the same as the array
    for same in (list(p), torch.tensor(p, requires_grad=True)):
        assert fit_gaussian(same, x, "reverse") == pytest.approx((4.0, 1.0), abs=0.01)


def test_reverse_fit_finds_flat_topped_peaks_on_a_coarse_grid():
    """Each mode's centre falls halfway between two points of the 0.5 grid, so each peak of the
    tabulated p is two equal values. The heavier mode (52%, left) is the lower peak."""
    from gan_course.distributions import gaussian_on_grid
    from gan_course.divergences import fit_gaussian

    x = np.arange(-16, 16.01, 0.5)
    p = 0.52 * gaussian_on_grid(x, -9.25, 1.0) + 0.48 * gaussian_on_grid(x, 9.25, 0.8)
    for centre in (-9.25, 9.25):
        i = np.searchsorted(x, centre)
        assert p[i - 1] == p[i]  # the premise: a flat top
    assert p[x > 0].max() > p[x < 0].max()
    mu, sigma = fit_gaussian(p, x, "reverse")
    assert mu == pytest.approx(-9.25, abs=0.01) and sigma == pytest.approx(1.0, abs=0.01)
    assert kl(gaussian_on_grid(x, mu, sigma), p, x=x) == pytest.approx(-math.log(0.52), abs=1e-3)


def test_reverse_fit_on_an_uneven_grid_matches_a_fine_quadrature():
    from scipy.optimize import minimize

    from gan_course.divergences import fit_gaussian

    x = 12 * np.sinh(np.linspace(-3, 3, 801)) / np.sinh(3)  # points crowd near 0
    target = stats.skewnorm(4, 0, 2)
    mu, sigma = fit_gaussian(target.pdf(x), x, "reverse")
    # reference: KL(q || p) by the trapezoid rule on a fine even grid, from scipy's densities
    s = np.linspace(-12, 12, 24001)
    log_p = target.logpdf(s)

    def reverse_kl(t):
        q = stats.norm(t[0], math.exp(t[1]))
        return np.trapezoid(q.pdf(s) * (q.logpdf(s) - log_p), s)

    best = minimize(reverse_kl, [1.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-13})
    assert mu == pytest.approx(best.x[0], abs=2e-4) and sigma == pytest.approx(math.exp(best.x[1]), abs=2e-4)


def test_reverse_fit_is_quiet_and_survives_gaussians_that_miss_a_coarse_grid():
    import warnings

    from gan_course.distributions import gaussian_on_grid, two_mode_density
    from gan_course.divergences import fit_gaussian

    x = np.linspace(-14, 14, 1401)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no OptimizeWarning (an unknown solver option), no RuntimeWarning
        mu, _ = fit_gaussian(two_mode_density(x, 8.0, 0.3), x, "reverse")
    assert mu == pytest.approx(4.0, abs=0.01)
    # on the way, Nelder-Mead tries Gaussians so narrow that no point of the 0.5 grid sees them
    coarse = np.arange(-16, 16.01, 0.5)
    p = 0.4 * gaussian_on_grid(coarse, -6.25, 0.5) + 0.6 * gaussian_on_grid(coarse, 6.25, 1.5)
    mu, sigma = fit_gaussian(p, coarse, "reverse")
    assert mu == pytest.approx(6.25, abs=0.01) and sigma == pytest.approx(1.5, abs=0.01)
    assert kl(gaussian_on_grid(coarse, mu, sigma), p, x=coarse) == pytest.approx(-math.log(0.6), abs=1e-3)


def test_reverse_fit_refuses_a_p_that_is_zero_under_every_start():
    from gan_course.divergences import fit_gaussian

    x = np.linspace(-14, 14, 281)
    box = ((x >= 0) & (x <= 3)).astype(float)
    assert fit_gaussian(box, x) == pytest.approx((1.5, math.sqrt(0.8)), abs=1e-9)  # forward: the moments
    with pytest.raises(ValueError, match=r"^KL\(q \|\| p\) is infinite at every start of the reverse fit"):
        fit_gaussian(box, x, "reverse")


def test_optimal_discriminators_where_both_densities_vanish_and_without_warnings():
    import warnings

    from gan_course.divergences import gan_value, least_squares_discriminator, optimal_discriminator

    p, q = np.array([0.0, 0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log 0 and 0 - 0 must not print RuntimeWarnings
        np.testing.assert_array_equal(optimal_discriminator(p, q), [0.5, 0.0, 1.0, 0.5])
        np.testing.assert_array_equal(optimal_discriminator(p, q, logit=True), [0.0, -math.inf, math.inf, 0.0])
        np.testing.assert_array_equal(least_squares_discriminator(p, q, a=-1, b=3), [1.0, -1.0, 3.0, 1.0])
        # at D* on disjoint supports the logits are +-inf; V = 0 (= -log 4 + 2 log 2)
        disjoint_p, disjoint_q = np.array([1.0, 0, 0]), np.array([0, 0.5, 0.5])
        assert gan_value(disjoint_p, disjoint_q, optimal_discriminator(disjoint_p, disjoint_q, logit=True)) == 0.0
    # integers are densities too
    np.testing.assert_array_equal(optimal_discriminator([0, 1, 3], [0, 3, 1]), [0.5, 0.25, 0.75])
    np.testing.assert_array_equal(least_squares_discriminator([0, 1, 3], [0, 3, 1], a=0, b=4), [2.0, 1.0, 3.0])


def test_float32_discriminator_outputs_are_evaluated_in_double_precision():
    from gan_course.divergences import gan_value, least_squares_value

    rng = np.random.default_rng(8)
    p, q = rng.dirichlet(np.ones(40)), rng.dirichlet(np.ones(40))
    logit32 = rng.normal(0, 3, 40).astype(np.float32)  # as a torch discriminator returns it
    assert gan_value(p, q, logit32) == gan_value(p, q, logit32.astype(float))
    assert least_squares_value(p, q, logit32, c=0.1) == least_squares_value(p, q, logit32.astype(float), c=0.1)


def test_shape_errors_say_what_was_given():
    from gan_course.divergences import least_squares_value

    with pytest.raises(ValueError, match=r"^d must hold one number per point of p, got shape \(2,\) for \(3,\)$"):
        least_squares_value([1, 2, 3], [3, 2, 1], [0.0, 1.0], c=0)
    for uw, vw in (([1.0], None), (None, [1.0, 2.0, 3.0])):
        with pytest.raises(ValueError, match=r"^u_weights and v_weights must match u_values and v_values in length$"):
            wasserstein_1d([0.0, 1.0], [2.0, 3.0], uw, vw)


def test_least_squares_targets_must_be_finite_and_are_named():
    from gan_course.divergences import least_squares_discriminator

    for a, b, name in ((math.inf, 1.0, "a"), (0.0, math.nan, "b"), ("0", 1.0, "a")):
        with pytest.raises(ValueError, match=rf"^{name}=.* must be a finite number$"):
            least_squares_discriminator([1.0, 2.0], [2.0, 1.0], a=a, b=b)
