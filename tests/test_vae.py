import math
import re
from functools import partial

import pytest
import torch
import torch.nn.functional as F

import gan_course.__main__ as cli
from gan_course.checkpoints import pretrained, read_manifest, zoo
from gan_course.data import load_mnist, train_heldout_split
from gan_course.elbo import elbo_terms, evaluate, gaussian_kl, train_vae
from gan_course.models.vae import VAE, reparameterize


@pytest.fixture(scope="module")
def mnist():
    x, y = load_mnist("subset", value_range=(0, 1))
    return train_heldout_split(x, y, seed=0)


def test_gaussian_kl_matches_torch_and_a_monte_carlo_estimate():
    gen = torch.Generator().manual_seed(0)
    mu, logvar = torch.randn(4, 3, generator=gen), torch.randn(4, 3, generator=gen)
    q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
    p = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
    closed = gaussian_kl(mu, logvar)
    torch.testing.assert_close(closed, torch.distributions.kl_divergence(q, p).sum(1))
    z = q.sample((200_000,))  # KL = E_q[log q(z) - log p(z)]
    mc = (q.log_prob(z) - p.log_prob(z)).sum(-1).mean(0)
    torch.testing.assert_close(mc, closed, rtol=0.02, atol=0.01)
    assert torch.all(gaussian_kl(torch.zeros(2, 5), torch.zeros(2, 5)) == 0)


def test_gradients_flow_through_the_reparameterized_sample_to_the_encoder():
    mu = torch.tensor([0.5, -1.0], requires_grad=True)
    logvar = torch.tensor([0.2, -0.4], requires_grad=True)
    z = reparameterize(mu, logvar, torch.Generator().manual_seed(0))
    z.pow(2).sum().backward()
    eps = (z - mu) / torch.exp(0.5 * logvar)  # d(z^2)/dmu = 2z, d(z^2)/dlogvar = 2z * eps * sigma / 2
    torch.testing.assert_close(mu.grad, 2 * z.detach())
    torch.testing.assert_close(logvar.grad, (z * eps * torch.exp(0.5 * logvar)).detach())
    # in the VAE: the reconstruction term alone (beta = 0) trains the encoder's mean and variance heads, which
    # it reaches only through the sampled z (decoding mu, or a plain draw of z, would leave them without a gradient)
    model = VAE(latent_dim=3, hidden=16, seed=0)
    elbo_terms(model, torch.rand(5, 1, 28, 28, generator=torch.Generator().manual_seed(1)), beta=0,
               generator=torch.Generator().manual_seed(2))["loss"].backward()
    for head in (model.enc_mu, model.enc_logvar, model.enc):
        assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in head.parameters())


def test_reparameterized_samples_have_the_right_moments():
    mu, logvar = torch.full((100_000, 1), 2.0), torch.full((100_000, 1), math.log(0.25))
    z = reparameterize(mu, logvar, torch.Generator().manual_seed(1))
    assert abs(z.mean().item() - 2.0) < 0.01 and abs(z.std().item() - 0.5) < 0.01


def test_elbo_terms_match_a_hand_computation():
    torch.manual_seed(0)
    model = VAE(latent_dim=3, hidden=16)
    x = torch.rand(5, 1, 28, 28)
    terms = elbo_terms(model, x, beta=0.5, generator=torch.Generator().manual_seed(7))
    logits, mu, logvar = model(x, torch.Generator().manual_seed(7))
    p = torch.sigmoid(logits)
    flat = x.reshape(5, -1)
    recon = -(flat * torch.log(p) + (1 - flat) * torch.log(1 - p)).sum(1).mean()
    kl = (0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).sum(1)).mean()
    torch.testing.assert_close(terms["recon"], recon)
    torch.testing.assert_close(terms["kl"], kl)
    torch.testing.assert_close(terms["loss"], recon + 0.5 * kl)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="latent_dim"):
        VAE(latent_dim=0)
    with pytest.raises(ValueError, match="784 pixels"):
        VAE().encode(torch.rand(2, 100))
    with pytest.raises(ValueError, match=r"^beta=-1 must be a finite number >= 0"):
        elbo_terms(VAE(2), torch.rand(2, 784), beta=-1)
    with pytest.raises(ValueError, match=r"^beta=-1 must be a finite number >= 0"):
        train_vae(VAE(2), torch.rand(4, 784), beta=-1, epochs=1, progress=False)
    message = r"^x_train must be pixels in \[0, 1\] \(at least one image\); load MNIST with value_range=\(0, 1\)$"
    for bad in (torch.rand(4, 784) * 2 - 1, torch.rand(4, 784) + 0.5, torch.rand(0, 784)):
        with pytest.raises(ValueError, match=message):
            train_vae(VAE(2), bad, epochs=1, device="cpu", progress=False)
    with pytest.raises(ValueError, match="epochs"):
        train_vae(VAE(2), torch.rand(4, 784), epochs=-1, device="cpu", progress=False)


