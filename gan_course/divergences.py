"""Divergences and distances between distributions: numpy in, float out.

Discrete distributions are arrays of non-negative weights, normalized here (so
counts work as well as probabilities). With ``x=`` the arrays are densities
tabulated on the increasing grid ``x`` instead, turned into cell masses by the
trapezoid rule. All values are in nats; ``base=2`` gives bits.

.. math::
    \\mathrm{KL}(p \\| q) = \\sum_i p_i \\log \\frac{p_i}{q_i}, \\qquad
    \\mathrm{JS}(p, q) = \\tfrac12 \\mathrm{KL}(p \\| m) + \\tfrac12 \\mathrm{KL}(q \\| m),\\;
    m = \\tfrac12 (p + q), \\qquad
    \\mathrm{TV}(p, q) = \\tfrac12 \\sum_i |p_i - q_i| .

Conventions: :math:`0 \\log(0/q) = 0`; :math:`p \\log(p/0) = +\\infty` for p > 0,
so KL is ``inf`` (never NaN) when q misses mass of p. JS is always finite and
at most :math:`\\log 2`. Note that ``scipy.spatial.distance.jensenshannon``
returns :math:`\\sqrt{\\mathrm{JS}}`, a metric, not the divergence.

Torch twins (``kl_torch``, ``js_torch``) take tensors and keep autograd.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import rel_entr

from gan_course._checks import check_all_finite, check_finite, check_positive
from gan_course.distributions import gaussian_on_grid, parallel_lines
from gan_course.transport import match_points


def as_distribution(name: str, weights, x=None) -> np.ndarray:
    """Check ``weights`` and return them as a float array summing to 1.

    With ``x`` (1-D, strictly increasing, same length) the weights are density
    values at ``x`` and become trapezoid-rule masses first.
    """
    w = _float_array(weights)
    if w.ndim == 0 or w.size == 0:
        raise ValueError(f"{name} must be a non-empty array of weights, got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if (w < 0).any():
        raise ValueError(f"{name} has negative weights (smallest {w.min():.3g}); weights must be >= 0")
    if x is not None:
        if w.ndim != 1:
            raise ValueError(f"{name} must be 1-D when a grid x is given, got shape {w.shape}")
        w = w * cell_widths(x, len(w))
    total = w.sum()
    if total <= 0:
        raise ValueError(f"{name} is all zeros; a distribution needs some mass")
    return w / total


def cell_widths(x, n: int) -> np.ndarray:
    """Trapezoid-rule weights of the grid ``x``: half a gap on each side of a point."""
    x = check_all_finite("x", np.asarray(x, dtype=float))
    if x.ndim != 1 or len(x) != n or n < 2:
        raise ValueError(f"x must be a 1-D grid with one point per weight ({n}), got shape {x.shape}")
    gaps = np.diff(x)
    if not (gaps > 0).all():
        raise ValueError("x must be strictly increasing")
    widths = np.zeros(n)
    widths[:-1] += gaps / 2
    widths[1:] += gaps / 2
    return widths


def _pair(p, q, x):
    p, q = as_distribution("p", p, x), as_distribution("q", q, x)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {p.shape} and {q.shape}")
    return p, q


def _in_base(value: float, base) -> float:
    if base is None:
        return float(value)
    if not base > 0 or base == 1:
        raise ValueError(f"base={base!r} must be > 0 and != 1 (None for nats)")
    return float(value / math.log(base))


def kl(p, q, *, x=None, base=None) -> float:
    """Kullback-Leibler divergence KL(p || q); ``inf`` where q has no mass under p's support."""
    p, q = _pair(p, q, x)
    return _in_base(rel_entr(p, q).sum(), base)


def js(p, q, *, x=None, base=None) -> float:
    """Jensen-Shannon divergence (not its square root); symmetric, 0 <= JS <= log 2."""
    p, q = _pair(p, q, x)
    m = (p + q) / 2
    value = 0.5 * rel_entr(p, m).sum() + 0.5 * rel_entr(q, m).sum()
    return _in_base(min(max(value, 0.0), math.log(2)), base)


def tv(p, q, *, x=None) -> float:
    """Total variation distance: half the L1 distance, in [0, 1]."""
    p, q = _pair(p, q, x)
    return float(0.5 * np.abs(p - q).sum())


