import math
from pathlib import Path

import numpy as np
import pytest
import torch

from gan_course.losses import NonSaturating, Wasserstein
from gan_course.recipes import RECIPES
from gan_course.models.mlp import mlp
from gan_course.train import Trainer, TrainSettings


def small_models(seed=0, z_dim=2, x_dim=1):
    torch.manual_seed(seed)
    return mlp(z_dim, x_dim, hidden=16), mlp(x_dim, 1, hidden=16)


def test_a_gan_learns_a_shifted_gaussian():
    torch.manual_seed(0)
    real = torch.randn(4000, 1) * 0.5 + 3.0
    G, D = small_models()
    trainer = Trainer(G, D, NonSaturating(), real, 2, TrainSettings(batch_size=128, lr_g=2e-3, lr_d=2e-3),
                      device="cpu")
    before = G(torch.randn(2000, 2)).mean().item()
    trainer.run(800, progress=False)
    with torch.no_grad():
        x = G(torch.randn(4000, 2))
    assert abs(before - 3.0) > 1.5
    assert x.mean().item() == pytest.approx(3.0, abs=0.3)
    assert x.std().item() == pytest.approx(0.5, abs=0.25)


def test_history_records_every_term_and_d_steps_per_g_step():
    G, D = small_models()
    trainer = Trainer(G, D, Wasserstein(gp_weight=10), torch.randn(100, 1), 2,
                      TrainSettings(batch_size=16, d_steps=3), device="cpu")
    seen = []
    trainer.run(6, callbacks=[(2, lambda t: seen.append(t.steps_done))], progress=False)
    h = trainer.history
    assert h["step"] == [1, 2, 3, 4, 5, 6] and seen == [2, 4, 6]
    for key in ("d_loss", "g_loss", "d_real", "d_fake", "grad_norm_d", "grad_norm_g",
                "d_loss_real", "d_loss_fake", "d_loss_penalty"):
        assert len(h[key]) == 6 and all(math.isfinite(v) for v in h[key]), key
    for i in range(6):  # the loss is the sum of its named terms; for a critic, real term = -mean D(x)
        assert h["d_loss"][i] == pytest.approx(h["d_loss_real"][i] + h["d_loss_fake"][i] + h["d_loss_penalty"][i])
        assert h["d_loss_real"][i] == pytest.approx(-h["d_real"][i])
        assert h["d_loss_fake"][i] == pytest.approx(h["d_fake"][i])
    # the discriminator's optimizer stepped 3 times per generator step
    d_state = next(iter(trainer.opt_d.state.values()))
    g_state = next(iter(trainer.opt_g.state.values()))
    assert int(d_state["step"]) == 18 and int(g_state["step"]) == 6
    assert trainer.updates == {"D": 18, "G": 6}
    record = trainer.d_step()  # a lone update counts, and is the latest record, but is not a step
    assert trainer.updates == {"D": 19, "G": 6} and trainer.steps_done == 6
    assert trainer.last["d_loss"] == record["d_loss"] and trainer.last["g_loss"] == h["g_loss"][-1]


def test_same_seed_same_run():
    runs = []
    for _ in range(2):
        G, D = small_models(seed=3)
        trainer = Trainer(G, D, NonSaturating(), torch.randn(200, 1), 2, TrainSettings(batch_size=32, seed=5),
                          device="cpu")
        runs.append(trainer.run(5, progress=False)["d_loss"])
    assert runs[0] == runs[1]


def unchanged(model, before):
    return all(torch.equal(a, b) for a, b in zip(model.parameters(), before.parameters()))


def grad_norm(model):
    return torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()


