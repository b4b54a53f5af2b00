import math

import numpy as np
import pytest
from scipy import integrate, stats

from gan_course.distributions import (BOX_STD, PILE_BINS, gaussian_on_grid, grid_centers, make_grid, make_ring,
                                      make_swiss_roll, parallel_lines, pile, ring_centers, shifted_pair,
                                      two_mode_density, warp)


def test_ring_centres_are_eight_distinct_points_at_the_right_angles():
    c = ring_centers()
    assert c.shape == (8, 2)
    np.testing.assert_allclose(np.hypot(c[:, 0], c[:, 1]), 2.0)
    angles = np.mod(np.arctan2(c[:, 1], c[:, 0]), 2 * np.pi)
    np.testing.assert_allclose(np.sort(angles), 2 * np.pi * np.arange(8) / 8, atol=1e-12)
    # the linspace(0, 2 pi, 8) mistake would put two centres on top of each other
    gaps = np.linalg.norm(c[:, None] - c[None], axis=-1)[~np.eye(8, dtype=bool)]
    assert gaps.min() == pytest.approx(2 * 2 * np.sin(np.pi / 8))


def test_ring_samples_sit_around_their_centres_with_the_stated_std():
    d = make_ring(40_000, seed=1)
    assert d.x.shape == (40_000, 2) and d.x.dtype == np.float32
    assert d.std == 0.02 and d.name == "ring"
    resid = d.x - d.centers[d.labels]
    assert resid.std() == pytest.approx(0.02, rel=0.02)
    assert abs(resid.mean()) < 1e-3
    assert np.bincount(d.labels, minlength=8).min() > 4_500  # all 8 modes drawn, equal weights


def test_grid_is_the_25_points_of_minus4_to_4_in_steps_of_2():
    expected = {(float(i), float(j)) for i in (-4, -2, 0, 2, 4) for j in (-4, -2, 0, 2, 4)}
    assert {tuple(p) for p in grid_centers()} == expected
    d = make_grid(25_000, seed=2)
    assert d.std == 0.05 and len(d.centers) == 25
    assert (d.x - d.centers[d.labels]).std() == pytest.approx(0.05, rel=0.03)
    assert len(np.unique(d.labels)) == 25


def test_swiss_roll_lies_on_the_scaled_sklearn_roll():
    d = make_swiss_roll(5_000, seed=3)
    t = np.linspace(1.5 * np.pi, 4.5 * np.pi, 1000)
    np.testing.assert_allclose(d.centers, np.stack([t * np.cos(t), t * np.sin(t)], 1) / 7.5)
    assert d.std == pytest.approx(0.25 / 7.5)
    # every sample is close to its labelled point of the noise-free roll
    dist = np.linalg.norm(d.x - d.centers[d.labels], axis=1)
    assert np.quantile(dist, 0.99) < 4 * d.std
    spacing = np.linalg.norm(np.diff(d.centers, axis=0), axis=1)
    assert spacing.max() < 0.6 * d.std


@pytest.mark.parametrize("make", [make_ring, make_grid, make_swiss_roll])
def test_same_seed_same_samples_other_seed_other_samples(make):
    np.testing.assert_array_equal(make(100, seed=7).x, make(100, seed=7).x)
    assert not np.array_equal(make(100, seed=7).x, make(100, seed=8).x)
    assert make(0).x.shape == (0, 2)


@pytest.mark.parametrize("make", [make_ring, make_grid, make_swiss_roll])
@pytest.mark.parametrize("n", [-1, 2.5, "10", True])
def test_bad_sample_count_names_the_argument(make, n):
    with pytest.raises(ValueError, match=r"n=.*integer >= 0"):
        make(n)


@pytest.mark.parametrize("kwargs, name", [({"std": 0}, "std"), ({"std": -0.1}, "std"),
                                          ({"std": float("nan")}, "std"), ({"radius": 0}, "radius"),
                                          ({"n_modes": 0}, "n_modes")])
def test_bad_ring_settings_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        make_ring(10, **kwargs)


