import numpy as np
import pytest
import torch

from gan_course.critics import train_critic
from gan_course.divergences import wasserstein_1d
from gan_course.models.mlp import mlp

RNG = np.random.default_rng(0)
REAL, FAKE = RNG.normal(0, 1, 4000), RNG.normal(2, 1, 4000)
EXACT = wasserstein_1d(REAL, FAKE)  # W1 between the two samples, about 2


def test_gradient_penalty_critic_lands_near_w1_from_above():
    fit = train_critic(REAL, FAKE, "gp", steps=1500)
    # the penalty is soft: the critic's slope exceeds 1 a little, so it overshoots (about +10% here)
    assert EXACT * 0.95 < fit.w1 < EXACT * 1.2
    assert len(fit.estimates) == 1500


def test_spectral_norm_critic_is_at_most_one_lipschitz():
    fit = train_critic(REAL, FAKE, "sn", steps=1500)
    # a 1-Lipschitz f cannot beat the exact W1 of the two samples (duality); power iteration slack: 1%
    assert EXACT * 0.8 < fit.w1 <= EXACT * 1.01
    x = torch.linspace(-6, 8, 2001)[:, None]
    with torch.no_grad():
        slopes = torch.diff(fit.critic(x).ravel()) / torch.diff(x.ravel())
    assert slopes.abs().max().item() <= 1.01


def test_weight_clipping_piles_weights_at_the_bound_and_underestimates():
    fit = train_critic(REAL, FAKE, "clip", steps=1500)
    weights = torch.cat([p.detach().flatten() for p in fit.critic.parameters()])
    assert weights.abs().max().item() <= 0.01 + 1e-7
    assert (weights.abs() >= 0.01 - 1e-7).float().mean().item() > 0.5
    assert 0 < fit.w1 < 0.05 * EXACT  # it measures K * W1 with a tiny, unknown K


def test_same_seed_same_critic_and_bad_arguments():
    a = train_critic(REAL[:500], FAKE[:500], "gp", steps=20, seed=3)
    b = train_critic(REAL[:500], FAKE[:500], "gp", steps=20, seed=3)
    assert a.estimates == b.estimates and a.w1 == b.w1
    with pytest.raises(ValueError, match="constraint='l2'"):
        train_critic(REAL, FAKE, "l2")
    with pytest.raises(ValueError, match="same dimension"):
        train_critic(np.zeros((5, 2)), np.zeros((5, 3)), "gp")
    with pytest.raises(ValueError, match="x_real must be a non-empty"):
        train_critic(np.zeros((0, 2)), np.zeros((5, 2)), "gp")
    with pytest.raises(ValueError, match="steps=0"):
        train_critic(REAL, FAKE, "gp", steps=0)


def test_mlp_shapes_and_spectral_norm():
    net = mlp(2, 1, hidden=8, layers=3, spectral_norm=True)
    assert net(torch.zeros(5, 2)).shape == (5, 1)
    linears = [m for m in net.modules() if isinstance(m, torch.nn.Linear)]
    assert len(linears) == 4
    for _ in range(50):  # each training-mode forward runs one power iteration per layer
        net(torch.zeros(1, 2))
    net.eval()
    for layer in linears:
        assert torch.linalg.matrix_norm(layer.weight, ord=2).item() == pytest.approx(1.0, abs=0.01)
    with pytest.raises(ValueError, match="hidden=0"):
        mlp(2, 1, hidden=0)


