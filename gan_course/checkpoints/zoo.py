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


def _train_with_record(trainer, steps: int, record_every: int, verdict, evaluate: bool = True) -> float:
    """Run ``trainer`` for ``steps``, calling ``verdict()`` at step 0, every ``record_every`` steps and after
    the last (with ``evaluate``); return the training CPU seconds, the verdicts' own time left out."""
    import time

    spent = [0.0]

    def timed(_trainer=None):
        start = time.process_time()
        verdict()
        spent[0] += time.process_time() - start

    start = time.process_time()
    if evaluate:
        timed()
    trainer.run(steps, callbacks=[(record_every, timed)] if evaluate else [], progress=False)
    if evaluate and steps % record_every:
        timed()
    return time.process_time() - start - spent[0]


def _image_gan(steps: int, seed: int = 0, *, recipe: str = "dcgan", width: int = 32, z_dim: int = 64,
               batch_size: int = 64, lr: float = 2e-3, d_norm: str = "batch", spectral_norm: bool = False,
               record_every: int = 150, samples: int = 1000, n_show: int = 64, record_name="dcgan-record",
               evaluate: bool = True):
    """An image GAN of lessons 06-07 on the course's DCGAN networks (:mod:`gan_course.models.dcgan`,
    channels-last tensors): the recipe ``recipe`` of :data:`gan_course.recipes.RECIPES` with both
    learning rates ``lr`` and batch ``batch_size`` (lesson 06 and 07 say why they differ from the
    papers'), D's normalization ``d_norm`` and optional spectral normalization; and the record of
    its training.

    Every ``record_every`` steps (and at step 0) the record keeps G's images of ``n_show`` fixed
    latent vectors (uint8), the judge's verdict on ``samples`` more (:func:`gan_course.metrics.judge_scores`
    against the held-out digits, and the class shares), and D's mean output on the held-out digits
    minus its mean output on those samples (D in eval mode; for a Wasserstein critic, its estimate of
    W1); the training CPU seconds leave out that evaluation; it is saved as the companion checkpoint
    ``record_name`` (None: not kept). Metrics: the last verdict (after the last step; the latent
    vectors come from seed 1). With ``evaluate=False``, no verdict and no record: only the training.
    """
    import torch

    from gan_course.checkpoints import pretrained
    from gan_course.data import load_mnist, train_heldout_split
    from gan_course.metrics import class_coverage, judge_scores
    from gan_course.models.dcgan import Discriminator, Generator
    from gan_course.recipes import RECIPES as PAPER
    from gan_course.train import Trainer

    x, y = load_mnist("subset")
    x_train, _, x_heldout, _ = train_heldout_split(x, y, seed=0)
    judge = pretrained("judge")
    d_config = {"width": width, "norm": d_norm, **({"spectral_norm": True} if spectral_norm else {})}
    config = {"G": {"family": "dcgan-g", "config": {"z_dim": z_dim, "width": width}},
              "D": {"family": "dcgan-d", "config": d_config}}
    G = Generator(z_dim, width, seed=seed).to(memory_format=torch.channels_last)
    D = Discriminator(**d_config, seed=seed + 1000).to(memory_format=torch.channels_last)
    settings = PAPER[recipe].settings_with(batch_size=batch_size, lr_g=lr, lr_d=lr, seed=seed)
    trainer = Trainer(G, D, PAPER[recipe].make_loss(), x_train.contiguous(memory_format=torch.channels_last), z_dim,
                      settings, device="cpu")
    z_show = torch.randn(64, z_dim, generator=torch.Generator().manual_seed(1234))[:n_show]
    z_eval = torch.randn(samples, z_dim, generator=torch.Generator().manual_seed(1))
    keys = ("fid", "inception_score", "classes", "class_kl", "precision", "recall", "critic_gap")
    record = {"step": [], "images": [], "shares": [], **{k: [] for k in keys}}

    def evaluated(net, x):
        net.eval()
        with torch.no_grad():
            out = net(x).contiguous()
        net.train()
        return out

    def verdict():
        fake = evaluated(G, z_eval)
        scores = judge_scores(fake, x_heldout, judge=judge, device="cpu")
        scores["critic_gap"] = (evaluated(D, x_heldout).mean() - evaluated(D, fake).mean()).item()
        record["step"].append(trainer.steps_done)
        record["images"].append(((evaluated(G, z_show) + 1) * 127.5).round().to(torch.uint8))
        record["shares"].append(torch.tensor(class_coverage(fake, judge=judge, device="cpu")["shares"]))
        for key in keys:
            record[key].append(float(scores[key]))

    train_cpu = _train_with_record(trainer, steps, record_every, verdict, evaluate)
    model = torch.nn.ModuleDict({"G": G.to(memory_format=torch.contiguous_format),
                                 "D": D.to(memory_format=torch.contiguous_format)})
    metrics = {k: round(float(record[k][-1]), 4) for k in keys} if evaluate else {}
    metrics.update(recipe=recipe, steps=steps, batch_size=batch_size, lr=lr, seed=seed,
                   train_cpu_seconds=round(train_cpu, 1), heldout_images=len(x_heldout), samples=samples)
    if not (record_name and evaluate):
        return model, {"family": "pair", "config": config}, metrics, {}
    history = {k: torch.tensor(v, dtype=torch.float32) for k, v in trainer.history.items()
               if k in ("d_loss", "g_loss", "d_real", "d_fake", "d_loss_penalty")}
    extras = {record_name: {"step": torch.tensor(record.pop("step")), "images": torch.stack(record.pop("images")),
                            "shares": torch.stack(record.pop("shares")),
                            **{k: torch.tensor(v) for k, v in record.items()}, **history}}
    return model, {"family": "pair", "config": config}, metrics, extras


