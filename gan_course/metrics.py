"""Measuring generated samples: the 2-D toys' modes, and digits through the judge.

**Toys** (:func:`mode_coverage`): the protocol of VEEGAN (Srivastava et al. 2017, sec. 5.1)
and PacGAN (Lin et al. 2018, sec. 5): draw 2,500 samples; a sample is **high quality** if
it lies within 3 standard deviations of its nearest mode centre; a mode is **covered** if
it is the nearest mode of at least one high-quality sample; and the **mode KL** is the KL
divergence from the histogram of high-quality samples over the modes to the uniform
distribution (0 when every mode gets the same share).

**Digits** (images (n, 1, 28, 28), with ``value_range`` (-1, 1) for GANs or (0, 1) for the
VAE): :func:`class_coverage` (classes covered, class KL), :func:`inception_score`,
:func:`frechet_distance` (FID) and :func:`precision_recall` read the judge
(:class:`gan_course.models.judge.Judge`, by default the shipped ``pretrained("judge")``):
its class probabilities and its penultimate features stand in for Inception-v3's, so
every figure is judge-based, not comparable with Inception-based figures in papers.
:func:`memorization` compares pixels. Read each figure beside its real-data floor or
ceiling at the same sample size (``benchmarks/judge_floors.py``; the judge's manifest entry).
"""

from __future__ import annotations

import math

import numpy as np

from gan_course._checks import check_all_finite, check_count, check_positive


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
    x, centers = check_all_finite("samples", x), check_all_finite("centers", np.asarray(centers, dtype=float))
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


def _judge(judge, device):
    """The judge (default: the shipped ``pretrained("judge")``) in eval mode on ``device`` (default: get_device())."""
    from gan_course.checkpoints import pretrained
    from gan_course.runtime import get_device

    judge = pretrained("judge") if judge is None else judge
    return judge.to(device if device is not None else get_device()).eval()


def class_coverage(images, *, value_range=(-1, 1), min_share: float = 0.02, judge=None, device=None) -> dict:
    """Classes covered and the class KL of the judge's predicted classes, the image analogue of
    :func:`mode_coverage`.

    Each image counts for the class the judge rates most likely. With ``h_c`` the share of the
    n images given class c among K classes:

    * a class is **covered** when ``h_c >= min_share`` (default 2%, a fifth of its 10% share
      when the 10 digits are equally frequent) and at least 2 images are given it: one stray
      image out of a thousand, or out of fifty, does not make a mode; real digits give 10/10
      at any n of a few hundred or more;
    * the **class KL** is ``KL(h || uniform) = sum_c h_c log(K h_c)`` in nats: 0 when every
      class gets the same share, ``log(K / m)`` when m classes share everything equally.

    The shipped judge reads uniform-noise images all as 8s: 1 class, class KL = log 10
    (``benchmarks/judge_floors.py``).

    Parameters
    ----------
    images : tensor (n, 1, 28, 28) in ``value_range``
    value_range : (-1, 1) (GANs' tanh outputs) or (0, 1) (the VAE's pixel means)
    min_share : float in (0, 1]
    judge : the network to read (default :func:`gan_course.checkpoints.pretrained` ``("judge")``)
    device : torch.device or str, optional (default :func:`gan_course.get_device`)

    Returns
    -------
    dict with ``classes`` (int), ``class_kl`` (float, nats) and ``shares`` (ndarray (K,), the h_c).
    """
    from gan_course.judge import judge_outputs

    if not 0 < check_positive("min_share", min_share) <= 1:
        raise ValueError(f"min_share={min_share!r} must be a share in (0, 1]")
    return _coverage_of(judge_outputs(_judge(judge, device), images, value_range=value_range)[0], min_share)


def _coverage_of(logits, min_share: float) -> dict:
    import torch

    counts = torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double().numpy()
    h = counts / len(logits)
    kl = float(np.sum(h[h > 0] * np.log(h[h > 0] * len(h))))
    return {"classes": int(((h >= min_share) & (counts >= 2)).sum()), "class_kl": kl, "shares": h}


