"""``python -m gan_course``: reproduce the shipped checkpoints.

    python -m gan_course list                 what can be reproduced, and how it scored
    python -m gan_course reproduce vae-z2     retrain one and rewrite its entry in the manifest

Training runs on the bundled 5,000-image MNIST subset, split with
``train_heldout_split(seed=0)`` (4,000 / 1,000), on the CPU with one thread so the
same command gives the same weights.
"""

from __future__ import annotations

import argparse
import sys

# name -> how it is trained (VAE of gan_course.models.vae, Adam lr 1e-3, batch 100)
RECIPES = {
    "vae-z2": {"latent_dim": 2, "epochs": 60, "seed": 0},
    "vae-z20": {"latent_dim": 20, "epochs": 100, "seed": 0},
}


def reproduce(name: str, directory=None) -> dict:
    """Train checkpoint ``name`` from its recipe, save it with its manifest entry; return its metrics."""
    import torch

    from gan_course.checkpoints import SHIPPED, save_checkpoint
    from gan_course.data import load_mnist, train_heldout_split
    from gan_course.models.vae import VAE, evaluate, train_vae

    if name not in RECIPES:
        raise ValueError(f"name={name!r} is not a known checkpoint; use one of {sorted(RECIPES)}")
    recipe = RECIPES[name]
    torch.set_num_threads(1)
    x, y = load_mnist("subset", value_range=(0, 1))
    x_train, _, x_heldout, _ = train_heldout_split(x, y, seed=0)
    torch.manual_seed(recipe["seed"])
    model = VAE(latent_dim=recipe["latent_dim"])
    train_vae(model, x_train, epochs=recipe["epochs"], seed=recipe["seed"], device="cpu")
    metrics = {k: round(v, 2) for k, v in evaluate(model, x_heldout).items()}
    metrics.update(heldout_images=len(x_heldout), **recipe)
    save_checkpoint(model.state_dict(), name, command=f"python -m gan_course reproduce {name}",
                    metrics=metrics, directory=directory or SHIPPED)
    return metrics


def main(argv=None) -> int:
    from gan_course.checkpoints import read_manifest

    parser = argparse.ArgumentParser(prog="python -m gan_course", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the checkpoints that can be reproduced")
    rep = commands.add_parser("reproduce", help="retrain a checkpoint and update the manifest")
    rep.add_argument("name", choices=sorted(RECIPES))
    rep.add_argument("--directory", default=None, help="where to write it (default: the shipped folder)")
    args = parser.parse_args(argv)
    if args.command == "list":
        manifest = read_manifest()
        for name, recipe in RECIPES.items():
            print(f"{name}: {recipe}; shipped metrics: {manifest.get(name, {}).get('metrics', 'not shipped')}")
    else:
        print(f"{args.name}: {reproduce(args.name, args.directory)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