def _infogan(steps: int, seed: int = 0, *, z_dim: int = 16, n_cont: int = 2, width: int = 32,
             batch_size: int = 64, weight: float = 1.0, record_every: int = 500, samples: int = 1000,
             record_name="infogan-record"):
    """Lesson 09's InfoGAN: the recipe ``"infogan"`` of :data:`gan_course.recipes.RECIPES` (non-saturating
    loss plus ``weight`` times the code terms; Adam G 1e-3, D and Q 2e-4, beta1 0.5) on lesson 06's networks
    (G(z, c) and D of width ``width``, a Q head on D's features), z of ``z_dim``, Cat(10) and ``n_cont``
    U(-1, 1) codes, batch ``batch_size`` (lesson 09 says why these differ from the paper's).

    Every ``record_every`` steps (and at step 0) the record keeps the categorical code's accuracy as a
    classifier: ``samples`` images (an equal number per category, latent seed 1) labelled by the judge,
    categories matched to digits by :func:`gan_course.metrics.matched_accuracy`; the judge's FID, classes
    and class KL of the same images; and G's images of 10 categories x 8 fixed noise vectors, continuous
    codes 0 (uint8). The record also keeps every step's code terms (``g_loss_info_cat``, ``g_loss_info_cont``,
    nats) and losses. Training CPU seconds leave out that evaluation. Metrics: the last verdict, with the
    matching (category -> digit) and the table of counts (rows: categories, columns: judge labels).
    """
    import torch

    from gan_course.checkpoints import pretrained
    from gan_course.data import load_mnist, train_heldout_split
    from gan_course.latents import InfoCodes
    from gan_course.metrics import judge_scores, matched_accuracy
    from gan_course.models.dcgan import Discriminator, Generator, QHead
    from gan_course.recipes import RECIPES as PAPER
    from gan_course.train import Trainer

    x, y = load_mnist("subset")
    x_train, _, x_heldout, _ = train_heldout_split(x, y, seed=0)
    judge = pretrained("judge")
    n_code = 10 + n_cont
    config = {"G": {"family": "dcgan-g", "config": {"z_dim": z_dim, "width": width, "cond_dim": n_code}},
              "D": {"family": "dcgan-d", "config": {"width": width, "features": True}},
              "Q": {"family": "q-head", "config": {"in_features": 2 * width * 49, "n_out": n_code}}}
    G = Generator(z_dim, width, cond_dim=n_code, seed=seed).to(memory_format=torch.channels_last)
    D = Discriminator(width, features=True, seed=seed + 1000).to(memory_format=torch.channels_last)
    Q = QHead(D.n_features, n_code, seed=seed + 2000)
    recipe = PAPER["infogan"]
    codes = recipe.make_latent(z_dim=z_dim, n_cont=n_cont)
    trainer = Trainer(G, D, recipe.make_loss(q_head=Q, codes=codes, weight=weight),
                      x_train.contiguous(memory_format=torch.channels_last), codes,
                      recipe.settings_with(batch_size=batch_size, seed=seed), device="cpu")
    cats = torch.arange(samples) % 10
    z_eval, c_eval = codes.with_categories(cats, torch.Generator().manual_seed(1))
    z_show = torch.randn(8, z_dim, generator=torch.Generator().manual_seed(1234)).repeat(10, 1)
    c_show = torch.cat([torch.nn.functional.one_hot(torch.arange(10).repeat_interleave(8), 10).float(),
                        torch.zeros(80, n_cont)], 1)
    keys = ("accuracy", "fid", "classes", "class_kl")
    record = {"step": [], "images": [], **{k: [] for k in keys}}
    last = {}

    def verdict():
        G.eval()
        with torch.no_grad():
            fake = G(z_eval, c_eval).contiguous()
            labels = judge(fake).argmax(1)
            record["images"].append(((G(z_show, c_show) + 1) * 127.5).round().to(torch.uint8).contiguous())
        G.train()
        scores = judge_scores(fake, x_heldout, judge=judge, device="cpu")
        last.update(matched_accuracy(cats, labels))
        scores["accuracy"] = last["accuracy"]
        record["step"].append(trainer.steps_done)
        for key in keys:
            record[key].append(float(scores[key]))

    train_cpu = _train_with_record(trainer, steps, record_every, verdict)
    model = torch.nn.ModuleDict({"G": G.to(memory_format=torch.contiguous_format),
                                 "D": D.to(memory_format=torch.contiguous_format), "Q": Q})
    metrics = {k: round(float(record[k][-1]), 4) for k in keys}
    metrics.update(matching={str(k): v for k, v in last["matching"].items()}, table=last["table"].tolist(),
                   recipe="infogan", steps=steps, z_dim=z_dim, n_cont=n_cont, batch_size=batch_size,
                   weight=weight, seed=seed, train_cpu_seconds=round(train_cpu, 1),
                   heldout_images=len(x_heldout), samples=samples)
    if not record_name:
        return model, {"family": "pair", "config": config}, metrics, {}
    history = {k: torch.tensor(v, dtype=torch.float32) for k, v in trainer.history.items()
               if k in ("d_loss", "g_loss", "g_loss_info_cat", "g_loss_info_cont")}
    extras = {record_name: {"step": torch.tensor(record.pop("step")), "images": torch.stack(record.pop("images")),
                            **{k: torch.tensor(v) for k, v in record.items()}, **history}}
    return model, {"family": "pair", "config": config}, metrics, extras