def test_the_loop_does_not_care_about_the_model_shape():
    """A tiny convnet on 8x8 images, with a data callable instead of a tensor, under every recipe: each record
    is the recipe's loss on the batch its step drew (replayed from the trainer's generator, with the networks as
    they were before the step), finite and summed from its terms; a D step moves D alone, a G step G alone."""
    import copy

    images = lambda n, gen: torch.rand(n, 1, 8, 8, generator=gen) * 2 - 1  # noqa: E731
    for name, recipe in RECIPES.items():
        if name in ("infogan", "cgan"):  # conditions: tested below
            continue
        torch.manual_seed(0)
        G = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Unflatten(1, (1, 8, 8)), torch.nn.Tanh())
        D = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, stride=2, padding=1), torch.nn.LeakyReLU(0.2),
                                torch.nn.Flatten(), torch.nn.Linear(4 * 4 * 4, 1))
        loss = recipe.make_loss()
        trainer = Trainer(G, D, loss, images, 4, recipe.settings_with(batch_size=8), device="cpu")
        h = trainer.run(2, progress=False)
        assert h["step"] == [1, 2] and trainer.updates == {"D": 2 * recipe.settings.d_steps, "G": 2}, name
        assert all(len(v) == 2 and all(math.isfinite(x) for x in v) for v in h.values()), name
        for player in ("d", "g"):  # each player's loss is the sum of its named terms
            terms = [k for k in h if k.startswith(f"{player}_loss_")]
            assert h[f"{player}_loss"] == pytest.approx([sum(h[k][i] for k in terms) for i in range(2)]), name

        # a D step, by hand: real batch, then z, from the trainer's generator; the penalty draws next
        state, G0, D0 = trainer.rng.get_state(), copy.deepcopy(G), copy.deepcopy(D)
        g_grads = [p.grad.clone() for p in G.parameters()]  # left by the last G step
        record = trainer.d_step()
        gen = torch.Generator()
        gen.set_state(state)
        x_real = images(8, gen)
        with torch.no_grad():
            x_fake = G0(torch.randn(8, 4, generator=gen))
        out_real, out_fake = D0(x_real), D0(x_fake)
        terms = loss.d_terms(out_real, out_fake)
        penalty = loss.penalty(D0, x_real, x_fake, gen)
        if penalty is not None:
            terms["penalty"] = penalty
        sum(terms.values()).backward()
        assert record == pytest.approx({"d_loss": sum(terms.values()).item(), "d_real": out_real.mean().item(),
                                        "d_fake": out_fake.mean().item(), "grad_norm_d": grad_norm(D0),
                                        **{f"d_loss_{k}": v.item() for k, v in terms.items()}}), name
        assert not unchanged(D, D0) and unchanged(G, G0), name
        assert all(torch.equal(p.grad, g) for p, g in zip(G.parameters(), g_grads)), name  # no gradient into G

        # a G step, by hand, with D as the D step left it
        state, G1, D1 = trainer.rng.get_state(), copy.deepcopy(G), copy.deepcopy(D)
        record = trainer.g_step()
        gen.set_state(state)
        terms = loss.g_terms(D1(G1(torch.randn(8, 4, generator=gen))))
        sum(terms.values()).backward()
        assert record == pytest.approx({"g_loss": sum(terms.values()).item(), "grad_norm_g": grad_norm(G1),
                                        **{f"g_loss_{k}": v.item() for k, v in terms.items()}}), name
        assert not unchanged(G, G1) and unchanged(D, D1), name


def test_weight_clipping_holds_after_training():
    G, D = small_models()
    Trainer(G, D, Wasserstein(clip=0.01), torch.randn(100, 1) * 3, 2,
            TrainSettings(batch_size=16, optimizer="rmsprop", lr_d=0.05), device="cpu").run(5, progress=False)
    assert max(p.abs().max().item() for p in D.parameters()) <= 0.01 + 1e-7


@pytest.mark.parametrize("bad", [math.nan, -math.inf])
def test_a_nan_or_infinite_loss_stops_with_the_step_number(bad):
    G, D = small_models()
    real = torch.randn(100, 1)
    trainer = Trainer(G, D, NonSaturating(), real, 2, TrainSettings(batch_size=16), device="cpu")
    trainer.run(3, progress=False)
    with torch.no_grad():
        D[-1].bias.fill_(bad)  # D(x) = nan, or -inf: then softplus(-D(x)) = inf, D's real term and G's fake term
    before = [p.detach().clone() for p in list(G.parameters()) + list(D.parameters())]
    shown = "nan" if math.isnan(bad) else "inf"
    with pytest.raises(FloatingPointError, match=rf"step 3: the discriminator loss became {shown} \(real = {shown}"):
        trainer.run(1, progress=False)
    with pytest.raises(FloatingPointError, match=rf"step 3: the generator loss became {shown} \(fake = {shown}"):
        trainer.g_step()
    # stopped before any update: no optimizer step, no record, the networks as they were
    assert trainer.updates == {"D": 3, "G": 3} and trainer.steps_done == 3 and len(trainer.history["d_loss"]) == 3
    for a, b in zip(before, list(G.parameters()) + list(D.parameters())):
        torch.testing.assert_close(b, a, rtol=0, atol=0, equal_nan=True)