def chi2(p, q, *, x=None) -> float:
    r"""Pearson's chi-squared divergence :math:`\chi^2(p \| q) = \sum_i (p_i - q_i)^2 / q_i`, the
    f-divergence :math:`\sum_i q_i f(p_i / q_i)` with :math:`f(u) = (u - 1)^2` (the statistic of
    ``scipy.stats.chisquare(f_obs=p, f_exp=q)`` for normalized weights); ``inf`` where q has no
    mass under p's support. Texts differ on the order of the arguments: the table of f-GAN
    (Nowozin et al. 2016), which LSGAN's Theorem 1 follows, writes :math:`\int (q - p)^2 / p` for
    "Pearson :math:`\chi^2(P \| Q)`"; the integral is what counts.
    """
    p, q = _pair(p, q, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(q > 0, (p - q) ** 2 / np.where(q > 0, q, 1), np.where(p > 0, np.inf, 0.0))
    return float(terms.sum())


def kl_gaussian(mu_p, sigma_p, mu_q, sigma_q) -> float:
    """Closed form KL(N(mu_p, sigma_p^2) || N(mu_q, sigma_q^2)) in nats:

    .. math:: \\log\\frac{\\sigma_q}{\\sigma_p} + \\frac{\\sigma_p^2 + (\\mu_p - \\mu_q)^2}{2\\sigma_q^2} - \\frac12
    """
    mu_p, mu_q = check_finite("mu_p", mu_p), check_finite("mu_q", mu_q)
    sigma_p, sigma_q = check_positive("sigma_p", sigma_p), check_positive("sigma_q", sigma_q)
    return float(math.log(sigma_q / sigma_p) + (sigma_p**2 + (mu_p - mu_q) ** 2) / (2 * sigma_q**2) - 0.5)


def wasserstein_1d(u_values, v_values, u_weights=None, v_weights=None) -> float:
    """W1 between two weighted 1-D samples: the area between their CDFs,
    :math:`W_1 = \\int |F_u(t) - F_v(t)|\\, dt` (same as ``scipy.stats.wasserstein_distance``)."""
    u = check_all_finite("u_values", np.asarray(u_values, dtype=float).ravel())
    v = check_all_finite("v_values", np.asarray(v_values, dtype=float).ravel())
    uw = as_distribution("u_weights", np.ones_like(u) if u_weights is None else u_weights)
    vw = as_distribution("v_weights", np.ones_like(v) if v_weights is None else v_weights)
    if uw.shape != u.shape or vw.shape != v.shape:
        raise ValueError("u_weights and v_weights must match u_values and v_values in length")
    points = np.sort(np.concatenate([u, v]))
    cdf_u = np.cumsum(np.bincount(np.searchsorted(points, u), uw, len(points)))
    cdf_v = np.cumsum(np.bincount(np.searchsorted(points, v), vw, len(points)))
    return float(np.sum(np.abs(cdf_u - cdf_v)[:-1] * np.diff(points)))


def _is_tensor(obj) -> bool:
    return type(obj).__module__.startswith("torch") and hasattr(obj, "detach")


def _float_array(values) -> np.ndarray:
    """``values`` as a float64 array; a tensor (also one with autograd or on a GPU) is detached and copied first."""
    if _is_tensor(values):
        values = values.detach().cpu().numpy()
    return np.asarray(values, dtype=float)


def _check_weights(p, q):
    """Weight tensors must be finite and >= 0 (a NaN would vanish in the p > 0 mask)."""
    for name, w in (("p", p), ("q", q)):
        if bool((~w.isfinite()).any()) or bool((w < 0).any()):
            raise ValueError(f"{name} must hold finite weights >= 0 (NaN, infinity or a negative weight given)")


def kl_torch(p, q):
    """KL(p || q) of two weight tensors (normalized here), differentiable; ``inf`` where q misses p."""
    import torch

    _check_weights(p, q)
    p, q = p / p.sum(), q / q.sum()
    support = p > 0
    # log only where p > 0, so that 0 log 0 = 0 leaves no NaN in the gradient either
    safe_p = torch.where(support, p, torch.ones_like(p))
    safe_q = torch.where(support, q, torch.ones_like(q))
    return torch.where(support, safe_p * (torch.log(safe_p) - torch.log(safe_q)), torch.zeros_like(p)).sum()


def js_torch(p, q):
    """JS(p, q) of two weight tensors (normalized here), differentiable, in nats."""
    _check_weights(p, q)
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2
    return 0.5 * kl_torch(p, m) + 0.5 * kl_torch(q, m)


def fit_gaussian(p, x, direction: str = "forward"):
    """The Gaussian q = N(mu, sigma^2) closest to the density ``p`` tabulated on ``x``.

    ``"forward"`` minimizes KL(p || q): the minimizer matches p's mean and variance
    (moment matching), returned in closed form; q spreads to cover every mode.
    ``"reverse"`` minimizes KL(q || p) numerically (Nelder-Mead over mu and
    log sigma from several starts, the best kept; of two fits that tie within 1e-7
    nats, the one further left); q settles on one mode when the modes are far apart
    (mode seeking). The starts are p's mean and its two highest peaks, each with p's
    standard deviation; those where KL(q || p) is infinite (p is 0 where q has mass) are
    dropped, and with none left the reverse fit raises ``ValueError``.

    Returns
    -------
    (mu, sigma) : tuple of float
    """
    mass = as_distribution("p", p, x)
    x = np.asarray(x, dtype=float)
    mean = float(mass @ x)
    std = float(np.sqrt(mass @ (x - mean) ** 2))
    if direction == "forward":
        return mean, std
    if direction != "reverse":
        raise ValueError(f"direction={direction!r} is not valid; use 'forward' or 'reverse'")
    from scipy.optimize import minimize

    density = _float_array(p)  # p itself, for its peaks: a list or a tensor works as well as an array

    def loss(params):
        q = gaussian_on_grid(x, params[0], math.exp(params[1]))
        # a q too narrow to reach a grid point, or too far off the grid, has no mass on x: no fit at all
        return kl(q, density, x=x) if q.any() else math.inf

    # start at the global moments and at the two highest local peaks of p, where KL(q || p) is finite
    peaks = np.flatnonzero((density[1:-1] >= density[:-2]) & (density[1:-1] > density[2:])) + 1
    starts = [mean] + list(x[peaks[np.argsort(density[peaks])[::-1][:2]]])
    starts = [m for m in starts if math.isfinite(loss([m, math.log(std)]))]
    if not starts:
        raise ValueError("KL(q || p) is infinite at every start of the reverse fit: p is 0 on part of x where "
                         "those Gaussians have mass (a density that underflows far from its modes, or a compact "
                         "support); trim x to where p > 0")
    fits = [minimize(loss, [m, math.log(std)], method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-9})
            for m in starts]
    # two modes of equal weight tie: take the leftmost of the fits within 1e-7 nats of the best,
    # so that the answer does not hop between them on rounding noise
    lowest = min(r.fun for r in fits)
    best = min((r for r in fits if r.fun <= lowest + 1e-7), key=lambda r: r.x[0])
    return float(best.x[0]), float(math.exp(best.x[1]))