def _cgan(steps: int, seed: int = 0, *, z_dim: int = 64, width: int = 32, batch_size: int = 64, lr: float = 2e-3,
          record_every: int = 300, samples: int = 1000, record_name="cgan-record"):
    """Lesson 10's conditional GAN: the recipe ``"cgan"`` of :data:`gan_course.recipes.RECIPES` (non-saturating
    loss, both learning rates ``lr``, beta1 0.5, batch ``batch_size``, as lesson 06's DCGAN) on lesson 06's
    networks with the one-hot digit as G's extra input and a projection term in D (``cond_dim=10``), trained
    on the labelled train split.

    Every ``record_every`` steps (and at step 0) the record keeps the judge's **agreement** with the requested
    digit on ``samples`` images (an equal number per digit, noise from seed 1) and each digit's own agreement;
    the judge's FID, classes and class KL of the same images; and G's images of 10 digits x 8 fixed noise
    vectors (uint8). Training CPU seconds leave out that evaluation. Metrics: the last verdict.
    """
    import torch

    from gan_course.checkpoints import pretrained
    from gan_course.data import load_mnist, train_heldout_split
    from gan_course.metrics import judge_scores
    from gan_course.models.dcgan import Discriminator, Generator
    from gan_course.recipes import RECIPES as PAPER
    from gan_course.train import Trainer

    x, y = load_mnist("subset")
    x_train, y_train, x_heldout, _ = train_heldout_split(x, y, seed=0)
    judge = pretrained("judge")
    config = {"G": {"family": "dcgan-g", "config": {"z_dim": z_dim, "width": width, "cond_dim": 10}},
              "D": {"family": "dcgan-d", "config": {"width": width, "cond_dim": 10}}}
    G = Generator(z_dim, width, cond_dim=10, seed=seed).to(memory_format=torch.channels_last)
    D = Discriminator(width, cond_dim=10, seed=seed + 1000).to(memory_format=torch.channels_last)
    recipe = PAPER["cgan"]
    trainer = Trainer(G, D, recipe.make_loss(), (x_train.contiguous(memory_format=torch.channels_last), y_train),
                      recipe.make_latent(z_dim=z_dim), recipe.settings_with(batch_size=batch_size, lr_g=lr, lr_d=lr,
                                                                            seed=seed), device="cpu")
    digits = torch.arange(samples) % 10
    z_eval = torch.randn(samples, z_dim, generator=torch.Generator().manual_seed(1))
    z_show = torch.randn(8, z_dim, generator=torch.Generator().manual_seed(1234)).repeat(10, 1)
    c_eval, c_show = (torch.nn.functional.one_hot(d, 10).float() for d in (digits, torch.arange(10).repeat_interleave(8)))
    keys = ("agreement", "worst_digit", "fid", "classes", "class_kl")
    record = {"step": [], "images": [], "per_digit": [], **{k: [] for k in keys}}

    def verdict():
        G.eval()
        with torch.no_grad():
            fake = G(z_eval, c_eval).contiguous()
            hit = (judge(fake).argmax(1) == digits).float()
            record["images"].append(((G(z_show, c_show) + 1) * 127.5).round().to(torch.uint8).contiguous())
        G.train()
        scores = judge_scores(fake, x_heldout, judge=judge, device="cpu")
        per_digit = torch.stack([hit[digits == d].mean() for d in range(10)])
        scores.update(agreement=hit.mean().item(), worst_digit=per_digit.min().item())
        record["step"].append(trainer.steps_done)
        record["per_digit"].append(per_digit)
        for key in keys:
            record[key].append(float(scores[key]))

    train_cpu = _train_with_record(trainer, steps, record_every, verdict)
    model = torch.nn.ModuleDict({"G": G.to(memory_format=torch.contiguous_format),
                                 "D": D.to(memory_format=torch.contiguous_format)})
    metrics = {k: round(float(record[k][-1]), 4) for k in keys}
    metrics.update(per_digit=[round(v, 4) for v in record["per_digit"][-1].tolist()], recipe="cgan", steps=steps,
                   z_dim=z_dim, batch_size=batch_size, lr=lr, seed=seed, train_cpu_seconds=round(train_cpu, 1),
                   heldout_images=len(x_heldout), samples=samples)
    if not record_name:
        return model, {"family": "pair", "config": config}, metrics, {}
    history = {k: torch.tensor(v, dtype=torch.float32) for k, v in trainer.history.items()
               if k in ("d_loss", "g_loss", "d_real", "d_fake")}
    extras = {record_name: {"step": torch.tensor(record.pop("step")), "images": torch.stack(record.pop("images")),
                            "per_digit": torch.stack(record.pop("per_digit")),
                            **{k: torch.tensor(v) for k, v in record.items()}, **history}}
    return model, {"family": "pair", "config": config}, metrics, extras


