"""DCGAN networks for 28x28 grey images (Radford et al. 2016), with the options the course's
other image GANs need: a condition for G and D (conditional GAN, InfoGAN), D's features
for InfoGAN's Q head, and the critic variants of WGAN-GP (layer norm) and SN-GAN.

The DCGAN guidelines (sec. 3 of the paper), all kept here: strided (transposed)
convolutions instead of pooling; batch norm in G and D, but not on G's output or D's
input layer; no fully connected hidden layers; ReLU in G with tanh at its output;
LeakyReLU (slope 0.2) in D; weights drawn from N(0, 0.02).

Generator (``width`` = w, shapes for one batch of n)::

    z (n, z_dim) ++ c (n, cond_dim)   -> (n, z_dim + cond_dim, 1, 1)
    ConvT 7x7, stride 1               -> (n, 2w, 7, 7)     BN, ReLU
    ConvT 4x4, stride 2               -> (n, w, 14, 14)    BN, ReLU
    ConvT 4x4, stride 2               -> (n, 1, 28, 28)    tanh: pixels in [-1, 1]

Discriminator::

    x (n, 1, 28, 28)
    Conv 4x4, stride 2                -> (n, w, 14, 14)    LeakyReLU
    Conv 4x4, stride 2                -> (n, 2w, 7, 7)     norm, LeakyReLU
    flatten                           -> h (n, 2w * 49)    the features
    a 7x7 convolution over the map,
    written as a linear layer         -> (n, 1)            raw output (logit or critic score)

With a condition (a conditional GAN) the output gains a projection term
:math:`\\langle E c, h \\rangle` (Miyato & Koyama 2018, eq. 3), ``c`` one-hot.
"""

from __future__ import annotations

import torch
from torch import nn

from gan_course._checks import check_choice, check_count

NORMS = ("batch", "layer", "none")