def optimal_discriminator(p, q, *, logit: bool = False) -> np.ndarray:
    r"""The discriminator that maximizes the GAN value for fixed p (real) and q (generated):
    :math:`D^*(x) = p(x) / (p(x) + q(x))` (Goodfellow et al. 2014, Prop. 1).

    With ``logit=True`` it returns :math:`\log p - \log q` instead, which keeps full
    precision where D* rounds to 0 or 1 (and is +-inf where one density is 0).
    Where both are 0, D* is 1/2 (logit 0).
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    for name, density in (("p", p), ("q", q)):
        if (check_all_finite(name, density) < 0).any():
            raise ValueError(f"{name} has negative values; densities must be >= 0")
    if logit:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((p > 0) | (q > 0), np.log(p) - np.log(q), 0.0)
    total = p + q
    return np.divide(p, total, out=np.full_like(total, 0.5), where=total > 0)


def least_squares_discriminator(p, q, *, a: float, b: float) -> np.ndarray:
    r"""The D that minimizes LSGAN's :math:`\tfrac12\mathbb{E}_p (D - b)^2 + \tfrac12\mathbb{E}_q (D - a)^2`
    for fixed p (real) and q (generated): :math:`D^*(x) = (b\,p(x) + a\,q(x)) / (p(x) + q(x))`
    (Mao et al. 2017, eq. 4); (a + b) / 2 where both densities are 0.
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    for name, density in (("p", p), ("q", q)):
        if (check_all_finite(name, density) < 0).any():
            raise ValueError(f"{name} has negative values; densities must be >= 0")
    a, b = check_finite("a", a), check_finite("b", b)
    total = p + q
    return np.divide(b * p + a * q, total, out=np.full_like(total, (a + b) / 2), where=total > 0)


