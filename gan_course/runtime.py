"""Run-time basics: the budget mode, the device, and seeding.

Budget mode
-----------
Lessons train real models. In a full run (the default, and what the committed
notebooks show) they train to the figures the course quotes; in a quick run
(``GAN_COURSE_BUDGET=quick``, which ``make test`` sets) they train just long
enough to prove every cell works. A notebook asks through :func:`by_budget`::

    steps = by_budget(full=5000, quick=50)

Numbers that the tests compare are never budget-dependent.
"""

from __future__ import annotations

import os
import random

BUDGET_ENV = "GAN_COURSE_BUDGET"
BUDGET_MODES = ("full", "quick")
DEVICES = ("auto", "cpu", "cuda", "mps")


def budget_mode() -> str:
    """Return the budget mode, ``"full"`` or ``"quick"``, read from ``GAN_COURSE_BUDGET``.

    Unset or empty means ``"full"``. Any other value raises ``ValueError``.
    """
    value = os.environ.get(BUDGET_ENV, "").strip().lower() or "full"
    if value not in BUDGET_MODES:
        raise ValueError(
            f"environment variable {BUDGET_ENV}={os.environ[BUDGET_ENV]!r} is not a budget mode; "
            f"use one of {BUDGET_MODES} (or leave it unset for 'full')"
        )
    return value


def by_budget(full, quick):
    """Return ``full`` in a full run and ``quick`` in a quick run (see :func:`budget_mode`)."""
    return quick if budget_mode() == "quick" else full


def get_device(prefer: str = "auto"):
    """Choose the device once: CUDA if available, else Apple MPS, else the CPU.

    Parameters
    ----------
    prefer : {"auto", "cpu", "cuda", "mps"}
        ``"auto"`` picks the best available; a named device is returned only when
        it is available, otherwise ``RuntimeError`` says so.

    Returns
    -------
    torch.device
    """
    import torch

    if prefer not in DEVICES:
        raise ValueError(f"prefer={prefer!r} is not a device choice; use one of {DEVICES}")
    available = {
        "cuda": torch.cuda.is_available(),
        "mps": bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available(),
        "cpu": True,
    }
    if prefer == "auto":
        prefer = next(name for name in ("cuda", "mps", "cpu") if available[name])
    elif not available[prefer]:
        raise RuntimeError(f"prefer={prefer!r}: that device is not available on this machine")
    return torch.device(prefer)


def seed_everything(seed: int):
    """Seed Python's, NumPy's and torch's global generators; return a seeded ``torch.Generator``.

    The course passes seeds and generators explicitly; this helper is for the
    learner's own cells, where global randomness is the habit.
    """
    import numpy as np
    import torch

    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed={seed!r} must be an integer in [0, 2**32)")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return torch.Generator().manual_seed(seed)
