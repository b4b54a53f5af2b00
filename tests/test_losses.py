import pytest
import torch

from gan_course.losses import gradient_penalty


def test_penalty_of_a_linear_critic_is_exact():
    """f(x) = <w, x> has gradient w everywhere, so the penalty is (||w|| - 1)^2, over all non-batch dims."""
    torch.manual_seed(0)
    w = torch.randn(1, 3, 4, 4)
    critic = lambda x: (x * w).flatten(1).sum(1)  # noqa: E731
    x_real, x_fake = torch.randn(8, 3, 4, 4), torch.randn(8, 3, 4, 4)
    expected = (w.norm() - 1) ** 2
    assert gradient_penalty(critic, x_real, x_fake).item() == pytest.approx(expected.item(), rel=1e-5)


def test_penalty_of_a_norm_critic_and_one_alpha_per_sample():
    """f(x) = c ||x|| has gradient norm c everywhere (x != 0): penalty (c - 1)^2; f(x) = ||x||^2 / 2
    has gradient x_hat, whose norm depends on each sample's alpha, drawn from the generator."""
    x_real, x_fake = torch.randn(16, 2), torch.randn(16, 2) + 5
    assert gradient_penalty(lambda x: 3 * x.norm(dim=1), x_real, x_fake).item() == pytest.approx(4.0, rel=1e-5)
    gen = torch.Generator().manual_seed(7)
    got = gradient_penalty(lambda x: 0.5 * (x**2).sum(1), x_real, x_fake, generator=gen)
    alpha = torch.rand(16, 1, generator=torch.Generator().manual_seed(7))
    x_hat = alpha * x_real + (1 - alpha) * x_fake
    assert got.item() == pytest.approx(((x_hat.norm(dim=1) - 1) ** 2).mean().item(), rel=1e-5)


def test_penalty_flows_to_the_critic_not_to_the_fake_batch():
    critic = torch.nn.Linear(2, 1)
    x_fake = torch.randn(4, 2, requires_grad=True)
    gradient_penalty(critic, torch.randn(4, 2), x_fake).backward()
    assert critic.weight.grad is not None and critic.weight.grad.abs().sum() > 0
    assert x_fake.grad is None
    with pytest.raises(ValueError, match="same shape"):
        gradient_penalty(critic, torch.randn(4, 2), torch.randn(3, 2))


import math  # noqa: E402

from gan_course.losses import Hinge, LeastSquares, Minimax, NonSaturating, Wasserstein  # noqa: E402
from gan_course.recipes import RECIPES  # noqa: E402

LOGIT_REAL = torch.tensor([[2.0], [-1.0], [0.5]])
LOGIT_FAKE = torch.tensor([[-3.0], [1.0], [0.0]])


def identity(x):
    return x


def mean(values):
    return sum(values) / len(values)


def test_minimax_and_non_saturating_by_hand():
    sig = lambda t: 1 / (1 + math.exp(-t))  # noqa: E731
    r, f = LOGIT_REAL.ravel().tolist(), LOGIT_FAKE.ravel().tolist()
    d = Minimax().d_terms(LOGIT_REAL, LOGIT_FAKE)
    assert d["real"].item() == pytest.approx(-mean([math.log(sig(t)) for t in r]))
    assert d["fake"].item() == pytest.approx(-mean([math.log(1 - sig(t)) for t in f]))
    assert Minimax().g_terms(LOGIT_FAKE)["fake"].item() == pytest.approx(mean([math.log(1 - sig(t)) for t in f]))
    assert NonSaturating().g_terms(LOGIT_FAKE)["fake"].item() == pytest.approx(-mean([math.log(sig(t)) for t in f]))
    # the discriminator side is the same binary cross-entropy torch computes
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    assert (d["real"] + d["fake"]).item() == pytest.approx(
        (bce(LOGIT_REAL, torch.ones(3, 1)) + bce(LOGIT_FAKE, torch.zeros(3, 1))).item())


