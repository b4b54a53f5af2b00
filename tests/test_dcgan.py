import pytest
import torch
from torch import nn

from gan_course.models import build
from gan_course.models.dcgan import Discriminator, Generator, QHead


def test_shapes_through_the_networks():
    G, D = Generator(z_dim=10, width=8), Discriminator(width=8)
    x = G(torch.randn(5, 10))
    assert x.shape == (5, 1, 28, 28) and x.min() >= -1 and x.max() <= 1  # tanh output
    assert D(x).shape == (5, 1)
    out, h = Discriminator(width=8, features=True)(x)
    assert out.shape == (5, 1) and h.shape == (5, 2 * 8 * 7 * 7)


def test_the_dcgan_guidelines_hold():
    G, D = Generator(width=8), Discriminator(width=8)
    layers = [m for m in list(G.modules()) + list(D.modules())]
    assert not any(isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)) for m in layers)  # strided convolutions, no pooling
    g_layers = list(G.net)
    assert isinstance(g_layers[-1], nn.Tanh) and not isinstance(g_layers[-2], nn.BatchNorm2d)  # no BN at G's output
    assert isinstance(D.trunk[1], nn.LeakyReLU) and D.trunk[1].negative_slope == 0.2  # no BN on D's input layer
    assert sum(isinstance(m, nn.ReLU) for m in G.modules()) == 2
    # weights ~ N(0, 0.02): 2w*7*7 ... thousands of draws, so the sample std is within a few percent
    w = torch.cat([m.weight.flatten() for m in layers if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))])
    assert w.std().item() == pytest.approx(0.02, rel=0.05) and abs(w.mean().item()) < 1e-3
    bn = torch.cat([m.weight for m in layers if isinstance(m, nn.BatchNorm2d)])
    assert bn.mean().item() == pytest.approx(1.0, abs=0.01)


def test_a_seed_fixes_the_weights_and_none_follows_the_global_generator():
    a, b, c = Generator(width=4, seed=1), Generator(width=4, seed=1), Generator(width=4, seed=2)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.net[0].weight, c.net[0].weight)
    torch.manual_seed(1)
    assert torch.equal(Generator(width=4).net[0].weight, a.net[0].weight)


def test_conditions_reach_g_and_the_projection_of_d():
    G = Generator(z_dim=4, width=4, cond_dim=3).eval()
    z = torch.randn(2, 4)
    c1, c2 = torch.eye(3)[[0, 0]], torch.eye(3)[[0, 1]]
    x1, x2 = G(z, c1), G(z, c2)
    assert torch.equal(x1[0], x2[0]) and not torch.equal(x1[1], x2[1])  # the condition changes the image
    D = Discriminator(width=4, cond_dim=3, norm="none").eval()
    x = torch.randn(2, 1, 28, 28)
    h = D.trunk(x)
    by_hand = D.head(h) + (h * D.embed.weight[:, [0, 1]].T).sum(1, keepdim=True)  # <E y, h> for y = 0, 1
    torch.testing.assert_close(D(x, c2), by_hand)
    with pytest.raises(ValueError, match="cond_dim=3"):
        D(x)
    with pytest.raises(ValueError, match="cond_dim=0"):
        Discriminator(width=4)(x, c2)
    with pytest.raises(ValueError, match="norm='group'"):
        Discriminator(norm="group")


def test_layer_norm_keeps_samples_independent_and_spectral_norm_bounds_the_layers():
    """A WGAN-GP critic must score each sample on its own: with batch norm in train mode a sample's
    score depends on the rest of the batch; with layer norm it does not."""
    x = torch.randn(6, 1, 28, 28)
    for norm, independent in (("batch", False), ("layer", True)):
        D = Discriminator(width=4, norm=norm).train()
        alone = D(x[:1])
        assert torch.allclose(D(x)[:1], alone, atol=1e-6) == independent, norm
    D = Discriminator(width=4, norm="none", spectral_norm=True).eval()  # as built: no training forward yet
    for layer in (D.trunk[0], D.trunk[2]):  # the convolutions' weights, flattened as spectral norm sees them
        assert torch.linalg.matrix_norm(layer.weight.flatten(1), ord=2).item() == pytest.approx(1.0, rel=0.05)
    assert torch.linalg.matrix_norm(D.head.weight, ord=2).item() == pytest.approx(1.0, rel=0.05)


def test_q_head_and_build_by_family():
    q = QHead(in_features=20, n_out=12)
    assert q(torch.randn(4, 20)).shape == (4, 12)
    pair = build({"family": "pair", "config": {"G": {"family": "dcgan-g", "config": {"width": 4}},
                                               "D": {"family": "dcgan-d", "config": {"width": 4}}}})
    assert pair["D"](pair["G"](torch.randn(3, 100))).shape == (3, 1)


def test_the_classic_64x64_generator_walks_through_the_shapes_of_the_paper():
    from gan_course.models.dcgan import classic_generator, shape_walk

    walk = shape_walk(classic_generator().eval(), torch.randn(2, 100, 1, 1))
    convs = [shape for layer, shape in walk if layer == "ConvTranspose2d"]
    assert walk[0] == ("input", (100, 1, 1)) and walk[-1] == ("Tanh", (3, 64, 64))
    assert convs == [(1024, 4, 4), (512, 8, 8), (256, 16, 16), (128, 32, 32), (3, 64, 64)]
    assert [layer for layer, _ in walk].count("BatchNorm2d") == 4  # none on the output layer
    with pytest.raises(ValueError, match="net must be an nn.Sequential"):
        shape_walk(torch.nn.Linear(2, 2), torch.randn(1, 2))
