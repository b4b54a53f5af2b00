import pytest
import torch

from gan_course.latents import ClassLabels, Gaussian, InfoCodes, as_sampler


def draw(sampler, n=4000, seed=0):
    return sampler.sample(n, torch.Generator().manual_seed(seed))


def test_gaussian_is_standard_normal_of_its_shape_and_has_no_condition():
    z, c = draw(Gaussian((3, 2)))
    assert z.shape == (4000, 3, 2) and c is None
    assert z.mean().item() == pytest.approx(0, abs=0.03) and z.std().item() == pytest.approx(1, abs=0.03)
    assert not Gaussian(5).feeds_d and Gaussian(5).condition_of(torch.tensor([1, 2])) is None
    assert torch.equal(draw(Gaussian(3), seed=1)[0], draw(Gaussian(3), seed=1)[0])
    assert isinstance(as_sampler(7), Gaussian) and as_sampler((1, 2)).shape == (1, 2)
    with pytest.raises(ValueError, match="latent="):
        as_sampler("gaussian")
    with pytest.raises(ValueError, match="shape=0"):
        Gaussian((2, 0))


def test_class_labels_are_uniform_one_hot_and_real_labels_map_to_the_same_code():
    sampler = ClassLabels(z_dim=8, n_classes=10)
    z, c = draw(sampler)
    assert z.shape == (4000, 8) and c.shape == (4000, 10) and sampler.feeds_d
    assert torch.equal(c.sum(1), torch.ones(4000)) and set(c.unique().tolist()) == {0.0, 1.0}
    shares = c.mean(0)
    assert shares.min().item() > 0.08 and shares.max().item() < 0.12  # 400 per class, +-3 sd is about 0.015
    y = torch.tensor([3, 0, 9])
    assert torch.equal(sampler.condition_of(y).argmax(1), y)
    with pytest.raises(ValueError, match="labelled data"):
        sampler.condition_of(None)
    with pytest.raises(ValueError, match="n_classes=1"):
        ClassLabels(8, 1)


def test_info_codes_are_one_categorical_and_uniform_continuous_codes_that_split_back():
    codes = InfoCodes(z_dim=62, n_cat=10, n_cont=2)
    z, c = draw(codes)
    assert z.shape == (4000, 62) and c.shape == (4000, 12) and not codes.feeds_d
    cat, cont = codes.split(c)
    assert torch.equal(torch.nn.functional.one_hot(cat, 10).float(), c[:, :10])
    assert cont.min().item() >= -1 and cont.max().item() <= 1
    assert cont.mean().item() == pytest.approx(0, abs=0.03)
    assert cont.var().item() == pytest.approx(1 / 3, abs=0.02)  # the variance of U(-1, 1)
    assert codes.condition_of(torch.tensor([1])) is None  # D never sees the codes


def test_info_codes_for_given_categories_draw_z_then_the_continuous_codes():
    codes = InfoCodes(z_dim=5, n_cat=4, n_cont=2)
    cats = torch.tensor([3, 0, 1, 1, 2])
    z, c = codes.with_categories(cats, torch.Generator().manual_seed(1))
    g = torch.Generator().manual_seed(1)  # the order the shipped records were evaluated with
    assert torch.equal(z, torch.randn(5, 5, generator=g))
    assert torch.equal(c[:, 4:], torch.rand(5, 2, generator=g) * 2 - 1)
    assert torch.equal(codes.split(c)[0], cats) and torch.equal(c[:, :4].sum(1), torch.ones(5))
    for bad in (torch.tensor([4]), torch.tensor([-1]), torch.tensor([0.5]), torch.zeros(2, 2, dtype=torch.long),
                torch.tensor([], dtype=torch.long)):
        with pytest.raises(ValueError, match="categories"):
            codes.with_categories(bad)


def test_lerp_and_slerp_against_their_formulas_and_the_shell():
    from gan_course.latents import lerp, slerp

    g = torch.Generator().manual_seed(0)
    z0, z1 = torch.randn(64, generator=g), torch.randn(64, generator=g)
    t = torch.linspace(0, 1, 11)
    for path in (lerp, slerp):
        ends = path(z0, z1, [0.0, 1.0])
        assert torch.allclose(ends[0], z0, atol=1e-6) and torch.allclose(ends[1], z1, atol=1e-6)
    assert torch.allclose(lerp(z0, z1, t), z0 + t[:, None] * (z1 - z0), atol=1e-6)
    # slerp by hand in float64: the rotation of z0 towards z1 in their plane
    a, b = z0.double(), z1.double()
    theta = torch.arccos(a @ b / (a.norm() * b.norm()))
    by_hand = (torch.sin((1 - t.double())[:, None] * theta) * a + torch.sin(t.double()[:, None] * theta) * b) / torch.sin(theta)
    assert torch.allclose(slerp(z0, z1, t).double(), by_hand, atol=1e-5)
    # ends of one norm: slerp keeps it at every t, at constant angular speed; lerp cuts inside
    z1r = z1 * z0.norm() / z1.norm()
    norms = slerp(z0, z1r, t).norm(dim=1)
    assert torch.allclose(norms, torch.full_like(norms, z0.norm().item()), rtol=1e-5)
    steps = slerp(z0, z1r, t).diff(dim=0).norm(dim=1)
    assert torch.allclose(steps, steps.mean().expand_as(steps), rtol=1e-4)
    assert lerp(z0, z1r, [0.5]).norm() < 0.8 * z0.norm()  # near-orthogonal ends: the middle is about 1/sqrt(2) as long
    # parallel ends fall back to the straight line
    assert torch.allclose(slerp(z0, 2 * z0, t), lerp(z0, 2 * z0, t), atol=1e-5)
    with pytest.raises(ValueError, match="z0 and z1"):
        slerp(z0, z1[:3], t)
    with pytest.raises(ValueError, match="z0 and z1"):
        lerp(z0[None], z1[None], t)
