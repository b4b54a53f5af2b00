"""Toy distributions of the lessons: 2-D targets for GAN experiments and 1-D densities.

Each ``make_*`` returns a :class:`ToyData`: the samples, the index of the mode
each sample came from, the mode centres and the noise std. The ring and the grid
are the mixtures used to measure mode collapse in the Unrolled GAN (Metz et al.
2017, sec. 3.1), VEEGAN (Srivastava et al. 2017, sec. 5.1) and PacGAN (Lin et al.
2018, sec. 5) papers: equal-weight isotropic Gaussians

.. math:: p(x) = \\frac{1}{K} \\sum_{k=1}^{K} \\mathcal{N}(x;\\, \\mu_k,\\, \\sigma^2 I).

The 1-D densities are tabulated on a grid of points ``x`` (lessons 00 to 03);
``parallel_lines`` gives the two segments of the WGAN paper's Example 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gan_course._checks import check_all_finite, check_choice, check_count, check_finite, check_positive


@dataclass(frozen=True)
class ToyData:
    """Samples of a toy distribution and what they were drawn from.

    Attributes
    ----------
    x : ndarray, shape (n, 2), float32
        The samples.
    labels : ndarray, shape (n,), int64
        Index into ``centers`` of the mode each sample was drawn from.
    centers : ndarray, shape (K, 2), float64
        The mode centres (for the swiss roll: points along the noise-free roll).
    std : float
        Standard deviation of the isotropic Gaussian noise around a centre.
    name : str
    """

    x: np.ndarray
    labels: np.ndarray
    centers: np.ndarray
    std: float
    name: str


def _mixture(name, centers, n, std, seed) -> ToyData:
    n = check_count("n", n)
    std = check_positive("std", std)
    rng = np.random.default_rng(seed)
    labels = rng.integers(len(centers), size=n)
    x = centers[labels] + std * rng.standard_normal((n, 2))
    return ToyData(x.astype(np.float32), labels.astype(np.int64), centers, std, name)


def ring_centers(n_modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Centres ``radius * (cos a_k, sin a_k)`` at ``a_k = 2 pi k / n_modes``, k = 0..n_modes-1.

    The angles stop one step short of 2 pi: ``np.linspace(0, 2*np.pi, 8)`` would put
    the last mode on top of the first and leave only 7 distinct modes.
    """
    n_modes = check_count("n_modes", n_modes, minimum=1)
    radius = check_positive("radius", radius)
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def make_ring(n: int, *, n_modes: int = 8, radius: float = 2.0, std: float = 0.02, seed=0) -> ToyData:
    """``n`` samples of the ring: ``n_modes`` Gaussians of std ``std`` on a circle of ``radius``.

    Defaults follow the Unrolled GAN / VEEGAN / PacGAN experiments: 8 modes,
    radius 2, std 0.02.
    """
    return _mixture("ring", ring_centers(n_modes, radius), n, std, seed)


def grid_centers(side: int = 5, spacing: float = 2.0) -> np.ndarray:
    """The ``side x side`` grid of centres, symmetric about 0: {-4, -2, 0, 2, 4}^2 by default."""
    side = check_count("side", side, minimum=1)
    spacing = check_positive("spacing", spacing)
    axis = spacing * (np.arange(side) - (side - 1) / 2)
    gx, gy = np.meshgrid(axis, axis, indexing="ij")
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def make_grid(n: int, *, side: int = 5, spacing: float = 2.0, std: float = 0.05, seed=0) -> ToyData:
    """``n`` samples of the grid: 25 Gaussians of std 0.05 at {-4, -2, 0, 2, 4}^2 by default."""
    return _mixture("grid", grid_centers(side, spacing), n, std, seed)


SWISS_ROLL_T = (1.5 * np.pi, 4.5 * np.pi)
SWISS_ROLL_SCALE = 7.5


def _roll(t: np.ndarray) -> np.ndarray:
    return np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / SWISS_ROLL_SCALE


def make_swiss_roll(n: int, *, std: float = 0.25 / SWISS_ROLL_SCALE, n_centers: int = 1000, seed=0) -> ToyData:
    """``n`` samples of the 2-D swiss roll: ``(t cos t, t sin t) / 7.5 + noise``, t ~ U[1.5 pi, 4.5 pi].

    The same roll as scikit-learn's ``make_swiss_roll(noise=0.25)`` (its x and z
    columns) scaled by 1/7.5, the WGAN-GP toy setting (Gulrajani et al. 2017, code).
    The roll is one continuous mode; ``centers`` holds ``n_centers`` points of the
    noise-free roll at evenly spaced t (at most 0.018 apart for the default 1000,
    about half of ``std``), so the distance to the nearest centre approximates the
    distance to the roll, and ``labels`` is the nearest of them in t.
    """
    n = check_count("n", n)
    std = check_positive("std", std)
    n_centers = check_count("n_centers", n_centers, minimum=2)
    lo, hi = SWISS_ROLL_T
    rng = np.random.default_rng(seed)
    t = rng.uniform(lo, hi, size=n)
    x = _roll(t) + std * rng.standard_normal((n, 2))
    labels = np.rint((t - lo) / (hi - lo) * (n_centers - 1)).astype(np.int64)
    centers = _roll(np.linspace(lo, hi, n_centers))
    return ToyData(x.astype(np.float32), labels, centers, std, "swiss_roll")