def inception_score(images, *, value_range=(-1, 1), judge=None, device=None) -> float:
    """The judge Inception Score ``exp(E_x KL(p(y|x) || p(y)))`` of Salimans et al. (2016), sec. 4.

    ``p(y|x)`` is the judge's softmax and ``p(y)`` its mean over the n images. It is 1 when
    every image gets the same class distribution and K (10) when the images are confidently
    and evenly spread over the K classes. Deviations from the paper: the judge replaces
    Inception-v3 (so figures are judge-based, not comparable with papers'), and the score
    is computed once over all n images rather than as the mean over 10 splits.
    """
    from gan_course.judge import judge_outputs

    return _inception_of(judge_outputs(_judge(judge, device), images, value_range=value_range)[0])


def _inception_of(logits) -> float:
    import torch

    log_p = torch.log_softmax(logits.double(), dim=1)
    log_py = torch.logsumexp(log_p, dim=0) - np.log(len(log_p))
    kl = (log_p.exp() * (log_p - log_py)).sum(1).mean()
    return float(kl.exp())


def frechet_distance(real, fake, *, value_range=(-1, 1), judge=None, device=None, batch_size: int = 500) -> float:
    """The judge FID: the Frechet distance between Gaussians fitted to the judge's features of two image sets.

    With means ``mu_r, mu_f`` and covariances ``S_r, S_f`` (unbiased, n - 1) of the features,
    Heusel et al. (2017), eq. 6::

        FID = ||mu_r - mu_f||^2 + Tr(S_r + S_f - 2 (S_r S_f)^(1/2))

    computed by torchmetrics' ``FrechetInceptionDistance`` on the judge's penultimate-layer
    features (``judge.features``, read once per set and handed to the metric as they are): a
    maintained implementation (float64 sums, the matrix square root through the eigenvalues
    of ``S_r S_f``) rather than a hand-rolled one. The judge replaces Inception-v3, so the
    figures are judge-based, not comparable with papers'. FID is biased upward at small n:
    compare figures only at equal sample sizes, beside the real-vs-real floor. Below about as
    many images as features (64) the covariances are singular and the figure says more about
    n than about the images (real vs real: 44.7 at n = 10, 6.0 at n = 64, 0.36 at n = 1,000).
    The features are computed on the judge's device and summed on the CPU in float64.

    ``real`` and ``fake``: images (n, 1, 28, 28), n >= 2 each, both in ``value_range``; either
    may instead be the judge's outputs for them, ``judge_outputs(judge, images)``, so that a
    reference set compared with many others is read once.
    """
    judge = _judge(judge, device)
    f_real, f_fake = (_outputs_of(judge, images, value_range, name, batch_size)[1]
                      for name, images in (("real", real), ("fake", fake)))
    return _frechet_of(f_real, f_fake)


def _outputs_of(judge, images, value_range, name, batch_size=1000):
    """The judge's (logits, features) of ``images``, or ``images`` itself when it is that pair
    already (what :func:`gan_course.judge.judge_outputs` returns: a reference set read once)."""
    from gan_course.judge import judge_outputs

    if isinstance(images, tuple) and len(images) == 2:
        logits, features = images
        if logits.ndim != 2 or features.ndim != 2 or len(logits) != len(features):
            raise ValueError(f"{name} as judge outputs must be (logits (n, K), features (n, d)), got shapes "
                             f"{tuple(logits.shape)} and {tuple(features.shape)}")
        return logits, features
    return judge_outputs(judge, images, value_range=value_range, batch_size=batch_size, name=name)


def _frechet_of(f_real, f_fake) -> float:
    import torch
    from torchmetrics.image.fid import FrechetInceptionDistance

    for name, f in (("real", f_real), ("fake", f_fake)):
        if len(f) < 2:
            raise ValueError(f"{name} must hold at least 2 images to fit a covariance")
    given = torch.nn.Identity()  # the features are computed already: the metric's "images" are features
    given.num_features = f_real.shape[1]
    fid = FrechetInceptionDistance(feature=given)  # float64 sums, on the CPU
    fid.update(f_real.cpu(), real=True)
    fid.update(f_fake.cpu(), real=False)
    return float(fid.compute())