def test_least_squares_and_hinge_by_hand():
    r, f = LOGIT_REAL.ravel().tolist(), LOGIT_FAKE.ravel().tolist()
    d = LeastSquares().d_terms(LOGIT_REAL, LOGIT_FAKE)
    assert d["real"].item() == pytest.approx(0.5 * mean([(t - 1) ** 2 for t in r]))
    assert d["fake"].item() == pytest.approx(0.5 * mean([t**2 for t in f]))
    assert LeastSquares().g_terms(LOGIT_FAKE)["fake"].item() == pytest.approx(0.5 * mean([(t - 1) ** 2 for t in f]))
    sym = LeastSquares(a=-1, b=1, c=0)
    assert sym.d_terms(LOGIT_REAL, LOGIT_FAKE)["fake"].item() == pytest.approx(0.5 * mean([(t + 1) ** 2 for t in f]))
    assert sym.g_terms(LOGIT_FAKE)["fake"].item() == pytest.approx(0.5 * mean([t**2 for t in f]))
    h = Hinge().d_terms(LOGIT_REAL, LOGIT_FAKE)
    assert h["real"].item() == pytest.approx(mean([max(0, 1 - t) for t in r]))
    assert h["fake"].item() == pytest.approx(mean([max(0, 1 + t) for t in f]))
    assert Hinge().g_terms(LOGIT_FAKE)["fake"].item() == pytest.approx(-mean(f))


def test_wasserstein_terms_penalty_and_clipping():
    d = Wasserstein().d_terms(LOGIT_REAL, LOGIT_FAKE)
    assert (d["real"] + d["fake"]).item() == pytest.approx(-(mean([2.0, -1.0, 0.5]) - mean([-3.0, 1.0, 0.0])))
    assert Wasserstein().penalty(identity, LOGIT_REAL, LOGIT_FAKE) is None
    critic = lambda x: 3 * x.norm(dim=1)  # noqa: E731  gradient norm 3 everywhere: penalty 10 * (3 - 1)^2
    gp = Wasserstein(gp_weight=10).penalty(critic, torch.randn(5, 2), torch.randn(5, 2) + 4)
    assert gp.item() == pytest.approx(40.0, rel=1e-5)
    net = torch.nn.Linear(4, 1)
    with torch.no_grad():
        net.weight.copy_(torch.tensor([[0.5, -0.5, 0.003, -0.002]]))
    Wasserstein(clip=0.01).after_d_step(net)
    assert net.weight.tolist() == [[pytest.approx(0.01), pytest.approx(-0.01), pytest.approx(0.003), pytest.approx(-0.002)]]
    assert Wasserstein().g_terms(LOGIT_FAKE)["fake"].item() == pytest.approx(-mean([-3.0, 1.0, 0.0]))
    with pytest.raises(ValueError, match="gp_weight=-1"):
        Wasserstein(gp_weight=-1)
    with pytest.raises(ValueError, match="clip=0"):
        Wasserstein(clip=0)


def test_every_recipe_loss_builds_and_runs():
    for name, recipe in RECIPES.items():
        if name == "infogan":  # needs a Q head: tests/test_train.py
            continue
        loss = recipe.make_loss()
        D = torch.nn.Linear(2, 1)
        x_real, x_fake = torch.randn(4, 2), torch.randn(4, 2)
        terms = loss.d_terms(D(x_real), D(x_fake))
        assert set(terms) == {"real", "fake"} and all(t.dim() == 0 for t in terms.values())
        penalty = loss.penalty(D, x_real, x_fake)
        assert (penalty is not None) == (name == "wgan-gp")
        assert set(loss.g_terms(D(x_fake))) == {"fake"}


