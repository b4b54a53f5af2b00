"""How every shipped checkpoint is made: its name, what it trains, and the figures it records.

``reproduce(name)`` (the command ``python -m gan_course reproduce NAME``) runs the recipe on the
bundled 5,000-image MNIST subset, split with ``train_heldout_split(seed=0)`` (4,000 / 1,000),
on the CPU with one thread so the same command gives the same weights, and writes the file
with its manifest entry: sha256, command, network spec and held-out metrics.
"""

from __future__ import annotations

from functools import partial


def _vae(latent_dim: int, epochs: int, seed: int = 0):
    """The MLP VAE of lesson 04 (Adam lr 1e-3, batch 100); metrics on the 1,000 held-out images."""
    from gan_course.data import load_mnist, train_heldout_split
    from gan_course.elbo import evaluate, train_vae
    from gan_course.models.vae import VAE

    x, y = load_mnist("subset", value_range=(0, 1))
    x_train, _, x_heldout, _ = train_heldout_split(x, y, seed=0)
    config = {"latent_dim": latent_dim, "hidden": 400, "n_pixels": 784}
    model = VAE(**config, seed=seed)
    train_vae(model, x_train, epochs=epochs, seed=seed, device="cpu")
    metrics = {k: round(v, 2) for k, v in evaluate(model, x_heldout).items()}
    metrics.update(heldout_images=len(x_heldout), latent_dim=latent_dim, epochs=epochs, seed=seed)
    return model, {"family": "vae", "config": config}, metrics


# name -> a function returning (trained model, its spec, its metrics)
RECIPES = {
    "vae-z2": partial(_vae, latent_dim=2, epochs=60),
    "vae-z20": partial(_vae, latent_dim=20, epochs=100),
}


def reproduce(name: str, directory=None) -> dict:
    """Train checkpoint ``name`` from its recipe, save it with its manifest entry; return its metrics."""
    import time

    import torch

    from gan_course.checkpoints import SHIPPED, save_checkpoint

    if name not in RECIPES:
        raise ValueError(f"name={name!r} is not a shipped checkpoint; use one of {sorted(RECIPES)}")
    torch.set_num_threads(1)
    start = time.process_time()
    model, spec, metrics = RECIPES[name]()
    metrics["cpu_seconds"] = round(time.process_time() - start, 1)
    save_checkpoint(model.state_dict(), name, command=f"python -m gan_course reproduce {name}", spec=spec,
                    metrics=metrics, directory=directory or SHIPPED)
    return metrics