def precision_recall(real, fake, *, k: int = 3, value_range=(-1, 1), judge=None, device=None) -> dict:
    """Improved precision and recall by k-NN manifolds (Kynkaanniemi et al. 2019, sec. 2), on judge features.

    Each real feature vector gets a ball reaching its k-th nearest real neighbour (the point
    itself not counted); the real manifold is the union of the balls. **precision** is the
    share of generated images inside the real manifold (are the samples realistic?);
    **recall** the share of real images inside the generated manifold, built the same way
    from the generated features (is the variety of the data covered?). The paper uses k = 3
    and VGG-16 features; here the judge's features (figures are judge-based).
    """
    from gan_course.judge import judge_outputs

    k, judge = check_count("k", k, 1), _judge(judge, device)
    f_real, f_fake = (judge_outputs(judge, x, value_range=value_range, name=name)[1]
                      for name, x in (("real", real), ("fake", fake)))
    return _precision_recall_of(f_real, f_fake, k)


def knn_precision_recall(real, fake, *, k: int = 3) -> dict:
    """:func:`precision_recall` on points or features given as they are: ``real`` (n, d) and ``fake`` (m, d),
    arrays or tensors (the 2-D toys of lesson 05, or any features). Each real point gets a ball reaching
    its k-th nearest real neighbour; ``precision`` is the share of fake points inside some real ball,
    ``recall`` the share of real points inside some fake ball (built the same way from the fake points)."""
    import torch

    k = check_count("k", k, 1)
    sets = []
    for name, points in (("real", real), ("fake", fake)):
        points = torch.as_tensor(np.asarray(points.detach().cpu() if hasattr(points, "detach") else points,
                                            dtype=np.float64))
        if points.ndim != 2:
            raise ValueError(f"{name} must be points of shape (n, d), got shape {tuple(points.shape)}")
        check_all_finite(name, points)
        sets.append(points)
    if sets[0].shape[1] != sets[1].shape[1]:
        raise ValueError(f"real and fake must have the same dimension d, got {sets[0].shape[1]} and {sets[1].shape[1]}")
    return _precision_recall_of(*sets, k)


def _precision_recall_of(f_real, f_fake, k: int) -> dict:
    f_real, f_fake = f_real.double(), f_fake.double()
    if min(len(f_real), len(f_fake)) <= k:
        raise ValueError(f"k={k} needs more than k images in real ({len(f_real)}) and in fake ({len(f_fake)})")

    def inside(points, centers):
        radii = _distances(centers, centers).kthvalue(k + 1, dim=1).values
        return (_distances(points, centers) <= radii).any(dim=1).double().mean().item()

    return {"precision": inside(f_fake, f_real), "recall": inside(f_real, f_fake)}


def _distances(a, b):
    import torch

    return torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist")


def memorization(fake, train, heldout, *, value_range=(-1, 1)) -> dict:
    """Nearest training image of each generated image, against the same for held-out real images.

    Distances are Euclidean in pixel space with grey levels in [0, 1] (so two 28x28 images
    are at most 28 apart). A model that replays training images puts its samples at
    distance 0 from the training set, much nearer than fresh real digits (the held-out
    images) ever are; a model that generalizes sits about as far as they do.

    Returns
    -------
    dict with ``distance`` and ``index`` (tensors (n_fake,): each generated image's nearest
    training image and how far), ``heldout_distance`` and ``heldout_index`` (the same for
    the held-out images), their medians ``median`` and ``heldout_median``, and ``copies``:
    the share of generated images nearer to the training set than 99% of held-out images are
    (about 0.01 for a model that does not copy, 1 for one that replays its training images).
    """
    import torch

    from gan_course.judge import to_judge_scale

    pool = to_judge_scale(train, value_range, "train").flatten(1).double() / 2
    out = {}
    for prefix, images, name in (("", fake, "fake"), ("heldout_", heldout, "heldout")):
        x = to_judge_scale(images, value_range, name).flatten(1).double() / 2
        index = torch.cdist(x, pool).argmin(dim=1)  # the fast matrix form finds the neighbour...
        out[prefix + "index"], out[prefix + "distance"] = index, (x - pool[index]).norm(dim=1)  # ...exact distance
        out[prefix + "median"] = out[prefix + "distance"].median().item()
    if out["heldout_distance"].min() == 0:
        raise ValueError("heldout shares images with train: the reference distances must come from unseen digits")
    out["copies"] = (out["distance"] < torch.quantile(out["heldout_distance"], 0.01)).double().mean().item()
    return out


