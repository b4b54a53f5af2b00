"""One training loop for every GAN in the course.

A :class:`Trainer` holds a generator ``G``, a discriminator or critic ``D``, a loss
from :mod:`gan_course.losses`, the data and a latent sampler from
:mod:`gan_course.latents`. It does not care what the models are (MLPs on 2-D points,
convnets on images). A GAN of the course is a loss object, two networks and a recipe
(:mod:`gan_course.recipes`), never a new loop:

* the real data may carry labels, ``(x, y)``;
* the latent sampler may return a condition ``c`` beside ``z``: then ``G(z, c)`` is called,
  and ``D(x, c)`` too when the sampler ``feeds_d`` (a conditional GAN: real images are
  shown with the condition of their own labels, and in a discriminator step the fakes are
  made with the real batch's labels, so that each real image, its fake partner and a
  gradient penalty's interpolate between them share one class, as in WGAN-GP's released
  conditional code; the generator step draws classes from the sampler);
* ``D`` may return ``(outputs, features)``: the features of a generated batch go to the
  loss's ``code_terms`` (InfoGAN's Q head), whose terms are added to both players, and
  the loss's own parameters are optimized with D's.

One :meth:`Trainer.step` is ``d_steps`` discriminator updates on fresh real and
generated batches (the generated ones made under ``no_grad``, i.e. detached: a
discriminator step must not move G), then one generator update; the history keeps the
last of the ``d_steps`` discriminator records. The lab of lesson
05 also calls :meth:`Trainer.d_step` and :meth:`Trainer.g_step` on their own.

Every draw (batches, z, codes, the gradient penalty's interpolation weights) comes from
the trainer's own ``torch.Generator``, ``rng``, seeded by ``settings.seed``: the same
seed and the same initial networks give the same history on the CPU.

Every step appends to ``history``: the losses (``d_loss``, ``g_loss``) and each player's
named terms (``d_loss_real``, ``d_loss_fake``, ``d_loss_penalty``, ``g_loss_fake``,
``d_loss_info_cat``, ...), the mean raw outputs D(x) and D(G(z)) (``d_real``,
``d_fake``), and each player's gradient norm (``grad_norm_d``, ``grad_norm_g``). A loss
that becomes NaN or infinite stops training with a ``FloatingPointError`` naming the
step. ``updates`` counts each player's optimizer steps (lone ``d_step``/``g_step`` calls
included) and ``last`` holds the latest record of each, for live readouts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gan_course._checks import check_choice, check_count, check_positive

OPTIMIZERS = ("adam", "rmsprop")


@dataclass
class TrainSettings:
    """How to train. Defaults follow DCGAN (Radford et al. 2016): Adam, lr 2e-4, betas (0.5, 0.999);
    each GAN's paper settings are in :data:`gan_course.recipes.RECIPES`.

    ``decay_steps=N`` scales both learning rates by ``max(0, 1 - t / N)`` at step t (the
    linear decay of WGAN-GP's released CIFAR-10 ResNet code; its MNIST code has none); None
    keeps them constant.
    """

    batch_size: int = 256
    d_steps: int = 1
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple = (0.5, 0.999)
    optimizer: str = "adam"
    seed: int = 0
    decay_steps: int | None = None  # decay both learning rates linearly to 0 at this step

    def __post_init__(self):
        check_count("batch_size", self.batch_size, 1)
        check_count("d_steps", self.d_steps, 1)
        check_positive("lr_g", self.lr_g)
        check_positive("lr_d", self.lr_d)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        check_count("seed", self.seed, 0)
        if len(tuple(self.betas)) != 2 or not all(isinstance(b, (int, float)) and 0 <= b < 1 for b in self.betas):
            raise ValueError(f"betas={self.betas!r} must be two numbers in [0, 1)")
        if self.decay_steps is not None:
            check_count("decay_steps", self.decay_steps, 1)


class Trainer:
    """Train ``G`` against ``D`` with ``loss`` on ``real`` data.

    Parameters
    ----------
    G : torch.nn.Module, ``G(z)`` or ``G(z, c)`` -> samples. A G without parameters (a
        fixed sample replayed by index, as :func:`gan_course.critics.train_critic` uses)
        is never updated, and only :meth:`d_step` may be called.
    D : torch.nn.Module, samples (and ``c`` when the sampler feeds D) -> (n, 1) raw outputs
        (logits or critic scores), or a tuple ``(outputs, features)``
    loss : a loss of :mod:`gan_course.losses`
    real : tensor (N, ...) of training samples, a pair ``(x, y)`` of samples and integer labels,
        or a callable ``(n, generator) -> x`` or ``-> (x, y)`` (drawing with ``generator``, which
        lives on ``device``)
    latent : int or tuple (z ~ N(0, I) of that shape) or a sampler of :mod:`gan_course.latents`
    settings : TrainSettings
    device : torch.device or str, optional (default: :func:`gan_course.get_device`)
    """

    def __init__(self, G, D, loss, real, latent, settings: TrainSettings | None = None, device=None):
        import torch

        from gan_course.latents import as_sampler
        from gan_course.runtime import get_device

        self.settings = settings or TrainSettings()
        self.device = torch.device(device) if device is not None else get_device()
        self.G, self.D, self.loss = G.to(self.device), D.to(self.device), loss.to(self.device)
        self.latent = as_sampler(latent)
        self.rng = torch.Generator(device=self.device).manual_seed(self.settings.seed)
        self._real_fn, self.real, self.labels = (real, None, None) if callable(real) else (None, *self._data(real))
        self._check_parts()
        g_params = list(G.parameters())
        self.opt_g = self._optimizer(g_params, self.settings.lr_g) if g_params else None
        self.opt_d = self._optimizer(list(D.parameters()) + list(loss.parameters()), self.settings.lr_d)
        self.steps_done = 0
        self.updates = {"D": 0, "G": 0}  # optimizer steps of each player, lone d_step / g_step included
        self.last = {}  # the latest d_step and g_step records
        self.history = {"step": [], "d_loss": [], "g_loss": [], "d_real": [], "d_fake": [],
                        "grad_norm_d": [], "grad_norm_g": []}

    def _data(self, real):
        """``(x, y)`` tensors on the device from ``real`` = x or (x, y); labels checked against the sampler."""
        import torch

        x, y = real if isinstance(real, (tuple, list)) else (real, None)
        x = torch.as_tensor(x, dtype=torch.float32, device=self.device)
        if len(x) == 0:
            raise ValueError("real must hold at least one sample")
        if y is None:
            return x, None
        y = torch.as_tensor(y, device=self.device)
        if len(y) != len(x):
            raise ValueError(f"real=(x, y) must pair every sample with a label, got {len(x)} samples and {len(y)} labels")
        n_classes = getattr(self.latent, "n_classes", None)
        if y.is_floating_point() or y.is_complex() or y.min() < 0 or (n_classes and y.max() >= n_classes):
            allowed = f"0 .. {n_classes - 1}" if n_classes else ">= 0"
            raise ValueError(f"the labels of real=(x, y) must be integers in {allowed}, got {y.dtype} values "
                             f"from {y.min().item()} to {y.max().item()}")
        return x, y.long()

    def _check_parts(self):
        """Refuse parts that do not fit together; warn where they fit but mislead."""
        import warnings

        import torch

        if self.latent.feeds_d and self._real_fn is None and self.labels is None:
            raise ValueError("real must be labelled, real=(x, y): a conditional GAN shows D each image with its class")
        codes = getattr(self.loss, "codes", None)
        if codes is not None and codes is not self.latent:
            raise ValueError(f"latent={self.latent!r} must be the sampler whose codes the loss reads back "
                             "(pass loss.codes as latent)")
        if getattr(self.loss, "gp_weight", 0) and any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm)
                                                      for m in self.D.modules()):
            warnings.warn("D has batch norm: a gradient penalty is per sample, and batch norm makes each sample's "
                          "score depend on the rest of the batch (Gulrajani et al. 2017, sec. 4: use layer norm)",
                          stacklevel=3)

    def _optimizer(self, params, lr):
        import torch

        if self.settings.optimizer == "rmsprop":
            return torch.optim.RMSprop(params, lr=lr)
        return torch.optim.Adam(params, lr=lr, betas=self.settings.betas)

    def sample_latent(self, n: int):
        """``(z, c)`` from the latent sampler (``c`` is None for an unconditional GAN)."""
        return self.latent.sample(n, self.rng, self.device)

    def sample_real(self, n: int):
        """``(x, y)``: a batch of real samples, drawn with replacement, and their labels (or None)."""
        import torch

        if self._real_fn is not None:
            batch = self._real_fn(n, self.rng)
            x, y = batch if isinstance(batch, (tuple, list)) else (batch, None)
            return x.to(self.device), (None if y is None else y.to(self.device))
        idx = torch.randint(len(self.real), (n,), generator=self.rng, device=self.device)
        return self.real[idx], (None if self.labels is None else self.labels[idx])

    def generate(self, z, c=None):
        """``G(z)``, or ``G(z, c)`` when there is a condition."""
        return self.G(z) if c is None else self.G(z, c)

    def judge(self, x, c=None):
        """``(outputs, features)`` of D on ``x``; D sees ``c`` when the sampler feeds D; features may be None."""
        out = self.D(x, c) if self.latent.feeds_d else self.D(x)
        return out if isinstance(out, tuple) else (out, None)

    def _check(self, who: str, total, terms):
        value = total.item()
        if not math.isfinite(value):
            parts = ", ".join(f"{k} = {v.item():.4g}" for k, v in terms.items())
            raise FloatingPointError(f"step {self.steps_done}: the {who} loss became {value} ({parts}); "
                                     "lower the learning rates or check the data")
        return value

    @staticmethod
    def _grad_norm(params) -> float:
        import torch

        grads = [p.grad for p in params if p.grad is not None]
        if not grads:
            return 0.0
        norms = torch._foreach_norm(grads) if hasattr(torch, "_foreach_norm") else [torch.linalg.vector_norm(g) for g in grads]
        return torch.linalg.vector_norm(torch.stack(norms)).item()  # one fused kernel for all the layers' norms

    def d_step(self) -> dict:
        """One discriminator (critic) update; returns its loss terms and mean outputs as floats."""
        import torch

        n = self.settings.batch_size
        x_real, y_real = self.sample_real(n)
        z, c = self.sample_latent(n)
        c_real = self.latent.condition_of(y_real) if self.latent.feeds_d else None
        if c_real is not None:  # D compares real and fake images of the same classes, pair by pair
            c = c_real
        with torch.no_grad():  # a detached fake batch: this step must not move G
            x_fake = self.generate(z, c)
        (out_real, _), (out_fake, features) = self.judge(x_real, c_real), self.judge(x_fake, c)
        terms = {**self.loss.d_terms(out_real, out_fake), **self.loss.code_terms(features, c)}
        penalty = self.loss.penalty(lambda x: self.judge(x, c_real)[0], x_real, x_fake, self.rng)
        if penalty is not None:
            terms["penalty"] = penalty
        value, grad_norm = self._descend("discriminator", self.opt_d, terms)
        self.loss.after_d_step(self.D)
        return self._count("D", {"d_loss": value, "d_real": out_real.mean().item(), "d_fake": out_fake.mean().item(),
                                 "grad_norm_d": grad_norm, **{f"d_loss_{k}": v.item() for k, v in terms.items()}})

    def g_step(self) -> dict:
        """One generator update; returns its loss and terms as floats."""
        if self.opt_g is None:
            raise ValueError("G has no parameters to train (a fixed sample): call d_step only")
        z, c = self.sample_latent(self.settings.batch_size)
        out_fake, features = self.judge(self.generate(z, c), c)
        terms = {**self.loss.g_terms(out_fake), **self.loss.code_terms(features, c)}
        value, grad_norm = self._descend("generator", self.opt_g, terms)
        return self._count("G", {"g_loss": value, "grad_norm_g": grad_norm,
                                 **{f"g_loss_{k}": v.item() for k, v in terms.items()}})

    def _descend(self, who: str, opt, terms: dict):
        """One optimizer step on the sum of ``terms``; returns (loss value, gradient norm of what ``opt`` moves)."""
        total = sum(terms.values())
        value = self._check(who, total, terms)
        opt.zero_grad(set_to_none=True)
        total.backward()
        grad_norm = self._grad_norm(p for group in opt.param_groups for p in group["params"])
        opt.step()
        return value, grad_norm

    def _count(self, player: str, record: dict) -> dict:
        """Count one optimizer step of ``player`` and keep ``record`` as its latest."""
        self.updates[player] += 1
        self.last.update(record)
        return record

    def step(self) -> dict:
        """``d_steps`` discriminator updates, then one generator update; recorded in ``history``."""
        if self.settings.decay_steps is not None:
            factor = max(0.0, 1 - self.steps_done / self.settings.decay_steps)
            for opt, lr in ((self.opt_g, self.settings.lr_g), (self.opt_d, self.settings.lr_d)):
                for group in (opt.param_groups if opt is not None else ()):
                    group["lr"] = lr * factor
        for _ in range(self.settings.d_steps):
            record = self.d_step()
        record.update(self.g_step())
        self.steps_done += 1
        record["step"] = self.steps_done
        for key, value in record.items():
            self.history.setdefault(key, []).append(value)
        return record

    def run(self, steps: int, *, callbacks=(), progress: bool = True) -> dict:
        """Run ``steps`` steps. ``callbacks`` is a list of ``(every, fn)``: ``fn(trainer)`` runs
        after every ``every``-th step (to log, keep snapshots or redraw a figure)."""
        from tqdm.auto import trange

        steps = check_count("steps", steps, 0)
        for every, _ in callbacks:
            check_count("every", every, 1)
        for _ in trange(steps, disable=not progress, desc=f"training ({getattr(self.loss, 'name', 'gan')})"):
            self.step()
            for every, fn in callbacks:
                if self.steps_done % every == 0:
                    fn(self)
        return self.history
