import pytest
import torch

from gan_course.losses import Wasserstein
from gan_course.models import build
from gan_course.models.mlp import mlp, packed
from gan_course.train import Trainer, TrainSettings


def test_packed_discriminator_sees_consecutive_samples_side_by_side():
    torch.manual_seed(0)
    inner = mlp(6, 1, hidden=8)
    D = packed(inner, 3)
    x = torch.randn(12, 2)
    out = D(x)
    assert out.shape == (4, 1)
    by_hand = inner(torch.cat([x[0::3], x[1::3], x[2::3]], dim=1))  # pack i = rows 3i, 3i+1, 3i+2
    torch.testing.assert_close(out, by_hand)
    assert set(dict(D.named_parameters())) == {f"D.{k}" for k in dict(inner.named_parameters())}
    with pytest.raises(ValueError, match="m=3"):
        D(torch.randn(10, 2))
    with pytest.raises(ValueError, match="m=0"):
        packed(inner, 0)


def test_a_packed_critic_trains_with_the_gradient_penalty():
    torch.manual_seed(0)
    G, D = mlp(2, 2, hidden=8), packed(mlp(4, 1, hidden=8), 2)
    trainer = Trainer(G, D, Wasserstein(gp_weight=1), torch.randn(64, 2), 2, TrainSettings(batch_size=16),
                      device="cpu")
    trainer.run(3, progress=False)
    assert len(trainer.history["d_loss_penalty"]) == 3 and trainer.history["d_loss_penalty"][-1] > 0


def test_a_seed_builds_what_manual_seed_builds_and_leaves_the_global_generator_alone():
    torch.manual_seed(7)
    built = mlp(3, 2, hidden=5, spectral_norm=True, seed=123)
    after = torch.rand(3)
    torch.manual_seed(7)
    assert torch.equal(torch.rand(3), after)  # building with a seed did not move torch's generator
    # mlp(seed=s) equals torch.manual_seed(s) followed by the same layers (spectral norm's vectors included)
    torch.manual_seed(123)
    from torch.nn.utils.parametrizations import spectral_norm as sn
    layers = [sn(torch.nn.Linear(3, 5)), sn(torch.nn.Linear(5, 5)), sn(torch.nn.Linear(5, 2))]
    for a, b in zip(built.state_dict().values(), torch.nn.Sequential(
            layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2]).state_dict().values()):
        assert torch.equal(a, b)


def test_one_generator_gives_two_networks_different_weights_reproducibly():
    def pair():
        gen = torch.Generator().manual_seed(0)
        return mlp(2, 2, hidden=4, seed=gen), mlp(2, 2, hidden=4, seed=gen)

    (g1, d1), (g2, d2) = pair(), pair()
    assert torch.equal(g1[0].weight, g2[0].weight) and torch.equal(d1[0].weight, d2[0].weight)
    assert not torch.equal(g1[0].weight, d1[0].weight)
    assert torch.equal(g1[0].weight, mlp(2, 2, hidden=4, seed=0)[0].weight)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0"])
def test_bad_seeds_are_named(seed):
    with pytest.raises(ValueError, match="seed="):
        mlp(2, 2, seed=seed)


def test_build_makes_a_family_or_a_pair_and_names_unknown_families():
    net = build({"family": "mlp", "config": {"in_dim": 2, "out_dim": 1, "hidden": 3}})
    assert [p.shape for p in net.parameters()] == [(3, 2), (3,), (3, 3), (3,), (1, 3), (1,)]
    pair = build({"family": "pair", "config": {"G": {"family": "mlp", "config": {"in_dim": 2, "out_dim": 2}},
                                               "D": {"family": "mlp", "config": {"in_dim": 2, "out_dim": 1}}}})
    assert set(pair) == {"G", "D"} and pair["D"](torch.zeros(4, 2)).shape == (4, 1)
    with pytest.raises(ValueError, match="family='gpt'"):
        build({"family": "gpt", "config": {}})
    with pytest.raises(ValueError, match="spec="):
        build({"config": {}})


def test_seeded_puts_the_global_generator_back_even_when_the_block_fails():
    from gan_course.models import seeded

    torch.manual_seed(3)
    expected = torch.rand(2)
    torch.manual_seed(3)
    with pytest.raises(RuntimeError, match="inside"):
        with seeded(11):
            torch.rand(5)
            raise RuntimeError("inside")
    assert torch.equal(torch.rand(2), expected)
