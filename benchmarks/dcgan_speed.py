"""Speed of a DCGAN training step on this machine, by width, batch, memory format and threads.

    python benchmarks/dcgan_speed.py [--repeats 3] [--steps 40]

Each configuration trains the course's DCGAN (lesson 06's recipe: non-saturating loss, Adam)
through the package's Trainer on the bundled digits: a warm-up of 5 steps, then ``repeats``
timed runs of ``steps`` steps, interleaved across configurations so that a slow spell of a
shared machine falls on all of them. Printed: the median over runs of training steps per CPU
second (``time.process_time``, which counts every thread's time) and per wall second, and the
images seen per CPU second, each against the baseline in the same run (width 32, batch 64,
channels-last, one thread: the shipped DCGAN's setting).
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from gan_course.data import load_mnist, train_heldout_split
from gan_course.models.dcgan import Discriminator, Generator
from gan_course.recipes import RECIPES
from gan_course.train import Trainer

BASELINE = (32, 64, True, 1)
CONFIGS = [BASELINE, (32, 64, False, 1), (32, 64, True, 2), (16, 64, True, 1), (64, 64, True, 1),
           (32, 32, True, 1), (32, 128, True, 1)]  # (width, batch, channels-last, threads)


def trainer(width, batch, channels_last, x):
    G, D = Generator(64, width, seed=0), Discriminator(width, seed=1)
    if channels_last:
        G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    settings = RECIPES["dcgan"].settings_with(batch_size=batch, lr_g=2e-3, lr_d=2e-3, seed=0)
    return Trainer(G, D, RECIPES["dcgan"].make_loss(), x, 64, settings, device="cpu")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args(argv)
    x, y = load_mnist("subset")
    x_train = train_heldout_split(x, y, seed=0)[0]
    trainers = {config: trainer(*config[:3], x_train) for config in CONFIGS}
    cpu, wall = {c: [] for c in CONFIGS}, {c: [] for c in CONFIGS}
    for config, tr in trainers.items():
        torch.set_num_threads(config[3])
        tr.run(5, progress=False)
    for _ in range(args.repeats):
        for config, tr in trainers.items():
            torch.set_num_threads(config[3])
            c0, w0 = time.process_time(), time.perf_counter()
            tr.run(args.steps, progress=False)
            cpu[config].append(args.steps / (time.process_time() - c0))
            wall[config].append(args.steps / (time.perf_counter() - w0))
    base_cpu, base_wall = statistics.median(cpu[BASELINE]), statistics.median(wall[BASELINE])
    print(f"{args.repeats} runs of {args.steps} steps each, medians; ratios against width 32, batch 64, "
          f"channels-last, 1 thread")
    print(f"{'width':>5} {'batch':>5} {'memory':>13} {'threads':>7} {'steps/CPU s':>12} {'ratio':>6} "
          f"{'steps/wall s':>13} {'ratio':>6} {'images/CPU s':>13}")
    for config in CONFIGS:
        width, batch, cl, threads = config
        c, w = statistics.median(cpu[config]), statistics.median(wall[config])
        print(f"{width:5d} {batch:5d} {'channels-last' if cl else 'contiguous':>13} {threads:7d} {c:12.2f} "
              f"{c / base_cpu:6.2f} {w:13.2f} {w / base_wall:6.2f} {c * batch:13.0f}")


if __name__ == "__main__":
    main()