def test_fit_discriminator_approaches_the_optimal_discriminator_and_bounds_js_from_below():
    from scipy import integrate, stats

    from gan_course.critics import fit_discriminator

    rng = np.random.default_rng(1)
    p, q = stats.norm(0, 1), stats.norm(1, 1)
    D, losses = fit_discriminator(p.rvs(20_000, random_state=rng), q.rvs(20_000, random_state=rng), steps=1500,
                                  hidden=64, layers=2, device="cpu")
    m = lambda x: (p.pdf(x) + q.pdf(x)) / 2  # noqa: E731
    js = 0.5 * sum(integrate.quad(lambda x, f=f: f.pdf(x) * np.log(f.pdf(x) / m(x)), -12, 13)[0] for f in (p, q))
    x_p, x_q = (torch.as_tensor(f.rvs(50_000, random_state=rng), dtype=torch.float32)[:, None] for f in (p, q))
    with torch.no_grad():
        held_out = (torch.nn.functional.softplus(-D(x_p)).mean() + torch.nn.functional.softplus(D(x_q)).mean()).item()
        grid = torch.linspace(-1, 2, 31)[:, None]
        d_star = p.pdf(grid.numpy()) / (p.pdf(grid.numpy()) + q.pdf(grid.numpy()))
        gap = np.abs(torch.sigmoid(D(grid)).numpy() - d_star).max()
    bound = np.log(2) - held_out / 2
    assert len(losses) == 1500
    assert bound <= js + 0.005  # a lower bound, up to the held-out samples' noise (about 0.003 here)
    assert bound > 0.8 * js  # and a tight one: js = 0.0600 for these two Gaussians
    assert gap < 0.05  # sigma(D) follows p / (p + q) where both have mass


def test_fit_discriminator_separates_any_finite_sample():
    from gan_course.critics import fit_discriminator

    rng = np.random.default_rng(2)
    x_real, x_fake = rng.normal(0, 1, (64, 2)), rng.normal(0, 1, (64, 2))  # the same distribution
    D, losses = fit_discriminator(x_real, x_fake, steps=1500, batch_size=64, hidden=128, layers=3, lr=3e-3,
                                  device="cpu")
    with torch.no_grad():
        right = torch.cat([D(torch.as_tensor(x_real, dtype=torch.float32)) > 0,
                           D(torch.as_tensor(x_fake, dtype=torch.float32)) < 0])
        fresh = torch.as_tensor(rng.normal(0, 1, (4000, 2)), dtype=torch.float32)
        held_out = torch.nn.functional.softplus(D(fresh)).mean() + torch.nn.functional.softplus(-D(fresh)).mean()
    assert losses[0] > 1.3 and np.mean(losses[-50:]) < 0.2  # from 2 log 2 to memorized
    assert right.float().mean() >= 0.95  # (nearly) every training point on its side: the samples are told apart
    assert held_out > 2 * np.log(2)  # though the distributions are equal: worse than chance on fresh points