# name -> a function returning (trained model, its spec, its metrics[, {companion name: dict of tensors}])
RECIPES = {
    "vae-z2": partial(_vae, latent_dim=2, epochs=60),
    "vae-z20": partial(_vae, latent_dim=20, epochs=100),
    "judge": partial(_judge, epochs=20),
    "dcgan": partial(_image_gan, steps=2800, record_every=140),
    "dcgan-seed1": partial(_image_gan, steps=2800, record_every=2800, seed=1, record_name=None),
    "dcgan-seed2": partial(_image_gan, steps=2800, record_every=2800, seed=2, record_name=None),
    # lesson 07: the Wasserstein critic held Lipschitz three ways, about 10 CPU-minutes of training each
    "wgan-clip": partial(_image_gan, steps=4000, recipe="wgan", lr=5e-5, record_every=200, n_show=16,
                         record_name="wgan-clip-record"),
    "wgan-gp": partial(_image_gan, steps=2100, recipe="wgan-gp", lr=3e-4, d_norm="layer", record_every=105, n_show=16,
                       record_name="wgan-gp-record"),
    "wgan-sn": partial(_image_gan, steps=3600, recipe="wgan-sn", lr=3e-4, d_norm="none", spectral_norm=True,
                       record_every=180, n_show=16, record_name="wgan-sn-record"),
    # lesson 08: least squares (a, b, c = 0, 1, 1) on the shipped DCGAN's budget of 2,800 steps
    "lsgan": partial(_image_gan, steps=2800, recipe="lsgan", lr=1e-3, record_every=140, n_show=16,
                     record_name="lsgan-record"),
    # lesson 09: InfoGAN, about 600 CPU seconds of training (10,000 steps at about 17 steps per CPU second)
    "infogan": partial(_infogan, steps=10000),
    # lesson 10: the conditional GAN, about 350 CPU seconds of training (6,000 steps at about 17 steps per CPU second)
    "cgan": partial(_cgan, steps=6000),
}
for _name in ("wgan-clip", "wgan-gp", "wgan-sn", "lsgan"):
    for _seed in (1, 2):
        _steps = RECIPES[_name].keywords["steps"]
        RECIPES[f"{_name}-seed{_seed}"] = partial(RECIPES[_name], seed=_seed, record_every=_steps, record_name=None)
