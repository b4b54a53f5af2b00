"""Small networks for the lessons, one file per family, and the two things every builder shares.

* :func:`seeded`: build a network from a seed without touching torch's global generator.
* :func:`build`: make any family from a spec ``{"family": name, "config": {...}}``, which is
  what a checkpoint's manifest records (:func:`gan_course.checkpoints.pretrained`).

Networks only: training and evaluation live in :mod:`gan_course.train` (GANs) and
:mod:`gan_course.fit` (single-objective models).
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager

# family -> "module:callable" (imported when first built, so `import gan_course.models` stays light)
FAMILIES = {
    "mlp": "gan_course.models.mlp:mlp",
    "vae": "gan_course.models.vae:VAE",
    "judge": "gan_course.models.judge:Judge",
    "dcgan-g": "gan_course.models.dcgan:Generator",
    "dcgan-d": "gan_course.models.dcgan:Discriminator",
    "q-head": "gan_course.models.dcgan:QHead",
}


@contextmanager
def seeded(seed):
    """Run the block with torch's CPU generator set from ``seed``, then put the learner's back.

    ``seed`` is an int or a ``torch.Generator``; None runs the block as it is, drawing from
    torch's global generator (the learner's ``torch.manual_seed`` habit). A generator is advanced by what the block
    draws, so two networks built one after the other from one generator get different
    weights, exactly as two networks built after one ``torch.manual_seed(s)`` do (an int
    ``s`` gives the same weights as ``torch.manual_seed(s)`` followed by the block). Layers
    keep PyTorch's own initialization, spectral norm's random vectors included. Nothing
    outside the block sees a change of the global generator.
    """
    import torch

    if seed is None:
        yield None
        return
    if isinstance(seed, torch.Generator):
        if seed.device.type != "cpu":
            raise ValueError(f"seed={seed!r} must be a CPU generator: networks are built on the CPU, then moved")
        gen = seed
    elif isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 2**63:
        gen = torch.Generator().manual_seed(seed)
    else:
        raise ValueError(f"seed={seed!r} must be a non-negative int, a torch.Generator or None")
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(gen.get_state())
        yield gen
        gen.set_state(torch.get_rng_state())


def build(spec: dict):
    """A network from ``spec = {"family": name, "config": {...}}``; a ``"pair"`` family holds
    ``{"G": spec, "D": spec, ...}`` in its config and gives a ``torch.nn.ModuleDict``."""
    import torch

    if not isinstance(spec, dict) or "family" not in spec:
        raise ValueError(f"spec={spec!r} must be a dict with a 'family' and a 'config'")
    family, config = spec["family"], dict(spec.get("config", {}))
    if family == "pair":
        return torch.nn.ModuleDict({role: build(part) for role, part in config.items()})
    if family not in FAMILIES:
        raise ValueError(f"family={family!r} is not a network family; use one of {sorted(FAMILIES) + ['pair']}")
    module, name = FAMILIES[family].split(":")
    return getattr(importlib.import_module(module), name)(**config)