def test_fit_discriminator_rejects_bad_input():
    from gan_course.critics import fit_discriminator

    with pytest.raises(ValueError, match="same dimension"):
        fit_discriminator(np.zeros((5, 2)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="steps"):
        fit_discriminator(np.zeros((5, 2)), np.zeros((5, 2)), steps=0)
    with pytest.raises(ValueError, match="x_fake"):
        fit_discriminator(np.zeros((5, 2)), np.array([[np.nan, 0.0]]))


def test_each_bad_argument_is_named_and_the_smallest_counts_are_allowed():
    from gan_course.critics import fit_discriminator

    x, y = np.zeros((5, 2)), np.ones((5, 2))
    calls = {"train_critic": lambda **kw: train_critic(x, y, "gp", **kw), "fit_discriminator":
             lambda **kw: fit_discriminator(x, y, **kw)}
    for function, call in calls.items():
        bad = [("steps", 0), ("batch_size", 0)] + ([("clip", 0), ("gp_weight", 0)]
                                                   if function == "train_critic" else [("lr", 0)])
        for name, value in bad:
            with pytest.raises(ValueError, match=rf"^{name}={value} must be"):
                call(**{name: value})
        call(steps=1, batch_size=1)  # one step of one sample is the smallest run
    for function in (lambda a, b: train_critic(a, b, "gp"), fit_discriminator):
        for name, args in (("x_real", (np.array([[np.nan, 0.0]]), y)), ("x_fake", (x, np.array([[np.inf, 0.0]])))):
            with pytest.raises(ValueError, match=rf"^{name} "):
                function(*args)


def test_the_defaults_are_the_documented_settings(monkeypatch):
    """train_critic: batches of 256, lambda = 10, 64 hidden units, seed 0; fit_discriminator: batches of 256,
    Adam betas (0.5, 0.9), 256 x 3 hidden units, seed 0 -- each run equals one with them written out."""
    from gan_course.critics import fit_discriminator
    from gan_course.train import Trainer

    x, y = REAL[:300], FAKE[:300]
    default = train_critic(x, y, "gp", steps=3)
    assert default.estimates == train_critic(x, y, "gp", steps=3, batch_size=256, gp_weight=10.0, hidden=64,
                                             seed=0).estimates
    assert default.estimates != train_critic(x, y, "gp", steps=3, seed=1).estimates
    D, losses = fit_discriminator(x, y, steps=3)
    assert D(torch.zeros(4, 1)).shape == (4, 1)  # one logit per sample
    _, same = fit_discriminator(x, y, steps=3, batch_size=256, lr=1e-3, hidden=256, layers=3, seed=0)
    assert losses == same and losses != fit_discriminator(x, y, steps=3, seed=2)[1]
    assert fit_discriminator(x, y, steps=3, seed=2)[1] == fit_discriminator(x, y, steps=3, seed=2)[1]
    seen, original = [], Trainer.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        seen.append(self.settings)

    monkeypatch.setattr(Trainer, "__init__", spy)
    fit_discriminator(x, y, steps=1)
    assert seen[0].betas == (0.5, 0.9) and seen[0].batch_size == 256


def test_train_critic_wires_each_constraint_to_its_recipe_and_reports_its_estimates(monkeypatch):
    """Each constraint trains with its recipe's settings (batch, seed and learning rate replaced) and a
    Wasserstein loss with only its own constraint; the per-step estimates are E_p f - E_q f on the batch."""
    from gan_course.recipes import RECIPES
    from gan_course.train import Trainer

    seen, original = [], Trainer.__init__

    def spy(self, G, D, loss, *args, **kwargs):
        original(self, G, D, loss, *args, **kwargs)
        seen.append((self.settings, loss, D))

    monkeypatch.setattr(Trainer, "__init__", spy)
    x, y = REAL[:200], FAKE[:200]
    for constraint, recipe, gp, clip in (("clip", "wgan", 0.0, 0.02), ("gp", "wgan-gp", 5.0, None),
                                         ("sn", "hinge", 0.0, None)):
        fit = train_critic(x, y, constraint, steps=2, batch_size=16, lr=3e-4, clip=0.02, gp_weight=5.0, hidden=8,
                           seed=4, device="cpu")
        settings, loss, critic = seen[-1]
        assert settings == RECIPES[recipe].settings_with(batch_size=16, seed=4, lr_d=3e-4)
        assert (loss.gp_weight, loss.clip) == (gp, clip) and critic is fit.critic
        assert critic[0].out_features == 8 and len(fit.estimates) == 2
    default_lr = train_critic(x, y, "clip", steps=1)
    assert seen[-1][0].lr_d == RECIPES["wgan"].settings.lr_d and default_lr.critic is seen[-1][2]
    monkeypatch.undo()
    fit = train_critic(REAL[:500], FAKE[:500], "gp", steps=60, seed=0)
    assert fit.w1 > 0.5 and np.mean(fit.estimates[-20:]) == pytest.approx(fit.w1, rel=0.3)  # same sign, same size


def test_fit_discriminator_passes_its_seed(monkeypatch):
    from gan_course.critics import fit_discriminator
    from gan_course.train import Trainer

    seen, original = [], Trainer.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        seen.append(self.settings)

    monkeypatch.setattr(Trainer, "__init__", spy)
    fit_discriminator(REAL[:100], FAKE[:100], steps=1, seed=2, batch_size=32, device="cpu")
    assert seen[0].seed == 2 and seen[0].batch_size == 32
