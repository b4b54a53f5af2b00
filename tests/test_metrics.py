import math

import numpy as np
import pytest
import torch

from gan_course.distributions import make_grid, make_ring
from gan_course.metrics import mode_coverage


def test_samples_of_the_target_cover_every_mode():
    ring = make_ring(2500, seed=0)
    m = mode_coverage(ring.x, ring.centers, ring.std)
    assert m["modes"] == 8
    assert m["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.01)  # 3 std of a 2-D Gaussian: 98.9%
    assert m["mode_kl"] < 0.01
    grid = make_grid(2500, seed=1)
    assert mode_coverage(torch.tensor(grid.x), grid.centers, grid.std)["modes"] == 25


def test_a_collapsed_generator_is_caught():
    ring = make_ring(2500, seed=0)
    collapsed = ring.x[ring.labels < 2]  # only two modes
    m = mode_coverage(collapsed, ring.centers, ring.std)
    assert m["modes"] == 2
    # half the mass on each of 2 of 8 modes: KL to uniform = log(8 / 2)
    assert m["mode_kl"] == pytest.approx(math.log(4), abs=0.02)


def test_off_manifold_samples_are_low_quality():
    ring = make_ring(1000, seed=0)
    blurred = ring.x + np.random.default_rng(0).normal(0, 0.5, ring.x.shape)
    m = mode_coverage(blurred, ring.centers, ring.std)
    assert m["high_quality"] < 0.05
    nothing = mode_coverage(np.zeros((10, 2)), ring.centers, ring.std)
    assert nothing == {"modes": 0, "high_quality": 0.0, "mode_kl": math.inf}


def test_bad_inputs():
    ring = make_ring(10)
    with pytest.raises(ValueError, match="samples must be"):
        mode_coverage(np.zeros((10, 3)), ring.centers, ring.std)
    with pytest.raises(ValueError, match="std=0"):
        mode_coverage(ring.x, ring.centers, 0)
