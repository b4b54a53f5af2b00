"""What a generator is fed: latent samplers for the one training loop.

A sampler gives ``sample(n, generator, device) -> (z, c)``: the noise ``z`` and a
condition ``c`` (a float tensor (n, k), or None). ``G`` is called as ``G(z)`` when ``c``
is None and as ``G(z, c)`` otherwise. ``feeds_d`` says whether ``D`` sees the condition
too (``D(x, c)``, a conditional GAN) or not (InfoGAN, where only the loss's Q head reads
it back); ``condition_of(y)`` turns the labels of a real batch into the condition ``D``
is shown beside real images.

* :class:`Gaussian`: z ~ N(0, I), no condition (DCGAN, WGAN, LSGAN, the toys).
* :class:`ClassLabels`: z ~ N(0, I) and a uniformly drawn class as a one-hot vector
  (conditional GAN, Mirza & Osindero 2014).
* :class:`InfoCodes`: z ~ N(0, I), one categorical code as a one-hot vector and
  continuous codes ~ U(-1, 1) (InfoGAN, Chen et al. 2016, sec. 5: 62 + Cat(10) + 2 for MNIST).
"""

from __future__ import annotations

from gan_course._checks import check_all_finite, check_count


def _gaussian(n: int, shape: tuple, generator, device):
    import torch

    return torch.randn((check_count("n", n, 1), *shape), generator=generator, device=device)


def _one_hot(labels, n_classes: int):
    import torch

    return torch.nn.functional.one_hot(labels, n_classes).to(torch.float32)


class Gaussian:
    """z ~ N(0, I) of shape ``shape`` (an int or a tuple), and no condition."""

    feeds_d = False

    def __init__(self, shape):
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        for size in shape:
            check_count("shape", size, 1)
        self.shape = shape

    def sample(self, n: int, generator=None, device=None):
        return _gaussian(n, self.shape, generator, device), None

    def condition_of(self, y):
        """No condition: real images are shown to ``D`` alone."""
        return None


class ClassLabels(Gaussian):
    """z ~ N(0, I) of ``z_dim`` and a class drawn uniformly from ``n_classes``, one-hot, for G and D."""

    feeds_d = True

    def __init__(self, z_dim: int, n_classes: int = 10):
        super().__init__(z_dim)
        self.n_classes = check_count("n_classes", n_classes, 2)

    def sample(self, n: int, generator=None, device=None):
        import torch

        z = _gaussian(n, self.shape, generator, device)
        labels = torch.randint(self.n_classes, (n,), generator=generator, device=device)
        return z, _one_hot(labels, self.n_classes)

    def condition_of(self, y):
        """The one-hot condition of a real batch's labels ``y`` (n,)."""
        if y is None:
            raise ValueError("a conditional GAN needs labelled data: pass real=(x, y)")
        return _one_hot(y.long(), self.n_classes)


class InfoCodes(Gaussian):
    """InfoGAN's input: z ~ N(0, I) of ``z_dim``, then ``c = [one-hot Cat(n_cat), U(-1, 1)^n_cont]``.

    ``c`` goes to ``G`` only; the loss (:class:`gan_course.losses.InfoGAN`) asks ``D``'s
    Q head to read it back. The paper's MNIST code draws the 62 noise values from
    U(-1, 1) (``Uniform(62)`` in its launcher); here z is Gaussian like every other GAN of
    the course, a deviation that changes no claim of the lesson.
    """

    def __init__(self, z_dim: int = 62, n_cat: int = 10, n_cont: int = 2):
        super().__init__(z_dim)
        self.n_cat = check_count("n_cat", n_cat, 2)
        self.n_cont = check_count("n_cont", n_cont, 0)

    def sample(self, n: int, generator=None, device=None):
        import torch

        z = _gaussian(n, self.shape, generator, device)
        cat = torch.randint(self.n_cat, (n,), generator=generator, device=device)
        cont = torch.rand((n, self.n_cont), generator=generator, device=device) * 2 - 1
        return z, torch.cat([_one_hot(cat, self.n_cat), cont], dim=1)

    def with_categories(self, categories, generator=None):
        """``(z, c)`` for the given categories: z ~ N(0, I) drawn first, then the continuous codes
        ~ U(-1, 1); fixed evaluation codes (a category per sample, e.g. ``torch.arange(n) % n_cat``)."""
        import torch

        categories = torch.as_tensor(categories)
        if categories.ndim != 1 or categories.dtype in (torch.float16, torch.float32, torch.float64, torch.bool) \
                or len(categories) == 0 or not (0 <= int(categories.min()) and int(categories.max()) < self.n_cat):
            raise ValueError(f"categories must be a non-empty 1-D integer tensor with values in 0 .. {self.n_cat - 1}, "
                             f"got {categories!r}")
        z = _gaussian(len(categories), self.shape, generator, None)
        cont = torch.rand((len(categories), self.n_cont), generator=generator) * 2 - 1
        return z, torch.cat([_one_hot(categories.long(), self.n_cat), cont], dim=1)

    def split(self, c):
        """``(category indices (n,), continuous codes (n, n_cont))`` of a condition ``c``."""
        return c[:, : self.n_cat].argmax(dim=1), c[:, self.n_cat:]