def judge_scores(fake, real, *, value_range=(-1, 1), judge=None, device=None) -> dict:
    """Every judge metric of ``fake`` against ``real`` in one dict (floats): ``classes`` and
    ``class_kl`` (:func:`class_coverage`), ``inception_score``, ``fid``
    (:func:`frechet_distance`), ``precision`` and ``recall`` (:func:`precision_recall`).
    Both sets are images in ``value_range``; compare rows only at equal sample sizes. The judge
    reads each set once (the functions above, called one by one, would read them four times);
    ``real`` may also be its outputs, ``judge_outputs(judge, real)``, read once for many rows."""
    judge = _judge(judge, device)
    logits, f_fake = _outputs_of(judge, fake, value_range, "fake")
    f_real = _outputs_of(judge, real, value_range, "real")[1]
    coverage = _coverage_of(logits, 0.02)
    return {"classes": coverage["classes"], "class_kl": coverage["class_kl"], "inception_score": _inception_of(logits),
            "fid": _frechet_of(f_real, f_fake), **_precision_recall_of(f_real, f_fake, 3)}


def scorecard(fake, train, heldout, *, heldout_outputs=None, judge=None, device=None) -> dict:
    """Every figure of the course's results table for one image set: :func:`judge_scores` of ``fake``
    against the held-out digits ``heldout``, and :func:`memorization` against the training digits ``train``
    (``nn_distance``: the median distance of a sample to its nearest training digit, ``heldout_nn`` the same
    for the held-out digits, ``copies`` the share of samples nearer than 99% of held-out digits are).
    All three are images in [-1, 1] (:func:`gan_course.checkpoints.sample_images` gives every model's so).
    ``heldout_outputs``: ``judge_outputs(judge, heldout)``, to read the held-out digits once for many rows (the
    judge scores then use them, and ``heldout`` is only memorization's reference: a subset of it is quicker)."""
    scores = judge_scores(fake, heldout if heldout_outputs is None else heldout_outputs, judge=judge, device=device)
    near = memorization(fake, train, heldout)
    return {**scores, "nn_distance": near["median"], "heldout_nn": near["heldout_median"], "copies": near["copies"]}


def matched_accuracy(categories, labels) -> dict:
    """How well unnamed categories (InfoGAN's categorical code, clusters) predict ``labels``, after
    the best one-to-one matching of categories to labels (the Hungarian algorithm,
    ``scipy.optimize.linear_sum_assignment``, on the table of counts): the share of observations
    whose category is matched to their own label. A model never told the labels can find the
    classes only in an arbitrary order, so its categories are scored this way. With more
    categories than labels (or fewer) the unmatched ones count as wrong.

    Parameters
    ----------
    categories, labels : 1-D sequences of the same length (any values ``numpy.unique`` sorts)

    Returns
    -------
    dict with ``accuracy`` (float), ``matching`` (dict category -> label), ``table`` (ndarray of
    counts, rows: categories, columns: labels) and ``categories``, ``labels`` (the rows' and
    columns' values).
    """
    from scipy.optimize import linear_sum_assignment

    from gan_course.information import contingency

    table, cat_values, label_values = contingency(categories, labels)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return {"accuracy": float(table[rows, cols].sum() / table.sum()),
            "matching": {cat_values[r].item(): label_values[c].item() for r, c in zip(rows, cols)},
            "table": table, "categories": cat_values, "labels": label_values}
