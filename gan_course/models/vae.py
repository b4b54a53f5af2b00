"""The variational autoencoder of Kingma & Welling (2014), for 28x28 images.

The model is ``p(z) = N(0, I)``, ``p(x|z) = Bernoulli(sigmoid(decoder(z)))`` per pixel,
and the encoder gives the approximate posterior ``q(z|x) = N(mu(x), diag(exp(logvar(x))))``.
Training maximizes the evidence lower bound (appendix B and eq. 10 of the paper)::

    ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || p(z))   <=   log p(x)

The layout is the paper's MNIST MLP: 784 -> 400 (ReLU) -> (mu, logvar) in R^z for the
encoder and z -> 400 (ReLU) -> 784 logits for the decoder. Pixels are grey levels in
[0, 1] used as Bernoulli means (the usual continuous-MNIST shortcut of the paper and
of PyTorch's example), so the reconstruction term is the binary cross-entropy summed
over pixels. Every figure here is in nats per image.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from gan_course._checks import check_count, check_positive

N_PIXELS = 28 * 28


class VAE(nn.Module):
    """An MLP VAE: ``n_pixels -> hidden -> (mu, logvar)`` and ``latent_dim -> hidden -> n_pixels`` logits.

    ``seed`` (int or ``torch.Generator``) fixes the initial weights (:func:`gan_course.models.seeded`).
    """

    def __init__(self, latent_dim: int = 20, hidden: int = 400, n_pixels: int = N_PIXELS, seed=0):
        from gan_course.models import seeded

        super().__init__()
        self.latent_dim = check_count("latent_dim", latent_dim, 1)
        self.n_pixels = check_count("n_pixels", n_pixels, 1)
        hidden = check_count("hidden", hidden, 1)
        with seeded(seed):
            self.enc = nn.Linear(n_pixels, hidden)
            self.enc_mu, self.enc_logvar = nn.Linear(hidden, latent_dim), nn.Linear(hidden, latent_dim)
            self.dec = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, n_pixels))

    def _flat(self, x):
        x = x.reshape(len(x), -1)
        if x.shape[1] != self.n_pixels:
            raise ValueError(f"x must hold {self.n_pixels} pixels per image, got shape {tuple(x.shape)}")
        return x

    def encode(self, x):
        """``(mu, logvar)`` of q(z|x), each (n, latent_dim), for images (n, 1, 28, 28) or (n, 784) in [0, 1]."""
        h = F.relu(self.enc(self._flat(x)))
        return self.enc_mu(h), self.enc_logvar(h)

    def decode(self, z):
        """Bernoulli logits (n, n_pixels) of p(x|z)."""
        return self.dec(z)

    def forward(self, x, generator=None):
        """Encode, draw one reparameterized z, decode: returns ``(logits, mu, logvar)``."""
        mu, logvar = self.encode(x)
        return self.decode(reparameterize(mu, logvar, generator)), mu, logvar

    @torch.no_grad()
    def images(self, z):
        """Decoded pixel means sigmoid(logits) as images (n, 1, 28, 28) in [0, 1]."""
        return torch.sigmoid(self.decode(z)).reshape(len(z), 1, 28, 28)

    @torch.no_grad()
    def sample(self, n: int, generator=None):
        """``n`` images decoded from z ~ N(0, I) (pixel means, not Bernoulli draws)."""
        device = next(self.parameters()).device
        return self.images(torch.randn(check_count("n", n, 1), self.latent_dim, generator=generator, device=device))


def reparameterize(mu, logvar, generator=None):
    """``z = mu + sigma * eps`` with ``eps ~ N(0, I)``, ``sigma = exp(logvar / 2)``.

    The randomness is in ``eps`` alone, so z is a differentiable function of mu and
    logvar and gradients reach the encoder (sec. 2.4 of the paper).
    """
    eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
    return mu + torch.exp(0.5 * logvar) * eps


def gaussian_kl(mu, logvar):
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) per row, in nats, shape (n,).

    ``1/2 * sum_j (mu_j^2 + sigma_j^2 - 1 - log sigma_j^2)`` (appendix B of the paper).
    """
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=1)


def elbo_terms(model: VAE, x, *, beta: float = 1.0, generator=None) -> dict:
    """The negative ELBO of a batch and its two parts, each a mean in nats per image.

    ``recon`` = -E_q[log p(x|z)] estimated with one z per image (the BCE summed over
    pixels); ``kl`` = KL(q(z|x) || p(z)) in closed form; ``loss`` = recon + beta * kl,
    the beta-VAE objective (Higgins et al. 2017), which is the negative ELBO at beta = 1.
    """
    check_positive("beta", beta, allow_zero=True)
    logits, mu, logvar = model(x, generator)
    recon = F.binary_cross_entropy_with_logits(logits, model._flat(x), reduction="none").sum(dim=1).mean()
    kl = gaussian_kl(mu, logvar).mean()
    return {"loss": recon + beta * kl, "recon": recon, "kl": kl}


@torch.no_grad()
def evaluate(model: VAE, x, *, batch_size: int = 500, seed: int = 0) -> dict:
    """Held-out figures: ``neg_elbo``, ``recon`` and ``kl`` in nats per image (floats)."""
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


def train_vae(model: VAE, x_train, *, epochs: int, batch_size: int = 100, lr: float = 1e-3, beta: float = 1.0,
              seed: int = 0, x_heldout=None, device=None, progress: bool = True) -> dict:
    """Train with Adam on minibatches of ``x_train`` (images in [0, 1]).

    Returns the history: per epoch the training ``loss``, ``recon`` and ``kl`` (means
    over the epoch, nats per image) and, when ``x_heldout`` is given, ``heldout``
    (:func:`evaluate`'s negative ELBO). Same seed, same numbers.
    """
    from tqdm.auto import trange

    from gan_course.runtime import get_device

    epochs, batch_size = check_count("epochs", epochs, 0), check_count("batch_size", batch_size, 1)
    check_positive("lr", lr)
    device = torch.device(device) if device is not None else get_device()
    model.to(device)
    x_train = torch.as_tensor(x_train, dtype=torch.float32).to(device)
    if len(x_train) == 0:
        raise ValueError("x_train must hold at least one image")
    if x_train.min() < 0 or x_train.max() > 1:
        raise ValueError("x_train must be pixels in [0, 1]; load MNIST with value_range=(0, 1)")
    gen = torch.Generator(device=device).manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"epoch": [], "loss": [], "recon": [], "kl": []}
    for epoch in trange(epochs, disable=not progress, desc="training the VAE"):
        model.train()
        sums = {"loss": 0.0, "recon": 0.0, "kl": 0.0}
        for idx in torch.randperm(len(x_train), generator=gen, device=device).split(batch_size):
            terms = elbo_terms(model, x_train[idx], beta=beta, generator=gen)
            opt.zero_grad(set_to_none=True)
            terms["loss"].backward()
            opt.step()
            for key in sums:
                sums[key] += terms[key].item() * len(idx)
        history["epoch"].append(epoch + 1)
        for key, value in sums.items():
            history[key].append(value / len(x_train))
        if x_heldout is not None:
            history.setdefault("heldout", []).append(evaluate(model, x_heldout, seed=seed)["neg_elbo"])
    return history