@pytest.mark.parametrize("kwargs, match", [({"d_steps": 0}, "d_steps=0"), ({"batch_size": 0}, "batch_size=0"),
                                           ({"optimizer": "sgd"}, "optimizer='sgd'"), ({"lr_g": 0}, "lr_g=0"),
                                           ({"decay_steps": 0}, "decay_steps=0"), ({"seed": -3}, "seed=-3"),
                                           ({"seed": 1.5}, "seed=1.5"), ({"betas": (0.5,)}, "betas="),
                                           ({"betas": (0.5, 1.0)}, "betas=")])
def test_bad_settings_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TrainSettings(**kwargs)


def test_settings_at_their_smallest_are_accepted_and_each_error_names_its_setting():
    TrainSettings(batch_size=1, d_steps=1, seed=0, decay_steps=1, betas=(0, 0.999))
    for name in ("lr_g", "lr_d"):
        with pytest.raises(ValueError, match=rf"^{name}=0 must be"):
            TrainSettings(**{name: 0})


def test_the_optimizers_are_the_settings_ones_with_their_learning_rates():
    for optimizer, kind in (("adam", torch.optim.Adam), ("rmsprop", torch.optim.RMSprop)):
        trainer = Trainer(*small_models(), NonSaturating(), torch.randn(50, 1), 2,
                          TrainSettings(optimizer=optimizer, lr_g=2e-4, lr_d=3e-4, betas=(0.5, 0.9)), device="cpu")
        assert type(trainer.opt_g) is kind and type(trainer.opt_d) is kind
        assert trainer.opt_g.param_groups[0]["lr"] == 2e-4 and trainer.opt_d.param_groups[0]["lr"] == 3e-4
        if kind is torch.optim.Adam:
            assert trainer.opt_g.param_groups[0]["betas"] == (0.5, 0.9)


def test_run_shows_a_bar_by_default_and_checks_its_counts(capsys):
    trainer = Trainer(*small_models(), NonSaturating(), np.random.default_rng(0).normal(size=(50, 1)), 2,
                      TrainSettings(batch_size=8), device="cpu")  # float64 numpy data becomes float32
    assert trainer.real.dtype == torch.float32
    trainer.run(2)
    assert "training (non-saturating): 100%" in capsys.readouterr().err
    trainer.run(0, progress=False)  # zero steps: nothing to do, no bar
    assert trainer.steps_done == 2 and capsys.readouterr().err == ""
    with pytest.raises(ValueError, match=r"^steps=-1 must be an integer >= 0$"):
        trainer.run(-1)
    with pytest.raises(ValueError, match=r"^every=0 must be an integer >= 1$"):
        trainer.run(1, callbacks=[(0, print)])


def test_the_device_defaults_to_the_courses_choice():
    from gan_course.runtime import get_device

    trainer = Trainer(*small_models(), NonSaturating(), torch.randn(20, 1), 2)
    assert trainer.device == torch.device(get_device()) and trainer.real.device.type == trainer.device.type


def test_empty_data_is_refused():
    G, D = small_models()
    with pytest.raises(ValueError, match="real must hold"):
        Trainer(G, D, NonSaturating(), np.zeros((0, 1)), 2, device="cpu")


def test_learning_rates_decay_linearly_to_zero():
    G, D = small_models()
    trainer = Trainer(G, D, NonSaturating(), torch.randn(100, 1), 2,
                      TrainSettings(batch_size=8, lr_g=1e-3, lr_d=4e-3, decay_steps=4), device="cpu")
    seen = []
    trainer.run(6, callbacks=[(1, lambda t: seen.append((t.opt_g.param_groups[0]["lr"], t.opt_d.param_groups[0]["lr"])))],
                progress=False)
    # the rate used by step k (1-based) is lr * (1 - (k - 1) / 4), never below 0
    np.testing.assert_allclose(seen, [(1e-3 * f, 4e-3 * f) for f in (1, 0.75, 0.5, 0.25, 0, 0)], atol=1e-15)
    frozen = [p.detach().clone() for p in G.parameters()]
    trainer.run(1, progress=False)
    assert all(torch.equal(a, b) for a, b in zip(frozen, G.parameters()))  # lr 0: no more change