def test_warp_slope_matches_finite_differences():
    z = np.linspace(-3, 3, 101)
    g, slope = warp(z, 1.3, 2.5)
    h = 1e-6
    np.testing.assert_allclose(slope, (warp(z + h, 1.3, 2.5)[0] - warp(z - h, 1.3, 2.5)[0]) / (2 * h), rtol=1e-6)
    assert slope.min() >= 1  # increasing, so the change of variables applies


def test_change_of_variables_density_integrates_to_one_and_is_normal_at_a_zero():
    z = np.linspace(-8, 8, 20001)
    for a, b in [(0.0, 3.0), (1.5, 3.0), (3.0, 8.0)]:
        g, slope = warp(z, a, b)
        density = stats.norm.pdf(z) / slope
        assert integrate.trapezoid(density, g) == pytest.approx(1.0, abs=1e-5)
    g, slope = warp(z, 0.0, 3.0)
    np.testing.assert_allclose(stats.norm.pdf(z) / slope, stats.norm.pdf(g))


def test_gaussian_and_two_mode_densities_are_normalized_mixtures():
    x = np.linspace(-20, 20, 40001)
    np.testing.assert_allclose(gaussian_on_grid(x, 1.5, 0.7), stats.norm.pdf(x, 1.5, 0.7))
    p = two_mode_density(x, 6.0, 0.3, 0.8)
    np.testing.assert_allclose(p, 0.3 * stats.norm.pdf(x, -3, 0.8) + 0.7 * stats.norm.pdf(x, 3, 0.8))
    assert integrate.trapezoid(p, x) == pytest.approx(1.0, abs=1e-9)
    assert integrate.trapezoid(x * p, x) == pytest.approx(0.3 * -3 + 0.7 * 3, abs=1e-9)


def test_shifted_pair_shifts_p_by_theta():
    x = -1.5 + (np.arange(650) + 0.5) * 0.01
    p, q = shifted_pair(x, 0.5, "box")
    assert set(x[p > 0]) == set(x[(x > 0) & (x < 1)]) and set(x[q > 0]) == set(x[(x > 0.5) & (x < 1.5)])
    np.testing.assert_array_equal(q[50:], p[:-50])  # q is p moved 50 points (0.5) to the right
    p, q = shifted_pair(x, 1.2, "gaussian")
    np.testing.assert_allclose(p, stats.norm.pdf(x, 0.5, math.sqrt(1 / 12)))
    np.testing.assert_allclose(q, stats.norm.pdf(x, 1.7, BOX_STD))


def test_pile_is_a_unit_mass_bump_on_the_bins():
    a = pile(4.0, 1.2)
    assert a.shape == PILE_BINS.shape and a.sum() == pytest.approx(1.0)
    assert PILE_BINS[a.argmax()] == 4.0 and a @ PILE_BINS == pytest.approx(4.0, abs=1e-3)
    np.testing.assert_allclose(a, stats.norm.pdf(PILE_BINS, 4.0, 1.2) / stats.norm.pdf(PILE_BINS, 4.0, 1.2).sum())


def test_parallel_lines_are_two_vertical_segments_at_the_same_heights():
    p, q = parallel_lines(0.3, n=4)
    np.testing.assert_allclose(p, [[0, 0.125], [0, 0.375], [0, 0.625], [0, 0.875]])
    np.testing.assert_allclose(q, p + [0.3, 0])


@pytest.mark.parametrize("call, name", [
    (lambda: two_mode_density([0.0], -1.0), "gap"), (lambda: two_mode_density([0.0], 2.0, weight=1.5), "weight"),
    (lambda: two_mode_density([0.0], 2.0, std=0), "std"), (lambda: warp([0.0], -1.0, 2.0), "a"),
    (lambda: warp([0.0], 1.0, float("nan")), "b"), (lambda: shifted_pair([0.0], 0.5, "circle"), "shape"),
    (lambda: shifted_pair([0.0], float("inf"), "box"), "theta"), (lambda: pile(4.0, 0.0), "std"),
    (lambda: pile(None, 1.0), "mean"), (lambda: parallel_lines(0.5, n=0), "n"),
])
def test_bad_density_settings_name_the_argument(call, name):
    with pytest.raises(ValueError, match=f"{name}="):
        call()
