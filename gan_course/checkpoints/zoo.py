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


def _judge(epochs: int, seed: int = 0):
    """The digit judge (Adam lr 1e-3 decayed linearly to 0, batch 64, augmented digits in [-1, 1]).

    Metrics on the 1,000 held-out images: accuracy and confusion matrix (rows: true digit),
    and the judge metrics' reference rows at 1,000 images (:func:`gan_course.metrics.judge_scores`,
    every set against the held-out digits): 1,000 train-split digits (the real-data floor of
    FID, the ceilings of IS, precision and recall) and 1,000 uniform-noise images (seed 0).
    """
    import torch

    from gan_course.data import load_mnist, train_heldout_split
    from gan_course.judge import confusion, train_judge
    from gan_course.metrics import judge_scores
    from gan_course.models.judge import Judge

    x, y = load_mnist("subset")
    x_train, y_train, x_heldout, y_heldout = train_heldout_split(x, y, seed=0)
    config = {"width": 16, "n_features": 64, "n_classes": 10, "dropout": 0.3}
    model = Judge(**config, seed=seed)
    train_judge(model, x_train, y_train, epochs=epochs, seed=seed, device="cpu")
    matrix = confusion(model, x_heldout, y_heldout)
    noise = torch.rand(1000, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    floors = {name: {k: round(v, 4) for k, v in judge_scores(images, x_heldout, judge=model, device="cpu").items()}
              for name, images in (("real_train_1000", x_train[:1000]), ("uniform_noise_1000", noise))}
    metrics = {"accuracy": round(matrix.trace().item() / len(y_heldout), 4), "confusion": matrix.tolist(),
               "heldout_images": len(y_heldout), "epochs": epochs, "seed": seed,
               "parameters": sum(p.numel() for p in model.parameters()), "floors_vs_heldout": floors}
    return model, {"family": "judge", "config": config}, metrics


# name -> a function returning (trained model, its spec, its metrics)
RECIPES = {
    "vae-z2": partial(_vae, latent_dim=2, epochs=60),
    "vae-z20": partial(_vae, latent_dim=20, epochs=100),
    "judge": partial(_judge, epochs=20),
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
