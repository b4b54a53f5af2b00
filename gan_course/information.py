"""Entropy and mutual information from counts, for two paired sequences of labels.

For labels ``a`` and ``b`` observed together (``a[i]`` with ``b[i]``), the counts of each
pair give the joint distribution :math:`p(a, b)`, and then

.. math::
    H(a) = -\\sum_a p(a) \\log p(a), \\qquad
    H(a \\mid b) = -\\sum_{a, b} p(a, b) \\log \\frac{p(a, b)}{p(b)}, \\qquad
    I(a; b) = H(a) - H(a \\mid b) .

:math:`I(a; b) = I(b; a) \\ge 0`, and :math:`I(a; b) = H(a)` exactly when ``b`` determines
``a`` (no two pairs share a ``b`` but differ in ``a``). The estimates are the plug-in
ones (the counts' own frequencies): on a small sample they overstate the true mutual
information of the distribution the labels came from. ``base`` is the logarithm's
base: e (nats, the default), 2 (bits) or 10.

Labels can be any values ``numpy.unique`` sorts (integers, strings).
"""

from __future__ import annotations

import math

import numpy as np

from gan_course._checks import check_positive


def _labels(name: str, values) -> np.ndarray:
    values = np.asarray(values)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of labels, got shape {values.shape}")
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        raise ValueError(f"{name} holds NaN or infinite values; labels must be finite")
    return values


def _log(base) -> float:
    base = check_positive("base", base)
    if base == 1:
        raise ValueError("base=1 is not a logarithm base; use e (nats), 2 (bits) or 10")
    return math.log(base)


def contingency(a, b):
    """The table of counts of each pair: ``(table, a_values, b_values)`` with
    ``table[i, j]`` = how often ``a_values[i]`` came with ``b_values[j]``."""
    a, b = _labels("a", a), _labels("b", b)
    if len(a) != len(b):
        raise ValueError(f"a and b must pair every observation: got {len(a)} and {len(b)} labels")
    a_values, a_index = np.unique(a, return_inverse=True)
    b_values, b_index = np.unique(b, return_inverse=True)
    table = np.zeros((len(a_values), len(b_values)), dtype=np.int64)
    np.add.at(table, (a_index, b_index), 1)
    return table, a_values, b_values


def _entropy_of_counts(counts) -> float:
    """Entropy in nats of the frequencies of ``counts`` (zero counts add nothing: 0 log 0 = 0)."""
    p = np.asarray(counts, dtype=float).ravel()
    p = p[p > 0] / p.sum()
    return float(-(p * np.log(p)).sum())


def entropy(a, base=math.e) -> float:
    """:math:`H(a)` of the labels' frequencies, in units of ``base``."""
    _, counts = np.unique(_labels("a", a), return_counts=True)
    return _entropy_of_counts(counts) / _log(base)


def conditional_entropy(a, b, base=math.e) -> float:
    """:math:`H(a \\mid b) = H(a, b) - H(b)`: what is left unknown of ``a`` once ``b`` is known."""
    table, _, _ = contingency(a, b)
    return (_entropy_of_counts(table) - _entropy_of_counts(table.sum(axis=0))) / _log(base)


def mutual_information(a, b, base=math.e) -> float:
    """:math:`I(a; b) = H(a) - H(a \\mid b)`, in units of ``base``; 0 when the labels are
    independent in the table, :math:`H(a)` when ``b`` determines ``a``."""
    table, _, _ = contingency(a, b)
    h_a, h_b, h_ab = (_entropy_of_counts(t) for t in (table.sum(axis=1), table.sum(axis=0), table))
    return max(0.0, h_a + h_b - h_ab) / _log(base)  # the max only clears rounding below zero