def dcgan_init(module: nn.Module) -> None:
    """DCGAN's initialization: conv and linear weights ~ N(0, 0.02), biases 0 (sec. 4 of the
    paper); norm layers' scales ~ N(1, 0.02), shifts 0 (PyTorch's DCGAN example; the paper
    says nothing of them). Draws from torch's generator: call it inside
    :func:`gan_course.models.seeded`, and before any spectral normalization."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


class Generator(nn.Module):
    """``G(z)`` or ``G(z, c)``: latent (n, z_dim) and condition (n, cond_dim) -> images (n, 1, 28, 28) in [-1, 1]."""

    def __init__(self, z_dim: int = 100, width: int = 64, cond_dim: int = 0, seed=None):
        from gan_course.models import seeded

        super().__init__()
        self.z_dim, self.cond_dim = check_count("z_dim", z_dim, 1), check_count("cond_dim", cond_dim, 0)
        w = check_count("width", width, 1)
        with seeded(seed):
            self.net = nn.Sequential(
                nn.ConvTranspose2d(z_dim + cond_dim, 2 * w, 7, 1, 0, bias=False),  # -> (2w, 7, 7)
                nn.BatchNorm2d(2 * w), nn.ReLU(True),
                nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False),  # -> (w, 14, 14)
                nn.BatchNorm2d(w), nn.ReLU(True),
                nn.ConvTranspose2d(w, 1, 4, 2, 1),  # -> (1, 28, 28)
                nn.Tanh())
            dcgan_init(self)

    def forward(self, z, c=None):
        if (c is None) != (self.cond_dim == 0):
            raise ValueError(f"this generator takes cond_dim={self.cond_dim} condition values; "
                             f"got {'none' if c is None else tuple(c.shape)}")
        z = z if c is None else torch.cat([z, c], dim=1)
        return self.net(z.reshape(len(z), -1, 1, 1))


class Discriminator(nn.Module):
    """``D(x)`` or ``D(x, c)`` -> raw outputs (n, 1); with ``features=True``, ``(outputs, h)``.

    Parameters
    ----------
    width : int, w in the module docstring
    norm : {"batch", "layer", "none"}, the normalization of the second layer. A WGAN-GP
        critic must not use batch norm (its penalty is per sample; Gulrajani et al. 2017,
        sec. 4 recommend layer norm): "layer" normalizes each sample over (C, H, W).
    cond_dim : int, size of a one-hot condition for a projection term (0: none)
    features : bool, also return the features h (n, 2w * 49) (InfoGAN's Q head reads them)
    spectral_norm : bool, divide every weight by its largest singular value (Miyato et al. 2018)
    seed : int or torch.Generator
    """

    def __init__(self, width: int = 64, norm: str = "batch", cond_dim: int = 0, features: bool = False,
                 spectral_norm: bool = False, seed=None):
        from torch.nn.utils.parametrizations import spectral_norm as sn

        from gan_course.models import seeded

        super().__init__()
        w, self.cond_dim = check_count("width", width, 1), check_count("cond_dim", cond_dim, 0)
        check_choice("norm", norm, NORMS)
        self.features, self.n_features = bool(features), 2 * w * 7 * 7
        wrap = sn if spectral_norm else (lambda layer: layer)
        norm_layer = {"batch": lambda: nn.BatchNorm2d(2 * w), "layer": lambda: nn.GroupNorm(1, 2 * w),
                      "none": nn.Identity}[norm]
        with seeded(seed):
            layers = {"conv1": nn.Conv2d(1, w, 4, 2, 1), "conv2": nn.Conv2d(w, 2 * w, 4, 2, 1, bias=norm == "none"),
                      "norm": norm_layer(), "head": nn.Linear(self.n_features, 1)}
            if cond_dim:
                layers["embed"] = nn.Linear(cond_dim, self.n_features, bias=False)
            dcgan_init(nn.ModuleDict(layers))  # before spectral norm, whose power iteration must see these weights
            sn_layers = {k: wrap(v) for k, v in layers.items() if k != "norm"}
            self.trunk = nn.Sequential(
                sn_layers["conv1"], nn.LeakyReLU(0.2, True),  # -> (w, 14, 14)
                sn_layers["conv2"], layers["norm"], nn.LeakyReLU(0.2, True),  # -> (2w, 7, 7)
                nn.Flatten())  # -> h (2w * 49)
            self.head, self.embed = sn_layers["head"], sn_layers.get("embed")

    def forward(self, x, c=None):
        if (c is None) != (self.cond_dim == 0):
            raise ValueError(f"this discriminator takes cond_dim={self.cond_dim} condition values; "
                             f"got {'none' if c is None else tuple(c.shape)}")
        h = self.trunk(x)
        out = self.head(h)
        if c is not None:
            out = out + (self.embed(c) * h).sum(dim=1, keepdim=True)  # the projection <E c, h>
        return (out, h) if self.features else out


class QHead(nn.Module):
    """InfoGAN's Q head on D's features (Chen et al. 2016, appendix C.1: FC 128, BN, LeakyReLU, FC):
    (n, in_features) -> (n, n_out), the categorical code's logits then the continuous codes' means."""

    def __init__(self, in_features: int, n_out: int = 12, hidden: int = 128, seed=None):
        from gan_course.models import seeded

        super().__init__()
        with seeded(seed):
            self.net = nn.Sequential(
                nn.Linear(check_count("in_features", in_features, 1), check_count("hidden", hidden, 1)),
                nn.BatchNorm1d(hidden), nn.LeakyReLU(0.2, True),
                nn.Linear(hidden, check_count("n_out", n_out, 1)))
            dcgan_init(self)

    def forward(self, h):
        return self.net(h)


def classic_generator(z_dim: int = 100, width: int = 128, channels: int = 3) -> nn.Sequential:
    """The 64x64 generator drawn in Fig. 1 of Radford et al. (2016), for its shapes (the course
    trains the 28x28 :class:`Generator`; this one is never trained here)::

        z (n, 100, 1, 1)
        project and reshape (a 4x4 transposed convolution) -> (n, 1024, 4, 4)
        ConvT 4x4, stride 2 -> (n, 512, 8, 8) -> (n, 256, 16, 16) -> (n, 128, 32, 32)   BN, ReLU
        ConvT 4x4, stride 2 -> (n, 3, 64, 64)                                             tanh
    """
    w = check_count("width", width, 1)
    layers = [nn.ConvTranspose2d(check_count("z_dim", z_dim, 1), 8 * w, 4, 1, 0, bias=False),
              nn.BatchNorm2d(8 * w), nn.ReLU(True)]
    for c_in, c_out in ((8 * w, 4 * w), (4 * w, 2 * w), (2 * w, w)):
        layers += [nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True)]
    layers += [nn.ConvTranspose2d(w, check_count("channels", channels, 1), 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers)


def shape_walk(net: nn.Sequential, x) -> list:
    """Run ``x`` through the layers of ``net`` one by one; return ``[(layer, output shape), ...]``
    with the input first as ``("input", shape)``. Shapes leave out the batch size."""
    if not isinstance(net, nn.Sequential):
        raise ValueError(f"net must be an nn.Sequential (its layers are walked in order), got {type(net).__name__}")
    walk = [("input", tuple(x.shape[1:]))]
    with torch.no_grad():
        for layer in net:
            x = layer(x)
            walk.append((type(layer).__name__, tuple(x.shape[1:])))
    return walk