TOYS = {"ring": make_ring, "grid": make_grid, "swiss_roll": make_swiss_roll}


def gaussian_on_grid(x, mu: float, sigma: float) -> np.ndarray:
    """The N(mu, sigma^2) density at the points ``x``:
    :math:`\\frac{1}{\\sigma\\sqrt{2\\pi}} e^{-(x - \\mu)^2 / 2\\sigma^2}`."""
    sigma, mu = check_positive("sigma", sigma), check_finite("mu", mu)
    x = check_all_finite("x", np.asarray(x, dtype=float))
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


def two_mode_density(x, gap: float, weight: float = 0.5, std: float = 1.0) -> np.ndarray:
    """Lesson 01's two-mode p at the points ``x``:

    .. math:: p(x) = w\\, \\mathcal{N}(x; -g/2, s^2) + (1 - w)\\, \\mathcal{N}(x; g/2, s^2)

    with ``gap`` g >= 0 between the modes, left ``weight`` w in [0, 1] and ``std`` s > 0.
    """
    gap, std = check_positive("gap", gap, allow_zero=True), check_positive("std", std)
    weight = check_positive("weight", weight, allow_zero=True)
    if weight > 1:
        raise ValueError(f"weight={weight!r} must be in [0, 1]")
    return weight * gaussian_on_grid(x, -gap / 2, std) + (1 - weight) * gaussian_on_grid(x, gap / 2, std)


def warp(z, a: float, b: float):
    """The 1-D generator of lesson 00, :math:`g(z) = z + a \\tanh(b z)`, and its slope.

    For a, b >= 0, :math:`g'(z) = 1 + a b\\, \\mathrm{sech}^2(b z) \\ge 1`, so g is
    increasing and the change of variables gives the density of x = g(z):
    :math:`p_x(g(z)) = p_z(z) / g'(z)`.

    Returns
    -------
    g, slope : ndarray, shaped like ``z``
    """
    a, b = check_positive("a", a, allow_zero=True), check_positive("b", b, allow_zero=True)
    z = check_all_finite("z", np.asarray(z, dtype=float))
    return z + a * np.tanh(b * z), 1 + a * b / np.cosh(b * z) ** 2


SHAPES = ("box", "gaussian")
BOX_STD = 1 / math.sqrt(12)  # the std of U(0, 1): the Gaussian shape has the same spread


def shifted_pair(x, theta: float, shape: str):
    """Lesson 02's p and q_theta = p shifted by ``theta``, as densities at the points ``x``.

    ``"box"``: p = U(0, 1), whose support stops, so p and q are disjoint once
    |theta| >= 1. ``"gaussian"``: p = N(1/2, 1/12), the same mean and std
    (``BOX_STD``), whose support never stops.

    Returns
    -------
    p, q : ndarray, shaped like ``x``
    """
    theta, shape = check_finite("theta", theta), check_choice("shape", shape, SHAPES)
    x = check_all_finite("x", np.asarray(x, dtype=float))
    if shape == "box":
        return ((x >= 0) & (x <= 1)).astype(float), ((x >= theta) & (x <= theta + 1)).astype(float)
    return gaussian_on_grid(x, 0.5, BOX_STD), gaussian_on_grid(x, 0.5 + theta, BOX_STD)


PILE_BINS = np.arange(12.0)


def pile(mean: float, std: float) -> np.ndarray:
    """Lesson 03's pile of dirt: a Gaussian bump of total mass 1 on the 12 bins ``PILE_BINS`` = 0..11,
    :math:`a_i \\propto \\exp(-(i - \\mathrm{mean})^2 / 2\\, \\mathrm{std}^2)`."""
    mean, std = check_finite("mean", mean), check_positive("std", std)
    w = np.exp(-0.5 * ((PILE_BINS - mean) / std) ** 2)
    return w / w.sum()


def parallel_lines(theta: float, n: int = 100):
    """Arjovsky et al. (2017), Example 1: n points of P_0 on {0} x [0, 1] and n of P_theta on
    {theta} x [0, 1], at the same heights ``(k + 1/2) / n``.

    Returns
    -------
    p_points, q_points : ndarray, shape (n, 2)
    """
    theta, n = check_finite("theta", theta), check_count("n", n, minimum=1)
    y = (np.arange(n) + 0.5) / n
    return np.stack([np.zeros(n), y], 1), np.stack([np.full(n, theta), y], 1)
