"""The VAE's objective: the evidence lower bound of Kingma & Welling (2014), its evaluation and training.

For the model of :class:`gan_course.models.vae.VAE` (``p(z) = N(0, I)``, Bernoulli pixels
``p(x|z)``, Gaussian encoder ``q(z|x)``), appendix B and eq. 10 of the paper::

    ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || p(z))   <=   log p(x)

Pixels are grey levels in [0, 1] used as Bernoulli means (the continuous-MNIST shortcut of
the paper and of PyTorch's example), so the reconstruction term is the binary cross-entropy
summed over pixels. Every figure here is in nats per image. Training runs through the
shared single-objective loop :func:`gan_course.fit.fit`.
"""

from __future__ import annotations

from functools import partial

import torch
import torch.nn.functional as F

from gan_course._checks import check_count, check_positive


def gaussian_kl(mu, logvar):
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) per row, in nats, shape (n,).

    ``1/2 * sum_j (mu_j^2 + sigma_j^2 - 1 - log sigma_j^2)`` (appendix B of the paper).
    """
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=1)


def elbo_terms(model, x, *, beta: float = 1.0, generator=None) -> dict:
    """The negative ELBO of a batch and its two parts, each a mean in nats per image.

    ``recon`` = -E_q[log p(x|z)] estimated with one z per image (the BCE summed over
    pixels); ``kl`` = KL(q(z|x) || p(z)) in closed form; ``loss`` = recon + beta * kl,
    the beta-VAE objective (Higgins et al. 2017), which is the negative ELBO at beta = 1.
    ``model`` is a :class:`~gan_course.models.vae.VAE`; ``x`` images in [0, 1].
    """
    check_positive("beta", beta, allow_zero=True)
    logits, mu, logvar = model(x, generator)
    recon = F.binary_cross_entropy_with_logits(logits, model._flat(x), reduction="none").sum(dim=1).mean()
    kl = gaussian_kl(mu, logvar).mean()
    return {"loss": recon + beta * kl, "recon": recon, "kl": kl}


@torch.no_grad()
def evaluate(model, x, *, batch_size: int = 500, seed: int = 0) -> dict:
    """Held-out figures of a VAE on images ``x`` in [0, 1]: ``neg_elbo``, ``recon`` and ``kl``
    in nats per image (floats), one z per image drawn from a generator seeded with ``seed``."""
    model.eval()
    device = next(model.parameters()).device
    gen = torch.Generator(device=device).manual_seed(seed)
    totals = {"neg_elbo": 0.0, "recon": 0.0, "kl": 0.0}
    for start in range(0, len(x), check_count("batch_size", batch_size, 1)):
        batch = x[start:start + batch_size].to(device)
        terms = elbo_terms(model, batch, generator=gen)
        for key, value in (("neg_elbo", terms["loss"]), ("recon", terms["recon"]), ("kl", terms["kl"])):
            totals[key] += value.item() * len(batch)
    return {k: v / len(x) for k, v in totals.items()}


def train_vae(model, x_train, *, epochs: int, batch_size: int = 100, lr: float = 1e-3, beta: float = 1.0,
              seed: int = 0, x_heldout=None, device=None, progress: bool = True) -> dict:
    """Train a VAE with Adam on minibatches of ``x_train`` (images in [0, 1]) by :func:`gan_course.fit.fit`.

    Returns the history: per epoch the training ``loss``, ``recon`` and ``kl`` (means
    over the epoch, nats per image) and, when ``x_heldout`` is given, ``heldout``
    (:func:`evaluate`'s negative ELBO). Same seed, same numbers.
    """
    from gan_course.fit import fit

    check_positive("beta", beta, allow_zero=True)
    x_train = torch.as_tensor(x_train, dtype=torch.float32)
    if len(x_train) == 0 or x_train.min() < 0 or x_train.max() > 1:
        raise ValueError("x_train must be pixels in [0, 1] (at least one image); load MNIST with value_range=(0, 1)")
    heldout = None if x_heldout is None else (lambda m: evaluate(m, x_heldout, seed=seed)["neg_elbo"])
    return fit(model, partial(elbo_terms, beta=beta), x_train, epochs=epochs, batch_size=batch_size, lr=lr,
               seed=seed, heldout=heldout, device=device, progress=progress, desc="training the VAE")