def test_training_lowers_the_heldout_bound_and_is_reproducible(mnist):
    x_train, _, x_held, _ = mnist
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = VAE(latent_dim=4)
        before = evaluate(model, x_held)["neg_elbo"]
        runs.append(train_vae(model, x_train[:1000], epochs=3, seed=0, x_heldout=x_held, device="cpu", progress=False))
    assert runs[0] == runs[1]
    assert before > 500 and runs[0]["heldout"][-1] < 250 and runs[0]["heldout"][-1] < runs[0]["heldout"][0]
    assert runs[0]["loss"] == pytest.approx([r + k for r, k in zip(runs[0]["recon"], runs[0]["kl"])])


def test_train_vae_is_fit_on_the_elbo_with_its_settings(capsys):
    """train_vae = fit(model, elbo_terms(beta), ...) with every setting passed on: beta = 0 is allowed
    (a plain autoencoder with a noisy code), one image is enough, float64 pixels are converted, the
    held-out figure is evaluate()'s with the run's seed, the default seed is 0, and the bar says what trains."""
    from gan_course.fit import fit

    x = torch.rand(6, 1, 28, 28, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    x_held = torch.rand(3, 1, 28, 28, generator=torch.Generator().manual_seed(1))

    def run(train, **kwargs):
        torch.manual_seed(0)
        model = VAE(latent_dim=2, hidden=8)
        return model, train(model, **kwargs)

    settings = dict(epochs=2, batch_size=4, lr=0.01, seed=3, device="cpu", progress=False)
    model, got = run(train_vae, x_train=x, beta=0.0, x_heldout=x_held, **settings)
    heldout = lambda m: evaluate(m, x_held, seed=3)["neg_elbo"]  # noqa: E731
    _, want = run(fit, objective=partial(elbo_terms, beta=0.0), data=x.float(), heldout=heldout, **settings)
    assert got == want and got["heldout"][-1] == evaluate(model, x_held, seed=3)["neg_elbo"]
    assert got["loss"] == got["recon"]  # beta = 0: the KL is left out of the loss
    _, default = run(train_vae, x_train=x[:1], epochs=1, progress=False)
    _, seed0 = run(train_vae, x_train=x[:1], epochs=1, seed=0, progress=False)
    _, seed1 = run(train_vae, x_train=x[:1], epochs=1, seed=1, progress=False)
    assert default == seed0 != seed1
    assert capsys.readouterr().err == ""  # progress=False: no bar
    run(train_vae, x_train=x[:1], epochs=1)
    assert re.search(r"(^|\r)training the VAE: ", capsys.readouterr().err)
    # the default batch is 100 images: 101 images make two batches, not one
    x101 = torch.rand(101, 1, 28, 28, generator=torch.Generator().manual_seed(2))
    _, got = run(train_vae, x_train=x101, epochs=1, progress=False)
    _, want = run(fit, objective=partial(elbo_terms, beta=1.0), data=x101, epochs=1, batch_size=100, progress=False)
    _, one_batch = run(fit, objective=partial(elbo_terms, beta=1.0), data=x101, epochs=1, batch_size=101,
                       progress=False)
    assert got == want != one_batch


@pytest.mark.parametrize("name, latent_dim, goal", [("vae-z2", 2, 165), ("vae-z20", 20, 130)])
def test_shipped_checkpoints_load_and_score_as_the_manifest_says(mnist, name, latent_dim, goal):
    entry = read_manifest()[name]
    assert entry["command"] == f"python -m gan_course reproduce {name}"
    model = pretrained(name)
    assert model.latent_dim == latent_dim
    scores = evaluate(model, mnist[2])
    assert scores["neg_elbo"] == pytest.approx(entry["metrics"]["neg_elbo"], abs=0.01)
    assert scores["neg_elbo"] == pytest.approx(scores["recon"] + scores["kl"])
    assert scores["neg_elbo"] < goal


def test_the_command_line_reproduces_a_checkpoint_into_a_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(zoo.RECIPES, "vae-z2", partial(zoo.RECIPES["vae-z2"], epochs=1))
    assert cli.main(["reproduce", "vae-z2", "--directory", str(tmp_path)]) == 0
    entry = read_manifest(tmp_path)["vae-z2"]
    assert entry["metrics"]["epochs"] == 1 and entry["metrics"]["heldout_images"] == 1000
    model = pretrained("vae-z2", directory=tmp_path)
    x, y = load_mnist("subset", value_range=(0, 1))
    assert evaluate(model, train_heldout_split(x, y, seed=0)[2])["neg_elbo"] == pytest.approx(
        entry["metrics"]["neg_elbo"], abs=0.01)
    assert "vae-z2" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["reproduce", "vae-z3"])
