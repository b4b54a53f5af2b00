"""The paper settings of every GAN in the course, in one place.

A recipe is a loss, training settings and a latent sampler, with its citation and any
deviation said openly. Lessons, the lab and the command line take them from here::

    recipe = RECIPES["wgan-gp"]
    trainer = Trainer(G, D, recipe.make_loss(), x_real, recipe.make_latent(),
                      recipe.settings_with(batch_size=128, seed=1))

Networks are separate (:mod:`gan_course.models`): a GAN of the course is networks plus
a recipe, trained by the one loop of :mod:`gan_course.train`. Where a lesson runs a
recipe with other settings (a shorter CPU budget, a larger batch) it says so beside the
run; ``settings_with`` keeps the change visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from gan_course import latents, losses
from gan_course.train import TrainSettings


@dataclass(frozen=True)
class Recipe:
    """A GAN's objective and settings from its paper.

    Attributes
    ----------
    name : str
    citation : str, the paper and the section or algorithm the settings come from
    loss : callable, ``loss(**kwargs)`` -> a loss of :mod:`gan_course.losses`
    settings : TrainSettings
    latent : callable, ``latent(**kwargs)`` -> a sampler of :mod:`gan_course.latents`
    deviations : str, where the course departs from the paper, and why
    """

    name: str
    citation: str
    loss: Callable
    settings: TrainSettings
    latent: Callable = field(default=lambda z_dim=100: latents.Gaussian(z_dim))
    deviations: str = ""

    def make_loss(self, **kwargs):
        """A fresh loss object (``kwargs`` go to the loss, e.g. InfoGAN's ``q_head`` and ``codes``)."""
        return self.loss(**kwargs)

    def make_latent(self, **kwargs):
        """A fresh latent sampler (``kwargs`` such as ``z_dim`` go to the sampler)."""
        return self.latent(**kwargs)

    def settings_with(self, **changes) -> TrainSettings:
        """The recipe's settings with ``changes`` (e.g. ``batch_size``, ``seed``, ``decay_steps``)."""
        return replace(self.settings, **changes)


def _infogan_loss(q_head, codes, weight: float = 1.0):
    return losses.InfoGAN(losses.NonSaturating(), q_head, codes, weight)


_DCGAN = TrainSettings(batch_size=128, lr_g=2e-4, lr_d=2e-4, betas=(0.5, 0.999))

RECIPES = {recipe.name: recipe for recipe in [
    Recipe("minimax", "Goodfellow et al. 2014, eq. 1 (the saturating generator loss)", losses.Minimax, _DCGAN,
           deviations="the paper trained with SGD and momentum; the course uses DCGAN's Adam settings"),
    Recipe("non-saturating", "Goodfellow et al. 2014, sec. 3 (G maximizes log D(G(z)))", losses.NonSaturating,
           _DCGAN, deviations="the paper trained with SGD and momentum; the course uses DCGAN's Adam settings"),
    Recipe("dcgan", "Radford et al. 2016, sec. 3-4: Adam lr 2e-4, beta1 0.5, batch 128, weights N(0, 0.02)",
           losses.NonSaturating, _DCGAN),
    Recipe("wgan", "Arjovsky et al. 2017, Algorithm 1: RMSprop lr 5e-5, clip c = 0.01, n_critic = 5, m = 64",
           lambda clip=0.01: losses.Wasserstein(clip=clip),
           TrainSettings(batch_size=64, d_steps=5, lr_g=5e-5, lr_d=5e-5, optimizer="rmsprop")),
    Recipe("wgan-gp", "Gulrajani et al. 2017, Algorithm 1: Adam lr 1e-4, betas (0, 0.9), lambda = 10, "
                      "n_critic = 5, m = 64", lambda gp_weight=10.0: losses.Wasserstein(gp_weight=gp_weight),
           TrainSettings(batch_size=64, d_steps=5, lr_g=1e-4, lr_d=1e-4, betas=(0.0, 0.9)),
           deviations="the paper's released MNIST code (gan_mnist.py) uses betas (0.5, 0.9) and batch 50; "
                      "Algorithm 1's (0, 0.9) is kept here"),
    Recipe("wgan-sn", "Miyato et al. 2018, setting A of Table 1 (Adam lr 1e-4, betas (0.5, 0.9), n_dis = 5): the "
                      "Wasserstein critic held Lipschitz by spectral normalization instead of clipping or a penalty",
           losses.Wasserstein, TrainSettings(batch_size=64, d_steps=5, lr_g=1e-4, lr_d=1e-4, betas=(0.5, 0.9)),
           deviations="the paper trains spectrally normalized discriminators with the GAN's standard loss and the hinge "
                      "loss, not the Wasserstein loss; the course keeps the Wasserstein loss so the three "
                      "critics of lesson 07 differ only in how they are held Lipschitz; the critic must be built "
                      "with spectral_norm=True (the recipe holds no networks)"),
    Recipe("lsgan", "Mao et al. 2017, eq. 2 with the 0-1 coding a, b, c = 0, 1, 1 (c = b: G asks D to call its "
                    "samples real)",
           losses.LeastSquares, _DCGAN,
           deviations="the course trains it with DCGAN's Adam settings (beta1 0.5 as the paper, lr 2e-4 for "
                      "both players) so it compares like for like with the other GANs"),
    Recipe("lsgan-pearson", "Mao et al. 2017: a, b, c = -1, 1, 0 (b - c = 1 and b - a = 2: G minimizes a Pearson "
                            "chi^2 divergence)",
           lambda: losses.LeastSquares(a=-1.0, b=1.0, c=0.0), _DCGAN,
           deviations="DCGAN's Adam settings, as for 'lsgan'"),
    Recipe("hinge", "Lim & Ye 2017; Miyato et al. 2018, eq. 16-17 (SN-GAN): Adam lr 2e-4, betas (0.5, 0.999)",
           losses.Hinge, _DCGAN),
    Recipe("infogan", "Chen et al. 2016, sec. 5 and appendix C.1: lambda = 1, Adam G lr 1e-3, D lr 2e-4, "
                      "beta1 0.5, batch 128 (released code), 62 noise + Cat(10) + 2 Unif(-1, 1) codes",
           _infogan_loss, TrainSettings(batch_size=128, lr_g=1e-3, lr_d=2e-4, betas=(0.5, 0.999)),
           latent=lambda z_dim=62, n_cat=10, n_cont=2: latents.InfoCodes(z_dim, n_cat, n_cont),
           deviations="noise z ~ N(0, I) instead of the released code's U(-1, 1); the networks are the course's "
                      "DCGAN ones, not appendix C.1's (no FC-1024 layer before Q, which reads D's convolutional "
                      "features; a tanh output instead of a Bernoulli one)"),
    Recipe("cgan", "Mirza & Osindero 2014: G(z, y) and D(x, y) with the label as input; a projection "
                   "discriminator (Miyato & Koyama 2018) is the stronger D", losses.NonSaturating, _DCGAN,
           latent=lambda z_dim=100, n_classes=10: latents.ClassLabels(z_dim, n_classes),
           deviations="the paper trained MLPs with SGD, momentum and dropout; the course uses DCGAN's "
                      "convolutional networks and Adam settings"),
]}