def as_sampler(latent):
    """A sampler from ``latent``: an int or tuple means :class:`Gaussian` of that shape."""
    if isinstance(latent, (int, tuple)):
        return Gaussian(latent)
    if not (hasattr(latent, "sample") and hasattr(latent, "feeds_d")):
        raise ValueError(f"latent={latent!r} must be a shape (int or tuple) or a sampler of gan_course.latents")
    return latent


def _path_ends(z0, z1, t):
    import torch

    z0, z1 = torch.as_tensor(z0, dtype=torch.float32), torch.as_tensor(z1, dtype=torch.float32)
    if z0.ndim != 1 or z0.shape != z1.shape:
        raise ValueError(f"z0 and z1 must be two latent vectors of one shape (d,), got {tuple(z0.shape)} "
                         f"and {tuple(z1.shape)}")
    t = torch.as_tensor(t, dtype=torch.float32).reshape(-1, 1)
    for name, value in (("z0", z0), ("z1", z1), ("t", t)):
        check_all_finite(name, value)
    return z0, z1, t


def lerp(z0, z1, t):
    """The straight path :math:`(1 - t) z_0 + t z_1` at each ``t`` in ``t``: shape (len(t), d).

    Between two draws of a d-dimensional N(0, I) its middle is short: for independent draws of
    norm about :math:`\\sqrt d` it passes near :math:`\\sqrt{d/2}`, inside the shell that holds the
    Gaussian's mass, where the generator was (almost) never fed.
    """
    z0, z1, t = _path_ends(z0, z1, t)
    return (1 - t) * z0 + t * z1


def slerp(z0, z1, t):
    """Spherical interpolation (Shoemake 1985; White 2016 for GAN latents): with
    :math:`\\theta` the angle between :math:`z_0` and :math:`z_1`,

    .. math:: \\mathrm{slerp}(z_0, z_1; t) = \\frac{\\sin((1-t)\\theta)}{\\sin\\theta} z_0 + \\frac{\\sin(t\\theta)}{\\sin\\theta} z_1 .

    It turns from :math:`z_0` to :math:`z_1` at a constant angular speed. For ends of equal norm
    r every point has norm r (a great circle); for unequal norms the norm stays close to the
    ends' (it can dip a little below both when the angle is obtuse). Nearly parallel or opposite
    ends (sin theta < 1e-6) fall back to :func:`lerp`. Shape (len(t), d).
    """
    import torch

    z0, z1, t = _path_ends(z0, z1, t)
    cos = torch.dot(z0, z1) / (z0.norm() * z1.norm()).clamp_min(1e-12)
    theta = torch.arccos(cos.clamp(-1.0, 1.0))
    if torch.sin(theta) < 1e-6:
        return (1 - t) * z0 + t * z1
    return (torch.sin((1 - t) * theta) * z0 + torch.sin(t * theta) * z1) / torch.sin(theta)
