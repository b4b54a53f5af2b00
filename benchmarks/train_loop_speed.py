"""Training steps per second: the package loop (gan_course.train.Trainer) against a bare
hand-written loop doing the same work on the same models. Median of several runs.

    python benchmarks/train_loop_speed.py [--steps 300] [--repeats 5]

Goal: package / bare >= 0.95.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from gan_course.distributions import make_ring
from gan_course.losses import NonSaturating
from gan_course.models.mlp import mlp
from gan_course.train import Trainer, TrainSettings


def models(seed=0):
    torch.manual_seed(seed)
    return mlp(2, 2, hidden=128, layers=3), mlp(2, 1, hidden=128, layers=3)


def bare_loop(real, steps, batch=256):
    """What a tutorial writes: Adam, BCE-with-logits, one D step then one G step, losses logged."""
    G, D = models()
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    sp = torch.nn.functional.softplus
    gen = torch.Generator().manual_seed(0)
    log = []
    for _ in range(steps):
        x_real = real[torch.randint(len(real), (batch,), generator=gen)]
        with torch.no_grad():
            x_fake = G(torch.randn(batch, 2, generator=gen))
        d_loss = sp(-D(x_real)).mean() + sp(D(x_fake)).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        g_loss = sp(-D(G(torch.randn(batch, 2, generator=gen)))).mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        log.append((d_loss.item(), g_loss.item()))
    return log


def package_loop(real, steps, batch=256):
    G, D = models()
    trainer = Trainer(G, D, NonSaturating(), real, 2, TrainSettings(batch_size=batch), device="cpu")
    return trainer.run(steps, progress=False)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    real = torch.as_tensor(make_ring(10_000, seed=0).x)
    rates = {"bare": [], "package": []}
    for _ in range(args.repeats):  # interleaved, so drift in machine load hits both alike
        for name, loop in (("bare", bare_loop), ("package", package_loop)):
            start = time.perf_counter()
            loop(real, args.steps)
            rates[name].append(args.steps / (time.perf_counter() - start))
    bare, package = statistics.median(rates["bare"]), statistics.median(rates["package"])
    print(f"MLP GAN on the ring, batch 256, {args.steps} steps x {args.repeats} runs, {torch.get_num_threads()} threads")
    print(f"  bare loop      {bare:7.1f} steps/s (median)")
    print(f"  package loop   {package:7.1f} steps/s (median)")
    print(f"  ratio          {package / bare:7.3f}  (goal >= 0.95)")


if __name__ == "__main__":
    main()
