"""Multilayer perceptrons for 1-D and 2-D toys: critics, discriminators and generators."""

from __future__ import annotations


def mlp(in_dim: int, out_dim: int, *, hidden: int = 64, layers: int = 2, spectral_norm: bool = False, seed=None):
    """``in_dim -> hidden -> ... -> out_dim`` with ReLU between layers, PyTorch's default initialization.

    ``seed`` (an int or a ``torch.Generator``) fixes the weights without touching torch's
    global generator (:func:`gan_course.models.seeded`): ``mlp(..., seed=s)`` equals
    ``torch.manual_seed(s); mlp(...)``; None draws from torch's global generator.

    ``spectral_norm=True`` wraps every Linear layer in
    ``torch.nn.utils.parametrizations.spectral_norm`` (Miyato et al. 2018): each
    weight is divided by its largest singular value, and since ReLU is 1-Lipschitz
    the whole network is then at most 1-Lipschitz.
    """
    import torch
    from torch.nn.utils.parametrizations import spectral_norm as sn

    from gan_course._checks import check_count
    from gan_course.models import seeded

    sizes = [check_count("in_dim", in_dim, 1)] + [check_count("hidden", hidden, 1)] * check_count(
        "layers", layers, 1) + [check_count("out_dim", out_dim, 1)]
    modules = []
    with seeded(seed):
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            linear = torch.nn.Linear(a, b)
            modules.append(sn(linear) if spectral_norm else linear)
            if i < len(sizes) - 2:
                modules.append(torch.nn.ReLU())
    return torch.nn.Sequential(*modules)


def packed(D, m: int):
    """PacGAN's packing (Lin et al. 2018): ``D`` judges ``m`` samples at once, concatenated.

    Returns a module taking a batch (n, d) with n divisible by ``m`` and giving
    (n / m, 1) outputs: consecutive rows i*m .. i*m + m - 1 form pack i. ``D`` must take
    ``m * d`` inputs. A discriminator that sees several samples together can tell
    when the generated ones are all alike, which penalizes mode collapse.
    """
    import torch

    from gan_course._checks import check_count

    m = check_count("m", m, 1)

    class Packed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.D, self.m = D, m

        def forward(self, x):
            if len(x) % self.m:
                raise ValueError(f"the batch of {len(x)} samples does not split into packs of m={self.m}")
            return self.D(x.reshape(len(x) // self.m, -1))

    return Packed()
