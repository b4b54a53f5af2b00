"""Training steps per CPU second: the package loop (gan_course.train.Trainer) against a bare
hand-written loop doing the same training on the same models, for two workloads:

* ``mlp``: an MLP GAN on the 2-D ring (128x3 networks, batch 256), as in lesson 05;
* ``dcgan``: the course's DCGAN networks on 28x28 MNIST digits (width 32, batch 64).

After an untimed warm-up, runs are interleaved (bare, package, bare, package, ...) so drift in machine load hits both
alike; each is timed in process CPU seconds on one thread. Printed: the median rate of each
loop and the median of the per-pair ratios package / bare.

    python benchmarks/train_loop_speed.py [--steps 200] [--repeats 5] [--workload mlp dcgan]

Goal: package / bare >= 0.95. The package also records what the bare loop does not (both
players' gradient norms, D(x), D(G(z)) and every named term).
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from gan_course.losses import NonSaturating
from gan_course.train import Trainer, TrainSettings


def workload(name: str):
    """``(make_models, real data, z_dim, batch)`` for a workload."""
    if name == "mlp":
        from gan_course.distributions import make_ring
        from gan_course.models.mlp import mlp

        def make():
            gen = torch.Generator().manual_seed(0)
            return mlp(2, 2, hidden=128, layers=3, seed=gen), mlp(2, 1, hidden=128, layers=3, seed=gen)

        return make, torch.as_tensor(make_ring(10_000, seed=0).x), 2, 256
    from gan_course.data import load_mnist
    from gan_course.models.dcgan import Discriminator, Generator

    return (lambda: (Generator(z_dim=64, width=32, seed=0), Discriminator(width=32, seed=1)),
            load_mnist("subset")[0], 64, 64)


def bare_loop(make, real, z_dim, batch, steps):
    """What a tutorial writes: Adam, BCE-with-logits, one D step then one G step, losses logged."""
    G, D = make()
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    sp = torch.nn.functional.softplus
    gen = torch.Generator().manual_seed(0)
    log = []
    for _ in range(steps):
        x_real = real[torch.randint(len(real), (batch,), generator=gen)]
        with torch.no_grad():
            x_fake = G(torch.randn(batch, z_dim, generator=gen))
        d_loss = sp(-D(x_real)).mean() + sp(D(x_fake)).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        g_loss = sp(-D(G(torch.randn(batch, z_dim, generator=gen)))).mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        log.append((d_loss.item(), g_loss.item()))
    return log


def package_loop(make, real, z_dim, batch, steps):
    G, D = make()
    trainer = Trainer(G, D, NonSaturating(), real, z_dim, TrainSettings(batch_size=batch), device="cpu")
    return trainer.run(steps, progress=False)


def measure(name: str, steps: int, repeats: int) -> None:
    make, real, z_dim, batch = workload(name)
    rates = {"bare": [], "package": []}
    for loop in (bare_loop, package_loop):  # warm-up, not timed: first calls pay for allocations and caches
        loop(make, real, z_dim, batch, 5)
    for _ in range(repeats):
        for loop_name, loop in (("bare", bare_loop), ("package", package_loop)):
            start = time.process_time()
            loop(make, real, z_dim, batch, steps)
            rates[loop_name].append(steps / (time.process_time() - start))
    ratios = [p / b for p, b in zip(rates["package"], rates["bare"])]
    print(f"{name}: batch {batch}, {steps} steps x {repeats} interleaved runs, {torch.get_num_threads()} thread(s)")
    print(f"  bare loop      {statistics.median(rates['bare']):8.1f} steps per CPU second (median)")
    print(f"  package loop   {statistics.median(rates['package']):8.1f} steps per CPU second (median)")
    print(f"  package / bare {statistics.median(ratios):8.3f} median of pairs (min {min(ratios):.3f}, "
          f"max {max(ratios):.3f}; goal >= 0.95)")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workload", nargs="+", default=["mlp", "dcgan"], choices=["mlp", "dcgan"])
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    for name in args.workload:
        measure(name, args.steps, args.repeats)


if __name__ == "__main__":
    main()