def test_infogan_code_terms_are_the_cross_entropy_of_q_by_hand():
    from gan_course.latents import InfoCodes
    from gan_course.losses import InfoGAN

    codes = InfoCodes(z_dim=2, n_cat=3, n_cont=2)
    c = torch.tensor([[0.0, 1.0, 0.0, 0.5, -0.5], [1.0, 0.0, 0.0, -1.0, 0.25]])
    read = torch.tensor([[0.2, 1.5, -0.3, 0.4, 0.0], [2.0, 0.1, 0.0, -0.5, 0.25]])  # Q's output: 3 logits, 2 means
    loss = InfoGAN(NonSaturating(), torch.nn.Identity(), codes, weight=2.0)
    terms = loss.code_terms(read, c)
    log_softmax = [[x - math.log(sum(math.exp(v) for v in row[:3])) for x in row[:3]] for row in read.tolist()]
    cat_ce = -(log_softmax[0][1] + log_softmax[1][0]) / 2
    cont_nll = sum(0.5 * (ci - mi) ** 2 + 0.5 * math.log(2 * math.pi)
                   for crow, mrow in zip(c[:, 3:].tolist(), read[:, 3:].tolist()) for ci, mi in zip(crow, mrow)) / 2
    assert terms["info_cat"].item() == pytest.approx(2.0 * cat_ce, rel=1e-6)
    assert terms["info_cont"].item() == pytest.approx(2.0 * cont_nll, rel=1e-6)
    # a Q that reads the category perfectly drives its term to 0; the bound L_I = H(c) - CE reaches ln 3
    perfect = loss.code_terms(torch.cat([c[:, :3] * 50, c[:, 3:]], dim=1), c)
    assert perfect["info_cat"].item() == pytest.approx(0, abs=1e-6)
    assert loss.d_terms(LOGIT_REAL, LOGIT_FAKE)["fake"].item() == NonSaturating().d_terms(LOGIT_REAL, LOGIT_FAKE)["fake"].item()
    with pytest.raises(ValueError, match="^InfoGAN needs D to return \\(output, features\\)"):
        loss.code_terms(None, c)
    # the paper's lambda = 1 by default: the terms are the plain cross-entropy and Gaussian NLL
    plain = InfoGAN(NonSaturating(), torch.nn.Identity(), codes).code_terms(read, c)
    assert plain["info_cat"].item() == pytest.approx(cat_ce, rel=1e-6)
    with pytest.raises(ValueError, match="weight=0"):
        InfoGAN(NonSaturating(), torch.nn.Identity(), codes, weight=0)


@pytest.mark.parametrize("kwargs, match", [({"a": float("nan")}, "a=nan"), ({"c": "1"}, "c='1'"),
                                           ({"a": 1.0, "b": 1.0}, "must differ")])
def test_least_squares_refuses_targets_that_make_no_game(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LeastSquares(**kwargs)
    with pytest.raises(ValueError, match="gp_weight=nan"):
        Wasserstein(gp_weight=float("nan"))


def test_infogan_hands_penalty_and_clipping_to_its_base():
    """InfoGAN on a WGAN base: the same gradient penalty (same alpha draws) and the same clipping."""
    from gan_course.latents import InfoCodes
    from gan_course.losses import InfoGAN

    codes = InfoCodes(z_dim=2, n_cat=3, n_cont=0)
    critic = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    x_real, x_fake = torch.randn(6, 2), torch.randn(6, 2) + 3
    info = InfoGAN(Wasserstein(gp_weight=10), torch.nn.Identity(), codes)
    got = info.penalty(critic, x_real, x_fake, torch.Generator().manual_seed(3))
    want = Wasserstein(gp_weight=10).penalty(critic, x_real, x_fake, torch.Generator().manual_seed(3))
    other_draw = Wasserstein(gp_weight=10).penalty(critic, x_real, x_fake, torch.Generator().manual_seed(4))
    assert got.item() == want.item() != other_draw.item()
    assert InfoGAN(NonSaturating(), torch.nn.Identity(), codes).penalty(critic, x_real, x_fake) is None
    net = torch.nn.Linear(3, 1)
    with torch.no_grad():
        net.weight.fill_(-0.5)
    InfoGAN(Wasserstein(clip=0.02), torch.nn.Identity(), codes).after_d_step(net)
    assert net.weight.min().item() == pytest.approx(-0.02)


def test_penalty_draws_alpha_in_the_batch_dtype():
    """In float64 the interpolation weights are float64 draws of the generator, as by hand."""
    x_real, x_fake = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 3, dtype=torch.float64) + 2
    critic = lambda x: 0.5 * (x**2).sum(1)  # noqa: E731  gradient x_hat
    got = gradient_penalty(critic, x_real, x_fake, generator=torch.Generator().manual_seed(1))
    alpha = torch.rand(5, 1, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    x_hat = alpha * x_real + (1 - alpha) * x_fake
    assert got.dtype == torch.float64
    assert got.item() == pytest.approx(((x_hat.norm(dim=1) - 1) ** 2).mean().item(), rel=1e-12)
