"""Measuring generated samples of the 2-D toys.

The protocol of VEEGAN (Srivastava et al. 2017, sec. 5.1) and PacGAN (Lin et al.
2018, sec. 5): draw 2,500 samples; a sample is **high quality** if it lies within
3 standard deviations of its nearest mode centre; a mode is **covered** if it is the
nearest mode of at least one high-quality sample; and the **mode KL** is the KL
divergence from the histogram of high-quality samples over the modes to the
uniform distribution (0 when every mode gets the same share).
"""

from __future__ import annotations

import math

import numpy as np

from gan_course._checks import check_positive


def mode_coverage(samples, centers, std: float, *, threshold: float = 3.0) -> dict:
    """Modes covered, high-quality fraction and mode KL of ``samples`` against a toy's modes.

    Parameters
    ----------
    samples : array (n, 2) (a tensor is fine)
    centers : array (K, 2), the mode centres (``ToyData.centers``)
    std : float, the modes' standard deviation (``ToyData.std``)
    threshold : float, in stds (3 in the papers)

    Returns
    -------
    dict with ``modes`` (int, out of K), ``high_quality`` (fraction in [0, 1]) and
    ``mode_kl`` (nats; ``inf`` when no sample is high quality).
    """
    from scipy.spatial import cKDTree

    x = samples.detach().cpu().numpy() if hasattr(samples, "detach") else np.asarray(samples, dtype=float)
    centers = np.asarray(centers, dtype=float)
    if x.ndim != 2 or len(x) == 0 or centers.ndim != 2 or x.shape[1] != centers.shape[1]:
        raise ValueError(f"samples must be (n, d) with n > 0 and centers (K, d) with the same d, got "
                         f"{x.shape} and {centers.shape}")
    std, threshold = check_positive("std", std), check_positive("threshold", threshold)
    distance, nearest = cKDTree(centers).query(x)
    good = distance <= threshold * std
    counts = np.bincount(nearest[good], minlength=len(centers))
    if not good.any():
        mode_kl = math.inf
    else:
        h = counts / counts.sum()
        mode_kl = float(np.sum(h[h > 0] * np.log(h[h > 0] * len(centers))))
    return {"modes": int((counts > 0).sum()), "high_quality": float(good.mean()), "mode_kl": mode_kl}