for _seed in (1, 2):
    RECIPES[f"infogan-seed{_seed}"] = partial(RECIPES["infogan"], seed=_seed, record_every=10000, record_name=None)
    RECIPES[f"cgan-seed{_seed}"] = partial(RECIPES["cgan"], seed=_seed, record_every=6000, record_name=None)


def reproduce(name: str, directory=None) -> dict:
    """Train checkpoint ``name`` from its recipe, save it with its manifest entry; return its metrics."""
    import time

    import torch

    from gan_course.checkpoints import SHIPPED, save_checkpoint

    if name not in RECIPES:
        raise ValueError(f"name={name!r} is not a shipped checkpoint; use one of {sorted(RECIPES)}")
    torch.set_num_threads(1)
    start = time.process_time()
    model, spec, metrics, *extras = RECIPES[name]()
    metrics["cpu_seconds"] = round(time.process_time() - start, 1)
    command = f"python -m gan_course reproduce {name}"
    save_checkpoint(model.state_dict(), name, command=command, spec=spec, metrics=metrics,
                    directory=directory or SHIPPED)
    for companion, tensors in (extras[0] if extras else {}).items():
        save_checkpoint(tensors, companion, command=command, metrics={"made_with": name},
                        directory=directory or SHIPPED)
    return metrics


# Lesson 08's course table: every GAN of the course on lesson 06's networks (width 32, z 64, batch 64), with
# about 300 CPU seconds of one thread each (steps set from each recipe's rate on 2026-12-05's host: about
# 18 steps per CPU second for one D step per G step, 6.7 with clipping's 5 critic steps, 3.5 with the penalty),
# and the VAE of lesson 04 (784-400-20 MLP, 100 epochs: about 40 CPU seconds, where its held-out ELBO has levelled).
# Nothing is shipped from it: the lesson trains the rows, three seeds each (``table_run``).
TABLE = {
    "NS-GAN (DCGAN)": partial(_image_gan, steps=5300, recipe="dcgan", lr=2e-3),
    "WGAN, clipping": partial(_image_gan, steps=2000, recipe="wgan", lr=5e-5),
    "WGAN-GP": partial(_image_gan, steps=1050, recipe="wgan-gp", lr=3e-4, d_norm="layer"),
    "LSGAN 0-1-1": partial(_image_gan, steps=5600, recipe="lsgan", lr=1e-3),
    "LSGAN -1/1/0": partial(_image_gan, steps=5600, recipe="lsgan-pearson", lr=1e-3),
    "hinge": partial(_image_gan, steps=5500, recipe="hinge", lr=2e-3),
    "VAE (lesson 04)": partial(_vae, latent_dim=20, epochs=100),
}


def table_run(row: str, seed: int, quick: bool = False):
    """One run of lesson 08's course table, on one thread: ``TABLE[row]`` with ``seed`` (``quick``: 4 steps
    or 1 epoch, to check the code path). Returns the trained model (a ``ModuleDict`` with ``G`` and ``D``, or
    the VAE) and its CPU seconds (training only, for a GAN; the whole run for the VAE). Picklable, so a
    process pool can run the rows side by side."""
    import time

    import torch

    if row not in TABLE:
        raise ValueError(f"row={row!r} is not a row of the course table; use one of {list(TABLE)}")
    torch.set_num_threads(1)
    vae = TABLE[row].func is _vae
    short = ({"epochs": 1} if vae else {"steps": 4}) if quick else {}
    start = time.process_time()
    model, _, metrics, *_ = TABLE[row](seed=seed, **({} if vae else {"evaluate": False}), **short)
    cpu = time.process_time() - start if vae else metrics["train_cpu_seconds"]
    return model, round(cpu, 1)
