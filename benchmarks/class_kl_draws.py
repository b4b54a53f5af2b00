"""How much one draw of samples moves the class KL: the shipped DCGANs and LSGANs (seeds 0-2),
each scored by the judge on ``draws`` fresh draws of ``n`` latent vectors and on one draw of
``big`` (seeds 100, 101, ... and 999).

    python benchmarks/class_kl_draws.py [--draws 20] [--n 1000] [--big 20000]

Prints, per checkpoint, the mean and standard deviation of the class KL over the draws of ``n``
and its value on the draw of ``big``; then the mean over seeds of each. Lesson 06's and 08's
goals (class KL <= 0.05) are read on the large draw.
"""

from __future__ import annotations

import argparse
import statistics

import torch

from gan_course.checkpoints import pretrained
from gan_course.metrics import class_coverage


def class_kl(G, judge, n, seed):
    z = torch.randn(n, G.z_dim, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        images = torch.cat([G(chunk) for chunk in z.split(2000)])
    return class_coverage(images, judge=judge, device="cpu")["class_kl"]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--big", type=int, default=20000)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    judge = pretrained("judge", device="cpu")
    print(f"{'checkpoint':>14} {'class KL, ' + str(args.draws) + ' draws of ' + str(args.n):>28} {'one draw of ' + str(args.big):>18}")
    for family in ("dcgan", "lsgan"):
        big = []
        for name in (family, f"{family}-seed1", f"{family}-seed2"):
            G = pretrained(name, device="cpu")["G"].eval()
            small = [class_kl(G, judge, args.n, 100 + i) for i in range(args.draws)]
            big.append(class_kl(G, judge, args.big, 999))
            print(f"{name:>14} {statistics.mean(small):21.3f} ± {statistics.stdev(small):.3f} {big[-1]:18.3f}", flush=True)
        print(f"{family + ', mean':>14} {'':28} {statistics.mean(big):18.3f}")


if __name__ == "__main__":
    main()
