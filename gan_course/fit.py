"""One epoch loop for models trained on a single objective over a fixed dataset (the VAE, the judge).

GANs, with two players, train in :mod:`gan_course.train`. Here one model descends one loss:
each epoch shuffles the data with a seeded ``torch.Generator``, takes Adam steps on
minibatches, and records the epoch means of the objective's named terms; an optional
held-out figure is measured after every epoch. A loss that becomes NaN or infinite stops
training with a ``FloatingPointError`` naming the epoch and the batch. Same seed, same numbers.
"""

from __future__ import annotations

import math

from gan_course._checks import check_count, check_positive


def fit(model, objective, data, *, epochs: int, batch_size: int = 100, lr: float = 1e-3, decay: bool = False,
        seed: int = 0, heldout=None, device=None, progress: bool = True, desc: str = "training") -> dict:
    """Train ``model`` with Adam on minibatches of ``data``; return the history.

    Each epoch draws a permutation of the N rows with the loop's generator and cuts it into
    batches of ``batch_size`` (the last may be smaller); for each batch it calls
    ``objective(model, *batch, generator=gen)``, which returns a dict of scalar tensors
    holding ``"loss"`` (what is minimized) and any other named terms, and takes one Adam
    step (PyTorch's default betas) on ``loss``. The objective draws its own randomness
    (a VAE's noise, a judge's augmentation) from the same generator, and layers that draw
    from torch's global CPU generator (dropout) get a stream seeded with ``seed + 1`` for
    the run (:func:`gan_course.models.seeded`; the learner's global state is put back
    afterwards), so one seed fixes the whole run on the CPU.

    Parameters
    ----------
    model : torch.nn.Module
        Put in ``train()`` mode for every epoch; left in ``eval()`` mode at the end.
    objective : callable ``(model, *batch, generator) -> dict`` of scalar tensors with ``"loss"``
    data : tensor (N, ...) or a tuple of tensors with the same first dimension (e.g. ``(x, y)``)
    epochs : int >= 0
    batch_size : int >= 1
    lr : float > 0, Adam's learning rate
    decay : bool
        Scale the learning rate by ``1 - t / T`` after step t of T (linear decay to 0 over the run).
    seed : int, seeds the generator that shuffles and that the objective draws from
    heldout : callable ``model -> float``, optional
        Measured after every epoch, in ``eval()`` mode and without gradients.
    device : torch.device or str, optional (default :func:`gan_course.get_device`)
    progress : bool, show a ``tqdm.auto`` bar over the epochs
    desc : str, the bar's label

    Returns
    -------
    dict of lists, one entry per epoch: ``epoch`` (1, 2, ...), the mean of every term over
    the epoch's samples (each batch weighted by its size), and ``heldout`` when given.
    """
    import torch
    from tqdm.auto import trange

    from gan_course.models import seeded
    from gan_course.runtime import get_device

    epochs, batch_size = check_count("epochs", epochs, 0), check_count("batch_size", batch_size, 1)
    check_positive("lr", lr)
    if not callable(objective):
        raise ValueError(f"objective={objective!r} must be callable")
    if heldout is not None and not callable(heldout):
        raise ValueError(f"heldout={heldout!r} must be callable (or None)")
    device = torch.device(device) if device is not None else get_device()
    tensors = _as_tensors(data, device)
    model.to(device)
    gen = torch.Generator(device=device).manual_seed(check_count("seed", seed, 0))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    total = max(1, epochs * math.ceil(len(tensors[0]) / batch_size))
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1 - t / total if decay else 1.0)
    history = {"epoch": []}
    with seeded(seed + 1):  # layers that draw from torch's global generator (dropout): a stream of their own
        for epoch in trange(epochs, disable=not progress, desc=desc):
            sums = _epoch(model, objective, tensors, opt, schedule, gen, batch_size, epoch + 1)
            history["epoch"].append(epoch + 1)
            for key, value in sums.items():
                history.setdefault(key, []).append(value / len(tensors[0]))
            if heldout is not None:
                model.eval()
                with torch.no_grad():
                    history.setdefault("heldout", []).append(float(heldout(model)))
    model.eval()
    return history


def _epoch(model, objective, tensors, opt, schedule, gen, batch_size: int, epoch: int) -> dict:
    """One pass over a fresh permutation; returns each term summed over samples."""
    import torch

    model.train()
    sums = {}
    for batch, idx in enumerate(torch.randperm(len(tensors[0]), generator=gen, device=gen.device).split(batch_size)):
        terms = objective(model, *(t[idx] for t in tensors), generator=gen)
        _check_finite(terms, epoch, batch + 1)
        opt.zero_grad(set_to_none=True)
        terms["loss"].backward()
        opt.step()
        schedule.step()
        for key, value in terms.items():
            sums[key] = sums.get(key, 0.0) + value.item() * len(idx)
    return sums


def _as_tensors(data, device) -> tuple:
    """``data`` as a tuple of tensors on ``device`` with one common, non-zero first dimension (floats as float32)."""
    import torch

    parts = tuple(data) if isinstance(data, (tuple, list)) else (data,)
    if not parts:
        raise ValueError("data must be a tensor or a non-empty tuple of tensors")
    tensors = tuple(torch.as_tensor(p).to(device) for p in parts)
    tensors = tuple(t.float() if t.is_floating_point() else t for t in tensors)
    sizes = {len(t) if t.ndim else 0 for t in tensors}
    if len(sizes) != 1 or 0 in sizes:
        raise ValueError(f"data must hold at least one row and its tensors the same number of rows, got sizes {sorted(sizes)}")
    return tensors


def _check_finite(terms, epoch: int, batch: int) -> None:
    if not isinstance(terms, dict) or "loss" not in terms:
        raise ValueError(f"objective must return a dict of scalar tensors with a 'loss', got {terms!r}")
    value = terms["loss"].item()
    if not math.isfinite(value):
        parts = ", ".join(f"{k} = {v.item():.4g}" for k, v in terms.items())
        raise FloatingPointError(f"epoch {epoch}, batch {batch}: the loss became {value} ({parts}); "
                                 "lower the learning rate or check the data")