def least_squares_value(p, q, d, *, c: float, x=None) -> float:
    r"""LSGAN's generator objective with the real-data term that G cannot move (Mao et al. 2017,
    eq. 3): :math:`C = \tfrac12\mathbb{E}_p (D - c)^2 + \tfrac12\mathbb{E}_q (D - c)^2`, for the
    discriminator's output ``d`` at each point. At :func:`least_squares_discriminator` with
    b - c = 1 and b - a = 2, :math:`C = \tfrac12 \int (p - q)^2 / (p + q) = \chi^2(q \| m)`,
    m = (p + q) / 2 (their Theorem 1: 2C is the chi-squared integral
    :math:`\int (2q - (p + q))^2 / (p + q)`).
    """
    p, q = _pair(p, q, x)
    d = check_all_finite("d", np.asarray(d, dtype=float))
    if d.shape != p.shape:
        raise ValueError(f"d must hold one number per point of p, got shape {d.shape} for {p.shape}")
    c = check_finite("c", c)
    return float(0.5 * np.sum((p + q) * (d - c) ** 2))


def gan_value(p, q, logit, *, x=None) -> float:
    r"""The GAN value :math:`V(D, G) = \mathbb{E}_p[\log D] + \mathbb{E}_q[\log(1 - D)]` in nats,
    for a discriminator given by its logit :math:`\ell` (so :math:`D = \sigma(\ell)`, as with
    ``BCEWithLogitsLoss``): :math:`\log D = -\mathrm{softplus}(-\ell)`,
    :math:`\log(1 - D) = -\mathrm{softplus}(\ell)`.

    ``p`` and ``q`` are weights (or densities on ``x``), normalized here; ``logit`` holds
    one value per point. Terms with zero weight count 0, so
    :math:`V(D^*, G) = -\log 4 + 2\,\mathrm{JS}(p, q)` holds with disjoint supports too.
    """
    p, q = _pair(p, q, x)
    logit = np.asarray(logit, dtype=float)
    if logit.shape != p.shape or np.isnan(logit).any():
        raise ValueError(f"logit must hold one number (not NaN) per point of p, got shape {logit.shape}")
    real = np.where(p > 0, -p * np.logaddexp(0, -np.where(p > 0, logit, 0)), 0.0).sum()
    fake = np.where(q > 0, -q * np.logaddexp(0, np.where(q > 0, logit, 0)), 0.0).sum()
    return float(real + fake)


def all_distances(x, p, q) -> dict:
    r"""Every distance of lessons 02 and 03 between the densities ``p`` and ``q`` tabulated on ``x``.

    Returns
    -------
    dict of float
        ``"JS"``: :math:`\tfrac12 \mathrm{KL}(p \| m) + \tfrac12 \mathrm{KL}(q \| m)`, m = (p + q) / 2;
        ``"KL(p||q)"``: :math:`\int p \log(p / q)`, ``inf`` where q misses mass of p;
        ``"TV"``: :math:`\tfrac12 \int |p - q|`;
        ``"W1"``: :math:`\int |F_p - F_q|`, with p and q as weights on the points x
        (:func:`wasserstein_1d`);
        ``"V(D*,G)"``: the GAN value at the optimal discriminator,
        :math:`\mathbb{E}_p[\log D^*] + \mathbb{E}_q[\log(1 - D^*)] = -\log 4 + 2\, \mathrm{JS}(p, q)`
        (Goodfellow et al. 2014, Thm. 1).
    """
    return {"JS": js(p, q, x=x), "KL(p||q)": kl(p, q, x=x), "TV": tv(p, q, x=x),
            "W1": wasserstein_1d(x, x, p, q), "V(D*,G)": gan_value(p, q, optimal_discriminator(p, q, logit=True), x=x)}


def parallel_lines_distances(theta: float, n: int = 100) -> dict:
    r"""W1, JS, KL and TV between P_0 and P_theta of :func:`~gan_course.distributions.parallel_lines`
    (Arjovsky et al. 2017, Example 1), computed from their ``n`` points each.

    W1 by optimal matching (:func:`~gan_course.transport.match_points`); the others from
    the weights both distributions put on the union of their points. The paper's values:
    :math:`W_1 = |\theta|`; for :math:`\theta \ne 0`, JS = log 2, KL = :math:`+\infty`, TV = 1
    (all 0 at :math:`\theta = 0`).

    Returns
    -------
    dict of float with keys ``"W1"``, ``"JS"``, ``"KL(P0||Pθ)"``, ``"TV"``
    """
    p_pts, q_pts = parallel_lines(theta, n)
    union, index = np.unique(np.round(np.vstack([p_pts, q_pts]), 12), axis=0, return_inverse=True)
    p = np.bincount(index[:n], minlength=len(union)) / n
    q = np.bincount(index[n:], minlength=len(union)) / n
    return {"W1": match_points(p_pts, q_pts)[1], "JS": js(p, q), "KL(P0||Pθ)": kl(p, q), "TV": tv(p, q)}
