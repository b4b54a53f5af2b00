import numpy as np
import pytest

from gan_course.distributions import grid_centers, make_grid, make_ring, make_swiss_roll, ring_centers


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
