"""Optimal transport for small problems: the earth mover's distance and its plan.

Given masses ``a`` (n sources) and ``b`` (m targets) with equal totals and a cost
matrix ``C`` (n x m), the optimal plan solves the linear program

.. math:: \\min_{\\gamma \\ge 0} \\sum_{ij} \\gamma_{ij} C_{ij}
          \\quad\\text{s.t.}\\quad \\sum_j \\gamma_{ij} = a_i, \\;\\; \\sum_i \\gamma_{ij} = b_j ,

and its value with ``C_ij = |x_i - y_j|`` is the Wasserstein-1 (earth mover's)
distance (Villani 2008, ch. 6). For two clouds of n points with equal weights an
optimal plan is a permutation (Birkhoff), so the assignment solver finds it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gan_course._checks import check_all_finite, check_positive


@dataclass(frozen=True)
class TransportResult:
    """An optimal plan and its cost.

    Attributes
    ----------
    plan : ndarray, shape (n, m)
        ``plan[i, j]`` is the mass moved from source i to target j.
    cost : float
        ``sum(plan * cost_matrix)``.
    """

    plan: np.ndarray
    cost: float


def _masses(name, m) -> np.ndarray:
    m = np.asarray(m, dtype=float)
    if m.ndim != 1 or m.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of masses, got shape {m.shape}")
    if not np.all(np.isfinite(m)) or (m < 0).any():
        raise ValueError(f"{name} must hold finite masses >= 0")
    return m


def _balanced(a, b):
    a, b = _masses("a", a), _masses("b", b)
    if not np.isclose(a.sum(), b.sum(), rtol=1e-9, atol=1e-12):
        raise ValueError(f"a and b must carry the same total mass, got {a.sum():g} and {b.sum():g}")
    return a, b


def transport_plan(a, b, cost) -> TransportResult:
    """Solve the transport linear program exactly (``scipy.optimize.linprog``, HiGHS).

    Parameters
    ----------
    a : array, shape (n,)   masses at the sources
    b : array, shape (m,)   masses at the targets; ``b.sum()`` must equal ``a.sum()``
    cost : array, shape (n, m)   cost of moving one unit of mass from i to j
    """
    from scipy.optimize import linprog

    a, b = _balanced(a, b)
    cost = np.asarray(cost, dtype=float)
    if cost.shape != (len(a), len(b)):
        raise ValueError(f"cost must have shape (len(a), len(b)) = {(len(a), len(b))}, got {cost.shape}")
    if not np.all(np.isfinite(cost)):
        raise ValueError("cost must be finite")
    n, m = cost.shape
    rows = np.kron(np.eye(n), np.ones((1, m)))  # sum_j plan[i, j] = a[i]
    cols = np.kron(np.ones((1, n)), np.eye(m))  # sum_i plan[i, j] = b[j]
    result = linprog(cost.ravel(), A_eq=np.vstack([rows, cols]), b_eq=np.concatenate([a, b]),
                     bounds=(0, None), method="highs")
    if result.status != 0:  # pragma: no cover - a balanced problem is always feasible
        raise RuntimeError(f"linprog failed: {result.message}")
    plan = result.x.reshape(n, m)
    return TransportResult(plan, float(np.sum(plan * cost)))


def cost_matrix(x, y, p: float = 1.0) -> np.ndarray:
    """``C[i, j] = ||x_i - y_j||^p`` for points ``x`` (n, d) and ``y`` (m, d), or 1-D arrays."""
    x, y = check_all_finite("x", np.asarray(x, dtype=float)), check_all_finite("y", np.asarray(y, dtype=float))
    p = check_positive("p", p)
    x = x[:, None] if x.ndim == 1 else x
    y = y[:, None] if y.ndim == 1 else y
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y must be (n, d) and (m, d) point sets, got {x.shape} and {y.shape}")
    return np.linalg.norm(x[:, None, :] - y[None, :, :], axis=-1) ** p


def match_points(x, y, p: float = 1.0):
    """Optimal one-to-one matching of two equal-size clouds (``linear_sum_assignment``).

    Returns
    -------
    pairs : ndarray, shape (n,)   ``x[i]`` goes to ``y[pairs[i]]``
    cost : float   the mean matched distance to the power p: W_p^p between the two
        empirical distributions with weights 1/n
    """
    from scipy.optimize import linear_sum_assignment

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(f"x and y must hold the same number (> 0) of points, got {len(x)} and {len(y)}")
    cost = cost_matrix(x, y, p)
    rows, cols = linear_sum_assignment(cost)
    pairs = np.empty(len(x), dtype=np.int64)
    pairs[rows] = cols
    return pairs, float(cost[rows, cols].mean())


def reference_plans(a, b) -> dict:
    """Two feasible plans that are (in general) not optimal, to compare an optimal plan against.

    ``"independent"``: :math:`\\gamma = a b^T / \\sum_j b_j`, every source spread over every target in
    proportion. ``"backwards"``: the north-west corner rule against the targets in
    reverse order, so the first source fills the last target first; on a line with
    cost :math:`|x_i - y_j|` this monotone-backwards plan is the worst one.

    Parameters
    ----------
    a : array, shape (n,)   masses at the sources
    b : array, shape (m,)   masses at the targets, the same total as ``a``

    Returns
    -------
    dict of ndarray, shape (n, m): both plans, with row sums ``a`` and column sums ``b``
    """
    a, b = _balanced(a, b)
    plan = np.zeros((len(a), len(b)))
    i, j, left_a, left_b = 0, len(b) - 1, a.copy(), b.copy()
    while i < len(a) and j >= 0:
        moved = min(left_a[i], left_b[j])
        plan[i, j] += moved
        left_a[i] -= moved
        left_b[j] -= moved
        if left_a[i] <= 1e-15:
            i += 1
        else:
            j -= 1
    return {"independent": np.outer(a, b) / b.sum(), "backwards": plan}
