"""Reference figures for the judge metrics: real-data floors and ceilings, the noise bottom, the shipped VAEs.

    python benchmarks/judge_floors.py [--seeds 0 1 2] [--n 1000]

Every set of ``n`` images is scored by the shipped judge against the 1,000 held-out digits of
``train_heldout_split(seed=0)`` (classes, class KL, judge IS, judge FID, precision and recall
with k = 3; memorization against the 4,000 training digits). Rows: ``n`` train-split digits
(the real-data floor of FID and the ceilings of the others; for memorization they are the
replay case, being training digits), uniform-noise images (the bottom), a "generator" that
replays ten training digits, one per class (it fools IS and FID; recall and memorization
catch it), and samples of the
shipped VAEs (z ~ N(0, I), pixel means in [0, 1]) and of the shipped DCGAN of lesson 06,
each drawn with seeds 0, 1, 2: mean and
spread over seeds. The judge trained on the train split, so the held-out digits' IS (first
line) is the fairer ceiling for generated digits, which it has not seen either. Then judge FID of real against real at several
sample sizes, which shows its small-sample bias: compare FIDs only at one sample size.
"""

from __future__ import annotations

import argparse
import statistics

import torch

from gan_course.checkpoints import pretrained
from gan_course.data import load_mnist, train_heldout_split
from gan_course.metrics import class_coverage, frechet_distance, inception_score, judge_scores, memorization


def sets(x_train, y_train, n, seed):
    """name -> (images, value_range) of n images drawn with ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(x_train), generator=gen)
    ten = torch.stack([x_train[order[y_train[order] == k][0]] for k in range(10)])  # one training digit per class
    rows = {"real: train split": (x_train[order[:n]], (-1, 1)),
            "uniform noise": (torch.rand(n, 1, 28, 28, generator=gen) * 2 - 1, (-1, 1)),
            "replay: 10 training digits": (ten.repeat(-(-n // 10), 1, 1, 1)[:n], (-1, 1))}
    for name in ("vae-z2", "vae-z20"):
        rows[f"{name} samples"] = (pretrained(name).sample(n, generator=gen), (0, 1))
    G = pretrained("dcgan")["G"]
    with torch.no_grad():
        rows["dcgan samples"] = (G(torch.randn(n, G.z_dim, generator=gen)), (-1, 1))
    return rows


def row(images, value_range, x_train, x_held, judge):
    """Judge scores against the held-out digits and memorization against the training digits."""
    to_range = (lambda x: x) if value_range == (-1, 1) else (lambda x: (x + 1) / 2)
    scores = judge_scores(images, to_range(x_held), value_range=value_range, judge=judge, device="cpu")
    near = memorization(images, to_range(x_train), to_range(x_held), value_range=value_range)
    return {**scores, "nn_median": near["median"], "copies": near["copies"]}


def fid_by_size(x_train, x_held, judge, sizes, seeds):
    """Real-vs-real judge FID: n train-split digits against n held-out digits, per n."""
    out = {}
    for n in sizes:
        values = []
        for seed in seeds:
            gen = torch.Generator().manual_seed(seed)
            a = x_train[torch.randperm(len(x_train), generator=gen)[:n]]
            b = x_held[torch.randperm(len(x_held), generator=gen)[:n]]
            values.append(frechet_distance(a, b, judge=judge, device="cpu"))
        out[n] = values
    return out


def spread(values):
    return f"{statistics.mean(values):8.3f} ± {statistics.stdev(values) if len(values) > 1 else 0:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    x, y = load_mnist("subset")
    x_train, y_train, x_held, _ = train_heldout_split(x, y, seed=0)
    judge = pretrained("judge")
    held = class_coverage(x_held, judge=judge, device="cpu")
    print(f"held-out digits ({len(x_held)}): classes {held['classes']}/10, class KL {held['class_kl']:.4f}, "
          f"judge IS {inception_score(x_held, judge=judge, device='cpu'):.3f}, median distance to the nearest "
          f"training digit {memorization(x_held, x_train, x_held)['heldout_median']:.3f}")
    table = {}
    for seed in args.seeds:
        for name, (images, value_range) in sets(x_train, y_train, args.n, seed).items():
            for key, value in row(images, value_range, x_train, x_held, judge).items():
                table.setdefault(name, {}).setdefault(key, []).append(value)
    print(f"\n{args.n} images each against the {len(x_held)} held-out digits; mean ± std over seeds {args.seeds}")
    for name, figures in table.items():
        print(f"\n{name}")
        for key, values in figures.items():
            print(f"  {key:16s} {spread(values)}")
    print(f"\nreal-vs-real judge FID (n train-split digits vs n held-out digits), seeds {args.seeds}")
    for n, values in fid_by_size(x_train, x_held, judge, (250, 500, 1000), args.seeds).items():
        print(f"  n = {n:5d}  {spread(values)}")


if __name__ == "__main__":
    main()
