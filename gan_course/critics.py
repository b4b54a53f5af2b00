"""Estimate W1 through its dual: train a critic to maximize E_p f - E_q f.

Kantorovich-Rubinstein duality (Villani 2008, Thm 5.10; Arjovsky et al. 2017, eq. 2):

.. math:: W_1(p, q) = \\sup_{\\|f\\|_L \\le 1} \\; \\mathbb{E}_{x \\sim p}[f(x)] - \\mathbb{E}_{y \\sim q}[f(y)].

A network can only be kept *roughly* 1-Lipschitz. Three ways, each with its paper's
settings as defaults, taken from :data:`gan_course.recipes.RECIPES`:

``"clip"``  weight clipping to [-c, c] after every step, RMSprop, lr 5e-5, c = 0.01
            (recipe "wgan": Arjovsky et al. 2017, Algorithm 1). It bounds the Lipschitz
            constant by some K, so the critic's score is at most K * W1, with K unknown (usually far
            below 1) and different from problem to problem.
``"gp"``    gradient penalty, lambda = 10, Adam lr 1e-4, betas (0, 0.9) (recipe "wgan-gp":
            Gulrajani et al. 2017, Algorithm 1): a soft constraint, gradient norm 1 on the
            lines between real and fake points.
``"sn"``    spectral normalization of every layer, Adam lr 2e-4, betas (0.5, 0.999)
            (recipe "hinge": Miyato et al. 2018): at most 1-Lipschitz by construction, often less.

The critic trains through the course's one loop (:class:`gan_course.train.Trainer`),
whose "generator" here has no parameters: it replays the fixed sample ``x_fake``.
:func:`fit_discriminator` trains a plain GAN discriminator the same way (lesson 05 compares it
with lesson 02's optimal discriminator).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from gan_course._checks import check_all_finite, check_choice, check_count, check_positive

CONSTRAINTS = ("clip", "gp", "sn")


@dataclass
class CriticFit:
    """A trained critic and what it measured.

    Attributes
    ----------
    critic : torch.nn.Module, (N, d) -> (N, 1)
    estimates : list of float, E_p f - E_q f on each training batch
    w1 : float, E_p f - E_q f over all the samples after training
    """

    critic: object
    w1: float
    estimates: list = field(default_factory=list)


def train_critic(x_real, x_fake, constraint: str, *, steps: int = 2000, batch_size: int = 256, lr=None,
                 clip: float = 0.01, gp_weight: float = 10.0, hidden: int = 64, seed: int = 0,
                 device=None) -> CriticFit:
    """Train an MLP critic between two fixed samples and return its W1 estimate.

    Parameters
    ----------
    x_real, x_fake : array or tensor, shape (n, d) or (n,)   samples of p and q
    constraint : {"clip", "gp", "sn"}   see the module docstring
    steps, batch_size : int
    lr : float, optional   the constraint's recipe default when None
    clip, gp_weight : float   c for "clip", lambda for "gp"
    seed : int   seeds the critic's weights, the batches and the penalty's alphas
    device : optional, default :func:`gan_course.get_device`
    """
    from gan_course.losses import Wasserstein
    from gan_course.models.mlp import mlp
    from gan_course.recipes import RECIPES
    from gan_course.runtime import get_device
    from gan_course.train import Trainer

    check_choice("constraint", constraint, CONSTRAINTS)
    steps, batch_size = check_count("steps", steps, 1), check_count("batch_size", batch_size, 1)
    clip, gp_weight = check_positive("clip", clip), check_positive("gp_weight", gp_weight)
    device = torch.device(device) if device is not None else get_device()
    real, fake = (_as_points(name, x, device) for name, x in (("x_real", x_real), ("x_fake", x_fake)))
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"x_real and x_fake must have the same dimension, got {real.shape[1]} and {fake.shape[1]}")
    recipe = RECIPES[{"clip": "wgan", "gp": "wgan-gp", "sn": "hinge"}[constraint]]
    settings = recipe.settings_with(batch_size=batch_size, seed=seed, lr_d=lr or recipe.settings.lr_d)
    critic = mlp(real.shape[1], 1, hidden=hidden, spectral_norm=constraint == "sn", seed=seed)
    loss = Wasserstein(gp_weight=gp_weight if constraint == "gp" else 0.0, clip=clip if constraint == "clip" else None)
    trainer = Trainer(_Replay(fake), critic, loss, real, _Indices(len(fake)), settings, device)
    estimates = []
    for _ in range(steps):
        record = trainer.d_step()
        estimates.append(-(record["d_loss_real"] + record["d_loss_fake"]))  # E_p f - E_q f on this batch
    with torch.no_grad():
        w1 = (critic(real).mean() - critic(fake).mean()).item()
    return CriticFit(critic, w1, estimates)


def fit_discriminator(x_real, x_fake, *, steps: int = 2000, batch_size: int = 256, lr: float = 1e-3,
                      hidden: int = 256, layers: int = 3, seed: int = 0, device=None):
    """Train a fresh GAN discriminator between two fixed samples, the generator frozen.

    The discriminator's loss of Goodfellow et al. (2014), on logits:
    :math:`L_D = \\mathbb{E}_p[-\\log\\sigma(D(x))] + \\mathbb{E}_q[-\\log(1 - \\sigma(D(y)))]`,
    whose minimum over all functions is :math:`2\\log 2 - 2\\,\\mathrm{JS}(p, q)`, reached by
    :math:`\\sigma(D^*) = p / (p + q)`; so any D's loss on fresh samples gives the lower bound
    :math:`\\mathrm{JS}(p, q) \\ge \\log 2 - L_D / 2`. Batches are drawn with replacement from
    the two samples; Adam with betas (0.5, 0.9).

    Parameters
    ----------
    x_real, x_fake : array or tensor (n, d) or (n,)   samples of p and q (sizes may differ)
    steps, batch_size : int
    lr : float   Adam's learning rate
    hidden, layers : int   the MLP's width and number of hidden layers
    seed : int   seeds the weights and the batches
    device : optional, default :func:`gan_course.get_device`

    Returns
    -------
    (D, losses) : the trained module, (N, d) -> (N, 1) logits, and its loss on every training batch
    """
    from gan_course.losses import NonSaturating
    from gan_course.models.mlp import mlp
    from gan_course.runtime import get_device
    from gan_course.train import Trainer, TrainSettings

    steps, batch_size = check_count("steps", steps, 1), check_count("batch_size", batch_size, 1)
    lr = check_positive("lr", lr)
    device = torch.device(device) if device is not None else get_device()
    real, fake = (_as_points(name, x, device) for name, x in (("x_real", x_real), ("x_fake", x_fake)))
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"x_real and x_fake must have the same dimension, got {real.shape[1]} and {fake.shape[1]}")
    D = mlp(real.shape[1], 1, hidden=hidden, layers=layers, seed=seed)
    settings = TrainSettings(batch_size=batch_size, lr_d=lr, betas=(0.5, 0.9), seed=seed)
    trainer = Trainer(_Replay(fake), D, NonSaturating(), real, _Indices(len(fake)), settings, device)
    return D, [trainer.d_step()["d_loss"] for _ in range(steps)]


class _Indices:
    """A latent sampler of row indices into a fixed sample of ``n`` rows (uniform, with replacement)."""

    feeds_d = False

    def __init__(self, n: int):
        self.n = n

    def sample(self, n: int, generator=None, device=None):
        return torch.randint(self.n, (n,), generator=generator, device=device), None


class _Replay(torch.nn.Module):
    """A 'generator' with no parameters: it returns the rows of a fixed sample that z indexes."""

    def __init__(self, x):
        super().__init__()
        self.register_buffer("x", x)

    def forward(self, idx):
        return self.x[idx]


def _as_points(name, x, device):
    t = check_all_finite(name, torch.as_tensor(x, dtype=torch.float32, device=device))
    t = t[:, None] if t.dim() == 1 else t
    if t.dim() != 2 or len(t) == 0:
        raise ValueError(f"{name} must be a non-empty (n, d) or (n,) array of points, got shape {tuple(t.shape)}")
    return t
