"""What a DCGAN reaches in a fixed CPU budget, for one setting: the frontier of lesson 06 (and,
with ``--recipe``, of the other image GANs on the same networks).

    python benchmarks/dcgan_frontier.py --width 32 --lr 2e-3 --batch 64 --seed 0 [--budget 300]
    python benchmarks/dcgan_frontier.py --recipe wgan-gp --norm layer --lr 1e-4 --budget 600

Trains the course's DCGAN networks (by default the "dcgan" recipe: non-saturating loss, Adam
beta1 0.5, N(0, 0.02) init; ``--recipe`` takes the loss, optimizer, betas and critic steps of
another recipe of :data:`gan_course.recipes.RECIPES`, ``--d-steps`` and ``--lr`` override) through the
package's Trainer on the 4,000 training digits, one thread, until ``budget`` CPU seconds
of training (``time.process_time``; the evaluations are not counted). Every ``every`` CPU
seconds, and at the end, it prints the judge's verdict on 1,000 samples against the
1,000 held-out digits (:func:`gan_course.metrics.judge_scores`), as JSON lines. With
``--ema`` it also scores an exponential moving average of G's weights (decay per step).
"""

from __future__ import annotations

import argparse
import copy
import json
import time

import torch

from gan_course.checkpoints import pretrained
from gan_course.data import load_mnist, train_heldout_split
from gan_course.metrics import judge_scores
from gan_course.models.dcgan import Discriminator, Generator
from gan_course.recipes import RECIPES
from gan_course.train import Trainer


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipe", choices=("dcgan", "wgan", "wgan-gp", "wgan-sn", "hinge", "lsgan", "lsgan-pearson"), default="dcgan")
    parser.add_argument("--norm", choices=("batch", "layer", "none"), default="batch", help="D's normalization")
    parser.add_argument("--sn", action="store_true", help="spectral normalization in D")
    parser.add_argument("--d-steps", type=int, default=0, help="critic steps per G step (0: the recipe's)")
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--d-width", type=int, default=0, help="D's width when it differs from G's")
    parser.add_argument("--z-dim", type=int, default=64)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3, help="both players' Adam learning rate")
    parser.add_argument("--decay", type=int, default=0, help="decay the rates linearly to 0 over this many steps")
    parser.add_argument("--contiguous", action="store_true", help="no channels-last tensors")
    parser.add_argument("--ema", type=float, default=0.0, help="also score an EMA of G with this decay per step")
    parser.add_argument("--budget", type=float, default=300.0, help="CPU seconds of training")
    parser.add_argument("--every", type=float, default=60.0, help="CPU seconds between verdicts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    x, y = load_mnist("subset")
    x_train, _, x_held, _ = train_heldout_split(x, y, seed=0)
    judge = pretrained("judge")
    recipe = RECIPES[args.recipe]
    G = Generator(args.z_dim, args.width, seed=args.seed)
    D = Discriminator(args.d_width or args.width, args.norm, spectral_norm=args.sn, seed=args.seed + 1000)
    if not args.contiguous:
        G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
        x_train = x_train.contiguous(memory_format=torch.channels_last)
    settings = recipe.settings_with(batch_size=args.batch, lr_g=args.lr, lr_d=args.lr, seed=args.seed,
                                    decay_steps=args.decay or None, d_steps=args.d_steps or recipe.settings.d_steps)
    trainer = Trainer(G, D, recipe.make_loss(), x_train, args.z_dim, settings, device="cpu")
    G_ema = copy.deepcopy(G).requires_grad_(False) if args.ema else None
    z_eval = torch.randn(1000, args.z_dim, generator=torch.Generator().manual_seed(1))

    def verdict(net):
        net.eval()
        with torch.no_grad():
            fake = net(z_eval).contiguous()
        net.train()
        return {k: round(v, 3) for k, v in judge_scores(fake, x_held, judge=judge, device="cpu").items()}

    cpu, next_verdict = 0.0, args.every
    while cpu < args.budget:
        start = time.process_time()
        trainer.run(2, progress=False)
        if G_ema is not None:
            with torch.no_grad():
                for p_ema, p in zip(G_ema.parameters(), G.parameters()):
                    p_ema.lerp_(p, 1 - args.ema ** 2)
                for b_ema, b in zip(G_ema.buffers(), G.buffers()):
                    b_ema.copy_(b)
        cpu += time.process_time() - start
        if cpu >= next_verdict or cpu >= args.budget:
            line = {"steps": trainer.steps_done, "cpu": round(cpu, 1), **verdict(G)}
            if G_ema is not None:
                line["ema"] = verdict(G_ema)
            print(json.dumps(line), flush=True)
            next_verdict += args.every
    print(json.dumps({"setting": vars(args)}))


if __name__ == "__main__":
    main()
