"""The variational autoencoder network of Kingma & Welling (2014), for 28x28 images.

The model is ``p(z) = N(0, I)``, ``p(x|z) = Bernoulli(sigmoid(decoder(z)))`` per pixel,
and the encoder gives the approximate posterior ``q(z|x) = N(mu(x), diag(exp(logvar(x))))``.
The layout is the paper's MNIST MLP: 784 -> 400 (ReLU) -> (mu, logvar) in R^z for the
encoder and z -> 400 (ReLU) -> 784 logits for the decoder. Pixels are grey levels in
[0, 1] used as Bernoulli means. Its objective (the ELBO), evaluation and training live in
:mod:`gan_course.elbo`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from gan_course._checks import check_count

N_PIXELS = 28 * 28


class VAE(nn.Module):
    """An MLP VAE: ``n_pixels -> hidden -> (mu, logvar)`` and ``latent_dim -> hidden -> n_pixels`` logits.

    ``seed`` (int or ``torch.Generator``) fixes the initial weights (:func:`gan_course.models.seeded`).
    """

    def __init__(self, latent_dim: int = 20, hidden: int = 400, n_pixels: int = N_PIXELS, seed=None):
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
