"""What a GAN recipe reaches on lesson 05's 2-D targets, for one setting and seed: the frontier
of modes covered, high-quality share and CPU time that lesson 05's table is chosen from.

    python benchmarks/toy_frontier.py --target grid --loss ns --hidden 256 --layers 3 --lr 1e-3 \\
        --steps 3000 --seed 0 [--pack 2] [--gp 1] [--d-steps 5] [--every 500]

Trains through the package's Trainer on one thread (the table's protocol: 20,000 target
points drawn with seed 100 + seed, batch 256, a 2-D latent unless ``--z-dim`` says otherwise) and prints, every ``every``
generator steps, :func:`gan_course.metrics.mode_coverage` of 2,500 samples and the share of
them that sits high-quality on each mode, with the training CPU seconds so far (``time.process_time``, evaluations not counted), as JSON lines.
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from gan_course.distributions import make_grid, make_ring
from gan_course.losses import Hinge, Minimax, NonSaturating, Wasserstein
from gan_course.metrics import mode_coverage
from gan_course.models.mlp import mlp, packed
from gan_course.train import Trainer, TrainSettings

LOSSES = {"ns": lambda args: NonSaturating(), "minimax": lambda args: Minimax(), "hinge": lambda args: Hinge(),
          "wgan-gp": lambda args: Wasserstein(gp_weight=args.gp)}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", choices=("ring", "grid"), default="grid")
    parser.add_argument("--loss", choices=tuple(LOSSES), default="ns")
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--z-dim", type=int, default=2)
    parser.add_argument("--lr", type=float, default=1e-3, help="both players' Adam rate (see --lr-g)")
    parser.add_argument("--lr-g", type=float, default=0.0, help="G's rate when it differs")
    parser.add_argument("--beta1", type=float, default=0.5)
    parser.add_argument("--beta2", type=float, default=0.9)
    parser.add_argument("--decay", action="store_true", help="decay both rates linearly to 0 over --steps")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=3000, help="generator steps")
    parser.add_argument("--d-steps", type=int, default=1)
    parser.add_argument("--pack", type=int, default=1)
    parser.add_argument("--gp", type=float, default=1.0, help="gradient-penalty weight (wgan-gp)")
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    data = {"ring": make_ring, "grid": make_grid}[args.target](20_000, seed=100 + args.seed)
    G = mlp(args.z_dim, 2, hidden=args.hidden, layers=args.layers, seed=args.seed)
    D = packed(mlp(2 * args.pack, 1, hidden=args.hidden, layers=args.layers, seed=args.seed + 1000), args.pack)
    settings = TrainSettings(batch_size=args.batch, d_steps=args.d_steps, lr_g=args.lr_g or args.lr, lr_d=args.lr,
                             betas=(args.beta1, args.beta2), seed=args.seed,
                             decay_steps=args.steps if args.decay else None)
    trainer = Trainer(G, D, LOSSES[args.loss](args), data.x, args.z_dim, settings, device="cpu")
    z = torch.randn(2500, args.z_dim, generator=torch.Generator().manual_seed(args.seed))
    cpu = 0.0
    while trainer.steps_done < args.steps:
        start = time.process_time()
        trainer.run(min(args.every, args.steps - trainer.steps_done), progress=False)
        cpu += time.process_time() - start
        with torch.no_grad():
            x = G(z)
        score = mode_coverage(x, data.centers, data.std)
        distance = torch.cdist(x, torch.as_tensor(data.centers, dtype=x.dtype))
        nearest, good = distance.argmin(1), distance.min(1).values <= 3 * data.std
        shares = torch.bincount(nearest[good], minlength=len(data.centers)) / len(x)
        print(json.dumps({"steps": trainer.steps_done, "cpu": round(cpu, 1), **score,
                          "shares": [round(v, 3) for v in shares.tolist()]}), flush=True)
    print(json.dumps({"setting": vars(args)}))


if __name__ == "__main__":
    main()
