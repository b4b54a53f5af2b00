"""Training and reading the digit judge (:class:`gan_course.models.judge.Judge`).

The judge learns the bundled subset's 4,000-image train split by cross-entropy, through
the shared single-objective loop :func:`gan_course.fit.fit`, on digits randomly moved by
small affine maps (rotation, zoom, shift) drawn from the loop's seeded generator: the
classic augmentation of Simard et al. (2003), which makes a small training set behave
like a larger one. :func:`judge_outputs` reads a trained judge (logits and features) in
``eval()`` mode, and :func:`confusion` scores it on labelled digits.
"""

from __future__ import annotations

import math
from functools import partial

import torch
import torch.nn.functional as F

from gan_course._checks import check_choice, check_count

VALUE_RANGES = ((-1, 1), (0, 1))


def augment(x, generator, *, degrees: float = 10.0, scale: float = 0.1, shift: float = 2.0):
    """Each image moved by its own random affine map; same shape, bilinear resampling.

    Per image, four uniform draws from ``generator``: a rotation angle in
    [-degrees, degrees], a zoom factor in [1 - scale, 1 + scale] and a shift in
    [-shift, shift] pixels along each axis. Pixels brought in from outside the frame copy
    the border (the background of MNIST digits), so no grey frame appears.
    """
    n, _, h, w = x.shape
    u = 2 * torch.rand(n, 4, generator=generator, device=x.device, dtype=x.dtype) - 1
    angle, zoom = u[:, 0] * math.radians(degrees), 1 + u[:, 1] * scale
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    # affine_grid maps output to input coordinates, in units of half the image side
    theta = torch.stack([torch.stack([cos, -sin, u[:, 2] * 2 * shift / w], 1),
                         torch.stack([sin, cos, u[:, 3] * 2 * shift / h], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def judge_terms(model, x, y, *, generator=None, augmented: bool = True) -> dict:
    """``loss``: the mean cross-entropy of ``model`` on a batch (augmented by :func:`augment`
    when ``augmented``); ``accuracy``: the share of the batch it classifies right."""
    if augmented:
        x = augment(x, generator)
    logits = model(x)
    return {"loss": F.cross_entropy(logits, y), "accuracy": (logits.argmax(1) == y).float().mean()}


def train_judge(model, x_train, y_train, *, epochs: int, batch_size: int = 64, lr: float = 1e-3, decay: bool = True,
                seed: int = 0, x_heldout=None, y_heldout=None, device=None, progress: bool = True) -> dict:
    """Train the judge with Adam (learning rate decayed linearly to 0 unless ``decay=False``) on augmented
    minibatches of images ``x_train`` in [-1, 1] and labels ``y_train``, by :func:`gan_course.fit.fit`.

    The history holds per epoch the training ``loss`` and ``accuracy`` (on augmented digits)
    and, when held-out digits are given, ``heldout`` (their accuracy). The model ends in
    ``eval()`` mode. Same seed, same numbers.
    """
    from gan_course.fit import fit

    x_train = to_judge_scale(x_train, (-1, 1), "x_train")
    if (x_heldout is None) != (y_heldout is None):
        raise ValueError("x_heldout and y_heldout must be given together")
    heldout = None
    if x_heldout is not None:
        heldout = partial(_heldout_accuracy, x=to_judge_scale(x_heldout, (-1, 1), "x_heldout"), y=y_heldout)
    return fit(model, judge_terms, (x_train, torch.as_tensor(y_train)), epochs=epochs, batch_size=batch_size, lr=lr,
               decay=decay, seed=seed, heldout=heldout, device=device, progress=progress, desc="training the judge")


def _heldout_accuracy(model, x, y) -> float:
    return confusion(model, x, y).diagonal().sum().item() / len(x)


@torch.no_grad()
def judge_outputs(judge, images, *, value_range=(-1, 1), batch_size: int = 1000, name: str = "images"):
    """The judge's ``(logits (n, K), features (n, d))`` of ``images`` (n, 1, 28, 28), returned on the CPU.

    ``value_range`` is the images' scale, (-1, 1) (GANs' tanh) or (0, 1) (the VAE); they
    are mapped to [-1, 1], the judge's scale. The judge runs in ``eval()`` mode (it is
    left there) on the device that holds its parameters. ``name`` names the images in errors.
    """
    x = to_judge_scale(images, value_range, name)
    judge.eval()
    device = next(judge.parameters()).device
    logits, features = [], []
    for batch in x.split(check_count("batch_size", batch_size, 1)):
        f = judge.features(batch.to(device))
        features.append(f.cpu())
        logits.append(judge.head(f).cpu())
    return torch.cat(logits), torch.cat(features)


def confusion(judge, images, labels, *, value_range=(-1, 1)):
    """The confusion matrix (K, K) of int64 counts: row = true class, column = the judge's class."""
    logits = judge_outputs(judge, images, value_range=value_range)[0]
    labels = torch.as_tensor(labels)
    if labels.shape != (len(logits),):
        raise ValueError(f"labels must have shape ({len(logits)},), got {tuple(labels.shape)}")
    k = logits.shape[1]
    return torch.bincount(labels * k + logits.argmax(1), minlength=k * k).reshape(k, k)


def to_judge_scale(images, value_range, name: str = "images"):
    """``images`` (n, 1, 28, 28) in ``value_range``, (-1, 1) or (0, 1), as float32 on the CPU in [-1, 1],
    the judge's scale; ``ValueError`` (naming the argument ``name``) unless finite and within range,
    and when images said to be in [-1, 1] have no negative pixel (they are almost surely in [0, 1])."""
    value_range = tuple(value_range) if isinstance(value_range, (tuple, list)) else value_range
    lo, hi = check_choice("value_range", value_range, VALUE_RANGES)
    x = torch.as_tensor(images).detach().float().cpu()
    if x.ndim != 4 or tuple(x.shape[1:]) != (1, 28, 28) or len(x) == 0:
        raise ValueError(f"{name} must be images of shape (n, 1, 28, 28) with n >= 1, got {tuple(x.shape)}")
    if not torch.isfinite(x).all() or x.min() < lo - 1e-4 or x.max() > hi + 1e-4:
        raise ValueError(f"{name} must be finite and within value_range={value_range}, got values in "
                         f"[{x.min().item():.3g}, {x.max().item():.3g}]")
    if lo == -1 and x.min() >= 0:
        raise ValueError(f"{name}: every pixel is >= 0, so these look like images in [0, 1] (a GAN's tanh images "
                         "have a background near -1); pass value_range=(0, 1)")
    return x if lo == -1 else x * 2 - 1