def test_same_seed_same_history_with_the_gradient_penalty_whatever_the_global_generator():
    """Every draw (batches, z, the penalty's alphas) comes from the trainer's own generator."""
    def run(global_seed, seed=5):
        torch.manual_seed(global_seed)  # a learner's global seed must not matter
        G, D = mlp(2, 1, hidden=8, seed=1), mlp(1, 1, hidden=8, seed=2)
        trainer = Trainer(G, D, Wasserstein(gp_weight=10), torch.linspace(-1, 1, 200)[:, None], 2,
                          TrainSettings(batch_size=16, d_steps=2, seed=seed), device="cpu")
        return trainer.run(4, progress=False)

    first = run(0)
    assert run(123) == first
    assert run(0, seed=6)["d_loss_penalty"] != first["d_loss_penalty"]


class LabelledPoints(torch.nn.Module):
    """A conditional D that records what it is shown: x = (label, noise), c one-hot."""

    def __init__(self):
        super().__init__()
        self.lin, self.seen = torch.nn.Linear(5, 1), []

    def forward(self, x, c):
        self.seen.append((x.detach().clone(), c.clone()))
        return self.lin(torch.cat([x, c], dim=1))


class LabelWriter(torch.nn.Module):
    """A conditional G that writes its condition's class into its sample: G(z, c) = (argmax c, w z)."""

    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(1))

    def forward(self, z, c):
        return torch.stack([c.argmax(1).float(), self.w * z[:, 0]], dim=1)


def test_labels_pair_with_real_images_and_conditions_with_fakes():
    from gan_course.latents import ClassLabels

    y = torch.randint(3, (300,), generator=torch.Generator().manual_seed(0))
    x = torch.stack([y.float(), torch.randn(300)], dim=1)
    D = LabelledPoints()
    trainer = Trainer(LabelWriter(), D, NonSaturating(), (x, y), ClassLabels(4, 3), TrainSettings(batch_size=32),
                      device="cpu")
    trainer.run(2, progress=False)
    assert len(D.seen) == 6  # per step: real and fake in the D step, fake in the G step
    for batch, c in D.seen:  # every image is shown with its own class: real ones with their labels
        assert torch.equal(c.argmax(1).float(), batch[:, 0])
    real_labels = D.seen[0][1].argmax(1)
    assert len(real_labels.unique()) == 3
    # the D step makes its fakes with the real batch's labels (a penalty's interpolates share one class);
    # the G step draws classes from the sampler
    assert torch.equal(D.seen[1][1], D.seen[0][1]) and not torch.equal(D.seen[2][1], D.seen[0][1])
    with pytest.raises(ValueError, match="pair every sample with a label"):
        Trainer(LabelWriter(), D, NonSaturating(), (x, y[:10]), ClassLabels(4, 3), device="cpu")
    for bad in (y.float() + 0.5, y + 3, y - 1, y + 1):  # y + 1 reaches 3, one past the last of 3 classes
        with pytest.raises(ValueError, match=r"labels of real=\(x, y\) must be integers in 0 \.\. 2, got"):
            Trainer(LabelWriter(), D, NonSaturating(), (x, bad), ClassLabels(4, 3), device="cpu")
    with pytest.raises(ValueError, match=r"must be integers in >= 0, got torch.int64 values from -1 to 1$"):
        Trainer(*small_models(x_dim=2), NonSaturating(), (x, y - 1), 2, device="cpu")  # no classes to count
    # a batch function may return (x, y) too: the labels reach D with their images
    D = LabelledPoints()
    batches = lambda n, rng: (x[:n], y[:n])  # noqa: E731
    Trainer(LabelWriter(), D, NonSaturating(), batches, ClassLabels(4, 3), TrainSettings(batch_size=8),
            device="cpu").d_step()
    assert torch.equal(D.seen[0][1].argmax(1), y[:8])
    # a gradient penalty scores its interpolates with the real batch's classes
    D = LabelledPoints()
    record = Trainer(LabelWriter(), D, Wasserstein(gp_weight=10), (x, y), ClassLabels(4, 3),
                     TrainSettings(batch_size=8), device="cpu").d_step()
    assert record["d_loss_penalty"] > 0 and torch.equal(D.seen[2][1], D.seen[0][1])
    with pytest.raises(ValueError, match="real must be labelled"):
        Trainer(LabelWriter(), D, NonSaturating(), x, ClassLabels(4, 3), device="cpu")


