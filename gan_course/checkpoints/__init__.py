"""Pretrained weights: saved with a sha256 manifest, loaded only after the checksum matches.

A directory of checkpoints holds ``NAME.pt`` files and one ``manifest.json``::

    {"NAME": {"file": "NAME.pt", "sha256": "...", "command": "python -m gan_course ...",
              "spec": {"family": "...", "config": {...}}, "metrics": {...}}}

The shipped weights live in this package folder (:data:`SHIPPED`); ``command`` is
how to reproduce each file and ``spec`` what network to build before loading it
(:func:`gan_course.models.build`), so :func:`pretrained` loads any of them by name. Loading uses ``torch.load(..., weights_only=True)``,
so a checkpoint can hold tensors and plain containers, never code.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent
MANIFEST = "manifest.json"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def sha256_of(path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(directory=SHIPPED) -> dict:
    """The manifest of ``directory`` as a dict (empty when there is no manifest yet)."""
    path = Path(directory) / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else {}


def save_checkpoint(state_dict, name: str, *, command: str, spec=None, metrics=None, directory=SHIPPED) -> Path:
    """Save ``state_dict`` as ``directory/NAME.pt`` and record its sha256 in the manifest.

    Parameters
    ----------
    state_dict : dict of tensors (e.g. ``model.state_dict()``)
    name : str
        Letters, digits, ``_``, ``-`` and ``.``; an existing entry is replaced.
    command : str
        The command that reproduces this checkpoint.
    spec : dict, optional
        ``{"family": ..., "config": {...}}``: the network the weights fit (:func:`gan_course.models.build`);
        needed by :func:`pretrained`.
    metrics : dict, optional
        Figures measured on it (JSON-serializable), kept beside the checksum.

    Returns
    -------
    Path of the written file.
    """
    import torch

    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name={name!r} must be letters, digits, '_', '-' or '.', not starting with a symbol")
    if not isinstance(command, str) or not command.strip():
        raise ValueError("command must be the (non-empty) command that reproduces this checkpoint")
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"directory={str(directory)!r} does not exist")
    path = directory / f"{name}.pt"
    torch.save(dict(state_dict), path)
    manifest = read_manifest(directory)
    manifest[name] = {"file": path.name, "sha256": sha256_of(path), "command": command,
                      "metrics": dict(metrics or {})}
    if spec is not None:
        manifest[name]["spec"] = spec
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


def load_checkpoint(name: str, *, directory=SHIPPED, map_location="cpu") -> dict:
    """Load the state dict saved under ``name`` after checking its sha256 against the manifest.

    Raises
    ------
    ValueError
        ``name`` is not in the manifest (the message lists what is), or the file's sha256
        differs from the manifest: it was changed or corrupted.
    FileNotFoundError
        The manifest names a file that is missing.
    """
    import torch

    directory = Path(directory)
    manifest = read_manifest(directory)
    if name not in manifest:
        raise ValueError(f"name={name!r} is not in {directory / MANIFEST}; available: {sorted(manifest)}")
    entry = manifest[name]
    if Path(entry["file"]).name != entry["file"]:
        raise ValueError(f"checkpoint {name!r}: the manifest's file {entry['file']!r} must be a file name in {directory}")
    path = directory / entry["file"]
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {name!r}: {path} is missing; recreate it with: {entry['command']}")
    actual = sha256_of(path)
    if actual != entry["sha256"]:
        raise ValueError(f"checkpoint {name!r}: {path} has sha256 {actual}, but the manifest says "
                         f"{entry['sha256']}; the file was changed or corrupted. Recreate it with: "
                         f"{entry['command']}")
    return torch.load(path, map_location=map_location, weights_only=True)


def pretrained(name: str, *, directory=SHIPPED, device=None):
    """The shipped network ``name``, built from its manifest spec, loaded after the sha256 check,
    in ``eval()`` mode, on ``device`` (default: the CPU).

    ``python -m gan_course list`` shows the names; ``python -m gan_course reproduce NAME``
    retrains one. A pair of networks (a GAN) comes back as a ``torch.nn.ModuleDict``
    (``pretrained("...")["G"]``).
    """
    from gan_course.models import build

    state = load_checkpoint(name, directory=directory)
    spec = read_manifest(directory)[name].get("spec")
    if spec is None:
        raise ValueError(f"checkpoint {name!r} has no spec in its manifest entry, so its network is unknown")
    model = build(spec)
    model.load_state_dict(state)
    return model.to(device or "cpu").eval()


def sample_images(name: str, n: int, *, seed: int = 0, directory=SHIPPED, device=None):
    """``n`` images (n, 1, 28, 28) in [-1, 1] from the shipped generative model ``name``, on the CPU.

    Every family is fed what it was trained on, from ``torch.Generator().manual_seed(seed)``: a GAN
    ``G(z)`` with z ~ N(0, I); an InfoGAN ``G(z, c)`` with its codes (categories in turn, 0, 1, 2, ...,
    continuous codes U(-1, 1)); a conditional GAN ``G(z, y)`` with the digits in turn (so every digit gets
    n / 10 images); a VAE its decoder's pixel means for z ~ N(0, I), rescaled from [0, 1]. Returns
    ``(images, labels)``: the digits asked for (a conditional GAN), else None.
    """
    import torch

    from gan_course._checks import check_count

    n = check_count("n", n, 1)
    model = pretrained(name, directory=directory, device=device)
    rng = torch.Generator().manual_seed(seed)
    dev = next(model.parameters()).device
    with torch.no_grad():
        if not isinstance(model, torch.nn.ModuleDict):
            if not hasattr(model, "images"):
                raise ValueError(f"name={name!r} is not a generative model (a GAN or a VAE)")
            z = torch.randn(n, model.latent_dim, generator=rng)  # drawn on the CPU, as VAE.sample does there
            return (model.images(z.to(dev)) * 2 - 1).cpu(), None
        G, turn = model["G"], torch.arange(n) % 10
        if "Q" in model:  # InfoGAN: Cat(10) and the rest U(-1, 1)
            from gan_course.latents import InfoCodes

            z, c = InfoCodes(G.z_dim, 10, G.cond_dim - 10).with_categories(turn, rng)
            return G(z.to(dev), c.to(dev)).cpu(), None
        z = torch.randn(n, G.z_dim, generator=rng).to(dev)
        if not G.cond_dim:
            return G(z).cpu(), None
        return G(z, torch.nn.functional.one_hot(turn, G.cond_dim).float().to(dev)).cpu(), turn
