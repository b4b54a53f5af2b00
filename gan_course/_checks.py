"""Argument checks shared by the package: each error names the argument and what it accepts."""

from __future__ import annotations

import math
import numbers


def check_count(name: str, value, minimum: int = 0) -> int:
    """Return ``value`` as an int, or raise ``ValueError`` unless it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name}={value!r} must be an integer >= {minimum}")
    return int(value)


def check_positive(name: str, value, allow_zero: bool = False) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` unless it is a finite number > 0 (>= 0 with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
        math.isfinite(value) and (value > 0 or (allow_zero and value == 0))
    ):
        raise ValueError(f"{name}={value!r} must be a finite number {'>=' if allow_zero else '>'} 0")
    return float(value)


def check_choice(name: str, value, choices) -> str:
    """Return ``value``, or raise ``ValueError`` unless it is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not valid; use one of {tuple(choices)}")
    return value


def check_finite(name: str, value) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` unless it is a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name}={value!r} must be a finite number")
    return float(value)


def check_all_finite(name: str, values):
    """Return ``values`` (an array, a tensor or a sequence), or raise ``ValueError`` naming
    ``name`` when any of them is NaN or infinite."""
    if hasattr(values, "isfinite") and hasattr(values, "detach"):  # a tensor: checked where it lives
        bad = int((~values.detach().isfinite()).sum())
    else:
        import numpy as np

        bad = int((~np.isfinite(np.asarray(values, dtype=float))).sum())
    if bad:
        raise ValueError(f"{name} holds {bad} NaN or infinite value{'s' if bad > 1 else ''}; every value must be finite")
    return values