def test_infogan_trains_q_with_d_and_adds_the_code_terms_to_both_players():
    from gan_course.latents import InfoCodes
    from gan_course.losses import InfoGAN

    codes = InfoCodes(z_dim=3, n_cat=4, n_cont=1)
    G = torch.nn.Linear(3 + 5, 2)
    G.forward = lambda z, c, lin=G.forward: lin(torch.cat([z, c], dim=1))  # G(z, c)
    trunk, head = torch.nn.Linear(2, 6), torch.nn.Linear(6, 1)

    class FeatureD(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.trunk, self.head = trunk, head

        def forward(self, x):
            h = torch.relu(self.trunk(x))
            return self.head(h), h

    q = torch.nn.Linear(6, 5)
    trainer = Trainer(G, FeatureD(), InfoGAN(NonSaturating(), q, codes), torch.randn(100, 2), codes,
                      TrainSettings(batch_size=16), device="cpu")
    q_before, g_before = q.weight.detach().clone(), G.weight.detach().clone()
    trainer.g_step()
    assert torch.equal(q.weight, q_before) and not torch.equal(G.weight, g_before)  # G's step moves G only
    trainer.d_step()
    assert not torch.equal(q.weight, q_before)  # Q is optimized with D
    h = trainer.run(2, progress=False)
    for player in ("d", "g"):  # every step records both code terms; the categorical one is a cross-entropy, > 0
        assert len(h[f"{player}_loss_info_cat"]) == 2 and all(v > 0 for v in h[f"{player}_loss_info_cat"])
        assert len(h[f"{player}_loss_info_cont"]) == 2 and all(math.isfinite(v) for v in h[f"{player}_loss_info_cont"])
    for i in range(2):  # and added to both players' losses
        assert h["g_loss"][i] == pytest.approx(h["g_loss_fake"][i] + h["g_loss_info_cat"][i] + h["g_loss_info_cont"][i])
        assert h["d_loss"][i] == pytest.approx(h["d_loss_real"][i] + h["d_loss_fake"][i] + h["d_loss_info_cat"][i]
                                               + h["d_loss_info_cont"][i])


def test_a_generator_without_parameters_only_serves_d_steps():
    from gan_course.critics import _Indices, _Replay

    fixed = torch.randn(50, 1) + 3
    trainer = Trainer(_Replay(fixed), mlp(1, 1, hidden=4), Wasserstein(gp_weight=1), torch.randn(50, 1),
                      _Indices(50), TrainSettings(batch_size=8), device="cpu")
    assert trainer.d_step()["d_fake"] != 0
    with pytest.raises(ValueError, match="G has no parameters"):
        trainer.g_step()


def test_a_d_step_moves_only_d_and_a_g_step_only_g():
    G, D = small_models()
    trainer = Trainer(G, D, NonSaturating(), torch.randn(100, 1), 2, TrainSettings(batch_size=16), device="cpu")

    def snapshot(model):
        return [p.detach().clone() for p in model.parameters()]

    def same(model, before):
        return all(torch.equal(a, b) for a, b in zip(model.parameters(), before))

    g_before, d_before = snapshot(G), snapshot(D)
    trainer.d_step()
    assert same(G, g_before) and not same(D, d_before)
    assert all(p.grad is None for p in G.parameters())  # the fake batch was made without a graph back to G
    d_before = snapshot(D)
    trainer.g_step()
    assert same(D, d_before) and not same(G, g_before)


def test_parts_that_do_not_fit_are_refused_or_flagged():
    from gan_course.latents import InfoCodes
    from gan_course.losses import InfoGAN
    from gan_course.models.dcgan import Discriminator, Generator

    codes = InfoCodes(z_dim=3, n_cat=4, n_cont=1)
    loss = InfoGAN(NonSaturating(), torch.nn.Linear(6, 5), codes)
    G, D = small_models()
    with pytest.raises(ValueError, match="latent=.*must be the sampler whose codes the loss reads back"):
        Trainer(G, D, loss, torch.randn(10, 1), InfoCodes(z_dim=3, n_cat=4, n_cont=1), device="cpu")
    with pytest.warns(UserWarning, match="batch norm.*layer norm") as caught:
        Trainer(Generator(width=4), Discriminator(width=4), Wasserstein(gp_weight=10), torch.randn(10, 1, 28, 28),
                100, device="cpu")
    assert "gan_course" not in Path(caught[0].filename).parts  # it points at the caller, not into the package
    import warnings

    with warnings.catch_warnings():  # batch norm without a penalty, or a penalty without it: no warning
        warnings.simplefilter("error")
        Trainer(Generator(width=4), Discriminator(width=4), NonSaturating(), torch.randn(10, 1, 28, 28), 100,
                device="cpu")
        Trainer(*small_models(), Wasserstein(gp_weight=10), torch.randn(10, 1), 2, device="cpu")
