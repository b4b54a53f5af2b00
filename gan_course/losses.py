"""GAN objectives as small objects that return named terms.

Every loss works on the raw outputs ("logits" or critic scores) of ``D``, computed
once by the training loop, and gives

* ``d_terms(out_real, out_fake) -> {"real": ..., "fake": ...}``, which the
  discriminator (critic) *minimizes* in sum,
* ``penalty(critic, x_real, x_fake, generator=None)``: an extra term for the
  discriminator, or None (``critic`` maps images to raw outputs),
* ``g_terms(out_fake) -> {"fake": ...}``, which the generator minimizes,
* ``code_terms(features, c) -> {...}``: terms added to *both* players, read from D's
  features of a generated batch and the condition it was made with (InfoGAN), and
* ``after_d_step(D)``: a constraint applied after each discriminator step;
* ``parameters()``: parameters the loss owns (InfoGAN's Q head), optimized with D's,

so the one training loop (:mod:`gan_course.train`) can log every term by name and
treat all losses alike. Notation: :math:`\\ell = D(x)` is the raw output,
:math:`\\sigma` the logistic function, :math:`\\mathrm{sp}(t) = \\log(1 + e^t)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from gan_course._checks import check_positive


def _softplus(t):
    import torch

    return torch.nn.functional.softplus(t)


class Loss:
    """What every GAN loss has unless it says otherwise: no penalty, no constraint, no
    parameters of its own, no code terms."""

    name = "gan"

    def penalty(self, critic, x_real, x_fake, generator=None):
        """No extra discriminator term."""
        return None

    def after_d_step(self, D):
        """No constraint after a discriminator step."""

    def code_terms(self, features, c) -> dict:
        """No terms shared by both players."""
        return {}

    def parameters(self) -> list:
        """No parameters of its own."""
        return []

    def to(self, device):
        return self


class Minimax(Loss):
    r"""The original, saturating GAN (Goodfellow et al. 2014, eq. 1).

    D maximizes :math:`\mathbb{E}\log\sigma(\ell_r) + \mathbb{E}\log(1 - \sigma(\ell_f))`, i.e. minimizes
    :math:`\mathbb{E}\,\mathrm{sp}(-\ell_r) + \mathbb{E}\,\mathrm{sp}(\ell_f)`; G minimizes
    :math:`\mathbb{E}\log(1 - \sigma(\ell_f)) = -\mathbb{E}\,\mathrm{sp}(\ell_f)`, whose gradient
    vanishes when D rejects the fakes confidently (lesson 02).
    """

    name = "minimax"

    def d_terms(self, out_real, out_fake):
        return {"real": _softplus(-out_real).mean(), "fake": _softplus(out_fake).mean()}

    def g_terms(self, out_fake):
        return {"fake": -_softplus(out_fake).mean()}


class NonSaturating(Minimax):
    r"""The non-saturating GAN (Goodfellow et al. 2014, sec. 3): D as in :class:`Minimax`;
    G minimizes :math:`-\mathbb{E}\log\sigma(\ell_f) = \mathbb{E}\,\mathrm{sp}(-\ell_f)` instead,
    which keeps a gradient when D wins (it follows KL(P_g || P_r) - 2 JS, lesson 02)."""

    name = "non-saturating"

    def g_terms(self, out_fake):
        return {"fake": _softplus(-out_fake).mean()}


@dataclass
class Wasserstein(Loss):
    r"""The WGAN critic loss (Arjovsky et al. 2017, Alg. 1; Gulrajani et al. 2017, Alg. 1).

    The critic minimizes :math:`-(\mathbb{E} f(x_r) - \mathbb{E} f(x_f))`, plus
    :math:`\lambda\, \mathbb{E}(\|\nabla f(\hat x)\|_2 - 1)^2` when ``gp_weight`` = :math:`\lambda` > 0
    (WGAN-GP, :func:`gradient_penalty`). With ``clip`` = c, every critic weight is
    clamped to [-c, c] after each critic step (the original WGAN). The generator
    minimizes :math:`-\mathbb{E} f(x_f)`.
    """

    gp_weight: float = 0.0
    clip: float | None = None

    def __post_init__(self):
        check_positive("gp_weight", self.gp_weight, allow_zero=True)
        if self.clip is not None:
            check_positive("clip", self.clip)

    @property
    def name(self):
        return "wgan-gp" if self.gp_weight else ("wgan" if self.clip else "wasserstein")

    def d_terms(self, out_real, out_fake):
        return {"real": -out_real.mean(), "fake": out_fake.mean()}

    def penalty(self, critic, x_real, x_fake, generator=None):
        if not self.gp_weight:
            return None
        return self.gp_weight * gradient_penalty(critic, x_real, x_fake, generator=generator)

    def g_terms(self, out_fake):
        return {"fake": -out_fake.mean()}

    def after_d_step(self, D):
        if self.clip is not None:
            import torch

            with torch.no_grad():
                for p in D.parameters():
                    p.clamp_(-self.clip, self.clip)


@dataclass
class LeastSquares(Loss):
    r"""Least squares GAN (Mao et al. 2017, eq. 2): D minimizes
    :math:`\tfrac12\mathbb{E}(\ell_r - b)^2 + \tfrac12\mathbb{E}(\ell_f - a)^2`, G minimizes
    :math:`\tfrac12\mathbb{E}(\ell_f - c)^2`. Default a, b, c = 0, 1, 1, the 0-1 coding with
    c = b (G wants D to take its samples for real); a, b, c = -1, 1, 0 satisfies b - c = 1 and
    b - a = 2, the conditions under which the paper shows that G then minimizes the Pearson
    :math:`\chi^2` divergence between :math:`p_d + p_g` and :math:`2 p_g`.
    """

    a: float = 0.0
    b: float = 1.0
    c: float = 1.0
    name = "least-squares"

    def __post_init__(self):
        import math

        for key in ("a", "b", "c"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{key}={value!r} must be a finite number")
        if self.a == self.b:
            raise ValueError(f"a={self.a!r} and b={self.b!r} must differ: D's targets for fake and real samples")

    def d_terms(self, out_real, out_fake):
        return {"real": 0.5 * ((out_real - self.b) ** 2).mean(), "fake": 0.5 * ((out_fake - self.a) ** 2).mean()}

    def g_terms(self, out_fake):
        return {"fake": 0.5 * ((out_fake - self.c) ** 2).mean()}


class Hinge(Minimax):
    r"""Hinge loss (Lim & Ye 2017; Miyato et al. 2018, eq. 16-17): D minimizes
    :math:`\mathbb{E}\,\mathrm{relu}(1 - \ell_r) + \mathbb{E}\,\mathrm{relu}(1 + \ell_f)`,
    G minimizes :math:`-\mathbb{E}\,\ell_f`."""

    name = "hinge"

    def d_terms(self, out_real, out_fake):
        import torch

        return {"real": torch.relu(1 - out_real).mean(), "fake": torch.relu(1 + out_fake).mean()}

    def g_terms(self, out_fake):
        return {"fake": -out_fake.mean()}


class InfoGAN(Loss):
    r"""InfoGAN (Chen et al. 2016, eq. 5-6): :math:`\min_{G,Q}\max_D V(D, G) - \lambda L_I(G, Q)` with

    .. math:: L_I(G, Q) = \mathbb{E}_{c \sim P(c),\, x \sim G(z, c)}[\log Q(c \mid x)] + H(c)
              \;\le\; I(c;\, G(z, c)).

    ``D`` and ``G`` keep the terms of ``base`` (non-saturating in the paper); to both
    players :meth:`code_terms` adds :math:`\lambda` times the cross-entropy
    :math:`-\mathbb{E}\log Q(c \mid x)`, which is :math:`H(c) - L_I` (H(c) is a constant, so
    minimizing it maximizes the bound). ``q_head`` maps D's features of a generated batch
    to ``n_cat`` logits of the categorical code and the means of the continuous codes;
    as in the paper's released code (``fix_std=True``), each continuous code is read as
    a Gaussian with unit standard deviation, so its term is
    :math:`\tfrac12 (c - \mu)^2 + \tfrac12\log 2\pi` per code. Terms, in nats per sample
    times ``weight``: ``info_cat`` and ``info_cont``. The Q head's parameters are
    optimized with D's (the paper's code puts Q in D's variables).

    Parameters
    ----------
    base : a loss of this module (its d_terms, g_terms, penalty and constraint are used)
    q_head : torch.nn.Module, D's features (n, d) -> (n, n_cat + n_cont)
    codes : gan_course.latents.InfoCodes, the sampler whose codes Q reads back
    weight : float, :math:`\lambda` (1 in the paper for MNIST)
    """

    name = "infogan"

    def __init__(self, base, q_head, codes, weight: float = 1.0):
        self.base, self.q, self.codes = base, q_head, codes
        self.weight = check_positive("weight", weight)

    def d_terms(self, out_real, out_fake):
        return self.base.d_terms(out_real, out_fake)

    def g_terms(self, out_fake):
        return self.base.g_terms(out_fake)

    def penalty(self, critic, x_real, x_fake, generator=None):
        return self.base.penalty(critic, x_real, x_fake, generator)

    def after_d_step(self, D):
        self.base.after_d_step(D)

    def code_terms(self, features, c) -> dict:
        import math

        import torch.nn.functional as F

        if features is None:
            raise ValueError("InfoGAN needs D to return (output, features) so its Q head can read the codes")
        cat, cont = self.codes.split(c)
        read = self.q(features)
        terms = {"info_cat": self.weight * F.cross_entropy(read[:, : self.codes.n_cat], cat)}
        if self.codes.n_cont:
            nll = 0.5 * (cont - read[:, self.codes.n_cat:]) ** 2 + 0.5 * math.log(2 * math.pi)
            terms["info_cont"] = self.weight * nll.sum(dim=1).mean()
        return terms

    def parameters(self) -> list:
        return list(self.q.parameters())

    def to(self, device):
        self.q.to(device)
        return self


def gradient_penalty(critic, x_real, x_fake, *, generator=None):
    r"""The WGAN-GP penalty (Gulrajani et al. 2017, Algorithm 1):

    .. math:: \mathbb{E}_{\hat x}\big[(\|\nabla_{\hat x} f(\hat x)\|_2 - 1)^2\big], \qquad
              \hat x = \alpha\, x_{\text{real}} + (1 - \alpha)\, x_{\text{fake}},\;\; \alpha \sim U[0, 1],

    with one :math:`\alpha` per sample (broadcast over the other dimensions) and the
    gradient norm taken over all non-batch dimensions (an image's pixels and
    channels together). Multiply by :math:`\lambda` (10 in the paper) yourself.

    Parameters
    ----------
    critic : callable, (N, ...) -> (N,) or (N, 1)
    x_real, x_fake : tensors of the same shape (N, ...); both are detached here
    generator : torch.Generator, optional, for the draws of alpha
    """
    import torch

    if x_real.shape != x_fake.shape:
        raise ValueError(f"x_real and x_fake must have the same shape, got {tuple(x_real.shape)} "
                         f"and {tuple(x_fake.shape)}")
    alpha_shape = (x_real.shape[0],) + (1,) * (x_real.dim() - 1)
    alpha = torch.rand(alpha_shape, generator=generator, device=x_real.device, dtype=x_real.dtype)
    x_hat = (alpha * x_real.detach() + (1 - alpha) * x_fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
