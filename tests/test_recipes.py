import pytest

from gan_course import losses
from gan_course.latents import ClassLabels, Gaussian, InfoCodes
from gan_course.recipes import RECIPES


def test_paper_settings_are_the_papers():
    wgan, gp, dcgan, info = RECIPES["wgan"], RECIPES["wgan-gp"], RECIPES["dcgan"], RECIPES["infogan"]
    assert (wgan.settings.optimizer, wgan.settings.lr_d, wgan.settings.d_steps) == ("rmsprop", 5e-5, 5)
    assert wgan.make_loss().clip == 0.01 and wgan.make_loss().gp_weight == 0
    assert (gp.settings.lr_d, gp.settings.betas, gp.settings.d_steps, gp.make_loss().gp_weight) == (1e-4, (0.0, 0.9), 5, 10)
    assert (dcgan.settings.lr_g, dcgan.settings.betas, dcgan.settings.batch_size) == (2e-4, (0.5, 0.999), 128)
    assert (info.settings.lr_g, info.settings.lr_d, info.settings.betas, info.settings.batch_size) == (
        1e-3, 2e-4, (0.5, 0.999), 128)
    assert (wgan.settings.batch_size, gp.settings.batch_size) == (64, 64)
    sn = RECIPES["wgan-sn"]  # Miyato et al.'s setting A; the Lipschitz bound lives in the critic, not the loss
    assert (sn.settings.lr_d, sn.settings.betas, sn.settings.d_steps) == (1e-4, (0.5, 0.9), 5)
    assert (sn.make_loss().gp_weight, sn.make_loss().clip) == (0, None)
    for name in ("hinge", "cgan", "lsgan", "lsgan-pearson", "non-saturating", "minimax"):  # DCGAN's Adam settings
        s = RECIPES[name].settings
        assert (s.optimizer, s.lr_g, s.lr_d, s.betas, s.d_steps) == ("adam", 2e-4, 2e-4, (0.5, 0.999), 1), name
    ls, pearson = RECIPES["lsgan"].make_loss(), RECIPES["lsgan-pearson"].make_loss()
    assert (ls.a, ls.b, ls.c) == (0, 1, 1) and (pearson.a, pearson.b, pearson.c) == (-1, 1, 0)
    assert isinstance(RECIPES["hinge"].make_loss(), losses.Hinge)
    assert type(RECIPES["minimax"].make_loss()) is losses.Minimax


def test_every_recipe_cites_its_paper_and_names_its_latent():
    for name, recipe in RECIPES.items():
        assert recipe.name == name and any(str(year) in recipe.citation for year in range(2014, 2019)), name
    assert isinstance(RECIPES["dcgan"].make_latent(), Gaussian) and RECIPES["dcgan"].make_latent().shape == (100,)
    codes = RECIPES["infogan"].make_latent()
    assert isinstance(codes, InfoCodes) and (codes.shape, codes.n_cat, codes.n_cont) == ((62,), 10, 2)
    assert isinstance(RECIPES["cgan"].make_latent(z_dim=16), ClassLabels)


def test_settings_with_changes_a_copy_and_checks_it():
    recipe = RECIPES["wgan-gp"]
    changed = recipe.settings_with(batch_size=32, seed=4)
    assert (changed.batch_size, changed.seed, changed.lr_d) == (32, 4, 1e-4)
    assert recipe.settings.batch_size == 64
    with pytest.raises(ValueError, match="batch_size=0"):
        recipe.settings_with(batch_size=0)
