"""Checkers for the lessons' "try it" exercises. Each prints a verdict and returns True or False;
none raises on a wrong answer, so a learner's notebook keeps running."""

from __future__ import annotations

import numpy as np
from scipy import stats


def _verdict(ok: bool, message: str) -> bool:
    print(("Correct! " if ok else "Not yet: ") + message)
    return ok


def check_inverse_cdf_sampler(fn, rate: float = 2.0, n: int = 20_000, seed: int = 0) -> bool:
    """Check ``fn(u, rate)``, which should turn U(0, 1) samples into Exponential(rate) samples.

    The exponential CDF is :math:`F(x) = 1 - e^{-\\lambda x}`, so
    :math:`F^{-1}(u) = -\\log(1 - u) / \\lambda`. The check draws ``n`` uniforms,
    applies ``fn`` and runs a Kolmogorov-Smirnov test against ``scipy.stats.expon``.
    """
    u = np.random.default_rng(seed).uniform(size=n)
    try:
        x = fn(u, rate)
    except Exception as exc:  # the learner's code: report, don't crash the notebook
        return _verdict(False, f"your function raised {type(exc).__name__}: {exc}")
    if x is None:
        return _verdict(False, "your function returned None; return an array of samples")
    x = np.asarray(x, dtype=float)
    if x.shape != u.shape:
        return _verdict(False, f"expected one sample per uniform, shape {u.shape}, got {x.shape}")
    if not np.all(np.isfinite(x)):
        return _verdict(False, "some samples are NaN or infinite")
    if (x < 0).any():
        return _verdict(False, "exponential samples are never negative; check the sign")
    ks = stats.kstest(x, stats.expon(scale=1 / rate).cdf)
    if ks.pvalue < 1e-3:
        return _verdict(False, f"the samples have mean {x.mean():.3f}, but Exponential(rate={rate}) has "
                               f"mean {1 / rate:.3f} (KS p-value {ks.pvalue:.2g})")
    return _verdict(True, f"mean {x.mean():.3f} (exact {1 / rate:.3f}); KS p-value {ks.pvalue:.2f}")
